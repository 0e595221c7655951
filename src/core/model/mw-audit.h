/* mw-audit.h: the audit log of every change Mailwarden makes, as JSON Lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One line per change, appended and never rewritten:
 *
 *   {"time":"2025-03-01T09:30:00.123Z","profile":"main","os_user":"sam",
 *    "database":"postgresql://dbmail@db.example.org/dbmail","action":"user.add",
 *    "target":"alice","before":null,"after":{"userid":"alice","maxmail_size":"0"}}
 *
 * "time" is UTC with milliseconds; "before" and "after" are flat objects of
 * string or null values, or null. Errors are in G_FILE_ERROR. */

typedef struct
{
  const char *key;
  const char *value;   /* NULL is written as JSON null */
} MwAuditField;

typedef struct
{
  char *time;
  char *profile;    /* (nullable) */
  char *os_user;    /* (nullable) */
  char *database;   /* (nullable) */
  char *action;
  char *target;     /* (nullable) */
  char *before;     /* (nullable): compact JSON text of the object, NULL for JSON null */
  char *after;      /* (nullable): likewise */
} MwAuditEntry;

/* Returns: (transfer full): $MAILWARDEN_AUDIT_LOG when set and not empty,
 * else $XDG_DATA_HOME/mailwarden/audit.jsonl. */
char      *mw_audit_get_path   (void);

/* Appends one entry; safe to call from several threads. @profile (a profile
 * name, or the display URI when there is none), @database (the display URI)
 * and @target may be NULL. @before or @after NULL is written as JSON null;
 * non-NULL with no fields as {}. Text that is not UTF-8 is repaired with
 * U+FFFD, and a password left in a URI is dropped.
 *
 * Password hashes never reach the file: a key "passwd", "spasswd" or
 * "password" (any case) is dropped from @before, and in @after it is written
 * as "(changed)" when its value differs from the one in @before (or @before
 * has none), else dropped. */
gboolean   mw_audit_append     (const char          *profile,
                                const char          *database,
                                const char          *action,
                                const char          *target,
                                const MwAuditField  *before,
                                guint                n_before,
                                const MwAuditField  *after,
                                guint                n_after,
                                GError             **error);

/* Returns: (transfer full) (element-type MwAuditEntry): up to @limit entries
 * (0 for all), newest first, that is in the reverse order of the file. A
 * missing log is an empty array. Lines that cannot be read, such as a last
 * line cut short by a crash, are skipped. */
GPtrArray *mw_audit_read       (guint                limit,
                                GError             **error);

void       mw_audit_entry_free (MwAuditEntry        *entry);

/* Writes the whole log, oldest first, as CSV with a header line (time,
 * profile, os_user, database, action, target, before, after), comma
 * separated, CRLF, with a UTF-8 byte order mark so that spreadsheets pick the
 * right encoding. The file is replaced atomically and readable only by its
 * owner, as the log is. */
gboolean   mw_audit_export_csv (const char          *path,
                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwAuditEntry, mw_audit_entry_free)

G_END_DECLS
