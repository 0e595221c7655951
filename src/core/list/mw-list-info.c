/* mw-list-info.c: reading a list's values by the columns the schema describes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-list-info"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "mw-acl.h"
#include "mw-imap-utf7.h"
#include "mw-list-info.h"

const MwListColumn *
mw_list_info_find_column (const MwListInfo *info,
                          const char       *id)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < info->n_columns; i++)
    if (g_str_equal (info->columns[i].id, id))
      return &info->columns[i];
  return NULL;
}

/* The mark of a value from its text and number, by the column's format. */
static MwListMark
mark_of (const MwListColumn *column,
         const MwListValue  *value)
{
  const char *text = value->text;

  if (value->is_null)
    return MW_LIST_MARK_NONE;
  switch (column->format)
    {
    case MW_LIST_FORMAT_QUOTA:
      return value->number == 0 ? MW_LIST_MARK_UNLIMITED : MW_LIST_MARK_NONE;
    case MW_LIST_FORMAT_LOGIN:
      return column->never != NULL && g_str_has_prefix (text, column->never) ? MW_LIST_MARK_NEVER : MW_LIST_MARK_NONE;
    case MW_LIST_FORMAT_PASSWORD_SCHEME:
      return text[0] == '\0' ? MW_LIST_MARK_PLAIN_TEXT : MW_LIST_MARK_NONE;
    case MW_LIST_FORMAT_USER:
      return text[0] == '\0' ? MW_LIST_MARK_NO_SUCH_USER : MW_LIST_MARK_NONE;
    case MW_LIST_FORMAT_TARGET:
      return text[0] == '|' || text[0] == '!' ? MW_LIST_MARK_PROGRAM : MW_LIST_MARK_NONE;
    case MW_LIST_FORMAT_ADDRESS:
      return text[0] == '@' || g_str_has_suffix (text, "@") ? MW_LIST_MARK_CATCH_ALL : MW_LIST_MARK_NONE;
    case MW_LIST_FORMAT_PLAIN:
    case MW_LIST_FORMAT_BYTES:
    default:
      return MW_LIST_MARK_NONE;
    }
}

void
mw_list_column_read (const MwListColumn *column,
                     MwDbResult         *result,
                     guint               row,
                     MwListValue        *value)
{
  int col;

  g_return_if_fail (column != NULL && column->source != NULL);
  g_return_if_fail (result != NULL);
  g_return_if_fail (value != NULL);

  *value = (MwListValue) { .is_null = TRUE };
  col = mw_db_result_find_col (result, column->source);
  if (col < 0 || mw_db_result_is_null (result, row, (guint) col))
    return;
  value->is_null = FALSE;
  value->text = mw_db_result_get_string (result, row, (guint) col);
  if (column->type == MW_LIST_VALUE_BOOLEAN)
    value->number = mw_db_result_get_bool (result, row, (guint) col);
  else if (column->type == MW_LIST_VALUE_NUMBER)
    value->number = mw_db_result_get_int64 (result, row, (guint) col);
  value->mark = mark_of (column, value);
}

void
mw_list_column_read_record (const MwListColumn *column,
                            MwRecord           *record,
                            MwListValue        *value)
{
  g_return_if_fail (column != NULL && column->source != NULL);
  g_return_if_fail (MW_IS_RECORD (record));
  g_return_if_fail (value != NULL);

  *value = (MwListValue) { .is_null = TRUE };
  if (!mw_record_get_loaded (record) || mw_record_is_null (record, column->source))
    return;
  value->is_null = FALSE;
  value->text = mw_record_get_string (record, column->source);
  if (column->type == MW_LIST_VALUE_BOOLEAN)
    value->number = mw_record_get_int64 (record, column->source) != 0;
  else if (column->type == MW_LIST_VALUE_NUMBER)
    value->number = mw_record_get_int64 (record, column->source);
  value->mark = mark_of (column, value);
}

char *
mw_list_value_format (const MwListColumn *column,
                      const MwListValue  *value)
{
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (value->is_null && column->format == MW_LIST_FORMAT_RIGHTS)
    /* Translators: the Sharing list's Allows column for a public folder nobody has rights on */
    return g_strdup (_("no one may read it yet"));
  if (value->is_null)
    return g_strdup ("");
  switch (column->format)
    {
    case MW_LIST_FORMAT_BYTES:
    case MW_LIST_FORMAT_QUOTA:
      return g_format_size_full ((guint64) value->number, G_FORMAT_SIZE_IEC_UNITS);
    case MW_LIST_FORMAT_LOGIN:
      return g_strndup (value->text, 16);
    case MW_LIST_FORMAT_FOLDER:
      return mw_imap_utf7_decode (value->text);
    case MW_LIST_FORMAT_RIGHTS:
      {
        MwRights rights;

        if (!mw_rights_from_letters (value->text, &rights, NULL))
          return g_strdup (value->text);
        return mw_rights_describe (rights);
      }
    default:
      return g_strdup (value->text);
    }
}
