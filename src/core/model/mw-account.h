/* mw-account.h: accounts, addresses and the changes made to them, in mail
 * terms that every schema shares.
 *
 * An account and an address are named by a key: an opaque string the schema
 * makes and parses (DBMail: the user's or the alias row's number; ISPmail:
 * the mailbox's address). Nothing outside the schema reads meaning into it;
 * keys are compared with g_str_equal() and kept as they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mw-address.h"
#include "mw-password.h"

G_BEGIN_DECLS

/* Who writes, for the audit log, and whether to keep the change. */
typedef struct _MwDb MwDb;

typedef struct
{
  MwDb       *db;
  const char *profile;    /* profile name, or NULL: the display URI is logged */
  gboolean    dry_run;    /* do everything, then roll back: what would happen */
} MwAdmin;

/* What a look-up by name, number or address found. */
typedef enum
{
  MW_FOUND_ACCOUNT,
  MW_FOUND_FORWARD,
} MwFoundKind;

typedef struct
{
  MwFoundKind kind;
  char       *key;           /* accounts: the account's key */
  char       *name;          /* accounts: its login name */
  char       *matched_by;    /* "number", "name", "alias", "alias without +detail", "catch-all" */
  char       *address;       /* the address that matched, if any */
  GStrv       targets;       /* forwards: where the address goes */
} MwFound;

void     mw_found_free (MwFound *found);

/* An address that delivers to an account. The account's primary address
 * is the one its new forwards go from (DBMail: its oldest alias that is not
 * a catch-all); at most one has it. */
typedef struct
{
  char     *key;
  char     *address;
  gint64    group;
  gboolean  primary;
} MwAccountAddress;

/* An address of the account that forwards elsewhere. */
typedef struct
{
  char   *key;
  char   *address;
  char   *target;
} MwAccountForward;

typedef struct
{
  char     *key;
  char     *name;            /* as stored: IMAP modified UTF-7 */
  gint64    visible_count;
  gint64    visible_bytes;
  gint64    deleted_count;
  gint64    deleted_bytes;
  gboolean  no_select;
  gint64    seq;
} MwAccountMailbox;

typedef struct
{
  char       *key;
  gint64      number;             /* what the admin sees as its number (DBMail: the user number); 0: none */
  char       *name;               /* the login name */
  gint64      group;
  gint64      quota;              /* bytes; 0 = unlimited */
  gint64      used;               /* bytes, as the server counts them */
  char       *password_scheme;    /* as stored next to the password (DBMail: encryption_type) */
  const MwPasswordScheme *stored_scheme; /* (nullable) the scheme the password is stored in, as the server
                                         * reads it (DBMail: encryption_type and the value); NULL when none
                                         * is set or none known matches */
  GDateTime  *last_login;         /* (nullable) */
  gboolean    active;
  gint64      security_action;
  gboolean    has_security_password;
  char       *fingerprint;        /* the account as loaded: an update can refuse when it moved on */
  GPtrArray  *aliases;            /* MwAccountAddress */
  GPtrArray  *forwards;           /* MwAccountForward */
  GPtrArray  *mailboxes;          /* MwAccountMailbox */
} MwAccount;

void     mw_account_free (MwAccount *account);

/* A new account. The password is plain text: the core hashes it on its
 * worker with password_scheme (NULL: the default) and password_rounds (0:
 * the scheme's default). */
typedef struct
{
  const char     *name;
  const char     *password;
  const char     *password_scheme;
  gulong          password_rounds;
  gint64          group;
  gint64          quota;            /* bytes, 0 = unlimited */
  const char     *alias;            /* first address, or NULL for none */
  MwAddressFlags  alias_flags;
} MwNewAccount;

typedef enum
{
  MW_ACCOUNT_CHANGE_NAME             = 1 << 0,
  MW_ACCOUNT_CHANGE_PASSWORD         = 1 << 1,
  MW_ACCOUNT_CHANGE_QUOTA            = 1 << 2,
  MW_ACCOUNT_CHANGE_GROUP            = 1 << 3,
  MW_ACCOUNT_CHANGE_ACTIVE           = 1 << 4,
  MW_ACCOUNT_CHANGE_SECURITY_PASSWORD = 1 << 5,  /* "" removes it */
  MW_ACCOUNT_CHANGE_SECURITY_ACTION  = 1 << 6,
} MwAccountChangeFlags;

/* A change to an account: only what changes names is read. A password is
 * either plain text (password, with password_scheme, NULL: the scheme the
 * account uses now, and password_rounds) that the core hashes, or a stored
 * value (stored_password, stored_scheme) written as it is, which is how Undo
 * puts an old password back. The security password is always plain text and
 * is stored in the scheme the server checks it with. */
typedef struct
{
  MwAccountChangeFlags  changes;
  char                 *name;
  char                 *password;
  char                 *password_scheme;
  gulong                password_rounds;
  char                 *stored_password;
  char                 *stored_scheme;
  gint64                quota;
  gint64                group;
  gboolean              active;
  char                 *security_password;
  gint64                security_action;
  char                 *expected_fingerprint; /* NULL: do not check */
  /* Out, on the change update_account returns: what the admin must still do
   * by hand on the mail server for the change just made (translated, e.g.
   * which Maildir to move where after an address changed), NULL for nothing.
   * Show it where it can be copied. Never read from a change given. */
  char                 *notice;
} MwAccountChange;

MwAccountChange *mw_account_change_new  (void);
void             mw_account_change_free (MwAccountChange *change);

/* What deleting accounts takes with it. */
typedef struct
{
  gint64 users;
  gint64 mailboxes;
  gint64 messages;
  gint64 bytes;
  gint64 aliases;
  gint64 forwards;
  gint64 acls;
  gint64 sieve_scripts;
  gint64 physmessages;    /* message bodies removed (not shared with other users) */
  gint64 maildirs;        /* Postfix/Dovecot flavours: Maildirs left on the mail server's disk */
  char   maildir[512];    /* the first of them ("/var/vmail/example.org/alice/"), "" for none */
} MwDeleteSummary;

char    *mw_delete_summary_describe (const MwDeleteSummary *summary); /* translated sentence (transfer full) */

/* One row of an address: where it goes. */
typedef struct
{
  char   *key;              /* the address row */
  char   *address;
  char   *target;           /* as stored: an account's number, an address, a program */
  char   *account_key;      /* (nullable): the account the address delivers to, also one that is gone */
  char   *account_name;     /* (nullable): NULL when the account is gone */
  gint64  group;
} MwAddressRoute;

void     mw_address_route_free (MwAddressRoute *route);

/* A group and how many accounts it holds. */
typedef struct
{
  gint64 group;
  gint64 accounts;
} MwGroupCount;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwFound, mw_found_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwAccount, mw_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwAccountChange, mw_account_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwAddressRoute, mw_address_route_free)

G_END_DECLS
