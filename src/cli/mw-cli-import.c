/* mw-cli-import.c: mailwarden-cli import and export (CSV).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cli"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mw-cli.h"
#include "mw-cli-private.h"
#include "mw-csv.h"
#include "mw-dbmail-import.h"
#include "mw-password.h"

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  if (!isatty (STDERR_FILENO))
    return;
  /* Translators: progress of an import, "1500 of 20000 users" */
  {
    g_autofree char *d = g_strdup_printf ("%" G_GUINT64_FORMAT, done);
    g_autofree char *t = g_strdup_printf ("%" G_GUINT64_FORMAT, total);

    /* Translators: import progress, "120 of 5000 users" */
    g_printerr ("\r");
    g_printerr (_("%s of %s users"), d, t);
  }
  if (done == total)
    g_printerr ("\n");
}

/* name,password of the users created with a generated password; owner-only file. */
static gboolean
write_password_report (const char    *path,
                       MwImportPlan  *plan,
                       GError       **error)
{
  static const char *const header[] = { "name", "password" };
  GString *out = g_string_new (NULL);
  gboolean ok;

  mw_csv_append_record (out, header, 2, ',');
  for (guint i = 0; i < plan->users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (plan->users, i);
      const char *fields[] = { u->userid, u->password };

      if (u->generated && u->user_idnr > 0)
        mw_csv_append_record (out, fields, 2, ',');
    }
  ok = g_file_set_contents_full (path, out->str, (gssize) out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  memset (out->str, 0, out->len);
  g_string_free (out, TRUE);
  return ok;
}

int
mw_cli_run_import (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autofree char *scheme = NULL;
  g_autofree char *report_path = NULL;
  gboolean dry_run = FALSE;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Check every line against the database, write nothing"), NULL },
    { "scheme", 0, 0, G_OPTION_ARG_STRING, &scheme, N_("Password scheme for the password column (default sha512-crypt)"), N_("SCHEME") },
    { "generate-passwords", 0, 0, G_OPTION_ARG_FILENAME, &report_path,
      N_("Give lines without a password a random one, written to REPORT.csv"), N_("REPORT.csv") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Do not print the progress"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.csv"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  MwImportOptions options = { 0 };
  MwAdmin admin = { .db = cli->db, .profile = cli->profile };

  g_option_context_set_summary (context, _("Creates the users of a CSV file whose first line names the columns: "
                                           "name (required), password or passwd with encryption_type, scheme, "
                                           "quota, group, aliases. Lines with a problem are refused and named; "
                                           "the others are created."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one CSV file."));
  if (scheme != NULL)
    {
      const MwPasswordScheme *s = mw_password_lookup_scheme (scheme);

      if (s == NULL || !s->writable)
        return mw_cli_usage_error (context, _("Unknown password scheme; “mailwarden-cli hash --help” lists them."));
    }
  options.default_scheme = scheme;
  options.generate_passwords = report_path != NULL;
  admin.dry_run = dry_run;

  file = g_file_new_for_commandline_arg (argv[1]);
  if ((data = g_file_load_bytes (file, NULL, NULL, &error)) == NULL)
    return mw_cli_fail (error);
  plan = mw_dbmail_import_prepare (cli->db, data, &options, NULL, &error);
  if (plan == NULL)
    return mw_cli_fail (error);
  report = mw_dbmail_import_run (&admin, plan, &options, quiet ? NULL : on_progress, NULL, NULL, &error);
  if (report == NULL)
    return mw_cli_fail (error);

  for (guint i = 0; i < report->refused->len; i++)
    g_print ("%s\n", ((MwImportIssue *) g_ptr_array_index (report->refused, i))->message);
  if (dry_run)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u user would be created", "%u users would be created",
                            report->planned), report->planned);
      g_print (g_dngettext (GETTEXT_PACKAGE, "; %u line refused.\n", "; %u lines refused.\n",
                            report->refused->len), report->refused->len);
      g_print ("%s\n", _("Dry run: nothing was changed."));
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u user created", "%u users created", report->created), report->created);
      g_print (g_dngettext (GETTEXT_PACKAGE, "; %u line refused.\n", "; %u lines refused.\n",
                            report->refused->len), report->refused->len);
      if (report_path != NULL && !write_password_report (report_path, plan, &error))
        return mw_cli_fail (error);
    }
  return report->refused->len > 0 ? MW_CLI_EXIT_USAGE : MW_CLI_EXIT_OK;
}

int
mw_cli_run_export (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autofree char *search = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *group = NULL;
  g_autofree char *output = NULL;
  gboolean descending = FALSE;
  GOptionEntry entries[] = {
    { "search", 's', 0, G_OPTION_ARG_STRING, &search, N_("Only rows containing TEXT (in the name or any alias)"), N_("TEXT") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name, N_("Sort by name, number, size, quota, last-login, group, owner or target"), N_("KEY") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &descending, N_("Sort in descending order"), NULL },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("Only group (client_idnr) N"), "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("users|aliases|forwards"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  MwListRequest request = { 0 };

  g_option_context_set_summary (context, _("Writes a list as CSV with a header line. The users export "
                                           "(without passwords) reads back with “import --generate-passwords”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name the list: users, aliases or forwards."));
  if (g_str_equal (argv[1], "users"))
    request.kind = MW_LIST_USERS;
  else if (g_str_equal (argv[1], "aliases"))
    request.kind = MW_LIST_ALIASES;
  else if (g_str_equal (argv[1], "forwards"))
    request.kind = MW_LIST_FORWARDS;
  else
    return mw_cli_usage_error (context, _("Name the list: users, aliases or forwards."));
  if (sort_name != NULL && !mw_dbmail_parse_sort (request.kind, sort_name, &request.sort))
    return mw_cli_usage_error (context, _("Unknown sort key."));
  if (group != NULL)
    {
      if (!g_ascii_string_to_signed (group, 10, 0, G_MAXINT64, &request.group, NULL))
        return mw_cli_usage_error (context, _("The group must be a number."));
      request.has_group = TRUE;
    }
  request.search = search;
  request.descending = descending;

  if (output != NULL)
    {
      file = g_file_new_for_commandline_arg (output);
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error));
      if (out == NULL)
        return mw_cli_fail (error);
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (!mw_dbmail_export_csv (cli->db, &request, out, NULL, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    return mw_cli_fail (error);
  return MW_CLI_EXIT_OK;
}
