/* mw-dbmail-sieve.h: the DBMail flavour's Sieve scripts (its sievescripts
 * table), private to src/core/schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-sieve.h"

G_BEGIN_DECLS

void _mw_dbmail_sieve_iface_init (MwSieveStoreInterface *iface);

G_END_DECLS
