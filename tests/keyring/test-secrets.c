/* test-secrets.c: mw-secrets against a real gnome-keyring, no Secret Service, and one that never answers.
 *
 * Run through tests/keyring/run-with-keyring, which gives this process a
 * private session bus with an unlocked gnome-keyring. The cases without a
 * keyring run in subprocesses on buses of their own (GTestDBus, which loads
 * no .service files, so nothing can start gnome-keyring there).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "mw-secrets.h"

/* A copy, on purpose: the test checks what lands in the keyring. */
static const SecretSchema test_schema = {
  "org.mailwarden.Mailwarden.Connection",
  SECRET_SCHEMA_NONE,
  {
    { "profile",  SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "driver",   SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "host",     SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user",     SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

#define WAIT_LIMIT_S 30

static gboolean
on_wait_limit_cb (gpointer user_data)
{
  g_error ("a mw-secrets call did not complete within %d s", WAIT_LIMIT_S);
  return G_SOURCE_REMOVE;
}

static void
on_done_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static void
wait_for (GAsyncResult **slot)
{
  guint limit = g_timeout_add_seconds (WAIT_LIMIT_S, on_wait_limit_cb, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (limit);
}

static gboolean
run_store (const char          *profile,
           const MwDbSettings  *settings,
           const char          *password,
           guint                timeout_ms,
           GCancellable        *cancellable,
           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_secrets_store_async (profile, settings, password, timeout_ms, cancellable, on_done_cb, &result);
  wait_for (&result);
  return mw_secrets_store_finish (result, error);
}

static char *
run_lookup (const char          *profile,
            const MwDbSettings  *settings,
            guint                timeout_ms,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_secrets_lookup_async (profile, settings, timeout_ms, cancellable, on_done_cb, &result);
  wait_for (&result);
  return mw_secrets_lookup_finish (result, error);
}

static gboolean
run_clear (const char    *profile,
           guint          timeout_ms,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_secrets_clear_async (profile, timeout_ms, cancellable, on_done_cb, &result);
  wait_for (&result);
  return mw_secrets_clear_finish (result, error);
}

static MwDbSettings *
make_settings (MwDbDriver  driver,
               const char *host,
               const char *user,
               const char *database)
{
  MwDbSettings *settings = mw_db_settings_new (driver);

  settings->host = g_strdup (host);
  settings->user = g_strdup (user);
  settings->database = g_strdup (database);
  /* Never stored: only the password argument is. */
  settings->password = g_strdup ("not-this-one");
  return settings;
}

/* Quotes, backslash, runs of spaces, a tab, accents, Greek, CJK and an emoji,
 * with spaces at both ends, 500 characters (not bytes) long. */
static char *
make_tricky_password (void)
{
  static const char piece[] = " \"double\" 'single' `back` \\slash  two  spaces\ttab ünïcødé Ωμέγα 密码 🔑 ";
  GString *s = g_string_new (NULL);
  const char *p = piece;
  glong n;

  for (n = 0; n < 500; n++)
    {
      g_string_append_unichar (s, g_utf8_get_char (p));
      p = g_utf8_next_char (p);
      if (*p == '\0')
        p = piece;
    }

  return g_string_free (s, FALSE);
}

static GList *
find_items (const char *profile)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (&test_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "profile", profile, NULL);
  g_assert_no_error (error);
  return items;
}

static gboolean
needs_keyring (void)
{
  if (g_getenv ("MW_KEYRING_WRAPPER") == NULL)
    {
      g_test_skip ("needs a private keyring: run through tests/keyring/run-with-keyring");
      return FALSE;
    }
  return TRUE;
}

static void
forget (const char *profile)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (run_clear (profile, 0, NULL, &error));
  g_assert_no_error (error);
}

static void
test_store_lookup (void)
{
  g_autoptr(MwDbSettings) settings = make_settings (MW_DB_DRIVER_PGSQL, "db.example.org", "dbmail", "mail");
  g_autoptr(MwDbSettings) local = make_settings (MW_DB_DRIVER_MYSQL, NULL, "root", "dbmail");
  g_autoptr(GError) error = NULL;
  g_autofree char *tricky = make_tricky_password ();
  char *password;
  GList *items;
  GHashTable *attributes;
  gint64 start;

  if (!needs_keyring ())
    return;
  forget ("mw-test-a");
  forget ("mw-test-local");

  start = g_get_monotonic_time ();
  g_assert_true (run_store ("mw-test-a", settings, "correct horse", 0, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("store: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);

  start = g_get_monotonic_time ();
  password = run_lookup ("mw-test-a", settings, 0, NULL, &error);
  g_test_message ("lookup: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "correct horse");
  mw_secrets_password_free (password);

  g_assert_cmpint (g_utf8_strlen (tricky, -1), ==, 500);
  g_assert_true (run_store ("mw-test-a", settings, tricky, 0, NULL, &error));
  g_assert_no_error (error);
  password = run_lookup ("mw-test-a", settings, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, tricky);
  mw_secrets_password_free (password);

  /* What the keyring holds: one item, labelled, under our schema. */
  items = find_items ("mw-test-a");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_retrievable_get_label (items->data);

    g_assert_cmpstr (label, ==, "Mailwarden: password for mw-test-a");
    attributes = secret_retrievable_get_attributes (items->data);
    g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, "org.mailwarden.Mailwarden.Connection");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "driver"), ==, "postgresql");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "host"), ==, "db.example.org");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "user"), ==, "dbmail");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "database"), ==, "mail");
    g_hash_table_unref (attributes);
  }
  g_list_free_full (items, g_object_unref);

  /* A local connection: no host, the socket stands in for it. */
  local->socket = g_strdup ("/run/mysqld/mysqld.sock");
  g_assert_true (run_store ("mw-test-local", local, "", 0, NULL, &error));
  g_assert_no_error (error);
  password = run_lookup ("mw-test-local", local, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "");
  mw_secrets_password_free (password);
  items = find_items ("mw-test-local");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_retrievable_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "driver"), ==, "mysql");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "host"), ==, "/run/mysqld/mysqld.sock");
  g_hash_table_unref (attributes);
  g_list_free_full (items, g_object_unref);

  forget ("mw-test-a");
  forget ("mw-test-local");
}

static void
test_lookup_other (void)
{
  g_autoptr(MwDbSettings) settings = make_settings (MW_DB_DRIVER_PGSQL, "db.example.org", "dbmail", "mail");
  g_autoptr(MwDbSettings) moved = make_settings (MW_DB_DRIVER_PGSQL, "db2.example.org", "dbmail", "mail");
  g_autoptr(MwDbSettings) other_user = make_settings (MW_DB_DRIVER_PGSQL, "db.example.org", "postgres", "mail");
  g_autoptr(GError) error = NULL;
  char *password;

  if (!needs_keyring ())
    return;
  forget ("mw-test-a");
  forget ("mw-test-b");

  g_assert_true (run_store ("mw-test-a", settings, "secret-a", 0, NULL, &error));
  g_assert_no_error (error);

  /* Another profile: nothing, and no error. */
  password = run_lookup ("mw-test-b", settings, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  /* The same profile pointed at another server or user: the password is not handed over. */
  password = run_lookup ("mw-test-a", moved, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  password = run_lookup ("mw-test-a", other_user, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  /* No settings: the profile name alone. */
  password = run_lookup ("mw-test-a", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "secret-a");
  mw_secrets_password_free (password);

  forget ("mw-test-a");
}

static void
test_replace (void)
{
  g_autoptr(MwDbSettings) settings = make_settings (MW_DB_DRIVER_PGSQL, "db.example.org", "dbmail", "mail");
  g_autoptr(MwDbSettings) moved = make_settings (MW_DB_DRIVER_PGSQL, "db2.example.org", "dbmail", "mail");
  g_autoptr(GError) error = NULL;
  char *password;
  GList *items;

  if (!needs_keyring ())
    return;
  forget ("mw-test-a");

  g_assert_true (run_store ("mw-test-a", settings, "one", 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (run_store ("mw-test-a", settings, "two", 0, NULL, &error));
  g_assert_no_error (error);
  password = run_lookup ("mw-test-a", settings, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "two");
  mw_secrets_password_free (password);
  items = find_items ("mw-test-a");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  /* The profile moved to another host: the old item goes too. */
  g_assert_true (run_store ("mw-test-a", moved, "three", 0, NULL, &error));
  g_assert_no_error (error);
  items = find_items ("mw-test-a");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);
  password = run_lookup ("mw-test-a", settings, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  password = run_lookup ("mw-test-a", moved, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "three");
  mw_secrets_password_free (password);

  forget ("mw-test-a");
}

static void
test_clear (void)
{
  g_autoptr(MwDbSettings) settings = make_settings (MW_DB_DRIVER_MYSQL, "mx.example.org", "admin", "dbmail");
  g_autoptr(MwDbSettings) other = make_settings (MW_DB_DRIVER_MYSQL, "mx.example.org", "admin", "dbmail");
  g_autoptr(GError) error = NULL;
  char *password;
  GList *items;

  if (!needs_keyring ())
    return;
  forget ("mw-test-a");
  forget ("mw-test-b");

  g_assert_true (run_store ("mw-test-a", settings, "to be removed", 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (run_store ("mw-test-b", other, "to be kept", 0, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (run_clear ("mw-test-a", 0, NULL, &error));
  g_assert_no_error (error);
  password = run_lookup ("mw-test-a", settings, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);
  items = find_items ("mw-test-a");
  g_assert_null (items);

  /* Clearing one profile leaves the others alone. */
  password = run_lookup ("mw-test-b", other, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "to be kept");
  mw_secrets_password_free (password);

  /* Nothing left to remove is not an error. */
  g_assert_true (run_clear ("mw-test-a", 0, NULL, &error));
  g_assert_no_error (error);

  forget ("mw-test-b");
}

static void
test_cancel (void)
{
  g_autoptr(MwDbSettings) settings = make_settings (MW_DB_DRIVER_PGSQL, "db.example.org", "dbmail", "mail");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  char *password;

  if (!needs_keyring ())
    return;
  forget ("mw-test-a");

  /* Cancelled before the call: nothing happens. */
  g_cancellable_cancel (cancellable);
  g_assert_false (run_store ("mw-test-a", settings, "never", 0, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  password = run_lookup ("mw-test-a", settings, 0, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (password);
  g_clear_error (&error);
  g_assert_false (run_clear ("mw-test-a", 0, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  password = run_lookup ("mw-test-a", settings, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  /* Cancelled while under way. */
  g_cancellable_reset (cancellable);
  mw_secrets_lookup_async ("mw-test-a", settings, 0, cancellable, on_done_cb, &result);
  g_cancellable_cancel (cancellable);
  wait_for (&result);
  password = mw_secrets_lookup_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (password);
}

/* The cases without a keyring. Each runs in a subprocess: libsecret and GDBus
 * keep the session bus and the service for the life of the process. */

static void
expect_unavailable (const char   *what,
                    guint         timeout_ms,
                    double        min_ms,
                    double        max_ms)
{
  g_autoptr(MwDbSettings) settings = make_settings (MW_DB_DRIVER_PGSQL, "db.example.org", "dbmail", "mail");
  g_autoptr(GError) error = NULL;
  char *password;
  gint64 start;
  double ms;

  start = g_get_monotonic_time ();
  password = run_lookup ("mw-test-a", settings, timeout_ms, NULL, &error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_printerr ("# %s: lookup gave UNAVAILABLE after %.1f ms (time-out %u ms): %s\n",
              what, ms, timeout_ms, error ? error->message : "(no error)");
  g_assert_error (error, MW_SECRETS_ERROR, MW_SECRETS_ERROR_UNAVAILABLE);
  g_assert_null (password);
  g_assert_cmpfloat (ms, >=, min_ms);
  g_assert_cmpfloat (ms, <=, max_ms);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (run_store ("mw-test-a", settings, "nowhere to go", timeout_ms, NULL, &error));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_printerr ("# %s: store gave UNAVAILABLE after %.1f ms\n", what, ms);
  g_assert_error (error, MW_SECRETS_ERROR, MW_SECRETS_ERROR_UNAVAILABLE);
  g_assert_cmpfloat (ms, >=, min_ms);
  g_assert_cmpfloat (ms, <=, max_ms);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (run_clear ("mw-test-a", timeout_ms, NULL, &error));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_printerr ("# %s: clear gave UNAVAILABLE after %.1f ms\n", what, ms);
  g_assert_error (error, MW_SECRETS_ERROR, MW_SECRETS_ERROR_UNAVAILABLE);
  g_assert_cmpfloat (ms, >=, min_ms);
  g_assert_cmpfloat (ms, <=, max_ms);
}

static void
run_in_subprocess (void)
{
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_no_service (void)
{
  g_autoptr(GTestDBus) bus = NULL;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  /* The default time-out (2 s): the answer must come long before it. */
  /* A long time-out: the answer must come from the missing service, not the timer. */
  expect_unavailable ("no Secret Service on the bus", 30000, 0, 15000);

  secret_service_disconnect ();
  g_test_dbus_down (bus);
}

static void
test_no_bus (void)
{
  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mailwarden-test-bus", TRUE);
  g_unsetenv ("DISPLAY");
  expect_unavailable ("no session bus", 30000, 0, 15000);
}

/* Owns org.freedesktop.secrets and lets every method call fall on the floor,
 * like a keyring that hangs. Runs on the connection's worker thread. */
static GDBusMessage *
drop_method_calls_cb (GDBusConnection *connection,
                      GDBusMessage    *message,
                      gboolean         incoming,
                      gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static gboolean
on_cancel_now_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_no_answer (void)
{
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GDBusConnection) silent = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(MwDbSettings) settings = NULL;
  guint32 owned;
  gint64 start;
  double ms;
  char *password;

  if (!g_test_subprocess ())
    {
      run_in_subprocess ();
      return;
    }

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  silent = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (silent, drop_method_calls_cb, NULL, NULL);
  reply = g_dbus_connection_call_sync (silent, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 4u /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1 /* PRIMARY_OWNER */);

  /* It waits for the time-out, and not for D-Bus's own 25 s. */
  expect_unavailable ("a Secret Service that never answers", 500, 450, 10000);

  /* The caller giving up first is a cancellation, not a missing keyring. */
  settings = make_settings (MW_DB_DRIVER_PGSQL, "db.example.org", "dbmail", "mail");
  cancellable = g_cancellable_new ();
  g_timeout_add (100, on_cancel_now_cb, cancellable);
  start = g_get_monotonic_time ();
  password = run_lookup ("mw-test-a", settings, 5000, cancellable, &error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_printerr ("# a Secret Service that never answers: caller cancelled after %.1f ms\n", ms);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (password);
  /* Before the 5 s time-out: the cancellation, not the timer, ended it. */
  g_assert_cmpfloat (ms, <, 4000);

  secret_service_disconnect ();
  g_dbus_connection_close_sync (silent, NULL, NULL);
  g_clear_object (&silent);
  g_test_dbus_down (bus);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/store-lookup", test_store_lookup);
  g_test_add_func ("/secrets/lookup-other", test_lookup_other);
  g_test_add_func ("/secrets/replace", test_replace);
  g_test_add_func ("/secrets/clear", test_clear);
  g_test_add_func ("/secrets/cancel", test_cancel);
  g_test_add_func ("/secrets/no-service", test_no_service);
  g_test_add_func ("/secrets/no-bus", test_no_bus);
  g_test_add_func ("/secrets/no-answer", test_no_answer);

  return g_test_run ();
}
