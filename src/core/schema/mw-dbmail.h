/* mw-dbmail.h: the DBMail flavour, read side: lists, find, account details.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-list-info.h"
#include "mw-list-query.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* The accounts DBMail itself needs; never shown as users, never deleted. */
#define MW_DBMAIL_DELIVERY_USER "__@!internal_delivery_user!@__"
#define MW_DBMAIL_ANYONE_USER   "anyone"
#define MW_DBMAIL_PUBLIC_USER   "__public__"

/* SQL: the user $1 may read the messages of mailbox MB (an alias), as an IMAP
 * SELECT lets it: it owns the mailbox, or an ACL row for it or for anyone
 * grants the read right (a #Public folder, a folder shared to it). */
#define MW_DBMAIL_READABLE_BY_1(MB) \
  "(" MB ".owner_idnr = $1 OR EXISTS (SELECT 1 FROM {acl} ra JOIN {users} rau ON rau.user_idnr = ra.user_id " \
  "WHERE ra.mailbox_id = " MB ".mailbox_idnr AND ra.read_flag = 1 " \
  "AND (ra.user_id = $1 OR rau.userid = '" MW_DBMAIL_ANYONE_USER "')))"

gboolean mw_dbmail_is_system_user (const char *userid);

/* The lists' columns (mw-dbmail-lists.c): (transfer none), static. */
const MwListInfo *mw_dbmail_list_info (MwListKind kind);

/* Builds the list's query, or fails with MW_SCHEMA_ERROR_INVALID when the sort
 * does not apply to the kind. Read its rows with mw_list_column_read() and
 * the columns of mw_dbmail_list_info(). The result columns of each kind:
 *  users:    user_idnr userid client_idnr maxmail_size curmail_size last_login encryption_type active
 *  aliases:  alias_idnr alias deliver_to client_idnr owner owner_idnr
 *  forwards: alias_idnr alias deliver_to client_idnr owner
 *  domains:  domain addresses user_aliases forwards
 *  groups:   client_idnr users mail_size domains */
MwListQuery *mw_dbmail_list_query (MwDbDriver driver, const MwListRequest *request, GError **error);
gboolean     mw_dbmail_parse_sort (MwListKind kind, const char *name, MwListSort *sort);
const char  *mw_dbmail_list_kind_name (MwListKind kind);

/* Each group with its number of users, cheap enough for a selector. */
MwDbResult  *mw_dbmail_list_group_counts (MwDb *db, GCancellable *cancellable, GError **error);

/* How much mail the database holds: mw_dbmail_count_mail (mw-dbmail-mail.h). */

/* Find: fills MwFound (mw-account.h) with the user's number as its key. */
MwFound   *mw_dbmail_find_user    (MwDb *db, const char *text, GCancellable *cancellable, GError **error);

/* Account details: MwAccount (mw-account.h), its aliases, forwards and
 * mailboxes keyed by their row numbers. */
MwAccount *mw_dbmail_get_account  (MwDb *db, gint64 user_idnr, GCancellable *cancellable, GError **error);

G_END_DECLS
