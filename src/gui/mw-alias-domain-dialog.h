/* mw-alias-domain-dialog.h: add an alias domain, turn one on or off, delete
 * one (flavours with alias domains: PostfixAdmin).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ALIAS_DOMAIN_DIALOG (mw_alias_domain_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwAliasDomainDialog, mw_alias_domain_dialog, MW, ALIAS_DOMAIN_DIALOG, AdwWindow)

/* "Add an Alias Domain": the alias domain, the target (completed from the
 * database's domains, in Unicode), Active. "added" (text for a toast) when
 * the row is there; the dialog then closes. */
MwAliasDomainDialog *mw_alias_domain_dialog_new (MwSession *session);

/* What the main window calls: the dialog, transient for @parent, which
 * gets the toast. */
GtkWindow  *mw_alias_domain_dialog_open    (GtkWindow *parent, MwSession *session);
/* A row of the Alias Domains list activated: asks what to do with
 * @alias_domain (as stored): turn it off or on, or delete it (after a
 * confirmation); the toast on @parent says what happened, with Undo. */
void        mw_alias_domain_open_actions   (GtkWindow *parent, MwSession *session, const char *alias_domain);

/* For tests: TRUE while the dialog waits for the database. */
gboolean    mw_alias_domain_dialog_is_busy    (MwAliasDomainDialog *self);
/* For tests: the sentence shown in the dialog, or NULL. */
const char *mw_alias_domain_dialog_get_error  (MwAliasDomainDialog *self);
/* For tests: the domains offered as targets, in Unicode (NULL until read). */
GStrv       mw_alias_domain_dialog_dup_domains (MwAliasDomainDialog *self);
/* For tests, as typed: "alias", "target" (text); "active" ("yes" or "no"). */
void        mw_alias_domain_dialog_set_field  (MwAliasDomainDialog *self, const char *field, const char *value);

/* For tests: the question about a row or the delete confirmation while it
 * is shown, else NULL; whether a row's change is under way; the last
 * toast's title. */
AdwMessageDialog *mw_alias_domain_get_question   (void);
gboolean          mw_alias_domain_is_changing    (void);
const char       *mw_alias_domain_get_last_toast (void);
/* For tests: the last toast while it offers Undo, else NULL. */
AdwToast         *mw_alias_domain_get_undo_toast (void);

G_END_DECLS
