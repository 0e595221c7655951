/* mw-cli.c: mailwarden-cli, the core from a terminal (scripts, benchmarks).
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
#include "mw-address.h"
#include "mw-csv.h"
#include "mw-db.h"
#include "mw-dbmail.h"
#include "mw-password.h"
#include "mw-demo-server.h"
#include "mw-imap-utf7.h"
#include "mw-list-query.h"
#include "mw-profiles.h"
#include "mw-schema.h"
#include "mw-size.h"

gboolean mw_cli_stdin_was_closed = FALSE;

void
mw_cli_set_closed_fds (guint closed)
{
  mw_cli_stdin_was_closed = (closed & 1) != 0;
}

/* Output helpers */

/* Text tables: each column as wide as its widest cell so far. */
static void
widen_columns (guint             *widths,
               const char *const *cells,
               guint              n_cols)
{
  for (guint c = 0; c < n_cols; c++)
    widths[c] = MAX (widths[c], (guint) g_utf8_strlen (cells[c], -1));
}

static void
print_table_line (const guint       *widths,
                  const char *const *cells,
                  guint              n_cols)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < n_cols; c++)
    {
      guint length = (guint) g_utf8_strlen (cells[c], -1);
      guint pad = widths[c] > length ? widths[c] - length : 0;

      g_string_append (line, cells[c]);
      if (c + 1 < n_cols)
        {
          for (guint i = 0; i < pad + 2; i++)
            g_string_append_c (line, ' ');
        }
    }
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  g_print ("%s\n", line->str);
}

static void
print_table (const char  *const *headers,
             GPtrArray           *rows,   /* GStrv per row */
             guint                n_cols)
{
  g_autofree guint *widths = g_new0 (guint, n_cols);

  widen_columns (widths, headers, n_cols);
  for (guint r = 0; r < rows->len; r++)
    widen_columns (widths, g_ptr_array_index (rows, r), n_cols);
  print_table_line (widths, headers, n_cols);
  for (guint r = 0; r < rows->len; r++)
    print_table_line (widths, g_ptr_array_index (rows, r), n_cols);
}

int
mw_cli_fail (const GError *error)
{
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  if (error->domain == MW_DB_ERROR)
    {
      switch (error->code)
        {
        case MW_DB_ERROR_UNREACHABLE:
        case MW_DB_ERROR_AUTH_FAILED:
        case MW_DB_ERROR_NO_SUCH_DATABASE:
        case MW_DB_ERROR_TLS:
        case MW_DB_ERROR_INVALID_SETTINGS:
        case MW_DB_ERROR_BAD_PREFIX:
          return MW_CLI_EXIT_CONNECT;
        case MW_DB_ERROR_PERMISSION_DENIED:
        case MW_DB_ERROR_NO_SUCH_TABLE:
          return MW_CLI_EXIT_SCHEMA;
        default:
          return MW_CLI_EXIT_QUERY;
        }
    }
  if (error->domain == MW_SCHEMA_ERROR)
    {
      switch (error->code)
        {
        case MW_SCHEMA_ERROR_NOT_FOUND:
          return MW_CLI_EXIT_NOT_FOUND;
        case MW_SCHEMA_ERROR_INVALID:
        case MW_SCHEMA_ERROR_EXISTS:
        case MW_SCHEMA_ERROR_REFUSED:
          return MW_CLI_EXIT_USAGE;
        case MW_SCHEMA_ERROR_CONFLICT:
          return MW_CLI_EXIT_QUERY;
        default:
          return MW_CLI_EXIT_SCHEMA;
        }
    }
  /* A CSV file that cannot be read as a table, or a size that is no size,
   * is invalid input, as the README's exit status says. */
  if (error->domain == MW_ADDRESS_ERROR || error->domain == MW_PASSWORD_ERROR ||
      error->domain == G_OPTION_ERROR || error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR ||
      error->domain == MW_CSV_ERROR || error->domain == MW_SIZE_ERROR)
    return MW_CLI_EXIT_USAGE;
  return MW_CLI_EXIT_QUERY;
}

int
mw_cli_usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Try “%s --help” for more information.\n"), g_get_prgname ());
  return MW_CLI_EXIT_USAGE;
}

/* Lists: built from the lists' table (mw_dbmail_list_info), whose column
 * ids are the JSON keys. */

/* Rows per query of --all, unless --page-size says otherwise: a page's
 * rows are all the memory a list takes. */
#define LIST_PAGE_SIZE 1000

/* A cell as the terminal shows it: the marks in lower-case words. */
static char *
format_cell (const MwListColumn *column,
             MwDbResult         *result,
             guint               row)
{
  g_autofree char *text = NULL;
  MwListValue value;

  mw_list_column_read (column, result, row, &value);
  if (value.is_null)
    return g_strdup ("");
  if (column->type == MW_LIST_VALUE_BOOLEAN)
    return g_strdup (value.number != 0 ? _("yes") : _("no"));

  text = mw_list_value_format (column, &value);
  switch (value.mark)
    {
    case MW_LIST_MARK_UNLIMITED:
      return g_strdup (C_("quota", "unlimited"));
    case MW_LIST_MARK_NEVER:
      return g_strdup (C_("last login", "never"));
    case MW_LIST_MARK_PLAIN_TEXT:
      return g_strdup (_("plain text"));
    case MW_LIST_MARK_NO_SUCH_USER:
      return g_strdup (_("(no such user)"));
    case MW_LIST_MARK_PROGRAM:
      /* Translators: a forward into a program, e.g. "|/usr/bin/procmail (pipe)" */
      return g_strdup_printf (_("%s (pipe)"), text);
    case MW_LIST_MARK_CATCH_ALL:
      /* Translators: an alias that catches every address of a domain, e.g. "@example.com (catch-all)" */
      return g_strdup_printf (_("%s (catch-all)"), text);
    case MW_LIST_MARK_NONE:
    default:
      return g_steal_pointer (&text);
    }
}

/* A row as JSON: the column ids as keys, typed values (README.md). */
static JsonNode *
row_to_json (const MwListInfo *info,
             MwDbResult       *result,
             guint             row)
{
  g_autoptr(JsonObject) object = json_object_new ();

  for (guint c = 0; c < info->n_columns; c++)
    {
      const MwListColumn *column = &info->columns[c];
      MwListValue value;

      mw_list_column_read (column, result, row, &value);
      if (value.is_null)
        json_object_set_null_member (object, column->id);
      else if (column->type == MW_LIST_VALUE_NUMBER)
        json_object_set_int_member (object, column->id, value.number);
      else if (column->type == MW_LIST_VALUE_BOOLEAN)
        json_object_set_boolean_member (object, column->id, value.number != 0);
      else if (g_utf8_validate (value.text, -1, NULL))
        json_object_set_string_member (object, column->id, value.text);
      else
        {
          g_autofree char *valid = g_utf8_make_valid (value.text, -1);

          json_object_set_string_member (object, column->id, valid);
        }
    }
  return json_node_init_object (json_node_alloc (), object);
}

/* Prints a list page by page: a text table whose columns keep the widths
 * they had (widening where a later row needs it), or one JSON document. */
typedef struct
{
  Cli              *cli;
  const MwListInfo *info;
  guint64           offset;
  guint64           n_rows;
  gboolean          total_printed;
  gboolean          header_printed;
  guint            *widths;
  const char      **headers;
  MwCliJsonStream   json;
} ListPrinter;

static void
list_printer_begin (ListPrinter      *p,
                    Cli              *cli,
                    const MwListInfo *info,
                    gint64            total,    /* -1: not known yet */
                    guint64           offset)
{
  *p = (ListPrinter) { .cli = cli, .info = info, .offset = offset };
  if (cli->json)
    {
      mw_cli_json_stream_begin (&p->json);
      if (total >= 0)
        mw_cli_json_stream_int (&p->json, "total", total);
      p->total_printed = total >= 0;
      mw_cli_json_stream_int (&p->json, "offset", (gint64) offset);
      mw_cli_json_stream_begin_array (&p->json, info->id);
      return;
    }
  p->widths = g_new0 (guint, info->n_columns);
  p->headers = g_new0 (const char *, info->n_columns + 1);
  for (guint c = 0; c < info->n_columns; c++)
    p->headers[c] = _(info->columns[c].title);
  widen_columns (p->widths, p->headers, info->n_columns);
}

static void
list_printer_page (ListPrinter *p,
                   MwDbResult  *result)
{
  guint n_rows = mw_db_result_get_n_rows (result);
  guint n_cols = p->info->n_columns;
  g_autoptr(GPtrArray) rows = NULL;

  p->n_rows += n_rows;
  if (p->cli->json)
    {
      for (guint r = 0; r < n_rows; r++)
        {
          g_autoptr(JsonNode) node = row_to_json (p->info, result, r);

          mw_cli_json_stream_element (&p->json, node);
        }
      return;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint r = 0; r < n_rows; r++)
    {
      char **cells = g_new0 (char *, n_cols + 1);

      for (guint c = 0; c < n_cols; c++)
        cells[c] = format_cell (&p->info->columns[c], result, r);
      widen_columns (p->widths, (const char *const *) cells, n_cols);
      g_ptr_array_add (rows, cells);
    }
  if (!p->header_printed)
    print_table_line (p->widths, p->headers, n_cols);
  p->header_printed = TRUE;
  for (guint r = 0; r < rows->len; r++)
    print_table_line (p->widths, g_ptr_array_index (rows, r), n_cols);
}

/* @total: the count, or -1 for the rows printed. */
static void
list_printer_end (ListPrinter *p,
                  gint64       total)
{
  if (total < 0)
    total = (gint64) p->n_rows;
  if (p->cli->json)
    {
      mw_cli_json_stream_end_array (&p->json);
      if (!p->total_printed)
        mw_cli_json_stream_int (&p->json, "total", total);
      mw_cli_json_stream_end (&p->json);
      return;
    }

  if (!p->header_printed)
    print_table_line (p->widths, p->headers, p->info->n_columns);
  if (p->n_rows == 0 && total == 0)
    g_print ("%s\n", _("Nothing found."));
  else
    {
      g_autofree char *from = g_strdup_printf ("%" G_GUINT64_FORMAT, p->n_rows > 0 ? p->offset + 1 : p->offset);
      g_autofree char *to = g_strdup_printf ("%" G_GUINT64_FORMAT, p->offset + p->n_rows);
      g_autofree char *of = g_strdup_printf ("%" G_GINT64_FORMAT, total);

      /* Translators: "Rows 1–50 of 1234" */
      g_print (_("Rows %s–%s of %s\n"), from, to, of);
    }
  g_clear_pointer (&p->widths, g_free);
  g_clear_pointer (&p->headers, g_free);
}

/* --all: every row from the offset on, one keyset page at a time, each
 * printed before the next is read. */
static int
print_all (Cli              *cli,
           MwListQuery      *query,
           const MwListInfo *info,
           gint64            total,
           guint64           offset,
           guint             page_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) page = NULL;
  ListPrinter printer;
  gint64 start = g_get_monotonic_time ();
  guint n_pages = 0;

  list_printer_begin (&printer, cli, info, total, offset);
  page = offset > 0 ? mw_list_query_fetch_offset (query, cli->db, offset, page_size, FALSE, NULL, &error)
                    : mw_list_query_fetch_next (query, cli->db, NULL, page_size, NULL, &error);
  while (page != NULL)
    {
      MwDbResult *next;

      n_pages++;
      list_printer_page (&printer, page);
      if (mw_db_result_get_n_rows (page) < page_size)
        break;
      next = mw_list_query_fetch_next (query, cli->db, page, page_size, NULL, &error);
      g_clear_pointer (&page, mw_db_result_unref);
      page = next;
    }
  if (page == NULL)
    {
      /* What was printed stays incomplete: the exit status says so. */
      g_clear_pointer (&printer.widths, g_free);
      g_clear_pointer (&printer.headers, g_free);
      g_clear_object (&printer.json.generator);
      return mw_cli_fail (error);
    }
  if (cli->timing)
    g_printerr ("pages: %u in %.2f ms\n", n_pages, (g_get_monotonic_time () - start) / 1000.0);
  list_printer_end (&printer, total);
  return MW_CLI_EXIT_OK;
}

static int
run_list (Cli        *cli,
          MwListKind  kind,
          int         argc,
          char      **argv)
{
  g_autofree char *search = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *group = NULL;
  gboolean descending = FALSE;
  gint64 limit = G_MININT64;   /* not given */
  gint64 offset = 0;
  gboolean no_count = FALSE;
  gboolean all = FALSE;
  gint64 page_size = LIST_PAGE_SIZE;
  GOptionEntry entries[] = {
    { "search", 's', 0, G_OPTION_ARG_STRING, &search, N_("Only rows containing TEXT (in the name or any alias)"), N_("TEXT") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name, N_("Sort by name, number, size, quota, last-login, group, owner, target or count"), N_("KEY") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &descending, N_("Sort in descending order"), NULL },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("Only group (client_idnr) N"), "N" },
    { "limit", 'n', 0, G_OPTION_ARG_INT64, &limit, N_("Show at most N rows (default 50)"), "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT64, &offset, N_("Skip the first N rows"), "N" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Show every row, reading and printing a page at a time"), NULL },
    { "page-size", 0, 0, G_OPTION_ARG_INT64, &page_size, N_("Rows per page with --all (default 1000)"), "N" },
    { "no-count", 0, 0, G_OPTION_ARG_NONE, &no_count, N_("Do not count all matching rows"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) result = NULL;
  const MwListInfo *info = mw_dbmail_list_info (kind);
  MwListRequest request = { .kind = kind };
  ListPrinter printer;
  gint64 total = -1;
  gint64 start;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc > 1)
    return mw_cli_usage_error (context, _("Too many arguments."));
  if (all && limit != G_MININT64)
    return mw_cli_usage_error (context, _("Use --all or --limit, not both."));
  if (limit == G_MININT64)
    limit = 50;
  if (limit < 0 || limit > 1000000 || offset < 0)
    return mw_cli_usage_error (context, _("--limit must be between 0 and 1000000, --offset at least 0."));
  if (page_size < 1 || page_size > 100000)
    return mw_cli_usage_error (context, _("--page-size must be between 1 and 100000."));

  if (sort_name != NULL && !mw_dbmail_parse_sort (kind, sort_name, &request.sort))
    return mw_cli_usage_error (context, _("Unknown sort key."));
  if (group != NULL)
    {
      if (!g_ascii_string_to_signed (group, 10, 0, G_MAXINT64, &request.group, NULL))
        return mw_cli_usage_error (context, _("The group must be a number."));
      request.has_group = TRUE;
    }
  request.search = search;
  request.descending = descending;

  query = mw_dbmail_list_query (mw_db_get_driver (cli->db), &request, &error);
  if (query == NULL)
    return mw_cli_fail (error);

  start = g_get_monotonic_time ();
  if (!no_count && (total = mw_list_query_count (query, cli->db, NULL, &error)) < 0)
    return mw_cli_fail (error);
  if (cli->timing)
    g_printerr ("count: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  if (all)
    return print_all (cli, query, info, total, (guint64) offset, (guint) page_size);

  start = g_get_monotonic_time ();
  /* Past the middle of a long list, read from the end: the server skips fewer rows. */
  if (total > 0 && offset > total / 2 && offset < total)
    {
      guint64 count = MIN ((guint64) limit, (guint64) (total - offset));
      result = mw_list_query_fetch_offset (query, cli->db, total - offset - count, (guint) count, TRUE, NULL, &error);
    }
  else
    result = mw_list_query_fetch_offset (query, cli->db, offset, (guint) limit, FALSE, NULL, &error);
  if (result == NULL)
    return mw_cli_fail (error);
  if (cli->timing)
    g_printerr ("page: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  list_printer_begin (&printer, cli, info, total >= 0 ? total : mw_db_result_get_n_rows (result), (guint64) offset);
  list_printer_page (&printer, result);
  list_printer_end (&printer, total >= 0 ? total : mw_db_result_get_n_rows (result));
  return MW_CLI_EXIT_OK;
}

/* One account */

static void
print_account_text (MwAccount *a)
{
  g_autofree char *quota = a->maxmail_size == 0 ? g_strdup (C_("quota", "unlimited"))
                                                 : g_format_size_full (a->maxmail_size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *used = g_format_size_full (a->curmail_size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *login = NULL;

  if (a->last_login == NULL || g_date_time_get_year (a->last_login) <= 1979)
    login = g_strdup (C_("last login", "never"));
  else
    login = g_date_time_format (a->last_login, "%Y-%m-%d %H:%M");

  g_print ("%-16s %s\n", _("Name:"), a->userid);
  g_print ("%-16s %" G_GINT64_FORMAT "\n", _("Number:"), a->user_idnr);
  g_print ("%-16s %" G_GINT64_FORMAT "\n", _("Group:"), a->client_idnr);
  if (a->maxmail_size > 0 && a->curmail_size > 0 && a->curmail_size * 100 < a->maxmail_size)
    g_print ("%-16s %s / %s (<1%%)\n", _("Mail used:"), used, quota);
  else if (a->maxmail_size > 0)
    g_print ("%-16s %s / %s (%.0f%%)\n", _("Mail used:"), used, quota,
             100.0 * (double) a->curmail_size / (double) a->maxmail_size);
  else
    g_print ("%-16s %s / %s\n", _("Mail used:"), used, quota);
  g_print ("%-16s %s\n", _("Last login:"), login);
  g_print ("%-16s %s\n", _("Password hash:"), a->encryption_type[0] != '\0' ? a->encryption_type : _("plain text"));
  g_print ("%-16s %s\n", _("Enabled:"), a->active ? _("yes") : _("no"));

  g_print ("\n%s\n", _("Aliases:"));
  if (a->aliases->len == 0)
    g_print ("  %s\n", _("none"));
  for (guint i = 0; i < a->aliases->len; i++)
    {
      MwAccountAlias *al = g_ptr_array_index (a->aliases, i);
      g_print ("  %s\n", al->alias);
    }

  g_print ("\n%s\n", _("Forwards from its aliases:"));
  if (a->forwards->len == 0)
    g_print ("  %s\n", _("none"));
  for (guint i = 0; i < a->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (a->forwards, i);
      g_print ("  %s → %s\n", f->alias, f->target);
    }

  g_print ("\n%s\n", _("Mailboxes:"));
  {
    const char *headers[] = { _("Mailbox"), _("Messages"), _("Size"), _("Deleted"), _("Deleted size") };
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

    for (guint i = 0; i < a->mailboxes->len; i++)
      {
        MwAccountMailbox *m = g_ptr_array_index (a->mailboxes, i);
        char **cells = g_new0 (char *, 6);

        cells[0] = mw_imap_utf7_decode (m->name);
        cells[1] = g_strdup_printf ("%" G_GINT64_FORMAT, m->visible_count);
        cells[2] = g_format_size_full (m->visible_bytes, G_FORMAT_SIZE_IEC_UNITS);
        cells[3] = g_strdup_printf ("%" G_GINT64_FORMAT, m->deleted_count);
        cells[4] = g_format_size_full (m->deleted_bytes, G_FORMAT_SIZE_IEC_UNITS);
        g_ptr_array_add (rows, cells);
      }
    print_table (headers, rows, 5);
  }
}

static void
print_account_json (MwAccount *a)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *login = a->last_login != NULL ? g_date_time_format (a->last_login, "%Y-%m-%d %H:%M:%S") : NULL;

  json_builder_begin_object (b);
  mw_cli_json_add_int (b, "user_idnr", a->user_idnr);
  mw_cli_json_add_string_or_null (b, "userid", a->userid);
  mw_cli_json_add_int (b, "client_idnr", a->client_idnr);
  mw_cli_json_add_int (b, "maxmail_size", a->maxmail_size);
  mw_cli_json_add_int (b, "curmail_size", a->curmail_size);
  mw_cli_json_add_string_or_null (b, "encryption_type", a->encryption_type != NULL ? a->encryption_type : "");
  mw_cli_json_add_string_or_null (b, "last_login", login != NULL ? login : "");
  mw_cli_json_add_bool (b, "active", a->active);
  json_builder_set_member_name (b, "aliases");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->aliases->len; i++)
    json_builder_add_string_value (b, ((MwAccountAlias *) g_ptr_array_index (a->aliases, i))->alias);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "forwards");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (a->forwards, i);

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "alias", f->alias);
      mw_cli_json_add_string_or_null (b, "target", f->target);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "mailboxes");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->mailboxes->len; i++)
    {
      MwAccountMailbox *m = g_ptr_array_index (a->mailboxes, i);
      g_autofree char *decoded = mw_imap_utf7_decode (m->name);

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "name", m->name);
      mw_cli_json_add_string_or_null (b, "display_name", decoded);
      mw_cli_json_add_int (b, "mailbox_idnr", m->mailbox_idnr);
      mw_cli_json_add_int (b, "visible_count", m->visible_count);
      mw_cli_json_add_int (b, "visible_bytes", m->visible_bytes);
      mw_cli_json_add_int (b, "deleted_count", m->deleted_count);
      mw_cli_json_add_int (b, "deleted_bytes", m->deleted_bytes);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  mw_cli_json_print (b);
}

static int
show_user (Cli        *cli,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;
  g_autoptr(MwAccount) account = NULL;

  found = mw_dbmail_find_user (cli->db, text, NULL, &error);
  if (found == NULL)
    return mw_cli_fail (error);

  if (found->kind == MW_FOUND_FORWARD)
    {
      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "forward", found->alias);
          mw_cli_json_add_string_or_null (b, "matched_by", found->matched_by);
          json_builder_set_member_name (b, "targets");
          json_builder_begin_array (b);
          for (guint i = 0; found->targets[i] != NULL; i++)
            json_builder_add_string_value (b, found->targets[i]);
          json_builder_end_array (b);
          json_builder_end_object (b);
          mw_cli_json_print (b);
        }
      else
        {
          g_autofree char *targets = g_strjoinv (", ", found->targets);
          /* Translators: "sales@example.com is not a user: it forwards to a@b.org, |/usr/bin/procmail" */
          g_print (_("%s is not a user: it forwards to %s\n"), found->alias, targets);
        }
      return MW_CLI_EXIT_OK;
    }

  account = mw_dbmail_get_account (cli->db, found->user_idnr, NULL, &error);
  if (account == NULL)
    return mw_cli_fail (error);

  if (cli->json)
    print_account_json (account);
  else
    {
      if (found->alias != NULL)
        /* Translators: "(found through the alias a@b.org)" */
        g_print (_("(found through the alias %s)\n"), found->alias);
      print_account_text (account);
    }
  return MW_CLI_EXIT_OK;
}

static int
run_user (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME|NUMBER|ADDRESS"));
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (argc != 2)
    return mw_cli_usage_error (context, _("Name one user: a name, a number or an address."));
  return show_user (cli, argv[1]);
}

/* check */

static int
run_check (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autofree char *description = mw_schema_info_describe (cli->info);
  g_autoptr(GError) error = NULL;
  struct { const char *label; const char *key; MwListKind kind; gint64 n; } counts[] = {
    { N_("Users:"), "users", MW_LIST_USERS, 0 },
    { N_("Aliases:"), "aliases", MW_LIST_ALIASES, 0 },
    { N_("Forwards:"), "forwards", MW_LIST_FORWARDS, 0 },
    { N_("Domains:"), "domains", MW_LIST_DOMAINS, 0 },
    { N_("Groups:"), "groups", MW_LIST_GROUPS, 0 },
  };
  MwMailCounts mail;

  if (argc > 1)
    return mw_cli_usage_error (NULL, _("Too many arguments."));

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      MwListRequest request = { .kind = counts[i].kind };
      g_autoptr(MwListQuery) query = mw_dbmail_list_query (mw_db_get_driver (cli->db), &request, &error);

      if (query == NULL || (counts[i].n = mw_list_query_count (query, cli->db, NULL, &error)) < 0)
        return mw_cli_fail (error);
    }
  mw_mail_count_all (cli->db, &mail);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "schema", cli->info->kind == MW_SCHEMA_DBMAIL_3 ? "dbmail-3" : "dbmail-2.2");
      mw_cli_json_add_int (b, "schema_version", cli->info->schema_version);
      mw_cli_json_add_string_or_null (b, "server", cli->info->server_version != NULL ? cli->info->server_version : "");
      mw_cli_json_add_string_or_null (b, "prefix", cli->info->prefix);
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        mw_cli_json_add_int (b, counts[i].key, counts[i].n);
      mw_cli_json_add_int (b, "mailboxes", mail.mailboxes);
      mw_cli_json_add_int (b, "messages", mail.messages);
      mw_cli_json_add_int (b, "deleted_messages", mail.deleted);
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else
    {
      g_print ("%-18s %s\n", _("Schema:"), description);
      g_print ("%-18s %s\n", _("Table prefix:"), cli->info->prefix);
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        g_print ("%-18s %" G_GINT64_FORMAT "\n", _(counts[i].label), counts[i].n);
      g_print ("%-18s %" G_GINT64_FORMAT "\n", _("Mailboxes:"), mail.mailboxes);
      g_print ("%-18s %" G_GINT64_FORMAT "\n", _("Messages:"), mail.messages);
      g_print ("%-18s %" G_GINT64_FORMAT "\n", _("Deleted, not purged:"), mail.deleted);
    }
  return MW_CLI_EXIT_OK;
}

/* Demo: what a first look at a mail system shows. */
static int
run_demo_tour (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) first = NULL;
  MwListRequest request = { .kind = MW_LIST_USERS };
  char *list_argv[] = { (char *) "users", (char *) "--limit", (char *) "20", NULL };
  MwListValue name;
  int rc;

  g_print ("== %s ==\n", _("Users"));
  if ((rc = run_list (cli, MW_LIST_USERS, 3, list_argv)) != 0)
    return rc;

  query = mw_dbmail_list_query (mw_db_get_driver (cli->db), &request, &error);
  first = query != NULL ? mw_list_query_fetch_offset (query, cli->db, 0, 1, FALSE, NULL, &error) : NULL;
  if (first == NULL)
    return mw_cli_fail (error);
  if (mw_db_result_get_n_rows (first) == 0)
    return MW_CLI_EXIT_OK;

  g_print ("\n== %s ==\n", _("One account"));
  mw_list_column_read (mw_list_info_find_column (mw_dbmail_list_info (MW_LIST_USERS), "name"), first, 0, &name);
  return show_user (cli, name.text);
}

/* Writes over the password in the raw text of a database address (user
 * information and a password= setting), in place: the argument strings are
 * what /proc/PID/cmdline and ps show for the whole run. */
static void
hide_uri_password (char *arg)
{
  char *start = strstr (arg, "://");
  char *authority_end;
  char *at = NULL;

  if (start == NULL)
    return;
  start += 3;
  authority_end = start + strcspn (start, "/?#");
  for (char *p = start; p < authority_end; p++)
    if (*p == '@')
      at = p;
  if (at != NULL)
    {
      char *colon = memchr (start, ':', (gsize) (at - start));

      for (char *p = colon != NULL ? colon + 1 : at; p < at; p++)
        *p = '*';
    }
  for (char *p = strchr (authority_end, '?'); p != NULL && *p != '\0' && *p != '#'; )
    {
      p++;
      if (g_str_has_prefix (p, "password="))
        for (p += strlen ("password="); *p != '\0' && *p != '&' && *p != '#'; p++)
          *p = '*';
      p += strcspn (p, "&#");
    }
}

static const char *
help_description (void)
{
  return _("Commands:\n"
           "  check                       Connect, detect the schema, print counts\n"
           "  users [OPTIONS]             List users (--search --sort --desc --group --limit --offset)\n"
           "  user NAME|NUMBER|ADDRESS    Show one account: by name, number or any alias\n"
           "  aliases [OPTIONS]           List aliases that deliver to users\n"
           "  forwards [OPTIONS]          List forwards to external addresses and programs\n"
           "  domains [OPTIONS]           List the domains found in aliases, with counts\n"
           "  groups [OPTIONS]            List groups (client_idnr) with user counts and domains\n"
           "  user add|set|delete USER    Add, change or delete an account (--dry-run shows what would happen)\n"
           "  group delete|add-domain N   Delete every user of a group, or give them all an alias at a domain\n"
           "  alias add|delete|move       Aliases: addresses that deliver to a user\n"
           "  forward add|delete|to-alias Forwards to external addresses and programs, BCCs\n"
           "  import FILE.csv             Add users from CSV (a preview with per-line errors; --dry-run)\n"
           "  export users|aliases|forwards  The list (with --search, --group) as CSV\n"
           "  mailboxes USER              A user's mailboxes with visible, deleted and purge-pending counts\n"
           "  messages USER [MAILBOX]     Messages (--deleted, --all, --search, --sort, --limit)\n"
           "  message show|delete|undelete ID...  Read a message; delete or undelete messages\n"
           "  hash SCHEME                 What DBMail stores for the password on standard input (no database)\n"
           "  verify STORED [--type T]    Check the password on standard input against a stored value (no database)\n"
           "  audit [--csv FILE]          The changes Mailwarden made (no database)\n"
           "Run “mailwarden-cli COMMAND --help” for a command's options.\n"
           "\n"
           "Database addresses:\n"
           "  postgresql://USER@HOST:PORT/DB?sslmode=verify-full&sslrootcert=/ca.pem&prefix=dbmail_\n"
           "  postgresql://USER@/DB?host=/socket/dir\n"
           "  mysql://USER@HOST:PORT/DB?tls=verify-full&ca=/ca.pem\n"
           "  mysql://USER@localhost/DB?socket=/path/to/socket\n"
           "Settings after “?”: host, socket, sslmode (or ssl-mode, tls: disable, prefer, require, verify-full),\n"
           "sslrootcert (or ssl-ca, ca), prefix, connect_timeout, user, password. TLS does not apply to a socket.\n"
           "Give the password in the environment variable MAILWARDEN_PASSWORD, in ~/.pgpass (PostgreSQL) or\n"
           "with a saved connection (--profile, keyring): one in the address is visible to other users (ps).\n"
           "\n"
           "Exit status:\n"
           "  0  success\n"
           "  1  wrong usage or invalid input\n"
           "  2  cannot connect (server unreachable, wrong password, no such database, bad settings)\n"
           "  3  not a DBMail database, a table missing, or permission denied\n"
           "  4  nothing found\n"
           "  5  the query failed, the connection was lost, or the account changed meanwhile\n"
           "  6  verify: the password does not match");
}

int
mw_cli_run (int    argc,
            char **argv)
{
  g_autofree char *uri = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *prefix = NULL;
  gboolean demo = FALSE;
  gboolean json = FALSE;
  gboolean timing = FALSE;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_STRING, &uri, N_("Connect to the database at URI"), N_("URI") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, N_("Connect with the saved connection NAME"), N_("NAME") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix, N_("Table prefix (default dbmail_)"), N_("PREFIX") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, N_("Start a private demo database with sample data and use it"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { "timing", 0, 0, G_OPTION_ARG_NONE, &timing, N_("Print query times on standard error"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) settings = NULL;
  g_autoptr(MwDemoServer) demo_server = NULL;
  g_autoptr(MwDb) db = NULL;
  g_autoptr(MwSession) session = NULL;
  /* The argument strings themselves, before parsing reorders the array. */
  g_autofree char **original = g_memdup2 (argv, sizeof (char *) * (gsize) (argc + 1));
  Cli cli = { 0 };
  const char *command;
  int rc;

  g_set_prgname ("mailwarden-cli");
  context = g_option_context_new (_("COMMAND [OPTIONS…]"));
  g_option_context_set_summary (context, _("Look into a DBMail mail database."));
  g_option_context_set_description (context, help_description ());
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return mw_cli_usage_error (context, error->message);
  if (version)
    {
      g_print ("mailwarden-cli %s\n", PACKAGE_VERSION);
      return MW_CLI_EXIT_OK;
    }

  command = argc > 1 ? argv[1] : NULL;

  if (command != NULL && mw_cli_is_offline_command (command))
    return mw_cli_run_offline (command, json, argc - 1, argv + 1);

  /* "mailwarden-cli users --help" needs no database. */
  for (int i = 2; command != NULL && i < argc; i++)
    if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h") || g_str_equal (argv[i], "-?"))
      {
        if (mw_cli_is_admin_command (command) || mw_cli_is_user_admin (argc, argv))
          return mw_cli_run_admin (&cli, command, argc - 1, argv + 1);
        if (g_str_equal (command, "user"))
          return run_user (&cli, argc - 1, argv + 1);
        if (g_str_equal (command, "check"))
          break;
        for (MwListKind kind = MW_LIST_USERS; kind <= MW_LIST_GROUPS; kind++)
          if (g_str_equal (command, mw_dbmail_list_kind_name (kind)))
            return run_list (&cli, kind, argc - 1, argv + 1);
      }

  if (command == NULL && !demo)
    return mw_cli_usage_error (context, _("Name a command, or use --demo."));
  if ((uri != NULL) + (profile != NULL) + (demo != FALSE) != 1)
    return mw_cli_usage_error (context, _("Use exactly one of --db, --profile and --demo."));

  if (demo)
    {
      g_printerr ("%s\n", _("Starting the demo database…"));
      demo_server = mw_demo_server_start (0, &error);
      if (demo_server == NULL)
        return mw_cli_fail (error);
      settings = mw_db_settings_copy (mw_demo_server_get_settings (demo_server));
    }
  else if (uri != NULL)
    {
      settings = mw_db_settings_parse_uri (uri, &error);
      if (settings != NULL && settings->password != NULL && settings->password[0] != '\0')
        {
          for (int i = 1; original[i] != NULL; i++)
            if (strstr (original[i], uri) != NULL)
              hide_uri_password (original[i]);
          g_printerr ("%s: %s\n", g_get_prgname (),
                      settings->driver == MW_DB_DRIVER_PGSQL
                      ? _("Warning: the password in the --db address is visible to other users of this computer "
                          "(ps). Put it in the environment variable MAILWARDEN_PASSWORD, in ~/.pgpass, or in the "
                          "keyring with a saved connection (--profile) instead.")
                      : _("Warning: the password in the --db address is visible to other users of this computer "
                          "(ps). Put it in the environment variable MAILWARDEN_PASSWORD, or in the keyring with a "
                          "saved connection (--profile) instead."));
        }
      memset (uri, 0, strlen (uri));
    }
  else
    settings = mw_profiles_load (profile, &error);
  if (settings == NULL)
    return mw_cli_fail (error);

  if (prefix != NULL)
    {
      g_free (settings->table_prefix);
      settings->table_prefix = g_strdup (prefix);
    }
  if (settings->password == NULL && g_getenv ("MAILWARDEN_PASSWORD") != NULL)
    settings->password = g_strdup (g_getenv ("MAILWARDEN_PASSWORD"));

  db = mw_db_connect (settings, NULL, &error);
  if (db == NULL)
    {
      rc = mw_cli_fail (error);
      /* Whatever the server said while the connection was being made, the
       * README promises 2 for "cannot connect". */
      return rc == MW_CLI_EXIT_QUERY ? MW_CLI_EXIT_CONNECT : rc;
    }
  session = mw_session_new_for_connection (profile, settings, g_steal_pointer (&db), NULL, &error);
  if (session == NULL)
    return mw_cli_fail (error);
  /* The demo server goes when the session's connection is closed. */
  if (demo_server != NULL)
    mw_session_take_demo_server (session, g_steal_pointer (&demo_server));

  cli.json = json;
  cli.timing = timing;
  cli.session = session;
  cli.db = mw_session_get_db (session);
  cli.info = mw_session_get_info (session);
  cli.profile = profile;

  if (command == NULL)
    rc = run_demo_tour (&cli);
  else if (mw_cli_is_admin_command (command) || mw_cli_is_user_admin (argc, argv))
    rc = mw_cli_run_admin (&cli, command, argc - 1, argv + 1);
  else if (FALSE)
    rc = run_demo_tour (&cli);
  else if (g_str_equal (command, "check"))
    rc = run_check (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "users"))
    rc = run_list (&cli, MW_LIST_USERS, argc - 1, argv + 1);
  else if (g_str_equal (command, "aliases"))
    rc = run_list (&cli, MW_LIST_ALIASES, argc - 1, argv + 1);
  else if (g_str_equal (command, "forwards"))
    rc = run_list (&cli, MW_LIST_FORWARDS, argc - 1, argv + 1);
  else if (g_str_equal (command, "domains"))
    rc = run_list (&cli, MW_LIST_DOMAINS, argc - 1, argv + 1);
  else if (g_str_equal (command, "groups"))
    rc = run_list (&cli, MW_LIST_GROUPS, argc - 1, argv + 1);
  else if (g_str_equal (command, "user"))
    rc = run_user (&cli, argc - 1, argv + 1);
  else
    {
      g_autofree char *msg = g_strdup_printf (_("Unknown command “%s”."), command);
      rc = mw_cli_usage_error (context, msg);
    }

  return rc;
}
