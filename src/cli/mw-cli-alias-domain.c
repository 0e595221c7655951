/* mw-cli-alias-domain.c: `alias-domain list|add|set|delete`, domains whose
 * mail goes to another domain, where the database keeps them (PostfixAdmin).
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

/* A stored domain in Unicode, as addresses are shown. */
static char *
domain_display (const char *stored)
{
  g_autofree char *with_at = g_strconcat ("@", stored, NULL);
  g_autofree char *shown = mw_address_to_display (with_at);

  return g_strdup (shown[0] == '@' ? shown + 1 : shown);
}

static void
add_alias_domain_json (JsonBuilder         *b,
                       const MwAliasDomain *d)
{
  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "domain", d->name);
  mw_cli_json_add_string_or_null (b, "target_domain", d->target);
  mw_cli_json_add_bool (b, "enabled", d->active);
  mw_cli_json_add_string_or_null (b, "created", d->created);
  mw_cli_json_add_string_or_null (b, "modified", d->modified);
  json_builder_end_object (b);
}

static int
run_list (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[DOMAIN]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the alias domains: every one, or those of one domain (that are "
                                           "it or send their mail to it)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 2)
    return mw_cli_usage_error (context, _("Name at most one domain, such as example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_list_alias_domains_async (cli->session, argc == 2 ? argv[1] : NULL, NULL, mw_async_wait_ready, &result);
  if ((list = mw_session_list_alias_domains_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "total", list->len);
      json_builder_set_member_name (b, "alias_domains");
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        add_alias_domain_json (b, g_ptr_array_index (list, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (list->len == 0)
    {
      g_print ("%s\n", _("No alias domains."));
      return MW_CLI_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      MwAliasDomain *d = g_ptr_array_index (list, i);
      g_autofree char *name = domain_display (d->name);
      g_autofree char *target = domain_display (d->target);

      /* Translators: one alias domain: "example.net → example.org"; then " (disabled)" when it is off */
      g_print (_("%s → %s%s\n"), name, target, d->active ? "" : _(" (disabled)"));
    }
  return MW_CLI_EXIT_OK;
}

static int
run_add (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ALIAS-DOMAIN TARGET-DOMAIN"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *target = NULL;
  gboolean disable = FALSE, dry_run = FALSE;
  GOptionEntry entries[] = {
    { "disable", 0, 0, G_OPTION_ARG_NONE, &disable, N_("Add it turned off"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Sends the mail of every address at ALIAS-DOMAIN to the same name at "
                                           "TARGET-DOMAIN. Both must be domains of the database (domain add); an "
                                           "alias domain cannot be the target of another (no chains)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 3)
    return mw_cli_usage_error (context, _("Name the alias domain and its target, such as example.net example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_add_alias_domain_async (cli->session, argv[1], argv[2], !disable, dry_run, NULL, mw_async_wait_ready,
                                     &result);
  if ((name = mw_session_add_alias_domain_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "domain", name);
      mw_cli_json_add_bool (b, "enabled", !disable);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  shown = domain_display (name);
  target = domain_display (argv[2]);
  if (dry_run)
    /* Translators: "example.net can become an alias domain of example.org." */
    g_print (_("%s can become an alias domain of %s.\n"), shown, target);
  else
    /* Translators: "Mail to example.net now goes to example.org." */
    g_print (disable ? _("%s is an alias domain of %s, turned off.\n") : _("Mail to %s now goes to %s.\n"),
             shown, target);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_set (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ALIAS-DOMAIN"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwAliasDomain) before = NULL;
  g_autofree char *shown = NULL;
  gboolean enable = FALSE, disable = FALSE, dry_run = FALSE;
  GOptionEntry entries[] = {
    { "enable", 0, 0, G_OPTION_ARG_NONE, &enable, N_("Send its mail to the target domain"), NULL },
    { "disable", 0, 0, G_OPTION_ARG_NONE, &disable, N_("Keep it but stop sending its mail on"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Turns an alias domain on or off."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one alias domain, such as example.net."));
  if (enable == disable)
    return mw_cli_usage_error (context, _("Give either --enable or --disable."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_set_alias_domain_active_async (cli->session, argv[1], enable, dry_run, NULL, mw_async_wait_ready,
                                            &result);
  if ((before = mw_session_set_alias_domain_active_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "domain", before->name);
      mw_cli_json_add_bool (b, "was_enabled", before->active);
      mw_cli_json_add_bool (b, "enabled", enable);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  shown = domain_display (before->name);
  /* Translators: %s is an alias domain */
  g_print (enable ? _("The alias domain %s is on.\n") : _("The alias domain %s is off: its mail is no longer "
                                                          "sent on.\n"), shown);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_delete (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ALIAS-DOMAIN"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwAliasDomain) before = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *target = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Stops sending an alias domain's mail to its target. The domain itself "
                                           "stays (domain delete removes it)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one alias domain, such as example.net."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_delete_alias_domain_async (cli->session, argv[1], dry_run, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_delete_alias_domain_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "domain", before->name);
      mw_cli_json_add_string_or_null (b, "target_domain", before->target);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  shown = domain_display (before->name);
  target = domain_display (before->target);
  if (dry_run)
    /* Translators: "The alias domain example.net (to example.org) can be deleted." */
    g_print (_("The alias domain %s (to %s) can be deleted.\n"), shown, target);
  else
    /* Translators: "Deleted the alias domain example.net; its mail no longer goes to example.org." */
    g_print (_("Deleted the alias domain %s; its mail no longer goes to %s.\n"), shown, target);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_alias_domain (Cli   *cli,
                         int    argc,
                         char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "list"))
    return run_list (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "add"))
    return run_add (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "set"))
    return run_set (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "delete"))
    return run_delete (cli, argc - 1, argv + 1);
  g_printerr (_("%s: alias-domain list|add|set|delete: domains whose mail goes to another domain. Try "
                "“alias-domain add --help”.\n"), g_get_prgname ());
  return MW_CLI_EXIT_USAGE;
}
