/* mw-cli-mail.c: mailwarden-cli mailboxes, messages, message delete|undelete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-cli.h"
#include "mw-cli-private.h"

static char *
size_text (gint64 bytes)
{
  return g_format_size_full ((guint64) MAX (bytes, 0), G_FORMAT_SIZE_IEC_UNITS);
}

/* The mail commands need a schema that stores mail. */
static gboolean
check_store (Cli     *cli,
             GError **error)
{
  g_autofree char *description = NULL;

  if (cli->store != NULL)
    return TRUE;
  description = mw_schema_describe (cli->schema);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: %s is the database, "ISPmail on PostgreSQL 15.4" */
               _("This database (%s) keeps no mail of its own: its mail is stored elsewhere."), description);
  return FALSE;
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
  g_autofree char *user = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the mailboxes a user sees: their own, #Public folders and "
                                           "folders other users share with them, with visible and deleted "
                                           "messages."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;
  if (!check_store (cli, &error) || (user = mw_cli_resolve_account (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_list_mailboxes_async (cli->session, user, NULL, mw_async_wait_ready, &result);
    if ((list = mw_session_list_mailboxes_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
      return mw_cli_fail (error);
  }

  if (cli->json)
    {
      g_autoptr(JsonObject) root = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        {
          MwMailbox *m = g_ptr_array_index (list, i);
          JsonObject *o = json_object_new ();

          mw_cli_json_set_string (o, "key", m->key);
          json_object_set_int_member (o, "number", m->number);
          mw_cli_json_set_string (o, "section", mw_mailbox_section_name (m->section));
          mw_cli_json_set_string (o, "owner_key", m->owner_key);
          mw_cli_json_set_string (o, "owner", m->owner != NULL ? m->owner : "");
          mw_cli_json_set_string (o, "name", m->name != NULL ? m->name : "");
          mw_cli_json_set_string (o, "display_name", m->display_name != NULL ? m->display_name : "");
          json_object_set_int_member (o, "visible_count", m->visible_count);
          json_object_set_int_member (o, "visible_bytes", m->visible_bytes);
          json_object_set_int_member (o, "deleted_count", m->deleted_count);
          json_object_set_int_member (o, "deleted_bytes", m->deleted_bytes);
          json_object_set_int_member (o, "purge_count", m->purge_count);
          json_object_set_int_member (o, "purge_bytes", m->purge_bytes);
          json_object_set_int_member (o, "seq", m->seq);
          json_array_add_object_element (array, o);
        }
      json_object_set_array_member (root, "mailboxes", array);
      node = json_node_init_object (json_node_alloc (), root);
      mw_cli_json_print_node (node);
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
               m->number, mw_mailbox_section_name (m->section), m->display_name,
               m->visible_count, visible, m->deleted_count + m->purge_count, deleted);
    }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *hint = NULL;
    MwPurgeState state;

    mw_session_purge_state_async (cli->session, user, NULL, mw_async_wait_ready, &result);
    if (mw_session_purge_state_finish (cli->session, mw_async_wait (&result), &state, NULL) &&
        (hint = mw_purge_state_describe (&state)) != NULL)
      g_print ("\n%s\n", hint);
  }
  return MW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* messages USER [MAILBOX]                                                  */
/* ------------------------------------------------------------------------ */

static const char *
state_word (MwMessageStatus status)
{
  switch (status)
    {
    case MW_MESSAGE_VISIBLE:
    case MW_MESSAGE_SEEN_BY_POP:
      return C_("message state", "visible");
    case MW_MESSAGE_DELETED:
      return C_("message state", "deleted");
    case MW_MESSAGE_PURGE_PENDING:
      return C_("message state", "purge pending");
    default:
      return "?";
    }
}

/* IMAP's names of the flags set, then the keywords. */
static char *
flags_text (const MwMessageRow *row)
{
  static const struct { MwMessageFlags flag; const char *name; } flags[] = {
    { MW_MESSAGE_FLAG_SEEN, "\\Seen" }, { MW_MESSAGE_FLAG_ANSWERED, "\\Answered" },
    { MW_MESSAGE_FLAG_FLAGGED, "\\Flagged" }, { MW_MESSAGE_FLAG_DELETED, "\\Deleted" },
    { MW_MESSAGE_FLAG_DRAFT, "\\Draft" }, { MW_MESSAGE_FLAG_RECENT, "\\Recent" },
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if ((row->flags & flags[i].flag) != 0)
      g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", flags[i].name);
  if (row->keywords != NULL && row->keywords[0] != '\0')
    g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", row->keywords);
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

/* A message row as JSON: the message list's column ids as keys (README.md);
 * addresses as the list shows them. */
static JsonNode *
message_to_json (const MwListInfo *info,
                 MwRecord         *record)
{
  g_autoptr(JsonObject) object = json_object_new ();

  for (guint c = 0; c < info->n_columns; c++)
    {
      const MwListColumn *column = &info->columns[c];
      MwListValue value;

      mw_list_column_read_record (column, record, &value);
      if (value.is_null)
        json_object_set_null_member (object, column->id);
      else if (column->type == MW_LIST_VALUE_NUMBER)
        json_object_set_int_member (object, column->id, value.number);
      else if (column->type == MW_LIST_VALUE_BOOLEAN)
        json_object_set_boolean_member (object, column->id, value.number != 0);
      else if (g_str_equal (column->id, "sender") || g_str_equal (column->id, "recipient"))
        {
          g_autofree char *shown = mw_address_list_for_display (value.text);

          mw_cli_json_set_string (object, column->id, shown);
        }
      else
        mw_cli_json_set_string (object, column->id, value.text);
    }
  return json_node_init_object (json_node_alloc (), object);
}

/* --sort KEY of the message list: its sorts by the names of their columns. */
static gboolean
parse_message_sort (const char    *name,
                    MwMessageSort *sort)
{
  static const struct { const char *name; MwMessageSort sort; } sorts[] = {
    { "date", MW_MESSAGE_SORT_DATE }, { "arrival", MW_MESSAGE_SORT_DATE },
    { "size", MW_MESSAGE_SORT_SIZE },
    { "sender", MW_MESSAGE_SORT_SENDER }, { "from", MW_MESSAGE_SORT_SENDER },
    { "subject", MW_MESSAGE_SORT_SUBJECT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    if (g_ascii_strcasecmp (name, sorts[i].name) == 0)
      {
        *sort = sorts[i].sort;
        return TRUE;
      }
  return FALSE;
}

static int
run_messages (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("USER [MAILBOX]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *search = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *mailbox = NULL;
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
  const MwListInfo *info;
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
  if (sort_name != NULL && !parse_message_sort (sort_name, &req.sort))
    return mw_cli_usage_error (context, _("Sort by date, size, sender or subject."));
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if (!check_store (cli, &error) || (user = mw_cli_resolve_account (cli, argv[1], &error)) == NULL)
    return mw_cli_fail (error);
  if (argc == 3)
    {
      g_autoptr(GAsyncResult) result = NULL;

      mw_session_find_mailbox_async (cli->session, user, argv[2], NULL, mw_async_wait_ready, &result);
      if ((mailbox = mw_session_find_mailbox_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
        return mw_cli_fail (error);
    }
  req.account = user;
  req.mailbox = mailbox;
  req.state = deleted ? MW_MESSAGE_STATE_DELETED : all ? MW_MESSAGE_STATE_ALL : MW_MESSAGE_STATE_VISIBLE;
  req.descending = descending;
  req.text = search;
  req.from = from;
  req.to = to;
  req.subject = subject;

  info = mw_mail_store_get_message_list (cli->store);
  if ((query = mw_mail_store_messages_query (cli->store, &req, &error)) == NULL)
    return mw_cli_fail (error);

  start = g_get_monotonic_time ();
  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_count_list_async (cli->session, query, NULL, mw_async_wait_ready, &result);
    if ((total = mw_session_count_list_finish (cli->session, mw_async_wait (&result), &error)) < 0)
      return mw_cli_fail (error);
  }
  if (cli->timing)
    g_printerr ("count: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  start = g_get_monotonic_time ();
  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_fetch_list_offset_async (cli->session, query, (guint64) offset, (guint) limit, NULL,
                                        mw_async_wait_ready, &result);
    if ((records = mw_session_fetch_list_offset_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
      return mw_cli_fail (error);
  }
  if (cli->timing)
    g_printerr ("page: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  if (cli->json)
    {
      MwCliJsonStream stream = { 0 };

      mw_cli_json_stream_begin (&stream);
      mw_cli_json_stream_int (&stream, "total", total);
      mw_cli_json_stream_int (&stream, "offset", offset);
      mw_cli_json_stream_begin_array (&stream, info->id);
      for (guint r = 0; r < records->len; r++)
        {
          g_autoptr(JsonNode) node = message_to_json (info, g_ptr_array_index (records, r));

          mw_cli_json_stream_element (&stream, node);
        }
      mw_cli_json_stream_end_array (&stream);
      mw_cli_json_stream_end (&stream);
      return MW_CLI_EXIT_OK;
    }

  g_print ("%-9s %-16s %-26s %-36s %9s %-13s %s\n", _("Number"), _("Date"), _("From"), _("Subject"),
           _("Size"), _("State"), _("Flags"));
  for (guint r = 0; r < records->len; r++)
    {
      MwRecord *record = g_ptr_array_index (records, r);
      g_auto(MwMessageRow) row = { 0 };
      g_autofree char *from_text = NULL;
      g_autofree char *sender = NULL;
      g_autofree char *subj = NULL;
      g_autofree char *size = NULL;
      g_autofree char *flags = NULL;
      g_autofree char *date = NULL;
      const MwListColumn *date_column = mw_list_info_find_column (info, "date");
      MwListValue stored_date = { .is_null = TRUE };

      mw_mail_store_read_row (cli->store, record, &row);
      from_text = mw_address_list_for_display (row.sender);
      sender = cut (from_text, 26);
      subj = cut (row.subject, 36);
      size = size_text (row.size);
      flags = flags_text (&row);
      /* The date as the server stores it, as the list shows it. */
      if (date_column != NULL)
        mw_list_column_read_record (date_column, record, &stored_date);
      date = cut (stored_date.text, 16);

      /* printf pads by bytes; pad by characters for non-ASCII names. */
      g_print ("%-9" G_GINT64_FORMAT " %-16s %s%*s %s%*s %9s %-13s %s\n",
               row.number, date,
               sender, (int) (26 - g_utf8_strlen (sender, -1)), "",
               subj, (int) (36 - g_utf8_strlen (subj, -1)), "",
               size, state_word (row.status), flags);
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

/* The key of message @number, and its owner's key: NULL with an error
 * naming the number when there is no such message. */
static char *
find_message (Cli      *cli,
              gint64    number,
              char    **owner,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  char *key;

  mw_session_find_message_async (cli->session, number, NULL, mw_async_wait_ready, &result);
  key = mw_session_find_message_finish (cli->session, mw_async_wait (&result), owner, &local_error);
  if (key == NULL && g_error_matches (local_error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND))
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no message number %s. Nothing was changed."), text);
      return NULL;
    }
  if (key == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return key;
}

/* Undeleted messages named one per line up to this many; --json has all. */
#define RENUMBERED_SHOWN 20

static void
print_change (Cli                   *cli,
              gboolean               deleted,
              gboolean               dry_run,
              const MwMessageChange *change)
{
  GArray *renumbered = change->renumbered;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "messages", change->messages);
      mw_cli_json_add_int (b, "bytes", change->bytes);
      mw_cli_json_add_int (b, "unchanged", change->unchanged);
      mw_cli_json_add_int (b, "mailboxes", change->mailboxes);
      mw_cli_json_add_int (b, "used", change->used);
      /* Undelete: {"old number": new number}; null after a dry run, whose
       * numbers were rolled back with everything else. */
      if (!deleted && dry_run)
        mw_cli_json_add_string_or_null (b, "new_ids", NULL);
      else if (!deleted)
        {
          json_builder_set_member_name (b, "new_ids");
          json_builder_begin_object (b);
          for (guint i = 0; renumbered != NULL && i < renumbered->len; i++)
            {
              const MwMessageRenumber *pair = &g_array_index (renumbered, MwMessageRenumber, i);
              g_autofree char *old_id = g_strdup_printf ("%" G_GINT64_FORMAT, pair->old_number);

              mw_cli_json_add_int (b, old_id, pair->new_number);
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
    g_autofree char *used = size_text (change->used);
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
        for (guint i = 0; !dry_run && renumbered != NULL && i < MIN (renumbered->len, RENUMBERED_SHOWN); i++)
          {
            const MwMessageRenumber *pair = &g_array_index (renumbered, MwMessageRenumber, i);
            g_autofree char *old_id = g_strdup_printf ("%" G_GINT64_FORMAT, pair->old_number);
            g_autofree char *new_id = g_strdup_printf ("%" G_GINT64_FORMAT, pair->new_number);

            /* Translators: "Message 1234 is now message 5678." */
            g_print (_("Message %s is now message %s.\n"), old_id, new_id);
          }
        if (!dry_run && renumbered != NULL && renumbered->len > RENUMBERED_SHOWN)
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
  g_autofree char *user = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean dry_run = FALSE, all_deleted = FALSE;
  GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user_text, N_("The user whose messages these are"), N_("USER") },
    { "mailbox", 'm', 0, G_OPTION_ARG_STRING, &mailbox_name, N_("undelete: the mailbox, by its name"), N_("NAME") },
    { "all-deleted", 0, 0, G_OPTION_ARG_NONE, &all_deleted, N_("undelete: every deleted message of the mailbox"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would happen, change nothing"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  g_auto(MwMessageChange) change = { 0 };
  g_autofree gint64 *numbers = NULL;
  gboolean deleted;
  guint n;

  /* "message show" has its own options (mw-cli-message.c). */
  if (argc > 1 && g_str_equal (argv[1], "show"))
    return mw_cli_message_show (cli, argc - 1, argv + 1);

  g_option_context_set_summary (context, _("Deletes messages as a mail client does (\\Deleted set), "
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
  numbers = g_new0 (gint64, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint64 v;

      if (!g_ascii_string_to_unsigned (argv[i + 2], 10, 1, G_MAXINT64, &v, NULL))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a message number."), argv[i + 2]);

          return mw_cli_usage_error (context, message);
        }
      numbers[i] = (gint64) v;
    }
  if (cli->session == NULL)
    return MW_CLI_EXIT_OK;

  if (!check_store (cli, &error) ||
      (user_text != NULL && (user = mw_cli_resolve_account (cli, user_text, &error)) == NULL))
    return mw_cli_fail (error);

  if (mailbox_name != NULL)
    {
      g_autoptr(GAsyncResult) found = NULL;
      g_autofree char *mailbox = NULL;

      mw_session_find_mailbox_async (cli->session, user, mailbox_name, NULL, mw_async_wait_ready, &found);
      if ((mailbox = mw_session_find_mailbox_finish (cli->session, mw_async_wait (&found), &error)) == NULL)
        return mw_cli_fail (error);
      mw_session_undelete_mailbox_async (cli->session, mailbox, dry_run, NULL, mw_async_wait_ready, &result);
      if (!mw_session_undelete_mailbox_finish (cli->session, mw_async_wait (&result), &change, &error))
        return mw_cli_fail (error);
    }
  else
    {
      /* The messages by their keys; the first one's owner when no --user
       * names the account (the core refuses messages of another one). */
      keys = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *owner = NULL;
          char *key = find_message (cli, numbers[i], &owner, &error);

          if (key == NULL)
            return mw_cli_fail (error);
          g_ptr_array_add (keys, key);
          if (user == NULL)
            user = g_steal_pointer (&owner);
        }
      g_ptr_array_add (keys, NULL);
      mw_session_set_deleted_async (cli->session, user, (const char *const *) keys->pdata, deleted, dry_run, NULL,
                                    mw_async_wait_ready, &result);
      if (!mw_session_set_deleted_finish (cli->session, mw_async_wait (&result), &change, &error))
        return mw_cli_fail (error);
    }
  print_change (cli, deleted, dry_run, &change);
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
