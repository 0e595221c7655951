/* mw-dbmail-mail-store.c: MwDbmailSchema's mail store: the MwMailStore interface over mw-dbmail-mail.c and mw-dbmail-search.c.
 *
 * Here the keys of the interface become DBMail's numbers and back: an
 * account's key is its user_idnr, a mailbox's its mailbox_idnr, a
 * message's "<message_idnr>:<physmessage_id>" (mw_dbmail_message_key).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-mail-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-dbmail-mail.h"
#include "mw-dbmail-private.h"
#include "mw-mail-store.h"

static const MwListInfo *
dbmail_get_message_list (MwMailStore *self)
{
  return mw_dbmail_message_list ();
}

static GPtrArray *
dbmail_list_mailboxes (MwMailStore   *self,
                       MwDb          *db,
                       const char    *account,
                       GCancellable  *cancellable,
                       GError       **error)
{
  gint64 user_idnr;

  if (!_mw_dbmail_parse_key (account, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, error))
    return NULL;
  return mw_dbmail_list_mailboxes (db, user_idnr, cancellable, error);
}

static char *
dbmail_find_mailbox (MwMailStore   *self,
                     MwDb          *db,
                     const char    *account,
                     const char    *name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gint64 user_idnr, mailbox_idnr;

  if (!_mw_dbmail_parse_key (account, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, error))
    return NULL;
  if ((mailbox_idnr = mw_dbmail_find_mailbox (db, user_idnr, name, cancellable, error)) <= 0)
    return NULL;
  return _mw_dbmail_key (mailbox_idnr);
}

static MwListQuery *
dbmail_messages_query (MwMailStore             *self,
                       const MwMessageRequest  *request,
                       GError                 **error)
{
  const MwSchemaInfo *info = mw_schema_get_info (MW_SCHEMA (self));
  gint64 user_idnr, mailbox_idnr = 0;

  if (!_mw_dbmail_parse_key (request->account, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, error))
    return NULL;
  if (request->mailbox != NULL &&
      !_mw_dbmail_parse_key (request->mailbox, MW_DBMAIL_KEY_MAILBOX, &mailbox_idnr, error))
    return NULL;
  return mw_dbmail_messages_query (info->driver, user_idnr, mailbox_idnr, request, error);
}

static void
dbmail_read_row (MwMailStore  *self,
                 MwRecord     *record,
                 MwMessageRow *row)
{
  mw_dbmail_read_message_row (record, row);
}

static char *
dbmail_find_message (MwMailStore   *self,
                     MwDb          *db,
                     gint64         number,
                     char         **owner_key,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gint64 physmessage_id = 0, owner = 0;

  if (number > 0 && !mw_dbmail_find_message (db, number, &physmessage_id, &owner, cancellable, error))
    return NULL;
  if (physmessage_id == 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no message number %s."), text);
      return NULL;
    }
  if (owner_key != NULL)
    *owner_key = _mw_dbmail_key (owner);
  return mw_dbmail_message_key (number, physmessage_id);
}

static MwMessage *
dbmail_load_message (MwMailStore         *self,
                     MwDb                *db,
                     const char          *message_key,
                     MwMessageLoadFlags   flags,
                     GCancellable        *cancellable,
                     GError             **error)
{
  gint64 message_idnr, physmessage_id;

  /* The key carries the body's number: no look-up. */
  if (!mw_dbmail_parse_message_key (message_key, &message_idnr, &physmessage_id, error))
    return NULL;
  return mw_dbmail_load_message (db, physmessage_id, flags, cancellable, error);
}

static gboolean
dbmail_set_deleted (MwMailStore        *self,
                    const MwAdmin      *admin,
                    const char         *account,
                    const char *const  *message_keys,
                    gboolean            deleted,
                    MwMessageChange    *out,
                    GError            **error)
{
  guint n = message_keys != NULL ? g_strv_length ((GStrv) message_keys) : 0;
  g_autofree gint64 *ids = g_new (gint64, MAX (n, 1));
  gint64 user_idnr;

  if (!_mw_dbmail_parse_key (account, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gint64 physmessage_id;

      if (!mw_dbmail_parse_message_key (message_keys[i], &ids[i], &physmessage_id, error))
        return FALSE;
    }
  return mw_dbmail_set_messages_deleted (admin, user_idnr, ids, n, deleted, out, error);
}

static gboolean
dbmail_undelete_mailbox (MwMailStore      *self,
                         const MwAdmin    *admin,
                         const char       *mailbox,
                         MwMessageChange  *out,
                         GError          **error)
{
  gint64 mailbox_idnr;

  if (!_mw_dbmail_parse_key (mailbox, MW_DBMAIL_KEY_MAILBOX, &mailbox_idnr, error))
    return FALSE;
  return mw_dbmail_undelete_mailbox (admin, mailbox_idnr, out, error);
}

static gboolean
dbmail_purge_state (MwMailStore   *self,
                    MwDb          *db,
                    const char    *account,
                    MwPurgeState  *out,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gint64 user_idnr;

  if (!_mw_dbmail_parse_key (account, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, error))
    return FALSE;
  return mw_dbmail_purge_state (db, user_idnr, out, cancellable, error);
}

static gboolean
dbmail_count_all (MwMailStore   *self,
                  MwDb          *db,
                  MwMailCounts  *out,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return mw_dbmail_count_mail (db, out, cancellable, error);
}

/* A body search's hits in mail terms, with who sent each and what it is
 * about. */
typedef struct
{
  MwDb                  *details;    /* (nullable): a second connection, for the hits' headers */
  MwMessageHitFunc       hit;
  MwMessageProgressFunc  progress;
  gpointer               user_data;
} SearchHits;

static void
on_body_hit (gint64   message_idnr,
             gint64   physmessage_id,
             gpointer data)
{
  SearchHits *s = data;
  g_autoptr(MwMessage) message = NULL;
  g_autofree char *key = mw_dbmail_message_key (message_idnr, physmessage_id);
  MwMessageHit hit = { key, message_idnr, NULL, NULL };

  /* Headers only, on a connection of its own: the search's connection is
   * busy with the next batch's rows. A hit whose headers cannot be read
   * is still a hit. */
  if (s->details != NULL)
    message = mw_dbmail_load_message (s->details, physmessage_id, MW_MESSAGE_HIDE_BODIES, NULL, NULL);
  if (message != NULL)
    {
      hit.sender = mw_message_get_from (message);
      hit.subject = mw_message_get_subject (message);
    }
  if (s->hit != NULL)
    s->hit (&hit, s->user_data);
}

static void
on_body_progress (guint    done,
                  guint    total,
                  gpointer data)
{
  SearchHits *s = data;

  s->progress (done, total, s->user_data);
}

static gboolean
dbmail_search_bodies (MwMailStore            *self,
                      MwDb                   *db,
                      const char             *account,
                      const char             *mailbox,
                      const char             *needle,
                      MwMessageLoadFlags      flags,
                      MwMessageHitFunc        hit,
                      MwMessageProgressFunc   progress,
                      gpointer                user_data,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(MwDb) details = NULL;
  SearchHits s = { NULL, hit, progress, user_data };
  gint64 user_idnr, mailbox_idnr = 0;

  if (!_mw_dbmail_parse_key (account, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, error))
    return FALSE;
  if (mailbox != NULL && !_mw_dbmail_parse_key (mailbox, MW_DBMAIL_KEY_MAILBOX, &mailbox_idnr, error))
    return FALSE;
  /* Only when there can be hits to describe. */
  if ((flags & MW_MESSAGE_HIDE_BODIES) == 0 && needle[0] != '\0' && hit != NULL)
    details = mw_db_connect (mw_db_get_settings (db), cancellable, NULL);
  s.details = details;
  return mw_dbmail_search_bodies (db, user_idnr, mailbox_idnr, needle, flags, on_body_hit,
                                  progress != NULL ? on_body_progress : NULL, &s, cancellable, error);
}

void
_mw_dbmail_mail_store_iface_init (MwMailStoreInterface *iface)
{
  iface->get_message_list = dbmail_get_message_list;
  iface->list_mailboxes = dbmail_list_mailboxes;
  iface->find_mailbox = dbmail_find_mailbox;
  iface->messages_query = dbmail_messages_query;
  iface->read_row = dbmail_read_row;
  iface->find_message = dbmail_find_message;
  iface->load_message = dbmail_load_message;
  iface->set_deleted = dbmail_set_deleted;
  iface->undelete_mailbox = dbmail_undelete_mailbox;
  iface->purge_state = dbmail_purge_state;
  iface->count_all = dbmail_count_all;
  iface->search_bodies = dbmail_search_bodies;
}
