/* mw-dbmail-mail-delete.c: the DBMail flavour, mail: deleting and undeleting messages.
 *
 * Every statement that deletes or undeletes messages is in this file: the
 * messages' status, flags and numbers, their mailboxes' seq and their
 * owner's curmail_size, in one transaction (DBMAIL-FACTS.md A and D).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-mail-delete"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-audit.h"
#include "mw-dbmail-mail.h"
#include "mw-dbmail-private.h"
#include "mw-imap-utf7.h"

/* Ids written into SQL text per statement: a bound list of 10,000 ids would
 * come near both servers' parameter limits. */
#define IDS_PER_STATEMENT 1000

static void
append_id_list (GString      *sql,
                const gint64 *ids,
                guint         n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", ids[i]);
}

/* Locks and checks the chosen messages: each must exist with status 0..3 in
 * a mailbox of the user's own. Appends those to change to changing, adds
 * their sizes and notes their mailboxes. */
static gboolean
select_messages (const MwAdmin  *admin,
                 gint64          user_idnr,
                 const gint64   *ids,
                 guint           n,
                 gboolean        deleted,
                 GArray         *changing,
                 GHashTable     *mailboxes,
                 MwMessageChange *change,
                 GError        **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint first = 0; first < n; first += IDS_PER_STATEMENT)
    {
      guint count = MIN (IDS_PER_STATEMENT, n - first);
      g_autoptr(GString) sql = g_string_new ("SELECT m.message_idnr, m.status, m.mailbox_idnr, mb.owner_idnr, "
                                             "u.userid, p.messagesize FROM {messages} m "
                                             "JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                                             "JOIN {users} u ON u.user_idnr = mb.owner_idnr "
                                             "JOIN {physmessage} p ON p.id = m.physmessage_id "
                                             "WHERE m.message_idnr IN (");
      g_autoptr(MwDbResult) r = NULL;
      g_autoptr(GHashTable) found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

      append_id_list (sql, ids + first, count);
      g_string_append (sql, ") FOR UPDATE");
      if ((r = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;

      for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
        {
          gint64 *id = g_new (gint64, 1);

          *id = mw_db_result_get_int64 (r, i, 0);
          g_hash_table_add (found, id);
        }
      for (guint i = first; i < first + count; i++)
        if (!g_hash_table_contains (found, &ids[i]))
          {
            g_autofree char *number = _mw_dbmail_int_text (ids[i]);

            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                         _("There is no message number %s. Nothing was changed."), number);
            return FALSE;
          }

      for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
        {
          gint64 id = mw_db_result_get_int64 (r, i, 0);
          gint64 status = mw_db_result_get_int64 (r, i, 1);
          gint64 mailbox = mw_db_result_get_int64 (r, i, 2);
          gint64 owner = mw_db_result_get_int64 (r, i, 3);
          const char *owner_name = mw_db_result_get_string (r, i, 4);
          g_autofree char *number = _mw_dbmail_int_text (id);
          gboolean change_it;

          if (owner != user_idnr)
            {
              if (g_strcmp0 (owner_name, MW_DBMAIL_PUBLIC_USER) == 0)
                g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                             _("Message %s is in a #Public folder. Mailwarden changes only messages in a "
                               "user's own mailboxes. Nothing was changed."), number);
              else
                g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                             _("Message %s belongs to another user (%s), not to this one. Mailwarden changes "
                               "only messages in a user's own mailboxes. Nothing was changed."),
                             number, owner_name);
              return FALSE;
            }
          if (status < 0 || status > 3)
            {
              g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                           _("Message %s is still being delivered or is damaged (status %d); the server owns it. "
                             "Nothing was changed."), number, (int) status);
              return FALSE;
            }
          /* A message chosen twice counts once. */
          {
            gint64 *key = g_new (gint64, 1);

            *key = id;
            if (g_hash_table_contains (seen, key))
              {
                g_free (key);
                continue;
              }
            g_hash_table_add (seen, key);
          }

          /* Status 1 (fetched by POP3) is a visible message, never a deleted one. */
          change_it = deleted ? status < 2 : status >= 2;
          if (!change_it)
            {
              change->unchanged++;
              continue;
            }
          g_array_append_val (changing, id);
          change->bytes += mw_db_result_get_int64 (r, i, 5);
          if (!g_hash_table_contains (mailboxes, &mailbox))
            {
              gint64 *key = g_new (gint64, 1);

              *key = mailbox;
              g_hash_table_add (mailboxes, key);
            }
        }
    }
  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The new unique_id (POP3 UIDL) of an undeleted message: 32 lowercase hex
 * characters, as DBMail's create_unique_id makes them (an MD5 of the
 * number and random()). Here the MD5 of a random salt and the old number,
 * which both servers compute in SQL (md5, CONCAT) and this file in C, so a
 * statement can give thousands of rows their own without a list of them. */
#define UNIQUE_ID_SQL(salt, column) "md5(CONCAT('" salt ":', " column "))"

static char *
unique_id_for (const char *salt,
               gint64      old_id)
{
  g_autofree char *text = g_strdup_printf ("%s:%" G_GINT64_FORMAT, salt, old_id);

  return g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
}

/* Undelete, for one statement's worth of ids (status 2 or 3, locked): each
 * message gets a new number from the table's own id sequence, its keywords
 * go with it, and nothing is left under the old number. See
 * mw_dbmail_set_messages_deleted for why. Either way the new numbers come
 * in the old ones' order (PostgreSQL's update runs through the primary key
 * in order, MariaDB's insert is ordered), though the mapping does not rely
 * on it. */
static gboolean
renumber_undeleted (const MwAdmin    *admin,
                    const gint64     *ids,
                    guint             n,
                    GArray           *renumbered,
                    MwMessageChange  *change,
                    GError          **error)
{
  gboolean pg = mw_db_get_driver (admin->db) == MW_DB_DRIVER_PGSQL;
  g_autofree char *salt = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (), g_random_int (),
                                           g_random_int ());
  g_autofree char *unique_id = g_strdup_printf (UNIQUE_ID_SQL ("%s", "%s"), salt, "m.message_idnr");
  g_autoptr(GPtrArray) uids = g_ptr_array_new_full (n, g_free);
  g_autoptr(GHashTable) new_by_uid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) id_list = g_string_new (NULL);
  g_autoptr(MwDbResult) inserted = NULL;
  g_autoptr(MwDbResult) created = NULL;

  append_id_list (id_list, ids, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (uids, unique_id_for (salt, ids[i]));

  if (pg)
    {
      /* PostgreSQL: the row takes its new number from the column's default
       * (nextval of DBMail's sequence, whatever its name) and its keywords
       * follow through DBMail's ON UPDATE CASCADE. Under MVCC that writes a
       * new row version and leaves the old one dead, as an INSERT and a
       * DELETE would, at about half their cost (no foreign-key checks on
       * the unchanged mailbox and physmessage, no separate keyword move). */
      g_string_printf (sql, "UPDATE {messages} m SET message_idnr = DEFAULT, status = 0, deleted_flag = 0, "
                            "unique_id = %s, "
                            "seq = (SELECT mb.seq FROM {mailboxes} mb WHERE mb.mailbox_idnr = m.mailbox_idnr) "
                            "WHERE m.status IN (2, 3) AND m.message_idnr IN (%s) RETURNING m.message_idnr, m.unique_id",
                       unique_id, id_list->str);
      if ((created = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;
      if (mw_db_result_get_n_rows (created) != n)
        goto changed_elsewhere;
    }
  else
    {
      /* MariaDB hands out AUTO_INCREMENT numbers only to inserted rows: a
       * copy of each row, in the old order, so the messages keep their
       * order among themselves. */
      g_string_printf (sql, "INSERT INTO {messages} (mailbox_idnr, physmessage_id, seen_flag, answered_flag, "
                            "deleted_flag, flagged_flag, recent_flag, draft_flag, unique_id, status, seq) "
                            "SELECT m.mailbox_idnr, m.physmessage_id, m.seen_flag, m.answered_flag, 0, m.flagged_flag, "
                            "m.recent_flag, m.draft_flag, %s, 0, mb.seq "
                            "FROM {messages} m JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                            "WHERE m.status IN (2, 3) AND m.message_idnr IN (%s) ORDER BY m.message_idnr",
                       unique_id, id_list->str);
      if ((inserted = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;
      if (mw_db_result_get_affected (inserted) != n)
        goto changed_elsewhere;
      /* No RETURNING for INSERT (MySQL has none either): the new rows are
       * read back by their unique_id, in this transaction, where nobody
       * else's uncommitted rows are seen; so the mapping holds whatever
       * numbers the server gave (innodb_autoinc_lock_mode 2 interleaves
       * concurrent inserts). The insert id, the statement's first new
       * number, only narrows the search. */
      g_string_printf (sql, "SELECT message_idnr, unique_id FROM {messages} WHERE message_idnr >= %" G_GINT64_FORMAT
                            " AND unique_id IN (", mw_db_result_get_insert_id (inserted));
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s'%s'", i > 0 ? ", " : "", (char *) g_ptr_array_index (uids, i));
      g_string_append_c (sql, ')');
      if ((created = _mw_admin_run (admin, sql->str, NULL, 0, error)) == NULL)
        return FALSE;
    }
  for (guint i = 0; i < mw_db_result_get_n_rows (created); i++)
    {
      gint64 *new_id = g_new (gint64, 1);

      *new_id = mw_db_result_get_int64 (created, i, 0);
      g_hash_table_insert (new_by_uid, g_strdup (mw_db_result_get_string (created, i, 1)), new_id);
    }
  for (guint i = 0; i < n; i++)
    {
      const gint64 *new_id = g_hash_table_lookup (new_by_uid, g_ptr_array_index (uids, i));
      MwMessageRenumber pair;

      if (new_id == NULL)
        goto changed_elsewhere;
      pair.old_number = ids[i];
      pair.new_number = *new_id;
      g_array_append_val (renumbered, pair);
    }

  if (pg)
    goto done;

  /* The keywords go over to the new number, found by the unique_id made
   * from the old one; the old row's deletion below would take them with it
   * otherwise (ON DELETE CASCADE). */
  g_clear_pointer (&unique_id, g_free);
  unique_id = g_strdup_printf (UNIQUE_ID_SQL ("%s", "%s"), salt, "{keywords}.message_idnr");
  g_string_printf (sql, "UPDATE {keywords} SET message_idnr = (SELECT n.message_idnr FROM {messages} n "
                        "WHERE n.unique_id = %s) WHERE message_idnr IN (%s)", unique_id, id_list->str);
  if (!_mw_admin_run_ok (admin, sql->str, NULL, 0, error))
    return FALSE;

  g_string_printf (sql, "DELETE FROM {messages} WHERE status IN (2, 3) AND message_idnr IN (%s)", id_list->str);
  {
    g_autoptr(MwDbResult) r = _mw_admin_run (admin, sql->str, NULL, 0, error);

    if (r == NULL)
      return FALSE;
    if (mw_db_result_get_affected (r) != n)
      goto changed_elsewhere;
  }

done:
  change->messages += n;
  return TRUE;

changed_elsewhere:
  g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
               _("The messages were changed elsewhere (by a mail client, for example) while Mailwarden "
                 "was changing them. Nothing was changed; try again."));
  return FALSE;
}

static gboolean
apply_change (const MwAdmin    *admin,
              gint64            user_idnr,
              GArray           *changing,
              GHashTable       *mailboxes,
              gboolean          deleted,
              GArray           *renumbered,
              MwMessageChange  *change,
              GError          **error)
{
  const gint64 *ids;

  /* New numbers follow the old ones' order. */
  if (!deleted)
    g_array_sort (changing, compare_int64);
  ids = (const gint64 *) (gpointer) changing->data;

  if (changing->len > 0)
    {
      g_autoptr(GString) sql = g_string_new ("UPDATE {mailboxes} SET seq = seq + 1 WHERE mailbox_idnr IN (");
      GHashTableIter iter;
      gpointer key;
      guint i = 0;

      g_hash_table_iter_init (&iter, mailboxes);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i++ > 0 ? ", " : "", *(gint64 *) key);
      g_string_append_c (sql, ')');
      if (!_mw_admin_run_ok (admin, sql->str, NULL, 0, error))
        return FALSE;
      change->mailboxes = i;
    }

  for (guint first = 0; first < changing->len; first += IDS_PER_STATEMENT)
    {
      guint count = MIN (IDS_PER_STATEMENT, changing->len - first);
      g_autoptr(GString) sql = g_string_new (NULL);

      if (!deleted)
        {
          if (!renumber_undeleted (admin, ids + first, count, renumbered, change, error))
            return FALSE;
          continue;
        }
      /* The status test again: the rows are locked, so it only guards
       * against a mistake here, never against the server. */
      g_string_printf (sql, "UPDATE {messages} SET status = 2, deleted_flag = 1, "
                       "seq = (SELECT mb.seq FROM {mailboxes} mb WHERE mb.mailbox_idnr = {messages}.mailbox_idnr) "
                       "WHERE status IN (0, 1) AND message_idnr IN (");
      append_id_list (sql, ids + first, count);
      g_string_append_c (sql, ')');
      {
        g_autoptr(MwDbResult) r = _mw_admin_run (admin, sql->str, NULL, 0, error);

        if (r == NULL)
          return FALSE;
        change->messages += mw_db_result_get_affected (r);
      }
    }

  if (change->messages != changing->len)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT,
                   _("The messages were changed elsewhere (by a mail client, for example) while Mailwarden "
                     "was changing them. Nothing was changed; try again."));
      return FALSE;
    }

  if (change->bytes > 0)
    {
      MwDbValue params[] = { MW_DB_INT64 (change->bytes), MW_DB_INT64 (user_idnr) };

      if (!_mw_admin_run_ok (admin, deleted ? "UPDATE {users} SET curmail_size = CASE WHEN curmail_size > $1 "
                                    "THEN curmail_size - $1 ELSE 0 END WHERE user_idnr = $2"
                                  : "UPDATE {users} SET curmail_size = curmail_size + $1 WHERE user_idnr = $2",
                   params, 2, error))
        return FALSE;
    }

  {
    MwDbValue params[] = { MW_DB_INT64 (user_idnr) };
    g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT curmail_size FROM {users} WHERE user_idnr = $1", params, 1, error);

    if (r == NULL)
      return FALSE;
    change->used = mw_db_result_get_n_rows (r) > 0 ? mw_db_result_get_int64 (r, 0, 0) : 0;
  }
  return TRUE;
}

static char *
describe_ids (const gint64 *ids,
              guint         n)
{
  GString *out = g_string_new (NULL);

  /* The log names up to 100 messages; beyond that the count says it. */
  for (guint i = 0; i < MIN (n, 100); i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "", ids[i]);
  if (n > 100)
    g_string_append_printf (out, " …");
  return g_string_free (out, FALSE);
}

static void
audit_change (const MwAdmin         *admin,
              gboolean               deleted,
              const char            *userid,
              GArray                *changing,
              GArray                *renumbered,
              const char            *mailbox,
              const MwMessageChange *change)
{
  g_autofree char *ids = describe_ids ((const gint64 *) (gpointer) changing->data, changing->len);
  g_autofree char *messages = _mw_dbmail_int_text (change->messages);
  g_autofree char *bytes = _mw_dbmail_int_text (change->bytes);
  g_autofree char *curmail = _mw_dbmail_int_text (change->used);
  g_autofree gint64 *new_numbers = g_new (gint64, MAX (renumbered->len, 1));
  g_autofree char *new_ids = NULL;
  MwAuditField after[6];
  guint n = 0;

  /* In the order of message_ids, so the log pairs the two lists. */
  for (guint i = 0; i < renumbered->len; i++)
    new_numbers[i] = g_array_index (renumbered, MwMessageRenumber, i).new_number;
  new_ids = describe_ids (new_numbers, renumbered->len);
  after[n++] = (MwAuditField) { "messages", messages };
  after[n++] = (MwAuditField) { "bytes", bytes };
  after[n++] = (MwAuditField) { "curmail_size", curmail };
  after[n++] = (MwAuditField) { "message_ids", ids };
  if (!deleted)
    after[n++] = (MwAuditField) { "new_message_ids", new_ids };
  if (mailbox != NULL)
    after[n++] = (MwAuditField) { "mailbox", mailbox };
  _mw_admin_audit (admin, deleted ? "message.delete" : "message.undelete", userid, NULL, 0, after, n);
}

gboolean
mw_dbmail_set_messages_deleted (const MwAdmin    *admin,
                                gint64            user_idnr,
                                const gint64     *message_ids,
                                guint             n_ids,
                                gboolean          deleted,
                                MwMessageChange  *out,
                                GError          **error)
{
  g_autoptr(GArray) changing = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (MwMessageRenumber));
  g_autoptr(GHashTable) mailboxes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *userid = NULL;
  MwMessageChange change = { 0 };
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);
  g_return_val_if_fail (message_ids != NULL || n_ids == 0, FALSE);

  if (n_ids == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("Choose at least one message."));
      return FALSE;
    }
  if ((userid = _mw_dbmail_check_user (admin->db, user_idnr, NULL, error)) == NULL)
    return FALSE;
  if (!_mw_admin_begin (admin, error))
    return FALSE;
  ok = select_messages (admin, user_idnr, message_ids, n_ids, deleted, changing, mailboxes, &change, error) &&
       apply_change (admin, user_idnr, changing, mailboxes, deleted, pairs, &change, error);
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  if (change.messages > 0)
    audit_change (admin, deleted, userid, changing, pairs, NULL, &change);
  if (!deleted)
    change.renumbered = g_steal_pointer (&pairs);
  if (out != NULL)
    *out = change;
  else
    mw_message_change_clear (&change);
  return TRUE;
}

gboolean
mw_dbmail_undelete_mailbox (const MwAdmin    *admin,
                            gint64            mailbox_idnr,
                            MwMessageChange  *out,
                            GError          **error)
{
  g_autoptr(GArray) changing = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (MwMessageRenumber));
  g_autoptr(GHashTable) mailboxes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(MwDbResult) box = NULL;
  g_autoptr(MwDbResult) ids = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *name = NULL;
  MwMessageChange change = { 0 };
  MwDbValue params[] = { MW_DB_INT64 (mailbox_idnr) };
  gint64 owner;
  gboolean ok;

  g_return_val_if_fail (admin != NULL && admin->db != NULL, FALSE);

  if (!_mw_admin_begin (admin, error))
    return FALSE;
  /* The mailbox row is locked first: a delivery or an expunge into it waits. */
  box = _mw_admin_run (admin, "SELECT mb.owner_idnr, u.userid, mb.name FROM {mailboxes} mb "
                    "JOIN {users} u ON u.user_idnr = mb.owner_idnr WHERE mb.mailbox_idnr = $1 FOR UPDATE",
             params, 1, error);
  if (box == NULL)
    return _mw_admin_finish (admin, FALSE, error);
  if (mw_db_result_get_n_rows (box) == 0)
    {
      g_autofree char *number = _mw_dbmail_int_text (mailbox_idnr);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND, _("There is no mailbox number %s."), number);
      return _mw_admin_finish (admin, FALSE, error);
    }
  owner = mw_db_result_get_int64 (box, 0, 0);
  userid = g_strdup (mw_db_result_get_string (box, 0, 1));
  name = mw_imap_utf7_decode (mw_db_result_get_string (box, 0, 2));
  if (mw_dbmail_is_system_user (userid))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   g_strcmp0 (userid, MW_DBMAIL_PUBLIC_USER) == 0
                   ? _("“%s” is a #Public folder. Mailwarden changes only messages in a user's own mailboxes.")
                   : _("“%s” belongs to one of DBMail's own accounts. Mailwarden changes only messages in a "
                       "user's own mailboxes."), name);
      return _mw_admin_finish (admin, FALSE, error);
    }

  ids = _mw_admin_run (admin, "SELECT message_idnr FROM {messages} WHERE mailbox_idnr = $1 AND status IN (2, 3) "
                    "ORDER BY message_idnr", params, 1, error);
  ok = ids != NULL;
  if (ok && mw_db_result_get_n_rows (ids) > 0)
    {
      guint n = mw_db_result_get_n_rows (ids);
      g_autofree gint64 *list = g_new (gint64, n);

      for (guint i = 0; i < n; i++)
        list[i] = mw_db_result_get_int64 (ids, i, 0);
      ok = select_messages (admin, owner, list, n, FALSE, changing, mailboxes, &change, error) &&
           apply_change (admin, owner, changing, mailboxes, FALSE, pairs, &change, error);
    }
  else if (ok)
    {
      MwDbValue p[] = { MW_DB_INT64 (owner) };
      g_autoptr(MwDbResult) r = _mw_admin_run (admin, "SELECT curmail_size FROM {users} WHERE user_idnr = $1", p, 1, error);

      ok = r != NULL;
      if (ok && mw_db_result_get_n_rows (r) > 0)
        change.used = mw_db_result_get_int64 (r, 0, 0);
    }
  if (!_mw_admin_finish (admin, ok, error))
    return FALSE;
  if (change.messages > 0)
    audit_change (admin, FALSE, userid, changing, pairs, name, &change);
  change.renumbered = g_steal_pointer (&pairs);
  if (out != NULL)
    *out = change;
  else
    mw_message_change_clear (&change);
  return TRUE;
}
