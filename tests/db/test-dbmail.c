/* test-dbmail.c: the DBMail flavour's read operations on real servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-dbmail.h"
#include "mw-test-db.h"

typedef struct
{
  MwTestDb *tdb;
  gint64    alice, bob, carol, odd, disabled;
} Fixture;

/* A small mail system with every kind of row the lists must tell apart. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *alice = NULL;
  g_autofree char *carol = NULL;

  f->tdb = mw_test_db_new (data, TRUE);
  f->alice = mw_test_db_add_user (f->tdb, "alice", 1, 10485760);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 1, 0);
  f->carol = mw_test_db_add_user (f->tdb, "Carol", 2, 5000);
  f->odd = mw_test_db_add_user (f->tdb, "o'hara%_x", 2, 0);
  f->disabled = mw_test_db_add_user (f->tdb, "zed", 3, 0);
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET active = 0 WHERE userid = 'zed'");
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET curmail_size = 4096, last_login = '2026-11-01 08:00:00' "
                   "WHERE userid = 'alice'");
  mw_test_db_exec (f->tdb, "UPDATE dbmail_users SET curmail_size = 100, last_login = '2026-10-01 08:00:00' "
                   "WHERE userid = 'bob'");

  alice = g_strdup_printf ("%" G_GINT64_FORMAT, f->alice);
  carol = g_strdup_printf ("%" G_GINT64_FORMAT, f->carol);
  mw_test_db_add_alias (f->tdb, "a.smith@example.com", alice, 1);
  mw_test_db_add_alias (f->tdb, "a.smith@example.com", "archive@backup.example.net", 0);  /* BCC off alice's alias */
  mw_test_db_add_alias (f->tdb, "alice@example.org", "alice.private@gmail.example", 0);   /* forward off alice's alias */
  mw_test_db_add_alias (f->tdb, "sales@example.com", "|/usr/bin/procmail", 0);
  mw_test_db_add_alias (f->tdb, "info@example.com", "bob@example.org", 0);
  mw_test_db_add_alias (f->tdb, "@example.net", carol, 2);                               /* catch-all */
  mw_test_db_add_alias (f->tdb, "@.sub.example.org", carol, 2);
  mw_test_db_add_alias (f->tdb, "postmaster@", alice, 1);
  mw_test_db_add_alias (f->tdb, "ghost@example.org", "999999", 0);                       /* no such user */

  /* Mailboxes with messages in every state. */
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_physmessage (id, messagesize, rfcsize) VALUES "
                   "(1, 1000, 1020), (2, 2000, 2040), (3, 300, 310), (4, 40, 41), (5, 5, 5)");
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (mailbox_idnr, owner_idnr, name) VALUES "
                                            "(100, %" G_GINT64_FORMAT ", 'INBOX'), (101, %" G_GINT64_FORMAT
                                            ", '&AMk-t&AOk-'), (102, %" G_GINT64_FORMAT ", 'INBOX')",
                                            f->alice, f->alice, f->bob);
    mw_test_db_exec (f->tdb, sql);
  }
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_messages (mailbox_idnr, physmessage_id, unique_id, status) VALUES "
                   "(100, 1, 'a', 0), (100, 2, 'b', 1), (100, 3, 'c', 2), (100, 4, 'd', 3), (102, 5, 'e', 0)");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  mw_test_db_free (f->tdb);
}

static MwDbResult *
list (Fixture             *f,
      const MwListRequest *req,
      gint64              *count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = mw_dbmail_list_query (f->tdb->driver, req, &error);
  MwDbResult *result;

  g_assert_no_error (error);
  *count = mw_list_query_count (query, f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  result = mw_list_query_fetch_offset (query, f->tdb->db, 0, 1000, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (*count, ==, mw_db_result_get_n_rows (result));
  return result;
}

static char *
column_of (MwDbResult *r,
           const char *column)
{
  GString *s = g_string_new (NULL);
  int c = mw_db_result_find_col (r, column);

  g_assert_cmpint (c, >=, 0);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *v = mw_db_result_get_string (r, i, c);
      g_string_append_printf (s, "%s%s", i > 0 ? "," : "", v != NULL ? v : "NULL");
    }
  return g_string_free (s, FALSE);
}

static void
check_users (Fixture             *f,
             const MwListRequest *req,
             const char          *expected)
{
  gint64 count;
  g_autoptr(MwDbResult) r = list (f, req, &count);
  g_autofree char *names = column_of (r, "userid");

  g_assert_cmpstr (names, ==, expected);
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  /* System accounts never appear; names sort in SQL. On MariaDB the
   * collation is case-insensitive, on PostgreSQL (C locale) byte order. */
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS }, "Carol,alice,bob,o'hara%_x,zed");
  else
    check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS }, "alice,bob,Carol,o'hara%_x,zed");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER },
               "alice,bob,Carol,o'hara%_x,zed");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER, .descending = TRUE },
               "zed,o'hara%_x,Carol,bob,alice");
  /* Ties are broken by the number, in the same direction. */
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_MAIL_SIZE, .descending = TRUE },
               "alice,bob,zed,o'hara%_x,Carol");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_QUOTA, .descending = TRUE },
               "alice,Carol,zed,o'hara%_x,bob");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_LAST_LOGIN, .descending = TRUE },
               "alice,bob,zed,o'hara%_x,Carol");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_GROUP, .descending = TRUE },
               "zed,o'hara%_x,Carol,bob,alice");
  /* A group. */
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER, .has_group = TRUE, .group = 2 },
               "Carol,o'hara%_x");
  /* Substring of the name, case-insensitive. */
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER, .search = "CAR" }, "Carol");
  /* Substring of an alias only. */
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER, .search = "smith" }, "alice");
  /* LIKE metacharacters are literal. */
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER, .search = "%_" }, "o'hara%_x");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER, .search = "'" }, "o'hara%_x");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_NUMBER, .search = "_" }, "o'hara%_x");
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .search = "nobody-has-this" }, "");
  /* Quotes and SQL in the search text change nothing. */
  check_users (f, &(MwListRequest) { .kind = MW_LIST_USERS, .search = "x'; DROP TABLE dbmail_users; --" }, "");
  g_assert_cmpint (mw_test_db_int (f->tdb, "SELECT count(*) FROM dbmail_users"), ==, 8);

  /* A sort that does not apply is refused with a sentence. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwListQuery) q = mw_dbmail_list_query (f->tdb->driver,
                                                     &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_TARGET },
                                                     &error);
    g_assert_null (q);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  }
  /* Invalid UTF-8 in the search. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MwListQuery) q = mw_dbmail_list_query (f->tdb->driver,
                                                     &(MwListRequest) { .kind = MW_LIST_USERS, .search = "caf\xe9" },
                                                     &error);
    g_assert_null (q);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  }
}

static void
test_aliases_forwards (Fixture       *f,
                       gconstpointer  data)
{
  gint64 count;
  g_autoptr(MwDbResult) aliases = list (f, &(MwListRequest) { .kind = MW_LIST_ALIASES }, &count);
  g_autoptr(MwDbResult) forwards = NULL;
  g_autofree char *alias_names = column_of (aliases, "alias");
  g_autofree char *owners = column_of (aliases, "owner");
  g_autofree char *targets = NULL;
  g_autofree char *fowners = NULL;

  /* PostgreSQL (C locale) sorts by bytes, MariaDB's collation ignores case. */
  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      g_assert_cmpstr (alias_names, ==, "@.sub.example.org,@example.net,Carol@example.org,a.smith@example.com,"
                       "alice@example.org,bob@example.org,ghost@example.org,o'hara%_x@example.org,postmaster@,"
                       "zed@example.org");
      g_assert_cmpstr (owners, ==, "Carol,Carol,Carol,alice,alice,bob,,o'hara%_x,alice,zed");
    }
  else
    {
      g_assert_cmpstr (alias_names, ==, "@.sub.example.org,@example.net,a.smith@example.com,alice@example.org,"
                       "bob@example.org,Carol@example.org,ghost@example.org,o'hara%_x@example.org,postmaster@,"
                       "zed@example.org");
      g_assert_cmpstr (owners, ==, "Carol,Carol,alice,alice,bob,Carol,,o'hara%_x,alice,zed");
    }

  forwards = list (f, &(MwListRequest) { .kind = MW_LIST_FORWARDS }, &count);
  g_free (alias_names);
  alias_names = column_of (forwards, "alias");
  targets = column_of (forwards, "deliver_to");
  fowners = column_of (forwards, "owner");
  g_assert_cmpstr (alias_names, ==, "a.smith@example.com,alice@example.org,info@example.com,sales@example.com");
  g_assert_cmpstr (targets, ==, "archive@backup.example.net,alice.private@gmail.example,bob@example.org,"
                   "|/usr/bin/procmail");
  g_assert_cmpstr (fowners, ==, "alice,alice,,");

  /* Forwards sorted by target and searched by target. */
  g_clear_pointer (&forwards, mw_db_result_unref);
  forwards = list (f, &(MwListRequest) { .kind = MW_LIST_FORWARDS, .search = "PROCMAIL" }, &count);
  g_assert_cmpint (count, ==, 1);
}

static void
test_domains_groups (Fixture       *f,
                     gconstpointer  data)
{
  gint64 count;
  g_autoptr(MwDbResult) domains = NULL;
  g_autoptr(MwDbResult) groups = NULL;
  g_autofree char *names = NULL;
  g_autofree char *addresses = NULL;
  g_autofree char *to_users = NULL;
  g_autofree char *forwards = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *users = NULL;
  g_autofree char *gdomains = NULL;

  /* A forward with a second target, spelt in other case: still one address. */
  mw_test_db_add_alias (f->tdb, "INFO@example.com", "dave@elsewhere.example", 0);
  domains = list (f, &(MwListRequest) { .kind = MW_LIST_DOMAINS }, &count);
  names = column_of (domains, "domain");
  addresses = column_of (domains, "addresses");
  to_users = column_of (domains, "user_aliases");
  forwards = column_of (domains, "forwards");
  g_assert_cmpstr (names, ==, ".sub.example.org,example.com,example.net,example.org");
  /* example.com: a.smith (to alice, and a BCC), sales, info (two targets);
   * example.org: five users' own addresses, alice@ also forwarding, and
   * ghost@ to a user number that does not exist. */
  g_assert_cmpstr (addresses, ==, "1,3,1,6");
  g_assert_cmpstr (to_users, ==, "1,1,1,6");
  g_assert_cmpstr (forwards, ==, "0,3,0,1");

  groups = list (f, &(MwListRequest) { .kind = MW_LIST_GROUPS }, &count);
  ids = column_of (groups, "client_idnr");
  users = column_of (groups, "users");
  gdomains = column_of (groups, "domains");
  g_assert_cmpstr (ids, ==, "1,2,3");
  g_assert_cmpstr (users, ==, "2,2,1");
  /* Only the user aliases of the group count; catch-all domains included. */
  g_assert_cmpstr (gdomains, ==, "example.com, example.org,.sub.example.org, example.net, example.org,example.org");
}

static void
check_find (Fixture    *f,
            const char *text,
            const char *userid,
            const char *matched_by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = mw_dbmail_find_user (f->tdb->db, text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (found->kind, ==, MW_FOUND_ACCOUNT);
  g_assert_cmpstr (found->name, ==, userid);
  g_assert_cmpstr (found->matched_by, ==, matched_by);
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, f->bob);

  check_find (f, "alice", "alice", "name");
  check_find (f, "ALICE", "alice", "name");
  check_find (f, "  carol ", "Carol", "name");
  check_find (f, number, "bob", "number");
  check_find (f, "A.Smith@Example.COM", "alice", "alias");
  check_find (f, "alice+lists@example.org", "alice", "alias without +detail");
  check_find (f, "anything@example.net", "Carol", "catch-all");
  check_find (f, "x@deep.sub.example.org", "Carol", "catch-all");
  check_find (f, "postmaster@elsewhere.example", "alice", "catch-all");

  /* A forward says where it goes instead of pretending to be a user. */
  found = mw_dbmail_find_user (f->tdb->db, "sales@example.com", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->kind, ==, MW_FOUND_FORWARD);
  g_assert_cmpstr (found->targets[0], ==, "|/usr/bin/procmail");
  g_assert_null (found->targets[1]);
  g_clear_pointer (&found, mw_found_free);

  /* An alias pointing at a user that does not exist is not a user. */
  found = mw_dbmail_find_user (f->tdb->db, "ghost@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->kind, ==, MW_FOUND_FORWARD);
  g_assert_cmpstr (found->targets[0], ==, "999999");
  g_clear_pointer (&found, mw_found_free);

  /* System accounts are not found; nothing found says so. */
  const char *nothing[] = { "anyone", "__public__", "1", "2", "nobody@nowhere.example", "x' OR '1'='1" };
  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      found = mw_dbmail_find_user (f->tdb->db, nothing[i], NULL, &error);
      g_assert_null (found);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }

  found = mw_dbmail_find_user (f->tdb->db, "   ", NULL, &error);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_clear_error (&error);
  found = mw_dbmail_find_user (f->tdb->db, "caf\xe9", NULL, &error);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
}

static void
test_account (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAccount) a = mw_dbmail_get_account (f->tdb->db, f->alice, NULL, &error);
  MwAccountMailbox *inbox, *ete;
  MwAccountForward *fw;

  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "alice");
  g_assert_cmpint (a->group, ==, 1);
  g_assert_cmpint (a->quota, ==, 10485760);
  g_assert_cmpint (a->used, ==, 4096);
  g_assert_true (a->active);
  g_assert_cmpint (g_date_time_get_month (a->last_login), ==, 11);

  g_assert_cmpuint (a->aliases->len, ==, 3);
  g_assert_cmpstr (((MwAccountAddress *) a->aliases->pdata[0])->address, ==, "a.smith@example.com");
  g_assert_cmpstr (((MwAccountAddress *) a->aliases->pdata[1])->address, ==, "alice@example.org");
  g_assert_cmpstr (((MwAccountAddress *) a->aliases->pdata[2])->address, ==, "postmaster@");

  g_assert_cmpuint (a->forwards->len, ==, 2);
  fw = a->forwards->pdata[0];
  g_assert_cmpstr (fw->address, ==, "a.smith@example.com");
  g_assert_cmpstr (fw->target, ==, "archive@backup.example.net");
  fw = a->forwards->pdata[1];
  g_assert_cmpstr (fw->target, ==, "alice.private@gmail.example");

  g_assert_cmpuint (a->mailboxes->len, ==, 2);
  ete = a->mailboxes->pdata[0];
  inbox = a->mailboxes->pdata[1];
  g_assert_cmpstr (inbox->name, ==, "INBOX");
  g_assert_cmpstr (ete->name, ==, "&AMk-t&AOk-");
  /* Status 0 and 1 are visible (1 = fetched by POP, not deleted); 2 and 3 are deleted. */
  g_assert_cmpint (inbox->visible_count, ==, 2);
  g_assert_cmpint (inbox->visible_bytes, ==, 3000);
  g_assert_cmpint (inbox->deleted_count, ==, 2);
  g_assert_cmpint (inbox->deleted_bytes, ==, 340);
  g_assert_cmpint (ete->visible_count, ==, 0);
  g_assert_cmpint (ete->deleted_bytes, ==, 0);

  /* System accounts have no account window. */
  g_clear_pointer (&a, mw_account_free);
  a = mw_dbmail_get_account (f->tdb->db, 3, NULL, &error);
  g_assert_null (a);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
}

static void
add (const char *path,
     void      (*func) (Fixture *, gconstpointer))
{
  const MwDbDriver drivers[] = { MW_DB_DRIVER_PGSQL, MW_DB_DRIVER_MYSQL };
  const char *names[] = { "/pg", "/mysql" };

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *full = g_strconcat (names[i], path, NULL);
      g_test_add (full, Fixture, GINT_TO_POINTER (drivers[i]), fixture_set_up, func, fixture_tear_down);
    }
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);

  add ("/dbmail/users", test_users);
  add ("/dbmail/aliases-forwards", test_aliases_forwards);
  add ("/dbmail/domains-groups", test_domains_groups);
  add ("/dbmail/find", test_find);
  add ("/dbmail/account", test_account);

  return mw_test_run ();
}
