/* mw-cli-private.h: what the command files of mailwarden-cli share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean      json;
  gboolean      timing;
  MwDb         *db;
  MwSchemaInfo *info;
  const char   *profile;     /* --profile NAME, for the audit log */
} Cli;

/* Standard input was closed at start and is /dev/null now. */
extern gboolean mw_cli_stdin_was_closed;

void mw_cli_json_string  (GString *out, const char *s);
/* --rounds TEXT for scheme: a whole number the scheme takes as its cost;
 * NULL text gives 0 (the scheme's default). */
gboolean mw_cli_parse_rounds (const char *text, const char *scheme, gulong *rounds, GError **error);
int  mw_cli_fail         (const GError *error);
int  mw_cli_usage_error  (GOptionContext *context, const char *message);

/* Commands that need no database. */
gboolean mw_cli_is_offline_command (const char *command);
int  mw_cli_run_offline  (const char *command, gboolean json, int argc, char **argv);

/* Commands that change the database: user add|set|delete, group, alias, forward, import, export, audit. */
gboolean mw_cli_is_admin_command (const char *command);
gboolean mw_cli_is_user_admin (int argc, char **argv);   /* argv[1] is "user", argv[2] add|set|delete */
int  mw_cli_run_admin    (Cli *cli, const char *command, int argc, char **argv);
/* import FILE.csv, export users|aliases|forwards (mw-cli-import.c) */
int  mw_cli_run_import   (Cli *cli, int argc, char **argv);
int  mw_cli_run_export   (Cli *cli, int argc, char **argv);
/* mailboxes USER, messages USER [MAILBOX], message delete|undelete (mw-cli-mail.c) */
int  mw_cli_run_mail     (Cli *cli, const char *command, int argc, char **argv);
/* message show ID [--raw] (mw-cli-message.c); argv[0] is "show" */
int  mw_cli_message_show (Cli *cli, int argc, char **argv);

G_END_DECLS
