/* mw-schema.h: which mail schema a database holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"

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
} MwSchemaKind;

typedef struct
{
  MwSchemaKind kind;
  MwDbDriver   driver;
  char        *prefix;
  gint64       schema_version;     /* highest dbmail_upgrade_steps.to_version, 0 when unknown */
  gboolean     has_messageblks;    /* 2.2 storage present (3.x may still hold old mail there) */
  gboolean     has_usermap;
  char        *server_version;
} MwSchemaInfo;

GQuark        mw_schema_error_quark (void);
MwSchemaInfo *mw_schema_detect      (MwDb *db, GCancellable *cancellable, GError **error);
void          mw_schema_info_free   (MwSchemaInfo *info);
char         *mw_schema_info_describe (const MwSchemaInfo *info); /* "DBMail 3.x (schema 35002) on PostgreSQL 15.4" */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSchemaInfo, mw_schema_info_free)

G_END_DECLS
