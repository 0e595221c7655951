/* mw-dbmail-replies.h: the DBMail flavour's notifications, auto-replies
 * (mw-dbmail-replies.c) and server-side filters (mw-dbmail-filters.c): the
 * interfaces' functions, for mw-dbmail-schema.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-filters.h"
#include "mw-list-query.h"
#include "mw-replies.h"

G_BEGIN_DECLS

void _mw_dbmail_replies_iface_init (MwReplyStoreInterface *iface);
void _mw_dbmail_filters_iface_init (MwFilterStoreInterface *iface);

/* The query of the Filters list (MW_LIST_FILTERS): every row, with its user. */
MwListQuery *_mw_dbmail_filters_query (MwSchema *schema, const MwListRequest *request, GError **error);

G_END_DECLS
