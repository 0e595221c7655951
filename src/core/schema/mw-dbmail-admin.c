/* mw-dbmail-admin.c: the DBMail flavour, write side: users, groups, aliases, forwards.
 *
 * Every statement that changes the DBMail tables for these operations is in
 * this file. Each public function is one transaction; the audit entry is
 * written once the commit succeeded. Follows DBMAIL-FACTS.md: names compare
 * case-insensitively, an alias delivers to a user when deliver_to is the
 * user's number in decimal, aliases carry their user's client_idnr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-admin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-admin.h"
#include "mw-dbmail-private.h"
#include "mw-sql-dialect.h"

/* dbmail_users.userid is VARCHAR(100) on PostgreSQL, 255 on MySQL; the
 * smaller one keeps a database movable between the two. */
#define MAX_USERID_CHARS 100
/* DBMail refuses a stored password longer than this ("password length is insane"). */
#define MAX_PASSWD_BYTES 130

#define NOT_SYSTEM(col) col " NOT IN ('" MW_DBMAIL_DELIVERY_USER "', '" MW_DBMAIL_ANYONE_USER "', '" MW_DBMAIL_PUBLIC_USER "')"

/* ------------------------------------------------------------------------ */
/* Transactions and the audit log                                           */
/* ------------------------------------------------------------------------ */

MwDbResult *
_mw_admin_run (const MwAdmin    *admin,
     const char       *sql,
     const MwDbValue  *params,
     guint             n_params,
     GError          **error)
{
  gint64 start = g_get_monotonic_time ();
  MwDbResult *result = mw_db_exec (admin->db, sql, params, n_params, NULL, error);

  /* G_MESSAGES_DEBUG=mw-dbmail-admin shows where a change spends its time. */
  g_debug ("%.1f ms: %s", (g_get_monotonic_time () - start) / 1000.0, sql);
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

/* mw_db_insert_returning_id(), shown like the other statements. */
static gint64
insert_id (const MwAdmin    *admin,
           const char       *sql,
           const char       *id_column,
           const MwDbValue  *params,
           guint             n_params,
           GError          **error)
{
  gint64 start = g_get_monotonic_time ();
  gint64 id = mw_db_insert_returning_id (admin->db, sql, id_column, params, n_params, NULL, error);

  g_debug ("%.1f ms: %s", (g_get_monotonic_time () - start) / 1000.0, sql);
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

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */
/* ------------------------------------------------------------------------ */

gboolean
mw_dbmail_check_userid (const char  *userid,
                        GError     **error)
{
  g_autofree char *q = NULL;

  if (userid == NULL || !g_utf8_validate (userid, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The user name is not valid UTF-8 text."));
      return FALSE;
    }
  if (userid[0] == '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The user name is empty."));
      return FALSE;
    }
  /* Names come from files too: never echo a control byte to a terminal. */
  q = mw_address_quote_for_message (userid, -1);
  if (g_utf8_strlen (userid, -1) > MAX_USERID_CHARS)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The user name “%s” is longer than %d characters, the most DBMail stores."), q, MAX_USERID_CHARS);
      return FALSE;
    }
  for (const char *p = userid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* The alias check's rule: a bidi override or a zero-width space would
       * make the name shown differ from the name a client must type. */
      if (mw_address_is_forbidden_char (c))
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       /* Translators: %04X is a Unicode code point, as in U+001B */
                       _("The user name “%s” contains a control character or an invisible character (U+%04X). Remove it."),
                       q, (guint) c);
          return FALSE;
        }
      if (g_unichar_isspace (c))
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The user name “%s” contains a space: mail clients could not log in with it."), q);
          return FALSE;
        }
    }
  if (mw_dbmail_is_system_user (userid))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("“%s” is one of the accounts DBMail itself needs; choose another name."), userid);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_passwd (const char  *passwd,
              const char  *encryption_type,
              GError     **error)
{
  if (passwd == NULL || encryption_type == NULL || !g_utf8_validate (passwd, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The password is not valid UTF-8 text."));
      return FALSE;
    }
  if (strlen (passwd) > MAX_PASSWD_BYTES)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The stored password would be longer than %d characters; DBMail refuses such passwords."),
                   MAX_PASSWD_BYTES);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_quota (gint64   quota,
             GError **error)
{
  if (quota < 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("A quota cannot be negative; 0 means unlimited."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_group (gint64   group,
             GError **error)
{
  if (group < 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("A group number cannot be negative."));
      return FALSE;
    }
  return TRUE;
}

/* Another user whose name equals userid but for case, as DBMail compares:
 * its name, or NULL (error set on failure). */
static char *
find_name_taken (const MwAdmin  *admin,
                 const char     *userid,
                 gint64          except_user,
                 gboolean       *failed,
                 GError        **error)
{
  g_autofree char *eq = mw_sql_ci_equal (mw_db_get_driver (admin->db), "userid", "$1");
  g_autofree char *sql = g_strdup_printf ("SELECT userid FROM {users} WHERE %s AND user_idnr <> $2 LIMIT 1", eq);
  MwDbValue params[] = { MW_DB_TEXT (userid), MW_DB_INT64 (except_user) };
  g_autoptr(MwDbResult) result = _mw_admin_run (admin, sql, params, 2, error);

  *failed = result == NULL;
  if (result == NULL || mw_db_result_get_n_rows (result) == 0)
    return NULL;
  return g_strdup (mw_db_result_get_string (result, 0, 0));
}

static void
set_name_taken_error (const char  *taken,
                      const char  *userid,
                      GError     **error)
{
  if (g_str_equal (taken, userid))
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS, _("A user named “%s” already exists."), userid);
  else
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                 _("The user “%s” already exists. DBMail does not tell names apart by case, so “%s” would be the same login."),
                 taken, userid);
}

gboolean
_mw_dbmail_lock_names (const MwAdmin      *admin,
                       const char *const  *userids,
                       guint               n,
                       GError            **error)
{
  /* Enough locks per statement to keep it short; a batch takes a few. */
  const guint per_statement = 100;

  if (mw_db_get_driver (admin->db) != MW_DB_DRIVER_PGSQL)
    return TRUE;
  for (guint start = 0; start < n; start += per_statement)
    {
      guint count = MIN (per_statement, n - start);
      g_autoptr(GString) sql = g_string_new ("SELECT ");
      g_autofree MwDbValue *params = g_new0 (MwDbValue, count);

      /* The two-key form keeps these apart from other programs' one-key
       * locks; hashtext() of lower() is the name as DBMail compares it.
       * The select list is evaluated left to right, so the locks are taken
       * in the caller's order. */
      for (guint i = 0; i < count; i++)
        {
          g_string_append_printf (sql, "%spg_advisory_xact_lock(%d, hashtext(lower($%u)))",
                                  i > 0 ? ", " : "", MW_DBMAIL_NAME_LOCK_CLASS, i + 1);
          params[i] = MW_DB_TEXT (userids[start + i]);
        }
      if (!_mw_admin_run_ok (admin, sql->str, params, count, error))
        return FALSE;
    }
  return TRUE;
}

/* Locks the name (see _mw_dbmail_lock_names), then checks that no other
 * user has it. */
static gboolean
check_name_free (const MwAdmin  *admin,
                 const char     *userid,
                 gint64          except_user,
                 GError        **error)
{
  gboolean failed;
  g_autofree char *taken = NULL;

  if (!_mw_dbmail_lock_names (admin, &userid, 1, error))
    return FALSE;
  taken = find_name_taken (admin, userid, except_user, &failed, error);
  if (failed)
    return FALSE;
  if (taken == NULL)
    return TRUE;
  set_name_taken_error (taken, userid, error);
  return FALSE;
}

/* After a change that failed and was rolled back: a unique index refused
 * the name because another session committed it meanwhile (MySQL compares
 * without case, so "alice" loses to "Alice" there, at the INSERT). Tells it
 * with check_name_free's sentence instead of the server's text. */
static void
explain_name_conflict (const MwAdmin  *admin,
                       const char     *userid,
                       gint64          except_user,
                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *taken = NULL;
  gboolean failed;

  if (error == NULL || !g_error_matches (*error, MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT) ||
      mw_db_in_transaction (admin->db))
    return;
  taken = find_name_taken (admin, userid, except_user, &failed, &local_error);
  if (taken == NULL)
    return;
  g_clear_error (error);
  set_name_taken_error (taken, userid, error);
}

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
      g_autofree char *number = int_text (user_idnr);

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
static gboolean
check_alias_free (const MwAdmin  *admin,
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

static char *
normalize_alias (const char      *text,
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
      g_autofree char *number = int_text (alias_idnr);

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
/* Users                                                                    */
/* ------------------------------------------------------------------------ */

/* The rows of a new user, inside the caller's transaction: the users row,
 * its first alias (already normalised; its row's number into *alias_idnr
 * when asked) and its INBOX. */
static gint64
insert_user (const MwAdmin    *admin,
             const MwNewUser  *user,
             const char       *alias,
             gint64           *alias_idnr,
             GError          **error)
{
  g_autofree char *idnr_text = NULL;
  gint64 id;

  if (!check_name_free (admin, user->userid, 0, error) ||
      (alias != NULL && !check_alias_free (admin, alias, 0, 0, error)))
    return 0;
  {
    MwDbValue params[] = {
      MW_DB_TEXT (user->userid), MW_DB_TEXT (user->passwd), MW_DB_TEXT (user->encryption_type),
      MW_DB_INT64 (user->client_idnr), MW_DB_INT64 (user->maxmail_size),
    };

    id = insert_id (admin, "INSERT INTO {users} (userid, passwd, encryption_type, client_idnr, maxmail_size) "
                    "VALUES ($1, $2, $3, $4, $5)", "user_idnr", params, G_N_ELEMENTS (params), error);
    if (id <= 0)
      return 0;
  }
  idnr_text = int_text (id);
  if (alias != NULL)
    {
      MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (idnr_text), MW_DB_INT64 (user->client_idnr) };
      gint64 row;

      row = insert_id (admin, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
                       "alias_idnr", params, 3, error);
      if (row <= 0)
        return 0;
      if (alias_idnr != NULL)
        *alias_idnr = row;
    }
  {
    /* dbmail-users -a creates no mailbox (delivery creates INBOX on first
     * use); an account that exists from the start shows in IMAP at once. */
    MwDbValue params[] = { MW_DB_INT64 (id) };

    if (!_mw_admin_run_ok (admin, "INSERT INTO {mailboxes} (owner_idnr, name) VALUES ($1, 'INBOX')", params, 1, error))
      return 0;
  }
  return id;
}

static void
audit_user_added (const MwAdmin   *admin,
                  const MwNewUser *user,
                  const char      *alias)
{
  g_autofree char *quota_text = int_text (user->maxmail_size);
  g_autofree char *group_text = int_text (user->client_idnr);
  MwAuditField after[] = {
    { "userid", user->userid }, { "encryption_type", user->encryption_type }, { "passwd", user->passwd },
    { "client_idnr", group_text }, { "maxmail_size", quota_text }, { "alias", alias },
  };

  _mw_admin_audit (admin, "user.add", user->userid, NULL, 0, after, G_N_ELEMENTS (after));
}

static gboolean
check_new_user (const MwNewUser  *user,
                GError          **error)
{
  return mw_dbmail_check_userid (user->userid, error) &&
         check_passwd (user->passwd, user->encryption_type, error) &&
         check_quota (user->maxmail_size, error) &&
         check_group (user->client_idnr, error);
}

gint64
mw_dbmail_add_user (const MwAdmin    *admin,
                    const MwNewUser  *user,
                    GError          **error)
{
  g_autofree char *alias = NULL;
  gint64 id;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, 0);
  g_return_val_if_fail (user != NULL, 0);

  if (!check_new_user (user, error))
    return 0;
  if (user->alias != NULL && (alias = normalize_alias (user->alias, user->alias_flags, error)) == NULL)
    return 0;

  if (!_mw_admin_begin (admin, error))
    return 0;
  id = insert_user (admin, user, alias, NULL, error);
  if (!_mw_admin_finish (admin, id > 0, error))
    {
      explain_name_conflict (admin, user->userid, 0, error);
      return 0;
    }
  audit_user_added (admin, user, alias);
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
  g_autofree char *alias = NULL;
  MwNewUser user = { .userid = user_text, .passwd = "", .encryption_type = "" };
  gint64 alias_idnr = 0;
  gint64 id;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, 0);
  g_return_val_if_fail (user_text != NULL, 0);

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
  if (!check_new_user (&user, error) || (alias = normalize_alias (text, flags, error)) == NULL)
    return 0;
  if (!_mw_admin_begin (admin, error))
    return 0;
  id = insert_user (admin, &user, alias, &alias_idnr, error);
  if (!_mw_admin_finish (admin, id > 0, error))
    {
      explain_name_conflict (admin, user.userid, 0, error);
      return 0;
    }
  audit_user_added (admin, &user, alias);
  if (created_user != NULL)
    *created_user = id;
  return alias_idnr;
}

#define USER_COLUMNS "userid, passwd, encryption_type, client_idnr, maxmail_size, active, spasswd, saction"

static char *
fingerprint_of (MwDbResult *result)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint c = 0; c < 8; c++)
    {
      const char *v = mw_db_result_get_string (result, 0, c);

      g_checksum_update (sum, (const guchar *) (v != NULL ? v : ""), -1);
      g_checksum_update (sum, (const guchar *) "\x1f", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

char *
mw_dbmail_user_fingerprint (MwDb          *db,
                            gint64         user_idnr,
                            GCancellable  *cancellable,
                            GError       **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) result = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  result = mw_db_exec (db, "SELECT " USER_COLUMNS " FROM {users} WHERE user_idnr = $1", params, 1, cancellable, error);
  if (result == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (result) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("The account no longer exists."));
      return NULL;
    }
  return fingerprint_of (result);
}

gboolean
mw_account_name_taken (MwDb        *db,
                       const char  *userid,
                       GError     **error)
{
  g_autofree char *eq = NULL;
  g_autofree char *sql = NULL;
  MwDbValue params[] = { MW_DB_TEXT (userid) };
  g_autoptr(MwDbResult) result = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (userid != NULL, FALSE);

  eq = mw_sql_ci_equal (mw_db_get_driver (db), "userid", "$1");
  sql = g_strdup_printf ("SELECT count(*) FROM {users} WHERE %s", eq);
  result = mw_db_exec (db, sql, params, 1, NULL, error);
  return result != NULL && mw_db_result_get_int64 (result, 0, 0) > 0;
}

gboolean
mw_account_get_password_scheme (MwDb                     *db,
                                gint64                    user_idnr,
                                const MwPasswordScheme  **scheme,
                                GError                  **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) result = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (scheme != NULL, FALSE);

  *scheme = NULL;
  result = mw_db_exec (db, "SELECT encryption_type, passwd FROM {users} WHERE user_idnr = $1", params, 1, NULL, error);
  if (result == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (result) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("The account no longer exists."));
      return FALSE;
    }
  *scheme = mw_password_identify (mw_db_result_get_string (result, 0, 0), mw_db_result_get_string (result, 0, 1));
  return TRUE;
}

void
mw_user_values_free (MwUserValues *values)
{
  if (values == NULL)
    return;
  g_free (values->userid);
  mw_password_free (values->passwd);
  g_free (values->encryption_type);
  g_free (values);
}

gboolean
mw_account_read_values (MwDb           *db,
                        gint64          user_idnr,
                        MwUserValues  **values,
                        GError        **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) r = NULL;
  MwUserValues *v;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  *values = NULL;
  r = mw_db_exec (db, "SELECT userid, passwd, encryption_type, client_idnr, maxmail_size, active, "
                      "saction FROM {users} WHERE user_idnr = $1", params, 1, NULL, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    return TRUE;
  v = g_new0 (MwUserValues, 1);
  v->userid = g_strdup (mw_db_result_get_string (r, 0, 0));
  v->passwd = g_strdup (mw_db_result_get_string (r, 0, 1));
  v->encryption_type = g_strdup (mw_db_result_get_string (r, 0, 2));
  v->client_idnr = mw_db_result_get_int64 (r, 0, 3);
  v->maxmail_size = mw_db_result_get_int64 (r, 0, 4);
  v->active = mw_db_result_get_int64 (r, 0, 5) != 0;
  v->saction = mw_db_result_get_int64 (r, 0, 6);
  *values = v;
  return TRUE;
}

gboolean
_mw_dbmail_read_user (MwDb           *db,
                      gint64          user_idnr,
                      MwUserValues  **values,
                      char          **fingerprint,
                      GError        **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) r = NULL;
  MwUserValues *v;

  g_assert (values != NULL && fingerprint != NULL);

  *values = NULL;
  *fingerprint = NULL;
  r = mw_db_exec (db, "SELECT " USER_COLUMNS " FROM {users} WHERE user_idnr = $1", params, 1, NULL, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    return TRUE;
  v = g_new0 (MwUserValues, 1);
  v->userid = g_strdup (mw_db_result_get_string (r, 0, 0));
  v->passwd = g_strdup (mw_db_result_get_string (r, 0, 1));
  v->encryption_type = g_strdup (mw_db_result_get_string (r, 0, 2));
  v->client_idnr = mw_db_result_get_int64 (r, 0, 3);
  v->maxmail_size = mw_db_result_get_int64 (r, 0, 4);
  v->active = mw_db_result_get_int64 (r, 0, 5) != 0;
  v->saction = mw_db_result_get_int64 (r, 0, 7);
  *values = v;
  *fingerprint = fingerprint_of (r);
  return TRUE;
}

static gboolean
usermap_exists (const MwAdmin  *admin,
                GError        **error)
{
  g_autofree char *pattern = g_strconcat (mw_db_get_prefix (admin->db), "usermap", NULL);
  MwDbValue params[] = { MW_DB_TEXT (pattern) };
  g_autoptr(MwDbResult) result = _mw_admin_run (admin, mw_sql_tables_query (mw_db_get_driver (admin->db)), params, 1, error);

  return result != NULL && mw_db_result_get_n_rows (result) > 0;
}

gboolean
mw_dbmail_update_user (const MwAdmin       *admin,
                       gint64               user_idnr,
                       const MwUserChange  *change,
                       GError             **error)
{
  MwUserChangeFlags c;
  MwDbValue id_param[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) old = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *idnr_text = int_text (user_idnr);
  g_autofree char *old_userid = NULL;
  g_autofree char *old_type = NULL;
  gboolean has_usermap = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  c = change->changes;
  if ((c & MW_USER_CHANGE_NAME) && !mw_dbmail_check_userid (change->userid, error))
    return FALSE;
  if ((c & MW_USER_CHANGE_PASSWORD) && !check_passwd (change->passwd, change->encryption_type, error))
    return FALSE;
  if ((c & MW_USER_CHANGE_SPASSWORD) && !check_passwd (change->spasswd, "", error))
    return FALSE;
  if ((c & MW_USER_CHANGE_QUOTA) && !check_quota (change->maxmail_size, error))
    return FALSE;
  if ((c & MW_USER_CHANGE_GROUP) && !check_group (change->client_idnr, error))
    return FALSE;
  if ((c & MW_USER_CHANGE_SACTION) && (change->saction < 0 || change->saction > 999))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The security action is a number from 0 to 999."));
      return FALSE;
    }
  if (c & MW_USER_CHANGE_NAME)
    {
      g_autoptr(GError) local_error = NULL;

      has_usermap = usermap_exists (admin, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  old = _mw_admin_run (admin, "SELECT " USER_COLUMNS " FROM {users} WHERE user_idnr = $1 FOR UPDATE", id_param, 1, error);
  if (old == NULL)
    return _mw_admin_finish (admin, FALSE, error);
  if (mw_db_result_get_n_rows (old) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user with the number %s; someone may have deleted it."), idnr_text);
      return _mw_admin_finish (admin, FALSE, error);
    }
  old_userid = g_strdup (mw_db_result_get_string (old, 0, 0));
  old_type = g_strdup (mw_db_result_get_string (old, 0, 2));
  if (mw_dbmail_is_system_user (old_userid) &&
      (c & (MW_USER_CHANGE_NAME | MW_USER_CHANGE_PASSWORD | MW_USER_CHANGE_SPASSWORD | MW_USER_CHANGE_ACTIVE)))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("“%s” is one of the accounts DBMail itself needs: it cannot be renamed and must never be able to log in."),
                   old_userid);
      return _mw_admin_finish (admin, FALSE, error);
    }
  if (change->expected_fingerprint != NULL)
    {
      g_autofree char *now = fingerprint_of (old);

      if (!g_str_equal (now, change->expected_fingerprint))
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
                       _("The account “%s” was changed in the database after this window loaded it. "
                         "Reload it to see the changes, then make yours again."), old_userid);
          return _mw_admin_finish (admin, FALSE, error);
        }
    }

  /* A security password is stored with the account's encryption_type, so a
   * new scheme would leave the old one unusable. */
  if ((c & MW_USER_CHANGE_PASSWORD) && !(c & MW_USER_CHANGE_SPASSWORD) &&
      g_ascii_strcasecmp (old_type, change->encryption_type) != 0 &&
      mw_db_result_get_string (old, 0, 6)[0] != '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("The account has a security password stored as “%s”; with the new password scheme it would no longer work. "
                     "Set the security password again, or remove it."), old_type[0] != '\0' ? old_type : _("plain text"));
      return _mw_admin_finish (admin, FALSE, error);
    }

#define RECORD(key, col, new_value) \
  G_STMT_START { \
    g_ptr_array_add (before, g_strdup (key)); \
    g_ptr_array_add (before, g_strdup (mw_db_result_get_string (old, 0, col))); \
    g_ptr_array_add (after, g_strdup (key)); \
    g_ptr_array_add (after, (new_value)); \
  } G_STMT_END

  if (ok && (c & MW_USER_CHANGE_NAME) && !g_str_equal (change->userid, old_userid))
    {
      MwDbValue params[] = { MW_DB_TEXT (change->userid), MW_DB_INT64 (user_idnr) };

      ok = check_name_free (admin, change->userid, user_idnr, error) &&
           _mw_admin_run_ok (admin, "UPDATE {users} SET userid = $1 WHERE user_idnr = $2", params, 2, error);
      if (ok && has_usermap)
        {
          MwDbValue map_params[] = { MW_DB_TEXT (change->userid), MW_DB_TEXT (old_userid) };

          ok = _mw_admin_run_ok (admin, "UPDATE {usermap} SET userid = $1 WHERE userid = $2", map_params, 2, error);
        }
      RECORD ("userid", 0, g_strdup (change->userid));
    }
  if (ok && (c & MW_USER_CHANGE_PASSWORD))
    {
      MwDbValue params[] = { MW_DB_TEXT (change->passwd), MW_DB_TEXT (change->encryption_type), MW_DB_INT64 (user_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {users} SET passwd = $1, encryption_type = $2 WHERE user_idnr = $3", params, 3, error);
      RECORD ("passwd", 1, g_strdup (change->passwd));
      RECORD ("encryption_type", 2, g_strdup (change->encryption_type));
    }
  if (ok && (c & MW_USER_CHANGE_SPASSWORD))
    {
      MwDbValue params[] = { MW_DB_TEXT (change->spasswd), MW_DB_INT64 (user_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {users} SET spasswd = $1 WHERE user_idnr = $2", params, 2, error);
      RECORD ("spasswd", 6, g_strdup (change->spasswd));
    }
  if (ok && (c & MW_USER_CHANGE_QUOTA))
    {
      MwDbValue params[] = { MW_DB_INT64 (change->maxmail_size), MW_DB_INT64 (user_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {users} SET maxmail_size = $1 WHERE user_idnr = $2", params, 2, error);
      RECORD ("maxmail_size", 4, int_text (change->maxmail_size));
    }
  if (ok && (c & MW_USER_CHANGE_GROUP))
    {
      MwDbValue params[] = { MW_DB_INT64 (change->client_idnr), MW_DB_INT64 (user_idnr) };
      MwDbValue alias_params[] = { MW_DB_INT64 (change->client_idnr), MW_DB_TEXT (idnr_text) };

      /* dbmail-users keeps the aliases' client_idnr equal to their user's. */
      ok = _mw_admin_run_ok (admin, "UPDATE {users} SET client_idnr = $1 WHERE user_idnr = $2", params, 2, error) &&
           _mw_admin_run_ok (admin, "UPDATE {aliases} SET client_idnr = $1 WHERE deliver_to = $2", alias_params, 2, error);
      RECORD ("client_idnr", 3, int_text (change->client_idnr));
    }
  if (ok && (c & MW_USER_CHANGE_ACTIVE))
    {
      MwDbValue params[] = { MW_DB_INT64 (change->active ? 1 : 0), MW_DB_INT64 (user_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {users} SET active = $1 WHERE user_idnr = $2", params, 2, error);
      RECORD ("active", 5, g_strdup (change->active ? "1" : "0"));
    }
  if (ok && (c & MW_USER_CHANGE_SACTION))
    {
      MwDbValue params[] = { MW_DB_INT64 (change->saction), MW_DB_INT64 (user_idnr) };

      ok = _mw_admin_run_ok (admin, "UPDATE {users} SET saction = $1 WHERE user_idnr = $2", params, 2, error);
      RECORD ("saction", 7, int_text (change->saction));
    }
#undef RECORD

  if (!_mw_admin_finish (admin, ok, error))
    {
      if (c & MW_USER_CHANGE_NAME)
        explain_name_conflict (admin, change->userid, user_idnr, error);
      return FALSE;
    }

  {
    guint n = before->len / 2;
    g_autofree MwAuditField *b = g_new0 (MwAuditField, n + 1);
    g_autofree MwAuditField *a = g_new0 (MwAuditField, n + 1);

    for (guint i = 0; i < n; i++)
      {
        b[i].key = before->pdata[2 * i];
        b[i].value = before->pdata[2 * i + 1];
        a[i].key = after->pdata[2 * i];
        a[i].value = after->pdata[2 * i + 1];
      }
    if (n > 0)
      _mw_admin_audit (admin, "user.change", old_userid, b, n, a, n);
  }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Deleting users                                                           */
/* ------------------------------------------------------------------------ */

/* The temporary tables a deletion works with, each a set of ids. PostgreSQL
 * drops them at the end of the transaction (and a rollback takes their
 * creation back); MySQL keeps them in the session, so they are dropped
 * explicitly. MariaDB cannot read one temporary table twice in a statement,
 * so every statement below names each of them at most once. */
static const char *const doomed_tables[] = {
  "mw_doomed_users", "mw_doomed_boxes", "mw_doomed_addr", "mw_doomed_phys", "mw_doomed_parts", "mw_doomed_values",
};

static gboolean
temp_tables_create (const MwAdmin  *admin,
                    GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (doomed_tables); i++)
    {
      g_autofree char *sql = NULL;

      if (g_str_equal (doomed_tables[i], "mw_doomed_addr"))
        continue;   /* made from a query, with the column type of the aliases */
      if (mw_db_get_driver (admin->db) == MW_DB_DRIVER_PGSQL)
        sql = g_strdup_printf ("CREATE TEMPORARY TABLE %s (id BIGINT PRIMARY KEY) ON COMMIT DROP", doomed_tables[i]);
      else
        {
          g_autofree char *drop = g_strdup_printf ("DROP TEMPORARY TABLE IF EXISTS %s", doomed_tables[i]);

          if (!_mw_admin_run_ok (admin, drop, NULL, 0, error))
            return FALSE;
          sql = g_strdup_printf ("CREATE TEMPORARY TABLE %s (id BIGINT PRIMARY KEY)", doomed_tables[i]);
        }
      if (!_mw_admin_run_ok (admin, sql, NULL, 0, error))
        return FALSE;
    }
  if (mw_db_get_driver (admin->db) == MW_DB_DRIVER_MYSQL)
    return _mw_admin_run_ok (admin, "DROP TEMPORARY TABLE IF EXISTS mw_doomed_addr", NULL, 0, error);
  return TRUE;
}

static void
temp_tables_drop (const MwAdmin *admin)
{
  if (mw_db_get_driver (admin->db) == MW_DB_DRIVER_MYSQL && mw_db_is_connected (admin->db))
    _mw_admin_run_ok (admin, "DROP TEMPORARY TABLE IF EXISTS mw_doomed_users, mw_doomed_boxes, mw_doomed_addr, mw_doomed_phys, "
            "mw_doomed_parts, mw_doomed_values", NULL, 0, NULL);
}

gboolean
mw_dbmail_delete_users (const MwAdmin    *admin,
                        gint64            user_idnr,
                        gint64            group,
                        MwDeleteSummary  *summary,
                        GError          **error)
{
  MwDbDriver driver;
  MwDeleteSummary s = { 0 };
  g_autofree char *cond = NULL;
  g_autofree char *a_user = NULL;
  g_autofree char *plain_user = NULL;
  g_autofree char *o_user = NULL;
  g_autofree char *ci_a = NULL;
  g_autofree char *ci_f = NULL;
  g_autofree char *ci_o = NULL;
  g_autofree char *ci_plain = NULL;
  g_autofree char *digits_f = NULL;
  g_autofree char *digits_plain = NULL;
  g_autofree char *forwards_cond = NULL;
  g_autofree char *target = NULL;
  g_autofree char *names = NULL;
  MwDbValue params[1];
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  driver = mw_db_get_driver (admin->db);
  if (user_idnr > 0)
    {
      params[0] = MW_DB_INT64 (user_idnr);
      cond = g_strdup ("user_idnr = $1 AND " NOT_SYSTEM ("userid"));
      target = int_text (user_idnr);
    }
  else
    {
      params[0] = MW_DB_INT64 (group);
      cond = g_strdup ("client_idnr = $1 AND " NOT_SYSTEM ("userid"));
      target = g_strdup_printf ("group %" G_GINT64_FORMAT, group);
    }
  /* deliver_to read as DBMail reads it (strtoull), so a join on the ids. */
  a_user = mw_sql_text_to_bigint (driver, "a.deliver_to");
  o_user = mw_sql_text_to_bigint (driver, "o.deliver_to");
  plain_user = mw_sql_text_to_bigint (driver, "deliver_to");
  ci_a = mw_sql_ci (driver, "a.alias");
  ci_f = mw_sql_ci (driver, "f.alias");
  ci_o = mw_sql_ci (driver, "o.alias");
  ci_plain = mw_sql_ci (driver, "alias");
  digits_f = mw_sql_is_digits (driver, "f.deliver_to");
  digits_plain = mw_sql_is_digits (driver, "deliver_to");
  forwards_cond = g_strdup_printf ("%s IN (SELECT alias FROM mw_doomed_addr) AND NOT %s", ci_f, digits_f);

  if (!_mw_admin_begin (admin, error))
    return FALSE;

  /* Lock the rows first so the summary is what goes. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT userid FROM {users} WHERE %s ORDER BY userid FOR UPDATE", cond);
    g_autoptr(MwDbResult) result = _mw_admin_run (admin, sql, params, 1, error);
    GString *list;

    ok = result != NULL;
    if (ok && mw_db_result_get_n_rows (result) == 0)
      {
        if (user_idnr > 0)
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                       _("There is no user with the number %s, or it is an account DBMail itself needs."), target);
        else
          {
            g_autofree char *number = int_text (group);

            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("The group %s has no users."), number);
          }
        ok = FALSE;
      }
    if (ok)
      {
        list = g_string_new (NULL);
        for (guint i = 0; i < mw_db_result_get_n_rows (result) && i < 50; i++)
          g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", mw_db_result_get_string (result, i, 0));
        if (mw_db_result_get_n_rows (result) > 50)
          g_string_append (list, ", …");
        names = g_string_free (list, FALSE);
        if (user_idnr > 0)
          {
            g_free (target);
            target = g_strdup (mw_db_result_get_string (result, 0, 0));
          }
      }
  }

  /* The sets, recorded before anything is deleted: the users, their
   * mailboxes, the addresses they receive (less those that still deliver to
   * someone who stays: their forwards stay too), and the message bodies, parts
   * and header values only they use. */
  ok = ok && temp_tables_create (admin, error);
  if (ok)
    {
      g_autofree char *users_sql = g_strdup_printf ("INSERT INTO mw_doomed_users (id) SELECT user_idnr FROM {users} "
                                                    "WHERE %s", cond);
      /* MariaDB runs a DELETE's IN (SELECT ...) once per row, so the
       * addresses get an index; on MySQL it must be declared here, since a
       * CREATE INDEX would commit the transaction. */
      g_autofree char *addr_sql = g_strdup_printf ("CREATE TEMPORARY TABLE mw_doomed_addr %s AS SELECT DISTINCT %s AS alias "
                                                   "FROM {aliases} a JOIN mw_doomed_users u ON u.id = %s",
                                                   driver == MW_DB_DRIVER_PGSQL ? "ON COMMIT DROP" : "(INDEX (alias))",
                                                   ci_a, a_user);
      g_autofree char *survivors_sql = g_strdup_printf (
        "DELETE FROM mw_doomed_addr WHERE EXISTS (SELECT 1 FROM {aliases} o JOIN {users} k ON k.user_idnr = %s "
        "WHERE %s = mw_doomed_addr.alias AND NOT EXISTS (SELECT 1 FROM mw_doomed_users u WHERE u.id = k.user_idnr))",
        o_user, ci_o);

      ok = _mw_admin_run_ok (admin, users_sql, params, 1, error) &&
           _mw_admin_run_ok (admin, "INSERT INTO mw_doomed_boxes (id) SELECT mb.mailbox_idnr FROM {mailboxes} mb "
                   "JOIN mw_doomed_users u ON u.id = mb.owner_idnr", NULL, 0, error) &&
           _mw_admin_run_ok (admin, addr_sql, NULL, 0, error) &&
           (driver == MW_DB_DRIVER_MYSQL ||
            _mw_admin_run_ok (admin, "CREATE INDEX mw_doomed_addr_alias ON mw_doomed_addr (alias)", NULL, 0, error)) &&
           _mw_admin_run_ok (admin, survivors_sql, NULL, 0, error) &&
           _mw_admin_run_ok (admin, "INSERT INTO mw_doomed_phys (id) SELECT DISTINCT m.physmessage_id FROM {messages} m "
                   "JOIN mw_doomed_boxes b ON b.id = m.mailbox_idnr", NULL, 0, error) &&
           /* A body another account still holds (an IMAP COPY, a delivery to
            * several recipients) stays. */
           _mw_admin_run_ok (admin, "DELETE FROM mw_doomed_phys WHERE EXISTS (SELECT 1 FROM {messages} m "
                   "WHERE m.physmessage_id = mw_doomed_phys.id AND NOT EXISTS "
                   "(SELECT 1 FROM mw_doomed_boxes b WHERE b.id = m.mailbox_idnr))", NULL, 0, error) &&
           _mw_admin_run_ok (admin, "INSERT INTO mw_doomed_parts (id) SELECT DISTINCT pl.part_id FROM {partlists} pl "
                   "JOIN mw_doomed_phys d ON d.id = pl.physmessage_id", NULL, 0, error) &&
           _mw_admin_run_ok (admin, "INSERT INTO mw_doomed_values (id) SELECT DISTINCT h.headervalue_id FROM {header} h "
                   "JOIN mw_doomed_phys d ON d.id = h.physmessage_id", NULL, 0, error);
    }

#define COUNT(field, sql_) \
  G_STMT_START { \
    if (ok) \
      { \
        s.field = _mw_admin_run_int (admin, (sql_), NULL, 0, error); \
        ok = s.field >= 0; \
      } \
  } G_STMT_END

  COUNT (users, "SELECT count(*) FROM mw_doomed_users");
  COUNT (mailboxes, "SELECT count(*) FROM mw_doomed_boxes");
  COUNT (messages, "SELECT count(*) FROM {messages} m JOIN mw_doomed_boxes b ON b.id = m.mailbox_idnr");
  COUNT (bytes, "SELECT COALESCE(SUM(p.messagesize), 0) FROM {messages} m JOIN mw_doomed_boxes b ON b.id = m.mailbox_idnr "
                "JOIN {physmessage} p ON p.id = m.physmessage_id");
  COUNT (physmessages, "SELECT count(*) FROM mw_doomed_phys");
  COUNT (sieve_scripts, "SELECT count(*) FROM {sievescripts} x JOIN mw_doomed_users u ON u.id = x.owner_idnr");
  if (ok)
    {
      g_autofree char *aliases_sql = g_strdup_printf ("SELECT count(*) FROM {aliases} a JOIN mw_doomed_users u "
                                                      "ON u.id = %s", a_user);
      g_autofree char *forwards_sql = g_strdup_printf ("SELECT count(*) FROM {aliases} f WHERE %s", forwards_cond);
      gint64 on_boxes, of_users;

      COUNT (aliases, aliases_sql);
      COUNT (forwards, forwards_sql);
      /* Rights granted to these users, and rights others have on their mailboxes. */
      of_users = ok ? _mw_admin_run_int (admin, "SELECT count(*) FROM {acl} x JOIN mw_doomed_users u ON u.id = x.user_id",
                               NULL, 0, error) : -1;
      on_boxes = of_users >= 0 ? _mw_admin_run_int (admin, "SELECT count(*) FROM {acl} x JOIN mw_doomed_boxes b ON b.id = x.mailbox_id "
                                          "WHERE NOT EXISTS (SELECT 1 FROM mw_doomed_users u WHERE u.id = x.user_id)", NULL, 0, error) : -1;
      ok = ok && of_users >= 0 && on_boxes >= 0;
      s.acls = of_users + on_boxes;
    }
#undef COUNT

  if (ok)
    {
      g_autofree char *del_forwards = g_strdup_printf ("DELETE FROM {aliases} WHERE %s IN (SELECT alias FROM mw_doomed_addr) "
                                                       "AND NOT %s", ci_plain, digits_plain);
      g_autofree char *del_aliases = g_strdup_printf ("DELETE FROM {aliases} WHERE %s IN (SELECT id FROM mw_doomed_users)",
                                                      plain_user);

      /* Forwards first (they are found through the aliases), then the
       * aliases, the bodies, the parts and header values nothing else uses,
       * then the users: the foreign keys take their mailboxes, messages,
       * rights, subscriptions, Sieve scripts, filters and auto-replies. */
      ok = _mw_admin_run_ok (admin, del_forwards, NULL, 0, error) &&
           _mw_admin_run_ok (admin, del_aliases, NULL, 0, error) &&
           _mw_admin_run_ok (admin, "DELETE FROM {physmessage} WHERE id IN (SELECT id FROM mw_doomed_phys)", NULL, 0, error) &&
           _mw_admin_run_ok (admin, "DELETE FROM {mimeparts} WHERE id IN (SELECT id FROM mw_doomed_parts) AND NOT EXISTS "
                   "(SELECT 1 FROM {partlists} pl WHERE pl.part_id = {mimeparts}.id)", NULL, 0, error) &&
           _mw_admin_run_ok (admin, "DELETE FROM {headervalue} WHERE id IN (SELECT id FROM mw_doomed_values) AND NOT EXISTS "
                   "(SELECT 1 FROM {header} h WHERE h.headervalue_id = {headervalue}.id)", NULL, 0, error) &&
           _mw_admin_run_ok (admin, "DELETE FROM {users} WHERE user_idnr IN (SELECT id FROM mw_doomed_users)", NULL, 0, error);
    }
  temp_tables_drop (admin);

  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  if (summary != NULL)
    *summary = s;

  {
    g_autofree char *n_users = int_text (s.users);
    g_autofree char *n_messages = int_text (s.messages);
    g_autofree char *n_bytes = int_text (s.bytes);
    g_autofree char *n_aliases = int_text (s.aliases);
    g_autofree char *n_forwards = int_text (s.forwards);
    MwAuditField before[] = {
      { "users", names }, { "count", n_users }, { "messages", n_messages }, { "bytes", n_bytes },
      { "aliases", n_aliases }, { "forwards", n_forwards },
    };

    _mw_admin_audit (admin, user_idnr > 0 ? "user.delete" : "group.delete", target, before, G_N_ELEMENTS (before), NULL, 0);
  }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Aliases and forwards                                                     */
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
  g_autofree char *idnr_text = int_text (user_idnr);
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, 0);

  if ((alias = normalize_alias (text, flags, error)) == NULL)
    return 0;
  if (!_mw_admin_begin (admin, error))
    return 0;
  ok = get_user (admin, user_idnr, TRUE, &user, error) &&
       check_alias_free (admin, alias, user_idnr, 0, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (idnr_text), MW_DB_INT64 (user.client_idnr) };

      id = insert_id (admin, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
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

  if ((alias = normalize_alias (text, flags, error)) == NULL)
    return FALSE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = get_alias (admin, alias_idnr, &row, error);
  if (ok && all_digits (row.deliver_to))
    ok = check_alias_free (admin, alias, g_ascii_strtoll (row.deliver_to, NULL, 10), alias_idnr, error);
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
    g_autofree char *group = int_text (row.client_idnr);
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
  ok = ok && check_alias_free (admin, row->alias, user->user_idnr, row->alias_idnr, error);
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
  g_autofree char *idnr_text = int_text (to_user_idnr);
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

  if ((alias = normalize_alias (text, flags, error)) == NULL ||
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

      id = insert_id (admin, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
                      "alias_idnr", params, 3, error);
      ok = id > 0;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return 0;
  group_text = int_text (group);
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
  idnr_text = int_text (user_idnr);
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
  g_autofree char *group_text = int_text (group);
  guint n_created = 0;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);

  if (!check_group (group, error))
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
    g_autofree char *stored = normalize_alias (probe, MW_ADDRESS_ALLOW_CATCH_ALL, error);

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
                         "FROM {users} u WHERE u.client_idnr = $1 AND " NOT_SYSTEM ("u.userid")
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
      g_autofree char *uid_text = int_text (uid);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(MwDbResult) rows = NULL;
      gboolean taken = FALSE;

      if (local[0] == '\0')
        continue;
      alias = normalize_alias (candidate, MW_ADDRESS_FLAGS_NONE, &local_error);
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
