/* mw-dbmail-mail.c: the DBMail flavour, mail: mailboxes, message lists, counts.
 *
 * Every statement that reads mailboxes and message lists is in this file
 * (deleting and undeleting messages: mw-dbmail-mail-delete.c). Header
 * values come from DBMail's header cache (dbmail_header, dbmail_headername,
 * dbmail_headervalue): headervalue holds the decoded field (RFC 2047 words
 * decoded, addresses as "Name <a@b>"), sortfield its normalised form (From:
 * the first local part, Subject: the base subject in lower case). Lists show
 * and search headervalue and sort on sortfield.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-mail.h"
#include "mw-dbmail-private.h"
#include "mw-imap-utf7.h"
#include "mw-sql-dialect.h"

/* ------------------------------------------------------------------------ */
/* Mailboxes                                                                */
/* ------------------------------------------------------------------------ */

char *
_mw_dbmail_check_user (MwDb          *db,
                       gint64         user_idnr,
                       GCancellable  *cancellable,
                       GError       **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, "SELECT userid FROM {users} WHERE user_idnr = $1",
                                        params, 1, cancellable, error);

  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0 || mw_dbmail_is_system_user (mw_db_result_get_string (r, 0, 0)))
    {
      g_autofree char *number = _mw_dbmail_int_text (user_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user with the number %s."), number);
      return NULL;
    }
  return g_strdup (mw_db_result_get_string (r, 0, 0));
}

static int
compare_mailboxes (gconstpointer a,
                   gconstpointer b)
{
  const MwMailbox *x = *(MwMailbox *const *) a;
  const MwMailbox *y = *(MwMailbox *const *) b;
  int c;

  if (x->section != y->section)
    return (int) x->section - (int) y->section;
  /* INBOX first, as mail clients show it. */
  if (x->section == MW_MAILBOX_OWN && (g_str_equal (x->name, "INBOX") || g_str_equal (y->name, "INBOX")))
    return g_str_equal (x->name, "INBOX") ? (g_str_equal (y->name, "INBOX") ? 0 : -1) : 1;
  if ((c = g_strcmp0 (x->owner, y->owner)) != 0 && x->section == MW_MAILBOX_SHARED)
    return c;
  return g_utf8_collate (x->display_name, y->display_name);
}

GPtrArray *
mw_dbmail_list_mailboxes (MwDb          *db,
                          gint64         user_idnr,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MwDbResult) boxes = NULL;
  g_autoptr(MwDbResult) counts = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *userid = NULL;
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

  g_return_val_if_fail (db != NULL, NULL);

  if ((userid = _mw_dbmail_check_user (db, user_idnr, cancellable, error)) == NULL)
    return NULL;

  /* What DBMail lists to the user: its own, and others' where a row for it
   * or for anyone grants lookup (owner rights are implicit, no row). */
  boxes = mw_db_exec (db,
                      "SELECT mb.mailbox_idnr, mb.owner_idnr, u.userid, mb.name, mb.no_select, mb.seq "
                      "FROM {mailboxes} mb JOIN {users} u ON u.user_idnr = mb.owner_idnr "
                      "WHERE mb.owner_idnr = $1 OR EXISTS (SELECT 1 FROM {acl} a "
                      "JOIN {users} au ON au.user_idnr = a.user_id "
                      "WHERE a.mailbox_id = mb.mailbox_idnr AND a.lookup_flag = 1 "
                      "AND (a.user_id = $1 OR au.userid = '" MW_DBMAIL_ANYONE_USER "'))",
                      params, 1, cancellable, error);
  if (boxes == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_mailbox_free);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < mw_db_result_get_n_rows (boxes); i++)
    {
      MwMailbox *m = g_new0 (MwMailbox, 1);
      g_autofree char *decoded = NULL;
      gint64 id = mw_db_result_get_int64 (boxes, i, 0);
      gint64 owner_idnr = mw_db_result_get_int64 (boxes, i, 1);

      m->key = _mw_dbmail_key (id);
      m->number = id;
      m->owner_key = _mw_dbmail_key (owner_idnr);
      m->owner = g_strdup (mw_db_result_get_string (boxes, i, 2));
      m->name = g_strdup (mw_db_result_get_string (boxes, i, 3));
      m->no_select = mw_db_result_get_int64 (boxes, i, 4) != 0;
      m->seq = mw_db_result_get_int64 (boxes, i, 5);
      decoded = mw_imap_utf7_decode (m->name);
      if (owner_idnr == user_idnr)
        {
          m->section = MW_MAILBOX_OWN;
          m->display_name = g_steal_pointer (&decoded);
        }
      else if (g_strcmp0 (m->owner, MW_DBMAIL_PUBLIC_USER) == 0)
        {
          m->section = MW_MAILBOX_PUBLIC;
          m->display_name = g_strdup_printf ("#Public/%s", decoded);
        }
      else
        {
          m->section = MW_MAILBOX_SHARED;
          m->display_name = g_strdup_printf ("#Users/%s/%s", m->owner, decoded);
        }
      g_ptr_array_add (list, m);
      g_array_append_val (ids, id);
      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), m);
    }
  if (list->len == 0)
    return g_steal_pointer (&list);

  /* The counts of all of them in one pass over their messages. */
  {
    g_autoptr(GString) sql = g_string_new ("SELECT m.mailbox_idnr, m.status, COUNT(*), "
                                           "COALESCE(SUM(p.messagesize), 0) FROM {messages} m "
                                           "JOIN {physmessage} p ON p.id = m.physmessage_id "
                                           "WHERE m.status IN (0, 1, 2, 3) AND m.mailbox_idnr IN (");

    for (guint i = 0; i < ids->len; i++)
      g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", g_array_index (ids, gint64, i));
    g_string_append (sql, ") GROUP BY m.mailbox_idnr, m.status");
    counts = mw_db_exec (db, sql->str, NULL, 0, cancellable, error);
    if (counts == NULL)
      return NULL;
  }
  for (guint i = 0; i < mw_db_result_get_n_rows (counts); i++)
    {
      gint64 id = mw_db_result_get_int64 (counts, i, 0);
      MwMailbox *m = g_hash_table_lookup (by_id, &id);
      gint64 status = mw_db_result_get_int64 (counts, i, 1);
      gint64 n = mw_db_result_get_int64 (counts, i, 2);
      gint64 bytes = mw_db_result_get_int64 (counts, i, 3);

      if (m == NULL)
        continue;
      if (status < 2)
        {
          m->visible_count += n;
          m->visible_bytes += bytes;
        }
      else if (status == 2)
        {
          m->deleted_count = n;
          m->deleted_bytes = bytes;
        }
      else
        {
          m->purge_count = n;
          m->purge_bytes = bytes;
        }
    }

  g_ptr_array_sort (list, compare_mailboxes);
  return g_steal_pointer (&list);
}

gboolean
mw_dbmail_find_message (MwDb          *db,
                        gint64         message_idnr,
                        gint64        *physmessage_id,
                        gint64        *owner,
                        GCancellable  *cancellable,
                        GError       **error)
{
  MwDbValue params[] = { MW_DB_INT64 (message_idnr) };
  g_autoptr(MwDbResult) r = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (physmessage_id != NULL && owner != NULL, FALSE);

  *physmessage_id = 0;
  *owner = 0;
  r = mw_db_exec (db, "SELECT m.physmessage_id, mb.owner_idnr FROM {messages} m "
                  "JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                  "WHERE m.message_idnr = $1", params, 1, cancellable, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) > 0)
    {
      *physmessage_id = mw_db_result_get_int64 (r, 0, 0);
      *owner = mw_db_result_get_int64 (r, 0, 1);
    }
  return TRUE;
}

char *
mw_dbmail_message_key (gint64 message_idnr,
                       gint64 physmessage_id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, message_idnr, physmessage_id);
}

gboolean
mw_dbmail_parse_message_key (const char  *key,
                             gint64      *message_idnr,
                             gint64      *physmessage_id,
                             GError     **error)
{
  const char *colon = key != NULL ? strchr (key, ':') : NULL;

  /* Both halves as _mw_dbmail_key() writes a number, so that one message
   * has one key. */
  if (colon != NULL)
    {
      g_autofree char *first = g_strndup (key, (gsize) (colon - key));

      if (_mw_dbmail_parse_key (first, MW_DBMAIL_KEY_MAILBOX, message_idnr, NULL) &&
          _mw_dbmail_parse_key (colon + 1, MW_DBMAIL_KEY_MAILBOX, physmessage_id, NULL))
        return TRUE;
    }
  {
    g_autofree char *shown = g_utf8_make_valid (key != NULL ? key : "", -1);

    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                 _("There is no such message: “%s” is not a message’s key in this database."), shown);
  }
  return FALSE;
}

gint64
mw_dbmail_find_mailbox (MwDb          *db,
                        gint64         user_idnr,
                        const char    *name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(MwDbResult) r = NULL;
  g_autofree char *encoded = NULL;
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

  g_return_val_if_fail (db != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  r = mw_db_exec (db, "SELECT mailbox_idnr, name FROM {mailboxes} WHERE owner_idnr = $1",
                  params, 1, cancellable, error);
  if (r == NULL)
    return 0;
  encoded = mw_imap_utf7_encode (name);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *stored = mw_db_result_get_string (r, i, 1);
      g_autofree char *decoded = mw_imap_utf7_decode (stored);

      if ((g_ascii_strcasecmp (name, "INBOX") == 0 && g_ascii_strcasecmp (stored, "INBOX") == 0) ||
          g_str_equal (stored, name) || g_str_equal (decoded, name) ||
          (encoded != NULL && g_str_equal (stored, encoded)))
        return mw_db_result_get_int64 (r, i, 0);
    }
  /* Others' folders the user sees, by the names it sees them under:
   * "#Public/Name", "#Users/owner/Name". */
  if (name[0] == '#')
    {
      g_autoptr(GPtrArray) all = mw_dbmail_list_mailboxes (db, user_idnr, cancellable, error);

      if (all == NULL)
        return 0;
      for (guint i = 0; i < all->len; i++)
        {
          MwMailbox *m = g_ptr_array_index (all, i);

          gint64 id;

          if (m->section != MW_MAILBOX_OWN && g_str_equal (m->display_name, name) &&
              _mw_dbmail_parse_key (m->key, MW_DBMAIL_KEY_MAILBOX, &id, NULL))
            return id;
        }
    }
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("The user has no mailbox called “%s”."), name);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Message lists                                                            */
/* ------------------------------------------------------------------------ */

/* The message list's columns in mail terms, for a page's rows: the key,
 * the status as a word of MwMessageStatus and the system flags as words
 * (no backslashes: MariaDB would read them as escapes). */
#define MESSAGE_LIST_DETAILS \
  "CONCAT(d.message_idnr, ':', d.physmessage_id) AS message_key, " \
  "CASE dm.status WHEN 1 THEN 'seen_by_pop' WHEN 2 THEN 'deleted' WHEN 3 THEN 'purge_pending' " \
  "ELSE 'visible' END AS state, " \
  "CONCAT_WS(' ', CASE WHEN dm.seen_flag <> 0 THEN 'seen' END, CASE WHEN dm.answered_flag <> 0 THEN 'answered' END, " \
  "CASE WHEN dm.flagged_flag <> 0 THEN 'flagged' END, CASE WHEN dm.deleted_flag <> 0 THEN 'deleted' END, " \
  "CASE WHEN dm.draft_flag <> 0 THEN 'draft' END, CASE WHEN dm.recent_flag <> 0 THEN 'recent' END) AS flags"

#define SECONDARY MW_LIST_COLUMN_SECONDARY

/* Documented in mw-mail-store.h; each source is a column of
 * mw_dbmail_messages_query. */
static const MwListColumn message_columns[] = {
  { "key", N_("Key"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY, "message_key" },
  { "number", N_("Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY, "message_idnr" },
  { "status", N_("State"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "state" },
  { "sender", N_("From"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT,
    MW_LIST_COLUMN_SEARCHED | MW_LIST_COLUMN_EXPAND, "sender" },
  { "recipient", N_("To"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY, "recipient" },
  { "subject", N_("Subject"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT,
    MW_LIST_COLUMN_SEARCHED | MW_LIST_COLUMN_EXPAND, "subject" },
  { "date", N_("Date"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "date" },
  { "size", N_("Size"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_BYTES, MW_SORT_DEFAULT, 0, "size" },
  { "flags", N_("Flags"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "flags" },
  { "keywords", N_("Keywords"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY, "keywords" },
  { "mailbox", N_("Mailbox"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "mailbox" },
};

static const MwListInfo message_list = {
  /* none of the global lists */
  (MwListKind) MW_N_LISTS, "messages", N_("Messages"), "mail-unread-symbolic", N_("Search senders and subjects"),
  N_("No Messages"), MW_SORT_DEFAULT, message_columns, G_N_ELEMENTS (message_columns),
};

const MwListInfo *
mw_dbmail_message_list (void)
{
  return &message_list;
}

void
mw_dbmail_read_message_row (MwRecord     *record,
                            MwMessageRow *row)
{
  static const struct { const char *column; MwMessageFlags flag; } flags[] = {
    { "seen_flag", MW_MESSAGE_FLAG_SEEN }, { "answered_flag", MW_MESSAGE_FLAG_ANSWERED },
    { "flagged_flag", MW_MESSAGE_FLAG_FLAGGED }, { "deleted_flag", MW_MESSAGE_FLAG_DELETED },
    { "draft_flag", MW_MESSAGE_FLAG_DRAFT }, { "recent_flag", MW_MESSAGE_FLAG_RECENT },
  };
  gint64 message_idnr;

  g_return_if_fail (MW_IS_RECORD (record));
  g_return_if_fail (row != NULL);

  *row = (MwMessageRow) { 0 };
  if (!mw_record_get_loaded (record))
    return;
  message_idnr = mw_record_get_int64 (record, "message_idnr");
  row->key = mw_dbmail_message_key (message_idnr, mw_record_get_int64 (record, "physmessage_id"));
  row->number = message_idnr;
  switch (mw_record_get_int64 (record, "status"))
    {
    case 1: row->status = MW_MESSAGE_SEEN_BY_POP; break;
    case 2: row->status = MW_MESSAGE_DELETED; break;
    case 3: row->status = MW_MESSAGE_PURGE_PENDING; break;
    default: row->status = MW_MESSAGE_VISIBLE; break;
    }
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (mw_record_get_int64 (record, flags[i].column) != 0)
      row->flags |= flags[i].flag;
  row->keywords = mw_record_get_string (record, "keywords");
  row->mailbox = mw_record_get_string (record, "mailbox");
  row->sender = mw_record_get_string (record, "sender");
  row->recipient = mw_record_get_string (record, "recipient");
  row->subject = mw_record_get_string (record, "subject");
  row->date = mw_record_get_timestamp (record, "date");
  row->size = mw_record_get_int64 (record, "size");
}

gboolean
mw_dbmail_parse_message_sort (const char    *name,
                              MwMessageSort *sort)
{
  static const struct { const char *name; MwMessageSort sort; } sorts[] = {
    { "date", MW_MESSAGE_SORT_DATE }, { "arrival", MW_MESSAGE_SORT_DATE },
    { "size", MW_MESSAGE_SORT_SIZE },
    { "sender", MW_MESSAGE_SORT_SENDER }, { "from", MW_MESSAGE_SORT_SENDER },
    { "subject", MW_MESSAGE_SORT_SUBJECT },
  };

  g_return_val_if_fail (name != NULL && sort != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    if (g_ascii_strcasecmp (name, sorts[i].name) == 0)
      {
        *sort = sorts[i].sort;
        return TRUE;
      }
  return FALSE;
}

/* The id of one of the 12 header names every DBMail program caches, looked
 * up once per statement (an uncorrelated subquery both servers run once). */
static char *
header_name_id (MwDbDriver  driver,
                const char *name)
{
  g_autofree char *quoted = g_strdup_printf ("'%s'", name);
  g_autofree char *cmp = mw_sql_ci_equal (driver, "hn.headername", quoted);

  return g_strdup_printf ("(SELECT hn.id FROM {headername} hn WHERE %s)", cmp);
}

/* One cached field of the row's message. A message may carry a header twice
 * (each is cached); MIN keeps one row per message, so message_idnr stays a
 * key. Evaluated only for the rows of a page, unless sorted on. */
static char *
header_field_of (MwDbDriver  driver,
                 const char *name,
                 const char *column,
                 const char *row)
{
  g_autofree char *id = header_name_id (driver, name);

  return g_strdup_printf ("(SELECT MIN(v.%s) FROM {header} h JOIN {headervalue} v ON v.id = h.headervalue_id "
                          "WHERE h.physmessage_id = %s.physmessage_id AND h.headername_id = %s)",
                          column, row, id);
}

static char *
header_field (MwDbDriver  driver,
              const char *name,
              const char *column)
{
  return header_field_of (driver, name, column, "m");
}

/* A substring condition on the decoded values of some header names, probed
 * per message of the list: the cost follows the mailbox, not the whole
 * header cache. Asked to choose, both servers read every user's subjects
 * once (a hash of the matching messages), which on a database of 400,000
 * messages took PostgreSQL 690 ms and MariaDB 930 ms for a mailbox of
 * 100,000, against 400 ms probed. OFFSET 0 keeps PostgreSQL from turning
 * the EXISTS into that join. */
static void
append_header_search (GString          *sql,
                      MwDbDriver        driver,
                      const char *const *names,
                      guint             param)
{
  g_string_append (sql, " AND EXISTS (SELECT 1 FROM {header} hs JOIN {headervalue} vs ON vs.id = hs.headervalue_id "
                        "WHERE hs.physmessage_id = m.physmessage_id AND hs.headername_id IN (");
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *id = header_name_id (driver, names[i]);

      g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", id);
    }
  g_string_append_printf (sql, ") AND lower(vs.headervalue) LIKE $%u%s)", param,
                          driver == MW_DB_DRIVER_PGSQL ? " OFFSET 0" : "");
}

MwListQuery *
mw_dbmail_messages_query (MwDbDriver               driver,
                          gint64                   user_idnr,
                          gint64                   mailbox_idnr,
                          const MwMessageRequest  *req,
                          GError                 **error)
{
  static const char *const from_names[] = { "from", NULL };
  static const char *const to_names[] = { "to", "cc", NULL };
  static const char *const subject_names[] = { "subject", NULL };
  static const char *const text_names[] = { "from", "subject", NULL };
  /* Shown only: computed for a page's rows (mw_list_query_set_details). */
  g_autofree char *sender = header_field_of (driver, "from", "headervalue", "d");
  g_autofree char *recipient = header_field_of (driver, "to", "headervalue", "d");
  g_autofree char *subject = header_field_of (driver, "subject", "headervalue", "d");
  g_autofree char *details = NULL;
  g_autofree char *keywords = mw_sql_string_agg_distinct (driver, "k.keyword", " ");
  g_autoptr(GString) sql = NULL;
  g_autofree char *count_sql = NULL;
  gsize where_at;
  const struct { const char *text; const char *const *names; } searches[] = {
    { req != NULL ? req->from : NULL, from_names },
    { req != NULL ? req->to : NULL, to_names },
    { req != NULL ? req->subject : NULL, subject_names },
    { req != NULL ? req->text : NULL, text_names },
  };
  const char *sort_col;
  const char *by_header = NULL;
  MwListQuery *query;
  guint n = 1;

  g_return_val_if_fail (req != NULL, NULL);

  if (req->state > MW_MESSAGE_STATE_ALL || req->sort > MW_MESSAGE_SORT_SUBJECT)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("This list cannot be sorted that way."));
      return NULL;
    }

  sql = g_string_new (NULL);
  /* What is sorted (on both servers, every matching row with the columns it
   * carries) stays narrow: the keys, the date and the size. The rest is read
   * for a page's rows only; the mailbox name and the UIDL alone made
   * MariaDB's sort of 90,000 rows a third slower. */
  g_string_append (sql, "SELECT m.message_idnr, m.physmessage_id, m.mailbox_idnr, "
                        "p.internal_date AS date, p.messagesize AS size");
  details = g_strdup_printf ("dmb.name AS mailbox, dp.rfcsize, dm.status, dm.seen_flag, dm.answered_flag, "
                             "dm.flagged_flag, dm.deleted_flag, dm.draft_flag, dm.recent_flag, dm.unique_id, "
                             "COALESCE(%s, '') AS sender, COALESCE(%s, '') AS recipient, COALESCE(%s, '') AS subject, "
                             "COALESCE((SELECT %s FROM {keywords} k WHERE k.message_idnr = d.message_idnr), '') "
                             "AS keywords, %s", sender, recipient, subject, keywords, MESSAGE_LIST_DETAILS);
  switch (req->sort)
    {
    case MW_MESSAGE_SORT_SENDER:
    case MW_MESSAGE_SORT_SUBJECT:
      by_header = req->sort == MW_MESSAGE_SORT_SENDER ? "from" : "subject";
      if (driver == MW_DB_DRIVER_PGSQL)
        {
          g_string_append (sql, ", COALESCE(MIN(sv.sortfield), '') AS sort_key");
        }
      else
        {
          g_autofree char *key = header_field (driver, by_header, "sortfield");

          g_string_append_printf (sql, ", COALESCE(%s, '') AS sort_key", key);
        }
      sort_col = "sort_key";
      break;
    case MW_MESSAGE_SORT_SIZE:
      sort_col = "size";
      break;
    case MW_MESSAGE_SORT_DATE:
    default:
      sort_col = "date";
      break;
    }

  g_string_append (sql, " FROM {messages} m JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                        "JOIN {physmessage} p ON p.id = m.physmessage_id");
  /* The sort key of a header. PostgreSQL: a join on the header cache, one
   * row per message again by GROUP BY (a header may be cached twice). Its
   * correlated subquery cost 1.3-1.8x as much, and a keyset page evaluated
   * it twice (in the condition and in the order). MariaDB: the subquery,
   * which it runs faster than the join and GROUP BY; a page statement
   * materialises the list first (the LIMIT below), for the same reason. */
  if (by_header != NULL && driver == MW_DB_DRIVER_PGSQL)
    {
      g_autofree char *id = header_name_id (driver, by_header);

      g_string_append_printf (sql, " LEFT JOIN {header} sh ON sh.physmessage_id = m.physmessage_id "
                                   "AND sh.headername_id = %s LEFT JOIN {headervalue} sv ON sv.id = sh.headervalue_id",
                              id);
    }
  where_at = sql->len;
  g_string_append (sql, " WHERE ");
  /* One mailbox: any the user may read (its own, #Public, shared to it);
   * all mailboxes: the user's own. */
  if (mailbox_idnr > 0)
    g_string_append_printf (sql, MW_DBMAIL_READABLE_BY_1 ("mb") " AND m.mailbox_idnr = $%u", ++n);
  else
    g_string_append (sql, "mb.owner_idnr = $1");
  switch (req->state)
    {
    case MW_MESSAGE_STATE_VISIBLE: g_string_append (sql, " AND m.status IN (0, 1)"); break;
    case MW_MESSAGE_STATE_DELETED: g_string_append (sql, " AND m.status IN (2, 3)"); break;
    case MW_MESSAGE_STATE_ALL:
    default: g_string_append (sql, " AND m.status IN (0, 1, 2, 3)"); break;
    }
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    if (searches[i].text != NULL && searches[i].text[0] != '\0')
      append_header_search (sql, driver, searches[i].names, ++n);
  /* The count needs neither the physmessage (one for every message) nor the
   * sort key's join: the bare messages of the mailbox, at the floor of a
   * count (the inner SELECT's joins made it 3-6x that at 100,000 messages). */
  count_sql = g_strconcat ("SELECT count(*) AS n FROM {messages} m JOIN {mailboxes} mb "
                           "ON mb.mailbox_idnr = m.mailbox_idnr", sql->str + where_at, NULL);

  if (by_header != NULL && driver == MW_DB_DRIVER_PGSQL)
    g_string_append (sql, " GROUP BY m.message_idnr, p.id");

  query = mw_list_query_new (sql->str, sort_col, "message_idnr", req->descending);
  if (by_header != NULL && driver != MW_DB_DRIVER_PGSQL)
    mw_list_query_set_page_suffix (query, " LIMIT 18446744073709551615");
  /* Sorting a mailbox on its header cache costs as much for the 100th page
   * as for the first (0.4-0.8 s at 100,000 messages): done once, for the
   * keys, and each page read by its keys. */
  if (by_header != NULL)
    mw_list_query_set_snapshot (query, TRUE);
  mw_list_query_set_count_sql (query, count_sql);
  mw_list_query_set_details (query, details);
  mw_list_query_set_details_from (query, "JOIN {messages} dm ON dm.message_idnr = d.message_idnr "
                                         "JOIN {mailboxes} dmb ON dmb.mailbox_idnr = d.mailbox_idnr "
                                         "JOIN {physmessage} dp ON dp.id = d.physmessage_id");
  mw_list_query_add_int64 (query, user_idnr);
  if (mailbox_idnr > 0)
    mw_list_query_add_int64 (query, mailbox_idnr);
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    if (searches[i].text != NULL && searches[i].text[0] != '\0')
      {
        g_autofree char *pattern = mw_sql_like_contains (searches[i].text);

        mw_list_query_add_text (query, pattern);
      }
  return query;
}

/* ------------------------------------------------------------------------ */
/* Maintenance hint                                                         */
/* ------------------------------------------------------------------------ */

gboolean
mw_dbmail_purge_state (MwDb          *db,
                       gint64         user_idnr,
                       MwPurgeState  *out,
                       GCancellable  *cancellable,
                       GError       **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) mine = NULL;
  g_autoptr(MwDbResult) any3 = NULL;
  g_autoptr(MwDbResult) old2 = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) day_ago = g_date_time_add_days (now, -1);
  g_autofree char *cutoff = g_date_time_format (day_ago, "%Y-%m-%d %H:%M:%S");
  MwDbValue cutoff_param[] = { MW_DB_TIMESTAMP (cutoff) };
  MwPurgeState s = { 0 };

  g_return_val_if_fail (db != NULL && out != NULL, FALSE);

  mine = mw_db_exec (db, "SELECT m.status, COUNT(*), COALESCE(SUM(p.messagesize), 0) FROM {messages} m "
                         "JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                         "JOIN {physmessage} p ON p.id = m.physmessage_id "
                         "WHERE mb.owner_idnr = $1 AND m.status IN (2, 3) GROUP BY m.status",
                     params, 1, cancellable, error);
  if (mine == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (mine); i++)
    if (mw_db_result_get_int64 (mine, i, 0) == 2)
      {
        s.deleted_count = mw_db_result_get_int64 (mine, i, 1);
        s.deleted_bytes = mw_db_result_get_int64 (mine, i, 2);
      }
    else
      {
        s.purge_count = mw_db_result_get_int64 (mine, i, 1);
        s.purge_bytes = mw_db_result_get_int64 (mine, i, 2);
      }

  /* Across the whole database: dbmail-util works on every user at once. */
  any3 = mw_db_exec (db, "SELECT 1 FROM {messages} WHERE status = 3 LIMIT 1", NULL, 0, cancellable, error);
  if (any3 == NULL)
    return FALSE;
  s.maintenance_seen = TRUE;
  if (mw_db_result_get_n_rows (any3) == 0)
    {
      old2 = mw_db_exec (db, "SELECT 1 FROM {messages} m JOIN {physmessage} p ON p.id = m.physmessage_id "
                             "WHERE m.status = 2 AND p.internal_date < $1 LIMIT 1",
                         cutoff_param, 1, cancellable, error);
      if (old2 == NULL)
        return FALSE;
      s.maintenance_seen = mw_db_result_get_n_rows (old2) == 0;
    }
  *out = s;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Counts                                                                   */
/* ------------------------------------------------------------------------ */

/* -1 when the database could not say; the summary shows it as it is. */
static gint64
count_or_minus_one (MwDb         *db,
                    const char   *sql,
                    GCancellable *cancellable)
{
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, cancellable, NULL);

  return r != NULL && mw_db_result_get_n_rows (r) > 0 ? mw_db_result_get_int64 (r, 0, 0) : -1;
}

gboolean
mw_dbmail_count_mail (MwDb          *db,
                      MwMailCounts  *out,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  out->mailboxes = count_or_minus_one (db, "SELECT count(*) FROM {mailboxes}", cancellable);
  out->messages = count_or_minus_one (db, "SELECT count(*) FROM {messages} WHERE status < 2", cancellable);
  out->deleted = count_or_minus_one (db, "SELECT count(*) FROM {messages} WHERE status IN (2, 3)", cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
