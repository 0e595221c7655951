/* mw-bench-vmail.c: times an ISPmail or PostfixAdmin database's lists and find
 * through the core's schema interface (MwSchema: the same list queries the
 * GUI pages and the CLI use) against the same SQL in psql / mariadb.
 *
 * Like mw-bench-lists.c (the DBMail users list), with the same floor
 * machinery (mw-bench-common.c):
 *
 * For each measurement the core call runs once to warm up and then --runs
 * times, each run followed by the same SQL text in one open session of
 * psql -X (\timing) or of the mariadb client (its "(x.xxx sec)", or SHOW
 * PROFILES when whole ms are too coarse), so that both see the same load on
 * a shared machine; the medians are printed side by side. The SQL is
 * the core's own (mw_schema_list_query, mw_list_query_build_*; find's
 * statements written out below from the flavour's code) and, on PostgreSQL, checked
 * against what the core really sent (pg_stat_activity of its connection).
 * Figures only: nothing here fails because something is slow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-bench-vmail"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mw-bench-common.h"

static char *opt_lists = NULL;

static const GOptionEntry entries[] = {
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Timed runs per measurement, after one warm-up (7)", "N" },
  { "page-size", 0, 0, G_OPTION_ARG_INT, &opt_page_size, "Rows per page (200)", "N" },
  { "workers", 0, 0, G_OPTION_ARG_INT, &opt_workers, "Worker connections of the model's pool (2)", "N" },
  { "search", 0, 0, G_OPTION_ARG_STRING, &opt_search, "Substring to search for (r00042)", "TEXT" },
  { "lists", 0, 0, G_OPTION_ARG_STRING, &opt_lists, "Only these: users,aliases,domains,find (all)", "LIST,..." },
  { "psql", 0, 0, G_OPTION_ARG_FILENAME, &opt_psql, "psql binary (psql)", "PATH" },
  { "mariadb", 0, 0, G_OPTION_ARG_FILENAME, &opt_mariadb, "mariadb client binary (mariadb)", "PATH" },
  { "no-floor", 0, 0, G_OPTION_ARG_NONE, &opt_no_floor, "Do not run the SQL through the command-line client", NULL },
  { "no-model", 0, 0, G_OPTION_ARG_NONE, &opt_no_model, "Skip the MwPagedModel measurements", NULL },
  { NULL }
};

/* CORE_FIND: the flavour's find, through MwSchema. */
static gint64
schema_find (Bench      *b,
             const char *text,
             GError    **error)
{
  g_autoptr(MwFound) found = NULL;
  g_autoptr(GError) local_error = NULL;

  found = mw_schema_find (b->schema, b->db, text, NULL, &local_error);
  if (found != NULL)
    return 1;
  if (g_error_matches (local_error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND))
    return 0;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return -1;
}

/* The whole run: the lists of a vmail flavour, through MwSchema */

static const char *
sort_word (MwListSort sort)
{
  switch (sort)
    {
    case MW_SORT_NAME: return "name";
    case MW_SORT_NUMBER: return "number";
    case MW_SORT_MAIL_SIZE: return "used";
    case MW_SORT_QUOTA: return "quota";
    case MW_SORT_LAST_LOGIN: return "last login";
    case MW_SORT_GROUP: return "domain";
    case MW_SORT_OWNER: return "mailbox";
    case MW_SORT_TARGET: return "target";
    case MW_SORT_COUNT: return "count";
    case MW_SORT_DEFAULT:
    default: return "default";
    }
}

static MwListQuery *
list_query (Bench      *b,
            MwListKind  kind,
            MwListSort  sort,
            const char *search)
{
  MwListRequest req = { .kind = kind, .sort = sort, .search = search };
  g_autoptr(GError) error = NULL;
  MwListQuery *query = mw_schema_list_query (b->schema, &req, &error);

  if (query == NULL)
    g_error ("cannot build the %s query: %s", mw_schema_get_list (b->schema, kind)->id, error->message);
  return query;
}

static void
measure_offset (Bench       *b,
                const char  *label,
                MwListQuery *query,
                guint64      offset,
                guint        limit,
                gboolean     reverse,
                MwDbResult **result_out)
{
  const MwDbValue *p;
  guint n_p;
  CoreCall call = { .kind = CORE_OFFSET, .query = query, .offset = offset, .limit = limit, .reverse = reverse };
  Statement st;

  p = mw_list_query_get_params (query, &n_p);
  st = statement_new (offset_sql (query, offset, limit, reverse), p, n_p, NULL, 0);
  measure (b, label, &call, &st, 1, result_out);
  statement_clear (&st);
}

static void
measure_count (Bench       *b,
               const char  *label,
               MwListQuery *query,
               gint64      *n_out)
{
  const MwDbValue *p;
  guint n_p;
  CoreCall call = { .kind = CORE_COUNT, .query = query };
  Statement st;
  g_autoptr(GError) error = NULL;

  p = mw_list_query_get_params (query, &n_p);
  st = statement_new (count_sql (query), p, n_p, NULL, 0);
  measure (b, label, &call, &st, 1, NULL);
  statement_clear (&st);
  if (n_out != NULL)
    {
      *n_out = mw_list_query_count (query, b->db, NULL, &error);
      if (*n_out < 0)
        g_error ("cannot count: %s", error->message);
    }
}

/* The text of a column (by its list id) in row @row of @page, or NULL. */
static char *
page_text (Bench      *b,
           MwListKind  kind,
           MwDbResult *page,
           guint       row,
           const char *column_id)
{
  const MwListInfo *info = mw_schema_get_list (b->schema, kind);
  const MwListColumn *col = info != NULL ? mw_list_info_find_column (info, column_id) : NULL;
  MwListValue value = { 0 };

  if (col == NULL || page == NULL || row >= mw_db_result_get_n_rows (page))
    return NULL;
  mw_list_column_read (col, page, row, &value);
  return value.is_null ? NULL : g_strdup (value.text);
}

/* One list: count, first page, anchors, jumps, each sort, a search. */
static void
run_list (Bench       *b,
          MwListKind   kind,
          const char  *search,
          MwDbResult **middle_out)
{
  const MwListInfo *info = mw_schema_get_list (b->schema, kind);
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) anchors = NULL;
  guint page = (guint) opt_page_size;
  gint64 n_items;
  g_autofree char *prefix = NULL;

  if (info == NULL)
    return;
  prefix = g_strdup_printf ("%s: ", info->id);
  g_free (b->prefix);
  b->prefix = g_strdup (prefix);
  g_printerr ("list %s\n", info->id);

  query = list_query (b, kind, info->default_sort, NULL);
  measure_count (b, "count", query, &n_items);
  measure_offset (b, "first page (OFFSET 0)", query, 0, page, FALSE, NULL);

  if (n_items > page)
    {
      const MwDbValue *up;
      guint n_up;

      up = mw_list_query_get_params (query, &n_up);
      {
        CoreCall call = { .kind = CORE_ANCHORS, .query = query, .limit = page };
        Statement st = statement_new (anchors_sql (query, page), up, n_up, NULL, 0);

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

          if (anchors != NULL && page_index < mw_db_result_get_n_rows (anchors))
            {
              CoreCall call = { .kind = CORE_AFTER, .query = query, .inclusive = TRUE, .limit = page,
                                .sort_value = mw_db_result_get_value (anchors, page_index, 0),
                                .key_value = mw_db_result_get_value (anchors, page_index, 1) };
              MwDbValue extra[] = { call.sort_value, call.key_value };
              Statement st = statement_new (after_sql (query, b->driver, TRUE, FALSE, page), up, n_up, extra, 2);

              measure (b, l_key, &call, &st, 1, which == 0 ? middle_out : NULL);
              statement_clear (&st);
            }
          if (which == 0)
            measure_offset (b, "page at 50%, OFFSET", query, offset, page, FALSE,
                            middle_out != NULL && *middle_out == NULL ? middle_out : NULL);
          else
            {
              /* What MwPagedModel runs past the middle before it has anchors. */
              guint count = (guint) MIN ((guint64) page, n_items - offset);
              guint64 from_end = n_items - offset - count;

              measure_offset (b, "page at 99%, OFFSET from the end", query, from_end, count, TRUE, NULL);
            }
        }
    }

  /* Every other sortable column: its first rows and its last (the jump to
   * the end before any anchor: OFFSET 0 in reverse). */
  for (guint c = 0; c < info->n_columns; c++)
    {
      const MwListColumn *col = &info->columns[c];
      g_autoptr(MwListQuery) sorted = NULL;
      g_autofree char *l_first = NULL;
      g_autofree char *l_last = NULL;
      gboolean seen = FALSE;

      if (col->sort == MW_SORT_DEFAULT || col->sort == info->default_sort)
        continue;
      for (guint k = 0; k < c; k++)
        seen |= info->columns[k].sort == col->sort;
      if (seen)
        continue;
      sorted = list_query (b, kind, col->sort, NULL);
      l_first = g_strdup_printf ("sort by %s: first page", sort_word (col->sort));
      l_last = g_strdup_printf ("sort by %s: last page", sort_word (col->sort));
      measure_offset (b, l_first, sorted, 0, page, FALSE, NULL);
      measure_offset (b, l_last, sorted, 0, page, TRUE, NULL);
    }
  {
    g_autoptr(MwListQuery) desc = NULL;
    MwListRequest req = { .kind = kind, .sort = info->default_sort, .descending = TRUE };

    desc = mw_schema_list_query (b->schema, &req, NULL);
    if (desc != NULL)
      measure_offset (b, "sort by name, descending: first page", desc, 0, page, FALSE, NULL);
  }

  if (search != NULL)
    {
      g_autoptr(MwListQuery) found = list_query (b, kind, info->default_sort, search);
      g_autofree char *l_count = g_strdup_printf ("search \"%s\": count", search);
      g_autofree char *l_page = g_strdup_printf ("search \"%s\": first page", search);

      measure_count (b, l_count, found, NULL);
      measure_offset (b, l_page, found, 0, page, FALSE, NULL);
    }

  if (!opt_no_model && n_items > page && kind != MW_LIST_DOMAINS)
    measure_model (b, query);
}

/* The statements mw_schema_find runs, in order, for each kind of text:
 * written out here from the flavour's find code (src/core/schema/mw-*-lists.c);
 * on PostgreSQL check_sent() compares the last with what the core sent. */
typedef enum
{
  FIND_MAILBOX,      /* a mailbox's address */
  FIND_ALIAS,        /* an alias's address */
  FIND_LOCAL_PART,   /* a local part that one mailbox has */
  FIND_CATCH_ALL,    /* an unknown address in a domain: down to the domain's catch-all */
} FindKind;

static guint
find_statements (Bench      *b,
                 FindKind    kind,
                 const char *text,
                 const char *alias_target,
                 Statement  *st)
{
  gboolean pg = b->driver == MW_DB_DRIVER_PGSQL;
  /* The statements borrow their values: these live as long as the run. */
  static GPtrArray *kept = NULL;
  char *lower = g_utf8_strdown (text, -1);
  const char *at = strrchr (text, '@');
  guint n = 0;

  if (kept == NULL)
    kept = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (kept, lower);

#define ADD(sql_, value_) \
  G_STMT_START { \
    MwDbValue v_[] = { MW_DB_TEXT (value_) }; \
    st[n++] = statement_new (g_strdup (sql_), v_, 1, NULL, 0); \
  } G_STMT_END

  if (b->info->kind == MW_SCHEMA_ISPMAIL)
    {
      const char *mailbox = pg ? "SELECT id, email FROM virtual_users WHERE email = lower($1) ORDER BY id LIMIT 1"
                               : "SELECT id, email FROM virtual_users WHERE email = $1 ORDER BY id LIMIT 1";
      const char *mailbox_ci = "SELECT id, email FROM virtual_users WHERE lower(email) = lower($1) ORDER BY id LIMIT 1";
      const char *alias = pg ? "SELECT a.source, a.destination, u.id, u.email FROM virtual_aliases a "
                               "LEFT JOIN virtual_users u ON u.email = lower(a.destination) WHERE a.source = lower($1) "
                               "ORDER BY CASE WHEN u.id IS NULL THEN 1 ELSE 0 END, a.id"
                             : "SELECT a.source, a.destination, u.id, u.email FROM virtual_aliases a "
                               "LEFT JOIN virtual_users u ON u.email = a.destination WHERE a.source = $1 "
                               "ORDER BY CASE WHEN u.id IS NULL THEN 1 ELSE 0 END, a.id";

      ADD (mailbox, text);
      if (kind == FIND_MAILBOX)
        return n;
      ADD (alias, text);
      if (kind == FIND_ALIAS)
        return n;
      if (pg)
        ADD (mailbox_ci, text);
      if (kind == FIND_LOCAL_PART)
        {
          char *pattern = g_strconcat (lower, "@%", NULL);

          g_ptr_array_add (kept, pattern);

          ADD ("SELECT id, email FROM virtual_users WHERE lower(email) LIKE $1 ORDER BY id LIMIT 2", pattern);
          return n;
        }
      ADD (alias, at);
      return n;
    }

  {
    /* PostgreSQL: the stored (lowercase) column against the folded value,
     * so that the primary key serves, as the core's stored_equal (). */
    const char *mailbox = pg ? "SELECT username FROM mailbox WHERE username = lower($1) "
                               "ORDER BY CASE WHEN username = $1 THEN 0 ELSE 1 END, username LIMIT 1"
                             : "SELECT username FROM mailbox WHERE username = $1 "
                               "ORDER BY CASE WHEN username = $1 THEN 0 ELSE 1 END, username LIMIT 1";
    const char *alias = pg ? "SELECT address, goto FROM alias WHERE address = lower($1) "
                             "ORDER BY CASE WHEN address = $1 THEN 0 ELSE 1 END LIMIT 1"
                           : "SELECT address, goto FROM alias WHERE address = $1 "
                             "ORDER BY CASE WHEN address = $1 THEN 0 ELSE 1 END LIMIT 1";

    ADD (mailbox, text);
    if (kind == FIND_MAILBOX)
      return n;
    ADD (alias, text);
    if (kind == FIND_ALIAS)
      {
        if (alias_target != NULL)
          ADD (mailbox, alias_target);
        return n;
      }
    if (kind == FIND_LOCAL_PART)
      {
        ADD (pg ? "SELECT username FROM mailbox WHERE local_part = lower($1) ORDER BY username LIMIT 2"
                : "SELECT username FROM mailbox WHERE local_part = $1 ORDER BY username LIMIT 2", text);
        return n;
      }
    ADD (alias, at);
    return n;
  }
#undef ADD
}

static void
measure_find (Bench      *b,
              FindKind    kind,
              const char *label,
              const char *text,
              const char *alias_target)
{
  CoreCall call = { .kind = CORE_FIND, .text = text };
  Statement st[8] = { { 0 } };
  guint n = find_statements (b, kind, text, alias_target, st);
  g_autofree char *note = NULL;
  Row *row;

  row = measure (b, label, &call, st, n, NULL);
  note = g_strdup_printf ("%s; %u statements", text, n);
  g_free (row->note);
  row->note = g_steal_pointer (&note);
  for (guint i = 0; i < n; i++)
    statement_clear (&st[i]);
}

static void
run_all (Bench *b)
{
  g_autoptr(MwDbResult) mailboxes_middle = NULL;
  g_autoptr(MwDbResult) aliases_middle = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mailbox = NULL;
  g_autofree char *alias = NULL;
  g_autofree char *alias_target = NULL;
  Row *row;

  /* connect: part of the model's time to first rows, with no floor of its own */
  {
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (double));

    for (int run = 0; run <= opt_runs; run++)
      {
        gint64 start = g_get_monotonic_time ();
        MwDb *db = mw_db_connect (b->settings, NULL, &error);
        double ms = ms_since (start);
        g_autoptr(MwSchema) schema = NULL;

        if (db == NULL)
          g_error ("cannot connect: %s", error->message);
        start = g_get_monotonic_time ();
        schema = mw_schema_open (db, NULL, &error);
        if (schema == NULL)
          g_error ("cannot open the schema: %s", error->message);
        if (run > 0)
          {
            double open_ms = ms_since (start);

            g_array_append_val (times, ms);
            g_array_append_val (opens, open_ms);
          }
        mw_db_close (db);
      }
    row = add_row (b, "connect (mw_db_connect)");
    row->core_ms = median (times);
    row->note = g_strdup ("no floor");
    row = add_row (b, "detect the flavour (mw_schema_open)");
    row->core_ms = median (opens);
    row->note = g_strdup ("no floor");
  }

  if (opt_lists == NULL || strstr (opt_lists, "users") != NULL)
    run_list (b, MW_LIST_USERS, opt_search != NULL ? opt_search : "r00042", &mailboxes_middle);
  if (opt_lists == NULL || strstr (opt_lists, "users") != NULL)
    {
      /* The domain a search by domain looks for; the list's search is a substring. */
      g_autoptr(MwListQuery) by_domain = NULL;
      const MwListInfo *info = mw_schema_get_list (b->schema, MW_LIST_USERS);

      by_domain = list_query (b, MW_LIST_USERS, info->default_sort, "@domain17.example");
      measure_count (b, "search \"@domain17.example\": count", by_domain, NULL);
      measure_offset (b, "search \"@domain17.example\": first page", by_domain, 0, (guint) opt_page_size, FALSE, NULL);
    }
  if (opt_lists == NULL || strstr (opt_lists, "aliases") != NULL)
    run_list (b, MW_LIST_ALIASES, opt_search != NULL ? opt_search : "r00042", &aliases_middle);
  if (opt_lists == NULL || strstr (opt_lists, "domains") != NULL)
    run_list (b, MW_LIST_DOMAINS, "domain17", NULL);

  if (opt_lists != NULL && strstr (opt_lists, "find") == NULL)
    return;
  g_free (b->prefix);
  b->prefix = g_strdup ("find: ");
  g_printerr ("find\n");
  if (mailboxes_middle == NULL)
    {
      g_autoptr(MwListQuery) q = list_query (b, MW_LIST_USERS, MW_SORT_DEFAULT, NULL);
      gint64 n = mw_list_query_count (q, b->db, NULL, NULL);

      mailboxes_middle = mw_list_query_fetch_offset (q, b->db, n > 0 ? (guint64) n / 2 : 0, 10, FALSE, NULL, NULL);
    }
  if (aliases_middle == NULL)
    {
      g_autoptr(MwListQuery) q = list_query (b, MW_LIST_ALIASES, MW_SORT_DEFAULT, NULL);
      gint64 n = mw_list_query_count (q, b->db, NULL, NULL);

      aliases_middle = mw_list_query_fetch_offset (q, b->db, n > 0 ? (guint64) n / 2 : 0, 10, FALSE, NULL, NULL);
    }
  /* A user0…-style mailbox: its local part is in one mailbox only. */
  for (guint i = 0; mailboxes_middle != NULL && i < mw_db_result_get_n_rows (mailboxes_middle) && mailbox == NULL; i++)
    {
      g_autofree char *name = page_text (b, MW_LIST_USERS, mailboxes_middle, i, "name");

      if (name != NULL && g_str_has_prefix (name, "user"))
        mailbox = g_steal_pointer (&name);
    }
  alias = page_text (b, MW_LIST_ALIASES, aliases_middle, 0, "address");
  alias_target = page_text (b, MW_LIST_ALIASES, aliases_middle, 0, "user");

  if (mailbox != NULL)
    {
      g_autofree char *local = g_strndup (mailbox, strcspn (mailbox, "@"));
      g_autofree char *nobody = g_strconcat ("nobody", strchr (mailbox, '@'), NULL);

      measure_find (b, FIND_MAILBOX, "by address (a mailbox)", mailbox, NULL);
      if (alias != NULL)
        measure_find (b, FIND_ALIAS, "by address (an alias)", alias, alias_target);
      measure_find (b, FIND_LOCAL_PART, "by local part", local, NULL);
      measure_find (b, FIND_CATCH_ALL, "by domain (unknown address -> catch-all)", nobody, NULL);
    }
  else
    {
      row = add_row (b, "find");
      row->note = g_strdup ("no mailbox to look for");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  Bench b = { .find = schema_find, .model_counts = TRUE };
  int status = bench_connect (&b, "URI - time an ISPmail or PostfixAdmin database's lists through the core and psql/mariadb", entries, argc, argv);

  if (status != 0)
    return status;
  b.schema = mw_schema_open (b.db, NULL, &error);
  if (b.schema == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  b.info = mw_schema_get_info (b.schema);
  if (b.info->kind != MW_SCHEMA_ISPMAIL && b.info->kind != MW_SCHEMA_POSTFIXADMIN)
    {
      g_printerr ("not an ISPmail or PostfixAdmin database (bench/mw-bench-lists measures DBMail)\n");
      return 2;
    }

  bench_begin (&b, "mw-bench-vmail");

  run_all (&b);

  g_print ("\n%s\n", b.title);
  {
    g_autofree char *what = mw_schema_describe (b.schema);

    g_print ("%s: lists and find through MwSchema, page %d rows, median of %d runs after 1 warm-up, %u processors\n",
             what, opt_page_size, opt_runs, g_get_num_processors ());
  }
  bench_report (&b, "mw-bench-vmail", 58);
  bench_close (&b);
  return 0;
}
