/* mw-schema.c: find out which mail schema a database holds; the MwSchema
 * interface and the functions that call a flavour through it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-schema"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-schema.h"
#include "mw-import.h"
#include "mw-ispmail-schema.h"
#include "mw-postfixadmin-schema.h"
#include "mw-schema.h"
#include "mw-sql-dialect.h"
#include "mw-vmail-detect.h"

G_DEFINE_QUARK (mw-schema-error-quark, mw_schema_error)

/* Tables every DBMail since 2.2 has. */
static const char *const common_tables[] = {
  "users", "aliases", "mailboxes", "messages", "physmessage", "acl", "subscription",
};
/* What 3.x added; a real DBMail 3.5 refuses to start without mimeparts and header. */
static const char *const v3_tables[] = {
  "mimeparts", "partlists", "header", "headername", "headervalue", "keywords",
};

void
mw_schema_info_free (MwSchemaInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->flavour);
  g_free (info->prefix);
  g_free (info->server_version);
  g_free (info);
}

char *
mw_schema_info_describe (const MwSchemaInfo *info)
{
  const char *kind;

  if (info->kind == MW_SCHEMA_ISPMAIL || info->kind == MW_SCHEMA_POSTFIXADMIN)
    return _mw_vmail_describe (info);
  kind = info->kind == MW_SCHEMA_DBMAIL_3 ? _("DBMail 3.x") : _("DBMail 2.2");

  if (info->schema_version > 0)
    {
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, info->schema_version);

      /* Translators: "DBMail 3.x (schema 35002) on PostgreSQL 15.4" */
      return g_strdup_printf (_("%s (schema %s) on %s"), kind, version, info->server_version);
    }
  /* Translators: "DBMail 3.x on PostgreSQL 15.4" */
  return g_strdup_printf (_("%s on %s"), kind, info->server_version);
}

static GHashTable *
list_tables (MwDb          *db,
             const char    *pattern,
             GCancellable  *cancellable,
             GError       **error)
{
  MwDbValue params[] = { MW_DB_TEXT (pattern) };
  g_autoptr(MwDbResult) result = NULL;
  GHashTable *names;

  result = mw_db_exec (db, mw_sql_tables_query (mw_db_get_driver (db)), params, 1, cancellable, error);
  if (result == NULL)
    return NULL;
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
    g_hash_table_add (names, g_ascii_strdown (mw_db_result_get_string (result, i, 0), -1));
  return names;
}

/* With no table under the configured prefix, a DBMail under another prefix
 * is the likeliest mistake: say which one. */
static char *
guess_other_prefix (MwDb         *db,
                    GCancellable *cancellable)
{
  g_autoptr(GHashTable) all = list_tables (db, "%", cancellable, NULL);
  GHashTableIter iter;
  const char *name;

  if (all == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, all);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      if (g_str_has_suffix (name, "users"))
        {
          g_autofree char *prefix = g_strndup (name, strlen (name) - strlen ("users"));
          g_autofree char *aliases = g_strconcat (prefix, "aliases", NULL);
          g_autofree char *physmessage = g_strconcat (prefix, "physmessage", NULL);

          if (g_hash_table_contains (all, aliases) && g_hash_table_contains (all, physmessage))
            return g_steal_pointer (&prefix);
        }
    }
  return NULL;
}

/* information_schema lists only the tables the user may use: a table closed
 * to this user looks missing. Ask the table itself to tell the two apart. */
static gboolean
check_missing_is_permission (MwDb          *db,
                             GPtrArray     *missing,
                             GCancellable  *cancellable,
                             GError       **error)
{
  for (guint i = 0; i < missing->len; i++)
    {
      const char *name = g_ptr_array_index (missing, i);
      g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE 1 = 0", name);
      g_autoptr(GError) probe_error = NULL;
      g_autoptr(MwDbResult) r = NULL;

      if (!mw_db_prefix_is_valid (name))
        continue;
      r = mw_db_exec (db, sql, NULL, 0, cancellable, &probe_error);
      if (r == NULL && g_error_matches (probe_error, MW_DB_ERROR, MW_DB_ERROR_PERMISSION_DENIED))
        {
          g_propagate_error (error, g_steal_pointer (&probe_error));
          return TRUE;
        }
      if (r == NULL && mw_db_in_transaction (db))
        mw_db_rollback (db, NULL);
    }
  return FALSE;
}

MwSchemaInfo *
mw_schema_detect (MwDb          *db,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const char *prefix = mw_db_get_prefix (db);
  g_autofree char *escaped = mw_sql_like_escape (prefix);
  g_autofree char *pattern = g_strconcat (escaped, "%", NULL);
  g_autoptr(GHashTable) tables = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autoptr(MwDbResult) probe = NULL;
  guint n_common = 0;
  guint n_v3 = 0;

  tables = list_tables (db, pattern, cancellable, error);
  if (tables == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (common_tables); i++)
    {
      g_autofree char *name = g_strconcat (prefix, common_tables[i], NULL);
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (g_hash_table_contains (tables, lower))
        n_common++;
      else
        g_ptr_array_add (missing, g_steal_pointer (&name));
    }

  if (check_missing_is_permission (db, missing, cancellable, error))
    return NULL;

  if (n_common == 0)
    {
      g_autofree char *other = NULL;
      g_auto(GStrv) found_tables = NULL;
      g_autoptr(GError) vmail_error = NULL;

      /* Not DBMail: perhaps ISPmail or PostfixAdmin, under any prefix. */
      info = _mw_vmail_detect (db, prefix, &found_tables, cancellable, &vmail_error);
      if (info != NULL)
        return g_steal_pointer (&info);
      if (vmail_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&vmail_error));
          return NULL;
        }

      other = guess_other_prefix (db, cancellable);
      if (other != NULL)
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,
                     _("This database has no DBMail tables with the prefix “%s”, but it has some with the prefix “%s”. Change the table prefix in the connection settings."),
                     prefix, other);
      else
        _mw_vmail_set_unknown_error ((const char *const *) found_tables, prefix, error);
      return NULL;
    }

  info = g_new0 (MwSchemaInfo, 1);
  info->driver = mw_db_get_driver (db);
  info->prefix = g_strdup (prefix);
  info->server_version = mw_db_get_server_version (db);

  for (guint i = 0; i < G_N_ELEMENTS (v3_tables); i++)
    {
      g_autofree char *name = g_strconcat (prefix, v3_tables[i], NULL);
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (g_hash_table_contains (tables, lower))
        n_v3++;
      else
        g_ptr_array_add (missing, g_steal_pointer (&name));
    }

  {
    g_autofree char *blks = g_strconcat (prefix, "messageblks", NULL);
    g_autofree char *usermap = g_strconcat (prefix, "usermap", NULL);
    g_autofree char *steps = g_strconcat (prefix, "upgrade_steps", NULL);

    g_autofree char *blks_lower = g_ascii_strdown (blks, -1);
    g_autofree char *usermap_lower = g_ascii_strdown (usermap, -1);
    g_autofree char *steps_lower = g_ascii_strdown (steps, -1);

    info->has_messageblks = g_hash_table_contains (tables, blks_lower);
    info->has_usermap = g_hash_table_contains (tables, usermap_lower);

    if (n_v3 == 0 && info->has_messageblks)
      {
        /* 2.2: everything of 3.x is legitimately absent; only the common tables matter. */
        info->kind = MW_SCHEMA_DBMAIL_2_2;
        g_ptr_array_set_size (missing, 0);
        for (guint i = 0; i < G_N_ELEMENTS (common_tables); i++)
          {
            g_autofree char *name = g_strconcat (prefix, common_tables[i], NULL);
            g_autofree char *lower = g_ascii_strdown (name, -1);

            if (!g_hash_table_contains (tables, lower))
              g_ptr_array_add (missing, g_steal_pointer (&name));
          }
      }
    else
      info->kind = MW_SCHEMA_DBMAIL_3;
    info->flavour = g_strdup (info->kind == MW_SCHEMA_DBMAIL_3 ? "dbmail-3" : "dbmail-2.2");

    if (check_missing_is_permission (db, missing, cancellable, error))
      return NULL;
    if (missing->len > 0)
      {
        g_ptr_array_add (missing, NULL);
        g_autofree char *list = g_strjoinv (", ", (char **) missing->pdata);

        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE,
                     _("This looks like a DBMail database, but these tables are missing: %s."), list);
        return NULL;
      }

    if (g_hash_table_contains (tables, steps_lower))
      {
        g_autoptr(MwDbResult) r = mw_db_exec (db, "SELECT max(to_version) FROM {upgrade_steps}",
                                              NULL, 0, cancellable, NULL);
        if (r != NULL && mw_db_result_get_n_rows (r) == 1)
          info->schema_version = mw_db_result_get_int64 (r, 0, 0);
      }
  }

  /* Tables can be there and still be closed to this database user: find out
   * now, with a sentence naming the table, rather than on the first list. */
  probe = mw_db_exec (db, "SELECT user_idnr FROM {users} WHERE user_idnr = 0", NULL, 0, cancellable, error);
  if (probe == NULL)
    return NULL;
  g_clear_pointer (&probe, mw_db_result_unref);
  probe = mw_db_exec (db, "SELECT alias_idnr FROM {aliases} WHERE alias_idnr = 0", NULL, 0, cancellable, error);
  if (probe == NULL)
    return NULL;

  return g_steal_pointer (&info);
}

/* ------------------------------------------------------------------------ */
/* The interface                                                            */
/* ------------------------------------------------------------------------ */

G_DEFINE_INTERFACE (MwSchema, mw_schema, G_TYPE_OBJECT)

static void
mw_schema_default_init (MwSchemaInterface *iface)
{
}

/**
 * mw_schema_open:
 *
 * Detects the flavour @db holds (mw_schema_detect()) and makes its schema
 * object, on the calling thread.
 *
 * Returns: (transfer full): the schema, or %NULL with @error set
 */
MwSchema *
mw_schema_open (MwDb          *db,
                GCancellable  *cancellable,
                GError       **error)
{
  MwSchemaInfo *info;

  g_return_val_if_fail (db != NULL, NULL);

  info = mw_schema_detect (db, cancellable, error);
  if (info == NULL)
    return NULL;
  if (info->kind == MW_SCHEMA_ISPMAIL)
    return mw_ispmail_schema_new (info, db);
  if (info->kind == MW_SCHEMA_POSTFIXADMIN)
    return mw_postfixadmin_schema_new (info, db);
  return mw_dbmail_schema_new (info);
}

/* A flavour that leaves out an operation cannot do it: say so, rather
 * than crash. */
static void
set_unsupported (MwSchema  *self,
                 GError   **error)
{
  g_autofree char *what = mw_schema_describe (self);

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This cannot be done on this database (%s)."), what);
}

#define IFACE(self) MW_SCHEMA_GET_IFACE (self)

#define CALL_OR_FAIL(self, vfunc, fail, error, ...) \
  G_STMT_START { \
    MwSchemaInterface *iface_ = IFACE (self); \
    if (iface_->vfunc == NULL) \
      { \
        set_unsupported (self, error); \
        return fail; \
      } \
    return iface_->vfunc (self, __VA_ARGS__); \
  } G_STMT_END

const MwSchemaInfo *
mw_schema_get_info (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  return IFACE (self)->get_info (self);
}

char *
mw_schema_describe (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (IFACE (self)->describe != NULL)
    return IFACE (self)->describe (self);
  return mw_schema_info_describe (mw_schema_get_info (self));
}

MwSchemaCapabilities
mw_schema_get_capabilities (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), MW_SCHEMA_CAN_NONE);

  if (IFACE (self)->get_capabilities == NULL)
    return MW_SCHEMA_CAN_NONE;
  return IFACE (self)->get_capabilities (self);
}

/**
 * mw_schema_can:
 *
 * Returns: whether the flavour can do every one of @what
 */
gboolean
mw_schema_can (MwSchema             *self,
               MwSchemaCapabilities  what)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return (mw_schema_get_capabilities (self) & what) == what;
}

gboolean
mw_schema_names_mailboxes (MwSchema *self)
{
  const MwSchemaInfo *info;

  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  info = mw_schema_get_info (self);
  return info != NULL && (info->kind == MW_SCHEMA_ISPMAIL || info->kind == MW_SCHEMA_POSTFIXADMIN);
}

const MwListInfo *
mw_schema_get_list (MwSchema   *self,
                    MwListKind  kind)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (IFACE (self)->get_list == NULL || kind >= MW_N_LISTS)
    return NULL;
  return IFACE (self)->get_list (self, kind);
}

const MwListInfo *
mw_schema_find_list (MwSchema   *self,
                     const char *id)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint kind = 0; kind < MW_N_LISTS; kind++)
    {
      const MwListInfo *info = mw_schema_get_list (self, (MwListKind) kind);

      if (info != NULL && g_str_equal (info->id, id))
        return info;
    }
  return NULL;
}

MwListQuery *
mw_schema_list_query (MwSchema             *self,
                      const MwListRequest  *request,
                      GError              **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  CALL_OR_FAIL (self, list_query, NULL, error, request, error);
}

char *
mw_schema_list_row_key (MwSchema   *self,
                        MwListKind  kind,
                        MwRecord   *record)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (MW_IS_RECORD (record), NULL);

  if (IFACE (self)->list_row_key == NULL)
    return NULL;
  return IFACE (self)->list_row_key (self, kind, record);
}

GPtrArray *
mw_schema_list_groups (MwSchema      *self,
                       MwDb          *db,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);

  CALL_OR_FAIL (self, list_groups, NULL, error, db, cancellable, error);
}

MwFound *
mw_schema_find (MwSchema      *self,
                MwDb          *db,
                const char    *text,
                GCancellable  *cancellable,
                GError       **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  CALL_OR_FAIL (self, find, NULL, error, db, text, cancellable, error);
}

char *
mw_schema_resolve_account (MwSchema      *self,
                           MwDb          *db,
                           const char    *text,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(MwFound) found = NULL;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  found = mw_schema_find (self, db, text, cancellable, error);
  if (found == NULL)
    return NULL;
  if (found->kind != MW_FOUND_ACCOUNT)
    {
      g_autofree char *targets = found->targets != NULL ? g_strjoinv (", ", found->targets) : g_strdup ("");

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("“%s” is not a user: it forwards to %s."), text, targets);
      return NULL;
    }
  return g_steal_pointer (&found->key);
}

MwAccount *
mw_schema_get_account (MwSchema      *self,
                       MwDb          *db,
                       const char    *key,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  CALL_OR_FAIL (self, get_account, NULL, error, db, key, cancellable, error);
}

gboolean
mw_schema_name_taken (MwSchema    *self,
                      MwDb        *db,
                      const char  *name,
                      GError     **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  CALL_OR_FAIL (self, name_taken, FALSE, error, db, name, error);
}

char *
mw_schema_add_account (MwSchema            *self,
                       const MwAdmin       *admin,
                       const MwNewAccount  *account,
                       GError             **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  CALL_OR_FAIL (self, add_account, NULL, error, admin, account, error);
}

MwAccountChange *
mw_schema_update_account (MwSchema               *self,
                          const MwAdmin          *admin,
                          const char             *key,
                          const MwAccountChange  *change,
                          GError                **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (change != NULL, NULL);

  CALL_OR_FAIL (self, update_account, NULL, error, admin, key, change, error);
}

gboolean
mw_schema_delete_accounts (MwSchema         *self,
                           const MwAdmin    *admin,
                           const char       *key,
                           gint64            group,
                           MwDeleteSummary  *summary,
                           GError          **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  CALL_OR_FAIL (self, delete_accounts, FALSE, error, admin, key, group, summary, error);
}

GPtrArray *
mw_schema_find_routes (MwSchema    *self,
                       MwDb        *db,
                       const char  *address,
                       GError     **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  CALL_OR_FAIL (self, find_routes, NULL, error, db, address, error);
}

char *
mw_schema_add_alias (MwSchema        *self,
                     const MwAdmin   *admin,
                     const char      *account_key,
                     const char      *address,
                     MwAddressFlags   flags,
                     GError         **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (account_key != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  CALL_OR_FAIL (self, add_alias, NULL, error, admin, account_key, address, flags, error);
}

char *
mw_schema_add_alias_for (MwSchema        *self,
                         const MwAdmin   *admin,
                         const char      *account,
                         const char      *address,
                         MwAddressFlags   flags,
                         gboolean         create_missing,
                         char           **created_account_key,
                         GError         **error)
{
  if (created_account_key != NULL)
    *created_account_key = NULL;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  CALL_OR_FAIL (self, add_alias_for, NULL, error, admin, account, address, flags, create_missing,
                created_account_key, error);
}

char *
mw_schema_add_forward (MwSchema        *self,
                       const MwAdmin   *admin,
                       const char      *address,
                       const char      *target,
                       MwAddressFlags   flags,
                       gint64           group,
                       GError         **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (target != NULL, NULL);

  CALL_OR_FAIL (self, add_forward, NULL, error, admin, address, target, flags, group, error);
}

gboolean
mw_schema_rename_address (MwSchema        *self,
                          const MwAdmin   *admin,
                          const char      *address_key,
                          const char      *address,
                          MwAddressFlags   flags,
                          GError         **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);
  g_return_val_if_fail (address_key != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  CALL_OR_FAIL (self, rename_address, FALSE, error, admin, address_key, address, flags, error);
}

gboolean
mw_schema_retarget_address (MwSchema       *self,
                            const MwAdmin  *admin,
                            const char     *address_key,
                            const char     *target,
                            GError        **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);
  g_return_val_if_fail (address_key != NULL, FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  CALL_OR_FAIL (self, retarget_address, FALSE, error, admin, address_key, target, error);
}

gboolean
mw_schema_move_address (MwSchema       *self,
                        const MwAdmin  *admin,
                        const char     *address_key,
                        const char     *account,
                        GError        **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);
  g_return_val_if_fail (address_key != NULL, FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  CALL_OR_FAIL (self, move_address, FALSE, error, admin, address_key, account, error);
}

gboolean
mw_schema_delete_address (MwSchema       *self,
                          const MwAdmin  *admin,
                          const char     *address_key,
                          GError        **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);
  g_return_val_if_fail (address_key != NULL, FALSE);

  CALL_OR_FAIL (self, delete_address, FALSE, error, admin, address_key, error);
}

GStrv
mw_schema_group_add_domain (MwSchema       *self,
                            const MwAdmin  *admin,
                            gint64          group,
                            const char     *domain,
                            GError        **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  CALL_OR_FAIL (self, group_add_domain, NULL, error, admin, group, domain, error);
}

const MwPasswordScheme *
mw_schema_get_password_schemes (MwSchema *self,
                                guint    *n_schemes)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (n_schemes != NULL, NULL);

  *n_schemes = 0;
  if (IFACE (self)->get_password_schemes == NULL)
    return NULL;
  return IFACE (self)->get_password_schemes (self, n_schemes);
}

const char *
mw_schema_get_default_password_scheme (MwSchema *self)
{
  const MwPasswordScheme *schemes;
  guint n;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (IFACE (self)->get_default_password_scheme != NULL)
    return IFACE (self)->get_default_password_scheme (self);
  /* Without a word from the flavour, the first it offers. */
  schemes = mw_schema_get_password_schemes (self, &n);
  return n > 0 ? schemes[0].name : NULL;
}

const MwPasswordScheme *
mw_schema_lookup_password_scheme (MwSchema    *self,
                                  const char  *name,
                                  GError     **error)
{
  const MwPasswordScheme *schemes;
  g_autoptr(GString) known = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (IFACE (self)->lookup_password_scheme != NULL)
    return IFACE (self)->lookup_password_scheme (self, name, error);
  /* Without other spellings from the flavour, its names, in any case. */
  schemes = mw_schema_get_password_schemes (self, &n);
  for (guint i = 0; i < n; i++)
    {
      if (name != NULL && g_ascii_strcasecmp (name, schemes[i].name) == 0)
        return &schemes[i];
      g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", schemes[i].name);
    }
  g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME,
               _("Mailwarden does not know the password scheme “%s”. Known schemes are: %s."),
               name != NULL ? name : "", known->str);
  return NULL;
}

char *
mw_schema_encode_password (MwSchema    *self,
                           const char  *scheme,
                           const char  *password,
                           gulong       rounds,
                           char       **stored_scheme,
                           GError     **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (stored_scheme != NULL)
    *stored_scheme = NULL;
  if (scheme == NULL)
    scheme = mw_schema_get_default_password_scheme (self);
  CALL_OR_FAIL (self, encode_password, NULL, error, scheme, password, rounds, stored_scheme, error);
}

const MwSecurityAction *
mw_schema_get_security_actions (MwSchema *self,
                                guint    *n_actions)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (n_actions != NULL, NULL);

  *n_actions = 0;
  if (IFACE (self)->get_security_actions == NULL)
    return NULL;
  return IFACE (self)->get_security_actions (self, n_actions);
}

const MwSecurityAction *
mw_schema_lookup_security_action (MwSchema *self,
                                  gint64    value)
{
  const MwSecurityAction *actions;
  const MwSecurityAction *found = NULL;
  guint n;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  actions = mw_schema_get_security_actions (self, &n);
  for (guint i = 0; i < n; i++)
    if (actions[i].value == value || (actions[i].numbered && actions[i].value <= value))
      found = &actions[i];
  return found;
}

MwImportPlan *
mw_schema_import_prepare (MwSchema               *self,
                          MwDb                   *db,
                          GBytes                 *csv,
                          const MwImportOptions  *options,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (csv != NULL, NULL);

  CALL_OR_FAIL (self, import_prepare, NULL, error, db, csv, options, cancellable, error);
}

MwImportReport *
mw_schema_import_run (MwSchema               *self,
                      const MwAdmin          *admin,
                      MwImportPlan           *plan,
                      const MwImportOptions  *options,
                      MwImportProgress        progress,
                      gpointer                user_data,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (plan != NULL, NULL);

  CALL_OR_FAIL (self, import_run, NULL, error, admin, plan, options, progress, user_data, cancellable, error);
}

gboolean
mw_schema_export_csv (MwSchema             *self,
                      MwDb                 *db,
                      const MwListRequest  *request,
                      GOutputStream        *out,
                      guint64              *rows,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  CALL_OR_FAIL (self, export_csv, FALSE, error, db, request, out, rows, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* Domains                                                                  */
/* ------------------------------------------------------------------------ */

MwDomain *
mw_domain_new (void)
{
  return g_new0 (MwDomain, 1);
}

void
mw_domain_free (MwDomain *domain)
{
  if (domain == NULL)
    return;
  g_free (domain->key);
  g_free (domain->name);
  g_free (domain->description);
  g_free (domain->transport);
  g_free (domain->fingerprint);
  g_free (domain);
}

MwDomainChange *
mw_domain_change_new (void)
{
  return g_new0 (MwDomainChange, 1);
}

MwDomainChange *
mw_domain_change_copy (const MwDomainChange *change)
{
  MwDomainChange *copy;

  g_return_val_if_fail (change != NULL, NULL);

  copy = mw_domain_change_new ();
  *copy = *change;
  copy->name = g_strdup (change->name);
  copy->description = g_strdup (change->description);
  copy->transport = g_strdup (change->transport);
  copy->expected_fingerprint = g_strdup (change->expected_fingerprint);
  copy->default_aliases_to = g_strdup (change->default_aliases_to);
  return copy;
}

void
mw_domain_change_free (MwDomainChange *change)
{
  if (change == NULL)
    return;
  g_free (change->name);
  g_free (change->description);
  g_free (change->transport);
  g_free (change->expected_fingerprint);
  g_free (change->default_aliases_to);
  g_free (change);
}

void
mw_domain_delete_summary_free (MwDomainDeleteSummary *summary)
{
  if (summary == NULL)
    return;
  g_strfreev (summary->maildirs);
  g_free (summary);
}

char *
mw_domain_delete_summary_describe (const MwDomainDeleteSummary *s)
{
  g_autofree char *domains = NULL;
  g_autofree char *mailboxes = NULL;
  g_autofree char *aliases = NULL;
  g_autofree char *alias_domains = NULL;
  g_autofree char *what = NULL;
  g_autofree char *list = NULL;
  char n1[24], n2[24], n3[24], n4[24];
  guint n_maildirs;

  g_return_val_if_fail (s != NULL, NULL);

  n_maildirs = s->maildirs != NULL ? g_strv_length (s->maildirs) : 0;
  g_snprintf (n1, sizeof n1, "%" G_GINT64_FORMAT, s->domains);
  g_snprintf (n2, sizeof n2, "%" G_GINT64_FORMAT, s->mailboxes);
  g_snprintf (n3, sizeof n3, "%" G_GINT64_FORMAT, s->aliases);
  g_snprintf (n4, sizeof n4, "%" G_GINT64_FORMAT, s->alias_domains);
  domains = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s domain", "%s domains", (gulong) s->domains), n1);
  mailboxes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s mailbox", "%s mailboxes", (gulong) s->mailboxes),
                               n2);
  aliases = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s alias", "%s aliases", (gulong) s->aliases), n3);
  alias_domains = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s alias domain", "%s alias domains",
                                                (gulong) s->alias_domains), n4);
  /* Translators: "1 domain with 2 mailboxes, 3 aliases and 0 alias domains." */
  what = g_strdup_printf (_("%s with %s, %s and %s."), domains, mailboxes, aliases, alias_domains);
  if (n_maildirs == 0)
    return g_steal_pointer (&what);
  list = g_strjoinv (" ", s->maildirs);
  /* Translators: the first %s is the sentence above, the second the Maildirs' paths,
   * "/var/vmail/example.org/alice/ /var/vmail/example.org/bob/" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s The mail is not in the database: remove this Maildir "
                                       "from the mail server's disk by hand: %s",
                                       "%s The mail is not in the database: remove these Maildirs from the mail "
                                       "server's disk by hand: %s", n_maildirs),
                          what, list);
}

static void
set_no_domains (MwSchema  *self,
                GError   **error)
{
  g_autofree char *what = mw_schema_describe (self);

  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This database (%s) has no table of domains: a domain is only the part of its addresses after "
                 "the “@”."), what);
}

#define DOMAIN_CALL_OR_FAIL(self, vfunc, fail, error, ...) \
  G_STMT_START { \
    MwSchemaInterface *iface_ = IFACE (self); \
    if (iface_->vfunc == NULL) \
      { \
        set_no_domains (self, error); \
        return fail; \
      } \
    return iface_->vfunc (self, __VA_ARGS__); \
  } G_STMT_END

MwDomainFields
mw_schema_get_domain_fields (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), 0);

  if (IFACE (self)->get_domain_fields == NULL)
    return 0;
  return IFACE (self)->get_domain_fields (self);
}

MwDomain *
mw_schema_get_domain (MwSchema      *self,
                      MwDb          *db,
                      const char    *key_or_name,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (key_or_name != NULL, NULL);

  DOMAIN_CALL_OR_FAIL (self, get_domain, NULL, error, db, key_or_name, cancellable, error);
}

char *
mw_schema_add_domain (MwSchema              *self,
                      const MwAdmin         *admin,
                      const char            *name,
                      const MwDomainChange  *settings,
                      GError               **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  DOMAIN_CALL_OR_FAIL (self, add_domain, NULL, error, admin, name, settings, error);
}

MwDomainChange *
mw_schema_update_domain (MwSchema              *self,
                         const MwAdmin         *admin,
                         const char            *key,
                         const MwDomainChange  *change,
                         GError               **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (change != NULL, NULL);

  DOMAIN_CALL_OR_FAIL (self, update_domain, NULL, error, admin, key, change, error);
}

MwDomainDeleteSummary *
mw_schema_delete_domains (MwSchema           *self,
                          const MwAdmin      *admin,
                          const char *const  *keys,
                          GError            **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);
  g_return_val_if_fail (keys != NULL && keys[0] != NULL, NULL);

  DOMAIN_CALL_OR_FAIL (self, delete_domains, NULL, error, admin, keys, error);
}

MwDomainChange *
mw_schema_get_domain_defaults (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (IFACE (self)->get_domain_defaults == NULL)
    return mw_domain_change_new ();
  return IFACE (self)->get_domain_defaults (self);
}
