/* mw-health-private.h: what the flavours' health checks share (mw-health.c,
 * mw-health-password.c, mw-health-domains.c); for src/core/schema only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-health.h"

G_BEGIN_DECLS

void _mw_dbmail_health_iface_init       (MwHealthStoreInterface *iface);
void _mw_ispmail_health_iface_init      (MwHealthStoreInterface *iface);
void _mw_postfixadmin_health_iface_init (MwHealthStoreInterface *iface);

G_END_DECLS
