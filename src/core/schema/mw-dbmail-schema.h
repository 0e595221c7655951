/* mw-dbmail-schema.h: DBMail (3.x, and 2.2) as an MwSchema.
 *
 * Core only: the GUI and the CLI see an MwSchema (and, through it, an
 * MwMailStore), never this type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-schema.h"

G_BEGIN_DECLS

#define MW_TYPE_DBMAIL_SCHEMA (mw_dbmail_schema_get_type ())
G_DECLARE_FINAL_TYPE (MwDbmailSchema, mw_dbmail_schema, MW, DBMAIL_SCHEMA, GObject)

/* Takes @info (transfer full), what mw_schema_detect() found: the object
 * never changes afterwards, so any thread may use it. */
MwSchema *mw_dbmail_schema_new (MwSchemaInfo *info);

G_END_DECLS
