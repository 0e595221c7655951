/* mw-session-alias-domains.h: the session's wrappers of the alias domain
 * operations (mw-alias-domains.h), where the flavour keeps alias domains
 * (mw_schema_has_alias_domains ()); elsewhere they fail with
 * MW_SCHEMA_ERROR_REFUSED and a sentence. A change that was not a dry run
 * emits "changed" for the alias domains and the domains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-alias-domains.h"
#include "mw-session.h"

G_BEGIN_DECLS

/* _finish: the alias domains (MwAliasDomain) that are @domain or go to it,
 * every one for NULL. (transfer container) */
void           mw_session_list_alias_domains_async       (MwSession *self, const char *domain,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
GPtrArray     *mw_session_list_alias_domains_finish      (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the alias domain's name as stored. (transfer full) */
void           mw_session_add_alias_domain_async         (MwSession *self, const char *alias_domain,
                                                          const char *target_domain, gboolean active,
                                                          gboolean dry_run, GCancellable *cancellable,
                                                          GAsyncReadyCallback callback, gpointer user_data);
char          *mw_session_add_alias_domain_finish        (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the alias domain as it was before. */
void           mw_session_set_alias_domain_active_async  (MwSession *self, const char *alias_domain,
                                                          gboolean active, gboolean dry_run,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
MwAliasDomain *mw_session_set_alias_domain_active_finish (MwSession *self, GAsyncResult *result, GError **error);
/* _finish: the alias domain as it was. */
void           mw_session_delete_alias_domain_async      (MwSession *self, const char *alias_domain,
                                                          gboolean dry_run, GCancellable *cancellable,
                                                          GAsyncReadyCallback callback, gpointer user_data);
MwAliasDomain *mw_session_delete_alias_domain_finish     (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
