/* mw-session-cleanup.h: the session's wrappers of the cleanup steps
 * (mw-cleanup.h). Both run on the session's worker, never on the main loop.
 *
 * A flavour without cleanup fails them with MW_SCHEMA_ERROR_REFUSED and a
 * sentence; steps asked for that the flavour lacks are left out (a set with
 * none of its steps is refused). An apply that changed rows emits "changed"
 * for the lists it moved (users, aliases, messages).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-cleanup.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* The steps of the session's flavour (0 before it is connected or when it
 * has none). */
MwCleanupSteps  mw_session_cleanup_steps               (MwSession *self);

/* The dry run: what each of @steps (that the flavour has) would do, with
 * up to @n_samples samples each. _finish: MwCleanupPreview in step order.
 * (transfer container) */
void            mw_session_cleanup_preview_async       (MwSession *self, MwCleanupSteps steps, guint n_samples,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
GPtrArray      *mw_session_cleanup_preview_finish      (MwSession *self, GAsyncResult *result, GError **error);

/* Applies @steps in order, in batches of @batch_size rows (0: the
 * default). @progress (nullable) is called on the caller's thread-default
 * main context after each batch; @progress_data must live until the
 * callback. Cancelling @cancellable (Stop) stops between batches: _finish
 * then gives the results so far, the last one with stopped set, and the
 * steps not begun have none. A failure (lost connection) fails with a
 * sentence; its batch was rolled back, earlier batches stay and are in the
 * audit log. _finish: MwCleanupResult in step order. (transfer container) */
void            mw_session_cleanup_apply_async         (MwSession *self, MwCleanupSteps steps, guint batch_size,
                                                        MwCleanupProgress progress, gpointer progress_data,
                                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                                        gpointer user_data);
GPtrArray      *mw_session_cleanup_apply_finish        (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
