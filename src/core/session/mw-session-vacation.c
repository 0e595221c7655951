/* mw-session-vacation.c: the session's wrappers of the vacation operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-private.h"
#include "mw-session-vacation.h"

#define VACATION_CHANGES (MW_SESSION_CHANGES (MW_LIST_USERS) | MW_SESSION_CHANGES (MW_LIST_FORWARDS))

/* An account named by its address is resolved first, as the CLI names it. */
static char *
resolve (MwSchema      *schema,
         const MwAdmin *admin,
         const char    *key,
         GCancellable  *cancellable,
         GError       **error)
{
  return mw_schema_resolve_account (schema, admin->db, key, cancellable, error);
}

static gpointer
get_vacation_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);
  g_autoptr(GError) local_error = NULL;
  MwVacation *v;

  if (key == NULL)
    return NULL;
  v = mw_schema_get_vacation (schema, admin->db, key, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  args->out_flag = v != NULL;
  /* "None yet" is an answer, not a failure: an empty vacation stands for it. */
  if (v == NULL)
    {
      v = mw_vacation_new ();
      v->address = g_steal_pointer (&key);
    }
  return v;
}

static const MwSessionOp get_vacation_op = { get_vacation_work, (GDestroyNotify) mw_vacation_free };

void
mw_session_get_vacation_async (MwSession           *self,
                               const char          *account_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  _mw_session_run (self, &get_vacation_op, args, FALSE, cancellable, callback, user_data);
}

MwVacation *
mw_session_get_vacation_finish (MwSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  MwSessionArgs *args = NULL;
  MwVacation *v = _mw_session_finish (self, result, &get_vacation_op, &args, error);

  if (v != NULL && args != NULL && !args->out_flag)
    g_clear_pointer (&v, mw_vacation_free);
  return v;
}

static gpointer
set_vacation_work (MwSchema       *schema,
                   const MwAdmin  *admin,
                   MwSessionArgs  *args,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);

  if (key == NULL)
    return NULL;
  return mw_schema_set_vacation (schema, admin, key, args->data, error);
}

static const MwSessionOp set_vacation_op = {
  set_vacation_work, (GDestroyNotify) mw_vacation_free, VACATION_CHANGES
};

void
mw_session_set_vacation_async (MwSession           *self,
                               const char          *account_key,
                               const MwVacation    *vacation,
                               gboolean             dry_run,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args;

  g_return_if_fail (vacation != NULL);

  args = _mw_session_args_new ();
  args->key = g_strdup (account_key);
  args->data = mw_vacation_copy (vacation);
  args->data_free = (GDestroyNotify) mw_vacation_free;
  _mw_session_run (self, &set_vacation_op, args, dry_run, cancellable, callback, user_data);
}

MwVacation *
mw_session_set_vacation_finish (MwSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _mw_session_finish (self, result, &set_vacation_op, NULL, error);
}

static gpointer
clear_vacation_work (MwSchema       *schema,
                     const MwAdmin  *admin,
                     MwSessionArgs  *args,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autofree char *key = resolve (schema, admin, args->key, cancellable, error);

  if (key == NULL)
    return NULL;
  return mw_schema_clear_vacation (schema, admin, key, error);
}

static const MwSessionOp clear_vacation_op = {
  clear_vacation_work, (GDestroyNotify) mw_vacation_free, VACATION_CHANGES
};

void
mw_session_clear_vacation_async (MwSession           *self,
                                 const char          *account_key,
                                 gboolean             dry_run,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->key = g_strdup (account_key);
  _mw_session_run (self, &clear_vacation_op, args, dry_run, cancellable, callback, user_data);
}

MwVacation *
mw_session_clear_vacation_finish (MwSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _mw_session_finish (self, result, &clear_vacation_op, NULL, error);
}
