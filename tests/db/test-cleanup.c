/* test-cleanup.c: the cleanup with a dry run (mw-cleanup.h, issue 19 F5)
 * on PostgreSQL and MariaDB. On a DBMail database with every kind of
 * problem beside rows that are fine: the dry run finds each, a connection
 * killed mid-batch undoes that batch only, Stop leaves the rest, the apply
 * fixes exactly those (the fine rows are byte for byte the same), a second
 * dry run finds nothing, mail with status 0, 1 or 5 is never touched,
 * purging only when asked, the audit log; mailwarden-cli's cleanup and its
 * exit codes; ISPmail's one step (vacuum).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-async-wait.h"
#include "mw-audit.h"
#include "mw-cleanup.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-cleanup.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  gint64    alice, bob, carol, dave, delivery;
} Fixture;

static void
exec (Fixture *f, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
exec (Fixture    *f,
      const char *fmt,
      ...)
{
  va_list ap;
  g_autofree char *sql = NULL;

  va_start (ap, fmt);
  sql = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  mw_test_db_exec (f->tdb, sql);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

static void
add_body (Fixture *f,
          gint64   id,
          gint64   size)
{
  exec (f, "INSERT INTO dbmail_physmessage (id, messagesize, rfcsize, internal_date) "
           "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '2026-11-01 10:00:00')",
        id, size, size + 10);
}

static void
add_part (Fixture *f,
          gint64   id,
          gint64   body,
          gint     key)
{
  g_autofree char *exists = g_strdup_printf ("SELECT COUNT(*) FROM dbmail_mimeparts WHERE id = %" G_GINT64_FORMAT, id);

  if (count (f, exists) == 0)
    exec (f, "INSERT INTO dbmail_mimeparts (id, hash, data, size) VALUES (%" G_GINT64_FORMAT ", 'h%"
             G_GINT64_FORMAT "', 'part', 4)", id, id);
  if (body > 0)
    exec (f, "INSERT INTO dbmail_partlists (physmessage_id, is_header, part_key, part_depth, part_order, part_id) "
             "VALUES (%" G_GINT64_FORMAT ", 0, %d, 0, 0, %" G_GINT64_FORMAT ")", body, key, id);
}

static void
add_value (Fixture *f,
           gint64   id,
           gint64   body)
{
  exec (f, "INSERT INTO dbmail_headervalue (id, hash, headervalue) VALUES (%" G_GINT64_FORMAT ", 'v%"
           G_GINT64_FORMAT "', 'Subject %" G_GINT64_FORMAT "')", id, id, id);
  if (body > 0)
    exec (f, "INSERT INTO dbmail_header (physmessage_id, headername_id, headervalue_id) "
             "VALUES (%" G_GINT64_FORMAT ", 901, %" G_GINT64_FORMAT ")", body, id);
}

static void
add_message (Fixture *f,
             gint64   id,
             gint64   mailbox,
             gint64   body,
             gint     status)
{
  exec (f, "INSERT INTO dbmail_messages (message_idnr, mailbox_idnr, physmessage_id, unique_id, status) "
           "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'u%" G_GINT64_FORMAT "', %d)",
        id, mailbox, body, id, status);
}

static void
add_mailbox (Fixture    *f,
             gint64      id,
             gint64      owner,
             const char *name)
{
  exec (f, "INSERT INTO dbmail_mailboxes (mailbox_idnr, owner_idnr, name) VALUES (%" G_GINT64_FORMAT ", %"
           G_GINT64_FORMAT ", '%s')", id, owner, name);
}

static void
foreign_keys (Fixture  *f,
              gboolean  on)
{
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    exec (f, "SET session_replication_role = %s", on ? "DEFAULT" : "replica");
  else
    exec (f, "SET FOREIGN_KEY_CHECKS = %d", on ? 1 : 0);
}

/* Fine: alice (group 1) with mail of status 0, 1, 2 ... counted right and
 * her alias in her group; a forward in group 5; an alias to a missing user;
 * the delivery account's message being delivered (status 5) and its
 * counter (DBMail never counts it); part 301 shared by alice's body and a
 * deleted user's.
 * Problems: alias a2 (to bob, group 7 instead of 2); bob's and carol's
 * counters; dave deleted the way dbmail-users -d leaves him (body 106,
 * part 304, header value 406); a loose part 305 and header value 405; a
 * folder of a missing user (511, with message 211 and body 107) and a
 * message of a missing folder (212, body 108); expunged mail 204 and 207
 * (status 2); mail marked for purging 205 (body 105 with its own part 303
 * and value 403 only it uses) and 206 (sharing alice's body 101). */
static void
set_up (Fixture       *f,
        gconstpointer  driver)
{
  g_autoptr(GError) error = NULL;

  f->tdb = mw_test_db_new (driver, TRUE);
  f->alice = mw_test_db_add_user (f->tdb, "alice", 1, 0);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 2, 0);
  f->carol = mw_test_db_add_user (f->tdb, "carol", 0, 0);
  f->dave = mw_test_db_add_user (f->tdb, "dave", 0, 0);
  f->delivery = count (f, "SELECT user_idnr FROM dbmail_users WHERE userid = '__@!internal_delivery_user!@__'");
  g_assert_cmpint (f->delivery, >, 0);
  exec (f, "INSERT INTO dbmail_headername (id, headername) VALUES (901, 'x-mw-test')");

  add_mailbox (f, 501, f->alice, "INBOX");
  add_mailbox (f, 502, f->alice, "Trash");
  add_mailbox (f, 503, f->bob, "INBOX");
  add_mailbox (f, 504, f->dave, "INBOX");
  add_mailbox (f, 505, f->delivery, "INBOX");

  add_body (f, 101, 100);
  add_part (f, 301, 101, 1);
  add_part (f, 302, 101, 2);
  add_value (f, 401, 101);
  add_body (f, 102, 200);
  add_body (f, 103, 50);
  add_body (f, 104, 300);
  add_body (f, 105, 400);
  add_part (f, 303, 105, 1);
  add_value (f, 403, 105);
  add_body (f, 106, 600);
  add_part (f, 301, 106, 1);
  add_part (f, 304, 106, 2);
  add_value (f, 406, 106);
  add_body (f, 109, 1000);
  add_body (f, 110, 70);
  add_body (f, 111, 80);

  add_message (f, 201, 501, 101, 0);
  add_message (f, 202, 501, 102, 1);
  add_message (f, 203, 505, 103, 5);
  add_message (f, 204, 502, 104, 2);
  add_message (f, 207, 502, 110, 2);
  add_message (f, 205, 502, 105, 3);
  add_message (f, 206, 502, 101, 3);
  add_message (f, 208, 503, 109, 0);
  add_message (f, 209, 504, 106, 0);
  add_message (f, 210, 501, 111, 1);
  exec (f, "UPDATE dbmail_users SET curmail_size = 380 WHERE userid = 'alice'");
  exec (f, "UPDATE dbmail_users SET curmail_size = 5 WHERE userid = 'bob'");
  exec (f, "UPDATE dbmail_users SET curmail_size = 77 WHERE userid = 'carol'");
  exec (f, "UPDATE dbmail_users SET curmail_size = 600 WHERE userid = 'dave'");
  exec (f, "UPDATE dbmail_users SET curmail_size = 999 WHERE user_idnr = %" G_GINT64_FORMAT, f->delivery);

  exec (f, "INSERT INTO dbmail_aliases (alias, deliver_to, client_idnr) VALUES ('a2@example.org', '%"
           G_GINT64_FORMAT "', 7)", f->bob);
  exec (f, "INSERT INTO dbmail_aliases (alias, deliver_to, client_idnr) VALUES ('fw@example.org', "
           "'x@elsewhere.example', 5)");
  exec (f, "INSERT INTO dbmail_aliases (alias, deliver_to, client_idnr) VALUES ('gone@example.org', '999999', 3)");

  /* dbmail-users -d: the user's rows go, the bodies stay. */
  exec (f, "DELETE FROM dbmail_users WHERE userid = 'dave'");
  add_part (f, 305, 0, 0);
  add_value (f, 405, 0);
  /* Rows no schema with its foreign keys would let in, as old databases hold them. */
  foreign_keys (f, FALSE);
  add_body (f, 107, 10);
  add_body (f, 108, 20);
  add_mailbox (f, 511, 424242, "Lost");
  add_message (f, 211, 511, 107, 0);
  add_message (f, 212, 434343, 108, 0);
  foreign_keys (f, TRUE);

  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
}

static void
tear_down (Fixture *f)
{
  g_clear_object (&f->schema);
  g_clear_pointer (&f->tdb, mw_test_db_free);
}

/* The rows that are fine, in every table the cleanup touches. */
static char *
fine_rows (Fixture *f)
{
  static const char *const queries[] = {
    "SELECT * FROM dbmail_users WHERE userid NOT IN ('bob', 'carol') ORDER BY user_idnr",
    "SELECT * FROM dbmail_aliases WHERE alias <> 'a2@example.org' ORDER BY alias_idnr",
    "SELECT * FROM dbmail_mailboxes WHERE mailbox_idnr <> 511 ORDER BY mailbox_idnr",
    "SELECT * FROM dbmail_messages WHERE message_idnr NOT IN (204, 205, 206, 207, 211, 212) ORDER BY message_idnr",
    "SELECT * FROM dbmail_physmessage WHERE id NOT IN (105, 106, 107, 108) ORDER BY id",
    "SELECT * FROM dbmail_partlists WHERE physmessage_id NOT IN (105, 106) ORDER BY physmessage_id, part_key",
    "SELECT * FROM dbmail_mimeparts WHERE id NOT IN (303, 304, 305) ORDER BY id",
    "SELECT * FROM dbmail_header WHERE physmessage_id NOT IN (105, 106) ORDER BY physmessage_id, headervalue_id",
    "SELECT * FROM dbmail_headervalue WHERE id NOT IN (403, 405, 406) ORDER BY id",
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_string_append_printf (out, "-- %s\n", queries[i]);
      mw_test_db_append_rows (f->tdb->db, queries[i], out);
    }
  return g_string_free (out, FALSE);
}

static MwCleanupPreview *
preview (Fixture       *f,
         MwCleanupStep  step)
{
  g_autoptr(GError) error = NULL;
  MwCleanupPreview *p = mw_schema_cleanup_preview (f->schema, f->tdb->db, step, 5, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_nonnull (p->summary);
  return p;
}

static gboolean
strv_has (GStrv strv, const char *text)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (strstr (strv[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static GPtrArray *
session_preview (MwSession      *session,
                 MwCleanupSteps  steps)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  mw_session_cleanup_preview_async (session, steps, 5, NULL, mw_async_wait_ready, &res);
  list = mw_session_cleanup_preview_finish (session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  return list;
}

static gint64
to_do (GPtrArray *previews)
{
  gint64 n = 0;

  for (guint i = 0; i < previews->len; i++)
    n += ((MwCleanupPreview *) g_ptr_array_index (previews, i))->count;
  return n;
}

static void
on_progress (MwCleanupStep step,
             gint64        done,
             gint64        total,
             gpointer      user_data)
{
  guint *calls = user_data;

  g_assert_cmpint (done, <=, total);
  (*calls)++;
}

static void
on_progress_stop (MwCleanupStep step,
                  gint64        done,
                  gint64        total,
                  gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* The audit entries whose action is @action (newest first). */
static guint
audit_count (Fixture    *f,
             const char *action,
             const char *after_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = mw_audit_read (0, &error);
  guint n = 0;

  g_assert_no_error (error);
  g_ptr_array_set_free_func (entries, (GDestroyNotify) mw_audit_entry_free);
  for (guint i = 0; i < entries->len; i++)
    {
      MwAuditEntry *e = g_ptr_array_index (entries, i);

      if (g_str_equal (e->action, action) && e->database != NULL && strstr (e->database, f->tdb->database) != NULL
          && (after_part == NULL || (e->after != NULL && strstr (e->after, after_part) != NULL)))
        n++;
    }
  return n;
}

static void
test_proof (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GPtrArray) previews = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bob_alias = NULL;
  MwTestKiller *killer;
  MwDb *db;

  set_up (f, driver);
  g_assert_cmpuint (mw_schema_cleanup_steps (f->schema), ==, MW_CLEANUP_ALL_STEPS);

  /* The dry run finds each problem, and only those. */
  {
    g_autoptr(MwCleanupPreview) p = preview (f, MW_CLEANUP_ALIAS_GROUPS);

    g_assert_cmpint (p->count, ==, 1);
    mw_test_assert_contains (p->summary, "1 alias is in another group than its user");
    g_assert_true (strv_has (p->samples, "alias a2@example.org is in group 7; its user bob is in group 2"));
  }
  {
    g_autoptr(MwCleanupPreview) p = preview (f, MW_CLEANUP_QUOTA);

    g_assert_cmpint (p->count, ==, 2);
    g_assert_true (strv_has (p->samples, "user bob: counted 5 bytes, keeps 1000 bytes of mail"));
    g_assert_true (strv_has (p->samples, "user carol: counted 77 bytes, keeps 0 bytes of mail"));
  }
  {
    g_autoptr(MwCleanupPreview) p = preview (f, MW_CLEANUP_ORPHANS);

    /* 1 folder, 2 messages, 3 bodies, 2 parts, 2 header values. */
    g_assert_cmpint (p->count, ==, 10);
    g_assert_true (strv_has (p->details, "1 folder whose owner is gone"));
    g_assert_true (strv_has (p->details, "2 messages whose folder is gone"));
    g_assert_true (strv_has (p->details, "3 message bodies that no message uses"));
    g_assert_true (strv_has (p->details, "2 message parts that no message uses"));
    g_assert_true (strv_has (p->details, "2 cached header values that no message uses"));
    g_assert_cmpint (p->bytes, ==, 600 + 10 + 20 + 4 + 4);
    g_assert_true (strv_has (p->samples, "folder “Lost” (number 511) of the missing user 424242"));
    g_assert_cmpuint (g_strv_length (p->samples), ==, 5);
  }
  {
    g_autoptr(MwCleanupPreview) p = preview (f, MW_CLEANUP_ESCALATE);

    g_assert_cmpint (p->count, ==, 2);
    mw_test_assert_contains (p->summary, "2 expunged messages would be marked for purging.");
    g_assert_true (strv_has (p->samples, "message 204 of alice in “Trash”"));
  }
  {
    g_autoptr(MwCleanupPreview) p = preview (f, MW_CLEANUP_PURGE);

    g_assert_cmpint (p->count, ==, 2);
    g_assert_cmpint (p->bytes, ==, 400);
  }
  {
    g_autoptr(MwCleanupPreview) p = preview (f, MW_CLEANUP_VACUUM);

    g_assert_cmpint (p->count, ==, 0);
    mw_test_assert_contains (p->summary, f->tdb->driver == MW_DB_DRIVER_PGSQL ? "VACUUM ANALYZE would run on"
                                                                              : "OPTIMIZE TABLE would run on");
  }
  /* A dry run is the preview: apply refuses it. */
  {
    MwAdmin dry = { f->tdb->db, "test", TRUE };

    g_assert_null (mw_schema_cleanup_apply (f->schema, &dry, MW_CLEANUP_QUOTA, 0, NULL, NULL, NULL, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
  }
  before = fine_rows (f);

  /* A connection killed in the second batch: the first stays, the second
   * is undone, and a sentence says so. */
  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  mw_test_db_stall (f->tdb, "dbmail_messages", "UPDATE", "NEW.message_idnr = 207");
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GPtrArray) results = NULL;

    mw_session_cleanup_apply_async (session, MW_CLEANUP_STEP_BIT (MW_CLEANUP_ESCALATE), 1, NULL, NULL, NULL,
                                    mw_async_wait_ready, &res);
    results = mw_session_cleanup_apply_finish (session, mw_async_wait (&res), &error);
    g_assert_null (results);
  }
  g_assert_true (mw_test_killer_join (killer));
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  mw_test_assert_contains (error->message, "the server undid the batch it was working on. 1 row was done before "
                                           "and stays done.");
  g_clear_error (&error);
  mw_test_db_drop_stall (f->tdb, "dbmail_messages");
  g_assert_cmpint (count (f, "SELECT status FROM dbmail_messages WHERE message_idnr = 204"), ==, 3);
  g_assert_cmpint (count (f, "SELECT status FROM dbmail_messages WHERE message_idnr = 207"), ==, 2);
  g_assert_cmpuint (audit_count (f, "cleanup.escalate", "\"keys\":\"204\""), ==, 1);
  g_clear_object (&session);

  /* Stop after the first batch: the rest stays for later. */
  {
    g_autoptr(GCancellable) stop = g_cancellable_new ();
    g_autoptr(MwCleanupResult) r = NULL;
    g_autoptr(MwCleanupPreview) p = NULL;
    MwAdmin admin = { f->tdb->db, "test", FALSE };

    r = mw_schema_cleanup_apply (f->schema, &admin, MW_CLEANUP_ORPHANS, 1, on_progress_stop, stop, stop, &error);
    g_assert_no_error (error);
    g_assert_true (r->stopped);
    g_assert_cmpint (r->done, ==, 1);
    g_assert_cmpuint (r->batches, ==, 1);
    mw_test_assert_contains (r->summary, "Stopped: Removed 1 row that no user owned. The rest was not done.");
    /* The folder went, with its message (the schema's cascade). */
    g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_mailboxes WHERE mailbox_idnr = 511"), ==, 0);
    p = preview (f, MW_CLEANUP_ORPHANS);
    g_assert_cmpint (p->count, ==, 8);
  }

  /* The plain apply: every step but purge, through the session. */
  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GPtrArray) results = NULL;
    guint calls = 0;

    mw_session_cleanup_apply_async (session, MW_CLEANUP_DEFAULT_STEPS, 2, on_progress, &calls, NULL,
                                    mw_async_wait_ready, &res);
    results = mw_session_cleanup_apply_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (results->len, ==, 5);
    g_assert_cmpint (((MwCleanupResult *) results->pdata[0])->done, ==, 1);
    mw_test_assert_contains (((MwCleanupResult *) results->pdata[0])->summary,
                             "Moved 1 alias to its user's group.");
    mw_test_assert_contains (((MwCleanupResult *) results->pdata[1])->summary, "Rebuilt 2 quota counters.");
    g_assert_cmpint (((MwCleanupResult *) results->pdata[2])->done, ==, 8);
    mw_test_assert_contains (((MwCleanupResult *) results->pdata[3])->summary,
                             "Marked 1 expunged message for purging.");
    g_assert_cmpint (((MwCleanupResult *) results->pdata[4])->step, ==, MW_CLEANUP_VACUUM);
    g_assert_cmpint (((MwCleanupResult *) results->pdata[4])->done, >, 10);
    g_assert_cmpuint (calls, >=, 5);
  }

  /* Exactly those: the problem rows fixed ... */
  bob_alias = g_strdup_printf ("SELECT client_idnr FROM dbmail_aliases WHERE alias = 'a2@example.org'");
  g_assert_cmpint (count (f, bob_alias), ==, 2);
  g_assert_cmpint (count (f, "SELECT curmail_size FROM dbmail_users WHERE userid = 'bob'"), ==, 1000);
  g_assert_cmpint (count (f, "SELECT curmail_size FROM dbmail_users WHERE userid = 'carol'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_messages WHERE message_idnr IN (204, 207) "
                             "AND status = 3"), ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_physmessage WHERE id IN (106, 107, 108)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_mimeparts WHERE id IN (304, 305)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_headervalue WHERE id IN (405, 406)"), ==, 0);
  /* ... and the fine rows byte for byte the same (status 0, 1 and 5 too,
   * the delivery account's counter, the shared part 301). */
  after = fine_rows (f);
  g_assert_cmpstr (before, ==, after);

  /* A second dry run finds nothing but mail marked for purging. */
  {
    g_autoptr(GPtrArray) again = session_preview (session, MW_CLEANUP_DEFAULT_STEPS);

    g_assert_cmpint (to_do (again), ==, 0);
    mw_test_assert_contains (((MwCleanupPreview *) again->pdata[0])->summary, "Nothing to do.");
  }
  {
    g_autoptr(MwCleanupPreview) p = preview (f, MW_CLEANUP_PURGE);

    g_assert_cmpint (p->count, ==, 4);
  }

  /* The audit log: one entry a batch, with the rows' keys. */
  g_assert_cmpuint (audit_count (f, "cleanup.alias-groups", "\"rows\":\"1\""), ==, 1);
  g_assert_cmpuint (audit_count (f, "cleanup.quota", NULL), ==, 1);
  g_assert_cmpuint (audit_count (f, "cleanup.orphans", "physmessages:106,107"), ==, 1);
  g_assert_cmpuint (audit_count (f, "cleanup.vacuum", "dbmail_users"), ==, 1);
  g_assert_cmpuint (audit_count (f, "cleanup.purge", NULL), ==, 0);

  /* Purge, asked for: the messages, and the body, part and value only
   * 205 used; alice's body 101 stays for her message 201. */
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GPtrArray) results = NULL;

    mw_session_cleanup_apply_async (session, MW_CLEANUP_STEP_BIT (MW_CLEANUP_PURGE), 0, NULL, NULL, NULL,
                                    mw_async_wait_ready, &res);
    results = mw_session_cleanup_apply_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    mw_test_assert_contains (((MwCleanupResult *) results->pdata[0])->summary, "Purged 4 messages.");
  }
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_messages WHERE status IN (2, 3)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_physmessage WHERE id IN (104, 105, 110)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_mimeparts WHERE id = 303"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_headervalue WHERE id = 403"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_physmessage WHERE id = 101"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_messages WHERE status IN (0, 1, 5)"), ==, 5);
  g_assert_cmpuint (audit_count (f, "cleanup.purge", "\"rows\":\"4\""), ==, 1);
  {
    g_autoptr(GPtrArray) again = session_preview (session, MW_CLEANUP_ALL_STEPS);

    g_assert_cmpint (to_do (again), ==, 0);
  }
  g_clear_object (&session);
  tear_down (f);
}

#define CLI(status_, ...) \
  g_auto(MwTestRun) r = { 0 }; \
  mw_test_run_cli (&r, NULL, "--db", uri, __VA_ARGS__, NULL); \
  g_assert_cmpint (r.status, ==, status_)

static void
test_cli (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *uri = NULL;

  set_up (f, driver);
  uri = mw_test_vmail_db_uri (f->tdb);
  {
    CLI (7, "cleanup");
    mw_test_assert_contains (r.out, "Dry run: nothing was changed.");
    mw_test_assert_contains (r.out, "quota (Rebuild quota counters): 2 users' used space disagrees");
    mw_test_assert_contains (r.out, "    e.g. user bob: counted 5 bytes, keeps 1000 bytes of mail");
    mw_test_assert_contains (r.out, "    3 message bodies that no message uses");
    mw_test_assert_contains (r.out, "Run it again with --apply to do this.");
    mw_test_assert_contains (r.out, "only with --only purge or --purge");
    g_assert_null (strstr (r.out, "purge (Purge marked mail)"));
  }
  {
    CLI (1, "cleanup", "--only", "quota,nonsense");
    mw_test_assert_contains (r.err, "There is no cleanup step “nonsense”");
  }
  {
    CLI (7, "cleanup", "--only", "quota", "--json");
    mw_test_assert_contains (r.out, "{\"dry_run\":true,\"to_do\":true,\"steps\":[{\"step\":\"quota\"");
    mw_test_assert_contains (r.out, "\"count\":2");
  }
  g_assert_cmpint (count (f, "SELECT curmail_size FROM dbmail_users WHERE userid = 'bob'"), ==, 5);
  {
    CLI (0, "cleanup", "--apply", "--only", "quota,alias-groups", "--batch", "1");
    mw_test_assert_contains (r.out, "quota: 1 of 2\nquota: 2 of 2\n");
    mw_test_assert_contains (r.out, "alias-groups: Moved 1 alias to its user's group.");
    mw_test_assert_contains (r.out, "quota: Rebuilt 2 quota counters.");
  }
  g_assert_cmpint (count (f, "SELECT curmail_size FROM dbmail_users WHERE userid = 'bob'"), ==, 1000);
  {
    CLI (0, "cleanup", "--only", "quota,alias-groups");
    mw_test_assert_contains (r.out, "Nothing to do.");
  }
  {
    CLI (0, "cleanup", "--apply", "--json");
    mw_test_assert_contains (r.out, "{\"dry_run\":false,\"stopped\":false,\"steps\":[");
    mw_test_assert_contains (r.out, "{\"step\":\"escalate\",\"done\":2,");
  }
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM dbmail_messages WHERE status = 3"), ==, 4);
  {
    CLI (7, "cleanup", "--purge");
    mw_test_assert_contains (r.out, "purge (Purge marked mail): 4 messages marked for purging would be removed");
  }
  {
    CLI (0, "cleanup", "--apply", "--only", "purge");
    mw_test_assert_contains (r.out, "purge: Purged 4 messages.");
  }
  tear_down (f);

  /* ISPmail: the one step there is. */
  {
    g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
    g_autofree char *vuri = NULL;
    g_auto(MwTestRun) r = { 0 };
    g_auto(MwTestRun) r2 = { 0 };

    mw_test_vmail_load_schema (tdb, "ispmail");
    vuri = mw_test_vmail_db_uri (tdb);
    mw_test_run_cli (&r, NULL, "--db", vuri, "cleanup", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "vacuum (Compact and analyse tables):");
    mw_test_run_cli (&r2, NULL, "--db", vuri, "cleanup", "--only", "quota", NULL);
    g_assert_cmpint (r2.status, !=, 0);
    mw_test_assert_contains (r2.err, "None of the cleanup steps asked for applies to this kind of mail database.");
  }
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();
  mw_test_add_both ("/cleanup/proof", test_proof);
  mw_test_add_both ("/cleanup/cli", test_cli);
  return mw_test_run ();
}
