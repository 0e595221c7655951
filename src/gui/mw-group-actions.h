/* mw-group-actions.h: what an admin does to a whole group: a new domain for all, or delete it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

/* group -1: the question asks for the group number too. */

/* Asks for a domain, shows the aliases it would create (a dry run), then
 * creates them in one transaction. */
void mw_group_add_domain (GtkWindow *parent, MwSession *session, gint64 group);
/* Shows what goes (a dry run), then deletes every user of the group in one
 * transaction. */
void mw_group_delete     (GtkWindow *parent, MwSession *session, gint64 group);

/* For tests: the dialog on screen for parent, or NULL; a toast or error text
 * once the last step ended. */
AdwMessageDialog *mw_group_actions_get_dialog (GtkWindow *parent);
const char       *mw_group_actions_get_result (GtkWindow *parent);

G_END_DECLS
