/* mw-vmail-last-login.h: Dovecot's last-login table, when an ISPmail or a
 * PostfixAdmin database has one (its last_login plugin through an SQL
 * dict, the documented map: last_login (userid, last_login in Unix
 * seconds)). Private to this folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-schema.h"

G_BEGIN_DECLS

/* The list's text for a mailbox without a row: sorts first, shown as "never". */
#define MW_VMAIL_NEVER_LOGGED_IN "1970-01-01 00:00:00"

/* TRUE when the database has the table in the documented shape: "userid"
 * text and "last_login" an integer. */
gboolean          _mw_vmail_detect_last_login (MwDb *db);
/* An SQL expression: the last login of the mailbox whose address is
 * @user_column, as "YYYY-MM-DD HH:MM:SS" in the session's time zone, or
 * MW_VMAIL_NEVER_LOGGED_IN. (transfer full) */
char             *_mw_vmail_last_login_sql    (MwDbDriver  driver,
                                               const char *user_column);
/* ", <that> AS last_login" for a SELECT list when @present, else "". (transfer full) */
char             *_mw_vmail_last_login_select (gboolean    present,
                                               MwDbDriver  driver,
                                               const char *user_column);
/* @info (a Mailboxes list) with a sortable "Last Login" column (source
 * "last_login") after "used", or last. Made once per @info. */
const MwListInfo *_mw_vmail_with_last_login   (const MwListInfo *info);
/* The last login of @user, NULL when none (or on an error, then set). */
GDateTime        *_mw_vmail_read_last_login   (MwDb          *db,
                                               const char    *user,
                                               GCancellable  *cancellable,
                                               GError       **error);

G_END_DECLS
