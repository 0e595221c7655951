/* mw-dbmail-private.h: what the DBMail flavour's files share: statements, transactions, the audit log, checks, keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-audit.h"
#include "mw-dbmail-admin.h"

G_BEGIN_DECLS

/* mw-dbmail-admin.c */

/* One statement on the admin's connection; G_MESSAGES_DEBUG=mw-dbmail-admin
 * shows each with its time. */
MwDbResult *_mw_admin_run     (const MwAdmin *admin, const char *sql, const MwDbValue *params, guint n_params,
                               GError **error);
gboolean    _mw_admin_run_ok  (const MwAdmin *admin, const char *sql, const MwDbValue *params, guint n_params,
                               GError **error);
/* The first column of the first row; 0 for no row or NULL, -1 on failure. */
gint64      _mw_admin_run_int (const MwAdmin *admin, const char *sql, const MwDbValue *params, guint n_params,
                               GError **error);
/* mw_db_insert_returning_id() on the admin's connection, shown like the
 * others: the new row's id_column, or 0 with error set. */
gint64      _mw_admin_insert_id (const MwAdmin *admin, const char *sql, const char *id_column,
                                 const MwDbValue *params, guint n_params, GError **error);
gboolean    _mw_admin_begin   (const MwAdmin *admin, GError **error);
/* Commits; rolls back for a dry run, or when ok is FALSE (the error is then already set). */
gboolean    _mw_admin_finish  (const MwAdmin *admin, gboolean ok, GError **error);
/* The audit entry of a committed change (nothing for a dry run). */
void        _mw_admin_audit   (const MwAdmin *admin, const char *action, const char *target,
                               const MwAuditField *before, guint n_before,
                               const MwAuditField *after, guint n_after);

/* A number as text, for a deliver_to, a message or an audit entry. (transfer full) */
char       *_mw_dbmail_int_text (gint64 value);

/* An SQL condition that col names none of DBMail's own accounts. */
#define MW_DBMAIL_NOT_SYSTEM(col) \
  col " NOT IN ('" MW_DBMAIL_DELIVERY_USER "', '" MW_DBMAIL_ANYONE_USER "', '" MW_DBMAIL_PUBLIC_USER "')"

/* mw-dbmail-users.c */

/* FALSE with a sentence for a negative group number. */
gboolean    _mw_dbmail_check_group (gint64 group, GError **error);

/* mw_dbmail_add_user(), but it also gives the number of the first alias's
 * row (*alias_idnr, when user->alias is set and alias_idnr not NULL). */
gint64      _mw_dbmail_add_user (const MwAdmin *admin, const MwNewUser *user, gint64 *alias_idnr, GError **error);

/* The first key of the advisory locks on user names ("MW"). */
#define MW_DBMAIL_NAME_LOCK_CLASS 0x4D57

/* PostgreSQL: holds each name, as DBMail compares names (lower()), until
 * the transaction ends, so that the check that no user has it and the
 * INSERT or UPDATE that gives it are one step for every Mailwarden session:
 * the schema's unique index on userid tells "Alice" from "alice", so two
 * sessions adding those at once would otherwise both succeed. Callers that
 * lock several names give them in one order (sorted), so that two of them
 * cannot wait for each other. MySQL: nothing; its unique index compares
 * without case and refuses the second one. */
gboolean    _mw_dbmail_lock_names (const MwAdmin *admin, const char *const *userids, guint n, GError **error);

/* What an account's row holds now, with its fingerprint, read in one
 * statement so that the two agree. *values is NULL when there is no such
 * account. */
gboolean    _mw_dbmail_read_user (MwDb *db, gint64 user_idnr, MwUserValues **values, char **fingerprint,
                                  GError **error);

/* mw-dbmail-aliases.c */

/* The address as it is stored (mw_address_normalize_alias()), or NULL with
 * the sentence. (transfer full) */
char       *_mw_dbmail_normalize_alias (const char *text, MwAddressFlags flags, GError **error);

/* An alias for user_idnr may be added (or the row except_alias be renamed
 * to it) unless it already delivers to a user. */
gboolean    _mw_dbmail_check_alias_free (const MwAdmin *admin, const char *alias, gint64 user_idnr,
                                         gint64 except_alias, GError **error);

/* mw_dbmail_add_alias_for(), but it returns the alias row's number also
 * when it created the user (*created_user). */
gint64      _mw_dbmail_add_alias_for (const MwAdmin *admin, const char *user, const char *alias,
                                      MwAddressFlags flags, gboolean create_missing, gint64 *created_user,
                                      GError **error);

/* mw-dbmail-mail.c */

/* The user's row, refusing DBMail's own accounts: its userid, or NULL with
 * MW_SCHEMA_ERROR_NOT_FOUND. (transfer full) */
char       *_mw_dbmail_check_user (MwDb *db, gint64 user_idnr, GCancellable *cancellable, GError **error);

/* Keys. An account's, an address's and a mailbox's key is the number of
 * its row in decimal ("42"); only the DBMail files make and read them. */
typedef enum
{
  MW_DBMAIL_KEY_ACCOUNT,
  MW_DBMAIL_KEY_ADDRESS,
  MW_DBMAIL_KEY_MAILBOX,
} MwDbmailKeyKind;

char       *_mw_dbmail_key       (gint64 number);
/* FALSE with MW_SCHEMA_ERROR_NOT_FOUND and a sentence when @key is not a
 * number this flavour made (decimal, positive, without sign or padding). */
gboolean    _mw_dbmail_parse_key (const char *key, MwDbmailKeyKind kind, gint64 *number, GError **error);

/* The mail store side of MwDbmailSchema (mw-dbmail-mail-store.c). */
typedef struct _MwMailStoreInterface MwMailStoreInterface;
void        _mw_dbmail_mail_store_iface_init (MwMailStoreInterface *iface);

G_END_DECLS
