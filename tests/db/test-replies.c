/* test-replies.c: DBMail's automatic notifications, automatic replies
 * (mw-replies.h) and server-side filters (mw-filters.h) on PostgreSQL and
 * MariaDB: every operation with its audit entry and its dry run; bad input
 * (a bad address, dates in the wrong order, invalid UTF-8, an unknown user,
 * a header name with ':', a folder name that is no folder name) refused
 * with nothing changed; the never/always active warnings; a deleted user's
 * rows gone with it; a connection killed mid-change changing nothing; and
 * mailwarden-cli's notify, autoreply and filter commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-account.h"
#include "mw-async-wait.h"
#include "mw-audit.h"
#include "mw-filters.h"
#include "mw-replies.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-filters.h"
#include "mw-session-replies.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
  gint64    alice;
  gint64    bob;
  char     *alice_key;
  char     *bob_key;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  driver)
{
  g_autoptr(GError) error = NULL;

  f->tdb = mw_test_db_new (driver, TRUE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  f->alice = mw_test_db_add_user (f->tdb, "alice", 0, 0);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 0, 0);
  f->alice_key = g_strdup_printf ("%" G_GINT64_FORMAT, f->alice);
  f->bob_key = g_strdup_printf ("%" G_GINT64_FORMAT, f->bob);
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_has_replies (f->schema));
  g_assert_true (mw_schema_has_filters (f->schema));
}

static void
tear_down (Fixture *f)
{
  g_assert_finalize_object (f->schema);
  g_free (f->alice_key);
  g_free (f->bob_key);
  mw_test_db_free (f->tdb);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

/* The three tables' rows, for "nothing changed". */
static char *
rows (Fixture *f)
{
  g_autoptr(GString) out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT user_idnr, notify_address FROM dbmail_auto_notifications "
                                      "ORDER BY user_idnr, notify_address", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT user_idnr, start_date, stop_date, reply_body FROM dbmail_auto_replies "
                                      "ORDER BY user_idnr, start_date", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT id, user_id, headername, headervalue, mailbox FROM dbmail_filters "
                                      "ORDER BY id", out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static MwAutoReply *
reply_new (const char *body,
           const char *start,
           const char *stop)
{
  MwAutoReply *r = mw_auto_reply_new ();

  r->body = g_strdup (body);
  r->start = g_strdup (start);
  r->stop = g_strdup (stop);
  return r;
}

/* A year's dates around now, as text. */
static char *
year_from_now (int years)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_years (now, years);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
test_notifications (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  set_up (f, driver);
  {
    g_autoptr(MwReplies) r = mw_schema_get_replies (f->schema, f->tdb->db, "alice", NULL, &error);

    g_assert_no_error (error);
    g_assert_null (r->notification);
    g_assert_null (r->auto_reply);
  }

  /* Set, by name: one row, audit-logged; what was there before comes back. */
  {
    g_autoptr(MwReplies) old = mw_schema_set_notification (f->schema, &f->admin, "alice", " Alice.Pager@Example.ORG ",
                                                           &error);
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_no_error (error);
    g_assert_null (old->notification);
    g_assert_cmpstr (entry->action, ==, "notify.set");
    g_assert_cmpstr (entry->target, ==, "alice");
    mw_test_assert_contains (entry->after, "Alice.Pager@example.org");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_notifications"), ==, 1);

  /* Set again, by key: still one row (MySQL has no primary key there, so
   * a stray second row of the user goes too). */
  if (f->tdb->driver == MW_DB_DRIVER_MYSQL)
    mw_test_db_exec (f->tdb, "INSERT INTO dbmail_auto_notifications (user_idnr, notify_address) "
                             "SELECT user_idnr, 'stray@example.org' FROM dbmail_users WHERE userid = 'alice'");
  {
    g_autoptr(MwReplies) old = mw_schema_set_notification (f->schema, &f->admin, f->alice_key, "pager@example.net",
                                                           &error);

    g_assert_no_error (error);
    g_assert_nonnull (old->notification);
  }
  {
    g_autofree char *got = mw_test_db_string (f->tdb, "SELECT notify_address FROM dbmail_auto_notifications");

    g_assert_cmpstr (got, ==, "pager@example.net");
    g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_notifications"), ==, 1);
  }

  /* Refused, nothing changed: a bad address, an unknown user, DBMail's own
   * accounts, a dry run. */
  before = rows (f);
  {
    g_autoptr(MwReplies) old = mw_schema_set_notification (f->schema, &f->admin, "alice", "not an address", &error);

    g_assert_null (old);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    mw_test_assert_contains (error->message, "not a valid mail address");
    g_clear_error (&error);
  }
  {
    g_autoptr(MwReplies) old = mw_schema_set_notification (f->schema, &f->admin, "alice", "x@exa\xffmple.org", &error);

    g_assert_null (old);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(MwReplies) old = mw_schema_set_notification (f->schema, &f->admin, "nobody", "x@example.org", &error);

    g_assert_null (old);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    mw_test_assert_contains (error->message, "nobody");
    g_clear_error (&error);
  }
  {
    g_autoptr(MwReplies) old = mw_schema_set_notification (f->schema, &f->admin, "anyone", "x@example.org", &error);

    g_assert_null (old);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(MwReplies) old = mw_schema_set_notification (f->schema, &f->admin, "alice", "x'); DROP TABLE x; --@e.org",
                                                           &error);

    g_assert_null (old);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
  }
  f->admin.dry_run = TRUE;
  {
    g_autoptr(MwReplies) old = mw_schema_clear_notification (f->schema, &f->admin, "alice", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (old->notification, ==, "pager@example.net");
  }
  f->admin.dry_run = FALSE;
  {
    g_autofree char *after = rows (f);

    g_assert_cmpstr (after, ==, before);
  }

  /* Clear. */
  {
    g_autoptr(MwReplies) old = mw_schema_clear_notification (f->schema, &f->admin, "alice", &error);
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_no_error (error);
    g_assert_cmpstr (old->notification, ==, "pager@example.net");
    g_assert_cmpstr (entry->action, ==, "notify.clear");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_notifications"), ==, 0);
  tear_down (f);
}

static void
test_auto_replies (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  set_up (f, driver);
  {
    g_autoptr(MwAutoReply) r = reply_new ("Ich bin bis zum 5. Januar nicht im Büro. 休暇中です。",
                                          "2030-12-20", "2031-01-05 12:00");
    g_autoptr(MwReplies) old = mw_schema_set_auto_reply (f->schema, &f->admin, "bob", r, &error);
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_no_error (error);
    g_assert_null (old->auto_reply);
    g_assert_cmpstr (entry->action, ==, "autoreply.set");
    g_assert_cmpstr (entry->target, ==, "bob");
  }
  {
    g_autoptr(MwReplies) got = mw_schema_get_replies (f->schema, f->tdb->db, f->bob_key, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (got->auto_reply);
    g_assert_cmpstr (got->auto_reply->start, ==, "2030-12-20 00:00:00");
    g_assert_cmpstr (got->auto_reply->stop, ==, "2031-01-05 12:00:00");
    g_assert_cmpstr (got->auto_reply->body, ==, "Ich bin bis zum 5. Januar nicht im Büro. 休暇中です。");
    g_assert_cmpint (mw_auto_reply_get_state (got->auto_reply, NULL), ==, MW_AUTO_REPLY_SCHEDULED);
    g_assert_null (mw_auto_reply_get_warning (got->auto_reply, NULL));
  }

  /* Replaced, one row also where MySQL allows two. */
  if (f->tdb->driver == MW_DB_DRIVER_MYSQL)
    mw_test_db_exec (f->tdb, "INSERT INTO dbmail_auto_replies (user_idnr, start_date, stop_date, reply_body) "
                             "SELECT user_idnr, '2001-01-01', '2001-01-02', 'stray' FROM dbmail_users "
                             "WHERE userid = 'bob'");
  {
    g_autoptr(MwAutoReply) r = reply_new ("Back on Monday.", "2030-06-01", "2030-06-02");
    g_autoptr(MwReplies) old = mw_schema_set_auto_reply (f->schema, &f->admin, "bob", r, &error);

    g_assert_no_error (error);
    g_assert_nonnull (old->auto_reply);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_replies"), ==, 1);
  {
    g_autofree char *body = mw_test_db_string (f->tdb, "SELECT reply_body FROM dbmail_auto_replies");

    g_assert_cmpstr (body, ==, "Back on Monday.");
  }

  /* Refused with a sentence, nothing changed. */
  before = rows (f);
  {
    struct { const char *body, *start, *stop, *says; } bad[] = {
      { "Away.", "2030-06-05", "2030-06-01", "stops (2030-06-01 23:59) before it starts (2030-06-05 00:00)" },
      { "Away.", "2030-06-05 10:00", "2030-06-05 10:00", "the stop must come after the start" },
      { "Aw\xc3\x28y.", "2030-06-01", "2030-06-05", "not valid UTF-8" },
      { "   \n ", "2030-06-01", "2030-06-05", "needs a text" },
      { "Away.", "2030-02-30", "2030-03-05", "“2030-02-30” is not a date" },
      { "Away.", "2030-06-01", "tomorrow", "“tomorrow” is not a date" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(MwAutoReply) r = reply_new (bad[i].body, bad[i].start, bad[i].stop);
        g_autoptr(MwReplies) old = mw_schema_set_auto_reply (f->schema, &f->admin, "bob", r, &error);

        g_assert_null (old);
        g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
        mw_test_assert_contains (error->message, bad[i].says);
        g_clear_error (&error);
      }
  }
  {
    g_autofree char *big = g_strnfill (MW_AUTO_REPLY_BODY_MAX + 1, 'x');
    g_autoptr(MwAutoReply) r = reply_new (big, NULL, NULL);
    g_autoptr(MwReplies) old = mw_schema_set_auto_reply (f->schema, &f->admin, "bob", r, &error);

    g_assert_null (old);
    mw_test_assert_contains (error->message, "at most 65535 fit");
    g_clear_error (&error);
  }
  {
    g_autoptr(MwAutoReply) r = reply_new ("Away.", NULL, NULL);
    g_autoptr(MwReplies) old = mw_schema_set_auto_reply (f->schema, &f->admin, "carol", r, &error);

    g_assert_null (old);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  f->admin.dry_run = TRUE;
  {
    g_autoptr(MwAutoReply) r = reply_new ("Dry.", NULL, NULL);
    g_autoptr(MwReplies) old = mw_schema_set_auto_reply (f->schema, &f->admin, "bob", r, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (old->auto_reply->body, ==, "Back on Monday.");
  }
  f->admin.dry_run = FALSE;
  {
    g_autofree char *after = rows (f);

    g_assert_cmpstr (after, ==, before);
  }

  /* The warnings: a stop in the past, and dates that make it always active. */
  {
    g_autoptr(MwAutoReply) r = reply_new ("Old.", "2001-01-01", "2001-01-31");
    g_autofree char *warning = NULL;

    g_assert_true (mw_auto_reply_check (r, &error));
    g_assert_cmpint (mw_auto_reply_get_state (r, NULL), ==, MW_AUTO_REPLY_NEVER_ACTIVE);
    warning = mw_auto_reply_get_warning (r, NULL);
    mw_test_assert_contains (warning, "will never be sent");
  }
  {
    g_autofree char *start = year_from_now (-5);
    g_autofree char *stop = year_from_now (20);
    g_autoptr(MwAutoReply) r = reply_new ("Always.", start, stop);
    g_autofree char *warning = NULL;

    g_assert_true (mw_auto_reply_check (r, &error));
    warning = mw_auto_reply_get_warning (r, NULL);
    mw_test_assert_contains (warning, "in effect always");
  }
  {
    g_autoptr(MwAutoReply) r = reply_new ("Now.", NULL, NULL);

    g_assert_true (mw_auto_reply_check (r, &error));
    g_assert_cmpint (mw_auto_reply_get_state (r, NULL), ==, MW_AUTO_REPLY_ACTIVE);
    g_assert_null (mw_auto_reply_get_warning (r, NULL));
  }

  /* Clear. */
  {
    g_autoptr(MwReplies) old = mw_schema_clear_auto_reply (f->schema, &f->admin, "bob", &error);
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_no_error (error);
    g_assert_cmpstr (old->auto_reply->body, ==, "Back on Monday.");
    g_assert_cmpstr (entry->action, ==, "autoreply.clear");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_replies"), ==, 0);
  tear_down (f);
}

static MwFilter *
filter_new (const char *name,
            const char *value,
            const char *mailbox)
{
  MwFilter *filter = mw_filter_new ();

  filter->header_name = g_strdup (name);
  filter->header_value = g_strdup (value);
  filter->mailbox = g_strdup (mailbox);
  return filter;
}

static void
test_filters (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  gint64 mine, global;

  set_up (f, driver);
  {
    g_autoptr(MwFilter) in = filter_new (" Subject: ", "%Rechnung%", "Büro/Rechnungen");
    g_autoptr(MwFilter) out = mw_schema_add_filter (f->schema, &f->admin, "alice", in, &error);
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_no_error (error);
    g_assert_cmpint (out->id, >, 0);
    g_assert_false (out->global);
    g_assert_cmpstr (out->user, ==, "alice");
    g_assert_cmpstr (out->header_name, ==, "subject");
    g_assert_cmpstr (out->mailbox, ==, "Büro/Rechnungen");
    g_assert_cmpstr (entry->action, ==, "filter.add");
    mine = out->id;
  }
  {
    g_autofree char *stored = mw_test_db_string (f->tdb, "SELECT mailbox FROM dbmail_filters");
    g_autofree char *name = mw_test_db_string (f->tdb, "SELECT headername FROM dbmail_filters");

    g_assert_cmpstr (stored, ==, "B&APw-ro/Rechnungen");
    g_assert_cmpstr (name, ==, "subject");
  }
  {
    g_autoptr(MwFilter) in = filter_new ("List-Id", "%<announce.example.org>%", "Lists");
    g_autoptr(MwFilter) out = mw_schema_add_filter (f->schema, &f->admin, NULL, in, &error);

    g_assert_no_error (error);
    g_assert_true (out->global);
    g_assert_cmpstr (out->user, ==, "anyone");
    global = out->id;
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_filters f JOIN dbmail_users u ON u.user_idnr = f.user_id "
                             "WHERE u.userid = 'anyone' AND f.headername = 'list-id'"), ==, 1);
  {
    g_autoptr(GPtrArray) list = mw_schema_list_filters (f->schema, f->tdb->db, f->alice_key, NULL, &error);
    g_autoptr(GPtrArray) everyone = mw_schema_list_filters (f->schema, f->tdb->db, NULL, NULL, &error);
    g_autoptr(GPtrArray) none = mw_schema_list_filters (f->schema, f->tdb->db, "bob", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpstr (((MwFilter *) list->pdata[0])->mailbox, ==, "Büro/Rechnungen");
    g_assert_cmpuint (everyone->len, ==, 1);
    g_assert_cmpstr (((MwFilter *) everyone->pdata[0])->header_value, ==, "%<announce.example.org>%");
    g_assert_cmpuint (none->len, ==, 0);
  }

  /* Refused, nothing changed. */
  before = rows (f);
  {
    struct { const char *name, *value, *mailbox, *says; } bad[] = {
      { "", "x", "INBOX", "needs the name of a header" },
      { "x-spam:flag", "yes", "INBOX", "is not the name of a header" },
      { "x spam", "yes", "INBOX", "is not the name of a header" },
      { "from", "", "INBOX", "needs a value" },
      { "from", "a\nb", "INBOX", "is one line" },
      { "from", "x", "", "needs the folder" },
      { "from", "x", "/INBOX", "is not a folder name" },
      { "from", "x", "INBOX//a", "is not a folder name" },
      { "from", "x", "INBOX/*", "is not a folder name" },
      { "from", "\xff", "INBOX", "not valid UTF-8" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(MwFilter) in = filter_new (bad[i].name, bad[i].value, bad[i].mailbox);
        g_autoptr(MwFilter) out = mw_schema_add_filter (f->schema, &f->admin, "alice", in, &error);

        g_assert_null (out);
        g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
        mw_test_assert_contains (error->message, bad[i].says);
        g_clear_error (&error);
      }
  }
  {
    g_autoptr(MwFilter) in = filter_new ("from", "x", "INBOX");
    g_autoptr(MwFilter) out = mw_schema_add_filter (f->schema, &f->admin, "nobody", in, &error);

    g_assert_null (out);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(MwFilter) out = mw_schema_delete_filter (f->schema, &f->admin, 999999, &error);

    g_assert_null (out);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    mw_test_assert_contains (error->message, "no filter number 999999");
    g_clear_error (&error);
  }
  f->admin.dry_run = TRUE;
  {
    g_autoptr(MwFilter) in = filter_new ("from", "%@example.com", "INBOX/Example");
    g_autoptr(MwFilter) out = mw_schema_add_filter (f->schema, &f->admin, "bob", in, &error);
    g_autoptr(MwFilter) gone = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (out->id, ==, 0);
    gone = mw_schema_delete_filter (f->schema, &f->admin, mine, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gone->user, ==, "alice");
  }
  f->admin.dry_run = FALSE;
  {
    g_autofree char *after = rows (f);

    g_assert_cmpstr (after, ==, before);
  }

  /* Delete. */
  {
    g_autoptr(MwFilter) gone = mw_schema_delete_filter (f->schema, &f->admin, global, &error);
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_no_error (error);
    g_assert_true (gone->global);
    g_assert_cmpstr (entry->action, ==, "filter.delete");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_filters"), ==, 1);
  tear_down (f);
}

/* A user deleted by Mailwarden takes its notification, reply and filters
 * with it; the other user's stay. */
static void
test_user_delete (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;

  set_up (f, driver);
  for (guint i = 0; i < 2; i++)
    {
      const char *who = i == 0 ? "alice" : "bob";
      g_autoptr(MwAutoReply) r = reply_new ("Away.", NULL, NULL);
      g_autoptr(MwFilter) in = filter_new ("from", "%boss%", "Boss");
      g_autoptr(MwReplies) a = mw_schema_set_notification (f->schema, &f->admin, who, "pager@example.org", &error);
      g_autoptr(MwReplies) b = mw_schema_set_auto_reply (f->schema, &f->admin, who, r, &error);
      g_autoptr(MwFilter) c = mw_schema_add_filter (f->schema, &f->admin, who, in, &error);

      g_assert_no_error (error);
    }
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, f->bob_key, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_notifications"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_replies"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_filters"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM dbmail_filters WHERE user_id = %" G_GINT64_FORMAT,
                                            f->alice);

    g_assert_cmpint (count (f, sql), ==, 1);
  }
  tear_down (f);
}

/* A connection killed in the middle of replacing an auto-reply (stalled on
 * its insert, after its delete) leaves the rows as they were. */
static void
test_killed (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autoptr(MwAutoReply) first = reply_new ("First.", "2030-01-01", "2030-01-10");
  g_autoptr(MwAutoReply) second = reply_new ("Second.", "2030-02-01", "2030-02-10");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  MwTestKiller *killer;
  gboolean killed;
  MwDb *db;

  set_up (f, driver);
  {
    g_autoptr(MwReplies) old = mw_schema_set_auto_reply (f->schema, &f->admin, "alice", first, &error);

    g_assert_no_error (error);
  }
  mw_test_db_stall (f->tdb, "dbmail_auto_replies", "INSERT", NULL);
  before = rows (f);

  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(MwReplies) old = NULL;

    mw_session_set_auto_reply_async (session, "alice", second, FALSE, NULL, mw_async_wait_ready, &res);
    old = mw_session_set_auto_reply_finish (session, mw_async_wait (&res), &error);
    g_assert_null (old);
  }
  killed = mw_test_killer_join (killer);
  g_assert_true (killed);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  after = rows (f);
  g_assert_cmpstr (after, ==, before);

  mw_test_db_drop_stall (f->tdb, "dbmail_auto_replies");
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(MwReplies) old = NULL;

    mw_session_set_auto_reply_async (session, "alice", second, FALSE, NULL, mw_async_wait_ready, &res);
    old = mw_session_set_auto_reply_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (old->auto_reply->body, ==, "First.");
  }
  g_clear_object (&session);
  tear_down (f);
}

#define CLI(status_, ...) \
  g_auto(MwTestRun) r = { 0 }; \
  mw_test_run_cli (&r, NULL, "--db", uri, __VA_ARGS__, NULL); \
  g_assert_cmpint (r.status, ==, status_)

/* mailwarden-cli: notify, autoreply, filter and the filters list. */
static void
test_cli (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *uri = NULL;
  g_autofree char *before = NULL;
  g_autofree char *id = NULL;

  set_up (f, driver);
  uri = mw_test_vmail_db_uri (f->tdb);
  {
    CLI (0, "notify", "set", "--help");
    mw_test_assert_contains (r.out, "AUTO_NOTIFY = yes");
  }
  {
    CLI (0, "notify", "set", "alice", "pager@example.org");
    mw_test_assert_contains (r.out, "Each new message of alice is now announced to pager@example.org.");
  }
  {
    CLI (0, "notify", "show", "alice", "--json");
    mw_test_assert_contains (r.out, "\"notification\":\"pager@example.org\"");
  }
  {
    CLI (1, "notify", "set", "alice", "no address");
    mw_test_assert_contains (r.err, "not a valid mail address");
  }
  {
    CLI (1, "autoreply", "set", "bob", "--body", "Away.", "--start", "2030-06-05", "--stop", "2030-06-01");
    mw_test_assert_contains (r.err, "the stop must come after the start");
  }
  {
    CLI (0, "autoreply", "set", "bob", "--body", "Old news.", "--start", "2001-01-01", "--stop", "2001-01-02");
    mw_test_assert_contains (r.out, "bob now replies automatically from 2001-01-01 00:00:00 "
                                    "until 2001-01-02 23:59:59.");
    mw_test_assert_contains (r.err, "will never be sent");
  }
  {
    CLI (0, "filter", "add", "alice", "Subject", "%Rechnung%", "Büro", "--json");
    mw_test_assert_contains (r.out, "\"header\":\"subject\"");
    mw_test_assert_contains (r.out, "\"mailbox\":\"Büro\"");
  }
  {
    CLI (0, "filter", "add", "--global", "list-id", "%announce%", "Lists");
    mw_test_assert_contains (r.out, "for everybody");
  }
  {
    CLI (4, "filter", "add", "nobody", "from", "x", "INBOX");
    mw_test_assert_contains (r.err, "nobody");
  }
  before = rows (f);
  {
    CLI (0, "notify", "clear", "alice", "--dry-run");
    mw_test_assert_contains (r.out, "Dry run: nothing was changed.");
  }
  {
    CLI (0, "autoreply", "clear", "bob", "--dry-run", "--json");
    mw_test_assert_contains (r.out, "\"dry_run\":true");
  }
  id = mw_test_db_string (f->tdb, "SELECT min(id) FROM dbmail_filters");
  {
    CLI (0, "filter", "delete", id, "--dry-run");
    mw_test_assert_contains (r.out, "can be deleted");
  }
  {
    g_autofree char *now = rows (f);

    g_assert_cmpstr (now, ==, before);
  }
  {
    CLI (0, "filter", "list");
    mw_test_assert_contains (r.out, "list-id LIKE “%announce%” → Lists");
  }
  {
    CLI (0, "filters", "--json", "--search", "rechnung");
    mw_test_assert_contains (r.out, "\"total\":1");
    mw_test_assert_contains (r.out, "alice");
  }
  {
    CLI (0, "filters");
    mw_test_assert_contains (r.out, "Büro");
    mw_test_assert_contains (r.out, "anyone");
  }
  {
    CLI (0, "filter", "delete", id);
    mw_test_assert_contains (r.out, "Deleted filter #");
  }
  {
    CLI (0, "notify", "clear", "alice");
    mw_test_assert_contains (r.out, "alice gets no more notifications.");
  }
  {
    CLI (0, "autoreply", "clear", "bob");
    mw_test_assert_contains (r.out, "bob no longer replies automatically.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_notifications"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_auto_replies"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_filters"), ==, 1);
  tear_down (f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();

  mw_test_add_both ("/replies/notifications", test_notifications);
  mw_test_add_both ("/replies/auto-replies", test_auto_replies);
  mw_test_add_both ("/replies/filters", test_filters);
  mw_test_add_both ("/replies/user-delete", test_user_delete);
  mw_test_add_both ("/replies/killed", test_killed);
  mw_test_add_both ("/replies/cli", test_cli);

  return mw_test_run ();
}
