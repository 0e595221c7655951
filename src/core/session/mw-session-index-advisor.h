/* mw-session-index-advisor.h: the session's wrappers of the index advisor
 * (mw-index-advisor.h), run on the worker with Stop (the cancellable).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-index-advisor.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* What exists, what is missing, the search measured now. (transfer full) */
void           mw_session_index_advise_async  (MwSession *self, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
MwIndexReport *mw_session_index_advise_finish (MwSession *self, GAsyncResult *result, GError **error);

/* Creates the missing indexes (@drop FALSE) or drops the ones Mailwarden
 * created (@drop TRUE), then measures again: _finish gives the report
 * after, its n_changed how many were created or dropped. @progress
 * (nullable) is called on the caller's thread-default main context before
 * each index (name NULL when all are done); @progress_data must live until
 * the callback. A dry run changes nothing and counts what it would do. */
void           mw_session_index_change_async  (MwSession *self, gboolean drop, gboolean dry_run,
                                               MwIndexProgressFunc progress, gpointer progress_data,
                                               GCancellable *cancellable, GAsyncReadyCallback callback,
                                               gpointer user_data);
MwIndexReport *mw_session_index_change_finish (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
