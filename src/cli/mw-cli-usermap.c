/* mw-cli-usermap.c: `usermap list|add|set|delete|lock|clear|create-table`,
 * the login maps of a DBMail database (mw-usermap.h): which user a typed
 * login name logs in as, per socket of the server.
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
add_map_json (JsonBuilder      *b,
              const MwLoginMap *m)
{
  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "login", m->login);
  mw_cli_json_add_string_or_null (b, "allow", m->allow);
  mw_cli_json_add_string_or_null (b, "deny", m->deny);
  mw_cli_json_add_string_or_null (b, "user", m->user);
  json_builder_end_object (b);
}

static void
add_maps_json (JsonBuilder *b,
               const char  *member,
               GPtrArray   *maps)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; maps != NULL && i < maps->len; i++)
    add_map_json (b, g_ptr_array_index (maps, i));
  json_builder_end_array (b);
}

/* A socket as the table shows it: empty is every socket, or none. */
static const char *
socket_text (const char *socket,
             gboolean    denied)
{
  if (socket != NULL && socket[0] != '\0')
    return socket;
  /* Translators: an empty allowed socket: the login map applies on every socket */
  return denied ? _("none") : _("any");
}

static gboolean
table_exists (Cli      *cli,
              gboolean *exists,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_session_login_maps_table_exists_async (cli->session, NULL, mw_async_wait_ready, &result);
  return mw_session_login_maps_table_exists_finish (cli->session, mw_async_wait (&result), exists, error);
}

static void
print_maps (GPtrArray *maps)
{
  const char *headers[] = { _("Login"), _("Allowed Socket"), _("Denied Socket"), _("User") };
  gsize widths[4];

  for (guint c = 0; c < 4; c++)
    widths[c] = g_utf8_strlen (headers[c], -1);
  for (guint i = 0; i < maps->len; i++)
    {
      MwLoginMap *m = g_ptr_array_index (maps, i);
      const char *cells[] = { m->login, socket_text (m->allow, FALSE), socket_text (m->deny, TRUE), m->user };

      for (guint c = 0; c < 4; c++)
        widths[c] = MAX (widths[c], (gsize) g_utf8_strlen (cells[c], -1));
    }
  for (gint i = -1; i < (gint) maps->len; i++)
    {
      MwLoginMap *m = i >= 0 ? g_ptr_array_index (maps, i) : NULL;
      const char *cells[4];
      GString *line = g_string_new (NULL);

      if (m == NULL)
        memcpy (cells, headers, sizeof cells);
      else
        {
          cells[0] = m->login;
          cells[1] = socket_text (m->allow, FALSE);
          cells[2] = socket_text (m->deny, TRUE);
          cells[3] = m->user;
        }
      for (guint c = 0; c < 4; c++)
        {
          g_string_append (line, cells[c]);
          if (c < 3)
            for (gsize pad = g_utf8_strlen (cells[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
}

static int
run_list (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[USER]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *key = NULL;
  gboolean exists = FALSE;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the login maps: every one, or those of one user (the maps that "
                                           "log in as the user, and the ANY maps whose format gives its name). "
                                           "DBMail consults them only when their table exists."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 2)
    return mw_cli_usage_error (context, _("Name at most one user."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if (argc == 2 && (key = mw_cli_resolve_account (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  if (!table_exists (cli, &exists, &error))
    return mw_cli_fail (error);
  mw_session_list_login_maps_async (cli->session, key, NULL, mw_async_wait_ready, &result);
  if ((list = mw_session_list_login_maps_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_bool (b, "table_exists", exists);
      mw_cli_json_add_int (b, "total", list->len);
      add_maps_json (b, "login_maps", list);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (!exists)
    {
      g_print ("%s\n", _("This database has no table of login maps: DBMail consults login maps only when it exists. "
                         "“usermap create-table” creates it."));
      return MW_CLI_EXIT_OK;
    }
  if (list->len == 0)
    {
      g_print ("%s\n", _("No login maps."));
      return MW_CLI_EXIT_OK;
    }
  print_maps (list);
  return MW_CLI_EXIT_OK;
}

static int
run_add (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("LOGIN USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwLoginMap) map = NULL;
  g_autoptr(MwLoginMap) stored = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *deny = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "allow", 0, 0, G_OPTION_ARG_STRING, &allow, N_("Only on this socket of the server: inet:ADDRESS:PORT or unix:PATH"),
      N_("SOCKET") },
    { "deny", 0, 0, G_OPTION_ARG_STRING, &deny, N_("Refuse the login on this socket"), N_("SOCKET") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Makes the login LOGIN log in as USER (an existing user). With the login "
                                           "ANY, USER is a format with one %s for the typed name, such as "
                                           "%s@example.org. A socket is inet:ADDRESS:PORT (IPv4; 0.0.0.0 or /BITS "
                                           "for several addresses), unix:PATH, or empty for every socket."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 3)
    return mw_cli_usage_error (context, _("Name the login and the user, such as alice alice@example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  map = mw_login_map_new (argv[1], allow, deny, argv[2]);
  mw_session_add_login_map_async (cli->session, map, dry_run, NULL, mw_async_wait_ready, &result);
  if ((stored = mw_session_add_login_map_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "login_map");
      add_map_json (b, stored);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (dry_run)
    /* Translators: "The login alice can log in as alice@example.org." */
    g_print (_("The login %s can log in as %s.\n"), stored->login, stored->user);
  else
    /* Translators: "The login alice now logs in as alice@example.org." */
    g_print (_("The login %s now logs in as %s.\n"), stored->login, stored->user);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

/* The key of the row LOGIN USER [--allow SOCKET], or NULL with the error. */
static char *
find_key (Cli         *cli,
          const char  *login,
          const char  *user,
          const char  *allow_text,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *allow = mw_login_map_normalize_socket (allow_text, FALSE, error);

  if (allow == NULL)
    return NULL;
  mw_session_list_login_maps_async (cli->session, NULL, NULL, mw_async_wait_ready, &result);
  if ((list = mw_session_list_login_maps_finish (cli->session, mw_async_wait (&result), error)) == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    {
      MwLoginMap *m = g_ptr_array_index (list, i);

      if (g_strcmp0 (m->login, login) == 0 && g_strcmp0 (m->allow, allow) == 0 &&
          g_utf8_collate (m->user, user) == 0)
        return g_strdup (m->key);
    }
  for (guint i = 0; i < list->len; i++)
    {
      MwLoginMap *m = g_ptr_array_index (list, i);
      g_autofree char *a = g_utf8_casefold (m->user, -1);
      g_autofree char *b = g_utf8_casefold (user, -1);

      if (g_strcmp0 (m->login, login) == 0 && g_strcmp0 (m->allow, allow) == 0 && g_str_equal (a, b))
        return g_strdup (m->key);
    }
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no login map of “%s” to “%s” on the allowed socket “%s”: “usermap list” shows them."),
               login, user, socket_text (allow, FALSE));
  return NULL;
}

static int
run_set (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("LOGIN USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwLoginMap) map = NULL;
  g_autoptr(MwLoginMap) before = NULL;
  g_autofree char *key = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *deny = NULL;
  g_autofree char *new_allow = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "allow", 0, 0, G_OPTION_ARG_STRING, &allow, N_("The map's allowed socket, when it has one"), N_("SOCKET") },
    { "new-allow", 0, 0, G_OPTION_ARG_STRING, &new_allow, N_("Change its allowed socket"), N_("SOCKET") },
    { "deny", 0, 0, G_OPTION_ARG_STRING, &deny, N_("Change its denied socket (\"\" for none)"), N_("SOCKET") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Changes the sockets of the login map of LOGIN to USER."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 3)
    return mw_cli_usage_error (context, _("Name the login and the user, such as alice alice@example.org."));
  if (new_allow == NULL && deny == NULL)
    return mw_cli_usage_error (context, _("Give --new-allow or --deny."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if ((key = find_key (cli, argv[1], argv[2], allow, &error)) == NULL)
    return mw_cli_fail (error);
  {
    g_autoptr(GAsyncResult) list_result = NULL;
    g_autoptr(GPtrArray) list = NULL;

    mw_session_list_login_maps_async (cli->session, NULL, NULL, mw_async_wait_ready, &list_result);
    if ((list = mw_session_list_login_maps_finish (cli->session, mw_async_wait (&list_result), &error)) == NULL)
      return mw_cli_fail (error);
    for (guint i = 0; i < list->len && map == NULL; i++)
      {
        MwLoginMap *m = g_ptr_array_index (list, i);

        if (g_strcmp0 (m->key, key) == 0)
          map = mw_login_map_new (m->login, new_allow != NULL ? new_allow : m->allow, deny != NULL ? deny : m->deny,
                                  m->user);
      }
  }
  if (map == NULL)
    return mw_cli_fail (error);
  mw_session_update_login_map_async (cli->session, key, map, dry_run, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_update_login_map_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "before");
      add_map_json (b, before);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  /* Translators: "Changed the login map of alice to alice@example.org." */
  g_print (_("Changed the login map of %s to %s.\n"), before->login, before->user);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_delete (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("LOGIN USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwLoginMap) before = NULL;
  g_autofree char *key = NULL;
  g_autofree char *allow = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "allow", 0, 0, G_OPTION_ARG_STRING, &allow, N_("The map's allowed socket, when it has one"), N_("SOCKET") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Deletes the login map of LOGIN to USER (on the allowed socket given "
                                           "with --allow, or the one for every socket)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 3)
    return mw_cli_usage_error (context, _("Name the login and the user, such as alice alice@example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if ((key = find_key (cli, argv[1], argv[2], allow, &error)) == NULL)
    return mw_cli_fail (error);
  mw_session_delete_login_map_async (cli->session, key, dry_run, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_delete_login_map_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "login_map");
      add_map_json (b, before);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (dry_run)
    /* Translators: "The login map of alice to alice@example.org can be deleted." */
    g_print (_("The login map of %s to %s can be deleted.\n"), before->login, before->user);
  else
    /* Translators: "Deleted the login map of alice to alice@example.org." */
    g_print (_("Deleted the login map of %s to %s.\n"), before->login, before->user);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_preset (Cli                *cli,
            MwLoginMapsPreset   preset,
            int                 argc,
            char              **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autofree char *key = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, preset == MW_LOGIN_MAPS_LOCK
                                ? _("Refuses every login of USER on every socket: its maps refuse, and maps that "
                                    "refuse are added for its own name and for the logins an ANY format turns "
                                    "into its name. “usermap clear” removes the user's maps, the lock with them.")
                                : _("Removes every login map that logs in as USER."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if ((key = mw_cli_resolve_account (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  mw_session_set_account_login_maps_async (cli->session, key, preset, NULL, dry_run, NULL, mw_async_wait_ready,
                                           &result);
  if ((before = mw_session_set_account_login_maps_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_maps_json (b, "before", before);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (preset == MW_LOGIN_MAPS_LOCK)
    /* Translators: %s is a user */
    g_print (dry_run ? _("%s can be locked: DBMail would refuse every login.\n")
                     : _("%s is locked: DBMail refuses every login of this user.\n"), argv[1]);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          /* Translators: "Removed 2 login maps of alice." */
                          "Removed %u login map of %s.\n", "Removed %u login maps of %s.\n", before->len),
             before->len, argv[1]);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_create_table (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Creates DBMail's table of login maps, as DBMail's own schema defines it. "
                                           "DBMail consults login maps only when this table exists; running this "
                                           "command is your consent."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 1)
    return mw_cli_usage_error (context, _("create-table takes no names."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  mw_session_create_login_maps_table_async (cli->session, dry_run, NULL, mw_async_wait_ready, &result);
  if (!mw_session_create_login_maps_table_finish (cli->session, mw_async_wait (&result), &error))
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_bool (b, "created", !dry_run);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  g_print ("%s\n", dry_run ? _("The table of login maps can be created.")
                           : _("Created the table of login maps: DBMail consults it from now on."));
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_usermap (Cli   *cli,
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
  if (argc > 1 && g_str_equal (argv[1], "lock"))
    return run_preset (cli, MW_LOGIN_MAPS_LOCK, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "clear"))
    return run_preset (cli, MW_LOGIN_MAPS_CLEAR, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "create-table"))
    return run_create_table (cli, argc - 1, argv + 1);
  g_printerr (_("%s: usermap list|add|set|delete|lock|clear|create-table: the logins DBMail maps to users. Try "
                "“usermap add --help”.\n"), g_get_prgname ());
  return MW_CLI_EXIT_USAGE;
}
