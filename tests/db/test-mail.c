/* test-mail.c: mailboxes, message lists, delete and undelete on real servers, and their CLI commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "mw-dbmail-mail.h"
#include "mw-dbmail-private.h"
#include "mw-dbmail-store.h"
#include "mw-message.h"
#include "mw-test-db.h"
#include "mw-test-json.h"

typedef struct
{
  MwTestDb *tdb;
  MwAdmin   admin;
  gint64    alice, bob, public_user, anyone;
  gint64    a_inbox, a_ete, a_archive, b_inbox, b_shared, b_private, p_news;
  /* alice: INBOX */
  gint64    a_new, a_pop, a_deleted, a_purge, a_inserting;
  /* alice: Été */
  gint64    e_new, e_deleted;
  /* bob */
  gint64    b_new, b_deleted, s_new, s_deleted, priv_new;
  /* #Public/News */
  gint64    p_new, p_deleted;
  GPtrArray *keys;   /* what K() made */
} Fixture;

/* The key of an account or mailbox number, as the mail store's requests
 * name them; kept until the test ends. */
static const char *
K (Fixture *f,
   gint64   number)
{
  char *key = _mw_dbmail_key (number);

  g_ptr_array_add (f->keys, key);
  return key;
}

static const char *audit_path;  /* mw_test_private_audit_log () */

static gint64
add_mailbox (Fixture    *f,
             gint64      owner,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT
                                          ", '%s')", owner, name);
  g_autofree char *q = NULL;

  mw_test_db_exec (f->tdb, sql);
  q = g_strdup_printf ("SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT
                       " AND name = '%s'", owner, name);
  return mw_test_db_int (f->tdb, q);
}

static gint64
deliver (Fixture    *f,
         gint64      mailbox,
         int         status,
         const char *from,
         const char *subject,
         const char *date,
         const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: Alice <alice@example.org>\nSubject: %s\n"
                                           "Date: %s\nMessage-ID: <%s@test>\n\n%s\n",
                                           from, subject, date, uuid, body);
  g_autoptr(GBytes) raw = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2024-01-01T00:00:00Z", NULL);
  gint64 id;

  /* The arrival time follows the subject's first letter, so sorting by date is predictable. */
  {
    g_autoptr(GDateTime) t = g_date_time_add_minutes (when, (gint) (strlen (subject) * 7 + (guchar) subject[0]));

    id = mw_message_store_deliver (f->tdb->db, mailbox, raw, status, t, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *sql = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, TRUE);
  f->keys = g_ptr_array_new_with_free_func (g_free);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  f->alice = mw_test_db_add_user (f->tdb, "alice", 1, 0);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 1, 0);
  f->public_user = mw_test_db_int (f->tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = '__public__'");
  f->anyone = mw_test_db_int (f->tdb, "SELECT user_idnr FROM dbmail_users WHERE userid = 'anyone'");

  f->a_inbox = add_mailbox (f, f->alice, "INBOX");
  f->a_ete = add_mailbox (f, f->alice, "&AMk-t&AOk-");
  f->a_archive = add_mailbox (f, f->alice, "Archive/2024");
  f->b_inbox = add_mailbox (f, f->bob, "INBOX");
  f->b_shared = add_mailbox (f, f->bob, "Team");
  f->b_private = add_mailbox (f, f->bob, "Private");
  f->p_news = add_mailbox (f, f->public_user, "News");

  /* bob shares Team with alice; #Public/News is visible to anyone. */
  sql = g_strdup_printf ("INSERT INTO dbmail_acl (user_id, mailbox_id, lookup_flag, read_flag) VALUES "
                         "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1, 1), "
                         "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1, 1), "
                         "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 0, 1)",
                         f->alice, f->b_shared, f->anyone, f->p_news, f->alice, f->b_private);
  mw_test_db_exec (f->tdb, sql);

  f->a_new = deliver (f, f->a_inbox, 0, "Carol <carol@example.com>", "Hello there", "Mon, 1 Jan 2024 10:00:00 +0000", "hi");
  f->a_pop = deliver (f, f->a_inbox, 1, "Dave <dave@example.net>", "Fetched by POP", "Mon, 1 Jan 2024 11:00:00 +0000",
                      "a much longer body, so that this one is the biggest message of the inbox by far");
  f->a_deleted = deliver (f, f->a_inbox, 2, "=?UTF-8?Q?Zo=C3=AB?= <zoe@example.org>",
                          "=?UTF-8?Q?R=C3=A9union_importante?=", "Tue, 2 Jan 2024 09:00:00 +0000", "agenda");
  f->a_purge = deliver (f, f->a_inbox, 3, "Eve <eve@example.com>", "Old newsletter 100%_off", "Wed, 3 Jan 2024 09:00:00 +0000", "x");
  f->a_inserting = deliver (f, f->a_inbox, 0, "Mallory <m@example.com>", "Half delivered", "Wed, 3 Jan 2024 09:00:00 +0000", "x");
  /* A delivery still writing (status 5): never listed, never changed. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE dbmail_messages SET status = 5 WHERE message_idnr = %" G_GINT64_FORMAT, f->a_inserting);
  mw_test_db_exec (f->tdb, sql);
  f->e_new = deliver (f, f->a_ete, 0, "Frank <frank@example.com>", "Vacances d'été", "Thu, 4 Jan 2024 09:00:00 +0000", "soleil");
  f->e_deleted = deliver (f, f->a_ete, 2, "Grace <grace@example.com>", "Annulé", "Fri, 5 Jan 2024 09:00:00 +0000", "non");

  f->b_new = deliver (f, f->b_inbox, 0, "Carol <carol@example.com>", "Hello bob", "Mon, 1 Jan 2024 10:00:00 +0000", "hi");
  f->b_deleted = deliver (f, f->b_inbox, 2, "Carol <carol@example.com>", "Bob deleted this", "Mon, 1 Jan 2024 10:00:00 +0000", "x");
  f->s_new = deliver (f, f->b_shared, 0, "Heidi <heidi@example.com>", "Team plan", "Mon, 1 Jan 2024 10:00:00 +0000", "x");
  f->s_deleted = deliver (f, f->b_shared, 2, "Heidi <heidi@example.com>", "Team old plan", "Mon, 1 Jan 2024 10:00:00 +0000", "x");
  f->priv_new = deliver (f, f->b_private, 0, "Ivan <ivan@example.com>", "Private", "Mon, 1 Jan 2024 10:00:00 +0000", "x");
  f->p_new = deliver (f, f->p_news, 0, "News <news@example.com>", "Public news", "Mon, 1 Jan 2024 10:00:00 +0000", "x");
  f->p_deleted = deliver (f, f->p_news, 2, "News <news@example.com>", "Old public news", "Mon, 1 Jan 2024 10:00:00 +0000", "x");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  mw_test_db_free (f->tdb);
  g_ptr_array_unref (f->keys);
}

static gint64
sql_int (Fixture    *f,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (Fixture    *f,
         const char *format,
         ...)
{
  va_list ap;
  g_autofree char *sql = NULL;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  return mw_test_db_int (f->tdb, sql);
}

static gint64
size_of (Fixture *f,
         gint64   message)
{
  return sql_int (f, "SELECT p.messagesize FROM dbmail_messages m JOIN dbmail_physmessage p ON p.id = m.physmessage_id "
                     "WHERE m.message_idnr = %" G_GINT64_FORMAT, message);
}

static gint64
curmail (Fixture *f,
         gint64   user)
{
  return sql_int (f, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, user);
}

/* Everything a change may touch, except the given messages' rows (and
 * keywords) and mailboxes' seq and the user's curmail_size. */
static char *
snapshot (Fixture      *f,
          const gint64 *skip_messages,
          guint         n_skip,
          gint64        skip_mailbox_seq_of,
          gint64        skip_curmail_of)
{
  g_autoptr(GString) skip = g_string_new ("0");
  g_autofree char *q1 = NULL;
  g_autofree char *q2 = NULL;
  g_autofree char *q3 = NULL;
  g_autofree char *q4 = NULL;
  const char *queries[6];
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_skip; i++)
    g_string_append_printf (skip, ", %" G_GINT64_FORMAT, skip_messages[i]);
  q1 = g_strdup_printf ("SELECT message_idnr, mailbox_idnr, physmessage_id, status, seen_flag, answered_flag, "
                        "deleted_flag, flagged_flag, recent_flag, draft_flag, unique_id, seq FROM dbmail_messages "
                        "WHERE message_idnr NOT IN (%s) ORDER BY message_idnr", skip->str);
  q2 = g_strdup_printf ("SELECT mailbox_idnr, owner_idnr, name, CASE WHEN mailbox_idnr = %" G_GINT64_FORMAT
                        " THEN -1 ELSE seq END FROM dbmail_mailboxes ORDER BY mailbox_idnr", skip_mailbox_seq_of);
  q3 = g_strdup_printf ("SELECT user_idnr, userid, CASE WHEN user_idnr = %" G_GINT64_FORMAT
                        " THEN -1 ELSE curmail_size END, maxmail_size FROM dbmail_users ORDER BY user_idnr",
                        skip_curmail_of);
  queries[0] = q1;
  queries[1] = q2;
  queries[2] = q3;
  queries[3] = "SELECT id, messagesize, rfcsize, internal_date FROM dbmail_physmessage ORDER BY id";
  queries[4] = "SELECT physmessage_id, headername_id, headervalue_id FROM dbmail_header "
               "ORDER BY physmessage_id, headername_id, headervalue_id";
  q4 = g_strdup_printf ("SELECT message_idnr, keyword FROM dbmail_keywords WHERE message_idnr NOT IN (%s) "
                        "ORDER BY message_idnr, keyword", skip->str);
  queries[5] = q4;

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      mw_test_db_append_rows (f->tdb->db, queries[q], out);
      g_string_append (out, "--\n");
    }
  return g_string_free (out, FALSE);
}

static char *
snapshot_all (Fixture *f)
{
  return snapshot (f, NULL, 0, 0, 0);
}

static char *
audit_text (void)
{
  char *text = NULL;

  if (!g_file_get_contents (audit_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* ------------------------------------------------------------------------ */

static MwMailbox *
find_box (GPtrArray  *list,
          const char *display_name)
{
  for (guint i = 0; i < list->len; i++)
    {
      MwMailbox *m = g_ptr_array_index (list, i);

      if (g_str_equal (m->display_name, display_name))
        return m;
    }
  g_error ("no mailbox %s", display_name);
  return NULL;
}

static void
test_mailboxes (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = mw_dbmail_list_mailboxes (f->tdb->db, f->alice, NULL, &error);
  MwMailbox *m;

  g_assert_no_error (error);
  /* Own three, #Public/News (anyone), bob's Team (alice, lookup); not Private (no lookup right). */
  g_assert_cmpuint (list->len, ==, 5);
  m = g_ptr_array_index (list, 0);
  g_assert_cmpstr (m->display_name, ==, "INBOX");
  g_assert_cmpint (m->section, ==, MW_MAILBOX_OWN);
  g_assert_cmpint (m->visible_count, ==, 2);     /* status 0 and 1; not the status 5 one */
  g_assert_cmpint (m->visible_bytes, ==, size_of (f, f->a_new) + size_of (f, f->a_pop));
  g_assert_cmpint (m->deleted_count, ==, 1);
  g_assert_cmpint (m->deleted_bytes, ==, size_of (f, f->a_deleted));
  g_assert_cmpint (m->purge_count, ==, 1);
  g_assert_cmpint (m->purge_bytes, ==, size_of (f, f->a_purge));
  g_assert_cmpint (m->seq, ==, sql_int (f, "SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %" G_GINT64_FORMAT,
                                        f->a_inbox));

  m = find_box (list, "Été");
  g_assert_cmpstr (m->name, ==, "&AMk-t&AOk-");
  g_assert_cmpint (m->section, ==, MW_MAILBOX_OWN);
  g_assert_cmpint (m->visible_count, ==, 1);
  g_assert_cmpint (m->deleted_count, ==, 1);
  m = find_box (list, "Archive/2024");
  g_assert_cmpint (m->visible_count, ==, 0);
  g_assert_cmpint (m->visible_bytes, ==, 0);

  m = find_box (list, "#Public/News");
  g_assert_cmpint (m->section, ==, MW_MAILBOX_PUBLIC);
  g_assert_cmpstr (m->owner, ==, "__public__");
  g_assert_cmpint (m->visible_count, ==, 1);
  g_assert_cmpint (m->deleted_count, ==, 1);
  g_assert_true (list->pdata[3] == m);

  m = find_box (list, "#Users/bob/Team");
  g_assert_cmpint (m->section, ==, MW_MAILBOX_SHARED);
  g_assert_cmpstr (m->owner_key, ==, K (f, f->bob));
  g_assert_cmpstr (m->name, ==, "Team");
  g_assert_true (list->pdata[4] == m);

  /* bob sees his own three and #Public, nothing of alice. */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mw_dbmail_list_mailboxes (f->tdb->db, f->bob, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);

  /* A system account is not a user. */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mw_dbmail_list_mailboxes (f->tdb->db, f->public_user, NULL, &error);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_null (list);
  g_clear_error (&error);

  /* By decoded or stored name, INBOX in any case. */
  g_assert_cmpint (mw_dbmail_find_mailbox (f->tdb->db, f->alice, "Été", NULL, &error), ==, f->a_ete);
  g_assert_cmpint (mw_dbmail_find_mailbox (f->tdb->db, f->alice, "&AMk-t&AOk-", NULL, &error), ==, f->a_ete);
  g_assert_cmpint (mw_dbmail_find_mailbox (f->tdb->db, f->alice, "inbox", NULL, &error), ==, f->a_inbox);
  g_assert_no_error (error);
  g_assert_cmpint (mw_dbmail_find_mailbox (f->tdb->db, f->alice, "Team", NULL, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Others' folders by the names the user sees them under. */
  g_assert_cmpint (mw_dbmail_find_mailbox (f->tdb->db, f->alice, "#Users/bob/Team", NULL, &error), ==, f->b_shared);
  g_assert_cmpint (mw_dbmail_find_mailbox (f->tdb->db, f->alice, "#Public/News", NULL, &error), ==, f->p_news);
  g_assert_no_error (error);
  g_assert_cmpint (mw_dbmail_find_mailbox (f->tdb->db, f->alice, "#Users/bob/INBOX", NULL, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

/* The ids of a whole list, in list order. */
static GArray *
list_ids (Fixture                *f,
          const MwMessageRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) r = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 total, user_idnr, mailbox_idnr = 0;

  g_assert_true (_mw_dbmail_parse_key (req->account, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, &error));
  g_assert_true (req->mailbox == NULL ||
                 _mw_dbmail_parse_key (req->mailbox, MW_DBMAIL_KEY_MAILBOX, &mailbox_idnr, &error));
  query = mw_dbmail_messages_query (f->tdb->driver, user_idnr, mailbox_idnr, req, &error);
  g_assert_no_error (error);
  total = mw_list_query_count (query, f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  r = mw_list_query_fetch_offset (query, f->tdb->db, 0, 1000, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, mw_db_result_get_n_rows (r));
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      gint64 id = mw_db_result_get_int64 (r, i, 0);

      g_array_append_val (ids, id);
    }
  /* Keyset paging gives the same order as the offset page. */
  if (mw_db_result_get_n_rows (r) > 1)
    {
      int sort = mw_db_result_find_col (r, mw_list_query_get_sort_col (query));
      g_autoptr(MwDbResult) rest = NULL;
      MwDbValue sv = mw_db_result_is_null (r, 0, sort) ? MW_DB_NULL
                     : mw_db_result_get_type (r, 0, sort) == MW_DB_TYPE_INT64
                     ? MW_DB_INT64 (mw_db_result_get_int64 (r, 0, sort))
                     : mw_db_result_get_type (r, 0, sort) == MW_DB_TYPE_TIMESTAMP
                     ? MW_DB_TIMESTAMP (mw_db_result_get_string (r, 0, sort))
                     : MW_DB_TEXT (mw_db_result_get_string (r, 0, sort));
      MwDbValue kv = MW_DB_INT64 (mw_db_result_get_int64 (r, 0, 0));

      rest = mw_list_query_fetch_after (query, f->tdb->db, &sv, &kv, FALSE, FALSE, 1000, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (mw_db_result_get_n_rows (rest), ==, ids->len - 1);
      for (guint i = 0; i < mw_db_result_get_n_rows (rest); i++)
        g_assert_cmpint (mw_db_result_get_int64 (rest, i, 0), ==, g_array_index (ids, gint64, i + 1));
    }
  /* A snapshot list (sorted on the header cache): its keys are the same
   * order, and the rows read by key (every one, then the last ones) are the
   * offset page's rows, column by column. */
  if (mw_list_query_get_snapshot (query))
    {
      g_autoptr(GArray) keys = mw_list_query_fetch_keys (query, f->tdb->db, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (keys->len, ==, ids->len);
      for (guint i = 0; i < keys->len; i++)
        g_assert_cmpint (g_array_index (keys, gint64, i), ==, g_array_index (ids, gint64, i));
      for (guint from = 0; from < keys->len; from += MAX (1, keys->len - 1))
        {
          g_autoptr(MwDbResult) by_keys = mw_list_query_fetch_by_keys (query, f->tdb->db,
                                                                       &g_array_index (keys, gint64, from),
                                                                       keys->len - from, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (mw_db_result_get_n_rows (by_keys), ==, keys->len - from);
          g_assert_cmpuint (mw_db_result_get_n_cols (by_keys), ==, mw_db_result_get_n_cols (r));
          for (guint i = 0; i < mw_db_result_get_n_rows (by_keys); i++)
            for (guint c = 0; c < mw_db_result_get_n_cols (r); c++)
              g_assert_cmpstr (mw_db_result_get_string (by_keys, i, c), ==,
                               mw_db_result_get_string (r, from + i, c));
        }
    }
  return ids;
}

static gboolean
array_has (GArray *ids,
           gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

#define assert_ids(arr, ...) \
  G_STMT_START { \
    const gint64 expect_[] = { __VA_ARGS__ }; \
    g_assert_cmpuint ((arr)->len, ==, G_N_ELEMENTS (expect_)); \
    for (guint i_ = 0; i_ < G_N_ELEMENTS (expect_); i_++) \
      g_assert_cmpint (g_array_index ((arr), gint64, i_), ==, expect_[i_]); \
  } G_STMT_END

static void
test_message_list (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MwMessageRequest req = { .account = K (f, f->alice), .mailbox = K (f, f->a_inbox) };
  GArray *ids;

  /* Visible: status 0 and 1, by arrival. */
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 2);
  g_array_unref (ids);

  req.state = MW_MESSAGE_STATE_DELETED;
  req.sort = MW_MESSAGE_SORT_SUBJECT;
  ids = list_ids (f, &req);
  /* "old newsletter…" before "réunion importante" */
  assert_ids (ids, f->a_purge, f->a_deleted);
  g_array_unref (ids);

  req.state = MW_MESSAGE_STATE_ALL;
  ids = list_ids (f, &req);
  /* fetched, hello, old, réunion; never the status 5 one */
  assert_ids (ids, f->a_pop, f->a_new, f->a_purge, f->a_deleted);
  g_array_unref (ids);
  req.descending = TRUE;
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_deleted, f->a_purge, f->a_new, f->a_pop);
  g_array_unref (ids);
  req.descending = FALSE;

  req.sort = MW_MESSAGE_SORT_SENDER;   /* local parts: carol dave eve zoe */
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_new, f->a_pop, f->a_purge, f->a_deleted);
  g_array_unref (ids);

  /* A message whose header cache holds two subjects is listed once, under
   * the first of them in order, also when searched. */
  {
    g_autofree char *sql = NULL;

    mw_test_db_exec (f->tdb, "INSERT INTO dbmail_headervalue (hash, headervalue, sortfield) "
                             "VALUES ('mw-second-subject', 'Aaa second subject', 'aaa second subject')");
    sql = g_strdup_printf ("INSERT INTO dbmail_header (physmessage_id, headername_id, headervalue_id) "
                           "SELECT m.physmessage_id, n.id, v.id FROM dbmail_messages m, dbmail_headername n, "
                           "dbmail_headervalue v WHERE m.message_idnr = %" G_GINT64_FORMAT
                           " AND n.headername = 'subject' AND v.hash = 'mw-second-subject'", f->a_deleted);
    mw_test_db_exec (f->tdb, sql);
  }
  req.sort = MW_MESSAGE_SORT_SUBJECT;
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_deleted, f->a_pop, f->a_new, f->a_purge);
  g_array_unref (ids);
  req.descending = TRUE;
  req.text = "second subject";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_deleted);
  g_array_unref (ids);
  req.text = NULL;
  req.descending = FALSE;
  mw_test_db_exec (f->tdb, "DELETE FROM dbmail_header WHERE headervalue_id = "
                           "(SELECT id FROM dbmail_headervalue WHERE hash = 'mw-second-subject')");

  req.sort = MW_MESSAGE_SORT_SIZE;
  req.descending = TRUE;
  ids = list_ids (f, &req);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->a_pop);
  g_array_unref (ids);
  req.descending = FALSE;

  req.sort = MW_MESSAGE_SORT_DATE;
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 4);
  g_array_unref (ids);

  /* Search: the decoded subject, any case, non-ASCII */
  req.subject = "RÉUNION";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_deleted);
  g_array_unref (ids);
  req.subject = NULL;
  req.from = "zoë";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_deleted);
  g_array_unref (ids);
  req.from = "DAVE@example";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_pop);
  g_array_unref (ids);
  req.from = NULL;
  req.to = "alice@";
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 4);
  g_array_unref (ids);
  req.to = NULL;
  /* text: sender or subject */
  req.text = "carol";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_new);
  g_array_unref (ids);
  req.text = "fetched";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_pop);
  g_array_unref (ids);

  /* LIKE and SQL metacharacters are plain text. */
  req.text = "100%_off";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_purge);
  g_array_unref (ids);
  req.text = "%";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_purge);
  g_array_unref (ids);
  req.text = "_";
  ids = list_ids (f, &req);
  assert_ids (ids, f->a_purge);
  g_array_unref (ids);
  req.text = "x' OR '1'='1";
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 0);
  g_array_unref (ids);
  req.text = "\\";
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 0);
  g_array_unref (ids);
  req.text = NULL;

  /* All of alice's mailboxes: never bob's, the shared or the public ones. */
  req.mailbox = NULL;
  req.state = MW_MESSAGE_STATE_ALL;
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 6);
  g_array_unref (ids);
  req.text = "été";
  ids = list_ids (f, &req);
  assert_ids (ids, f->e_new);
  g_array_unref (ids);
  req.text = NULL;

  /* bob's mailbox through alice's number: nothing. */
  req.mailbox = K (f, f->b_inbox);
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 0);
  g_array_unref (ids);

  /* What IMAP lets alice read: bob's Team (shared to her) and #Public/News
   * (to anyone), deleted messages too; the search works there as well. */
  req.mailbox = K (f, f->b_shared);
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_true (array_has (ids, f->s_new) && array_has (ids, f->s_deleted));
  g_array_unref (ids);
  req.subject = "old";
  ids = list_ids (f, &req);
  assert_ids (ids, f->s_deleted);
  g_array_unref (ids);
  req.subject = NULL;
  req.mailbox = K (f, f->p_news);
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_true (array_has (ids, f->p_new) && array_has (ids, f->p_deleted));
  g_array_unref (ids);
  /* Team through bob, its owner, and through __public__, which has no right
   * on it: an owner reads his own, nobody else without the read right. */
  req.account = K (f, f->bob);
  req.mailbox = K (f, f->b_shared);
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 2);
  g_array_unref (ids);
  req.account = K (f, f->public_user);
  ids = list_ids (f, &req);
  g_assert_cmpuint (ids->len, ==, 0);
  g_array_unref (ids);
  req.account = K (f, f->alice);

  /* The columns */
  {
    g_autoptr(MwListQuery) query = NULL;
    g_autoptr(MwDbResult) r = NULL;
    g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_keywords (message_idnr, keyword) VALUES "
                                            "(%" G_GINT64_FORMAT ", '$Label1'), (%" G_GINT64_FORMAT ", 'Work')",
                                            f->a_deleted, f->a_deleted);
    MwMessageRequest one = { .state = MW_MESSAGE_STATE_DELETED, .subject = "réunion" };

    mw_test_db_exec (f->tdb, sql);
    query = mw_dbmail_messages_query (f->tdb->driver, f->alice, f->a_inbox, &one, &error);
    r = mw_list_query_fetch_offset (query, f->tdb->db, 0, 10, FALSE, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (mw_db_result_get_n_rows (r), ==, 1);
    g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "subject")), ==, "Réunion importante");
    g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "sender")), ==, "Zoë <zoe@example.org>");
    g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "recipient")), ==, "Alice <alice@example.org>");
    g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "keywords")), ==, "$Label1 Work");
    g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "mailbox")), ==, "INBOX");
    g_assert_cmpint (mw_db_result_get_int64 (r, 0, mw_db_result_find_col (r, "status")), ==, 2);
    g_assert_cmpint (mw_db_result_get_int64 (r, 0, mw_db_result_find_col (r, "deleted_flag")), ==, 1);
    /* The same in mail terms, for the message list's columns. */
    g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "state")), ==, "deleted");
    g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "flags")), ==, "deleted");
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, f->a_deleted,
                                              mw_db_result_get_int64 (r, 0, mw_db_result_find_col (r, "physmessage_id")));

      g_assert_cmpstr (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "message_key")), ==, key);
    }
    g_assert_cmpint (mw_db_result_get_int64 (r, 0, mw_db_result_find_col (r, "size")), ==, size_of (f, f->a_deleted));
    g_assert_cmpint (mw_db_result_get_int64 (r, 0, mw_db_result_find_col (r, "physmessage_id")), >, 0);
    g_assert_true (g_str_has_prefix (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "date")), "2024-01-01 "));
    g_assert_nonnull (mw_db_result_get_string (r, 0, mw_db_result_find_col (r, "unique_id")));
  }
}

static void
check_audit (const char *action,
             const char *needle)
{
  g_autofree char *log = audit_text ();

  g_assert_nonnull (strstr (log, action));
  if (needle != NULL)
    g_assert_nonnull (strstr (log, needle));
}

/* The columns an undelete carries over: mailbox, body and flags but \Deleted. */
static char *
row_of (Fixture *f,
        gint64   message)
{
  g_autofree char *sql = g_strdup_printf ("SELECT CONCAT(mailbox_idnr, '|', physmessage_id, '|', seen_flag, '|', "
                                          "answered_flag, '|', flagged_flag, '|', recent_flag, '|', draft_flag) "
                                          "FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, message);

  return mw_test_db_string (f->tdb, sql);
}

static char *
unique_id_of (Fixture *f,
              gint64   message)
{
  g_autofree char *sql = g_strdup_printf ("SELECT unique_id FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT,
                                          message);

  return mw_test_db_string (f->tdb, sql);
}

static char *
keywords_of (Fixture *f,
             gint64   message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT keyword FROM dbmail_keywords WHERE message_idnr = %" G_GINT64_FORMAT
                                          " ORDER BY keyword", message);
  g_autoptr(MwDbResult) r = mw_db_exec (f->tdb->db, sql, NULL, 0, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", mw_db_result_get_string (r, i, 0));
  return g_string_free (out, FALSE);
}

static void
add_keyword (Fixture    *f,
             gint64      message,
             const char *keyword)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_keywords (message_idnr, keyword) VALUES (%" G_GINT64_FORMAT
                                          ", '%s')", message, keyword);

  mw_test_db_exec (f->tdb, sql);
}

typedef struct
{
  gint64  id;
  gint64  max_in_mailbox;   /* the highest number in its mailbox, before */
  char   *row;
  char   *unique_id;
  char   *keywords;
} Before;

static void
before_read (Fixture *f,
             gint64   message,
             Before  *b)
{
  b->id = message;
  b->max_in_mailbox = sql_int (f, "SELECT MAX(message_idnr) FROM dbmail_messages WHERE mailbox_idnr = "
                                  "(SELECT mailbox_idnr FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT ")",
                               message);
  b->row = row_of (f, message);
  b->unique_id = unique_id_of (f, message);
  b->keywords = keywords_of (f, message);
}

static void
before_clear (Before *b)
{
  g_free (b->row);
  g_free (b->unique_id);
  g_free (b->keywords);
}

/* What an undelete leaves: the old number gone from every table, a new row
 * above every message of its mailbox with the same body, mailbox, flags
 * (less \Deleted) and keywords, status 0, the mailbox's new seq, and a new
 * POP3 UIDL of 32 lowercase hex characters, as DBMail makes them. */
static void
assert_renumbered (Fixture      *f,
                   const Before *b,
                   gint64        new_id,
                   gint64        seq)
{
  g_autofree char *row = row_of (f, new_id);
  g_autofree char *unique_id = unique_id_of (f, new_id);
  g_autofree char *keywords = keywords_of (f, new_id);

  g_assert_cmpint (new_id, >, b->max_in_mailbox);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, b->id), ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM dbmail_keywords WHERE message_idnr = %" G_GINT64_FORMAT, b->id), ==, 0);
  g_assert_cmpstr (row, ==, b->row);
  g_assert_cmpstr (keywords, ==, b->keywords);
  g_assert_cmpint (sql_int (f, "SELECT status FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, new_id), ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT deleted_flag FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, new_id), ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT seq FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, new_id), ==, seq);
  g_assert_cmpstr (unique_id, !=, b->unique_id);
  g_assert_cmpuint (strlen (unique_id), ==, 32);
  for (const char *p = unique_id; *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
}

static gint64
mailbox_seq (Fixture *f,
             gint64   mailbox)
{
  return sql_int (f, "SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %" G_GINT64_FORMAT, mailbox);
}

static void
test_undelete (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(MwMessageChange) change = { 0 };
  GArray *renumbered;
  gint64 cur = curmail (f, f->alice);
  gint64 seq = mailbox_seq (f, f->a_inbox);
  gint64 one[] = { f->a_deleted };
  gint64 two[] = { f->a_purge, f->a_new, f->a_pop };
  gint64 new_id, size;
  Before b = { 0 };

  /* One expunged message (status 2) with flags and keywords. */
  add_keyword (f, f->a_deleted, "$Label1");
  add_keyword (f, f->a_deleted, "Work");
  mw_test_db_exec (f->tdb, "UPDATE dbmail_messages SET seen_flag = 1, flagged_flag = 1, draft_flag = 1 WHERE status = 2");
  before_read (f, f->a_deleted, &b);
  size = size_of (f, f->a_deleted);
  g_assert_cmpstr (b.keywords, ==, "$Label1 Work");
  before = snapshot (f, one, 1, f->a_inbox, f->alice);
  g_assert_true (mw_dbmail_set_messages_deleted (&f->admin, f->alice, one, 1, FALSE, &change, &error));
  renumbered = change.renumbered;
  g_assert_no_error (error);
  g_assert_cmpint (change.messages, ==, 1);
  g_assert_cmpint (change.bytes, ==, size);
  g_assert_cmpint (change.unchanged, ==, 0);
  g_assert_cmpint (change.mailboxes, ==, 1);
  g_assert_cmpint (change.used, ==, cur + change.bytes);
  g_assert_cmpint (curmail (f, f->alice), ==, cur + change.bytes);
  g_assert_cmpint (mailbox_seq (f, f->a_inbox), ==, seq + 1);
  g_assert_cmpuint (renumbered->len, ==, 1);
  g_assert_cmpint (g_array_index (renumbered, MwMessageRenumber, 0).old_number, ==, f->a_deleted);
  new_id = g_array_index (renumbered, MwMessageRenumber, 0).new_number;
  assert_renumbered (f, &b, new_id, seq + 1);
  {
    gint64 both[] = { f->a_deleted, new_id };

    after = snapshot (f, both, 2, f->a_inbox, f->alice);
  }
  g_assert_cmpstr (before, ==, after);
  {
    g_autofree char *needle = g_strdup_printf ("\"new_message_ids\":\"%" G_GINT64_FORMAT "\"", new_id);

    check_audit ("\"message.undelete\"", needle);
  }
  /* The number came from the table's own sequence: DBMail's next delivery
   * gets a higher one, never this one again. */
  g_assert_cmpint (deliver (f, f->a_archive, 0, "Carol <carol@example.com>", "Later", "Mon, 1 Jan 2024 10:00:00 +0000", "x"),
                   >, new_id);
  before_clear (&b);

  /* One marked for purge (status 3), in a selection with visible ones:
   * status 1 is not deleted and stays as it is. */
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  mw_message_change_clear (&change);
  add_keyword (f, f->a_purge, "Junk");
  cur = curmail (f, f->alice);
  before_read (f, f->a_purge, &b);
  size = size_of (f, f->a_purge);
  before = snapshot (f, two, 1, f->a_inbox, f->alice);
  g_assert_true (mw_dbmail_set_messages_deleted (&f->admin, f->alice, two, 3, FALSE, &change, &error));
  renumbered = change.renumbered;
  g_assert_no_error (error);
  g_assert_cmpint (change.messages, ==, 1);
  g_assert_cmpint (change.unchanged, ==, 2);
  g_assert_cmpint (change.bytes, ==, size);
  g_assert_cmpint (curmail (f, f->alice), ==, cur + size);
  g_assert_cmpint (sql_int (f, "SELECT status FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, f->a_pop), ==, 1);
  g_assert_cmpint (mailbox_seq (f, f->a_inbox), ==, seq + 2);
  g_assert_cmpuint (renumbered->len, ==, 1);
  g_assert_cmpint (g_array_index (renumbered, MwMessageRenumber, 0).old_number, ==, f->a_purge);
  new_id = g_array_index (renumbered, MwMessageRenumber, 0).new_number;
  assert_renumbered (f, &b, new_id, seq + 2);
  {
    gint64 both[] = { f->a_purge, new_id };

    after = snapshot (f, both, 2, f->a_inbox, f->alice);
  }
  g_assert_cmpstr (before, ==, after);
  before_clear (&b);

  /* Everything deleted in a mailbox: one expunged, one marked for purge,
   * both back above every message of the mailbox, in their old order. */
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  mw_message_change_clear (&change);
  {
    gint64 e_purge = deliver (f, f->a_ete, 3, "Heidi <heidi@example.com>", "Été purgé", "Sat, 6 Jan 2024 09:00:00 +0000", "x");
    gint64 skip[] = { f->e_deleted, e_purge, 0, 0 };
    gint64 bytes = size_of (f, f->e_deleted) + size_of (f, e_purge);
    Before b2 = { 0 };
    const MwMessageRenumber *pairs;

    add_keyword (f, e_purge, "$Forwarded");
    cur = curmail (f, f->alice);
    seq = mailbox_seq (f, f->a_ete);
    before_read (f, f->e_deleted, &b);
    before_read (f, e_purge, &b2);
    before = snapshot (f, skip, 2, f->a_ete, f->alice);
    g_assert_true (mw_dbmail_undelete_mailbox (&f->admin, f->a_ete, &change, &error));
    g_assert_no_error (error);
    renumbered = change.renumbered;
    g_assert_cmpint (change.messages, ==, 2);
    g_assert_cmpint (change.bytes, ==, bytes);
    g_assert_cmpint (change.used, ==, cur + bytes);
    g_assert_cmpint (curmail (f, f->alice), ==, cur + bytes);
    g_assert_cmpint (mailbox_seq (f, f->a_ete), ==, seq + 1);
    g_assert_cmpuint (renumbered->len, ==, 2);
    pairs = (const MwMessageRenumber *) (gpointer) renumbered->data;
    g_assert_cmpint (pairs[0].old_number, ==, f->e_deleted);
    g_assert_cmpint (pairs[1].old_number, ==, e_purge);
    g_assert_cmpint (pairs[0].new_number, <, pairs[1].new_number);
    assert_renumbered (f, &b, pairs[0].new_number, seq + 1);
    assert_renumbered (f, &b2, pairs[1].new_number, seq + 1);
    skip[2] = pairs[0].new_number;
    skip[3] = pairs[1].new_number;
    after = snapshot (f, skip, 4, f->a_ete, f->alice);
    g_assert_cmpstr (before, ==, after);
    check_audit ("\"message.undelete\"", "\"mailbox\":\"Été\"");
    before_clear (&b);
    before_clear (&b2);
  }

  /* Again: nothing left to undelete, nothing moves. */
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  mw_message_change_clear (&change);
  before = snapshot_all (f);
  g_assert_true (mw_dbmail_undelete_mailbox (&f->admin, f->a_ete, &change, &error));
  g_assert_no_error (error);
  renumbered = change.renumbered;
  g_assert_cmpint (change.messages, ==, 0);
  g_assert_cmpuint (renumbered->len, ==, 0);
  after = snapshot_all (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(MwMessageChange) change = { 0 };
  gint64 ids[] = { f->a_new, f->a_pop, f->a_deleted, f->e_new };
  gint64 cur = curmail (f, f->alice);
  gint64 seq_inbox = sql_int (f, "SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %" G_GINT64_FORMAT, f->a_inbox);
  gint64 seq_ete = sql_int (f, "SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %" G_GINT64_FORMAT, f->a_ete);
  gint64 sizes = size_of (f, f->a_new) + size_of (f, f->a_pop) + size_of (f, f->e_new);

  g_assert_true (mw_dbmail_set_messages_deleted (&f->admin, f->alice, ids, G_N_ELEMENTS (ids), TRUE, &change, &error));
  g_assert_no_error (error);
  g_assert_null (change.renumbered);
  g_assert_cmpint (change.messages, ==, 3);
  g_assert_cmpint (change.unchanged, ==, 1);
  g_assert_cmpint (change.mailboxes, ==, 2);
  g_assert_cmpint (change.bytes, ==, sizes);
  g_assert_cmpint (curmail (f, f->alice), ==, MAX (cur - sizes, 0));
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_messages WHERE status = 2 AND deleted_flag = 1 AND "
                               "message_idnr IN (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                           f->a_new, f->a_pop, f->e_new), ==, 3);
  g_assert_cmpint (sql_int (f, "SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %" G_GINT64_FORMAT, f->a_inbox), ==, seq_inbox + 1);
  g_assert_cmpint (sql_int (f, "SELECT seq FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, f->e_new), ==, seq_ete + 1);
  /* the already deleted one keeps its seq */
  g_assert_cmpint (sql_int (f, "SELECT seq FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, f->a_deleted), <=, seq_inbox);
  check_audit ("\"message.delete\"", NULL);

  /* curmail_size never goes below 0 */
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET curmail_size = 5 WHERE userid = 'alice'");
  {
    gint64 again[] = { f->a_new, f->a_pop, f->e_new };
    GArray *renumbered;

    g_assert_true (mw_dbmail_set_messages_deleted (&f->admin, f->alice, again, 3, FALSE, &change, &error));
    g_assert_no_error (error);
    renumbered = change.renumbered;
    g_assert_cmpint (curmail (f, f->alice), ==, 5 + sizes);
    /* Undeleted under new numbers: those are deleted again. */
    g_assert_cmpuint (renumbered->len, ==, 3);
    for (guint i = 0; i < 3; i++)
      again[i] = g_array_index (renumbered, MwMessageRenumber, i).new_number;
    mw_message_change_clear (&change);
    mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET curmail_size = 5 WHERE userid = 'alice'");
    g_assert_true (mw_dbmail_set_messages_deleted (&f->admin, f->alice, again, 3, TRUE, &change, &error));
    g_assert_no_error (error);
    g_assert_cmpint (curmail (f, f->alice), ==, 0);
  }
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot_all (f);
  g_autofree char *after = NULL;
  g_autofree char *log_before = audit_text ();
  g_autofree char *log_after = NULL;
  g_auto(MwMessageChange) change = { 0 };
  gint64 mixed[] = { f->a_deleted, f->b_deleted };
  gint64 shared[] = { f->s_deleted };
  gint64 pub[] = { f->p_deleted };
  gint64 missing[] = { f->a_deleted, 999999 };
  gint64 inserting[] = { f->a_inserting };

  g_assert_false (mw_dbmail_set_messages_deleted (&f->admin, f->alice, mixed, 2, FALSE, &change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "another user (bob)"));
  g_clear_error (&error);
  g_assert_false (mw_dbmail_set_messages_deleted (&f->admin, f->alice, shared, 1, FALSE, &change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mw_dbmail_set_messages_deleted (&f->admin, f->alice, pub, 1, FALSE, &change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "#Public"));
  g_clear_error (&error);
  g_assert_false (mw_dbmail_undelete_mailbox (&f->admin, f->p_news, &change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mw_dbmail_set_messages_deleted (&f->admin, f->alice, missing, 2, FALSE, &change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (mw_dbmail_set_messages_deleted (&f->admin, f->alice, inserting, 1, TRUE, &change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mw_dbmail_set_messages_deleted (&f->admin, f->public_user, pub, 1, FALSE, &change, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (mw_db_in_transaction (f->tdb->db));

  /* Dry run: the counts, and nothing changed. */
  {
    gint64 ids[] = { f->a_deleted, f->a_purge };
    MwAdmin dry = f->admin;

    dry.dry_run = TRUE;
    g_assert_true (mw_dbmail_set_messages_deleted (&dry, f->alice, ids, 2, FALSE, &change, &error));
    g_assert_no_error (error);
    g_assert_cmpint (change.messages, ==, 2);
    mw_message_change_clear (&change);
    g_assert_true (mw_dbmail_undelete_mailbox (&dry, f->a_inbox, &change, &error));
    g_assert_no_error (error);
    g_assert_cmpint (change.messages, ==, 2);
  }

  after = snapshot_all (f);
  g_assert_cmpstr (before, ==, after);
  log_after = audit_text ();
  g_assert_cmpstr (log_before, ==, log_after);
}

static void
test_purge_state (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MwPurgeState s;
  g_autofree char *text = NULL;

  g_assert_true (mw_dbmail_purge_state (f->tdb->db, f->alice, &s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.deleted_count, ==, 2);
  g_assert_cmpint (s.purge_count, ==, 1);
  g_assert_true (s.maintenance_seen);   /* a status 3 row exists */

  /* No status 3 anywhere, and deleted mail from long ago: no run yet. */
  mw_test_db_exec (f->tdb, "UPDATE dbmail_messages SET status = 2 WHERE status = 3");
  g_assert_true (mw_dbmail_purge_state (f->tdb->db, f->alice, &s, NULL, &error));
  g_assert_false (s.maintenance_seen);
  text = mw_purge_state_describe (&s);
  g_assert_nonnull (strstr (text, "none seems to have run yet"));
  g_clear_pointer (&text, g_free);

  /* Only fresh deletions: too early to tell. */
  mw_test_db_exec (f->tdb, f->tdb->driver == MW_DB_DRIVER_PGSQL
                   ? "UPDATE dbmail_physmessage SET internal_date = now() AT TIME ZONE 'UTC'"
                   : "UPDATE dbmail_physmessage SET internal_date = UTC_TIMESTAMP()");
  g_assert_true (mw_dbmail_purge_state (f->tdb->db, f->alice, &s, NULL, &error));
  g_assert_true (s.maintenance_seen);

  mw_test_db_exec (f->tdb, "DELETE FROM dbmail_messages WHERE status >= 2");
  g_assert_true (mw_dbmail_purge_state (f->tdb->db, f->alice, &s, NULL, &error));
  g_assert_null (mw_purge_state_describe (&s));
}

/* ------------------------------------------------------------------------ */
/* The CLI                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("MW_CLI"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  MwTestDb *tdb = f->tdb;
  g_autofree char *uri = tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
  g_autofree char *id_deleted = g_strdup_printf ("%" G_GINT64_FORMAT, f->a_deleted);
  g_autofree char *id_bob = g_strdup_printf ("%" G_GINT64_FORMAT, f->b_deleted);
  g_autofree char *id_new = NULL;
  gint64 new_id;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (g_getenv ("MW_CLI") == NULL)
    {
      g_test_skip ("MW_CLI is not set");
      return;
    }

  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "mailboxes", "alice", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Été");
    assert_contains (r.out, "#Public/News");
    assert_contains (r.out, "#Users/bob/Team");
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "mailboxes", "alice", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    g_assert_nonnull (mw_test_json_find (mw_test_json_get_array (o, "mailboxes"), "display_name", "Été"));
    g_assert_nonnull (mw_test_json_find (mw_test_json_get_array (o, "mailboxes"), "section", "shared"));
  }
  {
    g_auto(Run) r = { 0 };

    /* A folder shared to alice, by the name she sees it under. */
    run_cli (&r, "--db", uri, "messages", "alice", "#Users/bob/Team", "--all", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Team plan");
    assert_contains (r.out, "Team old plan");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "messages", "alice", "inbox", "--deleted", "--sort", "subject", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Réunion importante");
    assert_contains (r.out, "purge pending");
    assert_contains (r.out, "2 messages");
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "messages", "alice", "--all", "--search", "été", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_int (o, "total", 1);
    assert_contains (r.out, "Vacances d'été");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "messages", "alice", "Nowhere", NULL);
    g_assert_cmpint (r.status, !=, 0);
    assert_contains (r.err, "no mailbox called");
  }

  /* Dry run and refusals change nothing. */
  before = snapshot_all (f);
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "message", "undelete", id_deleted, "--dry-run", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Undeleted 1 message");
    assert_contains (r.out, "It comes back as a new message in the user's mail program, under a new number.");
    g_assert_null (strstr (r.out, "is now message"));
    assert_contains (r.out, "Dry run");
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "message", "undelete", id_deleted, "--dry-run", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_null (o, "new_ids");
  }
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "message", "undelete", id_deleted, id_bob, NULL);
    g_assert_cmpint (r.status, !=, 0);
    assert_contains (r.err, "another user");
  }
  after = snapshot_all (f);
  g_assert_cmpstr (before, ==, after);

  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;
    JsonObject *new_ids;

    run_cli (&r, "--db", uri, "--json", "message", "undelete", id_deleted, NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_int (o, "messages", 1);
    /* The new number, mapped from the old one; the old one is gone. */
    new_id = sql_int (f, "SELECT MAX(message_idnr) FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT, f->a_inbox);
    g_assert_cmpint (new_id, >, f->a_deleted);
    new_ids = mw_test_json_get_object (o, "new_ids");
    g_assert_cmpuint (json_object_get_size (new_ids), ==, 1);
    mw_test_json_assert_int (new_ids, id_deleted, new_id);
  }
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, f->a_deleted), ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT status FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, new_id), ==, 0);
  id_new = g_strdup_printf ("%" G_GINT64_FORMAT, new_id);
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "message", "delete", id_new, NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Deleted 1 message");
    g_assert_null (strstr (r.out, "new message"));
  }
  g_assert_cmpint (sql_int (f, "SELECT status FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, new_id), ==, 2);
  {
    g_auto(Run) r = { 0 };
    g_autofree char *line = NULL;

    run_cli (&r, "--db", uri, "message", "undelete", "--mailbox", "INBOX", "--all-deleted", "--user", "alice", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "Undeleted 2 messages");
    assert_contains (r.out, "They come back as new messages in the user's mail program, under new numbers.");
    /* In the old order: the purge-pending one was delivered before. */
    line = g_strdup_printf ("Message %" G_GINT64_FORMAT " is now message %" G_GINT64_FORMAT ".\n", f->a_purge,
                            sql_int (f, "SELECT MAX(message_idnr) FROM dbmail_messages WHERE mailbox_idnr = %"
                                        G_GINT64_FORMAT, f->a_inbox) - 1);
    assert_contains (r.out, line);
    g_clear_pointer (&line, g_free);
    line = g_strdup_printf ("Message %s is now message %" G_GINT64_FORMAT ".\n", id_new,
                            sql_int (f, "SELECT MAX(message_idnr) FROM dbmail_messages WHERE mailbox_idnr = %"
                                        G_GINT64_FORMAT, f->a_inbox));
    assert_contains (r.out, line);
  }
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT
                               " AND status IN (2, 3)", f->a_inbox), ==, 0);
  {
    g_auto(Run) r = { 0 };

    run_cli (&r, "--db", uri, "message", "undelete", "--all-deleted", NULL);
    g_assert_cmpint (r.status, ==, 1);
  }
}

/* The look-ups the CLI and the message window ask the core for: the
 * summary counts of `check`, a message's owner and its stored body, and
 * what the CLI says for a number no message has. */
static void
test_lookups (Fixture       *f,
              gconstpointer  data)
{
  MwTestDb *tdb = f->tdb;
  g_autofree char *uri = tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
  gint64 missing = sql_int (f, "SELECT MAX(message_idnr) FROM dbmail_messages") + 1000;
  g_autofree char *id_missing = g_strdup_printf ("%" G_GINT64_FORMAT, missing);
  g_autoptr(GError) error = NULL;
  MwMailCounts counts = { 0 };
  gint64 owner = -1, body = -1;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (mw_dbmail_count_mail (tdb->db, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.mailboxes, ==, sql_int (f, "SELECT count(*) FROM dbmail_mailboxes"));
  g_assert_cmpint (counts.messages, ==, sql_int (f, "SELECT count(*) FROM dbmail_messages WHERE status IN (0, 1)"));
  g_assert_cmpint (counts.deleted, ==, sql_int (f, "SELECT count(*) FROM dbmail_messages WHERE status IN (2, 3)"));
  /* The fixture holds some of each, so the counts tell them apart. */
  g_assert_cmpint (counts.deleted, >, 0);
  g_assert_cmpint (counts.messages, >, counts.deleted);

  g_assert_true (mw_dbmail_find_message (tdb->db, f->a_deleted, &body, &owner, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (owner, ==, f->alice);
  g_assert_true (mw_dbmail_find_message (tdb->db, f->s_new, &body, &owner, NULL, &error));
  g_assert_cmpint (owner, ==, f->bob);
  g_assert_true (mw_dbmail_find_message (tdb->db, missing, &body, &owner, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (owner, ==, 0);

  g_assert_true (mw_dbmail_find_message (tdb->db, f->a_new, &body, &owner, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (body, ==, sql_int (f, "SELECT physmessage_id FROM dbmail_messages WHERE message_idnr = %"
                                         G_GINT64_FORMAT, f->a_new));
  g_assert_true (mw_dbmail_find_message (tdb->db, missing, &body, &owner, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (body, ==, 0);

  if (g_getenv ("MW_CLI") == NULL)
    {
      g_test_skip ("MW_CLI is not set");
      return;
    }
  {
    g_auto(Run) r = { 0 };
    g_autofree char *line = NULL;

    run_cli (&r, "--db", uri, "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    line = g_strdup_printf ("Mailboxes:         %" G_GINT64_FORMAT "\n", counts.mailboxes);
    assert_contains (r.out, line);
    g_clear_pointer (&line, g_free);
    line = g_strdup_printf ("Messages:          %" G_GINT64_FORMAT "\n", counts.messages);
    assert_contains (r.out, line);
    g_clear_pointer (&line, g_free);
    line = g_strdup_printf ("Deleted, not purged: %" G_GINT64_FORMAT "\n", counts.deleted);
    assert_contains (r.out, line);
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonObject) o = NULL;

    run_cli (&r, "--db", uri, "--json", "check", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = mw_test_json_parse (r.out);
    mw_test_json_assert_int (o, "mailboxes", counts.mailboxes);
    mw_test_json_assert_int (o, "messages", counts.messages);
    mw_test_json_assert_int (o, "deleted_messages", counts.deleted);
  }

  before = snapshot_all (f);
  {
    g_auto(Run) r = { 0 };
    g_autofree char *sentence = g_strdup_printf ("There is no message number %s. Nothing was changed.", id_missing);

    run_cli (&r, "--db", uri, "message", "delete", id_missing, NULL);
    g_assert_cmpint (r.status, ==, 4);
    assert_contains (r.err, sentence);
  }
  {
    g_auto(Run) r = { 0 };
    g_autofree char *sentence = g_strdup_printf ("There is no message number %s.\n", id_missing);

    run_cli (&r, "--db", uri, "message", "show", id_missing, NULL);
    g_assert_cmpint (r.status, ==, 4);
    assert_contains (r.err, sentence);
  }
  after = snapshot_all (f);
  g_assert_cmpstr (before, ==, after);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

#define ADD(path, func) \
  G_STMT_START { \
    g_test_add ("/pg/mail/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, fixture_tear_down); \
    g_test_add ("/mysql/mail/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, fixture_tear_down); \
  } G_STMT_END

  ADD ("mailboxes", test_mailboxes);
  ADD ("message-list", test_message_list);
  ADD ("undelete", test_undelete);
  ADD ("delete", test_delete);
  ADD ("refused", test_refused);
  ADD ("purge-state", test_purge_state);
  ADD ("cli", test_cli);
  ADD ("lookups", test_lookups);
#undef ADD

  rc = mw_test_run ();
  return rc;
}
