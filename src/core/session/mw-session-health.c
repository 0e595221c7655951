/* mw-session-health.c: the session's run of the health checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-session-health.h"
#include "mw-session-private.h"

MwHealthCheckResult *
mw_health_check_result_copy (const MwHealthCheckResult *result)
{
  MwHealthCheckResult *r;

  g_return_val_if_fail (result != NULL, NULL);

  r = g_new0 (MwHealthCheckResult, 1);
  r->check = g_strdup (result->check);
  r->title = g_strdup (result->title);
  r->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_health_finding_free);
  for (guint i = 0; i < result->findings->len; i++)
    g_ptr_array_add (r->findings, mw_health_finding_copy (result->findings->pdata[i]));
  return r;
}

void
mw_health_check_result_free (MwHealthCheckResult *result)
{
  if (result == NULL)
    return;
  g_free (result->check);
  g_free (result->title);
  g_clear_pointer (&result->findings, g_ptr_array_unref);
  g_free (result);
}

/* Finished checks travel from the worker to the caller's context through a
 * queue (as the body search's hits do, mw-session-mail.c): delivered in
 * order, the rest delivered by the done hook before the callback, nothing
 * after a cancel. Shared by reference with the idle sources, which may run
 * after the call is gone and then find the feed closed. */
typedef struct
{
  GMutex                 lock;
  GQueue                 updates;     /* MwHealthCheckResult copies */
  gboolean               scheduled;
  gboolean               closed;      /* the caller's thread only */
  GMainContext          *context;
  GCancellable          *cancellable;
  MwHealthCheckDoneFunc  func;
  gpointer               func_data;
  guint                  total;
  guint                  delivered;   /* the caller's thread only */
  GPtrArray             *results;     /* the worker's; the run's result */
} Feed;

static void
feed_clear (gpointer data)
{
  Feed *feed = data;

  g_queue_clear_full (&feed->updates, (GDestroyNotify) mw_health_check_result_free);
  g_mutex_clear (&feed->lock);
  g_main_context_unref (feed->context);
  g_clear_object (&feed->cancellable);
  g_clear_pointer (&feed->results, g_ptr_array_unref);
}

static void
feed_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, feed_clear);
}

static void
feed_deliver (Feed *feed)
{
  for (;;)
    {
      MwHealthCheckResult *r;

      g_mutex_lock (&feed->lock);
      r = g_queue_pop_head (&feed->updates);
      if (r == NULL)
        feed->scheduled = FALSE;
      g_mutex_unlock (&feed->lock);
      if (r == NULL)
        return;

      feed->delivered++;
      if (!feed->closed && !g_cancellable_is_cancelled (feed->cancellable) && feed->func != NULL)
        feed->func (r, feed->delivered, feed->total, feed->func_data);
      mw_health_check_result_free (r);
    }
}

static gboolean
feed_deliver_cb (gpointer data)
{
  feed_deliver (data);
  return G_SOURCE_REMOVE;
}

/* On the worker: takes @r. */
static void
feed_push (Feed                *feed,
           MwHealthCheckResult *r)
{
  gboolean schedule;

  g_mutex_lock (&feed->lock);
  g_queue_push_tail (&feed->updates, r);
  schedule = !feed->scheduled;
  feed->scheduled = TRUE;
  g_mutex_unlock (&feed->lock);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, feed_deliver_cb, g_atomic_rc_box_acquire (feed), feed_release);
      g_source_attach (source, feed->context);
    }
}

static gpointer
run_health_work (MwSchema       *schema,
                 const MwAdmin  *admin,
                 MwSessionArgs  *args,
                 GCancellable   *cancellable,
                 GError        **error)
{
  Feed *feed = args->data;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint n;
  const MwHealthCheckInfo *checks = mw_schema_list_health_checks (schema, &n);

  if (args->keys != NULL && args->keys[0] != NULL)
    for (guint i = 0; args->keys[i] != NULL; i++)
      g_ptr_array_add (ids, args->keys[i]);
  else
    for (guint i = 0; i < n; i++)
      g_ptr_array_add (ids, (gpointer) checks[i].id);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = ids->pdata[i];
      const MwHealthCheckInfo *info = mw_schema_find_health_check (schema, id);
      g_autoptr(GError) local = NULL;
      GPtrArray *findings;
      MwHealthCheckResult *r;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      findings = mw_schema_run_health_check (schema, admin->db, id, args->limit, cancellable, &local);
      if (findings == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) || info == NULL)
            g_propagate_error (error, g_steal_pointer (&local));
          else
            /* Translators: the first %s is a health check's title, the second the database's sentence. */
            g_set_error (error, local->domain, local->code, _("The check “%s” could not finish: %s"),
                         info->title, local->message);
          return NULL;
        }
      r = g_new0 (MwHealthCheckResult, 1);
      r->check = g_strdup (id);
      r->title = g_strdup (info->title);
      r->findings = findings;
      g_ptr_array_add (feed->results, mw_health_check_result_copy (r));
      feed_push (feed, r);
    }
  return g_ptr_array_ref (feed->results);
}

static void
run_health_done (MwSessionArgs *args)
{
  Feed *feed = args->data;

  feed_deliver (feed);
  feed->closed = TRUE;
}

static const MwSessionOp run_health_op = { run_health_work, (GDestroyNotify) g_ptr_array_unref, 0, FALSE, NULL,
                                           run_health_done };

static void
refuse (MwSession           *self,
        GError              *error,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, (gpointer) &run_health_op);
  g_task_return_error (task, error);
}

void
mw_session_run_health_async (MwSession              *self,
                             const char *const      *only,
                             guint                   max_samples,
                             MwHealthCheckDoneFunc   check_done,
                             gpointer                check_data,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  MwSchema *schema;
  MwSessionArgs *args;
  Feed *feed;
  guint n;

  g_return_if_fail (MW_IS_SESSION (self));

  schema = mw_session_get_schema (self);
  if (schema == NULL || !mw_schema_has_health (schema))
    {
      refuse (self, g_error_new (MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                                 _("This kind of mail database has no health checks.")),
              callback, user_data);
      return;
    }
  mw_schema_list_health_checks (schema, &n);
  if (only != NULL && only[0] != NULL)
    {
      n = 0;
      for (guint i = 0; only[i] != NULL; i++, n++)
        if (mw_schema_find_health_check (schema, only[i]) == NULL)
          {
            GError *error = NULL;

            /* Gives the sentence that names the known checks. */
            g_assert (mw_schema_run_health_check (schema, NULL, only[i], 0, NULL, &error) == NULL);
            refuse (self, error, callback, user_data);
            return;
          }
    }

  feed = g_atomic_rc_box_new0 (Feed);
  g_mutex_init (&feed->lock);
  g_queue_init (&feed->updates);
  feed->context = g_main_context_ref_thread_default ();
  feed->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  feed->func = check_done;
  feed->func_data = check_data;
  feed->total = n;
  feed->results = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_health_check_result_free);

  args = _mw_session_args_new ();
  args->keys = only != NULL && only[0] != NULL ? g_strdupv ((char **) only) : NULL;
  args->limit = max_samples;
  args->data = feed;
  args->data_free = feed_release;
  _mw_session_run (self, &run_health_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_run_health_finish (MwSession     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _mw_session_finish (self, result, &run_health_op, NULL, error);
}
