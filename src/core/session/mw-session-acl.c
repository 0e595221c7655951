/* mw-session-acl.c: the session's wrappers of the sharing operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-acl.h"
#include "mw-session-private.h"

#define DONE GINT_TO_POINTER (TRUE)
#define SHARING_CHANGES (MW_SESSION_CHANGES (MW_LIST_SHARING))

/* Lists ------------------------------------------------------------------ */

static gpointer
list_account_folders_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                           GCancellable *cancellable, GError **error)
{
  return mw_schema_list_account_folders (schema, admin->db, args->key, cancellable, error);
}

static gpointer
list_shared_with_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                       GCancellable *cancellable, GError **error)
{
  return mw_schema_list_shared_with (schema, admin->db, args->key, cancellable, error);
}

static gpointer
list_folder_acl_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                      GCancellable *cancellable, GError **error)
{
  return mw_schema_list_folder_acl (schema, admin->db, args->key, cancellable, error);
}

static const MwSessionOp list_account_folders_op = { list_account_folders_work,
                                                     (GDestroyNotify) g_ptr_array_unref };
static const MwSessionOp list_shared_with_op = { list_shared_with_work, (GDestroyNotify) g_ptr_array_unref };
static const MwSessionOp list_folder_acl_op = { list_folder_acl_work, (GDestroyNotify) g_ptr_array_unref };

static void
run_with_key (MwSession *self, const MwSessionOp *op, const char *key, GCancellable *cancellable,
              GAsyncReadyCallback callback, gpointer user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (key);
  _mw_session_run (self, op, args, FALSE, cancellable, callback, user_data);
}

void
mw_session_list_account_folders_async (MwSession           *self,
                                       const char          *account_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  run_with_key (self, &list_account_folders_op, account_key, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_account_folders_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &list_account_folders_op, NULL, error);
}

void
mw_session_list_shared_with_async (MwSession           *self,
                                   const char          *account_key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  run_with_key (self, &list_shared_with_op, account_key, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_shared_with_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &list_shared_with_op, NULL, error);
}

void
mw_session_list_folder_acl_async (MwSession           *self,
                                  const char          *mailbox_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  run_with_key (self, &list_folder_acl_op, mailbox_key, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_folder_acl_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &list_folder_acl_op, NULL, error);
}

/* Look-ups --------------------------------------------------------------- */

static gpointer
find_shared_folder_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                         GCancellable *cancellable, GError **error)
{
  return mw_schema_find_shared_folder (schema, admin->db, args->text, cancellable, error);
}

static const MwSessionOp find_shared_folder_op = { find_shared_folder_work, g_free };

void
mw_session_find_shared_folder_async (MwSession           *self,
                                     const char          *folder,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (folder);
  _mw_session_run (self, &find_shared_folder_op, args, FALSE, cancellable, callback, user_data);
}

char *
mw_session_find_shared_folder_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &find_shared_folder_op, NULL, error);
}

static gpointer
effective_rights_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                       GCancellable *cancellable, GError **error)
{
  MwRights rights = 0;

  if (!mw_schema_get_effective_rights (schema, admin->db, args->key, args->text, &rights, cancellable, error))
    return NULL;
  args->out.rows = rights;
  return DONE;
}

static const MwSessionOp effective_rights_op = { effective_rights_work };

void
mw_session_get_effective_rights_async (MwSession           *self,
                                       const char          *mailbox_key,
                                       const char          *user,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (mailbox_key);
  args->text = g_strdup (user);
  _mw_session_run (self, &effective_rights_op, args, FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_get_effective_rights_finish (MwSession     *self,
                                        GAsyncResult  *result,
                                        MwRights      *rights,
                                        GError       **error)
{
  MwSessionArgs *args;
  gboolean ok = _mw_session_finish (self, result, &effective_rights_op, &args, error) != NULL;

  if (rights != NULL)
    *rights = ok ? (MwRights) args->out.rows : 0;
  return ok;
}

static gpointer
missing_special_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                      GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) local = NULL;

  args->out.rows = mw_schema_missing_special_users (schema, admin->db, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return DONE;
}

static const MwSessionOp missing_special_op = { missing_special_work };

void
mw_session_missing_special_users_async (MwSession           *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  _mw_session_run (self, &missing_special_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_missing_special_users_finish (MwSession       *self,
                                         GAsyncResult    *result,
                                         MwSpecialUsers  *missing,
                                         GError         **error)
{
  MwSessionArgs *args;
  gboolean ok = _mw_session_finish (self, result, &missing_special_op, &args, error) != NULL;

  if (missing != NULL)
    *missing = ok ? (MwSpecialUsers) args->out.rows : 0;
  return ok;
}

/* Changes ---------------------------------------------------------------- */

static gpointer
set_rights_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                 GCancellable *cancellable, GError **error)
{
  MwRights before = 0;

  if (!mw_schema_set_rights (schema, admin, args->key, args->text, (MwRights) args->flags, &before, error))
    return NULL;
  args->out.rows = before;
  return DONE;
}

static const MwSessionOp set_rights_op = { set_rights_work, NULL, SHARING_CHANGES };

void
mw_session_set_rights_async (MwSession           *self,
                             const char          *mailbox_key,
                             const char          *grantee,
                             MwRights             rights,
                             gboolean             dry_run,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (mailbox_key);
  args->text = g_strdup (grantee);
  args->flags = rights;
  _mw_session_run (self, &set_rights_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_set_rights_finish (MwSession     *self,
                              GAsyncResult  *result,
                              MwRights      *before,
                              GError       **error)
{
  MwSessionArgs *args;
  gboolean ok = _mw_session_finish (self, result, &set_rights_op, &args, error) != NULL;

  if (before != NULL)
    *before = ok ? (MwRights) args->out.rows : 0;
  return ok;
}

static gpointer
create_special_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                     GCancellable *cancellable, GError **error)
{
  return mw_schema_create_special_users (schema, admin, (MwSpecialUsers) args->flags, error) ? DONE : NULL;
}

static const MwSessionOp create_special_op = { create_special_work, NULL,
                                               SHARING_CHANGES | MW_SESSION_CHANGES (MW_LIST_USERS) };

void
mw_session_create_special_users_async (MwSession           *self,
                                       MwSpecialUsers       which,
                                       gboolean             dry_run,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->flags = which;
  _mw_session_run (self, &create_special_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_create_special_users_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &create_special_op, NULL, error) != NULL;
}

static gpointer
create_public_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                    GCancellable *cancellable, GError **error)
{
  return mw_schema_create_public_folder (schema, admin, args->text, error);
}

static const MwSessionOp create_public_op = { create_public_work, g_free, SHARING_CHANGES };

void
mw_session_create_public_folder_async (MwSession           *self,
                                       const char          *name,
                                       gboolean             dry_run,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (name);
  _mw_session_run (self, &create_public_op, args, dry_run, cancellable, callback, user_data);
}

char *
mw_session_create_public_folder_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &create_public_op, NULL, error);
}

static gpointer
delete_public_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                    GCancellable *cancellable, GError **error)
{
  return mw_schema_delete_public_folder (schema, admin, args->text, error) ? DONE : NULL;
}

static const MwSessionOp delete_public_op = { delete_public_work, NULL, SHARING_CHANGES };

void
mw_session_delete_public_folder_async (MwSession           *self,
                                       const char          *name,
                                       gboolean             dry_run,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (name);
  _mw_session_run (self, &delete_public_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_delete_public_folder_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &delete_public_op, NULL, error) != NULL;
}
