/* mw-cli-replies.c: `notify show|set|clear USER`, `autoreply
 * show|set|clear USER` (DBMail's automatic notifications and replies) and
 * `filter list|add|delete` (its server-side filters).
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

/* The summary of a command, with the note that the server must enable them. */
static void
set_summary (GOptionContext *context,
             const char     *what)
{
  g_autofree char *text = g_strdup_printf ("%s\n\n%s", what, mw_replies_get_server_note ());

  g_option_context_set_summary (context, text);
}

static void
add_reply_json (JsonBuilder       *b,
                const char        *member,
                const MwAutoReply *reply)
{
  json_builder_set_member_name (b, member);
  if (reply == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "start", reply->start);
  mw_cli_json_add_string_or_null (b, "stop", reply->stop);
  mw_cli_json_add_string_or_null (b, "body", reply->body);
  json_builder_end_object (b);
}

static int
print_replies (Cli             *cli,
               const char      *user,
               const MwReplies *replies,
               gboolean         notify)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", user);
      if (notify)
        mw_cli_json_add_string_or_null (b, "notification", replies->notification);
      else
        {
          g_autofree char *warning = replies->auto_reply != NULL
                                     ? mw_auto_reply_get_warning (replies->auto_reply, NULL) : NULL;

          add_reply_json (b, "auto_reply", replies->auto_reply);
          mw_cli_json_add_string_or_null (b, "warning", warning);
        }
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (notify)
    {
      if (replies->notification == NULL)
        g_print (_("%s gets no notifications.\n"), user);
      else
        {
          g_autofree char *shown = mw_address_to_display (replies->notification);

          /* Translators: "alice: each new message is announced to pager@example.org." */
          g_print (_("%s: each new message is announced to %s.\n"), user, shown);
        }
    }
  else if (replies->auto_reply == NULL)
    g_print (_("%s has no automatic reply.\n"), user);
  else
    {
      g_autofree char *warning = mw_auto_reply_get_warning (replies->auto_reply, NULL);

      /* Translators: "alice replies automatically from 2026-12-20 00:00:00 until 2027-01-05 23:59:59:" */
      g_print (_("%s replies automatically from %s until %s:\n"), user, replies->auto_reply->start,
               replies->auto_reply->stop);
      g_print ("%s\n", replies->auto_reply->body);
      if (warning != NULL)
        g_printerr (_("Warning: %s\n"), warning);
    }
  return MW_CLI_EXIT_OK;
}

/* notify show|set|clear, autoreply show|clear */
static int
run_simple (Cli        *cli,
            const char *command,
            const char *verb,
            int         argc,
            char      **argv)
{
  gboolean notify = g_str_equal (command, "notify");
  gboolean set = g_str_equal (verb, "set");
  gboolean show = g_str_equal (verb, "show");
  g_autoptr(GOptionContext) context = g_option_context_new (set ? _("USER ADDRESS") : _("USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwReplies) replies = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { NULL }
  };

  if (show)
    set_summary (context, notify ? _("Shows where the news of a user's new messages is sent.")
                                 : _("Shows a user's automatic reply, with its dates."));
  else if (set)
    set_summary (context, _("Announces each new message of USER (a name, number or address) to ADDRESS, "
                            "replacing any other notification address."));
  else
    set_summary (context, notify ? _("Stops announcing the user's new messages.")
                                 : _("Stops the user's automatic reply and removes its text."));
  if (show)
    entries[1].long_name = NULL;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != (set ? 3 : 2))
    return mw_cli_usage_error (context, set ? _("Name the user and the address, such as alice pager@example.org.")
                                            : _("Name one user, such as alice."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if (show)
    {
      mw_session_get_replies_async (cli->session, argv[1], NULL, mw_async_wait_ready, &result);
      if ((replies = mw_session_get_replies_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
        return mw_cli_fail (error);
      return print_replies (cli, argv[1], replies, notify);
    }
  if (notify && set)
    {
      mw_session_set_notification_async (cli->session, argv[1], argv[2], dry_run, NULL, mw_async_wait_ready, &result);
      replies = mw_session_set_notification_finish (cli->session, mw_async_wait (&result), &error);
    }
  else if (notify)
    {
      mw_session_clear_notification_async (cli->session, argv[1], dry_run, NULL, mw_async_wait_ready, &result);
      replies = mw_session_clear_notification_finish (cli->session, mw_async_wait (&result), &error);
    }
  else
    {
      mw_session_clear_auto_reply_async (cli->session, argv[1], dry_run, NULL, mw_async_wait_ready, &result);
      replies = mw_session_clear_auto_reply_finish (cli->session, mw_async_wait (&result), &error);
    }
  if (replies == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", argv[1]);
      if (notify)
        {
          mw_cli_json_add_string_or_null (b, "was", replies->notification);
          mw_cli_json_add_string_or_null (b, "notification", set ? argv[2] : NULL);
        }
      else
        add_reply_json (b, "was", replies->auto_reply);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (notify && set)
    /* Translators: "Each new message of alice is now announced to pager@example.org." */
    g_print (dry_run ? _("Each new message of %s can be announced to %s.\n")
                     : _("Each new message of %s is now announced to %s.\n"), argv[1], argv[2]);
  else if (notify)
    g_print (replies->notification == NULL ? _("%s had no notification address.\n")
                                             : _("%s gets no more notifications.\n"), argv[1]);
  else
    g_print (replies->auto_reply == NULL ? _("%s had no automatic reply.\n")
                                         : _("%s no longer replies automatically.\n"), argv[1]);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_autoreply_set (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwReplies) before = NULL;
  g_autoptr(MwAutoReply) reply = mw_auto_reply_new ();
  g_autofree char *body = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *start = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *warning = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, N_("The reply's text"), N_("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, N_("Read the reply's text from FILE (- for standard input)"),
      N_("FILE") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_("From this day or time on (default: now)"), N_("YYYY-MM-DD[ HH:MM]") },
    { "stop", 0, 0, G_OPTION_ARG_STRING, &stop, N_("Until the end of this day or this time (default: a week later)"),
      N_("YYYY-MM-DD[ HH:MM]") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  set_summary (context, _("Answers every message to USER (a name, number or address) with a text between two "
                          "dates, replacing any other automatic reply. A warning tells when the dates make it never "
                          "or always active."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user, such as alice."));
  if ((body == NULL) == (body_file == NULL))
    return mw_cli_usage_error (context, _("Give the reply’s text with either --body or --body-file."));
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
  reply->body = g_steal_pointer (&body);
  reply->start = g_steal_pointer (&start);
  reply->stop = g_steal_pointer (&stop);
  if (!mw_auto_reply_check (reply, &error))
    return mw_cli_fail (error);
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_set_auto_reply_async (cli->session, argv[1], reply, dry_run, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_set_auto_reply_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  warning = mw_auto_reply_get_warning (reply, NULL);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", argv[1]);
      add_reply_json (b, "auto_reply", reply);
      add_reply_json (b, "was", before->auto_reply);
      mw_cli_json_add_string_or_null (b, "warning", warning);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  /* Translators: "alice now replies automatically from 2026-12-20 00:00:00 until 2027-01-05 23:59:59." */
  g_print (dry_run ? _("%s can reply automatically from %s until %s.\n")
                   : _("%s now replies automatically from %s until %s.\n"), argv[1], reply->start, reply->stop);
  if (warning != NULL)
    g_printerr (_("Warning: %s\n"), warning);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static void
add_filter_json (JsonBuilder    *b,
                 const MwFilter *filter)
{
  json_builder_begin_object (b);
  mw_cli_json_add_int (b, "id", filter->id);
  mw_cli_json_add_string_or_null (b, "user", filter->user);
  mw_cli_json_add_bool (b, "global", filter->global);
  mw_cli_json_add_string_or_null (b, "header", filter->header_name);
  mw_cli_json_add_string_or_null (b, "value", filter->header_value);
  mw_cli_json_add_string_or_null (b, "mailbox", filter->mailbox);
  json_builder_end_object (b);
}

static void
print_filter (const MwFilter *filter)
{
  /* Translators: one filter: "#12  subject LIKE “%invoice%” → Invoices" */
  g_print (_("#%" G_GINT64_FORMAT "  %s LIKE “%s” → %s\n"), filter->id, filter->header_name, filter->header_value,
           filter->mailbox);
}

static int
run_filter_list (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[USER]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists a user's server-side filters, or without USER the global ones "
                                           "(of the user “anyone”, applied to everybody). The list “filters” shows "
                                           "every filter of the database."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 2)
    return mw_cli_usage_error (context, _("Name at most one user, such as alice."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_list_filters_async (cli->session, argc == 2 ? argv[1] : NULL, NULL, mw_async_wait_ready, &result);
  if ((list = mw_session_list_filters_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "total", list->len);
      json_builder_set_member_name (b, "filters");
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        add_filter_json (b, g_ptr_array_index (list, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (list->len == 0)
    {
      g_print ("%s\n", argc == 2 ? _("No filters.") : _("No global filters."));
      return MW_CLI_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    print_filter (g_ptr_array_index (list, i));
  return MW_CLI_EXIT_OK;
}

static int
run_filter_add (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER|--global HEADER VALUE MAILBOX"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwFilter) filter = mw_filter_new ();
  g_autoptr(MwFilter) added = NULL;
  gboolean global = FALSE, dry_run = FALSE;
  int first;
  GOptionEntry entries[] = {
    { "global", 'g', 0, G_OPTION_ARG_NONE, &global, N_("A filter for everybody (of the user “anyone”)"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Files a new message into MAILBOX (a folder, such as INBOX/Invoices) when "
                                           "its header HEADER (such as subject) is like VALUE, without case: “%” "
                                           "stands for any text, “_” for any one character (SQL LIKE). DBMail "
                                           "applies filters while it delivers."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != (global ? 4 : 5))
    return mw_cli_usage_error (context, _("Name the user (or give --global), the header, the value and the mailbox, "
                                          "such as alice subject \"%invoice%\" INBOX/Invoices."));
  first = global ? 1 : 2;
  filter->header_name = g_strdup (argv[first]);
  filter->header_value = g_strdup (argv[first + 1]);
  filter->mailbox = g_strdup (argv[first + 2]);
  if (!mw_filter_check (filter, &error))
    return mw_cli_fail (error);
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_add_filter_async (cli->session, global ? NULL : argv[1], filter, dry_run, NULL, mw_async_wait_ready,
                               &result);
  if ((added = mw_session_add_filter_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "filter");
      add_filter_json (b, added);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (dry_run)
    g_print (global ? _("The filter can be added for everybody.\n") : _("The filter can be added for %s.\n"),
             added->user);
  else if (global)
    /* Translators: "Added filter #12 for everybody." */
    g_print (_("Added filter #%" G_GINT64_FORMAT " for everybody.\n"), added->id);
  else
    /* Translators: "Added filter #12 for alice." */
    g_print (_("Added filter #%" G_GINT64_FORMAT " for %s.\n"), added->id, added->user);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_filter_delete (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwFilter) before = NULL;
  gboolean dry_run = FALSE;
  char *end = NULL;
  gint64 id;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Deletes the filter numbered ID (filter list shows the numbers)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one filter by its number, such as 12."));
  id = g_ascii_strtoll (argv[1][0] == '#' ? argv[1] + 1 : argv[1], &end, 10);
  if (end == NULL || *end != '\0' || id <= 0)
    return mw_cli_usage_error (context, _("A filter’s number is a positive whole number, such as 12."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_delete_filter_async (cli->session, id, dry_run, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_delete_filter_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "filter");
      add_filter_json (b, before);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (dry_run)
    g_print (_("Filter #%" G_GINT64_FORMAT " of %s can be deleted.\n"), before->id,
             before->global ? _("everybody") : before->user);
  else
    /* Translators: "Deleted filter #12 of alice." */
    g_print (_("Deleted filter #%" G_GINT64_FORMAT " of %s.\n"), before->id,
             before->global ? _("everybody") : before->user);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

gboolean
mw_cli_is_replies_command (const char *command)
{
  return g_str_equal (command, "notify") || g_str_equal (command, "autoreply") || g_str_equal (command, "filter");
}

int
mw_cli_run_replies (Cli         *cli,
                    const char  *command,
                    int          argc,
                    char       **argv)
{
  const char *verb = argc > 1 ? argv[1] : "";

  if (g_str_equal (command, "filter"))
    {
      if (g_str_equal (verb, "list"))
        return run_filter_list (cli, argc - 1, argv + 1);
      if (g_str_equal (verb, "add"))
        return run_filter_add (cli, argc - 1, argv + 1);
      if (g_str_equal (verb, "delete"))
        return run_filter_delete (cli, argc - 1, argv + 1);
      g_printerr (_("%s: filter list|add|delete: DBMail's server-side filters. Try “filter add --help”.\n"),
                  g_get_prgname ());
      return MW_CLI_EXIT_USAGE;
    }
  if (g_str_equal (command, "autoreply") && g_str_equal (verb, "set"))
    return run_autoreply_set (cli, argc - 1, argv + 1);
  if (g_str_equal (verb, "show") || g_str_equal (verb, "set") || g_str_equal (verb, "clear"))
    return run_simple (cli, command, verb, argc - 1, argv + 1);
  if (g_str_equal (command, "notify"))
    g_printerr (_("%s: notify show|set|clear USER: where the news of a user's new messages goes. Try “notify set "
                  "--help”.\n"), g_get_prgname ());
  else
    g_printerr (_("%s: autoreply show|set|clear USER: a user's automatic reply. Try “autoreply set --help”.\n"),
                g_get_prgname ());
  return MW_CLI_EXIT_USAGE;
}
