/* mw-dbmail-usermap.h: the DBMail flavour's login maps (mw-dbmail-usermap.c),
 * for mw-dbmail-schema.c. Core only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-dbmail.h"
#include "mw-usermap.h"

G_BEGIN_DECLS

void         _mw_dbmail_usermap_iface_init (MwLoginMapStoreInterface *iface);
/* The Login Maps list; empty while the table is not there. */
MwListQuery *_mw_dbmail_login_maps_query   (MwSchema *schema, const MwListRequest *request, GError **error);
/* A row's key, as mw_schema_update/delete_login_map take it. (transfer full) */
char        *_mw_dbmail_login_map_row_key  (MwRecord *record);

G_END_DECLS
