/* test-vmail-import.c: mailboxes from CSV into ISPmail and PostfixAdmin
 * databases (mw-vmail-import.c) on PostgreSQL and MariaDB: the rows the
 * flavour's single add writes, passwords the real Dovecot accepts (plain
 * ones hashed, hashed ones kept), PostfixAdmin's own PHP reading an
 * imported mailbox, bad lines refused with a sentence, a batch that fails
 * leaving nothing behind, and mailwarden-cli's export read back by its
 * import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account.h"
#include "mw-csv.h"
#include "mw-import.h"
#include "mw-schema.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
  gboolean  pfa;
} Fixture;

/* SQL without the {table} substitution (the "{SHA512-CRYPT}" must stay). */
static void
sql (Fixture    *f,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static void
sql (Fixture    *f,
     const char *format,
     ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (!mw_db_exec_script (f->tdb->db, text, &error))
    g_error ("%s\n%s", error->message, text);
}

/* ISPmail: example.org with alice, bücher.example empty. PostfixAdmin:
 * example.org (at most 3 mailboxes, 100 MB a mailbox, 400 MB in all) with
 * alice, bücher.example without limits, off.example disabled. */
static void
set_up (Fixture       *f,
        gconstpointer  driver,
        gboolean       pfa)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *alice = mw_test_vmail_hash ("SHA512-CRYPT", "alice-secret");

  f->tdb = mw_test_db_new (driver, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  f->pfa = pfa;
  mw_test_vmail_load_schema (f->tdb, pfa ? "postfixadmin" : "ispmail");
  if (!pfa)
    {
      sql (f, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('xn--bcher-kva.example')");
      sql (f, "INSERT INTO virtual_users (domain_id, email, password, quota) "
           "SELECT id, 'alice@example.org', '%s', 0 FROM virtual_domains WHERE name = 'example.org'", alice);
    }
  else
    {
      sql (f, "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, backupmx, "
           "active) VALUES ('ALL', '', 0, 0, 0, 0, '', '0', '1'), "
           "('example.org', '', 10, 3, 100, 400, 'virtual', '0', '1'), "
           "('xn--bcher-kva.example', '', 0, 0, 0, 0, 'virtual', '0', '1'), "
           "('off.example', '', 0, 0, 0, 0, 'virtual', '0', '0')");
      sql (f, "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) VALUES "
           "('alice@example.org', '%s', 'Alice', 'example.org/alice/', 51200000, 'alice', 'example.org', '1')",
           alice);
      sql (f, "INSERT INTO alias (address, goto, domain, active) VALUES "
           "('alice@example.org', 'alice@example.org', 'example.org', '1')");
    }
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_can (f->schema, MW_SCHEMA_CAN_IMPORT));
}

static void
tear_down (Fixture *f)
{
  g_assert_finalize_object (f->schema);
  mw_test_db_free (f->tdb);
}

static gint64
count (Fixture    *f,
       const char *query)
{
  return mw_test_db_int (f->tdb, query);
}

/* The mailboxes, aliases and PostfixAdmin's log, to show nothing changed. */
static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  if (f->pfa)
    {
      mw_test_db_append_rows (f->tdb->db, "SELECT username, password, name, maildir, quota, domain, "
                              "CASE WHEN active THEN 1 ELSE 0 END FROM mailbox ORDER BY username", out);
      mw_test_db_append_rows (f->tdb->db, "SELECT address, goto FROM alias ORDER BY address", out);
      mw_test_db_append_rows (f->tdb->db, "SELECT count(*) FROM log", out);
    }
  else
    {
      mw_test_db_append_rows (f->tdb->db, "SELECT email, password, quota FROM virtual_users ORDER BY email", out);
      mw_test_db_append_rows (f->tdb->db, "SELECT source, destination FROM virtual_aliases ORDER BY source", out);
    }
  return g_string_free (out, FALSE);
}

static MwImportPlan *
prepare (Fixture               *f,
         const char            *csv,
         const MwImportOptions *options)
{
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));
  g_autoptr(GError) error = NULL;
  MwImportPlan *plan = mw_schema_import_prepare (f->schema, f->tdb->db, bytes, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

static char *
messages (GPtrArray *issues)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < issues->len; i++)
    g_string_append_printf (out, "%s\n", ((MwImportIssue *) g_ptr_array_index (issues, i))->message);
  return g_string_free (out, FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

/* Good lines: rows as the single add writes them, passwords Dovecot takes. */
static void
check_rows (gconstpointer driver,
            gboolean      pfa)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(MwTestVmail) v = NULL;
  g_autofree char *dave = mw_test_vmail_hash ("BLF-CRYPT", "dave-secret");
  g_autofree char *csv = NULL;
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;

  set_up (f, driver, pfa);
  v = mw_test_vmail_new (f->tdb, pfa ? MW_TEST_VMAIL_POSTFIXADMIN : MW_TEST_VMAIL_ISPMAIL);
  csv = pfa ? g_strdup_printf ("address,password,name,quota,active,aliases\r\n"
                               "carol@example.org,carol-secret,Carol Groß,10M,1,c@example.org\r\n"
                               "Dave@Example.ORG,%s,Dave,20M,yes,\r\n"
                               "OHara@bücher.example,\"pa'ss,word\"\"1\",Ö'Hara,,0,\r\n", dave)
            : g_strdup_printf ("address,password,quota,aliases\r\n"
                               "carol@example.org,carol-secret,10M,c@example.org\r\n"
                               "Dave@Example.ORG,%s,20M,\r\n"
                               "OHara@bücher.example,\"pa'ss,word\"\"1\",,\r\n", dave);
  plan = prepare (f, csv, NULL);
  refused = messages (plan->errors);
  g_assert_cmpstr (refused, ==, "");
  g_assert_cmpuint (plan->users->len, ==, 3);
  g_assert_cmpstr (((MwImportUser *) plan->users->pdata[1])->name, ==, "dave@example.org");
  g_assert_cmpstr (((MwImportUser *) plan->users->pdata[2])->name, ==, "ohara@xn--bcher-kva.example");

  report = mw_schema_import_run (f->schema, &f->admin, plan, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 3);
  g_assert_cmpuint (report->refused->len, ==, 0);

  if (pfa)
    {
      g_autofree char *carol = mw_test_db_string (f->tdb, "SELECT concat(name, '|', maildir, '|', quota, '|', "
                                                  "local_part, '|', domain) FROM mailbox "
                                                  "WHERE username = 'carol@example.org'");
      g_autofree char *hara = mw_test_db_string (f->tdb, "SELECT concat(name, '|', maildir, '|', quota) FROM mailbox "
                                                 "WHERE username = 'ohara@xn--bcher-kva.example'");

      g_assert_cmpstr (carol, ==, "Carol Groß|example.org/carol/|10485760|carol|example.org");
      g_assert_cmpstr (hara, ==, "Ö'Hara|xn--bcher-kva.example/ohara/|0");
      g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE username = 'dave@example.org' AND "
                              "password LIKE '{BLF-CRYPT}%'"), ==, 1);
      g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE username = 'ohara@xn--bcher-kva.example' "
                              "AND NOT active"), ==, 1);
      g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE created > '2001-01-01' AND "
                              "modified > '2001-01-01' AND password_expiry > now()"), ==, 3);
      /* Each mailbox's own alias row, and c@ going to carol. */
      g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = goto"), ==, 4);
      g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE address = 'c@example.org' AND "
                              "goto = 'carol@example.org'"), ==, 1);
      /* PostfixAdmin's log: create_alias and create_mailbox for each, and the alias. */
      g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE action = 'create_mailbox'"), ==, 3);
      g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE action = 'create_alias'"), ==, 4);
    }
  else
    {
      g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users"), ==, 4);
      g_assert_cmpint (count (f, "SELECT quota FROM virtual_users WHERE email = 'carol@example.org'"), ==, 10485760);
      g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users u JOIN virtual_domains d ON d.id = u.domain_id "
                              "WHERE u.email = 'ohara@xn--bcher-kva.example' AND "
                              "d.name = 'xn--bcher-kva.example'"), ==, 1);
      g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases WHERE source = 'c@example.org' AND "
                              "destination = 'carol@example.org'"), ==, 1);
    }

  /* The real Postfix and Dovecot. */
  {
    g_autofree char *to = mw_test_vmail_postmap (v, "virtual_alias_maps", "c@example.org");

    g_assert_cmpstr (to, ==, "carol@example.org");
  }
  g_assert_true (mw_test_vmail_auth (v, "carol@example.org", "carol-secret", NULL));
  g_assert_false (mw_test_vmail_auth (v, "carol@example.org", "Carol-secret", NULL));
  g_assert_true (mw_test_vmail_auth (v, "dave@example.org", "dave-secret", NULL));
  /* PostfixAdmin's password_query asks for active = '1': the disabled one is refused. */
  g_assert_true (mw_test_vmail_auth (v, "ohara@xn--bcher-kva.example", "pa'ss,word\"1", NULL) == !pfa);

  g_clear_pointer (&v, mw_test_vmail_free);
  tear_down (f);
}

static void
test_ispmail_rows (gconstpointer driver)
{
  check_rows (driver, FALSE);
}

static void
test_postfixadmin_rows (gconstpointer driver)
{
  check_rows (driver, TRUE);
}

/* Bad lines: each refused with its sentence, the good ones imported, the
 * tables otherwise as they were. */
static void
check_bad_lines (gconstpointer driver,
                 gboolean      pfa)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GString) csv = g_string_new ("address,password,quota,aliases\n");
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *long_local = g_strnfill (pfa ? 250 : 95, 'x');

  set_up (f, driver, pfa);
  g_string_append (csv, "not an address,pw1,,\n");                                       /* 2 */
  g_string_append (csv, "ALICE@example.org,pw2,1M,\n");                                    /* 3 */
  g_string_append_printf (csv, "%s@example.org,pw3,1M,\n", long_local);                    /* 4 */
  g_string_append (csv, "bad\xff@example.org,pw4,,\n");                                 /* 5 */
  g_string_append (csv, "\"x@example.org'); DROP TABLE alias;--\",pw5,1M,\n");            /* 6 */
  g_string_append (csv, "eve@nowhere.example,pw6,1M,\n");                                  /* 7 */
  g_string_append (csv, "frank@example.org,pw7,1M,alice@example.org\n");                 /* 8 */
  g_string_append (csv, "gina@example.org,,1M,\n");                                      /* 9 */
  g_string_append (csv, "hugo@example.org,{NOPE}abc,1M,\n");                             /* 10 */
  g_string_append (csv, "ivan@example.org,pw,1M,\n");                                    /* 11: good */
  g_string_append (csv, "IVAN@example.org,pw,1M,\n");                                    /* 12 */
  g_string_append (csv, "jo@example.org,pw,1M,alias@nowhere.example\n");                 /* 13 */
  g_string_append (csv, "kim@example.org,pw,lots,\n");                                   /* 14 */
  if (pfa)
    {
      g_string_append (csv, "lea@example.org,pw,200M,\n");                              /* 15: over maxquota */
      g_string_append (csv, "max@example.org,pw,1M,\n");                                /* 16: good (3rd) */
      g_string_append (csv, "nina@example.org,pw,1M,\n");                               /* 17: a 4th */
      g_string_append (csv, "otto@off.example,pw,1M,\n");                               /* 18 */
    }
  before = snapshot (f);
  plan = prepare (f, csv->str, NULL);
  text = messages (plan->errors);
  g_test_message ("%s", text);
  assert_contains (text, "Line 2: ");
  assert_contains (text, "Line 3: The address “alice@example.org” is taken: a mailbox has it (letters may differ "
                         "in case).");
  assert_contains (text, "Line 4: The local part");
  assert_contains (text, "it can have at most 64.");
  assert_contains (text, "Line 5 is not UTF-8 text.");
  assert_contains (text, "Line 6: ");
  assert_contains (text, "Line 7: The domain “nowhere.example” is not in this database");
  assert_contains (text, "Line 8: The alias “alice@example.org” is taken: a mailbox has this address.");
  assert_contains (text, "Line 9: “gina@example.org” has no password.");
  assert_contains (text, "Line 10: The password is hashed as {NOPE}");
  assert_contains (text, "Line 12: The address “ivan@example.org” is already on line 11");
  assert_contains (text, "Line 13: The alias “alias@nowhere.example” is refused: The domain “nowhere.example” is "
                         "not in this database");
  assert_contains (text, "Line 14: ");
  g_assert_null (strstr (text, "Line 11:"));
  if (pfa)
    {
      assert_contains (text, "Line 15: The quota is larger than the domain “example.org” allows a mailbox: "
                             "at most 100 MB");
      g_assert_null (strstr (text, "Line 16:"));
      assert_contains (text, "Line 17: The domain “example.org” would have more than the 3 mailboxes its limit "
                             "allows.");
      assert_contains (text, "Line 18: The domain “off.example” is disabled");
    }
  g_assert_cmpuint (plan->errors->len, ==, pfa ? 15 : 12);
  g_assert_cmpuint (plan->users->len, ==, pfa ? 2 : 1);

  /* Nothing written by the plan, nor by a dry run. */
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  {
    MwAdmin dry = f->admin;
    g_autoptr(MwImportReport) dry_report = NULL;

    dry.dry_run = TRUE;
    dry_report = mw_schema_import_run (f->schema, &dry, plan, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dry_report->created, ==, 0);
    g_assert_cmpuint (dry_report->planned, ==, plan->users->len);
    g_free (after);
    after = snapshot (f);
    g_assert_cmpstr (before, ==, after);
  }

  report = mw_schema_import_run (f->schema, &f->admin, plan, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, pfa ? 2 : 1);
  g_assert_cmpuint (report->refused->len, ==, plan->errors->len);
  if (pfa)
    g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox"), ==, 3);
  else
    g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users"), ==, 2);
  g_assert_cmpint (count (f, pfa ? "SELECT count(*) FROM alias" : "SELECT count(*) FROM virtual_aliases"), ==,
                   pfa ? 3 : 0);
  tear_down (f);
}

static void
test_ispmail_bad_lines (gconstpointer driver)
{
  check_bad_lines (driver, FALSE);
}

static void
test_postfixadmin_bad_lines (gconstpointer driver)
{
  check_bad_lines (driver, TRUE);
}

/* The hook of the second batch refuses: the first batch stays, nothing of
 * the second is left behind, and the run fails with the hook's error. */
static gboolean
fail_second_batch (GPtrArray  *users,
                   gpointer    data,
                   GError    **error)
{
  guint *calls = data;

  if (++*calls < 2)
    return TRUE;
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "disk full");
  return FALSE;
}

static void
check_batches (gconstpointer driver,
               gboolean      pfa)
{
  Fixture fx = { 0 }, *f = &fx;
  const char *csv = "address,password,aliases\n"
                    "p1@xn--bcher-kva.example,pw,a1@xn--bcher-kva.example\n"
                    "p2@xn--bcher-kva.example,pw,a2@xn--bcher-kva.example\n"
                    "p3@xn--bcher-kva.example,pw,a3@xn--bcher-kva.example\n"
                    "p4@xn--bcher-kva.example,pw,a4@xn--bcher-kva.example\n";
  MwImportOptions options = { 0 };
  guint calls = 0;
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  set_up (f, driver, pfa);
  options.batch_size = 2;
  options.before_commit = fail_second_batch;
  options.before_commit_data = &calls;
  plan = prepare (f, csv, &options);
  g_assert_cmpuint (plan->users->len, ==, 4);
  report = mw_schema_import_run (f->schema, &f->admin, plan, &options, NULL, NULL, NULL, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_assert_null (report);
  if (pfa)
    {
      g_assert_cmpint (count (f, "SELECT count(*) FROM mailbox WHERE domain = 'xn--bcher-kva.example'"), ==, 2);
      g_assert_cmpint (count (f, "SELECT count(*) FROM alias WHERE domain = 'xn--bcher-kva.example'"), ==, 4);
      g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE data LIKE '%p3@%' OR data LIKE '%a3@%'"), ==, 0);
      g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE data LIKE '%p2@%'"), ==, 2);
    }
  else
    {
      g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_users WHERE email LIKE 'p%'"), ==, 2);
      g_assert_cmpint (count (f, "SELECT count(*) FROM virtual_aliases"), ==, 2);
    }
  g_assert_cmpint (count (f, pfa ? "SELECT count(*) FROM mailbox WHERE username = 'p3@xn--bcher-kva.example'"
                                 : "SELECT count(*) FROM virtual_users WHERE email = 'p3@xn--bcher-kva.example'"), ==, 0);

  /* A line taken by someone else after the plan: refused alone, its alias
   * not left behind, the others created. */
  g_clear_pointer (&plan, mw_import_plan_free);
  g_clear_error (&error);
  plan = prepare (f, "address,password,aliases\n"
                     "q1@bücher.example,pw,qa1@bücher.example\n"
                     "q2@bücher.example,pw,qa2@bücher.example\n"
                     "q3@bücher.example,pw,qa3@bücher.example\n", NULL);
  g_assert_cmpuint (plan->users->len, ==, 3);
  if (pfa)
    sql (f, "INSERT INTO alias (address, goto, domain, active) VALUES ('qa2@xn--bcher-kva.example', "
         "'x@elsewhere.net', 'xn--bcher-kva.example', '1')");
  else
    sql (f, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, "
         "'qa2@xn--bcher-kva.example', 'x@elsewhere.net' FROM virtual_domains WHERE name = 'xn--bcher-kva.example'");
  report = mw_schema_import_run (f->schema, &f->admin, plan, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  text = messages (report->refused);
  g_assert_cmpstr (text, ==, "Line 3: The alias “qa2@bücher.example” is taken: it is an alias or a forward already.\n");
  g_assert_cmpuint (report->created, ==, 2);
  g_assert_cmpint (count (f, pfa ? "SELECT count(*) FROM mailbox WHERE username LIKE 'q%'"
                                 : "SELECT count(*) FROM virtual_users WHERE email LIKE 'q%'"), ==, 2);
  g_assert_cmpint (count (f, pfa ? "SELECT count(*) FROM mailbox WHERE username = 'q2@xn--bcher-kva.example'"
                                 : "SELECT count(*) FROM virtual_users WHERE email = 'q2@xn--bcher-kva.example'"), ==, 0);
  if (pfa)
    g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE data LIKE '%q2@%'"), ==, 0);
  tear_down (f);
}

static void
test_ispmail_batches (gconstpointer driver)
{
  check_batches (driver, FALSE);
}

static void
test_postfixadmin_batches (gconstpointer driver)
{
  check_batches (driver, TRUE);
}

/* The export's records without the columns an import cannot keep
 * (number, created, modified, used), one a line. */
static char *
export_kept (const char *path,
             gboolean    pfa)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr(MwCsvReader) reader = NULL;
  GString *out = g_string_new (NULL);
  guint line = 0;

  g_assert_no_error (error);
  reader = mw_csv_reader_new (bytes, 0);
  for (;;)
    {
      g_auto(GStrv) fields = NULL;

      if (!mw_csv_reader_next (reader, &fields, &line, &error))
        break;
      /* ISPmail: name,domain,quota,password_scheme,number;
       * PostfixAdmin: name,full_name,domain,quota,used,enabled,created,modified */
      if (pfa)
        g_string_append_printf (out, "%s|%s|%s|%s|%s\n", fields[0], fields[1], fields[2], fields[3], fields[5]);
      else
        g_string_append_printf (out, "%s|%s|%s|%s\n", fields[0], fields[1], fields[2], fields[3]);
    }
  g_assert_no_error (error);
  return g_string_free (out, FALSE);
}

/* export users | delete them | import --generate-passwords: the same list. */
static void
check_round_trip (gconstpointer driver,
                  gboolean      pfa)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(MwTestVmail) v = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mw-vmail-import-XXXXXX", &error);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *passwords = NULL;
  g_autofree char *first_kept = NULL;
  g_autofree char *second_kept = NULL;
  g_autofree char *report = NULL;
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) imported = NULL;

  g_assert_no_error (error);
  set_up (f, driver, pfa);
  uri = mw_test_vmail_db_uri (f->tdb);
  first = g_build_filename (dir, "first.csv", NULL);
  second = g_build_filename (dir, "second.csv", NULL);
  passwords = g_build_filename (dir, "passwords.csv", NULL);
  plan = prepare (f, pfa ? "address,password,name,quota,active\n"
                           "bert@example.org,pw-b,\"Bert, the Second\",5M,1\n"
                           "cleo@bücher.example,pw-c,Cléo Ünal,7000000,0\n"
                         : "address,password,quota\n"
                           "bert@example.org,pw-b,5M\n"
                           "cleo@bücher.example,pw-c,7000000\n", NULL);
  imported = mw_schema_import_run (f->schema, &f->admin, plan, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->created, ==, 2);

  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "export", "users", "-o", first, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  first_kept = export_kept (first, pfa);
  g_test_message ("%s", first_kept);
  assert_contains (first_kept, pfa ? "bert@example.org|Bert, the Second|example.org|5242880|"
                                   : "bert@example.org|example.org|5242880|");
  if (pfa)
    sql (f, "DELETE FROM mailbox; DELETE FROM alias; DELETE FROM log");
  else
    sql (f, "DELETE FROM virtual_aliases; DELETE FROM virtual_users");

  {
    g_auto(MwTestRun) r = { 0 };

    /* The help names this flavour's columns. */
    mw_test_run_cli (&r, NULL, "import", "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "ISPmail and PostfixAdmin: address (required), password (plain, or hashed");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "import", "--generate-passwords", passwords, first, NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "3 users created");
  }
  {
    g_auto(MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "export", "users", "-o", second, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  second_kept = export_kept (second, pfa);
  g_assert_cmpstr (first_kept, ==, second_kept);

  /* The generated passwords log in. */
  v = mw_test_vmail_new (f->tdb, pfa ? MW_TEST_VMAIL_POSTFIXADMIN : MW_TEST_VMAIL_ISPMAIL);
  g_file_get_contents (passwords, &report, NULL, &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) lines = g_strsplit (report, "\r\n", -1);

    g_assert_cmpstr (lines[0], ==, "name,password");
    for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], ",", 2);

        if (g_str_has_prefix (fields[0], "bert@"))
          g_assert_true (mw_test_vmail_auth (v, fields[0], fields[1], NULL));
      }
  }
  {
    const char *rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_clear_pointer (&v, mw_test_vmail_free);
  tear_down (f);
}

static void
test_ispmail_round_trip (gconstpointer driver)
{
  check_round_trip (driver, FALSE);
}

static void
test_postfixadmin_round_trip (gconstpointer driver)
{
  check_round_trip (driver, TRUE);
}

/* PostfixAdmin's own code (Debian's package: scripts/postfixadmin-cli.php)
 * on a copy configured for the test database, as test-postfixadmin does. */
#define DOVECOT_CONF "$CONF['encrypt'] = 'dovecot:SHA512-CRYPT';\n$CONF['dovecotpw'] = '/usr/bin/doveadm pw';\n"

static char *
postfixadmin_php (const char *dir,
                  const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "php", "-r", code, NULL };
  int status = -1;

  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("php failed:\n%s%s", out, err);
  return g_strconcat (out, err, NULL);
}

/* What the import wrote, as PostfixAdmin's MailboxHandler reads it, and
 * its password as PostfixAdmin's own login check takes it. */
static void
test_postfixadmin_reads (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autoptr(MwImportPlan) plan = NULL;
  g_autoptr(MwImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  set_up (f, driver, TRUE);
  dir = mw_test_vmail_postfixadmin_copy (f->tdb, DOVECOT_CONF);
  plan = prepare (f, "address,password,name,quota,aliases\n"
                     "carol@example.org,carol-Secret12,Carol Groß,10M,c@example.org\n", NULL);
  report = mw_schema_import_run (f->schema, &f->admin, plan, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);

  out = postfixadmin_php (dir, "require 'common.php';"
                               "$h = new MailboxHandler();"
                               "if (!$h->init('carol@example.org') || !$h->view()) { echo 'not found'; exit(1); }"
                               "$r = $h->result();"
                               "echo $r['username'], '|', $r['name'], '|', $r['maildir'], '|', $r['quota'], '|', "
                               "$r['active'], \"\\n\";"
                               "$l = new Login('mailbox');"
                               "echo $l->login('carol@example.org', 'carol-Secret12') ? 'login ok' : 'login refused', "
                               "\"\\n\";"
                               "echo $l->login('carol@example.org', 'wrong') ? 'wrong ok' : 'wrong refused', \"\\n\";"
                               "$a = new AliasHandler();"
                               "$a->init('c@example.org'); $a->view(); $ar = $a->result();"
                               "echo 'goto ', implode(',', $ar['goto']), \"\\n\";");
  g_test_message ("%s", out);
  /* 10M is 10485760 bytes: 10.24 of PostfixAdmin's MB of 1024000 bytes. */
  assert_contains (out, "carol@example.org|Carol Groß|example.org/carol/|10.24|1");
  assert_contains (out, "login ok");
  assert_contains (out, "wrong refused");
  assert_contains (out, "goto carol@example.org");
  {
    g_autofree char *parent = g_path_get_dirname (dir);
    const char *rm[] = { "rm", "-rf", parent, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  tear_down (f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();

  mw_test_add_both ("/vmail-import/ispmail/rows", test_ispmail_rows);
  mw_test_add_both ("/vmail-import/postfixadmin/rows", test_postfixadmin_rows);
  mw_test_add_both ("/vmail-import/ispmail/bad-lines", test_ispmail_bad_lines);
  mw_test_add_both ("/vmail-import/postfixadmin/bad-lines", test_postfixadmin_bad_lines);
  mw_test_add_both ("/vmail-import/ispmail/batches", test_ispmail_batches);
  mw_test_add_both ("/vmail-import/postfixadmin/batches", test_postfixadmin_batches);
  mw_test_add_both ("/vmail-import/ispmail/round-trip", test_ispmail_round_trip);
  mw_test_add_both ("/vmail-import/postfixadmin/round-trip", test_postfixadmin_round_trip);
  mw_test_add_both ("/vmail-import/postfixadmin/postfixadmin-reads", test_postfixadmin_reads);

  return mw_test_run ();
}
