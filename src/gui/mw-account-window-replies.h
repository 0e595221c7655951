/* mw-account-window-replies.h: the Replies tab of an account window, where
 * the flavour keeps automatic notifications and replies
 * (mw_schema_has_replies (): DBMail).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-account-window.h"
#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ACCOUNT_REPLIES (mw_account_replies_get_type ())
G_DECLARE_FINAL_TYPE (MwAccountReplies, mw_account_replies, MW, ACCOUNT_REPLIES, AdwBin)

/* Adds the tab where the flavour keeps them and can be written; it starts
 * loading at once. */
void              _mw_account_window_init_replies (MwAccountWindow *window);

/* The window's Replies tab, or NULL where the flavour has none. (transfer none) */
MwAccountReplies *mw_account_window_get_replies   (MwAccountWindow *window);

/* For tests. Loading or saving. */
gboolean    mw_account_replies_is_busy     (MwAccountReplies *self);
/* What a field shows: "notify", "active" ("yes"/"no"), "body", "start", "stop". */
char       *mw_account_replies_dup_field   (MwAccountReplies *self, const char *field);
/* Types into a field as a person would (the same names). */
void        mw_account_replies_set_field   (MwAccountReplies *self, const char *field, const char *value);
/* The sentence above the form, or NULL. */
const char *mw_account_replies_get_error   (MwAccountReplies *self);
/* The warning under the dates, or NULL. */
const char *mw_account_replies_get_warning (MwAccountReplies *self);
/* The text of the last toast, or NULL. */
const char *mw_account_replies_get_toast   (MwAccountReplies *self);

G_END_DECLS
