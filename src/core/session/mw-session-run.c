/* mw-session-run.c: one way for every wrapper of the session to run a
 * schema operation on the pool and answer on the caller's main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-session-private.h"

MwSessionArgs *
_mw_session_args_new (void)
{
  return g_new0 (MwSessionArgs, 1);
}

void
_mw_session_args_free (MwSessionArgs *args)
{
  if (args == NULL)
    return;
  g_free (args->key);
  g_free (args->text);
  g_free (args->target);
  g_strfreev (args->keys);
  if (args->data != NULL && args->data_free != NULL)
    args->data_free (args->data);
  g_clear_object (&args->object);
  g_clear_pointer (&args->bytes, g_bytes_unref);
  g_free (args->out_key);
  g_free (args);
}

/* What the worker needs, fixed when the call is made: the worker touches
 * neither the session nor the caller's objects. */
typedef struct
{
  const MwSessionOp *op;
  MwSchema          *schema;
  char              *profile;
  gboolean           dry_run;
  MwSessionArgs     *args;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_clear_object (&call->schema);
  g_free (call->profile);
  _mw_session_args_free (call->args);
  g_free (call);
}

static gpointer
call_job (MwDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Call *call = data;
  MwAdmin admin = { .db = db, .profile = call->profile, .dry_run = call->dry_run };

  return call->op->work (call->schema, &admin, call->args, cancellable, error);
}

static void
on_call_done_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwSession *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  const MwSessionOp *op = call->op;
  g_autoptr(GError) error = NULL;
  gpointer result = mw_db_pool_run_finish (mw_session_get_pool (self), res, &error);
  guint changes = 0;

  if (op->done != NULL)
    op->done (call->args);

  /* Whoever shows the lists hears of the change before the caller does,
   * as the windows told the session themselves before. */
  if (!call->dry_run && op->changed != NULL)
    changes = op->changed (call->args, result, error);
  else if (!call->dry_run && error == NULL)
    changes = op->changes;
  for (int kind = 0; kind < MW_N_LISTS; kind++)
    if (changes & MW_SESSION_CHANGES (kind))
      mw_session_notify_changed (self, kind);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, op->result_free);
}

/**
 * _mw_session_run:
 *
 * The task answers in the thread-default main context of the caller; it
 * holds the session until then, so that the pool outlives its jobs. Like the
 * pool, it does not turn a finished operation into a cancellation: a change
 * that was committed reports its result even when cancelled meanwhile.
 */
void
_mw_session_run (MwSession           *self,
                 const MwSessionOp   *op,
                 MwSessionArgs       *args,
                 gboolean             dry_run,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MwSchema *schema;
  Call *call;

  g_return_if_fail (MW_IS_SESSION (self));
  g_return_if_fail (op != NULL && op->work != NULL);
  g_return_if_fail (args != NULL);

  schema = mw_session_get_schema (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, (gpointer) op);
  g_task_set_check_cancellable (task, FALSE);
  call = g_new0 (Call, 1);
  call->op = op;
  call->schema = g_object_ref (schema);
  call->profile = g_strdup (_mw_session_get_audit_profile (self));
  call->dry_run = dry_run;
  call->args = args;
  g_task_set_task_data (task, call, call_free);

  if (op->mail_store && !MW_IS_MAIL_STORE (schema))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This database does not hold the messages themselves, so there are no "
                                 "mailboxes or messages to show or change here."));
      return;
    }
  /* The pool's job borrows the call: the task keeps it until the job's
   * answer has come back on this thread. */
  mw_db_pool_run_async (mw_session_get_pool (self), call_job, call, NULL, op->result_free, cancellable,
                        on_call_done_cb, g_steal_pointer (&task));
}

gpointer
_mw_session_finish (MwSession          *self,
                    GAsyncResult       *result,
                    const MwSessionOp  *op,
                    MwSessionArgs     **args,
                    GError            **error)
{
  g_return_val_if_fail (MW_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == op, NULL);

  if (args != NULL)
    *args = ((Call *) g_task_get_task_data (G_TASK (result)))->args;
  return g_task_propagate_pointer (G_TASK (result), error);
}
