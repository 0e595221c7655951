/* mw-session-cleanup.c: the session's wrappers of the cleanup steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-session-cleanup.h"
#include "mw-session-private.h"

MwCleanupSteps
mw_session_cleanup_steps (MwSession *self)
{
  MwSchema *schema = mw_session_get_schema (self);

  return schema != NULL ? mw_schema_cleanup_steps (schema) : 0;
}

/* The steps asked for that the flavour has; 0 with a sentence for none. */
static MwCleanupSteps
steps_to_run (MwSchema        *schema,
              MwCleanupSteps   asked,
              GError         **error)
{
  MwCleanupSteps steps = asked & mw_schema_cleanup_steps (schema);

  if (steps == 0)
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                 mw_schema_has_cleanup (schema)
                 ? _("None of the cleanup steps asked for applies to this kind of mail database.")
                 : _("This kind of mail database has no cleanup steps."));
  return steps;
}

/* Preview ---------------------------------------------------------------- */

static gpointer
preview_work (MwSchema       *schema,
              const MwAdmin  *admin,
              MwSessionArgs  *args,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GPtrArray) previews = NULL;
  MwCleanupSteps steps = steps_to_run (schema, (MwCleanupSteps) args->number, error);

  if (steps == 0)
    return NULL;
  previews = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_cleanup_preview_free);
  for (guint i = 0; i < MW_CLEANUP_N_STEPS; i++)
    {
      MwCleanupPreview *preview;

      if ((steps & MW_CLEANUP_STEP_BIT (i)) == 0)
        continue;
      preview = mw_schema_cleanup_preview (schema, admin->db, i, args->limit, cancellable, error);
      if (preview == NULL)
        return NULL;
      g_ptr_array_add (previews, preview);
    }
  return g_steal_pointer (&previews);
}

static const MwSessionOp preview_op = { preview_work, (GDestroyNotify) g_ptr_array_unref };

void
mw_session_cleanup_preview_async (MwSession           *self,
                                  MwCleanupSteps       steps,
                                  guint                n_samples,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->number = steps;
  args->limit = n_samples;
  _mw_session_run (self, &preview_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_cleanup_preview_finish (MwSession     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _mw_session_finish (self, result, &preview_op, NULL, error);
}

/* Apply ------------------------------------------------------------------ */

/* Progress travels from the worker to the caller's main context. */
typedef struct
{
  GMainContext      *context;
  MwCleanupProgress  func;
  gpointer           data;
} ProgressFeed;

typedef struct
{
  ProgressFeed  *feed;
  MwCleanupStep  step;
  gint64         done;
  gint64         total;
} ProgressUpdate;

static void
progress_feed_clear (ProgressFeed *feed)
{
  g_main_context_unref (feed->context);
}

static void
progress_feed_unref (gpointer feed)
{
  g_atomic_rc_box_release_full (feed, (GDestroyNotify) progress_feed_clear);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressUpdate *u = data;

  u->feed->func (u->step, u->done, u->total, u->feed->data);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *u = data;

  progress_feed_unref (u->feed);
  g_free (u);
}

static void
on_worker_progress (MwCleanupStep step,
                    gint64        done,
                    gint64        total,
                    gpointer      user_data)
{
  ProgressFeed *feed = user_data;
  ProgressUpdate *u = g_new0 (ProgressUpdate, 1);

  u->feed = g_atomic_rc_box_acquire (feed);
  u->step = step;
  u->done = done;
  u->total = total;
  g_main_context_invoke_full (feed->context, G_PRIORITY_DEFAULT, deliver_progress, u, progress_update_free);
}

static gpointer
apply_work (MwSchema       *schema,
            const MwAdmin  *admin,
            MwSessionArgs  *args,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GPtrArray) results = NULL;
  ProgressFeed *feed = args->data;
  MwCleanupSteps steps = steps_to_run (schema, (MwCleanupSteps) args->number, error);

  if (steps == 0)
    return NULL;
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_cleanup_result_free);
  for (guint i = 0; i < MW_CLEANUP_N_STEPS; i++)
    {
      MwCleanupResult *result;

      if ((steps & MW_CLEANUP_STEP_BIT (i)) == 0)
        continue;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      result = mw_schema_cleanup_apply (schema, admin, i, args->limit, feed != NULL ? on_worker_progress : NULL,
                                        feed, cancellable, error);
      if (result == NULL)
        return NULL;
      g_ptr_array_add (results, result);
      if (result->stopped)
        break;
    }
  return g_steal_pointer (&results);
}

/* The lists the committed batches moved. */
static guint
apply_changed (MwSessionArgs *args,
               gpointer       result,
               const GError  *error)
{
  GPtrArray *results = result;
  guint changes = 0;

  if (results == NULL)
    /* Batches before the failure may have been committed. */
    return MW_SESSION_CHANGES (MW_LIST_USERS) | MW_SESSION_CHANGES (MW_LIST_ALIASES);
  for (guint i = 0; i < results->len; i++)
    {
      const MwCleanupResult *r = g_ptr_array_index (results, i);

      if (r->done == 0)
        continue;
      if (r->step == MW_CLEANUP_ALIAS_GROUPS)
        changes |= MW_SESSION_CHANGES (MW_LIST_ALIASES) | MW_SESSION_CHANGES (MW_LIST_GROUPS);
      else if (r->step != MW_CLEANUP_VACUUM)
        changes |= MW_SESSION_CHANGES (MW_LIST_USERS);
    }
  return changes;
}

static const MwSessionOp apply_op = {
  apply_work, (GDestroyNotify) g_ptr_array_unref, 0, FALSE, apply_changed
};

void
mw_session_cleanup_apply_async (MwSession           *self,
                                MwCleanupSteps       steps,
                                guint                batch_size,
                                MwCleanupProgress    progress,
                                gpointer             progress_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->number = steps;
  args->limit = batch_size;
  if (progress != NULL)
    {
      ProgressFeed *feed = g_atomic_rc_box_new0 (ProgressFeed);

      feed->context = g_main_context_ref_thread_default ();
      feed->func = progress;
      feed->data = progress_data;
      args->data = feed;
      args->data_free = progress_feed_unref;
    }
  _mw_session_run (self, &apply_op, args, FALSE, cancellable, callback, user_data);
}

GPtrArray *
mw_session_cleanup_apply_finish (MwSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _mw_session_finish (self, result, &apply_op, NULL, error);
}
