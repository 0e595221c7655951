/* mw-replies.c: the notification and auto-reply types, their checks, and
 * the optional interface's entry points (mw-replies.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-replies"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "mw-replies.h"

G_DEFINE_INTERFACE (MwReplyStore, mw_reply_store, G_TYPE_OBJECT)

static void
mw_reply_store_default_init (MwReplyStoreInterface *iface)
{
}

MwAutoReply *
mw_auto_reply_new (void)
{
  return g_new0 (MwAutoReply, 1);
}

MwAutoReply *
mw_auto_reply_copy (const MwAutoReply *reply)
{
  MwAutoReply *copy;

  g_return_val_if_fail (reply != NULL, NULL);

  copy = g_new0 (MwAutoReply, 1);
  copy->body = g_strdup (reply->body);
  copy->start = g_strdup (reply->start);
  copy->stop = g_strdup (reply->stop);
  return copy;
}

void
mw_auto_reply_free (MwAutoReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->body);
  g_free (reply->start);
  g_free (reply->stop);
  g_free (reply);
}

MwReplies *
mw_replies_new (void)
{
  return g_new0 (MwReplies, 1);
}

MwReplies *
mw_replies_copy (const MwReplies *replies)
{
  MwReplies *copy;

  g_return_val_if_fail (replies != NULL, NULL);

  copy = g_new0 (MwReplies, 1);
  copy->notification = g_strdup (replies->notification);
  copy->auto_reply = replies->auto_reply != NULL ? mw_auto_reply_copy (replies->auto_reply) : NULL;
  return copy;
}

void
mw_replies_free (MwReplies *replies)
{
  if (replies == NULL)
    return;
  g_free (replies->notification);
  mw_auto_reply_free (replies->auto_reply);
  g_free (replies);
}

const char *
mw_replies_get_server_note (void)
{
  return _("The mail server sends notifications and automatic replies only when its configuration enables them: "
           "AUTO_NOTIFY = yes and AUTO_REPLY = yes in the [DELIVERY] section of dbmail.conf.");
}

/* "2026-12-24", "2026-12-24 08:00" or "2026-12-24 08:00:00" (also with a
 * 'T'), local time; a bare day starts at 00:00:00 or, for @end, ends at
 * 23:59:59. */
static GDateTime *
parse_date (const char *text,
            gboolean    end)
{
  int y, mo, d, h = 0, mi = 0, s = 0, n = 0;

  if (text == NULL)
    return NULL;
  if (sscanf (text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
    return NULL;
  if (text[n] == '\0')
    {
      if (end)
        h = 23, mi = 59, s = 59;
    }
  else
    {
      int m = 0;

      if (text[n] != ' ' && text[n] != 'T')
        return NULL;
      if (sscanf (text + n + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
        return NULL;
      if (text[n + 1 + m] == ':')
        {
          int k = 0;

          if (sscanf (text + n + 1 + m + 1, "%2d%n", &s, &k) != 1 || k != 2 || text[n + 1 + m + 1 + k] != '\0')
            return NULL;
        }
      else if (text[n + 1 + m] != '\0')
        return NULL;
    }
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      s < 0 || s > 59)
    return NULL;
  if (d > g_date_get_days_in_month ((GDateMonth) mo, (GDateYear) y))
    return NULL;
  return g_date_time_new_local (y, mo, d, h, mi, s);
}

gboolean
mw_auto_reply_check (MwAutoReply  *reply,
                     GError      **error)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) stop = NULL;

  g_return_val_if_fail (reply != NULL, FALSE);

  if (reply->body == NULL || !g_utf8_validate (reply->body, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The text of the automatic reply is not valid UTF-8: save it as UTF-8 and try again."));
      return FALSE;
    }
  {
    g_autofree char *stripped = g_strstrip (g_strdup (reply->body));

    if (stripped[0] == '\0')
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                     _("The automatic reply needs a text: write what the senders should read."));
        return FALSE;
      }
  }
  if (strlen (reply->body) > MW_AUTO_REPLY_BODY_MAX)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The text of the automatic reply is %zu bytes long; at most %d fit."),
                   strlen (reply->body), MW_AUTO_REPLY_BODY_MAX);
      return FALSE;
    }
  if ((reply->start != NULL && !g_utf8_validate (reply->start, -1, NULL)) ||
      (reply->stop != NULL && !g_utf8_validate (reply->stop, -1, NULL)))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("A date of the automatic reply is not valid UTF-8: write it as 2026-12-24 or 2026-12-24 08:00."));
      return FALSE;
    }
  start = reply->start != NULL ? parse_date (reply->start, FALSE) : g_date_time_new_now_local ();
  if (start == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The start “%s” is not a date: write it as 2026-12-24 or 2026-12-24 08:00."), reply->start);
      return FALSE;
    }
  stop = reply->stop != NULL ? parse_date (reply->stop, TRUE) : g_date_time_add_weeks (start, 1);
  if (stop == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The stop “%s” is not a date: write it as 2026-12-24 or 2026-12-24 08:00."), reply->stop);
      return FALSE;
    }
  if (g_date_time_compare (stop, start) <= 0)
    {
      g_autofree char *a = g_date_time_format (start, "%Y-%m-%d %H:%M");
      g_autofree char *b = g_date_time_format (stop, "%Y-%m-%d %H:%M");

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The automatic reply stops (%s) before it starts (%s): the stop must come after the start."),
                   b, a);
      return FALSE;
    }
  g_free (reply->start);
  reply->start = g_date_time_format (start, "%Y-%m-%d %H:%M:%S");
  g_free (reply->stop);
  reply->stop = g_date_time_format (stop, "%Y-%m-%d %H:%M:%S");
  return TRUE;
}

MwAutoReplyState
mw_auto_reply_get_state (const MwAutoReply *reply,
                         GDateTime         *now)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) stop = NULL;
  g_autoptr(GDateTime) here = NULL;
  g_autoptr(GDateTime) year_ago = NULL;
  g_autoptr(GDateTime) year_ahead = NULL;

  g_return_val_if_fail (reply != NULL, MW_AUTO_REPLY_ACTIVE);

  here = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_local ();
  start = parse_date (reply->start, FALSE);
  stop = parse_date (reply->stop, TRUE);
  if (stop != NULL && g_date_time_compare (stop, here) < 0)
    return MW_AUTO_REPLY_NEVER_ACTIVE;
  if (start != NULL && g_date_time_compare (start, here) > 0)
    return MW_AUTO_REPLY_SCHEDULED;
  year_ago = g_date_time_add_years (here, -1);
  year_ahead = g_date_time_add_years (here, 1);
  if (start != NULL && stop != NULL && g_date_time_compare (start, year_ago) <= 0 &&
      g_date_time_compare (stop, year_ahead) >= 0)
    return MW_AUTO_REPLY_ALWAYS_ACTIVE;
  return MW_AUTO_REPLY_ACTIVE;
}

char *
mw_auto_reply_get_warning (const MwAutoReply *reply,
                           GDateTime         *now)
{
  g_return_val_if_fail (reply != NULL, NULL);

  switch (mw_auto_reply_get_state (reply, now))
    {
    case MW_AUTO_REPLY_NEVER_ACTIVE:
      return g_strdup_printf (_("The stop (%s) is in the past: this automatic reply will never be sent."),
                              reply->stop);
    case MW_AUTO_REPLY_ALWAYS_ACTIVE:
      return g_strdup_printf (_("These dates (%s to %s) reach far into the past and the future: this automatic "
                                "reply answers every message, in effect always."), reply->start, reply->stop);
    case MW_AUTO_REPLY_ACTIVE:
    case MW_AUTO_REPLY_SCHEDULED:
    default:
      return NULL;
    }
}

gboolean
mw_schema_has_replies (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_REPLY_STORE (self);
}

static MwReplyStore *
store_or_refuse (MwSchema  *self,
                 GError   **error)
{
  if (MW_IS_REPLY_STORE (self))
    return MW_REPLY_STORE (self);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This kind of mail database has no automatic notifications or automatic replies of its own."));
  return NULL;
}

MwReplies *
mw_schema_get_replies (MwSchema      *self,
                       MwDb          *db,
                       const char    *account_key,
                       GCancellable  *cancellable,
                       GError       **error)
{
  MwReplyStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_REPLY_STORE_GET_IFACE (store)->get_replies (store, db, account_key, cancellable, error);
}

MwReplies *
mw_schema_set_notification (MwSchema       *self,
                            const MwAdmin  *admin,
                            const char     *account_key,
                            const char     *address,
                            GError        **error)
{
  MwReplyStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_REPLY_STORE_GET_IFACE (store)->set_notification (store, admin, account_key, address, error);
}

MwReplies *
mw_schema_clear_notification (MwSchema       *self,
                              const MwAdmin  *admin,
                              const char     *account_key,
                              GError        **error)
{
  MwReplyStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_REPLY_STORE_GET_IFACE (store)->clear_notification (store, admin, account_key, error);
}

MwReplies *
mw_schema_set_auto_reply (MwSchema           *self,
                          const MwAdmin      *admin,
                          const char         *account_key,
                          const MwAutoReply  *reply,
                          GError            **error)
{
  MwReplyStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);
  g_return_val_if_fail (reply != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_REPLY_STORE_GET_IFACE (store)->set_auto_reply (store, admin, account_key, reply, error);
}

MwReplies *
mw_schema_clear_auto_reply (MwSchema       *self,
                            const MwAdmin  *admin,
                            const char     *account_key,
                            GError        **error)
{
  MwReplyStore *store;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL, NULL);

  if ((store = store_or_refuse (self, error)) == NULL)
    return NULL;
  return MW_REPLY_STORE_GET_IFACE (store)->clear_auto_reply (store, admin, account_key, error);
}
