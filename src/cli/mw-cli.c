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
#include "mailwarden-core.h"

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

char *
mw_cli_resolve_account (Cli         *cli,
                        const char  *text,
                        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_session_resolve_account_async (cli->session, text, NULL, mw_async_wait_ready, &result);
  return mw_session_resolve_account_finish (cli->session, mw_async_wait (&result), error);
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

/* Lists: built from the schema's description of each list
 * (mw_schema_get_list), whose column ids are the JSON keys. */

/* The words --sort took before it took column ids; each still names the
 * same sort where the list has it. */
static const struct { const char *name; MwListSort sort; } older_sorts[] = {
  { "name", MW_SORT_NAME }, { "alias", MW_SORT_NAME }, { "domain", MW_SORT_NAME },
  { "number", MW_SORT_NUMBER }, { "id", MW_SORT_NUMBER },
  { "size", MW_SORT_MAIL_SIZE }, { "mail-size", MW_SORT_MAIL_SIZE },
  { "quota", MW_SORT_QUOTA },
  { "last-login", MW_SORT_LAST_LOGIN }, { "login", MW_SORT_LAST_LOGIN },
  { "group", MW_SORT_GROUP },
  { "owner", MW_SORT_OWNER }, { "user", MW_SORT_OWNER },
  { "target", MW_SORT_TARGET },
  { "count", MW_SORT_COUNT }, { "users", MW_SORT_COUNT }, { "addresses", MW_SORT_COUNT },
};

static gboolean
list_sorts_by (const MwListInfo *info,
               MwListSort        sort)
{
  for (guint c = 0; c < info->n_columns; c++)
    if (info->columns[c].sort == sort)
      return TRUE;
  return FALSE;
}

gboolean
mw_cli_parse_sort (const MwListInfo  *info,
                   const char        *name,
                   MwListSort        *sort,
                   GError           **error)
{
  const MwListColumn *column = mw_list_info_find_column (info, name);
  g_autoptr(GString) keys = NULL;

  if (column != NULL && column->sort != MW_SORT_DEFAULT)
    {
      *sort = column->sort;
      return TRUE;
    }
  for (guint i = 0; column == NULL && i < G_N_ELEMENTS (older_sorts); i++)
    if (g_ascii_strcasecmp (name, older_sorts[i].name) == 0 && list_sorts_by (info, older_sorts[i].sort))
      {
        *sort = older_sorts[i].sort;
        return TRUE;
      }

  keys = g_string_new (NULL);
  for (guint c = 0; c < info->n_columns; c++)
    if (info->columns[c].sort != MW_SORT_DEFAULT)
      g_string_append_printf (keys, "%s%s", keys->len > 0 ? ", " : "", info->columns[c].id);
  /* Translators: "This list cannot be sorted by “colour”: name one of name, number, group." */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("This list cannot be sorted by “%s”: name one of %s."),
               name, keys->str);
  return FALSE;
}

/* Rows per query of --all, unless --page-size says otherwise: a page's
 * rows are all the memory a list takes. */
#define LIST_PAGE_SIZE 1000

/* A cell as the terminal shows it: the marks in lower-case words. */
static char *
format_cell (const MwListColumn *column,
             MwRecord           *record)
{
  g_autofree char *text = NULL;
  MwListValue value;

  mw_list_column_read_record (column, record, &value);
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
      else if (column->format == MW_LIST_FORMAT_FOLDER)
        {
          /* A folder as a mail client names it, and as stored (modified
           * UTF-7, pure ASCII) for scripts that pass it back. */
          g_autofree char *stored_key = g_strconcat (column->id, "_stored", NULL);
          g_autofree char *shown = mw_imap_utf7_decode (value.text);
          g_autofree char *valid = g_utf8_make_valid (shown != NULL ? shown : value.text, -1);
          g_autofree char *stored = g_utf8_make_valid (value.text, -1);

          json_object_set_string_member (object, column->id, valid);
          json_object_set_string_member (object, stored_key, stored);
        }
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

/* @records: MwRecord, one page */
static void
list_printer_page (ListPrinter *p,
                   GPtrArray   *records)
{
  guint n_rows = records->len;
  guint n_cols = p->info->n_columns;
  g_autoptr(GPtrArray) rows = NULL;

  p->n_rows += n_rows;
  if (p->cli->json)
    {
      for (guint r = 0; r < n_rows; r++)
        {
          g_autoptr(JsonNode) node = row_to_json (p->info, g_ptr_array_index (records, r));

          mw_cli_json_stream_element (&p->json, node);
        }
      return;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint r = 0; r < n_rows; r++)
    {
      char **cells = g_new0 (char *, n_cols + 1);

      for (guint c = 0; c < n_cols; c++)
        cells[c] = format_cell (&p->info->columns[c], g_ptr_array_index (records, r));
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

/* The next page of a list after what @cursor read last. (element-type MwRecord) */
static GPtrArray *
fetch_next (Cli           *cli,
            MwListCursor  *cursor,
            guint          limit,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_session_fetch_list_async (cli->session, cursor, limit, NULL, mw_async_wait_ready, &result);
  return mw_session_fetch_list_finish (cli->session, mw_async_wait (&result), error);
}

/* @limit rows of a list from @offset. (element-type MwRecord) */
static GPtrArray *
fetch_offset (Cli          *cli,
              MwListQuery  *query,
              guint64       offset,
              guint         limit,
              GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mw_session_fetch_list_offset_async (cli->session, query, offset, limit, NULL, mw_async_wait_ready, &result);
  return mw_session_fetch_list_offset_finish (cli->session, mw_async_wait (&result), error);
}

/* The exact number of rows of @query, or -1 with @error. */
static gint64
count_rows (Cli          *cli,
            MwListQuery  *query,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 total;

  mw_session_count_list_async (cli->session, query, NULL, mw_async_wait_ready, &result);
  total = mw_session_count_list_finish (cli->session, mw_async_wait (&result), error);
  if (cli->timing)
    g_printerr ("count: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  return total;
}

/* --all: every row from the offset on, one keyset page at a time, each
 * printed before the next is read. */
static int
print_all (Cli              *cli,
           MwListQuery      *query,
           const MwListInfo *info,
           gboolean          count,
           guint64           offset,
           guint             page_size)
{
  gint64 total = -1;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListCursor) cursor = mw_list_cursor_new (query);
  g_autoptr(GPtrArray) page = NULL;
  ListPrinter printer;
  gint64 start = g_get_monotonic_time ();
  guint n_pages = 0;

  list_printer_begin (&printer, cli, info, total, offset);
  mw_list_cursor_set_offset (cursor, offset);
  page = fetch_next (cli, cursor, page_size, &error);
  while (page != NULL)
    {
      n_pages++;
      list_printer_page (&printer, page);
      if (page->len < page_size)
        break;
      g_clear_pointer (&page, g_ptr_array_unref);
      page = fetch_next (cli, cursor, page_size, &error);
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
  /* The count comes after the rows: at a million rows it takes long. */
  if (count && (total = count_rows (cli, query, &error)) < 0)
    {
      g_clear_pointer (&printer.widths, g_free);
      g_clear_pointer (&printer.headers, g_free);
      g_clear_object (&printer.json.generator);
      return mw_cli_fail (error);
    }
  list_printer_end (&printer, total);
  return MW_CLI_EXIT_OK;
}

/* The list commands are the lists' ids; a schema may have fewer of them,
 * and "users --help" needs no schema. */
static gboolean
is_list_command (const char *command)
{
  static const char *const commands[] = { "users", "aliases", "forwards", "domains", "groups", "alias-domains",
                                          "vacations", "domain-admins", "login-maps", "sharing", "filters", NULL };

  return g_strv_contains (commands, command);
}

/* The list of @command, or NULL with the error. */
static const MwListInfo *
get_list (Cli         *cli,
          const char  *command,
          GError     **error)
{
  const MwListInfo *info = mw_schema_find_list (cli->schema, command);

  if (info == NULL)
    {
      g_autofree char *description = mw_schema_describe (cli->schema);

      /* Translators: "This database (ISPmail on PostgreSQL 15.4) has no list “groups”." */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("This database (%s) has no list “%s”."),
                   description, command);
    }
  return info;
}

static int
run_list (Cli        *cli,
          const char *command,
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
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name,
      N_("Sort by the column KEY, named by its --json key (name, number, used, quota, last_login, group …)"), N_("KEY") },
    { "desc", 0, 0, G_OPTION_ARG_NONE, &descending, N_("Sort in descending order"), NULL },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("Only group N"), "N" },
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
  g_autoptr(GPtrArray) records = NULL;
  const MwListInfo *info;
  MwListRequest request = { 0 };
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
  if ((info = get_list (cli, command, &error)) == NULL)
    return mw_cli_usage_error (context, error->message);

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

  query = mw_schema_list_query (cli->schema, &request, &error);
  if (query == NULL)
    return mw_cli_fail (error);

  if (all)
    return print_all (cli, query, info, !no_count, (guint64) offset, (guint) page_size);
  /* From the start, the rows come first and the count after them (an exact
   * count of a million aliases takes long); further in, the count says
   * whether reading from the end is shorter. */
  if (!no_count && offset > 0 && (total = count_rows (cli, query, &error)) < 0)
    return mw_cli_fail (error);

  start = g_get_monotonic_time ();
  /* Past the middle of a long list, read from the end: the same list in the
   * other direction, where the server skips fewer rows. */
  if (total > 0 && offset > total / 2 && offset < total)
    {
      guint64 count = MIN ((guint64) limit, (guint64) (total - offset));

      request.descending = !request.descending;
      g_clear_pointer (&query, mw_list_query_unref);
      if ((query = mw_schema_list_query (cli->schema, &request, &error)) == NULL ||
          (records = fetch_offset (cli, query, (guint64) total - (guint64) offset - count, (guint) count,
                                   &error)) == NULL)
        return mw_cli_fail (error);
      for (guint i = 0; i < records->len / 2; i++)
        {
          gpointer first = records->pdata[i];

          records->pdata[i] = records->pdata[records->len - 1 - i];
          records->pdata[records->len - 1 - i] = first;
        }
    }
  else if ((records = fetch_offset (cli, query, (guint64) offset, (guint) limit, &error)) == NULL)
    return mw_cli_fail (error);
  if (cli->timing)
    g_printerr ("page: %.2f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  list_printer_begin (&printer, cli, info, total, (guint64) offset);
  list_printer_page (&printer, records);
  if (!no_count && offset == 0)
    {
      fflush (stdout);
      if ((total = count_rows (cli, query, &error)) < 0)
        {
          g_clear_pointer (&printer.widths, g_free);
          g_clear_pointer (&printer.headers, g_free);
          g_clear_object (&printer.json.generator);
          return mw_cli_fail (error);
        }
    }
  list_printer_end (&printer, total >= 0 ? total : (gint64) records->len);
  return MW_CLI_EXIT_OK;
}

int
mw_cli_run_list_command (Cli         *cli,
                         const char  *command,
                         int          argc,
                         char       **argv)
{
  return run_list (cli, command, argc, argv);
}

/* One account */

/* Whether the account's "used" is what the server counts: the flavour's
 * list of users has the column. */
static gboolean
knows_used (Cli *cli)
{
  const MwListInfo *users = mw_schema_get_list (cli->schema, MW_LIST_USERS);

  return users != NULL && mw_list_info_find_column (users, "used") != NULL;
}

static void
print_account_text (Cli       *cli,
                    MwAccount *a)
{
  g_autofree char *quota = a->quota == 0 ? g_strdup (C_("quota", "unlimited"))
                                         : g_format_size_full (a->quota, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *used = g_format_size_full (a->used, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *login = NULL;

  if (a->last_login == NULL || g_date_time_get_year (a->last_login) <= 1979)
    login = g_strdup (C_("last login", "never"));
  else
    login = g_date_time_format (a->last_login, "%Y-%m-%d %H:%M");

  g_print ("%-16s %s\n", _("Name:"), a->name);
  if (a->number > 0)
    g_print ("%-16s %" G_GINT64_FORMAT "\n", _("Number:"), a->number);
  if (mw_schema_can (cli->schema, MW_SCHEMA_CAN_GROUPS))
    g_print ("%-16s %" G_GINT64_FORMAT "\n", _("Group:"), a->group);
  /* Only a flavour whose list of users has a "used" column knows the use
   * (ISPmail does not: "0 bytes" would be a guess); the others get the quota. */
  if (mw_schema_can (cli->schema, MW_SCHEMA_CAN_QUOTA) && !knows_used (cli))
    g_print ("%-16s %s\n", _("Quota:"), quota);
  else if (mw_schema_can (cli->schema, MW_SCHEMA_CAN_QUOTA))
    {
      if (a->quota > 0 && a->used > 0 && a->used * 100 < a->quota)
        g_print ("%-16s %s / %s (<1%%)\n", _("Mail used:"), used, quota);
      else if (a->quota > 0)
        g_print ("%-16s %s / %s (%.0f%%)\n", _("Mail used:"), used, quota,
                 100.0 * (double) a->used / (double) a->quota);
      else
        g_print ("%-16s %s / %s\n", _("Mail used:"), used, quota);
    }
  if (mw_schema_can (cli->schema, MW_SCHEMA_CAN_LAST_LOGIN))
    g_print ("%-16s %s\n", _("Last login:"), login);
  g_print ("%-16s %s\n", _("Password hash:"),
           a->password_scheme != NULL && a->password_scheme[0] != '\0' ? a->password_scheme : _("plain text"));
  if (mw_schema_can (cli->schema, MW_SCHEMA_CAN_DISABLE))
    g_print ("%-16s %s\n", _("Enabled:"), a->active ? _("yes") : _("no"));

  g_print ("\n%s\n", _("Aliases:"));
  if (a->aliases->len == 0)
    g_print ("  %s\n", _("none"));
  for (guint i = 0; i < a->aliases->len; i++)
    {
      MwAccountAddress *al = g_ptr_array_index (a->aliases, i);
      g_print ("  %s\n", al->address);
    }

  if (mw_schema_can (cli->schema, MW_SCHEMA_CAN_FORWARDS))
    {
      g_print ("\n%s\n", _("Forwards from its aliases:"));
      if (a->forwards->len == 0)
        g_print ("  %s\n", _("none"));
      for (guint i = 0; i < a->forwards->len; i++)
        {
          MwAccountForward *f = g_ptr_array_index (a->forwards, i);
          g_print ("  %s → %s\n", f->address, f->target);
        }
    }

  if (cli->store != NULL)
    {
      const char *headers[] = { _("Mailbox"), _("Messages"), _("Size"), _("Deleted"), _("Deleted size") };
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      g_print ("\n%s\n", _("Mailboxes:"));
      for (guint i = 0; a->mailboxes != NULL && i < a->mailboxes->len; i++)
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

/* An account's value for the users list's column @id (README.md), as that
 * list writes it; FALSE for a column the account does not carry. */
static gboolean
add_account_value (JsonObject *object,
                   MwAccount  *a,
                   const char *id)
{
  if (g_str_equal (id, "name"))
    mw_cli_json_set_string (object, id, a->name);
  else if (g_str_equal (id, "number") && a->number == 0)
    json_object_set_null_member (object, id);  /* the account record carries none (mw-account.h) */
  else if (g_str_equal (id, "number"))
    json_object_set_int_member (object, id, a->number);
  else if (g_str_equal (id, "group"))
    json_object_set_int_member (object, id, a->group);
  else if (g_str_equal (id, "quota"))
    json_object_set_int_member (object, id, a->quota);
  else if (g_str_equal (id, "used"))
    json_object_set_int_member (object, id, a->used);
  else if (g_str_equal (id, "last_login"))
    {
      g_autofree char *login = a->last_login != NULL ? g_date_time_format (a->last_login, "%Y-%m-%d %H:%M:%S") : NULL;

      json_object_set_string_member (object, id, login != NULL ? login : "");
    }
  else if (g_str_equal (id, "password_scheme"))
    mw_cli_json_set_string (object, id, a->password_scheme != NULL ? a->password_scheme : "");
  else if (g_str_equal (id, "enabled"))
    json_object_set_boolean_member (object, id, a->active);
  else
    return FALSE;
  return TRUE;
}

/* The users list's keys for the account, then its addresses and mailboxes. */
static void
print_account_json (Cli       *cli,
                    MwAccount *a)
{
  const MwListInfo *users = mw_schema_get_list (cli->schema, MW_LIST_USERS);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  mw_cli_json_set_string (object, "key", a->key);
  for (guint c = 0; users != NULL && c < users->n_columns; c++)
    add_account_value (object, a, users->columns[c].id);

  array = json_array_new ();
  for (guint i = 0; i < a->aliases->len; i++)
    {
      g_autofree char *address = g_utf8_make_valid (((MwAccountAddress *) g_ptr_array_index (a->aliases, i))->address, -1);

      json_array_add_string_element (array, address);
    }
  json_object_set_array_member (object, "aliases", array);

  if (mw_schema_can (cli->schema, MW_SCHEMA_CAN_FORWARDS))
    {
      array = json_array_new ();
      for (guint i = 0; i < a->forwards->len; i++)
        {
          MwAccountForward *f = g_ptr_array_index (a->forwards, i);
          JsonObject *forward = json_object_new ();

          mw_cli_json_set_string (forward, "address", f->address);
          mw_cli_json_set_string (forward, "target", f->target);
          json_array_add_object_element (array, forward);
        }
      json_object_set_array_member (object, "forwards", array);
    }

  if (cli->store != NULL)
    {
      array = json_array_new ();
      for (guint i = 0; a->mailboxes != NULL && i < a->mailboxes->len; i++)
        {
          MwAccountMailbox *m = g_ptr_array_index (a->mailboxes, i);
          JsonObject *mailbox = json_object_new ();
          g_autofree char *decoded = mw_imap_utf7_decode (m->name);

          mw_cli_json_set_string (mailbox, "key", m->key);
          mw_cli_json_set_string (mailbox, "name", m->name);
          mw_cli_json_set_string (mailbox, "display_name", decoded);
          json_object_set_int_member (mailbox, "visible_count", m->visible_count);
          json_object_set_int_member (mailbox, "visible_bytes", m->visible_bytes);
          json_object_set_int_member (mailbox, "deleted_count", m->deleted_count);
          json_object_set_int_member (mailbox, "deleted_bytes", m->deleted_bytes);
          json_array_add_object_element (array, mailbox);
        }
      json_object_set_array_member (object, "mailboxes", array);
    }

  root = json_node_init_object (json_node_alloc (), object);
  mw_cli_json_print_node (root);
}

static int
show_user (Cli        *cli,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;
  g_autoptr(MwAccount) account = NULL;

  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_find_async (cli->session, text, NULL, mw_async_wait_ready, &result);
    if ((found = mw_session_find_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
      return mw_cli_fail (error);
  }

  if (found->kind == MW_FOUND_FORWARD)
    {
      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          mw_cli_json_add_string_or_null (b, "forward", found->address);
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
          g_print (_("%s is not a user: it forwards to %s\n"), found->address, targets);
        }
      return MW_CLI_EXIT_OK;
    }

  {
    g_autoptr(GAsyncResult) result = NULL;

    mw_session_get_account_async (cli->session, found->key, NULL, mw_async_wait_ready, &result);
    if ((account = mw_session_get_account_finish (cli->session, mw_async_wait (&result), &error)) == NULL)
      return mw_cli_fail (error);
  }

  if (cli->json)
    print_account_json (cli, account);
  else
    {
      if (found->address != NULL)
        /* Translators: "(found through the alias a@b.org)" */
        g_print (_("(found through the alias %s)\n"), found->address);
      print_account_text (cli, account);
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
  const MwSchemaInfo *info = mw_schema_get_info (cli->schema);
  g_autofree char *description = mw_schema_describe (cli->schema);
  g_autoptr(GError) error = NULL;
  struct { const char *label; MwListKind kind; const MwListInfo *list; gint64 n; } counts[] = {
    { N_("Users:"), MW_LIST_USERS, NULL, 0 },
    { N_("Aliases:"), MW_LIST_ALIASES, NULL, 0 },
    { N_("Forwards:"), MW_LIST_FORWARDS, NULL, 0 },
    { N_("Domains:"), MW_LIST_DOMAINS, NULL, 0 },
    { N_("Groups:"), MW_LIST_GROUPS, NULL, 0 },
  };
  MwMailCounts mail = { 0 };

  if (argc > 1)
    return mw_cli_usage_error (NULL, _("Too many arguments."));

  /* The lists this schema has, and its mail when it stores mail. */
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      MwListRequest request = { .kind = counts[i].kind };
      g_autoptr(MwListQuery) query = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      if ((counts[i].list = mw_schema_get_list (cli->schema, counts[i].kind)) == NULL)
        continue;
      if ((query = mw_schema_list_query (cli->schema, &request, &error)) == NULL)
        return mw_cli_fail (error);
      mw_session_count_list_async (cli->session, query, NULL, mw_async_wait_ready, &result);
      if ((counts[i].n = mw_session_count_list_finish (cli->session, mw_async_wait (&result), &error)) < 0)
        return mw_cli_fail (error);
    }
  if (cli->store != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      mw_session_count_mail_async (cli->session, NULL, mw_async_wait_ready, &result);
      if (!mw_session_count_mail_finish (cli->session, mw_async_wait (&result), &mail, &error))
        return mw_cli_fail (error);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      mw_cli_json_add_string_or_null (b, "schema", info->flavour);
      mw_cli_json_add_int (b, "schema_version", info->schema_version);
      mw_cli_json_add_string_or_null (b, "server", info->server_version != NULL ? info->server_version : "");
      mw_cli_json_add_string_or_null (b, "prefix", info->prefix);
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        if (counts[i].list != NULL)
          mw_cli_json_add_int (b, counts[i].list->id, counts[i].n);
      if (cli->store != NULL)
        {
          mw_cli_json_add_int (b, "mailboxes", mail.mailboxes);
          mw_cli_json_add_int (b, "messages", mail.messages);
          mw_cli_json_add_int (b, "deleted_messages", mail.deleted);
        }
      json_builder_end_object (b);
      mw_cli_json_print (b);
    }
  else
    {
      g_print ("%-18s %s\n", _("Schema:"), description);
      if (info->prefix != NULL)
        g_print ("%-18s %s\n", _("Table prefix:"), info->prefix);
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        if (counts[i].list != NULL)
          g_print ("%-18s %" G_GINT64_FORMAT "\n", _(counts[i].label), counts[i].n);
      if (cli->store != NULL)
        {
          g_print ("%-18s %" G_GINT64_FORMAT "\n", _("Mailboxes:"), mail.mailboxes);
          g_print ("%-18s %" G_GINT64_FORMAT "\n", _("Messages:"), mail.messages);
          g_print ("%-18s %" G_GINT64_FORMAT "\n", _("Deleted, not purged:"), mail.deleted);
        }
    }
  return MW_CLI_EXIT_OK;
}

/* Demo: what a first look at a mail system shows. */
static int
run_demo_tour (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(GPtrArray) first = NULL;
  const MwListInfo *users = mw_schema_get_list (cli->schema, MW_LIST_USERS);
  MwListRequest request = { .kind = MW_LIST_USERS };
  char *list_argv[] = { (char *) "users", (char *) "--limit", (char *) "20", NULL };
  MwListValue name;
  int rc;

  if (users == NULL)
    return run_check (cli, 1, NULL);
  /* The flavour's word: "Users" (DBMail), "Mailboxes" (ISPmail, PostfixAdmin). */
  g_print ("== %s ==\n", _(users->title));
  if ((rc = run_list (cli, users->id, 3, list_argv)) != 0)
    return rc;

  if ((query = mw_schema_list_query (cli->schema, &request, &error)) == NULL)
    return mw_cli_fail (error);
  if ((first = fetch_offset (cli, query, 0, 1, &error)) == NULL)
    return mw_cli_fail (error);
  if (first->len == 0)
    return MW_CLI_EXIT_OK;

  g_print ("\n== %s ==\n", _("One account"));
  mw_list_column_read_record (mw_list_info_find_column (users, "name"), g_ptr_array_index (first, 0), &name);
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
           "  groups [OPTIONS]            List groups with user counts and domains\n"
           "  user add|set|delete USER    Add, change or delete an account (--dry-run shows what would happen)\n"
           "  group delete|add-domain N   Delete every user of a group, or give them all an alias at a domain\n"
           "  domain add|set|delete DOMAIN  Add, change or delete a domain with its mailboxes (--dry-run)\n"
           "  alias-domain list|add|set|delete  Domains whose mail goes to another domain (PostfixAdmin; --dry-run)\n"
           "  alias-domains, vacations, domain-admins [OPTIONS]  PostfixAdmin's other lists (--search --sort --json)\n"
           "  usermap list|add|set|delete|lock|clear|create-table  DBMail's login maps: which user a login is, per socket\n"
           "  login-maps [OPTIONS]        Every login map (--search --sort --json)\n"
           "  acl list [USER|FOLDER]      Shared folders: who may do what (FOLDER: #Users/OWNER/NAME or #Public/NAME)\n"
           "  acl set|revoke FOLDER GRANTEE [RIGHTS]  Share a folder (read-only, read-write, full or letters; --dry-run)\n"
           "  public create|delete NAME   DBMail's public folders #Public/NAME (--dry-run)\n"
           "  sharing [OPTIONS]           Every shared folder and grantee (--search --sort --json)\n"
           "  health [--json]             Checks with a reason and a fix for each finding (--only CHECK);\n"
           "                              exit status 8 when a check found a warning or a problem\n"
           "  trace ADDRESS               Where mail for ADDRESS goes: aliases, catch-alls, forwards, loops (--json)\n"
           "  index-advisor [--apply|--drop]  Indexes that make the lists' search fast, the search timed\n"
           "                              before and after; --drop drops only those Mailwarden created\n"
           "  cleanup [--apply]           Show (or with --apply do) the repairs: --only alias-groups,quota,orphans,\n"
           "                              escalate,purge,vacuum; purge only when named (--only purge, --purge)\n"
           "  stats [--json]              The mail system at a glance: counts, mail stored, deletes pending, charts\n"
           "  logins --hours N            Accounts that logged in lately (--before-smtp: POP/IMAP-before-SMTP addresses)\n"
           "  unused --days N             Accounts with no login for N days (never logged in counts as unused)\n"
           "  status [--json]             The database server: version, sizes, sessions, replication\n"
           "  notify show|set|clear USER  DBMail's notification address: news of each new message (--dry-run)\n"
           "  autoreply show|set|clear USER  DBMail's automatic reply between two dates (--body --start --stop)\n"
           "                              (both only where dbmail.conf has AUTO_NOTIFY / AUTO_REPLY = yes)\n"
           "  filter list|add|delete      DBMail's server-side filters, per user or global (--dry-run)\n"
           "  filters [OPTIONS]           Every server-side filter (--search --sort --json)\n"
           "  sieve list|show|put|activate|deactivate|delete|rename USER  DBMail's Sieve scripts, checked with sievec\n"
           "  sieve vacation USER         Write (--body-file --from --until --address) or show a Sieve vacation reply\n"
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
           "  6  verify: the password does not match\n"
           "  7  cleanup without --apply: there is something to do");
}

/* --demo with no value is --demo=dbmail, as for the GUI (GOption gives an
 * optional value only to a callback). */
static gboolean
on_demo_option_parsed_cb (const char  *option_name,
                          const char  *value,
                          gpointer     data,
                          GError     **error)
{
  char **demo = data;

  g_free (*demo);
  *demo = g_strdup (value != NULL ? value : "dbmail");
  return TRUE;
}

int
mw_cli_run (int    argc,
            char **argv)
{
  g_autofree char *uri = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *demo = NULL;
  MwDemoFlavour demo_flavour = MW_DEMO_FLAVOUR_DBMAIL;
  gboolean json = FALSE;
  gboolean timing = FALSE;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_STRING, &uri, N_("Connect to the database at URI"), N_("URI") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, N_("Connect with the saved connection NAME"), N_("NAME") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix, N_("Table prefix (default dbmail_)"), N_("PREFIX") },
    { "demo", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, (gpointer) on_demo_option_parsed_cb,
      /* Translators: keep the three names dbmail, ispmail and postfixadmin as they are. */
      N_("Start a private demo database with sample data and use it: dbmail (the default), ispmail or postfixadmin"),
      N_("FLAVOUR") },
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
  GOptionGroup *main_group;
  const char *command;
  int rc;

  g_set_prgname ("mailwarden-cli");
  context = g_option_context_new (_("COMMAND [OPTIONS…]"));
  g_option_context_set_summary (context, _("Look into a DBMail mail database."));
  g_option_context_set_description (context, help_description ());
  /* The main group hands &demo to the --demo callback. */
  main_group = g_option_group_new (NULL, NULL, NULL, &demo, NULL);
  g_option_group_add_entries (main_group, entries);
  g_option_group_set_translation_domain (main_group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, main_group);
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
        if (g_str_equal (command, "acl") || g_str_equal (command, "public"))
          return mw_cli_run_acl (&cli, command, argc - 1, argv + 1);
        if (g_str_equal (command, "health"))
          return mw_cli_run_health (&cli, argc - 1, argv + 1);
        if (mw_cli_is_replies_command (command))
          return mw_cli_run_replies (&cli, command, argc - 1, argv + 1);
        if (g_str_equal (command, "usermap"))
          return mw_cli_run_usermap (&cli, argc - 1, argv + 1);
        if (g_str_equal (command, "sieve"))
          return mw_cli_run_sieve (&cli, argc - 1, argv + 1);
        if (g_str_equal (command, "trace"))
          return mw_cli_run_trace (&cli, argc - 1, argv + 1);
        if (g_str_equal (command, "index-advisor"))
          return mw_cli_run_index_advisor (&cli, argc - 1, argv + 1);
        if (g_str_equal (command, "cleanup"))
          return mw_cli_run_cleanup (&cli, argc - 1, argv + 1);
        if (mw_cli_is_stats_command (command))
          return mw_cli_run_stats (&cli, command, argc - 1, argv + 1);
        if (g_str_equal (command, "user"))
          return run_user (&cli, argc - 1, argv + 1);
        if (g_str_equal (command, "check"))
          break;
        if (is_list_command (command))
          return run_list (&cli, command, argc - 1, argv + 1);
      }

  if (command == NULL && demo == NULL)
    return mw_cli_usage_error (context, _("Name a command, or use --demo."));
  if ((uri != NULL) + (profile != NULL) + (demo != NULL) != 1)
    return mw_cli_usage_error (context, _("Use exactly one of --db, --profile and --demo."));
  if (demo != NULL && !mw_demo_flavour_from_string (demo, &demo_flavour))
    {
      /* Translators: --demo=NAME was given a name Mailwarden does not know; keep the three names as they are. */
      g_autofree char *msg = g_strdup_printf (_("Unknown demo “%s”: use dbmail, ispmail or postfixadmin."), demo);

      return mw_cli_usage_error (context, msg);
    }

  if (demo != NULL)
    {
      g_printerr ("%s\n", _("Starting the demo database…"));
      demo_server = mw_demo_server_start_flavour (demo_flavour, 0, &error);
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
  cli.schema = mw_session_get_schema (session);
  cli.store = mw_session_get_mail_store (session);

  if (command == NULL)
    rc = run_demo_tour (&cli);
  else if (mw_cli_is_admin_command (command) || mw_cli_is_user_admin (argc, argv))
    rc = mw_cli_run_admin (&cli, command, argc - 1, argv + 1);
  else if (g_str_equal (command, "acl") || g_str_equal (command, "public"))
    rc = mw_cli_run_acl (&cli, command, argc - 1, argv + 1);
  else if (g_str_equal (command, "health"))
    rc = mw_cli_run_health (&cli, argc - 1, argv + 1);
  else if (mw_cli_is_replies_command (command))
    rc = mw_cli_run_replies (&cli, command, argc - 1, argv + 1);
  else if (g_str_equal (command, "usermap"))
    rc = mw_cli_run_usermap (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "sieve"))
    rc = mw_cli_run_sieve (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "trace"))
    rc = mw_cli_run_trace (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "index-advisor"))
    rc = mw_cli_run_index_advisor (&cli, argc - 1, argv + 1);
  else if (g_str_equal (command, "cleanup"))
    rc = mw_cli_run_cleanup (&cli, argc - 1, argv + 1);
  else if (mw_cli_is_stats_command (command))
    rc = mw_cli_run_stats (&cli, command, argc - 1, argv + 1);
  else if (g_str_equal (command, "check"))
    rc = run_check (&cli, argc - 1, argv + 1);
  else if (is_list_command (command))
    rc = run_list (&cli, command, argc - 1, argv + 1);
  else if (g_str_equal (command, "user"))
    rc = run_user (&cli, argc - 1, argv + 1);
  else
    {
      g_autofree char *msg = g_strdup_printf (_("Unknown command “%s”."), command);
      rc = mw_cli_usage_error (context, msg);
    }

  return rc;
}
