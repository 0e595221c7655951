/* mw-test-db.c: a fresh database on real PostgreSQL and MariaDB servers for each test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-test-db"

#include "config.h"

#include <glib/gstdio.h>

#include "mw-core.h"
#include "mw-db-pool.h"
#include "mw-demo-data.h"
#include "mw-test-db.h"

static MwLocalServer *servers[2];

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
    g_clear_pointer (&servers[i], mw_local_server_stop);
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

MwTestDb *
mw_test_db_new (gconstpointer driver,
                gboolean      with_schema)
{
  g_autoptr(GError) error = NULL;
  MwTestDb *tdb = g_new0 (MwTestDb, 1);

  tdb->driver = MW_TEST_DRIVER (driver);
  tdb->server = mw_test_server (tdb->driver);
  tdb->database = mw_local_server_create_database (tdb->server, "t", &error);
  g_assert_no_error (error);
  tdb->settings = mw_local_server_settings_for (tdb->server, tdb->database, NULL, NULL);
  tdb->db = mw_db_connect (tdb->settings, NULL, &error);
  g_assert_no_error (error);
  if (with_schema)
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
  /* Drop the database so a long run does not fill the disk. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwDb) admin = mw_db_connect (mw_local_server_get_settings (tdb->server), NULL, &error);

    if (admin != NULL)
      {
        g_autofree char *sql = g_strdup_printf ("DROP DATABASE %s", tdb->database);
        g_autoptr(MwDbResult) r = NULL;

        if (tdb->driver == MW_DB_DRIVER_PGSQL)
          {
            g_autofree char *kick = g_strdup_printf ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                                     "WHERE datname = '%s' AND pid <> pg_backend_pid()",
                                                     tdb->database);
            g_autoptr(MwDbResult) k = mw_db_exec (admin, kick, NULL, 0, NULL, NULL);
          }
        r = mw_db_exec (admin, sql, NULL, 0, NULL, NULL);
      }
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
