/* mw-dbmail-lists.c: the DBMail flavour's lists, described column by column.
 *
 * The one table of the lists' columns: the window's sidebar and list pages
 * and the CLI's list commands are built from it. Each column's source names
 * the column of the list's query in mw-dbmail.c that holds its value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-dbmail.h"

/* DBMail's default last_login (1979-11-03 22:05:58): the account never logged in. */
#define DBMAIL_NEVER_LOGGED_IN "1979-11-03"

#define SEARCHED MW_LIST_COLUMN_SEARCHED
#define EXPAND   MW_LIST_COLUMN_EXPAND
#define SECONDARY MW_LIST_COLUMN_SECONDARY

static const MwListColumn user_columns[] = {
  { "name", N_("Name"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_LOGIN_NAME, MW_SORT_NAME, SEARCHED | EXPAND, "userid" },
  { "number", N_("Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, 0, "user_idnr" },
  { "group", N_("Group"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_GROUP, 0, "client_idnr" },
  { "quota", N_("Quota"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_QUOTA, MW_SORT_QUOTA, 0, "maxmail_size" },
  { "used", N_("Used"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_BYTES, MW_SORT_MAIL_SIZE, 0, "curmail_size" },
  { "last_login", N_("Last Login"), MW_LIST_VALUE_DATE, MW_LIST_FORMAT_LOGIN, MW_SORT_LAST_LOGIN, 0, "last_login",
    DBMAIL_NEVER_LOGGED_IN },
  { "password_scheme", N_("Password Hash"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PASSWORD_SCHEME, MW_SORT_DEFAULT, 0,
    "encryption_type" },
  { "enabled", N_("Enabled"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "active" },
};

/* Aliases deliver to a user: deliver_to holds the user's number. */
static const MwListColumn alias_columns[] = {
  { "address", N_("Alias"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "alias" },
  { "user", N_("User"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_USER, MW_SORT_OWNER, SEARCHED | EXPAND, "owner" },
  { "user_number", N_("User Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SECONDARY,
    "deliver_to" },
  { "group", N_("Group"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_GROUP, 0, "client_idnr" },
  /* Translators: the number of an alias (not of its user) */
  { "number", N_("Alias Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, 0, "alias_idnr" },
};

static const MwListColumn forward_columns[] = {
  { "address", N_("Address"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_ADDRESS, MW_SORT_NAME, SEARCHED | EXPAND, "alias" },
  { "target", N_("Forwards To"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_TARGET, MW_SORT_TARGET, SEARCHED | EXPAND,
    "deliver_to" },
  { "owner", N_("Owner"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_OWNER, EXPAND, "owner" },
  { "group", N_("Group"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_GROUP, 0, "client_idnr" },
  { "number", N_("Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, SECONDARY, "alias_idnr" },
};

static const MwListColumn domain_columns[] = {
  { "domain", N_("Domain"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_NAME, SEARCHED | EXPAND, "domain" },
  { "addresses", N_("Addresses"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_COUNT, 0, "addresses" },
  { "to_users", N_("To Users"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "user_aliases" },
  { "forwards", N_("Forwards"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "forwards" },
};

static const MwListColumn group_columns[] = {
  { "group", N_("Group"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, SEARCHED, "client_idnr" },
  { "users", N_("Users"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_COUNT, 0, "users" },
  { "used", N_("Mail"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_BYTES, MW_SORT_MAIL_SIZE, 0, "mail_size" },
  { "domains", N_("Domains"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SEARCHED | EXPAND, "domains" },
};

/* dbmail_acl (mw-dbmail-acl.c): one row per folder and grantee. */
static const MwListColumn sharing_columns[] = {
  /* Translators: a shared folder, as the grantee's mail program shows it ("#Users/alice@example.com/Team") */
  { "folder", N_("Folder"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_FOLDER, MW_SORT_NAME, SEARCHED | EXPAND, "folder" },
  { "owner", N_("Owner"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_LOGIN_NAME, MW_SORT_OWNER, SEARCHED, "owner" },
  /* Translators: the user the folder is shared with, or "anyone" */
  { "grantee", N_("Shared With"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_LOGIN_NAME, MW_SORT_TARGET, SEARCHED, "grantee" },
  /* Translators: IMAP rights as letters ("lrs") */
  { "rights", N_("Rights"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "rights" },
  /* Translators: the rights in words ("see the folder, read, keep seen marks") */
  { "allows", N_("Allows"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_RIGHTS, MW_SORT_DEFAULT, EXPAND, "rights" },
};

/* dbmail_filters (mw-dbmail-filters.c): server-side filing rules; those of `anyone` apply to everybody. */
static const MwListColumn filter_columns[] = {
  { "user", N_("User"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_LOGIN_NAME, MW_SORT_OWNER, SEARCHED | EXPAND, "userid" },
  /* Translators: whether a server-side filter applies to every user (it belongs to the user "anyone") */
  { "everybody", N_("For Everybody"), MW_LIST_VALUE_BOOLEAN, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, 0, "everybody" },
  /* Translators: the name of the mail header a filter looks at ("subject") */
  { "header", N_("Header"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_NAME, SEARCHED, "headername" },
  /* Translators: the pattern a filter compares the header with ("%invoice%") */
  { "value", N_("Matches"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SEARCHED | EXPAND, "headervalue" },
  /* Translators: the folder a filter files matching messages into */
  { "mailbox", N_("Folder"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_FOLDER, MW_SORT_TARGET, SEARCHED | EXPAND, "mailbox" },
  { "number", N_("Number"), MW_LIST_VALUE_NUMBER, MW_LIST_FORMAT_PLAIN, MW_SORT_NUMBER, SECONDARY, "id" },
};

/* dbmail_usermap (mw-dbmail-usermap.c): what a client types, and the user it logs in as per socket. */
static const MwListColumn login_map_columns[] = {
  /* Translators: the name a mail client logs in with */
  { "login", N_("Login"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_NAME, SEARCHED | EXPAND, "login" },
  /* Translators: the server socket (address and port) where this login is allowed */
  { "allow", N_("Allowed Socket"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_TARGET, SEARCHED | EXPAND,
    "sock_allow" },
  /* Translators: the server socket where this login is refused */
  { "deny", N_("Denied Socket"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_DEFAULT, SEARCHED | EXPAND,
    "sock_deny" },
  { "user", N_("User"), MW_LIST_VALUE_TEXT, MW_LIST_FORMAT_PLAIN, MW_SORT_OWNER, SEARCHED | EXPAND, "userid" },
};

static const MwListInfo lists[MW_N_LISTS] = {
  [MW_LIST_USERS] = {
    MW_LIST_USERS, "users", N_("Users"), "system-users-symbolic", N_("Search names and aliases"), N_("No Users"),
    MW_SORT_NAME, user_columns, G_N_ELEMENTS (user_columns),
  },
  [MW_LIST_ALIASES] = {
    MW_LIST_ALIASES, "aliases", N_("Aliases"), "mail-forward-symbolic", N_("Search aliases and users"),
    N_("No Aliases"), MW_SORT_NAME, alias_columns, G_N_ELEMENTS (alias_columns),
  },
  [MW_LIST_FORWARDS] = {
    MW_LIST_FORWARDS, "forwards", N_("Forwards"), "mail-send-symbolic", N_("Search addresses and targets"),
    N_("No Forwards"), MW_SORT_NAME, forward_columns, G_N_ELEMENTS (forward_columns),
  },
  [MW_LIST_DOMAINS] = {
    MW_LIST_DOMAINS, "domains", N_("Domains"), "network-workgroup-symbolic", N_("Search domains"), N_("No Domains"),
    MW_SORT_NAME, domain_columns, G_N_ELEMENTS (domain_columns),
  },
  [MW_LIST_GROUPS] = {
    MW_LIST_GROUPS, "groups", N_("Groups"), "view-grid-symbolic", N_("Search group numbers and domains"),
    N_("No Groups"), MW_SORT_NUMBER, group_columns, G_N_ELEMENTS (group_columns),
  },
  [MW_LIST_LOGIN_MAPS] = {
    MW_LIST_LOGIN_MAPS, "login-maps", N_("Login Maps"), "dialog-password-symbolic", N_("Search logins, sockets and users"),
    /* Translators: shown when the list is empty; DBMail reads the table only when it exists */
    N_("No Login Maps. DBMail consults this table only when it exists."), MW_SORT_NAME, login_map_columns,
    G_N_ELEMENTS (login_map_columns),
  },
  [MW_LIST_SHARING] = {
    MW_LIST_SHARING, "sharing", N_("Sharing"), "folder-publicshare-symbolic", N_("Search folders and users"),
    /* Translators: shown when no folder is shared */
    N_("No Shared Folders"), MW_SORT_NAME, sharing_columns, G_N_ELEMENTS (sharing_columns),
  },
  [MW_LIST_FILTERS] = {
    MW_LIST_FILTERS, "filters", N_("Filters"), "mail-send-receive-symbolic", N_("Search users, headers and folders"),
    /* Translators: shown when the list is empty */
    N_("No Server-Side Filters"), MW_SORT_OWNER, filter_columns, G_N_ELEMENTS (filter_columns),
  },
};

/**
 * mw_dbmail_list_info:
 *
 * Returns: (transfer none): the description of the list @kind: static, the
 * same for every DBMail database.
 */
const MwListInfo *
mw_dbmail_list_info (MwListKind kind)
{
  g_return_val_if_fail (kind < MW_N_LISTS, NULL);
  return lists[kind].id != NULL ? &lists[kind] : NULL;
}
