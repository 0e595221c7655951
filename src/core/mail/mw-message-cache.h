/* mw-message-cache.h: the values DBMail 3.5 caches beside a message's rows: header cache, envelope, references.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gmime/gmime.h>

G_BEGIN_DECLS

/* One dbmail_headervalue row and the header name it is cached under. */
typedef struct
{
  char *name;        /* lower case: one of DBMail's twelve cached names */
  char *value;       /* whole; the database may cut it (a MySQL TEXT holds 64 KiB) */
  char *sortfield;   /* at most 254 characters */
  char *datefield;   /* "YYYY-MM-DD 00:00:00", or NULL */
} MwHeaderCacheItem;

typedef struct
{
  GPtrArray *header_cache;   /* MwHeaderCacheItem, in the order DBMail caches them; repeats kept */
  char      *envelope;       /* the IMAP ENVELOPE */
  GPtrArray *references;     /* char *: ids of References and In-Reply-To, in order, repeats kept */
} MwMessageCache;

/* The header names every DBMail program registers at start-up; with the
 * default header_cache_readonly only these are cached. */
const char *const *mw_message_cache_names (guint *n_names);

/* The cache DBMail's writer derives from object, the message (or part)
 * GMime read; object NULL when GMime could read nothing. internal_date
 * stands in for a missing Date: header. (transfer full) */
MwMessageCache    *mw_message_cache_new   (GMimeObject *object,
                                           GDateTime   *internal_date);
void               mw_message_cache_free  (MwMessageCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwMessageCache, mw_message_cache_free)

G_END_DECLS
