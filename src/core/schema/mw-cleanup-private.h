/* mw-cleanup-private.h: what the flavours' cleanup files share, and their
 * interface setup for the schema classes. For src/core/schema only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-cleanup.h"

G_BEGIN_DECLS

/* mw-dbmail-cleanup.c: every step. */
void              _mw_dbmail_cleanup_iface_init (MwCleanupStoreInterface *iface);
/* mw-vmail-cleanup.c: ISPmail and PostfixAdmin, vacuum only. */
void              _mw_vmail_cleanup_iface_init  (MwCleanupStoreInterface *iface);

/* VACUUM ANALYZE / OPTIMIZE TABLE of the base tables named LIKE @pattern,
 * a table at a time, outside transactions, one audit entry. */
MwCleanupPreview *_mw_cleanup_vacuum_preview (MwDb *db, const char *pattern, guint n_samples,
                                              GCancellable *cancellable, GError **error);
MwCleanupResult  *_mw_cleanup_vacuum         (const MwAdmin *admin, const char *pattern,
                                              MwCleanupProgress progress, gpointer user_data,
                                              GCancellable *cancellable, GError **error);

G_END_DECLS
