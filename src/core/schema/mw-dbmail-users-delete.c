/* mw-dbmail-users-delete.c: the DBMail flavour, write side: deleting users and groups with all they own.
 *
 * One transaction records what goes (the users, their mailboxes, the
 * addresses only they receive, the message bodies only they hold) in
 * temporary tables, counts it for the summary, and deletes it; a dry run
 * stops at the summary. Follows DBMAIL-FACTS.md: an alias delivers to a
 * user when deliver_to is the user's number in decimal, read as DBMail
 * reads it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-users-delete"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-dbmail-admin.h"
#include "mw-dbmail-private.h"
#include "mw-sql-dialect.h"

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

/* The login maps that lead to the users (dbmail_usermap has no foreign
 * key; DBMail compares the user's name without case), where the table is
 * there. ANY rows stay: they are everyone's. */
static gboolean
delete_login_maps (const MwAdmin  *admin,
                   MwDbDriver      driver,
                   GError        **error)
{
  g_autofree char *name = g_strconcat (mw_db_get_prefix (admin->db), "usermap", NULL);
  MwDbValue params[] = { MW_DB_TEXT (name) };
  g_autoptr(MwDbResult) tables = _mw_admin_run (admin, mw_sql_tables_query (driver), params, 1, error);
  g_autofree char *ci_map = mw_sql_ci (driver, "userid");
  g_autofree char *ci_user = mw_sql_ci (driver, "x.userid");
  g_autofree char *sql = NULL;
  gboolean exists = FALSE;

  if (tables == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (tables); i++)
    exists = exists || g_ascii_strcasecmp (mw_db_result_get_string (tables, i, 0), name) == 0;
  if (!exists)
    return TRUE;
  sql = g_strdup_printf ("DELETE FROM {usermap} WHERE login <> 'ANY' AND %s IN (SELECT %s FROM {users} x "
                         "JOIN mw_doomed_users u ON u.id = x.user_idnr)", ci_map, ci_user);
  return _mw_admin_run_ok (admin, sql, NULL, 0, error);
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
      cond = g_strdup ("user_idnr = $1 AND " MW_DBMAIL_NOT_SYSTEM ("userid"));
      target = _mw_dbmail_int_text (user_idnr);
    }
  else
    {
      params[0] = MW_DB_INT64 (group);
      cond = g_strdup ("client_idnr = $1 AND " MW_DBMAIL_NOT_SYSTEM ("userid"));
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
            g_autofree char *number = _mw_dbmail_int_text (group);

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
           delete_login_maps (admin, driver, error) &&
           _mw_admin_run_ok (admin, "DELETE FROM {users} WHERE user_idnr IN (SELECT id FROM mw_doomed_users)", NULL, 0, error);
    }
  temp_tables_drop (admin);

  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  if (summary != NULL)
    *summary = s;

  {
    g_autofree char *n_users = _mw_dbmail_int_text (s.users);
    g_autofree char *n_messages = _mw_dbmail_int_text (s.messages);
    g_autofree char *n_bytes = _mw_dbmail_int_text (s.bytes);
    g_autofree char *n_aliases = _mw_dbmail_int_text (s.aliases);
    g_autofree char *n_forwards = _mw_dbmail_int_text (s.forwards);
    MwAuditField before[] = {
      { "users", names }, { "count", n_users }, { "messages", n_messages }, { "bytes", n_bytes },
      { "aliases", n_aliases }, { "forwards", n_forwards },
    };

    _mw_admin_audit (admin, user_idnr > 0 ? "user.delete" : "group.delete", target, before, G_N_ELEMENTS (before), NULL, 0);
  }
  return TRUE;
}
