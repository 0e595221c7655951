/* mw-cli-message.c: mailwarden-cli message show: one stored message, decoded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mw-cli.h"
#include "mw-cli-private.h"
#include "mailwarden-core.h"

static void
print_header_line (const char *label,
                   const char *value)
{
  if (value != NULL)
    g_print ("%-12s %s\n", label, value);
}

static void
print_json (gint64      number,
            const char *key,
            MwMessage  *message,
            gboolean    all_headers)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GPtrArray *attachments = mw_message_get_attachments (message);
  GDateTime *date = mw_message_get_date (message);
  g_autofree char *iso = date != NULL ? g_date_time_format_iso8601 (date) : NULL;
  const char *text = mw_message_get_text (message, NULL);

  json_builder_begin_object (b);
  mw_cli_json_add_int (b, "number", number);
  mw_cli_json_add_string_or_null (b, "key", key);
  mw_cli_json_add_string_or_null (b, "from", mw_message_get_from (message));
  mw_cli_json_add_string_or_null (b, "to", mw_message_get_to (message));
  mw_cli_json_add_string_or_null (b, "cc", mw_message_get_cc (message));
  mw_cli_json_add_string_or_null (b, "reply_to", mw_message_get_reply_to (message));
  mw_cli_json_add_string_or_null (b, "subject", mw_message_get_subject (message));
  mw_cli_json_add_string_or_null (b, "date", iso);
  mw_cli_json_add_string_or_null (b, "message_id", mw_message_get_message_id (message));
  mw_cli_json_add_bool (b, "bodies_hidden", mw_message_is_private (message));
  mw_cli_json_add_string_or_null (b, "text", text);
  mw_cli_json_add_bool (b, "text_from_html", mw_message_get_text_is_html (message));
  if (all_headers)
    {
      g_autoptr(GPtrArray) headers = mw_message_get_headers (message);

      json_builder_set_member_name (b, "headers");
      json_builder_begin_array (b);
      for (guint i = 0; i < headers->len; i++)
        {
          MwMessageHeader *h = g_ptr_array_index (headers, i);

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "name", h->name != NULL ? h->name : "");
          mw_cli_json_add_string_or_null (b, "value", h->value != NULL ? h->value : "");
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; i < attachments->len; i++)
    {
      MwMessageAttachment *a = g_ptr_array_index (attachments, i);

      json_builder_begin_object (b);
      mw_cli_json_add_int (b, "index", a->index);
      mw_cli_json_add_string_or_null (b, "filename", a->filename);
      mw_cli_json_add_string_or_null (b, "content_type", a->content_type);
      mw_cli_json_add_int (b, "size", (gint64) a->size);
      mw_cli_json_add_bool (b, "inline", a->is_inline);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  mw_cli_json_print (b);
}

static void
print_text (MwMessage *message,
            gboolean   all_headers)
{
  GPtrArray *attachments = mw_message_get_attachments (message);
  GDateTime *date = mw_message_get_date (message);
  g_autofree char *when = date != NULL ? g_date_time_format (date, "%Y-%m-%d %H:%M:%S %z") : NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  if (all_headers)
    {
      g_autoptr(GPtrArray) headers = mw_message_get_headers (message);

      for (guint i = 0; i < headers->len; i++)
        {
          MwMessageHeader *h = g_ptr_array_index (headers, i);

          g_print ("%s: %s\n", h->name, h->value);
        }
    }
  else
    {
      /* Translators: labels of the message headers, padded to 12 columns */
      print_header_line (_("From:"), mw_message_get_from (message));
      print_header_line (_("To:"), mw_message_get_to (message));
      print_header_line (_("Cc:"), mw_message_get_cc (message));
      print_header_line (_("Reply-To:"), mw_message_get_reply_to (message));
      print_header_line (_("Subject:"), mw_message_get_subject (message));
      print_header_line (_("Date:"), when);
      print_header_line (_("Message-ID:"), mw_message_get_message_id (message));
    }
  g_print ("\n");

  text = mw_message_get_text (message, &error);
  if (text == NULL)
    g_print ("(%s)\n", error->message);
  else
    g_print ("%s", text);

  if (attachments->len > 0)
    {
      g_print ("\n%s\n", _("Attachments:"));
      for (guint i = 0; i < attachments->len; i++)
        {
          MwMessageAttachment *a = g_ptr_array_index (attachments, i);
          g_autofree char *size = g_format_size (a->size);

          g_print ("  [%u] %s (%s, %s%s)\n", a->index, a->filename != NULL ? a->filename : _("(no name)"),
                   a->content_type, size, a->is_inline ? _(", inline") : "");
        }
    }
}

int
mw_cli_message_show (Cli   *cli,
                     int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("show MESSAGE-NUMBER"));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwMessage) message = NULL;
  gboolean raw = FALSE, headers = FALSE, no_bodies = FALSE;
  g_autofree char *save_text = NULL;
  guint64 save_index = 0;
  g_autofree char *output = NULL;
  g_autofree char *key = NULL;
  guint64 id;
  GOptionEntry entries[] = {
    { "raw", 'r', 0, G_OPTION_ARG_NONE, &raw, N_("Print the message source as stored"), NULL },
    { "headers", 'H', 0, G_OPTION_ARG_NONE, &headers, N_("Print every header field"), NULL },
    { "save-attachment", 's', 0, G_OPTION_ARG_STRING, &save_text, N_("Save attachment N (see the list) to --output"), "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("File for --save-attachment"), "FILE" },
    { "no-bodies", 0, 0, G_OPTION_ARG_NONE, &no_bodies, N_("Headers and metadata only (privacy)"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Shows a stored message: its main headers, its text decoded "
                                           "(HTML as plain text, nothing fetched from the network) and its "
                                           "attachments."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one message by its number."));
  if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    {
      g_autofree char *msg = g_strdup_printf (_("“%s” is not a message number."), argv[1]);

      return mw_cli_usage_error (context, msg);
    }
  /* The text, not G_OPTION_ARG_INT: -1 was taken for "not given" and did nothing. */
  if (save_text != NULL && !g_ascii_string_to_unsigned (save_text, 10, 0, G_MAXUINT, &save_index, NULL))
    {
      g_autofree char *msg = g_strdup_printf (_("“%s” is not an attachment number: give one of the numbers in "
                                                "brackets that “message show” lists (0, 1, …)."), save_text);

      return mw_cli_usage_error (context, msg);
    }
  if (save_text != NULL && output == NULL)
    return mw_cli_usage_error (context, _("--save-attachment needs --output FILE."));
  if (raw && no_bodies)
    return mw_cli_usage_error (context, _("--raw and --no-bodies exclude each other."));

  if (cli->store == NULL)
    {
      g_autofree char *description = mw_schema_describe (cli->schema);

      g_printerr ("%s: ", g_get_prgname ());
      /* Translators: %s is the database, "ISPmail on PostgreSQL 15.4" */
      g_printerr (_("This database (%s) keeps no mail of its own: its mail is stored elsewhere.\n"), description);
      return MW_CLI_EXIT_USAGE;
    }
  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_find_message_async (cli->session, (gint64) id, NULL, mw_async_wait_ready, &result);
    key = mw_session_find_message_finish (cli->session, mw_async_wait (&result), NULL, &error);
  }
  if (key == NULL && g_error_matches (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND))
    {
      g_printerr ("%s: ", g_get_prgname ());
      g_printerr (_("There is no message number %s.\n"), argv[1]);
      return MW_CLI_EXIT_NOT_FOUND;
    }
  if (key == NULL)
    return mw_cli_fail (error);

  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_load_message_async (cli->session, key, no_bodies ? MW_MESSAGE_HIDE_BODIES : MW_MESSAGE_LOAD_DEFAULT,
                                   NULL, mw_async_wait_ready, &result);
    message = mw_session_load_message_finish (cli->session, mw_async_wait (&result), &error);
  }
  if (message == NULL)
    {
      if (g_error_matches (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_NOT_FOUND))
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return MW_CLI_EXIT_NOT_FOUND;
        }
      return mw_cli_fail (error);
    }

  if (save_text != NULL)
    {
      g_autoptr(GBytes) content = mw_message_get_attachment (message, (guint) save_index, &error);

      if (content == NULL)
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return g_error_matches (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_NO_ATTACHMENT) ? MW_CLI_EXIT_NOT_FOUND
                                                                                         : MW_CLI_EXIT_USAGE;
        }
      if (!g_file_set_contents (output, g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content), &error))
        return mw_cli_fail (error);
      if (!cli->json)
        {
          g_autofree char *size = g_format_size (g_bytes_get_size (content));

          /* Translators: "Saved 3.0 kB to report.pdf" */
          g_printerr (_("Saved %s to %s\n"), size, output);
        }
      else
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          mw_cli_json_add_int (b, "saved", (gint64) g_bytes_get_size (content));
          json_builder_end_object (b);
          mw_cli_json_print (b);
        }
      return MW_CLI_EXIT_OK;
    }

  if (raw)
    {
      g_autoptr(GBytes) source = mw_message_get_raw (message, &error);

      if (source == NULL)
        return mw_cli_fail (error);
      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autofree char *text = g_utf8_make_valid (g_bytes_get_data (source, NULL), (gssize) g_bytes_get_size (source));

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "raw", text);
          json_builder_end_object (b);
          mw_cli_json_print (b);
        }
      else
        {
          fwrite (g_bytes_get_data (source, NULL), 1, g_bytes_get_size (source), stdout);
          fflush (stdout);
        }
      return MW_CLI_EXIT_OK;
    }

  if (cli->json)
    print_json ((gint64) id, key, message, headers);
  else
    print_text (message, headers);
  return MW_CLI_EXIT_OK;
}
