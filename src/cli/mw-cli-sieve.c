/* mw-cli-sieve.c: `sieve list|show|put|activate|deactivate|delete|rename|vacation
 * USER …`, a user's Sieve scripts where the database keeps them (DBMail).
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
say_dry_run (Cli      *cli,
             gboolean  dry_run)
{
  if (dry_run && !cli->json)
    g_print ("%s\n", _("Dry run: nothing was changed."));
}

/* A script that does not compile, a bad name: the person's input. */
static int
sieve_fail (const GError *error)
{
  int rc = mw_cli_fail (error);

  if (error->domain == MW_SIEVE_ERROR && error->code != MW_SIEVE_ERROR_NO_COMPILER)
    return MW_CLI_EXIT_USAGE;
  return rc;
}

/* The text of FILE, or of standard input for "-"; NULL after a message. */
static char *
read_text (const char  *file,
           int         *rc)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  if (g_str_equal (file, "-"))
    {
      g_autoptr(GString) s = g_string_new (NULL);
      char buf[4096];
      size_t n;

      while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len (s, buf, (gssize) n);
      len = s->len;
      text = g_string_free (g_steal_pointer (&s), FALSE);
    }
  else if (!g_file_get_contents (file, &text, &len, &error))
    {
      *rc = mw_cli_fail (error);
      return NULL;
    }
  if (memchr (text, '\0', len) != NULL)
    {
      g_printerr (_("%s: %s is not text (it holds NUL bytes).\n"), g_get_prgname (), file);
      *rc = MW_CLI_EXIT_USAGE;
      return NULL;
    }
  return g_steal_pointer (&text);
}

static void
add_script_json (JsonBuilder         *b,
                 const MwSieveScript *s)
{
  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "name", s->name);
  mw_cli_json_add_bool (b, "active", s->active);
  mw_cli_json_add_int (b, "size", s->size);
  if (s->script != NULL)
    mw_cli_json_add_string_or_null (b, "script", s->script);
  json_builder_end_object (b);
}

static int
run_list (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists a user’s Sieve scripts: their names, sizes and which one is "
                                           "active."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user, by name, number or address."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_list_sieve_scripts_async (cli->session, argv[1], NULL, mw_async_wait_ready, &result);
  if ((list = mw_session_list_sieve_scripts_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return sieve_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "total", list->len);
      json_builder_set_member_name (b, "scripts");
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        add_script_json (b, g_ptr_array_index (list, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (list->len == 0)
    {
      g_autofree char *user = mw_address_to_display (argv[1]);

      /* Translators: %s is a user's name */
      g_print (_("%s has no Sieve scripts.\n"), user);
      return MW_CLI_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      MwSieveScript *s = g_ptr_array_index (list, i);
      g_autofree char *size = g_format_size_full ((guint64) MAX (s->size, 0), G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: one line of `sieve list`: a script's name, its size, then "  (active)" for the active one */
      g_print (_("%s  %s%s\n"), s->name, size, s->active ? _("  (active)") : "");
    }
  return MW_CLI_EXIT_OK;
}

static int
run_show (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER NAME"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwSieveScript) s = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Prints one of a user’s Sieve scripts as it is stored."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 3)
    return mw_cli_usage_error (context, _("Name a user and one of its scripts."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_get_sieve_script_async (cli->session, argv[1], argv[2], NULL, mw_async_wait_ready, &result);
  if ((s = mw_session_get_sieve_script_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return sieve_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      add_script_json (b, s);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  fputs (s->script, stdout);
  if (*s->script != '\0' && !g_str_has_suffix (s->script, "\n"))
    fputc ('\n', stdout);
  return MW_CLI_EXIT_OK;
}

/* What a put left: the lines after `sieve put` and `sieve vacation`. */
static void
print_put (Cli                 *cli,
           const char          *user,
           const char          *name,
           const MwSieveScript *before,
           gboolean             activate,
           gboolean             dry_run)
{
  g_autofree char *shown = mw_address_to_display (user);
  gboolean is_new = before->script == NULL;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", user);
      mw_cli_json_add_string_or_null (b, "name", name);
      mw_cli_json_add_bool (b, "new", is_new);
      mw_cli_json_add_bool (b, "active", activate || before->active);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return;
    }
  if (dry_run)
    /* Translators: the first %s is a script's name, the second a user's */
    g_print (_("The Sieve script “%s” of %s compiles and can be stored.\n"), name, shown);
  else if (is_new)
    /* Translators: the first %s is a script's name, the second a user's */
    g_print (_("Stored the new Sieve script “%s” of %s.\n"), name, shown);
  else
    /* Translators: the first %s is a script's name, the second a user's */
    g_print (_("Replaced the Sieve script “%s” of %s.\n"), name, shown);
  if (activate && !dry_run)
    g_print ("%s\n", _("It is the active script now; the user’s other scripts are not."));
  else if (!activate && !before->active && !dry_run)
    g_print ("%s\n", _("It is not active: “sieve activate” makes it the one that runs."));
}

static int
run_put (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER NAME FILE|-"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwSieveScript) before = NULL;
  g_autofree char *script = NULL;
  gboolean activate = FALSE, dry_run = FALSE;
  int rc = MW_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "activate", 'a', 0, G_OPTION_ARG_NONE, &activate, N_("Make it the active script (the others stop)"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Check and compile it, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Uploads a Sieve script for a user, or replaces the one of that name. "
                                           "It is compiled with sievec first; a script that does not compile is "
                                           "refused with the compiler’s message and nothing is stored."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 4)
    return mw_cli_usage_error (context, _("Name a user, the script’s name and the file to read it from (- for "
                                          "standard input)."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if ((script = read_text (argv[3], &rc)) == NULL)
    return rc;
  mw_session_put_sieve_script_async (cli->session, argv[1], argv[2], script, activate, dry_run, NULL,
                                     mw_async_wait_ready, &result);
  if ((before = mw_session_put_sieve_script_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return sieve_fail (error);
  print_put (cli, argv[1], argv[2], before, activate, dry_run);
  say_dry_run (cli, dry_run);
  return MW_CLI_EXIT_OK;
}

/* activate USER NAME, deactivate USER */
static int
run_activate (Cli      *cli,
              gboolean  on,
              int       argc,
              char    **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (on ? _("USER NAME") : _("USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwSieveScript) before = NULL;
  g_autofree char *shown = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, on ? _("Makes one of a user’s Sieve scripts the active one: the one "
                                                "delivery runs. The user’s other scripts are no longer active.")
                                            : _("Turns a user’s Sieve scripts off: none of them is active any "
                                                "more. The scripts stay."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != (on ? 3 : 2))
    return mw_cli_usage_error (context, on ? _("Name a user and one of its scripts.")
                                           : _("Name one user, by name, number or address."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if (on)
    {
      mw_session_activate_sieve_script_async (cli->session, argv[1], argv[2], dry_run, NULL, mw_async_wait_ready,
                                              &result);
      before = mw_session_activate_sieve_script_finish (cli->session, mw_async_wait (&result), &error);
    }
  else
    {
      mw_session_deactivate_sieve_scripts_async (cli->session, argv[1], dry_run, NULL, mw_async_wait_ready, &result);
      before = mw_session_deactivate_sieve_scripts_finish (cli->session, mw_async_wait (&result), &error);
    }
  if (before == NULL)
    return sieve_fail (error);
  shown = mw_address_to_display (argv[1]);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", argv[1]);
      mw_cli_json_add_string_or_null (b, "active", on ? argv[2] : NULL);
      mw_cli_json_add_string_or_null (b, "was_active", before->name);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else if (on)
    {
      /* Translators: the first %s is a script's name, the second a user's */
      g_print (dry_run ? _("“%s” can become the active Sieve script of %s.\n")
                       : _("“%s” is the active Sieve script of %s now.\n"), argv[2], shown);
      if (before->name != NULL && !g_str_equal (before->name, argv[2]))
        /* Translators: %s is a script's name */
        g_print (_("“%s” is no longer active.\n"), before->name);
    }
  else if (before->name != NULL)
    /* Translators: the first %s is a script's name, the second a user's */
    g_print (dry_run ? _("“%s” of %s can be turned off; no script would be active.\n")
                     : _("“%s” of %s is off; no script is active now.\n"), before->name, shown);
  else
    /* Translators: %s is a user's name */
    g_print (_("No Sieve script of %s was active.\n"), shown);
  say_dry_run (cli, dry_run);
  return MW_CLI_EXIT_OK;
}

/* delete USER NAME, rename USER NAME NEW */
static int
run_delete (Cli      *cli,
            gboolean  rename,
            int       argc,
            char    **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (rename ? _("USER NAME NEW-NAME") : _("USER NAME"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwSieveScript) before = NULL;
  g_autofree char *shown = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, rename ? _("Renames one of a user’s Sieve scripts.")
                                                : _("Deletes one of a user’s Sieve scripts (also the active one: "
                                                    "then none is active)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != (rename ? 4 : 3))
    return mw_cli_usage_error (context, rename ? _("Name a user, one of its scripts and the new name.")
                                               : _("Name a user and one of its scripts."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if (rename)
    {
      mw_session_rename_sieve_script_async (cli->session, argv[1], argv[2], argv[3], dry_run, NULL,
                                            mw_async_wait_ready, &result);
      before = mw_session_rename_sieve_script_finish (cli->session, mw_async_wait (&result), &error);
    }
  else
    {
      mw_session_delete_sieve_script_async (cli->session, argv[1], argv[2], dry_run, NULL, mw_async_wait_ready,
                                            &result);
      before = mw_session_delete_sieve_script_finish (cli->session, mw_async_wait (&result), &error);
    }
  if (before == NULL)
    return sieve_fail (error);
  shown = mw_address_to_display (argv[1]);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", argv[1]);
      mw_cli_json_add_string_or_null (b, "name", before->name);
      if (rename)
        mw_cli_json_add_string_or_null (b, "new_name", argv[3]);
      mw_cli_json_add_bool (b, "was_active", before->active);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else if (rename)
    /* Translators: a script's old name, its user, its new name */
    g_print (dry_run ? _("The Sieve script “%s” of %s can be renamed to “%s”.\n")
                     : _("The Sieve script “%s” of %s is called “%s” now.\n"), before->name, shown, argv[3]);
  else
    {
      /* Translators: the first %s is a script's name, the second a user's */
      g_print (dry_run ? _("The Sieve script “%s” of %s can be deleted.\n")
                       : _("Deleted the Sieve script “%s” of %s.\n"), before->name, shown);
      if (before->active)
        g_print ("%s\n", dry_run ? _("It is the active one: no script would be active.")
                                 : _("It was the active one: no script is active now."));
    }
  say_dry_run (cli, dry_run);
  return MW_CLI_EXIT_OK;
}

static void
print_vacation (Cli                   *cli,
                const char            *user,
                const MwSieveVacation *v,
                gboolean               active)
{
  g_autofree char *shown = mw_address_to_display (user);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", user);
      mw_cli_json_add_bool (b, "exists", v != NULL);
      mw_cli_json_add_bool (b, "active", active);
      mw_cli_json_add_string_or_null (b, "subject", v != NULL ? v->subject : NULL);
      mw_cli_json_add_string_or_null (b, "body", v != NULL ? v->body : NULL);
      mw_cli_json_add_string_or_null (b, "from", v != NULL ? v->start : NULL);
      mw_cli_json_add_string_or_null (b, "until", v != NULL ? v->stop : NULL);
      mw_cli_json_add_int (b, "days", v != NULL ? v->days : 0);
      json_builder_set_member_name (b, "addresses");
      json_builder_begin_array (b);
      for (guint i = 0; v != NULL && v->addresses != NULL && v->addresses[i] != NULL; i++)
        json_builder_add_string_value (b, v->addresses[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return;
    }
  if (v == NULL)
    {
      /* Translators: %s is a user's name */
      g_print (_("%s has no Sieve vacation script.\n"), shown);
      return;
    }
  /* Translators: %s is a user's name */
  g_print (active ? _("%s has a vacation script, and it is the active script.\n")
                  : _("%s has a vacation script, but it is not active.\n"), shown);
  g_print ("%-11s %s\n", _("From:"), v->start != NULL ? v->start : _("now"));
  g_print ("%-11s %s\n", _("Until:"), v->stop != NULL ? v->stop : _("no end"));
  g_print ("%-11s %u\n", _("Every days:"), v->days);
  if (v->addresses != NULL && v->addresses[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", v->addresses);

      g_print ("%-11s %s\n", _("Addresses:"), list);
    }
  g_print ("%-11s %s\n", _("Subject:"), v->subject != NULL ? v->subject : "");
  g_print ("\n%s", v->body != NULL ? v->body : "");
  if (v->body != NULL && !g_str_has_suffix (v->body, "\n"))
    g_print ("\n");
}

static int
run_vacation (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwSieveVacation) v = mw_sieve_vacation_new ();
  g_autoptr(MwSieveScript) before = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_auto(GStrv) addresses = NULL;
  gint days = 7;
  gboolean no_activate = FALSE, dry_run = FALSE;
  int rc = MW_CLI_EXIT_OK;
  /* FILENAME: the bytes as given; the core refuses text that is not UTF-8 with its sentence. */
  GOptionEntry entries[] = {
    { "subject", 0, 0, G_OPTION_ARG_FILENAME, &subject, N_("The reply’s subject (default: “Auto:” and the message’s)"), N_("TEXT") },
    { "body", 0, 0, G_OPTION_ARG_FILENAME, &body, N_("The reply’s text"), N_("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, N_("Read the reply’s text from FILE (UTF-8; - for standard input)"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The first day it answers, 2026-12-24 (default: from now; not on DBMail, whose engine cannot test dates)"), N_("DAY") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("The last day it answers (default: no end)"), N_("DAY") },
    { "address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &addresses, N_("Another address of the user it answers for (repeat for more)"), N_("ADDRESS") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Answer one sender again after this many days (default 7)"), N_("N") },
    { "no-activate", 0, 0, G_OPTION_ARG_NONE, &no_activate, N_("Store it without making it the active script"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Check and compile it, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Writes a user’s Sieve vacation script (named “vacation”): an "
                                           "auto-reply (between two days where the server’s Sieve engine tests dates), "
                                           "and makes it the active script. "
                                           "Without --body or --body-file, shows the one there is."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user, by name, number or address."));
  if (body != NULL && body_file != NULL)
    return mw_cli_usage_error (context, _("Give the reply’s text with either --body or --body-file."));
  if (days < 1 || days > 365)
    return mw_cli_usage_error (context, _("--days takes a number from 1 to 365."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  /* DBMail's libSieve has no "date": the automatic reply has the days. */
  if ((from != NULL || until != NULL) && !mw_schema_sieve_can_test_dates (cli->schema))
    return mw_cli_usage_error (context, mw_sieve_no_dates_sentence ());

  if (body == NULL && body_file == NULL)
    {
      g_autoptr(MwSieveVacation) now = NULL;
      gboolean active = FALSE;

      if (subject != NULL || from != NULL || until != NULL || addresses != NULL)
        return mw_cli_usage_error (context, _("Give the reply’s text with either --body or --body-file."));
      mw_session_get_sieve_vacation_async (cli->session, argv[1], NULL, mw_async_wait_ready, &result);
      now = mw_session_get_sieve_vacation_finish (cli->session, mw_async_wait (&result), &active, &error);
      if (error != NULL)
        return sieve_fail (error);
      print_vacation (cli, argv[1], now, active);
      return MW_CLI_EXIT_OK;
    }
  if (body_file != NULL && (body = read_text (body_file, &rc)) == NULL)
    return rc;

  v->subject = g_steal_pointer (&subject);
  v->body = g_steal_pointer (&body);
  v->start = g_steal_pointer (&from);
  v->stop = g_steal_pointer (&until);
  v->addresses = g_steal_pointer (&addresses);
  v->days = (guint) days;
  mw_session_put_sieve_vacation_async (cli->session, argv[1], v, !no_activate, dry_run, NULL, mw_async_wait_ready,
                                       &result);
  if ((before = mw_session_put_sieve_vacation_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return sieve_fail (error);
  print_put (cli, argv[1], MW_SIEVE_VACATION_NAME, before, !no_activate, dry_run);
  say_dry_run (cli, dry_run);
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_sieve (Cli   *cli,
                  int    argc,
                  char **argv)
{
  const char *what = argc > 1 ? argv[1] : "";

  if (g_str_equal (what, "list"))
    return run_list (cli, argc - 1, argv + 1);
  if (g_str_equal (what, "show"))
    return run_show (cli, argc - 1, argv + 1);
  if (g_str_equal (what, "put"))
    return run_put (cli, argc - 1, argv + 1);
  if (g_str_equal (what, "activate"))
    return run_activate (cli, TRUE, argc - 1, argv + 1);
  if (g_str_equal (what, "deactivate"))
    return run_activate (cli, FALSE, argc - 1, argv + 1);
  if (g_str_equal (what, "delete"))
    return run_delete (cli, FALSE, argc - 1, argv + 1);
  if (g_str_equal (what, "rename"))
    return run_delete (cli, TRUE, argc - 1, argv + 1);
  if (g_str_equal (what, "vacation"))
    return run_vacation (cli, argc - 1, argv + 1);
  g_printerr (_("%s: sieve list|show|put|activate|deactivate|delete|rename|vacation USER: a user’s Sieve "
                "scripts. Try “sieve put --help”.\n"), g_get_prgname ());
  return MW_CLI_EXIT_USAGE;
}
