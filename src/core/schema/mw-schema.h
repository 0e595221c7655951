/* mw-schema.h: a mail schema, as the GUI and the CLI see it.
 *
 * MwSchema is the interface every flavour implements (today MwDbmailSchema;
 * docs/schema-interface.md maps ISPmail and PostfixAdmin onto it). It says
 * what the flavour can do (capabilities), which lists it has and their
 * columns, and performs every operation in mail terms on a connection it is
 * given: these synchronous functions run on a worker thread. The GUI and the
 * CLI call the session's _async/_finish wrappers (mw-session.h), never these.
 *
 * Optional areas are further interfaces the flavour's object implements,
 * checked with MW_IS_...: MwMailStore (mw-mail-store.h) today.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-list-info.h"
#include "mw-list-query.h"
#include "mw-password.h"

G_BEGIN_DECLS

#define MW_SCHEMA_ERROR (mw_schema_error_quark ())

typedef enum
{
  MW_SCHEMA_ERROR_NOT_MAIL_DATABASE,  /* none of the known schemas */
  MW_SCHEMA_ERROR_INCOMPLETE,         /* a DBMail schema with tables missing */
  MW_SCHEMA_ERROR_NOT_FOUND,          /* no such user, alias ... */
  MW_SCHEMA_ERROR_INVALID,            /* bad input from the person */
  MW_SCHEMA_ERROR_EXISTS,             /* a name or an address that is already taken */
  MW_SCHEMA_ERROR_CONFLICT,           /* the row changed in the database since it was read */
  MW_SCHEMA_ERROR_REFUSED,            /* a system account, or a change DBMail would not survive */
} MwSchemaError;

typedef enum
{
  MW_SCHEMA_DBMAIL_3,
  MW_SCHEMA_DBMAIL_2_2,
  MW_SCHEMA_ISPMAIL,                /* the ISPmail tutorial's virtual_* tables */
  MW_SCHEMA_POSTFIXADMIN,           /* PostfixAdmin's tables (domain, mailbox, alias ...) */
} MwSchemaKind;

typedef struct
{
  MwSchemaKind kind;
  char        *flavour;            /* stable, for scripts: "dbmail-3", "dbmail-2.2", "ispmail", "postfixadmin" */
  MwDbDriver   driver;
  char        *prefix;             /* DBMail: the profile's; ISPmail, PostfixAdmin: the one found ("" for none) */
  gint64       schema_version;     /* DBMail: highest dbmail_upgrade_steps.to_version; PostfixAdmin: its
                                    * config table's version; 0 when unknown and for ISPmail */
  gboolean     has_messageblks;    /* 2.2 storage present (3.x may still hold old mail there) */
  gboolean     has_usermap;
  char        *server_version;
  gboolean     unique_domain_names; /* ISPmail: virtual_domains.name has a unique key (the tutorial's
                                     * Debian 13 edition; 11 and 12 have none); PostfixAdmin: always */
} MwSchemaInfo;

GQuark        mw_schema_error_quark (void);
MwSchemaInfo *mw_schema_detect      (MwDb *db, GCancellable *cancellable, GError **error);
void          mw_schema_info_free   (MwSchemaInfo *info);
char         *mw_schema_info_describe (const MwSchemaInfo *info); /* "DBMail 3.x (schema 35002) on PostgreSQL 15.4",
                                                                   * "PostfixAdmin 3.3 (schema 1847) on ..." */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSchemaInfo, mw_schema_info_free)

/* What a login with the security password does (MW_SCHEMA_CAN_SECURITY_PASSWORD),
 * in the admin's words. The values from @value up to the next entry's mean
 * this; @numbered says that those values are told apart by their number
 * (DBMail: a rule of that number in dbmail.conf). */
typedef struct
{
  gint64      value;
  gboolean    numbered;
  const char *label;        /* untranslated (N_); show it with _() */
  const char *term;         /* the flavour's own term, untranslated, for a tooltip */
} MwSecurityAction;

/* What a flavour can do; the GUI and the CLI show only what it has. */
typedef enum
{
  MW_SCHEMA_CAN_NONE              = 0,
  MW_SCHEMA_CAN_WRITE             = 1 << 0,   /* accounts and addresses can be changed */
  MW_SCHEMA_CAN_GROUPS            = 1 << 1,   /* accounts have a group number */
  MW_SCHEMA_CAN_DOMAINS_TABLE     = 1 << 2,   /* domains are rows of their own, not only address parts */
  MW_SCHEMA_CAN_SECURITY_PASSWORD = 1 << 3,   /* a second password with an action */
  MW_SCHEMA_CAN_LAST_LOGIN        = 1 << 4,
  MW_SCHEMA_CAN_RENAME            = 1 << 5,   /* an account's login name can change */
  MW_SCHEMA_CAN_QUOTA             = 1 << 6,
  MW_SCHEMA_CAN_DISABLE           = 1 << 7,   /* an account can be kept but refused */
  MW_SCHEMA_CAN_FORWARDS          = 1 << 8,   /* addresses can go to outside addresses and programs */
  MW_SCHEMA_CAN_VACATION          = 1 << 9,
  MW_SCHEMA_CAN_SHARING           = 1 << 10,  /* folders shared between accounts (ACLs) */
  MW_SCHEMA_CAN_IMPORT            = 1 << 11,  /* accounts from CSV */
  MW_SCHEMA_CAN_LOGIN_LESS        = 1 << 12,  /* an address's owner can be an account that cannot log in */
} MwSchemaCapabilities;

/* Domains: rows of their own where the flavour has MW_SCHEMA_CAN_DOMAINS_TABLE
 * (ISPmail's virtual_domains, PostfixAdmin's domain), in mail terms. A
 * flavour keeps only some of these fields (mw_schema_get_domain_fields);
 * the name is always there, stored as the MTA looks it up (lowercase,
 * A-labels: show it with mw_address_to_display). */
typedef enum
{
  MW_DOMAIN_NAME          = 1 << 0,
  MW_DOMAIN_DESCRIPTION   = 1 << 1,
  MW_DOMAIN_ACTIVE        = 1 << 2,
  MW_DOMAIN_MAX_MAILBOXES = 1 << 3,   /* 0: no limit */
  MW_DOMAIN_MAX_ALIASES   = 1 << 4,   /* 0: no limit */
  MW_DOMAIN_MAX_QUOTA     = 1 << 5,   /* bytes per mailbox, 0: no limit */
  MW_DOMAIN_QUOTA         = 1 << 6,   /* bytes for the whole domain, 0: no limit */
  MW_DOMAIN_TRANSPORT     = 1 << 7,
  MW_DOMAIN_BACKUP_MX     = 1 << 8,
} MwDomainFields;

typedef struct
{
  char           *key;            /* opaque, the flavour's */
  char           *name;           /* as stored: lowercase, A-labels */
  MwDomainFields  has;            /* the fields below this flavour keeps (MW_DOMAIN_NAME always) */
  char           *description;
  gboolean        active;
  gint64          max_mailboxes;
  gint64          max_aliases;
  gint64          max_quota;
  gint64          quota;
  char           *transport;
  gboolean        backup_mx;
  gint64          mailboxes;      /* how many there are now */
  gint64          aliases;
  char           *fingerprint;    /* the row as read, for MwDomainChange.expected_fingerprint */
} MwDomain;

/* A change to a domain (or the settings of a new one): only the fields
 * named in @changes are read. */
typedef struct
{
  MwDomainFields  changes;
  char           *name;
  char           *description;
  gboolean        active;
  gint64          max_mailboxes;
  gint64          max_aliases;
  gint64          max_quota;
  gint64          quota;
  char           *transport;
  gboolean        backup_mx;
  char           *expected_fingerprint; /* NULL: do not check */
  /* Adding only, PostfixAdmin only: not NULL also adds abuse@, hostmaster@,
   * postmaster@ and webmaster@ the new domain going to this address (a
   * local part alone: in the new domain), as PostfixAdmin's "Add default
   * mail aliases" does with config.inc.php's $CONF['default_aliases']. */
  char           *default_aliases_to;
} MwDomainChange;

/* What deleting domains takes with it. The mail itself is not in the
 * database: @maildirs are the Maildirs the admin must remove from the mail
 * server's disk. */
typedef struct
{
  gint64  domains;
  gint64  mailboxes;
  gint64  aliases;        /* alias and forward rows */
  gint64  alias_domains;
  GStrv   maildirs;       /* never NULL once filled: "/var/vmail/example.org/alice/", ... */
} MwDomainDeleteSummary;

MwDomain              *mw_domain_new                     (void);
void                   mw_domain_free                    (MwDomain *domain);
MwDomainChange        *mw_domain_change_new              (void);
MwDomainChange        *mw_domain_change_copy             (const MwDomainChange *change);
void                   mw_domain_change_free             (MwDomainChange *change);
void                   mw_domain_delete_summary_free     (MwDomainDeleteSummary *summary);
/* "1 domain with 2 mailboxes, 3 aliases and 0 alias domains. Their mail is
 * not in the database: remove these Maildirs on the mail server by hand:
 * ..." (translated, transfer full) */
char                  *mw_domain_delete_summary_describe (const MwDomainDeleteSummary *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDomain, mw_domain_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDomainChange, mw_domain_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwDomainDeleteSummary, mw_domain_delete_summary_free)

#define MW_TYPE_SCHEMA (mw_schema_get_type ())
G_DECLARE_INTERFACE (MwSchema, mw_schema, MW, SCHEMA, GObject)

/* The import types live with the import (mw-import.h). */
typedef struct _MwImportPlan    MwImportPlan;
typedef struct _MwImportReport  MwImportReport;
typedef struct _MwImportOptions MwImportOptions;
typedef void (*MwImportProgress) (guint64 done, guint64 total, gpointer user_data);

struct _MwSchemaInterface
{
  GTypeInterface parent_iface;

  /* What the database is, and what can be done with it */
  const MwSchemaInfo  *(*get_info)         (MwSchema *self);
  char                *(*describe)         (MwSchema *self);
  MwSchemaCapabilities (*get_capabilities) (MwSchema *self);

  /* Lists */
  const MwListInfo    *(*get_list)         (MwSchema *self, MwListKind kind);
  MwListQuery         *(*list_query)       (MwSchema *self, const MwListRequest *request, GError **error);
  char                *(*list_row_key)     (MwSchema *self, MwListKind kind, MwRecord *record);
  GPtrArray           *(*list_groups)      (MwSchema *self, MwDb *db, GCancellable *cancellable, GError **error);

  /* Accounts */
  MwFound             *(*find)             (MwSchema *self, MwDb *db, const char *text,
                                            GCancellable *cancellable, GError **error);
  MwAccount           *(*get_account)      (MwSchema *self, MwDb *db, const char *key,
                                            GCancellable *cancellable, GError **error);
  gboolean             (*name_taken)       (MwSchema *self, MwDb *db, const char *name, GError **error);
  char                *(*add_account)      (MwSchema *self, const MwAdmin *admin, const MwNewAccount *account,
                                            GError **error);
  MwAccountChange     *(*update_account)   (MwSchema *self, const MwAdmin *admin, const char *key,
                                            const MwAccountChange *change, GError **error);
  gboolean             (*delete_accounts)  (MwSchema *self, const MwAdmin *admin, const char *key, gint64 group,
                                            MwDeleteSummary *summary, GError **error);

  /* Addresses */
  GPtrArray           *(*find_routes)      (MwSchema *self, MwDb *db, const char *address, GError **error);
  char                *(*add_alias)        (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                            const char *address, MwAddressFlags flags, GError **error);
  char                *(*add_alias_for)    (MwSchema *self, const MwAdmin *admin, const char *account,
                                            const char *address, MwAddressFlags flags, gboolean create_missing,
                                            char **created_account_key, GError **error);
  char                *(*add_forward)      (MwSchema *self, const MwAdmin *admin, const char *address,
                                            const char *target, MwAddressFlags flags, gint64 group, GError **error);
  gboolean             (*rename_address)   (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                            const char *address, MwAddressFlags flags, GError **error);
  gboolean             (*retarget_address) (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                            const char *target, GError **error);
  gboolean             (*move_address)     (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                            const char *account, GError **error);
  gboolean             (*delete_address)   (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                            GError **error);
  GStrv                (*group_add_domain) (MwSchema *self, const MwAdmin *admin, gint64 group,
                                            const char *domain, GError **error);

  /* Passwords: no database access, any thread */
  const MwPasswordScheme *(*get_password_schemes) (MwSchema *self, guint *n_schemes);
  const char          *(*get_default_password_scheme) (MwSchema *self);
  const MwPasswordScheme *(*lookup_password_scheme) (MwSchema *self, const char *name, GError **error);
  char                *(*encode_password)  (MwSchema *self, const char *scheme, const char *password,
                                            gulong rounds, char **stored_scheme, GError **error);
  const MwSecurityAction *(*get_security_actions) (MwSchema *self, guint *n_actions);

  /* CSV */
  MwImportPlan        *(*import_prepare)   (MwSchema *self, MwDb *db, GBytes *csv, const MwImportOptions *options,
                                            GCancellable *cancellable, GError **error);
  MwImportReport      *(*import_run)       (MwSchema *self, const MwAdmin *admin, MwImportPlan *plan,
                                            const MwImportOptions *options, MwImportProgress progress,
                                            gpointer user_data, GCancellable *cancellable, GError **error);
  gboolean             (*export_csv)       (MwSchema *self, MwDb *db, const MwListRequest *request,
                                            GOutputStream *out, guint64 *rows,
                                            GCancellable *cancellable, GError **error);

  /* Domains (MW_SCHEMA_CAN_DOMAINS_TABLE; NULL where the flavour has none) */
  MwDomainFields       (*get_domain_fields) (MwSchema *self);
  MwDomain            *(*get_domain)       (MwSchema *self, MwDb *db, const char *key_or_name,
                                            GCancellable *cancellable, GError **error);
  char                *(*add_domain)       (MwSchema *self, const MwAdmin *admin, const char *name,
                                            const MwDomainChange *settings, GError **error);
  MwDomainChange      *(*update_domain)    (MwSchema *self, const MwAdmin *admin, const char *key,
                                            const MwDomainChange *change, GError **error);
  MwDomainDeleteSummary *(*delete_domains) (MwSchema *self, const MwAdmin *admin, const char *const *keys,
                                            GError **error);
  MwDomainChange      *(*get_domain_defaults) (MwSchema *self);
};

/* Detects the flavour @db holds and makes its schema object. */
MwSchema            *mw_schema_open           (MwDb *db, GCancellable *cancellable, GError **error);

const MwSchemaInfo  *mw_schema_get_info       (MwSchema *self);
/* "DBMail 3.x (schema 35002) on PostgreSQL 15.4" (transfer full) */
char                *mw_schema_describe       (MwSchema *self);
MwSchemaCapabilities mw_schema_get_capabilities (MwSchema *self);
gboolean             mw_schema_can            (MwSchema *self, MwSchemaCapabilities what);
/* TRUE where an account is a mailbox named by its whole address (ISPmail,
 * PostfixAdmin): windows say "mailbox" and "address" there, not "user"
 * and "login name". */
gboolean             mw_schema_names_mailboxes (MwSchema *self);

/* The flavour's description of a list, or NULL when it has no such list. */
const MwListInfo    *mw_schema_get_list       (MwSchema *self, MwListKind kind);
/* The list whose id (the CLI command) is @id, or NULL. */
const MwListInfo    *mw_schema_find_list      (MwSchema *self, const char *id);
MwListQuery         *mw_schema_list_query     (MwSchema *self, const MwListRequest *request, GError **error);
/* The key of the account (users) or address (aliases, forwards) a row of
 * the list shows; NULL for lists whose rows are neither. (transfer full) */
char                *mw_schema_list_row_key   (MwSchema *self, MwListKind kind, MwRecord *record);
/* MwGroupCount, by group. */
GPtrArray           *mw_schema_list_groups    (MwSchema *self, MwDb *db, GCancellable *cancellable, GError **error);

MwFound             *mw_schema_find           (MwSchema *self, MwDb *db, const char *text,
                                               GCancellable *cancellable, GError **error);
/* The key of the account named by name, number or address, or NULL with
 * MW_SCHEMA_ERROR_NOT_FOUND (also for a forward). (transfer full) */
char                *mw_schema_resolve_account (MwSchema *self, MwDb *db, const char *text,
                                                GCancellable *cancellable, GError **error);
MwAccount           *mw_schema_get_account    (MwSchema *self, MwDb *db, const char *key,
                                               GCancellable *cancellable, GError **error);
gboolean             mw_schema_name_taken     (MwSchema *self, MwDb *db, const char *name, GError **error);
char                *mw_schema_add_account    (MwSchema *self, const MwAdmin *admin, const MwNewAccount *account,
                                               GError **error);
/* Applies @change in one transaction and returns the change that undoes
 * it (its expected_fingerprint is the account right after this one). */
MwAccountChange     *mw_schema_update_account (MwSchema *self, const MwAdmin *admin, const char *key,
                                               const MwAccountChange *change, GError **error);
/* One account (key) or every account of a group (key NULL). */
gboolean             mw_schema_delete_accounts (MwSchema *self, const MwAdmin *admin, const char *key, gint64 group,
                                                MwDeleteSummary *summary, GError **error);

/* MwAddressRoute: the rows of an address. */
GPtrArray           *mw_schema_find_routes    (MwSchema *self, MwDb *db, const char *address, GError **error);
char                *mw_schema_add_alias      (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                               const char *address, MwAddressFlags flags, GError **error);
char                *mw_schema_add_alias_for  (MwSchema *self, const MwAdmin *admin, const char *account,
                                               const char *address, MwAddressFlags flags, gboolean create_missing,
                                               char **created_account_key, GError **error);
char                *mw_schema_add_forward    (MwSchema *self, const MwAdmin *admin, const char *address,
                                               const char *target, MwAddressFlags flags, gint64 group, GError **error);
gboolean             mw_schema_rename_address (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                               const char *address, MwAddressFlags flags, GError **error);
/* A forward's new target; with a target naming an account, the address
 * becomes that account's alias again. */
gboolean             mw_schema_retarget_address (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                                 const char *target, GError **error);
/* The address delivers to another account, named by name, number or
 * address, from now on: an alias moves, a forward becomes its alias. */
gboolean             mw_schema_move_address   (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                               const char *account, GError **error);
gboolean             mw_schema_delete_address (MwSchema *self, const MwAdmin *admin, const char *address_key,
                                               GError **error);
GStrv                mw_schema_group_add_domain (MwSchema *self, const MwAdmin *admin, gint64 group,
                                                 const char *domain, GError **error);

/* Passwords, in mail terms: DBMail stores a value and its encryption_type,
 * the Dovecot flavours one "{SCHEME}hash" string. None of these touches the
 * database, and all may run on any thread.
 *
 * The schemes this flavour can store and check, in the order to offer them
 * (the default is named by mw_schema_get_default_password_scheme, not moved
 * to the front). Returns: (transfer none): owned by the flavour, valid while
 * @self lives; *n_schemes is set. */
const MwPasswordScheme *mw_schema_get_password_schemes (MwSchema *self, guint *n_schemes);
/* The name of the scheme a new password gets when none is chosen; one of
 * the list above. */
const char          *mw_schema_get_default_password_scheme (MwSchema *self);
/* The scheme of the list above that @name means (the flavour may accept
 * other spellings, DBMail those of dbmail-users -p), or NULL with a
 * sentence naming the ones it has. (transfer none) */
const MwPasswordScheme *mw_schema_lookup_password_scheme (MwSchema *self, const char *name, GError **error);
/* What the flavour stores for @password in @scheme (NULL: the default),
 * hashed with a fresh salt at @rounds (0: the scheme's default cost; see
 * mw_password_hash_with_rounds). *stored_scheme (may be NULL) gets the
 * scheme column's value to store with it, or NULL where the flavour keeps
 * the scheme inside the value. Hashing is slow on purpose: call it off the
 * main thread. Returns: (transfer full): free it with mw_password_free(). */
char                *mw_schema_encode_password (MwSchema *self, const char *scheme, const char *password,
                                                gulong rounds, char **stored_scheme, GError **error);

/* What a login with the security password can do, by value, lowest first;
 * none (*n_actions 0) where the flavour has no security password.
 * Returns: (transfer none) */
const MwSecurityAction *mw_schema_get_security_actions (MwSchema *self, guint *n_actions);
/* The entry of the list above that @value falls under, or NULL. (transfer none) */
const MwSecurityAction *mw_schema_lookup_security_action (MwSchema *self, gint64 value);

MwImportPlan        *mw_schema_import_prepare (MwSchema *self, MwDb *db, GBytes *csv, const MwImportOptions *options,
                                               GCancellable *cancellable, GError **error);
MwImportReport      *mw_schema_import_run     (MwSchema *self, const MwAdmin *admin, MwImportPlan *plan,
                                               const MwImportOptions *options, MwImportProgress progress,
                                               gpointer user_data, GCancellable *cancellable, GError **error);
gboolean             mw_schema_export_csv     (MwSchema *self, MwDb *db, const MwListRequest *request,
                                               GOutputStream *out, guint64 *rows,
                                               GCancellable *cancellable, GError **error);

/* Domains, where mw_schema_can (MW_SCHEMA_CAN_DOMAINS_TABLE); the others
 * fail with MW_SCHEMA_ERROR_REFUSED and a sentence. */
/* The fields of MwDomain this flavour keeps (0 without a domains table). */
MwDomainFields       mw_schema_get_domain_fields (MwSchema *self);
/* A domain by its key or its name (either form, any case). (transfer full) */
MwDomain            *mw_schema_get_domain     (MwSchema *self, MwDb *db, const char *key_or_name,
                                               GCancellable *cancellable, GError **error);
/* Adds the domain @name (Unicode or A-labels; stored lowercase in
 * A-labels) with @settings (nullable); one taken, also in another case, is
 * refused with MW_SCHEMA_ERROR_EXISTS. Returns its key. */
char                *mw_schema_add_domain     (MwSchema *self, const MwAdmin *admin, const char *name,
                                               const MwDomainChange *settings, GError **error);
/* Applies @change in one transaction and returns the change that undoes it. */
MwDomainChange      *mw_schema_update_domain  (MwSchema *self, const MwAdmin *admin, const char *key,
                                               const MwDomainChange *change, GError **error);
/* Deletes the domains (@keys, NULL-terminated) with their mailboxes,
 * aliases and alias domains in one transaction; with admin->dry_run
 * nothing changes and the summary says what would go. */
MwDomainDeleteSummary *mw_schema_delete_domains (MwSchema *self, const MwAdmin *admin, const char *const *keys,
                                                 GError **error);
/* The settings a new domain gets when none are given (PostfixAdmin:
 * config.inc.php's limits and transport), for a form to start from; only
 * the fields named in ->changes are set. (transfer full, never NULL) */
MwDomainChange      *mw_schema_get_domain_defaults (MwSchema *self);

G_END_DECLS
