/* mw-paged-model.h: a lazy GListModel over a list query of any size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-db-pool.h"
#include "mw-list-query.h"
#include "mw-record.h"

G_BEGIN_DECLS

#define MW_TYPE_PAGED_MODEL (mw_paged_model_get_type ())
G_DECLARE_FINAL_TYPE (MwPagedModel, mw_paged_model, MW, PAGED_MODEL, GObject)

MwPagedModel *mw_paged_model_new            (MwDbPool *pool, guint page_size);
/* Counts and fetches the first page on a worker; the model's items change
 * all at once when both are there. A previous query still running is stopped. */
void          mw_paged_model_set_query      (MwPagedModel *self, MwListQuery *query);
MwListQuery  *mw_paged_model_get_query      (MwPagedModel *self);
void          mw_paged_model_reload         (MwPagedModel *self);
gboolean      mw_paged_model_get_loading    (MwPagedModel *self);
const GError *mw_paged_model_get_error      (MwPagedModel *self);
gboolean      mw_paged_model_is_busy        (MwPagedModel *self);
gboolean      mw_paged_model_get_count_is_lower_bound (MwPagedModel *self);
void          mw_paged_model_set_reuse_rows (MwPagedModel *self, gboolean reuse);
guint         mw_paged_model_get_page_size  (MwPagedModel *self);
/* Statistics for tests and benchmarks. */
guint         mw_paged_model_get_n_fetches  (MwPagedModel *self);
guint         mw_paged_model_get_n_offset_fetches (MwPagedModel *self);
guint         mw_paged_model_get_n_cached_pages (MwPagedModel *self);
gboolean      mw_paged_model_has_anchors    (MwPagedModel *self);
/* Anchors on by default; off for tests and benchmarks of the fallback path. */
void          mw_paged_model_set_use_anchors (MwPagedModel *self, gboolean use_anchors);
/* Lists with an estimate at least this long show it first (default 50000). */
void          mw_paged_model_set_estimate_from (MwPagedModel *self, gint64 rows);
void          mw_paged_model_set_max_cached_pages (MwPagedModel *self, guint max_pages);
/* The exact count and the page anchors after a new query's first rows wait
 * for release_follow_ups() (a window: once those rows are drawn). Off by default. */
void          mw_paged_model_set_defer_follow_ups (MwPagedModel *self, gboolean defer);
gboolean      mw_paged_model_has_held_follow_ups  (MwPagedModel *self);
void          mw_paged_model_release_follow_ups   (MwPagedModel *self);

G_END_DECLS
