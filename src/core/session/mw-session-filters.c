/* mw-session-filters.c: the session's wrappers of the server-side filter
 * operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-filters.h"
#include "mw-session-private.h"

#define FILTER_CHANGES (MW_SESSION_CHANGES (MW_LIST_FILTERS))

static gpointer
list_work (MwSchema       *schema,
           const MwAdmin  *admin,
           MwSessionArgs  *args,
           GCancellable   *cancellable,
           GError        **error)
{
  return mw_schema_list_filters (schema, admin->db, args->key, cancellable, error);
}

static const MwSessionOp list_op = { list_work, (GDestroyNotify) g_ptr_array_unref };

void
mw_session_list_filters_async (MwSession           *self,
                               const char          *account_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  _mw_session_run (self, &list_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_filters_finish (MwSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _mw_session_finish (self, result, &list_op, NULL, error);
}

static gpointer
add_work (MwSchema       *schema,
          const MwAdmin  *admin,
          MwSessionArgs  *args,
          GCancellable   *cancellable,
          GError        **error)
{
  return mw_schema_add_filter (schema, admin, args->key, args->data, error);
}

static const MwSessionOp add_op = { add_work, (GDestroyNotify) mw_filter_free, FILTER_CHANGES };

void
mw_session_add_filter_async (MwSession           *self,
                             const char          *account_key,
                             const MwFilter      *filter,
                             gboolean             dry_run,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  g_return_if_fail (filter != NULL);

  args->key = g_strdup (account_key);
  args->data = mw_filter_copy (filter);
  args->data_free = (GDestroyNotify) mw_filter_free;
  _mw_session_run (self, &add_op, args, dry_run, cancellable, callback, user_data);
}

MwFilter *
mw_session_add_filter_finish (MwSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _mw_session_finish (self, result, &add_op, NULL, error);
}

static gpointer
delete_work (MwSchema       *schema,
             const MwAdmin  *admin,
             MwSessionArgs  *args,
             GCancellable   *cancellable,
             GError        **error)
{
  return mw_schema_delete_filter (schema, admin, args->number, error);
}

static const MwSessionOp delete_op = { delete_work, (GDestroyNotify) mw_filter_free, FILTER_CHANGES };

void
mw_session_delete_filter_async (MwSession           *self,
                                gint64               id,
                                gboolean             dry_run,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->number = id;
  _mw_session_run (self, &delete_op, args, dry_run, cancellable, callback, user_data);
}

MwFilter *
mw_session_delete_filter_finish (MwSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _mw_session_finish (self, result, &delete_op, NULL, error);
}
