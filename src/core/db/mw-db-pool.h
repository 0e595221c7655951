/* mw-db-pool.h: worker threads that each own one connection; jobs are GTasks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

#define MW_TYPE_DB_POOL (mw_db_pool_get_type ())
G_DECLARE_FINAL_TYPE (MwDbPool, mw_db_pool, MW, DB_POOL, GObject)

/* Runs on a worker with that worker's connection. Returns the result (may be
 * NULL on success when the job has nothing to return) or sets error. */
typedef gpointer (*MwDbJobFunc) (MwDb         *db,
                                 gpointer      job_data,
                                 GCancellable *cancellable,
                                 GError      **error);

MwDbPool           *mw_db_pool_new          (const MwDbSettings *settings,
                                             guint               n_workers);
/* The first worker takes @db (an open connection to @settings) instead of connecting on its first job. */
MwDbPool           *mw_db_pool_new_with_connection (const MwDbSettings *settings,
                                                    guint               n_workers,
                                                    MwDb               *db);
const MwDbSettings *mw_db_pool_get_settings (MwDbPool *self);
guint               mw_db_pool_get_n_workers (MwDbPool *self);
MwDbDriver          mw_db_pool_get_driver   (MwDbPool *self);

void                mw_db_pool_run_async    (MwDbPool           *self,
                                             MwDbJobFunc         func,
                                             gpointer            job_data,
                                             GDestroyNotify      job_data_free,
                                             GDestroyNotify      result_free,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* Background work (page anchors, group lists) waits behind what a person is
 * looking at: jobs with a lower priority value run first (G_PRIORITY_*). */
void                mw_db_pool_run_with_priority_async (MwDbPool           *self,
                                                        int                 priority,
                                                        MwDbJobFunc         func,
                                                        gpointer            job_data,
                                                        GDestroyNotify      job_data_free,
                                                        GDestroyNotify      result_free,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gpointer            mw_db_pool_run_finish   (MwDbPool      *self,
                                             GAsyncResult  *result,
                                             GError       **error);

/* Stops the workers after the queued jobs; called by dispose too. */
void                mw_db_pool_shutdown     (MwDbPool *self);

/* How many pools exist in this process: for tests, which wait at their end
 * until the jobs still under way have given their pools back. */
guint               mw_db_pool_count_alive  (void);

G_END_DECLS
