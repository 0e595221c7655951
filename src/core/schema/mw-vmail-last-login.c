/* mw-vmail-last-login.c: Dovecot's last-login table next to an ISPmail or
 * PostfixAdmin database (see mw-vmail-last-login.h).
 *
 * Dovecot 2.3's last_login plugin writes through a dict; with an SQL dict
 * its documentation (Last Login Plugin, "MySQL Example") maps the key
 * shared/last-login/$user to
 *
 *   map {
 *     pattern = shared/last-login/$user
 *     table = last_login
 *     value_field = last_login
 *     value_type = uint
 *     fields {
 *       userid = $user
 *     }
 *   }
 *   CREATE TABLE last_login (
 *     userid varchar(255) NOT NULL,
 *     last_login int(11) DEFAULT NULL,
 *     PRIMARY KEY (userid)
 *   );
 *
 * that is, the Unix seconds of the user's last login, one row per user (a
 * key with %{service} in it gives one per service and user: the newest is
 * taken). Only that shape is accepted: a table "last_login" (no prefix: it
 * is Dovecot's, not the schema's) with a text column "userid" and an
 * integer column "last_login".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-vmail-last-login.h"

gboolean
_mw_vmail_detect_last_login (MwDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = NULL;
  gboolean user = FALSE, login = FALSE;

  result = mw_db_exec (db, mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
                       ? "SELECT column_name, data_type FROM information_schema.columns "
                         "WHERE table_schema = current_schema() AND table_name = 'last_login'"
                       : "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
                         "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'last_login'",
                       NULL, 0, NULL, &error);
  if (result == NULL)
    {
      g_debug ("No last-login table: %s", error->message);
      return FALSE;
    }
  for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
    {
      g_autofree char *name = g_ascii_strdown (mw_db_result_get_string (result, r, 0), -1);
      g_autofree char *type = g_ascii_strdown (mw_db_result_get_string (result, r, 1), -1);

      if (g_str_equal (name, "userid"))
        user = g_str_equal (type, "character varying") || g_str_equal (type, "varchar") ||
               g_str_equal (type, "text") || g_str_equal (type, "character") || g_str_equal (type, "char");
      else if (g_str_equal (name, "last_login"))
        login = g_str_equal (type, "integer") || g_str_equal (type, "bigint") || g_str_equal (type, "int") ||
                g_str_equal (type, "mediumint");
    }
  g_debug ("Dovecot's last-login table: %s", user && login ? "used" : "absent or of another shape");
  return user && login;
}

char *
_mw_vmail_last_login_sql (MwDbDriver  driver,
                          const char *user_column)
{
  /* Text as the list's dates are, sortable; "never" for none. A scalar
   * subquery: the paged list asks it only for the rows of its page when it
   * sorts by another column. */
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("COALESCE((SELECT to_char(to_timestamp(MAX(l.last_login)), 'YYYY-MM-DD HH24:MI:SS') "
                            "FROM last_login l WHERE l.userid = %s), '" MW_VMAIL_NEVER_LOGGED_IN "')", user_column);
  return g_strdup_printf ("COALESCE((SELECT DATE_FORMAT(FROM_UNIXTIME(MAX(l.last_login)), '%%Y-%%m-%%d %%H:%%i:%%s') "
                          "FROM last_login l WHERE l.userid = %s), '" MW_VMAIL_NEVER_LOGGED_IN "')", user_column);
}

char *
_mw_vmail_last_login_select (gboolean    present,
                             MwDbDriver  driver,
                             const char *user_column)
{
  g_autofree char *expr = NULL;

  if (!present)
    return g_strdup ("");
  expr = _mw_vmail_last_login_sql (driver, user_column);
  return g_strdup_printf (", %s AS last_login", expr);
}

/* Each Mailboxes list, once, with the column added: kept for the process. */
G_LOCK_DEFINE_STATIC (lists);
static GHashTable *lists;

const MwListInfo *
_mw_vmail_with_last_login (const MwListInfo *info)
{
  static const MwListColumn column = {
    "last_login", N_("Last Login"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_LAST_LOGIN, 0, "last_login",
    MW_VMAIL_NEVER_LOGGED_IN,
  };
  MwListInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  G_LOCK (lists);
  if (lists == NULL)
    lists = g_hash_table_new (NULL, NULL);
  copy = g_hash_table_lookup (lists, info);
  if (copy == NULL)
    {
      MwListColumn *columns = g_new0 (MwListColumn, info->n_columns + 1);
      guint at = 0;

      /* After the used space, where DBMail shows it; else last. */
      for (guint c = 0; c < info->n_columns; c++)
        {
          columns[at++] = info->columns[c];
          if (g_str_equal (info->columns[c].id, "used"))
            columns[at++] = column;
        }
      if (at == info->n_columns)
        columns[at++] = column;
      copy = g_memdup2 (info, sizeof *info);
      copy->columns = columns;
      copy->n_columns = at;
      g_hash_table_insert (lists, (gpointer) info, copy);
    }
  G_UNLOCK (lists);
  return copy;
}

GDateTime *
_mw_vmail_read_last_login (MwDb         *db,
                           const char   *user,
                           GCancellable *cancellable,
                           GError      **error)
{
  MwDbValue params[] = { MW_DB_TEXT (user) };
  g_autoptr(MwDbResult) result = mw_db_exec (db, "SELECT MAX(last_login) FROM last_login WHERE userid = $1",
                                             params, G_N_ELEMENTS (params), cancellable, error);

  if (result == NULL || mw_db_result_get_n_rows (result) == 0 || mw_db_result_is_null (result, 0, 0) ||
      mw_db_result_get_int64 (result, 0, 0) <= 0)
    return NULL;
  return g_date_time_new_from_unix_local (mw_db_result_get_int64 (result, 0, 0));
}
