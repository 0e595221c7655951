/* mw-vmail-stats.c: the figures, charts and login lists of ISPmail and
 * PostfixAdmin (MwStatsStore, mw-stats.h).
 *
 * Their mail lives in Maildirs, so messages, folders and deletes pending
 * are absent. What there is (VIRTUAL-MAIL-FACTS.md):
 *  - users, aliases, forwards, domains: counted through the flavour's own
 *    lists, so the figures are the lists' row counts;
 *  - PostfixAdmin: quota2 (bytes and messages Dovecot reports per mailbox)
 *    for the bytes, the messages and the quota charts, mailbox.quota for the
 *    quota, vacation rows that are active for the auto-replies;
 *  - logins: Dovecot's last_login table (mw-vmail-last-login.c: the Unix
 *    seconds of each user's last login) where it is next to the schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-stats"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-ispmail-private.h"
#include "mw-list-query.h"
#include "mw-postfixadmin-private.h"
#include "mw-stats-private.h"

/* What differs between the two. */
typedef struct
{
  gboolean  pfa;
  gboolean  last_login;   /* Dovecot's table is there */
  /* The accounts: table, key and login name columns (expanded). */
  char     *users;        /* "virtual_users" */
  const char *key_col;
  const char *user_col;
} Flavour;

static void
flavour_clear (Flavour *f)
{
  g_free (f->users);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Flavour, flavour_clear)

static void
flavour_init (Flavour      *f,
              MwStatsStore *store)
{
  memset (f, 0, sizeof *f);
  if (MW_IS_POSTFIXADMIN_SCHEMA (store))
    {
      MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (store);

      f->pfa = TRUE;
      f->last_login = _mw_postfixadmin_has_last_login (self);
      f->users = _mw_postfixadmin_sql (self, "[mailbox]");
      f->key_col = "username";
      f->user_col = "username";
    }
  else
    {
      MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (store);

      f->last_login = _mw_ispmail_has_last_login (self);
      f->users = _mw_ispmail_sql (self, "[users]");
      f->key_col = "id";
      f->user_col = "email";
    }
}

/* @sql with the flavour's [tables]. (transfer full) */
static char *
expand (MwStatsStore *store,
        const char   *sql)
{
  if (MW_IS_POSTFIXADMIN_SCHEMA (store))
    return _mw_postfixadmin_sql (MW_POSTFIXADMIN_SCHEMA (store), sql);
  return _mw_ispmail_sql (MW_ISPMAIL_SCHEMA (store), sql);
}

/* The Unix seconds of now, less @seconds. (transfer full) */
static char *
epoch_ago (MwDb   *db,
           guint64 seconds)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("(CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) - %" G_GUINT64_FORMAT ")", seconds);
  return g_strdup_printf ("(UNIX_TIMESTAMP() - %" G_GUINT64_FORMAT ")", seconds);
}

static char *
account_key (const Flavour *f,
             MwDbResult    *result,
             guint          row)
{
  if (f->pfa)
    return g_strdup (mw_db_result_get_string (result, row, 0));
  return _mw_ispmail_key (mw_db_result_get_int64 (result, row, 0));
}

/* ------------------------------------------------------------------------ */
/* Figures                                                                  */
/* ------------------------------------------------------------------------ */

static gint64
list_count (MwStatsStore  *store,
            MwDb          *db,
            MwListKind     kind,
            GCancellable  *cancellable,
            GError       **error)
{
  MwListRequest request = { .kind = kind, .sort = MW_SORT_DEFAULT };
  g_autoptr (MwListQuery) query = mw_schema_list_query (MW_SCHEMA (store), &request, error);
  gint64 n;

  if (query == NULL)
    return G_MININT64;
  n = mw_list_query_count (query, db, cancellable, error);
  return n < 0 ? G_MININT64 : n;
}

static gboolean
vmail_overview (MwStatsStore     *store,
                MwDb             *db,
                MwStatsOverview  *overview,
                GCancellable     *cancellable,
                GError          **error)
{
  static const struct { MwStat stat; MwListKind kind; } lists[] = {
    { MW_STAT_USERS, MW_LIST_USERS }, { MW_STAT_ALIASES, MW_LIST_ALIASES },
    { MW_STAT_FORWARDS, MW_LIST_FORWARDS }, { MW_STAT_DOMAINS, MW_LIST_DOMAINS },
  };
  g_auto (Flavour) f;
  gint64 n;

  flavour_init (&f, store);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      if ((n = list_count (store, db, lists[i].kind, cancellable, error)) == G_MININT64)
        return FALSE;
      overview->values[lists[i].stat] = n;
    }
  if (f.last_login)
    {
      g_autofree char *since = epoch_ago (db, 24 * 3600);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s u WHERE EXISTS (SELECT 1 FROM last_login l "
                                              "WHERE l.userid = u.%s AND l.last_login >= %s)",
                                              f.users, f.user_col, since);

      if ((n = _mw_stats_count (db, sql, NULL, 0, cancellable, error)) == G_MININT64)
        return FALSE;
      overview->values[MW_STAT_LOGINS_24H] = n;
    }
  if (f.pfa)
    {
      g_autofree char *sql = expand (store, "SELECT CAST(COALESCE(SUM(q.bytes), 0) AS BIGINT), "
                                            "CAST(COALESCE(SUM(q.messages), 0) AS BIGINT) FROM [quota2] q "
                                            "JOIN [mailbox] m ON m.username = q.username");
      g_autofree char *vacation = NULL;
      g_autoptr (MwDbResult) result = NULL;

      if (mw_db_get_driver (db) == MW_DB_DRIVER_MYSQL)
        {
          g_autofree char *my = expand (store, "SELECT CAST(COALESCE(SUM(q.bytes), 0) AS SIGNED), "
                                               "CAST(COALESCE(SUM(q.messages), 0) AS SIGNED) FROM [quota2] q "
                                               "JOIN [mailbox] m ON m.username = q.username");
          g_free (sql);
          sql = g_steal_pointer (&my);
        }
      result = mw_db_exec (db, sql, NULL, 0, cancellable, error);
      if (result == NULL)
        return FALSE;
      overview->values[MW_STAT_BYTES] = mw_db_result_get_int64 (result, 0, 0);
      overview->values[MW_STAT_MESSAGES] = mw_db_result_get_int64 (result, 0, 1);
      /* As PostfixAdmin's vacation.php: active, and now between the dates. */
      vacation = expand (store, mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
                         ? "SELECT count(*) FROM [vacation] WHERE active AND activefrom <= now() "
                           "AND activeuntil >= now()"
                         : "SELECT count(*) FROM [vacation] WHERE active = 1 AND activefrom <= NOW() "
                           "AND activeuntil >= NOW()");
      if ((n = _mw_stats_count (db, vacation, NULL, 0, cancellable, error)) == G_MININT64)
        return FALSE;
      overview->values[MW_STAT_AUTO_REPLIES] = n;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Charts                                                                   */
/* ------------------------------------------------------------------------ */

static void
unavailable (MwChart    *chart,
             const char *note)
{
  chart->available = FALSE;
  chart->note = g_strdup (note);
}

static const char *
no_sizes (void)
{
  return _("An ISPmail database keeps no mail sizes: Dovecot counts them in the Maildirs.");
}

static const char *
no_logins (void)
{
  return _("This database has no record of logins: Dovecot writes one with its last_login plugin.");
}

static gboolean
pfa_quota_chart (MwStatsStore  *store,
                 MwDb          *db,
                 MwChart       *chart,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *raw = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (MwDbResult) result = NULL;
  gint64 counts[12] = { 0 };

  raw = g_strdup_printf ("SELECT b, count(*) FROM (SELECT CASE WHEN m.quota <= 0 THEN 11 "
                         "WHEN COALESCE(q.bytes, 0) > m.quota THEN 10 "
                         "WHEN COALESCE(q.bytes, 0) >= m.quota THEN 9 "
                         "ELSE (COALESCE(q.bytes, 0) * 10) %s m.quota END AS b "
                         "FROM [mailbox] m LEFT JOIN [quota2] q ON q.username = m.username) x GROUP BY b",
                         mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "/" : "DIV");
  sql = expand (store, raw);
  result = mw_db_exec (db, sql, NULL, 0, cancellable, error);
  if (result == NULL)
    return FALSE;
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      gint64 b = mw_db_result_get_int64 (result, r, 0);

      if (b >= 0 && b < 12)
        counts[b] += mw_db_result_get_int64 (result, r, 1);
    }
  _mw_stats_quota_chart (chart, counts);
  return TRUE;
}

static gboolean
pfa_sizes_chart (MwStatsStore  *store,
                 MwDb          *db,
                 MwChart       *chart,
                 guint          n,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gboolean per_domain = chart->kind == MW_CHART_MAIL_PER_GROUP;
  g_autofree char *raw = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (MwDbResult) result = NULL;

  if (per_domain)
    {
      g_free (chart->title);
      /* Translators: the title of the Overview's chart of bytes per mail domain. */
      chart->title = g_strdup (_("Mail per domain"));
      raw = g_strdup_printf ("SELECT m.domain, SUM(q.bytes) AS bytes FROM [mailbox] m "
                             "JOIN [quota2] q ON q.username = m.username GROUP BY m.domain "
                             "ORDER BY bytes DESC, m.domain LIMIT %u", n);
    }
  else
    raw = g_strdup_printf ("SELECT m.username, q.bytes FROM [mailbox] m JOIN [quota2] q ON q.username = m.username "
                           "ORDER BY q.bytes DESC, m.username LIMIT %u", n);
  sql = expand (store, raw);
  result = mw_db_exec (db, sql, NULL, 0, cancellable, error);
  if (result == NULL)
    return FALSE;
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      const char *name = mw_db_result_get_string (result, r, 0);

      mw_chart_add (chart, name, name, mw_db_result_is_null (result, r, 1) ? 0 : mw_db_result_get_int64 (result, r, 1));
    }
  chart->note = g_strdup (_("As Dovecot last reported it (quota2)."));
  return TRUE;
}

static gboolean
logins_chart (MwStatsStore  *store,
              MwDb          *db,
              MwChart       *chart,
              guint          n,
              GCancellable  *cancellable,
              GError       **error)
{
  g_auto (Flavour) f;
  g_autofree char *start = _mw_stats_sql_day_start (db, n - 1);
  g_autofree char *today = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *day = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (MwDbResult) result = NULL;

  flavour_init (&f, store);
  if (!f.last_login)
    {
      unavailable (chart, no_logins ());
      return TRUE;
    }
  stamp = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
          ? g_strdup ("CAST(to_timestamp(x.t) AS TIMESTAMP)") : g_strdup ("FROM_UNIXTIME(x.t)");
  day = _mw_stats_sql_day (db, stamp);
  sql = g_strdup_printf ("SELECT %s AS d, count(*) FROM (SELECT l.userid, MAX(l.last_login) AS t FROM last_login l "
                         "JOIN %s u ON u.%s = l.userid GROUP BY l.userid) x WHERE %s >= %s GROUP BY d",
                         day, f.users, f.user_col, stamp, start);
  if ((today = _mw_stats_today (db, cancellable, error)) == NULL)
    return FALSE;
  result = mw_db_exec (db, sql, NULL, 0, cancellable, error);
  if (result == NULL)
    return FALSE;
  _mw_stats_day_chart (chart, today, n, result);
  chart->note = g_strdup (_("Counted from each account’s last login: earlier logins are not kept."));
  return TRUE;
}

static gboolean
vmail_chart (MwStatsStore  *store,
             MwDb          *db,
             MwChart       *chart,
             guint          n,
             GCancellable  *cancellable,
             GError       **error)
{
  gboolean pfa = MW_IS_POSTFIXADMIN_SCHEMA (store);

  switch (chart->kind)
    {
    case MW_CHART_QUOTA_USE:
      if (!pfa)
        {
          unavailable (chart, no_sizes ());
          return TRUE;
        }
      return pfa_quota_chart (store, db, chart, cancellable, error);
    case MW_CHART_BIGGEST_MAILBOXES:
    case MW_CHART_MAIL_PER_GROUP:
      if (!pfa)
        {
          unavailable (chart, no_sizes ());
          return TRUE;
        }
      return pfa_sizes_chart (store, db, chart, n, cancellable, error);
    case MW_CHART_LOGINS_PER_DAY:
      return logins_chart (store, db, chart, n, cancellable, error);
    case MW_CHART_AUTHLOG_PER_DAY:
      unavailable (chart, _("Only DBMail’s servers keep a log of every login."));
      return TRUE;
    default:
      break;
    }
  g_return_val_if_reached (FALSE);
}

/* ------------------------------------------------------------------------ */
/* Login lists                                                              */
/* ------------------------------------------------------------------------ */

static MwLoginPage *
logins_page (MwStatsStore  *store,
             MwDb          *db,
             gboolean       unused,
             guint64        seconds,
             guint64        offset,
             guint          limit,
             GCancellable  *cancellable,
             GError       **error)
{
  g_auto (Flavour) f;
  g_autofree char *since = epoch_ago (db, seconds);
  g_autofree char *paging = _mw_stats_sql_page (offset, limit);
  g_autofree char *from = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *order = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (MwLoginPage) page = NULL;
  g_autoptr (MwDbResult) result = NULL;
  gint64 total;

  flavour_init (&f, store);
  if (!f.last_login)
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, no_logins ());
      return NULL;
    }
  from = g_strdup_printf ("FROM %s u LEFT JOIN (SELECT userid, MAX(last_login) AS t FROM last_login GROUP BY userid) l "
                          "ON l.userid = u.%s WHERE %s", f.users, f.user_col,
                          unused ? "(l.t IS NULL OR l.t < " : "l.t >= ");
  count_sql = g_strdup_printf ("SELECT count(*) %s%s%s", from, since, unused ? ")" : "");
  if ((total = _mw_stats_count (db, count_sql, NULL, 0, cancellable, error)) == G_MININT64)
    return NULL;
  order = unused ? g_strdup_printf ("CASE WHEN l.t IS NULL THEN 0 ELSE 1 END, l.t, u.%s", f.user_col)
                 : g_strdup_printf ("l.t DESC, u.%s", f.user_col);
  sql = g_strdup_printf ("SELECT u.%s, u.%s, l.t %s%s%s ORDER BY %s%s", f.key_col, f.user_col, from, since,
                         unused ? ")" : "", order, paging);
  result = mw_db_exec (db, sql, NULL, 0, cancellable, error);
  if (result == NULL)
    return NULL;
  page = mw_login_page_new ();
  page->total = (guint64) total;
  page->offset = offset;
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      MwLoginEntry *entry = mw_login_entry_new ();

      entry->account_key = account_key (&f, result, r);
      entry->user = g_strdup (mw_db_result_get_string (result, r, 1));
      if (!mw_db_result_is_null (result, r, 2))
        entry->time = g_date_time_new_from_unix_local (mw_db_result_get_int64 (result, r, 2));
      g_ptr_array_add (page->entries, entry);
    }
  page->note = g_strdup (unused ? _("Accounts that never logged in count as unused.")
                                : _("From each account’s last login, as Dovecot records it."));
  return g_steal_pointer (&page);
}

static MwLoginPage *
vmail_recent_logins (MwStatsStore  *store,
                     MwDb          *db,
                     guint          hours,
                     guint64        offset,
                     guint          limit,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return logins_page (store, db, FALSE, (guint64) hours * 3600, offset, limit, cancellable, error);
}

static MwLoginPage *
vmail_unused_accounts (MwStatsStore  *store,
                       MwDb          *db,
                       guint          days,
                       guint64        offset,
                       guint          limit,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return logins_page (store, db, TRUE, (guint64) days * 86400, offset, limit, cancellable, error);
}

static void
vmail_iface_init (MwStatsStoreInterface *iface)
{
  iface->get_overview = vmail_overview;
  iface->get_chart = vmail_chart;
  iface->list_recent_logins = vmail_recent_logins;
  iface->list_unused_accounts = vmail_unused_accounts;
  iface->list_before_smtp = NULL;
}

void
_mw_ispmail_stats_iface_init (MwStatsStoreInterface *iface)
{
  vmail_iface_init (iface);
}

void
_mw_postfixadmin_stats_iface_init (MwStatsStoreInterface *iface)
{
  vmail_iface_init (iface);
}
