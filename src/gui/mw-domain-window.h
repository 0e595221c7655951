/* mw-domain-window.h: add a domain, or open one to change or delete it
 * (flavours with a table of domains: ISPmail, PostfixAdmin).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_DOMAIN_WINDOW (mw_domain_window_get_type ())
G_DECLARE_FINAL_TYPE (MwDomainWindow, mw_domain_window, MW, DOMAIN_WINDOW, AdwWindow)

/* The Add Domain dialog: the name and the fields the flavour keeps, filled
 * with the defaults the core writes. "added" (text for a toast, the name as
 * stored) when the domain is there; the dialog then closes. */
MwDomainWindow *mw_domain_window_new_add      (MwSession *session);
/* The domain @key_or_name, read from the database: its fields to change,
 * its counts, Delete. "deleted" (text for a toast) when it is gone. */
MwDomainWindow *mw_domain_window_new          (MwSession *session, const char *key_or_name);

/* What the main window calls: the dialog or the domain's window (one per
 * domain), transient for @parent, which gets the toasts. */
GtkWindow      *mw_domain_window_open_add     (GtkWindow *parent, MwSession *session);
GtkWindow      *mw_domain_window_open         (GtkWindow *parent, MwSession *session, const char *name);

/* For tests: TRUE while the window waits for the database. */
gboolean        mw_domain_window_is_busy      (MwDomainWindow *self);
/* For tests: the domain as last read (NULL in the Add dialog, or before it is read). */
const MwDomain *mw_domain_window_get_domain   (MwDomainWindow *self);
/* For tests: the sentence shown in the window, or NULL. */
const char     *mw_domain_window_get_error    (MwDomainWindow *self);
/* For tests: the last toast's title, or NULL. */
const char     *mw_domain_window_get_toast    (MwDomainWindow *self);
/* For tests: the delete confirmation while it is shown, or NULL. */
AdwMessageDialog *mw_domain_window_get_delete_dialog (MwDomainWindow *self);
/* For tests, as typed: "name", "description", "transport" (text);
 * "max-mailboxes", "max-aliases", "max-quota", "quota" (spin text, as
 * "20", "2G"); "active", "backup-mx" ("yes" or "no"). */
void            mw_domain_window_set_field    (MwDomainWindow *self, const char *field, const char *value);

G_END_DECLS
