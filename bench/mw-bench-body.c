/* mw-bench-body.c: body-search throughput beside the raw rate of reading the same bytes.
 *
 * Delivers a mixed corpus (plain, quoted-printable, base64 text, latin1,
 * HTML, alternative, mixed with a binary attachment) through
 * mw_message_store_deliver, then doubles the physmessage, partlists and
 * messages rows with INSERT ... SELECT until there are --messages messages
 * (the mimeparts are shared, as DBMail's single-instance store does). Then,
 * in the same run: the raw rate (the partlists + mimeparts rows read in the
 * batches the search uses, nothing parsed), and mw_dbmail_search_bodies
 * for a word found nowhere (every message read, parsed and decoded) and for
 * a word in one message of seven. MB are the stored message sizes
 * (physmessage.messagesize), 10^6 bytes.
 *
 * Without --db: throwaway servers of mw-local-server (--local pg|mysql,
 * default both). Figures only: nothing fails because something is slow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-bench-body"

#include "config.h"

#include <gio/gio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mw-db.h"
#include "mw-demo-data.h"
#include "mw-local-server.h"
#include "mw-dbmail-mail.h"
#include "mw-message.h"
#include "mw-dbmail-store.h"

#define BATCH 200

static int opt_messages = 20000;
static char *opt_local = NULL;

static const GOptionEntry entries[] = {
  { "messages", 'n', 0, G_OPTION_ARG_INT, &opt_messages, "Messages to search (20000)", "N" },
  { "local", 0, 0, G_OPTION_ARG_STRING, &opt_local, "A throwaway pg or mysql server (default: both)", "pg|mysql" },
  { NULL }
};

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("mw-bench-body: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static MwDbResult *
run (MwDb       *db,
     const char *sql)
{
  g_autoptr(GError) error = NULL;
  MwDbResult *result = mw_db_exec (db, sql, NULL, 0, NULL, &error);

  if (result == NULL)
    die (sql, error);
  return result;
}

static gint64
run_int (MwDb       *db,
         const char *sql)
{
  g_autoptr(MwDbResult) result = run (db, sql);

  return mw_db_result_get_int64 (result, 0, 0);
}

static void
append_base64 (GString    *out,
               const void *data,
               gsize       len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, b64 + i, (gssize) MIN (76, n - i));
      g_string_append_c (out, '\n');
    }
}

static const char *lorem =
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
  "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
  "aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse.\n";

/* Seven kinds of message, i picks one; about 2-60 kB each. */
static GBytes *
corpus_message (guint i)
{
  GString *m = g_string_new (NULL);
  GString *body = g_string_new (NULL);
  guint kind = i % 7;

  for (guint k = 0; k < 4 + i % 13; k++)
    g_string_append (body, lorem);
  g_string_append_printf (m,
                          "From: Sender %u <sender%u@example.org>\n"
                          "To: bench@example.com\n"
                          "Subject: message %u of kind %u\n"
                          "Date: Wed, 05 Nov 2025 10:11:12 +0100\n"
                          "Message-ID: <bench.%u@example.org>\n"
                          "MIME-Version: 1.0\n", i, i, i, kind, i);
  switch (kind)
    {
    case 0:
      g_string_append_printf (m, "Content-Type: text/plain; charset=us-ascii\n\n%s", body->str);
      break;
    case 1:
      g_string_append (m, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n");
      for (gsize k = 0; k < body->len; k += 70)
        g_string_append_printf (m, "%.*s=\n", (int) MIN (70, body->len - k), body->str + k);
      g_string_append (m, "Caf=C3=A9 needleword.\n");
      break;
    case 2:
      g_string_append (m, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n");
      append_base64 (m, body->str, body->len);
      break;
    case 3:
      g_string_append_printf (m, "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
                              "Gr\xfc\xdf" "e aus M\xfcnchen.\n%s", body->str);
      break;
    case 4:
      g_string_append (m, "Content-Type: text/html; charset=utf-8\n\n<html><head><style>p{}</style></head><body>");
      for (guint k = 0; k < 4 + i % 13; k++)
        g_string_append_printf (m, "<p>%s<a href=\"https://example.com/%u\">link</a> &amp; &eacute;</p>\n", lorem, k);
      g_string_append (m, "</body></html>\n");
      break;
    case 5:
      g_string_append_printf (m, "Content-Type: multipart/alternative; boundary=alt\n\n--alt\n"
                              "Content-Type: text/plain; charset=utf-8\n\n%s--alt\n"
                              "Content-Type: text/html; charset=utf-8\n\n<p>%s</p>\n--alt--\n", body->str, body->str);
      break;
    default:
      {
        guint8 *bin = g_malloc (40000);

        for (guint k = 0; k < 40000; k++)
          bin[k] = (guint8) ((k * 7919 + i) >> 3);
        g_string_append_printf (m, "Content-Type: multipart/mixed; boundary=mix\n\n--mix\n"
                                "Content-Type: text/plain; charset=utf-8\n\n%s--mix\n"
                                "Content-Type: application/pdf; name=\"r%u.pdf\"\n"
                                "Content-Disposition: attachment; filename=\"r%u.pdf\"\n"
                                "Content-Transfer-Encoding: base64\n\n", body->str, i, i);
        append_base64 (m, bin, 40000);
        g_string_append (m, "--mix--\n");
        g_free (bin);
      }
      break;
    }
  g_string_free (body, TRUE);
  return g_string_free_to_bytes (m);
}

static void
populate (MwDb *db,
          gint64 *user_out)
{
  g_autoptr(GError) error = NULL;
  gint64 user, mailbox, count;
  gint64 start = g_get_monotonic_time ();

  g_autoptr(MwDbResult) r1 = run (db, "INSERT INTO {users} (userid, passwd, client_idnr, maxmail_size, encryption_type) "
                                      "VALUES ('bench', 'x', 0, 0, '')");
  user = run_int (db, "SELECT user_idnr FROM {users} WHERE userid = 'bench'");
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO {mailboxes} (owner_idnr, name) VALUES (%" G_GINT64_FORMAT
                                            ", 'INBOX')", user);
    g_autoptr(MwDbResult) r = run (db, sql);
  }
  mailbox = run_int (db, "SELECT max(mailbox_idnr) FROM {mailboxes}");

  if (!mw_db_begin (db, &error))
    die ("begin", error);
  for (guint i = 0; i < 280; i++)
    {
      g_autoptr(GBytes) raw = corpus_message (i);

      if (mw_message_store_deliver (db, mailbox, raw, i % 4, NULL, &error) == 0)
        die ("deliver", error);
    }
  if (!mw_db_commit (db, &error))
    die ("commit", error);

  /* double physmessage + partlists + messages until there are enough */
  while ((count = run_int (db, "SELECT count(*) FROM {messages}")) < opt_messages)
    {
      gint64 offset = run_int (db, "SELECT max(id) FROM {physmessage}");
      g_autofree char *p = g_strdup_printf ("INSERT INTO {physmessage} (id, messagesize, rfcsize, internal_date) "
                                            "SELECT id + %" G_GINT64_FORMAT ", messagesize, rfcsize, internal_date "
                                            "FROM {physmessage}", offset);
      g_autofree char *l = g_strdup_printf ("INSERT INTO {partlists} (physmessage_id, is_header, part_key, part_depth, "
                                            "part_order, part_id) SELECT physmessage_id + %" G_GINT64_FORMAT
                                            ", is_header, part_key, part_depth, part_order, part_id FROM {partlists}",
                                            offset);
      g_autofree char *m = g_strdup_printf ("INSERT INTO {messages} (mailbox_idnr, physmessage_id, unique_id, status) "
                                            "SELECT mailbox_idnr, physmessage_id + %" G_GINT64_FORMAT
                                            ", unique_id, status FROM {messages}", offset);
      g_autoptr(MwDbResult) a = NULL;
      g_autoptr(MwDbResult) b = NULL;
      g_autoptr(MwDbResult) c = NULL;

      a = run (db, p);
      b = run (db, l);
      c = run (db, m);
    }
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    {
      g_autoptr(MwDbResult) a = run (db, "ANALYZE");
    }
  g_print ("  corpus: %" G_GINT64_FORMAT " messages, %.1f MB stored (%.1f MB of distinct mimeparts), built in %.1f s\n",
           count, run_int (db, "SELECT sum(messagesize) FROM {physmessage}") / 1e6,
           run_int (db, "SELECT sum(size) FROM {mimeparts}") / 1e6, seconds_since (start));
  *user_out = user;
}

/* The partlists + mimeparts rows of every physmessage, in the search's
 * batches, bytes touched but nothing parsed. */
static void
raw_rate (MwDb   *db,
          double *mb_out,
          double *seconds_out)
{
  g_autoptr(MwDbResult) ids = run (db, "SELECT DISTINCT physmessage_id FROM {messages} ORDER BY physmessage_id");
  guint n = mw_db_result_get_n_rows (ids);
  gint64 start = g_get_monotonic_time ();
  guint64 bytes = 0;

  for (guint first = 0; first < n; first += BATCH)
    {
      guint count = MIN (BATCH, n - first);
      g_autoptr(GString) sql = g_string_new ("SELECT l.physmessage_id, l.part_key, l.part_depth, l.part_order, "
                                             "l.is_header, p.data FROM {partlists} l JOIN {mimeparts} p "
                                             "ON p.id = l.part_id WHERE l.physmessage_id IN (");
      g_autofree MwDbValue *params = g_new0 (MwDbValue, count);
      g_autoptr(MwDbResult) result = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < count; i++)
        {
          g_string_append_printf (sql, i == 0 ? "$%u" : ", $%u", i + 1);
          params[i] = MW_DB_INT64 (mw_db_result_get_int64 (ids, first + i, 0));
        }
      g_string_append (sql, ") ORDER BY l.physmessage_id, l.part_key, l.part_order, l.part_depth DESC");
      result = mw_db_exec (db, sql->str, params, count, NULL, &error);
      if (result == NULL)
        die ("raw read", error);
      for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
        {
          g_autoptr(GBytes) data = mw_db_result_get_bytes (result, row, 5);

          bytes += g_bytes_get_size (data);
        }
    }
  *seconds_out = seconds_since (start);
  *mb_out = bytes / 1e6;
}

static void
on_hit (gint64   message_idnr,
        gint64   physmessage_id,
        gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
search_rate (MwDb       *db,
             gint64      user,
             const char *needle,
             double      stored_mb,
             guint       n_messages)
{
  g_autoptr(GError) error = NULL;
  guint hits = 0;
  gint64 start = g_get_monotonic_time ();
  double s;

  if (!mw_dbmail_search_bodies (db, user, 0, needle, MW_MESSAGE_LOAD_DEFAULT, on_hit, NULL, &hits, NULL, &error))
    die ("search", error);
  s = seconds_since (start);
  g_print ("  search “%s”: %u hits, %.2f s, %.1f MB/s, %.0f messages/s\n", needle, hits, s, stored_mb / s,
           n_messages / s);
}

static void
bench (MwDb       *db,
       const char *label)
{
  gint64 user;
  double raw_mb, raw_s, stored_mb;
  guint n;

  g_print ("== %s ==\n", label);
  populate (db, &user);
  stored_mb = run_int (db, "SELECT sum(p.messagesize) FROM {physmessage} p") / 1e6;
  n = (guint) run_int (db, "SELECT count(*) FROM {messages}");
  raw_rate (db, &raw_mb, &raw_s);   /* once to warm the server's cache */
  raw_rate (db, &raw_mb, &raw_s);
  g_print ("  raw read of the same rows (batches of %d): %.1f MB of blobs in %.2f s, %.1f MB/s "
           "(%.1f MB/s of stored message size)\n", BATCH, raw_mb, raw_s, raw_mb / raw_s, stored_mb / raw_s);
  search_rate (db, user, "notfoundanywhere", stored_mb, n);
  search_rate (db, user, "needleword", stored_mb, n);
  search_rate (db, user, "münchen", stored_mb, n);
}

static void
bench_local (MwDbDriver  driver,
             const char *label)
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
  bench (db, label);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (opt_messages <= 0)
    die ("options", NULL);

  if (opt_local == NULL || g_str_equal (opt_local, "pg"))
    bench_local (MW_DB_DRIVER_PGSQL, "PostgreSQL");
  if (opt_local == NULL || g_str_equal (opt_local, "mysql"))
    bench_local (MW_DB_DRIVER_MYSQL, "MariaDB");
  return 0;
}
