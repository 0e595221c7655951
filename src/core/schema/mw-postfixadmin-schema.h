/* mw-postfixadmin-schema.h: PostfixAdmin 3.3's tables as an MwSchema.
 *
 * Core only: the GUI and the CLI see an MwSchema, never this type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-schema.h"

G_BEGIN_DECLS

#define MW_TYPE_POSTFIXADMIN_SCHEMA (mw_postfixadmin_schema_get_type ())
G_DECLARE_FINAL_TYPE (MwPostfixadminSchema, mw_postfixadmin_schema, MW, POSTFIXADMIN_SCHEMA, GObject)

/* Takes @info (transfer full), what mw_schema_detect() found; @db is read
 * once for the password scheme the existing rows use. The object never
 * changes afterwards: any thread may use it. */
MwSchema *mw_postfixadmin_schema_new (MwSchemaInfo *info, MwDb *db);

G_END_DECLS
