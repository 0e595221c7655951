/* mw-session-lists.c: the session's list reads: counts, pages by offset,
 * and MwListCursor, which reads a list of any length page by page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-private.h"

/* The cursor keeps only the last page it read: the next page starts after
 * that page's last row (keyset paging), so each page costs what the first
 * does and memory stays one page whatever the list's length. It is shared
 * by reference with a fetch under way, so the caller may free it then. */
struct _MwListCursor
{
  MwListQuery *query;
  MwDbResult  *last;       /* the last page read, or NULL before the first */
  guint64      offset;     /* where the first page starts */
  guint64      position;   /* the position of the next row */
  gboolean     ended;      /* a page came back short: nothing follows */
};

/**
 * mw_list_cursor_new:
 * @query: the list to read; referenced
 *
 * Returns: (transfer full): a cursor before the list's first row
 */
MwListCursor *
mw_list_cursor_new (MwListQuery *query)
{
  MwListCursor *cursor;

  g_return_val_if_fail (query != NULL, NULL);

  cursor = g_atomic_rc_box_new0 (MwListCursor);
  cursor->query = mw_list_query_ref (query);
  return cursor;
}

static void
list_cursor_clear (gpointer data)
{
  MwListCursor *cursor = data;

  mw_list_query_unref (cursor->query);
  g_clear_pointer (&cursor->last, mw_db_result_unref);
}

static void
list_cursor_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, list_cursor_clear);
}

void
mw_list_cursor_free (MwListCursor *cursor)
{
  if (cursor != NULL)
    list_cursor_release (cursor);
}

void
mw_list_cursor_set_offset (MwListCursor *cursor,
                           guint64       offset)
{
  g_return_if_fail (cursor != NULL);
  g_return_if_fail (cursor->last == NULL && cursor->position == cursor->offset);

  cursor->offset = offset;
  cursor->position = offset;
}

/* Records of every row of @page, numbered from @position. */
static GPtrArray *
records_from_page (MwDbResult *page,
                   guint64     position)
{
  guint n = mw_db_result_get_n_rows (page);
  GPtrArray *records = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      MwRecord *record = mw_record_new ((guint) MIN (position + i, G_MAXUINT));

      _mw_record_set_row (record, page, i);
      g_ptr_array_add (records, record);
    }
  return records;
}

static gpointer
count_list_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  gint64 n = mw_list_query_count (args->data, admin->db, cancellable, error);

  return n >= 0 ? g_memdup2 (&n, sizeof n) : NULL;
}

static const MwSessionOp count_list_op = { count_list_work, g_free };

void
mw_session_count_list_async (MwSession           *self,
                             MwListQuery         *query,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (query != NULL);

  args = _mw_session_args_new ();
  args->data = mw_list_query_ref (query);
  args->data_free = (GDestroyNotify) mw_list_query_unref;
  _mw_session_run (self, &count_list_op, args, FALSE, cancellable, callback, user_data);
}

gint64
mw_session_count_list_finish (MwSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autofree gint64 *n = _mw_session_finish (self, result, &count_list_op, NULL, error);

  return n != NULL ? *n : -1;
}

/* On the worker: the cursor moves on only when the page was read, so a
 * failed fetch can be tried again. */
static gpointer
fetch_list_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  MwListCursor *cursor = args->data;
  g_autoptr(MwDbResult) page = NULL;
  GPtrArray *records;
  guint n;

  if (cursor->ended)
    return g_ptr_array_new_with_free_func (g_object_unref);
  if (cursor->last == NULL)
    page = mw_list_query_fetch_offset (cursor->query, admin->db, cursor->offset, args->limit, FALSE,
                                       cancellable, error);
  else
    page = mw_list_query_fetch_next (cursor->query, admin->db, cursor->last, args->limit, cancellable, error);
  if (page == NULL)
    return NULL;

  records = records_from_page (page, cursor->position);
  n = records->len;
  cursor->position += n;
  /* A short page is the last: the next fetch needs no query to say so. */
  cursor->ended = n < args->limit;
  if (n > 0)
    {
      g_clear_pointer (&cursor->last, mw_db_result_unref);
      cursor->last = g_steal_pointer (&page);
    }
  return records;
}

static const MwSessionOp fetch_list_op = { fetch_list_work, (GDestroyNotify) g_ptr_array_unref };

/**
 * mw_session_fetch_list_async:
 * @cursor: where the previous fetch stopped; the call holds it, and moves
 *   it on when the page was read
 * @limit: rows to read, at least 1
 *
 * One fetch at a time per cursor: start the next from the callback of the
 * one before.
 */
void
mw_session_fetch_list_async (MwSession           *self,
                             MwListCursor        *cursor,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (cursor != NULL);
  g_return_if_fail (limit > 0);

  args = _mw_session_args_new ();
  args->data = g_atomic_rc_box_acquire (cursor);
  args->data_free = list_cursor_release;
  args->limit = limit;
  _mw_session_run (self, &fetch_list_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_fetch_list_finish (MwSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _mw_session_finish (self, result, &fetch_list_op, NULL, error);
}

static gpointer
fetch_list_offset_work (MwSchema       *schema,
                        const MwAdmin  *admin,
                        MwSessionArgs  *args,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(MwDbResult) page = mw_list_query_fetch_offset (args->data, admin->db, args->offset, args->limit, FALSE,
                                                           cancellable, error);

  return page != NULL ? records_from_page (page, args->offset) : NULL;
}

static const MwSessionOp fetch_list_offset_op = { fetch_list_offset_work, (GDestroyNotify) g_ptr_array_unref };

void
mw_session_fetch_list_offset_async (MwSession           *self,
                                    MwListQuery         *query,
                                    guint64              offset,
                                    guint                limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (query != NULL);

  args = _mw_session_args_new ();
  args->data = mw_list_query_ref (query);
  args->data_free = (GDestroyNotify) mw_list_query_unref;
  args->offset = offset;
  args->limit = limit;
  _mw_session_run (self, &fetch_list_offset_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_fetch_list_offset_finish (MwSession     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _mw_session_finish (self, result, &fetch_list_offset_op, NULL, error);
}

static gpointer
list_groups_work (MwSchema       *schema,
                  const MwAdmin  *admin,
                  MwSessionArgs  *args,
                  GCancellable   *cancellable,
                  GError        **error)
{
  return mw_schema_list_groups (schema, admin->db, cancellable, error);
}

static const MwSessionOp list_groups_op = { list_groups_work, (GDestroyNotify) g_ptr_array_unref };

void
mw_session_list_groups_async (MwSession           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _mw_session_run (self, &list_groups_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_groups_finish (MwSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _mw_session_finish (self, result, &list_groups_op, NULL, error);
}
