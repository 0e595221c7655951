/* mw-test-vmail.h: the real Postfix and Dovecot reading a test database.
 *
 * Issue 17 asks for proof that what Mailwarden writes into an ISPmail or a
 * PostfixAdmin database is what the mail server sees. MwTestVmail points
 * Debian's Postfix (postfix-pgsql, postfix-mysql) and Dovecot
 * (dovecot-pgsql, dovecot-mysql) at a MwTestDb, configured with each
 * schema's documented queries:
 *
 * - ISPmail: the tutorial's map files (workaround.org, Debian 12 edition):
 *     virtual_mailbox_domains = …virtual-mailbox-domains.cf
 *     virtual_mailbox_maps    = …virtual-mailbox-maps.cf
 *     virtual_alias_maps      = …virtual-alias-maps.cf, …email2email.cf
 *   and its dovecot-sql.conf.ext (password_query, user_query with quota_rule).
 * - PostfixAdmin: DOCUMENTS/POSTFIX_CONF.txt of PostfixAdmin 3.3:
 *     virtual_mailbox_domains = …virtual_domains_maps.cf
 *     virtual_alias_maps      = …virtual_alias_maps.cf,
 *                               …virtual_alias_domain_maps.cf,
 *                               …virtual_alias_domain_catchall_maps.cf
 *     virtual_mailbox_maps    = …virtual_mailbox_maps.cf,
 *                               …virtual_alias_domain_mailbox_maps.cf
 *   (on PostgreSQL with the two changes that file asks for: active='t' and
 *   || instead of CONCAT), and DOCUMENTS/DOVECOT.txt's dovecot-sql.conf
 *   (default_pass_scheme = MD5-CRYPT, PostgreSQL's user_query).
 *
 * Postfix and Dovecot log in as a read-only database role of their own
 * (SELECT on every table, also on tables made later), with a password, over
 * the test server's unix socket, as the tutorial's "mailserver" user does.
 *
 * Dovecot runs as a private instance in the temporary directory (dovecot -F
 * with no protocols: only its master, config, log, anvil, stats and auth
 * processes, no network listener), started on the first
 * mw_test_vmail_auth() and stopped by mw_test_vmail_free(); it is also
 * killed when the test process dies (an abort on a failed assertion), as
 * its parent-death signal is SIGTERM.
 *
 * Free a MwTestVmail before its MwTestDb (declare it after the MwTestDb, so
 * that g_autoptr frees it first): it drops its role.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-test-db.h"

G_BEGIN_DECLS

typedef enum
{
  MW_TEST_VMAIL_ISPMAIL,
  MW_TEST_VMAIL_POSTFIXADMIN,
} MwTestVmailFlavour;

typedef struct _MwTestVmail MwTestVmail;

/* Writes the map files, main.cf and the Dovecot configuration into a new
 * temporary directory and makes the read-only role. The schema may be
 * loaded before or after. Nothing is started yet. */
MwTestVmail *mw_test_vmail_new        (MwTestDb           *tdb,
                                       MwTestVmailFlavour  flavour);
void         mw_test_vmail_free       (MwTestVmail        *v);

/* `postmap -c <dir> -q key <tables>`: map is a main.cf parameter
 * ("virtual_mailbox_domains", "virtual_mailbox_maps", "virtual_alias_maps"):
 * its tables are searched in order and the first value found wins, as
 * Postfix does; or the name of one map file without directory, driver and
 * ".cf" ("virtual_alias_domain_catchall_maps", "email2email"). A catch-all
 * is looked up as "@domain". Returns the value (Postfix joins several rows,
 * ISPmail's one row per target, with ","; in any order), or NULL when no
 * table has the key. Any error or warning from postmap (a query that fails, a
 * refused login) fails the test. */
char        *mw_test_vmail_postmap    (MwTestVmail        *v,
                                       const char         *map,
                                       const char         *key);

/* `doveadm auth test user password` against the private Dovecot (started on
 * first use). TRUE when Dovecot accepts the password, FALSE when it refuses
 * it (doveadm's exit status 77). Anything else (no auth process, an SQL
 * error in its log) fails the test. out (optional): doveadm's output, with
 * its extra fields. */
gboolean     mw_test_vmail_auth       (MwTestVmail        *v,
                                       const char         *user,
                                       const char         *password,
                                       char              **out);

/* `doveadm user -f field user`: a field of Dovecot's userdb answer ("home",
 * "quota_rule", "uid"), or NULL when the userdb does not know the user. */
char        *mw_test_vmail_userdb     (MwTestVmail        *v,
                                       const char         *user,
                                       const char         *field);

/* `doveadm pw -s scheme -p password`: "{SCHEME}hash" as Dovecot makes it. */
char        *mw_test_vmail_hash       (const char         *scheme,
                                       const char         *password);

/* How many processes of the Dovecot instance in dir (a
 * mw_test_vmail_get_dir()) are running, its master and children: 0 before
 * the first mw_test_vmail_auth() and after mw_test_vmail_free(). */
guint        mw_test_vmail_count_processes (const char   *dir);

/* The temporary directory (map files, main.cf, dovecot.conf, logs). */
const char  *mw_test_vmail_get_dir    (MwTestVmail        *v);

/* Loads sql/<flavour>/<pgsql|mysql>.sql from the source tree as one script
 * (flavour: "ispmail", "postfixadmin"), with its sample rows. */
void         mw_test_vmail_load_schema (MwTestDb          *tdb,
                                        const char        *flavour);

/* "postgresql://user@/database?host=socket" or
 * "mysql://user@/database?socket=socket": mailwarden-cli's --db for tdb. */
char        *mw_test_vmail_db_uri     (MwTestDb           *tdb);

/* PostfixAdmin's own PHP code (Debian's postfixadmin package) copied into a
 * new temporary directory and configured for tdb, with conf (more
 * "$CONF['…'] = …;\n" lines, or NULL) after the database settings and
 * "$CONF['emailcheck_resolve_domain'] = 'NO';". Returns the copy's
 * directory; its parent is the temporary directory made for it. */
char        *mw_test_vmail_postfixadmin_copy   (MwTestDb   *tdb,
                                                const char *conf);

/* `php -r CODE` in a mw_test_vmail_postfixadmin_copy(), with its classes
 * loaded as its CLI loads them: its output; the exit status must be 0. */
char        *mw_test_vmail_postfixadmin_php    (const char *dir,
                                                const char *code);

/* Removes a mw_test_vmail_postfixadmin_copy() and its temporary parent. */
void         mw_test_vmail_postfixadmin_remove (const char *dir);

/* mailwarden-cli ($MW_CLI) run in the C.UTF-8 locale: its exit status
 * (-1 when a signal ended it), standard output and standard error. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} MwTestRun;

void         mw_test_run_clear        (MwTestRun          *run);

/* Runs $MW_CLI with the arguments first, … up to NULL, with input (or
 * NULL: no input) on its standard input, and logs what it said. */
void         mw_test_run_cli          (MwTestRun          *run,
                                       const char         *input,
                                       const char         *first,
                                       ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MwTestRun, mw_test_run_clear)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwTestVmail, mw_test_vmail_free)

G_END_DECLS
