/* mw-dbmail-import.h: importing users from CSV.
 *
 * The CSV's first line names the columns (case-insensitive, any order):
 *
 *   name (or userid)   required
 *   password           plain text, hashed with the line's scheme or the default one
 *   scheme             a scheme name of mw-password (sha512-crypt, md5-crypt, ...)
 *   passwd             an already hashed value, stored as it is ...
 *   encryption_type    ... with this type ('', crypt, md5, md5sum, sha1, ...)
 *   quota              bytes, or 500M, 2G (powers of 1024); 0 or "unlimited" = no limit
 *   group              client_idnr
 *   aliases            several, separated by spaces, commas or semicolons
 *
 * The columns the users export writes and an import has no use for (number,
 * used, last_login, active) are accepted and ignored, so an export reads
 * back; so is encryption_type without passwd. Any other column is an error
 * for the whole file. A line without password or passwd is refused unless
 * the options ask to generate passwords.
 *
 * Each created user gets exactly the rows mw_dbmail_add_user writes: the
 * users row, its aliases (deliver_to = its number, client_idnr = its group)
 * and its INBOX.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-dbmail-admin.h"
/* The export writes what an import reads back: its callers are mostly the
 * import's too. */
#include "mw-dbmail-export.h"
#include "mw-import.h"

G_BEGIN_DECLS

/* MwImportOptions, MwImportUser (account_key set once created),
 * MwImportPlan, MwImportReport: mw-import.h. */

/* Reads the CSV and checks every line against the database (a few queries
 * per 500 lines, not one per line). Writes nothing. Fails only for the file
 * as a whole (no name column, an unknown column, no lines, unreadable header,
 * a query that failed); the lines' problems are in plan->errors. */
MwImportPlan   *mw_dbmail_import_prepare (MwDb                  *db,
                                          GBytes                *csv,
                                          const MwImportOptions *options,
                                          GCancellable          *cancellable,
                                          GError               **error);

/* Creates the plan's users: passwords hashed on worker threads while this
 * thread inserts batches, one transaction each. A batch that fails is rolled
 * back and its users are tried one at a time, so only the offending lines
 * are refused. Cancelling stops after the current batch. One audit entry
 * "user.import" per batch, with the names. With admin->dry_run nothing is
 * written and the report only has the plan's errors. Fails (returns NULL)
 * when the connection is lost; what was committed stays. */
MwImportReport *mw_dbmail_import_run   (const MwAdmin         *admin,
                                        MwImportPlan          *plan,
                                        const MwImportOptions *options,
                                        MwImportProgress       progress,
                                        gpointer               user_data,
                                        GCancellable          *cancellable,
                                        GError               **error);

G_END_DECLS
