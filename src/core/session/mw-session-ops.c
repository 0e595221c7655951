/* mw-session-ops.c: the session's wrappers of the schema's account,
 * address and CSV operations.
 *
 * Each one copies its arguments, runs the mw_schema_...() function of the
 * same name on a worker (mw-session-run.c) and, after a change that was not
 * a dry run, tells the "changed" listeners which lists moved: the same
 * lists the windows used to name themselves after each operation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-import.h"
#include "mw-password.h"
#include "mw-session-domains.h"
#include "mw-session-private.h"

#define DONE GINT_TO_POINTER (TRUE)

/* Aliases, forwards: an address changed in place may have been either, and
 * the address window always reloaded both. */
#define ADDRESS_CHANGES (MW_SESSION_CHANGES (MW_LIST_ALIASES) | MW_SESSION_CHANGES (MW_LIST_FORWARDS))

/* ------------------------------------------------------------------------ */
/* Accounts                                                                 */
/* ------------------------------------------------------------------------ */

static gpointer
find_work (MwSchema       *schema,
           const MwAdmin  *admin,
           MwSessionArgs  *args,
           GCancellable   *cancellable,
           GError        **error)
{
  return mw_schema_find (schema, admin->db, args->text, cancellable, error);
}

static const MwSessionOp find_op = { find_work, (GDestroyNotify) mw_found_free };

void
mw_session_find_async (MwSession           *self,
                       const char          *text,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (text);
  _mw_session_run (self, &find_op, args, FALSE, cancellable, callback, user_data);
}

MwFound *
mw_session_find_finish (MwSession     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return _mw_session_finish (self, result, &find_op, NULL, error);
}

static gpointer
resolve_account_work (MwSchema       *schema,
                      const MwAdmin  *admin,
                      MwSessionArgs  *args,
                      GCancellable   *cancellable,
                      GError        **error)
{
  return mw_schema_resolve_account (schema, admin->db, args->text, cancellable, error);
}

static const MwSessionOp resolve_account_op = { resolve_account_work, g_free };

void
mw_session_resolve_account_async (MwSession           *self,
                                  const char          *text,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (text);
  _mw_session_run (self, &resolve_account_op, args, FALSE, cancellable, callback, user_data);
}

char *
mw_session_resolve_account_finish (MwSession     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _mw_session_finish (self, result, &resolve_account_op, NULL, error);
}

static gpointer
get_account_work (MwSchema       *schema,
                  const MwAdmin  *admin,
                  MwSessionArgs  *args,
                  GCancellable   *cancellable,
                  GError        **error)
{
  return mw_schema_get_account (schema, admin->db, args->key, cancellable, error);
}

static const MwSessionOp get_account_op = { get_account_work, (GDestroyNotify) mw_account_free };

void
mw_session_get_account_async (MwSession           *self,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (key);
  _mw_session_run (self, &get_account_op, args, FALSE, cancellable, callback, user_data);
}

MwAccount *
mw_session_get_account_finish (MwSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _mw_session_finish (self, result, &get_account_op, NULL, error);
}

static gpointer
name_taken_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(GError) local = NULL;

  args->out_flag = mw_schema_name_taken (schema, admin->db, args->text, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return DONE;
}

static const MwSessionOp name_taken_op = { name_taken_work };

void
mw_session_name_taken_async (MwSession           *self,
                             const char          *name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (name);
  _mw_session_run (self, &name_taken_op, args, FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_name_taken_finish (MwSession     *self,
                              GAsyncResult  *result,
                              gboolean      *taken,
                              GError       **error)
{
  MwSessionArgs *args;
  gboolean ok = _mw_session_finish (self, result, &name_taken_op, &args, error) != NULL;

  if (taken != NULL)
    *taken = ok && args->out_flag;
  return ok;
}

static void
new_account_free (gpointer data)
{
  MwNewAccount *account = data;

  g_free ((char *) account->name);
  mw_password_free ((char *) account->password);
  g_free ((char *) account->password_scheme);
  g_free ((char *) account->alias);
  g_free (account);
}

static gpointer
add_account_work (MwSchema       *schema,
                  const MwAdmin  *admin,
                  MwSessionArgs  *args,
                  GCancellable   *cancellable,
                  GError        **error)
{
  return mw_schema_add_account (schema, admin, args->data, error);
}

static const MwSessionOp add_account_op = { add_account_work, g_free, MW_SESSION_CHANGES (MW_LIST_USERS) };

void
mw_session_add_account_async (MwSession           *self,
                              const MwNewAccount  *account,
                              gboolean             dry_run,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MwSessionArgs *args;
  MwNewAccount *copy;

  g_return_if_fail (account != NULL);

  args = _mw_session_args_new ();
  copy = g_memdup2 (account, sizeof *account);
  copy->name = g_strdup (account->name);
  copy->password = g_strdup (account->password);
  copy->password_scheme = g_strdup (account->password_scheme);
  copy->alias = g_strdup (account->alias);
  args->data = copy;
  args->data_free = new_account_free;
  _mw_session_run (self, &add_account_op, args, dry_run, cancellable, callback, user_data);
}

char *
mw_session_add_account_finish (MwSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _mw_session_finish (self, result, &add_account_op, NULL, error);
}

static MwAccountChange *
account_change_copy (const MwAccountChange *change)
{
  MwAccountChange *copy = mw_account_change_new ();

  *copy = *change;
  copy->name = g_strdup (change->name);
  copy->password = g_strdup (change->password);
  copy->password_scheme = g_strdup (change->password_scheme);
  copy->stored_password = g_strdup (change->stored_password);
  copy->stored_scheme = g_strdup (change->stored_scheme);
  copy->security_password = g_strdup (change->security_password);
  copy->expected_fingerprint = g_strdup (change->expected_fingerprint);
  copy->notice = g_strdup (change->notice);
  return copy;
}

static gpointer
update_account_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return mw_schema_update_account (schema, admin, args->key, args->data, error);
}

static const MwSessionOp update_account_op = {
  /* A new address also retargets aliases and moves a mailbox to another domain. */
  update_account_work, (GDestroyNotify) mw_account_change_free,
  MW_SESSION_CHANGES (MW_LIST_USERS) | ADDRESS_CHANGES | MW_SESSION_CHANGES (MW_LIST_DOMAINS)
};

void
mw_session_update_account_async (MwSession              *self,
                                 const char             *key,
                                 const MwAccountChange  *change,
                                 gboolean                dry_run,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (change != NULL);

  args = _mw_session_args_new ();
  args->key = g_strdup (key);
  args->data = account_change_copy (change);
  args->data_free = (GDestroyNotify) mw_account_change_free;
  _mw_session_run (self, &update_account_op, args, dry_run, cancellable, callback, user_data);
}

MwAccountChange *
mw_session_update_account_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &update_account_op, NULL, error);
}

static gpointer
delete_accounts_work (MwSchema       *schema,
                      const MwAdmin  *admin,
                      MwSessionArgs  *args,
                      GCancellable   *cancellable,
                      GError        **error)
{
  if (!mw_schema_delete_accounts (schema, admin, args->key, args->number, &args->out.summary, error))
    return NULL;
  return DONE;
}

static const MwSessionOp delete_accounts_op = { delete_accounts_work, NULL, MW_SESSION_CHANGES (MW_LIST_USERS) };

void
mw_session_delete_accounts_async (MwSession           *self,
                                  const char          *key,
                                  gint64               group,
                                  gboolean             dry_run,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (key);
  args->number = group;
  _mw_session_run (self, &delete_accounts_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_delete_accounts_finish (MwSession        *self,
                                   GAsyncResult     *result,
                                   MwDeleteSummary  *summary,
                                   GError          **error)
{
  MwSessionArgs *args;

  if (_mw_session_finish (self, result, &delete_accounts_op, &args, error) == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = args->out.summary;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Addresses                                                                */
/* ------------------------------------------------------------------------ */

static gpointer
find_routes_work (MwSchema       *schema,
                  const MwAdmin  *admin,
                  MwSessionArgs  *args,
                  GCancellable   *cancellable,
                  GError        **error)
{
  return mw_schema_find_routes (schema, admin->db, args->text, error);
}

static const MwSessionOp find_routes_op = { find_routes_work, (GDestroyNotify) g_ptr_array_unref };

void
mw_session_find_routes_async (MwSession           *self,
                              const char          *address,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (address);
  _mw_session_run (self, &find_routes_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_find_routes_finish (MwSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _mw_session_finish (self, result, &find_routes_op, NULL, error);
}

static gpointer
add_alias_work (MwSchema       *schema,
                const MwAdmin  *admin,
                MwSessionArgs  *args,
                GCancellable   *cancellable,
                GError        **error)
{
  return mw_schema_add_alias (schema, admin, args->key, args->text, args->flags, error);
}

static const MwSessionOp add_alias_op = { add_alias_work, g_free, MW_SESSION_CHANGES (MW_LIST_ALIASES) };

void
mw_session_add_alias_async (MwSession           *self,
                            const char          *account_key,
                            const char          *address,
                            MwAddressFlags       flags,
                            gboolean             dry_run,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  args->text = g_strdup (address);
  args->flags = flags;
  _mw_session_run (self, &add_alias_op, args, dry_run, cancellable, callback, user_data);
}

char *
mw_session_add_alias_finish (MwSession     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _mw_session_finish (self, result, &add_alias_op, NULL, error);
}

static gpointer
add_alias_for_work (MwSchema       *schema,
                    const MwAdmin  *admin,
                    MwSessionArgs  *args,
                    GCancellable   *cancellable,
                    GError        **error)
{
  return mw_schema_add_alias_for (schema, admin, args->target, args->text, args->flags, args->option,
                                  &args->out_key, error);
}

/* A new account made for the alias shows in the users list, which reloads
 * on a change of the aliases. */
static const MwSessionOp add_alias_for_op = { add_alias_for_work, g_free, MW_SESSION_CHANGES (MW_LIST_ALIASES) };

void
mw_session_add_alias_for_async (MwSession           *self,
                                const char          *account,
                                const char          *address,
                                MwAddressFlags       flags,
                                gboolean             create_missing,
                                gboolean             dry_run,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->target = g_strdup (account);
  args->text = g_strdup (address);
  args->flags = flags;
  args->option = create_missing;
  _mw_session_run (self, &add_alias_for_op, args, dry_run, cancellable, callback, user_data);
}

char *
mw_session_add_alias_for_finish (MwSession     *self,
                                 GAsyncResult  *result,
                                 char         **created_account_key,
                                 GError       **error)
{
  MwSessionArgs *args;
  char *key = _mw_session_finish (self, result, &add_alias_for_op, &args, error);

  if (created_account_key != NULL)
    *created_account_key = key != NULL ? g_steal_pointer (&args->out_key) : NULL;
  return key;
}

static gpointer
add_forward_work (MwSchema       *schema,
                  const MwAdmin  *admin,
                  MwSessionArgs  *args,
                  GCancellable   *cancellable,
                  GError        **error)
{
  return mw_schema_add_forward (schema, admin, args->text, args->target, args->flags, args->number, error);
}

static const MwSessionOp add_forward_op = { add_forward_work, g_free, MW_SESSION_CHANGES (MW_LIST_FORWARDS) };

void
mw_session_add_forward_async (MwSession           *self,
                              const char          *address,
                              const char          *target,
                              MwAddressFlags       flags,
                              gint64               group,
                              gboolean             dry_run,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (address);
  args->target = g_strdup (target);
  args->flags = flags;
  args->number = group;
  _mw_session_run (self, &add_forward_op, args, dry_run, cancellable, callback, user_data);
}

char *
mw_session_add_forward_finish (MwSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _mw_session_finish (self, result, &add_forward_op, NULL, error);
}

static gpointer
rename_address_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return mw_schema_rename_address (schema, admin, args->key, args->text, args->flags, error) ? DONE : NULL;
}

static const MwSessionOp rename_address_op = { rename_address_work, NULL, ADDRESS_CHANGES };

void
mw_session_rename_address_async (MwSession           *self,
                                 const char          *address_key,
                                 const char          *address,
                                 MwAddressFlags       flags,
                                 gboolean             dry_run,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (address_key);
  args->text = g_strdup (address);
  args->flags = flags;
  _mw_session_run (self, &rename_address_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_rename_address_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &rename_address_op, NULL, error) != NULL;
}

static gpointer
retarget_address_work (MwSchema       *schema,
                       const MwAdmin  *admin,
                       MwSessionArgs  *args,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return mw_schema_retarget_address (schema, admin, args->key, args->target, error) ? DONE : NULL;
}

static const MwSessionOp retarget_address_op = { retarget_address_work, NULL, ADDRESS_CHANGES };

void
mw_session_retarget_address_async (MwSession           *self,
                                   const char          *address_key,
                                   const char          *target,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (address_key);
  args->target = g_strdup (target);
  _mw_session_run (self, &retarget_address_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_retarget_address_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &retarget_address_op, NULL, error) != NULL;
}

static gpointer
move_address_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return mw_schema_move_address (schema, admin, args->key, args->target, error) ? DONE : NULL;
}

static const MwSessionOp move_address_op = { move_address_work, NULL, ADDRESS_CHANGES };

void
mw_session_move_address_async (MwSession           *self,
                               const char          *address_key,
                               const char          *account,
                               gboolean             dry_run,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (address_key);
  args->target = g_strdup (account);
  _mw_session_run (self, &move_address_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_move_address_finish (MwSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _mw_session_finish (self, result, &move_address_op, NULL, error) != NULL;
}

static gpointer
delete_address_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return mw_schema_delete_address (schema, admin, args->key, error) ? DONE : NULL;
}

static const MwSessionOp delete_address_op = { delete_address_work, NULL, ADDRESS_CHANGES };

void
mw_session_delete_address_async (MwSession           *self,
                                 const char          *address_key,
                                 gboolean             dry_run,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (address_key);
  _mw_session_run (self, &delete_address_op, args, dry_run, cancellable, callback, user_data);
}

gboolean
mw_session_delete_address_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &delete_address_op, NULL, error) != NULL;
}

static gpointer
group_add_domain_work (MwSchema       *schema,
                       const MwAdmin  *admin,
                       MwSessionArgs  *args,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return mw_schema_group_add_domain (schema, admin, args->number, args->target, error);
}

static const MwSessionOp group_add_domain_op = {
  group_add_domain_work, (GDestroyNotify) g_strfreev, MW_SESSION_CHANGES (MW_LIST_ALIASES)
};

void
mw_session_group_add_domain_async (MwSession           *self,
                                   gint64               group,
                                   const char          *domain,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->number = group;
  args->target = g_strdup (domain);
  _mw_session_run (self, &group_add_domain_op, args, dry_run, cancellable, callback, user_data);
}

GStrv
mw_session_group_add_domain_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &group_add_domain_op, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */
/* ------------------------------------------------------------------------ */

static gpointer
import_prepare_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return mw_schema_import_prepare (schema, admin->db, args->bytes, args->borrowed_const, cancellable, error);
}

static const MwSessionOp import_prepare_op = { import_prepare_work, (GDestroyNotify) mw_import_plan_free };

void
mw_session_import_prepare_async (MwSession              *self,
                                 GBytes                 *csv,
                                 const MwImportOptions  *options,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (csv != NULL);

  args = _mw_session_args_new ();
  args->bytes = g_bytes_ref (csv);
  args->borrowed_const = options;
  _mw_session_run (self, &import_prepare_op, args, FALSE, cancellable, callback, user_data);
}

MwImportPlan *
mw_session_import_prepare_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &import_prepare_op, NULL, error);
}

static gpointer
import_run_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return mw_schema_import_run (schema, admin, args->borrowed, args->borrowed_const, (MwImportProgress) args->func,
                               args->func_data, cancellable, error);
}

/* The batches committed before a failure stay: the users list reloads
 * unless nothing was created (stopped before the first batch). */
static guint
import_run_changed (MwSessionArgs *args,
                    gpointer       result,
                    const GError  *error)
{
  const MwImportReport *report = result;
  gboolean created = report != NULL ? report->created > 0
                                    : !g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) &&
                                      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  return created ? MW_SESSION_CHANGES (MW_LIST_USERS) : 0;
}

static const MwSessionOp import_run_op = {
  import_run_work, (GDestroyNotify) mw_import_report_free, 0, FALSE, import_run_changed
};

void
mw_session_import_run_async (MwSession              *self,
                             MwImportPlan           *plan,
                             const MwImportOptions  *options,
                             gboolean                dry_run,
                             MwImportProgress        progress,
                             gpointer                progress_data,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (plan != NULL);

  args = _mw_session_args_new ();
  args->borrowed = plan;
  args->borrowed_const = options;
  args->func = (GCallback) progress;
  args->func_data = progress_data;
  _mw_session_run (self, &import_run_op, args, dry_run, cancellable, callback, user_data);
}

MwImportReport *
mw_session_import_run_finish (MwSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _mw_session_finish (self, result, &import_run_op, NULL, error);
}

static void
list_request_free (gpointer data)
{
  MwListRequest *request = data;

  g_free ((char *) request->search);
  g_free (request);
}

static gpointer
export_csv_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  if (!mw_schema_export_csv (schema, admin->db, args->data, G_OUTPUT_STREAM (args->object), &args->out.rows,
                             cancellable, error))
    return NULL;
  return DONE;
}

static const MwSessionOp export_csv_op = { export_csv_work };

void
mw_session_export_csv_async (MwSession            *self,
                             const MwListRequest  *request,
                             GOutputStream        *out,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  MwSessionArgs *args;
  MwListRequest *copy;

  g_return_if_fail (request != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (out));

  args = _mw_session_args_new ();
  copy = g_memdup2 (request, sizeof *request);
  copy->search = g_strdup (request->search);
  args->data = copy;
  args->data_free = list_request_free;
  args->object = g_object_ref (G_OBJECT (out));
  _mw_session_run (self, &export_csv_op, args, FALSE, cancellable, callback, user_data);
}

gboolean
mw_session_export_csv_finish (MwSession     *self,
                              GAsyncResult  *result,
                              guint64       *rows,
                              GError       **error)
{
  MwSessionArgs *args;
  gboolean ok = _mw_session_finish (self, result, &export_csv_op, &args, error) != NULL;

  /* What was written before a failure, too. */
  if (rows != NULL)
    *rows = args->out.rows;
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Domains (mw-session-domains.h)                                           */
/* ------------------------------------------------------------------------ */

#define DOMAIN_CHANGES (MW_SESSION_CHANGES (MW_LIST_DOMAINS) | MW_SESSION_CHANGES (MW_LIST_USERS))

static gpointer
get_domain_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return mw_schema_get_domain (schema, admin->db, args->text, cancellable, error);
}

static const MwSessionOp get_domain_op = { get_domain_work, (GDestroyNotify) mw_domain_free };

void
mw_session_get_domain_async (MwSession           *self,
                             const char          *key_or_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  g_return_if_fail (key_or_name != NULL);

  args->text = g_strdup (key_or_name);
  _mw_session_run (self, &get_domain_op, args, FALSE, cancellable, callback, user_data);
}

MwDomain *
mw_session_get_domain_finish (MwSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _mw_session_finish (self, result, &get_domain_op, NULL, error);
}

static gpointer
add_domain_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return mw_schema_add_domain (schema, admin, args->text, args->data, error);
}

static const MwSessionOp add_domain_op = { add_domain_work, g_free, MW_SESSION_CHANGES (MW_LIST_DOMAINS) };

void
mw_session_add_domain_async (MwSession             *self,
                             const char            *name,
                             const MwDomainChange  *settings,
                             gboolean               dry_run,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  g_return_if_fail (name != NULL);

  args->text = g_strdup (name);
  if (settings != NULL)
    {
      args->data = mw_domain_change_copy (settings);
      args->data_free = (GDestroyNotify) mw_domain_change_free;
    }
  _mw_session_run (self, &add_domain_op, args, dry_run, cancellable, callback, user_data);
}

char *
mw_session_add_domain_finish (MwSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _mw_session_finish (self, result, &add_domain_op, NULL, error);
}

static gpointer
update_domain_work (MwSchema       *schema,
                    const MwAdmin  *admin,
                    MwSessionArgs  *args,
                    GCancellable   *cancellable,
                    GError        **error)
{
  return mw_schema_update_domain (schema, admin, args->key, args->data, error);
}

static const MwSessionOp update_domain_op = {
  update_domain_work, (GDestroyNotify) mw_domain_change_free, DOMAIN_CHANGES
};

void
mw_session_update_domain_async (MwSession             *self,
                                const char            *key,
                                const MwDomainChange  *change,
                                gboolean               dry_run,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (key != NULL);
  g_return_if_fail (change != NULL);

  args = _mw_session_args_new ();
  args->key = g_strdup (key);
  args->data = mw_domain_change_copy (change);
  args->data_free = (GDestroyNotify) mw_domain_change_free;
  _mw_session_run (self, &update_domain_op, args, dry_run, cancellable, callback, user_data);
}

MwDomainChange *
mw_session_update_domain_finish (MwSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _mw_session_finish (self, result, &update_domain_op, NULL, error);
}

static gpointer
delete_domains_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return mw_schema_delete_domains (schema, admin, (const char *const *) args->keys, error);
}

static const MwSessionOp delete_domains_op = {
  delete_domains_work, (GDestroyNotify) mw_domain_delete_summary_free, DOMAIN_CHANGES | ADDRESS_CHANGES
};

void
mw_session_delete_domains_async (MwSession           *self,
                                 const char *const   *keys,
                                 gboolean             dry_run,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (keys != NULL && keys[0] != NULL);

  args = _mw_session_args_new ();
  args->keys = g_strdupv ((GStrv) keys);
  _mw_session_run (self, &delete_domains_op, args, dry_run, cancellable, callback, user_data);
}

MwDomainDeleteSummary *
mw_session_delete_domains_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &delete_domains_op, NULL, error);
}
