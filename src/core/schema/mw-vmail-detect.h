/* mw-vmail-detect.h: recognise the Postfix/Dovecot virtual-mail schemas
 * (ISPmail, PostfixAdmin) for mw_schema_detect(); private to src/core/schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-schema.h"

G_BEGIN_DECLS

/* Looks for ISPmail's or PostfixAdmin's tables under any prefix. Returns the
 * info of the one found; %NULL with @error set when one is there but
 * incomplete, closed to this user or unreadable; %NULL without an error when
 * neither is there, with the database's table names (sorted) in
 * @found_tables for the caller's sentence. */
MwSchemaInfo *_mw_vmail_detect            (MwDb           *db,
                                           const char     *profile_prefix,
                                           GStrv          *found_tables,
                                           GCancellable   *cancellable,
                                           GError        **error);

/* "This database has the tables a, b, c but no mail schema Mailwarden knows ..." */
void          _mw_vmail_set_unknown_error (const char *const *found_tables,
                                           const char         *dbmail_prefix,
                                           GError            **error);

/* "PostfixAdmin 3.3 (schema 1847) on PostgreSQL 15.18" */
char         *_mw_vmail_describe          (const MwSchemaInfo *info);

/* What mw_schema_open() says until these flavours can be managed. */
void          _mw_vmail_set_cannot_manage_error (const MwSchemaInfo  *info,
                                                 GError             **error);

G_END_DECLS
