/* mw-bench-lists.c: times the core's users list against the same SQL in psql / mariadb.
 *
 * For each measurement the core call runs once to warm up and then --runs
 * times, each run followed by the same SQL text in one open session of
 * psql -X (\timing) or of the mariadb client (its "(x.xxx sec)", or SHOW
 * PROFILES when whole ms are too coarse), so that both see the same load on
 * a shared machine; the medians are printed side by side. The SQL is
 * rebuilt here from the core's own pieces (mw_dbmail_list_query, the dialect
 * helpers, the formats of mw-list-query.c) and, on PostgreSQL, checked
 * against what the core really sent (pg_stat_activity of its connection).
 * Figures only: nothing here fails because something is slow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-bench-lists"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mw-bench-common.h"
#include "mw-dbmail.h"

static char *opt_alias = NULL;

static const GOptionEntry entries[] = {
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Timed runs per measurement, after one warm-up (7)", "N" },
  { "page-size", 0, 0, G_OPTION_ARG_INT, &opt_page_size, "Rows per page (200)", "N" },
  { "workers", 0, 0, G_OPTION_ARG_INT, &opt_workers, "Worker connections of the model's pool (2)", "N" },
  { "search", 0, 0, G_OPTION_ARG_STRING, &opt_search, "Substring to search for (r00042)", "TEXT" },
  { "alias", 0, 0, G_OPTION_ARG_STRING, &opt_alias, "Address for find-by-alias (default: one of the middle user's)", "ADDR" },
  { "psql", 0, 0, G_OPTION_ARG_FILENAME, &opt_psql, "psql binary (psql)", "PATH" },
  { "mariadb", 0, 0, G_OPTION_ARG_FILENAME, &opt_mariadb, "mariadb client binary (mariadb)", "PATH" },
  { "no-floor", 0, 0, G_OPTION_ARG_NONE, &opt_no_floor, "Do not run the SQL through the command-line client", NULL },
  { "no-model", 0, 0, G_OPTION_ARG_NONE, &opt_no_model, "Skip the MwPagedModel measurements", NULL },
  { NULL }
};

/* CORE_FIND: the core's find of a user, by name or by alias. */
static gint64
find_user (Bench      *b,
           const char *text,
           GError    **error)
{
  g_autoptr(MwFound) found = mw_dbmail_find_user (b->db, text, NULL, error);

  return found != NULL ? 1 : -1;
}

#define NOT_SYSTEM(col) col " NOT IN ('" MW_DBMAIL_DELIVERY_USER "', '" MW_DBMAIL_ANYONE_USER "', '" MW_DBMAIL_PUBLIC_USER "')"

static char *
find_by_name_sql (MwDbDriver driver)
{
  g_autofree char *eq = mw_sql_ci_equal (driver, "userid", "$1");

  return g_strdup_printf ("SELECT user_idnr, userid FROM {users} WHERE %s AND " NOT_SYSTEM ("userid")
                          " ORDER BY CASE WHEN userid = $1 THEN 0 ELSE 1 END, user_idnr LIMIT 1", eq);
}

static char *
resolve_alias_sql (MwDbDriver driver)
{
  g_autofree char *eq = mw_sql_ci_equal (driver, "a.alias", "$1");
  g_autofree char *to_bigint = mw_sql_text_to_bigint (driver, "a.deliver_to");

  return g_strdup_printf ("SELECT a.alias, a.deliver_to, u.user_idnr, u.userid FROM {aliases} a "
                          "LEFT JOIN {users} u ON u.user_idnr = %s "
                          "WHERE %s AND lower(a.alias) <> lower(a.deliver_to) "
                          "ORDER BY u.userid IS NULL, a.alias_idnr", to_bigint, eq);
}

/* The whole run */

static MwListQuery *
users_query (Bench      *b,
             const char *search)
{
  MwListRequest req = { .kind = MW_LIST_USERS, .sort = MW_SORT_NAME, .search = search };
  g_autoptr(GError) error = NULL;
  MwListQuery *query = mw_dbmail_list_query (b->driver, &req, &error);

  if (query == NULL)
    g_error ("cannot build the users query: %s", error->message);
  return query;
}

/* An address of the user in the middle of the list that is not its name. */
static char *
pick_alias (Bench      *b,
            MwDbResult *middle_page)
{
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *idnr = NULL;
  int col;

  if (middle_page == NULL || mw_db_result_get_n_rows (middle_page) == 0 ||
      (col = mw_db_result_find_col (middle_page, "user_idnr")) < 0)
    return NULL;
  idnr = g_strdup_printf ("%" G_GINT64_FORMAT, mw_db_result_get_int64 (middle_page, 0, col));
  result = mw_db_exec (b->db, "SELECT alias FROM {aliases} WHERE deliver_to = $1 ORDER BY alias_idnr DESC",
                       (MwDbValue[]) { MW_DB_TEXT (idnr) }, 1, NULL, &error);
  if (result == NULL || mw_db_result_get_n_rows (result) == 0)
    return NULL;
  return g_strdup (mw_db_result_get_string (result, 0, 0));
}

static void
run_all (Bench *b)
{
  g_autoptr(MwListQuery) users = users_query (b, NULL);
  g_autoptr(MwListQuery) search = users_query (b, opt_search != NULL ? opt_search : "r00042");
  g_autoptr(MwDbResult) anchors = NULL;
  g_autoptr(MwDbResult) middle = NULL;
  g_autofree char *alias = NULL;
  const MwDbValue *up, *sp;
  guint n_up, n_sp;
  guint page = (guint) opt_page_size;
  gint64 n_items;
  g_autoptr(GError) error = NULL;
  Row *row;

  up = mw_list_query_get_params (users, &n_up);
  sp = mw_list_query_get_params (search, &n_sp);

  /* connect: part of the model's time to first rows, with no floor of its own */
  {
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

    for (int run = 0; run <= opt_runs; run++)
      {
        gint64 start = g_get_monotonic_time ();
        MwDb *db = mw_db_connect (b->settings, NULL, &error);
        double ms = ms_since (start);

        if (db == NULL)
          g_error ("cannot connect: %s", error->message);
        mw_db_close (db);
        if (run > 0)
          g_array_append_val (times, ms);
      }
    row = add_row (b, "connect (mw_db_connect)");
    row->core_ms = median (times);
    row->note = g_strdup ("no floor");
  }

  /* count */
  {
    CoreCall call = { .kind = CORE_COUNT, .query = users };
    Statement st = statement_new (count_sql (users), up, n_up, NULL, 0);

    measure (b, "count", &call, &st, 1, NULL);
    statement_clear (&st);
  }
  n_items = mw_list_query_count (users, b->db, NULL, &error);
  if (n_items < 0)
    g_error ("cannot count the users: %s", error->message);

  /* first page */
  {
    CoreCall call = { .kind = CORE_OFFSET, .query = users, .offset = 0, .limit = page };
    Statement st = statement_new (offset_sql (users, 0, page, FALSE), up, n_up, NULL, 0);

    measure (b, "first page (OFFSET 0)", &call, &st, 1, NULL);
    statement_clear (&st);
  }

  /* anchors */
  {
    CoreCall call = { .kind = CORE_ANCHORS, .query = users, .limit = page };
    Statement st = statement_new (anchors_sql (users, page), up, n_up, NULL, 0);

    measure (b, ANCHORS_LABEL, &call, &st, 1, &anchors);
    statement_clear (&st);
  }

  for (guint which = 0; which < 2; which++)
    {
      double share = which == 0 ? 0.50 : 0.99;
      const char *pct = which == 0 ? "50%" : "99%";
      guint64 position = (guint64) (n_items * share);
      guint page_index = (guint) (position / page);
      guint64 offset = (guint64) page_index * page;
      g_autofree char *l_key = g_strdup_printf ("page at %s, keyset from anchor", pct);
      g_autofree char *l_off = g_strdup_printf ("page at %s, OFFSET", pct);

      if (anchors != NULL && page_index < mw_db_result_get_n_rows (anchors))
        {
          CoreCall call = { .kind = CORE_AFTER, .query = users, .inclusive = TRUE, .limit = page,
                            .sort_value = mw_db_result_get_value (anchors, page_index, 0),
                            .key_value = mw_db_result_get_value (anchors, page_index, 1) };
          MwDbValue extra[] = { call.sort_value, call.key_value };
          Statement st = statement_new (after_sql (users, b->driver, TRUE, FALSE, page), up, n_up, extra, 2);

          measure (b, l_key, &call, &st, 1, which == 0 ? &middle : NULL);
          statement_clear (&st);
        }

      {
        CoreCall call = { .kind = CORE_OFFSET, .query = users, .offset = offset, .limit = page };
        Statement st = statement_new (offset_sql (users, offset, page, FALSE), up, n_up, NULL, 0);

        measure (b, l_off, &call, &st, 1, NULL);
        statement_clear (&st);
      }

      if (which == 1)
        {
          /* What MwPagedModel runs past the middle before it has anchors. */
          guint count = (guint) MIN ((guint64) page, n_items - offset);
          guint64 from_end = n_items - offset - count;
          CoreCall call = { .kind = CORE_OFFSET, .query = users, .offset = from_end, .limit = count,
                            .reverse = TRUE };
          Statement st = statement_new (offset_sql (users, from_end, count, TRUE), up, n_up, NULL, 0);

          measure (b, "page at 99%, OFFSET from the end", &call, &st, 1, NULL);
          statement_clear (&st);
        }
    }

  /* substring search */
  {
    g_autofree char *l_count = g_strdup_printf ("search \"%s\": count", opt_search != NULL ? opt_search : "r00042");
    g_autofree char *l_page = g_strdup_printf ("search \"%s\": first page", opt_search != NULL ? opt_search : "r00042");
    CoreCall count_call = { .kind = CORE_COUNT, .query = search };
    CoreCall page_call = { .kind = CORE_OFFSET, .query = search, .offset = 0, .limit = page };
    Statement count_st = statement_new (count_sql (search), sp, n_sp, NULL, 0);
    Statement page_st = statement_new (offset_sql (search, 0, page, FALSE), sp, n_sp, NULL, 0);

    measure (b, l_count, &count_call, &count_st, 1, NULL);
    measure (b, l_page, &page_call, &page_st, 1, NULL);
    statement_clear (&count_st);
    statement_clear (&page_st);
  }

  /* find by alias */
  alias = opt_alias != NULL ? g_strdup (opt_alias) : pick_alias (b, middle);
  if (alias != NULL)
    {
      CoreCall call = { .kind = CORE_FIND, .text = alias };
      MwDbValue v[] = { MW_DB_TEXT (alias) };
      Statement st[2] = {
        statement_new (find_by_name_sql (b->driver), v, 1, NULL, 0),
        statement_new (resolve_alias_sql (b->driver), v, 1, NULL, 0),
      };

      row = measure (b, "find by alias (name, then alias)", &call, st, 2, NULL);
      g_free (row->note);
      row->note = g_strdup (alias);
      statement_clear (&st[0]);
      statement_clear (&st[1]);
    }
  else
    {
      row = add_row (b, "find by alias");
      row->note = g_strdup ("no alias to look for");
    }

  if (!opt_no_model)
    measure_model (b, users);
}

int
main (int   argc,
      char *argv[])
{
  Bench b = { .find = find_user };
  int status = bench_connect (&b, "URI - time the users list through the core and through psql/mariadb", entries, argc, argv);

  if (status != 0)
    return status;

  bench_begin (&b, "mw-bench-lists");

  run_all (&b);

  g_print ("\n%s\n", b.title);
  g_print ("users list sorted by name, page %d rows, median of %d runs after 1 warm-up, %u processors\n",
           opt_page_size, opt_runs, g_get_num_processors ());
  bench_report (&b, "mw-bench-lists", 42);
  bench_close (&b);
  return 0;
}
