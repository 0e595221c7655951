/* mw-ispmail-addresses.c: the ISPmail flavour's aliases and forwards.
 *
 * Both are virtual_aliases rows (source -> destination), one row per
 * target: an alias goes to a mailbox of this database, a forward to any
 * other address. Postfix reads only addresses there (no programs) and
 * "@domain" as the domain's catch-all. Each change is one transaction,
 * audit-logged once committed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-ispmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-ispmail-private.h"
#include "mw-sql-dialect.h"

static MwDbResult *
run (MwIspmailSchema  *self,
     const MwAdmin    *admin,
     const char       *sql,
     const MwDbValue  *params,
     guint             n_params,
     GError          **error)
{
  g_autofree char *expanded = _mw_ispmail_sql (self, sql);

  return _mw_admin_run (admin, expanded, params, n_params, error);
}

GPtrArray *
_mw_ispmail_find_routes (MwSchema         *schema,
                         MwDb             *db,
                         const char       *address,
                         GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  MwDbDriver driver = mw_db_get_driver (db);
  g_autofree char *stored = mw_address_normalize_alias (address, MW_ADDRESS_ALLOW_CATCH_ALL, NULL, NULL);
  g_autofree char *eq = _mw_ispmail_sql_lookup (driver, "a.source", "$1");
  g_autofree char *join = _mw_ispmail_sql_lookup (driver, "u.email", "a.destination");
  g_autofree char *inner = g_strdup_printf ("SELECT a.id, a.source, a.destination, u.id, u.email FROM [aliases] a "
                                            "LEFT JOIN [users] u ON %s WHERE %s ORDER BY a.id", join, eq);
  g_autofree char *sql = _mw_ispmail_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (stored != NULL ? stored : address) };
  g_autoptr(MwDbResult) r = NULL;
  GPtrArray *routes;

  if (!g_utf8_validate (address, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The address is not valid UTF-8."));
      return NULL;
    }
  r = mw_db_exec (db, sql, params, 1, NULL, error);
  if (r == NULL)
    return NULL;
  routes = g_ptr_array_new_full (mw_db_result_get_n_rows (r), (GDestroyNotify) mw_address_route_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      MwAddressRoute *route = g_new0 (MwAddressRoute, 1);

      route->key = _mw_ispmail_key (mw_db_result_get_int64 (r, i, 0));
      route->address = g_strdup (mw_db_result_get_string (r, i, 1));
      route->target = g_strdup (mw_db_result_get_string (r, i, 2));
      if (!mw_db_result_is_null (r, i, 3))
        {
          route->account_key = _mw_ispmail_key (mw_db_result_get_int64 (r, i, 3));
          route->account_name = g_strdup (mw_db_result_get_string (r, i, 4));
        }
      g_ptr_array_add (routes, route);
    }
  return routes;
}

gint64
_mw_ispmail_insert_alias (MwIspmailSchema  *self,
                          const MwAdmin    *admin,
                          const char       *source,
                          gint64            domain_id,
                          const char       *destination,
                          GError          **error)
{
  MwDbDriver driver = mw_db_get_driver (admin->db);
  g_autofree char *same_source = mw_sql_ci_equal (driver, "source", "$1");
  g_autofree char *same_target = mw_sql_ci_equal (driver, "destination", "$2");
  g_autofree char *inner = g_strdup_printf ("SELECT count(*) FROM [aliases] WHERE %s AND %s", same_source,
                                            same_target);
  g_autofree char *sql = _mw_ispmail_sql (self, inner);
  g_autofree char *insert = _mw_ispmail_sql (self, "INSERT INTO [aliases] (domain_id, source, destination) "
                                                   "VALUES ($1, $2, $3)");
  MwDbValue params[] = { MW_DB_TEXT (source), MW_DB_TEXT (destination) };
  MwDbValue row[] = { MW_DB_INT64 (domain_id), MW_DB_TEXT (source), MW_DB_TEXT (destination) };
  gint64 n = _mw_admin_run_int (admin, sql, params, 2, error);

  if (n < 0)
    return 0;
  if (n > 0)
    {
      _mw_vmail_set_already_goes (error, source, destination);
      return 0;
    }
  return _mw_admin_insert_id (admin, insert, "id", row, G_N_ELEMENTS (row), error);
}

/* An address that may become an alias of a mailbox: no mailbox has it, and
 * it does not already deliver to one (compared without case). */
static gboolean
check_alias_free (MwIspmailSchema  *self,
                  const MwAdmin    *admin,
                  const char       *source,
                  gint64            except_row,
                  GError          **error)
{
  MwDbDriver driver = mw_db_get_driver (admin->db);
  g_autofree char *taken = NULL;
  g_autofree char *shown = mw_address_to_display (source);
  g_autofree char *eq = mw_sql_ci_equal (driver, "a.source", "$1");
  g_autofree char *join = mw_sql_ci_equal (driver, "u.email", "a.destination");
  g_autofree char *inner = g_strdup_printf ("SELECT u.email FROM [aliases] a JOIN [users] u ON %s "
                                            "WHERE %s AND a.id <> $2 ORDER BY a.id LIMIT 1", join, eq);
  g_autofree char *sql = _mw_ispmail_sql (self, inner);
  MwDbValue params[] = { MW_DB_TEXT (source), MW_DB_INT64 (except_row) };
  g_autoptr(MwDbResult) r = NULL;
  gint64 id = _mw_ispmail_mailbox_id (self, admin->db, source, &taken, error);

  if (id < 0)
    return FALSE;
  if (id > 0)
    {
      g_autofree char *other = mw_address_to_display (taken);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The address “%s” is taken: the mailbox “%s” has it."), shown, other);
      return FALSE;
    }
  r = _mw_admin_run (admin, sql, params, 2, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) > 0)
    {
      g_autofree char *other = mw_address_to_display (mw_db_result_get_string (r, 0, 0));

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The address “%s” is taken: it is an alias of the mailbox “%s”."), shown, other);
      return FALSE;
    }
  return TRUE;
}

/* The mailbox's address, or NULL with MW_SCHEMA_ERROR_NOT_FOUND. */
static char *
mailbox_email (MwIspmailSchema  *self,
               const MwAdmin    *admin,
               gint64            id,
               GError          **error)
{
  MwDbValue params[] = { MW_DB_INT64 (id) };
  g_autoptr(MwDbResult) r = run (self, admin, "SELECT email FROM [users] WHERE id = $1", params, 1, error);
  g_autofree char *number = NULL;

  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) > 0)
    return g_strdup (mw_db_result_get_string (r, 0, 0));
  number = _mw_ispmail_key (id);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no mailbox with the number %s; someone may have deleted it."), number);
  return NULL;
}

char *
_mw_ispmail_add_alias (MwSchema         *schema,
                       const MwAdmin    *admin,
                       const char       *account_key,
                       const char       *address,
                       MwAddressFlags    flags,
                       GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_autofree char *email = NULL;
  g_autofree char *source = NULL;
  gint64 domain_id = 0;
  gint64 id;
  gint64 row = 0;
  gboolean ok;

  if (!_mw_ispmail_parse_account_key (account_key, &id, error) || !_mw_admin_begin (admin, error))
    return NULL;
  ok = (email = mailbox_email (self, admin, id, error)) != NULL &&
       (source = _mw_ispmail_check_address (self, admin, address, flags, &domain_id, error)) != NULL &&
       check_alias_free (self, admin, source, 0, error) &&
       (row = _mw_ispmail_insert_alias (self, admin, source, domain_id, email, error)) > 0;
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField after[] = { { "source", source }, { "destination", email } };

    _mw_admin_audit (admin, "alias.add", source, NULL, 0, after, G_N_ELEMENTS (after));
  }
  return _mw_ispmail_key (row);
}

/* A destination Postfix can deliver to: an address, at most 100 characters. */
static char *
check_target (const char  *text,
              GError     **error)
{
  /* As Postfix looks the destination up in turn (see _mw_ispmail_check_address). */
  g_autofree char *target = _mw_vmail_normalize_target (text, _("Postfix delivers an ISPmail alias only to "
                                                               "addresses, not to programs."), error);

  if (target == NULL)
    return NULL;
  if (g_utf8_strlen (target, -1) > MW_ISPMAIL_ADDRESS_MAX_CHARS)
    {
      g_set_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_TOO_LONG,
                   _("The address is too long: this database holds at most %d characters."),
                   MW_ISPMAIL_ADDRESS_MAX_CHARS);
      return NULL;
    }
  return g_steal_pointer (&target);
}

/* A forward from a mailbox's own address keeps a copy in the mailbox, as a
 * DBMail forward from an alias does: Postfix reads the alias rows before
 * the mailbox, so the row source -> source is added with it when missing. */
char *
_mw_ispmail_add_forward (MwIspmailSchema  *self,
                         const MwAdmin    *admin,
                         const char       *address,
                         const char       *target,
                         MwAddressFlags    flags,
                         GError          **error)
{
  g_autofree char *source = NULL;
  g_autofree char *to = NULL;
  g_autofree char *mailbox = NULL;
  gint64 domain_id = 0;
  gint64 row = 0;
  gboolean kept = FALSE;
  gboolean ok;

  if ((to = check_target (target, error)) == NULL || !_mw_admin_begin (admin, error))
    return NULL;
  ok = (source = _mw_ispmail_check_address (self, admin, address, flags, &domain_id, error)) != NULL &&
       _mw_ispmail_mailbox_id (self, admin->db, source, &mailbox, error) >= 0;
  if (ok && mailbox != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      /* The mailbox's own spelling, so that the copy row reads like it. */
      g_free (source);
      source = g_strdup (mailbox);
      kept = _mw_ispmail_insert_alias (self, admin, source, domain_id, source, &local_error) > 0;
      if (local_error != NULL && !g_error_matches (local_error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }
  ok = ok && (row = _mw_ispmail_insert_alias (self, admin, source, domain_id, to, error)) > 0;
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  {
    MwAuditField after[] = { { "source", source }, { "destination", to },
                             { "keep_copy", kept ? "added" : NULL } };

    _mw_admin_audit (admin, "forward.add", source, NULL, 0, after, G_N_ELEMENTS (after));
  }
  return _mw_ispmail_key (row);
}

typedef struct
{
  gint64  id;
  char   *source;
  char   *destination;
  gboolean to_mailbox;
} AliasRow;

static void
alias_row_clear (AliasRow *row)
{
  g_clear_pointer (&row->source, g_free);
  g_clear_pointer (&row->destination, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AliasRow, alias_row_clear)

/* The alias row of @key, locked for the transaction; a mailbox's own
 * address is refused with @refusal. */
static gboolean
read_alias (MwIspmailSchema  *self,
            const MwAdmin    *admin,
            const char       *key,
            const char       *refusal,
            AliasRow         *row,
            GError          **error)
{
  g_autofree char *join = mw_sql_ci_equal (mw_db_get_driver (admin->db), "u.email", "a.destination");
  g_autofree char *sql = g_strdup_printf ("SELECT a.source, a.destination, "
                                          "(SELECT count(*) FROM [users] u WHERE %s) "
                                          "FROM [aliases] a WHERE a.id = $1 FOR UPDATE", join);
  g_autoptr(MwDbResult) r = NULL;
  gint64 mailbox;

  if (!_mw_ispmail_parse_address_key (key, &row->id, &mailbox, error))
    return FALSE;
  if (mailbox > 0)
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED, refusal);
      return FALSE;
    }
  {
    MwDbValue params[] = { MW_DB_INT64 (row->id) };

    r = run (self, admin, sql, params, 1, error);
  }
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("This address is no longer in the database; someone may have deleted it."));
      return FALSE;
    }
  row->source = g_strdup (mw_db_result_get_string (r, 0, 0));
  row->destination = g_strdup (mw_db_result_get_string (r, 0, 1));
  row->to_mailbox = mw_db_result_get_int64 (r, 0, 2) > 0;
  return TRUE;
}

#define OWN_ADDRESS_REFUSAL \
  _("This is the mailbox’s own address: it is its login and cannot change. Delete the mailbox instead.")

gboolean
_mw_ispmail_rename_address (MwSchema         *schema,
                            const MwAdmin    *admin,
                            const char       *key,
                            const char       *address,
                            MwAddressFlags    flags,
                            GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_auto(AliasRow) row = { 0 };
  g_autofree char *source = NULL;
  gint64 domain_id = 0;
  gboolean ok;

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = read_alias (self, admin, key, OWN_ADDRESS_REFUSAL, &row, error) &&
       (source = _mw_ispmail_check_address (self, admin, address, flags, &domain_id, error)) != NULL &&
       (!row.to_mailbox || check_alias_free (self, admin, source, row.id, error));
  if (ok && !mw_address_equal (source, row.source))
    {
      g_autofree char *eq_s = mw_sql_ci_equal (mw_db_get_driver (admin->db), "source", "$1");
      g_autofree char *eq_d = mw_sql_ci_equal (mw_db_get_driver (admin->db), "destination", "$2");
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM [aliases] WHERE %s AND %s", eq_s, eq_d);
      g_autofree char *expanded = _mw_ispmail_sql (self, sql);
      MwDbValue params[] = { MW_DB_TEXT (source), MW_DB_TEXT (row.destination) };
      gint64 n = _mw_admin_run_int (admin, expanded, params, 2, error);

      ok = n == 0;
      if (n > 0)
        _mw_vmail_set_already_goes (error, source, row.destination);
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (source), MW_DB_INT64 (domain_id), MW_DB_INT64 (row.id) };
      g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [aliases] SET source = $1, domain_id = $2 WHERE id = $3",
                                     params, 3, error);

      ok = r != NULL;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "source", row.source }, { "destination", row.destination } };
    MwAuditField after[] = { { "source", source }, { "destination", row.destination } };

    _mw_admin_audit (admin, "alias.rename", row.source, before, 2, after, 2);
  }
  return TRUE;
}

/* Points the row at @destination (already checked). */
static gboolean
set_destination (MwIspmailSchema  *self,
                 const MwAdmin    *admin,
                 const char       *key,
                 const char       *destination,
                 const char       *action,
                 GError          **error)
{
  g_auto(AliasRow) row = { 0 };
  gboolean ok;

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = read_alias (self, admin, key, OWN_ADDRESS_REFUSAL, &row, error);
  if (ok && !mw_address_equal (destination, row.destination))
    {
      g_autofree char *eq_s = mw_sql_ci_equal (mw_db_get_driver (admin->db), "source", "$1");
      g_autofree char *eq_d = mw_sql_ci_equal (mw_db_get_driver (admin->db), "destination", "$2");
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM [aliases] WHERE %s AND %s", eq_s, eq_d);
      g_autofree char *expanded = _mw_ispmail_sql (self, sql);
      MwDbValue params[] = { MW_DB_TEXT (row.source), MW_DB_TEXT (destination) };
      gint64 n = _mw_admin_run_int (admin, expanded, params, 2, error);

      ok = n == 0;
      if (n > 0)
        _mw_vmail_set_already_goes (error, row.source, destination);
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (destination), MW_DB_INT64 (row.id) };
      g_autoptr(MwDbResult) r = run (self, admin, "UPDATE [aliases] SET destination = $1 WHERE id = $2",
                                     params, 2, error);

      ok = r != NULL;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "source", row.source }, { "destination", row.destination } };
    MwAuditField after[] = { { "source", row.source }, { "destination", destination } };

    _mw_admin_audit (admin, action, row.source, before, 2, after, 2);
  }
  return TRUE;
}

gboolean
_mw_ispmail_retarget_address (MwSchema         *schema,
                              const MwAdmin    *admin,
                              const char       *key,
                              const char       *target,
                              GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_autofree char *to = check_target (target, error);

  return to != NULL && set_destination (self, admin, key, to, "forward.change", error);
}

gboolean
_mw_ispmail_move_address (MwSchema         *schema,
                          const MwAdmin    *admin,
                          const char       *key,
                          const char       *account,
                          GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_autoptr(MwFound) found = _mw_ispmail_find (schema, admin->db, account, NULL, error);

  return found != NULL && _mw_vmail_found_mailbox (found, account, error) &&
         set_destination (self, admin, key, found->name, "alias.move", error);
}

gboolean
_mw_ispmail_delete_address (MwSchema         *schema,
                            const MwAdmin    *admin,
                            const char       *key,
                            GError          **error)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (schema);
  g_auto(AliasRow) row = { 0 };
  gboolean ok;

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = read_alias (self, admin, key, OWN_ADDRESS_REFUSAL, &row, error);
  if (ok)
    {
      MwDbValue params[] = { MW_DB_INT64 (row.id) };
      g_autoptr(MwDbResult) r = run (self, admin, "DELETE FROM [aliases] WHERE id = $1", params, 1, error);

      ok = r != NULL;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField before[] = { { "source", row.source }, { "destination", row.destination } };

    _mw_admin_audit (admin, row.to_mailbox ? "alias.delete" : "forward.delete", row.source, before, 2, NULL, 0);
  }
  return TRUE;
}
