/* mw-cli-vacation.c: `vacation show|set|clear ADDRESS`, a mailbox's
 * vacation reply where the database keeps one (PostfixAdmin).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-cli-private.h"

static void
say_dry_run (gboolean dry_run)
{
  if (dry_run)
    g_print ("%s\n", _("Dry run: nothing was changed."));
}

static char *
interval_text (gint64 interval)
{
  if (interval == MW_VACATION_REPLY_ONCE)
    return g_strdup (_("once to each sender"));
  if (interval == MW_VACATION_REPLY_EVERY)
    return g_strdup (_("to every message"));
  if (interval == MW_VACATION_REPLY_WEEKLY)
    return g_strdup (_("once a week to each sender"));
  {
    char seconds[32];

    g_snprintf (seconds, sizeof seconds, "%" G_GINT64_FORMAT, interval);
    /* Translators: how often a sender gets the vacation reply; %s is a number of seconds */
    return g_strdup_printf (_("once every %s seconds to each sender"), seconds);
  }
}

static gboolean
parse_interval (const char  *text,
                gint64      *interval,
                GError     **error)
{
  guint64 n;

  if (text == NULL || g_str_equal (text, "once"))
    *interval = MW_VACATION_REPLY_ONCE;
  else if (g_str_equal (text, "every"))
    *interval = MW_VACATION_REPLY_EVERY;
  else if (g_str_equal (text, "weekly"))
    *interval = MW_VACATION_REPLY_WEEKLY;
  else if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &n, NULL))
    *interval = (gint64) n;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--reply takes once, every, weekly or a number of seconds, not “%s”."), text);
      return FALSE;
    }
  return TRUE;
}

static void
print_vacation (Cli              *cli,
                const char       *address,
                const MwVacation *v)
{
  g_autofree char *shown = mw_address_to_display (v != NULL && v->address != NULL ? v->address : address);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "address", v != NULL && v->address != NULL ? v->address : address);
      mw_cli_json_add_bool (b, "active", v != NULL && v->active);
      mw_cli_json_add_string_or_null (b, "subject", v != NULL ? v->subject : NULL);
      mw_cli_json_add_string_or_null (b, "body", v != NULL ? v->body : NULL);
      mw_cli_json_add_string_or_null (b, "active_from", v != NULL ? v->active_from : NULL);
      mw_cli_json_add_string_or_null (b, "active_until", v != NULL ? v->active_until : NULL);
      mw_cli_json_add_int (b, "interval", v != NULL ? v->interval : 0);
      mw_cli_json_add_string_or_null (b, "reply_domain", v != NULL ? v->reply_domain : NULL);
      mw_cli_json_add_string_or_null (b, "modified", v != NULL ? v->modified : NULL);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return;
    }
  if (v == NULL)
    {
      /* Translators: %s is a mailbox's address */
      g_print (_("%s has no vacation reply.\n"), shown);
      return;
    }
  {
    g_autofree char *how = interval_text (v->interval);

    /* Translators: the first line of `vacation show`; %s is the address */
    g_print (v->active ? _("%s is away: a vacation reply is on.\n") : _("%s is not away: the vacation reply is off.\n"),
             shown);
    g_print ("%-10s %s\n", _("From:"), v->active_from != NULL ? v->active_from : "");
    g_print ("%-10s %s\n", _("Until:"), v->active_until != NULL ? v->active_until : "");
    g_print ("%-10s %s\n", _("Replies:"), how);
    g_print ("%-10s %s\n", _("Subject:"), v->subject != NULL ? v->subject : "");
    g_print ("\n%s\n", v->body != NULL ? v->body : "");
  }
}

static int
run_show (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ADDRESS"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwVacation) v = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Shows a mailbox’s vacation reply: whether it is on, its dates and "
                                           "its text."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one mailbox, such as alice@example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_get_vacation_async (cli->session, argv[1], NULL, mw_async_wait_ready, &result);
  v = mw_session_get_vacation_finish (cli->session, mw_async_wait (&result), &error);
  if (error != NULL)
    return mw_cli_fail (error);
  print_vacation (cli, argv[1], v);
  return MW_CLI_EXIT_OK;
}

static int
run_set (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ADDRESS"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwVacation) v = mw_vacation_new ();
  g_autoptr(MwVacation) before = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *reply_domain = NULL;
  gboolean dry_run = FALSE;
  /* FILENAME: the bytes as given; the core refuses text that is not UTF-8 with its sentence. */
  GOptionEntry entries[] = {
    { "subject", 0, 0, G_OPTION_ARG_FILENAME, &subject, N_("The reply’s subject"), N_("TEXT") },
    { "body", 0, 0, G_OPTION_ARG_FILENAME, &body, N_("The reply’s text"), N_("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, N_("Read the reply’s text from FILE (UTF-8; - for standard input)"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Away from this day or time, 2026-12-24 or 2026-12-24 08:00 (default: now)"), N_("DATE") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Away until the end of this day, or this time (default: a week later)"), N_("DATE") },
    { "reply", 0, 0, G_OPTION_ARG_STRING, &reply, N_("Answer each sender once (default), every message, weekly, or every N seconds"), N_("once|every|weekly|N") },
    { "vacation-domain", 0, 0, G_OPTION_ARG_STRING, &reply_domain, N_("PostfixAdmin’s vacation_domain (default: the one the database uses, else autoreply.example.org)"), N_("DOMAIN") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Turns a mailbox’s vacation reply on: mail to it is still delivered, "
                                           "and each sender gets the reply between the two dates."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one mailbox, such as alice@example.org."));
  if (subject == NULL)
    return mw_cli_usage_error (context, _("Give the reply’s subject with --subject."));
  if ((body == NULL) == (body_file == NULL))
    return mw_cli_usage_error (context, _("Give the reply’s text with either --body or --body-file."));
  if (!parse_interval (reply, &v->interval, &error))
    return mw_cli_usage_error (context, error->message);
  if (body_file != NULL)
    {
      gsize len = 0;

      if (g_str_equal (body_file, "-"))
        {
          g_autoptr(GString) text = g_string_new (NULL);
          char buf[4096];
          size_t n;

          while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
            g_string_append_len (text, buf, (gssize) n);
          len = text->len;
          body = g_string_free (g_steal_pointer (&text), FALSE);
        }
      else if (!g_file_get_contents (body_file, &body, &len, &error))
        return mw_cli_fail (error);
      if (memchr (body, '\0', len) != NULL)
        {
          g_printerr (_("%s: %s is not text (it holds NUL bytes).\n"), g_get_prgname (), body_file);
          return MW_CLI_EXIT_USAGE;
        }
    }
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  v->subject = g_steal_pointer (&subject);
  v->body = g_steal_pointer (&body);
  v->active = TRUE;
  v->active_from = g_steal_pointer (&from);
  v->active_until = g_steal_pointer (&until);
  v->reply_domain = g_steal_pointer (&reply_domain);
  mw_session_set_vacation_async (cli->session, argv[1], v, dry_run, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_set_vacation_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (!dry_run)
    {
      g_autoptr(GAsyncResult) again = NULL;
      g_autoptr(MwVacation) now = NULL;

      mw_session_get_vacation_async (cli->session, argv[1], NULL, mw_async_wait_ready, &again);
      now = mw_session_get_vacation_finish (cli->session, mw_async_wait (&again), &error);
      if (error != NULL)
        return mw_cli_fail (error);
      print_vacation (cli, argv[1], now);
    }
  else if (!cli->json)
    {
      g_autofree char *shown = mw_address_to_display (before->address);

      /* Translators: %s is a mailbox's address */
      g_print (_("The vacation reply of %s can be turned on.\n"), shown);
    }
  say_dry_run (dry_run && !cli->json);
  return MW_CLI_EXIT_OK;
}

static int
run_clear (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ADDRESS"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwVacation) before = NULL;
  g_autofree char *shown = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Turns a mailbox’s vacation reply off. Its text stays for the next "
                                           "time, as in PostfixAdmin."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one mailbox, such as alice@example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_clear_vacation_async (cli->session, argv[1], dry_run, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_clear_vacation_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "address", before->address);
      mw_cli_json_add_bool (b, "was_active", before->active);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  shown = mw_address_to_display (before->address);
  if (before->active)
    /* Translators: %s is a mailbox's address */
    g_print (_("The vacation reply of %s is off.\n"), shown);
  else
    /* Translators: %s is a mailbox's address */
    g_print (_("%s had no vacation reply on; nothing else changed.\n"), shown);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_vacation (Cli   *cli,
                     int    argc,
                     char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "show"))
    return run_show (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "set"))
    return run_set (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "clear"))
    return run_clear (cli, argc - 1, argv + 1);
  g_printerr (_("%s: vacation show|set|clear ADDRESS: a mailbox’s vacation reply. Try “vacation set --help”.\n"),
              g_get_prgname ());
  return MW_CLI_EXIT_USAGE;
}
