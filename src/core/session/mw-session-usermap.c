/* mw-session-usermap.c: the session's wrappers of the login map
 * operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-private.h"
#include "mw-session-usermap.h"

#define LOGIN_MAP_CHANGES (MW_SESSION_CHANGES (MW_LIST_LOGIN_MAPS))
#define DONE GINT_TO_POINTER (TRUE)

static gpointer
exists_work (MwSchema       *schema,
             const MwAdmin  *admin,
             MwSessionArgs  *args,
             GCancellable   *cancellable,
             GError        **error)
{
  return mw_schema_login_maps_table_exists (schema, admin->db, &args->out_flag, cancellable, error) ? DONE : NULL;
}

static const MwSessionOp exists_op = { exists_work };

void
mw_session_login_maps_table_exists_async (MwSession           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  _mw_session_run (self, &exists_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_login_maps_table_exists_finish (MwSession     *self,
                                           GAsyncResult  *result,
                                           gboolean      *exists,
                                           GError       **error)
{
  MwSessionArgs *args;
  gboolean ok = _mw_session_finish (self, result, &exists_op, &args, error) != NULL;

  if (exists != NULL)
    *exists = ok && args->out_flag;
  return ok;
}

static gpointer
create_work (MwSchema       *schema,
             const MwAdmin  *admin,
             MwSessionArgs  *args,
             GCancellable   *cancellable,
             GError        **error)
{
  return mw_schema_create_login_maps_table (schema, admin, error) ? DONE : NULL;
}

static const MwSessionOp create_op = { create_work, NULL, LOGIN_MAP_CHANGES };

void
mw_session_create_login_maps_table_async (MwSession           *self,
                                          gboolean             dry_run,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  _mw_session_run (self, &create_op, _mw_session_args_new (), dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_create_login_maps_table_finish (MwSession     *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return _mw_session_finish (self, result, &create_op, NULL, error) != NULL;
}

static gpointer
list_work (MwSchema       *schema,
           const MwAdmin  *admin,
           MwSessionArgs  *args,
           GCancellable   *cancellable,
           GError        **error)
{
  return mw_schema_list_login_maps (schema, admin->db, args->key, cancellable, error);
}

static const MwSessionOp list_op = { list_work, (GDestroyNotify) g_ptr_array_unref };

void
mw_session_list_login_maps_async (MwSession           *self,
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
mw_session_list_login_maps_finish (MwSession     *self,
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
  return mw_schema_add_login_map (schema, admin, args->data, error);
}

static const MwSessionOp add_op = { add_work, (GDestroyNotify) mw_login_map_free, LOGIN_MAP_CHANGES };

void
mw_session_add_login_map_async (MwSession           *self,
                                const MwLoginMap    *map,
                                gboolean             dry_run,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->data = mw_login_map_copy (map);
  args->data_free = (GDestroyNotify) mw_login_map_free;
  _mw_session_run (self, &add_op, args, dry_run, cancellable, callback, user_data);
}

MwLoginMap *
mw_session_add_login_map_finish (MwSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _mw_session_finish (self, result, &add_op, NULL, error);
}

static gpointer
update_work (MwSchema       *schema,
             const MwAdmin  *admin,
             MwSessionArgs  *args,
             GCancellable   *cancellable,
             GError        **error)
{
  return mw_schema_update_login_map (schema, admin, args->key, args->data, error);
}

static const MwSessionOp update_op = { update_work, (GDestroyNotify) mw_login_map_free, LOGIN_MAP_CHANGES };

void
mw_session_update_login_map_async (MwSession           *self,
                                   const char          *key,
                                   const MwLoginMap    *map,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (key);
  args->data = mw_login_map_copy (map);
  args->data_free = (GDestroyNotify) mw_login_map_free;
  _mw_session_run (self, &update_op, args, dry_run, cancellable, callback, user_data);
}

MwLoginMap *
mw_session_update_login_map_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &update_op, NULL, error);
}

static gpointer
delete_work (MwSchema       *schema,
             const MwAdmin  *admin,
             MwSessionArgs  *args,
             GCancellable   *cancellable,
             GError        **error)
{
  return mw_schema_delete_login_map (schema, admin, args->key, error);
}

static const MwSessionOp delete_op = { delete_work, (GDestroyNotify) mw_login_map_free, LOGIN_MAP_CHANGES };

void
mw_session_delete_login_map_async (MwSession           *self,
                                   const char          *key,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (key);
  _mw_session_run (self, &delete_op, args, dry_run, cancellable, callback, user_data);
}

MwLoginMap *
mw_session_delete_login_map_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &delete_op, NULL, error);
}

static gpointer
set_work (MwSchema       *schema,
          const MwAdmin  *admin,
          MwSessionArgs  *args,
          GCancellable   *cancellable,
          GError        **error)
{
  return mw_schema_set_account_login_maps (schema, admin, args->key, (MwLoginMapsPreset) args->flags, args->data,
                                           error);
}

static const MwSessionOp set_op = { set_work, (GDestroyNotify) g_ptr_array_unref, LOGIN_MAP_CHANGES };

void
mw_session_set_account_login_maps_async (MwSession           *self,
                                         const char          *account_key,
                                         MwLoginMapsPreset    preset,
                                         GPtrArray           *restore,
                                         gboolean             dry_run,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  args->flags = preset;
  if (restore != NULL)
    {
      args->data = g_ptr_array_copy (restore, (GCopyFunc) (void (*) (void)) mw_login_map_copy, NULL);
      g_ptr_array_set_free_func (args->data, (GDestroyNotify) mw_login_map_free);
      args->data_free = (GDestroyNotify) g_ptr_array_unref;
    }
  _mw_session_run (self, &set_op, args, dry_run, cancellable, callback, user_data);
}

GPtrArray *
mw_session_set_account_login_maps_finish (MwSession     *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _mw_session_finish (self, result, &set_op, NULL, error);
}
