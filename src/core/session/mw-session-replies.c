/* mw-session-replies.c: the session's wrappers of the notification and
 * auto-reply operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-private.h"
#include "mw-session-replies.h"

#define REPLY_CHANGES (MW_SESSION_CHANGES (MW_LIST_USERS))

static gpointer
get_work (MwSchema       *schema,
          const MwAdmin  *admin,
          MwSessionArgs  *args,
          GCancellable   *cancellable,
          GError        **error)
{
  return mw_schema_get_replies (schema, admin->db, args->key, cancellable, error);
}

static const MwSessionOp get_op = { get_work, (GDestroyNotify) mw_replies_free };

void
mw_session_get_replies_async (MwSession           *self,
                              const char          *account_key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  _mw_session_run (self, &get_op, args, FALSE, cancellable, callback, user_data);
}

MwReplies *
mw_session_get_replies_finish (MwSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _mw_session_finish (self, result, &get_op, NULL, error);
}

static gpointer
set_notification_work (MwSchema       *schema,
                       const MwAdmin  *admin,
                       MwSessionArgs  *args,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return mw_schema_set_notification (schema, admin, args->key, args->text, error);
}

static const MwSessionOp set_notification_op = { set_notification_work, (GDestroyNotify) mw_replies_free,
                                                  REPLY_CHANGES };

void
mw_session_set_notification_async (MwSession           *self,
                                   const char          *account_key,
                                   const char          *address,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  args->text = g_strdup (address);
  _mw_session_run (self, &set_notification_op, args, dry_run, cancellable, callback, user_data);
}

MwReplies *
mw_session_set_notification_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &set_notification_op, NULL, error);
}

static gpointer
clear_notification_work (MwSchema       *schema,
                         const MwAdmin  *admin,
                         MwSessionArgs  *args,
                         GCancellable   *cancellable,
                         GError        **error)
{
  return mw_schema_clear_notification (schema, admin, args->key, error);
}

static const MwSessionOp clear_notification_op = { clear_notification_work, (GDestroyNotify) mw_replies_free,
                                                    REPLY_CHANGES };

void
mw_session_clear_notification_async (MwSession           *self,
                                     const char          *account_key,
                                     gboolean             dry_run,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  _mw_session_run (self, &clear_notification_op, args, dry_run, cancellable, callback, user_data);
}

MwReplies *
mw_session_clear_notification_finish (MwSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _mw_session_finish (self, result, &clear_notification_op, NULL, error);
}

static gpointer
set_auto_reply_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return mw_schema_set_auto_reply (schema, admin, args->key, args->data, error);
}

static const MwSessionOp set_auto_reply_op = { set_auto_reply_work, (GDestroyNotify) mw_replies_free,
                                                REPLY_CHANGES };

void
mw_session_set_auto_reply_async (MwSession           *self,
                                 const char          *account_key,
                                 const MwAutoReply   *reply,
                                 gboolean             dry_run,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  g_return_if_fail (reply != NULL);

  args->key = g_strdup (account_key);
  args->data = mw_auto_reply_copy (reply);
  args->data_free = (GDestroyNotify) mw_auto_reply_free;
  _mw_session_run (self, &set_auto_reply_op, args, dry_run, cancellable, callback, user_data);
}

MwReplies *
mw_session_set_auto_reply_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &set_auto_reply_op, NULL, error);
}

static gpointer
clear_auto_reply_work (MwSchema       *schema,
                       const MwAdmin  *admin,
                       MwSessionArgs  *args,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return mw_schema_clear_auto_reply (schema, admin, args->key, error);
}

static const MwSessionOp clear_auto_reply_op = { clear_auto_reply_work, (GDestroyNotify) mw_replies_free,
                                                  REPLY_CHANGES };

void
mw_session_clear_auto_reply_async (MwSession           *self,
                                   const char          *account_key,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  _mw_session_run (self, &clear_auto_reply_op, args, dry_run, cancellable, callback, user_data);
}

MwReplies *
mw_session_clear_auto_reply_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &clear_auto_reply_op, NULL, error);
}
