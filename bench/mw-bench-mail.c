/* mw-bench-mail.c: a 100,000-message mailbox: first page, subject search, undelete of 10,000 messages
 * (under new numbers, beside the old way, in place).
 *
 * Starts a private PostgreSQL and MariaDB (mw-local-server), delivers a few
 * messages through the message store and clones them with INSERT ... SELECT:
 * every clone gets its own physmessage, partlists, header-cache rows and a
 * subject of its own (own headervalue row), so searches meet real data.
 * Every figure is the median of several runs, beside its SQL floor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "mw-dbmail-mail.h"
#include "mw-dbmail-private.h"
#include "mw-demo-data.h"
#include "mw-local-server.h"
#include "mw-dbmail-store.h"

#define RUNS 7

static gint64 opt_messages = 100000;
static gint64 opt_others = 3;
static char *opt_only = NULL;

static GOptionEntry entries[] = {
  { "messages", 'm', 0, G_OPTION_ARG_INT64, &opt_messages, "Messages in the mailbox (default 100000)", "N" },
  { "others", 'o', 0, G_OPTION_ARG_INT64, &opt_others, "Other users with as many messages (default 3)", "N" },
  { "only", 0, 0, G_OPTION_ARG_STRING, &opt_only, "One server only: pg or mysql", "SERVER" },
  { NULL }
};

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("mw-bench-mail: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static void
exec (MwDb       *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, NULL, &error);

  if (r == NULL)
    die (sql, error);
}

static gint64
exec_int (MwDb       *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, NULL, &error);

  if (r == NULL)
    die (sql, error);
  return mw_db_result_get_int64 (r, 0, 0);
}

static gint64
count_in (MwDb  *db,
          gint64 mailbox)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT,
                                          mailbox);

  return exec_int (db, sql);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof (double), (int (*) (const void *, const void *)) cmp_double);
  return v[n / 2];
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static const char *const words[] = { "invoice", "meeting", "report", "holiday", "zebra", "budget", "lunch",
                                     "server", "update", "party" };

static void
populate (MwDb   *db,
          gint64 *user_out,
          gint64 *mailbox_out)
{
  MwDbDriver driver = mw_db_get_driver (db);
  gboolean pg = driver == MW_DB_DRIVER_PGSQL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 user, mailbox, phys_base, hv_base, subject_id;
  double start = now_ms ();

  exec (db, "INSERT INTO dbmail_users (userid, passwd, encryption_type) VALUES ('alice', 'x', '')");
  user = exec_int (db, "SELECT user_idnr FROM dbmail_users WHERE userid = 'alice'");
  sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT ", 'INBOX')", user);
  exec (db, sql);
  g_clear_pointer (&sql, g_free);
  mailbox = exec_int (db, "SELECT mailbox_idnr FROM dbmail_mailboxes WHERE name = 'INBOX'");

  /* Five templates, delivered for real. */
  exec (db, "CREATE TABLE bench_tmpl (k INT PRIMARY KEY, phys BIGINT)");
  for (int k = 0; k < 5; k++)
    {
      g_autofree char *text = g_strdup_printf ("From: Sender %d <sender%d@example.com>\nTo: alice@example.org\n"
                                               "Subject: Template %d\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"
                                               "Content-Type: text/plain; charset=utf-8\n\n%s\n",
                                               k, k, k, "Some body text that is long enough to look like a mail.");
      g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
      gint64 id = mw_message_store_deliver (db, mailbox, raw, 0, NULL, &error);
      g_autofree char *ins = NULL;

      if (id == 0)
        die ("deliver", error);
      ins = g_strdup_printf ("INSERT INTO bench_tmpl SELECT %d, physmessage_id FROM dbmail_messages "
                             "WHERE message_idnr = %" G_GINT64_FORMAT, k, id);
      exec (db, ins);
    }

  exec (db, "CREATE TABLE bench_nums (n BIGINT PRIMARY KEY)");
  sql = pg ? g_strdup_printf ("INSERT INTO bench_nums SELECT generate_series(1, %" G_GINT64_FORMAT ")", opt_messages - 5)
           : g_strdup_printf ("INSERT INTO bench_nums SELECT seq FROM seq_1_to_%" G_GINT64_FORMAT, opt_messages - 5);
  exec (db, sql);
  g_clear_pointer (&sql, g_free);

  subject_id = exec_int (db, "SELECT id FROM dbmail_headername WHERE headername = 'subject'");
  /* The mailbox, then as many of other users': on a real server the header
   * cache holds every user's mail, so a plan that reads all of it is slow. */
  for (guint round = 0; round <= (guint) opt_others; round++)
    {
      gint64 target = mailbox;

      if (round > 0)
        {
          g_autofree char *name = g_strdup_printf ("other%u", round);

          sql = g_strdup_printf ("INSERT INTO dbmail_users (userid, passwd, encryption_type) VALUES ('%s', 'x', '')", name);
          exec (db, sql);
          g_clear_pointer (&sql, g_free);
          sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) SELECT user_idnr, 'INBOX' "
                                 "FROM dbmail_users WHERE userid = '%s'", name);
          exec (db, sql);
          g_clear_pointer (&sql, g_free);
          target = exec_int (db, "SELECT MAX(mailbox_idnr) FROM dbmail_mailboxes");
        }
      phys_base = exec_int (db, "SELECT MAX(id) FROM dbmail_physmessage");
      hv_base = exec_int (db, "SELECT MAX(id) FROM dbmail_headervalue");

      sql = g_strdup_printf ("INSERT INTO dbmail_physmessage (id, messagesize, rfcsize, internal_date) "
                             "SELECT %" G_GINT64_FORMAT " + n, 300 + n %% 5000, 310 + n %% 5000, %s FROM bench_nums",
                             phys_base, pg ? "timestamp '2020-01-01' + n * interval '1 minute'"
                                           : "DATE_ADD('2020-01-01', INTERVAL n MINUTE)");
      exec (db, sql);
      g_clear_pointer (&sql, g_free);

      /* A subject of its own for every clone. */
      {
        GString *word = g_string_new ("CASE n % 10");

        for (guint i = 0; i < G_N_ELEMENTS (words); i++)
          g_string_append_printf (word, " WHEN %u THEN '%s'", i, words[i]);
        g_string_append (word, " END");
        sql = g_strdup_printf ("INSERT INTO dbmail_headervalue (id, hash, headervalue, sortfield) "
                               "SELECT %" G_GINT64_FORMAT " + n, md5(CONCAT('s', %u, '-', n)), "
                               "CONCAT('Subject ', n, ' about the ', %s, ' Ärger'), "
                               "CONCAT('subject ', n, ' about the ', %s, ' ärger') FROM bench_nums",
                               hv_base, round, word->str, word->str);
        g_string_free (word, TRUE);
      }
      exec (db, sql);
      g_clear_pointer (&sql, g_free);

      sql = g_strdup_printf ("INSERT INTO dbmail_header (physmessage_id, headername_id, headervalue_id) "
                             "SELECT %" G_GINT64_FORMAT " + n, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " + n FROM bench_nums",
                             phys_base, subject_id, hv_base);
      exec (db, sql);
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("INSERT INTO dbmail_header (physmessage_id, headername_id, headervalue_id) "
                             "SELECT %" G_GINT64_FORMAT " + b.n, h.headername_id, h.headervalue_id FROM bench_nums b "
                             "JOIN bench_tmpl t ON t.k = b.n %% 5 JOIN dbmail_header h ON h.physmessage_id = t.phys "
                             "WHERE h.headername_id <> %" G_GINT64_FORMAT, phys_base, subject_id);
      exec (db, sql);
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("INSERT INTO dbmail_partlists (physmessage_id, is_header, part_key, part_depth, part_order, part_id) "
                             "SELECT %" G_GINT64_FORMAT " + b.n, pl.is_header, pl.part_key, pl.part_depth, pl.part_order, "
                             "pl.part_id FROM bench_nums b JOIN bench_tmpl t ON t.k = b.n %% 5 "
                             "JOIN dbmail_partlists pl ON pl.physmessage_id = t.phys", phys_base);
      exec (db, sql);
      g_clear_pointer (&sql, g_free);

      /* Every tenth message deleted (status 2): 10,000 to undelete. */
      sql = g_strdup_printf ("INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, seen_flag, deleted_flag, "
                             "unique_id, status, seq) SELECT %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " + n, n %% 2, "
                             "CASE WHEN n %% 10 = 3 THEN 1 ELSE 0 END, md5(CONCAT('u', n)), "
                             "CASE WHEN n %% 10 = 3 THEN 2 ELSE n %% 2 END, 1 FROM bench_nums",
                             target, phys_base);
      exec (db, sql);
      g_clear_pointer (&sql, g_free);
    }

  if (pg)
    {
      exec (db, "SELECT setval('dbmail_physmessage_id_seq', (SELECT MAX(id) FROM dbmail_physmessage))");
      exec (db, "SELECT setval('dbmail_headervalue_id_seq', (SELECT MAX(id) FROM dbmail_headervalue))");
      exec (db, "ANALYZE");
    }
  else
    {
      exec (db, "ANALYZE TABLE dbmail_messages, dbmail_physmessage, dbmail_header, dbmail_headervalue, "
                "dbmail_mailboxes, dbmail_keywords");
    }
  /* Half the deleted messages carry a keyword, which an undelete moves. */
  sql = g_strdup_printf ("INSERT INTO dbmail_keywords (message_idnr, keyword) SELECT message_idnr, '$Label1' "
                         "FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT " AND status = 2 "
                         "AND MOD(message_idnr, 20) < 10", mailbox);
  exec (db, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE dbmail_users SET curmail_size = (SELECT SUM(p.messagesize) FROM dbmail_messages m "
                         "JOIN dbmail_physmessage p ON p.id = m.physmessage_id WHERE m.mailbox_idnr = %" G_GINT64_FORMAT
                         " AND m.status < 2) WHERE user_idnr = %" G_GINT64_FORMAT, mailbox, user);
  exec (db, sql);
  g_print ("  data: %" G_GINT64_FORMAT " messages in the mailbox, %" G_GINT64_FORMAT " in all (%" G_GINT64_FORMAT
           " other users), in %.1f s\n", count_in (db, mailbox),
           exec_int (db, "SELECT COUNT(*) FROM dbmail_messages"), opt_others, (now_ms () - start) / 1000.0);
  *user_out = user;
  *mailbox_out = mailbox;
}

static double
time_query (MwDb       *db,
            const char *sql,
            guint      *rows)
{
  double v[RUNS];

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      double t0 = now_ms ();
      g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, NULL, &error);

      if (r == NULL)
        die (sql, error);
      v[i] = now_ms () - t0;
      if (rows != NULL)
        *rows = mw_db_result_get_n_rows (r);
    }
  return median (v, RUNS);
}

/* The request names the user and the mailbox by the mail store's keys;
 * the DBMail query takes their numbers. */
static MwListQuery *
messages_query (MwDb                    *db,
                const MwMessageRequest  *req,
                GError                 **error)
{
  gint64 user = 0, mailbox = 0;

  if (!_mw_dbmail_parse_key (req->account, MW_DBMAIL_KEY_ACCOUNT, &user, error) ||
      (req->mailbox != NULL && !_mw_dbmail_parse_key (req->mailbox, MW_DBMAIL_KEY_MAILBOX, &mailbox, error)))
    return NULL;
  return mw_dbmail_messages_query (mw_db_get_driver (db), user, mailbox, req, error);
}

static double
time_page (MwDb             *db,
           MwMessageRequest *req,
           gboolean          count,
           guint            *rows)
{
  double v[RUNS];

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      double t0 = now_ms ();
      g_autoptr(MwListQuery) q = messages_query (db, req, &error);
      g_autoptr(MwDbResult) r = NULL;

      if (count)
        {
          gint64 n = mw_list_query_count (q, db, NULL, &error);

          if (n < 0)
            die ("count", error);
          *rows = (guint) n;
        }
      else
        {
          if ((r = mw_list_query_fetch_offset (q, db, 0, 50, FALSE, NULL, &error)) == NULL)
            die ("page", error);
          *rows = mw_db_result_get_n_rows (r);
        }
      v[i] = now_ms () - t0;
    }
  return median (v, RUNS);
}

/* The count as the core made it before it had a statement of its own: the
 * list's inner SELECT wrapped, joins and all. */
static double
time_wrapped_count (MwDb             *db,
                    MwMessageRequest *req)
{
  double v[RUNS];

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      double t0 = now_ms ();
      g_autoptr(MwListQuery) q = messages_query (db, req, &error);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) AS n FROM (%s) t", mw_list_query_get_inner_sql (q));
      guint n_params = 0;
      const MwDbValue *params = mw_list_query_get_params (q, &n_params);
      g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, n_params, NULL, &error);

      if (r == NULL)
        die ("wrapped count", error);
      v[i] = now_ms () - t0;
    }
  return median (v, RUNS);
}

/* The page after the first 50 rows, as scrolling asks for it. */
static double
time_next_page (MwDb             *db,
                MwMessageRequest *req,
                guint            *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) q = messages_query (db, req, &error);
  g_autoptr(MwDbResult) first = mw_list_query_fetch_offset (q, db, 0, 50, FALSE, NULL, &error);
  double v[RUNS];
  int sort_col, key_col;

  if (first == NULL || mw_db_result_get_n_rows (first) == 0)
    die ("first page", error);
  sort_col = mw_db_result_find_col (first, mw_list_query_get_sort_col (q));
  key_col = mw_db_result_find_col (first, mw_list_query_get_key_col (q));
  for (guint i = 0; i < RUNS; i++)
    {
      guint n = mw_db_result_get_n_rows (first) - 1;
      MwDbValue sort = MW_DB_TEXT (mw_db_result_get_string (first, n, sort_col));
      MwDbValue key = MW_DB_INT64 (mw_db_result_get_int64 (first, n, key_col));
      double t0 = now_ms ();
      g_autoptr(MwDbResult) r = mw_list_query_fetch_after (q, db, &sort, &key, FALSE, FALSE, 50, NULL, &error);

      if (r == NULL)
        die ("next page", error);
      v[i] = now_ms () - t0;
      *rows = mw_db_result_get_n_rows (r);
    }
  return median (v, RUNS);
}

/* A snapshot query as the paged model reads it: every key in order once,
 * then a page (from the middle) by its keys. */
static void
time_snapshot (MwDb             *db,
               MwMessageRequest *req,
               guint            *n_keys,
               double           *keys_ms,
               double           *page_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) q = messages_query (db, req, &error);
  g_autoptr(GArray) keys = NULL;
  double v[RUNS];

  for (guint i = 0; i < RUNS; i++)
    {
      double t0 = now_ms ();

      g_clear_pointer (&keys, g_array_unref);
      if ((keys = mw_list_query_fetch_keys (q, db, NULL, &error)) == NULL)
        die ("keys", error);
      v[i] = now_ms () - t0;
    }
  *keys_ms = median (v, RUNS);
  *n_keys = keys->len;
  for (guint i = 0; i < RUNS; i++)
    {
      guint from = keys->len / 2;
      double t0 = now_ms ();
      g_autoptr(MwDbResult) r = mw_list_query_fetch_by_keys (q, db, &g_array_index (keys, gint64, from),
                                                             MIN (50, keys->len - from), NULL, &error);

      if (r == NULL)
        die ("page by keys", error);
      v[i] = now_ms () - t0;
    }
  *page_ms = median (v, RUNS);
}

static void
explain (MwDb             *db,
         MwMessageRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) q = messages_query (db, req, &error);
  g_autofree char *page = mw_list_query_build_offset_sql (q, 0, 50, FALSE);
  g_autofree char *sql = g_strdup_printf (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
                                          ? "EXPLAIN (ANALYZE, COSTS OFF) %s" : "EXPLAIN %s", page);
  guint n;
  const MwDbValue *params = mw_list_query_get_params (q, &n);
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, n, NULL, &error);

  if (r == NULL)
    die ("explain", error);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      GString *line = g_string_new ("    ");

      for (guint c = 0; c < mw_db_result_get_n_cols (r); c++)
        g_string_append_printf (line, "%s ", mw_db_result_is_null (r, i, c) ? "-" : mw_db_result_get_string (r, i, c));
      g_print ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
}

/* Puts the undeleted messages back (status 2, \Deleted) and the quota use
 * with them: they are the rows carrying the mailbox's current seq. */
static void
redelete (MwDb   *db,
          gint64  user,
          gint64  mailbox,
          gint64  bytes)
{
  g_autofree char *reset = g_strdup_printf ("UPDATE dbmail_messages SET status = 2, deleted_flag = 1 WHERE mailbox_idnr = %"
                                            G_GINT64_FORMAT " AND seq = (SELECT seq FROM dbmail_mailboxes WHERE mailbox_idnr = %"
                                            G_GINT64_FORMAT ")", mailbox, mailbox);
  g_autofree char *quota = g_strdup_printf ("UPDATE dbmail_users SET curmail_size = curmail_size - %" G_GINT64_FORMAT
                                            " WHERE user_idnr = %" G_GINT64_FORMAT, bytes, user);

  exec (db, reset);
  exec (db, quota);
}

/* The undelete of a mailbox as Mailwarden did it before it gave undeleted
 * messages new numbers (fbe7aae^): the same statements in the same order,
 * status and \Deleted set back in place. Returns the bytes. */
static gint64
undelete_old_way (MwDb   *db,
                  gint64  user,
                  gint64  mailbox)
{
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) ids = NULL;
  gint64 bytes = 0;
  guint n;

  exec (db, "BEGIN");
  sql = g_strdup_printf ("SELECT mb.owner_idnr, u.userid, mb.name FROM dbmail_mailboxes mb JOIN dbmail_users u "
                         "ON u.user_idnr = mb.owner_idnr WHERE mb.mailbox_idnr = %" G_GINT64_FORMAT " FOR UPDATE", mailbox);
  exec (db, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT message_idnr FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT
                         " AND status IN (2, 3) ORDER BY message_idnr", mailbox);
  if ((ids = mw_db_exec (db, sql, NULL, 0, NULL, &error)) == NULL)
    die (sql, error);
  n = mw_db_result_get_n_rows (ids);
  for (guint first = 0; first < n; first += 1000)
    {
      g_autoptr(GString) q = g_string_new ("SELECT m.message_idnr, m.status, m.mailbox_idnr, mb.owner_idnr, u.userid, "
                                           "p.messagesize FROM dbmail_messages m JOIN dbmail_mailboxes mb "
                                           "ON mb.mailbox_idnr = m.mailbox_idnr JOIN dbmail_users u "
                                           "ON u.user_idnr = mb.owner_idnr JOIN dbmail_physmessage p "
                                           "ON p.id = m.physmessage_id WHERE m.message_idnr IN (");
      g_autoptr(MwDbResult) r = NULL;

      for (guint i = first; i < MIN (n, first + 1000); i++)
        g_string_append_printf (q, "%s%" G_GINT64_FORMAT, i > first ? ", " : "", mw_db_result_get_int64 (ids, i, 0));
      g_string_append (q, ") FOR UPDATE");
      if ((r = mw_db_exec (db, q->str, NULL, 0, NULL, &error)) == NULL)
        die (q->str, error);
      for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
        bytes += mw_db_result_get_int64 (r, i, 5);
    }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE dbmail_mailboxes SET seq = seq + 1 WHERE mailbox_idnr IN (%" G_GINT64_FORMAT ")", mailbox);
  exec (db, sql);
  for (guint first = 0; first < n; first += 1000)
    {
      g_autoptr(GString) q = g_string_new ("UPDATE dbmail_messages SET status = 0, deleted_flag = 0, "
                                           "seq = (SELECT mb.seq FROM dbmail_mailboxes mb "
                                           "WHERE mb.mailbox_idnr = dbmail_messages.mailbox_idnr) "
                                           "WHERE status IN (2, 3) AND message_idnr IN (");

      for (guint i = first; i < MIN (n, first + 1000); i++)
        g_string_append_printf (q, "%s%" G_GINT64_FORMAT, i > first ? ", " : "", mw_db_result_get_int64 (ids, i, 0));
      g_string_append_c (q, ')');
      exec (db, q->str);
    }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE dbmail_users SET curmail_size = curmail_size + %" G_GINT64_FORMAT
                         " WHERE user_idnr = %" G_GINT64_FORMAT, bytes, user);
  exec (db, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, user);
  exec (db, sql);
  exec (db, "COMMIT");
  return bytes;
}

static void
bench (MwDb       *db,
       const char *label,
       gboolean    verbose)
{
  MwDbDriver driver = mw_db_get_driver (db);
  MwAdmin admin = { .db = db, .profile = "bench" };
  gint64 user, mailbox;
  guint rows = 0, floor_rows = 0;
  double page, floor, v[RUNS], fv[RUNS];
  g_autofree char *sql = NULL;
  g_autofree char *like = g_strdup (driver == MW_DB_DRIVER_PGSQL ? "lower(v.headervalue) LIKE '%zebra%'"
                                                                   : "lower(v.headervalue) LIKE '%zebra%'");
  MwMessageRequest req = { 0 };
  g_autofree char *user_key = NULL;
  g_autofree char *mailbox_key = NULL;

  g_print ("%s\n", label);
  populate (db, &user, &mailbox);
  user_key = _mw_dbmail_key (user);
  mailbox_key = _mw_dbmail_key (mailbox);
  req.account = user_key;
  req.mailbox = mailbox_key;
  req.descending = TRUE;

  page = time_page (db, &req, FALSE, &rows);
  sql = g_strdup_printf ("SELECT m.message_idnr, p.internal_date FROM dbmail_messages m JOIN dbmail_physmessage p "
                         "ON p.id = m.physmessage_id WHERE m.mailbox_idnr = %" G_GINT64_FORMAT " AND m.status IN (0, 1) "
                         "ORDER BY p.internal_date DESC, m.message_idnr DESC LIMIT 50", mailbox);
  floor = time_query (db, sql, &floor_rows);
  g_print ("  first page, newest first (%u rows):        %7.1f ms   floor %7.1f ms (ids and dates only)\n",
           rows, page, floor);
  if (verbose)
    explain (db, &req);
  g_clear_pointer (&sql, g_free);

  req.sort = MW_MESSAGE_SORT_SUBJECT;
  req.descending = FALSE;
  page = time_page (db, &req, FALSE, &rows);
  /* The least a server can do: join each visible message to its subject in
   * the header cache, sort, keep 50. */
  sql = g_strdup_printf ("SELECT m.message_idnr, v.sortfield FROM dbmail_messages m "
                         "JOIN dbmail_header h ON h.physmessage_id = m.physmessage_id "
                         "AND h.headername_id = (SELECT id FROM dbmail_headername WHERE headername = 'subject') "
                         "JOIN dbmail_headervalue v ON v.id = h.headervalue_id WHERE m.mailbox_idnr = %" G_GINT64_FORMAT
                         " AND m.status IN (0, 1) ORDER BY v.sortfield, m.message_idnr LIMIT 50", mailbox);
  floor = time_query (db, sql, &floor_rows);
  g_print ("  first page by subject (%u rows):          %7.1f ms   floor %7.1f ms (a join on the header cache)\n",
           rows, page, floor);
  if (verbose)
    explain (db, &req);
  g_clear_pointer (&sql, g_free);
  page = time_next_page (db, &req, &rows);
  g_print ("  next page by subject (%u rows, keyset):   %7.1f ms   (the path without a key snapshot)\n", rows, page);
  {
    double keys_ms, by_keys_ms;

    time_snapshot (db, &req, &rows, &keys_ms, &by_keys_ms);
    g_print ("  by subject, all %u keys in order:      %7.1f ms   (what the list reads once)\n", rows, keys_ms);
    g_print ("  by subject, a page by its keys (50 rows): %7.1f ms   (every page after it)\n", by_keys_ms);
  }
  req.sort = MW_MESSAGE_SORT_DATE;
  req.descending = TRUE;

  page = time_page (db, &req, TRUE, &rows);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT
                         " AND status IN (0, 1)", mailbox);
  floor = time_query (db, sql, NULL);
  g_print ("  count of visible messages (%u):         %7.1f ms   floor %7.1f ms\n", rows, page, floor);
  g_print ("%47s (the inner SELECT wrapped, as before: %.1f ms)\n", "", time_wrapped_count (db, &req));
  g_clear_pointer (&sql, g_free);

  req.subject = "zebra";
  page = time_page (db, &req, FALSE, &rows);
  sql = g_strdup_printf ("SELECT h.physmessage_id FROM dbmail_header h JOIN dbmail_headervalue v ON v.id = h.headervalue_id "
                         "WHERE h.headername_id = (SELECT id FROM dbmail_headername WHERE headername = 'subject') AND %s",
                         like);
  floor = time_query (db, sql, &floor_rows);
  g_print ("  subject search \"zebra\", first page (%u):   %7.1f ms   floor %7.1f ms (all %u matching subjects of all users, no order)\n",
           rows, page, floor, floor_rows);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT m.message_idnr, p.internal_date FROM dbmail_messages m JOIN dbmail_physmessage p "
                         "ON p.id = m.physmessage_id JOIN dbmail_header h ON h.physmessage_id = m.physmessage_id "
                         "AND h.headername_id = (SELECT id FROM dbmail_headername WHERE headername = 'subject') "
                         "JOIN dbmail_headervalue v ON v.id = h.headervalue_id WHERE m.mailbox_idnr = %" G_GINT64_FORMAT
                         " AND m.status IN (0, 1) AND %s ORDER BY p.internal_date DESC, m.message_idnr DESC LIMIT 50",
                         mailbox, like);
  floor = time_query (db, sql, &floor_rows);
  g_print ("%47s floor %7.1f ms (the mailbox's matching subjects, newest 50, as one join)\n", "", floor);
  if (verbose)
    explain (db, &req);
  page = time_page (db, &req, TRUE, &rows);
  g_print ("  subject search count (%u):             %7.1f ms   (the inner SELECT wrapped: %.1f ms)\n", rows, page,
           time_wrapped_count (db, &req));
  req.subject = NULL;
  req.text = "sender3";
  page = time_page (db, &req, FALSE, &rows);
  g_print ("  sender-or-subject search \"sender3\" (%u):   %7.1f ms\n", rows, page);
  req.text = NULL;
  g_clear_pointer (&sql, g_free);

  /* Undelete the 10,000 deleted messages, then put them back (not timed):
   * the way Mailwarden does it now (new numbers), the way it did before
   * (status back in place, same numbers; its statements replayed here), and
   * a floor for each. */
  {
    double old_v[RUNS], new_floor[RUNS];
    g_auto(MwMessageChange) change = { 0 };

    for (guint i = 0; i < RUNS; i++)
      {
        g_autoptr(GError) error = NULL;
        double t0 = now_ms ();

        mw_message_change_clear (&change);
        if (!mw_dbmail_undelete_mailbox (&admin, mailbox, &change, &error))
          die ("undelete", error);
        v[i] = now_ms () - t0;
        if (i == 0)
          g_print ("  undelete: %" G_GINT64_FORMAT " messages, %" G_GINT64_FORMAT " bytes\n", change.messages, change.bytes);
        redelete (db, user, mailbox, change.bytes);

        t0 = now_ms ();
        change.bytes = undelete_old_way (db, user, mailbox);
        old_v[i] = now_ms () - t0;
        redelete (db, user, mailbox, change.bytes);
      }
    for (guint i = 0; i < RUNS; i++)
      {
        g_autofree char *up = g_strdup_printf ("UPDATE dbmail_messages SET status = 0, deleted_flag = 0 WHERE mailbox_idnr = %"
                                               G_GINT64_FORMAT " AND status IN (2, 3)", mailbox);
        g_autofree char *ins = g_strdup_printf ("INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, seen_flag, "
                                                "answered_flag, deleted_flag, flagged_flag, recent_flag, draft_flag, "
                                                "unique_id, status, seq) SELECT mailbox_idnr, physmessage_id, seen_flag, "
                                                "answered_flag, 0, flagged_flag, recent_flag, draft_flag, "
                                                "CONCAT('n', message_idnr), 0, seq FROM dbmail_messages "
                                                "WHERE mailbox_idnr = %" G_GINT64_FORMAT " AND status IN (2, 3) "
                                                "ORDER BY message_idnr", mailbox);
        g_autofree char *del = g_strdup_printf ("DELETE FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT
                                                " AND status IN (2, 3)", mailbox);
        double t0;

        exec (db, "BEGIN");
        t0 = now_ms ();
        exec (db, up);
        fv[i] = now_ms () - t0;
        exec (db, "ROLLBACK");
        exec (db, "BEGIN");
        t0 = now_ms ();
        exec (db, ins);
        exec (db, del);
        new_floor[i] = now_ms () - t0;
        exec (db, "ROLLBACK");
      }
    g_print ("  undelete 10,000 (one transaction), new numbers: %7.1f ms   floor %7.1f ms "
             "(one bare INSERT ... SELECT and DELETE)\n", median (v, RUNS), median (new_floor, RUNS));
    g_print ("  the same, the old way (status back in place):   %7.1f ms   floor %7.1f ms (one bare UPDATE)\n",
             median (old_v, RUNS), median (fv, RUNS));
  }

  /* The same through a selection of 10,000 ids; each undelete gives the
   * messages new numbers, which the delete after it takes. */
  {
    g_autofree char *q = g_strdup_printf ("SELECT message_idnr FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT
                                          " AND status = 2 ORDER BY message_idnr", mailbox);
    g_autoptr(GError) error = NULL;
    g_autoptr(MwDbResult) r = mw_db_exec (db, q, NULL, 0, NULL, &error);
    guint n = r != NULL ? mw_db_result_get_n_rows (r) : 0;
    g_autofree gint64 *ids = g_new (gint64, MAX (n, 1));
    g_auto(MwMessageChange) change = { 0 };

    for (guint i = 0; i < n; i++)
      ids[i] = mw_db_result_get_int64 (r, i, 0);
    for (guint i = 0; i < 3; i++)
      {
        double t0 = now_ms ();

        if (!mw_dbmail_set_messages_deleted (&admin, user, ids, n, FALSE, &change, &error))
          die ("undelete ids", error);
        v[i] = now_ms () - t0;
        for (guint j = 0; j < change.renumbered->len && j < n; j++)
          ids[j] = g_array_index (change.renumbered, MwMessageRenumber, j).new_number;
        mw_message_change_clear (&change);
        t0 = now_ms ();
        if (!mw_dbmail_set_messages_deleted (&admin, user, ids, n, TRUE, &change, &error))
          die ("delete ids", error);
        fv[i] = now_ms () - t0;
      }
    g_print ("  undelete %u selected ids / delete them:   %7.1f ms / %.1f ms\n", n, median (v, 3), median (fv, 3));
  }
}

static void
bench_local (MwDbDriver  driver,
             const char *label,
             gboolean    verbose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwLocalServer) server = mw_local_server_start (driver, &error);
  g_autofree char *database = NULL;
  g_autoptr(MwDbSettings) settings = NULL;
  g_autoptr(MwDb) db = NULL;

  if (server == NULL)
    die ("start server", error);
  if ((database = mw_local_server_create_database (server, "bench", &error)) == NULL)
    die ("create database", error);
  settings = mw_local_server_settings_for (server, database, NULL, NULL);
  if ((db = mw_db_connect (settings, NULL, &error)) == NULL || !mw_demo_load_schema (db, &error))
    die ("schema", error);
  /* The test server's 64 MB buffer pool holds a tenth of these tables: give
   * it what bench/run-bench gives the 1M-user server. */
  if (driver == MW_DB_DRIVER_MYSQL)
    exec (db, "SET GLOBAL innodb_buffer_pool_size = 1073741824");
  bench (db, label, verbose);

  /* MW_BENCH_HOLD=FILE keeps the server up, for the same SQL through psql or
   * mariadb, until FILE is removed. */
  if (g_getenv ("MW_BENCH_HOLD") != NULL)
    {
      const MwDbSettings *s = mw_local_server_get_settings (server);

      g_print ("  held: socket %s port %u user %s database %s; remove %s to go on\n", s->socket, s->port,
               s->user, database, g_getenv ("MW_BENCH_HOLD"));
      while (g_file_test (g_getenv ("MW_BENCH_HOLD"), G_FILE_TEST_EXISTS))
        g_usleep (G_USEC_PER_SEC / 2);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *audit = NULL;
  gboolean verbose = g_getenv ("MW_BENCH_EXPLAIN") != NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (opt_messages < 100)
    die ("options", NULL);

  /* The benchmark's changes go to a private audit log. */
  dir = g_dir_make_tmp ("mw-bench-mail-XXXXXX", NULL);
  audit = g_build_filename (dir, "audit.jsonl", NULL);
  g_setenv ("MAILWARDEN_AUDIT_LOG", audit, TRUE);

  if (opt_only == NULL || g_str_equal (opt_only, "pg"))
    bench_local (MW_DB_DRIVER_PGSQL, "PostgreSQL", verbose);
  if (opt_only == NULL || g_str_equal (opt_only, "mysql"))
    bench_local (MW_DB_DRIVER_MYSQL, "MariaDB", verbose);

  g_unlink (audit);
  g_rmdir (dir);
  return 0;
}
