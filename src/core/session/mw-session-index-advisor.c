/* mw-session-index-advisor.c: the session's wrappers of the index advisor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-index-advisor.h"
#include "mw-session-private.h"

static gpointer
advise_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
             GCancellable *cancellable, GError **error)
{
  return mw_schema_index_advise (schema, admin->db, cancellable, error);
}

static const MwSessionOp advise_op = { advise_work, (GDestroyNotify) mw_index_report_free };

void
mw_session_index_advise_async (MwSession           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _mw_session_run (self, &advise_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

MwIndexReport *
mw_session_index_advise_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &advise_op, NULL, error);
}

typedef struct
{
  GMainContext        *context;
  MwIndexProgressFunc  func;
  gpointer             data;
} ProgressFeed;

typedef struct
{
  ProgressFeed *feed;
  guint         done;
  guint         total;
  char         *name;
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

  u->feed->func (u->done, u->total, u->name, u->feed->data);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *u = data;

  progress_feed_unref (u->feed);
  g_free (u->name);
  g_free (u);
}

static void
on_worker_progress (guint done, guint total, const char *name, gpointer user_data)
{
  ProgressFeed *feed = user_data;
  ProgressUpdate *u = g_new0 (ProgressUpdate, 1);

  u->feed = g_atomic_rc_box_acquire (feed);
  u->done = done;
  u->total = total;
  u->name = g_strdup (name);
  g_main_context_invoke_full (feed->context, G_PRIORITY_DEFAULT, deliver_progress, u, progress_update_free);
}

static gpointer
change_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
             GCancellable *cancellable, GError **error)
{
  ProgressFeed *feed = args->data;
  MwIndexReport *report;
  guint n = 0;
  gboolean ok;

  if (args->option)
    ok = mw_schema_index_drop (schema, admin, feed != NULL ? on_worker_progress : NULL, feed, &n,
                               cancellable, error);
  else
    ok = mw_schema_index_apply (schema, admin, feed != NULL ? on_worker_progress : NULL, feed, &n,
                                cancellable, error);
  if (!ok)
    return NULL;
  report = mw_schema_index_advise (schema, admin->db, cancellable, error);
  if (report != NULL)
    report->n_changed = n;
  return report;
}

static const MwSessionOp change_op = { change_work, (GDestroyNotify) mw_index_report_free };

void
mw_session_index_change_async (MwSession           *self,
                               gboolean             drop,
                               gboolean             dry_run,
                               MwIndexProgressFunc  progress,
                               gpointer             progress_data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->option = drop;
  if (progress != NULL)
    {
      ProgressFeed *feed = g_atomic_rc_box_new0 (ProgressFeed);

      feed->context = g_main_context_ref_thread_default ();
      feed->func = progress;
      feed->data = progress_data;
      args->data = feed;
      args->data_free = progress_feed_unref;
    }
  _mw_session_run (self, &change_op, args, dry_run, cancellable, callback, user_data);
}

MwIndexReport *
mw_session_index_change_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &change_op, NULL, error);
}
