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
#include "mw-mail-store.h"

G_BEGIN_DECLS

/* Mailboxes: MwMailbox (mw-mail-store.h), keyed by mailbox_idnr and
 * owner_idnr in decimal. Counts: visible is status 0 and 1, deleted 2,
 * purge 3; bytes are physmessage.messagesize. */

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

/* Message number message_idnr: its stored body (physmessage_id) and the
 * user whose mailbox holds it. TRUE with both 0 when there is no such
 * message, FALSE with error set when the database could not say. */
gboolean   mw_dbmail_find_message     (MwDb *db, gint64 message_idnr, gint64 *physmessage_id, gint64 *owner,
                                       GCancellable *cancellable, GError **error);

/* A message's key, "<message_idnr>:<physmessage_id>", so that it loads
 * without a look-up; parsing fails with MW_SCHEMA_ERROR_NOT_FOUND and a
 * sentence for anything else. */
char      *mw_dbmail_message_key      (gint64 message_idnr, gint64 physmessage_id);
gboolean   mw_dbmail_parse_message_key (const char *key, gint64 *message_idnr, gint64 *physmessage_id,
                                        GError **error);

/* Message lists: MwMessageRequest, MwMessageState and MwMessageSort are
 * in mw-mail-store.h. Visible is status 0 and 1, deleted 2 and 3; sender
 * and subject sort on the header's sortfield (the From's local part as
 * DBMail stores it, the base subject in lower case). */

/* The list's query for MwPagedModel and the CLI, over the messages of
 * user_idnr in mailbox_idnr (0: every mailbox the user owns); request's
 * account and mailbox are not read. Columns:
 *   message_idnr (key) physmessage_id mailbox_idnr mailbox (stored name)
 *   sender recipient subject (decoded header values, "" when missing)
 *   date (internal_date) size (messagesize) rfcsize status
 *   seen_flag answered_flag flagged_flag deleted_flag draft_flag recent_flag
 *   keywords (space separated, sorted) unique_id
 *   message_key state flags (the message list's columns in mail terms,
 *   mw_dbmail_message_list())
 * and, sorted by sender or subject, sort_key (the header's sortfield, "" when
 * missing). message_idnr breaks ties.
 * A mailbox_idnr that is not the user's gives an empty list. */
MwListQuery *mw_dbmail_messages_query (MwDbDriver driver, gint64 user_idnr, gint64 mailbox_idnr,
                                       const MwMessageRequest *request, GError **error);
gboolean     mw_dbmail_parse_message_sort (const char *name, MwMessageSort *sort);
/* The columns of the message list (id "messages"), static. */
const MwListInfo *mw_dbmail_message_list (void);
/* Fills row from a loaded record of mw_dbmail_messages_query. */
void         mw_dbmail_read_message_row (MwRecord *record, MwMessageRow *row);

/* Delete and undelete (mw-dbmail-mail-delete.c) */

/* MwMessageChange and MwMessageRenumber are in mw-mail-store.h; its
 * messages are the rows whose status changed, bytes their messagesize
 * (what curmail_size moved by), mailboxes those whose seq moved, used the
 * owner's curmail_size afterwards. */

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
 * out->renumbered gets an array of MwMessageRenumber, one per undeleted
 * message in the order of the old numbers (NULL for a delete); after a dry
 * run the new numbers were never committed. Clear out with
 * mw_message_change_clear(). */
gboolean mw_dbmail_set_messages_deleted (const MwAdmin *admin, gint64 user_idnr,
                                         const gint64 *message_ids, guint n_ids, gboolean deleted,
                                         MwMessageChange *out, GError **error);

/* Undeletes every deleted (2) and purge-pending (3) message of one mailbox
 * of a user's own, as above. */
gboolean mw_dbmail_undelete_mailbox     (const MwAdmin *admin, gint64 mailbox_idnr,
                                         MwMessageChange *out, GError **error);

/* Maintenance hint */

/* MwPurgeState (mw-mail-store.h): deleted are the user's status 2
 * messages, purge its status 3 ones. maintenance_seen is FALSE when the
 * data shows no dbmail-util -d has run: the database has status 2
 * messages, none with status 3, and one of those status 2 messages arrived
 * more than a day ago. (dbmail-util runs -p before -d, so every run with -d
 * leaves status 3 behind for the next one.) */
gboolean mw_dbmail_purge_state (MwDb *db, gint64 user_idnr, MwPurgeState *out,
                                GCancellable *cancellable, GError **error);

/* How much mail the database holds, for a summary: every mailbox, the
 * messages a user sees (status 0, 1) and those deleted but not yet purged
 * (2, 3). A count the database could not give is -1; FALSE only when
 * cancelled. */
gboolean mw_dbmail_count_mail  (MwDb *db, MwMailCounts *out, GCancellable *cancellable, GError **error);

/* Reading messages (mw-dbmail-search.c) */

/* Rebuilds physmessage_id from partlists + mimeparts (or 2.x messageblks)
 * exactly as stored and parses it. Safe on any thread; every MwMessage is
 * then used by one thread at a time. NUL bytes, broken MIME and broken
 * encodings load as far as they can; only a missing message is an error
 * (MW_MESSAGE_ERROR_NOT_FOUND). (transfer full) */
MwMessage *mw_dbmail_load_message (MwDb *db, gint64 physmessage_id, MwMessageLoadFlags flags,
                                   GCancellable *cancellable, GError **error);

typedef void (*MwDbmailHitFunc) (gint64 message_idnr, gint64 physmessage_id, gpointer user_data);

/* Body search over the messages of user_idnr with status 0..3 (visible,
 * POP-retrieved, deleted, purge pending) in the mailboxes the user owns:
 * one mailbox (any the user may read), or all of them when mailbox_idnr is
 * 0. Each distinct physmessage is loaded once, in batches of up to 200
 * messages (or 32 MB) per query, and tested with
 * mw_message_raw_text_contains; on_hit is called for every message_idnr
 * showing a matching physmessage, and on_progress after each batch, both
 * from the calling thread (a worker). Fails with G_IO_ERROR_CANCELLED when
 * cancelled, and with MW_MESSAGE_ERROR_PRIVATE when flags has
 * MW_MESSAGE_HIDE_BODIES. */
gboolean   mw_dbmail_search_bodies (MwDb *db, gint64 user_idnr, gint64 mailbox_idnr, const char *needle,
                                    MwMessageLoadFlags flags, MwDbmailHitFunc on_hit,
                                    MwMessageProgressFunc on_progress, gpointer user_data,
                                    GCancellable *cancellable, GError **error);

G_END_DECLS
