/* mw-ispmail-schema.c: the ISPmail tutorial's tables as an MwSchema: what
 * the flavour can do, keys, password strings as Dovecot reads them, and the
 * interface's functions, which call mw-ispmail-lists.c (lists, find, account
 * details), mw-ispmail-accounts.c and mw-ispmail-addresses.c (changes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-ispmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-stats-private.h"
#include "mw-cleanup-private.h"
#include "mw-ispmail-private.h"
#include "mw-health-private.h"
#include "mw-vmail-import.h"
#include "mw-vmail-last-login.h"
#include "mw-trace.h"

struct _MwIspmailSchema
{
  GObject       parent_instance;

  MwSchemaInfo *info;
  const char   *default_scheme;   /* what the rows used when the database was opened */
  gboolean      last_login;       /* Dovecot's last-login table is there (mw-vmail-last-login.h) */
};

static void mw_ispmail_schema_iface_init (MwSchemaInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwIspmailSchema, mw_ispmail_schema, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MW_TYPE_STATS_STORE, _mw_ispmail_stats_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_SCHEMA, mw_ispmail_schema_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_HEALTH_STORE, _mw_ispmail_health_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_CLEANUP_STORE, _mw_vmail_cleanup_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_TRACE_STORE, _mw_ispmail_trace_iface_init))

static void
mw_ispmail_schema_finalize (GObject *object)
{
  MwIspmailSchema *self = MW_ISPMAIL_SCHEMA (object);

  g_clear_pointer (&self->info, mw_schema_info_free);

  G_OBJECT_CLASS (mw_ispmail_schema_parent_class)->finalize (object);
}

static void
mw_ispmail_schema_class_init (MwIspmailSchemaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_ispmail_schema_finalize;
}

static void
mw_ispmail_schema_init (MwIspmailSchema *self)
{
}

MwSchema *
mw_ispmail_schema_new (MwSchemaInfo *info,
                       MwDb         *db)
{
  MwIspmailSchema *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info->kind == MW_SCHEMA_ISPMAIL, NULL);
  g_return_val_if_fail (mw_db_prefix_is_valid (info->prefix) || info->prefix[0] == '\0', NULL);

  self = g_object_new (MW_TYPE_ISPMAIL_SCHEMA, NULL);
  self->info = info;
  self->default_scheme = _mw_ispmail_detect_scheme (self, db);
  self->last_login = _mw_vmail_detect_last_login (db);
  return MW_SCHEMA (self);
}

const MwSchemaInfo *
_mw_ispmail_info (MwIspmailSchema *self)
{
  return self->info;
}

gboolean
_mw_ispmail_has_last_login (MwIspmailSchema *self)
{
  return self->last_login;
}

char *
_mw_ispmail_sql (MwIspmailSchema *self,
                 const char      *sql)
{
  static const struct { const char *token; const char *table; } tables[] = {
    { "[domains]", "virtual_domains" }, { "[users]", "virtual_users" }, { "[aliases]", "virtual_aliases" },
  };
  GString *out = g_string_sized_new (strlen (sql) + 64);

  for (const char *p = sql; *p != '\0'; p++)
    {
      gboolean done = FALSE;

      if (*p == '[')
        for (guint i = 0; i < G_N_ELEMENTS (tables) && !done; i++)
          if (g_str_has_prefix (p, tables[i].token))
            {
              g_string_append (out, self->info->prefix);
              g_string_append (out, tables[i].table);
              p += strlen (tables[i].token) - 1;
              done = TRUE;
            }
      if (!done)
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
_mw_ispmail_sql_lookup (MwDbDriver  driver,
                        const char *stored_col,
                        const char *key)
{
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("%s = lower(%s)", stored_col, key);
  return g_strdup_printf ("%s = %s", stored_col, key);
}

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

#define MAILBOX_KEY_PREFIX "mailbox-"

char *
_mw_ispmail_key (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* Only what _mw_ispmail_key() writes: "042" is not "42". */
static gboolean
parse_number (const char *text,
              gint64     *id)
{
  gsize len = text != NULL ? strlen (text) : 0;
  guint64 value = 0;

  if (len == 0 || len > 18 || text[0] == '0' || strspn (text, "0123456789") != len ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

gboolean
_mw_ispmail_parse_account_key (const char  *key,
                               gint64      *id,
                               GError     **error)
{
  g_autofree char *shown = NULL;

  if (parse_number (key, id))
    return TRUE;
  shown = mw_address_quote_for_message (key != NULL ? key : "", -1);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no such account: “%s” is not an account’s key in this database."), shown);
  return FALSE;
}

gboolean
_mw_ispmail_parse_address_key (const char  *key,
                               gint64      *row,
                               gint64      *mailbox,
                               GError     **error)
{
  g_autofree char *shown = NULL;

  *row = 0;
  *mailbox = 0;
  if (parse_number (key, row))
    return TRUE;
  if (key != NULL && g_str_has_prefix (key, MAILBOX_KEY_PREFIX) &&
      parse_number (key + strlen (MAILBOX_KEY_PREFIX), mailbox))
    return TRUE;
  shown = mw_address_quote_for_message (key != NULL ? key : "", -1);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no such address: “%s” is not an address’s key in this database."), shown);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Passwords: Dovecot strings with a {SCHEME} prefix, no scheme column      */
/* ------------------------------------------------------------------------ */

const MwPasswordScheme *
_mw_ispmail_identify (const char *stored)
{
  const char *end;
  g_autofree char *label = NULL;
  const MwPasswordScheme *scheme;

  if (stored == NULL || stored[0] != '{' || (end = strchr (stored, '}')) == NULL)
    return NULL;
  label = g_ascii_strup (stored + 1, end - stored - 1);
  /* Each of these is a crypt(3) string; mw-password tells which method. */
  if (!g_str_equal (label, "CRYPT") && !g_str_equal (label, "SHA512-CRYPT") &&
      !g_str_equal (label, "SHA256-CRYPT") && !g_str_equal (label, "BLF-CRYPT"))
    return NULL;
  scheme = mw_password_identify ("crypt", end + 1);
  if (scheme == NULL)
    return NULL;
  /* A label that does not match its hash is what Dovecot refuses. */
  scheme = _mw_vmail_scheme_by_name (scheme->name);
  if (scheme != NULL && (g_str_equal (label, scheme->encryption_type) || g_str_equal (label, "CRYPT")))
    return scheme;
  return NULL;
}

const char *
_mw_ispmail_detect_scheme (MwIspmailSchema *self,
                           MwDb            *db)
{
  g_autofree char *sql = _mw_ispmail_sql (self, "SELECT password FROM [users] ORDER BY id DESC LIMIT 50");
  g_autoptr(MwDbResult) rows = db != NULL ? mw_db_exec (db, sql, NULL, 0, NULL, NULL) : NULL;

  return _mw_vmail_pick_scheme (rows, _mw_ispmail_identify);
}

static const char *
ispmail_get_default_password_scheme (MwSchema *schema)
{
  return MW_ISPMAIL_SCHEMA (schema)->default_scheme;
}

static char *
ispmail_encode_password (MwSchema    *schema,
                         const char  *scheme,
                         const char  *password,
                         gulong       rounds,
                         char       **stored_scheme,
                         GError     **error)
{
  const MwPasswordScheme *s = _mw_vmail_lookup_scheme (schema, scheme != NULL ? scheme :
                                                              MW_ISPMAIL_SCHEMA (schema)->default_scheme, error);

  if (stored_scheme != NULL)
    *stored_scheme = NULL;
  return s != NULL ? _mw_vmail_hash (s->name, password, rounds, error) : NULL;
}

/* ------------------------------------------------------------------------ */
/* What it is                                                               */
/* ------------------------------------------------------------------------ */

static const MwSchemaInfo *
ispmail_get_info (MwSchema *schema)
{
  return MW_ISPMAIL_SCHEMA (schema)->info;
}

static char *
ispmail_describe (MwSchema *schema)
{
  return mw_schema_info_describe (MW_ISPMAIL_SCHEMA (schema)->info);
}

/* No groups, no security password, no last login, no active column, no
 * mail store. No rename: the email is the login, and Dovecot finds the
 * Maildir by it (/var/vmail/<domain>/<local>/), so a renamed mailbox would
 * log in to an empty one. Forwards are alias rows to outside addresses. */
static MwSchemaCapabilities
ispmail_get_capabilities (MwSchema *schema)
{
  /* Last login: Dovecot's table, when it is there. */
  return (MW_ISPMAIL_SCHEMA (schema)->last_login ? MW_SCHEMA_CAN_LAST_LOGIN : 0) |
         MW_SCHEMA_CAN_WRITE | MW_SCHEMA_CAN_DOMAINS_TABLE | MW_SCHEMA_CAN_QUOTA | MW_SCHEMA_CAN_FORWARDS |
         MW_SCHEMA_CAN_IMPORT | MW_SCHEMA_CAN_RENAME;
}

/* ------------------------------------------------------------------------ */
/* Lists and accounts                                                       */
/* ------------------------------------------------------------------------ */

static const MwListInfo *
ispmail_get_list (MwSchema   *schema,
                  MwListKind  kind)
{
  if (kind == MW_LIST_USERS && MW_ISPMAIL_SCHEMA (schema)->last_login)
    return _mw_vmail_with_last_login (_mw_ispmail_list_info (kind));
  return _mw_ispmail_list_info (kind);
}

/* Mailboxes, aliases, forwards: the row's id, the "number" column of each. */
static char *
ispmail_list_row_key (MwSchema   *schema,
                      MwListKind  kind,
                      MwRecord   *record)
{
  const MwListInfo *info = _mw_ispmail_list_info (kind);
  const MwListColumn *column;
  MwListValue value = { 0 };

  if (info == NULL || kind == MW_LIST_DOMAINS || !mw_record_get_loaded (record))
    return NULL;
  column = mw_list_info_find_column (info, "number");
  g_assert (column != NULL);
  mw_list_column_read_record (column, record, &value);
  if (value.is_null || value.number <= 0)
    return NULL;
  return _mw_ispmail_key (value.number);
}

static MwAccount *
ispmail_get_account (MwSchema      *schema,
                     MwDb          *db,
                     const char    *key,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gint64 id;

  MwAccount *account;

  if (!_mw_ispmail_parse_account_key (key, &id, error))
    return NULL;
  account = _mw_ispmail_get_account (MW_ISPMAIL_SCHEMA (schema), db, id, cancellable, error);
  if (account != NULL && MW_ISPMAIL_SCHEMA (schema)->last_login)
    {
      g_autoptr(GError) local_error = NULL;

      account->last_login = _mw_vmail_read_last_login (db, account->name, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_clear_pointer (&account, mw_account_free);
        }
    }
  return account;
}

static gboolean
ispmail_delete_accounts (MwSchema         *schema,
                         const MwAdmin    *admin,
                         const char       *key,
                         gint64            group,
                         MwDeleteSummary  *summary,
                         GError          **error)
{
  if (key == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("An ISPmail database has no groups: delete mailboxes one by one."));
      return FALSE;
    }
  return _mw_ispmail_delete_account (MW_ISPMAIL_SCHEMA (schema), admin, key, summary, error);
}

/* ------------------------------------------------------------------------ */
/* Addresses                                                                */
/* ------------------------------------------------------------------------ */

/* The account named by its address (or an alias of it); ISPmail has no
 * account that cannot log in, so none is created. */
static char *
ispmail_add_alias_for (MwSchema        *schema,
                       const MwAdmin   *admin,
                       const char      *account,
                       const char      *address,
                       MwAddressFlags   flags,
                       gboolean         create_missing,
                       char           **created_account_key,
                       GError         **error)
{
  g_autoptr(MwFound) found = _mw_ispmail_find (schema, admin->db, account, NULL, error);

  if (found == NULL || !_mw_vmail_found_mailbox (found, account, error))
    return NULL;
  return _mw_ispmail_add_alias (schema, admin, found->key, address, flags, error);
}

static char *
ispmail_add_forward (MwSchema        *schema,
                     const MwAdmin   *admin,
                     const char      *address,
                     const char      *target,
                     MwAddressFlags   flags,
                     gint64           group,
                     GError         **error)
{
  return _mw_ispmail_add_forward (MW_ISPMAIL_SCHEMA (schema), admin, address, target, flags, error);
}

static MwDomainFields
ispmail_get_domain_fields (MwSchema *schema)
{
  return MW_DOMAIN_NAME;
}

static void
mw_ispmail_schema_iface_init (MwSchemaInterface *iface)
{
  iface->get_info = ispmail_get_info;
  iface->get_domain_fields = ispmail_get_domain_fields;
  iface->get_domain = _mw_ispmail_get_domain;
  iface->add_domain = _mw_ispmail_add_domain;
  iface->update_domain = _mw_ispmail_update_domain;
  iface->delete_domains = _mw_ispmail_delete_domains;
  iface->describe = ispmail_describe;
  iface->get_capabilities = ispmail_get_capabilities;
  iface->get_list = ispmail_get_list;
  iface->list_query = _mw_ispmail_list_query;
  iface->list_row_key = ispmail_list_row_key;
  iface->find = _mw_ispmail_find;
  iface->get_account = ispmail_get_account;
  iface->name_taken = _mw_ispmail_name_taken;
  iface->add_account = _mw_ispmail_add_account;
  iface->update_account = _mw_ispmail_update_account;
  iface->delete_accounts = ispmail_delete_accounts;
  iface->find_routes = _mw_ispmail_find_routes;
  iface->add_alias = _mw_ispmail_add_alias;
  iface->add_alias_for = ispmail_add_alias_for;
  iface->add_forward = ispmail_add_forward;
  iface->rename_address = _mw_ispmail_rename_address;
  iface->retarget_address = _mw_ispmail_retarget_address;
  iface->move_address = _mw_ispmail_move_address;
  iface->delete_address = _mw_ispmail_delete_address;
  iface->get_password_schemes = _mw_vmail_get_schemes;
  iface->get_default_password_scheme = ispmail_get_default_password_scheme;
  iface->lookup_password_scheme = _mw_vmail_lookup_scheme;
  iface->encode_password = ispmail_encode_password;
  iface->export_csv = _mw_ispmail_export_csv;
  iface->import_prepare = _mw_vmail_import_prepare;
  iface->import_run = _mw_vmail_import_run;
}
