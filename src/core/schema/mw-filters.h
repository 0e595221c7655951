/* mw-filters.h: server-side filing rules, and the optional interface of a
 * schema that keeps them (DBMail: dbmail_filters, see its
 * doc/README.filters). A rule files a new message into a mailbox when one
 * of its headers matches: the header's name (lowercase), and a value
 * compared as a case-insensitive SQL LIKE pattern ('%' any text, '_' any
 * one character). Rules of the special user `anyone` apply to everybody
 * (global rules).
 *
 * A flavour without them does not implement MwFilterStore;
 * mw_schema_has_filters () says whether it does, and the mw_schema_*()
 * functions refuse with a sentence where it does not. They run on a worker;
 * the GUI and the CLI use the session's wrappers (mw-session-filters.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* What DBMail's columns hold (PostgreSQL's, the narrower), in characters;
 * the mailbox as stored, in modified UTF-7. */
#define MW_FILTER_HEADER_NAME_MAX  128
#define MW_FILTER_HEADER_VALUE_MAX 255
#define MW_FILTER_MAILBOX_MAX      100

typedef struct
{
  gint64    id;            /* the row's number; 0 in a new one */
  gboolean  global;        /* a rule of `anyone`, for everybody */
  char     *user;          /* the owner's login name ("anyone" when global); read only */
  char     *header_name;   /* lowercase, without ':' */
  char     *header_value;  /* a LIKE pattern */
  char     *mailbox;       /* the folder, in Unicode ("Archiv/Büro"); stored in modified UTF-7 */
} MwFilter;

MwFilter *mw_filter_new  (void);
MwFilter *mw_filter_copy (const MwFilter *filter);
void      mw_filter_free (MwFilter *filter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwFilter, mw_filter_free)

/* Checks and normalizes in place what no flavour can store: a header name
 * empty, with ':' or blanks, not ASCII or too long (lowercases it); an
 * empty or too long value, invalid UTF-8; a mailbox name that is not a
 * plausible folder name (empty, starting or ending with '/', "//", control
 * characters, too long once encoded). */
gboolean  mw_filter_check (MwFilter *filter, GError **error);

#define MW_TYPE_FILTER_STORE (mw_filter_store_get_type ())
G_DECLARE_INTERFACE (MwFilterStore, mw_filter_store, MW, FILTER_STORE, GObject)

struct _MwFilterStoreInterface
{
  GTypeInterface parent_iface;

  GPtrArray *(*list_filters)  (MwFilterStore *self, MwDb *db, const char *account_key,
                               GCancellable *cancellable, GError **error);
  MwFilter  *(*add_filter)    (MwFilterStore *self, const MwAdmin *admin, const char *account_key,
                               const MwFilter *filter, GError **error);
  MwFilter  *(*delete_filter) (MwFilterStore *self, const MwAdmin *admin, gint64 id, GError **error);
};

/* Whether the flavour keeps server-side filters (DBMail). */
gboolean   mw_schema_has_filters   (MwSchema *self);

/* The rules (MwFilter, by id) of the account (key, or name:
 * mw_schema_resolve_account); the global ones (of `anyone`) when
 * @account_key is NULL. (transfer container) */
GPtrArray *mw_schema_list_filters  (MwSchema *self, MwDb *db, const char *account_key,
                                    GCancellable *cancellable, GError **error);
/* Adds @filter (checked with mw_filter_check first; its id and user are
 * ignored) for the account, or for everybody when @account_key is NULL.
 * One transaction, audit-logged. Returns the rule as stored, with its id. */
MwFilter  *mw_schema_add_filter    (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                    const MwFilter *filter, GError **error);
/* Deletes the rule numbered @id; returns it as it was, to undo with. */
MwFilter  *mw_schema_delete_filter (MwSchema *self, const MwAdmin *admin, gint64 id, GError **error);

G_END_DECLS
