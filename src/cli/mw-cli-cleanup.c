/* mw-cli-cleanup.c: `cleanup [--apply] [--only STEP[,STEP]] [--purge]
 * [--batch N] [--samples N] [--json]`.
 *
 * Without --apply it is a dry run: it prints what each step would do and
 * exits with MW_CLI_EXIT_TODO (7) when there is anything to do, 0 when there
 * is nothing (dbmail-util's dry run exits 0 either way). With --apply it
 * runs the steps in batches, printing progress, and then what was done;
 * Ctrl+C stops it between batches. Purging runs only when asked for by name
 * (--only purge) or with --purge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-cli-private.h"

static void
add_strv_json (JsonBuilder        *b,
               const char         *member,
               const char * const *strv)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (b, strv[i]);
  json_builder_end_array (b);
}

static gboolean
anything_to_do (GPtrArray *previews)
{
  for (guint i = 0; i < previews->len; i++)
    if (((MwCleanupPreview *) g_ptr_array_index (previews, i))->count > 0)
      return TRUE;
  return FALSE;
}

static int
print_preview (Cli            *cli,
               GPtrArray      *previews,
               MwCleanupSteps  asked)
{
  gboolean to_do = anything_to_do (previews);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_bool (b, "dry_run", TRUE);
      mw_cli_json_add_bool (b, "to_do", to_do);
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint i = 0; i < previews->len; i++)
        {
          MwCleanupPreview *p = g_ptr_array_index (previews, i);

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "step", mw_cleanup_step_id (p->step));
          mw_cli_json_add_string_or_null (b, "title", mw_cleanup_step_title (p->step));
          mw_cli_json_add_int (b, "count", p->count);
          mw_cli_json_add_int (b, "bytes", p->bytes);
          mw_cli_json_add_string_or_null (b, "summary", p->summary);
          add_strv_json (b, "details", (const char * const *) p->details);
          add_strv_json (b, "samples", (const char * const *) p->samples);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else
    {
      g_print ("%s\n", _("Dry run: nothing was changed."));
      for (guint i = 0; i < previews->len; i++)
        {
          MwCleanupPreview *p = g_ptr_array_index (previews, i);

          /* Translators: "quota (Rebuild quota counters): 3 users' used space disagrees …" */
          g_print (_("%s (%s): %s\n"), mw_cleanup_step_id (p->step), mw_cleanup_step_title (p->step), p->summary);
          for (guint j = 0; p->details != NULL && p->details[j] != NULL; j++)
            g_print ("    %s\n", p->details[j]);
          for (guint j = 0; p->count > 0 && p->samples != NULL && p->samples[j] != NULL; j++)
            /* Translators: one sample row of a cleanup step, indented. */
            g_print (_("    e.g. %s\n"), p->samples[j]);
        }
      if (to_do)
        g_print ("%s\n", _("Run it again with --apply to do this."));
      else
        g_print ("%s\n", _("Nothing to do."));
      if ((asked & MW_CLEANUP_STEP_BIT (MW_CLEANUP_PURGE)) == 0
          && (mw_schema_cleanup_steps (cli->schema) & MW_CLEANUP_STEP_BIT (MW_CLEANUP_PURGE)) != 0)
        g_print ("%s\n", _("Mail marked for purging is removed only with --only purge or --purge."));
    }
  return to_do ? MW_CLI_EXIT_TODO : MW_CLI_EXIT_OK;
}

static void
on_progress (MwCleanupStep step,
             gint64        done,
             gint64        total,
             gpointer      user_data)
{
  Cli *cli = user_data;

  if (cli->json)
    return;
  /* Translators: progress of a cleanup step: "orphans: 2000 of 5400" */
  g_print (_("%s: %lld of %lld\n"), mw_cleanup_step_id (step), (long long) done, (long long) total);
}

static gboolean
on_interrupt (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

static int
print_results (Cli       *cli,
               GPtrArray *results)
{
  gboolean stopped = FALSE;

  for (guint i = 0; i < results->len; i++)
    stopped |= ((MwCleanupResult *) g_ptr_array_index (results, i))->stopped;
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_bool (b, "dry_run", FALSE);
      mw_cli_json_add_bool (b, "stopped", stopped);
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint i = 0; i < results->len; i++)
        {
          MwCleanupResult *r = g_ptr_array_index (results, i);

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "step", mw_cleanup_step_id (r->step));
          mw_cli_json_add_int (b, "done", r->done);
          mw_cli_json_add_int (b, "batches", r->batches);
          mw_cli_json_add_bool (b, "stopped", r->stopped);
          mw_cli_json_add_string_or_null (b, "summary", r->summary);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else
    for (guint i = 0; i < results->len; i++)
      {
        MwCleanupResult *r = g_ptr_array_index (results, i);

        g_print (_("%s: %s\n"), mw_cleanup_step_id (r->step), r->summary);
      }
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_cleanup (Cli   *cli,
                    int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *only = NULL;
  gboolean apply = FALSE, dry_run = FALSE, purge = FALSE;
  int batch = MW_CLEANUP_DEFAULT_BATCH, samples = MW_CLEANUP_DEFAULT_SAMPLES;
  MwCleanupSteps steps = MW_CLEANUP_DEFAULT_STEPS;
  GOptionEntry entries[] = {
    { "apply", 'y', 0, G_OPTION_ARG_NONE, &apply, N_("Do it (without it, only show what would be done)"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would be done, change nothing (the default)"),
      NULL },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
      N_("Only these steps: alias-groups, quota, orphans, escalate, purge, vacuum"), N_("STEP[,STEP]") },
    { "purge", 0, 0, G_OPTION_ARG_NONE, &purge, N_("Also purge mail marked for purging (cannot be undone)"), NULL },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Rows per transaction (default 1000)"), N_("N") },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples, N_("Sample rows shown per step (default 5)"), N_("N") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Cleans the mail database up: fixes alias groups, rebuilds quota "
                                           "counters, removes orphans (folders, messages, message bodies and "
                                           "parts that no user owns), marks expunged mail for purging, and "
                                           "compacts the tables. Mail marked for purging is removed only with "
                                           "--only purge or --purge.\n"
                                           "Without --apply nothing is changed: it shows what each step would do, "
                                           "and exits with 7 when there is something to do, 0 when there is "
                                           "nothing (unlike dbmail-util's dry run). With --apply each batch is "
                                           "one transaction and goes into the audit log; Ctrl+C stops between "
                                           "batches."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 1)
    return mw_cli_usage_error (context, _("The cleanup takes no arguments; name steps with --only."));
  if (apply && dry_run)
    return mw_cli_usage_error (context, _("Give either --apply or --dry-run."));
  if (batch < 1 || batch > MW_CLEANUP_MAX_BATCH)
    {
      g_autofree char *msg = g_strdup_printf (_("--batch takes a number from 1 to %d."), MW_CLEANUP_MAX_BATCH);

      return mw_cli_usage_error (context, msg);
    }
  if (samples < 0 || samples > 1000)
    return mw_cli_usage_error (context, _("--samples takes a number from 0 to 1000."));
  if (only != NULL && !mw_cleanup_steps_parse (only, &steps, &error))
    return mw_cli_usage_error (context, error->message);
  if (purge)
    steps |= MW_CLEANUP_STEP_BIT (MW_CLEANUP_PURGE);
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if (!apply)
    {
      mw_session_cleanup_preview_async (cli->session, steps, (guint) samples, NULL, mw_async_wait_ready, &result);
      list = mw_session_cleanup_preview_finish (cli->session, mw_async_wait (&result), &error);
      if (list == NULL)
        return mw_cli_fail (error);
      return print_preview (cli, list, steps);
    }
  else
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      guint sigint = g_unix_signal_add (SIGINT, on_interrupt, cancellable);

      mw_session_cleanup_apply_async (cli->session, steps, (guint) batch, on_progress, cli, cancellable,
                                      mw_async_wait_ready, &result);
      list = mw_session_cleanup_apply_finish (cli->session, mw_async_wait (&result), &error);
      g_source_remove (sigint);
      if (list == NULL)
        return mw_cli_fail (error);
      return print_results (cli, list);
    }
}
