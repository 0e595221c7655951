/* mw-dbmail-usermap.c: DBMail's login maps (dbmail_usermap), as DBMail 3.5
 * reads them (db_usermap_resolve in dm_db.c, dm_sock_compare and
 * dm_sock_score in dm_misc.c, cidr_match in dm_cidr.c).
 *
 * For a typed login DBMail reads the rows whose login is that name or
 * "ANY" (SQL equality), in the order of sock_allow, sock_deny:
 * - any row whose sock_deny matches the client's socket refuses the login;
 * - otherwise the row whose sock_allow scores best maps it (an empty
 *   sock_allow scores 32, the most; one that does not match scores 0);
 *   when every row scores 0 the login is refused;
 * - a best row whose login begins with "ANY" (strncmp of 3 characters)
 *   takes its userid as a printf format with exactly one "%s" (else the
 *   login fails), the others their userid as it is;
 * - no row at all: the typed name is the user's own.
 * The user is then looked up as DBMail looks users up (lower(userid)).
 * DBMail 3.5 checks on every login whether the table exists.
 *
 * The table has no key to users: renaming a user (mw-dbmail-users.c) and
 * deleting one (mw-dbmail-users-delete.c) update it where it exists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-usermap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-core.h"
#include "mw-dbmail-private.h"
#include "mw-dbmail-usermap.h"
#include "mw-sql-dialect.h"

/* The denied socket Lock writes: "unix:" makes DBMail fnmatch() the rest
 * against the client's socket after its first colon (":192.0.2.10:143",
 * also for IPv6), and "*" matches any text, so every login over any socket
 * that reads such a row is refused. An inet: denied socket would not do:
 * DBMail matches those only on the port they name and only for IPv4. */
#define LOCK_SOCKET "unix:*"

#define COLUMNS "login, sock_allow, sock_deny, userid"

static GQuark
table_quark (void)
{
  return g_quark_from_static_string ("mw-dbmail-usermap-table");
}

/* What this process last saw of the table: the list query, built without
 * a connection, reads it. 1: there, 2: not there, 0: not seen yet. */
static void
remember_table (MwSchema *schema,
                gboolean  exists)
{
  g_object_set_qdata (G_OBJECT (schema), table_quark (), GINT_TO_POINTER (exists ? 1 : 2));
}

static gboolean
known_table (MwSchema *schema)
{
  int seen = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (schema), table_quark ()));

  if (seen == 0)
    return mw_schema_get_info (schema)->has_usermap;
  return seen == 1;
}

static guint
max_length (MwDb *db)
{
  return mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? 100 : 255;
}

static gboolean
table_exists (MwDb          *db,
              gboolean      *exists,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *name = g_strconcat (mw_db_get_prefix (db), "usermap", NULL);
  MwDbValue params[] = { MW_DB_TEXT (name) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, mw_sql_tables_query (mw_db_get_driver (db)), params, 1, cancellable,
                                        error);

  *exists = FALSE;
  if (r == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    if (g_ascii_strcasecmp (mw_db_result_get_string (r, i, 0), name) == 0)
      *exists = TRUE;
  return TRUE;
}

static gboolean
refuse_no_table (GError **error)
{
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
               _("This database has no table of login maps, so DBMail maps no logins. Create the table first "
                 "(DBMail consults it only when it exists)."));
  return FALSE;
}

/* Keys: the row's unique key (login, sock_allow, userid), each part
 * escaped, joined by tabs. */
static char *
make_key (const char *login,
          const char *allow,
          const char *user)
{
  g_autofree char *l = g_strescape (login, NULL);
  g_autofree char *a = g_strescape (allow, NULL);
  g_autofree char *u = g_strescape (user, NULL);

  return g_strjoin ("\t", l, a, u, NULL);
}

static gboolean
parse_key (const char  *key,
           char       **login,
           char       **allow,
           char       **user,
           GError     **error)
{
  g_auto(GStrv) parts = key != NULL ? g_strsplit (key, "\t", -1) : NULL;

  if (parts == NULL || g_strv_length (parts) != 3)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no such login map."));
      return FALSE;
    }
  *login = g_strcompress (parts[0]);
  *allow = g_strcompress (parts[1]);
  *user = g_strcompress (parts[2]);
  return TRUE;
}

static MwLoginMap *
map_from_row (MwDbResult *r,
              guint       row)
{
  MwLoginMap *map = mw_login_map_new (mw_db_result_get_string (r, row, 0), mw_db_result_get_string (r, row, 1),
                                      mw_db_result_get_string (r, row, 2), mw_db_result_get_string (r, row, 3));

  map->key = make_key (map->login, map->allow, map->user);
  return map;
}

/* Whether the format of an ANY row yields @name for some non-empty typed
 * login (compared without case, as DBMail looks users up); the login in
 * *typed. */
static gboolean
format_yields (const char  *format,
               const char  *name,
               char       **typed)
{
  const char *pc = strstr (format, "%s");
  gsize prefix, suffix, len = strlen (name);

  if (pc == NULL || strchr (pc + 2, '%') != NULL || strchr (format, '%') != pc)
    return FALSE;
  prefix = pc - format;
  suffix = strlen (pc + 2);
  if (len <= prefix + suffix)
    return FALSE;
  if (g_ascii_strncasecmp (name, format, prefix) != 0 || g_ascii_strcasecmp (name + len - suffix, pc + 2) != 0)
    return FALSE;
  if (typed != NULL)
    *typed = g_strndup (name + prefix, len - prefix - suffix);
  return TRUE;
}

static gboolean
check_text (MwDb        *db,
            const char  *text,
            const char  *what,
            GError     **error)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   /* Translators: %s is "login" or "user", what the text is */
                   _("The %s is not valid UTF-8 text: type it again."), what);
      return FALSE;
    }
  if (text[0] == '\0')
    {
      /* Translators: %s is "login" or "user" */
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("Type the %s of the login map."), what);
      return FALSE;
    }
  if (g_utf8_strlen (text, -1) > max_length (db))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   /* Translators: the first %s is "login" or "user" */
                   _("The %s is too long: this database holds at most %u characters."), what, max_length (db));
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      {
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                     /* Translators: %s is "login" or "user" */
                     _("The %s may not contain spaces or control characters."), what);
        return FALSE;
      }
  return TRUE;
}

/* The user a map names, as stored ([users].userid), locked; NULL with a
 * sentence for a name no user (or only one of DBMail's own) has. */
static char *
existing_user (const MwAdmin  *admin,
               const char     *name,
               GError        **error)
{
  g_autofree char *cond = mw_sql_ci_equal (mw_db_get_driver (admin->db), "userid", "$1");
  g_autofree char *sql = g_strdup_printf ("SELECT userid FROM {users} WHERE %s AND " MW_DBMAIL_NOT_SYSTEM ("userid")
                                          " ORDER BY userid FOR UPDATE", cond);
  MwDbValue params[] = { MW_DB_TEXT (name) };
  g_autoptr(MwDbResult) r = _mw_admin_run (admin, sql, params, 1, error);

  if (r == NULL)
    return NULL;
  if (mw_db_result_get_n_rows (r) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   _("There is no user “%s”: a login map leads to an existing user (or, for the login ANY, to a "
                     "format such as %%s@example.org)."), name);
      return NULL;
    }
  return g_strdup (mw_db_result_get_string (r, 0, 0));
}

/* @map checked, as it is to be stored (the user as [users] has it). */
static MwLoginMap *
check_map (const MwAdmin     *admin,
           const MwLoginMap  *map,
           GError           **error)
{
  g_autofree char *login = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *deny = NULL;
  g_autofree char *user = NULL;

  if (!check_text (admin->db, map->login, _("login"), error))
    return NULL;
  login = g_strstrip (g_strdup (map->login));
  if (g_str_has_prefix (login, MW_LOGIN_MAP_ANY) && !g_str_equal (login, MW_LOGIN_MAP_ANY))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” begins with ANY: DBMail would read its user as a format. Use the login ANY itself "
                     "for every login, or another name."), login);
      return NULL;
    }
  if ((allow = mw_login_map_normalize_socket (map->allow, FALSE, error)) == NULL ||
      (deny = mw_login_map_normalize_socket (map->deny, TRUE, error)) == NULL)
    return NULL;
  if (!check_text (admin->db, map->user, _("user"), error))
    return NULL;
  if (g_str_equal (login, MW_LOGIN_MAP_ANY))
    {
      const char *pc = strchr (map->user, '%');

      /* DBMail's dm_valid_format: one "%", followed by "s". */
      if (pc == NULL || pc[1] != 's' || strchr (pc + 1, '%') != NULL)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("“%s” is not a format DBMail can use: for the login ANY the user is a name with exactly "
                         "one %%s where the typed login goes, and no other %%, such as %%s@example.org."),
                       map->user);
          return NULL;
        }
      user = g_strdup (map->user);
    }
  else if ((user = existing_user (admin, map->user, error)) == NULL)
    return NULL;
  if (strlen (allow) > max_length (admin->db) || strlen (deny) > max_length (admin->db))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The socket is too long: this database holds at most %u characters."), max_length (admin->db));
      return NULL;
    }
  return mw_login_map_new (login, allow, deny, user);
}

/* The row of the unique key, locked; NULL with *error unset when there is none. */
static MwLoginMap *
lock_row (const MwAdmin  *admin,
          const char     *login,
          const char     *allow,
          const char     *user,
          GError        **error)
{
  MwDbValue params[] = { MW_DB_TEXT (login), MW_DB_TEXT (allow), MW_DB_TEXT (user) };
  g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT " COLUMNS " FROM {usermap} WHERE login = $1 AND "
                                           "sock_allow = $2 AND userid = $3 FOR UPDATE", params, 3, error);

  if (r == NULL || mw_db_result_get_n_rows (r) == 0)
    return NULL;
  return map_from_row (r, 0);
}

static void
audit_map (const MwAdmin    *admin,
           const char       *action,
           const MwLoginMap *before,
           const MwLoginMap *after)
{
  const MwLoginMap *any = after != NULL ? after : before;
  MwAuditField b[] = {
    { "login", before != NULL ? before->login : NULL }, { "allow", before != NULL ? before->allow : NULL },
    { "deny", before != NULL ? before->deny : NULL }, { "user", before != NULL ? before->user : NULL },
  };
  MwAuditField a[] = {
    { "login", after != NULL ? after->login : NULL }, { "allow", after != NULL ? after->allow : NULL },
    { "deny", after != NULL ? after->deny : NULL }, { "user", after != NULL ? after->user : NULL },
  };

  _mw_admin_audit (admin, action, any->login, b, before != NULL ? G_N_ELEMENTS (b) : 0, a,
                   after != NULL ? G_N_ELEMENTS (a) : 0);
}

static gboolean
begin_with_table (const MwAdmin  *admin,
                  GError        **error)
{
  gboolean exists;

  if (!table_exists (admin->db, &exists, NULL, error))
    return FALSE;
  if (!exists)
    return refuse_no_table (error);
  return _mw_admin_begin (admin, error);
}

static gboolean
taken_sentence (const MwLoginMap  *map,
                GError           **error)
{
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
               _("There is already a login map of “%s” to “%s” for that allowed socket: change that one instead."),
               map->login, map->user);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* The interface                                                            */
/* ------------------------------------------------------------------------ */

static gboolean
dbmail_login_maps_table_exists (MwLoginMapStore  *store,
                                MwDb             *db,
                                gboolean         *exists,
                                GCancellable     *cancellable,
                                GError          **error)
{
  if (!table_exists (db, exists, cancellable, error))
    return FALSE;
  remember_table (MW_SCHEMA (store), *exists);
  return TRUE;
}

static gboolean
dbmail_create_login_maps_table (MwLoginMapStore  *store,
                                const MwAdmin    *admin,
                                GError          **error)
{
  MwDbDriver driver = mw_db_get_driver (admin->db);
  const char *path = driver == MW_DB_DRIVER_PGSQL ? "/org/mailwarden/Mailwarden/sql/pgsql/usermap.sql"
                                                  : "/org/mailwarden/Mailwarden/sql/mysql/usermap.sql";
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GString) script = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) statements = NULL;
  gboolean exists;
  gboolean ok = TRUE;

  if (!table_exists (admin->db, &exists, NULL, error))
    return FALSE;
  if (exists)
    {
      remember_table (MW_SCHEMA (store), TRUE);
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS,
                   _("The table of login maps is there already: DBMail consults it."));
      return FALSE;
    }
  mw_core_init ();   /* the resources */
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  /* The file without its comments, the table named with the profile's prefix. */
  script = g_string_new (NULL);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

    lines = g_strsplit (text, "\n", -1);
  }
  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (g_strstrip (lines[i]), "--"))
      g_string_append_printf (script, "%s\n", lines[i]);
  g_string_replace (script, "dbmail_usermap", "{usermap}", 0);
  statements = g_strsplit (script->str, ";", -1);

  /* MySQL commits a CREATE TABLE at once: its dry run stops at the check. */
  if (admin->dry_run && driver == MW_DB_DRIVER_MYSQL)
    return TRUE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  for (guint i = 0; ok && statements[i] != NULL; i++)
    {
      g_autofree char *sql = g_strstrip (g_strdup (statements[i]));

      if (sql[0] != '\0')
        ok = _mw_admin_run_ok (admin, sql, NULL, 0, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  if (!admin->dry_run)
    {
      g_autofree char *table = g_strconcat (mw_db_get_prefix (admin->db), "usermap", NULL);

      remember_table (MW_SCHEMA (store), TRUE);
      _mw_admin_audit (admin, "usermap.create-table", table, NULL, 0, NULL, 0);
    }
  return TRUE;
}

static GPtrArray *
dbmail_list_login_maps (MwLoginMapStore  *store,
                        MwDb             *db,
                        const char       *account_key,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_login_map_free);
  g_autofree char *userid = NULL;
  g_autoptr(MwDbResult) r = NULL;
  gboolean exists;

  if (account_key != NULL)
    {
      gint64 idnr;

      if (!_mw_dbmail_parse_key (account_key, MW_DBMAIL_KEY_ACCOUNT, &idnr, error) ||
          (userid = _mw_dbmail_check_user (db, idnr, cancellable, error)) == NULL)
        return NULL;
    }
  if (!dbmail_login_maps_table_exists (store, db, &exists, cancellable, error))
    return NULL;
  if (!exists)
    return g_steal_pointer (&out);

  if (userid != NULL)
    {
      g_autofree char *cond = mw_sql_ci_equal (mw_db_get_driver (db), "userid", "$1");
      g_autofree char *sql = g_strdup_printf ("SELECT " COLUMNS " FROM {usermap} WHERE %s OR login = 'ANY' "
                                              "ORDER BY login, sock_allow, userid", cond);
      MwDbValue params[] = { MW_DB_TEXT (userid) };

      r = mw_db_exec (db, sql, params, 1, cancellable, error);
    }
  else
    r = mw_db_exec (db, "SELECT " COLUMNS " FROM {usermap} ORDER BY login, sock_allow, userid", NULL, 0, cancellable,
                    error);
  if (r == NULL)
    return NULL;
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *login = mw_db_result_get_string (r, i, 0);
      const char *user = mw_db_result_get_string (r, i, 3);

      /* ANY rows count for the account when their format yields its name. */
      if (userid != NULL && g_str_equal (login, MW_LOGIN_MAP_ANY) && g_ascii_strcasecmp (user, userid) != 0 &&
          !format_yields (user, userid, NULL))
        continue;
      g_ptr_array_add (out, map_from_row (r, i));
    }
  return g_steal_pointer (&out);
}

static MwLoginMap *
dbmail_add_login_map (MwLoginMapStore   *store,
                      const MwAdmin     *admin,
                      const MwLoginMap  *map,
                      GError           **error)
{
  g_autoptr(MwLoginMap) stored = NULL;
  g_autoptr(MwLoginMap) there = NULL;
  GError *local = NULL;
  gboolean ok;

  if (!begin_with_table (admin, error))
    return NULL;
  stored = check_map (admin, map, error);
  ok = stored != NULL;
  if (ok && (there = lock_row (admin, stored->login, stored->allow, stored->user, &local)) != NULL)
    ok = taken_sentence (stored, error);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      ok = FALSE;
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (stored->login), MW_DB_TEXT (stored->allow), MW_DB_TEXT (stored->deny),
                             MW_DB_TEXT (stored->user) };

      ok = _mw_admin_run_ok (admin, "INSERT INTO {usermap} (" COLUMNS ") VALUES ($1, $2, $3, $4)", params, 4, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  stored->key = make_key (stored->login, stored->allow, stored->user);
  audit_map (admin, "usermap.add", NULL, stored);
  return g_steal_pointer (&stored);
}

/* The row of @key, locked, or NULL with a sentence. */
static MwLoginMap *
row_of_key (const MwAdmin  *admin,
            const char     *key,
            GError        **error)
{
  g_autofree char *login = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *user = NULL;
  GError *local = NULL;
  MwLoginMap *old;

  if (!parse_key (key, &login, &allow, &user, error))
    return NULL;
  old = lock_row (admin, login, allow, user, &local);
  if (local != NULL)
    g_propagate_error (error, local);
  else if (old == NULL)
    g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                 _("The login map of “%s” to “%s” is not there any more: someone may have changed it. Reload "
                   "the list."), login, user);
  return old;
}

static MwLoginMap *
dbmail_update_login_map (MwLoginMapStore   *store,
                         const MwAdmin     *admin,
                         const char        *key,
                         const MwLoginMap  *map,
                         GError           **error)
{
  g_autoptr(MwLoginMap) old = NULL;
  g_autoptr(MwLoginMap) stored = NULL;
  gboolean ok;

  if (!begin_with_table (admin, error))
    return NULL;
  old = row_of_key (admin, key, error);
  ok = old != NULL && (stored = check_map (admin, map, error)) != NULL;
  if (ok && (g_strcmp0 (old->login, stored->login) != 0 || g_strcmp0 (old->allow, stored->allow) != 0 ||
             g_strcmp0 (old->user, stored->user) != 0))
    {
      GError *local = NULL;
      g_autoptr(MwLoginMap) there = lock_row (admin, stored->login, stored->allow, stored->user, &local);

      if (local != NULL)
        {
          g_propagate_error (error, local);
          ok = FALSE;
        }
      else if (there != NULL)
        ok = taken_sentence (stored, error);
    }
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (stored->login), MW_DB_TEXT (stored->allow), MW_DB_TEXT (stored->deny),
                             MW_DB_TEXT (stored->user), MW_DB_TEXT (old->login), MW_DB_TEXT (old->allow),
                             MW_DB_TEXT (old->user) };

      ok = _mw_admin_run_ok (admin, "UPDATE {usermap} SET login = $1, sock_allow = $2, sock_deny = $3, userid = $4 "
                             "WHERE login = $5 AND sock_allow = $6 AND userid = $7", params, 7, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  audit_map (admin, "usermap.change", old, stored);
  return g_steal_pointer (&old);
}

static MwLoginMap *
dbmail_delete_login_map (MwLoginMapStore  *store,
                         const MwAdmin    *admin,
                         const char       *key,
                         GError          **error)
{
  g_autoptr(MwLoginMap) old = NULL;
  gboolean ok;

  if (!begin_with_table (admin, error))
    return NULL;
  old = row_of_key (admin, key, error);
  ok = old != NULL;
  if (ok)
    {
      MwDbValue params[] = { MW_DB_TEXT (old->login), MW_DB_TEXT (old->allow), MW_DB_TEXT (old->user) };

      ok = _mw_admin_run_ok (admin, "DELETE FROM {usermap} WHERE login = $1 AND sock_allow = $2 AND userid = $3",
                             params, 3, error);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;
  audit_map (admin, "usermap.delete", old, NULL);
  return g_steal_pointer (&old);
}

static gboolean
insert_row (const MwAdmin  *admin,
            const char     *login,
            const char     *allow,
            const char     *deny,
            const char     *user,
            GError        **error)
{
  MwDbValue params[] = { MW_DB_TEXT (login), MW_DB_TEXT (allow), MW_DB_TEXT (deny), MW_DB_TEXT (user) };

  return _mw_admin_run_ok (admin, "INSERT INTO {usermap} (" COLUMNS ") VALUES ($1, $2, $3, $4)", params, 4, error);
}

/* Lock: every way DBMail could log in as @userid is refused.
 * - Its own rows (userid is the user: logins mapped to it) get the denied
 *   socket LOCK_SOCKET, so a login that reads them is refused.
 * - The name itself: a row (name, "", LOCK_SOCKET, name); without it a
 *   login typed as the name would find no row and log in as itself.
 * - Each ANY row whose format yields the name from a typed login that has
 *   no row of its own (whose typed login would reach the user only through
 *   ANY): a row (typed, "", LOCK_SOCKET, name). A typed login with rows of
 *   its own is left alone: it maps to whom those rows say.
 * Deny rows win over every allowed socket (DBMail stops at the first
 * denied match), so ANY rows cannot reopen the door. */
static gboolean
lock_user (const MwAdmin  *admin,
           const char     *userid,
           GError        **error)
{
  g_autofree char *cond = mw_sql_ci_equal (mw_db_get_driver (admin->db), "userid", "$2");
  g_autofree char *update = g_strdup_printf ("UPDATE {usermap} SET sock_deny = $1 WHERE %s", cond);
  MwDbValue params[] = { MW_DB_TEXT (LOCK_SOCKET), MW_DB_TEXT (userid) };
  g_autoptr(MwDbResult) any = NULL;
  GError *local = NULL;
  g_autoptr(MwLoginMap) own = NULL;

  if (!_mw_admin_run_ok (admin, update, params, 2, error))
    return FALSE;
  own = lock_row (admin, userid, "", userid, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (own == NULL && !insert_row (admin, userid, "", LOCK_SOCKET, userid, error))
    return FALSE;

  any = _mw_admin_run (admin, "SELECT userid FROM {usermap} WHERE login = 'ANY' ORDER BY userid", NULL, 0, error);
  if (any == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (any); i++)
    {
      g_autofree char *typed = NULL;
      MwDbValue p[1];
      gint64 n;

      if (!format_yields (mw_db_result_get_string (any, i, 0), userid, &typed))
        continue;
      p[0] = (MwDbValue) MW_DB_TEXT (typed);
      n = _mw_admin_run_int (admin, "SELECT count(*) FROM {usermap} WHERE login = $1", p, 1, error);
      if (n < 0)
        return FALSE;
      if (n == 0 && !insert_row (admin, typed, "", LOCK_SOCKET, userid, error))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
dbmail_set_account_login_maps (MwLoginMapStore    *store,
                               const MwAdmin      *admin,
                               const char         *account_key,
                               MwLoginMapsPreset   preset,
                               GPtrArray          *restore,
                               GError            **error)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_login_map_free);
  g_autofree char *userid = NULL;
  g_autofree char *cond = NULL;
  g_autofree char *n_before = NULL;
  g_autofree char *n_after = NULL;
  const char *action;
  gboolean exists;
  gint64 idnr;
  gboolean ok;

  if (!_mw_dbmail_parse_key (account_key, MW_DBMAIL_KEY_ACCOUNT, &idnr, error))
    return NULL;
  if (!table_exists (admin->db, &exists, NULL, error))
    return NULL;
  if (!exists && preset == MW_LOGIN_MAPS_CLEAR &&
      (userid = _mw_dbmail_check_user (admin->db, idnr, NULL, error)) != NULL)
    return g_steal_pointer (&before);   /* nothing to clear */
  if (!exists)
    {
      if (userid == NULL && (error == NULL || *error == NULL))
        refuse_no_table (error);
      return NULL;
    }
  if (!_mw_admin_begin (admin, error))
    return NULL;

  ok = (userid = _mw_dbmail_check_user (admin->db, idnr, NULL, error)) != NULL;
  if (ok)
    {
      g_autofree char *sql = NULL;
      MwDbValue params[] = { MW_DB_TEXT (userid) };
      g_autoptr(MwDbResult) r = NULL;

      cond = mw_sql_ci_equal (mw_db_get_driver (admin->db), "userid", "$1");
      sql = g_strdup_printf ("SELECT " COLUMNS " FROM {usermap} WHERE %s ORDER BY login, sock_allow FOR UPDATE", cond);
      r = _mw_admin_run (admin, sql, params, 1, error);
      ok = r != NULL;
      for (guint i = 0; ok && i < mw_db_result_get_n_rows (r); i++)
        g_ptr_array_add (before, map_from_row (r, i));
    }
  if (ok && preset == MW_LOGIN_MAPS_RESTORE)
    for (guint i = 0; ok && restore != NULL && i < restore->len; i++)
      {
        const MwLoginMap *m = g_ptr_array_index (restore, i);

        if (m->login == NULL || m->allow == NULL || m->deny == NULL || m->user == NULL ||
            g_ascii_strcasecmp (m->user, userid) != 0 || !g_utf8_validate (m->login, -1, NULL) ||
            !g_utf8_validate (m->allow, -1, NULL) || !g_utf8_validate (m->deny, -1, NULL))
          {
            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                         _("These login maps are not the user “%s”'s: nothing was put back."), userid);
            ok = FALSE;
          }
      }
  if (ok && preset != MW_LOGIN_MAPS_LOCK)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM {usermap} WHERE %s", cond);
      MwDbValue params[] = { MW_DB_TEXT (userid) };

      ok = _mw_admin_run_ok (admin, sql, params, 1, error);
    }
  switch (preset)
    {
    case MW_LOGIN_MAPS_LOCK:
      action = "usermap.lock";
      ok = ok && lock_user (admin, userid, error);
      break;
    case MW_LOGIN_MAPS_CLEAR:
      action = "usermap.clear";
      break;
    case MW_LOGIN_MAPS_RESTORE:
    default:
      action = "usermap.restore";
      for (guint i = 0; ok && restore != NULL && i < restore->len; i++)
        {
          const MwLoginMap *m = g_ptr_array_index (restore, i);

          ok = insert_row (admin, m->login, m->allow, m->deny, m->user, error);
        }
      break;
    }
  if (!_mw_admin_finish (admin, ok, error))
    return NULL;

  n_before = _mw_dbmail_int_text (before->len);
  n_after = _mw_dbmail_int_text (preset == MW_LOGIN_MAPS_RESTORE && restore != NULL ? restore->len : 0);
  {
    MwAuditField b[] = { { "maps", n_before } };
    MwAuditField a[] = { { "maps", n_after } };

    _mw_admin_audit (admin, action, userid, b, 1, a, preset == MW_LOGIN_MAPS_LOCK ? 0 : 1);
  }
  return g_steal_pointer (&before);
}

void
_mw_dbmail_usermap_iface_init (MwLoginMapStoreInterface *iface)
{
  iface->login_maps_table_exists = dbmail_login_maps_table_exists;
  iface->create_login_maps_table = dbmail_create_login_maps_table;
  iface->list_login_maps = dbmail_list_login_maps;
  iface->add_login_map = dbmail_add_login_map;
  iface->update_login_map = dbmail_update_login_map;
  iface->delete_login_map = dbmail_delete_login_map;
  iface->set_account_login_maps = dbmail_set_account_login_maps;
}

/* ------------------------------------------------------------------------ */
/* The Login Maps list                                                      */
/* ------------------------------------------------------------------------ */

MwListQuery *
_mw_dbmail_login_maps_query (MwSchema             *schema,
                             const MwListRequest  *req,
                             GError              **error)
{
  MwDbDriver driver = mw_schema_get_info (schema)->driver;
  GString *sql;
  const char *sort_col;
  MwListQuery *query;

  switch (req->sort)
    {
    case MW_SORT_DEFAULT:
    case MW_SORT_NAME: sort_col = "login"; break;
    case MW_SORT_OWNER: sort_col = "userid"; break;
    case MW_SORT_TARGET: sort_col = "sock_allow"; break;
    default:
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("This list cannot be sorted that way."));
      return NULL;
    }

  /* Without the table the list is there, and empty. */
  if (!known_table (schema))
    sql = g_string_new (driver == MW_DB_DRIVER_PGSQL
                        ? "SELECT '' AS login, '' AS sock_allow, '' AS sock_deny, '' AS userid, '' AS map_key "
                          "WHERE 1 = 0"
                        : "SELECT '' AS login, '' AS sock_allow, '' AS sock_deny, '' AS userid, '' AS map_key "
                          "FROM DUAL WHERE 1 = 0");
  else
    {
      /* The unique key (login, sock_allow, userid) as one column, for keyset paging. */
      g_autofree char *key = driver == MW_DB_DRIVER_PGSQL ? g_strdup ("login || chr(9) || sock_allow || chr(9) || userid")
                                                          : g_strdup ("CONCAT(login, CHAR(9), sock_allow, CHAR(9), userid)");

      sql = g_string_new (NULL);
      g_string_append_printf (sql, "SELECT login, sock_allow, sock_deny, userid, %s AS map_key FROM {usermap} "
                              "WHERE 1 = 1", key);
      if (req->search != NULL && req->search[0] != '\0')
        g_string_append (sql, " AND (lower(login) LIKE $1 OR lower(userid) LIKE $1 OR lower(sock_allow) LIKE $1 "
                              "OR lower(sock_deny) LIKE $1)");
    }

  query = mw_list_query_new (sql->str, sort_col, "map_key", req->descending);
  g_string_free (sql, TRUE);
  if (known_table (schema) && req->search != NULL && req->search[0] != '\0')
    {
      g_autofree char *value = mw_sql_like_contains (req->search);

      mw_list_query_add_text (query, value);
    }
  return query;
}

char *
_mw_dbmail_login_map_row_key (MwRecord *record)
{
  static const char *const ids[] = { "login", "allow", "user" };
  const char *parts[3];
  const MwListInfo *info = mw_dbmail_list_info (MW_LIST_LOGIN_MAPS);

  if (info == NULL || !mw_record_get_loaded (record))
    return NULL;
  for (guint i = 0; i < 3; i++)
    {
      const MwListColumn *column = mw_list_info_find_column (info, ids[i]);
      MwListValue value = { 0 };

      if (column == NULL)
        return NULL;
      mw_list_column_read_record (column, record, &value);
      parts[i] = value.text != NULL ? value.text : "";
    }
  return make_key (parts[0], parts[1], parts[2]);
}
