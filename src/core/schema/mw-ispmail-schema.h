/* mw-ispmail-schema.h: the ISPmail tutorial's virtual_* tables as an MwSchema.
 *
 * Core only: the GUI and the CLI see an MwSchema, never this type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-schema.h"

G_BEGIN_DECLS

#define MW_TYPE_ISPMAIL_SCHEMA (mw_ispmail_schema_get_type ())
G_DECLARE_FINAL_TYPE (MwIspmailSchema, mw_ispmail_schema, MW, ISPMAIL_SCHEMA, GObject)

/* Takes @info (transfer full), what mw_schema_detect() found; @db is read
 * once for the password scheme the existing rows use (the default for new
 * passwords). The object never changes afterwards: any thread may use it. */
MwSchema *mw_ispmail_schema_new (MwSchemaInfo *info, MwDb *db);

G_END_DECLS
