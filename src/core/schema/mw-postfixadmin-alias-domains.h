/* mw-postfixadmin-alias-domains.h: the PostfixAdmin flavour's alias
 * domains (MwAliasDomainStore) and its lists of alias domains, vacations
 * and domain admins; for the flavour's files only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-alias-domains.h"
#include "mw-list-info.h"
#include "mw-list-query.h"
#include "mw-postfixadmin-schema.h"

G_BEGIN_DECLS

/* mw-postfixadmin-alias-domains.c: as PostfixAdmin 3.3's AliasdomainHandler writes them. */
void               _mw_postfixadmin_alias_domains_iface_init (MwAliasDomainStoreInterface *iface);

/* mw-postfixadmin-more-lists.c: MW_LIST_ALIAS_DOMAINS, MW_LIST_VACATIONS,
 * MW_LIST_DOMAIN_ADMINS; NULL for the other kinds. */
const MwListInfo  *_mw_postfixadmin_more_list_info  (MwListKind kind);
MwListQuery       *_mw_postfixadmin_more_list_query (MwPostfixadminSchema *self, const MwListRequest *request,
                                                     GError **error);

G_END_DECLS
