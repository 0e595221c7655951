/* mw-session-usermap.h: the session's wrappers of the login map
 * operations (mw-usermap.h), where the flavour has login maps
 * (mw_schema_has_login_maps ()); elsewhere they fail with
 * MW_SCHEMA_ERROR_REFUSED and a sentence. A change that was not a dry run
 * emits "changed" for the Login Maps list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-session.h"
#include "mw-usermap.h"

G_BEGIN_DECLS

/* _finish: TRUE on success, *exists whether the table is there. */
void        mw_session_login_maps_table_exists_async  (MwSession *self, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean    mw_session_login_maps_table_exists_finish (MwSession *self, GAsyncResult *result, gboolean *exists,
                                                       GError **error);
/* Only with the admin's consent. */
void        mw_session_create_login_maps_table_async  (MwSession *self, gboolean dry_run, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean    mw_session_create_login_maps_table_finish (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the maps (MwLoginMap) of @account_key, every one for NULL. (transfer container) */
void        mw_session_list_login_maps_async          (MwSession *self, const char *account_key,
                                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                                       gpointer user_data);
GPtrArray  *mw_session_list_login_maps_finish         (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the row as stored. (transfer full) */
void        mw_session_add_login_map_async            (MwSession *self, const MwLoginMap *map, gboolean dry_run,
                                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                                       gpointer user_data);
MwLoginMap *mw_session_add_login_map_finish           (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the row as it was. (transfer full) */
void        mw_session_update_login_map_async         (MwSession *self, const char *key, const MwLoginMap *map,
                                                       gboolean dry_run, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback, gpointer user_data);
MwLoginMap *mw_session_update_login_map_finish        (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the row as it was. (transfer full) */
void        mw_session_delete_login_map_async         (MwSession *self, const char *key, gboolean dry_run,
                                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                                       gpointer user_data);
MwLoginMap *mw_session_delete_login_map_finish        (MwSession *self, GAsyncResult *result, GError **error);
/* Lock, Clear, or Restore (@restore: what Lock or Clear returned; copied).
 * _finish: the account's own rows as they were. (transfer container) */
void        mw_session_set_account_login_maps_async   (MwSession *self, const char *account_key,
                                                       MwLoginMapsPreset preset, GPtrArray *restore,
                                                       gboolean dry_run, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback, gpointer user_data);
GPtrArray  *mw_session_set_account_login_maps_finish  (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
