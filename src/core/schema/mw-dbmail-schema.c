/* mw-dbmail-schema.c: DBMail as an MwSchema: keys in and out, and the
 * account changes the GUI and the CLI used to put together themselves.
 *
 * Each operation reads its keys (the row's number in decimal) and calls the
 * DBMail function that does the work (mw-dbmail.c, mw-dbmail-admin.c,
 * mw-dbmail-import.c). What is new here is update_account: hashing, the
 * security password's scheme and the change that undoes a save, which the
 * account window and mailwarden-cli each did on their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-stats-private.h"
#include "mw-cleanup-private.h"
#include "mw-dbmail-acl.h"
#include "mw-dbmail-admin.h"
#include "mw-dbmail-import.h"
#include "mw-dbmail-private.h"
#include "mw-dbmail-replies.h"
#include "mw-dbmail-schema.h"
#include "mw-dbmail-sieve.h"
#include "mw-dbmail-usermap.h"
#include "mw-health-private.h"
#include "mw-dbmail.h"
#include "mw-mail-store.h"
#include "mw-trace.h"

struct _MwDbmailSchema
{
  GObject       parent_instance;

  MwSchemaInfo *info;
};

static void mw_dbmail_schema_iface_init (MwSchemaInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwDbmailSchema, mw_dbmail_schema, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MW_TYPE_STATS_STORE, _mw_dbmail_stats_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_SCHEMA, mw_dbmail_schema_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_LOGIN_MAP_STORE, _mw_dbmail_usermap_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_REPLY_STORE, _mw_dbmail_replies_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_FILTER_STORE, _mw_dbmail_filters_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_ACL_STORE, _mw_dbmail_acl_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_CLEANUP_STORE, _mw_dbmail_cleanup_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_HEALTH_STORE, _mw_dbmail_health_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_SIEVE_STORE, _mw_dbmail_sieve_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_TRACE_STORE, _mw_dbmail_trace_iface_init)
                               G_IMPLEMENT_INTERFACE (MW_TYPE_MAIL_STORE, _mw_dbmail_mail_store_iface_init))

static void
mw_dbmail_schema_finalize (GObject *object)
{
  MwDbmailSchema *self = MW_DBMAIL_SCHEMA (object);

  g_clear_pointer (&self->info, mw_schema_info_free);

  G_OBJECT_CLASS (mw_dbmail_schema_parent_class)->finalize (object);
}

static void
mw_dbmail_schema_class_init (MwDbmailSchemaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mw_dbmail_schema_finalize;
}

static void
mw_dbmail_schema_init (MwDbmailSchema *self)
{
}

MwSchema *
mw_dbmail_schema_new (MwSchemaInfo *info)
{
  MwDbmailSchema *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (MW_TYPE_DBMAIL_SCHEMA, NULL);
  self->info = info;
  return MW_SCHEMA (self);
}

/* ------------------------------------------------------------------------ */
/* What it is                                                               */
/* ------------------------------------------------------------------------ */

static const MwSchemaInfo *
dbmail_get_info (MwSchema *schema)
{
  return MW_DBMAIL_SCHEMA (schema)->info;
}

static char *
dbmail_describe (MwSchema *schema)
{
  return mw_schema_info_describe (MW_DBMAIL_SCHEMA (schema)->info);
}

/* 2.2 databases (3.x tables, mail still in messageblks) get every account
 * and address operation, as the window and the CLI have always allowed
 * them; only their mail is read-only, which the mail store says. Sharing
 * is offered (mw-dbmail-acl.c); vacation and a domains table are not yet. */
static MwSchemaCapabilities
dbmail_get_capabilities (MwSchema *schema)
{
  return MW_SCHEMA_CAN_WRITE | MW_SCHEMA_CAN_GROUPS | MW_SCHEMA_CAN_SECURITY_PASSWORD |
         MW_SCHEMA_CAN_LAST_LOGIN | MW_SCHEMA_CAN_RENAME | MW_SCHEMA_CAN_QUOTA | MW_SCHEMA_CAN_DISABLE |
         MW_SCHEMA_CAN_FORWARDS | MW_SCHEMA_CAN_IMPORT | MW_SCHEMA_CAN_LOGIN_LESS |
         MW_SCHEMA_CAN_SHARING;
}

/* ------------------------------------------------------------------------ */
/* Lists                                                                    */
/* ------------------------------------------------------------------------ */

static const MwListInfo *
dbmail_get_list (MwSchema   *schema,
                 MwListKind  kind)
{
  return kind < MW_N_LISTS ? mw_dbmail_list_info (kind) : NULL;
}

static MwListQuery *
dbmail_list_query (MwSchema             *schema,
                   const MwListRequest  *request,
                   GError              **error)
{
  if (request->kind == MW_LIST_SHARING)
    return _mw_dbmail_sharing_query (schema, request, error);
  if (request->kind == MW_LIST_FILTERS)
    return _mw_dbmail_filters_query (schema, request, error);
  if (request->kind == MW_LIST_LOGIN_MAPS)
    return _mw_dbmail_login_maps_query (schema, request, error);
  return mw_dbmail_list_query (MW_DBMAIL_SCHEMA (schema)->info->driver, request, error);
}

/* Users: the user's number; aliases and forwards: the row's number. Each
 * of the three lists has it as its "number" column. */
static char *
dbmail_list_row_key (MwSchema   *schema,
                     MwListKind  kind,
                     MwRecord   *record)
{
  const MwListColumn *column;
  MwListValue value = { 0 };

  if (kind == MW_LIST_LOGIN_MAPS)
    return _mw_dbmail_login_map_row_key (record);
  if (kind != MW_LIST_USERS && kind != MW_LIST_ALIASES && kind != MW_LIST_FORWARDS)
    return NULL;
  if (!mw_record_get_loaded (record))
    return NULL;
  column = mw_list_info_find_column (mw_dbmail_list_info (kind), "number");
  g_assert (column != NULL);
  mw_list_column_read_record (column, record, &value);
  if (value.is_null || value.number <= 0)
    return NULL;
  return _mw_dbmail_key (value.number);
}

static GPtrArray *
dbmail_list_groups (MwSchema      *schema,
                    MwDb          *db,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(MwDbResult) result = mw_dbmail_list_group_counts (db, cancellable, error);
  GPtrArray *groups;

  if (result == NULL)
    return NULL;
  groups = g_ptr_array_new_full (mw_db_result_get_n_rows (result), g_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (result); i++)
    {
      MwGroupCount *g = g_new0 (MwGroupCount, 1);

      g->group = mw_db_result_get_int64 (result, i, 0);
      g->accounts = mw_db_result_get_int64 (result, i, 1);
      g_ptr_array_add (groups, g);
    }
  return groups;
}

/* ------------------------------------------------------------------------ */
/* Accounts                                                                 */
/* ------------------------------------------------------------------------ */

static MwFound *
dbmail_find (MwSchema      *schema,
             MwDb          *db,
             const char    *text,
             GCancellable  *cancellable,
             GError       **error)
{
  return mw_dbmail_find_user (db, text, cancellable, error);
}

static MwAccount *
dbmail_get_account (MwSchema      *schema,
                    MwDb          *db,
                    const char    *key,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gint64 id;

  if (!_mw_dbmail_parse_key (key, MW_DBMAIL_KEY_ACCOUNT, &id, error))
    return NULL;
  return mw_dbmail_get_account (db, id, cancellable, error);
}

static gboolean
dbmail_name_taken (MwSchema    *schema,
                   MwDb        *db,
                   const char  *name,
                   GError     **error)
{
  return mw_account_name_taken (db, name, error);
}

typedef char WipedText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedText, mw_password_free)

static char *
dbmail_add_account (MwSchema            *schema,
                    const MwAdmin       *admin,
                    const MwNewAccount  *account,
                    GError             **error)
{
  const char *scheme = account->password_scheme != NULL ? account->password_scheme : MW_PASSWORD_DEFAULT_SCHEME;
  const char *type = NULL;
  g_autoptr(WipedText) hash = NULL;
  MwNewUser user = { 0 };
  gint64 id;

  if (account->password == NULL)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("The new account needs a password."));
      return NULL;
    }
  /* Hashing takes a while on purpose: here, on the worker. */
  hash = mw_password_hash_with_rounds (scheme, account->password, account->password_rounds, &type, error);
  if (hash == NULL)
    return NULL;
  user.userid = account->name;
  user.passwd = hash;
  user.encryption_type = type;
  user.client_idnr = account->group;
  user.maxmail_size = account->quota;
  user.alias = account->alias;
  user.alias_flags = account->alias_flags;
  id = mw_dbmail_add_user (admin, &user, error);
  if (id <= 0)
    return NULL;
  return _mw_dbmail_key (id);
}

/* The scheme DBMail checks a security password with: the one of the
 * account's password (as it will be after this change), read from its
 * encryption_type and stored value. A value that names no scheme Mailwarden
 * writes falls back to what DBMail reads under that encryption_type (under
 * "crypt", any crypt(3) hash: the default scheme). NULL when none. */
static const MwPasswordScheme *
security_password_scheme (const char *encryption_type,
                          const char *stored)
{
  const MwPasswordScheme *scheme = mw_password_identify (encryption_type, stored);
  const MwPasswordScheme *all;
  guint n;

  if (scheme != NULL && scheme->writable)
    return scheme;
  if (g_ascii_strcasecmp (encryption_type, "crypt") == 0)
    return mw_password_lookup_scheme (MW_PASSWORD_DEFAULT_SCHEME);
  all = mw_password_get_schemes (&n);
  for (guint i = 0; i < n; i++)
    if (all[i].writable && g_ascii_strcasecmp (all[i].encryption_type, encryption_type) == 0)
      return &all[i];
  return NULL;
}

static MwAccountChange *
dbmail_update_account (MwSchema               *schema,
                       const MwAdmin          *admin,
                       const char             *key,
                       const MwAccountChange  *change,
                       GError                **error)
{
  MwAccountChangeFlags c = change->changes;
  g_autoptr(MwUserValues) now = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(WipedText) hash = NULL;
  g_autoptr(WipedText) shash = NULL;
  g_autoptr(MwAccountChange) undo = NULL;
  MwUserChange apply = { 0 };
  gint64 id;

  if (!_mw_dbmail_parse_key (key, MW_DBMAIL_KEY_ACCOUNT, &id, error))
    return NULL;
  if ((c & MW_ACCOUNT_CHANGE_PASSWORD) && (change->password == NULL) == (change->stored_password == NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("A new password is either plain text to hash or a stored value, not both or neither."));
      return NULL;
    }

  /* What the change replaces, and the row's fingerprint, in one statement:
   * the change below refuses to run when the row moved on since, so the
   * undo holds exactly what it overwrote. */
  if (!_mw_dbmail_read_user (admin->db, id, &now, &fingerprint, error))
    return NULL;
  if (now == NULL)
    {
      g_autofree char *number = _mw_dbmail_key (id);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user with the number %s; someone may have deleted it."), number);
      return NULL;
    }
  if (change->expected_fingerprint != NULL && !g_str_equal (change->expected_fingerprint, fingerprint))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
                   _("The account “%s” was changed in the database after this window loaded it. "
                     "Reload it to see the changes, then make yours again."), now->userid);
      return NULL;
    }

  apply.changes = (MwUserChangeFlags) 0;
  if (c & MW_ACCOUNT_CHANGE_NAME)
    {
      apply.changes |= MW_USER_CHANGE_NAME;
      apply.userid = change->name;
    }
  if (c & MW_ACCOUNT_CHANGE_PASSWORD)
    {
      apply.changes |= MW_USER_CHANGE_PASSWORD;
      if (change->password != NULL)
        {
          const char *scheme = change->password_scheme;

          /* Like dbmail-users -c: no scheme given keeps the account's. */
          if (scheme == NULL)
            {
              const MwPasswordScheme *current = mw_password_identify (now->encryption_type, now->passwd);

              scheme = current != NULL && current->writable ? current->name : MW_PASSWORD_DEFAULT_SCHEME;
            }
          hash = mw_password_hash_with_rounds (scheme, change->password, change->password_rounds,
                                              &apply.encryption_type, error);
          if (hash == NULL)
            return NULL;
          apply.passwd = hash;
        }
      else
        {
          apply.passwd = change->stored_password;
          apply.encryption_type = change->stored_scheme != NULL ? change->stored_scheme : "";
        }
    }
  if (c & MW_ACCOUNT_CHANGE_SECURITY_PASSWORD)
    {
      apply.changes |= MW_USER_CHANGE_SPASSWORD;
      if (change->security_password == NULL || change->security_password[0] == '\0')
        apply.spasswd = "";
      else
        {
          /* DBMail checks it with the account's encryption_type: the new
           * one when the password changes too. */
          const char *type = apply.passwd != NULL ? apply.encryption_type : now->encryption_type;
          const char *stored = apply.passwd != NULL ? apply.passwd : now->passwd;
          const MwPasswordScheme *scheme = security_password_scheme (type, stored);
          gulong rounds = change->password_rounds;

          if (scheme == NULL)
            {
              g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME,
                           _("The account's password is stored in a scheme Mailwarden cannot write. "
                             "Set a new password together with the security password."));
              return NULL;
            }
          /* The cost given for the password, where it fits this scheme. */
          if (rounds != 0 && !mw_password_check_rounds (scheme->name, rounds, NULL))
            rounds = 0;
          shash = mw_password_hash_with_rounds (scheme->name, change->security_password, rounds, NULL, error);
          if (shash == NULL)
            return NULL;
          apply.spasswd = shash;
        }
    }
  if (c & MW_ACCOUNT_CHANGE_QUOTA)
    {
      apply.changes |= MW_USER_CHANGE_QUOTA;
      apply.maxmail_size = change->quota;
    }
  if (c & MW_ACCOUNT_CHANGE_GROUP)
    {
      apply.changes |= MW_USER_CHANGE_GROUP;
      apply.client_idnr = change->group;
    }
  if (c & MW_ACCOUNT_CHANGE_ACTIVE)
    {
      apply.changes |= MW_USER_CHANGE_ACTIVE;
      apply.active = change->active;
    }
  if (c & MW_ACCOUNT_CHANGE_SECURITY_ACTION)
    {
      apply.changes |= MW_USER_CHANGE_SACTION;
      apply.saction = change->security_action;
    }
  apply.expected_fingerprint = fingerprint;

  /* Undo puts back what was read, but never the security password: its
   * hash is never read back, so there is nothing to restore it from. */
  undo = mw_account_change_new ();
  undo->changes = c & ~MW_ACCOUNT_CHANGE_SECURITY_PASSWORD;
  if (c & MW_ACCOUNT_CHANGE_NAME)
    undo->name = g_strdup (now->userid);
  if (c & MW_ACCOUNT_CHANGE_PASSWORD)
    {
      undo->stored_password = g_strdup (now->passwd);
      undo->stored_scheme = g_strdup (now->encryption_type);
    }
  undo->quota = now->maxmail_size;
  undo->group = now->client_idnr;
  undo->active = now->active;
  undo->security_action = now->saction;

  if (!mw_dbmail_update_user (admin, id, &apply, error))
    return NULL;
  /* The row as this change left it: the undo refuses to run once it moved
   * on. (A dry run left it as it was.) */
  undo->expected_fingerprint = mw_dbmail_user_fingerprint (admin->db, id, NULL, NULL);
  return g_steal_pointer (&undo);
}

/* ------------------------------------------------------------------------ */
/* Passwords                                                                */
/* ------------------------------------------------------------------------ */

/* DBMail's schemes are mw-password's, less md5base64 (checked, never
 * written), in mw-password's order: the order the account window, the
 * add-user and import dialogs and mailwarden-cli have always offered. */
static const MwPasswordScheme *
dbmail_get_password_schemes (MwSchema *schema,
                             guint    *n_schemes)
{
  static MwPasswordScheme *writable;
  static guint n_writable;

  if (g_once_init_enter (&writable))
    {
      guint n;
      const MwPasswordScheme *all = mw_password_get_schemes (&n);
      MwPasswordScheme *list = g_new (MwPasswordScheme, n);

      for (guint i = 0; i < n; i++)
        if (all[i].writable)
          list[n_writable++] = all[i];
      g_once_init_leave (&writable, list);
    }
  *n_schemes = n_writable;
  return writable;
}

static const char *
dbmail_get_default_password_scheme (MwSchema *schema)
{
  return MW_PASSWORD_DEFAULT_SCHEME;
}

/* Any spelling mw-password reads (dbmail-users -p's too), as the entry of
 * the list above. */
static const MwPasswordScheme *
dbmail_lookup_password_scheme (MwSchema    *schema,
                               const char  *name,
                               GError     **error)
{
  const MwPasswordScheme *scheme = mw_password_lookup_writable_scheme (name, error);
  const MwPasswordScheme *list;
  guint n;

  if (scheme == NULL)
    return NULL;
  list = dbmail_get_password_schemes (schema, &n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (list[i].name, scheme->name))
      return &list[i];
  g_return_val_if_reached (NULL);
}

/* The passwd value, and the encryption_type that goes with it. */
static char *
dbmail_encode_password (MwSchema    *schema,
                        const char  *scheme,
                        const char  *password,
                        gulong       rounds,
                        char       **stored_scheme,
                        GError     **error)
{
  const char *type = NULL;
  char *hash = mw_password_hash_with_rounds (scheme, password, rounds, &type, error);

  if (hash != NULL && stored_scheme != NULL)
    *stored_scheme = g_strdup (type);
  return hash;
}

/* dbmail_users.saction, which DBMail runs after a login with spasswd
 * (DBMAIL-FACTS.md, A): 0 nothing, 1 delete all the user's mailboxes, 2 and
 * up the "security_action = N:flags" rule N of dbmail.conf, which deletes
 * the messages with those flags. */
static const MwSecurityAction dbmail_security_actions[] = {
  /* Translators: what a login with the account's security password does (the login itself works) */
  { 0, FALSE, N_("Log in as usual"), "saction 0: no action" },
  /* Translators: what a login with the account's security password does: all its mailboxes go */
  { 1, FALSE, N_("Delete all mail"), "saction 1: delete all mailboxes of the user" },
  /* Translators: what a login with the account's security password does: the messages a numbered rule in
   * the server's configuration (dbmail.conf) names are deleted */
  { 2, TRUE,  N_("Delete by a server rule"),
    "saction 2 and up: security_action = N:flags in dbmail.conf deletes the messages with those flags" },
};

static const MwSecurityAction *
dbmail_get_security_actions (MwSchema *schema,
                             guint    *n_actions)
{
  *n_actions = G_N_ELEMENTS (dbmail_security_actions);
  return dbmail_security_actions;
}

static gboolean
dbmail_delete_accounts (MwSchema         *schema,
                        const MwAdmin    *admin,
                        const char       *key,
                        gint64            group,
                        MwDeleteSummary  *summary,
                        GError          **error)
{
  gint64 id = 0;

  if (key != NULL)
    {
      if (!_mw_dbmail_parse_key (key, MW_DBMAIL_KEY_ACCOUNT, &id, error))
        return FALSE;
      group = 0;
    }
  return mw_dbmail_delete_users (admin, id, group, summary, error);
}

/* ------------------------------------------------------------------------ */
/* Addresses                                                                */
/* ------------------------------------------------------------------------ */

static GPtrArray *
dbmail_find_routes (MwSchema    *schema,
                    MwDb        *db,
                    const char  *address,
                    GError     **error)
{
  g_autoptr(MwDbResult) rows = mw_dbmail_find_alias_rows (db, address, error);
  GPtrArray *routes;

  if (rows == NULL)
    return NULL;
  routes = g_ptr_array_new_full (mw_db_result_get_n_rows (rows), (GDestroyNotify) mw_address_route_free);
  for (guint i = 0; i < mw_db_result_get_n_rows (rows); i++)
    {
      MwAddressRoute *route = g_new0 (MwAddressRoute, 1);

      route->key = _mw_dbmail_key (mw_db_result_get_int64 (rows, i, 0));
      route->address = g_strdup (mw_db_result_get_string (rows, i, 1));
      route->target = g_strdup (mw_db_result_get_string (rows, i, 2));
      if (!mw_db_result_is_null (rows, i, 3))
        {
          route->account_key = _mw_dbmail_key (mw_db_result_get_int64 (rows, i, 3));
          route->account_name = g_strdup (mw_db_result_get_string (rows, i, 4));
        }
      else if (route->target != NULL && route->target[0] != '\0' &&
               strspn (route->target, "0123456789") == strlen (route->target))
        /* DBMail reads digits as a user's number, also of a user that is
         * gone: still an alias, of an account without a name. */
        route->account_key = _mw_dbmail_key (g_ascii_strtoll (route->target, NULL, 10));
      route->group = mw_db_result_get_int64 (rows, i, 5);
      g_ptr_array_add (routes, route);
    }
  return routes;
}

static char *
dbmail_add_alias (MwSchema        *schema,
                  const MwAdmin   *admin,
                  const char      *account_key,
                  const char      *address,
                  MwAddressFlags   flags,
                  GError         **error)
{
  gint64 user_idnr;
  gint64 row;

  if (!_mw_dbmail_parse_key (account_key, MW_DBMAIL_KEY_ACCOUNT, &user_idnr, error))
    return NULL;
  row = mw_dbmail_add_alias (admin, user_idnr, address, flags, error);
  return row > 0 ? _mw_dbmail_key (row) : NULL;
}

static char *
dbmail_add_alias_for (MwSchema        *schema,
                      const MwAdmin   *admin,
                      const char      *account,
                      const char      *address,
                      MwAddressFlags   flags,
                      gboolean         create_missing,
                      char           **created_account_key,
                      GError         **error)
{
  gint64 created = 0;
  gint64 row;

  row = _mw_dbmail_add_alias_for (admin, account, address, flags, create_missing, &created, error);
  if (row <= 0)
    return NULL;
  if (created_account_key != NULL && created > 0)
    *created_account_key = _mw_dbmail_key (created);
  return _mw_dbmail_key (row);
}

static char *
dbmail_add_forward (MwSchema        *schema,
                    const MwAdmin   *admin,
                    const char      *address,
                    const char      *target,
                    MwAddressFlags   flags,
                    gint64           group,
                    GError         **error)
{
  gint64 row = mw_dbmail_add_forward (admin, address, target, flags, group, error);

  return row > 0 ? _mw_dbmail_key (row) : NULL;
}

static gboolean
dbmail_rename_address (MwSchema        *schema,
                       const MwAdmin   *admin,
                       const char      *address_key,
                       const char      *address,
                       MwAddressFlags   flags,
                       GError         **error)
{
  gint64 row;

  return _mw_dbmail_parse_key (address_key, MW_DBMAIL_KEY_ADDRESS, &row, error) &&
         mw_dbmail_rename_alias (admin, row, address, flags, error);
}

/* A new target for a forward. A target that is no address nor program but
 * names an account (a user name, or a number: what DBMail reads as one)
 * makes the address that account's alias again. */
static gboolean
dbmail_retarget_address (MwSchema       *schema,
                         const MwAdmin  *admin,
                         const char     *address_key,
                         const char     *target,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MwFound) found = NULL;
  gint64 row;

  if (!_mw_dbmail_parse_key (address_key, MW_DBMAIL_KEY_ADDRESS, &row, error))
    return FALSE;
  if (mw_dbmail_set_forward_target (admin, row, target, &local_error))
    return TRUE;
  /* Refused before anything was written: see whether it names an account. */
  if (g_error_matches (local_error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET))
    found = mw_dbmail_find_user (admin->db, target, NULL, NULL);
  if (found != NULL && found->kind == MW_FOUND_ACCOUNT)
    return mw_dbmail_forward_to_alias (admin, row, found->key, error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Whether the row delivers to a user: DBMail reads a deliver_to of digits
 * only as a user's number. */
static gboolean
row_is_alias (MwDb        *db,
              gint64       row,
              gboolean    *is_alias,
              GError     **error)
{
  MwDbValue params[] = { MW_DB_INT64 (row) };
  g_autoptr(MwDbResult) result = NULL;
  const char *deliver_to;

  result = mw_db_exec (db, "SELECT deliver_to FROM {aliases} WHERE alias_idnr = $1", params, 1, NULL, error);
  if (result == NULL)
    return FALSE;
  /* No row: the move says so, with its own sentence. */
  deliver_to = mw_db_result_get_n_rows (result) > 0 ? mw_db_result_get_string (result, 0, 0) : "0";
  *is_alias = deliver_to != NULL && deliver_to[0] != '\0' && strspn (deliver_to, "0123456789") == strlen (deliver_to);
  return TRUE;
}

/* The address delivers to @account from now on: an alias moves to it, a
 * forward becomes its alias. */
static gboolean
dbmail_move_address (MwSchema       *schema,
                     const MwAdmin  *admin,
                     const char     *address_key,
                     const char     *account,
                     GError        **error)
{
  gboolean is_alias = TRUE;
  gint64 row;
  gint64 to;

  if (!_mw_dbmail_parse_key (address_key, MW_DBMAIL_KEY_ADDRESS, &row, error) ||
      !row_is_alias (admin->db, row, &is_alias, error))
    return FALSE;
  if (!is_alias)
    return mw_dbmail_forward_to_alias (admin, row, account, error);
  to = mw_dbmail_resolve_user (admin->db, account, error);
  return to > 0 && mw_dbmail_move_alias (admin, row, to, error);
}

static gboolean
dbmail_delete_address (MwSchema       *schema,
                       const MwAdmin  *admin,
                       const char     *address_key,
                       GError        **error)
{
  gint64 row;

  return _mw_dbmail_parse_key (address_key, MW_DBMAIL_KEY_ADDRESS, &row, error) &&
         mw_dbmail_delete_alias (admin, row, error);
}

static GStrv
dbmail_group_add_domain (MwSchema       *schema,
                         const MwAdmin  *admin,
                         gint64          group,
                         const char     *domain,
                         GError        **error)
{
  return mw_dbmail_group_add_domain (admin, group, domain, error);
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */
/* ------------------------------------------------------------------------ */

static MwImportPlan *
dbmail_import_prepare (MwSchema               *schema,
                       MwDb                   *db,
                       GBytes                 *csv,
                       const MwImportOptions  *options,
                       GCancellable           *cancellable,
                       GError                **error)
{
  return mw_dbmail_import_prepare (db, csv, options, cancellable, error);
}

static MwImportReport *
dbmail_import_run (MwSchema               *schema,
                   const MwAdmin          *admin,
                   MwImportPlan           *plan,
                   const MwImportOptions  *options,
                   MwImportProgress        progress,
                   gpointer                user_data,
                   GCancellable           *cancellable,
                   GError                **error)
{
  return mw_dbmail_import_run (admin, plan, options, progress, user_data, cancellable, error);
}

static gboolean
dbmail_export_csv (MwSchema             *schema,
                   MwDb                 *db,
                   const MwListRequest  *request,
                   GOutputStream        *out,
                   guint64              *rows,
                   GCancellable         *cancellable,
                   GError              **error)
{
  return mw_dbmail_export_csv (db, request, out, rows, cancellable, error);
}

static void
mw_dbmail_schema_iface_init (MwSchemaInterface *iface)
{
  iface->get_info = dbmail_get_info;
  iface->describe = dbmail_describe;
  iface->get_capabilities = dbmail_get_capabilities;
  iface->get_list = dbmail_get_list;
  iface->list_query = dbmail_list_query;
  iface->list_row_key = dbmail_list_row_key;
  iface->list_groups = dbmail_list_groups;
  iface->find = dbmail_find;
  iface->get_account = dbmail_get_account;
  iface->name_taken = dbmail_name_taken;
  iface->add_account = dbmail_add_account;
  iface->update_account = dbmail_update_account;
  iface->delete_accounts = dbmail_delete_accounts;
  iface->find_routes = dbmail_find_routes;
  iface->add_alias = dbmail_add_alias;
  iface->add_alias_for = dbmail_add_alias_for;
  iface->add_forward = dbmail_add_forward;
  iface->rename_address = dbmail_rename_address;
  iface->retarget_address = dbmail_retarget_address;
  iface->move_address = dbmail_move_address;
  iface->delete_address = dbmail_delete_address;
  iface->group_add_domain = dbmail_group_add_domain;
  iface->get_password_schemes = dbmail_get_password_schemes;
  iface->get_default_password_scheme = dbmail_get_default_password_scheme;
  iface->lookup_password_scheme = dbmail_lookup_password_scheme;
  iface->encode_password = dbmail_encode_password;
  iface->get_security_actions = dbmail_get_security_actions;
  iface->import_prepare = dbmail_import_prepare;
  iface->import_run = dbmail_import_run;
  iface->export_csv = dbmail_export_csv;
}
