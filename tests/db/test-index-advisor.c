/* test-index-advisor.c: the index advisor (mw-index-advisor.h, issue 19 F8)
 * on PostgreSQL and MariaDB: on a small DBMail database it lists the missing
 * indexes, --apply creates exactly them (read from the catalog), the list
 * search returns the same rows and (PostgreSQL) can use the trigram index,
 * --drop removes only Mailwarden's and never the admin's own index, and a
 * refused CREATE EXTENSION gives a sentence; mailwarden-cli index-advisor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "mw-async-wait.h"
#include "mw-index-advisor.h"
#include "mw-list-query.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-index-advisor.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

/* Indexes from the catalog, sorted, a line each ("name|"): Mailwarden's, or
 * all on the users' and aliases' tables. */
static char *
catalog (MwTestDb *tdb, gboolean only_ours)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *sql;

  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    sql = only_ours ? "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                      "AND indexname LIKE 'mw\\_advisor\\_%' ORDER BY indexname"
                    : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                      "AND tablename IN ('dbmail_users', 'dbmail_aliases') ORDER BY indexname";
  else
    sql = only_ours ? "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() "
                      "AND index_name LIKE 'mw\\_advisor\\_%' ORDER BY index_name"
                    : "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() "
                      "AND table_name IN ('dbmail_users', 'dbmail_aliases') ORDER BY index_name";
  mw_test_db_append_rows (tdb->db, sql, out);
  return g_strdup (out->str);
}

static MwListQuery *
search_query (MwSchema *schema, MwListKind kind, const char *text)
{
  MwListRequest req = { .kind = kind, .sort = MW_SORT_DEFAULT, .search = text };
  g_autoptr(GError) error = NULL;
  MwListQuery *query = mw_schema_list_query (schema, &req, &error);

  g_assert_no_error (error);
  return query;
}

/* The list's rows for a search, as the list reads its first page. */
static char *
search_rows (MwSchema *schema, MwTestDb *tdb, MwListKind kind, const char *text)
{
  g_autoptr(MwListQuery) query = search_query (schema, kind, text);
  g_autofree char *sql = mw_list_query_build_offset_sql (query, 0, 500, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const MwDbValue *params;
  guint n;

  params = mw_list_query_get_params (query, &n);
  result = mw_db_exec (tdb->db, sql, params, n, NULL, &error);
  g_assert_no_error (error);
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    {
      for (guint col = 0; col < mw_db_result_get_n_cols (result); col++)
        g_string_append_printf (out, "%s|", mw_db_result_get_string (result, row, col) ?: "NULL");
      g_string_append_c (out, '\n');
    }
  return g_strdup (out->str);
}

/* EXPLAIN of the list's count, with sequential scans priced out (a small
 * table is read whole otherwise): whether the trigram index can serve it. */
static char *
explain_search (MwSchema *schema, MwTestDb *tdb, MwListKind kind, const char *text)
{
  g_autoptr(MwListQuery) query = search_query (schema, kind, text);
  g_autofree char *count = mw_list_query_build_count_sql (query);
  g_autofree char *sql = g_strconcat ("EXPLAIN ", count, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const MwDbValue *params;
  guint n;

  mw_test_db_exec (tdb, "SET enable_seqscan = off");
  params = mw_list_query_get_params (query, &n);
  result = mw_db_exec (tdb->db, sql, params, n, NULL, &error);
  g_assert_no_error (error);
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    g_string_append_printf (out, "%s\n", mw_db_result_get_string (result, row, 0));
  mw_test_db_exec (tdb, "SET enable_seqscan = on");
  return g_strdup (out->str);
}

static void
on_progress (guint done, guint total, const char *name, gpointer user_data)
{
  GString *seen = user_data;

  g_string_append_printf (seen, "%u/%u %s\n", done, total, name ? name : "done");
}

static void
test_dbmail (gconstpointer driver)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSchema) schema = NULL;
  g_autoptr(MwIndexReport) before = NULL;
  g_autoptr(MwIndexReport) after = NULL;
  g_autofree char *users_before = NULL, *aliases_before = NULL, *forwards_before = NULL;
  g_autofree char *admin_before = NULL;
  gboolean pgsql = tdb->driver == MW_DB_DRIVER_PGSQL;
  const char *expected;

  mw_test_db_add_user (tdb, "alice", 1, 0);
  mw_test_db_add_user (tdb, "Malice.Walker", 2, 0);
  gint64 bob = mw_test_db_add_user (tdb, "bob", 1, 0);
  g_autofree char *bob_text = g_strdup_printf ("%" G_GINT64_FORMAT, bob);

  mw_test_db_add_alias (tdb, "ALICIA@example.net", bob_text, 1);
  mw_test_db_add_alias (tdb, "team@example.org", "someone@Alice.example", 0);
  /* The admin's own index: never dropped. */
  mw_test_db_exec (tdb, pgsql ? "CREATE INDEX admin_alias_group ON dbmail_aliases (client_idnr, alias)"
                              : "CREATE INDEX admin_alias_group ON dbmail_aliases (client_idnr, alias)");
  admin_before = catalog (tdb, FALSE);
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_has_index_advice (schema));

  users_before = search_rows (schema, tdb, MW_LIST_USERS, "LIC");
  aliases_before = search_rows (schema, tdb, MW_LIST_ALIASES, "lic");
  forwards_before = search_rows (schema, tdb, MW_LIST_FORWARDS, "alice.ex");
  mw_test_assert_contains (users_before, "alice");
  mw_test_assert_contains (users_before, "Malice.Walker");
  mw_test_assert_contains (users_before, "bob");   /* through ALICIA@example.net */
  mw_test_assert_contains (forwards_before, "someone@Alice.example");

  /* What is missing, and the search measured: only reads. */
  before = mw_schema_index_advise (schema, tdb->db, NULL, &error);
  g_assert_no_error (error);
  if (pgsql)
    {
      g_assert_true (before->trgm_available);
      g_assert_false (before->trgm_installed);
      g_assert_cmpuint (before->indexes->len, ==, 4);
      g_assert_cmpuint (before->n_missing, ==, 4);
      mw_test_assert_contains (before->note, "pg_trgm extension, which is not installed");
    }
  else
    {
      g_assert_cmpuint (before->indexes->len, ==, 1);
      g_assert_cmpuint (before->n_missing, ==, 1);
      mw_test_assert_contains (before->note, "MariaDB and MySQL have no index that finds a part of a word");
    }
  g_assert_cmpuint (before->n_ours, ==, 0);
  g_assert_false (before->search_uses_index);
  g_assert_nonnull (before->search_text);
  for (guint i = 0; i < before->indexes->len; i++)
    {
      MwIndexAdvice *a = g_ptr_array_index (before->indexes, i);

      g_assert_true (g_str_has_prefix (a->name, MW_INDEX_ADVISOR_PREFIX));
      g_assert_false (a->exists);
      g_assert_true (a->reason != NULL && a->reason[0] != '\0');
    }
  {
    g_autofree char *now = catalog (tdb, FALSE);

    g_assert_cmpstr (now, ==, admin_before);   /* advise changed nothing */
  }

  /* A login that may not create the extension gets a sentence, and nothing is made. */
  if (pgsql)
    {
      g_autoptr(MwDbSettings) limited = mw_db_settings_copy (tdb->settings);
      g_autoptr(MwDb) db = NULL;
      g_autoptr(MwSchema) limited_schema = NULL;
      g_autofree char *grant = g_strdup_printf ("GRANT CONNECT ON DATABASE \"%s\" TO mw_ia_plain", tdb->database);
      MwAdmin admin = { 0 };
      guint n = 99;

      mw_test_db_exec (tdb, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mw_ia_plain') "
                            "THEN CREATE ROLE mw_ia_plain LOGIN PASSWORD 'plain-secret'; END IF; END $$");
      mw_test_db_exec (tdb, grant);
      mw_test_db_exec (tdb, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO mw_ia_plain");
      g_free (limited->user);
      limited->user = g_strdup ("mw_ia_plain");
      g_free (limited->password);
      limited->password = g_strdup ("plain-secret");
      db = mw_db_connect (limited, NULL, &error);
      g_assert_no_error (error);
      limited_schema = mw_schema_open (db, NULL, &error);
      g_assert_no_error (error);
      admin.db = db;
      g_assert_false (mw_schema_index_apply (limited_schema, &admin, NULL, NULL, &n, NULL, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
      mw_test_assert_contains (error->message, "The server refused to install the pg_trgm extension for this login");
      mw_test_assert_contains (error->message, "CREATE EXTENSION pg_trgm;");
      g_clear_error (&error);
      g_assert_cmpuint (n, ==, 0);
      {
        g_autofree char *ours = catalog (tdb, TRUE);

        g_assert_cmpstr (ours, ==, "");
      }
    }

  /* Apply through the session: exactly the missing ones, with progress. */
  {
    g_autoptr(MwSession) session = mw_session_new_for_connection (NULL, tdb->settings,
                                                                  mw_db_connect (tdb->settings, NULL, NULL),
                                                                  NULL, &error);
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GString) seen = g_string_new (NULL);
    g_autofree char *ours = NULL;

    g_assert_no_error (error);
    /* A dry run changes nothing. */
    mw_session_index_change_async (session, FALSE, TRUE, NULL, NULL, NULL, mw_async_wait_ready, &res);
    after = mw_session_index_change_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (after->n_changed, ==, before->n_missing);
    g_assert_cmpuint (after->n_missing, ==, before->n_missing);
    g_clear_pointer (&after, mw_index_report_free);
    g_clear_object (&res);

    mw_session_index_change_async (session, FALSE, FALSE, on_progress, seen, NULL, mw_async_wait_ready, &res);
    after = mw_session_index_change_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (after->n_changed, ==, before->n_missing);
    g_assert_cmpuint (after->n_missing, ==, 0);
    g_assert_cmpuint (after->n_ours, ==, before->n_missing);
    ours = catalog (tdb, TRUE);
    expected = pgsql ? "mw_advisor_aliases_alias_trgm|\nmw_advisor_aliases_deliver_to|\n"
                       "mw_advisor_aliases_deliver_to_trgm|\nmw_advisor_users_userid_trgm|\n"
                     : "mw_advisor_aliases_deliver_to|\n";
    g_assert_cmpstr (ours, ==, expected);
    if (pgsql)
      g_assert_cmpstr (seen->str, ==, "0/4 mw_advisor_users_userid_trgm\n1/4 mw_advisor_aliases_alias_trgm\n"
                                      "2/4 mw_advisor_aliases_deliver_to_trgm\n3/4 mw_advisor_aliases_deliver_to\n"
                                      "4/4 done\n");
    else
      g_assert_cmpstr (seen->str, ==, "0/1 mw_advisor_aliases_deliver_to\n1/1 done\n");
    {
      g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

      g_assert_cmpstr (entry->action, ==, "index.create");
      g_assert_cmpstr (entry->target, ==, "mw_advisor_aliases_deliver_to");
    }
  }

  /* The same rows; PostgreSQL's search can use the trigram indexes. */
  {
    g_autofree char *users = search_rows (schema, tdb, MW_LIST_USERS, "LIC");
    g_autofree char *aliases = search_rows (schema, tdb, MW_LIST_ALIASES, "lic");
    g_autofree char *forwards = search_rows (schema, tdb, MW_LIST_FORWARDS, "alice.ex");

    g_assert_cmpstr (users, ==, users_before);
    g_assert_cmpstr (aliases, ==, aliases_before);
    g_assert_cmpstr (forwards, ==, forwards_before);
    if (pgsql)
      {
        g_autofree char *plan_forwards = explain_search (schema, tdb, MW_LIST_FORWARDS, "lic");
        g_autofree char *plan_users = explain_search (schema, tdb, MW_LIST_USERS, "lic");

        g_test_message ("forwards:\n%s\nusers:\n%s", plan_forwards, plan_users);
        mw_test_assert_contains (plan_forwards, "mw_advisor_aliases_alias_trgm");
        mw_test_assert_contains (plan_forwards, "mw_advisor_aliases_deliver_to_trgm");
        mw_test_assert_contains (plan_users, "mw_advisor_users_userid_trgm");
        mw_test_assert_contains (plan_users, "mw_advisor_aliases_alias_trgm");
      }
  }

  /* mailwarden-cli index-advisor: reads, then drops only Mailwarden's. */
  {
    g_autofree char *uri = mw_test_vmail_db_uri (tdb);
    g_auto(MwTestRun) r = { 0 };
    g_auto(MwTestRun) dry = { 0 };
    g_auto(MwTestRun) d = { 0 };
    g_auto(MwTestRun) j = { 0 };
    g_auto(MwTestRun) bad = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *now = NULL;
    JsonObject *o;

    mw_test_run_cli (&r, NULL, "--db", uri, "index-advisor", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "mw_advisor_aliases_deliver_to on dbmail_aliases b-tree (deliver_to): "
                                    "created by Mailwarden\n");
    mw_test_assert_contains (r.out, "Searching the Users and Aliases lists for “");
    mw_test_run_cli (&dry, NULL, "--db", uri, "index-advisor", "--drop", "--dry-run", NULL);
    g_assert_cmpint (dry.status, ==, 0);
    mw_test_assert_contains (dry.out, pgsql ? "Would drop 4 indexes Mailwarden created.\n"
                                            : "Would drop 1 index Mailwarden created.\n");
    now = catalog (tdb, TRUE);
    g_assert_cmpstr (now, ==, expected);
    g_clear_pointer (&now, g_free);

    mw_test_run_cli (&d, NULL, "--db", uri, "index-advisor", "--drop", NULL);
    g_assert_cmpint (d.status, ==, 0);
    mw_test_assert_contains (d.out, pgsql ? "Dropped 4 indexes Mailwarden created.\n"
                                          : "Dropped 1 index Mailwarden created.\n");
    mw_test_assert_contains (d.out, "The search took ");
    now = catalog (tdb, FALSE);
    g_assert_cmpstr (now, ==, admin_before);   /* the admin's own index is still there */
    mw_test_assert_contains (now, "admin_alias_group");

    mw_test_run_cli (&j, NULL, "--db", uri, "index-advisor", "--json", NULL);
    g_assert_cmpint (j.status, ==, 7);
    g_assert_true (json_parser_load_from_data (parser, j.out, -1, NULL));
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (o, "missing"), ==, pgsql ? 4 : 1);
    g_assert_false (json_object_get_boolean_member (o, "search_uses_index"));

    mw_test_run_cli (&bad, NULL, "--db", uri, "index-advisor", "--apply", "--drop", NULL);
    g_assert_cmpint (bad.status, ==, 1);
    mw_test_assert_contains (bad.err, "Choose --apply or --drop, not both.");
  }
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_add_both ("/index-advisor/dbmail", test_dbmail);
  return mw_test_run ();
}
