/* mw-core.h: once-per-process set-up of the core library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Registers the core's resources (schema files) and its translations. Safe to
 * call any number of times, from any thread. */
void mw_core_init (void);

G_END_DECLS
