/* mw-dbmail-replies.c: DBMail's automatic notifications
 * (dbmail_auto_notifications: user_idnr, notify_address) and automatic
 * replies (dbmail_auto_replies: user_idnr, start_date, stop_date,
 * reply_body), as DBMail 3.x delivery reads them when [DELIVERY]
 * AUTO_NOTIFY = yes and AUTO_REPLY = yes: one row per user, the reply sent
 * while now() is between the dates.
 *
 * On MySQL neither table has a primary key (an index only), so a user may
 * have several rows there: "set" deletes every row of the user and inserts
 * one, in one transaction, with the user's row locked first so that two
 * sessions setting at once wait for each other instead of leaving two rows.
 * Reading takes the first row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-private.h"
#include "mw-dbmail-replies.h"

/* The account named by key, number, name or address, refusing DBMail's own
 * accounts: its number, or 0 with a sentence. With @lock, its row is held
 * until the transaction ends. */
static gint64
find_user (MwDb      *db,
           const char *text,
           gboolean   lock,
           char     **userid,
           GError   **error)
{
  gint64 user_idnr;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The user’s name is not valid UTF-8 text: type it again."));
      return 0;
    }
  user_idnr = mw_dbmail_resolve_user (db, text, error);
  if (user_idnr <= 0)
    return 0;
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
    g_autoptr(MwDbResult) r = mw_db_exec (db, lock ? "SELECT userid FROM {users} WHERE user_idnr = $1 FOR UPDATE"
                                                   : "SELECT userid FROM {users} WHERE user_idnr = $1",
                                          params, 1, NULL, error);

    if (r == NULL)
      return 0;
    if (mw_db_result_get_n_rows (r) == 0 || mw_dbmail_is_system_user (mw_db_result_get_string (r, 0, 0)))
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                     _("There is no user “%s”: DBMail’s own accounts have no notifications or automatic "
                       "replies."), text);
        return 0;
      }
    if (userid != NULL)
      *userid = g_strdup (mw_db_result_get_string (r, 0, 0));
  }
  return user_idnr;
}

static char *
format_time (MwDbResult *r,
             guint       col)
{
  g_autoptr(GDateTime) t = mw_db_result_get_string (r, 0, col) != NULL ? mw_db_result_get_timestamp (r, 0, col)
                                                                        : NULL;

  if (t == NULL)
    return g_strdup (mw_db_result_get_string (r, 0, col));
  return g_date_time_format (t, "%Y-%m-%d %H:%M:%S");
}

static MwReplies *
read_replies (MwDb      *db,
              gint64     user_idnr,
              GError   **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) n = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autoptr(MwReplies) replies = mw_replies_new ();

  n = mw_db_exec (db, "SELECT notify_address FROM {auto_notifications} WHERE user_idnr = $1 "
                      "ORDER BY notify_address", params, 1, NULL, error);
  if (n == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (n) > 0)
    replies->notification = g_strdup (mw_db_result_get_string (n, 0, 0));
  r = mw_db_exec (db, "SELECT reply_body, start_date, stop_date FROM {auto_replies} WHERE user_idnr = $1 "
                      "ORDER BY stop_date DESC", params, 1, NULL, error);
  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) > 0)
    {
      replies->auto_reply = mw_auto_reply_new ();
      replies->auto_reply->body = g_strdup (mw_db_result_get_string (r, 0, 0) != NULL
                                            ? mw_db_result_get_string (r, 0, 0) : "");
      replies->auto_reply->start = format_time (r, 1);
      replies->auto_reply->stop = format_time (r, 2);
    }
  return g_steal_pointer (&replies);
}

static MwReplies *
dbmail_get_replies (MwReplyStore  *store,
                    MwDb          *db,
                    const char    *account_key,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gint64 user_idnr = find_user (db, account_key, FALSE, NULL, error);

  if (user_idnr <= 0)
    return NULL;
  return read_replies (db, user_idnr, error);
}

/* Begins the change: the user's row locked, what it had before. */
static MwReplies *
begin_change (const MwAdmin  *admin,
              const char     *account_key,
              gint64         *user_idnr,
              char          **userid,
              GError        **error)
{
  MwReplies *before;

  if (!_mw_admin_begin (admin, error))
    return NULL;
  *user_idnr = find_user (admin->db, account_key, TRUE, userid, error);
  before = *user_idnr > 0 ? read_replies (admin->db, *user_idnr, error) : NULL;
  if (before == NULL)
    _mw_admin_finish (admin, FALSE, error);
  return before;
}

static MwReplies *
dbmail_set_notification (MwReplyStore   *store,
                         const MwAdmin  *admin,
                         const char     *account_key,
                         const char     *address_text,
                         GError        **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *address = NULL;
  g_autofree char *userid = NULL;
  g_autoptr(MwReplies) before = NULL;
  MwAddressKind kind = MW_ADDRESS_PLAIN;
  gint64 user_idnr = 0;
  gboolean ok;

  address = address_text != NULL ? mw_address_normalize_alias (address_text, MW_ADDRESS_FLAGS_NONE, &kind, &local)
                                 : NULL;
  if (address == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The notification address is not a valid mail address: %s"),
                   local != NULL ? local->message : _("it is empty."));
      return NULL;
    }
  if (strlen (address) > MW_NOTIFY_ADDRESS_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The notification address is %zu bytes long; at most %d fit."), strlen (address),
                   MW_NOTIFY_ADDRESS_MAX);
      return NULL;
    }
  if ((before = begin_change (admin, account_key, &user_idnr, &userid, error)) == NULL)
    return NULL;
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_TEXT (address) };

    ok = _mw_admin_run_ok (admin, "DELETE FROM {auto_notifications} WHERE user_idnr = $1", params, 1, error) &&
         _mw_admin_run_ok (admin, "INSERT INTO {auto_notifications} (user_idnr, notify_address) VALUES ($1, $2)",
                           params, 2, error);
  }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField b[] = { { "notification", before->notification } };
    MwAuditField a[] = { { "notification", address } };

    _mw_admin_audit (admin, "notify.set", userid, b, 1, a, 1);
  }
  return g_steal_pointer (&before);
}

static MwReplies *
dbmail_clear_notification (MwReplyStore   *store,
                           const MwAdmin  *admin,
                           const char     *account_key,
                           GError        **error)
{
  g_autofree char *userid = NULL;
  g_autoptr(MwReplies) before = NULL;
  gint64 user_idnr = 0;
  gboolean ok;

  if ((before = begin_change (admin, account_key, &user_idnr, &userid, error)) == NULL)
    return NULL;
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

    ok = _mw_admin_run_ok (admin, "DELETE FROM {auto_notifications} WHERE user_idnr = $1", params, 1, error);
  }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField b[] = { { "notification", before->notification } };

    _mw_admin_audit (admin, "notify.clear", userid, b, 1, NULL, 0);
  }
  return g_steal_pointer (&before);
}

static MwReplies *
dbmail_set_auto_reply (MwReplyStore       *store,
                       const MwAdmin      *admin,
                       const char         *account_key,
                       const MwAutoReply  *reply_in,
                       GError            **error)
{
  g_autoptr(MwAutoReply) reply = mw_auto_reply_copy (reply_in);
  g_autofree char *userid = NULL;
  g_autoptr(MwReplies) before = NULL;
  gint64 user_idnr = 0;
  gboolean ok;

  if (!mw_auto_reply_check (reply, error))
    return NULL;
  if ((before = begin_change (admin, account_key, &user_idnr, &userid, error)) == NULL)
    return NULL;
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_TIMESTAMP (reply->start), MW_DB_TIMESTAMP (reply->stop),
                           MW_DB_TEXT (reply->body) };

    ok = _mw_admin_run_ok (admin, "DELETE FROM {auto_replies} WHERE user_idnr = $1", params, 1, error) &&
         _mw_admin_run_ok (admin, "INSERT INTO {auto_replies} (user_idnr, start_date, stop_date, reply_body) "
                                  "VALUES ($1, $2, $3, $4)", params, 4, error);
  }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    const MwAutoReply *old = before->auto_reply;
    MwAuditField b[] = { { "start", old != NULL ? old->start : NULL }, { "stop", old != NULL ? old->stop : NULL },
                         { "body", old != NULL ? old->body : NULL } };
    MwAuditField a[] = { { "start", reply->start }, { "stop", reply->stop }, { "body", reply->body } };

    _mw_admin_audit (admin, "autoreply.set", userid, b, G_N_ELEMENTS (b), a, G_N_ELEMENTS (a));
  }
  return g_steal_pointer (&before);
}

static MwReplies *
dbmail_clear_auto_reply (MwReplyStore   *store,
                         const MwAdmin  *admin,
                         const char     *account_key,
                         GError        **error)
{
  g_autofree char *userid = NULL;
  g_autoptr(MwReplies) before = NULL;
  gint64 user_idnr = 0;
  gboolean ok;

  if ((before = begin_change (admin, account_key, &user_idnr, &userid, error)) == NULL)
    return NULL;
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

    ok = _mw_admin_run_ok (admin, "DELETE FROM {auto_replies} WHERE user_idnr = $1", params, 1, error);
  }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    const MwAutoReply *old = before->auto_reply;
    MwAuditField b[] = { { "start", old != NULL ? old->start : NULL }, { "stop", old != NULL ? old->stop : NULL },
                         { "body", old != NULL ? old->body : NULL } };

    _mw_admin_audit (admin, "autoreply.clear", userid, b, G_N_ELEMENTS (b), NULL, 0);
  }
  return g_steal_pointer (&before);
}

void
_mw_dbmail_replies_iface_init (MwReplyStoreInterface *iface)
{
  iface->get_replies = dbmail_get_replies;
  iface->set_notification = dbmail_set_notification;
  iface->clear_notification = dbmail_clear_notification;
  iface->set_auto_reply = dbmail_set_auto_reply;
  iface->clear_auto_reply = dbmail_clear_auto_reply;
}
