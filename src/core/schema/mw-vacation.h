/* mw-vacation.h: an account's vacation (auto-reply), in mail terms, and the
 * optional interface of a schema that keeps one (PostfixAdmin: its vacation
 * table and the goto entry that routes mail to the vacation transport).
 *
 * A flavour without vacation (DBMail for now: its auto_replies and Sieve
 * are not done yet; ISPmail has none) does not implement MwVacationStore;
 * mw_schema_can (schema, MW_SCHEMA_CAN_VACATION) says whether it does, and
 * the mw_schema_*_vacation () functions refuse with a sentence where it
 * does not. They run on a worker; the GUI and the CLI use the session's
 * wrappers (mw-session-vacation.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* The longest subject PostfixAdmin's vacation.subject holds (varchar(255),
 * in characters), and the longest body MariaDB's TEXT holds (in bytes). */
#define MW_VACATION_SUBJECT_MAX 255
#define MW_VACATION_BODY_MAX    65535

/* How often one sender is answered. */
#define MW_VACATION_REPLY_ONCE      0            /* once while away */
#define MW_VACATION_REPLY_EVERY     1            /* every message */
#define MW_VACATION_REPLY_WEEKLY    (7 * 86400)  /* PostfixAdmin's "reply once per week" */

typedef struct
{
  char     *address;       /* the mailbox's, as stored */
  gboolean  active;        /* replies are being sent (within the dates) */
  char     *subject;       /* UTF-8, any language */
  char     *body;
  /* Local wall-clock times, "YYYY-MM-DD HH:MM:SS" (or "YYYY-MM-DD": from
   * the start, until the end of that day, as PostfixAdmin reads them);
   * NULL in a change: from now, until a week later. */
  char     *active_from;
  char     *active_until;
  gint64    interval;      /* seconds between two replies to one sender; MW_VACATION_REPLY_* */
  /* Where the vacation transport takes mail: PostfixAdmin's
   * $CONF['vacation_domain'], not in the database. In a change NULL
   * means the one the database's other vacations use, else
   * "autoreply.example.org" (PostfixAdmin's documentation's). */
  char     *reply_domain;
  char     *created;       /* read only, as active_from */
  char     *modified;
} MwVacation;

MwVacation *mw_vacation_new   (void);
MwVacation *mw_vacation_copy  (const MwVacation *vacation);
void        mw_vacation_free  (MwVacation *vacation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwVacation, mw_vacation_free)

/* Checks what no flavour can store: invalid UTF-8, an empty or over-long
 * subject, a body over MW_VACATION_BODY_MAX bytes, dates
 * that are not dates or an end not after the start. Fills in NULL dates
 * (from now, for a week) and completes a day to a time, in place. */
gboolean    mw_vacation_check (MwVacation *vacation, GError **error);

#define MW_TYPE_VACATION_STORE (mw_vacation_store_get_type ())
G_DECLARE_INTERFACE (MwVacationStore, mw_vacation_store, MW, VACATION_STORE, GObject)

struct _MwVacationStoreInterface
{
  GTypeInterface parent_iface;

  /* NULL without an error: the mailbox has never had a vacation. */
  MwVacation *(*get_vacation)   (MwVacationStore *self, MwDb *db, const char *account_key,
                                 GCancellable *cancellable, GError **error);
  /* Returns the vacation as it was before (active FALSE when there was none). */
  MwVacation *(*set_vacation)   (MwVacationStore *self, const MwAdmin *admin, const char *account_key,
                                 const MwVacation *vacation, GError **error);
  MwVacation *(*clear_vacation) (MwVacationStore *self, const MwAdmin *admin, const char *account_key,
                                 GError **error);
};

/* The vacation of an account (key, or address: mw_schema_resolve_account);
 * NULL without an error when it has none. */
MwVacation *mw_schema_get_vacation   (MwSchema *self, MwDb *db, const char *account_key,
                                      GCancellable *cancellable, GError **error);
/* Turns the vacation on with this text and these dates, in one
 * transaction; returns the one before, to undo with (set again, or clear
 * when it was not active). */
MwVacation *mw_schema_set_vacation   (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                      const MwVacation *vacation, GError **error);
/* Turns it off (the text stays, as in PostfixAdmin); returns the one before. */
MwVacation *mw_schema_clear_vacation (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                      GError **error);

G_END_DECLS
