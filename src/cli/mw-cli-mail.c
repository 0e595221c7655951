/* mw-cli-mail.c: mailwarden-cli mailboxes, messages, message delete|undelete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mw-address.h"
#include "mw-cli.h"
#include "mw-cli-private.h"
#include "mw-dbmail-admin.h"
#include "mw-dbmail-mail.h"

static char *
size_text (gint64 bytes)
{
  return g_format_size_full ((guint64) MAX (bytes, 0), G_FORMAT_SIZE_IEC_UNITS);
}

/* ------------------------------------------------------------------------ */
/* mailboxes USER                                                           */
/* ------------------------------------------------------------------------ */

static int
run_mailboxes (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  gint64 user;

  g_option_context_set_summary (context, _("Lists the mailboxes a user sees: their own, #Public folders and "
                                           "folders other users share with them, with visible and deleted "
                                           "messages."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user."));
  if (cli->db == NULL)
    return MW_CLI_EXIT_OK;
  if ((user = mw_dbmail_resolve_user (cli->db, argv[1], &error)) <= 0 ||
      (list = mw_dbmail_list_mailboxes (cli->db, user, NULL, &error)) == NULL)
    return mw_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mailboxes");
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          MwMailbox *m = g_ptr_array_index (list, i);

          json_builder_begin_object (b);
          mw_cli_json_add_int (b, "mailbox_idnr", m->mailbox_idnr);
          mw_cli_json_add_string_or_null (b, "section", mw_mailbox_section_name (m->section));
          mw_cli_json_add_int (b, "owner_idnr", m->owner_idnr);
          mw_cli_json_add_string_or_null (b, "owner", m->owner != NULL ? m->owner : "");
          mw_cli_json_add_string_or_null (b, "name", m->name != NULL ? m->name : "");
          mw_cli_json_add_string_or_null (b, "display_name", m->display_name != NULL ? m->display_name : "");
          mw_cli_json_add_int (b, "visible_count", m->visible_count);
          mw_cli_json_add_int (b, "visible_bytes", m->visible_bytes);
          mw_cli_json_add_int (b, "deleted_count", m->deleted_count);
          mw_cli_json_add_int (b, "deleted_bytes", m->deleted_bytes);
          mw_cli_json_add_int (b, "purge_count", m->purge_count);
          mw_cli_json_add_int (b, "purge_bytes", m->purge_bytes);
          mw_cli_json_add_int (b, "no_select", m->no_select);
          mw_cli_json_add_int (b, "seq", m->seq);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return MW_CLI_EXIT_OK;
    }

  g_print ("%-8s %-7s %-32s %10s %10s %10s %10s\n", _("Number"), _("Section"), _("Mailbox"),
           _("Messages"), _("Size"), _("Deleted"), _("Size"));
  for (guint i = 0; i < list->len; i++)
    {
      MwMailbox *m = g_ptr_array_index (list, i);
      g_autofree char *visible = size_text (m->visible_bytes);
      g_autofree char *deleted = size_text (m->deleted_bytes + m->purge_bytes);

      g_print ("%-8" G_GINT64_FORMAT " %-7s %-32s %10" G_GINT64_FORMAT " %10s %10" G_GINT64_FORMAT " %10s\n",
               m->mailbox_idnr, mw_mailbox_section_name (m->section), m->display_name,
               m->visible_count, visible, m->deleted_count + m->purge_count, deleted);
    }
  {
    MwPurgeState state;
    g_autofree char *hint = NULL;

    if (mw_dbmail_purge_state (cli->db, user, &state, NULL, NULL) &&
        (hint = mw_purge_state_describe (&state)) != NULL)
      g_print ("\n%s\n", hint);
  }
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* messages USER [MAILBOX]                                                  */
/* ------------------------------------------------------------------------ */

static const char *
state_word (gint64 status)
{
  switch (status)
    {
    case 0: case 1: return C_("message state", "visible");
    case 2: return C_("message state", "deleted");
    case 3: return C_("message state", "purge pending");
    default: return "?";
    }
}

static char *
flags_text (MwDbResult *r,
            guint       row)
{
  static const struct { const char *col; const char *flag; } flags[] = {
    { "seen_flag", "\\Seen" }, { "answered_flag", "\\Answered" }, { "flagged_flag", "\\Flagged" },
    { "deleted_flag", "\\Deleted" }, { "draft_flag", "\\Draft" }, { "recent_flag", "\\Recent" },
  };
  GString *out = g_string_new (NULL);
  int kw = mw_db_result_find_col (r, "keywords");

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (mw_db_result_get_int64 (r, row, mw_db_result_find_col (r, flags[i].col)) != 0)
      g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", flags[i].flag);
  if (kw >= 0 && !mw_db_result_is_null (r, row, kw) && mw_db_result_get_string (r, row, kw)[0] != '\0')
    g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", mw_db_result_get_string (r, row, kw));
  return g_string_free (out, FALSE);
}

static char *
cut (const char *text,
     glong       chars)
{
  if (text == NULL)
    return g_strdup ("");
  if (g_utf8_strlen (text, -1) <= chars)
    return g_strdup (text);
  {
    g_autofree char *head = g_utf8_substring (text, 0, chars - 1);

    return g_strconcat (head, "…", NULL);
  }
}

static int
run_messages (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER [MAILBOX]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) result = NULL;
  g_autofree char *search = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *sort_name = NULL;
  gboolean deleted = FALSE, all = FALSE, descending = FALSE;
  gint64 limit = 50, offset = 0, total;
  GOptionEntry entries[] = {
    { "deleted", 0, 0, G_OPTION_ARG_NONE, &deleted, N_("Only deleted and purge-pending messages"), NULL },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Visible and deleted messages"), NULL },
    { "search", 's', 0, G_OPTION_ARG_STRING, &search, N_("Only messages with TEXT in the sender or subject"), N_("TEXT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Only messages with TEXT in From"), N_("TEXT") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Only messages with TEXT in To or Cc"), N_("TEXT") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("Only messages with TEXT in the subject"), N_("TEXT") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name, N_("Sort by date, size, sender or subject"), N_("KEY") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &descending, N_("Sort in descending order"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT64, &limit, N_("Show at most N messages (default 50)"), "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT64, &offset, N_("Skip the first N messages"), "N" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  MwMessageRequest req = { 0 };
  gint64 start;

  g_option_context_set_summary (context, _("Lists the messages of a user, in one mailbox (by its name as mail "
                                           "clients show it) or in all of the user's own mailboxes."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc < 2 || argc > 3)
    return mw_cli_usage_error (context, _("Name a user, and optionally one of their mailboxes."));
  if (deleted && all)
    return mw_cli_usage_error (context, _("Use --deleted or --all, not both."));
  if (limit < 0 || limit > 1000000 || offset < 0)
    return mw_cli_usage_error (context, _("--limit must be between 0 and 1000000, --offset at least 0."));
  if (sort_name != NULL && !mw_dbmail_parse_message_sort (sort_name, &req.sort))
    return mw_cli_usage_error (context, _("Sort by date, size, sender or subject."));
  if (cli->db == NULL)
    return MW_CLI_EXIT_OK;

  if ((req.user_idnr = mw_dbmail_resolve_user (cli->db, argv[1], &error)) <= 0)
    return mw_cli_fail (error);
  if (argc == 3 && (req.mailbox_idnr = mw_dbmail_find_mailbox (cli->db, req.user_idnr, argv[2], NULL, &error)) <= 0)
    return mw_cli_fail (error);
  req.state = deleted ? MW_MESSAGE_STATE_DELETED : all ? MW_MESSAGE_STATE_ALL : MW_MESSAGE_STATE_VISIBLE;
  req.descending = descending;
  req.text = search;
  req.from = from;
  req.to = to;
  req.subject = subject;

  if ((query = mw_dbmail_messages_query (mw_db_get_driver (cli->db), &req, &error)) == NULL)
    return mw_cli_fail (error);

  start = g_get_monotonic_time ();
  if ((total = mw_list_query_count (query, cli->db, NULL, &error)) < 0)
    return mw_cli_fail (error);
  if (cli->timing)
    g_printerr ("count: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  start = g_get_monotonic_time ();
  if ((result = mw_list_query_fetch_offset (query, cli->db, (guint64) offset, (guint) limit, FALSE, NULL, &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->timing)
    g_printerr ("page: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  if (cli->json)
    {
      MwCliJsonStream stream = { 0 };

      mw_cli_json_stream_begin (&stream);
      mw_cli_json_stream_int (&stream, "total", total);
      mw_cli_json_stream_int (&stream, "offset", offset);
      mw_cli_json_stream_begin_array (&stream, "messages");
      for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
        {
          g_autoptr(JsonObject) object = json_object_new ();
          g_autoptr(JsonNode) node = json_node_alloc ();

          for (guint c = 0; c < mw_db_result_get_n_cols (result); c++)
            {
              const char *name = mw_db_result_get_col_name (result, c);
              MwDbType type = mw_db_result_get_type (result, r, c);

              if (type == MW_DB_TYPE_NULL)
                json_object_set_null_member (object, name);
              else if (type == MW_DB_TYPE_INT64 || type == MW_DB_TYPE_BOOL)
                json_object_set_int_member (object, name, mw_db_result_get_int64 (result, r, c));
              else if (g_str_equal (name, "sender") || g_str_equal (name, "recipient"))
                {
                  g_autofree char *shown = mw_address_list_for_display (mw_db_result_get_string (result, r, c));

                  json_object_set_string_member (object, name, shown);
                }
              else
                {
                  g_autofree char *valid = g_utf8_make_valid (mw_db_result_get_string (result, r, c), -1);

                  json_object_set_string_member (object, name, valid);
                }
            }
          json_node_init_object (node, object);
          mw_cli_json_stream_element (&stream, node);
        }
      mw_cli_json_stream_end_array (&stream);
      mw_cli_json_stream_end (&stream);
      return MW_CLI_EXIT_OK;
    }

  g_print ("%-9s %-16s %-26s %-36s %9s %-13s %s\n", _("Number"), _("Date"), _("From"), _("Subject"),
           _("Size"), _("State"), _("Flags"));
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      g_autofree char *from_text =
        mw_address_list_for_display (mw_db_result_get_string (result, r, mw_db_result_find_col (result, "sender")));
      g_autofree char *sender = cut (from_text, 26);
      g_autofree char *subj = cut (mw_db_result_get_string (result, r, mw_db_result_find_col (result, "subject")), 36);
      g_autofree char *size = size_text (mw_db_result_get_int64 (result, r, mw_db_result_find_col (result, "size")));
      g_autofree char *flags = flags_text (result, r);
      g_autofree char *date = cut (mw_db_result_get_string (result, r, mw_db_result_find_col (result, "date")), 16);
      gint64 status = mw_db_result_get_int64 (result, r, mw_db_result_find_col (result, "status"));

      /* printf pads by bytes; pad by characters for non-ASCII names. */
      g_print ("%-9" G_GINT64_FORMAT " %-16s %s%*s %s%*s %9s %-13s %s\n",
               mw_db_result_get_int64 (result, r, 0), date,
               sender, (int) (26 - g_utf8_strlen (sender, -1)), "",
               subj, (int) (36 - g_utf8_strlen (subj, -1)), "",
               size, state_word (status), flags);
    }
  {
    g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, total);

    g_print (g_dngettext (GETTEXT_PACKAGE, "%s message\n", "%s messages\n", (gulong) total), n);
  }
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* message delete|undelete                                                  */
/* ------------------------------------------------------------------------ */

/* The owner of a message's mailbox, for ids given without --user. */
static gint64
owner_of_message (Cli         *cli,
                  gint64       message_idnr,
                  GError     **error)
{
  gint64 owner;

  if (!mw_message_get_owner (cli->db, message_idnr, &owner, error))
    return 0;
  if (owner == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, message_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no message number %s. Nothing was changed."), number);
      return 0;
    }
  return owner;
}

/* Undeleted messages named one per line up to this many; --json has all. */
#define RENUMBERED_SHOWN 20

static void
print_change (Cli                   *cli,
              gboolean               deleted,
              gboolean               dry_run,
              const MwMessageChange *change,
              GArray                *renumbered)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "messages", change->messages);
      mw_cli_json_add_int (b, "bytes", change->bytes);
      mw_cli_json_add_int (b, "unchanged", change->unchanged);
      mw_cli_json_add_int (b, "mailboxes", change->mailboxes);
      mw_cli_json_add_int (b, "curmail_size", change->curmail_size);
      /* Undelete: {"old number": new number}; null after a dry run, whose
       * numbers were rolled back with everything else. */
      if (!deleted && dry_run)
        mw_cli_json_add_string_or_null (b, "new_ids", NULL);
      else if (!deleted)
        {
          json_builder_set_member_name (b, "new_ids");
          json_builder_begin_object (b);
          for (guint i = 0; i < renumbered->len; i++)
            {
              const MwMessageRenumber *pair = &g_array_index (renumbered, MwMessageRenumber, i);
              g_autofree char *old_id = g_strdup_printf ("%" G_GINT64_FORMAT, pair->old_id);

              mw_cli_json_add_int (b, old_id, pair->new_id);
            }
          json_builder_end_object (b);
        }
      mw_cli_json_add_bool (b, "dry_run", dry_run);
      json_builder_end_object (b);
      mw_cli_json_print (b);
      return;
    }
  {
    g_autofree char *bytes = size_text (change->bytes);
    g_autofree char *used = size_text (change->curmail_size);
    g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, change->messages);
    g_autofree char *same = g_strdup_printf ("%" G_GINT64_FORMAT, change->unchanged);

    if (deleted)
      g_print (g_dngettext (GETTEXT_PACKAGE, "Deleted %s message (%s).\n", "Deleted %s messages (%s).\n",
                            (gulong) change->messages), n, bytes);
    else
      g_print (g_dngettext (GETTEXT_PACKAGE, "Undeleted %s message (%s).\n", "Undeleted %s messages (%s).\n",
                            (gulong) change->messages), n, bytes);
    if (change->unchanged > 0 && deleted)
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s message was already deleted.\n", "%s messages were already deleted.\n",
                            (gulong) change->unchanged), same);
    else if (change->unchanged > 0)
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s message was not deleted.\n", "%s messages were not deleted.\n",
                            (gulong) change->unchanged), same);
    if (!deleted && change->messages > 0)
      {
        g_print ("%s\n", g_dngettext (GETTEXT_PACKAGE,
                                      "It comes back as a new message in the user's mail program, under a new number.",
                                      "They come back as new messages in the user's mail program, under new numbers.",
                                      (gulong) change->messages));
        for (guint i = 0; !dry_run && i < MIN (renumbered->len, RENUMBERED_SHOWN); i++)
          {
            const MwMessageRenumber *pair = &g_array_index (renumbered, MwMessageRenumber, i);
            g_autofree char *old_id = g_strdup_printf ("%" G_GINT64_FORMAT, pair->old_id);
            g_autofree char *new_id = g_strdup_printf ("%" G_GINT64_FORMAT, pair->new_id);

            /* Translators: "Message 1234 is now message 5678." */
            g_print (_("Message %s is now message %s.\n"), old_id, new_id);
          }
        if (!dry_run && renumbered->len > RENUMBERED_SHOWN)
          {
            g_autofree char *more = g_strdup_printf ("%u", renumbered->len - RENUMBERED_SHOWN);

            g_print (g_dngettext (GETTEXT_PACKAGE, "… and %s more (--json lists every one).\n",
                                  "… and %s more (--json lists every one).\n",
                                  (gulong) (renumbered->len - RENUMBERED_SHOWN)), more);
          }
      }
    g_print (_("Mail used by the user now: %s.\n"), used);
    if (dry_run)
      g_print ("%s\n", _("Dry run: nothing was changed."));
  }
}

static int
run_message (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("delete ID… | undelete ID… | undelete --mailbox NAME "
                                                              "--all-deleted --user USER | show ID"));
  g_autoptr(GError) error = NULL;
  g_autofree char *user_text = NULL;
  g_autofree char *mailbox_name = NULL;
  g_autofree gint64 *ids = NULL;
  gboolean dry_run = FALSE, all_deleted = FALSE;
  GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user_text, N_("The user whose messages these are"), N_("USER") },
    { "mailbox", 'm', 0, G_OPTION_ARG_STRING, &mailbox_name, N_("undelete: the mailbox, by its name"), N_("NAME") },
    { "all-deleted", 0, 0, G_OPTION_ARG_NONE, &all_deleted, N_("undelete: every deleted message of the mailbox"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  MwAdmin admin = { .db = cli->db, .profile = cli->profile };
  MwMessageChange change = { 0 };
  g_autoptr(GArray) renumbered = NULL;
  gboolean deleted;
  gint64 user = 0;
  guint n;

  /* "message show" has its own options (mw-cli-message.c). */
  if (argc > 1 && g_str_equal (argv[1], "show"))
    return mw_cli_message_show (cli, argc - 1, argv + 1);

  g_option_context_set_summary (context, _("Deletes messages as a mail client does (status 2, \\Deleted set), "
                                           "or brings deleted ones back until the server's maintenance run "
                                           "purges them: as new messages under new numbers, so that every "
                                           "mail program sees them. Only messages in the user's own "
                                           "mailboxes are changed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc < 2 || !(g_str_equal (argv[1], "delete") || g_str_equal (argv[1], "undelete")))
    return mw_cli_usage_error (context, _("Use “message delete ID…”, “message undelete ID…”, "
                                          "“message undelete --mailbox NAME --all-deleted --user USER” or "
                                          "“message show ID”."));
  deleted = g_str_equal (argv[1], "delete");
  if (mailbox_name != NULL || all_deleted)
    {
      if (deleted || mailbox_name == NULL || !all_deleted || user_text == NULL || argc != 2)
        return mw_cli_usage_error (context, _("Undelete a whole mailbox with “message undelete --mailbox NAME "
                                              "--all-deleted --user USER”, without message numbers."));
    }
  else if (argc < 3)
    return mw_cli_usage_error (context, _("Give the numbers of the messages."));

  n = (guint) (argc - 2);
  ids = g_new0 (gint64, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (argv[i + 2], 10, 1, G_MAXINT64, &v, NULL))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a message number."), argv[i + 2]);

          return mw_cli_usage_error (context, message);
        }
      ids[i] = (gint64) v;
    }
  if (cli->db == NULL)
    return MW_CLI_EXIT_OK;

  admin.dry_run = dry_run;
  if (user_text != NULL && (user = mw_dbmail_resolve_user (cli->db, user_text, &error)) <= 0)
    return mw_cli_fail (error);

  if (mailbox_name != NULL)
    {
      gint64 mailbox = mw_dbmail_find_mailbox (cli->db, user, mailbox_name, NULL, &error);

      if (mailbox <= 0 || !mw_dbmail_undelete_mailbox (&admin, mailbox, &change, &renumbered, &error))
        return mw_cli_fail (error);
    }
  else
    {
      if (user == 0 && (user = owner_of_message (cli, ids[0], &error)) <= 0)
        return mw_cli_fail (error);
      if (!mw_dbmail_set_messages_deleted (&admin, user, ids, n, deleted, &change, &renumbered, &error))
        return mw_cli_fail (error);
    }
  print_change (cli, deleted, dry_run, &change, renumbered);
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */

int
mw_cli_run_mail (Cli         *cli,
                 const char  *command,
                 int          argc,
                 char       **argv)
{
  if (g_str_equal (command, "mailboxes"))
    return run_mailboxes (cli, argc, argv);
  if (g_str_equal (command, "messages"))
    return run_messages (cli, argc, argv);
  return run_message (cli, argc, argv);
}
