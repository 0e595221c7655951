/* mw-account-window.h: one user account: overview, aliases, forwards, mailboxes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-mail-page.h"
#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ACCOUNT_WINDOW (mw_account_window_get_type ())
G_DECLARE_FINAL_TYPE (MwAccountWindow, mw_account_window, MW, ACCOUNT_WINDOW, AdwWindow)

/* The window of the account whose key is @account_key (a string the schema
 * made: compared, never read). (transfer none: the window is a toplevel) */
GtkWindow       *mw_account_window_new         (MwSession *session, const char *account_key);
const char      *mw_account_window_get_account_key (MwAccountWindow *self);
/* NULL until loaded. */
const MwAccount *mw_account_window_get_account (MwAccountWindow *self);
gboolean         mw_account_window_is_loading  (MwAccountWindow *self);
/* For tests: the value shown for a field ("name", "number", "group", "quota",
 * "login", "hash", "enabled", "security-action"), and the rows of a group
 * ("aliases", ...). */
const char      *mw_account_window_get_value   (MwAccountWindow *self, const char *field);
GStrv            mw_account_window_dup_rows    (MwAccountWindow *self, const char *group);
/* For tests, as a person would type: "name", "group", "quota-mib", "enabled"
 * ("yes"/"no"), "password" (staged), "new-alias" (typed and applied),
 * "quota-typed" (typed into the quota field, which keeps the focus),
 * "security-action" (a value: the action it falls under is chosen, and its
 * rule number set). */
void             mw_account_window_set_field   (MwAccountWindow *self, const char *field, const char *value);
/* The sentence shown above the account, or NULL. */
const char      *mw_account_window_get_error   (MwAccountWindow *self);
/* The text of the last toast, or NULL. */
const char      *mw_account_window_get_toast   (MwAccountWindow *self);
/* Shows the Mail page (and starts reading the mailboxes). (transfer none) */
MwMailPage      *mw_account_window_show_mail   (MwAccountWindow *self);
/* Saving, loading or writing an alias. */
gboolean         mw_account_window_is_busy     (MwAccountWindow *self);

G_END_DECLS
