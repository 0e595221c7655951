/* mw-dbmail-cleanup-private.h: the SQL that finds what DBMail's cleanup
 * repairs, shared with the health checks (mw-dbmail-health.c) so that a
 * finding and its fix count the same rows. For src/core/schema only.
 *
 * All read only, on any connection; -1 / NULL with @error on failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-cleanup.h"

G_BEGIN_DECLS

/* The kinds of orphans, in the order the cleanup removes them. A row is an
 * orphan when nothing that is alive reaches it: a folder whose owner is
 * gone; a message whose folder is gone or an orphan; a message body
 * (physmessage) no live message uses (DBMail leaves these behind on
 * "dbmail-users -d"); a part list row whose body is gone; a part (mimepart)
 * no live body uses; a cached header value no live body uses. Removing a
 * body removes its part list rows, header rows and envelope with it (the
 * schema's cascades), so the later kinds count what is left after it. */
typedef enum
{
  MW_DBMAIL_ORPHAN_MAILBOXES,
  MW_DBMAIL_ORPHAN_MESSAGES,
  MW_DBMAIL_ORPHAN_PHYSMESSAGES,
  MW_DBMAIL_ORPHAN_PARTLISTS,
  MW_DBMAIL_ORPHAN_MIMEPARTS,
  MW_DBMAIL_ORPHAN_HEADERVALUES,
} MwDbmailOrphanKind;

#define MW_DBMAIL_N_ORPHAN_KINDS 6

/* One row found. Which fields are set depends on what was looked for. */
typedef struct
{
  char   *key;          /* quota: the account key (user_idnr); alias groups: the address key
                           (alias_idnr); orphans: the row's id */
  char   *name;         /* quota: userid; alias groups: the alias; orphans: a folder's name,
                           NULL otherwise */
  char   *owner_key;    /* alias groups: the user's key; orphans: the folder's or message's
                           missing owner / folder number */
  char   *owner_name;   /* alias groups: the user's userid */
  gint64  stored;       /* quota: curmail_size; alias groups: the alias's client_idnr;
                           orphans: the size in bytes (bodies, parts), else 0 */
  gint64  actual;       /* quota: the bytes of its mail (status < 2); alias groups: the user's
                           client_idnr */
} MwDbmailCleanupRow;

void        _mw_dbmail_cleanup_row_free (MwDbmailCleanupRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDbmailCleanupRow, _mw_dbmail_cleanup_row_free)

/* Translated sentence for @count orphans of @kind: "2 message bodies no
 * message uses". */
char       *_mw_dbmail_orphan_describe (MwDbmailOrphanKind kind, gint64 count);

gint64      _mw_dbmail_count_orphans   (MwDb *db, MwDbmailOrphanKind kind, GCancellable *cancellable,
                                        GError **error);
/* Up to @limit of them, by id. (element-type MwDbmailCleanupRow) (transfer container) */
GPtrArray  *_mw_dbmail_sample_orphans  (MwDb *db, MwDbmailOrphanKind kind, guint limit,
                                        GCancellable *cancellable, GError **error);

/* Accounts whose curmail_size is not the sum of the sizes of their mail
 * with status < 2 in the folders they own (DBMail's own rule; its delivery
 * account is left out, as DBMail does). */
gint64      _mw_dbmail_count_wrong_quota  (MwDb *db, GCancellable *cancellable, GError **error);
/* By user_idnr. (element-type MwDbmailCleanupRow) (transfer container) */
GPtrArray  *_mw_dbmail_sample_wrong_quota (MwDb *db, guint limit, GCancellable *cancellable, GError **error);

/* Aliases that deliver to a user (a numeric deliver_to naming an existing
 * user) and whose client_idnr differs from that user's. */
gint64      _mw_dbmail_count_wrong_alias_groups  (MwDb *db, GCancellable *cancellable, GError **error);
/* By alias_idnr. (element-type MwDbmailCleanupRow) (transfer container) */
GPtrArray  *_mw_dbmail_sample_wrong_alias_groups (MwDb *db, guint limit, GCancellable *cancellable,
                                                  GError **error);

G_END_DECLS
