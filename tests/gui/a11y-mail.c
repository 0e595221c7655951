/* a11y-mail.c: screen-reader names (see test-gui-a11y.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "mailwarden-core.h"
#include "test-gui-a11y.h"

void
mw_a11y_add_mail_tests (void)
{
}
