/* mw-cli-stats.c: `stats`, `logins`, `unused` and `status`: the mail
 * system at a glance, who logged in, who did not, and the server.
 *
 * Text output uses the translated labels; --json uses stable keys (the
 * figures' keys of mw_stat_key (), the charts' of mw_chart_kind_key ()),
 * and null for a figure this kind of database does not have.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-cli-private.h"

#define DEFAULT_LIMIT 100

gboolean
mw_cli_is_stats_command (const char *command)
{
  return g_str_equal (command, "stats") || g_str_equal (command, "logins") ||
         g_str_equal (command, "unused") || g_str_equal (command, "status");
}

/* @text and spaces to @width characters (not bytes: "–" and translations). */
static void
print_padded (const char *text,
              guint       width)
{
  glong n = g_utf8_strlen (text, -1);

  g_print ("%s", text);
  for (glong i = n; i < (glong) width; i++)
    g_print (" ");
}

/* "2026-12-07 14:05:33" in local time, or NULL. (transfer full) */
static char *
format_time (GDateTime *time)
{
  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : NULL;
}

/* A whole number from 1 to @max, or a sentence naming the option. */
static gboolean
parse_number (const char  *text,
              const char  *option,
              guint        max,
              guint       *value,
              GError     **error)
{
  guint64 n = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, max, &n, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: --hours or --days was given something that is not a number in range:
                    * "--days must be a whole number from 1 to 36600, not “abc”." */
                   _("%s must be a whole number from 1 to %u, not “%s”."), option, max, text != NULL ? text : "");
      return FALSE;
    }
  *value = (guint) n;
  return TRUE;
}

/* --limit and --offset. */
static gboolean
parse_page (const char  *limit_text,
            const char  *offset_text,
            guint       *limit,
            guint64     *offset,
            GError     **error)
{
  guint64 n = 0;

  *limit = DEFAULT_LIMIT;
  *offset = 0;
  if (limit_text != NULL)
    {
      if (!g_ascii_string_to_unsigned (limit_text, 10, 1, 10000, &n, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--limit must be a whole number from 1 to 10000, not “%s”."), limit_text);
          return FALSE;
        }
      *limit = (guint) n;
    }
  if (offset_text != NULL)
    {
      if (!g_ascii_string_to_unsigned (offset_text, 10, 0, G_MAXINT32, offset, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--offset must be a whole number from 0, not “%s”."), offset_text);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* stats                                                                    */
/* ------------------------------------------------------------------------ */

static const MwChartKind stats_charts[] = {
  MW_CHART_QUOTA_USE, MW_CHART_BIGGEST_MAILBOXES, MW_CHART_MAIL_PER_GROUP,
  MW_CHART_LOGINS_PER_DAY, MW_CHART_AUTHLOG_PER_DAY,
};

static void
add_chart_json (JsonBuilder   *b,
                const MwChart *chart)
{
  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "kind", mw_chart_kind_key (chart->kind));
  mw_cli_json_add_string_or_null (b, "title", chart->title);
  mw_cli_json_add_string_or_null (b, "unit", chart->unit == MW_CHART_UNIT_BYTES ? "bytes" : "count");
  mw_cli_json_add_bool (b, "available", chart->available);
  mw_cli_json_add_string_or_null (b, "note", chart->note);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < chart->points->len; i++)
    {
      const MwChartPoint *p = g_ptr_array_index (chart->points, i);

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "key", p->key);
      mw_cli_json_add_string_or_null (b, "label", p->label);
      mw_cli_json_add_int (b, "value", p->value);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_chart (const MwChart *chart)
{
  g_print ("\n%s\n", chart->title);
  if (chart->note != NULL)
    g_print ("  %s\n", chart->note);
  for (guint i = 0; i < chart->points->len; i++)
    {
      const MwChartPoint *p = g_ptr_array_index (chart->points, i);

      g_print ("  ");
      print_padded (p->label, 28);
      g_print (" %s\n", p->value_text);
    }
}

static int
run_stats (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (MwStatsOverview) overview = NULL;
  g_autoptr (GPtrArray) charts = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_chart_free);
  gboolean figures_only = FALSE;
  gboolean estimate = FALSE;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { "figures", 0, 0, G_OPTION_ARG_NONE, &figures_only, N_("Only the figures, not the charts' numbers"), NULL },
    { "estimate", 0, 0, G_OPTION_ARG_NONE, &estimate,
      N_("The first figures at once: big tables as the server estimates them (“about …”), figures that need "
         "counting left out (“counting…”; null in JSON, the estimated ones listed under “estimated”)"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("The mail system at a glance: how many users, aliases, forwards, "
                                           "domains, mailboxes and messages, the mail stored, deletes pending, "
                                           "recent logins, then the numbers of the Overview's charts. A figure "
                                           "this kind of database does not keep is shown as “—” (null in JSON)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 1)
    return mw_cli_usage_error (context, _("Too many arguments."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if (estimate)
    {
      mw_session_get_overview_fast_async (cli->session, NULL, mw_async_wait_ready, &result);
      overview = mw_session_get_overview_fast_finish (cli->session, mw_async_wait (&result), &error);
    }
  else
    {
      mw_session_get_overview_async (cli->session, NULL, mw_async_wait_ready, &result);
      overview = mw_session_get_overview_finish (cli->session, mw_async_wait (&result), &error);
    }
  if (overview == NULL)
    return mw_cli_fail (error);
  for (guint i = 0; !figures_only && i < G_N_ELEMENTS (stats_charts); i++)
    {
      MwChart *chart;

      g_clear_object (&result);
      mw_session_get_chart_async (cli->session, stats_charts[i], 0, NULL, mw_async_wait_ready, &result);
      if ((chart = mw_session_get_chart_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
        return mw_cli_fail (error);
      g_ptr_array_add (charts, chart);
    }

  if (cli->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "flavour", overview->flavour);
      mw_cli_json_add_string_or_null (b, "database_type", overview->database_type);
      mw_cli_json_add_string_or_null (b, "server_version", overview->server_version);
      json_builder_set_member_name (b, "figures");
      json_builder_begin_object (b);
      for (guint s = 0; s < MW_N_STATS; s++)
        {
          json_builder_set_member_name (b, mw_stat_key (s));
          if (overview->values[s] < 0)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, overview->values[s]);
        }
      json_builder_end_object (b);
      if (estimate)
        {
          json_builder_set_member_name (b, "estimated");
          json_builder_begin_array (b);
          for (guint s = 0; s < MW_N_STATS; s++)
            if (overview->estimated[s])
              json_builder_add_string_value (b, mw_stat_key (s));
          json_builder_end_array (b);
        }
      json_builder_set_member_name (b, "charts");
      json_builder_begin_array (b);
      for (guint i = 0; i < charts->len; i++)
        add_chart_json (b, g_ptr_array_index (charts, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }

  g_print ("%s\n", overview->flavour);
  for (guint s = 0; s < MW_N_STATS; s++)
    {
      g_autofree char *value = mw_stats_overview_format (overview, s);

      g_print ("  ");
      print_padded (mw_stat_label (s), 32);
      g_print (" %s\n", value);
    }
  for (guint i = 0; i < charts->len; i++)
    print_chart (g_ptr_array_index (charts, i));
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* logins, unused                                                           */
/* ------------------------------------------------------------------------ */

static void
print_page_json (const MwLoginPage *page,
                 const char        *number_key,
                 guint              number,
                 const char        *array_key)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (number_key != NULL)
    mw_cli_json_add_int (b, number_key, number);
  mw_cli_json_add_int (b, "total", (gint64) page->total);
  mw_cli_json_add_int (b, "offset", (gint64) page->offset);
  mw_cli_json_add_string_or_null (b, "note", page->note);
  json_builder_set_member_name (b, array_key);
  json_builder_begin_array (b);
  for (guint i = 0; i < page->entries->len; i++)
    {
      const MwLoginEntry *e = g_ptr_array_index (page->entries, i);
      g_autofree char *time = format_time (e->time);

      json_builder_begin_object (b);
      if (e->user != NULL)
        mw_cli_json_add_string_or_null (b, "user", e->user);
      mw_cli_json_add_string_or_null (b, "time", time);
      mw_cli_json_add_string_or_null (b, "address", e->address);
      if (e->user != NULL)
        mw_cli_json_add_string_or_null (b, "service", e->service);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  mw_cli_json_print (b);
}

static void
print_page_text (const MwLoginPage *page,
                 const char        *heading)
{
  g_print ("%s\n", heading);
  if (page->note != NULL)
    g_print ("%s\n", page->note);
  for (guint i = 0; i < page->entries->len; i++)
    {
      const MwLoginEntry *e = g_ptr_array_index (page->entries, i);
      g_autofree char *time = format_time (e->time);
      /* Translators: the time of an account that never logged in. */
      const char *when = time != NULL ? time : _("never");

      if (e->user == NULL)
        g_print ("  %-19s  %s\n", when, e->address != NULL ? e->address : "");
      else if (e->service != NULL || e->address != NULL)
        g_print ("  %-19s  %s  %s %s\n", when, e->user, e->service != NULL ? e->service : "",
                 e->address != NULL ? e->address : "");
      else
        g_print ("  %-19s  %s\n", when, e->user);
    }
  if (page->total > page->entries->len)
    /* Translators: more rows than printed: "Rows 1 to 100 of 523 (--offset, --limit for more)." */
    g_print (_("Rows %lu to %lu of %lu (--offset, --limit for more).\n"),
             (gulong) (page->entries->len > 0 ? page->offset + 1 : page->offset),
             (gulong) (page->offset + page->entries->len), (gulong) page->total);
}

static int
run_logins (Cli        *cli,
            const char *command,
            int         argc,
            char      **argv)
{
  gboolean unused = g_str_equal (command, "unused");
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (MwLoginPage) page = NULL;
  g_autofree char *number_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *offset_text = NULL;
  g_autofree char *heading = NULL;
  gboolean before_smtp = FALSE;
  guint number = 0, limit;
  guint64 offset;
  GOptionEntry login_entries[] = {
    { "hours", 0, 0, G_OPTION_ARG_STRING, &number_text, N_("Logins in the last N hours (1 to 8784)"), N_("N") },
    { "before-smtp", 0, 0, G_OPTION_ARG_NONE, &before_smtp,
      N_("The addresses allowed to send after a POP or IMAP login instead (DBMail)"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("Print at most N rows (100)"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_STRING, &offset_text, N_("Skip the first N rows"), N_("N") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  GOptionEntry unused_entries[] = {
    { "days", 0, 0, G_OPTION_ARG_STRING, &number_text, N_("No login for N days (1 to 36600)"), N_("N") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("Print at most N rows (100)"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_STRING, &offset_text, N_("Skip the first N rows"), N_("N") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  if (unused)
    g_option_context_set_summary (context, _("Accounts with no login in the last N days, those that never "
                                             "logged in first (they count as unused), then the oldest login "
                                             "first."));
  else
    g_option_context_set_summary (context, _("Accounts that logged in during the last N hours, latest first, "
                                             "with the address and service where the server logs logins. "
                                             "With --before-smtp: the addresses POP/IMAP-before-SMTP lets "
                                             "send mail."));
  g_option_context_add_main_entries (context, unused ? unused_entries : login_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 1)
    return mw_cli_usage_error (context, _("Too many arguments."));
  if (!before_smtp && number_text == NULL)
    return mw_cli_usage_error (context, unused ? _("Give the number of days with --days N.")
                                               : _("Give the number of hours with --hours N."));
  if (!before_smtp && !parse_number (number_text, unused ? "--days" : "--hours", unused ? 36600 : 8784,
                                     &number, &error))
    return mw_cli_usage_error (context, error->message);
  if (!parse_page (limit_text, offset_text, &limit, &offset, &error))
    return mw_cli_usage_error (context, error->message);
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if (before_smtp)
    {
      mw_session_list_before_smtp_async (cli->session, offset, limit, NULL, mw_async_wait_ready, &result);
      page = mw_session_list_before_smtp_finish (cli->session, mw_async_wait (&result), &error);
    }
  else if (unused)
    {
      mw_session_list_unused_accounts_async (cli->session, number, offset, limit, NULL, mw_async_wait_ready, &result);
      page = mw_session_list_unused_accounts_finish (cli->session, mw_async_wait (&result), &error);
    }
  else
    {
      mw_session_list_recent_logins_async (cli->session, number, offset, limit, NULL, mw_async_wait_ready, &result);
      page = mw_session_list_recent_logins_finish (cli->session, mw_async_wait (&result), &error);
    }
  if (page == NULL)
    return mw_cli_fail (error);

  if (cli->json)
    {
      if (before_smtp)
        print_page_json (page, NULL, 0, "addresses");
      else
        print_page_json (page, unused ? "days" : "hours", number, unused ? "accounts" : "logins");
      return MW_CLI_EXIT_OK;
    }
  if (before_smtp)
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu address may send after a POP/IMAP login:",
                                            "%lu addresses may send after a POP/IMAP login:",
                                            (gulong) page->total), (gulong) page->total);
  else if (unused)
    heading = g_strdup_printf (
      /* Translators: "12 accounts without a login in the last 90 days:" */
      g_dngettext (GETTEXT_PACKAGE, "%lu account without a login in the last %u days:",
                   "%lu accounts without a login in the last %u days:", (gulong) page->total),
      (gulong) page->total, number);
  else
    heading = g_strdup_printf (
      /* Translators: "3 accounts logged in during the last 24 hours:" */
      g_dngettext (GETTEXT_PACKAGE, "%lu account logged in during the last %u hours:",
                   "%lu accounts logged in during the last %u hours:", (gulong) page->total),
      (gulong) page->total, number);
  print_page_text (page, heading);
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* status                                                                   */
/* ------------------------------------------------------------------------ */

static int
run_status (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (MwServerStatus) status = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("The database server: its version, the database's size and its "
                                           "biggest tables, who is connected, and replication."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 1)
    return mw_cli_usage_error (context, _("Too many arguments."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  mw_session_get_server_status_async (cli->session, NULL, mw_async_wait_ready, &result);
  if ((status = mw_session_get_server_status_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);

  if (cli->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "database_type", status->database_type);
      mw_cli_json_add_string_or_null (b, "server_version", status->server_version);
      mw_cli_json_add_string_or_null (b, "database", status->database);
      json_builder_set_member_name (b, "database_bytes");
      if (status->database_bytes < 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, status->database_bytes);
      json_builder_set_member_name (b, "tables");
      json_builder_begin_array (b);
      for (guint i = 0; i < status->tables->len; i++)
        {
          const MwTableSize *t = g_ptr_array_index (status->tables, i);

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "name", t->name);
          mw_cli_json_add_int (b, "bytes", t->bytes);
          json_builder_set_member_name (b, "rows");
          if (t->rows < 0)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, t->rows);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      mw_cli_json_add_int (b, "session_count", status->n_sessions);
      json_builder_set_member_name (b, "sessions");
      json_builder_begin_array (b);
      for (guint i = 0; i < status->sessions->len; i++)
        {
          const MwServerSession *s = g_ptr_array_index (status->sessions, i);
          g_autofree char *since = format_time (s->since);

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "user", s->user);
          mw_cli_json_add_string_or_null (b, "client", s->client);
          mw_cli_json_add_string_or_null (b, "database", s->database);
          mw_cli_json_add_string_or_null (b, "state", s->state);
          mw_cli_json_add_string_or_null (b, "since", since);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      mw_cli_json_add_string_or_null (b, "replication", status->replication);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }

  {
    g_autofree char *size = status->database_bytes >= 0 ? g_format_size ((guint64) status->database_bytes)
                                                        : g_strdup (_("unknown"));

    /* Translators: labels of `mailwarden-cli status`. */
    g_print ("%-14s %s\n", _("Server:"), status->server_version);
    g_print ("%-14s %s (%s)\n", _("Database:"), status->database != NULL ? status->database : "", size);
    g_print ("%-14s %s\n", _("Replication:"), status->replication);
  }
  g_print ("\n%s\n", _("Biggest tables:"));
  for (guint i = 0; i < status->tables->len; i++)
    {
      const MwTableSize *t = g_ptr_array_index (status->tables, i);
      g_autofree char *size = g_format_size ((guint64) t->bytes);

      if (t->rows >= 0)
        /* Translators: a table's size and its row count as the server estimates it. */
        g_print (_("  %-32s %10s  about %lu rows\n"), t->name, size, (gulong) t->rows);
      else
        g_print ("  %-32s %10s\n", t->name, size);
    }
  g_print ("\n");
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u session:\n", "%u sessions:\n", status->n_sessions), status->n_sessions);
  for (guint i = 0; i < status->sessions->len; i++)
    {
      const MwServerSession *s = g_ptr_array_index (status->sessions, i);
      g_autofree char *since = format_time (s->since);

      g_print ("  %-16s %-22s %-12s %-20s %s\n", s->user, s->client != NULL ? s->client : "-",
               s->database != NULL ? s->database : "-", s->state != NULL ? s->state : "-",
               since != NULL ? since : "");
    }
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_stats (Cli        *cli,
                  const char *command,
                  int         argc,
                  char      **argv)
{
  if (g_str_equal (command, "stats"))
    return run_stats (cli, argc, argv);
  if (g_str_equal (command, "status"))
    return run_status (cli, argc, argv);
  return run_logins (cli, command, argc, argv);
}
