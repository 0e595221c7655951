/* mw-dbmail-mail.h: the DBMail flavour, mail: mailboxes, message lists, delete and undelete.
 *
 * Follows DBMAIL-FACTS.md A and D: status 0 and 1 are visible messages,
 * 2 deleted (expunged), 3 waiting for dbmail-util -p; 4, 5 and 6 are never
 * listed nor changed. Only the owner's own mailboxes are changed: messages in
 * #Public folders and in folders shared by another user are refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-dbmail-admin.h"
#include "mw-list-query.h"

G_BEGIN_DECLS

/* Mailboxes */

typedef enum
{
  MW_MAILBOX_OWN,       /* the user's own */
  MW_MAILBOX_PUBLIC,    /* owned by __public__, visible to the user by ACL */
  MW_MAILBOX_SHARED,    /* another user's, shared to the user (or to anyone) by ACL */
} MwMailboxSection;

typedef struct
{
  gint64            mailbox_idnr;
  MwMailboxSection  section;
  gint64            owner_idnr;
  char             *owner;          /* owner's userid */
  char             *name;           /* as stored: IMAP modified UTF-7 */
  char             *display_name;   /* decoded; "#Public/<name>", "#Users/<owner>/<name>" outside own */
  gint64            visible_count;  /* status 0 and 1 */
  gint64            visible_bytes;  /* physmessage.messagesize */
  gint64            deleted_count;  /* status 2 */
  gint64            deleted_bytes;
  gint64            purge_count;    /* status 3 */
  gint64            purge_bytes;
  gboolean          no_select;
  gint64            seq;
} MwMailbox;

void       mw_mailbox_free            (MwMailbox *mailbox);
const char *mw_mailbox_section_name   (MwMailboxSection section); /* "own", "public", "shared" */

/* Own mailboxes first (by name), then #Public, then shared ones (by owner,
 * name); two queries whatever the number of mailboxes. Fails with
 * MW_SCHEMA_ERROR_NOT_FOUND for a missing or system user.
 * (transfer full) (element-type MwMailbox) */
GPtrArray *mw_dbmail_list_mailboxes   (MwDb *db, gint64 user_idnr, GCancellable *cancellable, GError **error);

/* The user's mailbox whose decoded (or stored) name is name, compared as
 * DBMail does: INBOX in any case, other names exactly; own mailboxes only.
 * Returns its number, or 0 with MW_SCHEMA_ERROR_NOT_FOUND. */
gint64     mw_dbmail_find_mailbox     (MwDb *db, gint64 user_idnr, const char *name,
                                       GCancellable *cancellable, GError **error);

/* The user whose mailbox holds message number message_idnr: TRUE with
 * *owner 0 when there is no such message, FALSE with error set when the
 * database could not say. */
gboolean   mw_message_get_owner (MwDb *db, gint64 message_idnr, gint64 *owner, GError **error);

/* Message lists */

typedef enum
{
  MW_MESSAGE_STATE_VISIBLE,   /* status 0, 1 */
  MW_MESSAGE_STATE_DELETED,   /* status 2, 3 */
  MW_MESSAGE_STATE_ALL,       /* status 0..3 */
} MwMessageState;

typedef enum
{
  MW_MESSAGE_SORT_DATE,       /* internal_date */
  MW_MESSAGE_SORT_SIZE,       /* messagesize */
  MW_MESSAGE_SORT_SENDER,     /* the From header's sortfield (local part, as DBMail stores it) */
  MW_MESSAGE_SORT_SUBJECT,    /* the Subject header's sortfield (base subject, lower case) */
} MwMessageSort;

typedef struct
{
  gint64          user_idnr;
  gint64          mailbox_idnr;   /* 0: every mailbox the user owns */
  MwMessageState  state;
  MwMessageSort   sort;
  gboolean        descending;
  /* Substrings, case-insensitive, on the decoded header values of the
   * header cache; NULL or "" for none. All given ones must match. */
  const char     *from;
  const char     *to;             /* To or Cc */
  const char     *subject;
  const char     *text;           /* From or Subject */
} MwMessageRequest;

/* The list's query for MwPagedModel and the CLI. Columns:
 *   message_idnr (key) physmessage_id mailbox_idnr mailbox (stored name)
 *   sender recipient subject (decoded header values, "" when missing)
 *   date (internal_date) size (messagesize) rfcsize status
 *   seen_flag answered_flag flagged_flag deleted_flag draft_flag recent_flag
 *   keywords (space separated, sorted) unique_id
 * and, sorted by sender or subject, sort_key (the header's sortfield, "" when
 * missing). message_idnr breaks ties.
 * A mailbox_idnr that is not the user's gives an empty list. */
MwListQuery *mw_dbmail_messages_query (MwDbDriver driver, const MwMessageRequest *request, GError **error);
gboolean     mw_dbmail_parse_message_sort (const char *name, MwMessageSort *sort);

/* Delete and undelete */

typedef struct
{
  gint64 messages;      /* messages whose status changed */
  gint64 bytes;         /* their messagesize: what curmail_size moved by */
  gint64 unchanged;     /* selected but already in the wanted state */
  gint64 mailboxes;     /* mailboxes whose seq moved */
  gint64 curmail_size;  /* the owner's curmail_size afterwards */
} MwMessageChange;

/* An undeleted message's old and new number (message_idnr, the IMAP UID). */
typedef struct
{
  gint64 old_id;
  gint64 new_id;
} MwMessageRenumber;

/* With deleted, visible messages (status 0, 1) get status 2 and \Deleted and
 * their size leaves curmail_size (never below 0).
 *
 * Without, deleted messages (2, 3) come back as new messages: IMAP takes an
 * expunged UID as gone for ever (RFC 3501 2.3.1.1) and a DBMail session that
 * stays open learns of a message only when UIDNEXT grows, so the old row
 * would stay unseen by every client that had the mailbox open or syncs by
 * UID. Each gets a new number (message_idnr) from the table's own sequence
 * (AUTO_INCREMENT on MariaDB), above every message of the mailbox, with the
 * same physmessage, its flags less \Deleted, its keywords, status 0 and a
 * new unique_id (the POP3 UIDL, so a POP3 client fetches it again); nothing
 * is left under the old number. (PostgreSQL renumbers the row in place and
 * its keywords follow by ON UPDATE CASCADE; MariaDB inserts a copy, moves
 * the keywords and deletes the old row.) Their size is added to
 * curmail_size.
 *
 * Each changed mailbox's seq moves on by one and every changed (or new) row
 * gets that new seq. Every id must name a message in a mailbox the user
 * owns, else nothing changes and the error says which. One transaction; the
 * audit entry ("message.delete" or "message.undelete") follows the commit.
 * renumbered, if not NULL, gets an array of MwMessageRenumber, one per
 * undeleted message in the order of the old numbers (empty for a delete);
 * after a dry run the new numbers were never committed. (transfer full) */
gboolean mw_dbmail_set_messages_deleted (const MwAdmin *admin, gint64 user_idnr,
                                         const gint64 *message_ids, guint n_ids, gboolean deleted,
                                         MwMessageChange *out, GArray **renumbered, GError **error);

/* Undeletes every deleted (2) and purge-pending (3) message of one mailbox
 * of a user's own, as above. */
gboolean mw_dbmail_undelete_mailbox     (const MwAdmin *admin, gint64 mailbox_idnr,
                                         MwMessageChange *out, GArray **renumbered, GError **error);

/* Maintenance hint */

typedef struct
{
  gint64    deleted_count;        /* the user's status 2 messages */
  gint64    deleted_bytes;
  gint64    purge_count;          /* the user's status 3 messages */
  gint64    purge_bytes;
  /* FALSE when the data shows no dbmail-util -d has run: the database has
   * status 2 messages, none with status 3, and one of those status 2
   * messages arrived more than a day ago. (dbmail-util runs -p before -d,
   * so every run with -d leaves status 3 behind for the next one.) */
  gboolean  maintenance_seen;
} MwPurgeState;

gboolean mw_dbmail_purge_state (MwDb *db, gint64 user_idnr, MwPurgeState *out,
                                GCancellable *cancellable, GError **error);
/* The sentence for a window, translated; NULL when there is nothing to say.
 * (transfer full) */
char    *mw_purge_state_describe (const MwPurgeState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMailbox, mw_mailbox_free)

G_END_DECLS
