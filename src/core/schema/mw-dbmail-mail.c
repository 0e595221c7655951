/* mw-dbmail-mail.c: the DBMail flavour, mail: mailboxes, message lists, delete and undelete.
 *
 * Every statement that reads or changes messages for these operations is in
 * this file. Header values come from DBMail's header cache (dbmail_header,
 * dbmail_headername, dbmail_headervalue): headervalue holds the decoded
 * field (RFC 2047 words decoded, addresses as "Name <a@b>"), sortfield its
 * normalised form (From: the first local part, Subject: the base subject in
 * lower case). Lists show and search headervalue and sort on sortfield.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-audit.h"
#include "mw-dbmail-mail.h"
#include "mw-dbmail-private.h"
#include "mw-imap-utf7.h"
#include "mw-sql-dialect.h"

/* Ids written into SQL text per statement: a bound list of 10,000 ids would
 * come near both servers' parameter limits. */
#define IDS_PER_STATEMENT 1000

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* ------------------------------------------------------------------------ */
/* Mailboxes                                                                */
/* ------------------------------------------------------------------------ */

/* The user's row, refusing DBMail's own accounts. Returns the userid. */
static char *
check_user (MwDb          *db,
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
      g_autofree char *number = int_text (user_idnr);

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

  if ((userid = check_user (db, user_idnr, cancellable, error)) == NULL)
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
/* Delete and undelete                                                      */
/* ------------------------------------------------------------------------ */

static void
append_id_list (GString      *sql,
                const gint64 *ids,
                guint         n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", ids[i]);
}

/* Locks and checks the chosen messages: each must exist with status 0..3 in
 * a mailbox of the user's own. Appends those to change to changing, adds
 * their sizes and notes their mailboxes. */
static gboolean
select_messages (const MwAdmin  *admin,
                 gint64          user_idnr,
                 const gint64   *ids,
                 guint           n,
                 gboolean        deleted,
                 GArray         *changing,
                 GHashTable     *mailboxes,
                 MwMessageChange *change,
                 GError        **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint first = 0; first < n; first += IDS_PER_STATEMENT)
    {
      guint count = MIN (IDS_PER_STATEMENT, n - first);
      g_autoptr(GString) sql = g_string_new ("SELECT m.message_idnr, m.status, m.mailbox_idnr, mb.owner_idnr, "
                                             "u.userid, p.messagesize FROM {messages} m "
                                             "JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                                             "JOIN {users} u ON u.user_idnr = mb.owner_idnr "
                                             "JOIN {physmessage} p ON p.id = m.physmessage_id "
                                             "WHERE m.message_idnr IN (");
      g_autoptr(MwDbResult) r = NULL;
      g_autoptr(GHashTable) found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

      append_id_list (sql, ids + first, count);
      g_string_append (sql, ") FOR UPDATE");
      if ((r = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;

      for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
        {
          gint64 *id = g_new (gint64, 1);

          *id = mw_db_result_get_int64 (r, i, 0);
          g_hash_table_add (found, id);
        }
      for (guint i = first; i < first + count; i++)
        if (!g_hash_table_contains (found, &ids[i]))
          {
            g_autofree char *number = int_text (ids[i]);

            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                         _("There is no message number %s. Nothing was changed."), number);
            return FALSE;
          }

      for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
        {
          gint64 id = mw_db_result_get_int64 (r, i, 0);
          gint64 status = mw_db_result_get_int64 (r, i, 1);
          gint64 mailbox = mw_db_result_get_int64 (r, i, 2);
          gint64 owner = mw_db_result_get_int64 (r, i, 3);
          const char *owner_name = mw_db_result_get_string (r, i, 4);
          g_autofree char *number = int_text (id);
          gboolean change_it;

          if (owner != user_idnr)
            {
              if (g_strcmp0 (owner_name, MW_DBMAIL_PUBLIC_USER) == 0)
                g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                             _("Message %s is in a #Public folder. Mailwarden changes only messages in a "
                               "user's own mailboxes. Nothing was changed."), number);
              else
                g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                             _("Message %s belongs to another user (%s), not to this one. Mailwarden changes "
                               "only messages in a user's own mailboxes. Nothing was changed."),
                             number, owner_name);
              return FALSE;
            }
          if (status < 0 || status > 3)
            {
              g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                           _("Message %s is still being delivered or is damaged (status %d); the server owns it. "
                             "Nothing was changed."), number, (int) status);
              return FALSE;
            }
          /* A message chosen twice counts once. */
          {
            gint64 *key = g_new (gint64, 1);

            *key = id;
            if (g_hash_table_contains (seen, key))
              {
                g_free (key);
                continue;
              }
            g_hash_table_add (seen, key);
          }

          /* Status 1 (fetched by POP3) is a visible message, never a deleted one. */
          change_it = deleted ? status < 2 : status >= 2;
          if (!change_it)
            {
              change->unchanged++;
              continue;
            }
          g_array_append_val (changing, id);
          change->bytes += mw_db_result_get_int64 (r, i, 5);
          if (!g_hash_table_contains (mailboxes, &mailbox))
            {
              gint64 *key = g_new (gint64, 1);

              *key = mailbox;
              g_hash_table_add (mailboxes, key);
            }
        }
    }
  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The new unique_id (POP3 UIDL) of an undeleted message: 32 lowercase hex
 * characters, as DBMail's create_unique_id makes them (an MD5 of the
 * number and random()). Here the MD5 of a random salt and the old number,
 * which both servers compute in SQL (md5, CONCAT) and this file in C, so a
 * statement can give thousands of rows their own without a list of them. */
#define UNIQUE_ID_SQL(salt, column) "md5(CONCAT('" salt ":', " column "))"

static char *
unique_id_for (const char *salt,
               gint64      old_id)
{
  g_autofree char *text = g_strdup_printf ("%s:%" G_GINT64_FORMAT, salt, old_id);

  return g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
}

/* Undelete, for one statement's worth of ids (status 2 or 3, locked): each
 * message gets a new number from the table's own id sequence, its keywords
 * go with it, and nothing is left under the old number. See
 * mw_dbmail_set_messages_deleted for why. Either way the new numbers come
 * in the old ones' order (PostgreSQL's update runs through the primary key
 * in order, MariaDB's insert is ordered), though the mapping does not rely
 * on it. */
static gboolean
renumber_undeleted (const MwAdmin    *admin,
                    const gint64     *ids,
                    guint             n,
                    GArray           *renumbered,
                    MwMessageChange  *change,
                    GError          **error)
{
  gboolean pg = mw_db_get_driver (admin->db) == MW_DB_DRIVER_PGSQL;
  g_autofree char *salt = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (), g_random_int (),
                                           g_random_int ());
  g_autofree char *unique_id = g_strdup_printf (UNIQUE_ID_SQL ("%s", "%s"), salt, "m.message_idnr");
  g_autoptr(GPtrArray) uids = g_ptr_array_new_full (n, g_free);
  g_autoptr(GHashTable) new_by_uid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) id_list = g_string_new (NULL);
  g_autoptr(MwDbResult) inserted = NULL;
  g_autoptr(MwDbResult) created = NULL;

  append_id_list (id_list, ids, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (uids, unique_id_for (salt, ids[i]));

  if (pg)
    {
      /* PostgreSQL: the row takes its new number from the column's default
       * (nextval of DBMail's sequence, whatever its name) and its keywords
       * follow through DBMail's ON UPDATE CASCADE. Under MVCC that writes a
       * new row version and leaves the old one dead, as an INSERT and a
       * DELETE would, at about half their cost (no foreign-key checks on
       * the unchanged mailbox and physmessage, no separate keyword move). */
      g_string_printf (sql, "UPDATE {messages} m SET message_idnr = DEFAULT, status = 0, deleted_flag = 0, "
                            "unique_id = %s, "
                            "seq = (SELECT mb.seq FROM {mailboxes} mb WHERE mb.mailbox_idnr = m.mailbox_idnr) "
                            "WHERE m.status IN (2, 3) AND m.message_idnr IN (%s) RETURNING m.message_idnr, m.unique_id",
                       unique_id, id_list->str);
      if ((created = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;
      if (mw_db_result_get_n_rows (created) != n)
        goto changed_elsewhere;
    }
  else
    {
      /* MariaDB hands out AUTO_INCREMENT numbers only to inserted rows: a
       * copy of each row, in the old order, so the messages keep their
       * order among themselves. */
      g_string_printf (sql, "INSERT INTO {messages} (mailbox_idnr, physmessage_id, seen_flag, answered_flag, "
                            "deleted_flag, flagged_flag, recent_flag, draft_flag, unique_id, status, seq) "
                            "SELECT m.mailbox_idnr, m.physmessage_id, m.seen_flag, m.answered_flag, 0, m.flagged_flag, "
                            "m.recent_flag, m.draft_flag, %s, 0, mb.seq "
                            "FROM {messages} m JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                            "WHERE m.status IN (2, 3) AND m.message_idnr IN (%s) ORDER BY m.message_idnr",
                       unique_id, id_list->str);
      if ((inserted = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;
      if (mw_db_result_get_affected (inserted) != n)
        goto changed_elsewhere;
      /* No RETURNING for INSERT (MySQL has none either): the new rows are
       * read back by their unique_id, in this transaction, where nobody
       * else's uncommitted rows are seen; so the mapping holds whatever
       * numbers the server gave (innodb_autoinc_lock_mode 2 interleaves
       * concurrent inserts). The insert id, the statement's first new
       * number, only narrows the search. */
      g_string_printf (sql, "SELECT message_idnr, unique_id FROM {messages} WHERE message_idnr >= %" G_GINT64_FORMAT
                            " AND unique_id IN (", mw_db_result_get_insert_id (inserted));
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s'%s'", i > 0 ? ", " : "", (char *) g_ptr_array_index (uids, i));
      g_string_append_c (sql, ')');
      if ((created = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;
    }
  for (guint i = 0; i < mw_db_result_get_n_rows (created); i++)
    {
      gint64 *new_id = g_new (gint64, 1);

      *new_id = mw_db_result_get_int64 (created, i, 0);
      g_hash_table_insert (new_by_uid, g_strdup (mw_db_result_get_string (created, i, 1)), new_id);
    }
  for (guint i = 0; i < n; i++)
    {
      const gint64 *new_id = g_hash_table_lookup (new_by_uid, g_ptr_array_index (uids, i));
      MwMessageRenumber pair;

      if (new_id == NULL)
        goto changed_elsewhere;
      pair.old_number = ids[i];
      pair.new_number = *new_id;
      g_array_append_val (renumbered, pair);
    }

  if (pg)
    goto done;

  /* The keywords go over to the new number, found by the unique_id made
   * from the old one; the old row's deletion below would take them with it
   * otherwise (ON DELETE CASCADE). */
  g_clear_pointer (&unique_id, g_free);
  unique_id = g_strdup_printf (UNIQUE_ID_SQL ("%s", "%s"), salt, "{keywords}.message_idnr");
  g_string_printf (sql, "UPDATE {keywords} SET message_idnr = (SELECT n.message_idnr FROM {messages} n "
                        "WHERE n.unique_id = %s) WHERE message_idnr IN (%s)", unique_id, id_list->str);
  if (!_mw_admin_run_ok (admin, sql->str, NULL, 0, error))
    return FALSE;

  g_string_printf (sql, "DELETE FROM {messages} WHERE status IN (2, 3) AND message_idnr IN (%s)", id_list->str);
  {
    g_autoptr(MwDbResult) r = _mw_admin_run (admin, sql->str, NULL, 0, error);

    if (r == NULL)
      return FALSE;
    if (mw_db_result_get_affected (r) != n)
      goto changed_elsewhere;
  }

done:
  change->messages += n;
  return TRUE;

changed_elsewhere:
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
               _("The messages were changed elsewhere (by a mail client, for example) while Mailwarden "
                 "was changing them. Nothing was changed; try again."));
  return FALSE;
}

static gboolean
apply_change (const MwAdmin    *admin,
              gint64            user_idnr,
              GArray           *changing,
              GHashTable       *mailboxes,
              gboolean          deleted,
              GArray           *renumbered,
              MwMessageChange  *change,
              GError          **error)
{
  const gint64 *ids;

  /* New numbers follow the old ones' order. */
  if (!deleted)
    g_array_sort (changing, compare_int64);
  ids = (const gint64 *) (gpointer) changing->data;

  if (changing->len > 0)
    {
      g_autoptr(GString) sql = g_string_new ("UPDATE {mailboxes} SET seq = seq + 1 WHERE mailbox_idnr IN (");
      GHashTableIter iter;
      gpointer key;
      guint i = 0;

      g_hash_table_iter_init (&iter, mailboxes);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i++ > 0 ? ", " : "", *(gint64 *) key);
      g_string_append_c (sql, ')');
      if (!_mw_admin_run_ok (admin, sql->str, NULL, 0, error))
        return FALSE;
      change->mailboxes = i;
    }

  for (guint first = 0; first < changing->len; first += IDS_PER_STATEMENT)
    {
      guint count = MIN (IDS_PER_STATEMENT, changing->len - first);
      g_autoptr(GString) sql = g_string_new (NULL);

      if (!deleted)
        {
          if (!renumber_undeleted (admin, ids + first, count, renumbered, change, error))
            return FALSE;
          continue;
        }
      /* The status test again: the rows are locked, so it only guards
       * against a mistake here, never against the server. */
      g_string_printf (sql, "UPDATE {messages} SET status = 2, deleted_flag = 1, "
                       "seq = (SELECT mb.seq FROM {mailboxes} mb WHERE mb.mailbox_idnr = {messages}.mailbox_idnr) "
                       "WHERE status IN (0, 1) AND message_idnr IN (");
      append_id_list (sql, ids + first, count);
      g_string_append_c (sql, ')');
      {
        g_autoptr(MwDbResult) r = _mw_admin_run (admin, sql->str, NULL, 0, error);

        if (r == NULL)
          return FALSE;
        change->messages += mw_db_result_get_affected (r);
      }
    }

  if (change->messages != changing->len)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
                   _("The messages were changed elsewhere (by a mail client, for example) while Mailwarden "
                     "was changing them. Nothing was changed; try again."));
      return FALSE;
    }

  if (change->bytes > 0)
    {
      MwDbValue params[] = { MW_DB_INT64 (change->bytes), MW_DB_INT64 (user_idnr) };

      if (!_mw_admin_run_ok (admin, deleted ? "UPDATE {users} SET curmail_size = CASE WHEN curmail_size > $1 "
                                    "THEN curmail_size - $1 ELSE 0 END WHERE user_idnr = $2"
                                  : "UPDATE {users} SET curmail_size = curmail_size + $1 WHERE user_idnr = $2",
                   params, 2, error))
        return FALSE;
    }

  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
    g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT curmail_size FROM {users} WHERE user_idnr = $1", params, 1, error);

    if (r == NULL)
      return FALSE;
    change->used = mw_db_result_get_n_rows (r) > 0 ? mw_db_result_get_int64 (r, 0, 0) : 0;
  }
  return TRUE;
}

static char *
describe_ids (const gint64 *ids,
              guint         n)
{
  GString *out = g_string_new (NULL);

  /* The log names up to 100 messages; beyond that the count says it. */
  for (guint i = 0; i < MIN (n, 100); i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "", ids[i]);
  if (n > 100)
    g_string_append_printf (out, " …");
  return g_string_free (out, FALSE);
}

static void
audit_change (const MwAdmin         *admin,
              gboolean               deleted,
              const char            *userid,
              GArray                *changing,
              GArray                *renumbered,
              const char            *mailbox,
              const MwMessageChange *change)
{
  g_autofree char *ids = describe_ids ((const gint64 *) (gpointer) changing->data, changing->len);
  g_autofree char *messages = int_text (change->messages);
  g_autofree char *bytes = int_text (change->bytes);
  g_autofree char *curmail = int_text (change->used);
  g_autofree gint64 *new_numbers = g_new (gint64, MAX (renumbered->len, 1));
  g_autofree char *new_ids = NULL;
  MwAuditField after[6];
  guint n = 0;

  /* In the order of message_ids, so the log pairs the two lists. */
  for (guint i = 0; i < renumbered->len; i++)
    new_numbers[i] = g_array_index (renumbered, MwMessageRenumber, i).new_number;
  new_ids = describe_ids (new_numbers, renumbered->len);
  after[n++] = (MwAuditField) { "messages", messages };
  after[n++] = (MwAuditField) { "bytes", bytes };
  after[n++] = (MwAuditField) { "curmail_size", curmail };
  after[n++] = (MwAuditField) { "message_ids", ids };
  if (!deleted)
    after[n++] = (MwAuditField) { "new_message_ids", new_ids };
  if (mailbox != NULL)
    after[n++] = (MwAuditField) { "mailbox", mailbox };
  _mw_admin_audit (admin, deleted ? "message.delete" : "message.undelete", userid, NULL, 0, after, n);
}

gboolean
mw_dbmail_set_messages_deleted (const MwAdmin    *admin,
                                gint64            user_idnr,
                                const gint64     *message_ids,
                                guint             n_ids,
                                gboolean          deleted,
                                MwMessageChange  *out,
                                GError          **error)
{
  g_autoptr(GArray) changing = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (MwMessageRenumber));
  g_autoptr(GHashTable) mailboxes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *userid = NULL;
  MwMessageChange change = { 0 };
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);
  g_return_val_if_fail (message_ids != NULL || n_ids == 0, FALSE);

  if (n_ids == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("Choose at least one message."));
      return FALSE;
    }
  if ((userid = check_user (admin->db, user_idnr, NULL, error)) == NULL)
    return FALSE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = select_messages (admin, user_idnr, message_ids, n_ids, deleted, changing, mailboxes, &change, error) &&
       apply_change (admin, user_idnr, changing, mailboxes, deleted, pairs, &change, error);
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  if (change.messages > 0)
    audit_change (admin, deleted, userid, changing, pairs, NULL, &change);
  if (!deleted)
    change.renumbered = g_steal_pointer (&pairs);
  if (out != NULL)
    *out = change;
  else
    mw_message_change_clear (&change);
  return TRUE;
}

gboolean
mw_dbmail_undelete_mailbox (const MwAdmin    *admin,
                            gint64            mailbox_idnr,
                            MwMessageChange  *out,
                            GError          **error)
{
  g_autoptr(GArray) changing = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (MwMessageRenumber));
  g_autoptr(GHashTable) mailboxes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(MwDbResult) box = NULL;
  g_autoptr(MwDbResult) ids = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *name = NULL;
  MwMessageChange change = { 0 };
  MwDbValue params[] = { MW_DB_INT64 (mailbox_idnr) };
  gint64 owner;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  /* The mailbox row is locked first: a delivery or an expunge into it waits. */
  box = _mw_admin_run (admin, "SELECT mb.owner_idnr, u.userid, mb.name FROM {mailboxes} mb "
                    "JOIN {users} u ON u.user_idnr = mb.owner_idnr WHERE mb.mailbox_idnr = $1 FOR UPDATE",
             params, 1, error);
  if (box == NULL)
    return _mw_admin_finish (admin, FALSE, error);
  if (mw_db_result_get_n_rows (box) == 0)
    {
      g_autofree char *number = int_text (mailbox_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no mailbox number %s."), number);
      return _mw_admin_finish (admin, FALSE, error);
    }
  owner = mw_db_result_get_int64 (box, 0, 0);
  userid = g_strdup (mw_db_result_get_string (box, 0, 1));
  name = mw_imap_utf7_decode (mw_db_result_get_string (box, 0, 2));
  if (mw_dbmail_is_system_user (userid))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   g_strcmp0 (userid, MW_DBMAIL_PUBLIC_USER) == 0
                   ? _("“%s” is a #Public folder. Mailwarden changes only messages in a user's own mailboxes.")
                   : _("“%s” belongs to one of DBMail's own accounts. Mailwarden changes only messages in a "
                       "user's own mailboxes."), name);
      return _mw_admin_finish (admin, FALSE, error);
    }

  ids = _mw_admin_run (admin, "SELECT message_idnr FROM {messages} WHERE mailbox_idnr = $1 AND status IN (2, 3) "
                    "ORDER BY message_idnr", params, 1, error);
  ok = ids != NULL;
  if (ok && mw_db_result_get_n_rows (ids) > 0)
    {
      guint n = mw_db_result_get_n_rows (ids);
      g_autofree gint64 *list = g_new (gint64, n);

      for (guint i = 0; i < n; i++)
        list[i] = mw_db_result_get_int64 (ids, i, 0);
      ok = select_messages (admin, owner, list, n, FALSE, changing, mailboxes, &change, error) &&
           apply_change (admin, owner, changing, mailboxes, FALSE, pairs, &change, error);
    }
  else if (ok)
    {
      MwDbValue p[] = { MW_DB_INT64 (owner) };
      g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT curmail_size FROM {users} WHERE user_idnr = $1", p, 1, error);

      ok = r != NULL;
      if (ok && mw_db_result_get_n_rows (r) > 0)
        change.used = mw_db_result_get_int64 (r, 0, 0);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  if (change.messages > 0)
    audit_change (admin, FALSE, userid, changing, pairs, name, &change);
  change.renumbered = g_steal_pointer (&pairs);
  if (out != NULL)
    *out = change;
  else
    mw_message_change_clear (&change);
  return TRUE;
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
