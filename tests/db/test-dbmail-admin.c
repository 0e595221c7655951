/* test-dbmail-admin.c: the DBMail flavour's write operations on real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mw-audit.h"
#include "mw-dbmail-admin.h"
#include "mw-dbmail-import.h"
#include "mw-dbmail-store.h"
#include "mw-password.h"
#include "mw-test-db.h"

#define STATIC_BYTES(s) g_bytes_new_static ((s), sizeof (s) - 1)

typedef struct
{
  MwTestDb *tdb;
  MwAdmin   admin;
  gint64    alice, bob, carol;
} Fixture;

static const char *audit_path;  /* mw_test_private_audit_log () */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *alice = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, TRUE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  f->alice = mw_test_db_add_user (f->tdb, "alice", 1, 10485760);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 1, 0);
  f->carol = mw_test_db_add_user (f->tdb, "carol", 2, 0);
  alice = g_strdup_printf ("%" G_GINT64_FORMAT, f->alice);
  mw_test_db_add_alias (f->tdb, "a.smith@example.com", alice, 1);
  mw_test_db_add_alias (f->tdb, "a.smith@example.com", "archive@backup.example.net", 0);
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

/* The whole content of the tables a change may touch, to show that a refused
 * change touched nothing. */
static char *
snapshot (Fixture *f)
{
  static const char *const queries[] = {
    "SELECT user_idnr, userid, passwd, encryption_type, client_idnr, maxmail_size, active, spasswd, saction "
    "FROM dbmail_users ORDER BY user_idnr",
    "SELECT alias_idnr, alias, deliver_to, client_idnr FROM dbmail_aliases ORDER BY alias_idnr",
    "SELECT mailbox_idnr, owner_idnr, name FROM dbmail_mailboxes ORDER BY mailbox_idnr",
    "SELECT message_idnr, mailbox_idnr, physmessage_id, status FROM dbmail_messages ORDER BY message_idnr",
    "SELECT id FROM dbmail_physmessage ORDER BY id",
    "SELECT id FROM dbmail_mimeparts ORDER BY id",
  };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      mw_test_db_append_rows (f->tdb->db, queries[q], out);
      g_string_append (out, "--\n");
    }
  return g_string_free (out, FALSE);
}

static char *
audit_text (void)
{
  char *text = NULL;

  if (!g_file_get_contents (audit_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* ------------------------------------------------------------------------ */

static void
test_add_user (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;
  g_autofree char *log = NULL;
  MwNewUser user = {
    .userid = "dave", .passwd = "$6$abcdefgh$notreallyahash", .encryption_type = "crypt",
    .client_idnr = 7, .maxmail_size = 25 << 20, .alias = "Dave@Example.COM",
  };
  gint64 id;

  id = mw_dbmail_add_user (&f->admin, &user, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  sql = g_strdup_printf ("SELECT userid || '|' || passwd || '|' || encryption_type FROM dbmail_users WHERE user_idnr = %"
                         G_GINT64_FORMAT, id);
  if (f->tdb->driver == MW_DB_DRIVER_MYSQL)
    {
      g_free (sql);
      sql = g_strdup_printf ("SELECT CONCAT(userid, '|', passwd, '|', encryption_type) FROM dbmail_users "
                             "WHERE user_idnr = %" G_GINT64_FORMAT, id);
    }
  text = mw_test_db_string (f->tdb, sql);
  g_assert_cmpstr (text, ==, "dave|$6$abcdefgh$notreallyahash|crypt");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT
                         " AND client_idnr = 7 AND maxmail_size = 26214400 AND active = 1", id);
  g_assert_cmpint (count (f, sql), ==, 1);

  /* The alias is stored with a lower-case domain and the local part as typed,
   * delivering to the new number with the user's group, as dbmail-users -s. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'Dave@example.com' AND deliver_to = '%"
                         G_GINT64_FORMAT "' AND client_idnr = 7", id);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT
                         " AND name = 'INBOX'", id);
  g_assert_cmpint (count (f, sql), ==, 1);

  /* The audit log has the change, never the hash. */
  log = audit_text ();
  g_assert_nonnull (strstr (log, "\"user.add\""));
  g_assert_nonnull (strstr (log, "dave"));
  g_assert_null (strstr (log, "notreallyahash"));
}

static void
test_add_user_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *long_name = g_strnfill (101, 'x');
  static const char bad_utf8[] = "caf\xc3\x28";
  struct { const char *name; const char *alias; int code; } cases[] = {
    { "ALICE", NULL, MW_SCHEMA_ERROR_EXISTS },          /* DBMail compares names without case */
    { "Alice", "new@example.com", MW_SCHEMA_ERROR_EXISTS },
    { "eve", "a.smith@example.com", MW_SCHEMA_ERROR_EXISTS }, /* the alias is alice's */
    { "eve", "A.SMITH@EXAMPLE.COM", MW_SCHEMA_ERROR_EXISTS },
    { "anyone", NULL, MW_SCHEMA_ERROR_REFUSED },
    { "__public__", NULL, MW_SCHEMA_ERROR_REFUSED },
    { "", NULL, MW_SCHEMA_ERROR_INVALID },
    { "two words", NULL, MW_SCHEMA_ERROR_INVALID },
    { "line\nbreak", NULL, MW_SCHEMA_ERROR_INVALID },
    { long_name, NULL, MW_SCHEMA_ERROR_INVALID },
    { bad_utf8, NULL, MW_SCHEMA_ERROR_INVALID },
    /* Aliases refuse these: names too. A bidi override shows "evil" as "live". */
    { "\u202Eevil", NULL, MW_SCHEMA_ERROR_INVALID },
    { "ev\u200Bil", NULL, MW_SCHEMA_ERROR_INVALID },
    { "esc\x1b[31m", NULL, MW_SCHEMA_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      MwNewUser user = { .userid = cases[i].name, .passwd = "x", .encryption_type = "", .alias = cases[i].alias };

      g_assert_cmpint (mw_dbmail_add_user (&f->admin, &user, &error), ==, 0);
      g_assert_error (error, MW_SCHEMA_ERROR, cases[i].code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* Nothing from the name that a terminal would act on. */
      g_assert_null (strchr (error->message, '\x1b'));
      g_assert_null (strstr (error->message, "\u202E"));
    }
  {
    g_autoptr(GError) error = NULL;
    MwNewUser user = { .userid = "esc\x1b[31m", .passwd = "x", .encryption_type = "" };

    mw_dbmail_add_user (&f->admin, &user, &error);
    g_assert_cmpstr (error->message, ==, "The user name “esc\uFFFD[31m” contains a control character or an "
                                         "invisible character (U+001B). Remove it.");
  }
  {
    g_autoptr(GError) error = NULL;
    MwNewUser user = { .userid = "eve", .passwd = "x", .encryption_type = "", .alias = "@example.com" };

    g_assert_cmpint (mw_dbmail_add_user (&f->admin, &user, &error), ==, 0);
    g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *long_pw = g_strnfill (131, 'p');
    MwNewUser user = { .userid = "eve", .passwd = long_pw, .encryption_type = "" };

    g_assert_cmpint (mw_dbmail_add_user (&f->admin, &user, &error), ==, 0);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  }
  {
    g_autoptr(GError) error = NULL;
    MwNewUser user = { .userid = "eve", .passwd = "x", .encryption_type = "", .maxmail_size = -1 };

    g_assert_cmpint (mw_dbmail_add_user (&f->admin, &user, &error), ==, 0);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  }

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

/* Two sessions giving "Alice<n>" and "alice<n>" at the same instant, by
 * adding, renaming or importing: DBMail takes both for one login, so one
 * of them must lose with the ordinary "already exists" sentence, on
 * PostgreSQL (whose unique index tells case apart) as on MariaDB (whose
 * index refuses the second INSERT with its own text). */
typedef enum { RACE_ADD, RACE_RENAME, RACE_IMPORT } RaceMode;

typedef struct
{
  MwAdmin        admin;
  RaceMode       mode;
  const char    *userid;
  gint64         rename_of;
  MwImportPlan  *plan;
  gint          *ready;
  gboolean       won;
  char          *message;
} Racer;

static gpointer
race_thread (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;

  /* Both threads start their transactions together. */
  g_atomic_int_inc (r->ready);
  while (g_atomic_int_get (r->ready) < 2)
    ;
  switch (r->mode)
    {
    case RACE_ADD:
      {
        MwNewUser user = { .userid = r->userid, .passwd = "x", .encryption_type = "" };

        r->won = mw_dbmail_add_user (&r->admin, &user, &error) > 0;
      }
      break;
    case RACE_RENAME:
      {
        MwUserChange change = { .changes = MW_USER_CHANGE_NAME, .userid = r->userid };

        r->won = mw_dbmail_update_user (&r->admin, r->rename_of, &change, &error);
      }
      break;
    case RACE_IMPORT:
      {
        MwImportOptions options = { .default_scheme = "md5-crypt", .n_threads = 1 };
        g_autoptr(MwImportReport) report = mw_dbmail_import_run (&r->admin, r->plan, &options, NULL, NULL, NULL, &error);

        g_assert_no_error (error);
        r->won = report->created == 1;
        if (!r->won)
          r->message = g_strdup (((MwImportIssue *) g_ptr_array_index (report->refused, 0))->message);
      }
      break;
    }
  if (error != NULL)
    r->message = g_strdup (error->message);
  return NULL;
}

static void
test_add_user_race (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) other = mw_db_connect (f->tdb->settings, NULL, &error);
  const guint rounds = 45;

  g_assert_no_error (error);
  for (guint n = 0; n < rounds; n++)
    {
      g_autofree char *upper = g_strdup_printf ("Alice%u", n);
      g_autofree char *lower = g_strdup_printf ("alice%u", n);
      g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE lower(userid) = 'alice%u'", n);
      g_autoptr(MwImportPlan) plan = NULL;
      gint ready = 0;
      Racer a = { .admin = { .db = f->tdb->db, .profile = "test" }, .mode = RACE_ADD, .userid = upper, .ready = &ready };
      Racer b = { .admin = { .db = other, .profile = "test" }, .mode = (RaceMode) (n % 3), .userid = lower, .ready = &ready };
      GThread *ta, *tb;

      if (b.mode == RACE_RENAME)
        {
          g_autofree char *old = g_strdup_printf ("old%u", n);

          b.rename_of = mw_test_db_add_user (f->tdb, old, 0, 0);
        }
      else if (b.mode == RACE_IMPORT)
        {
          g_autofree char *csv = g_strdup_printf ("name,password\n%s,pw\n", lower);
          g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));

          plan = mw_dbmail_import_prepare (other, bytes, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (plan->users->len, ==, 1);
          b.plan = plan;
        }
      ta = g_thread_new ("racer-a", race_thread, &a);
      tb = g_thread_new ("racer-b", race_thread, &b);
      g_thread_join (ta);
      g_thread_join (tb);

      if (a.won == b.won)
        g_error ("round %u (mode %d): %s", n, b.mode, a.won ? "both got the name" : "neither got the name");
      g_assert_cmpint (count (f, q), ==, 1);
      {
        Racer *loser = a.won ? &b : &a;
        const char *expected = loser->mode == RACE_IMPORT ? "is already a user" : "already exists";

        if (strstr (loser->message, expected) == NULL)
          g_error ("round %u (mode %d): the loser got “%s”", n, b.mode, loser->message);
      }
      g_free (a.message);
      g_free (b.message);
    }
}

static void
test_add_user_metacharacters (Fixture       *f,
                              gconstpointer  data)
{
  static const char *const names[] = {
    "o'hara", "x\";DROP_TABLE_dbmail_users;--", "100%_\\", "Jürgen", "{users}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDbResult) r = NULL;
      MwNewUser user = { .userid = names[i], .passwd = "pa'ss\"w%rd", .encryption_type = "" };
      MwDbValue params[1];
      gint64 id = mw_dbmail_add_user (&f->admin, &user, &error);

      g_assert_no_error (error);
      params[0] = MW_DB_INT64 (id);
      r = mw_db_exec (f->tdb->db, "SELECT userid, passwd FROM {users} WHERE user_idnr = $1", params, 1, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (mw_db_result_get_string (r, 0, 0), ==, names[i]);
      g_assert_cmpstr (mw_db_result_get_string (r, 0, 1), ==, "pa'ss\"w%rd");
    }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users"), ==, 3 + 3 + G_N_ELEMENTS (names));
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  MwAdmin dry = f->admin;
  MwNewUser user = { .userid = "dave", .passwd = "x", .encryption_type = "", .alias = "dave@example.com" };
  MwDeleteSummary summary = { 0 };

  dry.dry_run = TRUE;
  g_assert_cmpint (mw_dbmail_add_user (&dry, &user, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (mw_dbmail_delete_users (&dry, f->alice, 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.users, ==, 1);
  g_assert_cmpint (summary.aliases, ==, 2);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (mw_db_in_transaction (f->tdb->db));
}

static void
test_update_user (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  MwUserChange change = {
    .changes = MW_USER_CHANGE_NAME | MW_USER_CHANGE_PASSWORD | MW_USER_CHANGE_QUOTA | MW_USER_CHANGE_GROUP |
               MW_USER_CHANGE_ACTIVE | MW_USER_CHANGE_SACTION,
    .userid = "alice.smith", .passwd = "5ebe2294ecd0e0f08eab7690d2a6ee69", .encryption_type = "md5sum",
    .maxmail_size = 1 << 20, .client_idnr = 9, .active = FALSE, .saction = 1,
  };

  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_usermap (login, sock_allow, sock_deny, userid) "
                   "VALUES ('ANY', '', '', 'alice'), ('ANY', '', '', 'bob')");
  g_assert_true (mw_dbmail_update_user (&f->admin, f->alice, &change, &error));
  g_assert_no_error (error);

  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT
                         " AND userid = 'alice.smith' AND passwd = '5ebe2294ecd0e0f08eab7690d2a6ee69' AND "
                         "encryption_type = 'md5sum' AND maxmail_size = 1048576 AND client_idnr = 9 AND active = 0 "
                         "AND saction = 1", f->alice);
  g_assert_cmpint (count (f, sql), ==, 1);
  /* The aliases follow the group; the forward off alice's alias keeps 0. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE deliver_to = '%" G_GINT64_FORMAT
                         "' AND client_idnr = 9", f->alice);
  g_assert_cmpint (count (f, sql), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'archive@backup.example.net' "
                             "AND client_idnr = 0"), ==, 1);
  /* The user map follows the rename; bob's stays. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap WHERE userid = 'alice.smith'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap WHERE userid = 'bob'"), ==, 1);
}

static void
test_update_user_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *print = NULL;
  g_autoptr(GError) error = NULL;
  MwUserChange rename = { .changes = MW_USER_CHANGE_NAME, .userid = "BOB" };
  MwUserChange quota = { .changes = MW_USER_CHANGE_QUOTA | MW_USER_CHANGE_NAME, .maxmail_size = 5, .userid = "alice2" };
  MwUserChange pw = { .changes = MW_USER_CHANGE_PASSWORD, .passwd = "x", .encryption_type = "" };

  before = snapshot (f);
  g_assert_false (mw_dbmail_update_user (&f->admin, f->alice, &rename, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);
  rename.userid = "ali\u200Bce";
  g_assert_false (mw_dbmail_update_user (&f->admin, f->bob, &rename, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "U+200B"));
  g_clear_error (&error);
  rename.userid = "BOB";

  /* A system account keeps its name and never gets a password. */
  g_assert_false (mw_dbmail_update_user (&f->admin, 2, &pw, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_error (&error);

  /* Someone else changed the row after the window read it. */
  print = mw_dbmail_user_fingerprint (f->tdb->db, f->alice, NULL, &error);
  g_assert_no_error (error);
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET maxmail_size = 777 WHERE userid = 'alice'");
  g_free (before);
  before = snapshot (f);
  quota.expected_fingerprint = print;
  g_assert_false (mw_dbmail_update_user (&f->admin, f->alice, &quota, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Deliveries and logins do not count as changes. */
  g_free (print);
  print = mw_dbmail_user_fingerprint (f->tdb->db, f->alice, NULL, &error);
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET curmail_size = 99, last_login = '2026-01-01 00:00:00' "
                   "WHERE userid = 'alice'");
  g_free (before);
  before = snapshot (f);

  /* A security password would no longer match under a new scheme. */
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET spasswd = 'sec' WHERE userid = 'bob'");
  g_free (before);
  before = snapshot (f);
  pw.encryption_type = "md5sum";
  pw.passwd = "5ebe2294ecd0e0f08eab7690d2a6ee69";
  g_assert_false (mw_dbmail_update_user (&f->admin, f->bob, &pw, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  quota.expected_fingerprint = print;
  g_assert_true (mw_dbmail_update_user (&f->admin, f->alice, &quota, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT maxmail_size FROM dbmail_users WHERE userid = 'alice2'"), ==, 5);
}

/* alice has two messages, one of them also in bob's INBOX (an IMAP COPY
 * shares the physmessage); the parts of one message are shared by a second
 * delivery to carol. */
static void
add_mail (Fixture *f,
          gint64  *alice_inbox,
          gint64  *bob_inbox)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) one = STATIC_BYTES ("From: x@example.org\nSubject: one\n\nfirst body\n");
  g_autoptr(GBytes) two = STATIC_BYTES ("From: y@example.org\nSubject: two\n\nsecond body\n");
  g_autoptr(GBytes) three = STATIC_BYTES ("From: z@example.org\nSubject: only alice's\n\nthird body\n");
  g_autofree char *sql = NULL;
  gint64 carol_inbox, m1, m2;

  sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT ", 'INBOX'), (%"
                         G_GINT64_FORMAT ", 'INBOX'), (%" G_GINT64_FORMAT ", 'INBOX')", f->alice, f->bob, f->carol);
  mw_test_db_exec (f->tdb, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT, f->alice);
  *alice_inbox = count (f, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT, f->bob);
  *bob_inbox = count (f, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT, f->carol);
  carol_inbox = count (f, sql);

  m1 = mw_message_store_deliver (f->tdb->db, *alice_inbox, one, 0, NULL, &error);
  g_assert_no_error (error);
  m2 = mw_message_store_deliver (f->tdb->db, *alice_inbox, two, 2, NULL, &error);
  g_assert_no_error (error);
  mw_message_store_deliver (f->tdb->db, carol_inbox, two, 0, NULL, &error);
  g_assert_no_error (error);
  mw_message_store_deliver (f->tdb->db, *alice_inbox, three, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, unique_id, status) "
                         "SELECT %" G_GINT64_FORMAT ", physmessage_id, 'copy', 0 FROM dbmail_messages WHERE message_idnr = %"
                         G_GINT64_FORMAT, *bob_inbox, m1);
  mw_test_db_exec (f->tdb, sql);
  (void) m2;
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO dbmail_acl (user_id, mailbox_id, lookup_flag, read_flag) VALUES "
                         "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1, 1), (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1, 1)",
                         f->bob, *alice_inbox, f->alice, *bob_inbox);
  mw_test_db_exec (f->tdb, sql);
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_sievescripts (owner_idnr, active, name, script) "
                   "SELECT user_idnr, 1, 'main', 'keep;' FROM dbmail_users WHERE userid = 'alice'");
}

static void
test_delete_user (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  MwDeleteSummary s = { 0 };
  gint64 alice_inbox, bob_inbox, phys_before, parts_before, bob_phys;
  g_autofree char *log = NULL;
  g_autofree char *described = NULL;

  add_mail (f, &alice_inbox, &bob_inbox);
  phys_before = count (f, "SELECT count(*) FROM dbmail_physmessage");
  parts_before = count (f, "SELECT count(*) FROM dbmail_mimeparts");
  g_assert_cmpint (phys_before, ==, 4);

  g_assert_true (mw_dbmail_delete_users (&f->admin, f->alice, 0, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.users, ==, 1);
  g_assert_cmpint (s.mailboxes, ==, 1);
  g_assert_cmpint (s.messages, ==, 3);
  g_assert_cmpint (s.bytes, >, 0);
  g_assert_cmpint (s.aliases, ==, 2);     /* alice@example.org, a.smith@example.com */
  g_assert_cmpint (s.forwards, ==, 1);    /* the BCC off a.smith@example.com */
  g_assert_cmpint (s.sieve_scripts, ==, 1);
  g_assert_cmpint (s.acls, ==, 2);          /* bob's on her INBOX, hers on bob's */
  g_assert_cmpint (s.physmessages, ==, 2); /* "two" and "three"; "one" is still in bob's INBOX */
  described = mw_delete_summary_describe (&s);
  g_assert_nonnull (strstr (described, "1 user"));

  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, f->alice);
  g_assert_cmpint (count (f, sql), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias LIKE '%smith%' OR alias LIKE 'alice%'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_sievescripts"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_physmessage"), ==, 2);
  /* "two" was delivered to carol as well: its parts stay, the parts of "three" go. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_headervalue WHERE headervalue LIKE '%only alice%'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_headervalue WHERE headervalue = 'two'"), ==, 1);
  /* No body is left without a message, and bob's copy still rebuilds. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_physmessage p WHERE NOT EXISTS "
                             "(SELECT 1 FROM dbmail_messages m WHERE m.physmessage_id = p.id)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_mimeparts p WHERE NOT EXISTS "
                             "(SELECT 1 FROM dbmail_partlists l WHERE l.part_id = p.id)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_mimeparts"), <, parts_before);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT physmessage_id FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT, bob_inbox);
  bob_phys = count (f, sql);
  {
    g_autoptr(GBytes) rebuilt = mw_message_store_rebuild (f->tdb->db, bob_phys, &error);

    g_assert_no_error (error);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (rebuilt, NULL), g_bytes_get_size (rebuilt), "first body"));
  }
  /* The system accounts and the other users are there. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users"), ==, 3 + 2);

  log = audit_text ();
  g_assert_nonnull (strstr (log, "\"user.delete\""));

  /* System accounts are never deleted. */
  g_clear_error (&error);
  g_assert_false (mw_dbmail_delete_users (&f->admin, 3, 0, NULL, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid = '__public__'"), ==, 1);
}

static void
test_delete_group (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MwDeleteSummary s = { 0 };
  gint64 alice_inbox, bob_inbox;

  add_mail (f, &alice_inbox, &bob_inbox);
  /* A system account in the group stays. */
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET client_idnr = 1 WHERE userid = 'anyone'");
  g_assert_true (mw_dbmail_delete_users (&f->admin, 0, 1, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.users, ==, 2);
  g_assert_cmpint (s.messages, ==, 4);
  g_assert_cmpint (s.physmessages, ==, 3);  /* carol's own "two" stays */
  g_assert_cmpint (s.acls, ==, 2);          /* counted once each though both ends go */
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE client_idnr = 1"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'carol'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_physmessage"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_mimeparts p WHERE NOT EXISTS "
                             "(SELECT 1 FROM dbmail_partlists l WHERE l.part_id = p.id)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_headervalue v WHERE NOT EXISTS "
                             "(SELECT 1 FROM dbmail_header h WHERE h.headervalue_id = v.id)"), ==, 0);

  g_assert_false (mw_dbmail_delete_users (&f->admin, 0, 1, &s, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

/* The connection dies during the last statement of a deletion: the database
 * must show everything still there. */
typedef struct
{
  MwDbSettings *settings;
  gint64        victim;
  MwDbDriver    driver;
} Killer;

static gpointer
killer_thread (gpointer data)
{
  Killer *k = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDb) db = NULL;
  g_autoptr(MwDbResult) r = NULL;
  MwDbValue params[] = { MW_DB_INT64 (k->victim) };

  g_usleep (700 * G_TIME_SPAN_MILLISECOND);
  db = mw_db_connect (k->settings, NULL, &error);
  g_assert_no_error (error);
  if (k->driver == MW_DB_DRIVER_PGSQL)
    r = mw_db_exec (db, "SELECT pg_terminate_backend(CAST($1 AS INTEGER))", params, 1, NULL, &error);
  else
    {
      g_autofree char *sql = g_strdup_printf ("KILL CONNECTION %" G_GINT64_FORMAT, k->victim);

      r = mw_db_exec (db, sql, NULL, 0, NULL, &error);
    }
  g_assert_no_error (error);
  return NULL;
}

static void
test_connection_lost (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Killer k = { .settings = f->tdb->settings, .driver = f->tdb->driver };
  gint64 alice_inbox, bob_inbox;
  GThread *thread;

  add_mail (f, &alice_inbox, &bob_inbox);
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      mw_test_db_exec (f->tdb, "CREATE FUNCTION slow_delete() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(5); "
                       "RETURN OLD; END $$ LANGUAGE plpgsql");
      mw_test_db_exec (f->tdb, "CREATE TRIGGER slow BEFORE DELETE ON dbmail_users FOR EACH ROW EXECUTE FUNCTION slow_delete()");
      k.victim = count (f, "SELECT pg_backend_pid()");
    }
  else
    {
      mw_test_db_exec (f->tdb, "CREATE TRIGGER slow BEFORE DELETE ON dbmail_users FOR EACH ROW SET @x = SLEEP(5)");
      k.victim = count (f, "SELECT CONNECTION_ID()");
    }
  before = snapshot (f);

  thread = g_thread_new ("killer", killer_thread, &k);
  g_assert_false (mw_dbmail_delete_users (&f->admin, 0, 1, NULL, &error));
  g_thread_join (thread);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  g_clear_error (&error);

  /* Look with a new connection. */
  mw_db_close (f->tdb->db);
  f->tdb->db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_aliases (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 id, catch_all;

  id = mw_dbmail_add_alias (&f->admin, f->alice, " Sales@Example.COM ", MW_ADDRESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias_idnr = %" G_GINT64_FORMAT
                         " AND alias = 'Sales@example.com' AND deliver_to = '%" G_GINT64_FORMAT "' AND client_idnr = 1",
                         id, f->alice);
  g_assert_cmpint (count (f, sql), ==, 1);

  before = snapshot (f);
  /* Taken (without regard to case), a catch-all without asking, garbage. */
  g_assert_cmpint (mw_dbmail_add_alias (&f->admin, f->bob, "SALES@example.com", 0, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (mw_dbmail_add_alias (&f->admin, f->alice, "sales@example.com", 0, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (mw_dbmail_add_alias (&f->admin, f->bob, "@example.com", 0, &error), ==, 0);
  g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_CATCH_ALL);
  g_clear_error (&error);
  g_assert_cmpint (mw_dbmail_add_alias (&f->admin, f->bob, "no at all", 0, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (mw_dbmail_add_alias (&f->admin, 3, "pub@example.com", 0, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  catch_all = mw_dbmail_add_alias (&f->admin, f->bob, "@Example.NET", MW_ADDRESS_ALLOW_CATCH_ALL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (catch_all, >, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = '@example.net'"), ==, 1);

  /* Move: deliver_to and client_idnr follow the new owner. */
  g_assert_true (mw_dbmail_move_alias (&f->admin, id, f->carol, &error));
  g_assert_no_error (error);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias_idnr = %" G_GINT64_FORMAT
                         " AND deliver_to = '%" G_GINT64_FORMAT "' AND client_idnr = 2", id, f->carol);
  g_assert_cmpint (count (f, sql), ==, 1);

  g_assert_true (mw_dbmail_rename_alias (&f->admin, id, "sales@example.org", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'sales@example.org'"), ==, 1);
  g_assert_false (mw_dbmail_rename_alias (&f->admin, id, "bob@example.org", 0, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (mw_dbmail_delete_alias (&f->admin, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'sales@example.org'"), ==, 0);
  g_assert_false (mw_dbmail_delete_alias (&f->admin, id, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

static void
test_forwards (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 bcc, pipe, ext;

  /* A BCC: a second row for an address that delivers to bob. */
  bcc = mw_dbmail_add_forward (&f->admin, "bob@example.org", "Bob.Home@Gmail.example", 0, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'bob@example.org'"), ==, 2);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias_idnr = %" G_GINT64_FORMAT
                         " AND deliver_to = 'Bob.Home@gmail.example' AND client_idnr = 0", bcc);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_assert_cmpint (mw_dbmail_add_forward (&f->admin, "BOB@example.org", "bob.home@gmail.example", 0, -1, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (mw_dbmail_add_forward (&f->admin, "loop@example.org", "LOOP@example.org", 0, -1, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (mw_dbmail_add_forward (&f->admin, "num@example.org", "12", 0, -1, &error), ==, 0);
  g_assert_error (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET);
  g_clear_error (&error);

  pipe = mw_dbmail_add_forward (&f->admin, "sales@example.com", "|/usr/bin/procmail -m", 0, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias = 'sales@example.com' "
                             "AND deliver_to = '|/usr/bin/procmail -m' AND client_idnr = 4"), ==, 1);

  ext = mw_dbmail_add_forward (&f->admin, "info@example.com", "someone@else.example", 0, -1, &error);
  g_assert_no_error (error);
  g_assert_true (mw_dbmail_set_forward_target (&f->admin, ext, "other@else.example", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE deliver_to = 'other@else.example'"), ==, 1);

  /* Back to an alias of carol, named by her address. */
  g_assert_true (mw_dbmail_forward_to_alias (&f->admin, ext, "carol@example.org", &error));
  g_assert_no_error (error);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'info@example.com' AND deliver_to = '%"
                         G_GINT64_FORMAT "' AND client_idnr = 2", f->carol);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_assert_false (mw_dbmail_forward_to_alias (&f->admin, pipe, "nobody-here", &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

static void
test_group_add_domain (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) created = NULL;
  g_auto(GStrv) again = NULL;
  MwAdmin dry = f->admin;

  dry.dry_run = TRUE;
  created = mw_dbmail_group_add_domain (&dry, 1, "Bücher.Example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (created), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias LIKE '%xn--bcher-kva.example'"), ==, 0);
  g_clear_pointer (&created, g_strfreev);

  created = mw_dbmail_group_add_domain (&f->admin, 1, "Bücher.Example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (created), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *) created, "alice@xn--bcher-kva.example"));
  g_assert_true (g_strv_contains ((const char *const *) created, "bob@xn--bcher-kva.example"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_aliases WHERE alias LIKE '%@xn--bcher-kva.example' "
                             "AND client_idnr = 1"), ==, 2);
  /* Running it again creates nothing. */
  again = mw_dbmail_group_add_domain (&f->admin, 1, "bücher.example", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (again), ==, 0);
}

static void
test_alias_for_missing_user (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *sql = NULL;
  gint64 created = -1;
  gint64 id;

  /* An existing user, by address. */
  id = mw_dbmail_add_alias_for (&f->admin, "bob@example.org", "b@example.com", 0, TRUE, &created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (created, ==, 0);
  g_free (before);
  before = snapshot (f);

  /* No such user: refused unless asked to create it. */
  g_assert_cmpint (mw_dbmail_add_alias_for (&f->admin, "archive", "archive@example.com", 0, FALSE, &created, &error), ==, 0);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  id = mw_dbmail_add_alias_for (&f->admin, "archive", "archive@example.com", 0, TRUE, &created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (created, >, 3);
  g_assert_cmpint (id, ==, created);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT
                         " AND userid = 'archive' AND passwd = '' AND encryption_type = ''", created);
  g_assert_cmpint (count (f, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM dbmail_aliases WHERE alias = 'archive@example.com' AND deliver_to = '%"
                         G_GINT64_FORMAT "'", created);
  g_assert_cmpint (count (f, sql), ==, 1);
  /* It cannot log in: DBMail never accepts an empty stored password. */
  g_assert_false (mw_password_verify ("", "", "", &error));
  g_assert_false (mw_password_verify ("", "", "anything", &error));
  g_assert_no_error (error);

  /* A bad address creates no user either. */
  g_free (before);
  before = snapshot (f);
  g_assert_cmpint (mw_dbmail_add_alias_for (&f->admin, "nobody2", "not an address", 0, TRUE, &created, &error), ==, 0);
  g_assert_nonnull (error);
  g_free (after);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
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
    g_test_add ("/pg/admin/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, fixture_tear_down); \
    g_test_add ("/mysql/admin/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, fixture_tear_down); \
  } G_STMT_END

  ADD ("add-user", test_add_user);
  ADD ("add-user-refused", test_add_user_refused);
  ADD ("add-user-race", test_add_user_race);
  ADD ("add-user-metacharacters", test_add_user_metacharacters);
  ADD ("dry-run", test_dry_run);
  ADD ("update-user", test_update_user);
  ADD ("update-user-refused", test_update_user_refused);
  ADD ("delete-user", test_delete_user);
  ADD ("delete-group", test_delete_group);
  ADD ("connection-lost", test_connection_lost);
  ADD ("aliases", test_aliases);
  ADD ("forwards", test_forwards);
  ADD ("group-add-domain", test_group_add_domain);
  ADD ("alias-for-missing-user", test_alias_for_missing_user);
#undef ADD

  rc = mw_test_run ();
  return rc;
}
