/* mw-list-query.h: a sorted, filtered list of rows that MwPagedModel can page through.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

/* The inner SELECT yields the list's rows, unordered and unlimited; the paged
 * model wraps it as "SELECT * FROM (inner) t WHERE <keyset> ORDER BY
 * t.<sort>, t.<key> LIMIT n". sort_col and key_col name output columns of the
 * inner SELECT; (sort_col, key_col) is unique and never NULL. A key_col that
 * is NULL or the sort column itself says the sort column alone is unique. */
typedef struct _MwListQuery MwListQuery;

MwListQuery *mw_list_query_new          (const char *inner_sql,
                                         const char *sort_col,
                                         const char *key_col,
                                         gboolean    descending);
MwListQuery *mw_list_query_ref          (MwListQuery *self);
void         mw_list_query_unref        (MwListQuery *self);
void         mw_list_query_add_text     (MwListQuery *self, const char *value); /* next $n, copied */
void         mw_list_query_add_int64    (MwListQuery *self, gint64 value);
const char  *mw_list_query_get_inner_sql (MwListQuery *self);
const char  *mw_list_query_get_sort_col (MwListQuery *self);
const char  *mw_list_query_get_key_col  (MwListQuery *self);
gboolean     mw_list_query_get_descending (MwListQuery *self);
const MwDbValue *mw_list_query_get_params (MwListQuery *self, guint *n_params);
/* A cheap estimate of the count (the server's table statistics), without
 * parameters, for lists so long that counting them keeps the first rows
 * waiting; the exact count follows. */
void         mw_list_query_set_estimate_sql (MwListQuery *self, const char *sql);
/* Columns that are costly per row (a subquery each) and needed only for the
 * rows shown: a select-list over the page's rows, called "d" ("(SELECT ...
 * WHERE x.id = d.id) AS name, ..."). Pages then compute them for their own
 * rows only; counts, anchors and sorting never see them. */
void         mw_list_query_set_details  (MwListQuery *self, const char *select_list);
/* Joins for the details, written after "d" (each one row per page row, by
 * key: "JOIN {x} dx ON dx.id = d.id"): wide columns read this way stay out
 * of the sort of the whole list, where they would be carried along. */
void         mw_list_query_set_details_from (MwListQuery *self, const char *joins);
/* Text after the inner SELECT in the page statements and the key snapshot
 * (not the count, the anchors or the pages read by key). */
void         mw_list_query_set_page_suffix (MwListQuery *self, const char *suffix);
/* The exact count as a statement of its own with the same parameters
 * ("SELECT count(*) AS n FROM ..."), where it can skip joins the rows need
 * but the count does not; without it the count wraps the inner SELECT. */
void         mw_list_query_set_count_sql (MwListQuery *self, const char *sql);
const char  *mw_list_query_get_estimate_sql (MwListQuery *self);
/* Where a paged inner SELECT reads its source rows no further than a page needs. */
#define MW_LIST_QUERY_PAGE_TOKEN "/*mw-page*/"
/* A second form of the inner SELECT for the page statements (by OFFSET and
 * after a key), for a list whose rows come from source rows of one table
 * (an alias row and its targets): the same rows, but it reads the source
 * rows in the order of @source_col (their unique key, whose value is the
 * list's sort column) and stops after a page's worth. It holds
 * MW_LIST_QUERY_PAGE_TOKEN right after the WHERE clause of the derived
 * SELECT that reads the source rows; page statements write there
 * "AND source_col >= $n ORDER BY source_col LIMIT m" (a page of m - 1 rows
 * after the key $n, whose own source row may give none of them) or
 * "ORDER BY source_col LIMIT offset + rows". Every source row that WHERE
 * lets through must give at least one row of the list. Counts, anchors and
 * snapshots keep the inner SELECT. */
void         mw_list_query_set_paged_inner (MwListQuery *self, const char *paged_inner, const char *source_col);
/* A sort too costly to repeat for every page (a key only a joined cache
 * has, over a whole mailbox): the model reads the list's keys once, in
 * order, and each page by its keys. key_col must then be an integer that is
 * unique on its own. */
void         mw_list_query_set_snapshot (MwListQuery *self, gboolean snapshot);
gboolean     mw_list_query_get_snapshot (MwListQuery *self);

/* The SQL the functions below run ($n placeholders, {table} tokens). */
char        *mw_list_query_build_count_sql   (MwListQuery *self);
char        *mw_list_query_build_offset_sql  (MwListQuery *self, guint64 offset, guint limit, gboolean reverse);
char        *mw_list_query_build_after_sql   (MwListQuery *self, MwDbDriver driver, gboolean inclusive,
                                              gboolean reverse, guint limit);
char        *mw_list_query_build_anchors_sql (MwListQuery *self, guint page_size);
char        *mw_list_query_build_keys_sql    (MwListQuery *self);
char        *mw_list_query_build_by_keys_sql (MwListQuery *self, const gint64 *keys, guint n_keys);

/* Synchronous helpers, for the CLI, the benchmarks and the model's worker jobs. */
gint64       mw_list_query_count        (MwListQuery *self, MwDb *db, GCancellable *cancellable, GError **error);
MwDbResult  *mw_list_query_fetch_offset (MwListQuery *self, MwDb *db, guint64 offset, guint limit,
                                         gboolean reverse, GCancellable *cancellable, GError **error);
/* Rows after (or, with inclusive, from) the given key; with reverse, the rows
 * before it, returned in list order. */
MwDbResult  *mw_list_query_fetch_after  (MwListQuery *self, MwDb *db,
                                         const MwDbValue *sort_value, const MwDbValue *key_value,
                                         gboolean inclusive, gboolean reverse, guint limit,
                                         GCancellable *cancellable, GError **error);
/* The rows after the last row of previous (NULL: the first rows): a list
 * read to its end in constant memory, one keyset page at a time. */
MwDbResult  *mw_list_query_fetch_next   (MwListQuery *self, MwDb *db, MwDbResult *previous, guint limit,
                                         GCancellable *cancellable, GError **error);
/* The (sort, key) of every page_size-th row: anchors for keyset jumps. */
MwDbResult  *mw_list_query_fetch_anchors (MwListQuery *self, MwDb *db, guint page_size,
                                          GCancellable *cancellable, GError **error);

/* Every row's key, in list order (gint64). */
GArray      *mw_list_query_fetch_keys    (MwListQuery *self, MwDb *db, GCancellable *cancellable, GError **error);
/* The rows of these keys, in list order; a key whose row is gone is left out. */
MwDbResult  *mw_list_query_fetch_by_keys (MwListQuery *self, MwDb *db, const gint64 *keys, guint n_keys,
                                          GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwListQuery, mw_list_query_unref)

G_END_DECLS
