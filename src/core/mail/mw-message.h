/* mw-message.h: one message read with GMime: headers, text, attachments.
 *
 * The model is mw-message.c (with mw-html-text.c and mw-mail-charset.c).
 * Loading a stored message and searching bodies belong to the schema's mail
 * store (mw_mail_store_load_message, mw_mail_store_search_bodies); the
 * DBMail flavour's statements for them are in schema/mw-dbmail-search.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

G_BEGIN_DECLS

#define MW_MESSAGE_ERROR (mw_message_error_quark ())

typedef enum
{
  MW_MESSAGE_ERROR_FAILED,
  MW_MESSAGE_ERROR_NOT_FOUND,      /* no such message, or no stored content */
  MW_MESSAGE_ERROR_PRIVATE,        /* loaded with MW_MESSAGE_HIDE_BODIES */
  MW_MESSAGE_ERROR_NO_ATTACHMENT,  /* attachment index out of range */
} MwMessageError;

typedef enum
{
  MW_MESSAGE_LOAD_DEFAULT  = 0,
  /* Privacy ("hide message bodies", FEATURES D6): the loaded message keeps
   * only its headers and the attachment list (names, types, sizes). The raw
   * source and the parsed bodies are dropped right after loading, so text,
   * raw source, attachment content and body search cannot be returned: those
   * calls fail with MW_MESSAGE_ERROR_PRIVATE. */
  MW_MESSAGE_HIDE_BODIES   = 1 << 0,
} MwMessageLoadFlags;

/* IMAP system flags of a message in a mailbox. */
typedef enum
{
  MW_MESSAGE_FLAG_NONE     = 0,
  MW_MESSAGE_FLAG_SEEN     = 1 << 0,
  MW_MESSAGE_FLAG_ANSWERED = 1 << 1,
  MW_MESSAGE_FLAG_DELETED  = 1 << 2,
  MW_MESSAGE_FLAG_FLAGGED  = 1 << 3,
  MW_MESSAGE_FLAG_RECENT   = 1 << 4,
  MW_MESSAGE_FLAG_DRAFT    = 1 << 5,
} MwMessageFlags;

/* One header field as it appears, in order; value unfolded and decoded
 * (RFC 2047, raw 8-bit read as UTF-8 or else windows-1252) to UTF-8. */
typedef struct
{
  char *name;
  char *value;
} MwMessageHeader;

typedef struct
{
  guint    index;          /* for mw_message_get_attachment, from 0 */
  char    *filename;       /* decoded (RFC 2231, RFC 2047); NULL when the part has none */
  char    *content_type;   /* lowercase "type/subtype" */
  gsize    size;           /* decoded size in bytes */
  gboolean is_inline;      /* Content-Disposition inline, or none (an inline image, a forwarded message) */
} MwMessageAttachment;

typedef struct _MwMessage MwMessage;

GQuark      mw_message_error_quark   (void);

/* A message parsed from raw bytes (tests, files). */
MwMessage  *mw_message_new_from_bytes (GBytes             *raw,
                                       MwMessageLoadFlags  flags);

MwMessage  *mw_message_ref           (MwMessage *message);
void        mw_message_unref         (MwMessage *message);

gint64      mw_message_get_physmessage_id (MwMessage *message);   /* 0 for mw_message_new_from_bytes */
gboolean    mw_message_is_private    (MwMessage *message);

/* Main headers, decoded to UTF-8; NULL when absent. Addresses come as
 * "Name <addr>, ..." with names decoded. */
const char *mw_message_get_from      (MwMessage *message);
const char *mw_message_get_to        (MwMessage *message);
const char *mw_message_get_cc        (MwMessage *message);
const char *mw_message_get_reply_to  (MwMessage *message);
const char *mw_message_get_subject   (MwMessage *message);
const char *mw_message_get_message_id (MwMessage *message);      /* without angle brackets */
GDateTime  *mw_message_get_date      (MwMessage *message);       /* (transfer none) (nullable); the sender's offset */

/* Every header of the top-level entity, in order. (transfer full) (element-type MwMessageHeader) */
GPtrArray  *mw_message_get_headers   (MwMessage *message);
/* The decoded value of the first field called name (case-insensitive), or NULL. (transfer full) */
char       *mw_message_dup_header    (MwMessage *message,
                                      const char *name);

/* The text to read, in UTF-8 with LF line ends: the text/plain part of a
 * multipart/alternative, else its HTML turned into plain text (tags
 * removed, entities decoded, link targets kept as text, nothing fetched);
 * every inline text part of a multipart/mixed one after another; the text
 * of forwarded messages after a separator. Transfer encodings decoded,
 * charsets converted, invalid bytes shown as U+FFFD. "" when there is no
 * text. NULL with MW_MESSAGE_ERROR_PRIVATE. (transfer none) */
const char *mw_message_get_text      (MwMessage *message,
                                      GError   **error);
/* TRUE when the text came from HTML. */
gboolean    mw_message_get_text_is_html (MwMessage *message);

/* Parts that are not the text shown: attachments, inline images, non-text
 * parts, forwarded messages. Available with MW_MESSAGE_HIDE_BODIES too
 * (names and sizes are metadata). (transfer none) (element-type MwMessageAttachment) */
GPtrArray  *mw_message_get_attachments (MwMessage *message);
/* Decoded content of attachment index; a forwarded message comes as its
 * .eml. (transfer full) */
GBytes     *mw_message_get_attachment (MwMessage *message,
                                       guint      index,
                                       GError   **error);

/* The message as stored: DBMail keeps LF line ends, so these are LF bytes,
 * identical to the delivered message apart from CRLF -> LF. (transfer full) */
GBytes     *mw_message_get_raw       (MwMessage *message,
                                      GError   **error);
/* Writes the .eml the way an IMAP or POP3 server serves the message
 * (DBMail turns every LF into CRLF when it sends; this is the size it
 * reports as RFC822.SIZE, physmessage.rfcsize). Replaces path atomically. */
gboolean    mw_message_save_eml      (MwMessage  *message,
                                      const char *path,
                                      GError    **error);

/* Case-insensitive (Unicode case folding) search in the decoded text of
 * every text part: the text shown, the HTML alternative turned into text,
 * text attachments and forwarded messages. Headers are not searched.
 * FALSE for a private message or an empty needle. */
gboolean    mw_message_text_contains (MwMessage  *message,
                                      const char *needle);

/* Raw bytes -> the same test without building an MwMessage. */
gboolean    mw_message_raw_text_contains (GBytes     *raw,
                                          const char *needle);

void        mw_message_header_free     (MwMessageHeader *header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMessage, mw_message_unref)

G_END_DECLS
