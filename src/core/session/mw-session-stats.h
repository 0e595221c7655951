/* mw-session-stats.h: the session's wrappers of the statistics area
 * (mw-stats.h): figures, charts, login lists and the server's status, read
 * on a worker. They change nothing, so they never emit "changed". Where
 * the flavour counts nothing (mw_schema_has_stats () FALSE) they fail with
 * MW_SCHEMA_ERROR_REFUSED and a sentence; the server's status works
 * everywhere.
 *
 * The overview asks for the first figures (fast: estimates for the big
 * tables), then for the exact ones and each chart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-stats.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* _finish: see mw_schema_get_overview (). (transfer full) */
void             mw_session_get_overview_async        (MwSession *self, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback, gpointer user_data);
MwStatsOverview *mw_session_get_overview_finish       (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: see mw_schema_get_overview_fast (). (transfer full) */
void             mw_session_get_overview_fast_async   (MwSession *self, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback, gpointer user_data);
MwStatsOverview *mw_session_get_overview_fast_finish  (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: see mw_schema_get_chart (). (transfer full) */
void             mw_session_get_chart_async           (MwSession *self, MwChartKind kind, guint n,
                                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                                       gpointer user_data);
MwChart         *mw_session_get_chart_finish          (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: see mw_schema_list_recent_logins (). (transfer full) */
void             mw_session_list_recent_logins_async  (MwSession *self, guint hours, guint64 offset, guint limit,
                                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                                       gpointer user_data);
MwLoginPage     *mw_session_list_recent_logins_finish (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: see mw_schema_list_unused_accounts (). (transfer full) */
void             mw_session_list_unused_accounts_async  (MwSession *self, guint days, guint64 offset, guint limit,
                                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                                         gpointer user_data);
MwLoginPage     *mw_session_list_unused_accounts_finish (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: see mw_schema_list_before_smtp (). (transfer full) */
void             mw_session_list_before_smtp_async    (MwSession *self, guint64 offset, guint limit,
                                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                                       gpointer user_data);
MwLoginPage     *mw_session_list_before_smtp_finish   (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: see mw_schema_get_server_status (). (transfer full) */
void             mw_session_get_server_status_async   (MwSession *self, GCancellable *cancellable,
                                                       GAsyncReadyCallback callback, gpointer user_data);
MwServerStatus  *mw_session_get_server_status_finish  (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
