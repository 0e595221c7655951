/* mw-cli-health.c: `health [--json] [--only CHECK[,CHECK]]`: the health
 * checks of the database (mw-health.h), each finding with its reason, its
 * fix and a few samples. Exit status 8 when a check found a warning or a
 * problem, 0 when there were only notes or nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-cli-private.h"

static const char *
target_id (MwHealthTargetKind target)
{
  switch (target)
    {
    case MW_HEALTH_TARGET_ACCOUNT: return "account";
    case MW_HEALTH_TARGET_ADDRESS: return "address";
    case MW_HEALTH_TARGET_LIST:    return "list";
    case MW_HEALTH_TARGET_NONE:
    default:                       return "none";
    }
}

static const char *
list_id (Cli        *cli,
         MwListKind  kind)
{
  const MwListInfo *info = mw_schema_get_list (cli->schema, kind);

  return info != NULL ? info->id : NULL;
}

static JsonNode *
finding_json (Cli                   *cli,
              const MwHealthFinding *f)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "id", f->id);
  mw_cli_json_add_string_or_null (b, "severity", mw_health_severity_to_string (f->severity));
  mw_cli_json_add_string_or_null (b, "reason", f->reason);
  mw_cli_json_add_string_or_null (b, "fix", f->fix);
  mw_cli_json_add_int (b, "count", (gint64) f->count);
  mw_cli_json_add_string_or_null (b, "list", f->has_list ? list_id (cli, f->list) : NULL);
  mw_cli_json_add_string_or_null (b, "search", f->has_list ? f->list_search : NULL);
  json_builder_set_member_name (b, "samples");
  json_builder_begin_array (b);
  for (guint i = 0; i < f->samples->len; i++)
    {
      const MwHealthSample *s = f->samples->pdata[i];

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "label", s->label);
      mw_cli_json_add_string_or_null (b, "target", target_id (s->target));
      mw_cli_json_add_string_or_null (b, "key", s->key);
      mw_cli_json_add_string_or_null (b, "list", s->target != MW_HEALTH_TARGET_NONE ? list_id (cli, s->list) : NULL);
      mw_cli_json_add_string_or_null (b, "search", s->search);
      if (s->count > 0)
        mw_cli_json_add_int (b, "count", (gint64) s->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

typedef struct
{
  Cli             *cli;
  MwCliJsonStream  stream;
  guint            warnings;
  guint            problems;
  guint            notes;
} Run;

static void
on_check_done (const MwHealthCheckResult *result,
               guint                      done,
               guint                      total,
               gpointer                   user_data)
{
  Run *run = user_data;

  for (guint i = 0; i < result->findings->len; i++)
    {
      const MwHealthFinding *f = result->findings->pdata[i];

      if (f->severity == MW_HEALTH_SEVERITY_PROBLEM)
        run->problems++;
      else if (f->severity == MW_HEALTH_SEVERITY_WARNING)
        run->warnings++;
      else
        run->notes++;
    }

  if (run->cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "check", result->check);
      mw_cli_json_add_string_or_null (b, "title", result->title);
      json_builder_set_member_name (b, "findings");
      json_builder_begin_array (b);
      for (guint i = 0; i < result->findings->len; i++)
        json_builder_add_value (b, finding_json (run->cli, result->findings->pdata[i]));
      json_builder_end_array (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      mw_cli_json_stream_element (&run->stream, node);
      return;
    }

  /* Translators: a health check's title and its id for --only: "Catch-all addresses (catch-all)". */
  g_print (_("%s (%s)\n"), result->title, result->check);
  if (result->findings->len == 0)
    g_print ("  %s\n", _("Nothing found."));
  for (guint i = 0; i < result->findings->len; i++)
    {
      const MwHealthFinding *f = result->findings->pdata[i];

      /* Translators: "Warning: 2 domains take no mail for abuse@ …" */
      g_print (_("  %s: %s\n"), mw_health_severity_label (f->severity), f->reason);
      /* Translators: what to do about a finding. */
      g_print (_("  Fix: %s\n"), f->fix);
      for (guint j = 0; j < f->samples->len; j++)
        {
          const MwHealthSample *s = f->samples->pdata[j];

          if (s->count > 0 && g_str_has_prefix (f->id, "password-schemes"))
            g_print ("    %" G_GUINT64_FORMAT "  %s\n", s->count, s->label);
          else
            g_print ("    %s\n", s->label);
        }
      if (f->count > f->samples->len && !g_str_equal (f->id, "password-schemes"))
        {
          guint64 more = f->count - f->samples->len;

          g_print ("    ");
          /* Translators: after the samples of a finding; "--all" is the option, not to be translated. */
          g_print (g_dngettext (GETTEXT_PACKAGE, "… and %" G_GUINT64_FORMAT " more (--all shows every one)\n",
                                "… and %" G_GUINT64_FORMAT " more (--all shows every one)\n", more), more);
        }
    }
  g_print ("\n");
  (void) done;
  (void) total;
}

int
mw_cli_run_health (Cli   *cli,
                   int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_auto(GStrv) only = NULL;
  g_autofree char *only_text = NULL;
  gboolean all = FALSE;
  int samples = MW_HEALTH_DEFAULT_SAMPLES;
  Run run = { cli };
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only_text, N_("Run only these checks (comma-separated ids)"),
      N_("CHECK") },
    { "samples", 0, 0, G_OPTION_ARG_INT, &samples, N_("Show up to N rows of each finding (default 10)"), N_("N") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Show every row of each finding (the accounts to ask for a new "
                                               "password …)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Looks at the whole database and tells what is wrong, why it matters "
                                           "and what to do: postmaster@ and abuse@ for every domain, catch-alls, "
                                           "aliases to missing or disabled users, forwards that loop or end "
                                           "nowhere, names equal but for case, mail without owners, quota "
                                           "counters, users without an INBOX, look-alike domains, alias groups "
                                           "and password storage. Changes nothing (see cleanup)."));
  g_option_context_set_description (context, _("Exit status: 0 when nothing or only notes were found, 8 when a "
                                               "check found a warning or a problem, 5 when a check could not "
                                               "finish."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 1)
    return mw_cli_usage_error (context, _("health takes no arguments; name checks with --only."));
  if (samples < 0)
    return mw_cli_usage_error (context, _("--samples takes a number from 0 on."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if (only_text != NULL)
    {
      only = g_strsplit (only_text, ",", -1);
      for (guint i = 0; only[i] != NULL; i++)
        {
          g_strstrip (only[i]);
          if (mw_schema_find_health_check (cli->schema, only[i]) == NULL)
            {
              guint n;
              const MwHealthCheckInfo *checks = mw_schema_list_health_checks (cli->schema, &n);
              g_autoptr(GString) known = g_string_new (NULL);
              g_autofree char *msg = NULL;

              if (!mw_schema_has_health (cli->schema))
                break;
              for (guint j = 0; j < n; j++)
                g_string_append_printf (known, "%s%s", j > 0 ? ", " : "", checks[j].id);
              msg = g_strdup_printf (_("There is no check “%s”. The checks are: %s."), only[i], known->str);
              return mw_cli_usage_error (context, msg);
            }
        }
    }

  if (cli->json)
    {
      mw_cli_json_stream_begin (&run.stream);
      mw_cli_json_stream_begin_array (&run.stream, "checks");
    }
  mw_session_run_health_async (cli->session, (const char *const *) only,
                               all ? G_MAXUINT : samples == 0 ? G_MAXUINT : (guint) samples,
                               on_check_done, &run, NULL, mw_async_wait_ready, &result);
  results = mw_session_run_health_finish (cli->session, mw_async_wait (&result), &error);
  if (cli->json)
    {
      mw_cli_json_stream_end_array (&run.stream);
      if (results == NULL)
        {
          g_autoptr(JsonNode) msg = json_node_new (JSON_NODE_VALUE);

          json_node_set_string (msg, error->message);
          mw_cli_json_stream_member (&run.stream, "error", msg);
        }
      mw_cli_json_stream_int (&run.stream, "problems", run.problems);
      mw_cli_json_stream_int (&run.stream, "warnings", run.warnings);
      mw_cli_json_stream_int (&run.stream, "notes", run.notes);
      mw_cli_json_stream_end (&run.stream);
    }
  if (results == NULL)
    return mw_cli_fail (error);
  if (!cli->json)
    {
      if (run.problems + run.warnings == 0)
        g_print ("%s\n", _("No problems and no warnings."));
      else
        {
          /* Translators: the summary after the health checks; the second part is added after the first. */
          g_autofree char *p = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem", "%u problems",
                                                             run.problems), run.problems);
          g_autofree char *w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                                             run.warnings), run.warnings);

          /* Translators: "2 problems, 3 warnings." */
          g_print (_("%s, %s.\n"), p, w);
        }
    }
  return run.problems + run.warnings > 0 ? MW_CLI_EXIT_FINDINGS : MW_CLI_EXIT_OK;
}
