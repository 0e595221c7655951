/* mw-list-query.c: paging SQL over a list's inner SELECT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-list-query"

#include "config.h"

#include <string.h>

#include "mw-db-private.h"
#include "mw-list-query.h"
#include "mw-sql-dialect.h"

struct _MwListQuery
{
  gatomicrefcount ref_count;
  char           *inner_sql;
  char           *sort_col;
  char           *key_col;
  gboolean        descending;
  gboolean        single;   /* the sort column alone is unique: no second key */
  char           *estimate_sql;
  char           *count_sql;    /* the exact count's own statement, or NULL */
  char           *details;  /* select-list over a page's rows "d", or NULL */
  char           *details_from; /* joins after "d" for it, or NULL */
  char           *page_suffix;  /* after the inner SELECT in page statements, or NULL */
  char           *paged_inner;  /* the inner SELECT for page statements, with the page token, or NULL */
  char           *source_col;   /* the source rows' key in it */
  gboolean        snapshot;     /* pages are read by key from a snapshot of the keys */
  GArray         *params;   /* MwDbValue */
  GPtrArray      *strings;  /* owned text of params */
};

MwListQuery *
mw_list_query_new (const char *inner_sql,
                   const char *sort_col,
                   const char *key_col,
                   gboolean    descending)
{
  MwListQuery *self = g_new0 (MwListQuery, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->inner_sql = g_strdup (inner_sql);
  self->sort_col = g_strdup (sort_col);
  self->key_col = g_strdup (key_col != NULL ? key_col : sort_col);
  self->single = g_str_equal (self->key_col, sort_col);
  self->descending = descending;
  self->params = g_array_new (FALSE, TRUE, sizeof (MwDbValue));
  self->strings = g_ptr_array_new_with_free_func (g_free);
  return self;
}

MwListQuery *
mw_list_query_ref (MwListQuery *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mw_list_query_unref (MwListQuery *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->inner_sql);
  g_free (self->sort_col);
  g_free (self->key_col);
  g_free (self->estimate_sql);
  g_free (self->count_sql);
  g_free (self->details);
  g_free (self->page_suffix);
  g_free (self->details_from);
  g_free (self->paged_inner);
  g_free (self->source_col);
  g_array_unref (self->params);
  g_ptr_array_unref (self->strings);
  g_free (self);
}

void
mw_list_query_add_text (MwListQuery *self,
                        const char  *value)
{
  char *copy = g_strdup (value);
  MwDbValue v = MW_DB_TEXT (copy);

  g_ptr_array_add (self->strings, copy);
  g_array_append_val (self->params, v);
}

void
mw_list_query_add_int64 (MwListQuery *self,
                         gint64       value)
{
  MwDbValue v = MW_DB_INT64 (value);

  g_array_append_val (self->params, v);
}

void
mw_list_query_set_estimate_sql (MwListQuery *self,
                                const char  *sql)
{
  g_free (self->estimate_sql);
  self->estimate_sql = g_strdup (sql);
}

void
mw_list_query_set_count_sql (MwListQuery *self,
                             const char  *sql)
{
  g_free (self->count_sql);
  self->count_sql = g_strdup (sql);
}

const char *
mw_list_query_get_estimate_sql (MwListQuery *self)
{
  return self->estimate_sql;
}

const char *
mw_list_query_get_inner_sql (MwListQuery *self)
{
  return self->inner_sql;
}

const char *
mw_list_query_get_sort_col (MwListQuery *self)
{
  return self->sort_col;
}

const char *
mw_list_query_get_key_col (MwListQuery *self)
{
  return self->key_col;
}

gboolean
mw_list_query_get_descending (MwListQuery *self)
{
  return self->descending;
}

const MwDbValue *
mw_list_query_get_params (MwListQuery *self,
                          guint       *n_params)
{
  *n_params = self->params->len;
  return (const MwDbValue *) self->params->data;
}

static char *
order_by_on (MwListQuery *self,
             gboolean     reverse,
             const char  *table)
{
  const char *dir = (self->descending != reverse) ? " DESC" : "";

  /* A redundant second key costs MariaDB its index (a filesort of every row)
   * and PostgreSQL an incremental sort. */
  if (self->single)
    return g_strdup_printf ("ORDER BY %s.%s%s", table, self->sort_col, dir);
  return g_strdup_printf ("ORDER BY %s.%s%s, %s.%s%s", table, self->sort_col, dir, table, self->key_col, dir);
}

static char *
order_by (MwListQuery *self,
          gboolean     reverse)
{
  return order_by_on (self, reverse, "t");
}

void
mw_list_query_set_details (MwListQuery *self,
                           const char  *select_list)
{
  g_free (self->details);
  self->details = g_strdup (select_list);
}

void
mw_list_query_set_details_from (MwListQuery *self,
                                const char  *joins)
{
  g_free (self->details_from);
  self->details_from = g_strdup (joins);
}

void
mw_list_query_set_page_suffix (MwListQuery *self,
                               const char  *suffix)
{
  g_free (self->page_suffix);
  self->page_suffix = g_strdup (suffix);
}

void
mw_list_query_set_paged_inner (MwListQuery *self,
                               const char  *paged_inner,
                               const char  *source_col)
{
  g_return_if_fail (paged_inner == NULL || strstr (paged_inner, MW_LIST_QUERY_PAGE_TOKEN) != NULL);
  g_free (self->paged_inner);
  g_free (self->source_col);
  self->paged_inner = g_strdup (paged_inner);
  self->source_col = g_strdup (source_col);
}

void
mw_list_query_set_snapshot (MwListQuery *self,
                            gboolean     snapshot)
{
  self->snapshot = snapshot;
}

gboolean
mw_list_query_get_snapshot (MwListQuery *self)
{
  return self->snapshot;
}

/* The inner SELECT as a page statement reads it. */
static const char *
page_inner (MwListQuery *self,
            char       **owned)
{
  if (self->page_suffix == NULL)
    return self->inner_sql;
  *owned = g_strconcat (self->inner_sql, self->page_suffix, NULL);
  return *owned;
}

/* The inner SELECT of a page statement: the paged form, when there is one,
 * with @limit_clause ("AND ... ORDER BY ... LIMIT n") at its token. */
static const char *
page_inner_limited (MwListQuery *self,
                    const char  *limit_clause,
                    char       **owned)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  if (self->paged_inner == NULL)
    return page_inner (self, owned);
  parts = g_strsplit (self->paged_inner, MW_LIST_QUERY_PAGE_TOKEN, -1);
  joined = g_strjoinv (limit_clause, parts);
  *owned = g_strconcat (joined, self->page_suffix != NULL ? self->page_suffix : "", NULL);
  return *owned;
}

/* A page with its detail columns computed for its own rows only: as a
 * derived table with a LIMIT, the page cannot be merged into the outer
 * query, so neither server evaluates the details for the whole list. */
static char *
with_details (MwListQuery *self,
              char        *page_sql,
              gboolean     reverse)
{
  g_autofree char *order = NULL;
  char *sql;

  if (self->details == NULL)
    return page_sql;
  order = order_by_on (self, reverse, "d");
  sql = g_strdup_printf ("SELECT d.*, %s FROM (%s) d %s%s%s", self->details, page_sql,
                         self->details_from != NULL ? self->details_from : "",
                         self->details_from != NULL ? " " : "", order);
  g_free (page_sql);
  return sql;
}

/* The statements, for the fetch functions below and for benchmarks that run
 * the very same text through psql or mariadb. */

char *
mw_list_query_build_count_sql (MwListQuery *self)
{
  if (self->count_sql != NULL)
    return g_strdup (self->count_sql);
  return g_strdup_printf ("SELECT count(*) AS n FROM (%s) t", self->inner_sql);
}

char *
mw_list_query_build_offset_sql (MwListQuery *self,
                                guint64      offset,
                                guint        limit,
                                gboolean     reverse)
{
  g_autofree char *order = order_by (self, reverse);
  g_autofree char *owned = NULL;
  g_autofree char *source = NULL;

  /* The first offset + limit source rows give at least that many rows. */
  if (self->paged_inner != NULL)
    source = g_strdup_printf (" ORDER BY %s%s LIMIT %" G_GUINT64_FORMAT, self->source_col,
                              self->descending != reverse ? " DESC" : "", offset + limit);
  return with_details (self, g_strdup_printf ("SELECT * FROM (%s) t %s LIMIT %u OFFSET %" G_GUINT64_FORMAT,
                                              page_inner_limited (self, source, &owned), order, limit, offset),
                       reverse);
}

char *
mw_list_query_build_after_sql (MwListQuery *self,
                               MwDbDriver   driver,
                               gboolean     inclusive,
                               gboolean     reverse,
                               guint        limit)
{
  g_autofree char *sort = g_strdup_printf ("t.%s", self->sort_col);
  g_autofree char *key = g_strdup_printf ("t.%s", self->key_col);
  const char *cols[] = { sort, key };
  g_autofree char *cond = mw_sql_row_compare (driver, cols, self->single ? 1 : 2, self->params->len + 1,
                                              self->descending != reverse, inclusive);
  g_autofree char *order = order_by (self, reverse);
  g_autofree char *owned = NULL;
  g_autofree char *source = NULL;

  /* The source row of the key itself may give no row after it; every
   * later one gives at least one. */
  if (self->paged_inner != NULL)
    source = g_strdup_printf (" AND %s %s= $%u ORDER BY %s%s LIMIT %u", self->source_col,
                              self->descending != reverse ? "<" : ">", self->params->len + 1, self->source_col,
                              self->descending != reverse ? " DESC" : "", limit + 1);
  return with_details (self, g_strdup_printf ("SELECT * FROM (%s) t WHERE %s %s LIMIT %u",
                                              page_inner_limited (self, source, &owned), cond, order, limit),
                       reverse);
}

char *
mw_list_query_build_anchors_sql (MwListQuery *self,
                                 guint        page_size)
{
  const char *dir = self->descending ? " DESC" : "";

  if (self->single)
    return g_strdup_printf ("SELECT x.mw_sort, x.mw_sort AS mw_key FROM ("
                            "SELECT t.%s AS mw_sort, "
                            "ROW_NUMBER() OVER (ORDER BY t.%s%s) AS mw_rn FROM (%s) t) x "
                            "WHERE MOD(x.mw_rn - 1, %u) = 0 ORDER BY x.mw_rn",
                            self->sort_col, self->sort_col, dir, self->inner_sql, page_size);
  return g_strdup_printf ("SELECT x.mw_sort, x.mw_key FROM ("
                          "SELECT t.%s AS mw_sort, t.%s AS mw_key, "
                          "ROW_NUMBER() OVER (ORDER BY t.%s%s, t.%s%s) AS mw_rn FROM (%s) t) x "
                          "WHERE MOD(x.mw_rn - 1, %u) = 0 ORDER BY x.mw_rn",
                          self->sort_col, self->key_col, self->sort_col, dir, self->key_col, dir,
                          self->inner_sql, page_size);
}

/* The keys alone, sorted once: the page suffix applies (the list is read
 * the way its pages read it). */
char *
mw_list_query_build_keys_sql (MwListQuery *self)
{
  g_autofree char *order = order_by (self, FALSE);
  g_autofree char *owned = NULL;

  return g_strdup_printf ("SELECT t.%s FROM (%s) t %s", self->key_col, page_inner (self, &owned), order);
}

/* The rows of some keys: without the page suffix, so that both servers
 * look the keys up instead of reading the list (MariaDB merges the derived
 * table; PostgreSQL pushes the condition below a GROUP BY on the key). The
 * keys are integers the snapshot read, written as literals. */
char *
mw_list_query_build_by_keys_sql (MwListQuery  *self,
                                 const gint64 *keys,
                                 guint         n_keys)
{
  g_autofree char *order = order_by (self, FALSE);
  g_autoptr(GString) in = g_string_new (NULL);

  g_return_val_if_fail (n_keys > 0, NULL);
  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (in, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", keys[i]);
  return with_details (self, g_strdup_printf ("SELECT * FROM (%s) t WHERE t.%s IN (%s) %s",
                                              self->inner_sql, self->key_col, in->str, order), FALSE);
}

/* A statement of this list, with its parameters. */
static MwDbResult *
exec_sql (MwListQuery   *self,
          MwDb          *db,
          const char    *sql,
          GCancellable  *cancellable,
          GError       **error)
{
  return mw_db_exec (db, sql, (const MwDbValue *) self->params->data, self->params->len, cancellable, error);
}

gint64
mw_list_query_count (MwListQuery   *self,
                     MwDb          *db,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *sql = mw_list_query_build_count_sql (self);
  g_autoptr(MwDbResult) result = NULL;

  result = exec_sql (self, db, sql, cancellable, error);
  if (result == NULL)
    return -1;
  return mw_db_result_get_int64 (result, 0, 0);
}


/* Rows came in reverse order; put them back in list order. */
static void
reverse_rows (MwDbResult *result)
{
  guint n = result->n_rows;
  guint cols = result->n_cols;

  if (cols == 0)
    return;
  for (guint i = 0; i < n / 2; i++)
    {
      MwDbCell *a = &g_array_index (result->cells, MwDbCell, i * cols);
      MwDbCell *b = &g_array_index (result->cells, MwDbCell, (n - 1 - i) * cols);

      for (guint c = 0; c < cols; c++)
        {
          MwDbCell tmp = a[c];
          a[c] = b[c];
          b[c] = tmp;
        }
    }
}

MwDbResult *
mw_list_query_fetch_offset (MwListQuery   *self,
                            MwDb          *db,
                            guint64        offset,
                            guint          limit,
                            gboolean       reverse,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *sql = mw_list_query_build_offset_sql (self, offset, limit, reverse);
  MwDbResult *result;

  result = exec_sql (self, db, sql, cancellable, error);
  if (result != NULL && reverse)
    reverse_rows (result);
  return result;
}

MwDbResult *
mw_list_query_fetch_after (MwListQuery      *self,
                           MwDb             *db,
                           const MwDbValue  *sort_value,
                           const MwDbValue  *key_value,
                           gboolean          inclusive,
                           gboolean          reverse,
                           guint             limit,
                           GCancellable     *cancellable,
                           GError          **error)
{
  guint n = self->params->len;
  guint n_keys = self->single ? 1 : 2;
  g_autofree char *sql = mw_list_query_build_after_sql (self, mw_db_get_driver (db), inclusive, reverse, limit);
  g_autofree MwDbValue *params = g_new0 (MwDbValue, n + 2);
  MwDbResult *result;

  for (guint i = 0; i < n; i++)
    params[i] = g_array_index (self->params, MwDbValue, i);
  params[n] = *sort_value;
  params[n + 1] = *key_value;

  result = mw_db_exec (db, sql, params, n + n_keys, cancellable, error);
  if (result != NULL && reverse)
    reverse_rows (result);
  return result;
}

/**
 * mw_list_query_fetch_next:
 * @previous: (nullable): the page before, as this function or
 *   mw_list_query_fetch_offset() returned it; NULL for the first page
 *
 * Reads a list from start to end in pages that each cost what the first
 * does, whatever their position: the rows after the last row of @previous
 * by its sort value and key. An empty page says the list has ended; so does
 * an empty @previous.
 */
MwDbResult *
mw_list_query_fetch_next (MwListQuery   *self,
                          MwDb          *db,
                          MwDbResult    *previous,
                          guint          limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  guint n_rows;
  int sort_col, key_col;
  MwDbValue sort, key;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (db != NULL, NULL);

  if (previous == NULL)
    return mw_list_query_fetch_offset (self, db, 0, limit, FALSE, cancellable, error);
  n_rows = mw_db_result_get_n_rows (previous);
  sort_col = mw_db_result_find_col (previous, self->sort_col);
  key_col = mw_db_result_find_col (previous, self->key_col);
  if (n_rows == 0)
    return mw_db_result_ref (previous);
  g_return_val_if_fail (sort_col >= 0 && key_col >= 0, NULL);

  sort = mw_db_result_get_value (previous, n_rows - 1, (guint) sort_col);
  key = mw_db_result_get_value (previous, n_rows - 1, (guint) key_col);
  return mw_list_query_fetch_after (self, db, &sort, &key, FALSE, FALSE, limit, cancellable, error);
}

MwDbResult *
mw_list_query_fetch_anchors (MwListQuery   *self,
                             MwDb          *db,
                             guint          page_size,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *sql = mw_list_query_build_anchors_sql (self, page_size);

  return exec_sql (self, db, sql, cancellable, error);
}

GArray *
mw_list_query_fetch_keys (MwListQuery   *self,
                          MwDb          *db,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *sql = mw_list_query_build_keys_sql (self);
  g_autoptr(MwDbResult) result = NULL;
  GArray *keys;
  guint n;

  result = exec_sql (self, db, sql, cancellable, error);
  if (result == NULL)
    return NULL;
  n = mw_db_result_get_n_rows (result);
  keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  for (guint i = 0; i < n; i++)
    {
      gint64 key = mw_db_result_get_int64 (result, i, 0);

      g_array_append_val (keys, key);
    }
  return keys;
}

MwDbResult *
mw_list_query_fetch_by_keys (MwListQuery   *self,
                             MwDb          *db,
                             const gint64  *keys,
                             guint          n_keys,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *sql = NULL;

  if (n_keys == 0)
    return mw_list_query_fetch_offset (self, db, 0, 0, FALSE, cancellable, error);
  sql = mw_list_query_build_by_keys_sql (self, keys, n_keys);
  return exec_sql (self, db, sql, cancellable, error);
}
