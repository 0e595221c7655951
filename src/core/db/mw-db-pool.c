/* mw-db-pool.c: worker threads that each own one connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-db-pool"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-db-pool.h"

struct _MwDbPool
{
  GObject       parent_instance;

  MwDbSettings *settings;
  GAsyncQueue  *queue;
  GAsyncQueue  *background;  /* served by the first worker only, when idle */
  GPtrArray    *threads;
  guint         n_workers;
  gboolean      shut_down;
  gint         *lost_epoch;  /* shared with the workers: an atomic box, they release it from their threads at once */
  guint64       serial;
};

G_DEFINE_FINAL_TYPE (MwDbPool, mw_db_pool, G_TYPE_OBJECT)

/* Pools made and not yet finalized (mw_db_pool_count_alive). */
static gint pools_alive;

typedef struct
{
  MwDbJobFunc    func;
  int            priority;
  guint64        serial;
  gint64         queued_at;  /* monotonic time */
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

typedef struct
{
  MwDbSettings *settings;
  GAsyncQueue  *queue;
  GAsyncQueue  *background;  /* NULL for all but the first worker */
  gint         *lost_epoch;
  gpointer      epoch_box;   /* a reference on lost_epoch */
  MwDb         *db;          /* a connection to start with, or NULL */
} Worker;

/* Pushed once per worker to make it leave. */
static int stop_marker;

/* Background work waits for the first worker to have nothing else to do,
 * but not for ever: a steady stream of small jobs (someone scrolling a long
 * list) would otherwise keep the page anchors that would speed those very
 * jobs up from ever starting. */
#define BACKGROUND_MAX_WAIT_US (200 * 1000)

static gpointer
pop_for_first_worker (Worker *worker)
{
  gpointer item = g_async_queue_try_pop (worker->background);

  if (item != NULL)
    {
      const Job *job = g_task_get_task_data (item);
      gpointer first = g_async_queue_try_pop (worker->queue);

      if (first == NULL)
        return item;
      /* The stop marker always goes first; other jobs until the background one waited long enough. */
      if (first == &stop_marker || g_get_monotonic_time () - job->queued_at < BACKGROUND_MAX_WAIT_US)
        {
          g_async_queue_push_front (worker->background, item);
          return first;
        }
      g_async_queue_push_front (worker->queue, first);
      return item;
    }
  if ((item = g_async_queue_try_pop (worker->queue)) != NULL)
    return item;
  return g_async_queue_timeout_pop (worker->queue, 20 * 1000);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job);
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  MwDb *db = g_steal_pointer (&worker->db);
  gint epoch = g_atomic_int_get (worker->lost_epoch);

  for (;;)
    {
      gpointer item;
      GTask *task;
      Job *job;
      GCancellable *cancellable;
      g_autoptr(GError) error = NULL;
      gpointer result;

      /* Background work never holds more than one worker, so whatever a
       * person asks for next always finds one free. */
      if (worker->background == NULL)
        item = g_async_queue_pop (worker->queue);
      else if ((item = pop_for_first_worker (worker)) == NULL)
        continue;

      if (item == &stop_marker)
        break;

      task = item;
      job = g_task_get_task_data (task);
      cancellable = g_task_get_cancellable (task);

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_task_return_new_error (task, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, _("The query was cancelled."));
          g_object_unref (task);
          continue;
        }

      /* When another worker lost its connection (the server restarted, a
       * failover, a killed session), this one is most likely gone too: open a
       * fresh one rather than fail the next job as well. */
      if (db != NULL && (!mw_db_is_connected (db) || g_atomic_int_get (worker->lost_epoch) != epoch))
        g_clear_pointer (&db, mw_db_close);
      epoch = g_atomic_int_get (worker->lost_epoch);
      if (db == NULL)
        db = mw_db_connect (worker->settings, cancellable, &error);

      if (db == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          continue;
        }

      result = job->func (db, job->data, cancellable, &error);

      /* A job must never leave a transaction open for the next one. */
      if (mw_db_is_connected (db) && mw_db_in_transaction (db))
        {
          g_warning ("a job left a transaction open; rolling it back");
          mw_db_rollback (db, NULL);
        }
      if (error != NULL && g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST))
        {
          g_clear_pointer (&db, mw_db_close);
          g_atomic_int_inc (worker->lost_epoch);
          epoch = g_atomic_int_get (worker->lost_epoch);
        }

      if (error != NULL)
        {
          if (result != NULL && job->result_free != NULL)
            job->result_free (result);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      else
        g_task_return_pointer (task, result, job->result_free);
      g_object_unref (task);
    }

  g_clear_pointer (&db, mw_db_close);
  mw_db_settings_free (worker->settings);
  g_async_queue_unref (worker->queue);
  g_clear_pointer (&worker->background, g_async_queue_unref);
  g_atomic_rc_box_release (worker->epoch_box);
  g_free (worker);
  return NULL;
}

void
mw_db_pool_shutdown (MwDbPool *self)
{
  g_return_if_fail (MW_IS_DB_POOL (self));

  if (self->shut_down)
    return;
  self->shut_down = TRUE;

  for (guint i = 0; i < self->threads->len; i++)
    g_async_queue_push_front (self->queue, &stop_marker);
  for (guint i = 0; i < self->threads->len; i++)
    g_thread_join (g_ptr_array_index (self->threads, i));
  g_ptr_array_set_size (self->threads, 0);

  /* Jobs still queued behind the markers never ran; answer them. */
  for (gpointer item; (item = g_async_queue_try_pop (self->queue)) != NULL ||
                      (item = g_async_queue_try_pop (self->background)) != NULL;)
    {
      if (item == &stop_marker)
        continue;
      g_task_return_new_error (item, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, _("The query was cancelled."));
      g_object_unref (item);
    }
}

static void
mw_db_pool_dispose (GObject *object)
{
  MwDbPool *self = MW_DB_POOL (object);

  mw_db_pool_shutdown (self);

  G_OBJECT_CLASS (mw_db_pool_parent_class)->dispose (object);
}

static void
mw_db_pool_finalize (GObject *object)
{
  MwDbPool *self = MW_DB_POOL (object);

  g_clear_pointer (&self->settings, mw_db_settings_free);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->background, g_async_queue_unref);
  g_clear_pointer (&self->threads, g_ptr_array_unref);
  g_clear_pointer (&self->lost_epoch, g_atomic_rc_box_release);
  g_atomic_int_add (&pools_alive, -1);

  G_OBJECT_CLASS (mw_db_pool_parent_class)->finalize (object);
}

static void
mw_db_pool_class_init (MwDbPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_db_pool_dispose;
  object_class->finalize = mw_db_pool_finalize;
}

guint
mw_db_pool_count_alive (void)
{
  return (guint) g_atomic_int_get (&pools_alive);
}

static void
mw_db_pool_init (MwDbPool *self)
{
  g_atomic_int_inc (&pools_alive);
  self->queue = g_async_queue_new ();
  self->background = g_async_queue_new ();
  self->threads = g_ptr_array_new ();
}

/**
 * mw_db_pool_new:
 * @settings: where to connect; copied
 * @n_workers: worker threads (each with its own connection), 0 for 2
 *
 * Connections are opened by each worker on its first job, and opened again
 * after one was lost.
 */
static MwDbPool *
pool_new (const MwDbSettings *settings,
          guint               n_workers,
          MwDb               *db)
{
  MwDbPool *self;

  self = g_object_new (MW_TYPE_DB_POOL, NULL);
  self->settings = mw_db_settings_copy (settings);
  self->n_workers = n_workers != 0 ? n_workers : 2;
  self->lost_epoch = g_atomic_rc_box_new0 (gint);

  for (guint i = 0; i < self->n_workers; i++)
    {
      Worker *worker = g_new0 (Worker, 1);
      g_autofree char *name = g_strdup_printf ("mw-db-%u", i);

      worker->settings = mw_db_settings_copy (settings);
      worker->queue = g_async_queue_ref (self->queue);
      if (i == 0)
        worker->background = g_async_queue_ref (self->background);
      worker->lost_epoch = self->lost_epoch;
      worker->epoch_box = g_atomic_rc_box_acquire (self->lost_epoch);
      if (i == 0)
        worker->db = db;
      g_ptr_array_add (self->threads, g_thread_new (name, worker_main, worker));
    }
  return self;
}

MwDbPool *
mw_db_pool_new (const MwDbSettings *settings,
                guint               n_workers)
{
  g_return_val_if_fail (settings != NULL, NULL);

  return pool_new (settings, n_workers, NULL);
}

/**
 * mw_db_pool_new_with_connection:
 * @settings: where to connect; copied
 * @n_workers: worker threads, 0 for 2
 * @db: (transfer full): an open connection to @settings, for the first worker
 *
 * For a session that has just connected (and checked the schema): the first
 * worker goes on with that connection instead of opening a fresh server
 * session on its first job. The others connect on their first job, as with
 * mw_db_pool_new(), so that a pool given up at once (a connection test) has
 * nothing to wait for when it shuts down.
 */
MwDbPool *
mw_db_pool_new_with_connection (const MwDbSettings *settings,
                                guint               n_workers,
                                MwDb               *db)
{
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (db != NULL, NULL);

  return pool_new (settings, n_workers, db);
}

const MwDbSettings *
mw_db_pool_get_settings (MwDbPool *self)
{
  g_return_val_if_fail (MW_IS_DB_POOL (self), NULL);
  return self->settings;
}

guint
mw_db_pool_get_n_workers (MwDbPool *self)
{
  g_return_val_if_fail (MW_IS_DB_POOL (self), 0);
  return self->n_workers;
}

MwDbDriver
mw_db_pool_get_driver (MwDbPool *self)
{
  return self->settings->driver;
}

/**
 * mw_db_pool_run_async:
 *
 * Queues @func to run on a worker with that worker's connection. The task has
 * no source object: a threaded task can drop its last reference on the
 * worker, and the caller passes itself in @user_data instead.
 */
void
mw_db_pool_run_async (MwDbPool           *self,
                      MwDbJobFunc         func,
                      gpointer            job_data,
                      GDestroyNotify      job_data_free,
                      GDestroyNotify      result_free,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  mw_db_pool_run_with_priority_async (self, G_PRIORITY_DEFAULT, func, job_data, job_data_free, result_free,
                                      cancellable, callback, user_data);
}

/* Markers first, then by priority, then in the order queued. */
static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const Job *x, *y;

  if (a == &stop_marker || b == &stop_marker)
    return (b == &stop_marker) - (a == &stop_marker);
  x = g_task_get_task_data ((GTask *) a);
  y = g_task_get_task_data ((GTask *) b);
  if (x->priority != y->priority)
    return x->priority < y->priority ? -1 : 1;
  return x->serial < y->serial ? -1 : x->serial > y->serial;
}

void
mw_db_pool_run_with_priority_async (MwDbPool           *self,
                                    int                 priority,
                                    MwDbJobFunc         func,
                                    gpointer            job_data,
                                    GDestroyNotify      job_data_free,
                                    GDestroyNotify      result_free,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  GTask *task;
  Job *job;

  g_return_if_fail (MW_IS_DB_POOL (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = job_data;
  job->data_free = job_data_free;
  job->result_free = result_free;
  job->priority = priority;
  job->serial = self->serial++;
  job->queued_at = g_get_monotonic_time ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_db_pool_run_async);
  g_task_set_task_data (task, job, job_free);
  g_task_set_check_cancellable (task, FALSE);

  if (self->shut_down)
    {
      g_task_return_new_error (task, MW_DB_ERROR, MW_DB_ERROR_CANCELLED, _("The query was cancelled."));
      g_object_unref (task);
      return;
    }
  if (priority > G_PRIORITY_DEFAULT)
    g_async_queue_push_sorted (self->background, task, compare_jobs, NULL);
  else
    g_async_queue_push_sorted (self->queue, task, compare_jobs, NULL);
}

gpointer
mw_db_pool_run_finish (MwDbPool      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
