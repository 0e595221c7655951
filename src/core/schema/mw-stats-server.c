/* mw-stats-server.c: the server's status (version, sizes, sessions,
 * replication) from its catalogs, the same for every flavour, and the
 * helpers the flavours' statistics share.
 *
 * Everything is read from catalogs an ordinary database user may read:
 * PostgreSQL's pg_class, pg_stat_activity (other users' sessions show
 * without their details) and pg_stat_replication; MariaDB's
 * information_schema. Replication on MariaDB needs the REPLICATION CLIENT
 * privilege for SHOW SLAVE STATUS; without it the status says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-stats"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "mw-sql-dialect.h"
#include "mw-stats-private.h"

#define MAX_TABLES   20
#define MAX_SESSIONS 200

gint64
_mw_stats_count (MwDb             *db,
                 const char       *sql,
                 const MwDbValue  *params,
                 guint             n_params,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr (MwDbResult) result = mw_db_exec (db, sql, params, n_params, cancellable, error);

  if (result == NULL)
    return G_MININT64;
  if (mw_db_result_get_n_rows (result) == 0 || mw_db_result_is_null (result, 0, 0))
    return 0;
  return mw_db_result_get_int64 (result, 0, 0);
}

gboolean
_mw_stats_table_exists (MwDb          *db,
                        const char    *table,
                        gboolean      *exists,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *name = mw_db_expand_tables (table, mw_db_get_prefix (db));
  g_autofree char *pattern = mw_sql_like_escape (name);
  g_autoptr (MwDbResult) result = NULL;
  MwDbValue param = MW_DB_TEXT (pattern);

  result = mw_db_exec (db, mw_sql_tables_query (mw_db_get_driver (db)), &param, 1, cancellable, error);
  if (result == NULL)
    return FALSE;
  *exists = mw_db_result_get_n_rows (result) > 0;
  return TRUE;
}

gint64
_mw_stats_table_estimate (MwDb          *db,
                          const char    *table,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *name = mw_db_expand_tables (table, mw_db_get_prefix (db));
  g_autoptr (MwDbResult) result = NULL;
  MwDbValue param = MW_DB_TEXT (name);

  /* reltuples is -1 before the first ANALYZE (PostgreSQL 14+), 0 before
   * it on older servers with pages written: both read as unknown then. */
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    result = mw_db_exec (db, "SELECT CASE WHEN c.reltuples < 0 OR (c.reltuples = 0 AND c.relpages > 0) THEN -1 "
                         "ELSE CAST(c.reltuples AS BIGINT) END FROM pg_class c "
                         "WHERE c.oid = to_regclass(quote_ident($1))",
                         &param, 1, cancellable, error);
  else
    result = mw_db_exec (db, "SELECT CAST(TABLE_ROWS AS SIGNED) FROM information_schema.TABLES "
                         "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1",
                         &param, 1, cancellable, error);
  if (result == NULL)
    return G_MININT64;
  if (mw_db_result_get_n_rows (result) == 0 || mw_db_result_is_null (result, 0, 0))
    return -1;
  return mw_db_result_get_int64 (result, 0, 0);
}

gint64
_mw_stats_database_bytes (MwDb          *db,
                          GCancellable  *cancellable,
                          GError       **error)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    return _mw_stats_count (db, "SELECT pg_database_size(current_database())", NULL, 0, cancellable, error);
  return _mw_stats_count (db, "SELECT CAST(SUM(data_length + index_length) AS SIGNED) "
                          "FROM information_schema.tables WHERE table_schema = DATABASE()",
                          NULL, 0, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* Charts the flavours share                                                */
/* ------------------------------------------------------------------------ */

void
_mw_stats_quota_chart (MwChart      *chart,
                       const gint64  counts[12])
{
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u-%u", i * 10, (i + 1) * 10);
      /* Translators: a bar of the quota-use chart: users using 10 to 20 % of
       * their quota. */
      g_autofree char *label = g_strdup_printf (_("%u–%u %%"), i * 10, (i + 1) * 10);

      mw_chart_add (chart, key, label, counts[i]);
    }
  /* Translators: a bar of the quota-use chart. */
  mw_chart_add (chart, "over", _("Over quota"), counts[10]);
  /* Translators: a bar of the quota-use chart: users without a quota. */
  mw_chart_add (chart, "unlimited", _("Unlimited"), counts[11]);
}

void
_mw_stats_day_chart (MwChart    *chart,
                     const char *today,
                     guint       n,
                     MwDbResult *rows)
{
  g_autoptr (GHashTable) by_day = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GDateTime) midnight = NULL;
  guint n_rows = rows != NULL ? mw_db_result_get_n_rows (rows) : 0;
  int y = 1970, m = 1, d = 1;

  if (sscanf (today, "%d-%d-%d", &y, &m, &d) != 3)
    y = 1970, m = 1, d = 1;
  midnight = g_date_time_new_local (y, m, d, 12, 0, 0);
  for (guint r = 0; r < n_rows; r++)
    {
      const char *day = mw_db_result_get_string (rows, r, 0);

      if (day != NULL)
        g_hash_table_insert (by_day, (gpointer) day, GUINT_TO_POINTER (r + 1));
    }
  for (guint i = n; i-- > 0;)
    {
      g_autoptr (GDateTime) date = g_date_time_add_days (midnight, -(gint) i);
      g_autofree char *key = g_date_time_format (date, "%Y-%m-%d");
      /* Translators: a day under a bar of the logins chart (strftime): "7 Dec". */
      g_autofree char *label = g_date_time_format (date, _("%-d %b"));
      gpointer found = g_hash_table_lookup (by_day, key);
      gint64 value = found != NULL ? mw_db_result_get_int64 (rows, GPOINTER_TO_UINT (found) - 1, 1) : 0;

      mw_chart_add (chart, key, label, value);
    }
}

char *
_mw_stats_sql_hours_ago (MwDb  *db,
                         guint  hours)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("(LOCALTIMESTAMP - INTERVAL '%u hours')", hours);
  return g_strdup_printf ("(NOW() - INTERVAL %u HOUR)", hours);
}

char *
_mw_stats_sql_days_ago (MwDb  *db,
                        guint  days)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("(LOCALTIMESTAMP - INTERVAL '%u days')", days);
  return g_strdup_printf ("(NOW() - INTERVAL %u DAY)", days);
}

char *
_mw_stats_sql_day_start (MwDb  *db,
                         guint  days)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("CAST(CURRENT_DATE - %u AS TIMESTAMP)", days);
  return g_strdup_printf ("CAST(CURDATE() - INTERVAL %u DAY AS DATETIME)", days);
}

char *
_mw_stats_sql_day (MwDb       *db,
                   const char *expr)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("to_char(%s, 'YYYY-MM-DD')", expr);
  return g_strdup_printf ("DATE_FORMAT(%s, '%%Y-%%m-%%d')", expr);
}

char *
_mw_stats_today (MwDb          *db,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr (MwDbResult) result = NULL;

  result = mw_db_exec (db, mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
                       ? "SELECT to_char(CURRENT_DATE, 'YYYY-MM-DD')"
                       : "SELECT DATE_FORMAT(CURDATE(), '%Y-%m-%d')",
                       NULL, 0, cancellable, error);
  if (result == NULL)
    return NULL;
  return g_strdup (mw_db_result_get_string (result, 0, 0));
}

char *
_mw_stats_sql_page (guint64 offset,
                    guint   limit)
{
  return g_strdup_printf (" LIMIT %u OFFSET %" G_GUINT64_FORMAT, limit, offset);
}

/* ------------------------------------------------------------------------ */
/* The server's status                                                      */
/* ------------------------------------------------------------------------ */

static GDateTime *
epoch_time (MwDbResult *result,
            guint       row,
            guint       col)
{
  if (mw_db_result_is_null (result, row, col))
    return NULL;
  return g_date_time_new_from_unix_local (mw_db_result_get_int64 (result, row, col));
}

static void
add_tables (MwServerStatus *status,
            MwDbResult     *result)
{
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      MwTableSize *table = g_new0 (MwTableSize, 1);

      table->name = g_strdup (mw_db_result_get_string (result, r, 0));
      table->bytes = mw_db_result_is_null (result, r, 1) ? 0 : mw_db_result_get_int64 (result, r, 1);
      table->rows = mw_db_result_is_null (result, r, 2) ? -1 : mw_db_result_get_int64 (result, r, 2);
      if (table->rows < -1)
        table->rows = -1;
      g_ptr_array_add (status->tables, table);
    }
}

static void
add_sessions (MwServerStatus *status,
              MwDbResult     *result)
{
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      MwServerSession *session = g_new0 (MwServerSession, 1);

      session->user = g_strdup (mw_db_result_get_string (result, r, 0));
      if (session->user == NULL)
        session->user = g_strdup ("");
      session->client = g_strdup (mw_db_result_get_string (result, r, 1));
      session->database = g_strdup (mw_db_result_get_string (result, r, 2));
      session->state = g_strdup (mw_db_result_get_string (result, r, 3));
      session->since = epoch_time (result, r, 4);
      g_ptr_array_add (status->sessions, session);
    }
}

/* The database's size, its biggest tables and the sessions, with the
 * server's own statements. */
static gboolean
sizes_and_sessions (MwDb            *db,
                    MwServerStatus  *status,
                    const char      *tables_sql,
                    const char      *sessions_sql,
                    const char      *count_sql,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr (MwDbResult) tables = NULL;
  g_autoptr (MwDbResult) sessions = NULL;
  gint64 n;

  status->database_bytes = _mw_stats_database_bytes (db, cancellable, error);
  if (status->database_bytes == G_MININT64)
    return FALSE;
  if ((tables = mw_db_exec (db, tables_sql, NULL, 0, cancellable, error)) == NULL)
    return FALSE;
  add_tables (status, tables);
  if ((sessions = mw_db_exec (db, sessions_sql, NULL, 0, cancellable, error)) == NULL)
    return FALSE;
  add_sessions (status, sessions);
  n = _mw_stats_count (db, count_sql, NULL, 0, cancellable, error);
  if (n == G_MININT64)
    return FALSE;
  status->n_sessions = (guint) n;
  return TRUE;
}

static gboolean
pg_status (MwDb            *db,
           MwServerStatus  *status,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr (MwDbResult) recovery = NULL;
  gint64 n;

  if (!sizes_and_sessions (db, status,
                           "SELECT c.relname, pg_total_relation_size(c.oid), CAST(c.reltuples AS BIGINT) "
                           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() "
                           "ORDER BY 2 DESC, 1 LIMIT " G_STRINGIFY (MAX_TABLES),
                           "SELECT usename, COALESCE(client_hostname, host(client_addr)), datname, state, "
                           "CAST(EXTRACT(EPOCH FROM COALESCE(state_change, backend_start)) AS BIGINT) "
                           "FROM pg_stat_activity WHERE datname IS NOT NULL "
                           "ORDER BY backend_start LIMIT " G_STRINGIFY (MAX_SESSIONS),
                           "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL",
                           cancellable, error))
    return FALSE;

  recovery = mw_db_exec (db, "SELECT pg_is_in_recovery(), "
                         "(SELECT count(*) FROM pg_stat_replication), "
                         "(SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming')",
                         NULL, 0, cancellable, error);
  if (recovery == NULL)
    return FALSE;
  if (mw_db_result_get_bool (recovery, 0, 0))
    {
      g_autoptr (MwDbResult) sender = mw_db_exec (db, "SELECT sender_host, status FROM pg_stat_wal_receiver",
                                                   NULL, 0, cancellable, NULL);
      const char *host = sender != NULL && mw_db_result_get_n_rows (sender) > 0
                         ? mw_db_result_get_string (sender, 0, 0) : NULL;
      const char *state = host != NULL ? mw_db_result_get_string (sender, 0, 1) : NULL;

      if (host != NULL)
        /* Translators: replication state: "replica of db1.example.com (streaming)". */
        status->replication = g_strdup_printf (_("replica of %s (%s)"), host, state != NULL ? state : "?");
      else
        status->replication = g_strdup (_("replica (recovering, no primary connected)"));
    }
  else if ((n = mw_db_result_get_int64 (recovery, 0, 1)) > 0)
    status->replication = g_strdup_printf (
      /* Translators: replication state of a primary server: "primary, 2 of 2 replicas streaming". */
      g_dngettext (GETTEXT_PACKAGE, "primary, %2$u of %1$u replica streaming",
                   "primary, %2$u of %1$u replicas streaming", (gulong) n),
      (guint) n, (guint) mw_db_result_get_int64 (recovery, 0, 2));
  else
    /* Translators: replication state: there is no replication. */
    status->replication = g_strdup (_("none"));
  return TRUE;
}

static gboolean
mysql_status (MwDb            *db,
              MwServerStatus  *status,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr (MwDbResult) replica = NULL;
  g_autoptr (GError) local = NULL;
  gint64 n;

  if (!sizes_and_sessions (db, status,
                           "SELECT table_name, CAST(data_length + index_length AS SIGNED), CAST(table_rows AS SIGNED) "
                           "FROM information_schema.tables WHERE table_schema = DATABASE() "
                           "AND table_type = 'BASE TABLE' ORDER BY 2 DESC, 1 LIMIT " G_STRINGIFY (MAX_TABLES),
                           "SELECT user, host, db, CONCAT(command, IF(state IS NULL OR state = '', '', "
                           "CONCAT(': ', state))), CAST(UNIX_TIMESTAMP() - time AS SIGNED) "
                           "FROM information_schema.processlist WHERE command <> 'Daemon' "
                           "ORDER BY id LIMIT " G_STRINGIFY (MAX_SESSIONS),
                           "SELECT count(*) FROM information_schema.processlist WHERE command <> 'Daemon'",
                           cancellable, error))
    return FALSE;

  replica = mw_db_exec (db, "SHOW SLAVE STATUS", NULL, 0, cancellable, &local);
  if (replica == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      /* Translators: replication state when the database user may not read it. */
      status->replication = g_strdup (_("unknown (the database user may not read the replication state)"));
      return TRUE;
    }
  if (mw_db_result_get_n_rows (replica) > 0)
    {
      int host = mw_db_result_find_col (replica, "Master_Host");
      int io = mw_db_result_find_col (replica, "Slave_IO_Running");
      int sql = mw_db_result_find_col (replica, "Slave_SQL_Running");

      /* Translators: replication state: "replica of db1.example.com (receiving: Yes, applying: Yes)". */
      status->replication = g_strdup_printf (_("replica of %s (receiving: %s, applying: %s)"),
                                             host >= 0 ? mw_db_result_get_string (replica, 0, host) : "?",
                                             io >= 0 ? mw_db_result_get_string (replica, 0, io) : "?",
                                             sql >= 0 ? mw_db_result_get_string (replica, 0, sql) : "?");
      return TRUE;
    }
  n = _mw_stats_count (db, "SELECT count(*) FROM information_schema.processlist WHERE command LIKE 'Binlog Dump%'",
                       NULL, 0, cancellable, error);
  if (n == G_MININT64)
    return FALSE;
  if (n > 0)
    status->replication = g_strdup_printf (
      /* Translators: replication state of a primary server: "primary, 2 replicas connected". */
      g_dngettext (GETTEXT_PACKAGE, "primary, %u replica connected", "primary, %u replicas connected", (gulong) n),
      (guint) n);
  else
    status->replication = g_strdup (_("none"));
  return TRUE;
}

MwServerStatus *
_mw_stats_server_status (MwDb          *db,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr (MwServerStatus) status = mw_server_status_new ();
  const MwDbSettings *settings = mw_db_get_settings (db);
  gboolean ok;

  status->database_type = g_strdup (_mw_stats_database_type (db));
  status->server_version = mw_db_get_server_version (db);
  status->database = g_strdup (settings != NULL ? settings->database : NULL);
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    ok = pg_status (db, status, cancellable, error);
  else
    ok = mysql_status (db, status, cancellable, error);
  return ok ? g_steal_pointer (&status) : NULL;
}
