/* mw-ispmail-private.h: what the ISPmail flavour's files share.
 *
 * Tables: virtual_domains (id, name), virtual_users (id, domain_id, email,
 * password, quota), virtual_aliases (id, domain_id, source, destination),
 * under the prefix detection found (usually none). SQL in these files names
 * them [domains], [users] and [aliases]; _mw_ispmail_sql() writes the real
 * names in ({name} is DBMail's prefix, which mw_db_exec() expands).
 *
 * Keys: an account is virtual_users.id in decimal ("42"), an alias row
 * virtual_aliases.id ("7"), the mailbox's own address (no row of its own)
 * "mailbox-42".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-ispmail-schema.h"
#include "mw-dbmail-private.h"   /* _mw_admin_*: transactions and the audit log, shared by every flavour */
#include "mw-vmail-common.h"

G_BEGIN_DECLS

/* Where the mail of an ISPmail mailbox lives (Dovecot's mail_location in the
 * tutorial: /var/vmail/%d/%n): not in the database. */
#define MW_ISPMAIL_VMAIL_DIR "/var/vmail"

/* virtual_domains.name is varchar(50); email, source, destination varchar(100). */
#define MW_ISPMAIL_DOMAIN_MAX_CHARS  50
#define MW_ISPMAIL_ADDRESS_MAX_CHARS 100

/* mw-ispmail-schema.c */

/* How Postfix finds a row: it folds the address to lowercase and asks
 * "WHERE col = '%s'", which compares with case on PostgreSQL and without on
 * MariaDB's utf8mb4 collations. "col = lower(key)" or "col = key": the
 * index on email is used. (transfer full) */
char       *_mw_ispmail_sql_lookup (MwDbDriver driver, const char *stored_col, const char *key);
const MwSchemaInfo *_mw_ispmail_info (MwIspmailSchema *self);
/* Dovecot's last-login table is there (mw-vmail-last-login.h). */
gboolean    _mw_ispmail_has_last_login (MwIspmailSchema *self);
/* @sql with [domains], [users], [aliases] as the table names. (transfer full) */
char       *_mw_ispmail_sql       (MwIspmailSchema *self, const char *sql);
char       *_mw_ispmail_key       (gint64 id);
/* FALSE with MW_SCHEMA_ERROR_NOT_FOUND when @key is no account's key. */
gboolean    _mw_ispmail_parse_account_key (const char *key, gint64 *id, GError **error);
/* An address key: the alias row's id (*mailbox 0), or the mailbox's own
 * address (*row 0, *mailbox its id). */
gboolean    _mw_ispmail_parse_address_key (const char *key, gint64 *row, gint64 *mailbox, GError **error);
/* The scheme of Mailwarden's list that a stored Dovecot string is in, or NULL. */
const MwPasswordScheme *_mw_ispmail_identify (const char *stored);
/* "{SHA512-CRYPT}$6$...": the Dovecot string of @password in @scheme. (transfer full, mw_password_free) */
static inline char *
_mw_ispmail_hash (const char *scheme, const char *password, gulong rounds, GError **error)
{
  return _mw_vmail_hash (scheme, password, rounds, error);
}
/* The scheme new passwords get in this database now: the one most of the
 * newest rows use, sha512-crypt when none. */
const char *_mw_ispmail_detect_scheme (MwIspmailSchema *self, MwDb *db);

/* mw-ispmail-lists.c */
const MwListInfo *_mw_ispmail_list_info (MwListKind kind);
MwListQuery *_mw_ispmail_list_query (MwSchema *schema, const MwListRequest *request, GError **error);
MwFound     *_mw_ispmail_find       (MwSchema *schema, MwDb *db, const char *text,
                                     GCancellable *cancellable, GError **error);
gboolean     _mw_ispmail_export_csv (MwSchema *schema, MwDb *db, const MwListRequest *request,
                                     GOutputStream *out, guint64 *rows, GCancellable *cancellable, GError **error);
MwAccount   *_mw_ispmail_get_account (MwIspmailSchema *self, MwDb *db, gint64 id,
                                      GCancellable *cancellable, GError **error);

/* mw-ispmail-accounts.c */

/* What a mailbox's row holds, to tell whether it changed since it was read. (transfer full) */
char       *_mw_ispmail_fingerprint (const char *email, const char *password, gint64 quota, gint64 domain_id);

/* An address as the MTA looks it up (mw_address_normalize_alias(): domain
 * lowercased in A-labels), at most 100 characters, its domain in
 * virtual_domains: its text, and *domain_id. */
char       *_mw_ispmail_check_address (MwIspmailSchema *self, const MwAdmin *admin, const char *text,
                                       MwAddressFlags flags, gint64 *domain_id, GError **error);
/* The mailbox whose email is @email (as the MTA compares: without case), 0 for none, -1 on error. */
gint64      _mw_ispmail_mailbox_id (MwIspmailSchema *self, MwDb *db, const char *email, char **stored,
                                    GError **error);
gboolean    _mw_ispmail_name_taken (MwSchema *schema, MwDb *db, const char *name, GError **error);
char       *_mw_ispmail_add_account (MwSchema *schema, const MwAdmin *admin, const MwNewAccount *account,
                                     GError **error);
MwAccountChange *_mw_ispmail_update_account (MwSchema *schema, const MwAdmin *admin, const char *key,
                                             const MwAccountChange *change, GError **error);
gboolean    _mw_ispmail_delete_account (MwIspmailSchema *self, const MwAdmin *admin, const char *key,
                                        MwDeleteSummary *summary, GError **error);

/* Domains (also in mw-ispmail-accounts.c): keys "domain-7" (virtual_domains.id). */
/* A domain name as stored: lowercase, A-labels, at most 50 characters, with a dot. (transfer full) */
char       *_mw_ispmail_normalize_domain (const char *text, GError **error);
MwDomain   *_mw_ispmail_get_domain (MwSchema *schema, MwDb *db, const char *key_or_name,
                                    GCancellable *cancellable, GError **error);
char       *_mw_ispmail_add_domain (MwSchema *schema, const MwAdmin *admin, const char *name,
                                    const MwDomainChange *settings, GError **error);
MwDomainChange *_mw_ispmail_update_domain (MwSchema *schema, const MwAdmin *admin, const char *key,
                                           const MwDomainChange *change, GError **error);
MwDomainDeleteSummary *_mw_ispmail_delete_domains (MwSchema *schema, const MwAdmin *admin,
                                                   const char *const *keys, GError **error);

/* mw-ispmail-addresses.c */
GPtrArray  *_mw_ispmail_find_routes (MwSchema *schema, MwDb *db, const char *address, GError **error);
/* Adds the row source -> destination inside the caller's transaction,
 * refusing one that is there already (without case). Its id, or 0. */
gint64      _mw_ispmail_insert_alias (MwIspmailSchema *self, const MwAdmin *admin, const char *source,
                                      gint64 domain_id, const char *destination, GError **error);
char       *_mw_ispmail_add_alias   (MwSchema *schema, const MwAdmin *admin, const char *account_key,
                                     const char *address, MwAddressFlags flags, GError **error);
char       *_mw_ispmail_add_forward (MwIspmailSchema *self, const MwAdmin *admin, const char *address,
                                     const char *target, MwAddressFlags flags, GError **error);
gboolean    _mw_ispmail_rename_address (MwSchema *schema, const MwAdmin *admin, const char *key,
                                        const char *address, MwAddressFlags flags, GError **error);
gboolean    _mw_ispmail_retarget_address (MwSchema *schema, const MwAdmin *admin, const char *key,
                                          const char *target, GError **error);
gboolean    _mw_ispmail_move_address (MwSchema *schema, const MwAdmin *admin, const char *key,
                                      const char *account, GError **error);
gboolean    _mw_ispmail_delete_address (MwSchema *schema, const MwAdmin *admin, const char *key,
                                        GError **error);

G_END_DECLS
