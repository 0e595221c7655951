/* mw-cli-index-advisor.c: `index-advisor [--apply|--drop] [--dry-run]
 * [--json]`: the indexes that make the lists' search fast (mw-index-advisor.h).
 *
 * Without a flag it only reads: it prints each index offered with a
 * sentence, which exist, and the search time measured now; exit status 7
 * when an index is missing (as cleanup's dry run), else 0. --apply creates
 * the missing ones, with a line before each, and prints the time before
 * and after; --drop drops the ones Mailwarden created (mw_advisor_*), never
 * others. Ctrl+C stops between indexes (a PostgreSQL index being built is
 * stopped and dropped again).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "mw-cli.h"
#include "mw-cli-private.h"

static void
add_report_json (JsonBuilder *b, const MwIndexReport *report)
{
  json_builder_set_member_name (b, "indexes");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->indexes->len; i++)
    {
      const MwIndexAdvice *a = g_ptr_array_index (report->indexes, i);

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "name", a->name);
      mw_cli_json_add_string_or_null (b, "table", a->table);
      mw_cli_json_add_string_or_null (b, "definition", a->definition);
      mw_cli_json_add_string_or_null (b, "reason", a->reason);
      mw_cli_json_add_bool (b, "exists", a->exists);
      mw_cli_json_add_bool (b, "created_by_mailwarden", a->ours);
      mw_cli_json_add_string_or_null (b, "existing", a->existing);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  mw_cli_json_add_string_or_null (b, "search", report->search_text);
  json_builder_set_member_name (b, "search_ms");
  json_builder_add_double_value (b, report->search_ms);
  mw_cli_json_add_bool (b, "search_uses_index", report->search_uses_index);
  mw_cli_json_add_int (b, "missing", report->n_missing);
  mw_cli_json_add_string_or_null (b, "note", report->note);
}

static void
print_report (const MwIndexReport *report)
{
  for (guint i = 0; i < report->indexes->len; i++)
    {
      const MwIndexAdvice *a = g_ptr_array_index (report->indexes, i);
      const char *state;

      if (a->ours)
        /* Translators: the state of an index the advisor offers */
        state = _("created by Mailwarden");
      else if (a->exists)
        state = _("there");
      else
        state = _("missing");
      /* Translators: an index's name, its table and what it indexes, then its state (created by Mailwarden, there, missing) */
      g_print (_("%s on %s %s: %s\n"), a->name, a->table, a->definition, state);
      if (a->exists && !a->ours)
        /* Translators: %s is the name of an index the admin made */
        g_print (_("  (as the index %s)\n"), a->existing);
      g_print ("  %s\n", a->reason);
    }
  if (report->note != NULL)
    g_print ("%s\n", report->note);
  /* Translators: "Searching the Users and Aliases lists for “ce12” took 812.4 ms (an offered index was used)." */
  g_print (_("Searching the Users and Aliases lists for “%s” took %.1f ms (%s).\n"), report->search_text,
           report->search_ms,
           report->search_uses_index ? _("an offered index was used") : _("no offered index was used"));
}

static void
on_progress (guint done, guint total, const char *name, gpointer user_data)
{
  Cli *cli = user_data;

  if (cli->json || name == NULL)
    return;
  /* Translators: progress: "1 of 4: mw_advisor_users_userid_trgm" */
  g_print (_("%u of %u: %s\n"), done + 1, total, name);
}

static gboolean
on_interrupt (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

int
mw_cli_run_index_advisor (Cli   *cli,
                          int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwIndexReport) before = NULL;
  g_autoptr(MwIndexReport) after = NULL;
  gboolean apply = FALSE, drop = FALSE, dry_run = FALSE;
  GOptionEntry entries[] = {
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply, N_("Create the missing indexes"), NULL },
    { "drop", 0, 0, G_OPTION_ARG_NONE, &drop, N_("Drop the indexes Mailwarden created (and no others)"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Say what --apply or --drop would do, change nothing"),
      NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Shows the indexes that make the lists' search for a part of a name "
                                           "fast, which of them the database has, and how long a search takes "
                                           "now. Nothing changes without --apply (creates the missing ones, "
                                           "without locking the tables) or --drop (drops only those Mailwarden "
                                           "created, named mw_advisor_…).\n"
                                           "Exit status 7 when an index is missing, 0 when none is."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 1)
    return mw_cli_usage_error (context, _("index-advisor takes no names; use --apply or --drop."));
  if (apply && drop)
    return mw_cli_usage_error (context, _("Choose --apply or --drop, not both."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  mw_session_index_advise_async (cli->session, NULL, mw_async_wait_ready, &result);
  if ((before = mw_session_index_advise_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);

  if (apply || drop)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      guint sigint;

      if (!cli->json)
        print_report (before);
      sigint = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
      g_clear_object (&result);
      mw_session_index_change_async (cli->session, drop, dry_run, on_progress, cli, cancellable,
                                     mw_async_wait_ready, &result);
      after = mw_session_index_change_finish (cli->session, mw_async_wait (&result), &error);
      g_source_remove (sigint);
      if (after == NULL)
        return mw_cli_fail (error);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_bool (b, "dry_run", dry_run || !(apply || drop));
      add_report_json (b, after != NULL ? after : before);
      if (after != NULL)
        {
          mw_cli_json_add_int (b, apply ? "created" : "dropped", after->n_changed);
          json_builder_set_member_name (b, "search_ms_before");
          json_builder_add_double_value (b, before->search_ms);
        }
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else if (after == NULL)
    print_report (before);
  else
    {
      if (apply)
        g_print (dry_run ? g_dngettext (GETTEXT_PACKAGE, "Would create %u index.\n", "Would create %u indexes.\n",
                                        after->n_changed)
                         : g_dngettext (GETTEXT_PACKAGE, "Created %u index.\n", "Created %u indexes.\n",
                                        after->n_changed), after->n_changed);
      else
        g_print (dry_run ? g_dngettext (GETTEXT_PACKAGE, "Would drop %u index Mailwarden created.\n",
                                        "Would drop %u indexes Mailwarden created.\n", after->n_changed)
                         : g_dngettext (GETTEXT_PACKAGE, "Dropped %u index Mailwarden created.\n",
                                        "Dropped %u indexes Mailwarden created.\n", after->n_changed),
                 after->n_changed);
      /* Translators: "The search took 812.4 ms before and 3.1 ms now." */
      g_print (_("The search took %.1f ms before and %.1f ms now.\n"), before->search_ms, after->search_ms);
    }
  if (after != NULL)
    return MW_CLI_EXIT_OK;
  return before->n_missing > 0 ? MW_CLI_EXIT_TODO : MW_CLI_EXIT_OK;
}
