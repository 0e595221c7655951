/* main.c: mailwarden-cli entry point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mw-cli.h"
#include "mailwarden-core.h"

int
main (int   argc,
      char *argv[])
{
  guint closed = mw_core_open_standard_fds ();

  setlocale (LC_ALL, "");
  /* MAILWARDEN_LOCALEDIR: translations of an uninstalled build (build/po). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MAILWARDEN_LOCALEDIR") ? g_getenv ("MAILWARDEN_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  mw_cli_set_closed_fds (closed);
  return mw_cli_run (argc, argv);
}
