/* mw-dbmail-acl.c: DBMail's shared folders: the dbmail_acl rows, the
 * public folders owned by "__public__", the special accounts, and the
 * Sharing list.
 *
 * What DBMail 3.5 does, and what this follows (DBMAIL-FACTS.md sections A
 * "dbmail_acl", "dbmail_mailboxes" and B; DBMail's src/dm_acl.c and
 * src/dm_mailboxstate.c):
 *  - the owner has every right and no row (acl_get_rightsstring);
 *  - anybody else gets the rights of its own row, or when it has none, the
 *    rights of the row of "anyone" (MailboxState_getAcl);
 *  - a mailbox with permission 1 (read-only) refuses s w i p k x t e a to
 *    everybody, the owner too (acl_has_right);
 *  - "anyone" and "__public__" are looked up by name (auth_user_exists), so
 *    their numbers do not matter; the schema files seed them with passwd ''
 *    and encryption_type 'md5';
 *  - RFC 2086's c is k, and d is x, t and e (acl_replace_rights).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-acl.h"
#include "mw-dbmail-private.h"
#include "mw-dbmail.h"
#include "mw-imap-utf7.h"
#include "mw-sql-dialect.h"

#define PUBLIC_PREFIX "#Public/"
#define USERS_PREFIX  "#Users/"

/* The longest name, grantee or folder path taken from a person. */
#define MAX_TEXT 255

/* The rights columns, in the order of MwRight. */
#define RIGHTS_COLUMNS \
  "lookup_flag, read_flag, seen_flag, write_flag, insert_flag, post_flag, create_flag, delete_flag, " \
  "deleted_flag, expunge_flag, administer_flag"
#define A_RIGHTS_COLUMNS \
  "a.lookup_flag, a.read_flag, a.seen_flag, a.write_flag, a.insert_flag, a.post_flag, a.create_flag, " \
  "a.delete_flag, a.deleted_flag, a.expunge_flag, a.administer_flag"

/* An entry's columns: mailbox, owner, grantee (NULL for none), rights. */
#define ENTRY_COLUMNS \
  "SELECT mb.mailbox_idnr, mb.name, mb.owner_idnr, o.userid, a.user_id, g.userid, " A_RIGHTS_COLUMNS " "
#define ENTRY_FROM \
  "FROM {acl} a JOIN {mailboxes} mb ON mb.mailbox_idnr = a.mailbox_id " \
  "JOIN {users} o ON o.user_idnr = mb.owner_idnr JOIN {users} g ON g.user_idnr = a.user_id "

/* ------------------------------------------------------------------------ */
/* Checks and look-ups                                                      */
/* ------------------------------------------------------------------------ */

static gboolean
check_text (const char  *text,
            const char  *what,
            GError     **error)
{
  if (text == NULL || text[0] == '\0')
    {
      /* Translators: %s is "the grantee" or "the folder name". */
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("Give %s."), what);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("%s is not valid text (UTF-8)."), what);
      return FALSE;
    }
  if (strlen (text) > MAX_TEXT)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("%s is too long: use at most %d bytes."), what, MAX_TEXT);
      return FALSE;
    }
  return TRUE;
}

/* SQL: the user named $n, as DBMail looks users up (lower(userid) on
 * PostgreSQL; MySQL compares without case anyway). */
static char *
user_named (MwDb *db,
            guint n)
{
  if (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("lower(userid) = lower($%u)", n);
  return g_strdup_printf ("userid = $%u", n);
}

/* The user's number and name as stored, 0 when there is none; -1 on failure. */
static gint64
find_user (MwDb          *db,
           const char    *name,
           char         **stored,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *cond = user_named (db, 1);
  g_autofree char *sql = g_strdup_printf ("SELECT user_idnr, userid FROM {users} WHERE %s ORDER BY user_idnr", cond);
  MwDbValue params[] = { MW_DB_TEXT (name) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, cancellable, error);

  if (r == NULL)
    return -1;
  if (mw_db_result_get_n_rows (r) == 0)
    return 0;
  /* PostgreSQL may hold "Alice" and "alice": the exact one first. */
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    if (g_str_equal (mw_db_result_get_string (r, i, 1), name))
      {
        if (stored != NULL)
          *stored = g_strdup (name);
        return mw_db_result_get_int64 (r, i, 0);
      }
  if (stored != NULL)
    *stored = g_strdup (mw_db_result_get_string (r, 0, 1));
  return mw_db_result_get_int64 (r, 0, 0);
}

/* The number of the account whose key is @key, refusing DBMail's own. */
static gint64
account_number (MwDb          *db,
                const char    *key,
                GCancellable  *cancellable,
                GError       **error)
{
  gint64 number;
  g_autofree char *userid = NULL;

  if (!_mw_dbmail_parse_key (key, MW_DBMAIL_KEY_ACCOUNT, &number, error))
    return 0;
  if ((userid = _mw_dbmail_check_user (db, number, cancellable, error)) == NULL)
    return 0;
  return number;
}

typedef struct
{
  gint64  id;
  gint64  owner;
  char   *owner_name;
  char   *name;
  gint64  permission;
} Mailbox;

static void
mailbox_clear (Mailbox *m)
{
  g_clear_pointer (&m->owner_name, g_free);
  g_clear_pointer (&m->name, g_free);
}

/* The mailbox of @key (FOR UPDATE in a change), or FALSE with a sentence. */
static gboolean
read_mailbox (MwDb          *db,
              const char    *key,
              gboolean       for_update,
              Mailbox       *out,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(MwDbResult) r = NULL;
  MwDbValue params[1];
  gint64 id;

  if (!_mw_dbmail_parse_key (key, MW_DBMAIL_KEY_MAILBOX, &id, error))
    return FALSE;
  params[0] = MW_DB_INT64 (id);
  r = mw_db_exec (db, for_update
                  ? "SELECT mb.mailbox_idnr, mb.owner_idnr, o.userid, mb.name, mb.permission FROM {mailboxes} mb "
                    "JOIN {users} o ON o.user_idnr = mb.owner_idnr WHERE mb.mailbox_idnr = $1 FOR UPDATE"
                  : "SELECT mb.mailbox_idnr, mb.owner_idnr, o.userid, mb.name, mb.permission FROM {mailboxes} mb "
                    "JOIN {users} o ON o.user_idnr = mb.owner_idnr WHERE mb.mailbox_idnr = $1",
                  params, 1, cancellable, error);
  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no such folder: it may have been deleted."));
      return FALSE;
    }
  out->id = mw_db_result_get_int64 (r, 0, 0);
  out->owner = mw_db_result_get_int64 (r, 0, 1);
  out->owner_name = g_strdup (mw_db_result_get_string (r, 0, 2));
  out->name = g_strdup (mw_db_result_get_string (r, 0, 3));
  out->permission = mw_db_result_is_null (r, 0, 4) ? 2 : mw_db_result_get_int64 (r, 0, 4);
  return TRUE;
}

/* How the grantee's mail program shows the folder. */
static char *
shown_as (const char *owner,
          const char *stored_name)
{
  g_autofree char *decoded = mw_imap_utf7_decode (stored_name);

  if (g_strcmp0 (owner, MW_DBMAIL_PUBLIC_USER) == 0)
    return g_strconcat (PUBLIC_PREFIX, decoded, NULL);
  return g_strconcat (USERS_PREFIX, owner, "/", decoded, NULL);
}

static MwRights
rights_of_row (MwDbResult *r,
               guint       row,
               guint       first_col)
{
  MwRights rights = 0;

  for (guint i = 0; i < MW_N_RIGHTS; i++)
    if (!mw_db_result_is_null (r, row, first_col + i) && mw_db_result_get_int64 (r, row, first_col + i) != 0)
      rights |= 1u << i;
  return rights;
}

/* An entry from a row of ENTRY_COLUMNS. */
static MwAclEntry *
entry_of_row (MwDbResult *r,
              guint       row)
{
  MwAclEntry *e = mw_acl_entry_new ();
  const char *owner = mw_db_result_get_string (r, row, 3);

  e->mailbox_key = _mw_dbmail_key (mw_db_result_get_int64 (r, row, 0));
  e->mailbox = g_strdup (mw_db_result_get_string (r, row, 1));
  e->display_name = mw_imap_utf7_decode (e->mailbox);
  e->owner = g_strdup (owner);
  e->is_public = g_strcmp0 (owner, MW_DBMAIL_PUBLIC_USER) == 0;
  if (!e->is_public)
    e->owner_key = _mw_dbmail_key (mw_db_result_get_int64 (r, row, 2));
  e->shown_as = shown_as (owner, e->mailbox);
  if (!mw_db_result_is_null (r, row, 4))
    {
      e->grantee = g_strdup (mw_db_result_get_string (r, row, 5));
      if (g_ascii_strcasecmp (e->grantee, MW_DBMAIL_ANYONE_USER) != 0)
        e->grantee_key = _mw_dbmail_key (mw_db_result_get_int64 (r, row, 4));
      e->rights = rights_of_row (r, row, 6);
    }
  return e;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const MwAclEntry *x = *(MwAclEntry *const *) a;
  const MwAclEntry *y = *(MwAclEntry *const *) b;
  int c;

  /* INBOX first, as mail programs show it. */
  if ((g_strcmp0 (x->mailbox, "INBOX") == 0) != (g_strcmp0 (y->mailbox, "INBOX") == 0))
    return g_strcmp0 (x->mailbox, "INBOX") == 0 ? -1 : 1;
  if ((c = g_utf8_collate (x->shown_as, y->shown_as)) != 0)
    return c;
  if (x->grantee == NULL || y->grantee == NULL)
    return x->grantee == NULL ? (y->grantee == NULL ? 0 : -1) : 1;
  return g_utf8_collate (x->grantee, y->grantee);
}

static GPtrArray *
entries_of (MwDbResult *r)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_acl_entry_free);

  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_ptr_array_add (list, entry_of_row (r, i));
  g_ptr_array_sort (list, compare_entries);
  return list;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

static GPtrArray *
dbmail_list_account_folders (MwAclStore    *self,
                             MwDb          *db,
                             const char    *account_key,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(MwDbResult) r = NULL;
  MwDbValue params[1];
  gint64 user;

  if ((user = account_number (db, account_key, cancellable, error)) == 0)
    return NULL;
  params[0] = MW_DB_INT64 (user);
  r = mw_db_exec (db,
                  "SELECT mb.mailbox_idnr, mb.name, mb.owner_idnr, o.userid, a.user_id, g.userid, " A_RIGHTS_COLUMNS " "
                  "FROM {mailboxes} mb JOIN {users} o ON o.user_idnr = mb.owner_idnr "
                  "LEFT JOIN {acl} a ON a.mailbox_id = mb.mailbox_idnr "
                  "LEFT JOIN {users} g ON g.user_idnr = a.user_id WHERE mb.owner_idnr = $1",
                  params, 1, cancellable, error);
  return r != NULL ? entries_of (r) : NULL;
}

static GPtrArray *
dbmail_list_shared_with (MwAclStore    *self,
                         MwDb          *db,
                         const char    *account_key,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(MwDbResult) r = NULL;
  MwDbValue params[1];
  gint64 user;

  if ((user = account_number (db, account_key, cancellable, error)) == 0)
    return NULL;
  params[0] = MW_DB_INT64 (user);
  r = mw_db_exec (db,
                  ENTRY_COLUMNS ENTRY_FROM
                  "WHERE mb.owner_idnr <> $1 AND (a.user_id = $1 OR g.userid = '" MW_DBMAIL_ANYONE_USER "')",
                  params, 1, cancellable, error);
  return r != NULL ? entries_of (r) : NULL;
}

static GPtrArray *
dbmail_list_folder_acl (MwAclStore    *self,
                        MwDb          *db,
                        const char    *mailbox_key,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(MwDbResult) r = NULL;
  Mailbox m = { 0 };
  MwDbValue params[1];

  if (!read_mailbox (db, mailbox_key, FALSE, &m, cancellable, error))
    return NULL;
  params[0] = MW_DB_INT64 (m.id);
  mailbox_clear (&m);
  r = mw_db_exec (db, ENTRY_COLUMNS ENTRY_FROM "WHERE a.mailbox_id = $1", params, 1, cancellable, error);
  return r != NULL ? entries_of (r) : NULL;
}

/* A path in UTF-8 as DBMail stores it: modified UTF-7, "INBOX" in capitals
 * for the first part. NULL with a sentence for an empty part. */
static char *
stored_path (const char  *path,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autofree char *joined = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("A folder name may not begin or end with “/” nor hold “//”."));
          return NULL;
        }
      for (const char *p = parts[i]; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f || *p == '%' || *p == '*')
          {
            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                         _("A folder name may not hold control characters, “%%” or “*”."));
            return NULL;
          }
    }
  if (parts[0] != NULL && g_ascii_strcasecmp (parts[0], "INBOX") == 0)
    {
      g_free (parts[0]);
      parts[0] = g_strdup ("INBOX");
    }
  joined = g_strjoinv ("/", parts);
  return mw_imap_utf7_encode (joined);
}

/* The mailbox @owner has under the stored name, 0 for none, -1 on failure. */
static gint64
mailbox_named (MwDb          *db,
               gint64         owner,
               const char    *stored,
               GCancellable  *cancellable,
               GError       **error)
{
  MwDbValue params[] = { MW_DB_INT64 (owner), MW_DB_TEXT (stored) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, "SELECT mailbox_idnr FROM {mailboxes} WHERE owner_idnr = $1 AND name = $2",
                                        params, 2, cancellable, error);

  if (r == NULL)
    return -1;
  return mw_db_result_get_n_rows (r) > 0 ? mw_db_result_get_int64 (r, 0, 0) : 0;
}

static gboolean
not_found_folder (const char *folder,
                  GError    **error)
{
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
               _("There is no folder “%s”. Write it as “#Public/NAME” or “#Users/OWNER/NAME”, "
                 "for example “#Users/alice@example.com/INBOX”."), folder);
  return FALSE;
}

static char *
dbmail_find_shared_folder (MwAclStore    *self,
                           MwDb          *db,
                           const char    *folder,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *stored = NULL;
  gint64 owner, id;

  /* Translators: what the person gave, in "Give %s." and similar sentences. */
  if (!check_text (folder, _("the folder"), error))
    return NULL;
  if (g_str_has_prefix (folder, PUBLIC_PREFIX))
    {
      if ((owner = find_user (db, MW_DBMAIL_PUBLIC_USER, NULL, cancellable, error)) < 0)
        return NULL;
      if (owner == 0)
        {
          not_found_folder (folder, error);
          return NULL;
        }
      if ((stored = stored_path (folder + strlen (PUBLIC_PREFIX), error)) == NULL)
        return NULL;
      if ((id = mailbox_named (db, owner, stored, cancellable, error)) < 0)
        return NULL;
      if (id == 0)
        {
          not_found_folder (folder, error);
          return NULL;
        }
      return _mw_dbmail_key (id);
    }
  if (g_str_has_prefix (folder, USERS_PREFIX))
    {
      const char *rest = folder + strlen (USERS_PREFIX);

      /* A login name may hold "/": try each split, the shortest owner first. */
      for (const char *slash = strchr (rest, '/'); slash != NULL; slash = strchr (slash + 1, '/'))
        {
          g_autofree char *owner_name = g_strndup (rest, (gsize) (slash - rest));
          g_autofree char *path = NULL;
          g_autoptr(GError) local = NULL;

          if ((owner = find_user (db, owner_name, NULL, cancellable, error)) < 0)
            return NULL;
          if (owner == 0 || mw_dbmail_is_system_user (owner_name))
            continue;
          if ((path = stored_path (slash + 1, &local)) == NULL)
            continue;
          if ((id = mailbox_named (db, owner, path, cancellable, error)) < 0)
            return NULL;
          if (id > 0)
            return _mw_dbmail_key (id);
        }
    }
  not_found_folder (folder, error);
  return NULL;
}

/* The row of user_id on the mailbox: TRUE and its rights, FALSE for none;
 * -1 on failure. */
static int
read_row (MwDb          *db,
          gint64         mailbox,
          gint64         user,
          MwRights      *rights,
          GCancellable  *cancellable,
          GError       **error)
{
  MwDbValue params[] = { MW_DB_INT64 (mailbox), MW_DB_INT64 (user) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, "SELECT " RIGHTS_COLUMNS " FROM {acl} WHERE mailbox_id = $1 AND user_id = $2",
                                        params, 2, cancellable, error);

  if (r == NULL)
    return -1;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      *rights = 0;
      return FALSE;
    }
  *rights = rights_of_row (r, 0, 0);
  return TRUE;
}

static gboolean
dbmail_get_effective_rights (MwAclStore    *self,
                             MwDb          *db,
                             const char    *mailbox_key,
                             const char    *user,
                             MwRights      *rights,
                             GCancellable  *cancellable,
                             GError       **error)
{
  Mailbox m = { 0 };
  gint64 user_idnr, anyone;
  MwRights r = 0;
  int found;

  *rights = 0;
  /* Translators: what the person gave, in "Give %s." and similar sentences. */
  if (!check_text (user, _("the user"), error))
    return FALSE;
  if (!read_mailbox (db, mailbox_key, FALSE, &m, cancellable, error))
    return FALSE;
  if ((user_idnr = find_user (db, user, NULL, cancellable, error)) < 0)
    goto failed;
  if (user_idnr == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no user “%s”."), user);
      goto failed;
    }
  if (user_idnr == m.owner)
    r = MW_RIGHTS_FULL;
  else
    {
      if ((found = read_row (db, m.id, user_idnr, &r, cancellable, error)) < 0)
        goto failed;
      if (!found)
        {
          if ((anyone = find_user (db, MW_DBMAIL_ANYONE_USER, NULL, cancellable, error)) < 0)
            goto failed;
          if (anyone > 0 && read_row (db, m.id, anyone, &r, cancellable, error) < 0)
            goto failed;
        }
    }
  if (m.permission != 2)
    r &= ~MW_RIGHTS_NEED_WRITABLE;
  *rights = r;
  mailbox_clear (&m);
  return TRUE;

failed:
  mailbox_clear (&m);
  return FALSE;
}

static MwSpecialUsers
dbmail_missing_special_users (MwAclStore    *self,
                              MwDb          *db,
                              GCancellable  *cancellable,
                              GError       **error)
{
  MwSpecialUsers missing = 0;
  gint64 id;

  if ((id = find_user (db, MW_DBMAIL_ANYONE_USER, NULL, cancellable, error)) < 0)
    return 0;
  if (id == 0)
    missing |= MW_SPECIAL_USER_ANYONE;
  if ((id = find_user (db, MW_DBMAIL_PUBLIC_USER, NULL, cancellable, error)) < 0)
    return 0;
  if (id == 0)
    missing |= MW_SPECIAL_USER_PUBLIC;
  return missing;
}

/* ------------------------------------------------------------------------ */
/* Changes                                                                  */
/* ------------------------------------------------------------------------ */

static gboolean
dbmail_set_rights (MwAclStore     *self,
                   const MwAdmin  *admin,
                   const char     *mailbox_key,
                   const char     *grantee,
                   MwRights        rights,
                   MwRights       *before,
                   GError        **error)
{
  Mailbox m = { 0 };
  g_autofree char *grantee_name = NULL;
  g_autofree char *folder = NULL;
  gint64 grantee_idnr;
  gboolean ok = FALSE;
  int had;

  *before = 0;
  /* Translators: what the person gave, in "Give %s." and similar sentences. */
  if (!check_text (grantee, _("the grantee"), error))
    return FALSE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  if (!read_mailbox (admin->db, mailbox_key, TRUE, &m, NULL, error))
    goto out;
  folder = shown_as (m.owner_name, m.name);
  if ((grantee_idnr = find_user (admin->db, grantee, &grantee_name, NULL, error)) < 0)
    goto out;
  if (grantee_idnr == 0)
    {
      if (g_ascii_strcasecmp (grantee, MW_DBMAIL_ANYONE_USER) == 0)
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                     _("The database has no account “anyone”, which DBMail needs to share with everybody. "
                       "Create DBMail’s special accounts first."));
      else
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no user “%s”."), grantee);
      goto out;
    }
  if (g_ascii_strcasecmp (grantee_name, MW_DBMAIL_DELIVERY_USER) == 0 ||
      g_ascii_strcasecmp (grantee_name, MW_DBMAIL_PUBLIC_USER) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("“%s” is one of DBMail’s own accounts: nobody logs in with it, so it cannot be given rights."),
                   grantee_name);
      goto out;
    }
  if (grantee_idnr == m.owner)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("“%s” owns “%s” and always has every right on it."), grantee_name, folder);
      goto out;
    }
  if ((had = read_row (admin->db, m.id, grantee_idnr, before, NULL, error)) < 0)
    goto out;

  if (rights == 0)
    {
      MwDbValue params[] = { MW_DB_INT64 (m.id), MW_DB_INT64 (grantee_idnr) };

      ok = !had || _mw_admin_run_ok (admin, "DELETE FROM {acl} WHERE mailbox_id = $1 AND user_id = $2", params, 2, error);
    }
  else
    {
      MwDbValue params[2 + MW_N_RIGHTS];

      for (guint i = 0; i < MW_N_RIGHTS; i++)
        params[i] = MW_DB_INT64 ((rights & (1u << i)) ? 1 : 0);
      params[MW_N_RIGHTS] = MW_DB_INT64 (m.id);
      params[MW_N_RIGHTS + 1] = MW_DB_INT64 (grantee_idnr);
      if (had)
        ok = _mw_admin_run_ok (admin,
                               "UPDATE {acl} SET lookup_flag = $1, read_flag = $2, seen_flag = $3, write_flag = $4, "
                               "insert_flag = $5, post_flag = $6, create_flag = $7, delete_flag = $8, "
                               "deleted_flag = $9, expunge_flag = $10, administer_flag = $11 "
                               "WHERE mailbox_id = $12 AND user_id = $13", params, G_N_ELEMENTS (params), error);
      else
        ok = _mw_admin_run_ok (admin,
                               "INSERT INTO {acl} (" RIGHTS_COLUMNS ", mailbox_id, user_id) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                               params, G_N_ELEMENTS (params), error);
    }

out:
  if (!_mw_admin_finish (admin, ok, error))
    {
      mailbox_clear (&m);
      return FALSE;
    }
  {
    g_autofree char *old = mw_rights_to_letters (*before);
    g_autofree char *new = mw_rights_to_letters (rights);
    g_autofree char *target = g_strdup_printf ("%s %s", folder, grantee_name);
    MwAuditField b[] = { { "folder", folder }, { "grantee", grantee_name }, { "rights", old } };
    MwAuditField a[] = { { "folder", folder }, { "grantee", grantee_name }, { "rights", new } };

    if (*before != rights)
      _mw_admin_audit (admin, rights == 0 ? "acl.revoke" : "acl.set", target, b, 3, a, 3);
  }
  mailbox_clear (&m);
  return TRUE;
}

static gboolean
dbmail_create_special_users (MwAclStore      *self,
                             const MwAdmin   *admin,
                             MwSpecialUsers   which,
                             GError         **error)
{
  static const struct { MwSpecialUsers flag; const char *name; } specials[] = {
    { MW_SPECIAL_USER_ANYONE, MW_DBMAIL_ANYONE_USER },
    { MW_SPECIAL_USER_PUBLIC, MW_DBMAIL_PUBLIC_USER },
  };
  const char *names[G_N_ELEMENTS (specials)];
  const char *created[G_N_ELEMENTS (specials)];
  guint n = 0, n_created = 0;
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
    if (which & specials[i].flag)
      names[n++] = specials[i].name;
  if (n == 0)
    return TRUE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  /* "__public__" sorts before "anyone": the locks in one order. */
  ok = _mw_dbmail_lock_names (admin, names, n, error);
  for (guint i = 0; ok && i < n; i++)
    {
      gint64 id = find_user (admin->db, names[i], NULL, NULL, error);
      MwDbValue params[] = { MW_DB_TEXT (names[i]) };

      if (id < 0)
        ok = FALSE;
      else if (id == 0)
        {
          /* What every DBMail schema file seeds: passwd '' (nobody logs in
           * with it) and encryption_type 'md5'; the number is the next one,
           * as DBMail finds these accounts by name. */
          ok = _mw_admin_insert_id (admin, "INSERT INTO {users} (userid, passwd, encryption_type) "
                                    "VALUES ($1, '', 'md5')", "user_idnr", params, 1, error) > 0;
          if (ok)
            created[n_created++] = names[i];
        }
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  for (guint i = 0; i < n_created; i++)
    {
      MwAuditField a[] = { { "userid", created[i] }, { "passwd", "" }, { "encryption_type", "md5" } };

      _mw_admin_audit (admin, "special-user.add", created[i], NULL, 0, a, 3);
    }
  return TRUE;
}

/* The stored path of a public folder's name, given with or without "#Public/". */
static char *
public_path (const char  *name,
             GError     **error)
{
  /* Translators: what the person gave, in "Give %s." and similar sentences. */
  if (!check_text (name, _("the folder name"), error))
    return NULL;
  if (g_str_has_prefix (name, PUBLIC_PREFIX))
    name += strlen (PUBLIC_PREFIX);
  return stored_path (name, error);
}

static gint64
public_owner (const MwAdmin  *admin,
              GError        **error)
{
  gint64 owner = find_user (admin->db, MW_DBMAIL_PUBLIC_USER, NULL, NULL, error);

  if (owner == 0)
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                 _("The database has no account “__public__”, which owns DBMail’s public folders. "
                   "Create DBMail’s special accounts first."));
  return owner;
}

static char *
dbmail_create_public_folder (MwAclStore     *self,
                             const MwAdmin  *admin,
                             const char     *name,
                             GError        **error)
{
  g_autofree char *stored = public_path (name, error);
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *shown = NULL;
  gint64 owner, id = 0;
  gboolean ok = TRUE;

  if (stored == NULL)
    return NULL;
  if (!_mw_admin_begin (admin, error))
    return NULL;
  ok = (owner = public_owner (admin, error)) > 0;
  parts = g_strsplit (stored, "/", -1);
  /* Like IMAP CREATE a/b on DBMail: the parents too. */
  for (guint i = 0; ok && parts[i] != NULL; i++)
    {
      gboolean last = parts[i + 1] == NULL;

      if (i > 0)
        g_string_append_c (path, '/');
      g_string_append (path, parts[i]);
      id = mailbox_named (admin->db, owner, path->str, NULL, error);
      if (id < 0)
        ok = FALSE;
      else if (id > 0 && last)
        {
          g_autofree char *decoded = mw_imap_utf7_decode (stored);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                       _("The public folder “#Public/%s” already exists."), decoded);
          ok = FALSE;
        }
      else if (id == 0)
        {
          MwDbValue params[] = { MW_DB_INT64 (owner), MW_DB_TEXT (path->str) };

          id = _mw_admin_insert_id (admin, "INSERT INTO {mailboxes} (owner_idnr, name) VALUES ($1, $2)",
                                    "mailbox_idnr", params, 2, error);
          ok = id > 0;
        }
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  shown = shown_as (MW_DBMAIL_PUBLIC_USER, stored);
  {
    MwAuditField a[] = { { "folder", shown }, { "name", stored } };

    _mw_admin_audit (admin, "public-folder.add", shown, NULL, 0, a, 2);
  }
  return _mw_dbmail_key (id);
}

static gboolean
dbmail_delete_public_folder (MwAclStore     *self,
                             const MwAdmin  *admin,
                             const char     *name,
                             GError        **error)
{
  g_autofree char *stored = public_path (name, error);
  g_autofree char *shown = NULL;
  g_autofree char *children = NULL;
  gint64 owner = 0, id = 0;
  gboolean ok;

  if (stored == NULL)
    return FALSE;
  shown = shown_as (MW_DBMAIL_PUBLIC_USER, stored);
  children = g_strconcat (stored, "/", NULL);
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = (owner = public_owner (admin, error)) > 0;
  if (ok)
    {
      id = mailbox_named (admin->db, owner, stored, NULL, error);
      ok = id > 0;
      if (id == 0)
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no public folder “%s”."), shown);
    }
  if (ok)
    {
      g_autofree char *escaped = mw_sql_like_escape (children);
      g_autofree char *pattern = g_strconcat (escaped, "%", NULL);
      MwDbValue params[] = { MW_DB_INT64 (owner), MW_DB_TEXT (pattern) };
      MwDbValue one[] = { MW_DB_INT64 (id) };
      gint64 n = _mw_admin_run_int (admin, "SELECT count(*) FROM {mailboxes} WHERE owner_idnr = $1 "
                                    "AND name LIKE $2", params, 2, error);

      if (n > 0)
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                     _("“%s” holds other folders: delete those first."), shown);
      ok = n == 0;
      if (ok)
        {
          n = _mw_admin_run_int (admin, "SELECT count(*) FROM {messages} WHERE mailbox_idnr = $1", one, 1, error);
          if (n > 0)
            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                         g_dngettext (GETTEXT_PACKAGE, "“%s” holds %" G_GINT64_FORMAT " message: only an empty folder "
                                      "is deleted here.", "“%s” holds %" G_GINT64_FORMAT " messages: only an "
                                      "empty folder is deleted here.", (gulong) n), shown, n);
          ok = n == 0;
        }
      ok = ok && _mw_admin_run_ok (admin, "DELETE FROM {acl} WHERE mailbox_id = $1", one, 1, error)
           && _mw_admin_run_ok (admin, "DELETE FROM {subscription} WHERE mailbox_id = $1", one, 1, error)
           && _mw_admin_run_ok (admin, "DELETE FROM {mailboxes} WHERE mailbox_idnr = $1", one, 1, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  {
    MwAuditField b[] = { { "folder", shown }, { "name", stored } };

    _mw_admin_audit (admin, "public-folder.delete", shown, b, 2, NULL, 0);
  }
  return TRUE;
}

void
_mw_dbmail_acl_iface_init (MwAclStoreInterface *iface)
{
  iface->list_account_folders = dbmail_list_account_folders;
  iface->list_shared_with = dbmail_list_shared_with;
  iface->list_folder_acl = dbmail_list_folder_acl;
  iface->find_shared_folder = dbmail_find_shared_folder;
  iface->get_effective_rights = dbmail_get_effective_rights;
  iface->set_rights = dbmail_set_rights;
  iface->missing_special_users = dbmail_missing_special_users;
  iface->create_special_users = dbmail_create_special_users;
  iface->create_public_folder = dbmail_create_public_folder;
  iface->delete_public_folder = dbmail_delete_public_folder;
}

/* ------------------------------------------------------------------------ */
/* The Sharing list                                                         */
/* ------------------------------------------------------------------------ */

MwListQuery *
_mw_dbmail_sharing_query (MwSchema             *schema,
                          const MwListRequest  *req,
                          GError              **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *sort_col;
  MwListQuery *query;
  GString *letters = g_string_new ("CONCAT(");
  static const char *const columns[MW_N_RIGHTS] = {
    "lookup_flag", "read_flag", "seen_flag", "write_flag", "insert_flag", "post_flag", "create_flag",
    "delete_flag", "deleted_flag", "expunge_flag", "administer_flag",
  };

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "folder"; break;
    case MW_SORT_OWNER: sort_col = "owner"; break;
    case MW_SORT_TARGET: sort_col = "grantee"; break;
    default:
      g_string_free (letters, TRUE);
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("This list cannot be sorted that way."));
      return NULL;
    }

  for (guint i = 0; i < MW_N_RIGHTS; i++)
    g_string_append_printf (letters, "%sCASE WHEN a.%s = 1 THEN '%c' ELSE '' END", i > 0 ? ", " : "", columns[i],
                            mw_right_letter (mw_right_nth (i)));
  g_string_append_c (letters, ')');

  /* One row of dbmail_acl each; the key (mailbox, user) as one text column
   * for keyset paging. */
  g_string_append_printf (sql,
                          "SELECT CASE WHEN o.userid = '" MW_DBMAIL_PUBLIC_USER "' THEN CONCAT('" PUBLIC_PREFIX "', mb.name) "
                          "ELSE CONCAT('" USERS_PREFIX "', o.userid, '/', mb.name) END AS folder, "
                          "o.userid AS owner, g.userid AS grantee, %s AS rights, "
                          "CONCAT(a.mailbox_id, ':', a.user_id) AS acl_key, a.mailbox_id, a.user_id "
                          ENTRY_FROM "WHERE 1 = 1", letters->str);
  g_string_free (letters, TRUE);
  if (req->search != NULL && req->search[0] != '\0')
    g_string_append (sql, " AND (lower(mb.name) LIKE $1 OR lower(o.userid) LIKE $1 OR lower(g.userid) LIKE $1)");
  /* A public folder nobody may use yet has no row; it is listed all the
   * same (grantee '' and rights NULL: "no one may read it yet") so that an
   * admin finds it to share it. Public folders are few. */
  g_string_append (sql, " UNION ALL SELECT CONCAT('" PUBLIC_PREFIX "', mb.name) AS folder, o.userid AS owner, "
                        "'' AS grantee, NULL AS rights, CONCAT(mb.mailbox_idnr, ':') AS acl_key, "
                        "mb.mailbox_idnr AS mailbox_id, NULL AS user_id "
                        "FROM {mailboxes} mb JOIN {users} o ON o.user_idnr = mb.owner_idnr "
                        "WHERE o.userid = '" MW_DBMAIL_PUBLIC_USER "' "
                        "AND NOT EXISTS (SELECT 1 FROM {acl} x WHERE x.mailbox_id = mb.mailbox_idnr)");
  if (req->search != NULL && req->search[0] != '\0')
    g_string_append (sql, " AND (lower(mb.name) LIKE $1 OR lower(o.userid) LIKE $1)");
  query = mw_list_query_new (sql->str, sort_col, "acl_key", req->descending);
  if (req->search != NULL && req->search[0] != '\0')
    {
      g_autofree char *value = mw_sql_like_contains (req->search);

      mw_list_query_add_text (query, value);
    }
  return query;
}
