/* mw-replies.h: an account's automatic notification (a copy of the news of
 * each new message sent to another address) and automatic reply (a text
 * sent back between two dates), and the optional interface of a schema that
 * keeps them (DBMail: dbmail_auto_notifications and dbmail_auto_replies).
 *
 * The server uses them only when its configuration enables them: DBMail's
 * [DELIVERY] AUTO_NOTIFY = yes and AUTO_REPLY = yes (MW_REPLIES_SERVER_NOTE
 * says so in words for the GUI and the CLI).
 *
 * A flavour without them does not implement MwReplyStore;
 * mw_schema_has_replies () says whether it does, and the mw_schema_*()
 * functions refuse with a sentence where it does not. They run on a worker;
 * the GUI and the CLI use the session's wrappers (mw-session-replies.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* The longest notification address DBMail's notify_address holds
 * (varchar(100)), and the longest reply body Mailwarden writes (bytes). */
#define MW_NOTIFY_ADDRESS_MAX  100
#define MW_AUTO_REPLY_BODY_MAX 65535

typedef enum
{
  MW_AUTO_REPLY_ACTIVE,         /* now is between the dates */
  MW_AUTO_REPLY_SCHEDULED,      /* starts later */
  MW_AUTO_REPLY_NEVER_ACTIVE,   /* stops in the past: it will never be sent */
  MW_AUTO_REPLY_ALWAYS_ACTIVE,  /* started over a year ago and stops over a year ahead */
} MwAutoReplyState;

typedef struct
{
  char *body;   /* UTF-8, not empty */
  /* The server's wall-clock times, "YYYY-MM-DD HH:MM:SS" (a change may
   * give "YYYY-MM-DD": from the start of the day, until its end); NULL in
   * a change: from now, until a week later. */
  char *start;
  char *stop;
} MwAutoReply;

MwAutoReply     *mw_auto_reply_new       (void);
MwAutoReply     *mw_auto_reply_copy      (const MwAutoReply *reply);
void             mw_auto_reply_free      (MwAutoReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwAutoReply, mw_auto_reply_free)

/* Checks what no flavour can store: an empty body, invalid UTF-8, a body
 * over MW_AUTO_REPLY_BODY_MAX bytes, dates that are not dates, a stop not
 * after the start. Fills in NULL dates and completes a day to a time, in
 * place. */
gboolean         mw_auto_reply_check     (MwAutoReply *reply, GError **error);
/* Where @now (NULL: the local time now) lies between the dates of a
 * checked reply. */
MwAutoReplyState mw_auto_reply_get_state (const MwAutoReply *reply, GDateTime *now);
/* A translated warning when the dates make the reply never or always
 * active; NULL otherwise. (transfer full) */
char            *mw_auto_reply_get_warning (const MwAutoReply *reply, GDateTime *now);

/* What an account has: both may be NULL. */
typedef struct
{
  char        *notification;    /* the address new mail is announced to, as stored */
  MwAutoReply *auto_reply;
} MwReplies;

MwReplies *mw_replies_new  (void);
MwReplies *mw_replies_copy (const MwReplies *replies);
void       mw_replies_free (MwReplies *replies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwReplies, mw_replies_free)

/* The translated sentence that the server's configuration must enable
 * notifications and auto-replies. */
const char *mw_replies_get_server_note (void);

#define MW_TYPE_REPLY_STORE (mw_reply_store_get_type ())
G_DECLARE_INTERFACE (MwReplyStore, mw_reply_store, MW, REPLY_STORE, GObject)

struct _MwReplyStoreInterface
{
  GTypeInterface parent_iface;

  MwReplies *(*get_replies)        (MwReplyStore *self, MwDb *db, const char *account_key,
                                    GCancellable *cancellable, GError **error);
  MwReplies *(*set_notification)   (MwReplyStore *self, const MwAdmin *admin, const char *account_key,
                                    const char *address, GError **error);
  MwReplies *(*clear_notification) (MwReplyStore *self, const MwAdmin *admin, const char *account_key,
                                    GError **error);
  MwReplies *(*set_auto_reply)     (MwReplyStore *self, const MwAdmin *admin, const char *account_key,
                                    const MwAutoReply *reply, GError **error);
  MwReplies *(*clear_auto_reply)   (MwReplyStore *self, const MwAdmin *admin, const char *account_key,
                                    GError **error);
};

/* Whether the flavour keeps notifications and auto-replies (DBMail). */
gboolean   mw_schema_has_replies          (MwSchema *self);

/* The account's (key, or name: mw_schema_resolve_account) notification
 * address and auto-reply; never NULL without an error. */
MwReplies *mw_schema_get_replies          (MwSchema *self, MwDb *db, const char *account_key,
                                           GCancellable *cancellable, GError **error);
/* Each change is one transaction, audit-logged, and returns what the
 * account had before (both parts), to undo with. */
/* Sends a notification of each new message to @address (a valid mail
 * address, at most MW_NOTIFY_ADDRESS_MAX bytes), replacing any other. */
MwReplies *mw_schema_set_notification     (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                           const char *address, GError **error);
MwReplies *mw_schema_clear_notification   (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                           GError **error);
/* Replies with @reply (checked with mw_auto_reply_check first), replacing
 * any other. */
MwReplies *mw_schema_set_auto_reply       (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                           const MwAutoReply *reply, GError **error);
MwReplies *mw_schema_clear_auto_reply     (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                           GError **error);

G_END_DECLS
