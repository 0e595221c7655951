/* mw-cli-trace.c: `trace ADDRESS [--json]`: where mail for an address goes,
 * as an indented tree in words (mw-trace.h), then the addresses it ends at.
 * Exit status 0 when it reaches a mailbox or another server, 4 when it
 * reaches nothing, 1 for text that is no address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-cli.h"
#include "mw-cli-private.h"

static const char *
kind_id (MwTraceNodeKind kind)
{
  switch (kind)
    {
    case MW_TRACE_NODE_ADDRESS:  return "address";
    case MW_TRACE_NODE_MAILBOX:  return "mailbox";
    case MW_TRACE_NODE_EXTERNAL: return "external";
    case MW_TRACE_NODE_PIPE:     return "pipe";
    case MW_TRACE_NODE_DISABLED: return "disabled";
    case MW_TRACE_NODE_LOOP:     return "loop";
    case MW_TRACE_NODE_TOO_DEEP: return "too-deep";
    case MW_TRACE_NODE_DEAD_END: return "dead-end";
    case MW_TRACE_NODE_CUT:      return "not-followed";
    default:                     return "unknown";
    }
}

static const char *
step_id (MwTraceStep step)
{
  switch (step)
    {
    case MW_TRACE_STEP_ALIAS:                  return "alias";
    case MW_TRACE_STEP_ALIAS_NO_DETAIL:        return "alias-without-detail";
    case MW_TRACE_STEP_USER:                   return "user";
    case MW_TRACE_STEP_USER_NO_DETAIL:         return "user-without-detail";
    case MW_TRACE_STEP_DOMAIN_CATCH_ALL:       return "domain-catch-all";
    case MW_TRACE_STEP_LOCAL_CATCH_ALL:        return "local-part-catch-all";
    case MW_TRACE_STEP_ALIAS_DOMAIN:           return "alias-domain";
    case MW_TRACE_STEP_ALIAS_DOMAIN_CATCH_ALL: return "alias-domain-catch-all";
    case MW_TRACE_STEP_MAILBOX:                return "mailbox";
    case MW_TRACE_STEP_NONE:
    default:                                   return NULL;
    }
}

static void
add_node_json (JsonBuilder       *b,
               const MwTraceNode *node)
{
  g_autofree char *text = mw_trace_node_describe (node);

  json_builder_begin_object (b);
  mw_cli_json_add_string_or_null (b, "kind", kind_id (node->kind));
  mw_cli_json_add_string_or_null (b, "address", node->address);
  mw_cli_json_add_string_or_null (b, "step", step_id (node->step));
  mw_cli_json_add_string_or_null (b, "matched", node->matched);
  json_builder_set_member_name (b, "missed");
  json_builder_begin_array (b);
  for (guint i = 0; node->missed != NULL && node->missed[i] != NULL; i++)
    json_builder_add_string_value (b, node->missed[i]);
  json_builder_end_array (b);
  mw_cli_json_add_string_or_null (b, "account", node->account_name);
  mw_cli_json_add_string_or_null (b, "account_key", node->account_key);
  mw_cli_json_add_int (b, "depth", node->depth);
  mw_cli_json_add_string_or_null (b, "description", text);
  json_builder_set_member_name (b, "children");
  json_builder_begin_array (b);
  for (guint i = 0; i < node->children->len; i++)
    add_node_json (b, g_ptr_array_index (node->children, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_node (const MwTraceNode *node)
{
  g_autofree char *text = mw_trace_node_describe (node);
  g_autofree char *missed = mw_trace_node_describe_missed (node);
  g_autofree char *indent = g_strnfill (node->depth * 2, ' ');

  g_print ("%s%s\n", indent, text);
  if (missed != NULL)
    g_print ("%s  (%s)\n", indent, missed);
  for (guint i = 0; i < node->children->len; i++)
    print_node (g_ptr_array_index (node->children, i));
}

int
mw_cli_run_trace (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ADDRESS"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MwTraceNode) root = NULL;
  g_auto(GStrv) finals = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Shows where mail for ADDRESS goes, step by step, as the mail system "
                                           "resolves it: aliases, +detail, user names, catch-alls, alias domains, "
                                           "forwards (DBMail follows them 20 levels deep), programs, disabled "
                                           "accounts, loops and dead ends.\n"
                                           "Exit status 0 when the mail reaches a mailbox or another server, 4 "
                                           "when it reaches nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one address to trace, such as alice@example.org."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  mw_session_trace_delivery_async (cli->session, argv[1], NULL, mw_async_wait_ready, &result);
  if ((root = mw_session_trace_delivery_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
    return mw_cli_fail (error);
  finals = mw_trace_node_final_addresses (root);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      add_node_json (b, root);
      mw_cli_json_print (b);
    }
  else
    {
      print_node (root);
      if (finals[0] != NULL)
        {
          g_autofree char *list = g_strjoinv (", ", finals);

          /* Translators: %s is a list of addresses and user names, "alice, bob@example.org". */
          g_print (_("Mail ends at: %s\n"), list);
        }
      else
        g_print ("%s\n", _("Mail ends nowhere: nothing is delivered."));
    }
  return finals[0] != NULL ? MW_CLI_EXIT_OK : MW_CLI_EXIT_NOT_FOUND;
}
