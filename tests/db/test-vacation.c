/* test-vacation.c: vacation replies (mw-vacation.h) in the PostfixAdmin
 * flavour, on PostfixAdmin 3.3.13's own tables (sql/postfixadmin) on
 * PostgreSQL and MariaDB: the vacation row and the goto entry that routes
 * mail to the vacation transport, as VacationHandler writes them; the real
 * Postfix (postmap, PostfixAdmin's maps) sending the mail to the mailbox
 * and the vacation address; PostfixAdmin's own classes reading what
 * Mailwarden wrote and the reverse; text in any language; bad input
 * refused with nothing changed; mailwarden-cli's vacation commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mw-account.h"
#include "mw-schema.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"
#include "mw-vacation.h"

#define SUBJECT "Urlaub – Grüße aus Köln 🌴 休暇中"
#define BODY    "Ich bin bis zum 6. Januar nicht im Büro.\nÄrger? Schreiben Sie an Jürgen. 😀\n年末年始は休みます。\n"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
} Fixture;

/* As PostfixAdmin's MailboxHandler writes a mailbox: its row and its own alias (@go_to). */
static void
add_mailbox (MwTestDb   *tdb,
             const char *local,
             const char *go_to)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO mailbox (username, password, name, maildir, quota, local_part, "
                                          "domain, active) VALUES ('%s@example.org', '{PLAIN}x', 'Jürgen %s', "
                                          "'example.org/%s/', 0, '%s', 'example.org', '1')", local, local, local, local);
  g_autofree char *alias = g_strdup_printf ("INSERT INTO alias (address, goto, domain, active) "
                                            "VALUES ('%s@example.org', '%s', 'example.org', '1')", local, go_to);

  mw_test_db_exec (tdb, sql);
  mw_test_db_exec (tdb, alias);
}

/* example.org with dave (his own alias row only) and erin (forward and
 * keep: erin@elsewhere.net first, herself last); dave has been answered
 * to someone once already (a vacation_notification row of an old vacation). */
static void
set_up (Fixture       *f,
        gconstpointer  driver)
{
  g_autoptr(GError) error = NULL;

  f->tdb = mw_test_db_new (driver, FALSE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  mw_test_vmail_load_schema (f->tdb, "postfixadmin");
  mw_test_db_exec (f->tdb, "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, "
                   "backupmx, active) VALUES ('ALL', '', 0, 0, 0, 0, '', '0', '1')");
  mw_test_db_exec (f->tdb, "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, "
                   "backupmx, active) VALUES ('example.org', 'Büro', 10, 10, 0, 0, 'virtual', '0', '1')");
  add_mailbox (f->tdb, "dave", "dave@example.org");
  add_mailbox (f->tdb, "erin", "erin@elsewhere.net,erin@example.org");
  mw_test_db_exec (f->tdb, f->tdb->driver == MW_DB_DRIVER_MYSQL
                   ? "INSERT INTO vacation (email, subject, body, domain, active, interval_time, cache) "
                     "VALUES ('dave@example.org', 'Old', 'Old text', 'example.org', '0', 0, '')"
                   : "INSERT INTO vacation (email, subject, body, domain, active, interval_time) "
                     "VALUES ('dave@example.org', 'Old', 'Old text', 'example.org', '0', 0)");
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mw_schema_get_info (f->schema)->kind, ==, MW_SCHEMA_POSTFIXADMIN);
}

static void
tear_down (Fixture *f)
{
  g_assert_finalize_object (f->schema);
  mw_test_db_free (f->tdb);
}

static char *
string (Fixture    *f,
        const char *sql)
{
  return mw_test_db_string (f->tdb, sql);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

/* Every row a vacation change could touch. */
static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT address, goto, CASE WHEN active THEN 1 ELSE 0 END FROM alias "
                          "ORDER BY address", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT email, subject, body, CASE WHEN active THEN 1 ELSE 0 END, "
                          "interval_time, activefrom, activeuntil FROM vacation ORDER BY email", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT on_vacation, notified FROM vacation_notification ORDER BY notified", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT count(*) FROM log", out);
  return g_string_free (out, FALSE);
}

static MwVacation *
away (const char *from,
      const char *until)
{
  MwVacation *v = mw_vacation_new ();

  v->subject = g_strdup (SUBJECT);
  v->body = g_strdup (BODY);
  v->active_from = g_strdup (from);
  v->active_until = g_strdup (until);
  v->interval = MW_VACATION_REPLY_WEEKLY;
  return v;
}

/* Set, then clear: the vacation row, the goto of the mailbox's own alias
 * row, the notifications forgotten, PostfixAdmin's log, and Postfix's view. */
static void
test_set_clear (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwVacation) v = away ("2026-12-20", "2027-01-06");
  g_autoptr(MwVacation) before = NULL;
  g_autoptr(MwVacation) got = NULL;
  g_autoptr(MwTestVmail) vm = NULL;
  g_autofree char *text = NULL;

  set_up (f, driver);
  vm = mw_test_vmail_new (f->tdb, MW_TEST_VMAIL_POSTFIXADMIN);
  g_assert_true (mw_schema_can (f->schema, MW_SCHEMA_CAN_VACATION));
  mw_test_db_exec (f->tdb, "INSERT INTO vacation_notification (on_vacation, notified) "
                   "VALUES ('dave@example.org', 'someone@elsewhere.net')");

  before = mw_schema_set_vacation (f->schema, &f->admin, "dave@example.org", v, &error);
  g_assert_no_error (error);
  g_assert_false (before->active);
  g_assert_cmpstr (before->subject, ==, "Old");

  text = string (f, "SELECT goto FROM alias WHERE address = 'dave@example.org'");
  g_assert_cmpstr (text, ==, "dave#example.org@autoreply.example.org,dave@example.org");
  g_clear_pointer (&text, g_free);
  text = string (f, "SELECT subject FROM vacation WHERE email = 'dave@example.org'");
  g_assert_cmpstr (text, ==, SUBJECT);
  g_clear_pointer (&text, g_free);
  text = string (f, "SELECT body FROM vacation WHERE email = 'dave@example.org'");
  g_assert_cmpstr (text, ==, BODY);
  g_clear_pointer (&text, g_free);
  text = string (f, "SELECT domain FROM vacation WHERE email = 'dave@example.org'");
  g_assert_cmpstr (text, ==, "example.org");
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (count (f, "SELECT count(*) FROM vacation WHERE email = 'dave@example.org' AND active = '1' "
                             "AND interval_time = 604800"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM vacation_notification"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM log WHERE action = 'edit_alias' AND data = 'dave@example.org' "
                             "AND domain = 'example.org'"), ==, 1);

  got = mw_schema_get_vacation (f->schema, f->tdb->db, "dave@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (got->active);
  g_assert_cmpstr (got->subject, ==, SUBJECT);
  g_assert_cmpstr (got->body, ==, BODY);
  g_assert_cmpstr (got->active_from, ==, "2026-12-20 00:00:00");
  g_assert_cmpstr (got->active_until, ==, "2027-01-06 23:59:59");
  g_assert_cmpint (got->interval, ==, MW_VACATION_REPLY_WEEKLY);
  g_assert_cmpstr (got->reply_domain, ==, "autoreply.example.org");

  /* The real Postfix with PostfixAdmin's maps: the mailbox and the vacation transport. */
  text = mw_test_vmail_postmap (vm, "virtual_alias_maps", "dave@example.org");
  g_assert_cmpstr (text, ==, "dave#example.org@autoreply.example.org,dave@example.org");
  g_clear_pointer (&text, g_free);

  /* Forward and keep: the forward first, the mailbox last, the vacation
   * address between, as AliasHandler orders them; the vacation domain
   * already in use is kept. */
  g_clear_pointer (&before, mw_vacation_free);
  before = mw_schema_set_vacation (f->schema, &f->admin, "erin@example.org", v, &error);
  g_assert_no_error (error);
  g_assert_false (before->active);
  g_assert_null (before->subject);
  text = mw_test_vmail_postmap (vm, "virtual_alias_maps", "erin@example.org");
  g_assert_cmpstr (text, ==, "erin@elsewhere.net,erin#example.org@autoreply.example.org,erin@example.org");
  g_clear_pointer (&text, g_free);

  /* Setting it again changes the text, not the goto (one vacation address). */
  g_free (v->subject);
  v->subject = g_strdup ("Zurück am 7.");
  g_clear_pointer (&before, mw_vacation_free);
  before = mw_schema_set_vacation (f->schema, &f->admin, "dave@example.org", v, &error);
  g_assert_no_error (error);
  g_assert_true (before->active);
  g_assert_cmpstr (before->subject, ==, SUBJECT);
  text = string (f, "SELECT goto FROM alias WHERE address = 'dave@example.org'");
  g_assert_cmpstr (text, ==, "dave#example.org@autoreply.example.org,dave@example.org");
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (count (f, "SELECT count(*) FROM vacation WHERE email = 'dave@example.org'"), ==, 1);

  /* Clear: the goto loses the vacation address, the row stays with active off. */
  g_clear_pointer (&before, mw_vacation_free);
  before = mw_schema_clear_vacation (f->schema, &f->admin, "dave@example.org", &error);
  g_assert_no_error (error);
  g_assert_true (before->active);
  text = string (f, "SELECT goto FROM alias WHERE address = 'dave@example.org'");
  g_assert_cmpstr (text, ==, "dave@example.org");
  g_clear_pointer (&text, g_free);
  g_assert_cmpint (count (f, "SELECT count(*) FROM vacation WHERE email = 'dave@example.org' AND active = '0'"),
                   ==, 1);
  text = mw_test_vmail_postmap (vm, "virtual_alias_maps", "dave@example.org");
  g_assert_cmpstr (text, ==, "dave@example.org");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&got, mw_vacation_free);
  got = mw_schema_get_vacation (f->schema, f->tdb->db, "dave@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (got->active);
  g_assert_cmpstr (got->subject, ==, "Zurück am 7.");

  g_clear_pointer (&before, mw_vacation_free);
  before = mw_schema_clear_vacation (f->schema, &f->admin, "erin@example.org", &error);
  g_assert_no_error (error);
  text = mw_test_vmail_postmap (vm, "virtual_alias_maps", "erin@example.org");
  g_assert_cmpstr (text, ==, "erin@elsewhere.net,erin@example.org");
  g_clear_pointer (&text, g_free);

  g_clear_pointer (&vm, mw_test_vmail_free);
  tear_down (f);
}

static void
assert_refused (Fixture    *f,
                const char *address,
                MwVacation *v,
                gint        code,
                const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autoptr(MwVacation) old = mw_schema_set_vacation (f->schema, &f->admin, address, v, &error);

  g_assert_null (old);
  g_assert_error (error, MW_SCHEMA_ERROR, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, says) == NULL)
    g_error ("“%s” not in “%s”", says, error->message);
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  mw_vacation_free (v);
}

static void
test_bad_input (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  MwVacation *v;
  GString *long_subject = g_string_new (NULL);

  set_up (f, driver);

  v = away ("2026-12-20", "2027-01-06");
  g_free (v->subject);
  v->subject = g_strdup ("Urlaub \xc3\x28 kaputt");
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "UTF-8");

  v = away ("2026-12-20", "2027-01-06");
  g_free (v->body);
  v->body = g_strdup ("Gr\xfc\xdf" "e");   /* Latin-1, not UTF-8 */
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "UTF-8");

  for (int i = 0; i < 256; i++)
    g_string_append (long_subject, "ü");
  v = away ("2026-12-20", "2027-01-06");
  g_free (v->subject);
  v->subject = g_string_free (long_subject, FALSE);
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "256 characters");

  v = away ("2027-01-06", "2026-12-20");
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "before it starts");
  v = away ("2026-12-20 10:00", "2026-12-20 10:00");
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "before it starts");
  v = away ("2026-02-30", "2027-01-06");
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "“2026-02-30” is not a date");
  v = away ("2026-12-20", "next week");
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "“next week” is not a date");
  v = away ("2026-12-20", "2027-01-06");
  g_free (v->subject);
  v->subject = g_strdup ("   ");
  assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_INVALID, "subject");
  v = away ("2026-12-20", "2027-01-06");
  assert_refused (f, "nobody@example.org", v, MW_SCHEMA_ERROR_NOT_FOUND, "nobody@example.org");

  /* A vacation table from an older install whose text columns are latin1
   * cannot hold an emoji (or Japanese): refused with a sentence, not mangled. */
  if (f->tdb->driver == MW_DB_DRIVER_MYSQL)
    {
      mw_test_db_exec (f->tdb, "ALTER TABLE vacation MODIFY subject varchar(255) CHARACTER SET latin1 NOT NULL");
      v = away ("2026-12-20", "2027-01-06");
      assert_refused (f, "dave@example.org", v, MW_SCHEMA_ERROR_REFUSED, "latin1");
    }
  tear_down (f);
}

/* A DBMail database keeps no vacation Mailwarden can change (yet): refused. */
static void
test_other_flavour (gconstpointer driver)
{
  g_autoptr(GError) error = NULL;
  MwTestDb *tdb = mw_test_db_new (driver, TRUE);
  g_autoptr(MwSchema) schema = mw_schema_open (tdb->db, NULL, &error);
  MwAdmin admin = { tdb->db, "test", FALSE };
  g_autoptr(MwVacation) v = away ("2026-12-20", "2027-01-06");
  g_autoptr(MwVacation) old = NULL;

  g_assert_no_error (error);
  g_assert_false (mw_schema_can (schema, MW_SCHEMA_CAN_VACATION));
  old = mw_schema_set_vacation (schema, &admin, "1", v, &error);
  g_assert_null (old);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_object (&schema);
  mw_test_db_free (tdb);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static void
test_postfixadmin_reads (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwVacation) v = away ("2026-12-20", "2027-01-06 18:00");
  g_autoptr(MwVacation) before = NULL;
  g_autoptr(MwVacation) got = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  const char *json = "JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES";

  set_up (f, driver);
  /* PostfixAdmin's own code, with its vacation turned on for autoreply.example.org. */
  dir = mw_test_vmail_postfixadmin_copy (f->tdb,
                                         "$CONF['vacation'] = 'YES';\n"
                                         "$CONF['vacation_domain'] = 'autoreply.example.org';\n");
  before = mw_schema_set_vacation (f->schema, &f->admin, "dave@example.org", v, &error);
  g_assert_no_error (error);

  /* What Mailwarden wrote, as PostfixAdmin's VacationHandler and AliasHandler read it. */
  {
    g_autofree char *code = g_strdup_printf (
      "$v = new VacationHandler('dave@example.org'); $d = $v->get_details();"
      "$a = new AliasHandler(); $a->init('dave@example.org'); $a->view(); $r = $a->result();"
      "echo json_encode(['details' => $d, 'check' => $v->check_vacation(), 'on_vacation' => (bool) $r['on_vacation'],"
      " 'goto' => $r['goto'], 'goto_mailbox' => (bool) $r['goto_mailbox']], %s);", json);

    out = mw_test_vmail_postfixadmin_php (dir, code);
  }
  /* PostfixAdmin 3.3 talks to MariaDB in utf8 (three bytes at most: its
   * db_connect's SET CHARACTER SET utf8): it shows the emoji, stored
   * whole in the utf8mb4 column, as "?"; everything else comes through. */
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      assert_contains (out, "\"subject\":\"" SUBJECT "\"");
      assert_contains (out, "Ärger? Schreiben Sie an Jürgen. 😀\\n年末年始は休みます。");
    }
  else
    {
      assert_contains (out, "\"subject\":\"Urlaub – Grüße aus Köln ? 休暇中\"");
      assert_contains (out, "Ärger? Schreiben Sie an Jürgen. ?\\n年末年始は休みます。");
    }
  assert_contains (out, "\"active\":true");
  assert_contains (out, "\"check\":true");
  assert_contains (out, "\"on_vacation\":true");
  /* AliasHandler shows the vacation address and the mailbox apart from the other targets. */
  assert_contains (out, "\"goto\":[],\"goto_mailbox\":true");
  assert_contains (out, "\"activeFrom\":\"2026-12-20 00:00:00");
  assert_contains (out, "\"activeUntil\":\"2027-01-06 18:00:00");
  assert_contains (out, "\"interval_time\":");
  assert_contains (out, "604800");

  /* And the reverse: a vacation PostfixAdmin set (its set_away), as Mailwarden reads it, then cleared here. */
  g_clear_pointer (&out, g_free);
  out = mw_test_vmail_postfixadmin_php (dir,
                                        "$v = new VacationHandler('erin@example.org');"
                                        "echo json_encode($v->set_away('Außer Haus ✈', 'Bis bald – 또 봐요', 0, '2026-12-01', '2026-12-31'));");
  assert_contains (out, "true");
  got = mw_schema_get_vacation (f->schema, f->tdb->db, "erin@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (got->active);
  g_assert_cmpstr (got->subject, ==, "Außer Haus ✈");
  g_assert_cmpstr (got->body, ==, "Bis bald – 또 봐요");
  g_assert_cmpstr (got->active_from, ==, "2026-12-01 00:00:00");
  g_assert_cmpstr (got->active_until, ==, "2026-12-31 23:59:00");
  g_assert_cmpstr (got->reply_domain, ==, "autoreply.example.org");
  g_clear_pointer (&before, mw_vacation_free);
  before = mw_schema_clear_vacation (f->schema, &f->admin, "erin@example.org", &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  {
    g_autofree char *code = g_strdup_printf (
      "$v = new VacationHandler('erin@example.org'); $a = new AliasHandler(); $a->init('erin@example.org');"
      "$a->view(); $r = $a->result(); echo json_encode(['check' => $v->check_vacation(), 'goto' => $r['goto'],"
      " 'goto_mailbox' => (bool) $r['goto_mailbox']], %s);",
      json);

    out = mw_test_vmail_postfixadmin_php (dir, code);
  }
  assert_contains (out, "\"check\":false");
  assert_contains (out, "\"goto\":[\"erin@elsewhere.net\"],\"goto_mailbox\":true");

  mw_test_vmail_postfixadmin_remove (dir);
  tear_down (f);
}

static void
test_cli (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *uri = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  set_up (f, driver);
  uri = f->tdb->driver == MW_DB_DRIVER_PGSQL
    ? g_strdup_printf ("postgresql://%s@/%s?host=%s", f->tdb->settings->user, f->tdb->database,
                       f->tdb->settings->socket)
    : g_strdup_printf ("mysql://%s@/%s?socket=%s", f->tdb->settings->user, f->tdb->database,
                       f->tdb->settings->socket);
  fd = g_file_open_tmp ("mw-vacation-XXXXXX.txt", &body_file, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (body_file, BODY, -1, &error);
  g_assert_no_error (error);

#define CLI(status_, ...) \
  g_auto(MwTestRun) r = { 0 }; \
  mw_test_run_cli (&r, NULL, "--db", uri, __VA_ARGS__, NULL); \
  g_assert_cmpint (r.status, ==, status_)

  {
    CLI (0, "vacation", "show", "dave@example.org");
    assert_contains (r.out, "dave@example.org is not away");
  }
  {
    CLI (0, "vacation", "set", "dave@example.org", "--subject", SUBJECT, "--body-file", body_file,
         "--from", "2026-12-20", "--until", "2027-01-06");
    assert_contains (r.out, "dave@example.org is away");
    assert_contains (r.out, SUBJECT);
    assert_contains (r.out, "2027-01-06 23:59:59");
  }
  text = string (f, "SELECT goto FROM alias WHERE address = 'dave@example.org'");
  g_assert_cmpstr (text, ==, "dave#example.org@autoreply.example.org,dave@example.org");
  g_clear_pointer (&text, g_free);
  text = string (f, "SELECT body FROM vacation WHERE email = 'dave@example.org'");
  g_assert_cmpstr (text, ==, BODY);
  g_clear_pointer (&text, g_free);
  {
    CLI (0, "vacation", "show", "dave@example.org", "--json");
    assert_contains (r.out, "\"active\":true");
    assert_contains (r.out, "\"reply_domain\":\"autoreply.example.org\"");
  }
  /* Refused, nothing changed. */
  before = snapshot (f);
  {
    CLI (1, "vacation", "set", "dave@example.org", "--subject", "x", "--body", "y", "--from", "2027-01-06",
         "--until", "2026-12-20");
    assert_contains (r.err, "before it starts");
  }
  {
    CLI (1, "vacation", "set", "dave@example.org", "--subject", "x");
    assert_contains (r.err, "--body");
  }
  {
    CLI (4, "vacation", "clear", "nobody@example.org");
  }
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  {
    CLI (0, "vacation", "clear", "dave@example.org");
    assert_contains (r.out, "The vacation reply of dave@example.org is off.");
  }
  text = string (f, "SELECT goto FROM alias WHERE address = 'dave@example.org'");
  g_assert_cmpstr (text, ==, "dave@example.org");
  g_clear_pointer (&text, g_free);
#undef CLI

  g_unlink (body_file);
  tear_down (f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();

  mw_test_add_both ("/vacation/set-clear", test_set_clear);
  mw_test_add_both ("/vacation/bad-input", test_bad_input);
  mw_test_add_both ("/vacation/other-flavour", test_other_flavour);
  mw_test_add_both ("/vacation/postfixadmin-reads", test_postfixadmin_reads);
  mw_test_add_both ("/vacation/cli", test_cli);

  return mw_test_run ();
}
