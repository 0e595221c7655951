/* test-mail-store.c: the DBMail schema's mail store through the MwMailStore interface only, on real servers.
 *
 * The data is written with SQL and the message writer; everything asserted
 * is asked of mw_mail_store_*() on the object mw_schema_open() makes, with
 * keys as the GUI and the CLI hold them, and checked against the rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mw-dbmail-store.h"
#include "mw-mail-store.h"
#include "mw-record.h"
#include "mw-schema.h"
#include "mw-test-db.h"

typedef struct
{
  MwTestDb    *tdb;
  MwSchema    *schema;
  MwMailStore *store;
  MwAdmin      admin;
  gint64       alice, bob;
  char        *alice_key, *bob_key;
  gint64       a_inbox, a_ete, b_inbox;
  /* alice: INBOX */
  gint64       a_new, a_pop, a_deleted, a_purge;
  /* alice: Été */
  gint64       e_deleted;
  /* bob: INBOX */
  gint64       b_new;
} Fixture;

static const char *audit_path;  /* mw_test_private_audit_log () */

static gint64
sql_int (Fixture    *f,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gint64
sql_int (Fixture    *f,
         const char *format,
         ...)
{
  va_list ap;
  g_autofree char *sql = NULL;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  return mw_test_db_int (f->tdb, sql);
}

static char *
number_text (gint64 number)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, number);
}

static gint64
add_mailbox (Fixture    *f,
             gint64      owner,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_mailboxes (owner_idnr, name) VALUES (%" G_GINT64_FORMAT
                                          ", '%s')", owner, name);

  mw_test_db_exec (f->tdb, sql);
  return sql_int (f, "SELECT mailbox_idnr FROM dbmail_mailboxes WHERE owner_idnr = %" G_GINT64_FORMAT
                     " AND name = '%s'", owner, name);
}

static gint64
deliver (Fixture        *f,
         gint64          mailbox,
         int             status,
         MwMessageFlags  flags,
         const char     *from,
         const char     *subject,
         const char     *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *text = g_strdup_printf ("From: %s\nTo: Alice <alice@example.org>\nSubject: %s\n"
                                           "Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <%s@test>\n\n%s\n",
                                           from, subject, uuid, body);
  g_autoptr(GBytes) raw = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
  gint64 id = mw_message_store_deliver_full (f->tdb->db, mailbox, raw, status, NULL, flags, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_remove (audit_path);
  f->tdb = mw_test_db_new (data, TRUE);
  f->admin.db = f->tdb->db;
  f->admin.profile = "test";
  f->alice = mw_test_db_add_user (f->tdb, "alice", 1, 0);
  f->bob = mw_test_db_add_user (f->tdb, "bob", 1, 0);
  f->alice_key = number_text (f->alice);
  f->bob_key = number_text (f->bob);
  f->a_inbox = add_mailbox (f, f->alice, "INBOX");
  f->a_ete = add_mailbox (f, f->alice, "&AMk-t&AOk-");
  f->b_inbox = add_mailbox (f, f->bob, "INBOX");

  f->a_new = deliver (f, f->a_inbox, 0, MW_MESSAGE_FLAG_RECENT, "Carol <carol@example.com>", "Hello there",
                      "the quokka smiles");
  f->a_pop = deliver (f, f->a_inbox, 1, MW_MESSAGE_FLAG_SEEN | MW_MESSAGE_FLAG_ANSWERED, "Dave <dave@example.net>",
                      "Fetched by POP", "nothing to see");
  f->a_deleted = deliver (f, f->a_inbox, 2, MW_MESSAGE_FLAG_FLAGGED, "=?UTF-8?Q?Zo=C3=AB?= <zoe@example.org>",
                          "=?UTF-8?Q?R=C3=A9union_importante?=", "a quokka again");
  f->a_purge = deliver (f, f->a_inbox, 3, MW_MESSAGE_FLAG_DRAFT, "Eve <eve@example.com>", "Old newsletter", "x");
  f->e_deleted = deliver (f, f->a_ete, 2, MW_MESSAGE_FLAG_NONE, "Grace <grace@example.com>", "Annulé", "non");
  f->b_new = deliver (f, f->b_inbox, 0, MW_MESSAGE_FLAG_NONE, "Carol <carol@example.com>", "Hello bob",
                      "quokka for bob");

  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (MW_IS_MAIL_STORE (f->schema));
  f->store = MW_MAIL_STORE (f->schema);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->schema);
  g_free (f->alice_key);
  g_free (f->bob_key);
  mw_test_db_free (f->tdb);
}

static gint64
curmail (Fixture *f,
         gint64   user)
{
  return sql_int (f, "SELECT curmail_size FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, user);
}

static gint64
size_of (Fixture *f,
         gint64   message)
{
  return sql_int (f, "SELECT p.messagesize FROM dbmail_messages m JOIN dbmail_physmessage p ON p.id = m.physmessage_id "
                     "WHERE m.message_idnr = %" G_GINT64_FORMAT, message);
}

static gint64
status_of (Fixture *f,
           gint64   message)
{
  return sql_int (f, "SELECT status FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, message);
}

/* The key the store gives message number @message (the way the CLI finds
 * one by the number an admin types). */
static char *
key_of (Fixture *f,
        gint64   message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  char *key = mw_mail_store_find_message (f->store, f->tdb->db, message, &owner, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

/* Every row a refused change could have touched. */
static char *
snapshot (Fixture *f)
{
  static const char *const queries[] = {
    "SELECT message_idnr, mailbox_idnr, physmessage_id, status, seen_flag, deleted_flag, unique_id, seq "
    "FROM dbmail_messages ORDER BY message_idnr",
    "SELECT mailbox_idnr, seq FROM dbmail_mailboxes ORDER BY mailbox_idnr",
    "SELECT user_idnr, curmail_size FROM dbmail_users ORDER BY user_idnr",
  };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    mw_test_db_append_rows (f->tdb->db, queries[q], out);
  return g_string_free (out, FALSE);
}

static MwMailbox *
find_box (GPtrArray  *list,
          const char *display_name)
{
  for (guint i = 0; i < list->len; i++)
    {
      MwMailbox *m = g_ptr_array_index (list, i);

      if (g_str_equal (m->display_name, display_name))
        return m;
    }
  g_error ("no mailbox %s", display_name);
  return NULL;
}

/* ------------------------------------------------------------------------ */

static void
test_mailboxes (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = mw_mail_store_list_mailboxes (f->store, f->tdb->db, f->alice_key, NULL, &error);
  g_autofree char *inbox_key = number_text (f->a_inbox);
  g_autofree char *ete_key = number_text (f->a_ete);
  g_autofree char *found = NULL;
  MwMailbox *m;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  m = g_ptr_array_index (list, 0);
  g_assert_cmpstr (m->display_name, ==, "INBOX");
  g_assert_cmpstr (m->key, ==, inbox_key);
  g_assert_cmpint (m->number, ==, f->a_inbox);
  g_assert_cmpstr (m->owner_key, ==, f->alice_key);
  g_assert_cmpstr (m->owner, ==, "alice");
  g_assert_cmpint (m->section, ==, MW_MAILBOX_OWN);
  g_assert_cmpstr (mw_mailbox_section_name (m->section), ==, "own");
  g_assert_cmpint (m->visible_count, ==, 2);
  g_assert_cmpint (m->visible_bytes, ==, size_of (f, f->a_new) + size_of (f, f->a_pop));
  g_assert_cmpint (m->deleted_count, ==, 1);
  g_assert_cmpint (m->deleted_bytes, ==, size_of (f, f->a_deleted));
  g_assert_cmpint (m->purge_count, ==, 1);
  g_assert_cmpint (m->purge_bytes, ==, size_of (f, f->a_purge));
  m = find_box (list, "Été");
  g_assert_cmpstr (m->key, ==, ete_key);
  g_assert_cmpstr (m->name, ==, "&AMk-t&AOk-");
  g_assert_cmpint (m->deleted_count, ==, 1);

  /* By the name a person sees, INBOX in any case. */
  found = mw_mail_store_find_mailbox (f->store, f->tdb->db, f->alice_key, "Été", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, ete_key);
  g_clear_pointer (&found, g_free);
  found = mw_mail_store_find_mailbox (f->store, f->tdb->db, f->alice_key, "inbox", NULL, &error);
  g_assert_cmpstr (found, ==, inbox_key);
  g_clear_pointer (&found, g_free);
  found = mw_mail_store_find_mailbox (f->store, f->tdb->db, f->alice_key, "Nowhere", NULL, &error);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_null (found);
  g_clear_error (&error);

  /* The summary counts. */
  {
    MwMailCounts counts = { 0 };

    g_assert_true (mw_mail_store_count_all (f->store, f->tdb->db, &counts, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (counts.mailboxes, ==, sql_int (f, "SELECT count(*) FROM dbmail_mailboxes"));
    g_assert_cmpint (counts.messages, ==, 3);
    g_assert_cmpint (counts.deleted, ==, 3);
  }

  /* What waits for the server's purge. */
  {
    MwPurgeState s = { 0 };
    g_autofree char *text = NULL;

    g_assert_true (mw_mail_store_purge_state (f->store, f->tdb->db, f->alice_key, &s, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (s.deleted_count, ==, 2);
    g_assert_cmpint (s.deleted_bytes, ==, size_of (f, f->a_deleted) + size_of (f, f->e_deleted));
    g_assert_cmpint (s.purge_count, ==, 1);
    g_assert_true (s.maintenance_seen);
    text = mw_purge_state_describe (&s);
    g_assert_nonnull (strstr (text, "Until then they can be undeleted."));
  }
}

/* The list's rows as a list page reads them: records filled from a page. */
static GPtrArray *
list_rows (Fixture                *f,
           const MwMessageRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = mw_mail_store_messages_query (f->store, request, &error);
  g_autoptr(MwDbResult) r = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  g_assert_nonnull (query);
  r = mw_list_query_fetch_offset (query, f->tdb->db, 0, 100, FALSE, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      MwRecord *record = mw_record_new (i);

      _mw_record_set_row (record, r, i);
      g_ptr_array_add (records, record);
    }
  return records;
}

static MwRecord *
find_row (Fixture   *f,
          GPtrArray *records,
          gint64     number)
{
  for (guint i = 0; i < records->len; i++)
    {
      g_auto(MwMessageRow) row = { 0 };

      mw_mail_store_read_row (f->store, g_ptr_array_index (records, i), &row);
      if (row.number == number)
        return g_ptr_array_index (records, i);
    }
  g_error ("no message %" G_GINT64_FORMAT " in the list", number);
  return NULL;
}

/* The message list in mail terms: status and flags, never DBMail's numbers. */
static void
test_message_list (Fixture       *f,
                   gconstpointer  data)
{
  const MwListInfo *info = mw_mail_store_get_message_list (f->store);
  static const char *const ids[] = {
    "key", "number", "status", "sender", "recipient", "subject", "date", "size", "flags", "keywords", "mailbox",
  };
  g_autofree char *inbox_key = number_text (f->a_inbox);
  MwMessageRequest request = { .account = f->alice_key, .mailbox = inbox_key, .state = MW_MESSAGE_STATE_ALL };
  g_autoptr(GPtrArray) records = NULL;
  static const struct
  {
    const char      *status;
    MwMessageStatus  expected;
    MwMessageFlags   flags;
    const char      *flag_words;
  } expect[] = {
    { "visible", MW_MESSAGE_VISIBLE, MW_MESSAGE_FLAG_RECENT, "recent" },
    { "seen_by_pop", MW_MESSAGE_SEEN_BY_POP, MW_MESSAGE_FLAG_SEEN | MW_MESSAGE_FLAG_ANSWERED, "seen answered" },
    { "deleted", MW_MESSAGE_DELETED, MW_MESSAGE_FLAG_FLAGGED | MW_MESSAGE_FLAG_DELETED, "flagged deleted" },
    { "purge_pending", MW_MESSAGE_PURGE_PENDING, MW_MESSAGE_FLAG_DELETED | MW_MESSAGE_FLAG_DRAFT, "deleted draft" },
  };
  gint64 numbers[] = { f->a_new, f->a_pop, f->a_deleted, f->a_purge };

  /* The columns: their ids are the CLI's JSON keys. */
  g_assert_nonnull (info);
  g_assert_cmpstr (info->id, ==, "messages");
  g_assert_cmpuint (info->n_columns, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpstr (info->columns[i].id, ==, ids[i]);

  mw_test_db_exec (f->tdb, "INSERT INTO dbmail_keywords (message_idnr, keyword) "
                           "SELECT message_idnr, 'Work' FROM dbmail_messages WHERE status = 2");
  records = list_rows (f, &request);
  g_assert_cmpuint (records->len, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      MwRecord *record = find_row (f, records, numbers[i]);
      g_auto(MwMessageRow) row = { 0 };
      g_autofree char *key = key_of (f, numbers[i]);
      MwListValue value;

      mw_mail_store_read_row (f->store, record, &row);
      g_assert_cmpstr (row.key, ==, key);
      g_assert_cmpint (row.status, ==, expect[i].expected);
      g_assert_cmpint (row.flags, ==, expect[i].flags);
      g_assert_cmpint (row.size, ==, size_of (f, numbers[i]));
      g_assert_cmpstr (row.mailbox, ==, "INBOX");
      g_assert_nonnull (row.date);
      g_assert_cmpstr (row.recipient, ==, "Alice <alice@example.org>");
      /* The same through the columns, as the CLI writes them. */
      mw_list_column_read_record (mw_list_info_find_column (info, "status"), record, &value);
      g_assert_cmpstr (value.text, ==, expect[i].status);
      mw_list_column_read_record (mw_list_info_find_column (info, "flags"), record, &value);
      g_assert_cmpstr (value.text, ==, expect[i].flag_words);
      mw_list_column_read_record (mw_list_info_find_column (info, "key"), record, &value);
      g_assert_cmpstr (value.text, ==, key);
      mw_list_column_read_record (mw_list_info_find_column (info, "number"), record, &value);
      g_assert_cmpint (value.number, ==, numbers[i]);
      if (numbers[i] == f->a_deleted)
        {
          g_assert_cmpstr (row.sender, ==, "Zoë <zoe@example.org>");
          g_assert_cmpstr (row.subject, ==, "Réunion importante");
          g_assert_cmpstr (row.keywords, ==, "Work");
        }
    }

  /* Visible only; every mailbox of the account (mailbox NULL). */
  g_clear_pointer (&records, g_ptr_array_unref);
  request.state = MW_MESSAGE_STATE_VISIBLE;
  records = list_rows (f, &request);
  g_assert_cmpuint (records->len, ==, 2);
  g_clear_pointer (&records, g_ptr_array_unref);
  request.state = MW_MESSAGE_STATE_DELETED;
  request.mailbox = NULL;
  records = list_rows (f, &request);
  g_assert_cmpuint (records->len, ==, 3);
  g_clear_pointer (&records, g_ptr_array_unref);
  request.text = "annul";
  records = list_rows (f, &request);
  g_assert_cmpuint (records->len, ==, 1);
  find_row (f, records, f->e_deleted);
}

static void
test_delete_undelete (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *new_key = key_of (f, f->a_new);
  g_autofree char *pop_key = key_of (f, f->a_pop);
  g_autofree char *deleted_key = key_of (f, f->a_deleted);
  g_autofree char *ete_key = number_text (f->a_ete);
  g_auto(MwMessageChange) change = { 0 };
  gint64 cur = curmail (f, f->alice);
  gint64 size = size_of (f, f->a_new);
  gint64 new_number;

  /* Delete: status 2, \Deleted, its size out of curmail_size; the POP one
   * is visible too and goes as well. */
  {
    const char *const keys[] = { new_key, pop_key, NULL };
    gint64 both = size + size_of (f, f->a_pop);

    g_assert_true (mw_mail_store_set_deleted (f->store, &f->admin, f->alice_key, keys, TRUE, &change, &error));
    g_assert_no_error (error);
    g_assert_cmpint (change.messages, ==, 2);
    g_assert_cmpint (change.bytes, ==, both);
    g_assert_cmpint (change.mailboxes, ==, 1);
    g_assert_cmpint (change.used, ==, MAX (cur - both, 0));
    g_assert_null (change.renumbered);
    g_assert_cmpint (curmail (f, f->alice), ==, change.used);
    g_assert_cmpint (status_of (f, f->a_new), ==, 2);
    g_assert_cmpint (status_of (f, f->a_pop), ==, 2);
    g_assert_cmpint (sql_int (f, "SELECT deleted_flag FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT,
                              f->a_new), ==, 1);
  }

  /* Undelete one by its key: it comes back under a new number, status 0,
   * its size back in curmail_size. */
  mw_message_change_clear (&change);
  cur = curmail (f, f->alice);
  {
    const char *const keys[] = { new_key, NULL };

    g_assert_true (mw_mail_store_set_deleted (f->store, &f->admin, f->alice_key, keys, FALSE, &change, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (change.messages, ==, 1);
  g_assert_cmpint (change.bytes, ==, size);
  g_assert_cmpint (change.used, ==, cur + size);
  g_assert_cmpint (curmail (f, f->alice), ==, cur + size);
  g_assert_nonnull (change.renumbered);
  g_assert_cmpuint (change.renumbered->len, ==, 1);
  g_assert_cmpint (g_array_index (change.renumbered, MwMessageRenumber, 0).old_number, ==, f->a_new);
  new_number = g_array_index (change.renumbered, MwMessageRenumber, 0).new_number;
  g_assert_cmpint (new_number, >, f->a_purge);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_messages WHERE message_idnr = %" G_GINT64_FORMAT, f->a_new),
                   ==, 0);
  g_assert_cmpint (status_of (f, new_number), ==, 0);
  /* The old key names nothing now. */
  {
    const char *const keys[] = { new_key, NULL };
    g_autofree char *before = snapshot (f);
    g_autofree char *after = NULL;

    mw_message_change_clear (&change);
    g_assert_false (mw_mail_store_set_deleted (f->store, &f->admin, f->alice_key, keys, TRUE, &change, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    g_clear_error (&error);
    after = snapshot (f);
    g_assert_cmpstr (before, ==, after);
  }

  /* A mailbox at once: the Été one's deleted message. */
  mw_message_change_clear (&change);
  cur = curmail (f, f->alice);
  g_assert_true (mw_mail_store_undelete_mailbox (f->store, &f->admin, ete_key, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (change.messages, ==, 1);
  g_assert_cmpint (change.used, ==, cur + size_of (f, g_array_index (change.renumbered, MwMessageRenumber, 0).new_number));
  g_assert_cmpint (g_array_index (change.renumbered, MwMessageRenumber, 0).old_number, ==, f->e_deleted);
  g_assert_cmpint (sql_int (f, "SELECT count(*) FROM dbmail_messages WHERE mailbox_idnr = %" G_GINT64_FORMAT
                               " AND status IN (2, 3)", f->a_ete), ==, 0);

  /* Another account's message is refused, and nothing changes. */
  {
    g_autofree char *bob_message = key_of (f, f->b_new);
    const char *const keys[] = { deleted_key, bob_message, NULL };
    g_autofree char *before = snapshot (f);
    g_autofree char *after = NULL;

    mw_message_change_clear (&change);
    g_assert_false (mw_mail_store_set_deleted (f->store, &f->admin, f->alice_key, keys, FALSE, &change, &error));
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_clear_error (&error);
    after = snapshot (f);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_find_and_load (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *key = mw_mail_store_find_message (f->store, f->tdb->db, f->b_new, &owner, NULL, &error);
  g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, f->b_new,
                                               sql_int (f, "SELECT physmessage_id FROM dbmail_messages "
                                                           "WHERE message_idnr = %" G_GINT64_FORMAT, f->b_new));
  g_autoptr(MwMessage) message = NULL;
  gint64 missing = sql_int (f, "SELECT MAX(message_idnr) FROM dbmail_messages") + 1000;

  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, expected);
  g_assert_cmpstr (owner, ==, f->bob_key);

  message = mw_mail_store_load_message (f->store, f->tdb->db, key, MW_MESSAGE_LOAD_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_message_get_subject (message), ==, "Hello bob");
  g_assert_nonnull (strstr (mw_message_get_text (message, &error), "quokka for bob"));
  g_assert_no_error (error);
  g_clear_pointer (&message, mw_message_unref);

  /* Hidden bodies: the headers only. */
  message = mw_mail_store_load_message (f->store, f->tdb->db, key, MW_MESSAGE_HIDE_BODIES, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mw_message_get_subject (message), ==, "Hello bob");
  g_assert_null (mw_message_get_text (message, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE);
  g_clear_error (&error);

  /* A number no message has. */
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&owner, g_free);
  key = mw_mail_store_find_message (f->store, f->tdb->db, missing, &owner, NULL, &error);
  g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
  g_assert_null (key);
  g_assert_null (owner);
  g_clear_error (&error);
}

typedef struct
{
  GPtrArray *keys;
  GPtrArray *lines;   /* "number|sender|subject" */
  guint      progress;
} Hits;

static void
on_hit (const MwMessageHit *hit,
        gpointer            user_data)
{
  Hits *h = user_data;

  g_ptr_array_add (h->keys, g_strdup (hit->key));
  g_ptr_array_add (h->lines, g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s", hit->number,
                                              hit->sender != NULL ? hit->sender : "(null)",
                                              hit->subject != NULL ? hit->subject : "(null)"));
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Hits *h = user_data;

  h->progress++;
}

static gboolean
has_line (GPtrArray  *lines,
          const char *line)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (g_ptr_array_index (lines, i), line))
      return TRUE;
  return FALSE;
}

static void
test_search_bodies (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  Hits h = { keys, lines, 0 };
  g_autofree char *new_key = key_of (f, f->a_new);
  g_autofree char *deleted_key = key_of (f, f->a_deleted);
  g_autofree char *line_new = g_strdup_printf ("%" G_GINT64_FORMAT "|Carol <carol@example.com>|Hello there", f->a_new);
  g_autofree char *line_deleted = g_strdup_printf ("%" G_GINT64_FORMAT "|Zoë <zoe@example.org>|Réunion importante",
                                                   f->a_deleted);
  g_autofree char *inbox_key = number_text (f->a_inbox);
  g_autofree char *ete_key = number_text (f->a_ete);

  /* Alice's messages holding "QUOKKA" (any case); never bob's. */
  g_assert_true (mw_mail_store_search_bodies (f->store, f->tdb->db, f->alice_key, NULL, "QUOKKA",
                                              MW_MESSAGE_LOAD_DEFAULT, on_hit, on_progress, &h, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (keys, new_key, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (keys, deleted_key, g_str_equal, NULL));
  g_assert_true (has_line (lines, line_new));
  g_assert_true (has_line (lines, line_deleted));
  g_assert_cmpuint (h.progress, >, 0);

  /* One mailbox. */
  g_ptr_array_set_size (keys, 0);
  g_ptr_array_set_size (lines, 0);
  g_assert_true (mw_mail_store_search_bodies (f->store, f->tdb->db, f->alice_key, inbox_key, "smiles",
                                              MW_MESSAGE_LOAD_DEFAULT, on_hit, NULL, &h, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (keys, 0), ==, new_key);
  g_ptr_array_set_size (keys, 0);
  g_assert_true (mw_mail_store_search_bodies (f->store, f->tdb->db, f->alice_key, ete_key, "quokka",
                                              MW_MESSAGE_LOAD_DEFAULT, on_hit, NULL, &h, NULL, &error));
  g_assert_cmpuint (keys->len, ==, 0);

  /* Hidden bodies cannot be searched. */
  g_assert_false (mw_mail_store_search_bodies (f->store, f->tdb->db, f->alice_key, NULL, "quokka",
                                               MW_MESSAGE_HIDE_BODIES, on_hit, NULL, &h, NULL, &error));
  g_assert_error (error, MW_MESSAGE_ERROR, MW_MESSAGE_ERROR_PRIVATE);
  g_assert_cmpuint (keys->len, ==, 0);
}

/* Keys this store never made: refused with a sentence, nothing changed. */
static void
test_malformed_keys (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const bad_accounts[] = { "", "abc", "042", "+42", "-1", "4 2", "1:2", "99999999999999999999" };
  static const char *const bad_messages[] = { "", "12", "12:", ":5", "a:b", "1:2:3", "01:2", "1:02", "1 :2" };
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *good_message = key_of (f, f->a_deleted);
  g_auto(MwMessageChange) change = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad_accounts); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *const keys[] = { good_message, NULL };
      MwMessageRequest request = { .account = bad_accounts[i] };
      MwPurgeState state;
      g_autoptr(GPtrArray) list = mw_mail_store_list_mailboxes (f->store, f->tdb->db, bad_accounts[i], NULL, &error);
      g_autoptr(MwListQuery) query = NULL;

      g_assert_null (list);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_assert_true (g_utf8_validate (error->message, -1, NULL) && strlen (error->message) > 10);
      g_clear_error (&error);
      g_assert_false (mw_mail_store_set_deleted (f->store, &f->admin, bad_accounts[i], keys, FALSE, &change, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
      query = mw_mail_store_messages_query (f->store, &request, &error);
      g_assert_null (query);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
      g_assert_false (mw_mail_store_purge_state (f->store, f->tdb->db, bad_accounts[i], &state, NULL, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
      /* as a mailbox's key too */
      g_assert_false (mw_mail_store_undelete_mailbox (f->store, &f->admin, bad_accounts[i], &change, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_clear_error (&error);
      g_assert_false (mw_mail_store_search_bodies (f->store, f->tdb->db, f->alice_key, bad_accounts[i], "x",
                                                   MW_MESSAGE_LOAD_DEFAULT, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_messages); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *const keys[] = { good_message, bad_messages[i], NULL };
      g_autoptr(MwMessage) message = mw_mail_store_load_message (f->store, f->tdb->db, bad_messages[i],
                                                                 MW_MESSAGE_LOAD_DEFAULT, NULL, &error);

      g_assert_null (message);
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "is not a message’s key"));
      g_clear_error (&error);
      /* One bad key among good ones: nothing is undeleted. */
      g_assert_false (mw_mail_store_set_deleted (f->store, &f->admin, f->alice_key, keys, FALSE, &change, &error));
      g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND);
    }

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (mw_db_in_transaction (f->tdb->db));
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
    g_test_add ("/pg/mail-store/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_PGSQL), fixture_set_up, func, \
                fixture_tear_down); \
    g_test_add ("/mysql/mail-store/" path, Fixture, GINT_TO_POINTER (MW_DB_DRIVER_MYSQL), fixture_set_up, func, \
                fixture_tear_down); \
  } G_STMT_END

  ADD ("mailboxes", test_mailboxes);
  ADD ("message-list", test_message_list);
  ADD ("delete-undelete", test_delete_undelete);
  ADD ("find-and-load", test_find_and_load);
  ADD ("search-bodies", test_search_bodies);
  ADD ("malformed-keys", test_malformed_keys);
#undef ADD

  rc = mw_test_run ();
  return rc;
}
