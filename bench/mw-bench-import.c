/* mw-bench-import.c: CSV import speed against the pure hashing rate, and a group delete.
 *
 * Generates --users users (plain passwords, one alias each; the first
 * 10,000 in group 9, the rest in group 1) as CSV, imports them with the
 * sha512-crypt scheme and reports users per second beside the rate of
 * mw_password_hash alone on the same number of threads, measured in the
 * same run, and their ratio. Then times mw_dbmail_delete_users on group 9.
 *
 * The target is --db URI (an empty DBMail database, or an empty database
 * with --load-schema), or, without --db, a throwaway server of mw-local-server
 * (--local pg|mysql, default both). The audit log goes to a temporary file.
 * Figures only: nothing here fails because something is slow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-bench-import"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "mw-db.h"
#include "mw-dbmail-admin.h"
#include "mw-dbmail-import.h"
#include "mw-demo-data.h"
#include "mw-local-server.h"
#include "mw-password.h"

#define DELETE_GROUP 9
#define DELETE_USERS 10000

static int opt_users = 100000;
static int opt_threads = 0;
static int opt_batch = 0;
static int opt_hash_sample = 10000;
static char *opt_db = NULL;
static char *opt_scheme = NULL;
static char *opt_local = NULL;
static gboolean opt_load_schema = FALSE;

static const GOptionEntry entries[] = {
  { "users", 'u', 0, G_OPTION_ARG_INT, &opt_users, "Users to generate and import (100000)", "N" },
  { "db", 0, 0, G_OPTION_ARG_STRING, &opt_db, "Database URI (an empty DBMail database)", "URI" },
  { "load-schema", 0, 0, G_OPTION_ARG_NONE, &opt_load_schema, "Load the DBMail schema into --db first", NULL },
  { "local", 0, 0, G_OPTION_ARG_STRING, &opt_local, "Without --db: a throwaway pg or mysql server (default: both)", "pg|mysql" },
  { "threads", 't', 0, G_OPTION_ARG_INT, &opt_threads, "Hashing threads (default: the number of processors)", "N" },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch, "Users per transaction (default 250)", "N" },
  { "scheme", 0, 0, G_OPTION_ARG_STRING, &opt_scheme, "Password scheme (sha512-crypt; plaintext shows the database's share)", "S" },
  { "hash-sample", 0, 0, G_OPTION_ARG_INT, &opt_hash_sample, "Passwords hashed for the pure hashing rate (10000)", "N" },
  { NULL }
};

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("mw-bench-import: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
hash_job (gpointer data,
          gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  char *hash = mw_password_hash (opt_scheme, data, NULL, &error);

  if (hash == NULL)
    die ("hash", error);
  g_free (hash);
  g_free (data);
}

/* Passwords per second of mw_password_hash alone on threads threads. */
static double
hash_rate (guint n,
           guint threads)
{
  GThreadPool *pool = g_thread_pool_new (hash_job, NULL, (gint) threads, FALSE, NULL);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    g_thread_pool_push (pool, g_strdup_printf ("pw-%u-secret", i), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  return n / seconds_since (start);
}

static GBytes *
generate_csv (guint n)
{
  GString *csv = g_string_new ("name,password,group,aliases\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "bench%07u,pw-%u-secret,%d,bench%07u@bench.example\n",
                            i, i, i < DELETE_USERS ? DELETE_GROUP : 1, i);
  return g_string_free_to_bytes (csv);
}

static void
bench (MwDb       *db,
       const char *label)
{
  g_autoptr(GBytes) csv = generate_csv ((guint) opt_users);
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MwImportOptions options = { .default_scheme = opt_scheme, .n_threads = (guint) opt_threads,
                              .batch_size = (guint) opt_batch };
  MwAdmin admin = { .db = db, .profile = "bench" };
  MwDeleteSummary summary = { 0 };
  guint threads = opt_threads > 0 ? (guint) opt_threads : g_get_num_processors ();
  double pure, pure_after, prepare_s, run_s, rate, delete_s;
  gint64 start;

  g_print ("== %s: %d users, %u hashing threads, %s ==\n", label, opt_users, threads, opt_scheme);
  pure = hash_rate ((guint) MIN (opt_hash_sample, opt_users), threads);

  start = g_get_monotonic_time ();
  plan = mw_dbmail_import_prepare (db, csv, &options, NULL, &error);
  if (plan == NULL)
    die ("prepare", error);
  prepare_s = seconds_since (start);
  if (plan->errors->len > 0)
    g_printerr ("%s\n", ((MwImportIssue *) g_ptr_array_index (plan->errors, 0))->message);

  start = g_get_monotonic_time ();
  report = mw_dbmail_import_run (&admin, plan, &options, NULL, NULL, NULL, &error);
  if (report == NULL)
    die ("import", error);
  run_s = seconds_since (start);
  rate = report->created / run_s;
  /* Again after the import: on a shared machine the load changes. */
  pure_after = hash_rate ((guint) MIN (opt_hash_sample, opt_users), threads);

  g_print ("preview (read + check against the database): %8.2f s\n", prepare_s);
  g_print ("import: %u created, %u refused in       %8.2f s\n", report->created, report->refused->len, run_s);
  g_print ("import rate:                                %8.0f users/s\n", rate);
  g_print ("pure hashing rate (%d passwords), before: %8.0f hashes/s, after: %.0f hashes/s\n",
           MIN (opt_hash_sample, opt_users), pure, pure_after);
  g_print ("ratio import / best hashing rate:           %8.2f (target >= 0.90)\n", rate / MAX (pure, pure_after));

  if (opt_users >= DELETE_USERS)
    {
      start = g_get_monotonic_time ();
      if (!mw_dbmail_delete_users (&admin, 0, DELETE_GROUP, &summary, &error))
        die ("delete group", error);
      delete_s = seconds_since (start);
      g_print ("delete group %d (%" G_GINT64_FORMAT " users, %" G_GINT64_FORMAT " aliases, %" G_GINT64_FORMAT
               " mailboxes): %.2f s\n", DELETE_GROUP, summary.users, summary.aliases, summary.mailboxes, delete_s);
    }
  g_print ("\n");
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
  g_autofree char *dir = NULL;
  g_autofree char *audit = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (opt_scheme == NULL)
    opt_scheme = g_strdup ("sha512-crypt");
  if (opt_users <= 0)
    die ("options", NULL);

  dir = g_dir_make_tmp ("mw-bench-import-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary directory", error);
  audit = g_build_filename (dir, "audit.jsonl", NULL);
  g_setenv ("MAILWARDEN_AUDIT_LOG", audit, TRUE);

  if (opt_db != NULL)
    {
      g_autoptr(MwDbSettings) settings = mw_db_settings_parse_uri (opt_db, &error);
      g_autoptr(MwDb) db = NULL;

      if (settings == NULL || (db = mw_db_connect (settings, NULL, &error)) == NULL)
        die ("connect", error);
      if (opt_load_schema && !mw_demo_load_schema (db, &error))
        die ("schema", error);
      bench (db, mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "PostgreSQL" : "MariaDB");
    }
  else
    {
      if (opt_local == NULL || g_str_equal (opt_local, "pg"))
        bench_local (MW_DB_DRIVER_PGSQL, "PostgreSQL (mw-local-server)");
      if (opt_local == NULL || g_str_equal (opt_local, "mysql"))
        bench_local (MW_DB_DRIVER_MYSQL, "MariaDB (mw-local-server)");
    }
  g_remove (audit);
  g_rmdir (dir);
  return 0;
}
