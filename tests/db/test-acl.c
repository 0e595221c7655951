/* test-acl.c: DBMail's shared folders (mw-acl.h) on PostgreSQL and
 * MariaDB: rights letters and words; set, change and revoke a grantee's
 * rows as DBMail stores them; the effective rights as DBMail 3.5 decides
 * them (owner implicit, own row else anyone's, read-only folders); public
 * folders and the special accounts; bad input refused with nothing changed;
 * a dry run; a connection killed mid-change; deleting a user takes its rows;
 * the Sharing list; mailwarden-cli's acl and public commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-account.h"
#include "mw-acl.h"
#include "mw-async-wait.h"
#include "mw-list-query.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-acl.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

typedef struct
{
  MwTestDb *tdb;
  MwSchema *schema;
  MwAdmin   admin;
  gint64    alice, bob, carol;
  char     *team;      /* alice's INBOX/Team */
  char     *ete;       /* alice's "Été" */
} Fixture;

static gint64
add_mailbox (Fixture    *f,
             gint64      owner,
             const char *name)
{
  MwDbValue params[] = { MW_DB_INT64 (owner), MW_DB_TEXT (name) };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) r = NULL;

  r = mw_db_exec (f->tdb->db, "INSERT INTO {mailboxes} (owner_idnr, name) VALUES ($1, $2)", params, 2, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, mw_db_result_unref);
  r = mw_db_exec (f->tdb->db, "SELECT mailbox_idnr FROM {mailboxes} WHERE owner_idnr = $1 AND name = $2",
                  params, 2, NULL, &error);
  g_assert_no_error (error);
  return mw_db_result_get_int64 (r, 0, 0);
}

static char *
key_of (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* alice owns INBOX, INBOX/Team and "Été" (stored &AMk-t&AOk-); bob and
 * carol own an INBOX each. */
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
  f->carol = mw_test_db_add_user (f->tdb, "carol", 0, 0);
  add_mailbox (f, f->alice, "INBOX");
  f->team = key_of (add_mailbox (f, f->alice, "INBOX/Team"));
  f->ete = key_of (add_mailbox (f, f->alice, "&AMk-t&AOk-"));
  add_mailbox (f, f->bob, "INBOX");
  add_mailbox (f, f->carol, "INBOX");
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_has_sharing (f->schema));
}

static void
tear_down (Fixture *f)
{
  g_clear_object (&f->schema);
  g_clear_pointer (&f->tdb, mw_test_db_free);
  g_free (f->team);
  g_free (f->ete);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return mw_test_db_int (f->tdb, sql);
}

/* What the tables sharing touches hold. */
static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  mw_test_db_append_rows (f->tdb->db, "SELECT * FROM dbmail_acl ORDER BY mailbox_id, user_id", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT mailbox_idnr, owner_idnr, name FROM dbmail_mailboxes "
                          "ORDER BY mailbox_idnr", out);
  mw_test_db_append_rows (f->tdb->db, "SELECT user_idnr, userid, passwd FROM dbmail_users ORDER BY user_idnr", out);
  return g_string_free (out, FALSE);
}

static MwRights
effective (Fixture    *f,
           const char *mailbox_key,
           const char *user)
{
  g_autoptr(GError) error = NULL;
  MwRights rights = 0;

  g_assert_true (mw_schema_get_effective_rights (f->schema, f->tdb->db, mailbox_key, user, &rights, NULL, &error));
  g_assert_no_error (error);
  return rights;
}

static void
set_ok (Fixture    *f,
        const char *mailbox_key,
        const char *grantee,
        MwRights    rights,
        MwRights    expect_before)
{
  g_autoptr(GError) error = NULL;
  MwRights before = 12345;

  g_assert_true (mw_schema_set_rights (f->schema, &f->admin, mailbox_key, grantee, rights, &before, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before, ==, expect_before);
}

static MwRights
letters (const char *text)
{
  g_autoptr(GError) error = NULL;
  MwRights rights = 0;

  g_assert_true (mw_rights_from_letters (text, &rights, &error));
  g_assert_no_error (error);
  return rights;
}

static void
test_rights (gconstpointer driver)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *all = mw_rights_to_letters (MW_RIGHTS_FULL);
  g_autofree char *rw = mw_rights_to_letters (MW_RIGHTS_READ_WRITE);
  g_autofree char *words = mw_rights_describe (MW_RIGHTS_READ_ONLY);
  g_autofree char *none = mw_rights_describe (0);
  MwRights rights = 0;

  g_assert_cmpstr (all, ==, "lrswipkxtea");
  g_assert_cmpstr (rw, ==, "lrswipkxte");
  g_assert_cmpuint (letters ("lrs"), ==, MW_RIGHTS_READ_ONLY);
  g_assert_cmpstr (words, ==, "see the folder, read, keep seen marks");
  g_assert_cmpstr (none, ==, "no rights");
  /* RFC 2086: c is k; d is x, t and e (DBMail's acl_replace_rights). */
  g_assert_cmpuint (letters ("c"), ==, MW_RIGHT_CREATE);
  g_assert_cmpuint (letters ("d"), ==, MW_RIGHT_DELETE | MW_RIGHT_DELETED | MW_RIGHT_EXPUNGE);
  g_assert_true (mw_rights_parse ("read-write", &rights, NULL));
  g_assert_cmpuint (rights, ==, MW_RIGHTS_READ_WRITE);
  g_assert_cmpstr (mw_rights_preset_name (MW_RIGHTS_FULL), ==, "full");
  g_assert_null (mw_rights_preset_name (MW_RIGHT_READ));
  g_assert_false (mw_rights_from_letters ("lrqzq", &rights, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  mw_test_assert_contains (error->message, "There is no right “q”, “z”.");
  g_clear_error (&error);
  g_assert_false (mw_rights_from_letters ("l\xff", &rights, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
  g_assert_cmpstr (mw_right_label (MW_RIGHT_ADMINISTER), ==, "Change the sharing");
  g_assert_cmpint (mw_right_letter (mw_right_nth (7)), ==, 'x');
}

/* Grant, change, list, look up, revoke; the rows as DBMail stores them. */
static void
test_operations (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) shared = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *alice_key = NULL;
  g_autofree char *bob_key = NULL;
  g_autofree char *found = NULL;
  g_autofree char *audit = NULL;
  MwRights before = 0;

  set_up (f, driver);
  alice_key = key_of (f->alice);
  bob_key = key_of (f->bob);

  set_ok (f, f->team, "bob", MW_RIGHTS_READ_ONLY, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl WHERE lookup_flag = 1 AND read_flag = 1 "
                             "AND seen_flag = 1 AND write_flag = 0 AND administer_flag = 0"), ==, 1);
  set_ok (f, f->team, "BOB", MW_RIGHTS_READ_WRITE, MW_RIGHTS_READ_ONLY);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl WHERE expunge_flag = 1 AND deleted_flag = 1 "
                             "AND administer_flag = 0"), ==, 1);
  set_ok (f, f->ete, "anyone", letters ("lr"), 0);

  /* alice's folders, INBOX first: INBOX shared with nobody, Team with bob, Été with anyone. */
  own = mw_schema_list_account_folders (f->schema, f->tdb->db, alice_key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (own->len, ==, 3);
  {
    MwAclEntry *inbox = g_ptr_array_index (own, 0);
    MwAclEntry *team = g_ptr_array_index (own, 1);
    MwAclEntry *ete = g_ptr_array_index (own, 2);

    g_assert_cmpstr (inbox->mailbox, ==, "INBOX");
    g_assert_null (inbox->grantee);
    g_assert_cmpstr (ete->shown_as, ==, "#Users/alice/Été");
    g_assert_cmpstr (ete->mailbox, ==, "&AMk-t&AOk-");
    g_assert_cmpstr (ete->display_name, ==, "Été");
    g_assert_cmpstr (ete->grantee, ==, "anyone");
    g_assert_null (ete->grantee_key);
    g_assert_cmpstr (team->shown_as, ==, "#Users/alice/INBOX/Team");
    g_assert_cmpstr (team->grantee, ==, "bob");
    g_assert_cmpstr (team->grantee_key, ==, bob_key);
    g_assert_cmpuint (team->rights, ==, MW_RIGHTS_READ_WRITE);
    g_assert_false (team->is_public);
  }
  /* What bob reaches: his own row and anyone's. */
  shared = mw_schema_list_shared_with (f->schema, f->tdb->db, bob_key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shared->len, ==, 2);
  rows = mw_schema_list_folder_acl (f->schema, f->tdb->db, f->team, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);

  found = mw_schema_find_shared_folder (f->schema, f->tdb->db, "#Users/alice/Été", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, f->ete);
  g_clear_pointer (&found, g_free);
  found = mw_schema_find_shared_folder (f->schema, f->tdb->db, "#Users/alice/inbox/Team", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, f->team);

  /* Revoke: the row goes; before says what it had. */
  g_assert_true (mw_schema_revoke_rights (f->schema, &f->admin, f->team, "bob", &before, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before, ==, MW_RIGHTS_READ_WRITE);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl a JOIN dbmail_users u ON u.user_idnr = a.user_id "
                             "WHERE u.userid = 'bob'"), ==, 0);

  /* The audit log has each change. */
  g_assert_true (g_file_get_contents (g_getenv ("MAILWARDEN_AUDIT_LOG"), &audit, NULL, NULL));
  mw_test_assert_contains (audit, "\"acl.set\"");
  mw_test_assert_contains (audit, "\"acl.revoke\"");
  mw_test_assert_contains (audit, "#Users/alice/INBOX/Team bob");
  tear_down (f);
}

/* The effective rights, as DBMail 3.5 answers MYRIGHTS and checks a right
 * (DBMAIL-FACTS.md A dbmail_acl, dbmail_mailboxes.permission; dm_acl.c). */
static void
test_effective (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;

  set_up (f, driver);
  /* Owner: every right, without a row. */
  g_assert_cmpuint (effective (f, f->team, "alice"), ==, MW_RIGHTS_FULL);
  g_assert_cmpuint (effective (f, f->team, "bob"), ==, 0);
  /* anyone's row applies to every user without a row of its own ... */
  set_ok (f, f->team, "anyone", letters ("lrs"), 0);
  g_assert_cmpuint (effective (f, f->team, "bob"), ==, letters ("lrs"));
  g_assert_cmpuint (effective (f, f->team, "carol"), ==, letters ("lrs"));
  /* ... but a user's own row replaces it (no union). */
  set_ok (f, f->team, "bob", letters ("lw"), 0);
  g_assert_cmpuint (effective (f, f->team, "bob"), ==, letters ("lw"));
  g_assert_cmpuint (effective (f, f->team, "carol"), ==, letters ("lrs"));
  /* A read-only folder (permission 1) keeps only l and r, for the owner too. */
  mw_test_db_exec (f->tdb, "UPDATE dbmail_mailboxes SET permission = 1 WHERE name = 'INBOX/Team'");
  g_assert_cmpuint (effective (f, f->team, "alice"), ==, MW_RIGHT_LOOKUP | MW_RIGHT_READ);
  g_assert_cmpuint (effective (f, f->team, "bob"), ==, MW_RIGHT_LOOKUP);
  g_assert_cmpuint (effective (f, f->team, "carol"), ==, MW_RIGHT_LOOKUP | MW_RIGHT_READ);
  tear_down (f);
}

/* Public folders and the special accounts. */
static void
test_public (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *found = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  set_up (f, driver);
  g_assert_cmpuint (mw_schema_missing_special_users (f->schema, f->tdb->db, NULL, &error), ==, 0);
  g_assert_no_error (error);

  key = mw_schema_create_public_folder (f->schema, &f->admin, "#Public/News/Lokal Été", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_mailboxes m JOIN dbmail_users u ON u.user_idnr = m.owner_idnr "
                             "WHERE u.userid = '__public__' AND m.name IN ('News', 'News/Lokal &AMk-t&AOk-')"), ==, 2);
  found = mw_schema_find_shared_folder (f->schema, f->tdb->db, "#Public/News/Lokal Été", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key);
  g_assert_null (mw_schema_create_public_folder (f->schema, &f->admin, "News/Lokal Été", &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS);
  g_clear_error (&error);
  set_ok (f, key, "anyone", MW_RIGHTS_READ_ONLY, 0);
  g_assert_cmpuint (effective (f, key, "carol"), ==, MW_RIGHTS_READ_ONLY);

  /* A folder that holds another is kept. */
  g_assert_false (mw_schema_delete_public_folder (f->schema, &f->admin, "News", &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
  mw_test_assert_contains (error->message, "holds other folders");
  g_clear_error (&error);
  g_assert_true (mw_schema_delete_public_folder (f->schema, &f->admin, "News/Lokal Été", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl"), ==, 0);
  g_assert_true (mw_schema_delete_public_folder (f->schema, &f->admin, "#Public/News", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_mailboxes WHERE name LIKE 'News%'"), ==, 0);

  /* Without the special accounts: a sentence, and on request the seed rows. */
  mw_test_db_exec (f->tdb, "DELETE FROM dbmail_users WHERE userid IN ('anyone', '__public__')");
  g_assert_cmpuint (mw_schema_missing_special_users (f->schema, f->tdb->db, NULL, &error), ==,
                    MW_SPECIAL_USER_ANYONE | MW_SPECIAL_USER_PUBLIC);
  before = snapshot (f);
  g_assert_false (mw_schema_set_rights (f->schema, &f->admin, f->team, "anyone", MW_RIGHT_LOOKUP, NULL, &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  mw_test_assert_contains (error->message, "no account “anyone”");
  g_clear_error (&error);
  g_assert_null (mw_schema_create_public_folder (f->schema, &f->admin, "News", &error));
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  mw_test_assert_contains (error->message, "no account “__public__”");
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_true (mw_schema_create_special_users (f->schema, &f->admin, MW_SPECIAL_USER_ANYONE | MW_SPECIAL_USER_PUBLIC,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_users WHERE userid IN ('anyone', '__public__') "
                             "AND passwd = '' AND encryption_type = 'md5'"), ==, 2);
  g_assert_cmpuint (mw_schema_missing_special_users (f->schema, f->tdb->db, NULL, &error), ==, 0);
  tear_down (f);
}

/* Bad input: a sentence each, and nothing changed; a dry run changes nothing. */
static void
test_bad_input (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *long_name = g_strnfill (300, 'b');
  static const struct
  {
    const char *grantee;
    const char *mailbox;   /* NULL: the Team folder */
    int         code;
    const char *says;
  } cases[] = {
    { "nobody", NULL, MW_SCHEMA_ERROR_NOT_FOUND, "There is no user “nobody”." },
    { "bob'; DROP TABLE dbmail_acl; --", NULL, MW_SCHEMA_ERROR_NOT_FOUND, "There is no user “bob'; DROP" },
    { "bob", "999999", MW_SCHEMA_ERROR_NOT_FOUND, "There is no such folder" },
    { "bob", "x1", MW_SCHEMA_ERROR_NOT_FOUND, "mailbox" },
    { "alice", NULL, MW_SCHEMA_ERROR_REFUSED, "always has every right" },
    { "__public__", NULL, MW_SCHEMA_ERROR_REFUSED, "one of DBMail’s own accounts" },
    { "__@!internal_delivery_user!@__", NULL, MW_SCHEMA_ERROR_REFUSED, "one of DBMail’s own accounts" },
    { "b\xc3\x28", NULL, MW_SCHEMA_ERROR_INVALID, "not valid text (UTF-8)" },
    { "", NULL, MW_SCHEMA_ERROR_INVALID, "Give the grantee." },
  };

  set_up (f, driver);
  set_ok (f, f->team, "carol", MW_RIGHTS_READ_ONLY, 0);
  before = snapshot (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (mw_schema_set_rights (f->schema, &f->admin, cases[i].mailbox != NULL ? cases[i].mailbox : f->team,
                                            cases[i].grantee, MW_RIGHTS_FULL, NULL, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, cases[i].code);
      mw_test_assert_contains (error->message, cases[i].says);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (mw_schema_set_rights (f->schema, &f->admin, f->team, long_name, MW_RIGHTS_FULL, NULL, &error));
    mw_test_assert_contains (error->message, "too long");
    g_clear_error (&error);
    g_assert_null (mw_schema_find_shared_folder (f->schema, f->tdb->db, "#Users/alice/Nope", NULL, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    mw_test_assert_contains (error->message, "There is no folder “#Users/alice/Nope”.");
    g_clear_error (&error);
    g_assert_null (mw_schema_create_public_folder (f->schema, &f->admin, "a//b", &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (mw_schema_create_public_folder (f->schema, &f->admin, "x%", &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (mw_schema_get_effective_rights (f->schema, f->tdb->db, f->team, "nobody", &(MwRights) { 0 },
                                                    NULL, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  /* Dry runs: the change is checked and rolled back. */
  f->admin.dry_run = TRUE;
  set_ok (f, f->team, "bob", MW_RIGHTS_FULL, 0);
  set_ok (f, f->team, "carol", 0, MW_RIGHTS_READ_ONLY);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *key = mw_schema_create_public_folder (f->schema, &f->admin, "Dry", &error);

    g_assert_no_error (error);
    g_assert_nonnull (key);
  }
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  tear_down (f);
}

/* Deleting a user (Mailwarden's delete) takes its rows and the rows on its
 * folders. */
static void
test_delete_user (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_key = NULL;
  g_autofree char *alice_key = NULL;
  MwDeleteSummary summary = { 0 };

  set_up (f, driver);
  set_ok (f, f->team, "bob", MW_RIGHTS_READ_ONLY, 0);
  set_ok (f, f->ete, "carol", MW_RIGHTS_READ_ONLY, 0);
  bob_key = key_of (f->bob);
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, bob_key, 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl"), ==, 1);
  alice_key = key_of (f->alice);
  g_assert_true (mw_schema_delete_accounts (f->schema, &f->admin, alice_key, 0, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl"), ==, 0);
  tear_down (f);
}

/* The Sharing list: its rows, sorted and searched. */
static void
test_list (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) r = NULL;
  const MwListInfo *info;
  MwListRequest request = { .kind = MW_LIST_SHARING, .sort = MW_SORT_TARGET, .descending = TRUE };
  g_autofree char *public_key = NULL;

  set_up (f, driver);
  public_key = mw_schema_create_public_folder (f->schema, &f->admin, "News", &error);
  g_assert_no_error (error);
  set_ok (f, public_key, "anyone", MW_RIGHTS_READ_ONLY, 0);
  set_ok (f, f->team, "bob", MW_RIGHTS_READ_WRITE, 0);
  set_ok (f, f->ete, "carol", MW_RIGHTS_FULL, 0);
  info = mw_schema_get_list (f->schema, MW_LIST_SHARING);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->id, ==, "sharing");

  query = mw_schema_list_query (f->schema, &request, &error);
  g_assert_no_error (error);
  r = mw_list_query_fetch_offset (query, f->tdb->db, 0, 10, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (r), ==, 3);
  {
    const char *expect[][3] = {
      { "#Users/alice/&AMk-t&AOk-", "carol", "lrswipkxtea" },
      { "#Users/alice/INBOX/Team", "bob", "lrswipkxte" },
      { "#Public/News", "anyone", "lrs" },
    };

    for (guint i = 0; i < 3; i++)
      {
        MwListValue v;
        g_autofree char *folder = NULL;
        g_autofree char *words = NULL;

        mw_list_column_read (mw_list_info_find_column (info, "folder"), r, i, &v);
        g_assert_cmpstr (v.text, ==, expect[i][0]);
        if (i == 0)
          {
            folder = mw_list_value_format (mw_list_info_find_column (info, "folder"), &v);
            g_assert_cmpstr (folder, ==, "#Users/alice/Été");
          }
        mw_list_column_read (mw_list_info_find_column (info, "grantee"), r, i, &v);
        g_assert_cmpstr (v.text, ==, expect[i][1]);
        mw_list_column_read (mw_list_info_find_column (info, "rights"), r, i, &v);
        g_assert_cmpstr (v.text, ==, expect[i][2]);
        mw_list_column_read (mw_list_info_find_column (info, "allows"), r, i, &v);
        words = mw_list_value_format (mw_list_info_find_column (info, "allows"), &v);
        if (i == 2)
          g_assert_cmpstr (words, ==, "see the folder, read, keep seen marks");
      }
  }
  g_clear_pointer (&r, mw_db_result_unref);
  g_clear_pointer (&query, mw_list_query_unref);
  request.search = "TEAM";
  request.sort = MW_SORT_NAME;
  query = mw_schema_list_query (f->schema, &request, &error);
  g_assert_no_error (error);
  r = mw_list_query_fetch_offset (query, f->tdb->db, 0, 10, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mw_db_result_get_n_rows (r), ==, 1);
  tear_down (f);
}

/* Kills the connection that sleeps in the trigger, as soon as one does. */
/* A connection killed while the change waits in a trigger on its last
 * statement: nothing changed, a sentence, and the next call works. */
static void
test_killed (gconstpointer driver)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSession) session = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  MwTestKiller *killer;
  gboolean killed;
  MwDb *db;

  set_up (f, driver);
  set_ok (f, f->team, "carol", MW_RIGHTS_READ_ONLY, 0);
  mw_test_db_stall (f->tdb, "dbmail_acl", "INSERT", NULL);
  db = mw_db_connect (f->tdb->settings, NULL, &error);
  g_assert_no_error (error);
  session = mw_session_new_for_connection (NULL, f->tdb->settings, db, NULL, &error);
  g_assert_no_error (error);

  before = snapshot (f);
  killer = mw_test_killer_start (f->tdb->settings, f->tdb->driver);
  {
    g_autoptr(GAsyncResult) res = NULL;

    mw_session_set_rights_async (session, f->team, "bob", MW_RIGHTS_FULL, FALSE, NULL, mw_async_wait_ready, &res);
    g_assert_false (mw_session_set_rights_finish (session, mw_async_wait (&res), NULL, &error));
  }
  killed = mw_test_killer_join (killer);
  g_assert_true (killed);
  g_assert_error (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
  mw_test_assert_contains (error->message, "nothing was changed");
  g_clear_error (&error);
  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);

  mw_test_db_drop_stall (f->tdb, "dbmail_acl");
  {
    g_autoptr(GAsyncResult) res = NULL;
    MwRights was = 1;

    mw_session_set_rights_async (session, f->team, "bob", MW_RIGHTS_FULL, FALSE, NULL, mw_async_wait_ready, &res);
    g_assert_true (mw_session_set_rights_finish (session, mw_async_wait (&res), &was, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (was, ==, 0);
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl WHERE administer_flag = 1"), ==, 1);
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
    CLI (0, "acl", "set", "#Users/alice/INBOX/Team", "bob", "read-only", "--dry-run");
    mw_test_assert_contains (r.out, "On #Users/alice/INBOX/Team, bob could: see the folder, read, keep seen marks "
                                    "(lrs; before: -).");
    mw_test_assert_contains (r.out, "Dry run: nothing was changed.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl"), ==, 0);
  {
    CLI (0, "acl", "set", "#Users/alice/INBOX/Team", "bob", "lrsw");
    mw_test_assert_contains (r.out, "On #Users/alice/INBOX/Team, bob may now: see the folder, read, keep seen marks, "
                                    "set flags (lrsw; before: -).");
  }
  {
    CLI (1, "acl", "set", "#Users/alice/INBOX/Team", "bob", "lrq");
    mw_test_assert_contains (r.err, "There is no right “q”.");
  }
  {
    CLI (4, "acl", "set", "#Users/alice/Nope", "bob", "full");
    mw_test_assert_contains (r.err, "There is no folder “#Users/alice/Nope”.");
  }
  {
    CLI (0, "acl", "list", "alice");
    mw_test_assert_contains (r.out, "Folders of alice:");
    mw_test_assert_contains (r.out, "#Users/alice/INBOX/Team  bob  lrsw "
                                    "(see the folder, read, keep seen marks, set flags)");
    mw_test_assert_contains (r.out, "#Users/alice/Été: not shared");
  }
  {
    CLI (0, "acl", "list", "bob", "--json");
    mw_test_assert_contains (r.out, "\"shared_with_user\":[{\"folder\":\"#Users/alice/INBOX/Team\"");
    mw_test_assert_contains (r.out, "\"rights\":\"lrsw\"");
  }
  {
    CLI (0, "public", "create", "Neuigkeiten", "--json");
    mw_test_assert_contains (r.out, "{\"folder\":\"#Public/Neuigkeiten\",\"created\":true,\"dry_run\":false}");
  }
  {
    CLI (0, "acl", "set", "#Public/Neuigkeiten", "anyone", "read-only");
    mw_test_assert_contains (r.out, "On #Public/Neuigkeiten, anyone may now");
  }
  {
    CLI (0, "sharing", "--sort", "grantee");
    mw_test_assert_contains (r.out, "#Public/Neuigkeiten");
    mw_test_assert_contains (r.out, "see the folder, read, keep seen marks");
  }
  {
    /* A folder with an accent: --json names it as a mail client does, and
     * as stored (modified UTF-7). */
    CLI (0, "public", "create", "Réunions");
  }
  {
    CLI (0, "sharing", "--json", "--search", "unions");
    mw_test_assert_contains (r.out, "\"folder\":\"#Public/Réunions\"");
    mw_test_assert_contains (r.out, "\"folder_stored\":\"#Public/R&AOk-unions\"");
  }
  {
    CLI (0, "acl", "list");
    mw_test_assert_contains (r.out, "#Users/alice/INBOX/Team");
  }
  {
    CLI (0, "acl", "revoke", "#Users/alice/INBOX/Team", "bob");
    mw_test_assert_contains (r.out, "bob no longer has rights on #Users/alice/INBOX/Team (had: lrsw).");
  }
  {
    CLI (0, "public", "delete", "Neuigkeiten", "--dry-run");
    mw_test_assert_contains (r.out, "The public folder #Public/Neuigkeiten can be deleted.");
  }
  {
    CLI (0, "public", "delete", "Neuigkeiten");
    mw_test_assert_contains (r.out, "Deleted the public folder #Public/Neuigkeiten.");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl"), ==, 0);

  /* Without "anyone": a sentence naming the option, then the consent. */
  mw_test_db_exec (f->tdb, "DELETE FROM dbmail_users WHERE userid = 'anyone'");
  {
    CLI (4, "acl", "set", "#Users/alice/Été", "anyone", "lr");
    mw_test_assert_contains (r.err, "--create-special-users");
  }
  {
    CLI (0, "acl", "set", "#Users/alice/Été", "anyone", "lr", "--create-special-users");
    mw_test_assert_contains (r.out, "Created DBMail’s special accounts");
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM dbmail_acl a JOIN dbmail_users u ON u.user_idnr = a.user_id "
                             "WHERE u.userid = 'anyone' AND a.lookup_flag = 1 AND a.read_flag = 1"), ==, 1);
  tear_down (f);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_private_audit_log ();
  mw_test_add_both ("/acl/rights", test_rights);
  mw_test_add_both ("/acl/operations", test_operations);
  mw_test_add_both ("/acl/effective", test_effective);
  mw_test_add_both ("/acl/public", test_public);
  mw_test_add_both ("/acl/bad-input", test_bad_input);
  mw_test_add_both ("/acl/delete-user", test_delete_user);
  mw_test_add_both ("/acl/list", test_list);
  mw_test_add_both ("/acl/killed", test_killed);
  mw_test_add_both ("/acl/cli", test_cli);
  return mw_test_run ();
}
