/* mw-list-info.h: what a list is made of (its columns), told by the schema.
 *
 * One table describes each global list (users, aliases, forwards, domains,
 * groups): the window's sidebar, the list page's columns and sort, and the
 * CLI's list commands (their table headers and --json keys) are all built
 * from it. Column ids are stable, documented words (README.md, "JSON
 * output"); they are never the names of database columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-record.h"

G_BEGIN_DECLS

typedef enum
{
  MW_LIST_USERS,
  MW_LIST_ALIASES,
  MW_LIST_FORWARDS,
  MW_LIST_DOMAINS,
  MW_LIST_GROUPS,
  MW_LIST_ALIAS_DOMAINS,   /* PostfixAdmin: domains whose mail goes to another domain */
  MW_LIST_VACATIONS,       /* PostfixAdmin: vacation replies */
  MW_LIST_DOMAIN_ADMINS,   /* PostfixAdmin: its admins and their domains */
  MW_LIST_SHARING,         /* DBMail: every ACL row (who may do what in which folder) */
  MW_LIST_LOGIN_MAPS,      /* DBMail: dbmail_usermap, logins mapped per socket */
  MW_LIST_FILTERS,         /* DBMail: server-side filing rules (dbmail_filters) */
} MwListKind;

#define MW_N_LISTS (MW_LIST_FILTERS + 1)

typedef enum
{
  MW_SORT_DEFAULT,     /* the list's default_sort; as a column's sort: not sortable */
  MW_SORT_NAME,        /* users: name; aliases, forwards: address; domains: domain */
  MW_SORT_NUMBER,      /* users, aliases, forwards: number; groups: group */
  MW_SORT_MAIL_SIZE,   /* users, groups: used */
  MW_SORT_QUOTA,       /* users: quota */
  MW_SORT_LAST_LOGIN,  /* users: last_login */
  MW_SORT_GROUP,       /* users, aliases, forwards: group */
  MW_SORT_OWNER,       /* aliases: user; forwards: owner */
  MW_SORT_TARGET,      /* forwards: target */
  MW_SORT_COUNT,       /* domains: addresses; groups: users */
} MwListSort;

typedef struct
{
  MwListKind  kind;
  MwListSort  sort;
  gboolean    descending;
  const char *search;       /* substring; NULL or "" for all */
  gboolean    has_group;
  gint64      group;        /* the group's number, when has_group */
} MwListRequest;

/* What a value is, for scripts: the JSON type of its key. */
typedef enum
{
  MW_LIST_VALUE_TEXT,       /* a string */
  MW_LIST_VALUE_NUMBER,     /* a whole number */
  MW_LIST_VALUE_BOOLEAN,    /* true or false */
  MW_LIST_VALUE_DATE,       /* a string "YYYY-MM-DD HH:MM:SS", the server's time */
} MwListValueType;

/* How a value reads to a person; some values carry a mark (MwListMark). */
typedef enum
{
  MW_LIST_FORMAT_PLAIN,
  MW_LIST_FORMAT_BYTES,            /* a size in bytes */
  MW_LIST_FORMAT_QUOTA,            /* a size in bytes; 0 is unlimited */
  MW_LIST_FORMAT_LOGIN,            /* a date and time, to the minute, or never */
  MW_LIST_FORMAT_PASSWORD_SCHEME,  /* empty: the password is stored as plain text */
  MW_LIST_FORMAT_ADDRESS,          /* an address, maybe a catch-all */
  MW_LIST_FORMAT_USER,             /* a user's name; empty when the user is gone */
  MW_LIST_FORMAT_TARGET,           /* where mail goes: an address or a program */
  MW_LIST_FORMAT_LOGIN_NAME,       /* a login name, often an address (its domain shown in Unicode) */
  MW_LIST_FORMAT_FOLDER,           /* a folder's name as stored (IMAP modified UTF-7), shown decoded */
  MW_LIST_FORMAT_RIGHTS,           /* IMAP rights letters ("lrs"), shown as words */
} MwListFormat;

typedef enum
{
  MW_LIST_COLUMN_NONE      = 0,
  MW_LIST_COLUMN_SEARCHED  = 1 << 0,  /* the list's search looks in it */
  MW_LIST_COLUMN_EXPAND    = 1 << 1,  /* text that takes the room left over */
  MW_LIST_COLUMN_SECONDARY = 1 << 2,  /* for scripts and the terminal, not a column of the window */
} MwListColumnFlags;

typedef struct
{
  const char        *id;       /* stable: the JSON key */
  const char        *title;    /* N_(): translate with _() */
  MwListValueType    type;
  MwListFormat       format;
  MwListSort         sort;     /* how the list sorts by it; MW_SORT_DEFAULT: not sortable */
  MwListColumnFlags  flags;

  /*< private >*/
  const char        *source;   /* the column of the list's query; core only */
  const char        *never;    /* LOGIN: the stored text (a prefix) that means "never" */
} MwListColumn;

typedef struct
{
  MwListKind          kind;
  const char         *id;             /* "users" ...: the CLI command and the JSON array's key */
  const char         *title;          /* N_() */
  const char         *icon_name;
  const char         *search_hint;    /* N_() */
  const char         *empty_title;    /* N_(): the list has no rows at all */
  MwListSort          default_sort;
  const MwListColumn *columns;
  guint               n_columns;
} MwListInfo;

/* What a value needs to be shown as more than its text. */
typedef enum
{
  MW_LIST_MARK_NONE,
  MW_LIST_MARK_UNLIMITED,    /* QUOTA: 0 */
  MW_LIST_MARK_NEVER,        /* LOGIN: never logged in */
  MW_LIST_MARK_PLAIN_TEXT,   /* PASSWORD_SCHEME: empty */
  MW_LIST_MARK_NO_SUCH_USER, /* USER: empty */
  MW_LIST_MARK_PROGRAM,      /* TARGET: a program ("|..." or "!...") */
  MW_LIST_MARK_CATCH_ALL,    /* ADDRESS: "@domain" or "local@" */
} MwListMark;

typedef struct
{
  gboolean    is_null;
  const char *text;     /* (nullable): as stored, borrowed from the row; NULL for NULL */
  gint64      number;   /* NUMBER: the value; BOOLEAN: 0 or 1 */
  MwListMark  mark;
} MwListValue;

const MwListColumn *mw_list_info_find_column (const MwListInfo *info, const char *id);

/* Reads @column's value from a row of the list's query, or from a loaded
 * record of it. The text is borrowed from @result or @record. */
void mw_list_column_read        (const MwListColumn *column, MwDbResult *result, guint row, MwListValue *value);
void mw_list_column_read_record (const MwListColumn *column, MwRecord *record, MwListValue *value);

/* "YYYY-MM-DD HH:MM", "1.5 GiB", the text as is ...: the value without its
 * mark, the same in the window and the terminal. (transfer full) */
char *mw_list_value_format      (const MwListColumn *column, const MwListValue *value);

G_END_DECLS
