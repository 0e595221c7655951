/* test-health.c: the health checks (mw-health.h) on PostgreSQL and MariaDB:
 * a DBMail database made here with one or a few rows of each problem beside
 * rows that are fine; each check finds exactly its problem rows (their
 * samples, their count) and nothing among the fine ones. Passwords are real
 * hashes (libxcrypt) of each weak kind beside strong ones with salts of
 * their own. mailwarden-cli health --json and its exit status; a connection
 * killed while a check waits gives a sentence naming the check. One
 * ISPmail and one PostfixAdmin database with the checks that apply there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <crypt.h>
#include <string.h>

#include "mw-async-wait.h"
#include "mw-health.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-health.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb  *tdb;
  MwSession *session;
} Fixture;

static char *
hash (const char *password,
      const char *prefix,
      unsigned long cost)
{
  const char *setting = crypt_gensalt (prefix, cost, NULL, 0);
  struct crypt_data data = { 0 };

  g_assert_nonnull (setting);
  return g_strdup (crypt_r (password, setting, &data));
}

static char *
hash_with (const char *password,
           const char *setting)
{
  struct crypt_data data = { 0 };

  return g_strdup (crypt_r (password, setting, &data));
}

/* A user with an INBOX (unless no_inbox); returns its number. */
static gint64
add_user (Fixture    *f,
          const char *userid,
          const char *passwd,
          const char *encryption,
          gint64      client,
          gboolean    inbox)
{
  MwDbValue params[] = { MW_DB_TEXT (userid), MW_DB_TEXT (passwd), MW_DB_TEXT (encryption), MW_DB_INT64 (client) };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = NULL;
  gint64 id;

  r = mw_db_exec (f->tdb->db, "INSERT INTO dbmail_users (userid, passwd, encryption_type, client_idnr) "
                  "VALUES ($1, $2, $3, $4)", params, 4, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, mw_db_result_unref);
  r = mw_db_exec (f->tdb->db, "SELECT user_idnr FROM dbmail_users WHERE userid = $1", params, 1, NULL, &error);
  g_assert_no_error (error);
  id = mw_db_result_get_int64 (r, 0, 0);
  if (inbox)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%"
                                              G_GINT64_FORMAT ", 'INBOX')", id);

      mw_test_db_exec (f->tdb, sql);
    }
  return id;
}

static gint64
add_strong (Fixture    *f,
            const char *userid,
            gint64      client)
{
  g_autofree char *h = hash ("secret", "$6$", 0);

  return add_user (f, userid, h, "crypt", client, TRUE);
}

static void
alias (Fixture    *f,
       const char *address,
       gint64      user,
       gint64      client)
{
  g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, user);

  mw_test_db_add_alias (f->tdb, address, to, client);
}

static void
set_up (Fixture       *f,
        gconstpointer  driver)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *md5c = hash_with ("secret", "$1$c9809462$");
  g_autofree char *des = hash_with ("secret", "ab");
  g_autofree char *low = hash ("secret", "$2b$", 5);
  g_autofree char *bob_hash = hash ("secret", "$2b$", 10);
  g_autofree char *sql = NULL;
  gint64 alice, bob, disabled, full;
  MwDb *db;

  f->tdb = mw_test_db_new (driver, TRUE);

  /* Fine: strong hashes with salts of their own, INBOXes, postmaster@ and
   * abuse@ of example.org, a catch-all in alice's group, forwards out and
   * to a user. */
  alice = add_strong (f, "alice@example.org", 1);
  bob = add_user (f, "bob@example.org", bob_hash, "crypt", 1, TRUE);
  alias (f, "postmaster@example.org", alice, 1);
  alias (f, "abuse@example.org", alice, 1);
  alias (f, "@example.net", alice, 1);
  mw_test_db_add_alias (f->tdb, "fwd@example.org", "someone@external.com", 0);
  mw_test_db_add_alias (f->tdb, "ok-fwd@example.org", "alice@example.org", 0);
  mw_test_db_add_alias (f->tdb, "prog@example.org", "|/usr/bin/true", 0);
  /* alice has one message and the right counter. */
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_physmessage (messagesize, rfcsize, internal_date) "
                           "VALUES (500, 510, CURRENT_TIMESTAMP)");
  sql = g_strdup_printf ("INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, unique_id, status) "
                         "SELECT m.mailbox_idnr, (SELECT max(id) FROM dbmail_physmessage), 'u1', 0 "
                         "FROM dbmail_mailboxes m WHERE m.owner_idnr = %" G_GINT64_FORMAT, alice);
  mw_test_db_exec (f->tdb, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE dbmail_users SET curmail_size = 500 WHERE user_idnr = %" G_GINT64_FORMAT, alice);
  mw_test_db_exec (f->tdb, sql);

  /* Problems. */
  add_user (f, "plain@example.org", "secret", "", 1, TRUE);
  add_user (f, "md5sum@example.org", "5ebe2294ecd0e0f08eab7690d2a6ee69", "md5sum", 1, TRUE);
  add_user (f, "des@example.org", des, "crypt", 1, TRUE);
  add_user (f, "md5c1@example.org", md5c, "md5", 1, TRUE);
  add_user (f, "md5c2@example.org", md5c, "md5", 1, TRUE);
  add_user (f, "md5c3@example.org", md5c, "md5", 1, TRUE);
  add_user (f, "lowbf@example.org", low, "crypt", 1, TRUE);
  add_strong (f, "carol@example.org", 1);
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    add_strong (f, "Carol@example.org", 1);   /* MariaDB's unique key refuses it, as DBMail would wish */
  {
    g_autofree char *h = hash ("secret", "$6$", 0);

    add_user (f, "noinbox@example.org", h, "crypt", 1, FALSE);
  }
  disabled = add_strong (f, "disabled@example.org", 2);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE dbmail_users SET active = 0 WHERE user_idnr = %" G_GINT64_FORMAT, disabled);
  mw_test_db_exec (f->tdb, sql);
  alias (f, "dis-alias@example.org", disabled, 2);
  full = add_strong (f, "full@example.org", 3);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE dbmail_users SET maxmail_size = 1000, curmail_size = 1000 "
                         "WHERE user_idnr = %" G_GINT64_FORMAT, full);
  mw_test_db_exec (f->tdb, sql);
  alias (f, "full-alias@example.org", full, 3);
  mw_test_db_add_alias (f->tdb, "ghost@example.org", "999999", 0);
  alias (f, "grp@example.org", bob, 5);
  mw_test_db_add_alias (f->tdb, "loop1@example.org", "loop2@example.org", 0);
  mw_test_db_add_alias (f->tdb, "loop2@example.org", "LOOP1@example.org", 0);
  mw_test_db_add_alias (f->tdb, "dead@example.org", "nobody@example.org", 0);
  add_strong (f, "typo@exmaple.org", 1);
  alias (f, "sales@apple.com", bob, 1);
  alias (f, "sales@xn--pple-43d.com", bob, 1);     /* "аpple.com" with a Cyrillic а */
  /* A message body no message uses. */
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_physmessage (messagesize, rfcsize, internal_date) "
                           "VALUES (700, 720, CURRENT_TIMESTAMP)");

  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  f->session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
}

static void
tear_down (Fixture *f)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->tdb, mw_test_db_free);
}

static void
on_check_done (const MwHealthCheckResult *result,
               guint                      done,
               guint                      total,
               gpointer                   user_data)
{
  GPtrArray *seen = user_data;

  g_assert_cmpuint (done, ==, seen->len + 1);
  g_assert_cmpuint (total, >=, done);
  g_ptr_array_add (seen, g_strdup (result->check));
}

static GPtrArray *
run (Fixture            *f,
     const char *const  *only,
     GPtrArray          *seen,
     GError            **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  mw_session_run_health_async (f->session, only, G_MAXUINT, on_check_done, seen, NULL, mw_async_wait_ready, &res);
  return mw_session_run_health_finish (f->session, mw_async_wait (&res), error);
}

static gint
by_text (gconstpointer a,
         gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* "id: count: label | label" for each finding of a check, sorted labels,
 * a line each. */
static char *
describe (GPtrArray  *results,
          const char *check)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < results->len; i++)
    {
      MwHealthCheckResult *r = results->pdata[i];

      if (!g_str_equal (r->check, check))
        continue;
      for (guint j = 0; j < r->findings->len; j++)
        {
          MwHealthFinding *fd = r->findings->pdata[j];
          g_autoptr(GPtrArray) labels = g_ptr_array_new ();

          g_assert_cmpstr (fd->check, ==, check);
          g_assert_true (fd->reason[0] != '\0' && fd->fix[0] != '\0');
          for (guint k = 0; k < fd->samples->len; k++)
            g_ptr_array_add (labels, ((MwHealthSample *) fd->samples->pdata[k])->label);
          g_ptr_array_sort (labels, by_text);
          g_string_append_printf (s, "%s: %" G_GUINT64_FORMAT ":", fd->id, fd->count);
          for (guint k = 0; k < labels->len; k++)
            g_string_append_printf (s, "%s%s", k > 0 ? " | " : " ", (char *) labels->pdata[k]);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

static const MwHealthFinding *
find_finding (GPtrArray  *results,
              const char *id)
{
  for (guint i = 0; i < results->len; i++)
    {
      MwHealthCheckResult *r = results->pdata[i];

      for (guint j = 0; j < r->findings->len; j++)
        if (g_str_equal (((MwHealthFinding *) r->findings->pdata[j])->id, id))
          return r->findings->pdata[j];
    }
  return NULL;
}

#define ASSERT_CHECK(results, check, expected) \
  G_STMT_START { g_autofree char *d_ = describe (results, check); g_assert_cmpstr (d_, ==, expected); } G_STMT_END

static void
test_dbmail (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  gboolean pg = MW_TEST_DRIVER (driver) == MW_DB_DRIVER_PGSQL;
  const MwHealthFinding *fd;
  guint n;

  set_up (f, driver);
  mw_schema_list_health_checks (mw_session_get_schema (f->session), &n);
  results = run (f, NULL, seen, &error);
  g_assert_no_error (error);
  /* Every check reported as it finished, in order, before the callback. */
  g_assert_cmpuint (seen->len, ==, n);
  g_assert_cmpuint (results->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (seen->pdata[i], ==, ((MwHealthCheckResult *) results->pdata[i])->check);

  ASSERT_CHECK (results, "postmaster-abuse",
                "missing-postmaster: 3: apple.com | exmaple.org | xn--pple-43d.com\n"
                "missing-abuse: 3: apple.com | exmaple.org | xn--pple-43d.com\n");
  ASSERT_CHECK (results, "catch-all", "catch-all: 1: @example.net (group 1)\n");
  ASSERT_CHECK (results, "alias-targets",
                "alias-missing-user: 1: ghost@example.org → user 999999 (gone)\n"
                "alias-disabled-user: 1: dis-alias@example.org → disabled@example.org\n"
                "alias-over-quota: 1: full-alias@example.org → full@example.org\n");
  ASSERT_CHECK (results, "forwards",
                "forward-loop: 2: loop1@example.org → loop2@example.org | loop2@example.org → LOOP1@example.org\n"
                "forward-dead-end: 1: dead@example.org → nobody@example.org\n");
  ASSERT_CHECK (results, "case-twins", pg ? "case-twins: 2: Carol@example.org, carol@example.org\n" : "");
  ASSERT_CHECK (results, "orphans", "orphan-physmessages: 1: 2\n");
  ASSERT_CHECK (results, "quota-counters", "quota-counters: 1: full@example.org: 1000 stored, 0 counted\n");
  ASSERT_CHECK (results, "no-inbox", "no-inbox: 1: noinbox@example.org\n");
  ASSERT_CHECK (results, "domain-typos",
                "domain-one-edit: 1: exmaple.org ~ example.org\n"
                "idn-lookalike: 1: xn--pple-43d.com (аpple.com) looks like apple.com\n");
  ASSERT_CHECK (results, "alias-groups", "alias-groups: 1: grp@example.org (group 5) → bob@example.org (group 1)\n");

  /* Passwords: every weak kind, the accounts to ask; the strong ones are
   * only counted. */
  fd = find_finding (results, "password-schemes");
  g_assert_nonnull (fd);
  g_assert_cmpuint (fd->severity, ==, MW_HEALTH_SEVERITY_INFO);
  g_assert_cmpuint (fd->count, ==, pg ? 15 : 14);
  {
    g_autofree char *d = describe (results, "passwords");

    mw_test_assert_contains (d, "password-plaintext: 1: plain@example.org\n");
    mw_test_assert_contains (d, "password-unsalted: 1: md5sum@example.org\n");
    mw_test_assert_contains (d, "password-des-crypt: 1: des@example.org\n");
    mw_test_assert_contains (d, "password-md5-crypt: 3: md5c1@example.org | md5c2@example.org | md5c3@example.org\n");
    mw_test_assert_contains (d, "password-bcrypt-low-cost: 1: lowbf@example.org\n");
    mw_test_assert_contains (d, "password-shared-salt: 3: md5c1@example.org | md5c2@example.org | md5c3@example.org\n");
    g_assert_null (strstr (d, "alice@"));
    g_assert_null (strstr (d, "bob@"));
  }
  for (guint i = 0; i < fd->samples->len; i++)
    {
      MwHealthSample *s = fd->samples->pdata[i];

      if (g_str_has_prefix (s->label, "sha512-crypt:"))
        g_assert_cmpuint (s->count, ==, pg ? 7 : 6);
      if (g_str_has_prefix (s->label, "bcrypt:"))
        g_assert_cmpuint (s->count, ==, 1);
    }
  /* The samples link: an account's key opens it. */
  fd = find_finding (results, "no-inbox");
  g_assert_cmpuint (((MwHealthSample *) fd->samples->pdata[0])->target, ==, MW_HEALTH_TARGET_ACCOUNT);
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(MwAccount) account = NULL;

    mw_session_get_account_async (f->session, ((MwHealthSample *) fd->samples->pdata[0])->key, NULL,
                                  mw_async_wait_ready, &res);
    account = mw_session_get_account_finish (f->session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (account->name, ==, "noinbox@example.org");
  }

  /* --only: just those, in the order given; an unknown one is refused. */
  {
    const char *only[] = { "no-inbox", "catch-all", NULL };
    g_autoptr(GPtrArray) seen2 = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) some = run (f, only, seen2, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (some->len, ==, 2);
    g_assert_cmpstr (((MwHealthCheckResult *) some->pdata[1])->check, ==, "catch-all");
  }
  {
    const char *only[] = { "nonsense", NULL };
    g_autoptr(GPtrArray) seen2 = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) none = run (f, only, seen2, &error);

    g_assert_null (none);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    mw_test_assert_contains (error->message, "There is no check “nonsense”. The checks are: postmaster-abuse,");
    g_clear_error (&error);
    g_assert_cmpuint (seen2->len, ==, 0);
  }

  /* The CLI: JSON, and the exit status says something was found. */
  {
    g_autofree char *uri = mw_test_vmail_db_uri (f->tdb);
    g_auto(MwTestRun) r = { 0 };
    g_auto(MwTestRun) r2 = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "health", "--json", "--only", "no-inbox,catch-all", NULL);
    g_assert_cmpint (r.status, ==, 8);
    mw_test_assert_contains (r.out, "\"check\":\"no-inbox\"");
    mw_test_assert_contains (r.out, "\"id\":\"no-inbox\",\"severity\":\"warning\"");
    mw_test_assert_contains (r.out, "\"label\":\"noinbox@example.org\",\"target\":\"account\"");
    mw_test_assert_contains (r.out, "\"list\":\"users\"");
    mw_test_assert_contains (r.out, "\"problems\":0,\"warnings\":1,\"notes\":1");
    mw_test_db_exec (f->tdb, "DELETE FROM dbmail_users WHERE userid = 'noinbox@example.org'");
    mw_test_run_cli (&r2, NULL, "--db", uri, "health", "--only", "no-inbox", NULL);
    g_assert_cmpint (r2.status, ==, 0);
    mw_test_assert_contains (r2.out, "Users without an INBOX (no-inbox)\n  Nothing found.");
  }
  tear_down (f);
}

/* A connection killed while a check waits for a lock: the run ends with a
 * sentence naming the check; the checks reported before stay. */
typedef struct
{
  MwDbSettings *settings;
  MwDbDriver    driver;
  gboolean      killed;
} Killer;

static gpointer
killer_main (gpointer data)
{
  Killer *k = data;
  g_autoptr(GError) error = NULL;
  MwDb *db = mw_db_connect (k->settings, NULL, &error);
  const char *find = k->driver == MW_DB_DRIVER_PGSQL
                     ? "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND datname = current_database()"
                     : "SELECT id FROM information_schema.processlist WHERE state LIKE 'Waiting for table%' "
                       "AND db = DATABASE()";

  g_assert_no_error (error);
  for (int i = 0; i < 1500 && !k->killed; i++)
    {
      g_autoptr(MwDbResult) r = mw_db_exec (db, find, NULL, 0, NULL, &error);

      g_assert_no_error (error);
      if (mw_db_result_get_n_rows (r) > 0)
        {
          gint64 victim = mw_db_result_get_int64 (r, 0, 0);
          g_autofree char *kill = k->driver == MW_DB_DRIVER_PGSQL
            ? g_strdup_printf ("SELECT pg_terminate_backend(%" G_GINT64_FORMAT ")", victim)
            : g_strdup_printf ("KILL CONNECTION %" G_GINT64_FORMAT, victim);

          g_assert_true (mw_db_exec_script (db, kill, &error));
          g_assert_no_error (error);
          k->killed = TRUE;
        }
      else
        g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
  mw_db_close (db);
  return NULL;
}

static void
test_killed (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  const char *only[] = { "catch-all", "no-inbox", NULL };
  Killer k = { 0 };
  GThread *thread;
  MwDb *locker;

  f->tdb = mw_test_db_new (driver, TRUE);
  locker = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  {
    MwDb *db = mw_db_connect (f->tdb->settings, NULL, &error);

    g_assert_no_error (error);
    f->session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
    g_assert_no_error (error);
  }
  /* catch-all reads aliases only; no-inbox waits for the users' lock. */
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      g_assert_true (mw_db_begin (locker, &error));
      g_assert_true (mw_db_exec_script (locker, "LOCK TABLE dbmail_users IN ACCESS EXCLUSIVE MODE", &error));
    }
  else
    g_assert_true (mw_db_exec_script (locker, "LOCK TABLES dbmail_users WRITE", &error));
  g_assert_no_error (error);

  k.settings = f->tdb->settings;
  k.driver = f->tdb->driver;
  thread = g_thread_new ("killer", killer_main, &k);
  results = run (f, only, seen, &error);
  g_thread_join (thread);
  g_assert_true (k.killed);
  g_assert_null (results);
  g_assert_nonnull (error);
  mw_test_assert_contains (error->message, "The check “Users without an INBOX” could not finish: ");
  g_clear_error (&error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (seen->pdata[0], ==, "catch-all");
  mw_db_close (locker);
  tear_down (f);
}

/* ISPmail and PostfixAdmin: the checks that apply there, on their real
 * schemas (with their sample rows) and rows added here. */
static GPtrArray *
run_vmail (MwTestDb *tdb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  GPtrArray *results;
  MwDb *db = mw_db_connect (tdb->settings, NULL, &error);

  g_assert_no_error (error);
  session = mw_session_new_for_connection (NULL, tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_has_health (mw_session_get_schema (session)));
  mw_session_run_health_async (session, NULL, G_MAXUINT, NULL, NULL, NULL, mw_async_wait_ready, &res);
  results = mw_session_run_health_finish (session, mw_async_wait (&res), &error);
  g_assert_no_error (error);
  return results;
}

static void
test_vmail (gconstpointer driver)
{
  g_autofree char *md5c = hash_with ("secret", "$1$c9809462$");

  {
    g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
    g_autoptr(GPtrArray) results = NULL;
    g_autofree char *d = NULL;

    mw_test_vmail_load_schema (tdb, "ispmail");
    mw_test_db_exec (tdb, "INSERT INTO virtual_domains (name) VALUES ('healthcheck.test'), ('healthchek.test')");
    mw_test_db_exec (tdb, "INSERT INTO virtual_users (domain_id, email, password) SELECT id, 'weak@healthcheck.test', "
                          "'{PLAIN-MD5}5ebe2294ecd0e0f08eab7690d2a6ee69' FROM virtual_domains WHERE name = 'healthcheck.test'");
    mw_test_db_exec (tdb, "INSERT INTO virtual_users (domain_id, email, password) SELECT id, 'plain@healthcheck.test', "
                          "'{PLAIN}secret' FROM virtual_domains WHERE name = 'healthcheck.test'");
    mw_test_db_exec (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, "
                          "'lost@healthcheck.test', 'nobody@healthcheck.test' FROM virtual_domains "
                          "WHERE name = 'healthcheck.test'");
    results = run_vmail (tdb);
    d = describe (results, "domain-typos");
    mw_test_assert_contains (d, "domain-one-edit: 1: healthchek.test ~ healthcheck.test\n");
    g_clear_pointer (&d, g_free);
    d = describe (results, "alias-targets");
    mw_test_assert_contains (d, "alias-missing-mailbox: 1: lost@healthcheck.test → nobody@healthcheck.test\n");
    g_clear_pointer (&d, g_free);
    d = describe (results, "postmaster-abuse");
    mw_test_assert_contains (d, "healthcheck.test");
    g_clear_pointer (&d, g_free);
    d = describe (results, "passwords");
    mw_test_assert_contains (d, "password-plaintext: 1: plain@healthcheck.test\n");
    mw_test_assert_contains (d, "password-unsalted: 1: weak@healthcheck.test\n");
  }
  {
    g_autoptr(MwTestDb) tdb = mw_test_db_new (driver, FALSE);
    g_autoptr(GPtrArray) results = NULL;
    g_autofree char *d = NULL;
    g_autofree char *sql = NULL;

    mw_test_vmail_load_schema (tdb, "postfixadmin");
    mw_test_db_exec (tdb, "INSERT INTO domain (domain, description, transport) VALUES ('pfa-health.test', '', 'virtual')");
    for (int i = 1; i <= 3; i++)
      {
        g_clear_pointer (&sql, g_free);
        sql = g_strdup_printf ("INSERT INTO mailbox (username, password, name, maildir, local_part, domain) VALUES "
                               "('u%d@pfa-health.test', '%s', '', 'pfa-health.test/u%d/', 'u%d', 'pfa-health.test')",
                               i, md5c, i, i);
        mw_test_db_exec (tdb, sql);
      }
    mw_test_db_exec (tdb, "INSERT INTO alias (address, goto, domain) VALUES "
                          "('loopa@pfa-health.test', 'loopb@pfa-health.test', 'pfa-health.test'), "
                          "('loopb@pfa-health.test', 'loopa@pfa-health.test', 'pfa-health.test')");
    results = run_vmail (tdb);
    d = describe (results, "passwords");
    mw_test_assert_contains (d, "u1@pfa-health.test | u2@pfa-health.test | u3@pfa-health.test");
    mw_test_assert_contains (d, "password-shared-salt: ");
    g_clear_pointer (&d, g_free);
    d = describe (results, "alias-targets");
    mw_test_assert_contains (d, "alias-loop: 2: loopa@pfa-health.test → loopb@pfa-health.test | "
                                "loopb@pfa-health.test → loopa@pfa-health.test\n");
  }
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_add_both ("/health/dbmail", test_dbmail);
  mw_test_add_both ("/health/killed", test_killed);
  mw_test_add_both ("/health/vmail", test_vmail);
  return mw_test_run ();
}
