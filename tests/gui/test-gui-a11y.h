/* test-gui-a11y.h: the screen-reader tests, one file per part of the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-test-gui.h"

G_BEGIN_DECLS

/* Each adds its tests with g_test_add*() / mw_test_add_both(). */
void mw_a11y_add_main_window_tests (void);   /* a11y-main-window.c */
void mw_a11y_add_account_tests     (void);   /* a11y-account.c */
void mw_a11y_add_mail_tests        (void);   /* a11y-mail.c */
void mw_a11y_add_dialog_tests      (void);   /* a11y-dialogs.c */
void mw_a11y_add_vmail_tests       (void);   /* a11y-vmail.c: ISPmail and PostfixAdmin */

G_END_DECLS
