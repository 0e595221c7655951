/* mw-cli-admin.c: mailwarden-cli commands that change the database, and the password tools.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "mailwarden-core.h"
#include "mw-cli.h"
#include "mw-cli-private.h"

#define GENERATED_LENGTH 16

/* A password in memory: wiped when its variable goes out of scope. */
typedef char *CliSecret;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (CliSecret, mw_password_free, NULL)

/* ------------------------------------------------------------------------ */
/* Input                                                                    */
/* ------------------------------------------------------------------------ */

/* One line of standard input, without its line end; echo off on a terminal.
 * Passwords never come from the command line, where ps shows them. */
static char *
read_secret_line (const char  *prompt,
                  GError     **error)
{
  struct termios saved, quiet;
  gboolean tty;
  GString *line;
  int flags = fcntl (STDIN_FILENO, F_GETFL);
  int c;

  /* A closed standard input was replaced by /dev/null at start (main.c);
   * reading it would only give an empty password. */
  if (mw_cli_stdin_was_closed || flags == -1 || (flags & O_ACCMODE) == O_WRONLY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                   _("Standard input is closed or cannot be read, so there is no password to read: give it as one "
                     "line, for example with “printf '%%s\\n' PASSWORD |”."));
      return NULL;
    }
  tty = isatty (STDIN_FILENO);
  line = g_string_new (NULL);
  if (tty)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (memchr (line->str, '\0', line->len) != NULL)
    {
      /* C strings end at the first NUL: the rest would be lost silently. */
      memset (line->str, 0, line->len);
      g_string_free (line, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The password on standard input contains a NUL byte, which a password cannot hold. "
                     "Nothing was changed."));
      return NULL;
    }
  if (c == EOF && line->len == 0)
    {
      g_string_free (line, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("No password on standard input: give it as one line, for example with “printf '%%s\\n' PASSWORD |”."));
      return NULL;
    }
  return g_string_free (line, FALSE);
}

static gboolean
parse_int (const char  *text,
           gint64      *value,
           GError     **error)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &v, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("“%s” is not a number."), text);
      return FALSE;
    }
  *value = (gint64) v;
  return TRUE;
}

/* --rounds TEXT when the scheme is not known here (the account's own): the
 * core checks it against that scheme. */
static gboolean
parse_rounds_number (const char  *text,
                     gulong      *rounds,
                     GError     **error)
{
  guint64 v = 0;

  *rounds = 0;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &v, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a number of rounds: give a whole number such as 12."), text);
      return FALSE;
    }
  *rounds = (gulong) v;
  return TRUE;
}

gboolean
mw_cli_parse_rounds (const char  *text,
                     const char  *scheme,
                     gulong      *rounds,
                     GError     **error)
{
  guint64 v = 0;

  *rounds = 0;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &v, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a number of rounds: give a whole number such as 12."), text);
      return FALSE;
    }
  if (!mw_password_check_rounds (scheme, (gulong) v, error))
    return FALSE;
  *rounds = (gulong) v;
  return TRUE;
}

/* Quota: read by the core as the import and the GUI read it (mw-size.c). */
static gboolean
parse_size (const char  *text,
            gint64      *bytes,
            GError     **error)
{
  return mw_size_parse_quota (text, MW_SIZE_UNIT_BYTES, bytes, error);
}

static void
say_dry_run (gboolean dry_run)
{
  if (dry_run)
    g_print ("%s\n", _("Dry run: nothing was changed."));
}

/* The account's number, as the admin sees it, or 0 (none, or an account a
 * dry run made and took back). */
static gint64
account_number (Cli        *cli,
                const char *key,
                gboolean    dry_run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwAccount) account = NULL;

  if (dry_run)
    return 0;
  mw_session_get_account_async (cli->session, key, NULL, mw_async_wait_ready, &result);
  account = mw_session_get_account_finish (cli->session, mw_async_wait (&result), NULL);
  return account != NULL ? account->number : 0;
}

/* Looks an address up: its rows, and the one that is meant. want_account:
 * a row that delivers to an account (@owner's, when given); otherwise a
 * forward to @target (any, when NULL). (transfer full): the row's key. */
static char *
pick_route (Cli         *cli,
            const char  *address,
            gboolean     want_account,
            const char  *target,
            const char  *owner,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  g_autofree char *stored = NULL;
  MwAddressKind kind;
  const char *found = NULL;
  guint matches = 0;

  /* Find the stored form (ACE domain), or the text as typed for an alias
   * that never met the rules. */
  stored = mw_address_normalize_alias (address, MW_ADDRESS_ALLOW_CATCH_ALL, &kind, NULL);
  mw_session_find_routes_async (cli->session, stored != NULL ? stored : address, NULL, mw_async_wait_ready, &result);
  if ((routes = mw_session_find_routes_finish (cli->session, mw_async_wait (&result), error)) == NULL)
    return NULL;
  for (guint i = 0; i < routes->len; i++)
    {
      MwAddressRoute *route = g_ptr_array_index (routes, i);
      gboolean to_account = route->account_key != NULL;

      if (want_account && to_account && (owner == NULL || g_str_equal (route->account_key, owner)))
        {
          found = route->key;
          matches++;
        }
      else if (!want_account && !to_account && (target == NULL || mw_address_equal (route->target, target)))
        {
          found = route->key;
          matches++;
        }
    }
  if (matches == 1)
    return g_strdup (found);
  if (matches == 0)
    {
      if (want_account)
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                     _("“%s” is not an alias of a user."), address);
      else if (target != NULL)
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                     _("“%s” does not forward to “%s”."), address, target);
      else
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("“%s” is not a forward."), address);
      return NULL;
    }
  if (want_account)
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                 _("“%s” delivers to several users; name the one you mean with --user."), address);
  else
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                 _("“%s” forwards to several targets; name the one you mean."), address);
  return NULL;
}

/* A domain that could pass for another one (mixed scripts) is stored, with
 * a warning on standard error, as a browser warns. */
static void
warn_about_address (const char *address)
{
  g_autofree char *warning = address != NULL ? mw_address_get_warning (address) : NULL;

  if (warning != NULL)
    /* Translators: %s is a whole sentence */
    g_printerr (_("Warning: %s\n"), warning);
}

/* ------------------------------------------------------------------------ */
/* hash, verify                                                             */
/* ------------------------------------------------------------------------ */

static char *
schemes_list (void)
{
  guint n;
  const MwPasswordScheme *schemes = mw_password_get_schemes (&n);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (schemes[i].writable)
      g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", schemes[i].name);
  return g_string_free (out, FALSE);
}

static int
run_hash (gboolean   json,
          int        argc,
          char     **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("SCHEME"));
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *dovecot = NULL;
  g_autofree char *names = schemes_list ();
  g_autofree char *summary = g_strdup_printf (_("Prints what DBMail would store for the password read from standard "
                                                "input. Schemes: %s."), names);
  const char *type = NULL;
  g_autofree char *rounds_text = NULL;
  gulong rounds = 0;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { "rounds", 0, 0, G_OPTION_ARG_STRING, &rounds_text,
      N_("Cost: bcrypt 4-31 (default 12), sha256/sha512-crypt rounds 1000-999999999 (default 5000), yescrypt 1-11 (default 5)"),
      "N" },
    { NULL }
  };

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one password scheme."));
  if (!mw_cli_parse_rounds (rounds_text, argv[1], &rounds, &error))
    return mw_cli_usage_error (context, error->message);
  if ((password = read_secret_line (_("Password: "), &error)) == NULL ||
      (hash = mw_password_hash_with_rounds (argv[1], password, rounds, &type, &error)) == NULL)
    return mw_cli_fail (error);
  dovecot = mw_password_to_dovecot (type, hash);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "stored_scheme", type);
      mw_cli_json_add_string_or_null (b, "stored_password", hash);
      mw_cli_json_add_string_or_null (b, "dovecot", dovecot);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else
    {
      g_print ("%-18s %s\n", _("Stored scheme:"), type[0] != '\0' ? type : _("(empty: plain text)"));
      g_print ("%-18s %s\n", _("Stored password:"), hash);
      if (dovecot != NULL)
        g_print ("%-18s %s\n", _("Dovecot:"), dovecot);
    }
  mw_password_free (g_steal_pointer (&password));
  return MW_CLI_EXIT_OK;
}

static int
run_verify (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("STORED"));
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *password = NULL;
  const MwPasswordScheme *scheme;
  gboolean match;
  GOptionEntry entries[] = {
    { "type", 't', 0, G_OPTION_ARG_STRING, &type, N_("The scheme stored beside it (default: crypt)"), N_("TYPE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Checks the password read from standard input against a stored value, "
                                           "the way DBMail checks a login. Changes nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Give the stored password value."));
  if (type == NULL)
    type = g_strdup ("crypt");
  if ((password = read_secret_line (_("Password: "), &error)) == NULL)
    return mw_cli_fail (error);
  match = mw_password_verify (type, argv[1], password, &error);
  mw_password_free (g_steal_pointer (&password));
  if (error != NULL)
    return mw_cli_fail (error);
  scheme = mw_password_identify (type, argv[1]);
  if (match)
    {
      /* Translators: %s is a scheme label such as "SHA-512 crypt" */
      g_print (_("The password matches (%s).\n"), scheme != NULL ? _(scheme->label) : type);
      return MW_CLI_EXIT_OK;
    }
  g_print ("%s\n", _("The password does not match."));
  return MW_CLI_EXIT_MISMATCH;
}

/* ------------------------------------------------------------------------ */
/* user add | set | delete                                                  */
/* ------------------------------------------------------------------------ */

/* The password an account gets: read, or generated (the caller prints it
 * once the change is made, so a refused change shows no password that
 * nobody has). */
static char *
new_password (gboolean     from_stdin,
              gboolean     generate,
              const char  *prompt,
              GError     **error)
{
  if (generate)
    return mw_password_generate (GENERATED_LENGTH, error);
  if (from_stdin)
    return read_secret_line (prompt, error);
  return NULL;
}

/* {"key": "12", "number": 12, "dry_run": false, "generated_password":
 * "..."} (number null when unknown, as after a dry run): the copies of a
 * generated password this makes are written over before they are freed
 * (json-glib's own passing copies cannot be). */
static void
print_added_json (const char *key,
                  gint64      number,
                  gboolean    dry_run,
                  const char *password)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_alloc ();
  JsonNode *secret = NULL;
  char *text;

  mw_cli_json_set_string (object, "key", key);
  if (number > 0)
    json_object_set_int_member (object, "number", number);
  else
    json_object_set_null_member (object, "number");
  json_object_set_boolean_member (object, "dry_run", dry_run);
  if (password != NULL)
    {
      secret = json_node_alloc ();
      json_node_init_string (secret, password);
      json_object_set_member (object, "generated_password", secret);
    }
  json_node_init_object (root, object);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
  explicit_bzero (text, strlen (text));
  g_free (text);
  if (secret != NULL)
    {
      const char *copy = json_node_get_string (secret);

      explicit_bzero ((char *) copy, strlen (copy));
    }
  /* The generator holds a copy of the root. */
  json_generator_set_root (generator, NULL);
}

static int
run_user_add (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME"));
  g_autoptr(GError) error = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *rounds_text = NULL;
  gulong rounds = 0;
  g_autofree char *group_text = NULL;
  g_autofree char *quota_text = NULL;
  g_autofree char *domain = NULL;
  g_auto(CliSecret) password = NULL;
  g_autofree char *first_alias = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) aliases = NULL;
  gboolean from_stdin = FALSE, generate = FALSE, no_alias = FALSE, catch_all = FALSE, bypass = FALSE, dry_run = FALSE;
  MwNewAccount user = { 0 };
  gint64 number;
  GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin, N_("Read the password from standard input"), NULL },
    { "generate", 0, 0, G_OPTION_ARG_NONE, &generate, N_("Generate a random password and print it once"), NULL },
    { "scheme", 0, 0, G_OPTION_ARG_STRING, &scheme, N_("Password scheme (default sha512-crypt; see “hash --help”)"), N_("SCHEME") },
    { "rounds", 0, 0, G_OPTION_ARG_STRING, &rounds_text, N_("The scheme's cost (see “hash --help”)"), "N" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group_text, N_("Group, default 0"), "N" },
    { "quota", 'm', 0, G_OPTION_ARG_STRING, &quota_text, N_("Mail quota: bytes, or 500M, 1.5G (powers of 1024, exact); 0 = unlimited"), N_("SIZE") },
    { "alias", 's', 0, G_OPTION_ARG_STRING_ARRAY, &aliases, N_("An address of the user (repeatable)"), N_("ADDRESS") },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain, N_("Give the user the alias NAME@DOMAIN"), N_("DOMAIN") },
    { "no-alias", 0, 0, G_OPTION_ARG_NONE, &no_alias, N_("Do not add the alias NAME when NAME is an address"), NULL },
    { "catch-all", 0, 0, G_OPTION_ARG_NONE, &catch_all, N_("Allow catch-all aliases (@domain, @.domain, local@)"), NULL },
    { "bypass-check", 0, 0, G_OPTION_ARG_NONE, &bypass, N_("Store aliases that do not follow RFC 5321 as typed"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Adds a user with its first alias and its INBOX."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name the new user."));
  if (from_stdin == generate)
    return mw_cli_usage_error (context, _("Use either --password-stdin or --generate."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  /* A scheme the database can store, checked before any password is read;
   * the cost is checked against it, or against the database's default. */
  if (scheme != NULL && mw_schema_lookup_password_scheme (cli->schema, scheme, &error) == NULL)
    return mw_cli_usage_error (context, error->message);
  if (!mw_cli_parse_rounds (rounds_text, scheme != NULL ? scheme : mw_schema_get_default_password_scheme (cli->schema),
                            &rounds, &error))
    return mw_cli_usage_error (context, error->message);

  user.name = argv[1];
  if (group_text != NULL && !parse_int (group_text, &user.group, &error))
    return mw_cli_fail (error);
  if (quota_text != NULL && !parse_size (quota_text, &user.quota, &error))
    return mw_cli_fail (error);
  if ((password = new_password (from_stdin, generate, _("Password: "), &error)) == NULL)
    return mw_cli_fail (error);
  /* The core hashes it, on its worker. */
  user.password = password;
  user.password_scheme = scheme;
  user.password_rounds = rounds;
  user.alias_flags = (catch_all ? MW_ADDRESS_ALLOW_CATCH_ALL : 0) | (bypass ? MW_ADDRESS_BYPASS : 0);
  if (aliases != NULL && aliases[0] != NULL)
    user.alias = aliases[0];
  else if (domain != NULL)
    user.alias = first_alias = g_strconcat (argv[1], "@", domain[0] == '@' ? domain + 1 : domain, NULL);
  else if (strchr (argv[1], '@') != NULL && !no_alias)
    user.alias = argv[1];

  /* Further aliases go in their own transactions after the user exists; a
   * dry run can only check the first. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_add_account_async (cli->session, &user, dry_run, NULL, mw_async_wait_ready, &result);
    key = mw_session_add_account_finish (cli->session, mw_async_wait (&result), &error);
  }
  if (!generate)
    mw_password_free (g_steal_pointer (&password));
  if (key == NULL)
    {
      mw_password_free (g_steal_pointer (&password));
      return mw_cli_fail (error);
    }
  if (password != NULL && !cli->json)
    g_print ("%s %s\n", _("Generated password:"), password);
  warn_about_address (user.alias);
  for (guint i = 1; aliases != NULL && aliases[i] != NULL; i++)
    warn_about_address (aliases[i]);
  for (guint i = 1; !dry_run && aliases != NULL && aliases[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *alias_key = NULL;

      mw_session_add_alias_async (cli->session, key, aliases[i], user.alias_flags, FALSE, NULL, mw_async_wait_ready,
                                  &result);
      if ((alias_key = mw_session_add_alias_finish (cli->session, mw_async_wait (&result), &error)) != NULL)
        continue;
      /* Translators: the user was made, one of its extra aliases was refused. */
      g_printerr (_("The user was added, but not the alias “%s”:\n"), aliases[i]);
      if (password != NULL && cli->json)
        g_print ("%s %s\n", _("Generated password:"), password);
      mw_password_free (g_steal_pointer (&password));
      return mw_cli_fail (error);
    }
  number = account_number (cli, key, dry_run);
  if (cli->json)
    print_added_json (key, number, dry_run, password);
  else if (number > 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      /* Translators: "Added the user alice (number 1234)." */
      g_print (_("Added the user %s (number %s).\n"), argv[1], text);
    }
  else
    /* Translators: "Added the user alice." (a dry run, or a schema without numbers) */
    g_print (_("Added the user %s.\n"), argv[1]);
  mw_password_free (g_steal_pointer (&password));
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_user_set (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER"));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *rounds_text = NULL;
  gulong rounds = 0;
  g_autofree char *group_text = NULL;
  g_autofree char *quota_text = NULL;
  g_autofree char *action_text = NULL;
  g_auto(CliSecret) generated = NULL;
  g_autofree char *key = NULL;
  g_autoptr(MwAccount) account = NULL;
  g_autoptr(MwAccountChange) change = mw_account_change_new ();
  g_autoptr(MwAccountChange) undo = NULL;
  gboolean from_stdin = FALSE, generate = FALSE, enable = FALSE, disable = FALSE, spw_stdin = FALSE;
  gboolean no_spw = FALSE, dry_run = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Rename the user"), N_("NEW") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin, N_("Read a new password from standard input"), NULL },
    { "generate", 0, 0, G_OPTION_ARG_NONE, &generate, N_("Generate a new random password and print it once"), NULL },
    { "scheme", 0, 0, G_OPTION_ARG_STRING, &scheme, N_("Password scheme (default: the one the account uses)"), N_("SCHEME") },
    { "rounds", 0, 0, G_OPTION_ARG_STRING, &rounds_text, N_("The scheme's cost (see “hash --help”)"), "N" },
    { "quota", 'm', 0, G_OPTION_ARG_STRING, &quota_text, N_("Mail quota: bytes, or 500M, 1.5G (powers of 1024, exact); 0 = unlimited"), N_("SIZE") },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group_text, N_("Move to group N; its aliases follow"), "N" },
    { "enable", 0, 0, G_OPTION_ARG_NONE, &enable, N_("Allow logins"), NULL },
    { "disable", 0, 0, G_OPTION_ARG_NONE, &disable, N_("Refuse logins and delivery to its aliases"), NULL },
    { "security-password-stdin", 0, 0, G_OPTION_ARG_NONE, &spw_stdin,
      N_("Read a security password from standard input (after the password, if both)"), NULL },
    { "no-security-password", 0, 0, G_OPTION_ARG_NONE, &no_spw, N_("Remove the security password"), NULL },
    { "security-action", 0, 0, G_OPTION_ARG_STRING, &action_text,
      N_("What a login with the security password does: 0 nothing, 1 delete all mailboxes, 2… see dbmail.conf"), "N" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Changes an account, in one transaction."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user: a name, a number or an address."));
  if (from_stdin && generate)
    return mw_cli_usage_error (context, _("Use either --password-stdin or --generate."));
  if (enable && disable)
    return mw_cli_usage_error (context, _("Use either --enable or --disable."));
  if (spw_stdin && no_spw)
    return mw_cli_usage_error (context, _("Use either --security-password-stdin or --no-security-password."));
  if (rounds_text != NULL && !from_stdin && !generate)
    return mw_cli_usage_error (context, _("--rounds sets the cost of a new password: add --password-stdin or --generate."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if ((key = mw_cli_resolve_account (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_get_account_async (cli->session, key, NULL, mw_async_wait_ready, &result);
    if ((account = mw_session_get_account_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
      return mw_cli_fail (error);
  }

  if (name != NULL)
    {
      change->changes |= MW_ACCOUNT_CHANGE_NAME;
      change->name = g_strdup (name);
    }
  if (from_stdin || generate || scheme != NULL)
    {
      if (!from_stdin && !generate)
        return mw_cli_usage_error (context, _("A new scheme needs a new password: add --password-stdin or --generate."));
      if (scheme != NULL && mw_schema_lookup_password_scheme (cli->schema, scheme, &error) == NULL)
        return mw_cli_usage_error (context, error->message);
      /* Without --scheme the account keeps its scheme (like dbmail-users
       * -c), whose cost the core checks --rounds against. */
      if (scheme != NULL ? !mw_cli_parse_rounds (rounds_text, scheme, &rounds, &error)
                         : !parse_rounds_number (rounds_text, &rounds, &error))
        return mw_cli_usage_error (context, error->message);
      if ((change->password = new_password (from_stdin, generate, _("New password: "), &error)) == NULL)
        return mw_cli_fail (error);
      if (generate)
        generated = g_strdup (change->password);
      change->changes |= MW_ACCOUNT_CHANGE_PASSWORD;
      change->password_scheme = g_strdup (scheme);
      change->password_rounds = rounds;
    }
  if (spw_stdin || no_spw)
    {
      /* Plain text: the core stores it the way the server checks it. */
      change->changes |= MW_ACCOUNT_CHANGE_SECURITY_PASSWORD;
      if (no_spw)
        change->security_password = g_strdup ("");
      else if ((change->security_password = read_secret_line (_("Security password: "), &error)) == NULL)
        return mw_cli_fail (error);
    }
  if (quota_text != NULL)
    {
      if (!parse_size (quota_text, &change->quota, &error))
        return mw_cli_fail (error);
      change->changes |= MW_ACCOUNT_CHANGE_QUOTA;
    }
  if (group_text != NULL)
    {
      if (!parse_int (group_text, &change->group, &error))
        return mw_cli_fail (error);
      change->changes |= MW_ACCOUNT_CHANGE_GROUP;
    }
  if (enable || disable)
    {
      change->changes |= MW_ACCOUNT_CHANGE_ACTIVE;
      change->active = enable;
    }
  if (action_text != NULL)
    {
      if (!parse_int (action_text, &change->security_action, &error))
        return mw_cli_fail (error);
      change->changes |= MW_ACCOUNT_CHANGE_SECURITY_ACTION;
    }
  if (change->changes == 0)
    return mw_cli_usage_error (context, _("Nothing to change: give at least one option."));

  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_update_account_async (cli->session, key, change, dry_run, NULL, mw_async_wait_ready, &result);
    if ((undo = mw_session_update_account_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
      return mw_cli_fail (error);
  }
  if (generated != NULL)
    g_print ("%s %s\n", _("Generated password:"), generated);
  /* Translators: "Changed the user alice." */
  g_print (_("Changed the user %s.\n"), name != NULL ? name : account->name);
  /* What is left to do by hand, e.g. the Maildir to move after a new address. */
  if (undo->notice != NULL)
    g_print ("%s\n", undo->notice);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static void
print_summary (Cli                   *cli,
               const MwDeleteSummary *s,
               gboolean               dry_run)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "users", s->users);
      mw_cli_json_add_int (b, "mailboxes", s->mailboxes);
      mw_cli_json_add_int (b, "messages", s->messages);
      mw_cli_json_add_int (b, "bytes", s->bytes);
      mw_cli_json_add_int (b, "aliases", s->aliases);
      mw_cli_json_add_int (b, "forwards", s->forwards);
      mw_cli_json_add_int (b, "acls", s->acls);
      mw_cli_json_add_int (b, "sieve_scripts", s->sieve_scripts);
      mw_cli_json_add_int (b, "message_bodies", s->physmessages);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else
    {
      g_autofree char *text = mw_delete_summary_describe (s);

      g_print ("%s %s\n", dry_run ? _("Would delete:") : _("Deleted:"), text);
    }
}

static int
run_user_delete (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER"));
  g_autoptr(GError) error = NULL;
  gboolean dry_run = FALSE;
  g_autofree char *key = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  MwDeleteSummary s = { 0 };
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would go, change nothing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Deletes a user with its mailboxes, messages, aliases and the forwards "
                                           "hanging off them, in one transaction."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user: a name, a number or an address."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if ((key = mw_cli_resolve_account (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  mw_session_delete_accounts_async (cli->session, key, 0, dry_run, NULL, mw_async_wait_ready, &result);
  if (!mw_session_delete_accounts_finish (cli->session, mw_async_wait (&result), &s, &error))
    return mw_cli_fail (error);
  print_summary (cli, &s, dry_run);
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* group delete | add-domain                                                */
/* ------------------------------------------------------------------------ */

static int
run_group (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("delete N | add-domain N DOMAIN"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean dry_run = FALSE;
  gint64 group;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("delete: deletes every user of the group, as “user delete” does.\n"
                                           "add-domain: gives every user of the group an alias at DOMAIN."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc < 3 || (g_str_equal (argv[1], "delete") && argc != 3) ||
      (g_str_equal (argv[1], "add-domain") && argc != 4) ||
      (!g_str_equal (argv[1], "delete") && !g_str_equal (argv[1], "add-domain")))
    return mw_cli_usage_error (context, _("Use “group delete N” or “group add-domain N DOMAIN”."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if (!parse_int (argv[2], &group, &error))
    return mw_cli_fail (error);

  if (g_str_equal (argv[1], "delete"))
    {
      MwDeleteSummary s = { 0 };

      mw_session_delete_accounts_async (cli->session, NULL, group, dry_run, NULL, mw_async_wait_ready, &result);
      if (!mw_session_delete_accounts_finish (cli->session, mw_async_wait (&result), &s, &error))
        return mw_cli_fail (error);
      print_summary (cli, &s, dry_run);
    }
  else
    {
      g_auto(GStrv) created = NULL;

      mw_session_group_add_domain_async (cli->session, group, argv[3], dry_run, NULL, mw_async_wait_ready, &result);
      if ((created = mw_session_group_add_domain_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
        return mw_cli_fail (error);
      for (guint i = 0; created[i] != NULL; i++)
        g_print ("%s\n", created[i]);
      if (dry_run)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u alias would be added.\n", "%u aliases would be added.\n",
                              g_strv_length (created)), g_strv_length (created));
      else
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u alias added.\n", "%u aliases added.\n",
                              g_strv_length (created)), g_strv_length (created));
      say_dry_run (dry_run);
    }
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* domain add | set | delete                                                */
/* ------------------------------------------------------------------------ */

/* A stored domain name as people read it: U-labels where they convert back
 * exactly (mw_address_to_display reads addresses, hence the "@"). */
static char *
domain_display (const char *name)
{
  g_autofree char *with_at = g_strconcat ("@", name, NULL);
  g_autofree char *shown = mw_address_to_display (with_at);

  return g_strdup (shown[0] == '@' ? shown + 1 : shown);
}

/* The domain named by @text (its name, either form), or NULL with @error. (transfer full) */
static MwDomain *
get_domain (Cli         *cli,
            const char  *text,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_session_get_domain_async (cli->session, text, NULL, mw_async_wait_ready, &result);
  return mw_session_get_domain_finish (cli->session, mw_async_wait (&result), error);
}

static int
run_domain_add (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("DOMAIN"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autofree char *key = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *default_aliases = NULL;
  gboolean dry_run = FALSE;
  MwDomainChange settings = { 0 };
  GOptionEntry entries[] = {
    { "default-aliases", 0, 0, G_OPTION_ARG_STRING, &default_aliases,
      /* Translators: PostfixAdmin's "Add default mail aliases" when adding a domain */
      N_("Also add abuse@, hostmaster@, postmaster@ and webmaster@ the domain, going to ADDRESS (a local part "
         "alone: in the domain; PostfixAdmin only)"), N_("ADDRESS") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Adds a domain the mail server receives mail for. An international "
                                           "name is stored in its ASCII (xn--) form, as the mail server looks "
                                           "it up."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one domain, such as example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  settings.default_aliases_to = default_aliases;
  mw_session_add_domain_async (cli->session, argv[1], default_aliases != NULL ? &settings : NULL, dry_run, NULL,
                               mw_async_wait_ready, &result);
  if ((key = mw_session_add_domain_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (!dry_run && (domain = get_domain (cli, key, &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "key", dry_run ? NULL : key);
      mw_cli_json_add_string_or_null (b, "name", domain != NULL ? domain->name : NULL);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }
  if (domain != NULL)
    {
      shown = domain_display (domain->name);
      if (g_strcmp0 (shown, domain->name) != 0)
        /* Translators: "Added the domain bücher.example (stored as xn--bcher-kva.example)." */
        g_print (_("Added the domain %s (stored as %s).\n"), shown, domain->name);
      else
        /* Translators: "Added the domain example.org." */
        g_print (_("Added the domain %s.\n"), shown);
      if (default_aliases != NULL)
        /* Translators: %s is where they go, as typed, such as admin@example.org */
        g_print (_("Its abuse, hostmaster, postmaster and webmaster addresses go to %s.\n"), default_aliases);
    }
  else
    /* Translators: "The domain example.org can be added." */
    g_print (_("The domain %s can be added.\n"), argv[1]);
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

typedef struct
{
  MwDomainFields  field;
  const char     *option;
} DomainOption;

static const DomainOption domain_options[] = {
  { MW_DOMAIN_DESCRIPTION, "--description" },
  { MW_DOMAIN_ACTIVE, "--enable/--disable" },
  { MW_DOMAIN_MAX_MAILBOXES, "--max-mailboxes" },
  { MW_DOMAIN_MAX_ALIASES, "--max-aliases" },
  { MW_DOMAIN_MAX_QUOTA, "--max-quota" },
  { MW_DOMAIN_QUOTA, "--quota" },
  { MW_DOMAIN_TRANSPORT, "--transport" },
  { MW_DOMAIN_BACKUP_MX, "--backup-mx/--no-backup-mx" },
};

static int
run_domain_set (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("DOMAIN"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainChange) undo = NULL;
  g_autofree char *description = NULL;
  g_autofree char *transport = NULL;
  g_autofree char *max_quota = NULL;
  g_autofree char *quota = NULL;
  g_autofree char *shown = NULL;
  gint64 max_mailboxes = -2, max_aliases = -2;
  gboolean enable = FALSE, disable = FALSE, backup_mx = FALSE, no_backup_mx = FALSE, dry_run = FALSE;
  MwDomainChange change = { 0 };
  MwDomainFields missing;
  GOptionEntry entries[] = {
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("What the domain is for"), N_("TEXT") },
    { "enable", 0, 0, G_OPTION_ARG_NONE, &enable, N_("Accept mail for the domain"), NULL },
    { "disable", 0, 0, G_OPTION_ARG_NONE, &disable, N_("Keep the domain but refuse its mail"), NULL },
    { "max-mailboxes", 0, 0, G_OPTION_ARG_INT64, &max_mailboxes, N_("At most N mailboxes (0: no limit)"), "N" },
    { "max-aliases", 0, 0, G_OPTION_ARG_INT64, &max_aliases, N_("At most N aliases (0: no limit)"), "N" },
    { "max-quota", 0, 0, G_OPTION_ARG_STRING, &max_quota, N_("The largest quota of a mailbox (0: no limit)"),
      N_("SIZE") },
    { "quota", 0, 0, G_OPTION_ARG_STRING, &quota, N_("The quota of the whole domain (0: no limit)"), N_("SIZE") },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &transport, N_("Postfix's transport for the domain"), N_("TRANSPORT") },
    { "backup-mx", 0, 0, G_OPTION_ARG_NONE, &backup_mx, N_("This server is only a backup MX for it"), NULL },
    { "no-backup-mx", 0, 0, G_OPTION_ARG_NONE, &no_backup_mx, N_("This server delivers the domain's mail"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Changes a domain's settings: only those the database keeps (an "
                                           "ISPmail database keeps only the name, which cannot change)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one domain, such as example.org."));
  if ((enable && disable) || (backup_mx && no_backup_mx))
    return mw_cli_usage_error (context, _("Give only one of --enable and --disable, and of --backup-mx and "
                                          "--no-backup-mx."));
  if (description != NULL)
    change.changes |= MW_DOMAIN_DESCRIPTION, change.description = description;
  if (enable || disable)
    change.changes |= MW_DOMAIN_ACTIVE, change.active = enable;
  if (max_mailboxes != -2)
    change.changes |= MW_DOMAIN_MAX_MAILBOXES, change.max_mailboxes = max_mailboxes;
  if (max_aliases != -2)
    change.changes |= MW_DOMAIN_MAX_ALIASES, change.max_aliases = max_aliases;
  if (max_quota != NULL)
    {
      if (!parse_size (max_quota, &change.max_quota, &error))
        return mw_cli_usage_error (context, error->message);
      change.changes |= MW_DOMAIN_MAX_QUOTA;
    }
  if (quota != NULL)
    {
      if (!parse_size (quota, &change.quota, &error))
        return mw_cli_usage_error (context, error->message);
      change.changes |= MW_DOMAIN_QUOTA;
    }
  if (transport != NULL)
    change.changes |= MW_DOMAIN_TRANSPORT, change.transport = transport;
  if (backup_mx || no_backup_mx)
    change.changes |= MW_DOMAIN_BACKUP_MX, change.backup_mx = backup_mx;
  if (change.changes == 0)
    return mw_cli_usage_error (context, _("Say what to change, such as --description TEXT or --disable."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  missing = change.changes & ~mw_schema_get_domain_fields (cli->schema);
  if (missing != 0)
    {
      g_autoptr(GString) options = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (domain_options); i++)
        if (missing & domain_options[i].field)
          g_string_append_printf (options, "%s%s", options->len > 0 ? ", " : "", domain_options[i].option);
      /* Translators: "This database does not keep what --description sets for a domain: nothing was changed." */
      g_printerr (_("This database does not keep what %s sets for a domain: nothing was changed.\n"), options->str);
      return MW_CLI_EXIT_USAGE;
    }
  if ((domain = get_domain (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  change.expected_fingerprint = domain->fingerprint;
  mw_session_update_domain_async (cli->session, domain->key, &change, dry_run, NULL, mw_async_wait_ready, &result);
  if ((undo = mw_session_update_domain_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  shown = domain_display (domain->name);
  /* Translators: "Changed the domain example.org." */
  g_print (_("Changed the domain %s.\n"), shown);
  /* PostfixAdmin's Dovecot query does not read domain.active. */
  if ((change.changes & MW_DOMAIN_ACTIVE) && !change.active && domain->active)
    g_print ("%s\n", _("Postfix no longer accepts mail for this domain, but its mailboxes can still log in to "
                        "Dovecot unless they are disabled too."));
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_domain_delete (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("DOMAIN"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwDomain) domain = NULL;
  g_autoptr(MwDomainDeleteSummary) s = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would go, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Deletes a domain with its mailboxes, aliases and alias domains, in "
                                           "one transaction. The mail itself is in Maildirs on the mail server, "
                                           "not in the database: the summary names those to remove by hand."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one domain, such as example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if ((domain = get_domain (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  {
    const char *keys[] = { domain->key, NULL };

    mw_session_delete_domains_async (cli->session, keys, dry_run, NULL, mw_async_wait_ready, &result);
  }
  if ((s = mw_session_delete_domains_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "domains", s->domains);
      mw_cli_json_add_int (b, "mailboxes", s->mailboxes);
      mw_cli_json_add_int (b, "aliases", s->aliases);
      mw_cli_json_add_int (b, "alias_domains", s->alias_domains);
      json_builder_set_member_name (b, "maildirs");
      json_builder_begin_array (b);
      for (guint i = 0; s->maildirs != NULL && s->maildirs[i] != NULL; i++)
        json_builder_add_string_value (b, s->maildirs[i]);
      json_builder_end_array (b);
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else
    {
      g_autofree char *text = mw_domain_delete_summary_describe (s);

      g_print ("%s %s\n", dry_run ? _("Would delete:") : _("Deleted:"), text);
    }
  return MW_CLI_EXIT_OK;
}

static int
run_domain (Cli   *cli,
            int    argc,
            char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "add"))
    return run_domain_add (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "set"))
    return run_domain_set (cli, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "delete"))
    return run_domain_delete (cli, argc - 1, argv + 1);
  g_printerr ("%s\n", _("Use “domain add DOMAIN”, “domain set DOMAIN OPTIONS” or “domain delete DOMAIN”."));
  return MW_CLI_EXIT_USAGE;
}

/* ------------------------------------------------------------------------ */
/* alias, forward                                                           */
/* ------------------------------------------------------------------------ */

static int
run_alias (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("add USER ADDRESS | delete ADDRESS | move ADDRESS USER"));
  g_autoptr(GError) error = NULL;
  g_autofree char *owner_text = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean dry_run = FALSE, catch_all = FALSE, bypass = FALSE, create_user = FALSE;
  MwAddressFlags flags;
  const char *verb;
  GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &owner_text, N_("delete, move: the user the alias delivers to now"), N_("USER") },
    { "create-user", 0, 0, G_OPTION_ARG_NONE, &create_user,
      N_("add: create USER, unable to log in, when there is no such user"), NULL },
    { "catch-all", 0, 0, G_OPTION_ARG_NONE, &catch_all, N_("Allow a catch-all (@domain, @.domain, local@)"), NULL },
    { "bypass-check", 0, 0, G_OPTION_ARG_NONE, &bypass, N_("Store an alias that does not follow RFC 5321 as typed"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Adds, deletes or moves an alias (an address delivering to a user)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  verb = argc > 1 ? argv[1] : "";
  if (!((g_str_equal (verb, "add") && argc == 4) || (g_str_equal (verb, "delete") && argc == 3) ||
        (g_str_equal (verb, "move") && argc == 4)))
    return mw_cli_usage_error (context, _("Use “alias add USER ADDRESS”, “alias delete ADDRESS” or “alias move ADDRESS USER”."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  flags = (catch_all ? MW_ADDRESS_ALLOW_CATCH_ALL : 0) | (bypass ? MW_ADDRESS_BYPASS : 0);

  if (g_str_equal (verb, "add"))
    {
      g_autofree char *created = NULL;
      g_autofree char *alias_key = NULL;

      mw_session_add_alias_for_async (cli->session, argv[2], argv[3], flags, create_user, dry_run, NULL,
                                      mw_async_wait_ready, &result);
      if ((alias_key = mw_session_add_alias_for_finish (cli->session, mw_async_wait (&result), &created,
                                                        &error)) == NULL)
        return mw_cli_fail (error);
      warn_about_address (argv[3]);
      if (created != NULL)
        {
          gint64 number = account_number (cli, created, dry_run);
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

          if (number > 0)
            /* Translators: "Added the user archive (number 12), who cannot log in." */
            g_print (_("Added the user %s (number %s), who cannot log in.\n"), argv[2], text);
          else
            /* Translators: "Added the user archive, who cannot log in." (a dry run) */
            g_print (_("Added the user %s, who cannot log in.\n"), argv[2]);
        }
      g_print (_("Added the alias %s.\n"), argv[3]);
    }
  else
    {
      g_autofree char *owner = NULL;
      g_autofree char *row = NULL;

      if (owner_text != NULL && (owner = mw_cli_resolve_account (cli, owner_text, &error)) == NULL)
        return mw_cli_fail (error);
      if ((row = pick_route (cli, argv[2], TRUE, NULL, owner, &error)) == NULL)
        return mw_cli_fail (error);
      if (g_str_equal (verb, "delete"))
        {
          mw_session_delete_address_async (cli->session, row, dry_run, NULL, mw_async_wait_ready, &result);
          if (!mw_session_delete_address_finish (cli->session, mw_async_wait (&result), &error))
            return mw_cli_fail (error);
          g_print (_("Deleted the alias %s.\n"), argv[2]);
        }
      else
        {
          mw_session_move_address_async (cli->session, row, argv[3], dry_run, NULL, mw_async_wait_ready, &result);
          if (!mw_session_move_address_finish (cli->session, mw_async_wait (&result), &error))
            return mw_cli_fail (error);
          g_print (_("Moved the alias %s to %s.\n"), argv[2], argv[3]);
        }
    }
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

static int
run_forward (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("add ADDRESS TARGET | delete ADDRESS [TARGET] | to-alias ADDRESS TARGET USER"));
  g_autoptr(GError) error = NULL;
  g_autofree char *group_text = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean dry_run = FALSE, catch_all = FALSE, bypass = FALSE;
  gint64 group = -1;
  const char *verb;
  GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group_text, N_("add: the group of the address, default 0"), "N" },
    { "catch-all", 0, 0, G_OPTION_ARG_NONE, &catch_all, N_("Allow a catch-all address (@domain, @.domain, local@)"), NULL },
    { "bypass-check", 0, 0, G_OPTION_ARG_NONE, &bypass, N_("Store an address that does not follow RFC 5321 as typed"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Forwards an address to an external address or a program (|command). "
                                           "An address that is a user's alias keeps delivering to the user too (a BCC). "
                                           "to-alias turns the forward into an alias of USER."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  verb = argc > 1 ? argv[1] : "";
  if (!((g_str_equal (verb, "add") && argc == 4) || (g_str_equal (verb, "delete") && (argc == 3 || argc == 4)) ||
        (g_str_equal (verb, "to-alias") && argc == 5)))
    return mw_cli_usage_error (context, _("Use “forward add ADDRESS TARGET”, “forward delete ADDRESS [TARGET]” or "
                                          "“forward to-alias ADDRESS TARGET USER”."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if (group_text != NULL && !parse_int (group_text, &group, &error))
    return mw_cli_fail (error);

  if (g_str_equal (verb, "add"))
    {
      MwAddressFlags flags = (catch_all ? MW_ADDRESS_ALLOW_CATCH_ALL : 0) | (bypass ? MW_ADDRESS_BYPASS : 0);
      g_autofree char *key = NULL;

      mw_session_add_forward_async (cli->session, argv[2], argv[3], flags, group, dry_run, NULL, mw_async_wait_ready,
                                    &result);
      if ((key = mw_session_add_forward_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
        return mw_cli_fail (error);
      warn_about_address (argv[2]);
      warn_about_address (argv[3]);
      g_print (_("%s now forwards to %s.\n"), argv[2], argv[3]);
    }
  else
    {
      g_autofree char *row = pick_route (cli, argv[2], FALSE, argc > 3 ? argv[3] : NULL, NULL, &error);

      if (row == NULL)
        return mw_cli_fail (error);
      if (g_str_equal (verb, "delete"))
        {
          mw_session_delete_address_async (cli->session, row, dry_run, NULL, mw_async_wait_ready, &result);
          if (!mw_session_delete_address_finish (cli->session, mw_async_wait (&result), &error))
            return mw_cli_fail (error);
          g_print (_("Deleted the forward of %s.\n"), argv[2]);
        }
      else
        {
          /* A forward moved to an account becomes its alias. */
          mw_session_move_address_async (cli->session, row, argv[4], dry_run, NULL, mw_async_wait_ready, &result);
          if (!mw_session_move_address_finish (cli->session, mw_async_wait (&result), &error))
            return mw_cli_fail (error);
          g_print (_("%s is now an alias of %s.\n"), argv[2], argv[4]);
        }
    }
  say_dry_run (dry_run);
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* audit                                                                    */
/* ------------------------------------------------------------------------ */

static int
run_audit (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries_read = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = mw_audit_get_path ();
  gint64 limit = 50;
  GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT64, &limit, N_("Show the newest N entries (default 50, 0 = all)"), "N" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Export the whole log to FILE as CSV"), N_("FILE") },
    { NULL }
  };
  g_autofree char *summary = g_strdup_printf (_("Shows the changes Mailwarden made, newest first, from %s."), path);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 1)
    return mw_cli_usage_error (context, _("Too many arguments."));
  if (csv != NULL)
    {
      if (!mw_audit_export_csv (csv, &error))
        return mw_cli_fail (error);
      return MW_CLI_EXIT_OK;
    }
  if ((entries_read = mw_audit_read (limit < 0 ? 0 : (guint) limit, &error)) == NULL)
    return mw_cli_fail (error);
  for (guint i = 0; i < entries_read->len; i++)
    {
      MwAuditEntry *e = g_ptr_array_index (entries_read, i);

      g_print ("%s  %s  %s  %s  %s\n", e->time, e->os_user, e->profile, e->action, e->target != NULL ? e->target : "");
      if (e->before != NULL && !g_str_equal (e->before, "null"))
        g_print ("    %s %s\n", _("before:"), e->before);
      if (e->after != NULL && !g_str_equal (e->after, "null"))
        g_print ("    %s %s\n", _("after:"), e->after);
    }
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */

gboolean
mw_cli_is_offline_command (const char *command)
{
  return g_strcmp0 (command, "hash") == 0 || g_strcmp0 (command, "verify") == 0 || g_strcmp0 (command, "audit") == 0;
}

int
mw_cli_run_offline (const char  *command,
                    gboolean     json,
                    int          argc,
                    char       **argv)
{
  if (g_str_equal (command, "hash"))
    return run_hash (json, argc, argv);
  if (g_str_equal (command, "verify"))
    return run_verify (argc, argv);
  return run_audit (argc, argv);
}

gboolean
mw_cli_is_admin_command (const char *command)
{
  static const char *const commands[] = { "group", "domain", "alias", "forward", "import", "export",
                                          "mailboxes", "messages", "message", "vacation", "alias-domain", NULL };

  return command != NULL && g_strv_contains (commands, command);
}

/* "user add|set|delete" share the name "user" with the read command. */
static gboolean
is_user_verb (const char *word)
{
  return g_strcmp0 (word, "add") == 0 || g_strcmp0 (word, "set") == 0 || g_strcmp0 (word, "delete") == 0;
}

gboolean
mw_cli_is_user_admin (int    argc,
                      char **argv)
{
  return argc > 2 && g_str_equal (argv[1], "user") && is_user_verb (argv[2]);
}

int
mw_cli_run_admin (Cli         *cli,
                  const char  *command,
                  int          argc,
                  char       **argv)
{
  if (g_str_equal (command, "user") && argc > 1)
    {
      if (g_str_equal (argv[1], "add"))
        return run_user_add (cli, argc - 1, argv + 1);
      if (g_str_equal (argv[1], "set"))
        return run_user_set (cli, argc - 1, argv + 1);
      return run_user_delete (cli, argc - 1, argv + 1);
    }
  if (g_str_equal (command, "group"))
    return run_group (cli, argc, argv);
  if (g_str_equal (command, "domain"))
    return run_domain (cli, argc, argv);
  if (g_str_equal (command, "alias"))
    return run_alias (cli, argc, argv);
  if (g_str_equal (command, "vacation"))
    return mw_cli_run_vacation (cli, argc, argv);
  if (g_str_equal (command, "alias-domain"))
    return mw_cli_run_alias_domain (cli, argc, argv);
  if (g_str_equal (command, "import"))
    return mw_cli_run_import (cli, argc, argv);
  if (g_str_equal (command, "export"))
    return mw_cli_run_export (cli, argc, argv);
  if (g_str_equal (command, "mailboxes") || g_str_equal (command, "messages") || g_str_equal (command, "message"))
    return mw_cli_run_mail (cli, command, argc, argv);
  return run_forward (cli, argc, argv);
}
