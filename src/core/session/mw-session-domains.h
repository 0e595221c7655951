/* mw-session-domains.h: the session's wrappers of the schema's domain
 * operations (mw_schema_get_domain ...), where the flavour has a table of
 * domains (mw_schema_can (schema, MW_SCHEMA_CAN_DOMAINS_TABLE)); elsewhere
 * they fail with MW_SCHEMA_ERROR_REFUSED and a sentence. A change that was
 * not a dry run emits "changed" for the domains and the lists it moved
 * (mailboxes, aliases, forwards).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-session.h"

G_BEGIN_DECLS

/* A domain by key or name (either form, any case). */
void        mw_session_get_domain_async     (MwSession *self, const char *key_or_name, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
MwDomain   *mw_session_get_domain_finish    (MwSession *self, GAsyncResult *result, GError **error);
/* @settings (nullable). The new domain's key comes back from _finish. */
void        mw_session_add_domain_async     (MwSession *self, const char *name, const MwDomainChange *settings,
                                             gboolean dry_run, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
char       *mw_session_add_domain_finish    (MwSession *self, GAsyncResult *result, GError **error);
/* _finish gives the change that undoes it. */
void        mw_session_update_domain_async  (MwSession *self, const char *key, const MwDomainChange *change,
                                             gboolean dry_run, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
MwDomainChange *mw_session_update_domain_finish (MwSession *self, GAsyncResult *result, GError **error);
/* @keys NULL-terminated; with @dry_run only the summary of what would go. */
void        mw_session_delete_domains_async (MwSession *self, const char *const *keys, gboolean dry_run,
                                             GCancellable *cancellable, GAsyncReadyCallback callback,
                                             gpointer user_data);
MwDomainDeleteSummary *mw_session_delete_domains_finish (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
