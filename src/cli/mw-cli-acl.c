/* mw-cli-acl.c: `acl list|set|revoke` and `public create|delete`: folders
 * shared between accounts and public folders, where the database keeps
 * them (DBMail).
 *
 * A folder is written the way the person it is shared with sees it in a
 * mail program: "#Users/OWNER/NAME" (the owner's login name, then the
 * folder's path with "/", such as #Users/alice@example.com/INBOX/Team) or
 * "#Public/NAME" for a public folder.
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

static void
add_entry_json (JsonBuilder      *b,
                const MwAclEntry *e)
{
  g_autofree char *letters = mw_rights_to_letters (e->rights);

  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "folder", e->shown_as);
  mw_cli_json_add_string_or_null (b, "name", e->display_name);
  mw_cli_json_add_string_or_null (b, "stored_name", e->mailbox);
  mw_cli_json_add_string_or_null (b, "owner", e->owner);
  mw_cli_json_add_bool (b, "public", e->is_public);
  mw_cli_json_add_string_or_null (b, "grantee", e->grantee);
  mw_cli_json_add_string_or_null (b, "rights", e->grantee != NULL ? letters : NULL);
  json_builder_end_object (b);
}

static void
add_entries_json (JsonBuilder *b,
                  const char  *member,
                  GPtrArray   *list)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    add_entry_json (b, g_ptr_array_index (list, i));
  json_builder_end_array (b);
}

static void
print_entries (GPtrArray *list,
               gboolean   with_unshared)
{
  for (guint i = 0; i < list->len; i++)
    {
      MwAclEntry *e = g_ptr_array_index (list, i);
      g_autofree char *letters = NULL;
      g_autofree char *words = NULL;

      if (e->grantee == NULL)
        {
          if (with_unshared)
            /* Translators: a folder shared with nobody: "#Users/alice@example.com/Archive: not shared" */
            g_print (_("%s: not shared\n"), e->shown_as);
          continue;
        }
      letters = mw_rights_to_letters (e->rights);
      words = mw_rights_describe (e->rights);
      /* Translators: "#Users/alice@example.com/Team  bob@example.com  lrs (see the folder, read, keep seen marks)" */
      g_print (_("%s  %s  %s (%s)\n"), e->shown_as, e->grantee, letters, words);
    }
}

/* The folder's key from "#Users/OWNER/NAME" or "#Public/NAME". */
static char *
find_folder (Cli         *cli,
             const char  *folder,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_session_find_shared_folder_async (cli->session, folder, NULL, mw_async_wait_ready, &result);
  return mw_session_find_shared_folder_finish (cli->session, mw_async_wait (&result), error);
}

static int
run_list (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[USER|FOLDER]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) shared = NULL;
  g_autofree char *key = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Without an argument: every shared folder and who may do what in it "
                                           "(the list “sharing”). With a user: the user's folders and who they "
                                           "are shared with, then the folders shared with the user. With a "
                                           "folder (#Users/OWNER/NAME or #Public/NAME): who may do what in it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (argc == 1 || (argc == 2 && (g_str_equal (argv[1], "--json") || g_str_equal (argv[1], "-j"))))
    return mw_cli_run_list_command (cli, "sharing", argc, argv);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 2)
    return mw_cli_usage_error (context, _("Name at most one user or folder."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if (argv[1][0] == '#')
    {
      if ((key = find_folder (cli, argv[1], &error)) == NULL)
        return mw_cli_fail (error);
      mw_session_list_folder_acl_async (cli->session, key, NULL, mw_async_wait_ready, &result);
      if ((own = mw_session_list_folder_acl_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
        return mw_cli_fail (error);
      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "folder", argv[1]);
          add_entries_json (b, "rights", own);
          json_builder_end_object (b);
          mw_cli_json_print (b);
          return MW_CLI_EXIT_OK;
        }
      if (own->len == 0)
        /* Translators: %s is a folder */
        g_print (_("%s is shared with nobody: only its owner sees it.\n"), argv[1]);
      print_entries (own, FALSE);
      return MW_CLI_EXIT_OK;
    }

  if ((key = mw_cli_resolve_account (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  mw_session_list_account_folders_async (cli->session, key, NULL, mw_async_wait_ready, &result);
  if ((own = mw_session_list_account_folders_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  g_clear_object (&result);
  mw_session_list_shared_with_async (cli->session, key, NULL, mw_async_wait_ready, &result);
  if ((shared = mw_session_list_shared_with_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "user", argv[1]);
      add_entries_json (b, "folders", own);
      add_entries_json (b, "shared_with_user", shared);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  /* Translators: a heading; %s is a user */
  g_print (_("Folders of %s:\n"), argv[1]);
  print_entries (own, TRUE);
  if (shared->len == 0)
    /* Translators: %s is a user */
    g_print (_("Nothing is shared with %s.\n"), argv[1]);
  else
    {
      /* Translators: a heading; %s is a user ("anyone" rows count too) */
      g_print (_("Shared with %s (or with anyone):\n"), argv[1]);
      print_entries (shared, FALSE);
    }
  return MW_CLI_EXIT_OK;
}

/* Makes the missing special accounts of @need when @create; else fails
 * with a sentence naming the option. */
static gboolean
ensure_special_users (Cli             *cli,
                      MwSpecialUsers   need,
                      gboolean         create,
                      gboolean         dry_run,
                      gboolean        *created,
                      GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  MwSpecialUsers missing = 0;

  *created = FALSE;
  mw_session_missing_special_users_async (cli->session, NULL, mw_async_wait_ready, &result);
  if (!mw_session_missing_special_users_finish (cli->session, mw_async_wait (&result), &missing, error))
    return FALSE;
  missing &= need;
  if (missing == 0)
    return TRUE;
  if (!create)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, "%s",
                   (missing & MW_SPECIAL_USER_PUBLIC)
                   ? _("The database has no account “__public__”, which owns DBMail’s public folders. Run again "
                       "with --create-special-users to create it as DBMail’s schema does (it cannot log in).")
                   : _("The database has no account “anyone”, which DBMail needs to share with everybody. Run "
                       "again with --create-special-users to create it as DBMail’s schema does (it cannot log in)."));
      return FALSE;
    }
  g_clear_object (&result);
  mw_session_create_special_users_async (cli->session, missing, dry_run, NULL, mw_async_wait_ready, &result);
  if (!mw_session_create_special_users_finish (cli->session, mw_async_wait (&result), error))
    return FALSE;
  if (!cli->json)
    g_print ("%s\n", dry_run ? _("DBMail’s special accounts can be created.")
                             : _("Created DBMail’s special accounts (they cannot log in)."));
  *created = TRUE;
  return TRUE;
}

static int
set_rights (Cli        *cli,
            const char *folder,
            const char *grantee,
            MwRights    rights,
            gboolean    create_special,
            gboolean    dry_run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;
  g_autofree char *letters = mw_rights_to_letters (rights);
  g_autofree char *words = mw_rights_describe (rights);
  g_autofree char *old_letters = NULL;
  MwRights before = 0;
  gboolean created = FALSE;

  if ((key = find_folder (cli, folder, &error)) == NULL)
    return mw_cli_fail (error);
  if (g_ascii_strcasecmp (grantee, "anyone") == 0 &&
      !ensure_special_users (cli, MW_SPECIAL_USER_ANYONE, create_special, dry_run, &created, &error))
    return mw_cli_fail (error);
  if (created && dry_run)
    {
      /* The account was only made in a rolled-back transaction. */
      say_dry_run (dry_run);
      return MW_CLI_EXIT_OK;
    }
  mw_session_set_rights_async (cli->session, key, grantee, rights, dry_run, NULL, mw_async_wait_ready, &result);
  if (!mw_session_set_rights_finish (cli->session, mw_async_wait (&result), &before, &error))
    return mw_cli_fail (error);
  old_letters = mw_rights_to_letters (before);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "folder", folder);
      mw_cli_json_add_string_or_null (b, "grantee", grantee);
      mw_cli_json_add_string_or_null (b, "rights_before", old_letters);
      mw_cli_json_add_string_or_null (b, "rights", letters);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (rights == 0)
    /* Translators: "bob@example.com no longer has rights on #Users/alice@example.com/Team (had: lrs)." */
    g_print (dry_run ? _("%s can lose its rights on %s (has: %s).\n") : _("%s no longer has rights on %s (had: %s).\n"),
             grantee, folder, before != 0 ? old_letters : "-");
  else
    /* Translators: "On #Public/News, anyone may now: see the folder, read (lr; before: -)." */
    g_print (dry_run ? _("On %s, %s could: %s (%s; before: %s).\n") : _("On %s, %s may now: %s (%s; before: %s).\n"),
             folder, grantee, words, letters, before != 0 ? old_letters : "-");
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_set (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FOLDER GRANTEE RIGHTS"));
  g_autoptr(GError) error = NULL;
  gboolean dry_run = FALSE, create_special = FALSE;
  MwRights rights = 0;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "create-special-users", 0, 0, G_OPTION_ARG_NONE, &create_special,
      N_("Create DBMail’s account “anyone” when the database lacks it"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Gives GRANTEE (a user's login name, or anyone for everybody) exactly "
                                           "RIGHTS on FOLDER.\n"
                                           "FOLDER: #Users/OWNER/NAME (such as #Users/alice@example.com/INBOX/Team) "
                                           "or #Public/NAME.\n"
                                           "RIGHTS: read-only (lrs), read-write (lrswipkxte), full (all 11), or "
                                           "letters: l see the folder, r read, s keep seen marks, w set flags, "
                                           "i add messages, p send to it, k create subfolders, x delete the folder, "
                                           "t mark deleted, e expunge, a change the sharing (c = k, d = xte)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 4)
    return mw_cli_usage_error (context, _("Name the folder, the grantee and the rights, such as "
                                          "#Users/alice@example.com/Team bob@example.com read-only."));
  if (!mw_rights_parse (argv[3], &rights, &error))
    return mw_cli_usage_error (context, error->message);
  if (rights == 0)
    return mw_cli_usage_error (context, _("Give at least one right; “acl revoke” takes them all away."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  return set_rights (cli, argv[1], argv[2], rights, create_special, dry_run);
}

static int
run_revoke (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FOLDER GRANTEE"));
  g_autoptr(GError) error = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Takes every right on FOLDER (#Users/OWNER/NAME or #Public/NAME) away "
                                           "from GRANTEE (a login name or anyone)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 3)
    return mw_cli_usage_error (context, _("Name the folder and the grantee, such as "
                                          "#Users/alice@example.com/Team bob@example.com."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  return set_rights (cli, argv[1], argv[2], 0, FALSE, dry_run);
}

static int
run_public (Cli    *cli,
            gboolean create,
            int     argc,
            char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;
  g_autofree char *shown = NULL;
  gboolean dry_run = FALSE, create_special = FALSE, created = FALSE, ok;
  GOptionEntry create_entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "create-special-users", 0, 0, G_OPTION_ARG_NONE, &create_special,
      N_("Create DBMail’s account “__public__” when the database lacks it"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, create
                                ? _("Creates the public folder #Public/NAME (NAME may hold “/” for folders "
                                    "inside folders; its parents are created too). Nobody sees it until it is "
                                    "shared: acl set \"#Public/NAME\" anyone read-only.")
                                : _("Deletes the empty public folder #Public/NAME and who may use it."));
  GOptionEntry delete_entries[] = { create_entries[0], create_entries[2], { NULL } };

  g_option_context_add_main_entries (context, create ? create_entries : delete_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one public folder, such as News or #Public/News."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  shown = g_str_has_prefix (argv[1], "#Public/") ? g_strdup (argv[1]) : g_strconcat ("#Public/", argv[1], NULL);
  if (create)
    {
      if (!ensure_special_users (cli, MW_SPECIAL_USER_PUBLIC, create_special, dry_run, &created, &error))
        return mw_cli_fail (error);
      if (created && dry_run)
        {
          say_dry_run (dry_run);
          return MW_CLI_EXIT_OK;
        }
      mw_session_create_public_folder_async (cli->session, argv[1], dry_run, NULL, mw_async_wait_ready, &result);
      ok = (key = mw_session_create_public_folder_finish (cli->session, mw_async_wait (&result), &error)) != NULL;
    }
  else
    {
      mw_session_delete_public_folder_async (cli->session, argv[1], dry_run, NULL, mw_async_wait_ready, &result);
      ok = mw_session_delete_public_folder_finish (cli->session, mw_async_wait (&result), &error);
    }
  if (!ok)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "folder", shown);
      mw_cli_json_add_bool (b, create ? "created" : "deleted", TRUE);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (create)
    /* Translators: %s is "#Public/News" */
    g_print (dry_run ? _("The public folder %s can be created.\n") : _("Created the public folder %s.\n"), shown);
  else
    g_print (dry_run ? _("The public folder %s can be deleted.\n") : _("Deleted the public folder %s.\n"), shown);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_acl (Cli         *cli,
                const char  *command,
                int          argc,
                char       **argv)
{
  if (g_str_equal (command, "public"))
    {
      if (argc > 1 && g_str_equal (argv[1], "create"))
        return run_public (cli, TRUE, argc - 1, argv + 1);
      if (argc > 1 && g_str_equal (argv[1], "delete"))
        return run_public (cli, FALSE, argc - 1, argv + 1);
      g_printerr (_("%s: public create|delete NAME: DBMail’s public folders (#Public/NAME). Try "
                    "“public create --help”.\n"), g_get_prgname ());
      return MW_CLI_EXIT_USAGE;
    }
  if (argc > 1 && g_str_equal (argv[1], "list"))
    return run_list (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "set"))
    return run_set (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "revoke"))
    return run_revoke (cli, argc - 1, argv + 1);
  g_printerr (_("%s: acl list|set|revoke: folders shared between users (DBMail). Try “acl set --help”.\n"),
              g_get_prgname ());
  return MW_CLI_EXIT_USAGE;
}
