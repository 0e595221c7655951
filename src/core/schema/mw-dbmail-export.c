/* mw-dbmail-export.c: exporting users, aliases and forwards as CSV.
 *
 * The export pages through the list's own query (mw_dbmail_list_query) by
 * its keyset, so that memory stays bounded whatever the number of rows; a
 * users export reads each page's aliases in one more query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-export"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-csv.h"
#include "mw-dbmail-export.h"
#include "mw-sql-dialect.h"

#define EXPORT_PAGE 1000

static const char *
col_string (MwDbResult *result,
            guint       row,
            const char *name)
{
  int c = mw_db_result_find_col (result, name);

  return c < 0 || mw_db_result_is_null (result, row, (guint) c) ? "" : mw_db_result_get_string (result, row, (guint) c);
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

/* dbmail_aliases.deliver_to has no index in DBMail's schema, so looking the
 * aliases of each page up by deliver_to would scan the table once per page.
 * One scan copies the aliases that deliver to users into a temporary table
 * keyed by user number; each page then reads it through that key. */
#define EXPORT_ALIASES "mw_export_aliases"

static void
export_aliases_drop (MwDb *db)
{
  g_autoptr(MwDbResult) result = NULL;

  if (!mw_db_is_connected (db))
    return;
  result = mw_db_exec (db, mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
                       ? "DROP TABLE IF EXISTS pg_temp." EXPORT_ALIASES
                       : "DROP TEMPORARY TABLE IF EXISTS " EXPORT_ALIASES,
                       NULL, 0, NULL, NULL);
}

static gboolean
export_aliases_create (MwDb          *db,
                       GCancellable  *cancellable,
                       GError       **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autofree char *to_bigint = mw_sql_text_to_bigint (driver, "a.deliver_to");
  g_autofree char *digits = mw_sql_is_digits (driver, "a.deliver_to");
  g_autofree char *fill = g_strdup_printf ("INSERT INTO " EXPORT_ALIASES " (user_idnr, alias_idnr, alias) "
                                           "SELECT %s, a.alias_idnr, a.alias FROM {aliases} a WHERE %s",
                                           to_bigint, digits);
  g_autoptr(MwDbResult) created = NULL;
  g_autoptr(MwDbResult) filled = NULL;

  export_aliases_drop (db);
  created = mw_db_exec (db, "CREATE TEMPORARY TABLE " EXPORT_ALIASES " (user_idnr BIGINT NOT NULL, "
                        "alias_idnr BIGINT NOT NULL, alias VARCHAR(255) NOT NULL, PRIMARY KEY (user_idnr, alias_idnr))",
                        NULL, 0, cancellable, error);
  if (created == NULL)
    return FALSE;
  filled = mw_db_exec (db, fill, NULL, 0, cancellable, error);
  return filled != NULL;
}

/* The aliases of a page of users in one query: number -> "a b c". */
static GHashTable *
page_aliases (MwDb          *db,
              MwDbResult    *page,
              GCancellable  *cancellable,
              GError       **error)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  guint n = mw_db_result_get_n_rows (page);
  int id_col = mw_db_result_find_col (page, "user_idnr");
  g_autofree MwDbValue *params = g_new0 (MwDbValue, MAX (n, 1));
  g_autoptr(GString) sql = g_string_new ("SELECT user_idnr, alias FROM " EXPORT_ALIASES " WHERE user_idnr IN (");
  g_autoptr(MwDbResult) result = NULL;

  if (n == 0)
    return map;
  for (guint i = 0; i < n; i++)
    {
      params[i] = MW_DB_INT64 (mw_db_result_get_int64 (page, i, (guint) id_col));
      g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
    }
  g_string_append (sql, ") ORDER BY user_idnr, alias_idnr");
  result = mw_db_exec (db, sql->str, params, n, cancellable, error);
  if (result == NULL)
    {
      g_hash_table_unref (map);
      return NULL;
    }
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      const char *to = mw_db_result_get_string (result, r, 0);
      GString *list = g_hash_table_lookup (map, to);

      if (list == NULL)
        g_hash_table_insert (map, g_strdup (to), (list = g_string_new (NULL)));
      else
        g_string_append_c (list, ' ');
      g_string_append (list, mw_db_result_get_string (result, r, 1));
    }
  return map;
}

static gboolean
export_pages (MwDb                 *db,
              const MwListRequest  *request,
              MwListQuery          *query,
              GOutputStream        *out,
              guint64              *rows,
              GCancellable         *cancellable,
              GError              **error);

gboolean
mw_dbmail_export_csv (MwDb                 *db,
                      const MwListRequest  *request,
                      GOutputStream        *out,
                      guint64              *rows,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autoptr(MwListQuery) query = NULL;
  gboolean ok;

  g_return_val_if_fail (db != NULL && request != NULL && G_IS_OUTPUT_STREAM (out), FALSE);

  if (request->kind != MW_LIST_USERS && request->kind != MW_LIST_ALIASES && request->kind != MW_LIST_FORWARDS)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("Only users, aliases and forwards can be exported."));
      return FALSE;
    }
  query = mw_dbmail_list_query (mw_db_get_driver (db), request, error);
  if (query == NULL)
    return FALSE;
  if (request->kind != MW_LIST_USERS)
    return export_pages (db, request, query, out, rows, cancellable, error);
  if (!export_aliases_create (db, cancellable, error))
    {
      export_aliases_drop (db);
      return FALSE;
    }
  ok = export_pages (db, request, query, out, rows, cancellable, error);
  export_aliases_drop (db);
  return ok;
}

static gboolean
export_pages (MwDb                 *db,
              const MwListRequest  *request,
              MwListQuery          *query,
              GOutputStream        *out,
              guint64              *rows,
              GCancellable         *cancellable,
              GError              **error)
{
  static const char *const user_header[] = { "name", "number", "group", "quota", "used", "last_login",
                                             "encryption_type", "active", "aliases" };
  static const char *const alias_header[] = { "alias", "deliver_to", "user", "group" };
  static const char *const forward_header[] = { "alias", "target", "owner", "group" };
  g_autoptr(MwDbResult) page = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  int sort_col, key_col;
  guint64 written = 0;

  switch (request->kind)
    {
    case MW_LIST_USERS: mw_csv_append_record (text, user_header, G_N_ELEMENTS (user_header), ','); break;
    case MW_LIST_ALIASES: mw_csv_append_record (text, alias_header, G_N_ELEMENTS (alias_header), ','); break;
    default: mw_csv_append_record (text, forward_header, G_N_ELEMENTS (forward_header), ','); break;
    }

  page = mw_list_query_fetch_offset (query, db, 0, EXPORT_PAGE, FALSE, cancellable, error);
  while (page != NULL)
    {
      guint n = mw_db_result_get_n_rows (page);
      g_autoptr(GHashTable) aliases = NULL;
      MwDbValue sort, key;

      if (request->kind == MW_LIST_USERS && (aliases = page_aliases (db, page, cancellable, error)) == NULL)
        return FALSE;
      for (guint r = 0; r < n; r++)
        {
          if (request->kind == MW_LIST_USERS)
            {
              const char *number = col_string (page, r, "user_idnr");
              GString *list = g_hash_table_lookup (aliases, number);
              int active_col = mw_db_result_find_col (page, "active");
              const char *fields[] = {
                col_string (page, r, "userid"), number, col_string (page, r, "client_idnr"),
                col_string (page, r, "maxmail_size"), col_string (page, r, "curmail_size"),
                col_string (page, r, "last_login"), col_string (page, r, "encryption_type"),
                active_col >= 0 && mw_db_result_get_int64 (page, r, (guint) active_col) != 0 ? "1" : "0",
                list != NULL ? list->str : "",
              };

              mw_csv_append_record (text, fields, G_N_ELEMENTS (fields), ',');
            }
          else
            {
              const char *fields[] = {
                col_string (page, r, "alias"), col_string (page, r, "deliver_to"),
                col_string (page, r, "owner"), col_string (page, r, "client_idnr"),
              };

              mw_csv_append_record (text, fields, G_N_ELEMENTS (fields), ',');
            }
          written++;
        }
      if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (text, 0);
      if (n < EXPORT_PAGE)
        break;

      sort_col = mw_db_result_find_col (page, mw_list_query_get_sort_col (query));
      key_col = mw_db_result_find_col (page, mw_list_query_get_key_col (query));
      if (sort_col < 0 || key_col < 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The list cannot be paged through."));
          return FALSE;
        }
      sort = mw_db_result_get_value (page, n - 1, (guint) sort_col);
      key = mw_db_result_get_value (page, n - 1, (guint) key_col);
      {
        MwDbResult *next = mw_list_query_fetch_after (query, db, &sort, &key, FALSE, FALSE, EXPORT_PAGE,
                                                      cancellable, error);

        g_clear_pointer (&page, mw_db_result_unref);
        page = next;
      }
    }
  if (page == NULL)
    return FALSE;
  if (text->len > 0 && !g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
    return FALSE;
  if (rows != NULL)
    *rows = written;
  return TRUE;
}
