/* test-vmail-faults.c: a connection killed in the middle of a change to an
 * ISPmail or PostfixAdmin database leaves nothing half-done (issue 17).
 *
 * A trigger on the table the change writes last (PostfixAdmin: its log row;
 * ISPmail: the last of the rows it writes) sleeps, so the change stalls
 * with all its other statements run; a second connection sees our session
 * sleeping there and kills it (pg_terminate_backend, KILL CONNECTION).
 * Afterwards every table holds exactly the rows it held before, the session
 * says in a sentence that the connection was lost and nothing was changed,
 * and its next call connects again and works.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-account.h"
#include "mw-async-wait.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-domains.h"
#include "mw-demo-vmail.h"
#include "mw-test-db.h"

typedef struct
{
  MwTestDb      *tdb;
  MwDemoFlavour  flavour;
  MwSession     *session;
} Fixture;

static void
fixture_free (Fixture *f)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->tdb, mw_test_db_free);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* The demo's sample data in a new database, and a session of one
 * connection (a pool of one worker) on it. */
static Fixture *
fixture_new (gconstpointer  driver,
             MwDemoFlavour  flavour)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);
  MwDb *db;

  f->flavour = flavour;
  f->tdb = mw_test_db_new (driver, FALSE);
  g_assert_true (mw_demo_vmail_load_schema (f->tdb->db, flavour, &error));
  g_assert_no_error (error);
  g_assert_true (mw_demo_vmail_populate (f->tdb->db, flavour, &error));
  g_assert_no_error (error);

  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  f->session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  return f;
}

static int
compare_lines (const void *a,
               const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Every row of every table, each table's rows sorted: equal texts are
 * equal databases. */
static char *
snapshot (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) tables = NULL;
  GString *out = g_string_new (NULL);

  tables = mw_db_exec (f->tdb->db, f->tdb->driver == MW_DB_DRIVER_PGSQL
                       ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                         "AND table_type = 'BASE TABLE' ORDER BY 1"
                       : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
                         "AND table_type = 'BASE TABLE' ORDER BY 1",
                       NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (tables), >=, 3);
  for (guint t = 0; t < mw_db_result_get_n_rows (tables); t++)
    {
      const char *table = mw_db_result_get_string (tables, t, 0);
      g_autofree char *sql = g_strdup_printf (f->tdb->driver == MW_DB_DRIVER_PGSQL ? "SELECT * FROM \"%s\""
                                                                                   : "SELECT * FROM `%s`", table);
      g_autoptr(GString) rows = g_string_new (NULL);
      g_auto(GStrv) lines = NULL;

      mw_test_db_append_rows (f->tdb->db, sql, rows);
      lines = g_strsplit (rows->str, "\n", -1);
      qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0')
          g_string_append_printf (out, "%s: %s\n", table, lines[i]);
    }
  return g_string_free (out, FALSE);
}

/* The lines of one that the other lacks, for the failure message. */
static void
assert_same (const char *before,
             const char *after)
{
  g_auto(GStrv) b = g_strsplit (before, "\n", -1);
  g_auto(GStrv) a = g_strsplit (after, "\n", -1);
  g_autoptr(GString) diff = g_string_new (NULL);

  for (guint i = 0; b[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) a, b[i]))
      g_string_append_printf (diff, "- %s\n", b[i]);
  for (guint i = 0; a[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) b, a[i]))
      g_string_append_printf (diff, "+ %s\n", a[i]);
  if (diff->len > 0 || g_strcmp0 (before, after) != 0)
    g_error ("the tables changed:\n%s", diff->str);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

/* What the person reads: the connection went, and nothing was changed. */
static void
assert_lost (GError *error)
{
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (error->message, "connection to the database server was lost"));
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
}


static char *
resolve (Fixture    *f,
         const char *text)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  mw_session_resolve_account_async (f->session, text, NULL, mw_async_wait_ready, &res);
  key = mw_session_resolve_account_finish (f->session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  return key;
}

/* Add a mailbox (with an alias; PostfixAdmin: its mailbox row, its own alias
 * row, the alias, their log rows), stalled on the last row; then again. */
static void
check_add_mailbox (Fixture *f)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  MwNewAccount account = {
    .name = "neu.mitarbeiter@example.org", .password = "Geheim-2026!", .quota = 1024 * 1024 * 1024,
    .alias = "neu@example.org",
  };
  const char *table = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "virtual_aliases" : "log";
  const char *when = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? NULL : "NEW.action = 'create_mailbox'";
  MwTestKiller *killer;
  gboolean killed;

  mw_test_db_stall (f->tdb, table, "INSERT", when);
  before = snapshot (f);
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_add_account_async (f->session, &account, FALSE, NULL, mw_async_wait_ready, &res);
    key = mw_session_add_account_finish (f->session, mw_async_wait (&res), &error);
  }
  killed = mw_test_killer_join (killer);
  g_assert_true (killed);
  g_assert_null (key);
  assert_lost (error);
  g_clear_error (&error);
  after = snapshot (f);
  assert_same (before, after);

  /* The next call connects again. */
  mw_test_db_drop_stall (f->tdb, table);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_add_account_async (f->session, &account, FALSE, NULL, mw_async_wait_ready, &res);
    key = mw_session_add_account_finish (f->session, mw_async_wait (&res), &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (key);
  if (f->flavour == MW_DEMO_FLAVOUR_ISPMAIL)
    {
      g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users WHERE email = 'neu.mitarbeiter@example.org'"), ==, 1);
      g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'neu@example.org'"), ==, 1);
    }
  else
    {
      g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE username = 'neu.mitarbeiter@example.org'"), ==, 1);
      g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE action = 'create_mailbox' "
                                 "AND data LIKE '%neu.mitarbeiter@example.org%'"), ==, 1);
    }
}

/* Delete a mailbox: its aliases and (PostfixAdmin) its quota2, vacation and
 * log rows go in the same transaction. */
static void
check_delete_mailbox (Fixture *f)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *key = resolve (f, "agnes.jaeger@example.com");
  g_autoptr(GError) error = NULL;
  const char *table = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "virtual_users" : "log";
  const char *event = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "DELETE" : "INSERT";
  const char *when = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? NULL : "NEW.action = 'delete_mailbox'";
  gboolean ok;
  MwTestKiller *killer;
  gboolean killed;

  mw_test_db_stall (f->tdb, table, event, when);
  before = snapshot (f);
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_delete_accounts_async (f->session, key, 0, FALSE, NULL, mw_async_wait_ready, &res);
    ok = mw_session_delete_accounts_finish (f->session, mw_async_wait (&res), NULL, &error);
  }
  killed = mw_test_killer_join (killer);
  g_assert_true (killed);
  g_assert_false (ok);
  assert_lost (error);
  g_clear_error (&error);
  after = snapshot (f);
  assert_same (before, after);

  mw_test_db_drop_stall (f->tdb, table);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_delete_accounts_async (f->session, key, 0, FALSE, NULL, mw_async_wait_ready, &res);
    ok = mw_session_delete_accounts_finish (f->session, mw_async_wait (&res), NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (count (f, f->flavour == MW_DEMO_FLAVOUR_ISPMAIL
                             ? "SELECT count(*) FROM virtual_users WHERE email = 'agnes.jaeger@example.com'"
                             : "SELECT count(*) FROM mailbox WHERE username = 'agnes.jaeger@example.com'"), ==, 0);
}

/* Delete a domain with its mailboxes and aliases. */
static void
check_delete_domain (Fixture *f)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomainDeleteSummary) summary = NULL;
  const char *table = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "virtual_domains" : "log";
  const char *event = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "DELETE" : "INSERT";
  const char *when = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? NULL : "NEW.action = 'delete_domain'";
  const char *keys[2] = { NULL, NULL };
  MwTestKiller *killer;
  gboolean killed;

  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_get_domain_async (f->session, "bücher.example", NULL, mw_async_wait_ready, &res);
    domain = mw_session_get_domain_finish (f->session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
  }
  keys[0] = domain->key;

  mw_test_db_stall (f->tdb, table, event, when);
  before = snapshot (f);
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_delete_domains_async (f->session, keys, FALSE, NULL, mw_async_wait_ready, &res);
    summary = mw_session_delete_domains_finish (f->session, mw_async_wait (&res), &error);
  }
  killed = mw_test_killer_join (killer);
  g_assert_true (killed);
  g_assert_null (summary);
  assert_lost (error);
  g_clear_error (&error);
  after = snapshot (f);
  assert_same (before, after);

  mw_test_db_drop_stall (f->tdb, table);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_delete_domains_async (f->session, keys, FALSE, NULL, mw_async_wait_ready, &res);
    summary = mw_session_delete_domains_finish (f->session, mw_async_wait (&res), &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_assert_cmpint (count (f, f->flavour == MW_DEMO_FLAVOUR_ISPMAIL
                             ? "SELECT count(*) FROM virtual_users WHERE email LIKE '%@xn--bcher-kva.example'"
                             : "SELECT count(*) FROM mailbox WHERE domain = 'xn--bcher-kva.example'"), ==, 0);
}

/* Change one target of the fan-out team@example.org. */
static void
check_retarget_alias (Fixture *f)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  g_autoptr(GError) error = NULL;
  const char *table = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "virtual_aliases" : "log";
  const char *event = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? "UPDATE" : "INSERT";
  const char *when = f->flavour == MW_DEMO_FLAVOUR_ISPMAIL ? NULL : "NEW.action = 'edit_alias'";
  const char *key;
  gboolean ok;
  MwTestKiller *killer;
  gboolean killed;

  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_find_routes_async (f->session, "team@example.org", NULL, mw_async_wait_ready, &res);
    routes = mw_session_find_routes_finish (f->session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (routes->len, >=, 2);
  key = ((MwAddressRoute *) g_ptr_array_index (routes, 0))->key;

  mw_test_db_stall (f->tdb, table, event, when);
  before = snapshot (f);
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_retarget_address_async (f->session, key, "teamleitung@partner.example", FALSE, NULL,
                                       mw_async_wait_ready, &res);
    ok = mw_session_retarget_address_finish (f->session, mw_async_wait (&res), &error);
  }
  killed = mw_test_killer_join (killer);
  g_assert_true (killed);
  g_assert_false (ok);
  assert_lost (error);
  g_clear_error (&error);
  after = snapshot (f);
  assert_same (before, after);

  mw_test_db_drop_stall (f->tdb, table);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_retarget_address_async (f->session, key, "teamleitung@partner.example", FALSE, NULL,
                                       mw_async_wait_ready, &res);
    ok = mw_session_retarget_address_finish (f->session, mw_async_wait (&res), &error);
  }
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (count (f, f->flavour == MW_DEMO_FLAVOUR_ISPMAIL
                             ? "SELECT count(*) FROM virtual_aliases WHERE source = 'team@example.org' "
                               "AND destination = 'teamleitung@partner.example'"
                             : "SELECT count(*) FROM alias WHERE address = 'team@example.org' "
                               "AND goto LIKE '%teamleitung@partner.example%'"), ==, 1);
}

static void
test_ispmail (gconstpointer driver)
{
  g_autoptr(Fixture) f = fixture_new (driver, MW_DEMO_FLAVOUR_ISPMAIL);

  check_add_mailbox (f);
  check_delete_mailbox (f);
  check_delete_domain (f);
  check_retarget_alias (f);
}

static void
test_postfixadmin (gconstpointer driver)
{
  g_autoptr(Fixture) f = fixture_new (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN);

  check_add_mailbox (f);
  check_delete_mailbox (f);
  check_delete_domain (f);
  check_retarget_alias (f);
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/vmail-faults/ispmail", test_ispmail);
  mw_test_add_both ("/vmail-faults/postfixadmin", test_postfixadmin);

  return mw_test_run ();
}
