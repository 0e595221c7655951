/* mw-mail-store.h: the optional interface of a schema that stores the
 * messages themselves (DBMail): mailboxes, messages, reading them, deleting
 * and undeleting, searching bodies.
 *
 * A schema whose mail lives elsewhere (ISPmail, PostfixAdmin: Maildirs on
 * disk) does not implement it; check with MW_IS_MAIL_STORE(). Mailboxes and
 * messages are named by keys the store makes and parses, like accounts.
 * Synchronous functions run on a worker; the GUI and the CLI use the
 * session's wrappers (mw-session.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-list-info.h"
#include "mw-list-query.h"
#include "mw-message.h"
#include "mw-schema.h"

G_BEGIN_DECLS

typedef enum
{
  MW_MAILBOX_OWN,       /* the account's own */
  MW_MAILBOX_PUBLIC,    /* a public folder the account sees */
  MW_MAILBOX_SHARED,    /* another account's, shared to it */
} MwMailboxSection;

typedef struct
{
  char             *key;
  gint64            number;         /* what the admin sees as its number (DBMail: the mailbox number) */
  MwMailboxSection  section;
  char             *owner_key;
  char             *owner;          /* the owner's login name */
  char             *name;           /* as stored: IMAP modified UTF-7 */
  char             *display_name;   /* decoded; "#Public/<name>", "#Users/<owner>/<name>" outside own */
  gint64            visible_count;
  gint64            visible_bytes;
  gint64            deleted_count;  /* deleted by the user, not yet purged */
  gint64            deleted_bytes;
  gint64            purge_count;    /* waiting for the server's purge */
  gint64            purge_bytes;
  gboolean          no_select;
  gint64            seq;
} MwMailbox;

void        mw_mailbox_free          (MwMailbox *mailbox);
const char *mw_mailbox_section_name  (MwMailboxSection section); /* "own", "public", "shared" */

/* FALSE for a mailbox that only holds other mailboxes (IMAP \Noselect): it
 * has no messages of its own. src/gui and src/cli read it here: the field
 * is spelt like DBMail's column, a name they may not hold. */
static inline gboolean
mw_mailbox_is_selectable (const MwMailbox *mailbox)
{
  return !mailbox->no_select;
}

typedef enum
{
  MW_MESSAGE_STATE_VISIBLE,
  MW_MESSAGE_STATE_DELETED,
  MW_MESSAGE_STATE_ALL,
} MwMessageState;

typedef enum
{
  MW_MESSAGE_SORT_DATE,
  MW_MESSAGE_SORT_SIZE,
  MW_MESSAGE_SORT_SENDER,
  MW_MESSAGE_SORT_SUBJECT,
} MwMessageSort;

/* Which messages a message list shows. */
typedef struct
{
  const char     *account;        /* the account's key */
  const char     *mailbox;        /* a mailbox's key; NULL: every mailbox the account owns */
  MwMessageState  state;
  MwMessageSort   sort;
  gboolean        descending;
  /* Substrings, case-insensitive, on the decoded headers; NULL or "" for
   * none. All given ones must match. */
  const char     *from;
  const char     *to;             /* To or Cc */
  const char     *subject;
  const char     *text;           /* From or Subject */
} MwMessageRequest;

/* Where a message stands. */
typedef enum
{
  MW_MESSAGE_VISIBLE,
  MW_MESSAGE_SEEN_BY_POP,         /* still visible: a POP3 client fetched it */
  MW_MESSAGE_DELETED,             /* deleted by the user, can be undeleted */
  MW_MESSAGE_PURGE_PENDING,       /* the server will remove it; can still be undeleted */
} MwMessageStatus;

/* One row of a message list, read from its MwRecord. */
typedef struct
{
  char            *key;           /* the message's key */
  gint64           number;        /* what the admin and IMAP see as its id (DBMail: the UID) */
  MwMessageStatus  status;
  MwMessageFlags   flags;
  const char      *keywords;      /* (nullable): IMAP keywords, space-separated */
  const char      *mailbox;       /* as stored: IMAP modified UTF-7 */
  const char      *sender;
  const char      *recipient;
  const char      *subject;
  GDateTime       *date;          /* (nullable): when it arrived */
  gint64           size;
} MwMessageRow;

void mw_message_row_clear (MwMessageRow *row);

/* An undeleted message's old and new number. IMAP takes an expunged
 * message's number (its UID) as gone for ever, so a store may bring a
 * message back as a new one, under a new number. */
typedef struct
{
  gint64 old_number;
  gint64 new_number;
} MwMessageRenumber;

/* What deleting or undeleting messages did. */
typedef struct
{
  gint64  messages;     /* messages whose state changed */
  gint64  bytes;        /* their size: what the account's used size moved by */
  gint64  unchanged;    /* selected but already in the wanted state */
  gint64  mailboxes;    /* mailboxes whose state moved */
  gint64  used;         /* the account's used size afterwards */
  /* (nullable): undeleting, one MwMessageRenumber per undeleted message in
   * the order of the old numbers (after a dry run, numbers that were never
   * committed); NULL for a delete. Owned: mw_message_change_clear(). */
  GArray *renumbered;
} MwMessageChange;

/* Frees what @change holds and zeroes it. */
void mw_message_change_clear (MwMessageChange *change);

/* What waits for the server's purge, for a summary. */
typedef struct
{
  gint64    deleted_count;
  gint64    deleted_bytes;
  gint64    purge_count;
  gint64    purge_bytes;
  gboolean  maintenance_seen;   /* FALSE: the data shows the server's purge has not run */
} MwPurgeState;

char *mw_purge_state_describe (const MwPurgeState *state);

/* The mail-wide counts for a summary; -1 for what could not be counted. */
typedef struct
{
  gint64 mailboxes;
  gint64 messages;
  gint64 deleted;
} MwMailCounts;

/* A message whose text holds what a body search looked for. */
typedef struct
{
  const char *key;
  gint64      number;
  const char *sender;    /* (nullable): decoded From */
  const char *subject;   /* (nullable): decoded Subject */
} MwMessageHit;

typedef void (*MwMessageHitFunc)      (const MwMessageHit *hit, gpointer user_data);
typedef void (*MwMessageProgressFunc) (guint done, guint total, gpointer user_data);

#define MW_TYPE_MAIL_STORE (mw_mail_store_get_type ())
G_DECLARE_INTERFACE (MwMailStore, mw_mail_store, MW, MAIL_STORE, GObject)

struct _MwMailStoreInterface
{
  GTypeInterface parent_iface;

  const MwListInfo *(*get_message_list) (MwMailStore *self);
  GPtrArray    *(*list_mailboxes)   (MwMailStore *self, MwDb *db, const char *account,
                                     GCancellable *cancellable, GError **error);
  char         *(*find_mailbox)     (MwMailStore *self, MwDb *db, const char *account, const char *name,
                                     GCancellable *cancellable, GError **error);
  MwListQuery  *(*messages_query)   (MwMailStore *self, const MwMessageRequest *request, GError **error);
  void          (*read_row)         (MwMailStore *self, MwRecord *record, MwMessageRow *row);
  char         *(*find_message)     (MwMailStore *self, MwDb *db, gint64 number, char **owner_key,
                                     GCancellable *cancellable, GError **error);
  MwMessage    *(*load_message)     (MwMailStore *self, MwDb *db, const char *message_key, MwMessageLoadFlags flags,
                                     GCancellable *cancellable, GError **error);
  gboolean      (*set_deleted)      (MwMailStore *self, const MwAdmin *admin, const char *account,
                                     const char *const *message_keys, gboolean deleted,
                                     MwMessageChange *out, GError **error);
  gboolean      (*undelete_mailbox) (MwMailStore *self, const MwAdmin *admin, const char *mailbox,
                                     MwMessageChange *out, GError **error);
  gboolean      (*purge_state)      (MwMailStore *self, MwDb *db, const char *account, MwPurgeState *out,
                                     GCancellable *cancellable, GError **error);
  gboolean      (*count_all)        (MwMailStore *self, MwDb *db, MwMailCounts *out,
                                     GCancellable *cancellable, GError **error);
  gboolean      (*search_bodies)    (MwMailStore *self, MwDb *db, const char *account, const char *mailbox,
                                     const char *needle, MwMessageLoadFlags flags, MwMessageHitFunc hit,
                                     MwMessageProgressFunc progress, gpointer user_data,
                                     GCancellable *cancellable, GError **error);
};

/* The columns of a message list (id "messages"): the CLI's JSON keys, and
 * the window's columns (those without MW_LIST_COLUMN_SECONDARY), readable
 * with mw_list_column_read_record() like any list's. DBMail's:
 *   key        text    the message's key (for load_message, set_deleted)
 *   number     number  what the admin and IMAP see as its id (the UID)
 *   status     text    "visible", "seen_by_pop", "deleted", "purge_pending"
 *                      (MwMessageStatus)
 *   sender     text    the decoded From, "" when missing
 *   recipient  text    the decoded To, "" when missing
 *   subject    text    the decoded Subject, "" when missing
 *   date       date    when it arrived
 *   size       number  bytes, as stored
 *   flags      text    IMAP system flags set, as words in this order:
 *                      "seen answered flagged deleted draft recent"
 *                      (MwMessageFlags)
 *   keywords   text    IMAP keywords, space-separated, sorted
 *   mailbox    text    its mailbox's name as stored (IMAP modified UTF-7)
 * A message list sorts by MwMessageSort (date, size, sender, subject), not by
 * the columns' sort, which is MW_SORT_DEFAULT for each. The info's kind is
 * MW_N_LISTS: it is none of the global lists. */
const MwListInfo *mw_mail_store_get_message_list (MwMailStore *self);
/* MwMailbox, own first, then public, then shared. */
GPtrArray    *mw_mail_store_list_mailboxes (MwMailStore *self, MwDb *db, const char *account,
                                            GCancellable *cancellable, GError **error);
/* The key of the account's mailbox called @name (decoded, as shown), or
 * NULL with MW_SCHEMA_ERROR_NOT_FOUND. */
char         *mw_mail_store_find_mailbox   (MwMailStore *self, MwDb *db, const char *account, const char *name,
                                            GCancellable *cancellable, GError **error);
MwListQuery  *mw_mail_store_messages_query (MwMailStore *self, const MwMessageRequest *request, GError **error);
/* Fills @row from a loaded record of a messages_query list; strings are
 * borrowed from the record, key and date are owned: mw_message_row_clear(). */
void          mw_mail_store_read_row       (MwMailStore *self, MwRecord *record, MwMessageRow *row);
/* The key of the message whose number is @number, and its owner's key. */
char         *mw_mail_store_find_message   (MwMailStore *self, MwDb *db, gint64 number, char **owner_key,
                                            GCancellable *cancellable, GError **error);
MwMessage    *mw_mail_store_load_message   (MwMailStore *self, MwDb *db, const char *message_key,
                                            MwMessageLoadFlags flags, GCancellable *cancellable, GError **error);
/* Deletes (the user's delete, undoable) or undeletes the account's messages,
 * in one transaction. */
gboolean      mw_mail_store_set_deleted    (MwMailStore *self, const MwAdmin *admin, const char *account,
                                            const char *const *message_keys, gboolean deleted,
                                            MwMessageChange *out, GError **error);
gboolean      mw_mail_store_undelete_mailbox (MwMailStore *self, const MwAdmin *admin, const char *mailbox,
                                              MwMessageChange *out, GError **error);
gboolean      mw_mail_store_purge_state    (MwMailStore *self, MwDb *db, const char *account, MwPurgeState *out,
                                            GCancellable *cancellable, GError **error);
gboolean      mw_mail_store_count_all      (MwMailStore *self, MwDb *db, MwMailCounts *out,
                                            GCancellable *cancellable, GError **error);
/* Looks for @needle in the text of the account's messages (one mailbox's,
 * or all with @mailbox NULL); @hit for each (on the worker), @progress as it
 * goes. With MW_MESSAGE_HIDE_BODIES only headers are searched. */
gboolean      mw_mail_store_search_bodies  (MwMailStore *self, MwDb *db, const char *account, const char *mailbox,
                                            const char *needle, MwMessageLoadFlags flags, MwMessageHitFunc hit,
                                            MwMessageProgressFunc progress, gpointer user_data,
                                            GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMailbox, mw_mailbox_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MwMessageChange, mw_message_change_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MwMessageRow, mw_message_row_clear)

G_END_DECLS
