/* mw-dbmail-acl.h: DBMail's side of sharing (mw-dbmail-acl.c), for
 * mw-dbmail-schema.c only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-acl.h"
#include "mw-list-query.h"

G_BEGIN_DECLS

void         _mw_dbmail_acl_iface_init (MwAclStoreInterface *iface);

/* The Sharing list (MW_LIST_SHARING): one row per row of dbmail_acl. */
MwListQuery *_mw_dbmail_sharing_query  (MwSchema *schema, const MwListRequest *request, GError **error);

G_END_DECLS
