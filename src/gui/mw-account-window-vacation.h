/* mw-account-window-vacation.h: the Vacation tab of an account window,
 * where the flavour keeps a vacation reply (mw_schema_can (schema,
 * MW_SCHEMA_CAN_VACATION): PostfixAdmin).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-account-window.h"
#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ACCOUNT_VACATION (mw_account_vacation_get_type ())
G_DECLARE_FINAL_TYPE (MwAccountVacation, mw_account_vacation, MW, ACCOUNT_VACATION, AdwBin)

/* The window's Vacation tab, or NULL where the flavour has none. (transfer none) */
MwAccountVacation *mw_account_window_get_vacation (MwAccountWindow *window);

/* For tests. Loading or saving. */
gboolean    mw_account_vacation_is_busy    (MwAccountVacation *self);
/* What a field shows: "active" ("yes"/"no"), "subject", "body", "from",
 * "until", "interval" (the chosen line's words). */
char       *mw_account_vacation_dup_field  (MwAccountVacation *self, const char *field);
/* Types into a field as a person would: "active" ("yes"/"no"), "subject",
 * "body", "from", "until", "interval" (seconds: MW_VACATION_REPLY_*). */
void        mw_account_vacation_set_field  (MwAccountVacation *self, const char *field, const char *value);
/* The sentence above the form, or NULL. */
const char *mw_account_vacation_get_error  (MwAccountVacation *self);
/* The warning under the dates (the reply would never be sent), or NULL. */
const char *mw_account_vacation_get_warning (MwAccountVacation *self);
/* The text of the last toast, or NULL. */
const char *mw_account_vacation_get_toast  (MwAccountVacation *self);

G_END_DECLS
