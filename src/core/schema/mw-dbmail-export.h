/* mw-dbmail-export.h: exporting users, aliases and forwards as CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-dbmail.h"

G_BEGIN_DECLS

/* Writes the list (kind users, aliases or forwards, with its search, group
 * and sort) as CSV, comma separated, CRLF, with a header line, paging with
 * the list's keyset so memory stays bounded. Columns:
 *   users:    name number group quota used last_login encryption_type active aliases
 *   aliases:  alias deliver_to user group
 *   forwards: alias target owner group
 * Never a password. rows (optional) gets the number of records written. */
gboolean        mw_dbmail_export_csv   (MwDb                  *db,
                                        const MwListRequest   *request,
                                        GOutputStream         *out,
                                        guint64               *rows,
                                        GCancellable          *cancellable,
                                        GError               **error);

G_END_DECLS
