/* mw-session-sieve.c: the session's wrappers of the Sieve script
 * operations. The account may be named by its key, its name or an address
 * (mw_schema_resolve_account ()), as the vacation wrappers take it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-private.h"
#include "mw-session-sieve.h"

static char *
resolve (MwSchema       *schema,
         const MwAdmin  *admin,
         const char     *key,
         GCancellable   *cancellable,
         GError        **error)
{
  if (!mw_schema_has_sieve (schema))
    {
      /* the sentence of the refusal, before a look-up that means nothing here */
      g_autoptr(GPtrArray) none = mw_schema_list_sieve_scripts (schema, admin->db, "", cancellable, error);

      return NULL;
    }
  return mw_schema_resolve_account (schema, admin->db, key, cancellable, error);
}

static void
free_scripts (gpointer data)
{
  g_ptr_array_unref (data);
}

/* The arguments of an operation on the account named by account_key: a
 * script's name and a second text (a script, a new name), each may be NULL. */
static MwSessionArgs *
args_new (const char *account_key,
          const char *text,
          const char *target)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  args->text = g_strdup (text);
  args->target = g_strdup (target);
  return args;
}

/* list */

static gpointer
list_work (MwSchema       *schema,
           const MwAdmin  *admin,
           MwSessionArgs  *args,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);

  if (key == NULL)
    return NULL;
  return mw_schema_list_sieve_scripts (schema, admin->db, key, cancellable, error);
}

static const MwSessionOp list_op = { list_work, free_scripts };

void
mw_session_list_sieve_scripts_async (MwSession           *self,
                                     const char          *account_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  _mw_session_run (self, &list_op, args_new (account_key, NULL, NULL), FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_list_sieve_scripts_finish (MwSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _mw_session_finish (self, result, &list_op, NULL, error);
}

/* get */

static gpointer
get_work (MwSchema       *schema,
          const MwAdmin  *admin,
          MwSessionArgs  *args,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);

  if (key == NULL)
    return NULL;
  return mw_schema_get_sieve_script (schema, admin->db, key, args->text, cancellable, error);
}

static const MwSessionOp get_op = { get_work, (GDestroyNotify) mw_sieve_script_free };

void
mw_session_get_sieve_script_async (MwSession           *self,
                                   const char          *account_key,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  _mw_session_run (self, &get_op, args_new (account_key, name, NULL), FALSE, cancellable, callback, user_data);
}

MwSieveScript *
mw_session_get_sieve_script_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &get_op, NULL, error);
}

/* check */

static gpointer
check_work (MwSchema       *schema,
            const MwAdmin  *admin,
            MwSessionArgs  *args,
            GCancellable   *cancellable,
            GError        **error)
{
  if (!mw_schema_check_sieve_script (schema, args->text, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static const MwSessionOp check_op = { check_work, NULL };

void
mw_session_check_sieve_script_async (MwSession           *self,
                                     const char          *script,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  _mw_session_run (self, &check_op, args_new (NULL, script != NULL ? script : "", NULL), FALSE, cancellable, callback,
                   user_data);
}

gboolean
mw_session_check_sieve_script_finish (MwSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _mw_session_finish (self, result, &check_op, NULL, error) != NULL;
}

/* put */

static gpointer
put_work (MwSchema       *schema,
          const MwAdmin  *admin,
          MwSessionArgs  *args,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);

  if (key == NULL)
    return NULL;
  return mw_schema_put_sieve_script (schema, admin, key, args->text, args->target, args->option, cancellable, error);
}

static const MwSessionOp put_op = { put_work, (GDestroyNotify) mw_sieve_script_free };

void
mw_session_put_sieve_script_async (MwSession           *self,
                                   const char          *account_key,
                                   const char          *name,
                                   const char          *script,
                                   gboolean             activate,
                                   gboolean             dry_run,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MwSessionArgs *args = args_new (account_key, name, script);

  args->option = activate;
  _mw_session_run (self, &put_op, args, dry_run, cancellable, callback, user_data);
}

MwSieveScript *
mw_session_put_sieve_script_finish (MwSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _mw_session_finish (self, result, &put_op, NULL, error);
}

/* activate, deactivate */

static gpointer
activate_work (MwSchema       *schema,
               const MwAdmin  *admin,
               MwSessionArgs  *args,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);

  if (key == NULL)
    return NULL;
  if (args->text == NULL)
    return mw_schema_deactivate_sieve_scripts (schema, admin, key, error);
  return mw_schema_activate_sieve_script (schema, admin, key, args->text, error);
}

static const MwSessionOp activate_op = { activate_work, (GDestroyNotify) mw_sieve_script_free };

void
mw_session_activate_sieve_script_async (MwSession           *self,
                                        const char          *account_key,
                                        const char          *name,
                                        gboolean             dry_run,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (name != NULL);

  _mw_session_run (self, &activate_op, args_new (account_key, name, NULL), dry_run, cancellable, callback, user_data);
}

MwSieveScript *
mw_session_activate_sieve_script_finish (MwSession     *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _mw_session_finish (self, result, &activate_op, NULL, error);
}

void
mw_session_deactivate_sieve_scripts_async (MwSession           *self,
                                           const char          *account_key,
                                           gboolean             dry_run,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  _mw_session_run (self, &activate_op, args_new (account_key, NULL, NULL), dry_run, cancellable, callback, user_data);
}

MwSieveScript *
mw_session_deactivate_sieve_scripts_finish (MwSession     *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return _mw_session_finish (self, result, &activate_op, NULL, error);
}

/* delete, rename */

static gpointer
delete_work (MwSchema       *schema,
             const MwAdmin  *admin,
             MwSessionArgs  *args,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);

  if (key == NULL)
    return NULL;
  if (args->target != NULL)
    return mw_schema_rename_sieve_script (schema, admin, key, args->text, args->target, error);
  return mw_schema_delete_sieve_script (schema, admin, key, args->text, error);
}

static const MwSessionOp delete_op = { delete_work, (GDestroyNotify) mw_sieve_script_free };

void
mw_session_delete_sieve_script_async (MwSession           *self,
                                      const char          *account_key,
                                      const char          *name,
                                      gboolean             dry_run,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  _mw_session_run (self, &delete_op, args_new (account_key, name, NULL), dry_run, cancellable, callback, user_data);
}

MwSieveScript *
mw_session_delete_sieve_script_finish (MwSession     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _mw_session_finish (self, result, &delete_op, NULL, error);
}

void
mw_session_rename_sieve_script_async (MwSession           *self,
                                      const char          *account_key,
                                      const char          *name,
                                      const char          *new_name,
                                      gboolean             dry_run,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (new_name != NULL);

  _mw_session_run (self, &delete_op, args_new (account_key, name, new_name), dry_run, cancellable, callback,
                   user_data);
}

MwSieveScript *
mw_session_rename_sieve_script_finish (MwSession     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _mw_session_finish (self, result, &delete_op, NULL, error);
}

/* the vacation script */

static gpointer
get_vacation_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MwSieveScript) script = NULL;

  if (key == NULL)
    return NULL;
  script = mw_schema_get_sieve_script (schema, admin->db, key, MW_SIEVE_VACATION_NAME, cancellable, &local_error);
  if (script == NULL)
    {
      /* "None yet" is an answer, not a failure: an empty vacation stands for it. */
      if (g_error_matches (local_error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND))
        return mw_sieve_vacation_new ();
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  args->out_flag = TRUE;
  args->number = script->active;   /* an output here */
  return mw_sieve_vacation_from_script (script->script, error);
}

static const MwSessionOp get_vacation_op = { get_vacation_work, (GDestroyNotify) mw_sieve_vacation_free };

void
mw_session_get_sieve_vacation_async (MwSession           *self,
                                     const char          *account_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  _mw_session_run (self, &get_vacation_op, args_new (account_key, NULL, NULL), FALSE, cancellable, callback, user_data);
}

MwSieveVacation *
mw_session_get_sieve_vacation_finish (MwSession     *self,
                                      GAsyncResult  *result,
                                      gboolean      *active,
                                      GError       **error)
{
  MwSessionArgs *args = NULL;
  MwSieveVacation *v = _mw_session_finish (self, result, &get_vacation_op, &args, error);

  if (active != NULL)
    *active = v != NULL && args != NULL && args->out_flag && args->number != 0;
  if (v != NULL && args != NULL && !args->out_flag)
    g_clear_pointer (&v, mw_sieve_vacation_free);
  return v;
}

static gpointer
put_vacation_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);
  g_autofree char *script = NULL;

  if (key == NULL)
    return NULL;
  if ((script = mw_sieve_vacation_to_script (args->data, mw_schema_get_sieve_engine (schema), error)) == NULL)
    return NULL;
  return mw_schema_put_sieve_script (schema, admin, key, MW_SIEVE_VACATION_NAME, script, args->option, cancellable,
                                     error);
}

static const MwSessionOp put_vacation_op = { put_vacation_work, (GDestroyNotify) mw_sieve_script_free };

void
mw_session_put_sieve_vacation_async (MwSession              *self,
                                     const char             *account_key,
                                     const MwSieveVacation  *vacation,
                                     gboolean                activate,
                                     gboolean                dry_run,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (vacation != NULL);

  args = args_new (account_key, NULL, NULL);
  args->data = mw_sieve_vacation_copy (vacation);
  args->data_free = (GDestroyNotify) mw_sieve_vacation_free;
  args->option = activate;
  _mw_session_run (self, &put_vacation_op, args, dry_run, cancellable, callback, user_data);
}

MwSieveScript *
mw_session_put_sieve_vacation_finish (MwSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _mw_session_finish (self, result, &put_vacation_op, NULL, error);
}
