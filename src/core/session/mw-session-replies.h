/* mw-session-replies.h: the session's wrappers of the notification and
 * auto-reply operations (mw-replies.h), where the flavour keeps them
 * (mw_schema_has_replies ()); elsewhere they fail with
 * MW_SCHEMA_ERROR_REFUSED and a sentence. A change that was not a dry run
 * emits "changed" for the users.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-replies.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* _finish: the account's notification address and auto-reply (either may
 * be NULL); never NULL without an error. */
void       mw_session_get_replies_async        (MwSession *self, const char *account_key,
                                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                                gpointer user_data);
MwReplies *mw_session_get_replies_finish       (MwSession *self, GAsyncResult *result, GError **error);
/* Every change's _finish gives what the account had before. */
void       mw_session_set_notification_async   (MwSession *self, const char *account_key, const char *address,
                                                gboolean dry_run, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
MwReplies *mw_session_set_notification_finish  (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_clear_notification_async (MwSession *self, const char *account_key, gboolean dry_run,
                                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                                gpointer user_data);
MwReplies *mw_session_clear_notification_finish (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_set_auto_reply_async     (MwSession *self, const char *account_key, const MwAutoReply *reply,
                                                gboolean dry_run, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
MwReplies *mw_session_set_auto_reply_finish    (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_clear_auto_reply_async   (MwSession *self, const char *account_key, gboolean dry_run,
                                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                                gpointer user_data);
MwReplies *mw_session_clear_auto_reply_finish  (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
