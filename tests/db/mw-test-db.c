/* mw-test-db.c: a fresh database on real PostgreSQL and MariaDB servers for each test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-test-db"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mw-core.h"
#include "mw-db-pool.h"
#include "mw-demo-data.h"
#include "mw-test-db.h"

static MwLocalServer *servers[2];
/* The superuser's connection to each server, for creating and dropping the
 * tests' databases. */
static MwDb *admins[2];
/* PostgreSQL: a database with the DBMail schema loaded once per program; a
 * test's database with the schema is a copy of it (CREATE DATABASE ...
 * TEMPLATE), the same tables, keys, sequences and rows as the schema file
 * makes, in a tenth of the time. */
static char *pg_schema_template;
static guint n_databases;

MwLocalServer *
mw_test_server (MwDbDriver driver)
{
  if (servers[driver] == NULL)
    {
      g_autoptr(GError) error = NULL;

      servers[driver] = mw_local_server_start (driver, &error);
      g_assert_no_error (error);
    }
  return servers[driver];
}

void
mw_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  mw_core_init ();
}

/* mw_test_private_audit_log () */
static char *audit_dir;
static char *audit_log;

int
mw_test_run (void)
{
  int rc = g_test_run ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* A job a test left running (a count, a reload after the window closed)
   * holds its session's pool until its result reaches the main loop: let
   * it arrive, so that the pools are freed before LeakSanitizer looks. A
   * pool still held after that is not waited for any longer. */
  while (mw_db_pool_count_alive () > 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_clear_pointer (&admins[i], mw_db_close);
      g_clear_pointer (&servers[i], mw_local_server_stop);
    }
  g_clear_pointer (&pg_schema_template, g_free);
  if (audit_dir != NULL)
    {
      g_remove (audit_log);
      g_rmdir (audit_dir);
      g_clear_pointer (&audit_log, g_free);
      g_clear_pointer (&audit_dir, g_free);
    }
  return rc;
}

const char *
mw_test_private_audit_log (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (audit_dir);
  audit_dir = g_dir_make_tmp ("mw-audit-XXXXXX", &error);
  g_assert_no_error (error);
  audit_log = g_build_filename (audit_dir, "audit.jsonl", NULL);
  g_setenv ("MAILWARDEN_AUDIT_LOG", audit_log, TRUE);
  return audit_log;
}

void
mw_test_add_both (const char *path,
                  void      (*func) (gconstpointer driver))
{
  g_autofree char *pg = g_strconcat ("/pg", path, NULL);
  g_autofree char *my = g_strconcat ("/mysql", path, NULL);

  g_test_add_data_func (pg, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), func);
  g_test_add_data_func (my, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), func);
}

/* Runs sql as the server's superuser, on a connection kept for the whole
 * program (made again if a test killed it). */
static gboolean
admin_exec (MwDbDriver   driver,
            const char  *sql,
            GError     **error)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (admins[driver] == NULL || !mw_db_is_connected (admins[driver]))
        {
          g_clear_pointer (&admins[driver], mw_db_close);
          admins[driver] = mw_db_connect (mw_local_server_get_settings (mw_test_server (driver)), NULL, error);
          if (admins[driver] == NULL)
            return FALSE;
        }
      if (mw_db_exec_script (admins[driver], sql, &local_error))
        return TRUE;
      if (attempt > 0 || mw_db_is_connected (admins[driver]))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

/* A new database holding the DBMail schema, copied from the program's
 * template (made, with the schema file, the first time). */
static char *
pg_create_with_schema (MwLocalServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  char *name;

  if (pg_schema_template == NULL)
    {
      g_autofree char *template = mw_local_server_create_database (server, "schema", &error);
      g_autoptr(MwDbSettings) settings = NULL;
      g_autoptr(MwDb) db = NULL;

      g_assert_no_error (error);
      settings = mw_local_server_settings_for (server, template, NULL, NULL);
      db = mw_db_connect (settings, NULL, &error);
      g_assert_no_error (error);
      mw_demo_load_schema (db, &error);
      g_assert_no_error (error);
      /* No connection may stay on a template while it is copied. */
      g_clear_pointer (&db, mw_db_close);
      pg_schema_template = g_steal_pointer (&template);
    }
  /* Never one of mw_local_server_create_database's names (t_PID_N). */
  name = g_strdup_printf ("t_%u_s%u", (guint) getpid (), ++n_databases);
  sql = g_strdup_printf ("CREATE DATABASE \"%s\" TEMPLATE \"%s\"", name, pg_schema_template);
  admin_exec (MW_DB_DRIVER_PGSQL, sql, &error);
  g_assert_no_error (error);
  return name;
}

MwTestDb *
mw_test_db_new (gconstpointer driver,
                gboolean      with_schema)
{
  g_autoptr(GError) error = NULL;
  MwTestDb *tdb = g_new0 (MwTestDb, 1);

  tdb->driver = MW_TEST_DRIVER (driver);
  tdb->server = mw_test_server (tdb->driver);
  if (with_schema && tdb->driver == MW_DB_DRIVER_PGSQL)
    tdb->database = pg_create_with_schema (tdb->server);
  else
    tdb->database = mw_local_server_create_database (tdb->server, "t", &error);
  g_assert_no_error (error);
  tdb->settings = mw_local_server_settings_for (tdb->server, tdb->database, NULL, NULL);
  tdb->db = mw_db_connect (tdb->settings, NULL, &error);
  g_assert_no_error (error);
  if (with_schema && tdb->driver == MW_DB_DRIVER_MYSQL)
    {
      mw_demo_load_schema (tdb->db, &error);
      g_assert_no_error (error);
    }
  return tdb;
}

void
mw_test_db_free (MwTestDb *tdb)
{
  if (tdb == NULL)
    return;
  g_clear_pointer (&tdb->db, mw_db_close);
  /* PostgreSQL: drop the database so a long run does not fill the disk
   * (each holds its own copy of the system catalogs). MariaDB's DROP
   * DATABASE takes about as long as a small test; its databases (a few MB
   * without sample data) go with the server's directory when the program
   * ends. */
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      g_autofree char *kick = g_strdup_printf ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                               "WHERE datname = '%s' AND pid <> pg_backend_pid()",
                                               tdb->database);
      g_autofree char *sql = g_strdup_printf ("DROP DATABASE %s", tdb->database);

      admin_exec (tdb->driver, kick, NULL);
      admin_exec (tdb->driver, sql, NULL);
    }
  g_free (tdb->database);
  mw_db_settings_free (tdb->settings);
  g_free (tdb);
}

void
mw_test_db_exec (MwTestDb   *tdb,
                 const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = mw_db_exec (tdb->db, sql, NULL, 0, NULL, &error);

  if (error != NULL)
    g_error ("%s\n%s", error->message, sql);
}

gint64
mw_test_db_int (MwTestDb   *tdb,
                const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = mw_db_exec (tdb->db, sql, NULL, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (result), ==, 1);
  return mw_db_result_get_int64 (result, 0, 0);
}

void
mw_test_db_append_rows (MwDb       *db,
                        const char *sql,
                        GString    *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      for (guint c = 0; c < mw_db_result_get_n_cols (r); c++)
        g_string_append_printf (out, "%s|", mw_db_result_is_null (r, i, c) ? "NULL" : mw_db_result_get_string (r, i, c));
      g_string_append_c (out, '\n');
    }
}

char *
mw_test_db_string (MwTestDb   *tdb,
                   const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = mw_db_exec (tdb->db, sql, NULL, 0, NULL, &error);

  g_assert_no_error (error);
  if (mw_db_result_get_n_rows (result) == 0)
    return NULL;
  return g_strdup (mw_db_result_get_string (result, 0, 0));
}

gint64
mw_test_db_add_user (MwTestDb   *tdb,
                     const char *userid,
                     gint64      client_idnr,
                     gint64      quota)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = NULL;
  MwDbValue params[] = { MW_DB_TEXT (userid), MW_DB_INT64 (client_idnr), MW_DB_INT64 (quota) };
  g_autofree char *alias = NULL;
  g_autofree char *idnr = NULL;
  gint64 id;

  result = mw_db_exec (tdb->db, "INSERT INTO {users} (userid, passwd, client_idnr, maxmail_size, encryption_type) "
                       "VALUES ($1, 'secret', $2, $3, '')", params, 3, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, mw_db_result_unref);
  result = mw_db_exec (tdb->db, "SELECT user_idnr FROM {users} WHERE userid = $1", params, 1, NULL, &error);
  g_assert_no_error (error);
  id = mw_db_result_get_int64 (result, 0, 0);

  alias = g_strdup_printf ("%s@example.org", userid);
  idnr = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  mw_test_db_add_alias (tdb, alias, idnr, client_idnr);
  return id;
}

void
mw_test_db_add_alias (MwTestDb   *tdb,
                      const char *alias,
                      const char *deliver_to,
                      gint64      client_idnr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = NULL;
  MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (deliver_to), MW_DB_INT64 (client_idnr) };

  result = mw_db_exec (tdb->db, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
                       params, 3, NULL, &error);
  g_assert_no_error (error);
}

void
mw_test_db_stall (MwTestDb   *tdb,
                  const char *table,
                  const char *event,
                  const char *when)
{
  g_autofree char *sql = NULL;

  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      mw_test_db_exec (tdb, "CREATE OR REPLACE FUNCTION mw_stall() RETURNS trigger AS $$ "
                            "BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$ LANGUAGE plpgsql");
      sql = when != NULL
            ? g_strdup_printf ("CREATE TRIGGER mw_stall AFTER %s ON %s FOR EACH ROW WHEN (%s) "
                               "EXECUTE FUNCTION mw_stall()", event, table, when)
            : g_strdup_printf ("CREATE TRIGGER mw_stall AFTER %s ON %s FOR EACH ROW EXECUTE FUNCTION mw_stall()",
                               event, table);
    }
  else
    sql = when != NULL
          ? g_strdup_printf ("CREATE TRIGGER mw_stall AFTER %s ON %s FOR EACH ROW "
                             "SET @mw_stall = IF(%s, SLEEP(60), 0)", event, table, when)
          : g_strdup_printf ("CREATE TRIGGER mw_stall AFTER %s ON %s FOR EACH ROW SET @mw_stall = SLEEP(60)",
                             event, table);
  mw_test_db_exec (tdb, sql);
}

void
mw_test_db_drop_stall (MwTestDb   *tdb,
                       const char *table)
{
  g_autofree char *sql = tdb->driver == MW_DB_DRIVER_PGSQL
                         ? g_strdup_printf ("DROP TRIGGER mw_stall ON %s", table)
                         : g_strdup ("DROP TRIGGER mw_stall");

  mw_test_db_exec (tdb, sql);
}

struct _MwTestKiller
{
  MwDbSettings *settings;
  MwDbDriver    driver;
  gboolean      killed;
  GThread      *thread;
};

static gpointer
killer_thread (gpointer data)
{
  MwTestKiller *k = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) db = mw_db_connect (k->settings, NULL, &error);
  const char *find = k->driver == MW_DB_DRIVER_PGSQL
                     ? "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                       "AND datname = current_database() AND pid <> pg_backend_pid()"
                     : "SELECT id FROM information_schema.processlist WHERE state = 'User sleep' "
                       "AND db = DATABASE() AND id <> CONNECTION_ID()";

  g_assert_no_error (error);
  /* At most 30 s: a change that never reaches the trigger fails the test. */
  for (guint i = 0; i < 1500 && !k->killed; i++)
    {
      g_autoptr(MwDbResult) r = mw_db_exec (db, find, NULL, 0, NULL, &error);

      g_assert_no_error (error);
      if (mw_db_result_get_n_rows (r) == 1)
        {
          gint64 victim = mw_db_result_get_int64 (r, 0, 0);
          g_autofree char *kill = k->driver == MW_DB_DRIVER_PGSQL
                                  ? g_strdup_printf ("SELECT pg_terminate_backend(%" G_GINT64_FORMAT ")", victim)
                                  : g_strdup_printf ("KILL CONNECTION %" G_GINT64_FORMAT, victim);
          g_autoptr(MwDbResult) done = mw_db_exec (db, kill, NULL, 0, NULL, &error);

          g_assert_no_error (error);
          k->killed = TRUE;
        }
      else
        g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
  return NULL;
}

MwTestKiller *
mw_test_killer_start (MwDbSettings *settings,
                      MwDbDriver    driver)
{
  MwTestKiller *k = g_new0 (MwTestKiller, 1);

  k->settings = settings;
  k->driver = driver;
  k->thread = g_thread_new ("killer", killer_thread, k);
  return k;
}

gboolean
mw_test_killer_join (MwTestKiller *killer)
{
  gboolean killed;

  g_thread_join (killer->thread);
  killed = killer->killed;
  g_free (killer);
  return killed;
}

void
mw_test_assert_contains (const char *haystack,
                         const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

MwAuditEntry *
mw_test_last_audit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = mw_audit_read (1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_ptr_array_steal_index (entries, 0);
}
