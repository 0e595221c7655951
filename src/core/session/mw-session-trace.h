/* mw-session-trace.h: the session's wrapper of the delivery trace
 * (mw-trace.h), run on a worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-session.h"
#include "mw-trace.h"

G_BEGIN_DECLS

/* Where mail for @address goes. _finish: the tree, or NULL with the
 * sentence (MW_SCHEMA_ERROR_INVALID for text that is no address).
 * (transfer full) */
void         mw_session_trace_delivery_async  (MwSession *self, const char *address, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
MwTraceNode *mw_session_trace_delivery_finish (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
