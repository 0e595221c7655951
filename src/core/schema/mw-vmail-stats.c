/* mw-vmail-stats.c: statistics of the vmail flavour(s) (mw-stats.h); being filled in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-stats"

#include "config.h"

#include "mw-stats-private.h"

void _mw_vmail_stats_placeholder (void);

void
_mw_vmail_stats_placeholder (void)
{
}
