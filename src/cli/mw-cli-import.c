/* mw-cli-import.c: mailwarden-cli import and export (CSV).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mw-cli.h"
#include "mw-cli-private.h"
#include "mailwarden-core.h"

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  if (!isatty (STDERR_FILENO))
    return;
  {
    g_autofree char *d = g_strdup_printf ("%" G_GUINT64_FORMAT, done);
    g_autofree char *t = g_strdup_printf ("%" G_GUINT64_FORMAT, total);

    g_printerr ("\r");
    /* Translators: progress of an import, "1500 of 20000 users" */
    g_printerr (_("%s of %s users"), d, t);
  }
  if (done == total)
    g_printerr ("\n");
}

/* The report of generated passwords: name,password of each user created
 * with one. It is written batch by batch, each batch's lines on disk before
 * that batch commits, so that no user can exist whose password is nowhere:
 * not when writing fails, not when the import is stopped or the connection
 * lost halfway. */
typedef struct
{
  char *path;         /* for messages */
  int   fd;
  guint lines;
} PasswordReport;

static void
password_report_clear (PasswordReport *r)
{
  if (r->fd >= 0)
    close (r->fd);
  g_free (r->path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PasswordReport, password_report_clear)

static gboolean
write_synced (int          fd,
              const char  *data,
              gsize        len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return fsync (fd) == 0;
}

/* Creates the report, owner-only, before anything is imported. Never an
 * existing file: it may hold the only copy of earlier passwords. */
static gboolean
password_report_open (PasswordReport  *r,
                      const char      *path,
                      GError         **error)
{
  static const char header[] = "name,password\r\n";
  g_autofree char *dir = g_path_get_dirname (path);
  int saved;
  int dir_fd;

  r->path = g_filename_display_name (path);
  r->fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (r->fd < 0)
    {
      saved = errno;
      if (saved == EEXIST)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                     _("The password report “%s” already exists: name a new file, so that no passwords in it are lost. "
                       "Nothing was imported."), r->path);
      else
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                     _("Cannot create the password report “%s”: %s. Nothing was imported."), r->path, g_strerror (saved));
      return FALSE;
    }
  if (!write_synced (r->fd, header, strlen (header)))
    {
      saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write the password report “%s”: %s. Nothing was imported."), r->path, g_strerror (saved));
      return FALSE;
    }
  /* The file's name on disk too, not only its contents. */
  if ((dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)) >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}

/* MwImportBatchHook: the batch's generated passwords, before it commits. */
static gboolean
on_batch_written (GPtrArray  *users,
                  gpointer    data,
                  GError    **error)
{
  PasswordReport *r = data;
  GString *out = g_string_new (NULL);
  guint lines = 0;
  gboolean ok;
  int saved;

  for (guint i = 0; i < users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (users, i);
      const char *fields[] = { u->name, u->password };

      if (u->generated)
        {
          mw_csv_append_record (out, fields, 2, ',');
          lines++;
        }
    }
  ok = lines == 0 || write_synced (r->fd, out->str, out->len);
  saved = errno;
  explicit_bzero (out->str, out->len);
  g_string_free (out, TRUE);
  if (!ok)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write the password report “%s”: %s. The users of the batch being written were not "
                     "created; those created before are in the report with their passwords."),
                   r->path, g_strerror (saved));
      return FALSE;
    }
  r->lines += lines;
  return TRUE;
}

int
mw_cli_run_import (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autofree char *scheme = NULL;
  g_autofree char *rounds_text = NULL;
  g_autofree char *report_path = NULL;
  gboolean dry_run = FALSE;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Check every line against the database, write nothing"), NULL },
    { "scheme", 0, 0, G_OPTION_ARG_STRING, &scheme, N_("Password scheme for the password column (default sha512-crypt)"), N_("SCHEME") },
    { "rounds", 0, 0, G_OPTION_ARG_STRING, &rounds_text,
      N_("The cost for that scheme (see “hash --help”); lines with a scheme column use that scheme's default"), "N" },
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
  g_auto(PasswordReport) passwords = { .fd = -1 };
  MwImportOptions options = { 0 };

  /* "import --help" connects to no database: both formats. */
  if (cli->schema == NULL)
    g_option_context_set_summary (context, _("Creates the accounts of a CSV file whose first line names the columns. "
                                             "DBMail: name (required), password (or a stored password with its "
                                             "scheme, as the README says), scheme, quota, group, aliases. ISPmail "
                                             "and PostfixAdmin: address (required), password (plain, or hashed as "
                                             "“{SHA512-CRYPT}$6$…”), scheme, name and active (PostfixAdmin), quota, "
                                             "aliases; each domain must be in the database already. Lines with a "
                                             "problem are refused and named; the others are created."));
  else if (mw_schema_get_info (cli->schema)->kind == MW_SCHEMA_ISPMAIL ||
           mw_schema_get_info (cli->schema)->kind == MW_SCHEMA_POSTFIXADMIN)
    g_option_context_set_summary (context, _("Creates the mailboxes of a CSV file whose first line names the "
                                             "columns: address (required), password (plain, or hashed as "
                                             "“{SHA512-CRYPT}$6$…”), scheme, name and active (PostfixAdmin), quota, "
                                             "aliases. Each domain must be in the database already. Lines with a "
                                             "problem are refused and named; the others are created."));
  else
    g_option_context_set_summary (context, _("Creates the users of a CSV file whose first line names the columns: "
                                             "name (required), password (or a stored password with its scheme, as "
                                             "the README says), scheme, quota, group, aliases. Lines with a problem "
                                             "are refused and named; the others are created."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one CSV file."));
  /* One the database can store, in any spelling its schema reads. */
  if (scheme != NULL && mw_schema_lookup_password_scheme (cli->schema, scheme, NULL) == NULL)
    return mw_cli_usage_error (context, _("Unknown password scheme; “mailwarden-cli hash --help” lists them."));
  if (!mw_cli_parse_rounds (rounds_text, scheme != NULL ? scheme : mw_schema_get_default_password_scheme (cli->schema),
                            &options.rounds, &error))
    return mw_cli_usage_error (context, error->message);
  options.default_scheme = scheme;
  options.generate_passwords = report_path != NULL;

  file = g_file_new_for_commandline_arg (argv[1]);
  if ((data = g_file_load_bytes (file, NULL, NULL, &error)) == NULL)
    return mw_cli_fail (error);
  if (report_path != NULL && !dry_run)
    {
      if (!password_report_open (&passwords, report_path, &error))
        return mw_cli_fail (error);
      options.before_commit = on_batch_written;
      options.before_commit_data = &passwords;
    }
  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_import_prepare_async (cli->session, data, &options, NULL, mw_async_wait_ready, &result);
    plan = mw_session_import_prepare_finish (cli->session, mw_async_wait (&result), &error);
  }
  for (guint i = 0; plan != NULL && i < plan->users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (plan->users, i);

      for (guint j = 0; u->aliases[j] != NULL; j++)
        {
          g_autofree char *warning = mw_address_get_warning (u->aliases[j]);

          if (warning != NULL)
            /* Translators: "Line 12: warning: The domain “аpple.com” mixes ..." */
            g_printerr (_("Line %u: warning: %s\n"), u->line, warning);
        }
    }
  if (plan != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      /* on_progress and on_batch_written run on the session's worker. */
      mw_session_import_run_async (cli->session, plan, &options, dry_run, quiet ? NULL : on_progress, NULL, NULL,
                                   mw_async_wait_ready, &result);
      report = mw_session_import_run_finish (cli->session, mw_async_wait (&result), &error);
    }
  if (report == NULL)
    {
      /* A report with no password in it is of no use to anyone. */
      if (passwords.fd >= 0 && passwords.lines == 0)
        g_unlink (report_path);
      return mw_cli_fail (error);
    }

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
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name,
      N_("Sort by the column KEY, named by its --json key (name, number, used, quota, last_login, group …)"), N_("KEY") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &descending, N_("Sort in descending order"), NULL },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("Only group N"), "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("users|aliases|forwards"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const MwListInfo *info = NULL;
  MwListRequest request = { 0 };

  g_option_context_set_summary (context, _("Writes a list as CSV with a header line. The users export "
                                           "(without passwords) reads back with “import --generate-passwords”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name the list: users, aliases or forwards."));
  if (g_str_equal (argv[1], "users") || g_str_equal (argv[1], "aliases") || g_str_equal (argv[1], "forwards"))
    info = mw_schema_find_list (cli->schema, argv[1]);
  if (info == NULL)
    return mw_cli_usage_error (context, _("Name the list: users, aliases or forwards."));
  request.kind = info->kind;
  if (sort_name != NULL && !mw_cli_parse_sort (info, sort_name, &request.sort, &error))
    return mw_cli_usage_error (context, error->message);
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
  mw_session_export_csv_async (cli->session, &request, out, NULL, mw_async_wait_ready, &result);
  if (!mw_session_export_csv_finish (cli->session, mw_async_wait (&result), NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    return mw_cli_fail (error);
  return MW_CLI_EXIT_OK;
}
