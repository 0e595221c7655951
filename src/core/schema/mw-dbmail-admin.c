/* mw-dbmail-admin.c: the DBMail flavour, write side: statements, transactions and the audit log.
 *
 * What the files that change the DBMail tables share (mw-dbmail-users.c,
 * mw-dbmail-users-delete.c, mw-dbmail-aliases.c, mw-dbmail-mail-delete.c):
 * each of their public functions is one transaction, and its audit entry is
 * written once the commit succeeded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-admin"

#include "config.h"

#include "mw-dbmail-admin.h"
#include "mw-dbmail-private.h"

/* ------------------------------------------------------------------------ */
/* Transactions and the audit log                                           */
/* ------------------------------------------------------------------------ */

/* G_MESSAGES_DEBUG=mw-dbmail-admin shows where a change spends its time. */
static void
log_statement (gint64      start,
               const char *sql)
{
  g_debug ("%.1f ms: %s", (g_get_monotonic_time () - start) / 1000.0, sql);
}

MwDbResult *
_mw_admin_run (const MwAdmin    *admin,
               const char       *sql,
               const MwDbValue  *params,
               guint             n_params,
               GError          **error)
{
  gint64 start = g_get_monotonic_time ();
  MwDbResult *result = mw_db_exec (admin->db, sql, params, n_params, NULL, error);

  log_statement (start, sql);
  return result;
}

gboolean
_mw_admin_run_ok (const MwAdmin    *admin,
                  const char       *sql,
                  const MwDbValue  *params,
                  guint             n_params,
                  GError          **error)
{
  g_autoptr(MwDbResult) result = _mw_admin_run (admin, sql, params, n_params, error);

  return result != NULL;
}

gint64
_mw_admin_run_int (const MwAdmin    *admin,
                   const char       *sql,
                   const MwDbValue  *params,
                   guint             n_params,
                   GError          **error)
{
  g_autoptr(MwDbResult) result = _mw_admin_run (admin, sql, params, n_params, error);

  if (result == NULL)
    return -1;
  if (mw_db_result_get_n_rows (result) == 0 || mw_db_result_is_null (result, 0, 0))
    return 0;
  return mw_db_result_get_int64 (result, 0, 0);
}

gint64
_mw_admin_insert_id (const MwAdmin    *admin,
                     const char       *sql,
                     const char       *id_column,
                     const MwDbValue  *params,
                     guint             n_params,
                     GError          **error)
{
  gint64 start = g_get_monotonic_time ();
  gint64 id = mw_db_insert_returning_id (admin->db, sql, id_column, params, n_params, NULL, error);

  log_statement (start, sql);
  return id;
}

gboolean
_mw_admin_begin (const MwAdmin  *admin,
                 GError        **error)
{
  return mw_db_begin (admin->db, error);
}

/* Commits, or rolls back for a dry run or when ok is FALSE (the error is
 * then already set). */
gboolean
_mw_admin_finish (const MwAdmin  *admin,
                  gboolean        ok,
                  GError        **error)
{
  if (!ok)
    {
      if (mw_db_in_transaction (admin->db))
        mw_db_rollback (admin->db, NULL);
      return FALSE;
    }
  if (admin->dry_run)
    return mw_db_rollback (admin->db, error);
  return mw_db_commit (admin->db, error);
}

void
_mw_admin_audit (const MwAdmin      *admin,
                 const char         *action,
                 const char         *target,
                 const MwAuditField *before,
                 guint               n_before,
                 const MwAuditField *after,
                 guint               n_after)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;

  if (admin->dry_run)
    return;
  database = mw_db_settings_to_display_uri (mw_db_get_settings (admin->db));
  if (!mw_audit_append (admin->profile != NULL ? admin->profile : database, database, action, target,
                        before, n_before, after, n_after, &error))
    g_warning ("The change was made, but the audit log could not be written: %s", error->message);
}

char *
_mw_dbmail_int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}
