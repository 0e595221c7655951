/* test-unit.c: the parts of the core that need no server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mw-db.h"
#include "mw-imap-utf7.h"
#include "mw-sql-dialect.h"

static void
test_uri_pg (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) s = mw_db_settings_parse_uri ("postgresql://mail%40admin:p%40ss@db.example.org:6543/dbmail"
                                                        "?sslmode=verify-full&prefix=mail_&connect_timeout=4",
                                                        &error);

  g_assert_no_error (error);
  g_assert_cmpint (s->driver, ==, MW_DB_DRIVER_PGSQL);
  g_assert_cmpstr (s->user, ==, "mail@admin");
  g_assert_cmpstr (s->password, ==, "p@ss");
  g_assert_cmpstr (s->host, ==, "db.example.org");
  g_assert_cmpuint (s->port, ==, 6543);
  g_assert_cmpstr (s->database, ==, "dbmail");
  g_assert_cmpint (s->tls_mode, ==, MW_DB_TLS_VERIFY_FULL);
  g_assert_cmpstr (mw_db_settings_get_prefix (s), ==, "mail_");
  g_assert_cmpuint (s->connect_timeout, ==, 4);
}

static void
test_uri_socket (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) pg = mw_db_settings_parse_uri ("postgresql://postgres@/mail?host=/run/postgresql", &error);
  g_autoptr(MwDbSettings) my = NULL;
  g_autofree char *display = NULL;

  g_assert_no_error (error);
  g_assert_null (pg->host);
  g_assert_cmpstr (pg->socket, ==, "/run/postgresql");
  g_assert_null (pg->password);
  g_assert_cmpstr (mw_db_settings_get_prefix (pg), ==, "dbmail_");

  my = mw_db_settings_parse_uri ("mysql://root:secret@localhost/dbmail?socket=/run/mysqld/mysqld.sock", &error);
  g_assert_no_error (error);
  g_assert_cmpint (my->driver, ==, MW_DB_DRIVER_MYSQL);
  g_assert_cmpstr (my->socket, ==, "/run/mysqld/mysqld.sock");
  display = mw_db_settings_to_display_uri (my);
  g_assert_null (strstr (display, "secret"));
}

static void
test_uri_errors (void)
{
  const char *bad[] = {
    "oracle://x/y",
    "postgresql://host/db?prefix=bad-prefix",
    "postgresql://host/db?prefix=a;DROP",
    "postgresql://host/db?sslmode=sometimes",
    "postgresql://host/",
    "not a uri",
    "mysql://host/db?connect_timeout=soon",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDbSettings) s = mw_db_settings_parse_uri (bad[i], &error);

      g_assert_null (s);
      g_assert_nonnull (error);
      g_assert_true (error->domain == MW_DB_ERROR);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* Settings that would do nothing are refused: a misspelt name, TLS where
 * the driver never uses it (a local socket), names the server cannot take. */
static void
test_uri_refused (void)
{
  g_autofree char *user63 = g_strnfill (63, 'u');
  g_autofree char *user64 = g_strnfill (64, 'u');
  g_autofree char *db65 = g_strnfill (65, 'd');
  struct { const char *uri; const char *says; } bad[] = {
    { "postgresql://u@db.example.org/mail?sslmod=require", "unknown setting “sslmod”" },
    { "mysql://u@db.example.org/mail?tls=require&SSLMODE=x", "unknown setting “SSLMODE”" },
    { "postgresql://u@/mail?host=/run/postgresql&sslmode=verify-full", "cannot apply to a local socket" },
    { "postgresql://u@/mail?sslmode=require", "cannot apply to a local socket" },
    { "mysql://u@localhost/mail?tls=require", "cannot apply to a local socket" },
    { "mysql://u@/mail?socket=/run/mysqld/mysqld.sock&ssl-mode=verify_identity", "cannot apply to a local socket" },
  };
  const char *good[] = {
    "postgresql://u@db.example.org/mail?sslmode=verify-full",
    "postgresql://u@localhost/mail?sslmode=require",
    "postgresql://u@/mail?host=/run/postgresql&sslmode=prefer",
    "mysql://u@127.0.0.1/mail?tls=verify-full",
    "mysql://u@localhost/mail?socket=/run/mysqld/mysqld.sock&tls=disable",
  };

  g_unsetenv ("PGHOST");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDbSettings) settings = mw_db_settings_parse_uri (bad[i].uri, &error);

      g_test_message ("%s", bad[i].uri);
      g_assert_null (settings);
      g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS);
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDbSettings) settings = mw_db_settings_parse_uri (good[i], &error);

      g_test_message ("%s", good[i]);
      g_assert_no_error (error);
      g_assert_nonnull (settings);
    }

  /* PostgreSQL's names are at most 63 bytes; MariaDB's databases 64 characters. */
  {
    g_autoptr(MwDbSettings) s = mw_db_settings_new (MW_DB_DRIVER_PGSQL);
    g_autoptr(GError) error = NULL;

    s->database = g_strdup ("mail");
    s->host = g_strdup ("db.example.org");
    s->user = g_strdup (user63);
    g_assert_true (mw_db_settings_validate (s, &error));
    g_assert_no_error (error);
    g_free (s->user);
    s->user = g_strdup (user64);
    g_assert_false (mw_db_settings_validate (s, &error));
    g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS);
  }
  {
    g_autoptr(MwDbSettings) s = mw_db_settings_new (MW_DB_DRIVER_MYSQL);
    g_autoptr(GError) error = NULL;

    s->host = g_strdup ("db.example.org");
    s->user = g_strdup (user64);
    s->database = g_strdup (db65);
    g_assert_false (mw_db_settings_validate (s, &error));
    g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_INVALID_SETTINGS);
    g_assert_nonnull (strstr (error->message, "database name"));
  }
}

static void
test_prefix (void)
{
  g_autofree char *long_prefix = g_strnfill (33, 'a');

  g_assert_true (mw_db_prefix_is_valid ("dbmail_"));
  g_assert_true (mw_db_prefix_is_valid (""));
  g_assert_true (mw_db_prefix_is_valid ("Mail2_"));
  g_assert_false (mw_db_prefix_is_valid ("db-mail"));
  g_assert_false (mw_db_prefix_is_valid ("x\"y"));
  g_assert_false (mw_db_prefix_is_valid ("x y"));
  g_assert_false (mw_db_prefix_is_valid ("é_"));
  g_assert_false (mw_db_prefix_is_valid (long_prefix));
}

static void
test_like (void)
{
  g_autofree char *a = mw_sql_like_escape ("50%_off\\");
  g_autofree char *b = mw_sql_like_contains ("ALICE%");

  g_assert_cmpstr (a, ==, "50\\%\\_off\\\\");
  g_assert_cmpstr (b, ==, "%alice\\%%");
}

static void
test_row_compare (void)
{
  const char *cols[] = { "t.userid", "t.user_idnr" };
  g_autofree char *pg = mw_sql_row_compare (MW_DB_DRIVER_PGSQL, cols, 2, 3, FALSE, FALSE);
  g_autofree char *pg_desc = mw_sql_row_compare (MW_DB_DRIVER_PGSQL, cols, 2, 1, TRUE, TRUE);
  g_autofree char *my = mw_sql_row_compare (MW_DB_DRIVER_MYSQL, cols, 2, 3, FALSE, TRUE);

  g_assert_cmpstr (pg, ==, "(t.userid, t.user_idnr) > ($3, $4)");
  g_assert_cmpstr (pg_desc, ==, "(t.userid, t.user_idnr) <= ($1, $2)");
  g_assert_cmpstr (my, ==, "(t.userid >= $3 AND (t.userid > $3 OR (t.userid = $3 AND (t.user_idnr >= $4))))");
}

static void
test_utf7 (void)
{
  struct { const char *stored; const char *shown; } cases[] = {
    { "INBOX", "INBOX" },
    { "&AMk-t&AOk-", "Été" },
    { "Archive/2025", "Archive/2025" },
    { "Tom &- Jerry", "Tom & Jerry" },
    { "&ZeVnLIqe-", "日本語" },
    { "Entw&APw-rfe", "Entwürfe" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = mw_imap_utf7_decode (cases[i].stored);
      g_autofree char *stored = mw_imap_utf7_encode (cases[i].shown);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_cmpstr (stored, ==, cases[i].stored);
    }

  /* Malformed names are shown as stored, never dropped. */
  {
    g_autofree char *bad = mw_imap_utf7_decode ("&&&broken");
    g_assert_cmpstr (bad, ==, "&&&broken");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/unit/uri/pg", test_uri_pg);
  g_test_add_func ("/unit/uri/socket", test_uri_socket);
  g_test_add_func ("/unit/uri/errors", test_uri_errors);
  g_test_add_func ("/unit/uri/refused", test_uri_refused);
  g_test_add_func ("/unit/prefix", test_prefix);
  g_test_add_func ("/unit/like", test_like);
  g_test_add_func ("/unit/row-compare", test_row_compare);
  g_test_add_func ("/unit/imap-utf7", test_utf7);

  return g_test_run ();
}
