/* test-db.c: MwDb and MwDbPool on real PostgreSQL and MariaDB servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "mw-db-pool.h"
#include "mw-schema.h"
#include "mw-test-db.h"

static void
test_types (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDateTime) when = NULL;
  static const char blob[] = { 'a', 0, 'b', '\xff', '\n' };
  const char *blob_type = tdb->driver == MW_DB_DRIVER_PGSQL ? "BYTEA" : "LONGBLOB";
  g_autofree char *create = g_strdup_printf ("CREATE TABLE t (id BIGINT, name VARCHAR(20), flag SMALLINT, "
                                             "at TIMESTAMP NULL, data %s, note VARCHAR(10) NULL)", blob_type);
  MwDbValue params[] = { MW_DB_INT64 (G_GINT64_CONSTANT (9007199254740993)), MW_DB_TEXT ("O'Brien; --\\"),
                         MW_DB_BOOL (TRUE), MW_DB_TIMESTAMP ("2026-11-22 10:11:12"),
                         MW_DB_BYTES (blob, sizeof blob), MW_DB_NULL };

  mw_test_db_exec (tdb, create);
  r = mw_db_exec (tdb->db, "INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6)", params, 6, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mw_db_result_get_affected (r), ==, 1);
  g_clear_pointer (&r, mw_db_result_unref);

  /* Placeholders out of order and used twice. */
  {
    MwDbValue p2[] = { MW_DB_TEXT ("O'Brien; --\\"), MW_DB_INT64 (G_GINT64_CONSTANT (9007199254740993)) };

    r = mw_db_exec (tdb->db, "SELECT id, name, flag, at, data, note, $2 AS again FROM t "
                    "WHERE id = $2 AND name = $1", p2, 2, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (r), ==, 1);
  g_assert_cmpint (mw_db_result_get_type (r, 0, 0), ==, MW_DB_TYPE_INT64);
  g_assert_cmpint (mw_db_result_get_int64 (r, 0, 0), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpstr (mw_db_result_get_string (r, 0, 1), ==, "O'Brien; --\\");
  g_assert_true (mw_db_result_get_bool (r, 0, 2));
  g_assert_cmpint (mw_db_result_get_type (r, 0, 3), ==, MW_DB_TYPE_TIMESTAMP);
  g_assert_cmpstr (mw_db_result_get_string (r, 0, 3), ==, "2026-11-22 10:11:12");
  when = mw_db_result_get_timestamp (r, 0, 3);
  g_assert_cmpint (g_date_time_get_hour (when), ==, 10);
  g_assert_cmpint (mw_db_result_get_type (r, 0, 4), ==, MW_DB_TYPE_BYTES);
  bytes = mw_db_result_get_bytes (r, 0, 4);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), blob, sizeof blob);
  g_assert_true (mw_db_result_is_null (r, 0, 5));
  g_assert_cmpint (mw_db_result_get_type (r, 0, 5), ==, MW_DB_TYPE_NULL);
  g_assert_cmpint (mw_db_result_find_col (r, "note"), ==, 5);
  g_assert_cmpint (mw_db_result_get_int64 (r, 0, 6), ==, G_GINT64_CONSTANT (9007199254740993));
}

static void
test_bad_values (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autofree char *long_text = g_strnfill (300, 'x');
  MwDbValue bad_utf8[] = { MW_DB_TEXT ("caf\xe9") };
  MwDbValue too_long[] = { MW_DB_TEXT (long_text) };
  MwDbValue evil[] = { MW_DB_TEXT ("x'); DROP TABLE t; --") };

  mw_test_db_exec (tdb, "CREATE TABLE t (name VARCHAR(40) NOT NULL)");

  r = mw_db_exec (tdb->db, "INSERT INTO t VALUES ($1)", bad_utf8, 1, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_BAD_VALUE);
  g_clear_error (&error);

  r = mw_db_exec (tdb->db, "INSERT INTO t VALUES ($1)", too_long, 1, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_BAD_VALUE);
  g_clear_error (&error);

  r = mw_db_exec (tdb->db, "INSERT INTO t VALUES ($1)", evil, 1, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, mw_db_result_unref);
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM t"), ==, 1);
  {
    g_autofree char *stored = mw_test_db_string (tdb, "SELECT name FROM t");
    g_assert_cmpstr (stored, ==, "x'); DROP TABLE t; --");
  }
}

static void
test_transactions (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(GError) error = NULL;

  mw_test_db_exec (tdb, "CREATE TABLE t (n INT)");
  g_assert_true (mw_db_begin (tdb->db, &error));
  mw_test_db_exec (tdb, "INSERT INTO t VALUES (1)");
  g_assert_true (mw_db_in_transaction (tdb->db));
  g_assert_true (mw_db_rollback (tdb->db, &error));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT count(*) FROM t"), ==, 0);

  g_assert_true (mw_db_begin (tdb->db, &error));
  mw_test_db_exec (tdb, "INSERT INTO t VALUES (2)");
  g_assert_true (mw_db_commit (tdb->db, &error));
  g_assert_no_error (error);
  g_assert_false (mw_db_in_transaction (tdb->db));
  g_assert_cmpint (mw_test_db_int (tdb, "SELECT sum(n) FROM t"), ==, 2);
}

static void
test_prefix_expansion (gconstpointer data)
{
  g_autofree char *a = mw_db_expand_tables ("SELECT '{users}' FROM {users} u JOIN {aliases} a", "dbmail_");
  g_autofree char *b = mw_db_expand_tables ("x ~ '^[0-9]{1,18}$' AND {mail_boxes}", "p1_");

  g_assert_cmpstr (a, ==, "SELECT 'dbmail_users' FROM dbmail_users u JOIN dbmail_aliases a");
  g_assert_cmpstr (b, ==, "x ~ '^[0-9]{1,18}$' AND p1_mail_boxes");
}

/* Connection errors a person can act on */

static void
assert_connect_fails (MwDbSettings *settings,
                      int           code,
                      const char   *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) db = mw_db_connect (settings, NULL, &error);

  g_assert_null (db);
  g_assert_error (error, MW_DB_ERROR, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” not in “%s”", in_message, error->message);
}

static guint
free_tcp_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  close (fd);
  return ntohs (addr.sin_port);
}

static void
test_connect_errors (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  MwLocalServer *server = tdb->server;
  g_autofree char *role = g_strdup_printf ("mw_pw_%u", g_random_int_range (0, 1000000));
  g_autoptr(MwDbSettings) s = NULL;

  g_assert_true (mw_local_server_create_role (server, role, "right-password", &error));
  g_assert_no_error (error);

  /* Wrong password, and a user that does not exist: one sentence. */
  s = mw_local_server_settings_for (server, tdb->database, role, "wrong-password");
  assert_connect_fails (s, MW_DB_ERROR_AUTH_FAILED, role);
  g_clear_pointer (&s, mw_db_settings_free);
  s = mw_local_server_settings_for (server, tdb->database, "nobody_here", "x");
  assert_connect_fails (s, MW_DB_ERROR_AUTH_FAILED, "nobody_here");
  g_clear_pointer (&s, mw_db_settings_free);

  /* No such database. */
  s = mw_local_server_settings_for (server, "no_such_db_42", NULL, NULL);
  assert_connect_fails (s, MW_DB_ERROR_NO_SUCH_DATABASE, "no_such_db_42");
  g_clear_pointer (&s, mw_db_settings_free);

  /* A socket where no server listens. */
  s = mw_local_server_settings_for (server, tdb->database, NULL, NULL);
  g_free (s->socket);
  s->socket = g_strdup (tdb->driver == MW_DB_DRIVER_PGSQL ? "/nonexistent-dir" : "/nonexistent-dir/mysqld.sock");
  assert_connect_fails (s, MW_DB_ERROR_UNREACHABLE, "/nonexistent-dir");
  g_clear_pointer (&s, mw_db_settings_free);

  /* A host and port where nothing listens. */
  s = mw_local_server_settings_for (server, tdb->database, NULL, NULL);
  g_clear_pointer (&s->socket, g_free);
  s->host = g_strdup ("127.0.0.1");
  s->port = free_tcp_port ();
  s->connect_timeout = 3;
  assert_connect_fails (s, MW_DB_ERROR_UNREACHABLE, "127.0.0.1");
  g_clear_pointer (&s, mw_db_settings_free);

  /* TLS verification with a certificate authority file that is not there. */
  s = mw_local_server_settings_for (server, tdb->database, NULL, NULL);
  s->tls_mode = MW_DB_TLS_VERIFY_FULL;
  s->tls_ca_file = g_strdup ("/nonexistent/ca.pem");
  assert_connect_fails (s, MW_DB_ERROR_INVALID_SETTINGS, "/nonexistent/ca.pem");
  g_clear_pointer (&s, mw_db_settings_free);

  /* A table prefix with characters that could end up in SQL. */
  s = mw_local_server_settings_for (server, tdb->database, NULL, NULL);
  s->table_prefix = g_strdup ("dbmail_; DROP TABLE x");
  assert_connect_fails (s, MW_DB_ERROR_BAD_PREFIX, "dbmail_; DROP TABLE x");
  g_clear_pointer (&s, mw_db_settings_free);

  /* The right password works, once the user may use the database. */
  if (tdb->driver == MW_DB_DRIVER_MYSQL)
    {
      g_autofree char *grant = g_strdup_printf ("GRANT SELECT ON %s.* TO '%s'@'localhost'", tdb->database, role);
      mw_test_db_exec (tdb, grant);
    }
  s = mw_local_server_settings_for (server, tdb->database, role, "right-password");
  {
    g_autoptr(MwDb) db = mw_db_connect (s, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (db);
  }
}

static void
test_permission_denied (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *role = g_strdup_printf ("mw_ro_%u", g_random_int_range (0, 1000000));
  g_autoptr(MwDbSettings) s = NULL;
  g_autoptr(MwDb) db = NULL;
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autofree char *grant = NULL;

  g_assert_true (mw_local_server_create_role (tdb->server, role, "pw", &error));
  /* Everything except dbmail_users. */
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      grant = g_strdup_printf ("GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s", role);
      mw_test_db_exec (tdb, grant);
      g_free (grant);
      grant = g_strdup_printf ("REVOKE SELECT ON dbmail_users FROM %s", role);
      mw_test_db_exec (tdb, grant);
    }
  else
    {
      const char *tables[] = { "dbmail_aliases", "dbmail_mailboxes", "dbmail_messages", "dbmail_physmessage",
                               "dbmail_mimeparts", "dbmail_partlists", "dbmail_header", "dbmail_acl",
                               "dbmail_subscription", "dbmail_headername", "dbmail_headervalue",
                               "dbmail_keywords", "dbmail_upgrade_steps" };
      for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
        {
          g_free (grant);
          grant = g_strdup_printf ("GRANT SELECT ON %s.%s TO '%s'@'localhost'", tdb->database, tables[i], role);
          mw_test_db_exec (tdb, grant);
        }
    }

  s = mw_local_server_settings_for (tdb->server, tdb->database, role, "pw");
  db = mw_db_connect (s, NULL, &error);
  g_assert_no_error (error);
  info = mw_schema_detect (db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "dbmail_users"));
}

static void
test_not_dbmail (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwTestDb) other = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autoptr(MwDbSettings) s = NULL;
  g_autoptr(MwDb) db = NULL;

  /* An empty database, or one with unrelated tables. */
  mw_test_db_exec (tdb, "CREATE TABLE customers (id INT)");
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE);
  g_assert_nonnull (strstr (error->message, "dbmail_users"));
  g_clear_error (&error);

  /* A DBMail database under another prefix than the profile's: say which. */
  s = mw_db_settings_copy (other->settings);
  s->table_prefix = g_strdup ("mail_");
  db = mw_db_connect (s, NULL, &error);
  g_assert_no_error (error);
  info = mw_schema_detect (db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE);
  g_assert_nonnull (strstr (error->message, "“dbmail_”"));
  g_clear_error (&error);

  /* A DBMail database with a 3.x table missing: name it. */
  mw_test_db_exec (other, "DROP TABLE dbmail_keywords");
  info = mw_schema_detect (other->db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "dbmail_keywords"));
}

static void
test_detect (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autofree char *description = NULL;

  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_DBMAIL_3);
  g_assert_cmpint (info->schema_version, ==, 35002);
  description = mw_schema_info_describe (info);
  g_assert_nonnull (strstr (description, "DBMail 3.x"));
  g_clear_pointer (&info, mw_schema_info_free);

  /* DBMail 2.2: message text in messageblks, no mimeparts/partlists/header cache. */
  if (tdb->driver == MW_DB_DRIVER_MYSQL)
    mw_test_db_exec (tdb, "CREATE TABLE dbmail_messageblks (messageblk_idnr BIGINT PRIMARY KEY, "
                     "physmessage_id BIGINT, messageblk LONGBLOB, blocksize BIGINT, is_header SMALLINT)");
  mw_test_db_exec (tdb, "DROP VIEW dbmail_fromfield");
  mw_test_db_exec (tdb, "DROP VIEW dbmail_ccfield");
  mw_test_db_exec (tdb, "DROP VIEW dbmail_tofield");
  mw_test_db_exec (tdb, "DROP VIEW dbmail_subjectfield");
  mw_test_db_exec (tdb, "DROP VIEW dbmail_datefield");
  mw_test_db_exec (tdb, "DROP TABLE dbmail_partlists");
  mw_test_db_exec (tdb, "DROP TABLE dbmail_mimeparts");
  mw_test_db_exec (tdb, "DROP TABLE dbmail_header");
  mw_test_db_exec (tdb, "DROP TABLE dbmail_headername");
  mw_test_db_exec (tdb, "DROP TABLE dbmail_headervalue");
  mw_test_db_exec (tdb, "DROP TABLE dbmail_keywords");
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_DBMAIL_2_2);
  g_assert_true (info->has_messageblks);
}

/* Cancellation and lost connections */

static gboolean
cancel_later_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  MwDbPool  *pool;
  GMainLoop *loop;
  GError    *error;
  gpointer   result;
  gboolean   done;
} Wait;

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Wait *w = user_data;
  w->result = mw_db_pool_run_finish (w->pool, res, &w->error);
  w->done = TRUE;
  g_main_loop_quit (w->loop);
}

static gpointer
sleep_job (MwDb         *db,
           gpointer      data,
           GCancellable *cancellable,
           GError      **error)
{
  const char *sql = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "SELECT pg_sleep(20)" : "SELECT SLEEP(20)";
  MwDbResult *r = mw_db_exec (db, sql, NULL, 0, cancellable, error);

  /* MariaDB's SLEEP() returns 1 instead of failing when KILL QUERY stops it. */
  if (r != NULL && mw_db_get_driver (db) == MW_DB_DRIVER_MYSQL && mw_db_result_get_int64 (r, 0, 0) == 1 &&
      g_cancellable_is_cancelled (cancellable))
    {
      mw_db_result_unref (r);
      g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, "cancelled");
      return NULL;
    }
  return r;
}

static gpointer
backend_id_job (MwDb         *db,
                gpointer      data,
                GCancellable *cancellable,
                GError      **error)
{
  const char *sql = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, cancellable, error);

  return r != NULL ? g_strdup (mw_db_result_get_string (r, 0, 0)) : NULL;
}

static void
run_job (MwDbPool    *pool,
         MwDbJobFunc  func,
         GCancellable *cancellable,
         GDestroyNotify result_free,
         Wait        *w)
{
  GMainContext *context = g_main_context_default ();

  w->pool = pool;
  w->loop = g_main_loop_new (context, FALSE);
  w->done = FALSE;
  mw_db_pool_run_async (pool, func, NULL, NULL, result_free, cancellable, on_job_done_cb, w);
  g_main_loop_run (w->loop);
  g_main_loop_unref (w->loop);
}

static void
test_cancel (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwDbPool) pool = mw_db_pool_new (tdb->settings, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait w = { 0 };
  gint64 start;
  gint64 running;

  start = g_get_monotonic_time ();
  g_timeout_add (300, cancel_later_cb, cancellable);
  {
    GMainContext *context = g_main_context_default ();
    w.pool = pool;
    w.loop = g_main_loop_new (context, FALSE);
    mw_db_pool_run_async (pool, sleep_job, NULL, NULL, (GDestroyNotify) mw_db_result_unref, cancellable,
                          on_job_done_cb, &w);
  }
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);

  g_assert_error (w.error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED);
  g_clear_error (&w.error);
  /* Stopped on the server, not after the 20 s sleep. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* The connection is still good for the next job. */
  run_job (pool, backend_id_job, NULL, g_free, &w);
  g_assert_no_error (w.error);
  g_assert_nonnull (w.result);
  g_free (w.result);

  /* Nothing is still running on the server. */
  running = mw_test_db_int (tdb, tdb->driver == MW_DB_DRIVER_PGSQL
                            ? "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                            : "SELECT count(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%'");
  g_assert_cmpint (running, ==, 0);
}

/* A cancel that arrives as its statement ends must not stop the next
 * statement on the connection, which no one cancelled. */
static gpointer
cancel_soon_thread (gpointer data)
{
  g_usleep (1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_late (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  gboolean pg = tdb->driver == MW_DB_DRIVER_PGSQL;

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDbResult) first = NULL;
      g_autoptr(MwDbResult) next = NULL;
      GThread *canceller = g_thread_new ("cancel-soon", cancel_soon_thread, cancellable);

      /* Short: it often ends before the server acts on the cancel. */
      first = mw_db_exec (tdb->db, pg ? "SELECT pg_sleep(0.003)" : "SELECT SLEEP(0.003)", NULL, 0, cancellable, &error);
      g_clear_error (&error);
      g_thread_join (canceller);
      /* Long enough for a late cancel to reach it: it must run to its end
       * (MariaDB's SLEEP() gives 1 when stopped, 0 when it ran). */
      next = mw_db_exec (tdb->db, pg ? "SELECT 0 FROM pg_sleep(0.05)" : "SELECT SLEEP(0.05)", NULL, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (mw_db_result_get_int64 (next, 0, 0), ==, 0);
    }
}

static void
test_connection_lost (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwDbPool) pool = mw_db_pool_new (tdb->settings, 1);
  g_autofree char *first_id = NULL;
  g_autofree char *kill = NULL;
  Wait w = { 0 };

  run_job (pool, backend_id_job, NULL, g_free, &w);
  g_assert_no_error (w.error);
  first_id = w.result;

  /* The server drops the worker's connection. */
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    kill = g_strdup_printf ("SELECT pg_terminate_backend(%s)", first_id);
  else
    kill = g_strdup_printf ("KILL %s", first_id);
  mw_test_db_exec (tdb, kill);
  g_usleep (100 * 1000);

  run_job (pool, backend_id_job, NULL, g_free, &w);
  g_assert_error (w.error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  g_clear_error (&w.error);

  /* The next job gets a new connection. */
  run_job (pool, backend_id_job, NULL, g_free, &w);
  g_assert_no_error (w.error);
  g_assert_cmpstr (w.result, !=, first_id);
  g_free (w.result);
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);

  g_test_add_data_func ("/unit/prefix-expansion", NULL, test_prefix_expansion);
  mw_test_add_both ("/db/types", test_types);
  mw_test_add_both ("/db/bad-values", test_bad_values);
  mw_test_add_both ("/db/transactions", test_transactions);
  mw_test_add_both ("/db/connect-errors", test_connect_errors);
  mw_test_add_both ("/db/permission-denied", test_permission_denied);
  mw_test_add_both ("/db/not-dbmail", test_not_dbmail);
  mw_test_add_both ("/db/detect", test_detect);
  mw_test_add_both ("/db/cancel", test_cancel);
  mw_test_add_both ("/db/cancel-late", test_cancel_late);
  mw_test_add_both ("/db/connection-lost", test_connection_lost);

  return mw_test_run ();
}
