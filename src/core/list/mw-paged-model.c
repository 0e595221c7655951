/* mw-paged-model.c: a lazy GListModel over a list query of any size.
 *
 * get_item() answers at once with a placeholder MwRecord and asks a worker for
 * the page holding it. Pages are fetched by keyset from a neighbour's known
 * first or last row, or from the page anchors (the first row of every page,
 * read in one pass on a worker after the count), and only fall back to OFFSET
 * (counted from the nearer end) before the anchors are there. A query whose
 * sort is too costly to repeat per page (mw_list_query_set_snapshot) is read
 * differently: its keys once, in order, with the first page; then every page
 * by its own keys, and the count is the number of keys. Records of the
 * same position stay the same object while anyone holds them. A generation
 * counter drops pages that arrive after the query changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-paged-model"

#include "config.h"

#include "mw-db.h"
#include "mw-paged-model.h"

#define DEFAULT_PAGE_SIZE 200
#define DEFAULT_MAX_PAGES 64
#define ANCHORS_FROM_PAGES 4

typedef struct
{
  MwDbType type;
  char    *text;
  gint64   i;
} KeyPart;

typedef struct
{
  KeyPart sort;
  KeyPart key;
} Key;

typedef struct
{
  MwDbResult *result;
  guint64     last_used;
} Page;

struct _MwPagedModel
{
  GObject       parent_instance;

  MwDbPool     *pool;
  guint         page_size;
  guint         max_pages;

  /* What n_items describes. */
  MwListQuery  *query;
  guint         generation;
  guint         n_items;
  GHashTable   *pages;       /* page -> Page */
  GHashTable   *pending;     /* page -> page, in flight */
  GHashTable   *wanted;      /* page -> page, to ask for in the next idle */
  GHashTable   *live;        /* position -> MwRecord, weak */
  GHashTable   *firsts;      /* page -> Key of its first row */
  GHashTable   *lasts;       /* page -> Key of its last row */
  GArray       *keys;        /* gint64, every row's key in order, for a snapshot query; or NULL */
  guint         stale_reloads; /* reloads for short snapshot pages since the last full one */
  gboolean      anchors_pending;
  gboolean      anchors_complete;
  gboolean      use_anchors;
  gboolean      counting;      /* the exact count follows an estimate */
  gboolean      lower_bound;   /* n_items is a full first page; the count follows */
  gboolean      defer_follow_ups;
  gboolean      reuse_rows;    /* a new query keeps the records of the positions both lists have */
  gboolean      held_count;    /* follow-ups waiting for mw_paged_model_release_follow_ups() */
  gboolean      held_anchors;
  gint64        estimate_from;
  GCancellable *page_cancellable;
  GCancellable *follow_cancellable; /* the count and the anchors */
  guint         count_retries;      /* of this query's count, cancelled by no one */
  guint         dispatch_id;
  guint64       tick;

  /* The query being counted. */
  MwListQuery  *next_query;
  guint         reset_serial;
  GCancellable *reset_cancellable;
  gboolean      loading;

  GError       *error;
  guint         n_fetches;
  guint         n_offset_fetches;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwPagedModel, mw_paged_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum { PROP_0, PROP_LOADING, PROP_ERROR, PROP_N_ITEMS, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Keys */

static void
key_free (gpointer data)
{
  Key *key = data;

  g_free (key->sort.text);
  g_free (key->key.text);
  g_free (key);
}

static void
key_part_set (KeyPart    *part,
              MwDbResult *result,
              guint       row,
              guint       col)
{
  part->type = mw_db_result_get_type (result, row, col);
  part->text = g_strdup (mw_db_result_get_string (result, row, col));
  part->i = mw_db_result_get_int64 (result, row, col);
}

static Key *
key_from_row (MwDbResult *result,
              guint       row,
              int         sort_col,
              int         key_col)
{
  Key *key;

  if (sort_col < 0 || key_col < 0 || row >= mw_db_result_get_n_rows (result))
    return NULL;
  key = g_new0 (Key, 1);
  key_part_set (&key->sort, result, row, sort_col);
  key_part_set (&key->key, result, row, key_col);
  return key;
}

static Key *
key_copy (const Key *key)
{
  Key *copy = g_new0 (Key, 1);

  *copy = *key;
  copy->sort.text = g_strdup (key->sort.text);
  copy->key.text = g_strdup (key->key.text);
  return copy;
}

static MwDbValue
key_part_value (const KeyPart *part)
{
  switch (part->type)
    {
    case MW_DB_TYPE_INT64:
    case MW_DB_TYPE_BOOL:
      return MW_DB_INT64 (part->i);
    case MW_DB_TYPE_TIMESTAMP:
      return MW_DB_TIMESTAMP (part->text);
    case MW_DB_TYPE_NULL:
      return MW_DB_NULL;
    case MW_DB_TYPE_TEXT:
    case MW_DB_TYPE_BYTES:
    default:
      return MW_DB_TEXT (part->text);
    }
}

/* Jobs (run on a worker; they see only their own copies) */

typedef enum
{
  FETCH_FROM,     /* rows from key (the page's own first row) */
  FETCH_AFTER,    /* rows after key (the previous page's last row) */
  FETCH_BEFORE,   /* rows before key (the next page's first row) */
  FETCH_OFFSET,
  FETCH_KEYS,     /* the rows of keys from the snapshot */
} FetchMode;

typedef struct
{
  MwListQuery *query;
  FetchMode    mode;
  Key         *key;
  guint        page;
  guint        page_size;
  guint        n_items;
  gint64      *keys;      /* FETCH_KEYS */
  guint        n_keys;
} PageJob;

static void
page_job_free (gpointer data)
{
  PageJob *job = data;

  mw_list_query_unref (job->query);
  g_clear_pointer (&job->key, key_free);
  g_free (job->keys);
  g_free (job);
}

static gpointer
page_job_run (MwDb         *db,
              gpointer      data,
              GCancellable *cancellable,
              GError      **error)
{
  PageJob *job = data;
  guint64 offset = (guint64) job->page * job->page_size;
  MwDbValue sort, key;

  if (job->key != NULL)
    {
      sort = key_part_value (&job->key->sort);
      key = key_part_value (&job->key->key);
    }

  switch (job->mode)
    {
    case FETCH_FROM:
      return mw_list_query_fetch_after (job->query, db, &sort, &key, TRUE, FALSE, job->page_size,
                                        cancellable, error);
    case FETCH_AFTER:
      return mw_list_query_fetch_after (job->query, db, &sort, &key, FALSE, FALSE, job->page_size,
                                        cancellable, error);
    case FETCH_BEFORE:
      return mw_list_query_fetch_after (job->query, db, &sort, &key, FALSE, TRUE, job->page_size,
                                        cancellable, error);
    case FETCH_KEYS:
      return mw_list_query_fetch_by_keys (job->query, db, job->keys, job->n_keys, cancellable, error);
    case FETCH_OFFSET:
    default:
      if (offset <= job->n_items / 2 || offset >= job->n_items)
        return mw_list_query_fetch_offset (job->query, db, offset, job->page_size, FALSE,
                                           cancellable, error);
      else
        {
          /* Past the middle, count from the end: the server skips fewer rows. */
          guint count = (guint) MIN ((guint64) job->page_size, job->n_items - offset);
          guint64 from_end = job->n_items - offset - count;

          return mw_list_query_fetch_offset (job->query, db, from_end, count, TRUE, cancellable, error);
        }
    }
}

typedef struct
{
  MwListQuery *query;
  guint        page_size;
  gint64       estimate_from;
} ResetJob;

typedef struct
{
  gint64      count;
  gboolean    estimated;
  gboolean    lower_bound;
  MwDbResult *first;
  GArray     *keys;      /* a snapshot query's keys */
} ResetResult;

/* Below this an exact count costs less than being wrong about it. */
#define ESTIMATE_FROM_ROWS 50000

static void
reset_job_free (gpointer data)
{
  ResetJob *job = data;

  mw_list_query_unref (job->query);
  g_free (job);
}

static void
reset_result_free (gpointer data)
{
  ResetResult *result = data;

  g_clear_pointer (&result->first, mw_db_result_unref);
  g_clear_pointer (&result->keys, g_array_unref);
  g_free (result);
}

static gpointer
reset_job_run (MwDb         *db,
               gpointer      data,
               GCancellable *cancellable,
               GError      **error)
{
  ResetJob *job = data;
  ResetResult *result = g_new0 (ResetResult, 1);
  const char *estimate_sql = mw_list_query_get_estimate_sql (job->query);

  /* A costly sort, done once: the keys in order give the count and every
   * page (its first here). */
  if (mw_list_query_get_snapshot (job->query))
    {
      result->keys = mw_list_query_fetch_keys (job->query, db, cancellable, error);
      if (result->keys != NULL)
        result->first = mw_list_query_fetch_by_keys (job->query, db, (const gint64 *) result->keys->data,
                                                     MIN (result->keys->len, job->page_size), cancellable, error);
      if (result->first == NULL)
        {
          reset_result_free (result);
          return NULL;
        }
      result->count = result->keys->len;
      return result;
    }

  /* A long list shows its first rows at once with the server's estimate of
   * its length; the exact count follows (a million rows take 100-200 ms to
   * count, a first page under one). */
  if (estimate_sql != NULL)
    {
      g_autoptr(MwDbResult) estimate = mw_db_exec (db, estimate_sql, NULL, 0, cancellable, NULL);

      if (estimate != NULL && mw_db_result_get_n_rows (estimate) == 1 &&
          mw_db_result_get_int64 (estimate, 0, 0) >= job->estimate_from)
        {
          result->count = mw_db_result_get_int64 (estimate, 0, 0);
          result->estimated = TRUE;
        }
    }
  result->first = mw_list_query_fetch_offset (job->query, db, 0, job->page_size, FALSE, cancellable, error);
  if (result->first == NULL)
    {
      g_free (result);
      return NULL;
    }
  /* A first page that is not full is the whole list. */
  if (mw_db_result_get_n_rows (result->first) < job->page_size)
    {
      result->count = mw_db_result_get_n_rows (result->first);
      result->estimated = FALSE;
      return result;
    }
  if (!result->estimated && estimate_sql == NULL)
    {
      /* A search has no estimate, and counting its matches reads the whole
       * table (as long as finding its first page, often): show the first
       * page as "at least this many" and count afterwards. */
      result->count = mw_db_result_get_n_rows (result->first);
      result->estimated = TRUE;
      result->lower_bound = TRUE;
    }
  else if (!result->estimated)
    {
      result->count = mw_list_query_count (job->query, db, cancellable, error);
      if (result->count < 0)
        {
          reset_result_free (result);
          return NULL;
        }
    }
  return result;
}

static gpointer
count_job_run (MwDb         *db,
               gpointer      data,
               GCancellable *cancellable,
               GError      **error)
{
  ResetJob *job = data;
  gint64 count = mw_list_query_count (job->query, db, cancellable, error);

  return count < 0 ? NULL : g_memdup2 (&count, sizeof count);
}

static gpointer
anchors_job_run (MwDb         *db,
                 gpointer      data,
                 GCancellable *cancellable,
                 GError      **error)
{
  ResetJob *job = data;

  return mw_list_query_fetch_anchors (job->query, db, job->page_size, cancellable, error);
}

/* Model state */

/* Cancels what was started with *cancellable and gives a fresh one. */
static void
renew_cancellable (GCancellable **cancellable)
{
  g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

static void
on_record_finalized (gpointer  data,
                     GObject  *where_the_object_was)
{
  MwPagedModel *self = data;
  GHashTableIter iter;
  gpointer value;

  /* The record is gone; find it by address, since it cannot be asked its position now. */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

static void
clear_live (MwPagedModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, on_record_finalized, self);
  g_hash_table_remove_all (self->live);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  mw_db_result_unref (page->result);
  g_free (page);
}

static void
evict_pages (MwPagedModel *self)
{
  while (g_hash_table_size (self->pages) > self->max_pages)
    {
      GHashTableIter iter;
      gpointer key, value;
      gpointer oldest_key = NULL;
      guint64 oldest = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Page *page = value;

          if (page->last_used < oldest)
            {
              oldest = page->last_used;
              oldest_key = key;
            }
        }
      /* Live records keep their own reference to the rows. */
      g_hash_table_remove (self->pages, oldest_key);
    }
}

static void
store_page (MwPagedModel *self,
            guint         page_index,
            MwDbResult   *result)
{
  Page *page = g_new0 (Page, 1);
  guint first = page_index * self->page_size;
  guint n_rows = mw_db_result_get_n_rows (result);
  int sort_col = mw_db_result_find_col (result, mw_list_query_get_sort_col (self->query));
  int key_col = mw_db_result_find_col (result, mw_list_query_get_key_col (self->query));
  Key *key;

  page->result = mw_db_result_ref (result);
  page->last_used = ++self->tick;
  g_hash_table_replace (self->pages, GUINT_TO_POINTER (page_index), page);

  if (n_rows > 0)
    {
      if ((key = key_from_row (result, 0, sort_col, key_col)) != NULL)
        g_hash_table_replace (self->firsts, GUINT_TO_POINTER (page_index), key);
      if ((key = key_from_row (result, n_rows - 1, sort_col, key_col)) != NULL)
        g_hash_table_replace (self->lasts, GUINT_TO_POINTER (page_index), key);
    }

  for (guint row = 0; row < n_rows && first + row < self->n_items; row++)
    {
      MwRecord *record = g_hash_table_lookup (self->live, GUINT_TO_POINTER (first + row));

      if (record != NULL)
        _mw_record_set_row (record, result, row);
    }

  evict_pages (self);
}

typedef struct
{
  MwPagedModel *self;
  guint         generation;
  guint         page;
  guint         expected;   /* rows a page by snapshot keys must have, or 0 */
} PageRequest;

/* What the list shows as its error, until the next query works. */
static void
take_error (MwPagedModel *self,
            GError       *error)
{
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
on_page_fetched_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  PageRequest *req = user_data;
  g_autoptr(MwPagedModel) self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = NULL;

  result = mw_db_pool_run_finish (self->pool, res, &error);
  if (req->generation != self->generation)
    {
      g_free (req);
      return;
    }
  g_hash_table_remove (self->pending, GUINT_TO_POINTER (req->page));

  if (result != NULL)
    {
      store_page (self, req->page, result);
      /* Rows of the snapshot are gone (expunged, or changed so that the
       * list no longer holds them): the positions after them would be
       * wrong, so the list is read again. */
      /* A server that keeps expunging could make that endless: after
       * three in a row the list stays as it is until a page comes whole. */
      if (mw_db_result_get_n_rows (result) < req->expected)
        {
          if (!self->loading && self->stale_reloads < 3)
            {
              g_debug ("a page of the key snapshot came back short (%u of %u rows): reloading",
                       mw_db_result_get_n_rows (result), req->expected);
              self->stale_reloads++;
              mw_paged_model_reload (self);
            }
        }
      else if (req->expected > 0)
        self->stale_reloads = 0;
    }
  else if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
    {
      take_error (self, g_steal_pointer (&error));
    }
  g_free (req);
}

static void
request_page (MwPagedModel *self,
              guint         page)
{
  PageJob *job = g_new0 (PageJob, 1);
  PageRequest *req = g_new0 (PageRequest, 1);
  const Key *key = NULL;

  job->query = mw_list_query_ref (self->query);
  job->page = page;
  job->page_size = self->page_size;
  job->n_items = self->n_items;

  if (self->keys != NULL)
    {
      guint first = MIN (page * self->page_size, self->keys->len);

      job->mode = FETCH_KEYS;
      job->n_keys = MIN (self->page_size, self->keys->len - first);
      job->keys = g_memdup2 (&g_array_index (self->keys, gint64, first), job->n_keys * sizeof (gint64));
      req->expected = job->n_keys;
    }
  else if ((key = g_hash_table_lookup (self->firsts, GUINT_TO_POINTER (page))) != NULL)
    job->mode = FETCH_FROM;
  else if (page > 0 && (key = g_hash_table_lookup (self->lasts, GUINT_TO_POINTER (page - 1))) != NULL)
    job->mode = FETCH_AFTER;
  else if ((key = g_hash_table_lookup (self->firsts, GUINT_TO_POINTER (page + 1))) != NULL)
    job->mode = FETCH_BEFORE;
  else
    {
      job->mode = FETCH_OFFSET;
      self->n_offset_fetches++;
    }
  if (key != NULL && job->mode != FETCH_KEYS)
    job->key = key_copy (key);

  req->self = g_object_ref (self);
  req->generation = self->generation;
  req->page = page;

  g_hash_table_add (self->pending, GUINT_TO_POINTER (page));
  self->n_fetches++;
  mw_db_pool_run_async (self->pool, page_job_run, job, page_job_free, (GDestroyNotify) mw_db_result_unref,
                        self->page_cancellable, on_page_fetched_cb, req);
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static void
dispatch_cb (gpointer data)
{
  MwPagedModel *self = data;
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));

  self->dispatch_id = 0;

  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint page = GPOINTER_TO_UINT (key);
      g_array_append_val (order, page);
    }
  g_hash_table_remove_all (self->wanted);

  /* In order, so that each page can start from the one before it. */
  g_array_sort (order, compare_uint);
  for (guint i = 0; i < order->len; i++)
    {
      guint page = g_array_index (order, guint, i);

      if (!g_hash_table_contains (self->pending, GUINT_TO_POINTER (page)) &&
          !g_hash_table_contains (self->pages, GUINT_TO_POINTER (page)))
        request_page (self, page);
    }
}

static gboolean
dispatch_source_cb (gpointer data)
{
  dispatch_cb (data);
  return G_SOURCE_REMOVE;
}

static void
want_page (MwPagedModel *self,
           guint         page)
{
  if (g_hash_table_contains (self->pending, GUINT_TO_POINTER (page)))
    return;
  g_hash_table_add (self->wanted, GUINT_TO_POINTER (page));
  /* Once the current layout pass has asked for all it shows; at default
   * priority, so that a busy idle queue cannot hold the rows back. */
  if (self->dispatch_id == 0)
    self->dispatch_id = g_idle_add_full (G_PRIORITY_DEFAULT, dispatch_source_cb, self, NULL);
}

/* GListModel */

static GType
mw_paged_model_get_item_type (GListModel *model)
{
  return MW_TYPE_RECORD;
}

static guint
mw_paged_model_get_n_items (GListModel *model)
{
  return MW_PAGED_MODEL (model)->n_items;
}

static gpointer
mw_paged_model_get_item (GListModel *model,
                         guint       position)
{
  MwPagedModel *self = MW_PAGED_MODEL (model);
  MwRecord *record;
  Page *page;
  guint page_index;

  if (position >= self->n_items)
    return NULL;

  record = g_hash_table_lookup (self->live, GUINT_TO_POINTER (position));
  if (record != NULL)
    return g_object_ref (record);

  record = mw_record_new (position);
  g_object_weak_ref (G_OBJECT (record), on_record_finalized, self);
  g_hash_table_insert (self->live, GUINT_TO_POINTER (position), record);

  page_index = position / self->page_size;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_index));
  if (page != NULL)
    {
      guint row = position % self->page_size;

      page->last_used = ++self->tick;
      if (row < mw_db_result_get_n_rows (page->result))
        _mw_record_set_row (record, page->result, row);
    }
  else
    want_page (self, page_index);

  return record;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = mw_paged_model_get_item_type;
  iface->get_n_items = mw_paged_model_get_n_items;
  iface->get_item = mw_paged_model_get_item;
}

/* Anchors */

static void
on_anchors_fetched_cb (GObject      *source,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  PageRequest *req = user_data;
  g_autoptr(MwPagedModel) self = req->self;
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = mw_db_pool_run_finish (self->pool, res, &error);
  if (req->generation == self->generation)
    {
      self->anchors_pending = FALSE;
      if (result != NULL)
        {
          for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
            {
              Key *key = key_from_row (result, i, 0, 1);

              if (key != NULL)
                g_hash_table_replace (self->firsts, GUINT_TO_POINTER (i), key);
            }
          self->anchors_complete = TRUE;
        }
      else if (error != NULL && !g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        g_debug ("page anchors not available: %s", error->message);
    }
  g_free (req);
}

static void
request_anchors (MwPagedModel *self)
{
  ResetJob *job = g_new0 (ResetJob, 1);
  PageRequest *req = g_new0 (PageRequest, 1);

  job->query = mw_list_query_ref (self->query);
  job->page_size = self->page_size;
  req->self = g_object_ref (self);
  req->generation = self->generation;
  self->anchors_pending = TRUE;
  mw_db_pool_run_with_priority_async (self->pool, G_PRIORITY_LOW, anchors_job_run, job, reset_job_free,
                                      (GDestroyNotify) mw_db_result_unref, self->follow_cancellable,
                                      on_anchors_fetched_cb, req);
}

/* The exact count, after an estimate: only the end of the list moves. */
static void request_count (MwPagedModel *self);

static void
on_count_fetched_cb (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  PageRequest *req = user_data;
  g_autoptr(MwPagedModel) self = req->self;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *count = mw_db_pool_run_finish (self->pool, res, &error);
  guint old_n, new_n;

  if (req->generation != self->generation)
    {
      g_free (req);
      return;
    }
  g_free (req);
  self->counting = FALSE;
  if (count == NULL)
    {
      /* Cancelled while nobody cancelled it: PostgreSQL's cancel request for
       * a statement that had already ended (a page of the old query) can
       * reach the next statement on that connection. Count again, or a
       * search would stay "at least 200 rows". */
      if (g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) &&
          !g_cancellable_is_cancelled (self->follow_cancellable) && self->count_retries < 3)
        {
          self->count_retries++;
          request_count (self);
          return;
        }
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        {
          take_error (self, g_steal_pointer (&error));
        }
      return;
    }

  old_n = self->n_items;
  new_n = (guint) MIN (*count, (gint64) G_MAXUINT);
  /* A list first shown as "at least a page" (no estimate: a search, an
   * alias list) or with an estimate below the mark gets its page anchors
   * now that its length is known, so that a jump deep into it is a keyset
   * read and not an OFFSET over everything before it. */
  if (self->use_anchors && self->keys == NULL && !self->anchors_pending && !self->anchors_complete &&
      !self->held_anchors && new_n > ANCHORS_FROM_PAGES * self->page_size)
    request_anchors (self);
  if (self->lower_bound)
    {
      self->lower_bound = FALSE;
      if (new_n == old_n)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  if (new_n == old_n)
    return;
  self->n_items = new_n;
  if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
request_count (MwPagedModel *self)
{
  ResetJob *job = g_new0 (ResetJob, 1);
  PageRequest *req = g_new0 (PageRequest, 1);

  job->query = mw_list_query_ref (self->query);
  job->page_size = self->page_size;
  req->self = g_object_ref (self);
  req->generation = self->generation;
  self->counting = TRUE;
  mw_db_pool_run_async (self->pool, count_job_run, job, reset_job_free, g_free, self->follow_cancellable,
                        on_count_fetched_cb, req);
}

/* Reset */

static void
on_reset_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  PageRequest *req = user_data;
  g_autoptr(MwPagedModel) self = req->self;
  g_autoptr(GError) error = NULL;
  ResetResult *result;
  gboolean estimated, result_lower_bound;
  guint old_n, new_n;

  result = mw_db_pool_run_finish (self->pool, res, &error);
  if (req->generation != self->reset_serial)
    {
      g_clear_pointer (&result, reset_result_free);
      g_free (req);
      return;
    }
  g_free (req);

  self->loading = FALSE;
  g_clear_error (&self->error);

  if (result == NULL)
    {
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        take_error (self, g_steal_pointer (&error));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  /* Stop what the old query still had in flight; its answers would not fit. */
  renew_cancellable (&self->page_cancellable);
  renew_cancellable (&self->follow_cancellable);
  self->generation++;
  self->count_retries = 0;

  g_clear_pointer (&self->query, mw_list_query_unref);
  self->query = g_steal_pointer (&self->next_query);
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->wanted);
  g_hash_table_remove_all (self->firsts);
  g_hash_table_remove_all (self->lasts);
  g_clear_pointer (&self->keys, g_array_unref);
  self->keys = g_steal_pointer (&result->keys);
  self->anchors_complete = FALSE;
  self->anchors_pending = FALSE;
  self->counting = FALSE;
  self->held_count = FALSE;
  self->held_anchors = FALSE;

  estimated = result->estimated;
  result_lower_bound = result->lower_bound;
  old_n = self->n_items;
  new_n = (guint) MIN (result->count, (gint64) G_MAXUINT);
  /* The exact count and the anchors read the whole list on the server
   * (a parallel scan there takes both cores of a small machine): with
   * defer_follow_ups they wait until the owner has drawn the first rows.
   * Held before the items change and "loading" changes, so that their
   * handlers see them. */
  self->held_count = estimated;
  self->lower_bound = result_lower_bound;
  self->held_anchors = self->use_anchors && self->keys == NULL && new_n > ANCHORS_FROM_PAGES * self->page_size;

  if (self->reuse_rows && old_n > 0 && new_n > 0)
    {
      /* The same records, new rows in them: the view keeps its row widgets
       * (GTK 4.8 builds and tears down about 200 rows of 8 cells otherwise,
       * 50-80 ms here). Only the difference in length is a change. */
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          if (GPOINTER_TO_UINT (key) >= new_n)
            {
              g_object_weak_unref (value, on_record_finalized, self);
              _mw_record_clear (value);
              g_hash_table_iter_remove (&iter);
            }
          else if (GPOINTER_TO_UINT (key) >= self->page_size)
            g_ptr_array_add (kept, value);
        }
      self->n_items = new_n;
      if (new_n < old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
      store_page (self, 0, result->first);
      reset_result_free (result);
      for (guint i = 0; i < kept->len; i++)
        {
          MwRecord *record = g_ptr_array_index (kept, i);

          _mw_record_clear (record);
          want_page (self, mw_record_get_position (record) / self->page_size);
        }
      if (new_n > old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
    }
  else
    {
      clear_live (self);
      /* Two steps, all rows out and then all rows in: GTK 4.8's list views,
       * given one change that removes and adds, look for their old rows
       * among the new ones with get_item() on every added position, which
       * would walk the whole list. */
      if (old_n > 0)
        {
          self->n_items = 0;
          g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
        }
      self->n_items = new_n;
      store_page (self, 0, result->first);
      reset_result_free (result);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
    }

  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);

  if (!self->defer_follow_ups)
    mw_paged_model_release_follow_ups (self);
}

/**
 * mw_paged_model_set_reuse_rows:
 *
 * With @reuse, a new query keeps the records of the positions both the old
 * and the new list have: each turns back into a placeholder (notify::loaded)
 * and fills with the new list's row, and items-changed tells only the
 * difference in length. A view then keeps its row widgets across a sort or
 * a search. Whoever holds a record sees it change; without @reuse (the
 * default) a new query replaces every record.
 */
void
mw_paged_model_set_reuse_rows (MwPagedModel *self,
                               gboolean      reuse)
{
  g_return_if_fail (MW_IS_PAGED_MODEL (self));
  self->reuse_rows = reuse;
}

/**
 * mw_paged_model_set_defer_follow_ups:
 *
 * With @defer, the background work that follows a new query's first rows
 * (the exact count after an estimate, the page anchors) waits for
 * mw_paged_model_release_follow_ups(): a window calls it once those rows
 * are on screen, so that the server's full scans do not compete with the
 * first frame for the processors. mw_paged_model_is_busy() stays TRUE
 * while they wait.
 */
void
mw_paged_model_set_defer_follow_ups (MwPagedModel *self,
                                     gboolean      defer)
{
  g_return_if_fail (MW_IS_PAGED_MODEL (self));

  self->defer_follow_ups = defer;
  if (!defer)
    mw_paged_model_release_follow_ups (self);
}

gboolean
mw_paged_model_has_held_follow_ups (MwPagedModel *self)
{
  g_return_val_if_fail (MW_IS_PAGED_MODEL (self), FALSE);
  return self->held_count || self->held_anchors;
}

void
mw_paged_model_release_follow_ups (MwPagedModel *self)
{
  g_return_if_fail (MW_IS_PAGED_MODEL (self));

  if (self->held_count)
    {
      self->held_count = FALSE;
      request_count (self);
    }
  if (self->held_anchors)
    {
      self->held_anchors = FALSE;
      request_anchors (self);
    }
}

void
mw_paged_model_set_query (MwPagedModel *self,
                          MwListQuery  *query)
{
  ResetJob *job;
  PageRequest *req;

  g_return_if_fail (MW_IS_PAGED_MODEL (self));
  g_return_if_fail (query != NULL);

  if (self->reset_cancellable != NULL)
    g_cancellable_cancel (self->reset_cancellable);
  g_clear_object (&self->reset_cancellable);
  self->reset_cancellable = g_cancellable_new ();
  self->reset_serial++;

  g_clear_pointer (&self->next_query, mw_list_query_unref);
  self->next_query = mw_list_query_ref (query);

  /* The old list's count and anchors would only compete with the new query. */
  renew_cancellable (&self->follow_cancellable);
  self->held_count = FALSE;
  self->held_anchors = FALSE;

  job = g_new0 (ResetJob, 1);
  job->query = mw_list_query_ref (query);
  job->page_size = self->page_size;
  job->estimate_from = self->estimate_from;
  req = g_new0 (PageRequest, 1);
  req->self = g_object_ref (self);
  req->generation = self->reset_serial;

  self->n_fetches++;
  if (!self->loading)
    {
      self->loading = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  mw_db_pool_run_async (self->pool, reset_job_run, job, reset_job_free, reset_result_free,
                        self->reset_cancellable, on_reset_cb, req);
}

MwListQuery *
mw_paged_model_get_query (MwPagedModel *self)
{
  g_return_val_if_fail (MW_IS_PAGED_MODEL (self), NULL);
  return self->next_query != NULL ? self->next_query : self->query;
}

void
mw_paged_model_reload (MwPagedModel *self)
{
  MwListQuery *query;

  g_return_if_fail (MW_IS_PAGED_MODEL (self));

  query = mw_paged_model_get_query (self);
  if (query != NULL)
    {
      g_autoptr(MwListQuery) keep = mw_list_query_ref (query);
      mw_paged_model_set_query (self, keep);
    }
}

gboolean
mw_paged_model_get_loading (MwPagedModel *self)
{
  g_return_val_if_fail (MW_IS_PAGED_MODEL (self), FALSE);
  return self->loading;
}

const GError *
mw_paged_model_get_error (MwPagedModel *self)
{
  g_return_val_if_fail (MW_IS_PAGED_MODEL (self), NULL);
  return self->error;
}

/* TRUE while n_items is the length of a full first page and the exact count
 * of a search is still to come ("at least N rows"). */
gboolean
mw_paged_model_get_count_is_lower_bound (MwPagedModel *self)
{
  g_return_val_if_fail (MW_IS_PAGED_MODEL (self), FALSE);
  return self->lower_bound;
}

gboolean
mw_paged_model_is_busy (MwPagedModel *self)
{
  g_return_val_if_fail (MW_IS_PAGED_MODEL (self), FALSE);
  return self->loading || self->anchors_pending || self->counting || self->held_count || self->held_anchors ||
         g_hash_table_size (self->pending) > 0 || g_hash_table_size (self->wanted) > 0;
}

guint
mw_paged_model_get_page_size (MwPagedModel *self)
{
  return self->page_size;
}

guint
mw_paged_model_get_n_fetches (MwPagedModel *self)
{
  return self->n_fetches;
}

guint
mw_paged_model_get_n_offset_fetches (MwPagedModel *self)
{
  return self->n_offset_fetches;
}

guint
mw_paged_model_get_n_cached_pages (MwPagedModel *self)
{
  return g_hash_table_size (self->pages);
}

gboolean
mw_paged_model_has_anchors (MwPagedModel *self)
{
  return self->anchors_complete;
}

void
mw_paged_model_set_use_anchors (MwPagedModel *self,
                                gboolean      use_anchors)
{
  g_return_if_fail (MW_IS_PAGED_MODEL (self));
  self->use_anchors = use_anchors;
}

void
mw_paged_model_set_estimate_from (MwPagedModel *self,
                                  gint64        rows)
{
  g_return_if_fail (MW_IS_PAGED_MODEL (self));
  self->estimate_from = rows;
}

void
mw_paged_model_set_max_cached_pages (MwPagedModel *self,
                                     guint         max_pages)
{
  self->max_pages = MAX (max_pages, 1);
  evict_pages (self);
}

/* GObject */

static void
mw_paged_model_dispose (GObject *object)
{
  MwPagedModel *self = MW_PAGED_MODEL (object);

  if (self->reset_cancellable != NULL)
    g_cancellable_cancel (self->reset_cancellable);
  if (self->page_cancellable != NULL)
    g_cancellable_cancel (self->page_cancellable);
  if (self->follow_cancellable != NULL)
    g_cancellable_cancel (self->follow_cancellable);
  g_clear_handle_id (&self->dispatch_id, g_source_remove);
  clear_live (self);

  G_OBJECT_CLASS (mw_paged_model_parent_class)->dispose (object);
}

static void
mw_paged_model_finalize (GObject *object)
{
  MwPagedModel *self = MW_PAGED_MODEL (object);

  g_clear_object (&self->pool);
  g_clear_object (&self->reset_cancellable);
  g_clear_object (&self->page_cancellable);
  g_clear_object (&self->follow_cancellable);
  g_clear_pointer (&self->query, mw_list_query_unref);
  g_clear_pointer (&self->next_query, mw_list_query_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->firsts, g_hash_table_unref);
  g_clear_pointer (&self->lasts, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (mw_paged_model_parent_class)->finalize (object);
}

static void
mw_paged_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MwPagedModel *self = MW_PAGED_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_paged_model_class_init (MwPagedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_paged_model_dispose;
  object_class->finalize = mw_paged_model_finalize;
  object_class->get_property = mw_paged_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_paged_model_init (MwPagedModel *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
  self->max_pages = DEFAULT_MAX_PAGES;
  self->use_anchors = TRUE;
  self->estimate_from = ESTIMATE_FROM_ROWS;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->pending = g_hash_table_new (NULL, NULL);
  self->wanted = g_hash_table_new (NULL, NULL);
  self->live = g_hash_table_new (NULL, NULL);
  self->firsts = g_hash_table_new_full (NULL, NULL, NULL, key_free);
  self->lasts = g_hash_table_new_full (NULL, NULL, NULL, key_free);
  self->page_cancellable = g_cancellable_new ();
  self->follow_cancellable = g_cancellable_new ();
}

/**
 * mw_paged_model_new:
 * @pool: runs the queries
 * @page_size: rows per page, 0 for 200
 */
MwPagedModel *
mw_paged_model_new (MwDbPool *pool,
                    guint     page_size)
{
  MwPagedModel *self;

  g_return_val_if_fail (MW_IS_DB_POOL (pool), NULL);

  self = g_object_new (MW_TYPE_PAGED_MODEL, NULL);
  self->pool = g_object_ref (pool);
  self->page_size = page_size != 0 ? page_size : DEFAULT_PAGE_SIZE;
  return self;
}
