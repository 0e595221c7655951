/* mw-dbmail-cleanup.c: DBMail's cleanup steps (mw-cleanup.h) and the
 * finding SQL the health checks share (mw-dbmail-cleanup-private.h).
 *
 * What DBMail 3.5 does, and what this follows (DBMAIL-FACTS.md sections A,
 * D and E; DBMail's src/maintenance.c):
 *  - dbmail-users -s gives an alias its user's client_idnr;
 *  - curmail_size is the sum of physmessage.messagesize over the user's
 *    messages with status < 2 in the folders the user owns; the delivery
 *    account is never counted (dm_quota_rebuild);
 *  - dbmail-util -d turns status 2 into 3, -p deletes status 3, -t deletes
 *    bodies without messages, part lists without bodies, parts without part
 *    lists and header values without headers, one row at a time and one
 *    level per run (an expunged message needs two runs of -a).
 * Here each step finds its rows set-based, in the order of their ids, and
 * changes them in batches of one transaction each; the orphans are found
 * through every level at once (a part is an orphan when no live message
 * reaches it), so one run leaves nothing for the next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-cleanup-private.h"
#include "mw-dbmail-cleanup-private.h"
#include "mw-dbmail-private.h"
#include "mw-dbmail.h"
#include "mw-imap-utf7.h"
#include "mw-sql-dialect.h"

/* ------------------------------------------------------------------------ */
/* The finding SQL                                                          */
/* ------------------------------------------------------------------------ */

/* A live folder: its owner exists. A live message: in a live folder. */
#define LIVE_MESSAGE_JOIN \
  "FROM {messages} lm JOIN {mailboxes} lmb ON lmb.mailbox_idnr = lm.mailbox_idnr " \
  "JOIN {users} lu ON lu.user_idnr = lmb.owner_idnr "

typedef struct
{
  const char *table;     /* {name} */
  const char *id;        /* its id column */
  const char *orphan;    /* SQL condition on the table (named by {name}) */
  const char *size;      /* (nullable): SQL of a row's size in bytes */
  const char *audit;     /* the audit log's name of the kind */
} OrphanKind;

static const OrphanKind orphan_kinds[MW_DBMAIL_N_ORPHAN_KINDS] = {
  { "{mailboxes}", "mailbox_idnr",
    "NOT EXISTS (SELECT 1 FROM {users} ou WHERE ou.user_idnr = {mailboxes}.owner_idnr)",
    NULL, "mailboxes" },
  { "{messages}", "message_idnr",
    "NOT EXISTS (SELECT 1 FROM {mailboxes} omb JOIN {users} ou ON ou.user_idnr = omb.owner_idnr "
    "WHERE omb.mailbox_idnr = {messages}.mailbox_idnr)",
    NULL, "messages" },
  { "{physmessage}", "id",
    "NOT EXISTS (SELECT 1 " LIVE_MESSAGE_JOIN "WHERE lm.physmessage_id = {physmessage}.id)",
    "{physmessage}.messagesize", "physmessages" },
  /* Part lists have no id: they are found and removed by their body's. */
  { "{partlists}", "physmessage_id",
    "NOT EXISTS (SELECT 1 FROM {physmessage} op WHERE op.id = {partlists}.physmessage_id)",
    NULL, "partlists" },
  { "{mimeparts}", "id",
    "NOT EXISTS (SELECT 1 FROM {partlists} opl JOIN {messages} lm ON lm.physmessage_id = opl.physmessage_id "
    "JOIN {mailboxes} lmb ON lmb.mailbox_idnr = lm.mailbox_idnr JOIN {users} lu ON lu.user_idnr = lmb.owner_idnr "
    "WHERE opl.part_id = {mimeparts}.id)",
    "{mimeparts}.size", "mimeparts" },
  { "{headervalue}", "id",
    "NOT EXISTS (SELECT 1 FROM {header} oh JOIN {messages} lm ON lm.physmessage_id = oh.physmessage_id "
    "JOIN {mailboxes} lmb ON lmb.mailbox_idnr = lm.mailbox_idnr JOIN {users} lu ON lu.user_idnr = lmb.owner_idnr "
    "WHERE oh.headervalue_id = {headervalue}.id)",
    NULL, "headervalues" },
};

/* Users whose counter is wrong: stored, then actual. */
#define QUOTA_ACTUAL \
  "COALESCE((SELECT SUM(qp.messagesize) FROM {messages} qm " \
  "JOIN {mailboxes} qmb ON qmb.mailbox_idnr = qm.mailbox_idnr JOIN {physmessage} qp ON qp.id = qm.physmessage_id " \
  "WHERE qmb.owner_idnr = {users}.user_idnr AND qm.status < 2), 0)"
#define QUOTA_USED \
  "(SELECT qmb.owner_idnr AS owner, SUM(qp.messagesize) AS used FROM {messages} qm " \
  "JOIN {mailboxes} qmb ON qmb.mailbox_idnr = qm.mailbox_idnr JOIN {physmessage} qp ON qp.id = qm.physmessage_id " \
  "WHERE qm.status < 2 %s GROUP BY qmb.owner_idnr) q"
#define QUOTA_WRONG \
  "{users}.curmail_size <> COALESCE(q.used, 0) AND {users}.userid <> '" MW_DBMAIL_DELIVERY_USER "'"

/* Aliases in another group than their user's: a JOIN of users as u. */
static char *
alias_group_from (MwDb *db)
{
  g_autofree char *target = mw_sql_text_to_bigint (mw_db_get_driver (db), "{aliases}.deliver_to");

  return g_strdup_printf ("FROM {aliases} JOIN {users} u ON u.user_idnr = %s "
                          "WHERE {aliases}.client_idnr <> u.client_idnr", target);
}

void
_mw_dbmail_cleanup_row_free (MwDbmailCleanupRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row->name);
  g_free (row->owner_key);
  g_free (row->owner_name);
  g_free (row);
}

/* The rows of @r: the columns holding key, name, owner_key, owner_name,
 * stored and actual (-1: not there). (element-type MwDbmailCleanupRow) */
static GPtrArray *
read_rows (MwDbResult *r,
           int         key,
           int         name,
           int         owner_key,
           int         owner_name,
           int         stored,
           int         actual)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) _mw_dbmail_cleanup_row_free);

  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      MwDbmailCleanupRow *row = g_new0 (MwDbmailCleanupRow, 1);

      row->key = g_strdup (mw_db_result_get_string (r, i, key));
      row->name = g_strdup (mw_db_result_get_string (r, i, name));
      if (owner_key >= 0)
        row->owner_key = g_strdup (mw_db_result_get_string (r, i, owner_key));
      if (owner_name >= 0)
        row->owner_name = g_strdup (mw_db_result_get_string (r, i, owner_name));
      row->stored = mw_db_result_get_int64 (r, i, stored);
      if (actual >= 0)
        row->actual = mw_db_result_get_int64 (r, i, actual);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static gint64
count_sql (MwDb          *db,
           const char    *sql,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, cancellable, error);

  if (r == NULL)
    return -1;
  if (mw_db_result_get_n_rows (r) == 0 || mw_db_result_is_null (r, 0, 0))
    return 0;
  return mw_db_result_get_int64 (r, 0, 0);
}

char *
_mw_dbmail_orphan_describe (MwDbmailOrphanKind kind,
                            gint64             count)
{
  gulong n = (gulong) MIN (count, G_MAXLONG);

  switch (kind)
    {
    case MW_DBMAIL_ORPHAN_MAILBOXES:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld folder whose owner is gone",
                                           "%lld folders whose owner is gone", n), (long long) count);
    case MW_DBMAIL_ORPHAN_MESSAGES:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%lld message whose folder is gone",
                                           "%lld messages whose folder is gone", n), (long long) count);
    case MW_DBMAIL_ORPHAN_PHYSMESSAGES:
      return g_strdup_printf (
        /* Translators: a message body is DBMail's physmessage, the stored mail itself. */
        g_dngettext (GETTEXT_PACKAGE, "%lld message body that no message uses",
                     "%lld message bodies that no message uses", n), (long long) count);
    case MW_DBMAIL_ORPHAN_PARTLISTS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%lld part list row whose message body is gone",
                                           "%lld part list rows whose message body is gone", n),
                              (long long) count);
    case MW_DBMAIL_ORPHAN_MIMEPARTS:
      return g_strdup_printf (
        /* Translators: a part is a stored MIME part (DBMail's mimeparts). */
        g_dngettext (GETTEXT_PACKAGE, "%lld message part that no message uses",
                     "%lld message parts that no message uses", n), (long long) count);
    case MW_DBMAIL_ORPHAN_HEADERVALUES:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%lld cached header value that no message uses",
                                           "%lld cached header values that no message uses", n),
                              (long long) count);
    }
  g_return_val_if_reached (NULL);
}

gint64
_mw_dbmail_count_orphans (MwDb                *db,
                          MwDbmailOrphanKind   kind,
                          GCancellable        *cancellable,
                          GError             **error)
{
  const OrphanKind *k;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (kind < MW_DBMAIL_N_ORPHAN_KINDS, -1);

  k = &orphan_kinds[kind];
  sql = g_strdup_printf ("SELECT COUNT(*) FROM %s WHERE %s", k->table, k->orphan);
  return count_sql (db, sql, cancellable, error);
}

/* The bytes the orphans of @kind take (0 for kinds without a size). */
static gint64
orphan_bytes (MwDb                *db,
              MwDbmailOrphanKind   kind,
              GCancellable        *cancellable,
              GError             **error)
{
  const OrphanKind *k = &orphan_kinds[kind];
  g_autofree char *sql = NULL;

  if (k->size == NULL)
    return 0;
  sql = g_strdup_printf ("SELECT SUM(%s) FROM %s WHERE %s", k->size, k->table, k->orphan);
  return count_sql (db, sql, cancellable, error);
}

GPtrArray *
_mw_dbmail_sample_orphans (MwDb                *db,
                           MwDbmailOrphanKind   kind,
                           guint                limit,
                           GCancellable        *cancellable,
                           GError             **error)
{
  const OrphanKind *k;
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  const char *extra;

  g_return_val_if_fail (kind < MW_DBMAIL_N_ORPHAN_KINDS, NULL);

  k = &orphan_kinds[kind];
  switch (kind)
    {
    case MW_DBMAIL_ORPHAN_MAILBOXES:
      extra = "{mailboxes}.name, {mailboxes}.owner_idnr, 0";
      break;
    case MW_DBMAIL_ORPHAN_MESSAGES:
      extra = "NULL, {messages}.mailbox_idnr, 0";
      break;
    case MW_DBMAIL_ORPHAN_PHYSMESSAGES:
      extra = "NULL, NULL, {physmessage}.messagesize";
      break;
    case MW_DBMAIL_ORPHAN_MIMEPARTS:
      extra = "NULL, NULL, {mimeparts}.size";
      break;
    default:
      extra = "NULL, NULL, 0";
      break;
    }
  sql = g_strdup_printf ("SELECT %s%s.%s, %s FROM %s WHERE %s ORDER BY %s.%s LIMIT %u",
                         kind == MW_DBMAIL_ORPHAN_PARTLISTS ? "DISTINCT " : "", k->table, k->id, extra, k->table,
                         k->orphan, k->table, k->id, limit);
  r = mw_db_exec (db, sql, NULL, 0, cancellable, error);
  if (r == NULL)
    return NULL;
  return read_rows (r, 0, 1, 2, -1, 3, -1);
}

gint64
_mw_dbmail_count_wrong_quota (MwDb          *db,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM {users} LEFT JOIN " QUOTA_USED
                                          " ON q.owner = {users}.user_idnr WHERE " QUOTA_WRONG, "");

  return count_sql (db, sql, cancellable, error);
}

/* Up to @limit wrong counters among the users with @window (SQL on
 * {users}, "" for all). */
static GPtrArray *
wrong_quota_rows (MwDb          *db,
                  const char    *window,
                  const char    *mailbox_window,
                  guint          limit,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *used = g_strdup_printf (QUOTA_USED, mailbox_window);
  g_autofree char *sql = g_strdup_printf ("SELECT {users}.user_idnr, {users}.userid, {users}.curmail_size, "
                                          "COALESCE(q.used, 0) FROM {users} LEFT JOIN %s "
                                          "ON q.owner = {users}.user_idnr WHERE " QUOTA_WRONG "%s "
                                          "ORDER BY {users}.user_idnr LIMIT %u",
                                          used, window, limit);
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, NULL, 0, cancellable, error);

  if (r == NULL)
    return NULL;
  return read_rows (r, 0, 1, -1, -1, 2, 3);
}

GPtrArray *
_mw_dbmail_sample_wrong_quota (MwDb          *db,
                               guint          limit,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return wrong_quota_rows (db, "", "", limit, cancellable, error);
}

gint64
_mw_dbmail_count_wrong_alias_groups (MwDb          *db,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  g_autofree char *from = alias_group_from (db);
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) %s", from);

  return count_sql (db, sql, cancellable, error);
}

static GPtrArray *
wrong_alias_group_rows (MwDb          *db,
                        gint64         after,
                        guint          limit,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *from = alias_group_from (db);
  g_autofree char *sql = g_strdup_printf ("SELECT {aliases}.alias_idnr, {aliases}.alias, u.user_idnr, u.userid, "
                                          "{aliases}.client_idnr, u.client_idnr %s AND {aliases}.alias_idnr > $1 "
                                          "ORDER BY {aliases}.alias_idnr LIMIT %u", from, limit);
  MwDbValue params[] = { MW_DB_INT64 (after) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, cancellable, error);

  if (r == NULL)
    return NULL;
  return read_rows (r, 0, 1, 2, 3, 4, 5);
}

GPtrArray *
_mw_dbmail_sample_wrong_alias_groups (MwDb          *db,
                                      guint          limit,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  return wrong_alias_group_rows (db, -1, limit, cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* Previews                                                                 */
/* ------------------------------------------------------------------------ */

#define NOTHING_TO_DO _("Nothing to do.")

static GStrv
strv_steal (GPtrArray *lines)
{
  g_ptr_array_add (lines, NULL);
  return (GStrv) g_ptr_array_free (lines, FALSE);
}

typedef gint64     (*CountFunc)  (MwDb *db, GCancellable *cancellable, GError **error);
typedef GPtrArray *(*SampleFunc) (MwDb *db, guint limit, GCancellable *cancellable, GError **error);
typedef char      *(*LabelFunc)  (const MwDbmailCleanupRow *row);

/* Sets @p's count with @count and its samples from @sample's rows, each
 * written by @label. */
static gboolean
preview_rows (MwDb              *db,
              MwCleanupPreview  *p,
              guint              n_samples,
              CountFunc          count,
              SampleFunc         sample,
              LabelFunc          label,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *samples;

  p->count = count (db, cancellable, error);
  if (p->count < 0 || (rows = sample (db, n_samples, cancellable, error)) == NULL)
    return FALSE;
  samples = g_ptr_array_new ();
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (samples, label (g_ptr_array_index (rows, i)));
  p->samples = strv_steal (samples);
  return TRUE;
}

static char *
alias_group_sample (const MwDbmailCleanupRow *row)
{
  /* Translators: a cleanup sample: alias, its group, the user it delivers to, that user's group. */
  return g_strdup_printf (_("alias %s is in group %lld"
                            "; its user %s is in group %lld"),
                          row->name, (long long) row->stored, row->owner_name, (long long) row->actual);
}

static gboolean
preview_alias_groups (MwDb              *db,
                      MwCleanupPreview  *p,
                      guint              n_samples,
                      GCancellable      *cancellable,
                      GError           **error)
{
  if (!preview_rows (db, p, n_samples, _mw_dbmail_count_wrong_alias_groups, _mw_dbmail_sample_wrong_alias_groups,
                     alias_group_sample, cancellable, error))
    return FALSE;
  p->summary = p->count == 0 ? g_strdup (NOTHING_TO_DO)
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "%lld alias is in another group than its user: it would be "
                                    "moved to the user's group.",
                                    "%lld aliases are in another group than their user: they "
                                    "would be moved to their user's group.", (gulong) MIN (p->count, G_MAXLONG)),
                       (long long) p->count);
  return TRUE;
}

static char *
quota_sample (const MwDbmailCleanupRow *row)
{
  /* Translators: a cleanup sample: user, bytes counted, bytes of the user's mail. */
  return g_strdup_printf (_("user %s: counted %lld bytes, keeps %lld"
                            " bytes of mail"),
                          row->name, (long long) row->stored, (long long) row->actual);
}

static gboolean
preview_quota (MwDb              *db,
               MwCleanupPreview  *p,
               guint              n_samples,
               GCancellable      *cancellable,
               GError           **error)
{
  if (!preview_rows (db, p, n_samples, _mw_dbmail_count_wrong_quota, _mw_dbmail_sample_wrong_quota, quota_sample,
                     cancellable, error))
    return FALSE;
  p->summary = p->count == 0 ? g_strdup (NOTHING_TO_DO)
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "%lld user's used space disagrees with the mail it keeps: "
                                    "its counter would be rebuilt.",
                                    "%lld users' used space disagrees with the mail they keep: "
                                    "their counters would be rebuilt.", (gulong) MIN (p->count, G_MAXLONG)),
                       (long long) p->count);
  return TRUE;
}

static char *
orphan_sample (MwDbmailOrphanKind         kind,
               const MwDbmailCleanupRow  *row)
{
  g_autofree char *size = g_format_size ((guint64) MAX (row->stored, 0));

  switch (kind)
    {
    case MW_DBMAIL_ORPHAN_MAILBOXES:
      {
        g_autofree char *name = mw_imap_utf7_decode (row->name != NULL ? row->name : "");

        /* Translators: a cleanup sample: folder name, its number, the missing owner's number. */
        return g_strdup_printf (_("folder “%s” (number %s) of the missing user %s"), name, row->key,
                                row->owner_key);
      }
    case MW_DBMAIL_ORPHAN_MESSAGES:
      return g_strdup_printf (_("message %s in the missing folder %s"), row->key, row->owner_key);
    case MW_DBMAIL_ORPHAN_PHYSMESSAGES:
      return g_strdup_printf (_("message body %s (%s)"), row->key, size);
    case MW_DBMAIL_ORPHAN_PARTLISTS:
      return g_strdup_printf (_("part list of the missing message body %s"), row->key);
    case MW_DBMAIL_ORPHAN_MIMEPARTS:
      return g_strdup_printf (_("message part %s (%s)"), row->key, size);
    case MW_DBMAIL_ORPHAN_HEADERVALUES:
      return g_strdup_printf (_("cached header value %s"), row->key);
    }
  g_return_val_if_reached (NULL);
}

static gboolean
preview_orphans (MwDb              *db,
                 MwCleanupPreview  *p,
                 guint              n_samples,
                 GCancellable      *cancellable,
                 GError           **error)
{
  GPtrArray *details = g_ptr_array_new ();
  GPtrArray *samples = g_ptr_array_new ();
  gboolean ok = TRUE;

  for (guint kind = 0; kind < MW_DBMAIL_N_ORPHAN_KINDS && ok; kind++)
    {
      gint64 n = _mw_dbmail_count_orphans (db, kind, cancellable, error);
      gint64 bytes;
      g_autoptr(GPtrArray) rows = NULL;

      if (n < 0)
        {
          ok = FALSE;
          break;
        }
      if (n == 0)
        continue;
      p->count += n;
      g_ptr_array_add (details, _mw_dbmail_orphan_describe (kind, n));
      bytes = orphan_bytes (db, kind, cancellable, error);
      if (bytes < 0)
        {
          ok = FALSE;
          break;
        }
      p->bytes += bytes;
      if (samples->len >= n_samples)
        continue;
      rows = _mw_dbmail_sample_orphans (db, kind, n_samples - samples->len, cancellable, error);
      if (rows == NULL)
        {
          ok = FALSE;
          break;
        }
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (samples, orphan_sample (kind, g_ptr_array_index (rows, i)));
    }
  p->details = strv_steal (details);
  p->samples = strv_steal (samples);
  if (!ok)
    return FALSE;
  if (p->count == 0)
    p->summary = g_strdup (NOTHING_TO_DO);
  else
    {
      g_autofree char *size = g_format_size ((guint64) p->bytes);

      p->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%lld row that no user owns would be removed "
                                                 "(%s).",
                                                 "%lld rows that no user owns would be removed "
                                                 "(%s).", (gulong) MIN (p->count, G_MAXLONG)),
                                    (long long) p->count, size);
    }
  return TRUE;
}

/* Messages with @status, with where they are. */
static gboolean
preview_status (MwDb              *db,
                MwCleanupPreview  *p,
                gint               status,
                guint              n_samples,
                GCancellable      *cancellable,
                GError           **error)
{
  MwDbValue params[] = { MW_DB_INT64 (status) };
  g_autoptr(MwDbResult) r = NULL;
  g_autoptr(MwDbResult) s = NULL;
  g_autofree char *sql = NULL;
  GPtrArray *samples;

  r = mw_db_exec (db, "SELECT COUNT(*) FROM {messages} WHERE status = $1", params, 1, cancellable, error);
  if (r == NULL)
    return FALSE;
  p->count = mw_db_result_get_int64 (r, 0, 0);
  if (status == 3 && p->count > 0)
    {
      /* The bodies only mail marked for purging uses. */
      gint64 bytes = count_sql (db, "SELECT SUM(p.messagesize) FROM {physmessage} p "
                                    "WHERE EXISTS (SELECT 1 FROM {messages} m WHERE m.physmessage_id = p.id "
                                    "AND m.status = 3) AND NOT EXISTS (SELECT 1 FROM {messages} m "
                                    "WHERE m.physmessage_id = p.id AND m.status <> 3)", cancellable, error);

      if (bytes < 0)
        return FALSE;
      p->bytes = bytes;
    }
  sql = g_strdup_printf ("SELECT m.message_idnr, mb.name, u.userid, p.messagesize FROM {messages} m "
                         "LEFT JOIN {mailboxes} mb ON mb.mailbox_idnr = m.mailbox_idnr "
                         "LEFT JOIN {users} u ON u.user_idnr = mb.owner_idnr "
                         "LEFT JOIN {physmessage} p ON p.id = m.physmessage_id "
                         "WHERE m.status = $1 ORDER BY m.message_idnr LIMIT %u", n_samples);
  s = mw_db_exec (db, sql, params, 1, cancellable, error);
  if (s == NULL)
    return FALSE;
  samples = g_ptr_array_new ();
  for (guint i = 0; i < mw_db_result_get_n_rows (s); i++)
    {
      const char *user = mw_db_result_get_string (s, i, 2);
      g_autofree char *folder = mw_imap_utf7_decode (mw_db_result_get_string (s, i, 1) != NULL
                                                     ? mw_db_result_get_string (s, i, 1) : "");
      g_autofree char *size = g_format_size ((guint64) MAX (mw_db_result_get_int64 (s, i, 3), 0));

      /* Translators: a cleanup sample: message number, user, folder, size. */
      g_ptr_array_add (samples, g_strdup_printf (_("message %s of %s in “%s” (%s)"),
                                                 mw_db_result_get_string (s, i, 0), user != NULL ? user : "?",
                                                 folder, size));
    }
  p->samples = strv_steal (samples);
  if (p->count == 0)
    p->summary = g_strdup (NOTHING_TO_DO);
  else if (status == 2)
    p->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%lld expunged message would be marked for "
                                               "purging.",
                                               "%lld expunged messages would be marked for "
                                               "purging.", (gulong) MIN (p->count, G_MAXLONG)), (long long) p->count);
  else
    {
      g_autofree char *size = g_format_size ((guint64) p->bytes);

      p->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%lld message marked for purging would be "
                                                 "removed for good (%s).",
                                                 "%lld messages marked for purging would be "
                                                 "removed for good (%s).", (gulong) MIN (p->count, G_MAXLONG)),
                                    (long long) p->count, size);
    }
  return TRUE;
}

/* The flavour's tables, for VACUUM / OPTIMIZE. */
static GStrv
list_tables (MwDb          *db,
             const char    *pattern,
             GCancellable  *cancellable,
             GError       **error)
{
  const char *sql = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_type = 'BASE TABLE' AND table_name LIKE $1 ORDER BY table_name"
    : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
      "AND table_type = 'BASE TABLE' AND table_name LIKE $1 ORDER BY table_name";
  MwDbValue params[] = { MW_DB_TEXT (pattern) };
  g_autoptr(MwDbResult) r = mw_db_exec (db, sql, params, 1, cancellable, error);
  GPtrArray *tables;

  if (r == NULL)
    return NULL;
  tables = g_ptr_array_new ();
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      const char *name = mw_db_result_get_string (r, i, 0);

      if (name != NULL)
        g_ptr_array_add (tables, g_strdup (name));
    }
  return strv_steal (tables);
}

/* SQL LIKE pattern of the prefix's tables. */
static char *
prefix_pattern (MwDb *db)
{
  g_autofree char *escaped = mw_sql_like_escape (mw_db_get_prefix (db));

  return g_strconcat (escaped, "%", NULL);
}

static const char *
vacuum_verb (MwDb *db)
{
  return mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "VACUUM ANALYZE" : "OPTIMIZE TABLE";
}

static gboolean
preview_vacuum (MwDb              *db,
                const char        *pattern,
                MwCleanupPreview  *p,
                guint              n_samples,
                GCancellable      *cancellable,
                GError           **error)
{
  g_auto(GStrv) tables = list_tables (db, pattern, cancellable, error);
  guint n;
  GPtrArray *samples;

  if (tables == NULL)
    return FALSE;
  n = g_strv_length (tables);
  p->count = 0;
  /* Translators: the first %s is "VACUUM ANALYZE" or "OPTIMIZE TABLE" (SQL, untranslated). */
  p->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s would run on %u table; it repairs nothing "
                                             "and may be run at any time.",
                                             "%s would run on %u tables; it repairs nothing and may be run at "
                                             "any time.", n),
                                vacuum_verb (db), n);
  samples = g_ptr_array_new ();
  for (guint i = 0; i < n && i < n_samples; i++)
    g_ptr_array_add (samples, g_strdup (tables[i]));
  p->samples = strv_steal (samples);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Batches                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const MwAdmin      *admin;
  MwCleanupStep       step;
  guint               batch;
  MwCleanupProgress   progress;
  gpointer            user_data;
  GCancellable       *cancellable;
  MwCleanupResult    *result;
  gint64              total;
  /* Where the next batch begins. */
  guint               kind;       /* orphans: the kind at work */
  gint64              after;      /* the last id looked at */
  GStrv               tables;     /* vacuum */
} Run;

/* "1,2,3" of the first column of @r, for IN (...) and the audit log. */
static char *
id_list (MwDbResult *r)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_printf (s, "%" G_GINT64_FORMAT, mw_db_result_get_int64 (r, i, 0));
    }
  return g_string_free (s, FALSE);
}

/* The ids of the next batch: the first column of @select ($1 = after). */
static MwDbResult *
next_ids (Run         *run,
          const char  *select,
          GError     **error)
{
  MwDbValue params[] = { MW_DB_INT64 (run->after) };
  MwDbResult *r = mw_db_exec (run->admin->db, select, params, 1, run->cancellable, error);

  if (r != NULL && mw_db_result_get_n_rows (r) > 0)
    run->after = mw_db_result_get_int64 (r, mw_db_result_get_n_rows (r) - 1, 0);
  return r;
}

static gint64
run_affected (Run         *run,
              const char  *sql,
              GError     **error)
{
  g_autoptr(MwDbResult) r = mw_db_exec (run->admin->db, sql, NULL, 0, run->cancellable, error);

  return r != NULL ? mw_db_result_get_affected (r) : -1;
}

/* Each batch function changes up to run->batch rows in the transaction
 * that is open, sets *keys to what it changed (for the audit log) and
 * returns how many; 0 when the step is done, -1 on failure. *more is set
 * when it found nothing in a window but more windows follow. */

static gint64
batch_alias_groups (Run       *run,
                    char     **keys,
                    gboolean  *more,
                    GError   **error)
{
  g_autoptr(GPtrArray) rows = wrong_alias_group_rows (run->admin->db, run->after, run->batch, run->cancellable,
                                                      error);
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *target = NULL;
  g_autofree char *sql = NULL;

  if (rows == NULL)
    return -1;
  if (rows->len == 0)
    return 0;
  *more = TRUE;
  for (guint i = 0; i < rows->len; i++)
    {
      MwDbmailCleanupRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", row->key);
      run->after = g_ascii_strtoll (row->key, NULL, 10);
    }
  target = mw_sql_text_to_bigint (mw_db_get_driver (run->admin->db), "{aliases}.deliver_to");
  sql = g_strdup_printf ("UPDATE {aliases} SET client_idnr = (SELECT u.client_idnr FROM {users} u "
                         "WHERE u.user_idnr = %s) WHERE alias_idnr IN (%s) AND EXISTS (SELECT 1 FROM {users} u "
                         "WHERE u.user_idnr = %s AND u.client_idnr <> {aliases}.client_idnr)",
                         target, ids->str, target);
  *keys = g_strdup (ids->str);
  return run_affected (run, sql, error);
}

static gint64
batch_quota (Run       *run,
             char     **keys,
             gboolean  *more,
             GError   **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT user_idnr FROM {users} WHERE user_idnr > $1 "
                                             "ORDER BY user_idnr LIMIT %u", run->batch);
  g_autoptr(MwDbResult) users = next_ids (run, select, error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *window = NULL;
  g_autofree char *mailbox_window = NULL;
  g_autofree char *sql = NULL;
  gint64 lo, hi;

  if (users == NULL)
    return -1;
  if (mw_db_result_get_n_rows (users) == 0)
    return 0;
  /* Only this window's users are summed up. */
  lo = mw_db_result_get_int64 (users, 0, 0);
  hi = mw_db_result_get_int64 (users, mw_db_result_get_n_rows (users) - 1, 0);
  window = g_strdup_printf (" AND {users}.user_idnr BETWEEN %" G_GINT64_FORMAT " AND %" G_GINT64_FORMAT, lo, hi);
  mailbox_window = g_strdup_printf ("AND qmb.owner_idnr BETWEEN %" G_GINT64_FORMAT " AND %" G_GINT64_FORMAT,
                                    lo, hi);
  rows = wrong_quota_rows (run->admin->db, window, mailbox_window, run->batch, run->cancellable, error);
  if (rows == NULL)
    return -1;
  *more = TRUE;
  if (rows->len == 0)
    return 0;
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", ((MwDbmailCleanupRow *) g_ptr_array_index (rows, i))->key);
  sql = g_strdup_printf ("UPDATE {users} SET curmail_size = " QUOTA_ACTUAL " WHERE user_idnr IN (%s)", ids->str);
  *keys = g_strdup (ids->str);
  return run_affected (run, sql, error) < 0 ? -1 : (gint64) rows->len;
}

static gint64
batch_orphans (Run       *run,
               char     **keys,
               gboolean  *more,
               GError   **error)
{
  while (run->kind < MW_DBMAIL_N_ORPHAN_KINDS)
    {
      const OrphanKind *k = &orphan_kinds[run->kind];
      g_autofree char *select = g_strdup_printf ("SELECT DISTINCT %s.%s FROM %s WHERE %s.%s > $1 AND %s "
                                                 "ORDER BY %s.%s LIMIT %u", k->table, k->id, k->table, k->table,
                                                 k->id, k->orphan, k->table, k->id, run->batch);
      g_autoptr(MwDbResult) r = next_ids (run, select, error);
      g_autofree char *ids = NULL;
      g_autofree char *sql = NULL;

      if (r == NULL)
        return -1;
      if (mw_db_result_get_n_rows (r) == 0)
        {
          run->kind++;
          run->after = -1;
          continue;
        }
      *more = TRUE;
      ids = id_list (r);
      /* Found again as it deletes: what became alive meanwhile stays. */
      sql = g_strdup_printf ("DELETE FROM %s WHERE %s IN (%s) AND %s", k->table, k->id, ids, k->orphan);
      *keys = g_strdup_printf ("%s:%s", k->audit, ids);
      return run_affected (run, sql, error);
    }
  return 0;
}

static gint64
batch_escalate (Run       *run,
                char     **keys,
                gboolean  *more,
                GError   **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT message_idnr FROM {messages} WHERE status = 2 "
                                             "AND message_idnr > $1 ORDER BY message_idnr LIMIT %u", run->batch);
  g_autoptr(MwDbResult) r = next_ids (run, select, error);
  g_autofree char *ids = NULL;
  g_autofree char *sql = NULL;

  if (r == NULL)
    return -1;
  if (mw_db_result_get_n_rows (r) == 0)
    return 0;
  *more = TRUE;
  ids = id_list (r);
  /* Only status 2 itself: never 0, 1 (visible) or 5 (being delivered). */
  sql = g_strdup_printf ("UPDATE {messages} SET status = 3 WHERE message_idnr IN (%s) AND status = 2", ids);
  *keys = g_strdup (ids);
  return run_affected (run, sql, error);
}

/* Rows of @sql's single column as "1,2,3", or "" for none; NULL on failure. */
static char *
ids_of (Run         *run,
        const char  *sql,
        GError     **error)
{
  g_autoptr(MwDbResult) r = mw_db_exec (run->admin->db, sql, NULL, 0, run->cancellable, error);

  return r != NULL ? id_list (r) : NULL;
}

static gint64
batch_purge (Run       *run,
             char     **keys,
             gboolean  *more,
             GError   **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT message_idnr FROM {messages} WHERE status = 3 "
                                             "AND message_idnr > $1 ORDER BY message_idnr LIMIT %u", run->batch);
  g_autoptr(MwDbResult) r = next_ids (run, select, error);
  g_autofree char *ids = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *bodies = NULL;
  g_autofree char *parts = NULL;
  g_autofree char *values = NULL;
  gint64 removed;

  if (r == NULL)
    return -1;
  if (mw_db_result_get_n_rows (r) == 0)
    return 0;
  *more = TRUE;
  ids = id_list (r);
  sql = g_strdup_printf ("SELECT DISTINCT physmessage_id FROM {messages} WHERE message_idnr IN (%s) "
                         "AND status = 3", ids);
  if ((bodies = ids_of (run, sql, error)) == NULL)
    return -1;
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM {messages} WHERE message_idnr IN (%s) AND status = 3", ids);
  if ((removed = run_affected (run, sql, error)) < 0)
    return -1;
  *keys = g_strdup (ids);
  if (bodies[0] == '\0')
    return removed;

  /* What only they used: their bodies when no other message uses them,
   * then the parts and header values no body uses any more. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT DISTINCT part_id FROM {partlists} WHERE physmessage_id IN (%s)", bodies);
  if ((parts = ids_of (run, sql, error)) == NULL)
    return -1;
  g_free (sql);
  sql = g_strdup_printf ("SELECT DISTINCT headervalue_id FROM {header} WHERE physmessage_id IN (%s)", bodies);
  if ((values = ids_of (run, sql, error)) == NULL)
    return -1;
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM {physmessage} WHERE id IN (%s) AND NOT EXISTS "
                         "(SELECT 1 FROM {messages} m WHERE m.physmessage_id = {physmessage}.id)", bodies);
  if (run_affected (run, sql, error) < 0)
    return -1;
  if (parts[0] != '\0')
    {
      g_free (sql);
      sql = g_strdup_printf ("DELETE FROM {mimeparts} WHERE id IN (%s) AND NOT EXISTS "
                             "(SELECT 1 FROM {partlists} pl WHERE pl.part_id = {mimeparts}.id)", parts);
      if (run_affected (run, sql, error) < 0)
        return -1;
    }
  if (values[0] != '\0')
    {
      g_free (sql);
      sql = g_strdup_printf ("DELETE FROM {headervalue} WHERE id IN (%s) AND NOT EXISTS "
                             "(SELECT 1 FROM {header} h WHERE h.headervalue_id = {headervalue}.id)", values);
      if (run_affected (run, sql, error) < 0)
        return -1;
    }
  return removed;
}

typedef gint64 (*BatchFunc) (Run *run, char **keys, gboolean *more, GError **error);

static BatchFunc
batch_func (MwCleanupStep step)
{
  switch (step)
    {
    case MW_CLEANUP_ALIAS_GROUPS: return batch_alias_groups;
    case MW_CLEANUP_QUOTA:        return batch_quota;
    case MW_CLEANUP_ORPHANS:      return batch_orphans;
    case MW_CLEANUP_ESCALATE:     return batch_escalate;
    case MW_CLEANUP_PURGE:        return batch_purge;
    case MW_CLEANUP_VACUUM:       break;
    }
  return NULL;
}

static gboolean
lost_connection (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
}

/* The failure of a batch, said with what was done before it. */
static void
fail_batch (Run      *run,
            GError  **error,
            GError   *cause)
{
  const char *title = mw_cleanup_step_title (run->step);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (cause, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }
  if (lost_connection (cause))
    g_set_error (error, cause->domain, cause->code,
                 /* Translators: %s is a cleanup step's title; the number is how many rows earlier batches changed. */
                 g_dngettext (GETTEXT_PACKAGE, "The connection to the database server was lost during “%s”; "
                              "the server undid the batch it was working on. %lld row was done before and stays "
                              "done.",
                              "The connection to the database server was lost during “%s”; the server undid the "
                              "batch it was working on. %lld rows were done before and stay done.",
                              (gulong) MIN (run->result->done, G_MAXLONG)),
                 title, (long long) run->result->done);
  else
    g_set_error (error, cause->domain, cause->code,
                 g_dngettext (GETTEXT_PACKAGE,
                              "“%s” failed and its last batch was undone (%s). %lld row was done "
                              "before and stays done.",
                              "“%s” failed and its last batch was undone (%s). %lld rows were "
                              "done before and stay done.", (gulong) MIN (run->result->done, G_MAXLONG)),
                 title, cause->message, (long long) run->result->done);
  g_error_free (cause);
}

static void
audit_batch (Run         *run,
             gint64       n,
             const char  *keys)
{
  g_autofree char *action = g_strconcat ("cleanup.", mw_cleanup_step_id (run->step), NULL);
  g_autofree char *rows = _mw_dbmail_int_text (n);
  g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT " rows", n);
  MwAuditField after[] = { { "rows", rows }, { "keys", keys } };

  _mw_admin_audit (run->admin, action, target, NULL, 0, after, keys != NULL ? 2 : 1);
}

static char *
done_summary (MwCleanupStep step,
              gint64        n)
{
  gulong c = (gulong) MIN (n, G_MAXLONG);

  switch (step)
    {
    case MW_CLEANUP_ALIAS_GROUPS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved %lld alias to its user's group.",
                                           "Moved %lld aliases to their user's group.", c), (long long) n);
    case MW_CLEANUP_QUOTA:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Rebuilt %lld quota counter.",
                                           "Rebuilt %lld quota counters.", c), (long long) n);
    case MW_CLEANUP_ORPHANS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Removed %lld row that no user owned.",
                                           "Removed %lld rows that no user owned.", c), (long long) n);
    case MW_CLEANUP_ESCALATE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Marked %lld expunged message for purging.",
                                           "Marked %lld expunged messages for purging.", c), (long long) n);
    case MW_CLEANUP_PURGE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Purged %lld message.",
                                           "Purged %lld messages.", c), (long long) n);
    case MW_CLEANUP_VACUUM:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Compacted and analysed %lld table.",
                                           "Compacted and analysed %lld tables.", c), (long long) n);
    }
  g_return_val_if_reached (NULL);
}

static void
finish_summary (Run *run)
{
  g_autofree char *did = run->result->done == 0 && !run->result->stopped
                         ? g_strdup (NOTHING_TO_DO) : done_summary (run->step, run->result->done);

  if (run->result->stopped)
    /* Translators: %s is what was done, "Rebuilt 3 quota counters."; said when Stop was pressed. */
    run->result->summary = g_strdup_printf (_("Stopped: %s The rest was not done."), did);
  else
    run->result->summary = g_steal_pointer (&did);
}

/* The batches of a step that changes rows. */
static gboolean
run_batches (Run      *run,
             GError  **error)
{
  BatchFunc func = batch_func (run->step);

  run->after = -1;
  while (TRUE)
    {
      g_autofree char *keys = NULL;
      GError *local = NULL;
      gboolean more = FALSE;
      gint64 n;

      if (g_cancellable_is_cancelled (run->cancellable))
        {
          run->result->stopped = TRUE;
          break;
        }
      if (!_mw_admin_begin (run->admin, &local))
        {
          fail_batch (run, error, local);
          return FALSE;
        }
      n = func (run, &keys, &more, &local);
      if (n < 0)
        {
          _mw_admin_finish (run->admin, FALSE, NULL);
          fail_batch (run, error, local);
          return FALSE;
        }
      if (!_mw_admin_finish (run->admin, TRUE, &local))
        {
          fail_batch (run, error, local);
          return FALSE;
        }
      if (n == 0 && !more)
        break;
      if (n > 0)
        {
          audit_batch (run, n, keys);
          run->result->done += n;
          run->result->batches++;
          if (run->progress != NULL)
            run->progress (run->step, run->result->done, MAX (run->total, run->result->done), run->user_data);
        }
    }
  return TRUE;
}

/* VACUUM / OPTIMIZE, a table at a time, outside transactions. */
static gboolean
run_vacuum (Run         *run,
            const char  *pattern,
            GError     **error)
{
  g_auto(GStrv) tables = list_tables (run->admin->db, pattern, run->cancellable, error);
  const char *verb;
  guint n;

  if (tables == NULL)
    return FALSE;
  verb = vacuum_verb (run->admin->db);
  n = g_strv_length (tables);
  run->total = n;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sql = NULL;
      g_autoptr(MwDbResult) r = NULL;
      GError *local = NULL;

      if (g_cancellable_is_cancelled (run->cancellable))
        {
          run->result->stopped = TRUE;
          break;
        }
      /* Names from information_schema, quoted as identifiers. */
      if (mw_db_get_driver (run->admin->db) == MW_DB_DRIVER_PGSQL)
        sql = g_strdup_printf ("%s \"%s\"", verb, tables[i]);
      else
        sql = g_strdup_printf ("%s `%s`", verb, tables[i]);
      r = mw_db_exec (run->admin->db, sql, NULL, 0, run->cancellable, &local);
      if (r == NULL)
        {
          fail_batch (run, error, local);
          return FALSE;
        }
      run->result->done++;
      run->result->batches++;
      if (run->progress != NULL)
        run->progress (run->step, run->result->done, n, run->user_data);
    }
  if (run->result->done > 0)
    {
      g_autofree char *list = g_strjoinv (",", tables);

      audit_batch (run, run->result->done, list);
    }
  return TRUE;
}

MwCleanupResult *
_mw_cleanup_vacuum (const MwAdmin      *admin,
                    const char         *pattern,
                    MwCleanupProgress   progress,
                    gpointer            user_data,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autoptr(MwCleanupResult) result = mw_cleanup_result_new (MW_CLEANUP_VACUUM);
  Run run = { admin, MW_CLEANUP_VACUUM, 1, progress, user_data, cancellable, result, 0, 0, -1, NULL };

  if (!run_vacuum (&run, pattern, error))
    return NULL;
  finish_summary (&run);
  return g_steal_pointer (&result);
}

MwCleanupPreview *
_mw_cleanup_vacuum_preview (MwDb          *db,
                            const char    *pattern,
                            guint          n_samples,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(MwCleanupPreview) p = mw_cleanup_preview_new (MW_CLEANUP_VACUUM);

  if (!preview_vacuum (db, pattern, p, n_samples, cancellable, error))
    return NULL;
  if (p->details == NULL)
    p->details = g_new0 (char *, 1);
  return g_steal_pointer (&p);
}

/* ------------------------------------------------------------------------ */
/* The interface                                                            */
/* ------------------------------------------------------------------------ */

static MwCleanupSteps
dbmail_get_steps (MwCleanupStore *self)
{
  return MW_CLEANUP_ALL_STEPS;
}

static MwCleanupPreview *
dbmail_preview (MwCleanupStore  *self,
                MwDb            *db,
                MwCleanupStep    step,
                guint            n_samples,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(MwCleanupPreview) p = mw_cleanup_preview_new (step);
  g_autofree char *pattern = NULL;
  gboolean ok = FALSE;

  switch (step)
    {
    case MW_CLEANUP_ALIAS_GROUPS:
      ok = preview_alias_groups (db, p, n_samples, cancellable, error);
      break;
    case MW_CLEANUP_QUOTA:
      ok = preview_quota (db, p, n_samples, cancellable, error);
      break;
    case MW_CLEANUP_ORPHANS:
      ok = preview_orphans (db, p, n_samples, cancellable, error);
      break;
    case MW_CLEANUP_ESCALATE:
      ok = preview_status (db, p, 2, n_samples, cancellable, error);
      break;
    case MW_CLEANUP_PURGE:
      ok = preview_status (db, p, 3, n_samples, cancellable, error);
      break;
    case MW_CLEANUP_VACUUM:
      pattern = prefix_pattern (db);
      ok = preview_vacuum (db, pattern, p, n_samples, cancellable, error);
      break;
    }
  if (!ok)
    return NULL;
  if (p->details == NULL)
    p->details = g_new0 (char *, 1);
  if (p->samples == NULL)
    p->samples = g_new0 (char *, 1);
  return g_steal_pointer (&p);
}

static MwCleanupResult *
dbmail_apply (MwCleanupStore     *self,
              const MwAdmin      *admin,
              MwCleanupStep       step,
              guint               batch_size,
              MwCleanupProgress   progress,
              gpointer            user_data,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr(MwCleanupResult) result = mw_cleanup_result_new (step);
  Run run = { admin, step, batch_size, progress, user_data, cancellable, result, 0, 0, -1, NULL };

  if (step == MW_CLEANUP_VACUUM)
    {
      g_autofree char *pattern = prefix_pattern (admin->db);

      if (!run_vacuum (&run, pattern, error))
        return NULL;
    }
  else
    {
      g_autoptr(MwCleanupPreview) p = NULL;

      /* The total for the progress: the count alone, without samples. */
      switch (step)
        {
        case MW_CLEANUP_ALIAS_GROUPS:
          run.total = _mw_dbmail_count_wrong_alias_groups (admin->db, cancellable, error);
          break;
        case MW_CLEANUP_QUOTA:
          run.total = _mw_dbmail_count_wrong_quota (admin->db, cancellable, error);
          break;
        default:
          p = dbmail_preview (self, admin->db, step, 0, cancellable, error);
          run.total = p != NULL ? p->count : -1;
          break;
        }
      if (run.total < 0)
        return NULL;
      if (!run_batches (&run, error))
        return NULL;
    }
  finish_summary (&run);
  return g_steal_pointer (&result);
}

void
_mw_dbmail_cleanup_iface_init (MwCleanupStoreInterface *iface)
{
  iface->get_steps = dbmail_get_steps;
  iface->preview = dbmail_preview;
  iface->apply = dbmail_apply;
}
