/* mw-add-user-dialog.h: add an account with its first alias.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ADD_USER_DIALOG (mw_add_user_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwAddUserDialog, mw_add_user_dialog, MW, ADD_USER_DIALOG, AdwWindow)

/* settings may be NULL: the installed schema's values are used, or the
 * built-in defaults when it is not installed. Emits "user-added" (const char
 * *name, const char *account_key) after each account is written. */
MwAddUserDialog *mw_add_user_dialog_new (MwSession *session,
                                         GSettings *settings);

/* For tests: type a name as a person would, and read what is shown. */
void        mw_add_user_dialog_set_name           (MwAddUserDialog *self,
                                                   const char      *name);
gboolean    mw_add_user_dialog_is_busy            (MwAddUserDialog *self);
/* The generated password shown after a user was added, or NULL. */
const char *mw_add_user_dialog_get_shown_password (MwAddUserDialog *self);
/* The error shown for field "name", "password", "alias" or "general", or NULL. */
const char *mw_add_user_dialog_get_error          (MwAddUserDialog *self,
                                                   const char      *field);
/* The warning under the first alias (a domain that could pass for another
 * one), or NULL. */
const char *mw_add_user_dialog_get_alias_warning (MwAddUserDialog *self);

G_END_DECLS
