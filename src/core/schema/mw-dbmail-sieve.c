/* mw-dbmail-sieve.c: DBMail's Sieve scripts (dbmail_sievescripts), as
 * DBMail's ManageSieve server keeps them: one row per script, UNIQUE
 * (owner_idnr, name), at most one row of an owner with active = 1 (DBMail
 * activates one by setting active = 0 on the owner's others).
 *
 * Rows are found by owner and exact name, never by id, so this works on
 * every 3.x table (PostgreSQL has an id, MariaDB only from step 32005).
 * MariaDB's collation compares names without case, so names are compared
 * as bytes there; its UNIQUE key still refuses two names that differ only
 * in case, which comes back as "already exists".
 *
 * Every change locks the owner's row first (FOR UPDATE), so that two
 * sessions activating scripts of one user at once leave exactly one active.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-dbmail-private.h"
#include "mw-dbmail-sieve.h"
#include "mw-dbmail.h"
#include "mw-schema.h"

/* The longest name each server's column holds (DBMAIL-FACTS A). */
static guint
name_max (MwDb *db)
{
  return mw_db_get_driver (db) == MW_DB_DRIVER_MYSQL ? 255 : 100;
}

/* "name = $n", exact on both servers. (transfer full) */
static char *
name_equal (MwDb       *db,
            const char *param)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_MYSQL)
    return g_strdup_printf ("CAST(name AS BINARY) = CAST(%s AS BINARY)", param);
  return g_strdup_printf ("name = %s", param);
}

static const char *
size_expr (MwDb *db)
{
  return mw_db_get_driver (db) == MW_DB_DRIVER_MYSQL ? "LENGTH(COALESCE(script, ''))" : "octet_length(script)";
}

static gboolean
parse_account (const char  *account_key,
               gint64      *user_idnr,
               GError     **error)
{
  return _mw_dbmail_parse_key (account_key, MW_DBMAIL_KEY_ACCOUNT, user_idnr, error);
}

static int
compare_scripts (gconstpointer a,
                 gconstpointer b)
{
  const MwSieveScript *x = *(MwSieveScript *const *) a;
  const MwSieveScript *y = *(MwSieveScript *const *) b;

  return g_strcmp0 (x->name, y->name);
}

static GPtrArray *
dbmail_list_sieve_scripts (MwSieveStore  *store,
                           MwDb          *db,
                           const char    *account_key,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(MwDbResult) r = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *sql = NULL;
  GPtrArray *scripts;
  gint64 user_idnr;

  if (!parse_account (account_key, &user_idnr, error))
    return NULL;
  if ((userid = _mw_dbmail_check_user (db, user_idnr, cancellable, error)) == NULL)
    return NULL;
  sql = g_strdup_printf ("SELECT name, active, %s FROM {sievescripts} WHERE owner_idnr = $1", size_expr (db));
  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

    if ((r = mw_db_exec (db, sql, params, 1, cancellable, error)) == NULL)
      return NULL;
  }
  scripts = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_sieve_script_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      MwSieveScript *s = mw_sieve_script_new ();

      s->name = g_strdup (mw_db_result_get_string (r, i, 0));
      s->active = mw_db_result_get_int64 (r, i, 1) != 0;
      s->size = mw_db_result_get_int64 (r, i, 2);
      g_ptr_array_add (scripts, s);
    }
  g_ptr_array_sort (scripts, compare_scripts);
  return scripts;
}

/* The script's row with its text, or NULL: with MW_SCHEMA_ERROR_NOT_FOUND
 * when there is none. */
static MwSieveScript *
read_script (MwDb          *db,
             gint64         user_idnr,
             const char    *userid,
             const char    *name,
             gboolean       lock,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *where = name_equal (db, "$2");
  g_autofree char *sql = g_strdup_printf ("SELECT name, active, COALESCE(script, '') FROM {sievescripts} "
                                          "WHERE owner_idnr = $1 AND %s%s", where, lock ? " FOR UPDATE" : "");
  MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_TEXT (name) };
  g_autoptr(MwDbResult) r = NULL;
  MwSieveScript *s;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_autofree char *quoted = mw_address_quote_for_message (name != NULL ? name : "", -1);
      g_autofree char *user = mw_address_quote_for_message (userid, -1);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("%s has no Sieve script named “%s”."), user, quoted);
      return NULL;
    }
  if ((r = mw_db_exec (db, sql, params, 2, cancellable, error)) == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_autofree char *quoted = mw_address_quote_for_message (name, -1);
      g_autofree char *user = mw_address_quote_for_message (userid, -1);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   /* Translators: the first %s is a user's name, the second a script's */
                   _("%s has no Sieve script named “%s”."), user, quoted);
      return NULL;
    }
  s = mw_sieve_script_new ();
  s->name = g_strdup (mw_db_result_get_string (r, 0, 0));
  s->active = mw_db_result_get_int64 (r, 0, 1) != 0;
  s->script = g_strdup (mw_db_result_get_string (r, 0, 2));
  s->size = (gint64) strlen (s->script);
  return s;
}

static MwSieveScript *
dbmail_get_sieve_script (MwSieveStore  *store,
                         MwDb          *db,
                         const char    *account_key,
                         const char    *name,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *userid = NULL;
  gint64 user_idnr;

  if (!parse_account (account_key, &user_idnr, error))
    return NULL;
  if ((userid = _mw_dbmail_check_user (db, user_idnr, cancellable, error)) == NULL)
    return NULL;
  return read_script (db, user_idnr, userid, name, FALSE, cancellable, error);
}

/* In a transaction: locks the owner's row (so that changes to one user's
 * scripts happen one after the other) and returns its name, refusing
 * DBMail's own accounts. */
static char *
lock_owner (const MwAdmin  *admin,
            gint64          user_idnr,
            GError        **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT userid FROM {users} WHERE user_idnr = $1 FOR UPDATE",
                                           params, 1, error);

  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0 || mw_dbmail_is_system_user (mw_db_result_get_string (r, 0, 0)))
    {
      g_autofree char *number = _mw_dbmail_int_text (user_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user with the number %s."), number);
      return NULL;
    }
  return g_strdup (mw_db_result_get_string (r, 0, 0));
}

/* The name of the owner's active script, or NULL (also on failure: then
 * *failed). (transfer full) */
static char *
active_name (const MwAdmin  *admin,
             gint64          user_idnr,
             gboolean       *failed,
             GError        **error)
{
  MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
  g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT name FROM {sievescripts} WHERE owner_idnr = $1 AND active <> 0 "
                                           "ORDER BY name", params, 1, error);

  *failed = r == NULL;
  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return NULL;
  return g_strdup (mw_db_result_get_string (r, 0, 0));
}

/* Exactly @name active among the owner's scripts; none for NULL. */
static gboolean
set_active (const MwAdmin  *admin,
            gint64          user_idnr,
            const char     *name,
            GError        **error)
{
  if (name == NULL)
    {
      MwDbValue params[] = { MW_DB_INT64 (user_idnr) };

      return _mw_admin_run_ok (admin, "UPDATE {sievescripts} SET active = 0 WHERE owner_idnr = $1 AND active <> 0",
                               params, 1, error);
    }
  {
    g_autofree char *is_it = name_equal (admin->db, "$2");
    g_autofree char *sql = g_strdup_printf ("UPDATE {sievescripts} SET active = CASE WHEN %s THEN 1 ELSE 0 END "
                                            "WHERE owner_idnr = $1", is_it);
    MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_TEXT (name) };

    return _mw_admin_run_ok (admin, sql, params, 2, error);
  }
}

/* A checksum instead of the text in the audit log: scripts may be big. */
static char *
digest (const char *script)
{
  return script != NULL ? g_compute_checksum_for_string (G_CHECKSUM_SHA256, script, -1) : NULL;
}

static char *
audit_target (const char *userid,
              const char *name)
{
  return g_strdup_printf ("%s/%s", userid, name != NULL ? name : "");
}

static void
audit_change (const MwAdmin        *admin,
              const char           *action,
              const char           *userid,
              const char           *name,
              const MwSieveScript  *before,
              const MwSieveScript  *after)
{
  g_autofree char *target = audit_target (userid, name);
  g_autofree char *before_size = before != NULL && before->size >= 0 ? _mw_dbmail_int_text (before->size) : NULL;
  g_autofree char *after_size = after != NULL && after->size >= 0 ? _mw_dbmail_int_text (after->size) : NULL;
  g_autofree char *before_sum = before != NULL ? digest (before->script) : NULL;
  g_autofree char *after_sum = after != NULL ? digest (after->script) : NULL;
  MwAuditField b[] = {
    { "name", before != NULL ? before->name : NULL },
    { "active", before != NULL ? (before->active ? "1" : "0") : NULL },
    { "size", before_size },
    { "sha256", before_sum },
  };
  MwAuditField a[] = {
    { "name", after != NULL ? after->name : NULL },
    { "active", after != NULL ? (after->active ? "1" : "0") : NULL },
    { "size", after_size },
    { "sha256", after_sum },
  };

  _mw_admin_audit (admin, action, target, b, before != NULL ? G_N_ELEMENTS (b) : 0,
                   a, after != NULL ? G_N_ELEMENTS (a) : 0);
}

/* A broken UNIQUE (owner_idnr, name) as a sentence. */
static gboolean
explain_exists (gboolean     ok,
                const char  *userid,
                const char  *name,
                GError     **error)
{
  if (!ok && error != NULL && g_error_matches (*error, MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT))
    {
      g_autofree char *quoted = mw_address_quote_for_message (name, -1);
      g_autofree char *user = mw_address_quote_for_message (userid, -1);

      g_clear_error (error);
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   /* Translators: the first %s is a user's name, the second a script's */
                   _("%s already has a Sieve script named “%s” (the database may tell names apart only by more "
                     "than their case)."), user, quoted);
    }
  return ok;
}

static MwSieveScript *
dbmail_put_sieve_script (MwSieveStore   *store,
                         const MwAdmin  *admin,
                         const char     *account_key,
                         const char     *name,
                         const char     *script,
                         gboolean        activate,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(MwSieveScript) before = NULL;
  g_autoptr(MwSieveScript) after = NULL;
  g_autoptr(GError) missing = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *was_active = NULL;
  gboolean ok, failed = FALSE;
  gint64 user_idnr;

  if (!parse_account (account_key, &user_idnr, error))
    return NULL;
  if (!mw_sieve_check_name (name, name_max (admin->db), error))
    return NULL;
  if (script == NULL)
    script = "";
  /* Before the transaction: the compilers hold no lock while they run.
   * sievec, then libSieve, the engine DBMail 3.5 runs it with. */
  if (!mw_sieve_compile (script, cancellable, error)
      || !mw_sieve_check_libsieve (script, cancellable, error))
    return NULL;

  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = (userid = lock_owner (admin, user_idnr, error)) != NULL;
  if (ok)
    {
      before = read_script (admin->db, user_idnr, userid, name, TRUE, NULL, &missing);
      if (before == NULL && !g_error_matches (missing, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&missing));
          ok = FALSE;
        }
    }
  if (ok)
    {
      was_active = active_name (admin, user_idnr, &failed, error);
      ok = !failed;
    }
  if (ok && before != NULL)
    {
      g_autofree char *is_it = name_equal (admin->db, "$3");
      g_autofree char *sql = g_strdup_printf ("UPDATE {sievescripts} SET script = $1 WHERE owner_idnr = $2 AND %s",
                                              is_it);
      MwDbValue params[] = { MW_DB_TEXT (script), MW_DB_INT64 (user_idnr), MW_DB_TEXT (name) };

      ok = _mw_admin_run_ok (admin, sql, params, 3, error);
    }
  else if (ok)
    {
      MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_TEXT (name), MW_DB_TEXT (script) };

      ok = explain_exists (_mw_admin_run_ok (admin, "INSERT INTO {sievescripts} (owner_idnr, name, script, active) "
                                             "VALUES ($1, $2, $3, 0)", params, 3, error),
                           userid, name, error);
    }
  if (ok && activate)
    ok = set_active (admin, user_idnr, name, error);
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;

  after = mw_sieve_script_new ();
  after->name = g_strdup (name);
  after->script = g_strdup (script);
  after->size = (gint64) strlen (script);
  after->active = activate || (before != NULL && before->active);
  audit_change (admin, before != NULL ? "sieve.replace" : "sieve.add", userid, name, before, after);
  if (activate && was_active != NULL && g_strcmp0 (was_active, name) != 0)
    {
      g_autoptr(MwSieveScript) off = mw_sieve_script_new ();

      off->name = g_strdup (was_active);
      audit_change (admin, "sieve.deactivate", userid, was_active, NULL, off);
    }
  if (before == NULL)
    {
      before = mw_sieve_script_new ();
      before->name = g_strdup (name);
    }
  return g_steal_pointer (&before);
}

/* activate and deactivate: @name NULL turns every script off. */
static MwSieveScript *
change_active (const MwAdmin  *admin,
               const char     *account_key,
               const char     *name,
               GError        **error)
{
  g_autoptr(MwSieveScript) target = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *was_active = NULL;
  gboolean ok, failed = FALSE;
  gint64 user_idnr;

  if (!parse_account (account_key, &user_idnr, error))
    return NULL;
  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = (userid = lock_owner (admin, user_idnr, error)) != NULL;
  if (ok && name != NULL)
    ok = (target = read_script (admin->db, user_idnr, userid, name, TRUE, NULL, error)) != NULL;
  if (ok)
    {
      was_active = active_name (admin, user_idnr, &failed, error);
      ok = !failed;
    }
  if (ok)
    ok = set_active (admin, user_idnr, name, error);
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;

  {
    g_autofree char *target_name = g_strdup (name != NULL ? name : was_active);
    MwSieveScript before = { .name = was_active, .size = -1, .active = was_active != NULL };
    MwSieveScript after = { .name = (char *) name, .size = -1, .active = name != NULL };

    if (g_strcmp0 (was_active, name) != 0)
      audit_change (admin, name != NULL ? "sieve.activate" : "sieve.deactivate", userid, target_name,
                    &before, &after);
  }
  {
    MwSieveScript *result = mw_sieve_script_new ();

    result->name = g_steal_pointer (&was_active);
    result->active = result->name != NULL;
    return result;
  }
}

static MwSieveScript *
dbmail_activate_sieve_script (MwSieveStore   *store,
                              const MwAdmin  *admin,
                              const char     *account_key,
                              const char     *name,
                              GError        **error)
{
  if (name == NULL)
    {
      g_set_error_literal (error, MW_SIEVE_ERROR, MW_SIEVE_ERROR_INVALID, _("A Sieve script needs a name."));
      return NULL;
    }
  return change_active (admin, account_key, name, error);
}

static MwSieveScript *
dbmail_deactivate_sieve_scripts (MwSieveStore   *store,
                                 const MwAdmin  *admin,
                                 const char     *account_key,
                                 GError        **error)
{
  return change_active (admin, account_key, NULL, error);
}

static MwSieveScript *
dbmail_delete_sieve_script (MwSieveStore   *store,
                            const MwAdmin  *admin,
                            const char     *account_key,
                            const char     *name,
                            GError        **error)
{
  g_autoptr(MwSieveScript) before = NULL;
  g_autofree char *userid = NULL;
  gboolean ok;
  gint64 user_idnr;

  if (!parse_account (account_key, &user_idnr, error))
    return NULL;
  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = (userid = lock_owner (admin, user_idnr, error)) != NULL &&
       (before = read_script (admin->db, user_idnr, userid, name, TRUE, NULL, error)) != NULL;
  if (ok)
    {
      g_autofree char *is_it = name_equal (admin->db, "$2");
      g_autofree char *sql = g_strdup_printf ("DELETE FROM {sievescripts} WHERE owner_idnr = $1 AND %s", is_it);
      MwDbValue params[] = { MW_DB_INT64 (user_idnr), MW_DB_TEXT (name) };

      ok = _mw_admin_run_ok (admin, sql, params, 2, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  audit_change (admin, "sieve.delete", userid, name, before, NULL);
  return g_steal_pointer (&before);
}

static MwSieveScript *
dbmail_rename_sieve_script (MwSieveStore   *store,
                            const MwAdmin  *admin,
                            const char     *account_key,
                            const char     *name,
                            const char     *new_name,
                            GError        **error)
{
  g_autoptr(MwSieveScript) before = NULL;
  g_autoptr(MwSieveScript) taken = NULL;
  g_autofree char *userid = NULL;
  gboolean ok;
  gint64 user_idnr;

  if (!parse_account (account_key, &user_idnr, error))
    return NULL;
  if (!mw_sieve_check_name (new_name, name_max (admin->db), error))
    return NULL;
  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = (userid = lock_owner (admin, user_idnr, error)) != NULL &&
       (before = read_script (admin->db, user_idnr, userid, name, TRUE, NULL, error)) != NULL;
  if (ok && g_strcmp0 (name, new_name) != 0)
    {
      taken = read_script (admin->db, user_idnr, userid, new_name, FALSE, NULL, NULL);
      if (taken != NULL)
        {
          GError *exists = g_error_new_literal (MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT, "");

          ok = explain_exists (FALSE, userid, new_name, &exists);
          g_propagate_error (error, exists);
        }
    }
  if (ok && g_strcmp0 (name, new_name) != 0)
    {
      g_autofree char *is_it = name_equal (admin->db, "$3");
      g_autofree char *sql = g_strdup_printf ("UPDATE {sievescripts} SET name = $1 WHERE owner_idnr = $2 AND %s",
                                              is_it);
      MwDbValue params[] = { MW_DB_TEXT (new_name), MW_DB_INT64 (user_idnr), MW_DB_TEXT (name) };

      ok = explain_exists (_mw_admin_run_ok (admin, sql, params, 3, error), userid, new_name, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwSieveScript after = { .name = (char *) new_name, .active = before->active, .size = before->size,
                            .script = before->script };

    audit_change (admin, "sieve.rename", userid, name, before, &after);
  }
  g_clear_pointer (&before->script, g_free);
  return g_steal_pointer (&before);
}

/* DBMail 3.5 runs scripts with libSieve (sortsieve.c), not Pigeonhole. */
static MwSieveEngine
dbmail_get_sieve_engine (MwSieveStore *store)
{
  return MW_SIEVE_ENGINE_LIBSIEVE;
}

void
_mw_dbmail_sieve_iface_init (MwSieveStoreInterface *iface)
{
  iface->list_sieve_scripts = dbmail_list_sieve_scripts;
  iface->get_sieve_script = dbmail_get_sieve_script;
  iface->put_sieve_script = dbmail_put_sieve_script;
  iface->activate_sieve_script = dbmail_activate_sieve_script;
  iface->deactivate_sieve_scripts = dbmail_deactivate_sieve_scripts;
  iface->delete_sieve_script = dbmail_delete_sieve_script;
  iface->rename_sieve_script = dbmail_rename_sieve_script;
  iface->get_sieve_engine = dbmail_get_sieve_engine;
}
