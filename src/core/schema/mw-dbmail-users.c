/* mw-dbmail-users.c: the DBMail flavour, write side: adding, reading and changing users.
 *
 * Every statement that adds a user or changes a user's row is in this file
 * (deleting users: mw-dbmail-users-delete.c). Follows DBMAIL-FACTS.md: names
 * compare case-insensitively, a user's aliases deliver to its number in
 * decimal and carry its client_idnr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-users"

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

gboolean
_mw_dbmail_check_group (gint64   group,
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

/* ------------------------------------------------------------------------ */
/* Adding users                                                             */
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
      (alias != NULL && !_mw_dbmail_check_alias_free (admin, alias, 0, 0, error)))
    return 0;
  {
    MwDbValue params[] = {
      MW_DB_TEXT (user->userid), MW_DB_TEXT (user->passwd), MW_DB_TEXT (user->encryption_type),
      MW_DB_INT64 (user->client_idnr), MW_DB_INT64 (user->maxmail_size),
    };

    id = _mw_admin_insert_id (admin, "INSERT INTO {users} (userid, passwd, encryption_type, client_idnr, maxmail_size) "
                              "VALUES ($1, $2, $3, $4, $5)", "user_idnr", params, G_N_ELEMENTS (params), error);
    if (id <= 0)
      return 0;
  }
  idnr_text = _mw_dbmail_int_text (id);
  if (alias != NULL)
    {
      MwDbValue params[] = { MW_DB_TEXT (alias), MW_DB_TEXT (idnr_text), MW_DB_INT64 (user->client_idnr) };
      gint64 row;

      row = _mw_admin_insert_id (admin, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ($1, $2, $3)",
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
  g_autofree char *quota_text = _mw_dbmail_int_text (user->maxmail_size);
  g_autofree char *group_text = _mw_dbmail_int_text (user->client_idnr);
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
         _mw_dbmail_check_group (user->client_idnr, error);
}

gint64
_mw_dbmail_add_user (const MwAdmin    *admin,
                     const MwNewUser  *user,
                     gint64           *alias_idnr,
                     GError          **error)
{
  g_autofree char *alias = NULL;
  gint64 id;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, 0);
  g_return_val_if_fail (user != NULL, 0);

  if (!check_new_user (user, error))
    return 0;
  if (user->alias != NULL && (alias = _mw_dbmail_normalize_alias (user->alias, user->alias_flags, error)) == NULL)
    return 0;

  if (!_mw_admin_begin (admin, error))
    return 0;
  id = insert_user (admin, user, alias, alias_idnr, error);
  if (!_mw_admin_finish (admin, id > 0, error))
    {
      explain_name_conflict (admin, user->userid, 0, error);
      return 0;
    }
  audit_user_added (admin, user, alias);
  return id;
}

gint64
mw_dbmail_add_user (const MwAdmin    *admin,
                    const MwNewUser  *user,
                    GError          **error)
{
  return _mw_dbmail_add_user (admin, user, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* Reading users                                                            */
/* ------------------------------------------------------------------------ */

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

/* The values of r's first row; saction is column saction_col (the
 * columns before it as in mw_account_read_values). */
static MwUserValues *
user_values_of (MwDbResult *r,
                guint       saction_col)
{
  MwUserValues *v = g_new0 (MwUserValues, 1);

  v->userid = g_strdup (mw_db_result_get_string (r, 0, 0));
  v->passwd = g_strdup (mw_db_result_get_string (r, 0, 1));
  v->encryption_type = g_strdup (mw_db_result_get_string (r, 0, 2));
  v->client_idnr = mw_db_result_get_int64 (r, 0, 3);
  v->maxmail_size = mw_db_result_get_int64 (r, 0, 4);
  v->active = mw_db_result_get_int64 (r, 0, 5) != 0;
  v->saction = mw_db_result_get_int64 (r, 0, saction_col);
  return v;
}

gboolean
mw_account_read_values (MwDb           *db,
                        gint64          user_idnr,
                        MwUserValues  **values,
                        GError        **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) r = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  *values = NULL;
  r = mw_db_exec (db, "SELECT userid, passwd, encryption_type, client_idnr, maxmail_size, active, "
                      "saction FROM {users} WHERE user_idnr = $1", params, 1, NULL, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    return TRUE;
  *values = user_values_of (r, 6);
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

  g_assert (values != NULL && fingerprint != NULL);

  *values = NULL;
  *fingerprint = NULL;
  r = mw_db_exec (db, "SELECT " USER_COLUMNS " FROM {users} WHERE user_idnr = $1", params, 1, NULL, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    return TRUE;
  *values = user_values_of (r, 7);
  *fingerprint = fingerprint_of (r);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Changing users                                                           */
/* ------------------------------------------------------------------------ */

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
  g_autofree char *idnr_text = _mw_dbmail_int_text (user_idnr);
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
  if ((c & MW_USER_CHANGE_GROUP) && !_mw_dbmail_check_group (change->client_idnr, error))
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
      RECORD ("maxmail_size", 4, _mw_dbmail_int_text (change->maxmail_size));
    }
  if (ok && (c & MW_USER_CHANGE_GROUP))
    {
      MwDbValue params[] = { MW_DB_INT64 (change->client_idnr), MW_DB_INT64 (user_idnr) };
      MwDbValue alias_params[] = { MW_DB_INT64 (change->client_idnr), MW_DB_TEXT (idnr_text) };

      /* dbmail-users keeps the aliases' client_idnr equal to their user's. */
      ok = _mw_admin_run_ok (admin, "UPDATE {users} SET client_idnr = $1 WHERE user_idnr = $2", params, 2, error) &&
           _mw_admin_run_ok (admin, "UPDATE {aliases} SET client_idnr = $1 WHERE deliver_to = $2", alias_params, 2, error);
      RECORD ("client_idnr", 3, _mw_dbmail_int_text (change->client_idnr));
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
      RECORD ("saction", 7, _mw_dbmail_int_text (change->saction));
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
