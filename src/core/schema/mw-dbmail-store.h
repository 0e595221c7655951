/* mw-dbmail-store.h: store messages into a DBMail 3.x database the way DBMail 3.5 does, and read them back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-message.h"

G_BEGIN_DECLS

#define MW_MESSAGE_STORE_ERROR (mw_message_store_error_quark ())

typedef enum
{
  MW_MESSAGE_STORE_ERROR_FAILED,
  MW_MESSAGE_STORE_ERROR_NO_MAILBOX,   /* the mailbox does not exist */
  MW_MESSAGE_STORE_ERROR_NOT_FOUND,    /* no stored content for that physmessage */
  MW_MESSAGE_STORE_ERROR_INVALID,      /* empty message, bad status */
} MwMessageStoreError;

/* MwMessageFlags (mw-message.h) are the IMAP system flags of a messages
 * row; DELETED is forced on for status 2 and 3. */

GQuark  mw_message_store_error_quark (void);

/* Stores raw (CRLF or LF line ends; stored with LF) into mailbox_idnr:
 * physmessage, MIME parts cut and deduplicated as DBMail 3.x does, partlists,
 * header cache, envelope, references, the messages row (status 0..3,
 * recent_flag set for status < 2), the mailbox's seq, and the owner's
 * curmail_size when status < 2. internal_date NULL means now.
 *
 * Runs in its own transaction; when the connection is already inside one it
 * joins it, and the caller must roll back if this fails.
 * Returns the new message_idnr, or 0 with error set. */
gint64  mw_message_store_deliver      (MwDb         *db,
                                       gint64        mailbox_idnr,
                                       GBytes       *raw,
                                       int           status,
                                       GDateTime    *internal_date,
                                       GError      **error);

/* The same with IMAP flags and a chosen unique_id (NULL: 32 random lowercase
 * hex digits), for sample data that must come out the same every time. */
gint64  mw_message_store_deliver_full (MwDb          *db,
                                       gint64         mailbox_idnr,
                                       GBytes        *raw,
                                       int            status,
                                       GDateTime     *internal_date,
                                       MwMessageFlags flags,
                                       const char    *unique_id,
                                       GError       **error);

/* The message of physmessage_id as DBMail 3.5's IMAP server serves it for
 * BODY[], with LF line ends: rebuilt from partlists + mimeparts (or from a
 * 2.x messageblks table when it has no parts) by DBMail's rules, then read
 * and written out by GMime as DBMail does. That is not always the delivered
 * message: DBMail's rebuild adds line breaks and closing boundaries of its
 * own (see mw-message-reader.c). (transfer full) */
GBytes *mw_message_store_rebuild      (MwDb         *db,
                                       gint64        physmessage_id,
                                       GError      **error);

G_END_DECLS
