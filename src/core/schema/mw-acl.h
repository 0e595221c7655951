/* mw-acl.h: sharing folders between accounts (IMAP ACLs, RFC 4314), public
 * folders, and the optional interface of a schema that keeps them (DBMail:
 * its acl table, and the accounts "anyone" and "__public__").
 *
 * A flavour without sharing does not implement MwAclStore;
 * mw_schema_has_sharing () says whether it does, and the mw_schema_*()
 * functions below refuse with a sentence where it does not. They run on a
 * worker; the GUI and the CLI use the session's wrappers
 * (mw-session-acl.h).
 *
 * Folders are named by the mailbox keys of the mail store (mw-mail-store.h);
 * grantees by their login name, or "anyone" for everybody. A folder is
 * written for people the way the grantee's mail program shows it:
 * "#Public/<name>" for a public folder, "#Users/<owner>/<name>" for another
 * account's folder (mw_schema_find_shared_folder () reads that form back).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* The 11 rights of RFC 4314, in DBMail's order. */
typedef enum
{
  MW_RIGHT_LOOKUP     = 1 << 0,   /* l: see the folder in the folder list */
  MW_RIGHT_READ       = 1 << 1,   /* r: open it and read its messages */
  MW_RIGHT_SEEN       = 1 << 2,   /* s: keep the "seen" flag */
  MW_RIGHT_WRITE      = 1 << 3,   /* w: set the other flags and keywords */
  MW_RIGHT_INSERT     = 1 << 4,   /* i: put messages in (copy, append) */
  MW_RIGHT_POST       = 1 << 5,   /* p: send mail to it */
  MW_RIGHT_CREATE     = 1 << 6,   /* k: create folders inside it (RFC 2086 'c') */
  MW_RIGHT_DELETE     = 1 << 7,   /* x: delete the folder itself */
  MW_RIGHT_DELETED    = 1 << 8,   /* t: mark messages deleted */
  MW_RIGHT_EXPUNGE    = 1 << 9,   /* e: expunge deleted messages */
  MW_RIGHT_ADMINISTER = 1 << 10,  /* a: change who may do what */
} MwRight;

/* A set of MwRight bits. */
typedef guint MwRights;

#define MW_N_RIGHTS          11
#define MW_RIGHTS_NONE       0u
#define MW_RIGHTS_READ_ONLY  (MW_RIGHT_LOOKUP | MW_RIGHT_READ | MW_RIGHT_SEEN)
#define MW_RIGHTS_READ_WRITE (MW_RIGHTS_FULL & ~(MwRights) MW_RIGHT_ADMINISTER)
#define MW_RIGHTS_FULL       ((MwRights) ((1u << MW_N_RIGHTS) - 1))
/* What a read-only folder (DBMail: permission 1) refuses everybody, its
 * owner too: all but l and r. */
#define MW_RIGHTS_NEED_WRITABLE (MW_RIGHTS_FULL & ~(MwRights) (MW_RIGHT_LOOKUP | MW_RIGHT_READ))

/* The right at @index (0 .. MW_N_RIGHTS - 1), its letter ('l') and its
 * translated short label ("See the folder"). */
MwRight     mw_right_nth        (guint index);
char        mw_right_letter     (MwRight right);
const char *mw_right_label      (MwRight right);

/* "lrs" -> the set; RFC 2086's 'c' means k and 'd' means x, t and e (as
 * DBMail reads them). Spaces are ignored; "" is no rights. Unknown letters
 * fail with MW_SCHEMA_ERROR_INVALID and a sentence that names them. */
gboolean    mw_rights_from_letters (const char *letters, MwRights *rights, GError **error);
/* The letters in RFC 4314 order ("lrswipkxtea"), "" for none. (transfer full) */
char       *mw_rights_to_letters   (MwRights rights);
/* Translated plain words: "see the folder, read, keep seen flags"; "no
 * rights" for none. (transfer full) */
char       *mw_rights_describe     (MwRights rights);
/* "read-only", "read-write", "full": the preset's rights; FALSE for any
 * other name. */
gboolean    mw_rights_from_preset  (const char *name, MwRights *rights);
/* The preset's name when @rights is exactly one, else NULL. */
const char *mw_rights_preset_name  (MwRights rights);
/* A preset name or letters (the CLI's RIGHTS argument). */
gboolean    mw_rights_parse        (const char *text, MwRights *rights, GError **error);

/* One folder and one grantee's rights on it. A folder without any row is
 * listed once (by mw_schema_list_account_folders ()) with grantee NULL and
 * rights 0. */
typedef struct
{
  char     *mailbox_key;    /* the mail store's key of the folder */
  char     *mailbox;        /* its name as stored (IMAP modified UTF-7), "INBOX/Team" */
  char     *display_name;   /* the name decoded (UTF-8), "INBOX/Équipe" */
  char     *owner_key;      /* the owner's account key; NULL for a public folder */
  char     *owner;          /* the owner's login name; "__public__" for a public folder */
  char     *shown_as;       /* how the grantee sees it: "#Public/Team", "#Users/alice@example.com/Team" */
  gboolean  is_public;
  char     *grantee;        /* (nullable): a login name, or "anyone" */
  char     *grantee_key;    /* (nullable): its account key; NULL for "anyone" */
  MwRights  rights;
} MwAclEntry;

MwAclEntry *mw_acl_entry_new  (void);
MwAclEntry *mw_acl_entry_copy (const MwAclEntry *entry);
void        mw_acl_entry_free (MwAclEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwAclEntry, mw_acl_entry_free)

/* The accounts sharing needs (DBMail's seed rows). */
typedef enum
{
  MW_SPECIAL_USER_ANYONE = 1 << 0,   /* grants to everybody */
  MW_SPECIAL_USER_PUBLIC = 1 << 1,   /* owns the public folders */
} MwSpecialUsers;

#define MW_TYPE_ACL_STORE (mw_acl_store_get_type ())
G_DECLARE_INTERFACE (MwAclStore, mw_acl_store, MW, ACL_STORE, GObject)

struct _MwAclStoreInterface
{
  GTypeInterface parent_iface;

  GPtrArray      *(*list_account_folders)  (MwAclStore *self, MwDb *db, const char *account_key,
                                            GCancellable *cancellable, GError **error);
  GPtrArray      *(*list_shared_with)      (MwAclStore *self, MwDb *db, const char *account_key,
                                            GCancellable *cancellable, GError **error);
  GPtrArray      *(*list_folder_acl)       (MwAclStore *self, MwDb *db, const char *mailbox_key,
                                            GCancellable *cancellable, GError **error);
  char           *(*find_shared_folder)    (MwAclStore *self, MwDb *db, const char *folder,
                                            GCancellable *cancellable, GError **error);
  gboolean        (*get_effective_rights)  (MwAclStore *self, MwDb *db, const char *mailbox_key,
                                            const char *user, MwRights *rights,
                                            GCancellable *cancellable, GError **error);
  gboolean        (*set_rights)            (MwAclStore *self, const MwAdmin *admin, const char *mailbox_key,
                                            const char *grantee, MwRights rights, MwRights *before,
                                            GError **error);
  MwSpecialUsers  (*missing_special_users) (MwAclStore *self, MwDb *db, GCancellable *cancellable,
                                            GError **error);
  gboolean        (*create_special_users)  (MwAclStore *self, const MwAdmin *admin, MwSpecialUsers which,
                                            GError **error);
  char           *(*create_public_folder)  (MwAclStore *self, const MwAdmin *admin, const char *name,
                                            GError **error);
  gboolean        (*delete_public_folder)  (MwAclStore *self, const MwAdmin *admin, const char *name,
                                            GError **error);
};

/* Whether the flavour keeps shared folders (DBMail). */
gboolean        mw_schema_has_sharing               (MwSchema *self);

/* Every folder the account owns (MwAclEntry, by name, then grantee): one
 * entry per grantee, or one with grantee NULL for a folder shared with
 * nobody. (transfer container) */
GPtrArray      *mw_schema_list_account_folders      (MwSchema *self, MwDb *db, const char *account_key,
                                                     GCancellable *cancellable, GError **error);
/* The rows that let the account into other accounts' folders and public
 * folders: its own rows and those for "anyone" (MwAclEntry, by shown_as).
 * (transfer container) */
GPtrArray      *mw_schema_list_shared_with          (MwSchema *self, MwDb *db, const char *account_key,
                                                     GCancellable *cancellable, GError **error);
/* The rows of one folder (MwAclEntry, by grantee). (transfer container) */
GPtrArray      *mw_schema_list_folder_acl           (MwSchema *self, MwDb *db, const char *mailbox_key,
                                                     GCancellable *cancellable, GError **error);
/* The key of the folder written "#Public/<name>" or "#Users/<owner>/<name>"
 * (UTF-8 names), or NULL with MW_SCHEMA_ERROR_NOT_FOUND and a sentence.
 * (transfer full) */
char           *mw_schema_find_shared_folder        (MwSchema *self, MwDb *db, const char *folder,
                                                     GCancellable *cancellable, GError **error);
/* What @user (a login name) may do in the folder, as DBMail 3.5 decides it:
 * the owner may do everything; anyone else gets its own row's rights, or
 * else the rights of the row for "anyone"; a read-only folder then takes
 * away MW_RIGHTS_NEED_WRITABLE from everybody. */
gboolean        mw_schema_get_effective_rights      (MwSchema *self, MwDb *db, const char *mailbox_key,
                                                     const char *user, MwRights *rights,
                                                     GCancellable *cancellable, GError **error);
/* Gives @grantee (a login name or "anyone") exactly @rights on the folder;
 * MW_RIGHTS_NONE takes its row away. *before (nullable) gets what it had,
 * to undo with. The owner, DBMail's delivery account and "__public__" are
 * refused with a sentence. One transaction, in the audit log. */
gboolean        mw_schema_set_rights                (MwSchema *self, const MwAdmin *admin, const char *mailbox_key,
                                                     const char *grantee, MwRights rights, MwRights *before,
                                                     GError **error);
/* mw_schema_set_rights () with MW_RIGHTS_NONE. */
gboolean        mw_schema_revoke_rights             (MwSchema *self, const MwAdmin *admin, const char *mailbox_key,
                                                     const char *grantee, MwRights *before, GError **error);
/* Which of the special accounts are missing (0: none). */
MwSpecialUsers  mw_schema_missing_special_users     (MwSchema *self, MwDb *db, GCancellable *cancellable,
                                                     GError **error);
/* Creates the missing ones of @which exactly as DBMail's schema files seed
 * them. Call it only when the person agreed to. One transaction. */
gboolean        mw_schema_create_special_users      (MwSchema *self, const MwAdmin *admin, MwSpecialUsers which,
                                                     GError **error);
/* Creates the public folder "#Public/<name>" (@name in UTF-8, with or
 * without "#Public/", nested with '/'; its parents too). Refuses when
 * "__public__" is missing. Returns its mailbox key. (transfer full) */
char           *mw_schema_create_public_folder      (MwSchema *self, const MwAdmin *admin, const char *name,
                                                     GError **error);
/* Deletes an empty public folder that holds no other folder, with its rows. */
gboolean        mw_schema_delete_public_folder      (MwSchema *self, const MwAdmin *admin, const char *name,
                                                     GError **error);

G_END_DECLS
