/* mw-cli-private.h: what the command files of mailwarden-cli share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mailwarden-core.h"

G_BEGIN_DECLS

/* Every database job is one of the session's operations, waited for with
 * mw_async_wait (mw-async-wait.h): the CLI runs no main loop of its own. */
typedef struct
{
  gboolean      json;
  gboolean      timing;
  MwSession    *session;     /* NULL while only --help is asked for */
  MwSchema     *schema;      /* the session's: what the database can do, its lists */
  MwMailStore  *store;       /* the session's, or NULL when the schema stores no messages */
} Cli;

/* The key of the account named by name, number or address (transfer full),
 * or NULL with the error. */
char *mw_cli_resolve_account (Cli *cli, const char *text, GError **error);

/* --sort KEY of a list: a column id of @info (its --json key) that the list
 * sorts by, or one of the older words (size, last-login, count …). FALSE
 * with a sentence naming the keys there are. */
gboolean mw_cli_parse_sort (const MwListInfo *info, const char *name, MwListSort *sort, GError **error);

/* Standard input was closed at start and is /dev/null now. */
extern gboolean mw_cli_stdin_was_closed;

/* --json output (mw-cli-json.c): one document per command, through json-glib. */
void mw_cli_json_print       (JsonBuilder *builder);   /* the builder's document, one line */
void mw_cli_json_print_node  (JsonNode *node);
void mw_cli_json_add_string_or_null (JsonBuilder *builder, const char *member, const char *text);
void mw_cli_json_set_string  (JsonObject *object, const char *member, const char *text);
void mw_cli_json_add_int     (JsonBuilder *builder, const char *member, gint64 value);
void mw_cli_json_add_bool    (JsonBuilder *builder, const char *member, gboolean value);

/* A document whose array is printed element by element, for lists of any
 * length: {"total":2,"offset":0,"users":[ one element a line ]}. */
typedef struct
{
  JsonGenerator *generator;
  guint          n_members;
  guint          n_elements;
  gboolean       in_array;
} MwCliJsonStream;

void mw_cli_json_stream_begin       (MwCliJsonStream *stream);
void mw_cli_json_stream_member      (MwCliJsonStream *stream, const char *key, JsonNode *value);
void mw_cli_json_stream_int         (MwCliJsonStream *stream, const char *key, gint64 value);
void mw_cli_json_stream_begin_array (MwCliJsonStream *stream, const char *key);
void mw_cli_json_stream_element     (MwCliJsonStream *stream, JsonNode *element);
void mw_cli_json_stream_end_array   (MwCliJsonStream *stream);
void mw_cli_json_stream_end         (MwCliJsonStream *stream);

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
/* vacation show|set|clear ADDRESS (mw-cli-vacation.c) */
int  mw_cli_run_vacation (Cli *cli, int argc, char **argv);
/* alias-domain list|add|set|delete (mw-cli-alias-domain.c) */
int  mw_cli_run_alias_domain (Cli *cli, int argc, char **argv);
/* usermap list|add|set|delete|lock|clear|create-table (mw-cli-usermap.c) */
int  mw_cli_run_usermap (Cli *cli, int argc, char **argv);
/* acl list|set|revoke, public create|delete (mw-cli-acl.c); command is "acl" or "public" */
int  mw_cli_run_acl (Cli *cli, const char *command, int argc, char **argv);
/* health [--json] [--only CHECK[,CHECK]] [--samples N|--all] (mw-cli-health.c) */
int  mw_cli_run_health (Cli *cli, int argc, char **argv);
/* cleanup [--apply] [--only STEP[,STEP]] [--purge] [--batch N] [--json] (mw-cli-cleanup.c) */
int  mw_cli_run_cleanup (Cli *cli, int argc, char **argv);
/* trace ADDRESS [--json] (mw-cli-trace.c) */
int  mw_cli_run_trace (Cli *cli, int argc, char **argv);
/* index-advisor [--apply|--drop] [--json] (mw-cli-index-advisor.c) */
int  mw_cli_run_index_advisor (Cli *cli, int argc, char **argv);
/* notify|autoreply show|set|clear USER, filter list|add|delete (mw-cli-replies.c) */
gboolean mw_cli_is_replies_command (const char *command);
int  mw_cli_run_replies (Cli *cli, const char *command, int argc, char **argv);
/* A list command ("sharing") as if it had been typed (mw-cli.c). */
int  mw_cli_run_list_command (Cli *cli, const char *command, int argc, char **argv);
/* sieve list|show|put|activate|deactivate|delete|rename|vacation USER (mw-cli-sieve.c) */
int  mw_cli_run_sieve (Cli *cli, int argc, char **argv);
/* stats, logins, unused, status (mw-cli-stats.c) */
gboolean mw_cli_is_stats_command (const char *command);
int  mw_cli_run_stats (Cli *cli, const char *command, int argc, char **argv);
/* message show ID [--raw] (mw-cli-message.c); argv[0] is "show" */
int  mw_cli_message_show (Cli *cli, int argc, char **argv);

G_END_DECLS
