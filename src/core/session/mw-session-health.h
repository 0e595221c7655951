/* mw-session-health.h: the session's run of the health checks (mw-health.h)
 * on a worker, one check after the other, each reported as it finishes so
 * that a page fills in; Stop is the GCancellable.
 *
 * Where the flavour has no checks (mw_schema_has_health ()), the run fails
 * with MW_SCHEMA_ERROR_REFUSED and a sentence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-health.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* One finished check. */
typedef struct
{
  char      *check;      /* its id */
  char      *title;      /* translated */
  GPtrArray *findings;   /* MwHealthFinding; empty when all is well */
} MwHealthCheckResult;

MwHealthCheckResult *mw_health_check_result_copy (const MwHealthCheckResult *result);
void                 mw_health_check_result_free (MwHealthCheckResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwHealthCheckResult, mw_health_check_result_free)

/* Called on the main context the run was started in, once per finished
 * check, in order, all before the run's callback, none once @cancellable
 * is cancelled; @done of @total checks are finished (done >= 1). @result
 * belongs to the run: copy what you keep. */
typedef void (*MwHealthCheckDoneFunc) (const MwHealthCheckResult *result,
                                       guint                      done,
                                       guint                      total,
                                       gpointer                   user_data);

/* Runs the flavour's checks, or only those named in @only (ids; NULL or
 * empty: all; an unknown id fails at once with a sentence naming the known
 * ones), each finding with at most @max_samples samples (0:
 * MW_HEALTH_DEFAULT_SAMPLES; G_MAXUINT: all). A check that fails (the
 * connection was lost, the server refused) ends the run with its error,
 * whose message is a sentence naming the check; the checks reported before
 * stay valid. */
void       mw_session_run_health_async  (MwSession *self, const char *const *only, guint max_samples,
                                         MwHealthCheckDoneFunc check_done, gpointer check_data,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* Every check's MwHealthCheckResult, in the order they ran.
 * (transfer container) */
GPtrArray *mw_session_run_health_finish (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
