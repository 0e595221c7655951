/* test-usermap.c: DBMail's login maps (mw-usermap.h, mw-dbmail-usermap.c)
 * on PostgreSQL and MariaDB: the table created only on request, as
 * DBMail's own schema has it; every operation, its audit entry and its dry
 * run; bad sockets, formats, users and text refused with nothing changed;
 * Lock and Clear judged by a copy of DBMail 3.5's own resolution
 * (db_usermap_resolve, dm_sock_score, cidr_match); a deleted user's maps
 * gone with it; a connection killed mid-change changing nothing; and
 * mailwarden-cli's usermap commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mw-account.h"
#include "mw-async-wait.h"
#include "mw-audit.h"
#include "mw-list-query.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-usermap.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"
#include "mw-usermap.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
  gint64    alice;
  gint64    bob;
} Fixture;

static void
open_schema (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->schema);
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
}

/* The DBMail schema (with its usermap table) and two users. */
static void
set_up (Fixture       *f,
        gconstpointer  driver)
{
  f->tdb = mw_test_db_new (driver, TRUE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  f->alice = mw_test_db_add_user (f->tdb, "alice", 0, 0);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 0, 0);
  open_schema (f);
  g_assert_true (mw_schema_has_login_maps (f->schema));
}

static void
tear_down (Fixture *f)
{
  g_assert_finalize_object (f->schema);
  mw_test_db_free (f->tdb);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

static char *
key_of (gint64 number)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, number);
}

static int
compare_lines (const void *a,
               const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Every row, one a line, sorted byte by byte (the servers' collations differ). */
static char *
rows (Fixture *f)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  GString *sorted = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT login, sock_allow, sock_deny, userid FROM dbmail_usermap", out);
  lines = g_strsplit (out->str, "\n", -1);
  qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_string_append_printf (sorted, "%s\n", lines[i]);
  return g_string_free (sorted, FALSE);
}

static void
assert_rows (Fixture    *f,
             const char *want)
{
  g_autofree char *got = rows (f);

  g_assert_cmpstr (got, ==, want);
}

static void
assert_resolves (Fixture    *f,
                 const char *typed,
                 const char *clientsock,
                 const char *want);

static MwLoginMap *
add (Fixture    *f,
     const char *login,
     const char *allow,
     const char *deny,
     const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwLoginMap) map = mw_login_map_new (login, allow, deny, user);
  MwLoginMap *stored = mw_schema_add_login_map (f->schema, &f->admin, map, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return stored;
}

static void
refuse (Fixture    *f,
        const char *login,
        const char *allow,
        const char *deny,
        const char *user,
        int         code,
        const char *sentence)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwLoginMap) map = mw_login_map_new (login, allow, deny, user);
  g_autoptr(MwLoginMap) stored = mw_schema_add_login_map (f->schema, &f->admin, map, &error);

  g_assert_null (stored);
  g_assert_error (error, MW_SCHEMA_ERROR, code);
  mw_test_assert_contains (error->message, sentence);
}

/* ------------------------------------------------------------------------ */
/* DBMail 3.5's resolution, copied from its source to judge what we write:  */
/* db_usermap_resolve (dm_db.c), dm_sock_score, dm_sock_compare,            */
/* dm_valid_format (dm_misc.c), cidr_new, cidr_match (dm_cidr.c).           */
/* ------------------------------------------------------------------------ */

typedef struct
{
  struct in_addr addr;
  int            port;
  int            mask;
} Cidr;

static gboolean
cidr_new (const char *str,
          Cidr       *c)
{
  g_autofree char *addr = NULL;
  const char *a = strchr (str, ':');
  const char *p;
  char *slash;

  a = a != NULL ? a + 1 : str + strlen (str);
  p = strchr (a, ':');
  addr = p != NULL ? g_strndup (a, p - a) : g_strdup (a);
  c->port = p != NULL ? (int) strtol (p + 1, NULL, 10) : 0;
  c->mask = 32;
  if ((slash = strchr (addr, '/')) != NULL && slash[1] != '\0')
    {
      c->mask = atoi (slash + 1);
      *slash = '\0';
    }
  if (!inet_aton (addr, &c->addr))
    return FALSE;
  if (c->addr.s_addr == 0)
    c->mask = 0;
  return TRUE;
}

static int
cidr_match (const Cidr *base,
            const Cidr *test)
{
  struct in_addr b, t, m;
  int result = 0;

  inet_aton ("255.255.255.255", &b);
  inet_aton ("255.255.255.255", &t);
  if (base->mask)
    b.s_addr = ~((unsigned long) b.s_addr >> (32 - base->mask));
  if (test->mask)
    t.s_addr = ~((unsigned long) t.s_addr >> (32 - test->mask));
  b.s_addr = base->addr.s_addr | b.s_addr;
  t.s_addr = test->addr.s_addr | t.s_addr;
  m.s_addr = b.s_addr & t.s_addr;
  if (test->port > 0 && base->port != test->port)
    return 0;
  if (t.s_addr == m.s_addr)
    result = base->mask ? base->mask : 32;
  if (!base->mask || !test->mask)
    result = 32;
  return result;
}

static int
sock_score (const char *base,
            const char *test)
{
  Cidr b, t;
  gboolean have_b, have_t;

  if (g_str_has_prefix (base, "unix:"))
    {
      const char *tb = strchr (base, ':');
      const char *tt = strchr (test, ':');

      g_assert_nonnull (tt);
      return fnmatch (tb, tt, 0) ? 0 : 1;
    }
  if (!g_str_has_prefix (base, "inet:"))
    return 0;
  have_b = cidr_new (base, &b);
  have_t = cidr_new (test, &t);
  if (strlen (test) == 0)
    return 32;
  if (have_b && have_t)
    return cidr_match (&b, &t);
  return 0;
}

/* What DBMail logs @typed in as on @clientsock: the user's name, or NULL
 * for a refusal. */
static char *
dbmail_resolve (Fixture    *f,
                const char *typed,
                const char *clientsock)
{
  g_autoptr(GError) error = NULL;
  MwDbValue params[] = { MW_DB_TEXT (typed) };
  g_autoptr(MwDbResult) r = mw_db_exec (f->tdb->db, "SELECT login, sock_allow, sock_deny, userid FROM dbmail_usermap "
                                        "WHERE login IN ($1, 'ANY') ORDER BY sock_allow, sock_deny",
                                        params, 1, NULL, &error);
  int best = -1;
  const char *best_login = NULL, *best_user = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *deny = mw_db_result_get_string (r, i, 2);
      int score;

      /* dm_sock_compare (clientsock, "", deny) */
      if (strlen (deny) > 0 && sock_score (deny, clientsock) != 0)
        return NULL;
      score = sock_score (clientsock, mw_db_result_get_string (r, i, 1));
      if (score > best)
        {
          best = score;
          best_login = mw_db_result_get_string (r, i, 0);
          best_user = mw_db_result_get_string (r, i, 3);
        }
    }
  if (mw_db_result_get_n_rows (r) == 0)
    return g_strdup (typed);
  if (best <= 0)
    return NULL;
  if (strncmp (best_login, "ANY", 3) == 0)
    {
      const char *l = strchr (best_user, '%'), *rr = strrchr (best_user, '%');

      if (!(l != NULL && l == rr && l[1] == 's'))
        return NULL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      return g_strdup_printf (best_user, typed);
#pragma GCC diagnostic pop
    }
  return g_strdup (best_user);
}

static void
assert_resolves (Fixture    *f,
                 const char *typed,
                 const char *clientsock,
                 const char *want)
{
  g_autofree char *got = dbmail_resolve (f, typed, clientsock);

  g_assert_cmpstr (got, ==, want);
}

static const char *const sockets[] = {
  "inet:192.0.2.10:143", "inet:192.0.2.10:993", "inet:10.1.2.3:110", "inet:::1:143", "inet:::ffff:192.0.2.10:4190",
};

static void
assert_logs_in (Fixture    *f,
                const char *typed,
                const char *user)
{
  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      g_autofree char *got = dbmail_resolve (f, typed, sockets[i]);

      if (g_strcmp0 (got, user) != 0)
        g_error ("%s on %s: DBMail logs in as %s, not %s", typed, sockets[i], got ? got : "(refused)",
                 user ? user : "(refused)");
    }
}

/* ------------------------------------------------------------------------ */

/* The table: absent, created only when asked (not in a dry run on
 * PostgreSQL), with DBMail's own columns and unique key. */
static void
test_table (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MwAuditEntry) entry = NULL;
  g_autofree char *alice = NULL;
  GString *want = g_string_new (NULL), *got = g_string_new (NULL);
  const char *columns = MW_TEST_DRIVER (driver) == MW_DB_DRIVER_PGSQL
    ? "SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = 'dbmail_usermap' ORDER BY ordinal_position"
    : "SELECT column_name, data_type, character_maximum_length, is_nullable, collation_name FROM "
      "information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'dbmail_usermap' "
      "ORDER BY ordinal_position";
  gboolean exists = TRUE;

  set_up (f, driver);
  alice = key_of (f->alice);
  mw_test_db_append_rows (f->tdb->db, columns, want);
  mw_test_db_exec (f->tdb, "DROP TABLE dbmail_usermap");
  open_schema (f);

  g_assert_true (mw_schema_login_maps_table_exists (f->schema, f->tdb->db, &exists, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (exists);
  list = mw_schema_list_login_maps (f->schema, f->tdb->db, alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  refuse (f, "al", NULL, NULL, "alice", MW_SCHEMA_ERROR_REFUSED, "DBMail consults it only when it exists");
  list = mw_schema_set_account_login_maps (f->schema, &f->admin, alice, MW_LOGIN_MAPS_LOCK, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  g_clear_error (&error);
  list = mw_schema_set_account_login_maps (f->schema, &f->admin, alice, MW_LOGIN_MAPS_CLEAR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  /* The list of every map is offered, and empty. */
  {
    MwListRequest req = { .kind = MW_LIST_LOGIN_MAPS };
    g_autoptr(MwListQuery) query = mw_schema_list_query (f->schema, &req, &error);

    g_assert_no_error (error);
    g_assert_nonnull (mw_schema_get_list (f->schema, MW_LIST_LOGIN_MAPS));
    g_assert_cmpint (mw_list_query_count (query, f->tdb->db, NULL, &error), ==, 0);
    g_assert_no_error (error);
  }

  if (f->tdb->driver == MW_DB_DRIVER_PGSQL)
    {
      f->admin.dry_run = TRUE;
      g_assert_true (mw_schema_create_login_maps_table (f->schema, &f->admin, &error));
      g_assert_no_error (error);
      f->admin.dry_run = FALSE;
      g_assert_true (mw_schema_login_maps_table_exists (f->schema, f->tdb->db, &exists, NULL, &error));
      g_assert_false (exists);
    }
  g_assert_true (mw_schema_create_login_maps_table (f->schema, &f->admin, &error));
  g_assert_no_error (error);
  g_assert_true (mw_schema_login_maps_table_exists (f->schema, f->tdb->db, &exists, NULL, &error));
  g_assert_true (exists);
  entry = mw_test_last_audit ();
  g_assert_cmpstr (entry->action, ==, "usermap.create-table");
  g_assert_false (mw_schema_create_login_maps_table (f->schema, &f->admin, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);

  /* Exactly DBMail's columns, and its unique key. */
  mw_test_db_append_rows (f->tdb->db, columns, got);
  g_assert_cmpstr (got->str, ==, want->str);
  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_usermap VALUES ('x', '', '', 'alice')");
  {
    g_autoptr(MwDbResult) r = mw_db_exec (f->tdb->db, "INSERT INTO dbmail_usermap VALUES ('x', '', 'y', 'alice')",
                                          NULL, 0, NULL, &error);

    g_assert_null (r);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_string_free (want, TRUE);
  g_string_free (got, TRUE);
  tear_down (f);
}

/* Add, list (all, and per user with the ANY rows that yield the name),
 * change, delete; audit entries; a dry run changes nothing. */
static void
test_rows (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(MwLoginMap) m1 = NULL;
  g_autoptr(MwLoginMap) m2 = NULL;
  g_autoptr(MwLoginMap) m3 = NULL;
  g_autoptr(MwLoginMap) old = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;

  set_up (f, driver);
  alice = key_of (f->alice);
  bob = key_of (f->bob);
  mw_test_db_add_user (f->tdb, "carol@example.net", 0, 0);

  m1 = add (f, "ali", "  inet:192.0.2.10:143 ", "", "ALICE");
  g_assert_cmpstr (m1->user, ==, "alice");
  g_assert_cmpstr (m1->allow, ==, "inet:192.0.2.10:143");
  {
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_cmpstr (entry->action, ==, "usermap.add");
    g_assert_cmpstr (entry->target, ==, "ali");
  }
  m2 = add (f, "ANY", "/run/dbmail/imap.sock", "inet:0.0.0.0/0:110", "%s@example.net");
  g_assert_cmpstr (m2->allow, ==, "unix:/run/dbmail/imap.sock");
  m3 = add (f, "b", "", "inet:192.0.2.10:995", "bob");
  assert_rows (f, "ANY|unix:/run/dbmail/imap.sock|inet:0.0.0.0/0:110|%s@example.net|\n"
                  "ali|inet:192.0.2.10:143||alice|\nb||inet:192.0.2.10:995|bob|\n");
  /* What DBMail then does with them. */
  assert_resolves (f, "ali", "inet:192.0.2.10:143", "alice");
  assert_resolves (f, "b", "inet:192.0.2.10:995", NULL);
  assert_resolves (f, "b", "inet:192.0.2.10:143", "bob");

  list = mw_schema_list_login_maps (f->schema, f->tdb->db, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mw_schema_list_login_maps (f->schema, f->tdb->db, alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((MwLoginMap *) list->pdata[0])->login, ==, "ali");
  g_clear_pointer (&list, g_ptr_array_unref);
  {
    g_autofree char *carol = NULL;
    gint64 n = count (f, "SELECT user_idnr FROM dbmail_users WHERE userid = 'carol@example.net'");

    carol = key_of (n);
    list = mw_schema_list_login_maps (f->schema, f->tdb->db, carol, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpstr (((MwLoginMap *) list->pdata[0])->login, ==, "ANY");
    g_clear_pointer (&list, g_ptr_array_unref);
  }

  /* A dry run does all, then rolls back. */
  before = rows (f);
  f->admin.dry_run = TRUE;
  {
    g_autoptr(MwLoginMap) d = add (f, "x", NULL, NULL, "bob");
    g_autoptr(MwLoginMap) del = mw_schema_delete_login_map (f->schema, &f->admin, m1->key, &error);
    g_autoptr(GPtrArray) locked = mw_schema_set_account_login_maps (f->schema, &f->admin, bob, MW_LOGIN_MAPS_LOCK,
                                                                    NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (del);
    g_assert_cmpuint (locked->len, ==, 1);
  }
  f->admin.dry_run = FALSE;
  after = rows (f);
  g_assert_cmpstr (after, ==, before);

  /* Change: the denied socket, then the login (the key moves with it). */
  {
    g_autoptr(MwLoginMap) change = mw_login_map_new ("alice2", m1->allow, "inet:192.0.2.10:993", "alice");

    old = mw_schema_update_login_map (f->schema, &f->admin, m1->key, change, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (old->login, ==, "ali");
    g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap WHERE login = 'alice2' AND "
                               "sock_deny = 'inet:192.0.2.10:993'"), ==, 1);
    g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap WHERE login = 'ali'"), ==, 0);
    /* The old key is gone: a sentence. */
    g_clear_pointer (&old, mw_login_map_free);
    old = mw_schema_update_login_map (f->schema, &f->admin, m1->key, change, &error);
    g_assert_null (old);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    /* Onto another row's key: taken. */
    {
      g_autoptr(MwLoginMap) clash = mw_login_map_new ("b", "", "", "bob");
      g_autoptr(MwLoginMap) moved = mw_login_map_new ("alice2", "inet:192.0.2.10:143", "", "alice");
      g_autofree char *k = NULL;
      g_autoptr(GPtrArray) all = mw_schema_list_login_maps (f->schema, f->tdb->db, alice, NULL, &error);

      k = g_strdup (((MwLoginMap *) all->pdata[0])->key);
      g_clear_pointer (&old, mw_login_map_free);
      old = mw_schema_update_login_map (f->schema, &f->admin, m3->key, moved, &error);
      g_assert_null (old);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
      g_clear_error (&error);
      g_assert_null (mw_schema_add_login_map (f->schema, &f->admin, clash, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
      g_clear_error (&error);

      /* Delete returns the row, and Undo is an add of it. */
      old = mw_schema_delete_login_map (f->schema, &f->admin, k, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (old->login, ==, "alice2");
      g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap WHERE userid = 'alice'"), ==, 0);
      {
        g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

        g_assert_cmpstr (entry->action, ==, "usermap.delete");
      }
      {
        g_autoptr(MwLoginMap) back = add (f, old->login, old->allow, old->deny, old->user);

        g_assert_cmpstr (back->key, ==, k);
      }
    }
  }
  tear_down (f);
}

/* Bad input gets a sentence and changes nothing. */
static void
test_refusals (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *long_login = g_strnfill (300, 'a');

  set_up (f, driver);
  g_autoptr(MwLoginMap) keep = add (f, "o'brien;--", NULL, NULL, "bob");
  g_assert_cmpstr (keep->login, ==, "o'brien;--");
  before = rows (f);

  refuse (f, "x", "inet:999.1.2.3:143", "", "bob", MW_SCHEMA_ERROR_INVALID, "is not a socket DBMail can match");
  refuse (f, "x", "inet:192.0.2.1:70000", "", "bob", MW_SCHEMA_ERROR_INVALID, "is not a socket DBMail can match");
  refuse (f, "x", "inet:192.0.2.1/33:143", "", "bob", MW_SCHEMA_ERROR_INVALID, "is not a socket DBMail can match");
  refuse (f, "x", "inet:2001:db8::1:143", "", "bob", MW_SCHEMA_ERROR_INVALID, "compares only IPv4 addresses");
  refuse (f, "x", "inet:::1:143", "", "bob", MW_SCHEMA_ERROR_INVALID, "compares only IPv4 addresses");
  refuse (f, "x", "run/dbmail.sock", "", "bob", MW_SCHEMA_ERROR_INVALID, "is not a socket DBMail can match");
  refuse (f, "x", "unix:relative", "", "bob", MW_SCHEMA_ERROR_INVALID, "is not a socket DBMail can match");
  refuse (f, "x", "tcp:192.0.2.1:143", "", "bob", MW_SCHEMA_ERROR_INVALID, "is not a socket DBMail can match");
  refuse (f, "x", "", "inet:192.0.2.1", "bob", MW_SCHEMA_ERROR_INVALID, "has no port");
  refuse (f, "x", "", "inet:192.0.2.1:0", "bob", MW_SCHEMA_ERROR_INVALID, "has no port");
  refuse (f, "x", "", "", "nobody", MW_SCHEMA_ERROR_NOT_FOUND, "There is no user “nobody”");
  refuse (f, "x", "", "", "__public__", MW_SCHEMA_ERROR_NOT_FOUND, "There is no user");
  refuse (f, "ANY", "", "", "%s@%s.org", MW_SCHEMA_ERROR_INVALID, "is not a format DBMail can use");
  refuse (f, "ANY", "", "", "%d@example.org", MW_SCHEMA_ERROR_INVALID, "is not a format DBMail can use");
  refuse (f, "ANY", "", "", "user@example.org", MW_SCHEMA_ERROR_INVALID, "exactly one %s");
  refuse (f, "ANY", "", "", "%s@example.org%", MW_SCHEMA_ERROR_INVALID, "is not a format DBMail can use");
  refuse (f, "ANYone", "", "", "bob", MW_SCHEMA_ERROR_INVALID, "begins with ANY");
  refuse (f, "bad\xff", "", "", "bob", MW_SCHEMA_ERROR_INVALID, "not valid UTF-8");
  refuse (f, "x", "inet:\xff", "", "bob", MW_SCHEMA_ERROR_INVALID, "not valid UTF-8");
  refuse (f, "x", "", "", "b\xffob", MW_SCHEMA_ERROR_INVALID, "not valid UTF-8");
  refuse (f, "", "", "", "bob", MW_SCHEMA_ERROR_INVALID, "Type the login");
  refuse (f, "a b", "", "", "bob", MW_SCHEMA_ERROR_INVALID, "spaces or control characters");
  refuse (f, long_login, "", "", "bob", MW_SCHEMA_ERROR_INVALID, "too long");
  /* A key that is not one. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (mw_schema_delete_login_map (f->schema, &f->admin, "nonsense", &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_null (mw_schema_set_account_login_maps (f->schema, &f->admin, "999999", MW_LOGIN_MAPS_LOCK, NULL,
                                                     &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  }
  /* The wildcards DBMail has are taken. */
  {
    g_autoptr(MwLoginMap) w = add (f, "w", "inet:0.0.0.0:143", "inet:192.0.2.0/24:993", "bob");
    g_autoptr(GError) error = NULL;
    g_autoptr(MwLoginMap) gone = mw_schema_delete_login_map (f->schema, &f->admin, w->key, &error);

    g_assert_no_error (error);
  }
  after = rows (f);
  g_assert_cmpstr (after, ==, before);
  tear_down (f);
}

/* Lock: DBMail (as its code resolves) refuses every login of the user on
 * every socket, also through ANY; others log in as before. Clear removes
 * the user's maps; Restore (Undo) puts back what was. */
static void
test_lock_clear (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) locked = NULL;
  g_autoptr(GPtrArray) cleared = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  g_autofree char *key = NULL;
  g_autofree char *start = NULL;
  g_autofree char *b = NULL;

  set_up (f, driver);
  mw_test_db_add_user (f->tdb, "dave@example.net", 0, 0);
  key = key_of (count (f, "SELECT user_idnr FROM dbmail_users WHERE userid = 'dave@example.net'"));
  g_clear_object (&f->schema);
  open_schema (f);
  g_autoptr(MwLoginMap) m1 = add (f, "d", "inet:192.0.2.10:143", "", "dave@example.net");
  g_autoptr(MwLoginMap) m2 = add (f, "ANY", "", "", "%s@example.net");
  start = rows (f);

  assert_logs_in (f, "bob", "bob@example.net");
  /* DBMail scores every matching socket 32 and keeps the first best row in
   * the order of sock_allow: the ANY row's empty socket sorts first and
   * wins over the named row. What DBMail does, not what one might expect. */
  assert_resolves (f, "d", "inet:192.0.2.10:143", "d@example.net");
  assert_logs_in (f, "dave", "dave@example.net");

  locked = mw_schema_set_account_login_maps (f->schema, &f->admin, key, MW_LOGIN_MAPS_LOCK, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locked->len, ==, 1);   /* dave's own row, as it was */
  assert_logs_in (f, "d", NULL);
  assert_logs_in (f, "dave", NULL);
  assert_logs_in (f, "dave@example.net", NULL);
  assert_logs_in (f, "bob", "bob@example.net");   /* others unchanged */
  {
    g_autoptr(MwAuditEntry) entry = mw_test_last_audit ();

    g_assert_cmpstr (entry->action, ==, "usermap.lock");
    g_assert_cmpstr (entry->target, ==, "dave@example.net");
  }
  /* Locking twice changes nothing more. */
  b = rows (f);
  {
    g_autoptr(GPtrArray) again = mw_schema_set_account_login_maps (f->schema, &f->admin, key, MW_LOGIN_MAPS_LOCK,
                                                                   NULL, &error);
    g_autofree char *c = rows (f);

    g_assert_no_error (error);
    g_assert_cmpstr (c, ==, b);
  }

  /* Undo: the rows as they were. */
  restored = mw_schema_set_account_login_maps (f->schema, &f->admin, key, MW_LOGIN_MAPS_RESTORE, locked, &error);
  g_assert_no_error (error);
  {
    g_autofree char *now = rows (f);

    g_assert_cmpstr (now, ==, start);
  }

  cleared = mw_schema_set_account_login_maps (f->schema, &f->admin, key, MW_LOGIN_MAPS_CLEAR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cleared->len, ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap WHERE userid = 'dave@example.net'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap WHERE login = 'ANY'"), ==, 1);
  assert_logs_in (f, "dave", "dave@example.net");
  /* A restore of someone else's rows is refused. */
  {
    g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_login_map_free);
    g_autofree char *bob = key_of (f->bob);

    g_ptr_array_add (other, mw_login_map_new ("x", "", "", "alice"));
    g_assert_null (mw_schema_set_account_login_maps (f->schema, &f->admin, bob, MW_LOGIN_MAPS_RESTORE, other,
                                                     &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  }
  tear_down (f);
}

/* A user deleted by Mailwarden takes its maps along (the table has no
 * foreign key); ANY rows and others' maps stay; without the table the
 * delete works as before. */
static void
test_user_delete (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *alice = NULL;

  set_up (f, driver);
  bob = key_of (f->bob);
  alice = key_of (f->alice);
  g_autoptr(MwLoginMap) m1 = add (f, "b", "", "", "bob");
  g_autoptr(MwLoginMap) m2 = add (f, "bobby", "inet:192.0.2.10:143", "", "bob");
  g_autoptr(MwLoginMap) m3 = add (f, "ANY", "", "", "%s");
  g_autoptr(MwLoginMap) m4 = add (f, "a", "", "", "alice");
  mw_test_db_exec (f->tdb, "UPDATE dbmail_usermap SET userid = 'BOB' WHERE login = 'bobby'");
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, bob, 0, NULL, &error));
  g_assert_no_error (error);
  assert_rows (f, "ANY|||%s|\na|||alice|\n");

  mw_test_db_exec (f->tdb, "DROP TABLE dbmail_usermap");
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, alice, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid = 'alice'"), ==, 0);
  tear_down (f);
}

/* A connection killed in the middle of a Lock (stalled on its insert,
 * after its update) leaves the rows as they were; the next call works. */
static void
test_killed (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bob = NULL;
  MwTestKiller *killer;
  gboolean killed;
  MwDb *db;

  set_up (f, driver);
  bob = key_of (f->bob);
  g_autoptr(MwLoginMap) m1 = add (f, "b", "", "", "bob");
  mw_test_db_stall (f->tdb, "dbmail_usermap", "INSERT", NULL);
  before = rows (f);

  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GPtrArray) out = NULL;

    mw_session_set_account_login_maps_async (session, bob, MW_LOGIN_MAPS_LOCK, NULL, FALSE, NULL,
                                             mw_async_wait_ready, &res);
    out = mw_session_set_account_login_maps_finish (session, mw_async_wait (&res), &error);
    g_assert_null (out);
  }
  killed = mw_test_killer_join (killer);
  g_assert_true (killed);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  after = rows (f);
  g_assert_cmpstr (after, ==, before);

  mw_test_db_drop_stall (f->tdb, "dbmail_usermap");
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GPtrArray) out = NULL;

    mw_session_set_account_login_maps_async (session, bob, MW_LOGIN_MAPS_LOCK, NULL, FALSE, NULL,
                                             mw_async_wait_ready, &res);
    out = mw_session_set_account_login_maps_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
  }
  assert_logs_in (f, "bob", NULL);
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
  g_autofree char *before = NULL;

  set_up (f, driver);
  uri = mw_test_vmail_db_uri (f->tdb);
  mw_test_db_exec (f->tdb, "DROP TABLE dbmail_usermap");
  {
    CLI (0, "usermap", "list");
    mw_test_assert_contains (r.out, "DBMail consults login maps only when it exists");
  }
  {
    CLI (1, "usermap", "add", "al", "alice");
    mw_test_assert_contains (r.err, "Create the table first");
  }
  {
    CLI (0, "usermap", "create-table", "--json");
    mw_test_assert_contains (r.out, "\"created\":true");
  }
  {
    CLI (0, "usermap", "add", "al", "alice", "--allow", "inet:192.0.2.10:143");
    mw_test_assert_contains (r.out, "The login al now logs in as alice.");
  }
  {
    CLI (0, "usermap", "add", "ANY", "%s@example.org", "--deny", "inet:192.0.2.10:110", "--json");
    mw_test_assert_contains (r.out, "\"user\":\"%s@example.org\"");
  }
  {
    CLI (1, "usermap", "add", "x", "alice", "--allow", "inet:::1:143");
    mw_test_assert_contains (r.err, "compares only IPv4 addresses");
  }
  before = rows (f);
  {
    CLI (0, "usermap", "lock", "alice", "--dry-run");
    mw_test_assert_contains (r.out, "Dry run: nothing was changed.");
  }
  {
    CLI (0, "usermap", "delete", "al", "alice", "--allow", "inet:192.0.2.10:143", "--dry-run");
    mw_test_assert_contains (r.out, "can be deleted");
  }
  {
    g_autofree char *now = rows (f);

    g_assert_cmpstr (now, ==, before);
  }
  {
    CLI (0, "usermap", "list", "alice", "--json");
    mw_test_assert_contains (r.out, "\"table_exists\":true");
    mw_test_assert_contains (r.out, "\"total\":1");
    mw_test_assert_contains (r.out, "\"login\":\"al\"");
  }
  {
    CLI (0, "usermap", "set", "al", "alice", "--allow", "inet:192.0.2.10:143", "--deny", "inet:192.0.2.10:993");
    mw_test_assert_contains (r.out, "Changed the login map of al to alice.");
  }
  {
    CLI (0, "usermap", "lock", "alice");
    mw_test_assert_contains (r.out, "alice is locked");
  }
  assert_logs_in (f, "alice", NULL);
  assert_logs_in (f, "al", NULL);
  {
    CLI (0, "usermap", "list");
    mw_test_assert_contains (r.out, "unix:*");
  }
  {
    CLI (0, "login-maps", "--json");
    mw_test_assert_contains (r.out, "\"login-maps\"");
  }
  {
    CLI (0, "usermap", "clear", "alice");
    mw_test_assert_contains (r.out, "Removed 2 login maps of alice.");
  }
  {
    CLI (0, "usermap", "delete", "ANY", "%s@example.org");
    mw_test_assert_contains (r.out, "Deleted the login map of ANY to %s@example.org.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_usermap"), ==, 0);
  tear_down (f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();

  mw_test_add_both ("/usermap/table", test_table);
  mw_test_add_both ("/usermap/rows", test_rows);
  mw_test_add_both ("/usermap/refusals", test_refusals);
  mw_test_add_both ("/usermap/lock-clear", test_lock_clear);
  mw_test_add_both ("/usermap/user-delete", test_user_delete);
  mw_test_add_both ("/usermap/killed", test_killed);
  mw_test_add_both ("/usermap/cli", test_cli);

  return mw_test_run ();
}
