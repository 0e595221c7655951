/* mw-postfixadmin-schema.c: PostfixAdmin 3.3's tables as an MwSchema: what
 * the flavour can do, keys, password strings as Dovecot reads them, and the
 * interface's functions, which call mw-postfixadmin-lists.c (lists, find,
 * account details, routes), mw-postfixadmin-accounts.c (mailboxes) and
 * mw-postfixadmin-addresses.c (aliases and forwards: goto lists).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-postfixadmin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-stats-private.h"
#include "mw-postfixadmin-alias-domains.h"
#include "mw-cleanup-private.h"
#include "mw-postfixadmin-private.h"
#include "mw-health-private.h"
#include "mw-vmail-import.h"
#include "mw-vmail-last-login.h"
#include "mw-trace.h"

struct _MwPostfixadminSchema
{
  GObject       parent_instance;

  MwSchemaInfo *info;
  const char   *default_scheme;   /* what the rows used when the database was opened */
  gboolean      last_login;       /* Dovecot's last-login table is there (mw-vmail-last-login.h) */
};

static void mw_postfixadmin_schema_iface_init (MwSchemaInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwPostfixadminSchema, mw_postfixadmin_schema, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MW_TYPE_STATS_STORE, _mw_postfixadmin_stats_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_SCHEMA, mw_postfixadmin_schema_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_HEALTH_STORE, _mw_postfixadmin_health_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_CLEANUP_STORE, _mw_vmail_cleanup_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_TRACE_STORE, _mw_postfixadmin_trace_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_VACATION_STORE,
                                                      _mw_postfixadmin_vacation_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_ALIAS_DOMAIN_STORE,
                                                      _mw_postfixadmin_alias_domains_iface_init))

static void
mw_postfixadmin_schema_finalize (GObject *object)
{
  MwPostfixadminSchema *self = MW_POSTFIXADMIN_SCHEMA (object);

  g_clear_pointer (&self->info, mw_schema_info_free);

  G_OBJECT_CLASS (mw_postfixadmin_schema_parent_class)->finalize (object);
}

static void
mw_postfixadmin_schema_class_init (MwPostfixadminSchemaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_postfixadmin_schema_finalize;
}

static void
mw_postfixadmin_schema_init (MwPostfixadminSchema *self)
{
}

MwSchema *
mw_postfixadmin_schema_new (MwSchemaInfo *info,
                            MwDb         *db)
{
  MwPostfixadminSchema *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info->kind == MW_SCHEMA_POSTFIXADMIN, NULL);
  g_return_val_if_fail (mw_db_prefix_is_valid (info->prefix) || info->prefix[0] == '\0', NULL);

  self = g_object_new (MW_TYPE_POSTFIXADMIN_SCHEMA, NULL);
  self->info = info;
  self->default_scheme = _mw_postfixadmin_detect_scheme (self, db);
  self->last_login = _mw_vmail_detect_last_login (db);
  return MW_SCHEMA (self);
}

const MwSchemaInfo *
_mw_postfixadmin_info (MwPostfixadminSchema *self)
{
  return self->info;
}

gboolean
_mw_postfixadmin_has_last_login (MwPostfixadminSchema *self)
{
  return self->last_login;
}

char *
_mw_postfixadmin_sql (MwPostfixadminSchema *self,
                      const char           *sql)
{
  /* Longest first: [alias_domain] before [alias]. */
  static const char *const tables[] = {
    "vacation_notification", "domain_admins", "alias_domain", "fetchmail", "vacation", "mailbox", "quota2",
    "domain", "alias", "quota", "log",
  };
  GString *out = g_string_sized_new (strlen (sql) + 64);

  for (const char *p = sql; *p != '\0'; p++)
    {
      gboolean done = FALSE;

      if (*p == '[')
        for (guint i = 0; i < G_N_ELEMENTS (tables) && !done; i++)
          {
            gsize len = strlen (tables[i]);

            if (strncmp (p + 1, tables[i], len) == 0 && p[len + 1] == ']')
              {
                g_string_append (out, self->info->prefix);
                g_string_append (out, tables[i]);
                p += len + 1;
                done = TRUE;
              }
          }
      if (!done)
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

/* A username as PostfixAdmin keeps it: one '@', no '>' or ',', UTF-8. */
static gboolean
is_username (const char *text)
{
  const char *at;

  return text != NULL && text[0] != '\0' && strlen (text) <= MW_POSTFIXADMIN_ADDRESS_MAX &&
         g_utf8_validate (text, -1, NULL) && (at = strchr (text, '@')) != NULL && strchr (at + 1, '@') == NULL &&
         strpbrk (text, ">, \t\r\n") == NULL;
}

gboolean
_mw_postfixadmin_parse_account_key (const char  *key,
                                    GError     **error)
{
  g_autofree char *shown = NULL;

  if (is_username (key) && key[0] != '@')
    return TRUE;
  shown = mw_address_quote_for_message (key != NULL ? key : "", -1);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no such account: “%s” is not an account’s key in this database."), shown);
  return FALSE;
}

char *
_mw_postfixadmin_alias_key (const char *address,
                            const char *target)
{
  return g_strconcat (MW_POSTFIXADMIN_ALIAS_KEY, address, ">", target, NULL);
}

gboolean
_mw_postfixadmin_parse_address_key (const char  *key,
                                    char       **address,
                                    char       **target,
                                    gboolean    *mailbox,
                                    GError     **error)
{
  g_autofree char *shown = NULL;

  *address = NULL;
  *target = NULL;
  *mailbox = FALSE;
  if (key != NULL && g_str_has_prefix (key, MW_POSTFIXADMIN_MAILBOX_KEY) &&
      is_username (key + strlen (MW_POSTFIXADMIN_MAILBOX_KEY)))
    {
      *address = g_strdup (key + strlen (MW_POSTFIXADMIN_MAILBOX_KEY));
      *mailbox = TRUE;
      return TRUE;
    }
  if (key != NULL && g_str_has_prefix (key, MW_POSTFIXADMIN_ALIAS_KEY) && g_utf8_validate (key, -1, NULL))
    {
      const char *rest = key + strlen (MW_POSTFIXADMIN_ALIAS_KEY);
      const char *gt = strchr (rest, '>');

      if (gt != NULL && gt != rest && gt[1] != '\0' && strchr (gt + 1, '>') == NULL && strchr (gt + 1, ',') == NULL)
        {
          *address = g_strndup (rest, gt - rest);
          *target = g_strdup (gt + 1);
          return TRUE;
        }
    }
  shown = mw_address_quote_for_message (key != NULL ? key : "", -1);
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no such address: “%s” is not an address’s key in this database."), shown);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* goto: a comma-separated list in one text column                          */
/* ------------------------------------------------------------------------ */

char *
_mw_postfixadmin_goto_has (MwDbDriver  driver,
                           const char *go_to,
                           const char *value)
{
  /* PostgreSQL compares with case (PostfixAdmin stores lowercase);
   * MariaDB's latin1_general_ci without. */
  if (driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("lower(%s) = ANY (string_to_array(lower(replace(%s, ' ', '')), ','))", value, go_to);
  return g_strdup_printf ("FIND_IN_SET(%s, REPLACE(%s, ' ', '')) > 0", value, go_to);
}

GStrv
_mw_postfixadmin_split_goto (const char *go_to)
{
  g_auto(GStrv) parts = g_strsplit (go_to != NULL ? go_to : "", ",", -1);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_ptr_array_add (out, g_strdup (parts[i]));
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Passwords                                                                */
/* ------------------------------------------------------------------------ */

/* What Mailwarden writes here: _mw_vmail_get_schemes(). PostfixAdmin's
 * $CONF['encrypt'] values "dovecot:SHA512-CRYPT" name them too. */
static const char *
bare_scheme (const char *name)
{
  return name != NULL && g_str_has_prefix (name, "dovecot:") ? name + strlen ("dovecot:") : name;
}

static const MwPasswordScheme *
lookup_scheme (const char  *name,
               GError     **error)
{
  return _mw_vmail_lookup_scheme (NULL, bare_scheme (name), error);
}

char *
_mw_postfixadmin_hash (const char  *scheme_name,
                       const char  *password,
                       gulong       rounds,
                       GError     **error)
{
  return _mw_vmail_hash (bare_scheme (scheme_name), password, rounds, error);
}

char *
_mw_postfixadmin_label (const char *stored)
{
  const char *end;

  if (stored != NULL && stored[0] == '{' && (end = strchr (stored, '}')) != NULL)
    return g_ascii_strup (stored + 1, end - stored - 1);
  /* PostfixAdmin's default md5crypt has no prefix: Dovecot reads it with
   * default_pass_scheme = MD5-CRYPT. */
  if (stored != NULL && g_str_has_prefix (stored, "$1$"))
    return g_strdup ("MD5-CRYPT");
  return g_strdup ("");
}

const MwPasswordScheme *
_mw_postfixadmin_identify (const char *stored)
{
  g_autofree char *label = _mw_postfixadmin_label (stored);
  const char *hash;

  if (stored == NULL || stored[0] == '\0')
    return NULL;
  hash = stored[0] == '{' ? strchr (stored, '}') + 1 : stored;
  if (g_str_equal (label, "PLAIN") || g_str_equal (label, "CLEAR") || g_str_equal (label, "CLEARTEXT"))
    return mw_password_lookup_scheme ("plaintext");
  if (g_str_equal (label, "MD5-CRYPT") || g_str_equal (label, "CRYPT") || g_str_equal (label, "SHA512-CRYPT") ||
      g_str_equal (label, "SHA256-CRYPT") || g_str_equal (label, "BLF-CRYPT"))
    {
      const MwPasswordScheme *scheme = mw_password_identify ("crypt", hash);

      if (scheme == NULL)
        return NULL;
      return _mw_vmail_scheme_by_name (scheme->name) != NULL ? _mw_vmail_scheme_by_name (scheme->name) : scheme;
    }
  if (g_str_equal (label, "PLAIN-MD5") || g_str_equal (label, "MD5"))
    return mw_password_identify ("md5sum", hash);
  return NULL;
}

static const MwPasswordScheme *
identify_labelled (const char *stored)
{
  return stored != NULL && stored[0] == '{' ? _mw_postfixadmin_identify (stored) : NULL;
}

const char *
_mw_postfixadmin_detect_scheme (MwPostfixadminSchema *self,
                                MwDb                 *db)
{
  g_autofree char *sql = _mw_postfixadmin_sql (self, "SELECT password FROM [mailbox] "
                                                     "ORDER BY created DESC, username LIMIT 50");
  g_autoptr(MwDbResult) rows = db != NULL ? mw_db_exec (db, sql, NULL, 0, NULL, NULL) : NULL;

  /* Only the schemes written here count: a database of PostfixAdmin's
   * md5crypt gets {SHA512-CRYPT}, which its Dovecot reads as well. */
  return _mw_vmail_pick_scheme (rows, identify_labelled);
}

static const char *
pfa_get_default_password_scheme (MwSchema *schema)
{
  return MW_POSTFIXADMIN_SCHEMA (schema)->default_scheme;
}

static const MwPasswordScheme *
pfa_lookup_password_scheme (MwSchema    *schema,
                            const char  *name,
                            GError     **error)
{
  return lookup_scheme (name, error);
}

static char *
pfa_encode_password (MwSchema    *schema,
                     const char  *scheme,
                     const char  *password,
                     gulong       rounds,
                     char       **stored_scheme,
                     GError     **error)
{
  const MwPasswordScheme *s = lookup_scheme (scheme != NULL ? scheme : MW_POSTFIXADMIN_SCHEMA (schema)->default_scheme,
                                             error);

  if (stored_scheme != NULL)
    *stored_scheme = NULL;
  return s != NULL ? _mw_postfixadmin_hash (s->name, password, rounds, error) : NULL;
}

/* ------------------------------------------------------------------------ */
/* What it is                                                               */
/* ------------------------------------------------------------------------ */

static const MwSchemaInfo *
pfa_get_info (MwSchema *schema)
{
  return MW_POSTFIXADMIN_SCHEMA (schema)->info;
}

static char *
pfa_describe (MwSchema *schema)
{
  return mw_schema_info_describe (MW_POSTFIXADMIN_SCHEMA (schema)->info);
}

/* Quota (and quota2's use), disabling (mailbox.active), forwards (goto
 * targets outside), a domains table with limits. No rename: PostfixAdmin
 * has none, the username is the key and names the Maildir. No groups,
 * security password, last login (Dovecot's last_login plugin is outside
 * PostfixAdmin's schema), mail store. Vacation (mw-postfixadmin-vacation.c).
 * Import: not yet. */
static MwSchemaCapabilities
pfa_get_capabilities (MwSchema *schema)
{
  return MW_SCHEMA_CAN_WRITE | MW_SCHEMA_CAN_DOMAINS_TABLE | MW_SCHEMA_CAN_QUOTA | MW_SCHEMA_CAN_DISABLE |
         MW_SCHEMA_CAN_FORWARDS | MW_SCHEMA_CAN_VACATION | MW_SCHEMA_CAN_IMPORT |
         (MW_POSTFIXADMIN_SCHEMA (schema)->last_login ? MW_SCHEMA_CAN_LAST_LOGIN : 0);
}

/* ------------------------------------------------------------------------ */
/* Lists and accounts                                                       */
/* ------------------------------------------------------------------------ */

static const MwListInfo *
pfa_get_list (MwSchema   *schema,
              MwListKind  kind)
{
  if (kind == MW_LIST_USERS && MW_POSTFIXADMIN_SCHEMA (schema)->last_login)
    return _mw_vmail_with_last_login (_mw_postfixadmin_list_info (kind));
  return _mw_postfixadmin_list_info (kind);
}

/* Mailboxes: the username; aliases and forwards: the row's "rowkey"
 * column, which the query makes as alias:ADDRESS>TARGET. */
static char *
pfa_list_row_key (MwSchema   *schema,
                  MwListKind  kind,
                  MwRecord   *record)
{
  const char *value;

  if (!mw_record_get_loaded (record))
    return NULL;
  switch (kind)
    {
    case MW_LIST_USERS:
      value = mw_record_get_string (record, "username");
      return value != NULL ? g_strdup (value) : NULL;
    case MW_LIST_ALIASES:
    case MW_LIST_FORWARDS:
      value = mw_record_get_string (record, "rowkey");
      return value != NULL ? g_strdup (value) : NULL;
    case MW_LIST_DOMAINS:
    case MW_LIST_GROUPS:
    default:
      return NULL;
    }
}

static MwAccount *
pfa_get_account (MwSchema      *schema,
                 MwDb          *db,
                 const char    *key,
                 GCancellable  *cancellable,
                 GError       **error)
{
  MwAccount *account;

  if (!_mw_postfixadmin_parse_account_key (key, error))
    return NULL;
  account = _mw_postfixadmin_get_account (MW_POSTFIXADMIN_SCHEMA (schema), db, key, cancellable, error);
  if (account != NULL && MW_POSTFIXADMIN_SCHEMA (schema)->last_login)
    {
      g_autoptr(GError) local_error = NULL;

      account->last_login = _mw_vmail_read_last_login (db, account->key, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_clear_pointer (&account, mw_account_free);
        }
    }
  return account;
}

static gboolean
pfa_delete_accounts (MwSchema         *schema,
                     const MwAdmin    *admin,
                     const char       *key,
                     gint64            group,
                     MwDeleteSummary  *summary,
                     GError          **error)
{
  if (key == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("A PostfixAdmin database has no groups: delete mailboxes one by one."));
      return FALSE;
    }
  return _mw_postfixadmin_delete_account (MW_POSTFIXADMIN_SCHEMA (schema), admin, key, summary, error);
}

/* ------------------------------------------------------------------------ */
/* Addresses                                                                */
/* ------------------------------------------------------------------------ */

/* The mailbox named by its address (or an alias of it); PostfixAdmin has
 * no account that cannot log in, so none is created. */
static char *
pfa_add_alias_for (MwSchema        *schema,
                   const MwAdmin   *admin,
                   const char      *account,
                   const char      *address,
                   MwAddressFlags   flags,
                   gboolean         create_missing,
                   char           **created_account_key,
                   GError         **error)
{
  g_autoptr(MwFound) found = _mw_postfixadmin_find (schema, admin->db, account, NULL, error);

  if (found == NULL || !_mw_vmail_found_mailbox (found, account, error))
    return NULL;
  return _mw_postfixadmin_add_alias (schema, admin, found->key, address, flags, error);
}

static char *
pfa_add_forward (MwSchema        *schema,
                 const MwAdmin   *admin,
                 const char      *address,
                 const char      *target,
                 MwAddressFlags   flags,
                 gint64           group,
                 GError         **error)
{
  return _mw_postfixadmin_add_forward (MW_POSTFIXADMIN_SCHEMA (schema), admin, address, target, flags, error);
}

/* PostfixAdmin has no rename of an alias either (address is the key). */
static gboolean
pfa_rename_address (MwSchema        *schema,
                    const MwAdmin   *admin,
                    const char      *address_key,
                    const char      *address,
                    MwAddressFlags   flags,
                    GError         **error)
{
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("PostfixAdmin cannot rename an alias: add the new address, then delete the old one."));
  return FALSE;
}

static void
mw_postfixadmin_schema_iface_init (MwSchemaInterface *iface)
{
  iface->get_info = pfa_get_info;
  iface->describe = pfa_describe;
  iface->get_capabilities = pfa_get_capabilities;
  iface->get_list = pfa_get_list;
  iface->list_query = _mw_postfixadmin_list_query;
  iface->list_row_key = pfa_list_row_key;
  iface->find = _mw_postfixadmin_find;
  iface->get_account = pfa_get_account;
  iface->name_taken = _mw_postfixadmin_name_taken;
  iface->add_account = _mw_postfixadmin_add_account;
  iface->update_account = _mw_postfixadmin_update_account;
  iface->delete_accounts = pfa_delete_accounts;
  iface->find_routes = _mw_postfixadmin_find_routes;
  iface->add_alias = _mw_postfixadmin_add_alias;
  iface->add_alias_for = pfa_add_alias_for;
  iface->add_forward = pfa_add_forward;
  iface->rename_address = pfa_rename_address;
  iface->retarget_address = _mw_postfixadmin_retarget_address;
  iface->move_address = _mw_postfixadmin_move_address;
  iface->delete_address = _mw_postfixadmin_delete_address;
  iface->get_password_schemes = _mw_vmail_get_schemes;
  iface->get_default_password_scheme = pfa_get_default_password_scheme;
  iface->lookup_password_scheme = pfa_lookup_password_scheme;
  iface->encode_password = pfa_encode_password;
  iface->export_csv = _mw_postfixadmin_export_csv;
  iface->import_prepare = _mw_vmail_import_prepare;
  iface->import_run = _mw_vmail_import_run;
  _mw_postfixadmin_domains_iface_init (iface);
}
