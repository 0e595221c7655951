/* test-import.c: CSV import and export of users, aliases and forwards on real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "mw-csv.h"
#include "mw-dbmail-import.h"
#include "mw-password.h"
#include "mw-test-db.h"

static const char *audit_path;  /* mw_test_private_audit_log () */

typedef struct
{
  MwTestDb *tdb;
  MwAdmin   admin;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, TRUE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  mw_test_db_add_user (f->tdb, "alice", 1, 0);       /* alias alice@example.org */
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  mw_test_db_free (f->tdb);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

static char *
snapshot (MwDb *db)
{
  static const char *const queries[] = {
    "SELECT user_idnr, userid, passwd, encryption_type, client_idnr, maxmail_size FROM dbmail_users ORDER BY user_idnr",
    "SELECT alias_idnr, alias, deliver_to, client_idnr FROM dbmail_aliases ORDER BY alias_idnr",
    "SELECT mailbox_idnr, owner_idnr, name FROM dbmail_mailboxes ORDER BY mailbox_idnr",
  };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    mw_test_db_append_rows (db, queries[q], out);
  return g_string_free (out, FALSE);
}

static const char *
error_of (MwImportPlan *plan,
          guint         line)
{
  for (guint i = 0; i < plan->errors->len; i++)
    {
      MwImportIssue *e = g_ptr_array_index (plan->errors, i);

      if (e->line == line)
        return e->message;
    }
  return NULL;
}

static void
assert_error (MwImportPlan *plan,
              guint         line,
              const char   *part)
{
  const char *message = error_of (plan, line);
  g_autofree char *prefix = g_strdup_printf ("Line %u: ", line);

  if (message == NULL)
    g_error ("no error for line %u", line);
  if (!g_str_has_prefix (message, prefix) || strstr (message, part) == NULL)
    g_error ("line %u: “%s” does not have “%s”", line, message, part);
}

static MwImportPlan *
prepare (MwDb                  *db,
         const char            *csv,
         const MwImportOptions *options)
{
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));
  g_autoptr(GError) error = NULL;
  MwImportPlan *plan = mw_dbmail_import_prepare (db, bytes, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

/* Every user the import made (all but the fixture's) has its INBOX; with
 * aliases, every one of group 7 has its alias. */
static void
assert_whole_users (Fixture *f)
{
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users u WHERE u.userid NOT IN "
                             "('__@!internal_delivery_user!@__', 'anyone', '__public__', 'alice') AND NOT EXISTS "
                             "(SELECT 1 FROM dbmail_mailboxes m WHERE m.owner_idnr = u.user_idnr AND m.name = 'INBOX')"),
                   ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users u WHERE u.client_idnr = 7 AND NOT EXISTS "
                             "(SELECT 1 FROM dbmail_aliases a WHERE a.deliver_to = CONCAT(u.user_idnr, '') "
                             "AND a.client_idnr = 7)"), ==, 0);
}

/* ------------------------------------------------------------------------ */

static const char bad_csv[] =
  "Name,Password,Quota,Group,Aliases\r\n"                        /* 1 */
  "bob,secret1,500M,3,bob@example.org b.smith@example.org\r\n"   /* 2 good */
  "\"o'hara; DROP TABLE x;--\",pw\"q,1G,0,\"oh@example.org,ohara@example.org\"\r\n" /* 3 good, quotes */
  "ALICE,pw,0,1,\r\n"                                           /* 4 taken but for case */
  "alice,pw,0,1,\r\n"                                           /* 5 taken */
  "BOB,pw,0,1,\r\n"                                             /* 6 twice in file but for case */
  "carl,pw,0,1,alice@example.org\r\n"                           /* 7 alias taken in db */
  "dora,pw,0,1,B.Smith@EXAMPLE.org\r\n"                         /* 8 alias twice in file */
  "eve,pw,0,1,@example.org\r\n"                                 /* 9 catch-all */
  "fred,pw,0,1,bad..dots@example.org\r\n"                      /* 10 invalid */
  "gina,pw,lots,1,\r\n"                                         /* 11 bad quota */
  "hugo,,0,1,\r\n"                                              /* 12 missing password */
  "ivy\xff\xfe,pw,0,1,\r\n"                                     /* 13 invalid UTF-8 */
  ",,,,\r\n"                                                    /* 14 skipped */
  "anyone,pw,0,1,\r\n"                                          /* 15 system account */
  "jo,pw,0,x,\r\n"                                              /* 16 bad group */
  "kim,pw,2G,5,kim@example.org\r\n";                            /* 17 good */

static void
test_preview_errors (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *before = snapshot (f->tdb->db);
  g_autofree char *after = NULL;
  g_autoptr(MwImportPlan) plan = prepare (f->tdb->db, bad_csv, NULL);
  MwImportUser *u;

  for (guint i = 0; i < plan->errors->len; i++)
    g_test_message ("%s", ((MwImportIssue *) g_ptr_array_index (plan->errors, i))->message);

  /* Line 3 has spaces in its name: refused; the rest as commented above. */
  assert_error (plan, 3, "contains a space");
  assert_error (plan, 4, "“alice” is already a user; DBMail does not tell names apart by case");
  assert_error (plan, 5, "“alice” is already a user.");
  assert_error (plan, 6, "already on line 2");
  assert_error (plan, 7, "alice@example.org");
  assert_error (plan, 8, "already given on line 2");
  assert_error (plan, 9, "@example.org");
  assert_error (plan, 10, "bad..dots@example.org");
  assert_error (plan, 11, "is not a quota");
  assert_error (plan, 12, "has no password");
  g_assert_nonnull (error_of (plan, 13));
  g_assert_nonnull (strstr (error_of (plan, 13), "Line 13 is not UTF-8"));
  g_assert_null (error_of (plan, 14));
  assert_error (plan, 15, "DBMail itself needs");
  assert_error (plan, 16, "not a number");
  g_assert_cmpuint (plan->errors->len, ==, 13);

  g_assert_cmpuint (plan->users->len, ==, 2);
  u = g_ptr_array_index (plan->users, 0);
  g_assert_cmpstr (u->name, ==, "bob");
  g_assert_cmpint (u->quota, ==, 500 << 20);
  g_assert_cmpint (u->group, ==, 3);
  g_assert_cmpuint (g_strv_length (u->aliases), ==, 2);
  u = g_ptr_array_index (plan->users, 1);
  g_assert_cmpstr (u->name, ==, "kim");
  g_assert_cmpint (u->quota, ==, G_GINT64_CONSTANT (2) << 30);

  after = snapshot (f->tdb->db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_file_errors (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const files[] = {
    "", "password,quota\nx,1\n", "name,password,colour\nbob,x,red\n", "name,name\nbob,bob\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (files[i], strlen (files[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(MwImportPlan) plan = mw_dbmail_import_prepare (f->tdb->db, bytes, NULL, NULL, &error);

      g_assert_null (plan);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    }
}

static void
test_run (Fixture       *f,
          gconstpointer  data)
{
  static const char csv[] =
    "name;password;scheme;passwd;encryption_type;quota;group;aliases\n"
    "bob;s3cret;;;;500M;3;bob@example.org b.smith@Example.ORG\n"
    "o'hara\"x;pa\"ss;md5-crypt;;;0;0;\"oh@example.org,ohara@example.org\"\n"
    "pre;;;$1$abcdefgh$0123456789abcdefghijkl;crypt;1024;4;\n"
    "plain;;;verbatim;;0;4;plain@example.org\n"
    "both;x;;y;;0;0;\n"
    "badtype;;;hash;rot13;0;0;\n";
  MwImportOptions options = { .default_scheme = "sha256-crypt", .batch_size = 2 };
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autofree char *log = NULL;
  gint64 bob;

  plan = prepare (f->tdb->db, csv, &options);
  assert_error (plan, 6, "not both");
  assert_error (plan, 7, "rot13");
  g_assert_cmpuint (plan->users->len, ==, 4);

  report = mw_dbmail_import_run (&f->admin, plan, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 4);
  g_assert_cmpuint (report->refused->len, ==, 2);

  bob = count (f, "SELECT user_idnr FROM dbmail_users WHERE userid = 'bob'");
  g_assert_cmpint (bob, >, 0);
  r = mw_db_exec (f->tdb->db, "SELECT passwd, encryption_type, client_idnr, maxmail_size FROM dbmail_users WHERE userid = 'bob'",
                  NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_db_result_get_string (r, 0, 1), ==, "crypt");
  g_assert_true (g_str_has_prefix (mw_db_result_get_string (r, 0, 0), "$5$"));
  g_assert_true (mw_password_verify ("crypt", mw_db_result_get_string (r, 0, 0), "s3cret", &error));
  g_assert_cmpint (mw_db_result_get_int64 (r, 0, 2), ==, 3);
  g_assert_cmpint (mw_db_result_get_int64 (r, 0, 3), ==, 500 << 20);
  g_clear_pointer (&r, mw_db_result_unref);

  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases a JOIN dbmail_users u "
                             "ON a.deliver_to = CONCAT(u.user_idnr, '') AND a.client_idnr = u.client_idnr "
                             "WHERE u.userid = 'bob' AND a.alias IN ('bob@example.org', 'b.smith@example.org')"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_mailboxes m JOIN dbmail_users u ON u.user_idnr = m.owner_idnr "
                             "WHERE m.name = 'INBOX' AND u.userid IN ('bob', 'o''hara\"x', 'pre', 'plain')"), ==, 4);

  r = mw_db_exec (f->tdb->db, "SELECT passwd, encryption_type FROM dbmail_users WHERE userid = 'o''hara\"x'",
                  NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (mw_db_result_get_string (r, 0, 0), "$1$"));
  g_assert_true (mw_password_verify (mw_db_result_get_string (r, 0, 1), mw_db_result_get_string (r, 0, 0), "pa\"ss", &error));
  g_clear_pointer (&r, mw_db_result_unref);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias IN ('oh@example.org', 'ohara@example.org')"), ==, 2);

  /* Pre-hashed values are stored verbatim. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'pre' AND passwd = "
                             "'$1$abcdefgh$0123456789abcdefghijkl' AND encryption_type = 'crypt' AND maxmail_size = 1024 "
                             "AND client_idnr = 4"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'plain' AND passwd = 'verbatim' "
                             "AND encryption_type = ''"), ==, 1);
  assert_whole_users (f);

  /* One audit entry per batch, without hashes. */
  g_assert_true (g_file_get_contents (audit_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "\"user.import\""));
  g_assert_null (strstr (log, "$5$"));
  g_assert_null (strstr (log, "verbatim"));
}

/* No byte of a refused line that a terminal would act on reaches the
 * message, and names follow the aliases' rule on invisible characters. */
static void
test_control_characters (Fixture       *f,
                         gconstpointer  data)
{
  static const char csv[] =
    "name,password,aliases,group,scheme\n"
    "esc\x1b[2Jname,pw,,,\n"                 /* 2 */
    "rtl\u202Eevil,pw,,,\n"                  /* 3 */
    "zero\u200Bwidth,pw,,,\n"                /* 4 */
    "ok1,pw,a\x1b[1m\x07@example.org,,\n"    /* 5 */
    "ok2,pw,,\x1b[7m,\n"                     /* 6 */
    "ok3,pw,,,sha\x1b[0m\n"                  /* 7 */
    "ok4,pw,,,\n";                           /* 8 good */
  g_autoptr(MwImportPlan) plan = prepare (f->tdb->db, csv, NULL);

  g_assert_cmpuint (plan->users->len, ==, 1);
  g_assert_cmpuint (plan->errors->len, ==, 6);
  g_assert_cmpstr (error_of (plan, 2), ==, "Line 2: The user name “esc\uFFFD[2Jname” contains a control character "
                                           "or an invisible character (U+001B). Remove it.");
  assert_error (plan, 3, "(U+202E)");
  assert_error (plan, 4, "(U+200B)");
  assert_error (plan, 5, "The alias “a\uFFFD[1m\uFFFD@example.org” is refused");
  assert_error (plan, 6, "The group “\uFFFD[7m” is not a number.");
  assert_error (plan, 7, "“sha\uFFFD[0m” is not a password scheme");
  for (guint i = 0; i < plan->errors->len; i++)
    {
      const char *message = ((MwImportIssue *) g_ptr_array_index (plan->errors, i))->message;

      g_assert_null (strstr (message, "spaces, tabs"));
      for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
        g_assert_false (mw_address_is_forbidden_char (g_utf8_get_char (p)));
    }
}

typedef struct
{
  MwDb      *watcher;     /* another session on the same database */
  GPtrArray *lines;       /* "name password" */
  guint      calls;
  guint      fail_at;     /* the call that fails */
} Hook;

/* Stands for the CLI's password report: records each batch's users, checks
 * that they are not yet visible to another session, fails on fail_at. */
static gboolean
on_before_commit (GPtrArray  *users,
                  gpointer    data,
                  GError    **error)
{
  Hook *hook = data;
  g_autoptr(GString) in = g_string_new (NULL);

  if (++hook->calls == hook->fail_at)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "No space left on device");
      return FALSE;
    }
  for (guint i = 0; i < users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (users, i);

      g_assert_true (u->generated);
      g_assert_nonnull (u->account_key);
      g_assert_cmpint (g_ascii_strtoll (u->account_key, NULL, 10), >, 0);
      g_ptr_array_add (hook->lines, g_strdup_printf ("%s %s", u->name, u->password));
      g_string_append_printf (in, "%s'%s'", i > 0 ? ", " : "", u->name);
    }
  {
    g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE userid IN (%s)", in->str);
    g_autoptr(GError) local_error = NULL;
    g_autoptr(MwDbResult) r = mw_db_exec (hook->watcher, q, NULL, 0, NULL, &local_error);

    g_assert_no_error (local_error);
    g_assert_cmpint (mw_db_result_get_int64 (r, 0, 0), ==, 0);
  }
  return TRUE;
}

/* The batch hook runs before each commit; when it fails, that batch is
 * rolled back and the import stops: every user in the database is in what
 * the hook recorded, with a password that matches. */
static void
test_before_commit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MwDb) watcher = NULL;
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MwDbResult) r = NULL;
  Hook hook = { .lines = lines, .fail_at = 3 };
  MwImportOptions options = { .default_scheme = "md5-crypt", .generate_passwords = TRUE, .batch_size = 2,
                              .before_commit = on_before_commit, .before_commit_data = &hook };

  watcher = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  hook.watcher = watcher;

  plan = prepare (f->tdb->db, "name\ng1\ng2\ng3\ng4\ng5\ng6\n", &options);
  report = mw_dbmail_import_run (&f->admin, plan, &options, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_assert_cmpuint (hook.calls, ==, 3);
  g_assert_cmpuint (lines->len, ==, 4);
  g_clear_error (&error);

  r = mw_db_exec (f->tdb->db, "SELECT userid, passwd, encryption_type FROM dbmail_users WHERE userid LIKE 'g_' "
                  "ORDER BY userid", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (r), ==, 4);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      g_auto(GStrv) line = g_strsplit (g_ptr_array_index (lines, i), " ", 2);
      g_autoptr(GError) verify_error = NULL;

      g_assert_cmpstr (line[0], ==, mw_db_result_get_string (r, i, 0));
      g_assert_true (mw_password_verify (mw_db_result_get_string (r, i, 2), mw_db_result_get_string (r, i, 1),
                                         line[1], &verify_error));
      g_assert_no_error (verify_error);
    }
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *before = snapshot (f->tdb->db);
  g_autofree char *after = NULL;
  g_autoptr(MwImportPlan) plan = prepare (f->tdb->db, "name,password\nzed,pw\n", NULL);
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MwAdmin dry = f->admin;

  dry.dry_run = TRUE;
  report = mw_dbmail_import_run (&dry, plan, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 0);
  g_assert_cmpuint (report->planned, ==, 1);
  after = snapshot (f->tdb->db);
  g_assert_cmpstr (before, ==, after);
}

/* A user created between the preview and the run refuses only its line. */
static void
test_race (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(MwImportPlan) plan = prepare (f->tdb->db,
                                          "name,password,aliases\nr1,pw,r1@example.org\nr2,pw,r2@example.org\n"
                                          "r3,pw,r3@example.org\n", NULL);
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MwImportOptions options = { .default_scheme = "md5-crypt" };

  mw_test_db_add_user (f->tdb, "R2", 0, 0);
  report = mw_dbmail_import_run (&f->admin, plan, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 2);
  g_assert_cmpuint (report->refused->len, ==, 1);
  g_assert_nonnull (strstr (((MwImportIssue *) g_ptr_array_index (report->refused, 0))->message, "Line 3:"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid IN ('r1', 'r3')"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE lower(userid) = 'r2'"), ==, 1);  /* only R2 */
}

static GString *
many_users (guint n)
{
  GString *csv = g_string_new ("name,password,group,aliases\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "user%05u,pw%u,7,user%05u@example.net\n", i, i, i);
  return csv;
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
} Progress;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  Progress *p = data;

  p->calls++;
  g_cancellable_cancel (p->cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GString) csv = many_users (1000);
  g_autoptr(MwImportPlan) plan = prepare (f->tdb->db, csv->str, NULL);
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  MwImportOptions options = { .default_scheme = "md5-crypt", .batch_size = 100 };
  Progress p = { cancellable, 0 };

  report = mw_dbmail_import_run (&f->admin, plan, &options, on_progress, &p, cancellable, &error);
  g_assert_no_error (error);
  g_assert_true (report->cancelled);
  g_assert_cmpuint (p.calls, ==, 1);
  g_assert_cmpuint (report->created, ==, 100);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE client_idnr = 7"), ==, 100);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE client_idnr = 7"), ==, 100);
  assert_whole_users (f);
}

static void
on_count (guint64  done,
          guint64  total,
          gpointer data)
{
  (*(guint *) data)++;
}

static void
test_many (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GString) csv = many_users (1000);
  g_autoptr(MwImportPlan) plan = prepare (f->tdb->db, csv->str, NULL);
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  MwImportOptions options = { .default_scheme = "md5-crypt" };
  guint batches = 0;

  g_remove (audit_path);
  report = mw_dbmail_import_run (&f->admin, plan, &options, on_count, &batches, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1000);
  g_assert_cmpuint (batches, ==, 4);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE client_idnr = 7"), ==, 1000);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases a JOIN dbmail_users u "
                             "ON a.deliver_to = CONCAT(u.user_idnr, '') WHERE a.client_idnr = 7 "
                             "AND a.alias = CONCAT(u.userid, '@example.net')"), ==, 1000);
  assert_whole_users (f);
  g_assert_true (g_file_get_contents (audit_path, &log, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (log), "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 4);
  }
}

static char *
export (MwDb       *db,
        MwListKind  kind,
        const char *search)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  MwListRequest request = { .kind = kind, .search = search };
  guint64 rows = 0;

  g_assert_true (mw_dbmail_export_csv (db, &request, out, &rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) csv = many_users (1200);
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportPlan) plan2 = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwTestDb) other = mw_test_db_new (data, TRUE);
  MwImportOptions options = { .default_scheme = "md5-crypt", .generate_passwords = TRUE };
  MwAdmin admin2 = { .db = other->db, .profile = "test" };
  g_autofree char *users = NULL;
  g_autofree char *aliases = NULL;
  g_autofree char *forwards = NULL;
  g_autofree char *users2 = NULL;
  g_autofree char *q = NULL;
  const char *sql = "SELECT u.userid, u.client_idnr, u.maxmail_size, a.alias, a.client_idnr FROM dbmail_users u "
                    "JOIN dbmail_aliases a ON a.deliver_to = CONCAT(u.user_idnr, '') ORDER BY u.userid, a.alias";

  g_string_append (csv, "quoted,pw,9,\"q1@example.org;q2@example.org\"\n");
  plan = prepare (f->tdb->db, csv->str, &options);
  report = mw_dbmail_import_run (&f->admin, plan, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1201);
  g_clear_pointer (&report, mw_import_report_free);
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_aliases (alias, deliver_to, client_idnr) "
                           "VALUES ('list@example.org', 'x@elsewhere.example', 0)");

  users = export (f->tdb->db, MW_LIST_USERS, NULL);
  g_assert_true (g_str_has_prefix (users, "name,number,group,quota,used,last_login,encryption_type,active,aliases\r\n"));
  g_assert_nonnull (strstr (users, "q1@example.org q2@example.org"));
  g_assert_null (strstr (users, "$1$"));
  aliases = export (f->tdb->db, MW_LIST_ALIASES, "q1");
  g_assert_true (g_str_has_prefix (aliases, "alias,deliver_to,user,group\r\nq1@example.org,"));
  forwards = export (f->tdb->db, MW_LIST_FORWARDS, NULL);
  g_assert_cmpstr (forwards, ==, "alias,target,owner,group\r\nlist@example.org,x@elsewhere.example,,0\r\n");

  /* Without a password column the lines are refused unless passwords are generated. */
  plan2 = prepare (other->db, users, NULL);
  g_assert_cmpuint (plan2->users->len, ==, 0);
  assert_error (plan2, 2, "has no password");
  g_clear_pointer (&plan2, mw_import_plan_free);

  plan2 = prepare (other->db, users, &options);
  g_assert_cmpuint (plan2->errors->len, ==, 0);
  g_assert_cmpuint (plan2->users->len, ==, 1202);  /* alice too */
  g_assert_true (((MwImportUser *) g_ptr_array_index (plan2->users, 0))->generated);
  report = mw_dbmail_import_run (&admin2, plan2, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1202);

  {
    g_autoptr(MwDbResult) a = mw_db_exec (f->tdb->db, sql, NULL, 0, NULL, &error);
    g_autoptr(MwDbResult) b = mw_db_exec (other->db, sql, NULL, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (mw_db_result_get_n_rows (a), ==, 1203);
    g_assert_cmpuint (mw_db_result_get_n_rows (a), ==, mw_db_result_get_n_rows (b));
    for (guint i = 0; i < mw_db_result_get_n_rows (a); i++)
      for (guint c = 0; c < 5; c++)
        g_assert_cmpstr (mw_db_result_get_string (a, i, c), ==, mw_db_result_get_string (b, i, c));
  }
  /* A generated password is what was stored. */
  {
    MwImportUser *u = g_ptr_array_index (plan2->users, 5);
    g_autofree char *stored = NULL;

    q = g_strdup_printf ("SELECT passwd FROM dbmail_users WHERE userid = '%s'", u->name);
    stored = mw_test_db_string (other, q);
    g_assert_true (mw_password_verify ("crypt", stored, u->password, &error));
  }
  users2 = export (other->db, MW_LIST_USERS, "quoted");
  g_assert_nonnull (strstr (users2, "quoted,"));
}

/* Names and aliases a spreadsheet would run as formulas are exported after
 * an apostrophe (OWASP), and an import of the export creates them as they
 * were; so does a name that really starts with an apostrophe. */
static void
test_formula_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  static const char *const names[] = {
    "=cmd|'/Ccalc'!A0", "+SUM(1+1)", "@SUM(A1)", "-minus", "'=quoted", "''+two", "o'hara",
  };
  g_autoptr(MwTestDb) other = mw_test_db_new (data, TRUE);
  MwAdmin admin2 = { .db = other->db, .profile = "test" };
  MwImportOptions options = { .default_scheme = "md5-crypt", .generate_passwords = TRUE };
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportPlan) plan2 = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *users = NULL;
  g_autofree char *aliases = NULL;
  g_autofree char *forwards = NULL;
  const char *sql = "SELECT u.userid, a.alias FROM dbmail_users u LEFT JOIN dbmail_aliases a "
                    "ON a.deliver_to = CONCAT(u.user_idnr, '') ORDER BY u.userid, a.alias";

  mw_csv_append_record (csv, (const char *const[]) { "name", "aliases" }, 2, ',');
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    mw_csv_append_record (csv, (const char *const[]) { names[i], i == 0 ? "=x@example.org +y@example.org" : "" }, 2, ',');
  plan = prepare (f->tdb->db, csv->str, &options);
  g_assert_cmpuint (plan->errors->len, ==, 0);
  report = mw_dbmail_import_run (&f->admin, plan, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, G_N_ELEMENTS (names));
  g_clear_pointer (&report, mw_import_report_free);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid = '''=quoted'"), ==, 1);
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_aliases (alias, deliver_to, client_idnr) "
                           "VALUES ('-fw@example.org', '+t@example.net', 0)");

  users = export (f->tdb->db, MW_LIST_USERS, NULL);
  g_assert_nonnull (strstr (users, "\r\n'=cmd|'/Ccalc'!A0,"));
  g_assert_nonnull (strstr (users, ",'=x@example.org +y@example.org\r\n"));
  g_assert_nonnull (strstr (users, "\r\n'+SUM(1+1),"));
  g_assert_nonnull (strstr (users, "\r\n'@SUM(A1),"));
  g_assert_nonnull (strstr (users, "\r\n'-minus,"));
  g_assert_nonnull (strstr (users, "\r\n''=quoted,"));
  g_assert_nonnull (strstr (users, "\r\n'''+two,"));
  g_assert_nonnull (strstr (users, "\r\no'hara,"));
  aliases = export (f->tdb->db, MW_LIST_ALIASES, "example.org");
  g_assert_nonnull (strstr (aliases, "\r\n'=x@example.org,"));
  g_assert_nonnull (strstr (aliases, "\r\n'+y@example.org,"));
  forwards = export (f->tdb->db, MW_LIST_FORWARDS, NULL);
  g_assert_cmpstr (forwards, ==, "alias,target,owner,group\r\n'-fw@example.org,'+t@example.net,,0\r\n");
  /* No cell of any export starts a formula. */
  {
    const char *exports[] = { users, aliases, forwards };

    for (guint e = 0; e < G_N_ELEMENTS (exports); e++)
      {
        const char *p = exports[e];

        for (const char *start = p; *p != '\0'; p++)
          if ((p == start || p[-1] == ',' || p[-1] == '\n') && strchr ("=+-@\t", *p) != NULL)
            g_error ("a cell starts with “%c” in:\n%s", *p, exports[e]);
      }
  }

  plan2 = prepare (other->db, users, &options);
  g_assert_cmpuint (plan2->errors->len, ==, 0);
  report = mw_dbmail_import_run (&admin2, plan2, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, G_N_ELEMENTS (names) + 1);   /* alice too */
  {
    g_autoptr(MwDbResult) a = mw_db_exec (f->tdb->db, sql, NULL, 0, NULL, &error);
    g_autoptr(MwDbResult) b = mw_db_exec (other->db, sql, NULL, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (mw_db_result_get_n_rows (a), ==, mw_db_result_get_n_rows (b));
    for (guint i = 0; i < mw_db_result_get_n_rows (a); i++)
      for (guint c = 0; c < 2; c++)
        g_assert_cmpstr (mw_db_result_get_string (a, i, c), ==, mw_db_result_get_string (b, i, c));
  }
}

/* ------------------------------------------------------------------------ */
/* mailwarden-cli import / export, the real binary                          */
/* ------------------------------------------------------------------------ */

static int
run_cli_va (char       **out,
            char       **err,
            const char  *first,
            va_list      ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("MW_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static int
run_cli (char       **out,
         const char  *first,
         ...)
{
  g_autofree char *err = NULL;
  va_list ap;
  int status;

  va_start (ap, first);
  status = run_cli_va (out, &err, first, ap);
  va_end (ap);
  return status;
}

static int
run_cli_err (char       **out,
             char       **err,
             const char  *first,
             ...)
{
  va_list ap;
  int status;

  va_start (ap, first);
  status = run_cli_va (out, err, first, ap);
  va_end (ap);
  return status;
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  MwTestDb *tdb = f->tdb;
  g_autofree char *dir = g_dir_make_tmp ("mw-import-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "users.csv", NULL);
  g_autofree char *report = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *exported = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *uri = tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *before = snapshot (tdb->db);
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (csv, "name,password,quota,aliases\nnew1,pw1,1M,n1@example.org\n"
                                           "Alice,pw,0,\nnew2,,0,n2@example.org\n", -1, NULL));
  g_assert_cmpint (run_cli (&out, "--db", uri, "import", csv, "--dry-run", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "Line 3: “alice” is already a user"));
  g_assert_nonnull (strstr (out, "Line 4: “new2” has no password"));
  g_assert_nonnull (strstr (out, "1 user would be created; 2 lines refused."));
  after = snapshot (tdb->db);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (&out, "--db", uri, "import", csv, "--scheme", "md5-crypt",
                            "--generate-passwords", report, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "2 users created; 1 line refused."));
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid IN ('new1', 'new2')"), ==, 2);
  g_assert_true (g_file_get_contents (report, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "name,password\r\nnew2,"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (&out, "--db", uri, "export", "users", "--search", "new", "--sort", "quota", "--desc", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "name,number,group,quota,used,last_login,encryption_type,active,aliases\r\nnew1,"));
  g_assert_nonnull (strstr (out, ",n2@example.org\r\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (&out, "--db", uri, "export", "aliases", "--output", exported, NULL), ==, 0);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (exported, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "n1@example.org,"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (&out, "--db", uri, "export", "domains", NULL), ==, 1);

  g_remove (csv);
  g_remove (report);
  g_remove (exported);
  g_rmdir (dir);
}

/* Every user of the database but the fixture's is in the report, with a
 * password that matches its hash (every step-th one checked); returns how
 * many lines the report has. */
static guint
assert_report_covers (Fixture    *f,
                      const char *path,
                      const char *prefix,
                      guint       step)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MwCsvReader) reader = NULL;
  g_autoptr(GHashTable) passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT userid, passwd, encryption_type FROM dbmail_users "
                                          "WHERE userid LIKE '%s%%' ORDER BY userid", prefix);
  GStatBuf st;
  gsize len;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  bytes = g_bytes_new (text, len);
  reader = mw_csv_reader_new (bytes, ',');
  for (;;)
    {
      g_auto(GStrv) fields = NULL;

      if (!mw_csv_reader_next (reader, &fields, NULL, &error))
        break;
      g_assert_cmpuint (g_strv_length (fields), ==, 2);
      if (!g_str_equal (fields[0], "name"))
        g_hash_table_insert (passwords, g_strdup (fields[0]), g_strdup (fields[1]));
    }
  g_assert_no_error (error);

  r = mw_db_exec (f->tdb->db, sql, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *name = mw_db_result_get_string (r, i, 0);
      const char *password = g_hash_table_lookup (passwords, name);

      if (password == NULL)
        g_error ("%s was created, but its password is not in the report", name);
      if (i % step == 0)
        g_assert_true (mw_password_verify (mw_db_result_get_string (r, i, 2), mw_db_result_get_string (r, i, 1),
                                           password, &error));
      g_assert_no_error (error);
    }
  return g_hash_table_size (passwords);
}

/* The report of generated passwords: created (owner-only, never over an
 * existing file) before anything is imported, and each batch's lines in it
 * before the batch commits, so that an import stopped halfway leaves no
 * user whose password is nowhere. */
static void
test_cli_password_report (Fixture       *f,
                          gconstpointer  data)
{
  MwTestDb *tdb = f->tdb;
  g_autofree char *dir = g_dir_make_tmp ("mw-import-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "users.csv", NULL);
  g_autofree char *big = g_build_filename (dir, "big.csv", NULL);
  g_autofree char *report = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *report2 = g_build_filename (dir, "report2.csv", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no-such-dir", "report.csv", NULL);
  g_autofree char *uri = tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", tdb->settings->user, tdb->database, tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", tdb->settings->user, tdb->database, tdb->settings->socket);
  g_autofree char *before = snapshot (tdb->db);
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GString) more = g_string_new ("name\n");

  /* A report that cannot be written: nothing is imported. */
  g_assert_true (g_file_set_contents (big, "name\nnobody\n", -1, NULL));
  g_assert_cmpint (run_cli_err (&out, &err, "--db", uri, "import", big, "--generate-passwords", nowhere, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Cannot create the password report"));
  g_assert_nonnull (strstr (err, "Nothing was imported."));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (report2, "earlier passwords\n", -1, NULL));
  g_assert_cmpint (run_cli_err (&out, &err, "--db", uri, "import", big, "--generate-passwords", report2, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  after = snapshot (tdb->db);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Three batches; the report has them all and nothing else. */
  for (guint i = 0; i < 600; i++)
    g_string_append_printf (more, "user%05u\n", i);
  g_assert_true (g_file_set_contents (csv, more->str, -1, NULL));
  g_assert_cmpint (run_cli_err (&out, &err, "--db", uri, "import", csv, "--scheme", "md5-crypt",
                                "--generate-passwords", report, NULL), ==, 0);
  g_assert_cmpuint (assert_report_covers (f, report, "user", 1), ==, 600);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid LIKE 'user%'"), ==, 600);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Killed halfway: every user the database has is in the report. Ten
   * times sha512-crypt's usual rounds (about 15 ms a hash) keep the import
   * running long after its first batch, however many cores hash. */
  g_remove (report);
  g_string_assign (more, "name\n");
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (more, "kill%05u\n", i);
  g_assert_true (g_file_set_contents (big, more->str, -1, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                    &error, g_getenv ("MW_CLI"), "--db", uri, "import", big,
                                                    "--scheme", "sha512-crypt", "--rounds", "50000",
                                                    "--generate-passwords", report, NULL);
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    gboolean killed = FALSE;

    g_assert_no_error (error);
    while (g_get_monotonic_time () < deadline)
      {
        /* Once a batch has committed: those users must be in the report. */
        if (count (f, "SELECT count(*) FROM dbmail_users WHERE userid LIKE 'kill%'") > 0)
          {
            g_subprocess_force_exit (proc);
            killed = TRUE;
            break;
          }
        g_usleep (5000);
      }
    g_subprocess_wait (proc, NULL, &error);
    g_assert_no_error (error);
    /* Before the fix the report was written only at the end. */
    g_assert_true (killed);
    g_assert_true (g_subprocess_get_if_signaled (proc));
  }
  {
    guint lines = assert_report_covers (f, report, "kill", 25);
    gint64 created = count (f, "SELECT count(*) FROM dbmail_users WHERE userid LIKE 'kill%'");

    g_test_message ("killed after %" G_GINT64_FORMAT " users of 3000; the report has %u", created, lines);
    g_assert_cmpint (created, >, 0);
    g_assert_cmpint (created, <, 3000);
  }

  g_remove (csv);
  g_remove (big);
  g_remove (report);
  g_remove (report2);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  mw_test_init (&argc, &argv);
  audit_path = mw_test_private_audit_log ();

#define ADD(path, func) \
  G_STMT_START { \
    g_test_add ("/pg/import/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, fixture_tear_down); \
    g_test_add ("/mysql/import/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, fixture_tear_down); \
  } G_STMT_END

  ADD ("preview-errors", test_preview_errors);
  ADD ("file-errors", test_file_errors);
  ADD ("run", test_run);
  ADD ("dry-run", test_dry_run);
  ADD ("control-characters", test_control_characters);
  ADD ("before-commit", test_before_commit);
  ADD ("race", test_race);
  ADD ("cancel", test_cancel);
  ADD ("many", test_many);
  ADD ("round-trip", test_round_trip);
  ADD ("formula-round-trip", test_formula_round_trip);
  ADD ("cli", test_cli);
  ADD ("cli-password-report", test_cli_password_report);
#undef ADD

  rc = mw_test_run ();
  return rc;
}
