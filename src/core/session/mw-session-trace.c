/* mw-session-trace.c: the session's wrapper of the delivery trace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-private.h"
#include "mw-session-trace.h"

static gpointer
trace_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
            GCancellable *cancellable, GError **error)
{
  return mw_schema_trace_delivery (schema, admin->db, args->text, cancellable, error);
}

static const MwSessionOp trace_op = { trace_work, (GDestroyNotify) mw_trace_node_free };

void
mw_session_trace_delivery_async (MwSession           *self,
                                 const char          *address,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->text = g_strdup (address);
  _mw_session_run (self, &trace_op, args, FALSE, cancellable, callback, user_data);
}

MwTraceNode *
mw_session_trace_delivery_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &trace_op, NULL, error);
}
