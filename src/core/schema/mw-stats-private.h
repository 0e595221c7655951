/* mw-stats-private.h: what the statistics area's files share; for
 * src/core/schema only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-stats.h"

G_BEGIN_DECLS

/* The flavours' implementations (mw-dbmail-stats.c, mw-vmail-stats.c). */
void            _mw_dbmail_stats_iface_init       (MwStatsStoreInterface *iface);
void            _mw_ispmail_stats_iface_init      (MwStatsStoreInterface *iface);
void            _mw_postfixadmin_stats_iface_init (MwStatsStoreInterface *iface);

/* "PostgreSQL" or "MariaDB". */
const char     *_mw_stats_database_type  (MwDb *db);
/* "1,234" in the locale's way. (transfer full) */
char           *_mw_stats_format_count   (gint64 value);
/* The database's size in bytes; G_MININT64 with @error set on failure,
 * MW_STAT_ABSENT when the server does not say. */
gint64          _mw_stats_database_bytes (MwDb *db, GCancellable *cancellable, GError **error);
/* mw-stats-server.c */
MwServerStatus *_mw_stats_server_status  (MwDb *db, GCancellable *cancellable, GError **error);
/* One number from a query with no parameters but @params; G_MININT64 with
 * @error set on failure; NULL reads as 0. */
gint64          _mw_stats_count          (MwDb *db, const char *sql, const MwDbValue *params, guint n_params,
                                          GCancellable *cancellable, GError **error);
/* The server's row estimate of a table ("{users}") from its catalog
 * (pg_class.reltuples, information_schema.TABLES.TABLE_ROWS): -1 when it
 * has none (PostgreSQL before the first ANALYZE or VACUUM), G_MININT64
 * with @error set on failure. */
gint64          _mw_stats_table_estimate (MwDb *db, const char *table, GCancellable *cancellable, GError **error);
/* Whether a table (with the profile's prefix, "{authlog}") exists. */
gboolean        _mw_stats_table_exists   (MwDb *db, const char *table, gboolean *exists,
                                          GCancellable *cancellable, GError **error);
/* The quota-use histogram's buckets from the counts of users per tenth
 * (index 0..9), over quota (10) and unlimited (11). */
void            _mw_stats_quota_chart    (MwChart *chart, const gint64 counts[12]);
/* The day-chart's points (oldest first) for @n days ending @today
 * ("YYYY-MM-DD", the server's date), from rows of (day "YYYY-MM-DD", count). */
void            _mw_stats_day_chart      (MwChart *chart, const char *today, guint n, MwDbResult *rows);

/* SQL fragments that differ between the servers (timestamps without time
 * zone, compared in the server's local time as DBMail writes them). */
/* The moment @hours ago. (transfer full) */
char           *_mw_stats_sql_hours_ago  (MwDb *db, guint hours);
/* The moment @days ago. (transfer full) */
char           *_mw_stats_sql_days_ago   (MwDb *db, guint days);
/* Midnight @days before today. (transfer full) */
char           *_mw_stats_sql_day_start  (MwDb *db, guint days);
/* @expr's day as "YYYY-MM-DD". (transfer full) */
char           *_mw_stats_sql_day        (MwDb *db, const char *expr);
/* The server's date today, "YYYY-MM-DD"; NULL with @error set. (transfer full) */
char           *_mw_stats_today          (MwDb *db, GCancellable *cancellable, GError **error);
/* A page's LIMIT and OFFSET. (transfer full) */
char           *_mw_stats_sql_page       (guint64 offset, guint limit);

G_END_DECLS
