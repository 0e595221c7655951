/* test-session.c: MwSession on real PostgreSQL and MariaDB servers: connecting,
 * the schema it reports, its change notifications, and the sentences a person
 * reads when the connection fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mw-list-info.h"
#include "mw-session.h"
#include "mw-test-db.h"

/* Waiting on the main context, as the app does */

typedef struct
{
  MwSession *session;
  GError    *error;
  gpointer   result;
  gboolean   done;
} Wait;

static void
wait_done (Wait *w)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!w->done)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the session did not answer within 60 s");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Wait *w = user_data;

  /* Threaded tasks have no source object (see docs/architecture.md). */
  g_assert_null (source);
  w->session = mw_session_connect_finish (res, &w->error);
  w->done = TRUE;
}

/* Connects as the connection window and --profile do; fails the test only
 * when the outcome is neither a session nor an error. */
static MwSession *
connect_session (const char          *name,
                 const MwDbSettings  *settings,
                 GCancellable        *cancellable,
                 GError             **error)
{
  Wait w = { 0 };

  mw_session_connect_async (name, settings, cancellable, on_connected_cb, &w);
  wait_done (&w);
  g_assert_true ((w.session == NULL) != (w.error == NULL));
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.session;
}

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Wait *w = user_data;

  w->result = mw_db_pool_run_finish (mw_session_get_pool (w->session), res, &w->error);
  w->done = TRUE;
}

/* On a worker: the user names the pool's connection sees, and whether a
 * transaction was left open on it. */
static gpointer
read_users_job (MwDb         *db,
                gpointer      data,
                GCancellable *cancellable,
                GError      **error)
{
  g_autoptr(MwDbResult) r = mw_db_exec (db, "SELECT userid FROM {users} WHERE userid LIKE 'sess%' ORDER BY userid",
                                        NULL, 0, cancellable, error);
  GString *names;

  if (r == NULL)
    return NULL;
  names = g_string_new (mw_db_in_transaction (db) ? "in transaction:" : "");
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? "," : "", mw_db_result_get_string (r, i, 0));
  return g_string_free (names, FALSE);
}

static char *
run_read_users (MwSession *session)
{
  Wait w = { .session = session };

  mw_db_pool_run_async (mw_session_get_pool (session), read_users_job, NULL, NULL, g_free, NULL,
                        on_job_done_cb, &w);
  wait_done (&w);
  g_assert_no_error (w.error);
  return w.result;
}

/* What the connection window's Test Connection prints for a session. */
static char *
describe (MwSession *session)
{
  g_autofree char *what = mw_schema_info_describe (mw_session_get_info (session));

  return g_strdup_printf ("Connected: %s.", what);
}

static void
test_connect (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *users = NULL;
  const MwSchemaInfo *info;

  mw_test_db_add_user (tdb, "sessa", 0, 0);
  mw_test_db_add_user (tdb, "sessb", 0, 0);

  session = connect_session ("Office", tdb->settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (MW_IS_SESSION (session));
  g_assert_cmpstr (mw_session_get_name (session), ==, "Office");
  g_assert_cmpint (mw_session_get_driver (session), ==, tdb->driver);

  /* The schema, as the window title and Test Connection show it. */
  info = mw_session_get_info (session);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_DBMAIL_3);
  g_assert_cmpint (info->driver, ==, tdb->driver);
  g_assert_cmpstr (info->prefix, ==, "dbmail_");
  g_assert_cmpint (info->schema_version, ==, 35002);
  /* The schema object it holds says the same, and keeps the mail. */
  g_assert_true (MW_IS_SCHEMA (mw_session_get_schema (session)));
  g_assert_true (mw_schema_get_info (mw_session_get_schema (session)) == info);
  g_assert_true (mw_session_get_mail_store (session) == MW_MAIL_STORE (mw_session_get_schema (session)));
  sentence = describe (session);
  g_assert_true (g_str_has_prefix (sentence, tdb->driver == MW_DB_DRIVER_PGSQL
                                             ? "Connected: DBMail 3.x (schema 35002) on PostgreSQL "
                                             : "Connected: DBMail 3.x (schema 35002) on MySQL/MariaDB "));

  /* Its connections belong to the workers; the pool reads this database,
   * with nothing left open by the detection. */
  g_assert_cmpint (mw_db_pool_get_driver (mw_session_get_pool (session)), ==, tdb->driver);
  users = run_read_users (session);
  g_assert_cmpstr (users, ==, "sessa,sessb");

  g_assert_finalize_object (g_steal_pointer (&session));
}

/* The CLI's way: it connects itself, and the session detects the schema on
 * that connection, then runs its work there: one connection, not two. */
static void
test_for_connection (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwTestDb) empty = mw_test_db_new (data, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autofree char *users = NULL;
  const char *count_sql = tdb->driver == MW_DB_DRIVER_PGSQL
                          ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                          : "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE()";
  MwDb *db;

  mw_test_db_add_user (tdb, "sessc", 0, 0);
  db = mw_db_connect (tdb->settings, NULL, &error);
  g_assert_no_error (error);
  /* This test's own connection, and the one the session is given. */
  g_assert_cmpint (mw_test_db_int (tdb, count_sql), ==, 2);
  session = mw_session_new_for_connection (NULL, tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (mw_session_get_name (session));
  g_assert_false (mw_db_in_transaction (db));
  g_assert_cmpint (mw_session_get_info (session)->kind, ==, MW_SCHEMA_DBMAIL_3);
  g_assert_cmpint (mw_session_get_info (session)->schema_version, ==, 35002);
  g_assert_cmpuint (mw_db_pool_get_n_workers (mw_session_get_pool (session)), ==, 1);

  /* Its work runs on that connection: the server still sees two. */
  users = run_read_users (session);
  g_assert_cmpstr (users, ==, "sessc");
  g_clear_pointer (&users, g_free);
  users = run_read_users (session);
  g_assert_cmpstr (users, ==, "sessc");
  g_assert_cmpint (mw_test_db_int (tdb, count_sql), ==, 2);
  g_assert_finalize_object (g_steal_pointer (&session));

  /* A database that is not DBMail: the detection's sentence, and the
   * connection is closed with the failed session (the sanitizer build
   * would see it leak). */
  mw_test_db_exec (empty, "CREATE TABLE customers (id INT)");
  db = mw_db_connect (empty->settings, NULL, &error);
  g_assert_no_error (error);
  session = mw_session_new_for_connection ("Office", empty->settings, db, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE);
  g_assert_cmpstr (error->message, ==, "This database has the table customers but no mail schema Mailwarden knows: DBMail (a table “dbmail_users”), ISPmail or PostfixAdmin.");
}

/* Change notifications */

typedef struct
{
  GArray *kinds;
  char    tag;
  GString *order;
} Seen;

static void
on_changed_cb (MwSession *session,
               int        kind,
               gpointer   user_data)
{
  Seen *seen = user_data;

  g_assert_true (MW_IS_SESSION (session));
  g_array_append_val (seen->kinds, kind);
  g_string_append_c (seen->order, seen->tag);
}

static void
test_changed (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autoptr(MwSession) other = NULL;
  g_autoptr(GString) order = g_string_new ("");
  g_autoptr(GArray) first_kinds = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) second_kinds = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) other_kinds = g_array_new (FALSE, FALSE, sizeof (int));
  Seen first = { first_kinds, 'a', order };
  Seen second = { second_kinds, 'b', order };
  Seen elsewhere = { other_kinds, 'o', order };
  gulong second_id;

  session = connect_session ("Office", tdb->settings, NULL, &error);
  g_assert_no_error (error);
  other = connect_session ("Other", tdb->settings, NULL, &error);
  g_assert_no_error (error);

  g_signal_connect (session, "changed", G_CALLBACK (on_changed_cb), &first);
  second_id = g_signal_connect (session, "changed", G_CALLBACK (on_changed_cb), &second);
  g_signal_connect (other, "changed", G_CALLBACK (on_changed_cb), &elsewhere);

  /* Every window of this session hears it before the call returns, in the
   * order they connected, with the list that changed; another session's
   * windows do not. */
  mw_session_notify_changed (session, MW_LIST_ALIASES);
  g_assert_cmpstr (order->str, ==, "ab");
  mw_session_notify_changed (session, MW_LIST_USERS);
  g_assert_cmpstr (order->str, ==, "abab");
  g_assert_cmpuint (first_kinds->len, ==, 2);
  g_assert_cmpint (g_array_index (first_kinds, int, 0), ==, MW_LIST_ALIASES);
  g_assert_cmpint (g_array_index (first_kinds, int, 1), ==, MW_LIST_USERS);
  g_assert_cmpuint (second_kinds->len, ==, 2);
  g_assert_cmpint (g_array_index (second_kinds, int, 0), ==, MW_LIST_ALIASES);
  g_assert_cmpint (g_array_index (second_kinds, int, 1), ==, MW_LIST_USERS);
  g_assert_cmpuint (other_kinds->len, ==, 0);

  /* A window that closed hears nothing more. */
  g_signal_handler_disconnect (session, second_id);
  mw_session_notify_changed (session, MW_LIST_FORWARDS);
  mw_session_notify_changed (other, MW_LIST_GROUPS);
  g_assert_cmpstr (order->str, ==, "ababao");
  g_assert_cmpint (g_array_index (first_kinds, int, 2), ==, MW_LIST_FORWARDS);
  g_assert_cmpuint (second_kinds->len, ==, 2);
  g_assert_cmpint (g_array_index (other_kinds, int, 0), ==, MW_LIST_GROUPS);

  g_assert_finalize_object (g_steal_pointer (&session));
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* When the connection fails: the sentences the connection window shows
 * (it shows the error's message as it is). */

static void
assert_connect_fails (const MwDbSettings *settings,
                      GQuark              domain,
                      int                 code,
                      const char         *sentence)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = connect_session ("Office", settings, NULL, &error);

  g_assert_null (session);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, sentence);
}

static void
test_wrong_password (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *role = g_strdup_printf ("mw_sess_%u", g_random_int_range (0, 1000000));
  g_autofree char *sentence = g_strdup_printf ("The server rejected the user name or password for “%s”.", role);
  g_autoptr(MwDbSettings) s = NULL;
  g_autoptr(MwSession) session = NULL;

  g_assert_true (mw_local_server_create_role (tdb->server, role, "right-password", &error));
  g_assert_no_error (error);
  {
    g_autofree char *grant = tdb->driver == MW_DB_DRIVER_PGSQL
                             ? g_strdup_printf ("GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s", role)
                             : g_strdup_printf ("GRANT SELECT ON %s.* TO '%s'@'localhost'", tdb->database, role);
    mw_test_db_exec (tdb, grant);
  }

  s = mw_local_server_settings_for (tdb->server, tdb->database, role, "wrong-password");
  assert_connect_fails (s, MW_DB_ERROR, MW_DB_ERROR_AUTH_FAILED, sentence);

  /* The same user with the right password is let in. */
  g_clear_pointer (&s, mw_db_settings_free);
  s = mw_local_server_settings_for (tdb->server, tdb->database, role, "right-password");
  session = connect_session ("Office", s, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mw_session_get_info (session)->kind, ==, MW_SCHEMA_DBMAIL_3);
}

static void
test_unreachable (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwDbSettings) s = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  const char *server = tdb->driver == MW_DB_DRIVER_PGSQL ? "PostgreSQL" : "MySQL or MariaDB";
  const char *socket = tdb->driver == MW_DB_DRIVER_PGSQL ? "/nonexistent-dir" : "/nonexistent-dir/mysqld.sock";
  g_autofree char *on_socket = g_strdup_printf ("No %s server answers at “%s”. Check the host, port or socket, "
                                                "and that the server is running.", server, socket);
  g_autofree char *on_host = g_strdup_printf ("No %s server answers at “127.0.0.1”. Check the host, port or "
                                              "socket, and that the server is running.", server);

  /* A socket where no server listens. */
  s = mw_local_server_settings_for (tdb->server, tdb->database, NULL, NULL);
  g_free (s->socket);
  s->socket = g_strdup (socket);
  assert_connect_fails (s, MW_DB_ERROR, MW_DB_ERROR_UNREACHABLE, on_socket);
  g_clear_pointer (&s, mw_db_settings_free);

  /* A host and a port where nothing listens: a port this test holds bound
   * but does not listen on, so no one else can take it meanwhile. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  s = mw_local_server_settings_for (tdb->server, tdb->database, NULL, NULL);
  g_clear_pointer (&s->socket, g_free);
  s->host = g_strdup ("127.0.0.1");
  s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  s->connect_timeout = 3;
  assert_connect_fails (s, MW_DB_ERROR, MW_DB_ERROR_UNREACHABLE, on_host);
}

/* A database that is not DBMail: what detection says, through the session. */
static void
test_not_dbmail (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);

  mw_test_db_exec (tdb, "CREATE TABLE customers (id INT)");
  assert_connect_fails (tdb->settings, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,
                        "This database has the table customers but no mail schema Mailwarden knows: DBMail (a table “dbmail_users”), ISPmail or PostfixAdmin.");
}

/* The connection window closed while connecting: cancelled, which the app
 * ignores, and nothing is left behind (the sanitizer build checks). */
static void
test_cancelled (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;

  g_cancellable_cancel (cancellable);
  session = connect_session ("Office", tdb->settings, cancellable, &error);
  g_assert_null (session);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/session/connect", test_connect);
  mw_test_add_both ("/session/for-connection", test_for_connection);
  mw_test_add_both ("/session/changed", test_changed);
  mw_test_add_both ("/session/wrong-password", test_wrong_password);
  mw_test_add_both ("/session/unreachable", test_unreachable);
  mw_test_add_both ("/session/not-dbmail", test_not_dbmail);
  mw_test_add_both ("/session/cancelled", test_cancelled);

  return mw_test_run ();
}
