/* mw-alias-dialog.h: add an alias (an address of a user) or a forward (copies elsewhere).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ALIAS_DIALOG (mw_alias_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwAliasDialog, mw_alias_dialog, MW, ALIAS_DIALOG, AdwWindow)

/* forward FALSE: an alias delivering to a user named by name, number or
 * address (with settings' create-missing-users, a missing user is created
 * unable to log in); TRUE: a forward to an address or |program. Emits
 * "added" (a sentence for a toast) and closes when written. */
MwAliasDialog *mw_alias_dialog_new       (MwSession *session, GSettings *settings, gboolean forward);

/* For tests, as a person would type: "address", "target" (user or forward
 * target), "catch-all" and "bypass" ("yes"/"no"); then add. */
void           mw_alias_dialog_set_field (MwAliasDialog *self, const char *field, const char *value);
void           mw_alias_dialog_add       (MwAliasDialog *self);
gboolean       mw_alias_dialog_is_busy   (MwAliasDialog *self);
/* The error under "address", "target" or "general", or NULL. */
const char    *mw_alias_dialog_get_error (MwAliasDialog *self, const char *field);

G_END_DECLS
