/* mw-dbmail-aliases.c: the DBMail flavour, write side: aliases, forwards and a group's domain.
 *
 * Every statement that changes dbmail_aliases for these operations is in
 * this file. Follows DBMAIL-FACTS.md: addresses compare case-insensitively,
 * an alias delivers to a user when deliver_to is the user's number in
 * decimal (anything else is a forward), and an alias carries its user's
 * client_idnr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-aliases"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-admin.h"
#include "mw-dbmail-private.h"
#include "mw-sql-dialect.h"

/* ------------------------------------------------------------------------ */
/* Rows                                                                     */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64  user_idnr;
  char   *userid;
  gint64  client_idnr;
} UserRow;

static void
user_row_clear (UserRow *row)
{
  g_clear_pointer (&row->userid, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UserRow, user_row_clear)

/* A user that may be written to: exists and is not a system account. */
static gboolean
get_user (const MwAdmin  *admin,
          gint64          user_idnr,
          gboolean        lock,
          UserRow        *row,
          GError        **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) result = NULL;

  result = _mw_admin_run (admin, lock ? "SELECT user_idnr, userid, client_idnr FROM {users} WHERE user_idnr = $1 FOR UPDATE"
                            : "SELECT user_idnr, userid, client_idnr FROM {users} WHERE user_idnr = $1",
                params, 1, error);
  if (result == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (result) == 0 || mw_dbmail_is_system_user (mw_db_result_get_string (result, 0, 1)))
    {
      g_autofree char *number = _mw_dbmail_int_text (user_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user with the number %s."), number);
      return FALSE;
    }
  row->user_idnr = user_idnr;
  row->userid = g_strdup (mw_db_result_get_string (result, 0, 1));
  row->client_idnr = mw_db_result_get_int64 (result, 0, 2);
  return TRUE;
}

MwDbResult *
mw_dbmail_find_alias_rows (MwDb        *db,
                           const char  *alias,
                           GError     **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (db), "a.alias", "$1");
  g_autofree char *to_bigint = mw_sql_text_to_bigint (mw_db_get_driver (db), "a.deliver_to");
  g_autofree char *sql = NULL;
  MwDbValue params[] = { MW_DB_TEXT (alias) };

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (alias != NULL, NULL);

  sql = g_strdup_printf ("SELECT a.alias_idnr, a.alias, a.deliver_to, u.user_idnr, u.userid, a.client_idnr "
                         "FROM {aliases} a LEFT JOIN {users} u ON u.user_idnr = %s WHERE %s ORDER BY a.alias_idnr",
                         to_bigint, eq);
  return mw_db_exec (db, sql, params, 1, NULL, error);
}

static MwDbResult *
alias_rows (const MwAdmin  *admin,
            const char     *alias,
            GError        **error)
{
  return mw_dbmail_find_alias_rows (admin->db, alias, error);
}

/* An alias for user_idnr may be added unless it already delivers to a user. */
gboolean
_mw_dbmail_check_alias_free (const MwAdmin  *admin,
                             const char     *alias,
                             gint64          user_idnr,
                             gint64          except_alias,
                             GError        **error)
{
  g_autoptr(MwDbResult) rows = alias_rows (admin, alias, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (rows); i++)
    {
      if (mw_db_result_get_int64 (rows, i, 0) == except_alias || mw_db_result_is_null (rows, i, 3))
        continue;
      if (mw_db_result_get_int64 (rows, i, 3) == user_idnr)
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                     _("“%s” is already an address of this user."), alias);
      else
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                     _("“%s” already delivers to the user “%s”. Move the alias to change its owner."),
                     alias, mw_db_result_get_string (rows, i, 4));
      return FALSE;
    }
  return TRUE;
}

char *
_mw_dbmail_normalize_alias (const char      *text,
                            MwAddressFlags   flags,
                            GError         **error)
{
  MwAddressKind kind;

  return mw_address_normalize_alias (text, flags, &kind, error);
}

typedef struct
{
  gint64  alias_idnr;
  char   *alias;
  char   *deliver_to;
  gint64  client_idnr;
} AliasRow;

static void
alias_row_clear (AliasRow *row)
{
  g_clear_pointer (&row->alias, g_free);
  g_clear_pointer (&row->deliver_to, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AliasRow, alias_row_clear)

static gboolean
all_digits (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
get_alias (const MwAdmin  *admin,
           gint64          alias_idnr,
           AliasRow       *row,
           GError        **error)
{
  MwDbValue params[] = { MW_DB_INT64 (alias_idnr) };
  g_autoptr(MwDbResult) result = NULL;

  result = _mw_admin_run (admin, "SELECT alias_idnr, alias, deliver_to, client_idnr FROM {aliases} WHERE alias_idnr = $1 FOR UPDATE",
                params, 1, error);
  if (result == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (result) == 0)
    {
      g_autofree char *number = _mw_dbmail_int_text (alias_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no alias or forward with the number %s; someone may have deleted it."), number);
      return FALSE;
    }
  row->alias_idnr = alias_idnr;
  row->alias = g_strdup (mw_db_result_get_string (result, 0, 1));
  row->deliver_to = g_strdup (mw_db_result_get_string (result, 0, 2));
  row->client_idnr = mw_db_result_get_int64 (result, 0, 3);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Aliases                                                                  */
/* ------------------------------------------------------------------------ */

gint64
mw_dbmail_add_alias (const MwAdmin   *admin,
                     gint64           user_idnr,
                     const char      *text,
                     MwAddressFlags   flags,
                     GError         **error)
{
  g_auto(UserRow) user = { 0 };
  g_autofree char *alias = NULL;
  g_autofree char *idnr_text = _mw_dbmail_int_text (user_idnr);
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, 0);

  if ((alias = _mw_dbmail_normalize_alias (text, flags, error)) == NULL)
    return 0;
  if (!_mw_admin_begin (admin, error))
    return 0;
  ok = get_user (admin, user_idnr, TRUE, &user, error) &&
       _mw_dbmail_check_alias_free (admin, alias, user_idnr, 0, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (idnr_text), MW_DB_INT64 (user.client_idnr) };

      id = _mw_admin_insert_id (admin, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
                                "alias_idnr", params, 3, error);
      ok = id > 0;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return 0;
  {
    MwAuditField after[] = { { "alias", alias }, { "deliver_to", idnr_text }, { "user", user.userid } };

    _mw_admin_audit (admin, "alias.add", alias, NULL, 0, after, G_N_ELEMENTS (after));
  }
  return id;
}

gint64
mw_dbmail_add_alias_for (const MwAdmin   *admin,
                         const char      *user_text,
                         const char      *text,
                         MwAddressFlags   flags,
                         gboolean         create_missing,
                         gint64          *created_user,
                         GError         **error)
{
  gint64 created = 0;
  gint64 alias_idnr;

  alias_idnr = _mw_dbmail_add_alias_for (admin, user_text, text, flags, create_missing, &created, error);
  if (created_user != NULL)
    *created_user = created;
  return created > 0 ? created : alias_idnr;
}

gint64
_mw_dbmail_add_alias_for (const MwAdmin   *admin,
                          const char      *user_text,
                          const char      *text,
                          MwAddressFlags   flags,
                          gboolean         create_missing,
                          gint64          *created_user,
                          GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 user_idnr;
  MwNewUser user = { .userid = user_text, .passwd = "", .encryption_type = "" };
  gint64 alias_idnr = 0;
  gint64 id;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, 0);
  g_return_val_if_fail (user_text != NULL, 0);
  g_return_val_if_fail (text != NULL, 0);

  if (created_user != NULL)
    *created_user = 0;
  user_idnr = mw_dbmail_resolve_user (admin->db, user_text, &local_error);
  if (user_idnr > 0)
    return mw_dbmail_add_alias (admin, user_idnr, text, flags, error);
  if (!create_missing || !g_error_matches (local_error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  /* A user that cannot log in (an empty stored password never validates in
   * DBMail) but receives the alias's mail, in the same transaction. */
  user.alias = text;
  user.alias_flags = flags;
  id = _mw_dbmail_add_user (admin, &user, &alias_idnr, error);
  if (id <= 0)
    return 0;
  if (created_user != NULL)
    *created_user = id;
  return alias_idnr;
}

gboolean
mw_dbmail_rename_alias (const MwAdmin   *admin,
                        gint64           alias_idnr,
                        const char      *text,
                        MwAddressFlags   flags,
                        GError         **error)
{
  g_auto(AliasRow) row = { 0 };
  g_autofree char *alias = NULL;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  if ((alias = _mw_dbmail_normalize_alias (text, flags, error)) == NULL)
    return FALSE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = get_alias (admin, alias_idnr, &row, error);
  if (ok && all_digits (row.deliver_to))
    ok = _mw_dbmail_check_alias_free (admin, alias, g_ascii_strtoll (row.deliver_to, NULL, 10), alias_idnr, error);
  if (ok && mw_address_equal (alias, row.deliver_to))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” would forward to itself; DBMail ignores such a row."), alias);
      ok = FALSE;
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_INT64 (alias_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {aliases} SET alias = $1 WHERE alias_idnr = $2", params, 2, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "alias", row.alias }, { "deliver_to", row.deliver_to } };
    MwAuditField after[] = { { "alias", alias }, { "deliver_to", row.deliver_to } };

    _mw_admin_audit (admin, "alias.rename", row.alias, before, 2, after, 2);
  }
  return TRUE;
}

gboolean
mw_dbmail_delete_alias (const MwAdmin  *admin,
                        gint64          alias_idnr,
                        GError        **error)
{
  g_auto(AliasRow) row = { 0 };
  MwDbValue params[] = { MW_DB_INT64 (alias_idnr) };
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = get_alias (admin, alias_idnr, &row, error) &&
       _mw_admin_run_ok (admin, "DELETE FROM {aliases} WHERE alias_idnr = $1", params, 1, error);
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    g_autofree char *group = _mw_dbmail_int_text (row.client_idnr);
    MwAuditField before[] = { { "alias", row.alias }, { "deliver_to", row.deliver_to }, { "client_idnr", group } };

    _mw_admin_audit (admin, all_digits (row.deliver_to) ? "alias.delete" : "forward.delete", row.alias, before, 3, NULL, 0);
  }
  return TRUE;
}

/* The end of a move or a forward made an alias: the row delivers to the
 * user, with the user's group, in the transaction begun by the caller. */
static gboolean
deliver_row_to_user (const MwAdmin   *admin,
                     const AliasRow  *row,
                     const UserRow   *user,
                     const char      *idnr_text,
                     gboolean         ok,
                     const char      *action,
                     GError         **error)
{
  ok = ok && _mw_dbmail_check_alias_free (admin, row->alias, user->user_idnr, row->alias_idnr, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (idnr_text), MW_DB_INT64 (user->client_idnr), MW_DB_INT64 (row->alias_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {aliases} SET deliver_to = $1, client_idnr = $2 WHERE alias_idnr = $3",
                             params, 3, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "alias", row->alias }, { "deliver_to", row->deliver_to } };
    MwAuditField after[] = { { "alias", row->alias }, { "deliver_to", idnr_text }, { "user", user->userid } };

    _mw_admin_audit (admin, action, row->alias, before, 2, after, 3);
  }
  return TRUE;
}

gboolean
mw_dbmail_move_alias (const MwAdmin  *admin,
                      gint64          alias_idnr,
                      gint64          to_user_idnr,
                      GError        **error)
{
  g_auto(AliasRow) row = { 0 };
  g_auto(UserRow) user = { 0 };
  g_autofree char *idnr_text = _mw_dbmail_int_text (to_user_idnr);
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = get_alias (admin, alias_idnr, &row, error) &&
       get_user (admin, to_user_idnr, TRUE, &user, error);
  if (ok && !all_digits (row.deliver_to))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is a forward to “%s”, not an alias of a user. Turn it into an alias instead."),
                   row.alias, row.deliver_to);
      ok = FALSE;
    }
  return deliver_row_to_user (admin, &row, &user, idnr_text, ok, "alias.move", error);
}

/* ------------------------------------------------------------------------ */
/* Forwards                                                                 */
/* ------------------------------------------------------------------------ */

static gboolean
check_forward_free (const MwAdmin  *admin,
                    const char     *alias,
                    const char     *target,
                    gint64          except_alias,
                    GError        **error)
{
  g_autoptr(MwDbResult) rows = alias_rows (admin, alias, error);

  if (rows == NULL)
    return FALSE;
  if (mw_address_equal (alias, target))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” would forward to itself; DBMail ignores such a row."), alias);
      return FALSE;
    }
  for (guint i = 0; i < mw_db_result_get_n_rows (rows); i++)
    if (mw_db_result_get_int64 (rows, i, 0) != except_alias &&
        mw_address_equal (mw_db_result_get_string (rows, i, 2), target))
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                     _("“%s” already forwards to “%s”."), alias, target);
        return FALSE;
      }
  return TRUE;
}

gint64
mw_dbmail_add_forward (const MwAdmin   *admin,
                       const char      *text,
                       const char      *target_text,
                       MwAddressFlags   flags,
                       gint64           group,
                       GError         **error)
{
  g_autofree char *alias = NULL;
  g_autofree char *target = NULL;
  g_autofree char *group_text = NULL;
  gboolean is_pipe = FALSE;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, 0);

  if ((alias = _mw_dbmail_normalize_alias (text, flags, error)) == NULL ||
      (target = mw_address_normalize_target (target_text, &is_pipe, error)) == NULL)
    return 0;
  if (group < 0)
    group = 0;
  if (!_mw_admin_begin (admin, error))
    return 0;
  ok = check_forward_free (admin, alias, target, 0, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (target), MW_DB_INT64 (group) };

      id = _mw_admin_insert_id (admin, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
                                "alias_idnr", params, 3, error);
      ok = id > 0;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return 0;
  group_text = _mw_dbmail_int_text (group);
  {
    MwAuditField after[] = { { "alias", alias }, { "deliver_to", target }, { "client_idnr", group_text } };

    _mw_admin_audit (admin, "forward.add", alias, NULL, 0, after, 3);
  }
  return id;
}

gboolean
mw_dbmail_set_forward_target (const MwAdmin  *admin,
                              gint64          alias_idnr,
                              const char     *target_text,
                              GError        **error)
{
  g_auto(AliasRow) row = { 0 };
  g_autofree char *target = NULL;
  gboolean is_pipe = FALSE;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  if ((target = mw_address_normalize_target (target_text, &is_pipe, error)) == NULL)
    return FALSE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = get_alias (admin, alias_idnr, &row, error);
  if (ok && all_digits (row.deliver_to))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” is an alias of a user, not a forward. Add a forward to keep a copy elsewhere."), row.alias);
      ok = FALSE;
    }
  ok = ok && check_forward_free (admin, row.alias, target, alias_idnr, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (target), MW_DB_INT64 (alias_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {aliases} SET deliver_to = $1 WHERE alias_idnr = $2", params, 2, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "alias", row.alias }, { "deliver_to", row.deliver_to } };
    MwAuditField after[] = { { "alias", row.alias }, { "deliver_to", target } };

    _mw_admin_audit (admin, "forward.change", row.alias, before, 2, after, 2);
  }
  return TRUE;
}

gint64
mw_dbmail_resolve_user (MwDb        *db,
                        const char  *text,
                        GError     **error)
{
  g_autoptr(MwFound) found = mw_dbmail_find_user (db, text, NULL, error);

  if (found == NULL)
    return 0;
  if (found->kind != MW_FOUND_ACCOUNT)
    {
      g_autofree char *targets = g_strjoinv (", ", found->targets);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("“%s” is not a user: it forwards to %s."), text, targets);
      return 0;
    }
  return g_ascii_strtoll (found->key, NULL, 10);
}

gboolean
mw_dbmail_forward_to_alias (const MwAdmin  *admin,
                            gint64          alias_idnr,
                            const char     *user_text,
                            GError        **error)
{
  g_auto(AliasRow) row = { 0 };
  g_auto(UserRow) user = { 0 };
  g_autofree char *idnr_text = NULL;
  gint64 user_idnr;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  if ((user_idnr = mw_dbmail_resolve_user (admin->db, user_text, error)) == 0)
    return FALSE;
  idnr_text = _mw_dbmail_int_text (user_idnr);
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = get_alias (admin, alias_idnr, &row, error) &&
       get_user (admin, user_idnr, TRUE, &user, error);
  if (ok && all_digits (row.deliver_to))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” already delivers to a user; move it instead."), row.alias);
      ok = FALSE;
    }
  return deliver_row_to_user (admin, &row, &user, idnr_text, ok, "forward.to-alias", error);
}

/* ------------------------------------------------------------------------ */
/* A group's domain                                                         */
/* ------------------------------------------------------------------------ */

GStrv
mw_dbmail_group_add_domain (const MwAdmin  *admin,
                            gint64          group,
                            const char     *domain_text,
                            GError        **error)
{
  MwDbDriver driver;
  g_autofree char *probe = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *as_text = NULL;
  g_autoptr(MwDbResult) users = NULL;
  g_autoptr(GStrvBuilder) created = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group_text = _mw_dbmail_int_text (group);
  guint n_created = 0;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);

  if (!_mw_dbmail_check_group (group, error))
    return NULL;
  /* The domain is checked as the catch-all "@domain" would be, which gives
   * its stored (ACE, lower-case) form. */
  if (domain_text == NULL || !g_utf8_validate (domain_text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The domain is not valid UTF-8 text."));
      return NULL;
    }
  probe = g_strconcat ("@", domain_text[0] == '@' ? domain_text + 1 : domain_text, NULL);
  {
    g_autofree char *stored = _mw_dbmail_normalize_alias (probe, MW_ADDRESS_ALLOW_CATCH_ALL, error);

    if (stored == NULL)
      return NULL;
    if (stored[1] == '.')
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("Type a domain such as example.com."));
        return NULL;
      }
    domain = g_strdup (stored + 1);
  }

  driver = mw_db_get_driver (admin->db);
  as_text = mw_sql_int_to_text (driver, "u.user_idnr");
  /* Each user with the local part of its first alias, or its name when it
   * has none. */
  sql = g_strdup_printf ("SELECT u.user_idnr, u.userid, u.client_idnr, "
                         "(SELECT a.alias FROM {aliases} a WHERE a.deliver_to = %s AND a.alias NOT LIKE '@%%' "
                         "ORDER BY a.alias_idnr LIMIT 1) AS first_alias "
                         "FROM {users} u WHERE u.client_idnr = $1 AND " MW_DBMAIL_NOT_SYSTEM ("u.userid")
                         " ORDER BY u.userid FOR UPDATE", as_text);

  if (!_mw_admin_begin (admin, error))
    return NULL;
  {
    MwDbValue params[] = { MW_DB_INT64 (group) };

    users = _mw_admin_run (admin, sql, params, 1, error);
  }
  ok = users != NULL;
  for (guint i = 0; ok && i < mw_db_result_get_n_rows (users); i++)
    {
      gint64 uid = mw_db_result_get_int64 (users, i, 0);
      const char *name = mw_db_result_get_string (users, i, 1);
      const char *first = mw_db_result_get_string (users, i, 3);
      const char *base = first != NULL ? first : name;
      const char *at = strrchr (base, '@');
      g_autofree char *local = at != NULL ? g_strndup (base, at - base) : g_strdup (base);
      g_autofree char *candidate = g_strconcat (local, "@", domain, NULL);
      g_autofree char *alias = NULL;
      g_autofree char *uid_text = _mw_dbmail_int_text (uid);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(MwDbResult) rows = NULL;
      gboolean taken = FALSE;

      if (local[0] == '\0')
        continue;
      alias = _mw_dbmail_normalize_alias (candidate, MW_ADDRESS_FLAGS_NONE, &local_error);
      if (alias == NULL)
        continue;   /* a name that makes no address; the preview shows who is left out */
      rows = alias_rows (admin, alias, error);
      if (rows == NULL)
        {
          ok = FALSE;
          break;
        }
      for (guint r = 0; r < mw_db_result_get_n_rows (rows); r++)
        if (!mw_db_result_is_null (rows, r, 3))
          taken = TRUE;
      {
        g_autofree char *key = g_utf8_casefold (alias, -1);

        if (!g_hash_table_add (seen, g_steal_pointer (&key)))
          taken = TRUE;
      }
      if (taken)
        continue;
      {
        MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (uid_text), MW_DB_INT64 (group) };

        ok = _mw_admin_run_ok (admin, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
                     params, 3, error);
      }
      g_strv_builder_add (created, alias);
      n_created++;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  if (n_created > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", n_created);
      MwAuditField after[] = { { "domain", domain }, { "aliases", count } };

      _mw_admin_audit (admin, "group.add-domain", group_text, NULL, 0, after, 2);
    }
  return g_strv_builder_end (created);
}
