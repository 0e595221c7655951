/* mw-session-filters.h: the session's wrappers of the server-side filter
 * operations (mw-filters.h), where the flavour keeps them
 * (mw_schema_has_filters ()); elsewhere they fail with
 * MW_SCHEMA_ERROR_REFUSED and a sentence. A change that was not a dry run
 * emits "changed" for MW_LIST_FILTERS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-filters.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* _finish: the rules (MwFilter, by id) of the account (key or name), the
 * global ones (of `anyone`) for NULL. (transfer container) */
void       mw_session_list_filters_async   (MwSession *self, const char *account_key,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
GPtrArray *mw_session_list_filters_finish  (MwSession *self, GAsyncResult *result, GError **error);
/* Adds @filter for the account, or for everybody when @account_key is
 * NULL; _finish: the rule as stored (with its id; 0 in a dry run). */
void       mw_session_add_filter_async     (MwSession *self, const char *account_key, const MwFilter *filter,
                                            gboolean dry_run, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
MwFilter  *mw_session_add_filter_finish    (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the rule as it was. */
void       mw_session_delete_filter_async  (MwSession *self, gint64 id, gboolean dry_run,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
MwFilter  *mw_session_delete_filter_finish (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
