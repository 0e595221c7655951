/* mw-dbmail-admin.h: the DBMail flavour, write side: users, groups, aliases, forwards.
 *
 * Every operation is one transaction on the connection it is given and
 * writes what a real DBMail 3.5 reads (DBMAIL-FACTS.md A-D). Successful
 * changes are appended to the audit log (mw-audit) after the commit.
 * Users are in mw-dbmail-users.c, deleting them in mw-dbmail-users-delete.c,
 * aliases and forwards in mw-dbmail-aliases.c; what they share in
 * mw-dbmail-admin.c (mw-dbmail-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-address.h"
#include "mw-db.h"
#include "mw-dbmail.h"
#include "mw-password.h"

G_BEGIN_DECLS

/* MwAdmin, MwDeleteSummary: mw-account.h. */

/* Users (mw-dbmail-users.c) */

typedef struct
{
  const char     *userid;
  const char     *passwd;           /* as stored (see mw_password_hash) */
  const char     *encryption_type;
  gint64          client_idnr;
  gint64          maxmail_size;     /* bytes, 0 = unlimited */
  const char     *alias;            /* first alias, or NULL for none */
  MwAddressFlags  alias_flags;
} MwNewUser;

/* The rules for a user name, the same for adding, renaming and importing:
 * UTF-8, not empty, at most 100 characters, no space, no control or
 * invisible character (mw_address_is_forbidden_char(): bidi controls, the
 * zero-width space...), not one of DBMail's own accounts. The messages quote
 * the name with such characters shown as U+FFFD. */
gboolean mw_dbmail_check_userid   (const char *userid, GError **error);

/* Adds the user, its first alias (deliver_to = the new user number,
 * client_idnr = the group) and its INBOX. Refuses a name equal to another
 * user's but for case, and an alias that is already taken. */
gint64   mw_dbmail_add_user       (const MwAdmin *admin, const MwNewUser *user, GError **error);

/* What an account's row holds now, to tell whether it changed since a window
 * loaded it: a digest of every column but the counters the server moves by
 * itself (curmail_size, last_login). (transfer full) */
char    *mw_dbmail_user_fingerprint (MwDb *db, gint64 user_idnr, GCancellable *cancellable, GError **error);

/* Whether another account already has this name, compared but for case as
 * DBMail compares names. FALSE with error set when the database could not
 * say. */
gboolean mw_account_name_taken (MwDb *db, const char *userid, GError **error);

/* The scheme the account's stored password is in, as DBMail reads it from
 * encryption_type and the stored value: *scheme is NULL when no known scheme
 * matches. FALSE with error set when the account cannot be read. */
gboolean mw_account_get_password_scheme (MwDb *db, gint64 user_idnr, const MwPasswordScheme **scheme,
                                         GError **error);

/* What an account holds now of what mw_dbmail_update_user() can set (but
 * the security password, which is never read back), so that a change can
 * be undone. */
typedef struct
{
  char     *userid;
  char     *passwd;
  char     *encryption_type;
  gint64    client_idnr;
  gint64    maxmail_size;
  gboolean  active;
  gint64    saction;
} MwUserValues;

void     mw_user_values_free (MwUserValues *values);
/* *values is NULL (and TRUE is returned) when there is no such account. */
gboolean mw_account_read_values (MwDb *db, gint64 user_idnr, MwUserValues **values, GError **error);

typedef enum
{
  MW_USER_CHANGE_NAME       = 1 << 0,
  MW_USER_CHANGE_PASSWORD   = 1 << 1,  /* passwd + encryption_type */
  MW_USER_CHANGE_QUOTA      = 1 << 2,
  MW_USER_CHANGE_GROUP      = 1 << 3,
  MW_USER_CHANGE_ACTIVE     = 1 << 4,
  MW_USER_CHANGE_SPASSWORD  = 1 << 5,  /* spasswd, stored with the account's encryption_type; "" removes it */
  MW_USER_CHANGE_SACTION    = 1 << 6,
} MwUserChangeFlags;

typedef struct
{
  MwUserChangeFlags  changes;
  const char        *userid;
  const char        *passwd;
  const char        *encryption_type;
  gint64             maxmail_size;
  gint64             client_idnr;
  gboolean           active;
  const char        *spasswd;
  gint64             saction;
  const char        *expected_fingerprint; /* NULL: do not check */
} MwUserChange;

/* Applies the staged changes in one transaction. A rename carries the user
 * maps that name the old userid; a group change carries the aliases that
 * deliver to the user. Fails with MW_SCHEMA_ERROR_CONFLICT when the row no
 * longer has expected_fingerprint. */
gboolean mw_dbmail_update_user    (const MwAdmin *admin, gint64 user_idnr, const MwUserChange *change, GError **error);

/* Deleting users (mw-dbmail-users-delete.c) */

/* One user (user_idnr > 0) or every user of a group (user_idnr 0, group).
 * summary may be NULL; with dry_run the summary is all that happens. No
 * message body is left without an owner; one still referenced by another
 * user's message stays. System accounts are refused. */
gboolean mw_dbmail_delete_users   (const MwAdmin *admin, gint64 user_idnr, gint64 group,
                                   MwDeleteSummary *summary, GError **error);

/* Aliases, forwards and a group's domain (mw-dbmail-aliases.c) */

/* Adds an alias of the user: deliver_to = its number, client_idnr = its group. */
gint64   mw_dbmail_add_alias      (const MwAdmin *admin, gint64 user_idnr, const char *alias,
                                   MwAddressFlags flags, GError **error);
/* Adds an alias to the user named by name, number or address. When there is
 * no such user and create_missing is set (the "create login-less users"
 * preference), a user of that name that cannot log in is created with the
 * alias, in one transaction; *created_user is then its number. Returns the
 * alias row's number, or the new user's when one was created. */
gint64   mw_dbmail_add_alias_for  (const MwAdmin *admin, const char *user, const char *alias,
                                   MwAddressFlags flags, gboolean create_missing, gint64 *created_user,
                                   GError **error);
/* Renames an alias or a forward's address. */
gboolean mw_dbmail_rename_alias   (const MwAdmin *admin, gint64 alias_idnr, const char *alias,
                                   MwAddressFlags flags, GError **error);
/* Deletes one alias or forward row. */
gboolean mw_dbmail_delete_alias   (const MwAdmin *admin, gint64 alias_idnr, GError **error);
/* Moves an alias to another user (client_idnr follows the new owner). */
gboolean mw_dbmail_move_alias     (const MwAdmin *admin, gint64 alias_idnr, gint64 to_user_idnr, GError **error);

/* Adds a forward: the address to an external address or a pipe. When the
 * address is already a user's alias this makes a BCC. client_idnr 0 as
 * dbmail-users -x stores it, unless group >= 0. */
gint64   mw_dbmail_add_forward    (const MwAdmin *admin, const char *alias, const char *target,
                                   MwAddressFlags flags, gint64 group, GError **error);
gboolean mw_dbmail_set_forward_target (const MwAdmin *admin, gint64 alias_idnr, const char *target, GError **error);
/* Turns a forward row back into an alias of the user named by name, number or address. */
gboolean mw_dbmail_forward_to_alias (const MwAdmin *admin, gint64 alias_idnr, const char *user, GError **error);

/* Gives every user of a group an alias local@domain, where local is the
 * local part of the user's first alias (or its name). Returns the aliases
 * that are (or with dry_run would be) created; users whose alias exists are
 * skipped. (transfer full) GStrv */
GStrv    mw_dbmail_group_add_domain (const MwAdmin *admin, gint64 group, const char *domain, GError **error);

/* The rows of an address, compared as DBMail does (case-insensitive).
 * Columns: alias_idnr alias deliver_to user_idnr userid (NULL unless
 * deliver_to is an existing user's number) client_idnr. */
MwDbResult *mw_dbmail_find_alias_rows (MwDb *db, const char *alias, GError **error);

/* Looks a user up by number, name or address (mw_dbmail_find_user) and
 * returns its number, or 0 with an error. */
gint64   mw_dbmail_resolve_user   (MwDb *db, const char *text, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwUserValues, mw_user_values_free)

G_END_DECLS
