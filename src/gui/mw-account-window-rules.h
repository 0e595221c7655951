/* mw-account-window-rules.h: the Rules tab of an account window, where the
 * flavour keeps Sieve scripts or server-side filters
 * (mw_schema_has_sieve (), mw_schema_has_filters (): DBMail).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mw-account-window.h"
#include "mw-sieve-vacation-dialog.h"
#include "mailwarden-core.h"

G_BEGIN_DECLS

#define MW_TYPE_ACCOUNT_RULES (mw_account_rules_get_type ())
G_DECLARE_FINAL_TYPE (MwAccountRules, mw_account_rules, MW, ACCOUNT_RULES, AdwBin)

/* Adds the tab to @window where the flavour has Sieve scripts or filters;
 * it reads them on a worker the first time it is shown. */
void            _mw_account_window_init_rules (MwAccountWindow *window);

/* The window's Rules tab, or NULL where the flavour has none. (transfer none) */
MwAccountRules *mw_account_window_get_rules   (MwAccountWindow *window);

/* For tests: reading, or writing a change (or its Undo). */
gboolean    mw_account_rules_is_busy       (MwAccountRules *self);
/* For tests: whether the rules were read once. */
gboolean    mw_account_rules_is_loaded     (MwAccountRules *self);
/* For tests: what the rows of a group say, "scripts", "filters" or
 * "global", one string a row: "title: subtitle". */
GStrv       mw_account_rules_dup_rows      (MwAccountRules *self, const char *group);
/* For tests: as if the file chooser of Upload… gave a file called
 * @file_name holding @text: the question naming the script opens. */
void        mw_account_rules_upload_text   (MwAccountRules *self, const char *file_name, const char *text);
/* For tests: the question shown (upload, Add Filter, a delete
 * confirmation), or NULL. (transfer none) */
AdwMessageDialog      *mw_account_rules_get_question         (MwAccountRules *self);
/* For tests: the window showing a script, or NULL, and its text. */
GtkWindow             *mw_account_rules_get_viewer           (MwAccountRules *self);
char                  *mw_account_rules_dup_viewer_text      (MwAccountRules *self);
/* For tests: the vacation editor while it is open, or NULL. */
MwSieveVacationDialog *mw_account_rules_get_vacation_dialog  (MwAccountRules *self);
/* For tests: the sentence above the rules, or NULL. */
const char            *mw_account_rules_get_error            (MwAccountRules *self);
/* For tests: the text of the last toast, or NULL, and the toast itself
 * while it offers Undo. */
const char            *mw_account_rules_get_toast            (MwAccountRules *self);
AdwToast              *mw_account_rules_get_undo_toast       (MwAccountRules *self);

G_END_DECLS
