/* mw-mail-page.h: an account's mail: its mailboxes, their messages, delete and undelete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_MAIL_PAGE (mw_mail_page_get_type ())
G_DECLARE_FINAL_TYPE (MwMailPage, mw_mail_page, MW, MAIL_PAGE, AdwBin)

/* The mail of the account whose key is account_key; only for a session
 * whose schema has a mail store (mw_session_get_mail_store). */
MwMailPage   *mw_mail_page_new          (MwSession *session, const char *account_key);
/* Loads the mailboxes (and the first list) the first time it is called. */
void          mw_mail_page_start        (MwMailPage *self);
void          mw_mail_page_reload       (MwMailPage *self);

/* For tests, as a person would do it. mailbox_key NULL: every mailbox.
 * state: "visible", "deleted", "all". */
void          mw_mail_page_show         (MwMailPage *self, const char *mailbox_key, const char *state,
                                         const char *search);
/* field: "text" (sender or subject), "from", "to", "subject"; sort:
 * "newest", "oldest", "largest", "sender", "subject". NULL keeps it. */
void          mw_mail_page_set_order    (MwMailPage *self, const char *field, const char *sort);
MwPagedModel *mw_mail_page_get_model    (MwMailPage *self);
gboolean      mw_mail_page_is_busy      (MwMailPage *self);
/* The mailbox rows shown ("name | counts"), the purge note and the error, or NULL. */
GStrv         mw_mail_page_dup_mailboxes (MwMailPage *self);
const char   *mw_mail_page_get_note     (MwMailPage *self);
const char   *mw_mail_page_get_error    (MwMailPage *self);
/* The text of the last toast (after a delete or an undelete), or NULL. */
const char   *mw_mail_page_get_toast    (MwMailPage *self);
/* Selects the rows (positions) and runs "undelete" or "delete" on them. */
void          mw_mail_page_select       (MwMailPage *self, const guint *positions, guint n);
void          mw_mail_page_undelete_all (MwMailPage *self);
/* Body search: starts it; hits arrive as they are found. */
void          mw_mail_page_search_bodies (MwMailPage *self, const char *text);
GStrv         mw_mail_page_dup_body_hits (MwMailPage *self);
/* Opens the message at position in a window. */
GtkWindow    *mw_mail_page_open_message (MwMailPage *self, guint position);

G_END_DECLS
