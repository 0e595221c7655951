/* mw-account-window-usermap.h: the Login Maps group of an account window's
 * Account tab, where the flavour has login maps (mw_schema_has_login_maps ():
 * DBMail's table of login maps).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-account-window.h"
#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ACCOUNT_USERMAP (mw_account_usermap_get_type ())
G_DECLARE_FINAL_TYPE (MwAccountUsermap, mw_account_usermap, MW, ACCOUNT_USERMAP, AdwPreferencesGroup)

/* Appends the group to the Account tab where the flavour has login maps and
 * can be written; it starts loading at once. */
void              _mw_account_window_init_usermap (MwAccountWindow *window);

/* For tests. The window's group, or NULL. (transfer none) */
MwAccountUsermap *mw_account_window_get_usermap   (MwAccountWindow *window);
gboolean          mw_account_usermap_is_busy      (MwAccountUsermap *self);
/* The rows shown: "login|allowed|denied|user" a line. (transfer full) */
char             *mw_account_usermap_dup_rows     (MwAccountUsermap *self);
/* The dialog open (Add, or Create Table), or NULL; the Add dialog's fields
 * "login", "allow", "deny". (transfer none) */
AdwMessageDialog *mw_account_usermap_get_dialog   (MwAccountUsermap *self);
GtkEditable      *mw_account_usermap_get_field    (MwAccountUsermap *self, const char *name);
/* The last toast's title, and its Undo pressed. */
const char       *mw_account_usermap_get_toast    (MwAccountUsermap *self);
void              mw_account_usermap_undo         (MwAccountUsermap *self);

G_END_DECLS
