/* test-vmail-schema.c: mw_schema_detect() on the real ISPmail and PostfixAdmin
 * schemas (sql/ispmail, sql/postfixadmin), on PostgreSQL and MariaDB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mw-schema.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

/* Every table PostfixAdmin 3.3's upgrade code makes. */
static const char *const postfixadmin_all_tables[] = {
  "admin", "alias", "alias_domain", "config", "domain", "domain_admins", "fetchmail", "log", "mailbox",
  "quota", "quota2", "vacation", "vacation_notification",
};

static MwSchemaInfo *
detect (MwTestDb *tdb)
{
  g_autoptr(GError) error = NULL;
  MwSchemaInfo *info = mw_schema_detect (tdb->db, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

/* What mw_schema_open() says; it must make no object yet. */
static void
assert_open_fails (MwTestDb   *tdb,
                   GQuark      domain,
                   int         code,
                   const char *message)
{
  g_autoptr(GError) error = NULL;
  MwSchema *schema = mw_schema_open (tdb->db, NULL, &error);

  g_assert_null (schema);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, message);
}

/* PostfixAdmin is managed (test-postfixadmin.c): mw_schema_open makes its object. */
static void
assert_opens_postfixadmin (MwTestDb *tdb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSchema) schema = mw_schema_open (tdb->db, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (schema);
  g_assert_cmpint (mw_schema_get_info (schema)->kind, ==, MW_SCHEMA_POSTFIXADMIN);
}

static void
assert_describes (const MwSchemaInfo *info,
                  const char         *start)
{
  g_autofree char *description = mw_schema_info_describe (info);
  g_autofree char *expected = g_strconcat (start, " on ", info->server_version, NULL);

  g_assert_cmpstr (description, ==, expected);
}

static void
test_postfixadmin (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSchemaInfo) info = NULL;

  mw_test_vmail_load_schema (tdb, "postfixadmin");
  info = detect (tdb);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_POSTFIXADMIN);
  g_assert_cmpstr (info->flavour, ==, "postfixadmin");
  g_assert_cmpint (info->schema_version, ==, 1847);
  g_assert_cmpstr (info->prefix, ==, "");
  g_assert_cmpint (info->driver, ==, tdb->driver);
  g_assert_true (info->unique_domain_names);
  assert_describes (info, "PostfixAdmin 3.3 (schema 1847)");
  assert_opens_postfixadmin (tdb);

  /* A schema version no known release leaves: the number alone. */
  mw_test_db_exec (tdb, "UPDATE config SET value = '1849' WHERE name = 'version'");
  g_clear_pointer (&info, mw_schema_info_free);
  info = detect (tdb);
  g_assert_cmpint (info->schema_version, ==, 1849);
  assert_describes (info, "PostfixAdmin (schema 1849)");
  assert_opens_postfixadmin (tdb);
}

/* $CONF['database_prefix'] = 'pfa_': every table renamed, found whatever
 * prefix the connection's profile names. */
static void
test_postfixadmin_prefix (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSchemaInfo) info = NULL;

  mw_test_vmail_load_schema (tdb, "postfixadmin");
  for (guint i = 0; i < G_N_ELEMENTS (postfixadmin_all_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s RENAME TO pfa_%s",
                                              postfixadmin_all_tables[i], postfixadmin_all_tables[i]);
      mw_test_db_exec (tdb, sql);
    }
  /* An unrelated table whose name ends like one of PostfixAdmin's. */
  mw_test_db_exec (tdb, "CREATE TABLE webmail_config (id INT)");

  info = detect (tdb);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_POSTFIXADMIN);
  g_assert_cmpstr (info->flavour, ==, "postfixadmin");
  g_assert_cmpstr (info->prefix, ==, "pfa_");
  g_assert_cmpint (info->schema_version, ==, 1847);
  assert_describes (info, "PostfixAdmin 3.3 (schema 1847)");
}

/* A PostfixAdmin database with its mailbox table gone: named. */
static void
test_postfixadmin_incomplete (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  mw_test_vmail_load_schema (tdb, "postfixadmin");
  mw_test_db_exec (tdb, "DROP TABLE mailbox");
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE);
  g_assert_cmpstr (error->message, ==,
                   "This looks like a PostfixAdmin database, but these tables are missing: mailbox.");
  g_clear_error (&error);

  /* Under a prefix, the missing table with it. */
  mw_test_db_exec (tdb, "DROP TABLE quota2");
  for (guint i = 0; i < G_N_ELEMENTS (postfixadmin_all_tables); i++)
    {
      g_autofree char *sql = NULL;

      if (g_str_equal (postfixadmin_all_tables[i], "mailbox") || g_str_equal (postfixadmin_all_tables[i], "quota2"))
        continue;
      sql = g_strdup_printf ("ALTER TABLE %s RENAME TO pfa_%s", postfixadmin_all_tables[i], postfixadmin_all_tables[i]);
      mw_test_db_exec (tdb, sql);
    }
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE);
  g_assert_cmpstr (error->message, ==,
                   "This looks like a PostfixAdmin database, but these tables are missing: pfa_mailbox, pfa_quota2.");
}

static void
test_ispmail (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSchemaInfo) info = NULL;

  /* The Debian 13 edition: a unique key on the domain's name. */
  mw_test_vmail_load_schema (tdb, "ispmail");
  info = detect (tdb);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_ISPMAIL);
  g_assert_cmpstr (info->flavour, ==, "ispmail");
  g_assert_cmpstr (info->prefix, ==, "");
  g_assert_cmpint (info->schema_version, ==, 0);
  g_assert_true (info->unique_domain_names);
  assert_describes (info, "ISPmail");
  /* Managed since issue 17's ISPmail flavour (test-ispmail). */
  {
    g_autoptr(MwSchema) schema = mw_schema_open (tdb->db, NULL, NULL);

    g_assert_true (MW_IS_SCHEMA (schema));
  }
  g_clear_pointer (&info, mw_schema_info_free);

  /* The Debian 11 and 12 editions: none. An index on name that is not
   * unique, or a unique one over more columns, is none either. */
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    mw_test_db_exec (tdb, "ALTER TABLE virtual_domains DROP CONSTRAINT virtual_domains_name_key");
  else
    mw_test_db_exec (tdb, "ALTER TABLE virtual_domains DROP INDEX name");
  mw_test_db_exec (tdb, "CREATE INDEX virtual_domains_name ON virtual_domains (name)");
  mw_test_db_exec (tdb, "CREATE UNIQUE INDEX virtual_domains_name_id ON virtual_domains (name, id)");
  info = detect (tdb);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_ISPMAIL);
  g_assert_cmpstr (info->flavour, ==, "ispmail");
  g_assert_false (info->unique_domain_names);
  assert_describes (info, "ISPmail");
}

/* ISPmail with a table missing, and a virtual_users of another layout
 * (the Lenny edition's "user" column instead of "email"). */
static void
test_ispmail_incomplete (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  mw_test_vmail_load_schema (tdb, "ispmail");
  mw_test_db_exec (tdb, "DROP TABLE virtual_aliases");
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE);
  g_assert_cmpstr (error->message, ==,
                   "This looks like an ISPmail database, but these tables are missing: virtual_aliases.");
  g_clear_error (&error);

  mw_test_db_exec (tdb, "CREATE TABLE virtual_aliases (id INT, domain_id INT, source VARCHAR(100), "
                   "destination VARCHAR(100))");
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    mw_test_db_exec (tdb, "ALTER TABLE virtual_users RENAME COLUMN email TO \"user\"");
  else
    mw_test_db_exec (tdb, "ALTER TABLE virtual_users CHANGE email user VARCHAR(100) NOT NULL");
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INCOMPLETE);
  g_assert_true (g_str_has_prefix (error->message, "This looks like an ISPmail database, but its table "
                                   "“virtual_users” lacks columns Mailwarden needs: "));
}

/* A database that holds none of them: what is there, and what was sought. */
static void
test_not_mail (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const more[] = { "sessions", "tags", "votes", "wiki" };

  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE);
  g_assert_cmpstr (error->message, ==,
                   "This database has no tables, so no mail schema Mailwarden knows: DBMail (a table "
                   "“dbmail_users”), ISPmail or PostfixAdmin.");
  g_clear_error (&error);

  mw_test_db_exec (tdb, "CREATE TABLE posts (id INT)");
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE);
  g_assert_cmpstr (error->message, ==,
                   "This database has the table posts but no mail schema Mailwarden knows: DBMail (a table "
                   "“dbmail_users”), ISPmail or PostfixAdmin.");
  g_clear_error (&error);

  /* Names PostfixAdmin also uses, but none that only it has. */
  mw_test_db_exec (tdb, "CREATE TABLE users (id INT)");
  mw_test_db_exec (tdb, "CREATE TABLE config (name VARCHAR(20), value VARCHAR(20))");
  mw_test_db_exec (tdb, "CREATE TABLE log (id INT)");
  mw_test_db_exec (tdb, "CREATE TABLE admin (id INT)");
  mw_test_db_exec (tdb, "CREATE TABLE domain (id INT)");
  info = mw_schema_detect (tdb->db, NULL, &error);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE);
  g_assert_cmpstr (error->message, ==,
                   "This database has the tables admin, config, domain, log, posts, users but no mail schema "
                   "Mailwarden knows: DBMail (a table “dbmail_users”), ISPmail or PostfixAdmin.");
  g_clear_error (&error);

  /* Many: the first six, sorted, and a sign there are more. */
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    {
      g_autofree char *sql = g_strdup_printf ("CREATE TABLE %s (id INT)", more[i]);
      mw_test_db_exec (tdb, sql);
    }
  assert_open_fails (tdb, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,
                     "This database has the tables admin, config, domain, log, posts, sessions, … but no mail "
                     "schema Mailwarden knows: DBMail (a table “dbmail_users”), ISPmail or PostfixAdmin.");
}

/* DBMail beside them is still DBMail: it comes first. */
static void
test_dbmail_first (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, TRUE);
  g_autoptr(MwSchemaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSchema) schema = NULL;

  mw_test_vmail_load_schema (tdb, "ispmail");
  info = detect (tdb);
  g_assert_cmpint (info->kind, ==, MW_SCHEMA_DBMAIL_3);
  g_assert_cmpstr (info->flavour, ==, "dbmail-3");
  g_assert_cmpstr (info->prefix, ==, "dbmail_");
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/vmail/postfixadmin", test_postfixadmin);
  mw_test_add_both ("/vmail/postfixadmin-prefix", test_postfixadmin_prefix);
  mw_test_add_both ("/vmail/postfixadmin-incomplete", test_postfixadmin_incomplete);
  mw_test_add_both ("/vmail/ispmail", test_ispmail);
  mw_test_add_both ("/vmail/ispmail-incomplete", test_ispmail_incomplete);
  mw_test_add_both ("/vmail/not-mail", test_not_mail);
  mw_test_add_both ("/vmail/dbmail-first", test_dbmail_first);

  return mw_test_run ();
}
