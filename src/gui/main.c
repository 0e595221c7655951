/* main.c: mailwarden entry point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mw-application.h"
#include "mailwarden-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MwApplication) app = NULL;

  mw_core_open_standard_fds ();
  setlocale (LC_ALL, "");
  /* MAILWARDEN_LOCALEDIR: translations of an uninstalled build (build/po). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MAILWARDEN_LOCALEDIR") ? g_getenv ("MAILWARDEN_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = mw_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
