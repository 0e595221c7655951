/* mw-cli.h: mailwarden-cli, the core from a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes, documented in --help. */
enum
{
  MW_CLI_EXIT_OK = 0,
  MW_CLI_EXIT_USAGE = 1,
  MW_CLI_EXIT_CONNECT = 2,
  MW_CLI_EXIT_SCHEMA = 3,
  MW_CLI_EXIT_NOT_FOUND = 4,
  MW_CLI_EXIT_QUERY = 5,
  MW_CLI_EXIT_MISMATCH = 6,  /* verify: the password does not match */
  MW_CLI_EXIT_FINDINGS = 8,  /* health: a check found a warning or a problem */
  MW_CLI_EXIT_TODO = 7,      /* cleanup's dry run: there is something to do */
};

/* The standard descriptors main() found closed (mw_core_open_standard_fds);
 * commands that read standard input refuse when 0 was. */
void mw_cli_set_closed_fds (guint closed);
int  mw_cli_run (int argc, char **argv);

G_END_DECLS
