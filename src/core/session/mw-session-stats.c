/* mw-session-stats.c: the session's wrappers of the statistics area.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-session"

#include "config.h"

#include "mw-session-stats.h"
#include "mw-session-private.h"

/* Figures and charts ------------------------------------------------------- */

static gpointer
overview_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
               GCancellable *cancellable, GError **error)
{
  return mw_schema_get_overview (schema, admin->db, cancellable, error);
}

static const MwSessionOp overview_op = { overview_work, (GDestroyNotify) mw_stats_overview_free };

void
mw_session_get_overview_async (MwSession           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _mw_session_run (self, &overview_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

MwStatsOverview *
mw_session_get_overview_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &overview_op, NULL, error);
}

static gpointer
overview_fast_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                    GCancellable *cancellable, GError **error)
{
  return mw_schema_get_overview_fast (schema, admin->db, cancellable, error);
}

static const MwSessionOp overview_fast_op = { overview_fast_work, (GDestroyNotify) mw_stats_overview_free };

void
mw_session_get_overview_fast_async (MwSession           *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  _mw_session_run (self, &overview_fast_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

MwStatsOverview *
mw_session_get_overview_fast_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &overview_fast_op, NULL, error);
}

static gpointer
chart_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
            GCancellable *cancellable, GError **error)
{
  return mw_schema_get_chart (schema, admin->db, (MwChartKind) args->flags, args->limit, cancellable, error);
}

static const MwSessionOp chart_op = { chart_work, (GDestroyNotify) mw_chart_free };

void
mw_session_get_chart_async (MwSession           *self,
                            MwChartKind          kind,
                            guint                n,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->flags = kind;
  args->limit = n;
  _mw_session_run (self, &chart_op, args, FALSE, cancellable, callback, user_data);
}

MwChart *
mw_session_get_chart_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &chart_op, NULL, error);
}

/* Login lists -------------------------------------------------------------- */

static gpointer
recent_logins_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                    GCancellable *cancellable, GError **error)
{
  return mw_schema_list_recent_logins (schema, admin->db, (guint) args->number, args->offset, args->limit,
                                       cancellable, error);
}

static gpointer
unused_accounts_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                      GCancellable *cancellable, GError **error)
{
  return mw_schema_list_unused_accounts (schema, admin->db, (guint) args->number, args->offset, args->limit,
                                         cancellable, error);
}

static gpointer
before_smtp_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                  GCancellable *cancellable, GError **error)
{
  return mw_schema_list_before_smtp (schema, admin->db, args->offset, args->limit, cancellable, error);
}

static const MwSessionOp recent_logins_op = { recent_logins_work, (GDestroyNotify) mw_login_page_free };
static const MwSessionOp unused_accounts_op = { unused_accounts_work, (GDestroyNotify) mw_login_page_free };
static const MwSessionOp before_smtp_op = { before_smtp_work, (GDestroyNotify) mw_login_page_free };

static void
run_page (MwSession *self, const MwSessionOp *op, gint64 number, guint64 offset, guint limit,
          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  MwSessionArgs *args = _mw_session_args_new ();

  args->number = number;
  args->offset = offset;
  args->limit = limit;
  _mw_session_run (self, op, args, FALSE, cancellable, callback, user_data);
}

void
mw_session_list_recent_logins_async (MwSession           *self,
                                     guint                hours,
                                     guint64              offset,
                                     guint                limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  run_page (self, &recent_logins_op, hours, offset, limit, cancellable, callback, user_data);
}

MwLoginPage *
mw_session_list_recent_logins_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &recent_logins_op, NULL, error);
}

void
mw_session_list_unused_accounts_async (MwSession           *self,
                                       guint                days,
                                       guint64              offset,
                                       guint                limit,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  run_page (self, &unused_accounts_op, days, offset, limit, cancellable, callback, user_data);
}

MwLoginPage *
mw_session_list_unused_accounts_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &unused_accounts_op, NULL, error);
}

void
mw_session_list_before_smtp_async (MwSession           *self,
                                   guint64              offset,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  run_page (self, &before_smtp_op, 0, offset, limit, cancellable, callback, user_data);
}

MwLoginPage *
mw_session_list_before_smtp_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &before_smtp_op, NULL, error);
}

/* The server --------------------------------------------------------------- */

static gpointer
server_status_work (MwSchema *schema, const MwAdmin *admin, MwSessionArgs *args,
                    GCancellable *cancellable, GError **error)
{
  return mw_schema_get_server_status (schema, admin->db, cancellable, error);
}

static const MwSessionOp server_status_op = { server_status_work, (GDestroyNotify) mw_server_status_free };

void
mw_session_get_server_status_async (MwSession           *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  _mw_session_run (self, &server_status_op, _mw_session_args_new (), FALSE, cancellable, callback, user_data);
}

MwServerStatus *
mw_session_get_server_status_finish (MwSession *self, GAsyncResult *result, GError **error)
{
  return _mw_session_finish (self, result, &server_status_op, NULL, error);
}
