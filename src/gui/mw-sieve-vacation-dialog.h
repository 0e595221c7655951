/* mw-sieve-vacation-dialog.h: the Sieve vacation editor of an account's
 * Rules tab (flavours with Sieve scripts: DBMail).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_SIEVE_VACATION_DIALOG (mw_sieve_vacation_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MwSieveVacationDialog, mw_sieve_vacation_dialog, MW, SIEVE_VACATION_DIALOG, AdwWindow)

/* The editor of the account's vacation script (MW_SIEVE_VACATION_NAME): it
 * reads the script back through the core and fills the form, or starts
 * empty with @addresses (the user's own, may be NULL) when there is none.
 * Save writes it through the core (checked by the Sieve compiler), then
 * emits "saved" with the script as it was before (MwSieveScript, transfer
 * none) and closes. */
MwSieveVacationDialog *mw_sieve_vacation_dialog_new (MwSession          *session,
                                                     const char         *account_key,
                                                     const char * const *addresses);

/* For tests: reading or saving. */
gboolean    mw_sieve_vacation_dialog_is_busy   (MwSieveVacationDialog *self);
/* For tests: the sentence above the form, or NULL. */
const char *mw_sieve_vacation_dialog_get_error (MwSieveVacationDialog *self);
/* For tests, what a field shows and typing into it as a person would:
 * "subject", "body", "start", "stop", "days", "addresses" (one a line),
 * "activate" ("yes"/"no"). */
char       *mw_sieve_vacation_dialog_dup_field (MwSieveVacationDialog *self, const char *field);
void        mw_sieve_vacation_dialog_set_field (MwSieveVacationDialog *self, const char *field, const char *value);

G_END_DECLS
