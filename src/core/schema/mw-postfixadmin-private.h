/* mw-postfixadmin-private.h: what the PostfixAdmin flavour's files share.
 *
 * Tables (PostfixAdmin 3.3, schema 1847), under $CONF['database_prefix']
 * as detection found it: domain, mailbox, alias (goto: a comma-separated
 * list), alias_domain, quota2, vacation, vacation_notification, quota,
 * fetchmail, log. SQL in these files names them [mailbox], [alias], ...;
 * _mw_postfixadmin_sql() writes the real names in.
 *
 * Keys: an account is mailbox.username (the address, lowercase as
 * PostfixAdmin stores it); an address is one target of an alias row,
 * "alias:ADDRESS>TARGET" ('>' is in no address PostfixAdmin accepts), or the
 * mailbox's own address "mailbox:USERNAME" (its self-alias row).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-postfixadmin-schema.h"
#include "mw-dbmail-private.h"   /* _mw_admin_*: transactions and the audit log, shared by every flavour */
#include "mw-vmail-common.h"
#include "mw-vacation.h"

G_BEGIN_DECLS

/* PostfixAdmin's $CONF['quota_multiplier']: mailbox.quota is MB x 1024000
 * bytes; domain.maxquota and domain.quota are in MB. */
#define MW_POSTFIXADMIN_MB 1024000

/* Where Dovecot keeps the Maildirs in PostfixAdmin's DOCUMENTS/DOVECOT.txt:
 * user_query's home = '/var/mail/vmail/' || maildir ("domain/local/"). */
#define MW_POSTFIXADMIN_VMAIL_DIR "/var/mail/vmail"

/* varchar(255) for every address column. */
#define MW_POSTFIXADMIN_ADDRESS_MAX 255

#define MW_POSTFIXADMIN_ACCOUNT_PREFIX ""
#define MW_POSTFIXADMIN_ALIAS_KEY      "alias:"
#define MW_POSTFIXADMIN_MAILBOX_KEY    "mailbox:"

/* mw-postfixadmin-schema.c */
const MwSchemaInfo *_mw_postfixadmin_info (MwPostfixadminSchema *self);
/* Dovecot's last-login table is there (mw-vmail-last-login.h). */
gboolean    _mw_postfixadmin_has_last_login (MwPostfixadminSchema *self);
/* @sql with [table] as the table names. (transfer full) */
char       *_mw_postfixadmin_sql (MwPostfixadminSchema *self, const char *sql);
/* FALSE with MW_SCHEMA_ERROR_NOT_FOUND when @key is no account's key. */
gboolean    _mw_postfixadmin_parse_account_key (const char *key, GError **error);
/* An address key: *address and *target of an alias row's target, or the
 * mailbox's own address (*mailbox TRUE, *target NULL). */
gboolean    _mw_postfixadmin_parse_address_key (const char *key, char **address, char **target,
                                                gboolean *mailbox, GError **error);
char       *_mw_postfixadmin_alias_key (const char *address, const char *target);
/* "{SHA512-CRYPT}$6$...". (transfer full, mw_password_free) */
char       *_mw_postfixadmin_hash (const char *scheme, const char *password, gulong rounds, GError **error);
/* The scheme a stored value is in, as Dovecot reads it with PostfixAdmin's
 * default_pass_scheme = MD5-CRYPT: "{LABEL}hash", a bare "$1$" md5crypt,
 * other bare crypt strings; NULL for none Mailwarden knows. */
const MwPasswordScheme *_mw_postfixadmin_identify (const char *stored);
/* Dovecot's label of a stored value ("SHA512-CRYPT", "MD5-CRYPT" for a
 * bare md5crypt), "" when it has none. (transfer full) */
char       *_mw_postfixadmin_label (const char *stored);
const char *_mw_postfixadmin_detect_scheme (MwPostfixadminSchema *self, MwDb *db);
/* SQL: a condition that the comma list column @goto holds @value ($n). (transfer full) */
char       *_mw_postfixadmin_goto_has (MwDbDriver driver, const char *go_to, const char *value);
/* The comma list as PostfixAdmin splits it: no empty elements. */
GStrv       _mw_postfixadmin_split_goto (const char *go_to);

/* mw-postfixadmin-lists.c */
const MwListInfo *_mw_postfixadmin_list_info (MwListKind kind);
MwListQuery *_mw_postfixadmin_list_query (MwSchema *schema, const MwListRequest *request, GError **error);
MwFound     *_mw_postfixadmin_find (MwSchema *schema, MwDb *db, const char *text,
                                    GCancellable *cancellable, GError **error);
MwAccount   *_mw_postfixadmin_get_account (MwPostfixadminSchema *self, MwDb *db, const char *username,
                                           GCancellable *cancellable, GError **error);
gboolean     _mw_postfixadmin_export_csv (MwSchema *schema, MwDb *db, const MwListRequest *request,
                                          GOutputStream *out, guint64 *rows, GCancellable *cancellable,
                                          GError **error);
GPtrArray   *_mw_postfixadmin_find_routes (MwSchema *schema, MwDb *db, const char *address,
                                           GError **error);

/* mw-postfixadmin-accounts.c */
char       *_mw_postfixadmin_fingerprint (const char *username, const char *password, gint64 quota,
                                          gboolean active);
MwDbResult *_mw_postfixadmin_run (MwPostfixadminSchema *self, const MwAdmin *admin, const char *sql,
                                  const MwDbValue *params, guint n_params, GError **error);
/* A row of PostfixAdmin's own log, as its db_log() writes it, so that its
 * "View Log" page shows the change. Inside the caller's transaction. */
gboolean    _mw_postfixadmin_log (MwPostfixadminSchema *self, const MwAdmin *admin, const char *domain,
                                  const char *action, const char *data, GError **error);
/* An address as PostfixAdmin stores it: lowercase, the domain in A-labels,
 * ASCII only, at most 255 characters, exactly one '@'. (transfer full) */
char       *_mw_postfixadmin_check_address (const char *text, MwAddressFlags flags, GError **error);
/* The domain's row, locked; refused with a sentence when missing. */
gboolean    _mw_postfixadmin_lock_domain (MwPostfixadminSchema *self, const MwAdmin *admin, const char *domain,
                                          gint64 *aliases_limit, gint64 *mailboxes_limit, gint64 *maxquota,
                                          gint64 *quota, gboolean *active, gboolean *backupmx, GError **error);
/* The mailbox's username as stored (without case), NULL if none; *error on failure. */
char       *_mw_postfixadmin_mailbox_of (MwPostfixadminSchema *self, MwDb *db, const char *address,
                                         GError **error);
gboolean    _mw_postfixadmin_name_taken (MwSchema *schema, MwDb *db, const char *name, GError **error);
char       *_mw_postfixadmin_add_account (MwSchema *schema, const MwAdmin *admin,
                                          const MwNewAccount *account, GError **error);
MwAccountChange *_mw_postfixadmin_update_account (MwSchema *schema, const MwAdmin *admin, const char *key,
                                                  const MwAccountChange *change, GError **error);
gboolean    _mw_postfixadmin_delete_account (MwPostfixadminSchema *self, const MwAdmin *admin, const char *key,
                                             MwDeleteSummary *summary, GError **error);

/* mw-postfixadmin-addresses.c */
char       *_mw_postfixadmin_add_target (MwPostfixadminSchema *self, const MwAdmin *admin, const char *address,
                                         MwAddressFlags flags, const char *target, gboolean to_mailbox,
                                         GError **error);
char       *_mw_postfixadmin_add_alias (MwSchema *schema, const MwAdmin *admin, const char *account_key,
                                        const char *address, MwAddressFlags flags, GError **error);
char       *_mw_postfixadmin_add_forward (MwPostfixadminSchema *self, const MwAdmin *admin, const char *address,
                                          const char *target, MwAddressFlags flags, GError **error);
gboolean    _mw_postfixadmin_retarget_address (MwSchema *schema, const MwAdmin *admin, const char *key,
                                               const char *target, GError **error);
gboolean    _mw_postfixadmin_move_address (MwSchema *schema, const MwAdmin *admin, const char *key,
                                           const char *account, GError **error);
gboolean    _mw_postfixadmin_delete_address (MwSchema *schema, const MwAdmin *admin, const char *key,
                                             GError **error);

/* mw-postfixadmin-domains.c: the domain slots, as DomainHandler writes them. */
void        _mw_postfixadmin_domains_iface_init (MwSchemaInterface *iface);

/* mw-postfixadmin-vacation.c: MwVacationStore, as VacationHandler keeps it. */
void        _mw_postfixadmin_vacation_iface_init (MwVacationStoreInterface *iface);

G_END_DECLS
