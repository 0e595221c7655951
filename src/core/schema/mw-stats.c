/* mw-stats.c: the statistics area's types and entry points (mw-stats.h);
 * the server's status, which is the same for every flavour, is read in
 * mw-stats-server.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-stats"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-stats.h"
#include "mw-stats-private.h"

G_DEFINE_INTERFACE (MwStatsStore, mw_stats_store, G_TYPE_OBJECT)

static void
mw_stats_store_default_init (MwStatsStoreInterface *iface)
{
}

/* ------------------------------------------------------------------------ */
/* Figures                                                                  */
/* ------------------------------------------------------------------------ */

static const char *const stat_keys[MW_N_STATS] = {
  "users", "aliases", "forwards", "domains", "groups", "mailboxes", "messages", "bytes",
  "deleted", "purge", "logins_24h", "auto_replies", "notifications", "database_bytes",
};

const char *
mw_stat_key (MwStat stat)
{
  g_return_val_if_fail (stat < MW_N_STATS, "");
  return stat_keys[stat];
}

const char *
mw_stat_label (MwStat stat)
{
  switch (stat)
    {
    /* Translators: the figures of the Overview page and of `mailwarden-cli stats`. */
    case MW_STAT_USERS:          return _("Users");
    case MW_STAT_ALIASES:        return _("Aliases");
    case MW_STAT_FORWARDS:       return _("Forwards");
    case MW_STAT_DOMAINS:        return _("Domains");
    /* Translators: DBMail's client groups (a number each account carries). */
    case MW_STAT_GROUPS:         return _("Groups");
    case MW_STAT_MAILBOXES:      return _("Mailboxes");
    case MW_STAT_MESSAGES:       return _("Messages");
    case MW_STAT_BYTES:          return _("Mail stored");
    /* Translators: messages expunged by the mail program, which the server's
     * cleanup will mark for purging. */
    case MW_STAT_DELETED:        return _("Deletes pending (expunged)");
    /* Translators: messages marked for purging, which the server's cleanup
     * will remove for good. */
    case MW_STAT_PURGE:          return _("Deletes pending (to purge)");
    case MW_STAT_LOGINS_24H:     return _("Logins in the last 24 hours");
    case MW_STAT_AUTO_REPLIES:   return _("Auto-replies");
    case MW_STAT_NOTIFICATIONS:  return _("Notifications");
    case MW_STAT_DATABASE_BYTES: return _("Database size");
    default:                     break;
    }
  g_return_val_if_reached ("");
}

gboolean
mw_stat_is_bytes (MwStat stat)
{
  return stat == MW_STAT_BYTES || stat == MW_STAT_DATABASE_BYTES;
}

MwStatsOverview *
mw_stats_overview_new (void)
{
  MwStatsOverview *overview = g_new0 (MwStatsOverview, 1);

  for (guint i = 0; i < MW_N_STATS; i++)
    overview->values[i] = MW_STAT_ABSENT;
  return overview;
}

void
mw_stats_overview_free (MwStatsOverview *overview)
{
  if (overview == NULL)
    return;
  g_free (overview->flavour);
  g_free (overview->database_type);
  g_free (overview->server_version);
  g_free (overview);
}

char *
_mw_stats_format_count (gint64 value)
{
  /* %'lld groups digits the locale's way. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, value);
}

char *
mw_stats_overview_format (const MwStatsOverview *overview,
                          MwStat                 stat)
{
  gint64 value;

  g_return_val_if_fail (overview != NULL && stat < MW_N_STATS, NULL);

  value = overview->values[stat];
  if (value == MW_STAT_PENDING)
    /* Translators: a figure of the Overview page still being counted. */
    return g_strdup (_("counting…"));
  if (value < 0)
    /* Translators: a figure this kind of mail database does not have. */
    return g_strdup (_("—"));
  if (overview->estimated[stat])
    {
      g_autofree char *number = mw_stat_is_bytes (stat) ? g_format_size ((guint64) value)
                                                        : _mw_stats_format_count (value);

      /* Translators: a figure estimated by the database server before it
       * is counted exactly: "about 1,000,000". */
      return g_strdup_printf (_("about %s"), number);
    }
  if (mw_stat_is_bytes (stat))
    return g_format_size ((guint64) value);
  return _mw_stats_format_count (value);
}

/* ------------------------------------------------------------------------ */
/* Charts                                                                   */
/* ------------------------------------------------------------------------ */

static void
chart_point_free (MwChartPoint *point)
{
  g_free (point->key);
  g_free (point->label);
  g_free (point->value_text);
  g_free (point);
}

static const char *
chart_title (MwChartKind kind)
{
  switch (kind)
    {
    /* Translators: titles of the Overview page's charts. */
    case MW_CHART_QUOTA_USE:         return _("Users by quota use");
    case MW_CHART_BIGGEST_MAILBOXES: return _("Biggest mailboxes");
    case MW_CHART_MAIL_PER_GROUP:    return _("Mail per group");
    case MW_CHART_LOGINS_PER_DAY:    return _("Last logins per day");
    case MW_CHART_AUTHLOG_PER_DAY:   return _("Logins per day (server log)");
    default:                         break;
    }
  g_return_val_if_reached ("");
}

const char *
mw_chart_kind_key (MwChartKind kind)
{
  static const char *const keys[MW_N_CHARTS] = {
    "quota_use", "biggest_mailboxes", "mail_per_group", "logins_per_day", "authlog_per_day",
  };

  g_return_val_if_fail (kind < MW_N_CHARTS, "");
  return keys[kind];
}

MwChart *
mw_chart_new (MwChartKind kind,
              MwChartUnit unit)
{
  MwChart *chart = g_new0 (MwChart, 1);

  g_return_val_if_fail (kind < MW_N_CHARTS, NULL);
  chart->kind = kind;
  chart->unit = unit;
  chart->title = g_strdup (chart_title (kind));
  chart->available = TRUE;
  chart->points = g_ptr_array_new_with_free_func ((GDestroyNotify) chart_point_free);
  return chart;
}

void
mw_chart_free (MwChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->title);
  g_free (chart->note);
  g_ptr_array_unref (chart->points);
  g_free (chart);
}

static char *
value_text (const MwChart *chart,
            gint64         value)
{
  g_autofree char *number = _mw_stats_format_count (value);

  if (chart->unit == MW_CHART_UNIT_BYTES)
    return g_format_size ((guint64) MAX (value, 0));
  switch (chart->kind)
    {
    case MW_CHART_AUTHLOG_PER_DAY:
      /* Translators: a bar's value read out: "3 logins". */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s login", "%s logins", (gulong) value), number);
    default:
      /* Translators: a bar's value read out: "12 users". */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s user", "%s users", (gulong) value), number);
    }
}

void
mw_chart_add (MwChart    *chart,
              const char *key,
              const char *label,
              gint64      value)
{
  MwChartPoint *point = g_new0 (MwChartPoint, 1);

  point->key = g_strdup (key);
  point->label = g_strdup (label != NULL ? label : key);
  point->value = value;
  point->value_text = value_text (chart, value);
  g_ptr_array_add (chart->points, point);
}

char *
mw_chart_describe (const MwChart *chart)
{
  GString *text;

  g_return_val_if_fail (chart != NULL, NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n", chart->title);
  if (chart->note != NULL)
    g_string_append_printf (text, "%s\n", chart->note);
  for (guint i = 0; i < chart->points->len; i++)
    {
      const MwChartPoint *point = g_ptr_array_index (chart->points, i);

      /* Translators: one bar of a chart read out: "0–10 %: 12 users". */
      g_string_append_printf (text, _("%s: %s"), point->label, point->value_text);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Login lists and the server's status                                      */
/* ------------------------------------------------------------------------ */

MwLoginEntry *
mw_login_entry_new (void)
{
  return g_new0 (MwLoginEntry, 1);
}

void
mw_login_entry_free (MwLoginEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->account_key);
  g_free (entry->user);
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry->address);
  g_free (entry->service);
  g_free (entry);
}

MwLoginPage *
mw_login_page_new (void)
{
  MwLoginPage *page = g_new0 (MwLoginPage, 1);

  page->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_login_entry_free);
  return page;
}

void
mw_login_page_free (MwLoginPage *page)
{
  if (page == NULL)
    return;
  g_ptr_array_unref (page->entries);
  g_free (page->note);
  g_free (page);
}

static void
table_size_free (MwTableSize *table)
{
  g_free (table->name);
  g_free (table);
}

static void
server_session_free (MwServerSession *session)
{
  g_free (session->user);
  g_free (session->client);
  g_free (session->database);
  g_free (session->state);
  g_clear_pointer (&session->since, g_date_time_unref);
  g_free (session);
}

MwServerStatus *
mw_server_status_new (void)
{
  MwServerStatus *status = g_new0 (MwServerStatus, 1);

  status->database_bytes = MW_STAT_ABSENT;
  status->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_size_free);
  status->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) server_session_free);
  return status;
}

void
mw_server_status_free (MwServerStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->database_type);
  g_free (status->server_version);
  g_free (status->database);
  g_ptr_array_unref (status->tables);
  g_ptr_array_unref (status->sessions);
  g_free (status->replication);
  g_free (status);
}

/* ------------------------------------------------------------------------ */
/* The interface's entry points                                             */
/* ------------------------------------------------------------------------ */

gboolean
mw_schema_has_stats (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_STATS_STORE (self);
}

gboolean
mw_schema_has_before_smtp (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_STATS_STORE (self) && MW_STATS_STORE_GET_IFACE (self)->list_before_smtp != NULL;
}

static MwStatsStoreInterface *
iface_or_refuse (MwSchema  *self,
                 GError   **error)
{
  if (MW_IS_STATS_STORE (self))
    return MW_STATS_STORE_GET_IFACE (self);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("Mailwarden cannot count the accounts of this kind of mail database."));
  return NULL;
}

const char *
_mw_stats_database_type (MwDb *db)
{
  return mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "PostgreSQL" : "MariaDB";
}

MwStatsOverview *
mw_schema_get_overview (MwSchema      *self,
                        MwDb          *db,
                        GCancellable  *cancellable,
                        GError       **error)
{
  MwStatsStoreInterface *iface;
  g_autoptr (MwStatsOverview) overview = NULL;
  const MwSchemaInfo *info;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  overview = mw_stats_overview_new ();
  info = mw_schema_get_info (self);
  overview->flavour = mw_schema_info_describe (info);
  overview->database_type = g_strdup (_mw_stats_database_type (db));
  overview->server_version = mw_db_get_server_version (db);
  if (!iface->get_overview (MW_STATS_STORE (self), db, overview, cancellable, error))
    return NULL;
  overview->values[MW_STAT_DATABASE_BYTES] = _mw_stats_database_bytes (db, cancellable, error);
  if (overview->values[MW_STAT_DATABASE_BYTES] == G_MININT64)
    return NULL;
  overview->exact = TRUE;
  return g_steal_pointer (&overview);
}

MwStatsOverview *
mw_schema_get_overview_fast (MwSchema      *self,
                             MwDb          *db,
                             GCancellable  *cancellable,
                             GError       **error)
{
  MwStatsStoreInterface *iface;
  g_autoptr (MwStatsOverview) overview = NULL;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  if (iface->get_overview_fast == NULL)
    return mw_schema_get_overview (self, db, cancellable, error);
  overview = mw_stats_overview_new ();
  overview->flavour = mw_schema_info_describe (mw_schema_get_info (self));
  overview->database_type = g_strdup (_mw_stats_database_type (db));
  overview->server_version = mw_db_get_server_version (db);
  if (!iface->get_overview_fast (MW_STATS_STORE (self), db, overview, cancellable, error))
    return NULL;
  overview->values[MW_STAT_DATABASE_BYTES] = _mw_stats_database_bytes (db, cancellable, error);
  if (overview->values[MW_STAT_DATABASE_BYTES] == G_MININT64)
    return NULL;
  overview->exact = TRUE;
  for (guint i = 0; i < MW_N_STATS; i++)
    if (overview->estimated[i] || overview->values[i] == MW_STAT_PENDING)
      overview->exact = FALSE;
  return g_steal_pointer (&overview);
}

MwChart *
mw_schema_get_chart (MwSchema      *self,
                     MwDb          *db,
                     MwChartKind    kind,
                     guint          n,
                     GCancellable  *cancellable,
                     GError       **error)
{
  MwStatsStoreInterface *iface;
  g_autoptr (MwChart) chart = NULL;
  gboolean days = kind == MW_CHART_LOGINS_PER_DAY || kind == MW_CHART_AUTHLOG_PER_DAY;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (kind < MW_N_CHARTS, NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  if (n == 0)
    n = days ? 30 : 10;
  if (days && n > 366)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("A login chart covers at most 366 days."));
      return NULL;
    }
  if (!days && n > 1000)
    n = 1000;
  chart = mw_chart_new (kind, kind == MW_CHART_BIGGEST_MAILBOXES || kind == MW_CHART_MAIL_PER_GROUP
                        ? MW_CHART_UNIT_BYTES : MW_CHART_UNIT_COUNT);
  if (!iface->get_chart (MW_STATS_STORE (self), db, chart, n, cancellable, error))
    return NULL;
  return g_steal_pointer (&chart);
}

static gboolean
check_page (guint64  *offset,
            guint    *limit,
            GError  **error)
{
  if (*limit == 0)
    *limit = 100;
  if (*limit > 10000)
    *limit = 10000;
  if (*offset > G_MAXINT64 / 2)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The list does not go that far."));
      return FALSE;
    }
  return TRUE;
}

/* The interface for a page of logins: refuses where the flavour has none,
 * where @n is not between 1 and @max (saying @message) and where the page
 * goes too far. */
static MwStatsStoreInterface *
logins_iface (MwSchema      *self,
              guint          n,
              guint          max,
              const char    *message,
              guint64       *offset,
              guint         *limit,
              GError       **error)
{
  MwStatsStoreInterface *iface;

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  if (n < 1 || n > max)
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, message);
      return NULL;
    }
  if (!check_page (offset, limit, error))
    return NULL;
  return iface;
}

MwLoginPage *
mw_schema_list_recent_logins (MwSchema      *self,
                              MwDb          *db,
                              guint          hours,
                              guint64        offset,
                              guint          limit,
                              GCancellable  *cancellable,
                              GError       **error)
{
  MwStatsStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = logins_iface (self, hours, 8784, _("The number of hours must be between 1 and 8784 (a year)."),
                             &offset, &limit, error)) == NULL)
    return NULL;
  return iface->list_recent_logins (MW_STATS_STORE (self), db, hours, offset, limit, cancellable, error);
}

MwLoginPage *
mw_schema_list_unused_accounts (MwSchema      *self,
                                MwDb          *db,
                                guint          days,
                                guint64        offset,
                                guint          limit,
                                GCancellable  *cancellable,
                                GError       **error)
{
  MwStatsStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = logins_iface (self, days, 36600, _("The number of days must be between 1 and 36600."),
                             &offset, &limit, error)) == NULL)
    return NULL;
  return iface->list_unused_accounts (MW_STATS_STORE (self), db, days, offset, limit, cancellable, error);
}

MwLoginPage *
mw_schema_list_before_smtp (MwSchema      *self,
                            MwDb          *db,
                            guint64        offset,
                            guint          limit,
                            GCancellable  *cancellable,
                            GError       **error)
{
  MwStatsStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if ((iface = iface_or_refuse (self, error)) == NULL)
    return NULL;
  if (iface->list_before_smtp == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("This kind of mail database keeps no POP/IMAP-before-SMTP addresses: only DBMail does."));
      return NULL;
    }
  if (!check_page (&offset, &limit, error))
    return NULL;
  return iface->list_before_smtp (MW_STATS_STORE (self), db, offset, limit, cancellable, error);
}

MwServerStatus *
mw_schema_get_server_status (MwSchema      *self,
                             MwDb          *db,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  return _mw_stats_server_status (db, cancellable, error);
}
