/* mw-vmail-common.h: what the ISPmail and PostfixAdmin flavours do alike,
 * private to this folder: list queries (the search, the row estimate, CSV),
 * find's typed text, Dovecot's {SCHEME} password strings, the sentences
 * both say, targets and domain names as both store them.
 *
 * Nothing here knows a table: each flavour expands its own [tables] and
 * passes the SQL (or the rows) in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-schema.h"
#include "mw-dbmail-private.h"   /* MwAdmin */

G_BEGIN_DECLS

/* Lists */

gboolean     _mw_vmail_has_search          (const MwListRequest *request);
/* NULL with "This list cannot be sorted that way." */
MwListQuery *_mw_vmail_bad_sort            (GError **error);
/* The search is UTF-8 of at most 255 bytes, and no group is asked for
 * (@no_groups: the flavour's sentence, translated). */
gboolean     _mw_vmail_check_list_request  (const MwListRequest  *request,
                                            const char           *no_groups,
                                            GError              **error);
/* The search as the tables store domains, lowercase: "bücher" as
 * "xn--bcher-kva", "emil@bücher.ex" as "emil@xn--bcher-kva.ex" (only the
 * domain of an address); NULL when that is the text itself (ASCII, or
 * no valid domain). _mw_vmail_list_finish() binds it as $2 when not NULL.
 * (transfer full) */
char        *_mw_vmail_search_ascii        (const char           *search);
/* "lower(@column) LIKE $1", or with "OR lower(@column) LIKE $2" when the
 * search has a stored form: for columns that hold domains or addresses
 * (_mw_vmail_list_finish () binds $2 only when the query names it).
 * (transfer full) */
char        *_mw_vmail_search_like         (const MwListRequest  *request,
                                            const char           *column);
/* The query over @sql (tables already expanded; transfer full), sorted by @sort_col with
 * @key_col to make it unique, the search as $1 when there is one; without
 * a search, the row count of @estimate_table (under @info's prefix) as the
 * server estimates it, when not NULL. */
MwListQuery *_mw_vmail_list_finish         (const MwSchemaInfo   *info,
                                            char                 *sql,
                                            const char           *sort_col,
                                            const char           *key_col,
                                            const MwListRequest  *request,
                                            const char           *estimate_table);
/* @query's rows as CSV: a header of @info's column ids, then each row's
 * stored values, by keyset pages so that memory stays bounded. */
gboolean     _mw_vmail_export_csv          (const MwListInfo     *info,
                                            MwListQuery          *query,
                                            MwDb                 *db,
                                            GOutputStream        *out,
                                            guint64              *rows,
                                            GCancellable         *cancellable,
                                            GError              **error);

/* Changes */

/* The rows of a change, inside the transaction _mw_vmail_transact() runs it in. */
typedef gboolean (*MwVmailRows) (gpointer data, GError **error);
/* Runs @rows in one transaction of @admin. When the server's unique key
 * refuses a row (another session added the same address between the
 * checks and the INSERT), once more in a new transaction: now the checks
 * see that row and say so as for one that was there before. */
gboolean     _mw_vmail_transact            (const MwAdmin  *admin,
                                            MwVmailRows     rows,
                                            gpointer        data,
                                            GError        **error);

/* Find and accounts */

/* How a flavour looks an address up, for _mw_vmail_find(). Each returns
 * NULL without an error when nothing matches. */
typedef struct
{
  /* The mailbox whose address is @address, as Postfix finds it. */
  MwFound *(*mailbox)          (MwSchema *schema, MwDb *db, const char *address, const char *matched_by,
                                GCancellable *cancellable, GError **error);
  /* The alias rows of @address: the first mailbox they reach, else a forward. */
  MwFound *(*alias)            (MwSchema *schema, MwDb *db, const char *address, const char *matched_by,
                                GCancellable *cancellable, GError **error);
  /* Asked after the alias when not NULL: a mailbox stored in another case. */
  MwFound *(*mailbox_any_case) (MwSchema *schema, MwDb *db, const char *address, const char *matched_by,
                                GCancellable *cancellable, GError **error);
  /* The one mailbox that has the local part @local, in any domain. */
  MwFound *(*local_part)       (MwSchema *schema, MwDb *db, const char *local,
                                GCancellable *cancellable, GError **error);
  /* Asked last when not NULL: the mailbox numbered @number. */
  MwFound *(*number)           (MwSchema *schema, MwDb *db, gint64 number,
                                GCancellable *cancellable, GError **error);
} MwVmailFinders;

/* Find in Postfix's order: a mailbox's address, an alias, the address
 * without its +detail, the domain's catch-all "@domain", then a local part
 * that only one mailbox has (and a mailbox's number). */
MwFound     *_mw_vmail_find                (const MwVmailFinders  *finders,
                                            MwSchema              *schema,
                                            MwDb                  *db,
                                            const char            *text,
                                            GCancellable          *cancellable,
                                            GError               **error);
/* A found mailbox (@key: transfer full) or forward. */
MwFound     *_mw_vmail_found_account       (char        *key,
                                            const char  *name,
                                            const char  *matched_by,
                                            const char  *address);
MwFound     *_mw_vmail_found_forward       (const char  *matched_by,
                                            const char  *address);
/* TRUE when find's answer is a mailbox; else "“%s” is a forward, not a mailbox." */
gboolean     _mw_vmail_found_mailbox       (const MwFound  *found,
                                            const char     *account,
                                            GError        **error);
void         _mw_vmail_account_address_free (gpointer address);
void         _mw_vmail_account_forward_free (gpointer forward);
/* The SHA-256 of @text, which it wipes and frees (it holds a password hash). */
char        *_mw_vmail_fingerprint         (char *text);
/* A new mailbox's password, group and quota (@no_groups as above). */
gboolean     _mw_vmail_check_new_account   (const MwNewAccount  *account,
                                            const char          *no_groups,
                                            GError             **error);
/* A change's password is plain text or a stored value of at most
 * @max_stored characters, its quota not negative. */
gboolean     _mw_vmail_check_password_change (const MwAccountChange  *change,
                                              GError                **error);
gboolean     _mw_vmail_check_change_values (const MwAccountChange  *change,
                                            guint                   max_stored,
                                            GError                **error);
/* MW_SCHEMA_ERROR_NOT_FOUND: no mailbox has @address (shown in Unicode). */
void         _mw_vmail_set_no_mailbox      (GError     **error,
                                            const char  *address);
/* MW_SCHEMA_ERROR_CONFLICT: the account @name changed since it was read. */
void         _mw_vmail_set_changed_error   (GError     **error,
                                            const char  *name);

/* Addresses and domains */

/* MW_SCHEMA_ERROR_EXISTS: “@source” already goes to “@target”, both shown in Unicode. */
void         _mw_vmail_set_already_goes    (GError     **error,
                                            const char  *source,
                                            const char  *target);
/* A forward target as Postfix looks it up: an address (a program refused
 * with @pipe_refusal), folded to lowercase. (transfer full) */
char        *_mw_vmail_normalize_target    (const char  *text,
                                            const char  *pipe_refusal,
                                            GError     **error);
/* A stored domain name as people read it: U-labels where they convert
 * back exactly. (transfer full) */
char        *_mw_vmail_domain_display      (const char *name);
/* A domain name as both store it: lowercase A-labels, at least one dot, at
 * most @max_chars characters; NULL with a sentence otherwise. */
char        *_mw_vmail_normalize_domain    (const char  *text,
                                            guint        max_chars,
                                            GError     **error);

/* Passwords: Dovecot strings with a {SCHEME} prefix */

/* What Mailwarden writes, in the order offered, each with Dovecot's label
 * as its encryption_type ("SHA512-CRYPT"). @schema (unused, may be NULL):
 * the interface's get_password_schemes points here. */
const MwPasswordScheme *_mw_vmail_get_schemes   (MwSchema *schema,
                                                 guint    *n_schemes);
const MwPasswordScheme *_mw_vmail_scheme_by_name (const char *name);
/* Mailwarden's names (and dbmail-users' spellings), or Dovecot's labels
 * with or without braces: "BLF-CRYPT", "{SHA512-CRYPT}". @schema as above
 * (lookup_password_scheme). */
const MwPasswordScheme *_mw_vmail_lookup_scheme (MwSchema    *schema,
                                                 const char  *name,
                                                 GError     **error);
/* "{SHA512-CRYPT}$6$...". (transfer full, mw_password_free) */
char        *_mw_vmail_hash                (const char  *scheme,
                                            const char  *password,
                                            gulong       rounds,
                                            GError     **error);
/* The scheme most of @rows' first column (newest first) is in, as
 * @identify reads each; a tie goes to the newer; sha512-crypt when none. */
const char  *_mw_vmail_pick_scheme         (MwDbResult              *rows,
                                            const MwPasswordScheme *(*identify) (const char *stored));

G_END_DECLS
