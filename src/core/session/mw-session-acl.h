/* mw-session-acl.h: the session's wrappers of the sharing operations
 * (mw-acl.h), where the flavour keeps shared folders
 * (mw_schema_has_sharing ()); elsewhere they fail with
 * MW_SCHEMA_ERROR_REFUSED and a sentence. A change that was not a dry run
 * emits "changed" for the Sharing list (and the users' list when it made
 * special accounts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-acl.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* _finish: MwAclEntry, see mw_schema_list_account_folders (). (transfer container) */
void            mw_session_list_account_folders_async  (MwSession *self, const char *account_key,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
GPtrArray      *mw_session_list_account_folders_finish (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: MwAclEntry, see mw_schema_list_shared_with (). (transfer container) */
void            mw_session_list_shared_with_async      (MwSession *self, const char *account_key,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
GPtrArray      *mw_session_list_shared_with_finish     (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: MwAclEntry of one folder. (transfer container) */
void            mw_session_list_folder_acl_async       (MwSession *self, const char *mailbox_key,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
GPtrArray      *mw_session_list_folder_acl_finish      (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the key of "#Public/<name>" or "#Users/<owner>/<name>". (transfer full) */
void            mw_session_find_shared_folder_async    (MwSession *self, const char *folder,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
char           *mw_session_find_shared_folder_finish   (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: what @user may do in the folder (*rights). */
void            mw_session_get_effective_rights_async  (MwSession *self, const char *mailbox_key, const char *user,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
gboolean        mw_session_get_effective_rights_finish (MwSession *self, GAsyncResult *result, MwRights *rights,
                                                        GError **error);
/* Gives @grantee exactly @rights (MW_RIGHTS_NONE: revokes). _finish:
 * *before (nullable) gets what it had, to undo with. */
void            mw_session_set_rights_async            (MwSession *self, const char *mailbox_key, const char *grantee,
                                                        MwRights rights, gboolean dry_run, GCancellable *cancellable,
                                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean        mw_session_set_rights_finish           (MwSession *self, GAsyncResult *result, MwRights *before,
                                                        GError **error);
/* _finish: which special accounts are missing (*missing). */
void            mw_session_missing_special_users_async  (MwSession *self, GCancellable *cancellable,
                                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean        mw_session_missing_special_users_finish (MwSession *self, GAsyncResult *result,
                                                         MwSpecialUsers *missing, GError **error);
/* Only with the person's consent. */
void            mw_session_create_special_users_async  (MwSession *self, MwSpecialUsers which, gboolean dry_run,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
gboolean        mw_session_create_special_users_finish (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the new folder's mailbox key. (transfer full) */
void            mw_session_create_public_folder_async  (MwSession *self, const char *name, gboolean dry_run,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
char           *mw_session_create_public_folder_finish (MwSession *self, GAsyncResult *result, GError **error);
void            mw_session_delete_public_folder_async  (MwSession *self, const char *name, gboolean dry_run,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
gboolean        mw_session_delete_public_folder_finish (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
