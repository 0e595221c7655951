/* mw-imap-utf7.h: IMAP modified UTF-7 mailbox names (RFC 3501 5.1.3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "&AMk-t&AOk-" -> "Été". A malformed name is returned unchanged. */
char *mw_imap_utf7_decode (const char *name);
/* "Été" -> "&AMk-t&AOk-" */
char *mw_imap_utf7_encode (const char *name);

G_END_DECLS
