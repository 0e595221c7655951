/* test-vmail-consumers.c: the real Postfix (postmap -q) and Dovecot
 * (doveadm auth test) read ISPmail and PostfixAdmin databases, configured
 * with each schema's documented queries (tests/db/mw-test-vmail.h), on
 * PostgreSQL and MariaDB. The rows are written with plain SQL here; the
 * tests of Mailwarden's own writes use the same harness.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mw-test-vmail.h"

/* SQL as text, without the {table} substitution of mw_db_exec (the
 * passwords' "{SHA512-CRYPT}" must stay). */
static void
sql (MwTestDb   *tdb,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static void
sql (MwTestDb   *tdb,
     const char *format,
     ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (!mw_db_exec_script (tdb->db, text, &error))
    g_error ("%s\n%s", error->message, text);
}

/* postmap's answer, "NULL" when not found. */
static char *
lookup (MwTestVmail *v,
        const char  *map,
        const char  *key)
{
  char *value = mw_test_vmail_postmap (v, map, key);

  return value != NULL ? value : g_strdup ("NULL");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* A comma-separated list in sorted order (rows come back in any order). */
static char *
sorted_list (char *list)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);

  g_free (list);
  qsort (items, g_strv_length (items), sizeof (char *), compare_strings);
  return g_strjoinv (",", items);
}

#define assert_postmap(v, map, key, expected) \
  G_STMT_START { \
    g_autofree char *_value = lookup ((v), (map), (key)); \
    g_assert_cmpstr (_value, ==, (expected)); \
  } G_STMT_END

#define assert_auth(v, user, password, expected) \
  G_STMT_START { \
    g_autofree char *_out = NULL; \
    gboolean _ok = mw_test_vmail_auth ((v), (user), (password), &_out); \
    if (_ok != (expected)) \
      g_error ("Dovecot %s %s with password %s:\n%s", _ok ? "accepted" : "refused", (user), (password), _out); \
  } G_STMT_END

/* ISPmail: the tutorial's map files and dovecot-sql.conf.ext. It has no
 * "active" flag: a domain is disabled by deleting it (with its users and
 * aliases, by cascade). */
static void
test_ispmail (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwTestVmail) v = NULL;
  g_autofree char *sha512 = mw_test_vmail_hash ("SHA512-CRYPT", "secret");
  g_autofree char *targets = NULL;
  static const char *const schemes[] = { "SHA256-CRYPT", "BLF-CRYPT" };

  g_assert_true (g_str_has_prefix (sha512, "{SHA512-CRYPT}$6$"));
  mw_test_vmail_load_schema (tdb, "ispmail");
  v = mw_test_vmail_new (tdb, MW_TEST_VMAIL_ISPMAIL);

  sql (tdb, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('example.net')");
  sql (tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) "
       "SELECT id, 'alice@example.org', '%s', 1073741824 FROM virtual_domains WHERE name = 'example.org'", sha512);
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) "
       "SELECT id, 'info@example.org', 'alice@example.org' FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) "
       "SELECT id, 'info@example.org', 'bob@elsewhere.example' FROM virtual_domains WHERE name = 'example.org'");
  sql (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) "
       "SELECT id, '@example.net', 'alice@example.org' FROM virtual_domains WHERE name = 'example.net'");

  /* Postfix: the domains, the mailbox, where each alias goes. */
  assert_postmap (v, "virtual_mailbox_domains", "example.org", "1");
  assert_postmap (v, "virtual_mailbox_domains", "example.net", "1");
  assert_postmap (v, "virtual_mailbox_domains", "example.com", "NULL");
  assert_postmap (v, "virtual_mailbox_maps", "alice@example.org", "1");
  assert_postmap (v, "virtual_mailbox_maps", "nobody@example.org", "NULL");
  targets = sorted_list (lookup (v, "virtual_alias_maps", "info@example.org"));
  g_assert_cmpstr (targets, ==, "alice@example.org,bob@elsewhere.example");
  assert_postmap (v, "virtual_alias_maps", "@example.net", "alice@example.org");          /* catch-all */
  assert_postmap (v, "virtual_alias_maps", "@example.org", "NULL");
  assert_postmap (v, "virtual_alias_maps", "alice@example.org", "alice@example.org");    /* email2email */
  assert_postmap (v, "virtual-alias-maps", "alice@example.org", "NULL");
  assert_postmap (v, "virtual_alias_maps", "nobody@example.org", "NULL");

  /* Dovecot: the right password, a wrong one, an unknown user; the userdb. */
  assert_auth (v, "alice@example.org", "secret", TRUE);
  assert_auth (v, "alice@example.org", "Secret", FALSE);
  assert_auth (v, "nobody@example.org", "secret", FALSE);
  {
    g_autofree char *quota = mw_test_vmail_userdb (v, "alice@example.org", "quota_rule");
    g_autofree char *home = mw_test_vmail_userdb (v, "alice@example.org", "home");
    g_autofree char *nobody = mw_test_vmail_userdb (v, "nobody@example.org", "home");

    g_assert_cmpstr (quota, ==, "*:bytes=1073741824");
    g_assert_cmpstr (home, ==, "/var/vmail/example.org/alice");
    g_assert_null (nobody);
  }

  /* The tutorial's other schemes. */
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *hash = mw_test_vmail_hash (schemes[i], "secret");

      sql (tdb, "UPDATE virtual_users SET password = '%s' WHERE email = 'alice@example.org'", hash);
      assert_auth (v, "alice@example.org", "secret", TRUE);
      assert_auth (v, "alice@example.org", "wrong", FALSE);
    }

  /* A deleted domain takes its users and aliases along. */
  sql (tdb, "DELETE FROM virtual_domains WHERE name = 'example.org'");
  assert_postmap (v, "virtual_mailbox_domains", "example.org", "NULL");
  assert_postmap (v, "virtual_mailbox_maps", "alice@example.org", "NULL");
  assert_postmap (v, "virtual_alias_maps", "info@example.org", "NULL");
  assert_auth (v, "alice@example.org", "secret", FALSE);
}

static void
add_domain (MwTestDb   *tdb,
            const char *domain,
            const char *active)
{
  sql (tdb, "INSERT INTO domain (domain, description, transport, active) VALUES ('%s', '', 'virtual', '%s')",
       domain, active);
}

/* A mailbox as PostfixAdmin makes it: the row, and its own alias row
 * (address = goto = username, active with the mailbox). */
static void
add_mailbox (MwTestDb   *tdb,
             const char *local_part,
             const char *domain,
             const char *password,
             const char *active)
{
  sql (tdb, "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) "
       "VALUES ('%s@%s', '%s', '', '%s/%s/', 1024000, '%s', '%s', '%s')",
       local_part, domain, password, domain, local_part, local_part, domain, active);
  sql (tdb, "INSERT INTO alias (address, goto, domain, active) VALUES ('%s@%s', '%s@%s', '%s', '%s')",
       local_part, domain, local_part, domain, domain, active);
}

/* PostfixAdmin: POSTFIX_CONF.txt's maps and DOVECOT.txt's queries. */
static void
test_postfixadmin (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = mw_test_db_new (data, FALSE);
  g_autoptr(MwTestVmail) v = NULL;
  g_autofree char *sha512 = mw_test_vmail_hash ("SHA512-CRYPT", "secret");
  g_autofree char *md5 = mw_test_vmail_hash ("MD5-CRYPT", "secret");

  mw_test_vmail_load_schema (tdb, "postfixadmin");
  v = mw_test_vmail_new (tdb, MW_TEST_VMAIL_POSTFIXADMIN);

  add_domain (tdb, "example.org", "1");
  add_domain (tdb, "example.net", "1");     /* the alias domain is a domain row too */
  add_domain (tdb, "old.example", "0");     /* disabled */
  sql (tdb, "INSERT INTO alias_domain (alias_domain, target_domain, active) VALUES ('example.net', 'example.org', '1')");
  add_mailbox (tdb, "alice", "example.org", sha512, "1");
  add_mailbox (tdb, "bob", "example.org", sha512, "0");   /* disabled */
  add_mailbox (tdb, "carol", "old.example", sha512, "1"); /* in the disabled domain */
  /* PostfixAdmin's default md5crypt: a bare $1$ hash, no {PREFIX}. */
  g_assert_true (g_str_has_prefix (md5, "{MD5-CRYPT}$1$"));
  add_mailbox (tdb, "dave", "example.org", md5 + strlen ("{MD5-CRYPT}"), "1");
  sql (tdb, "INSERT INTO alias (address, goto, domain, active) "
       "VALUES ('info@example.org', 'alice@example.org,x@elsewhere.example', 'example.org', '1')");
  sql (tdb, "INSERT INTO alias (address, goto, domain, active) VALUES ('@example.org', 'alice@example.org', 'example.org', '1')");

  /* Postfix: domains (the disabled one is not), mailboxes (also through the
   * alias domain; the disabled one is not). */
  assert_postmap (v, "virtual_mailbox_domains", "example.org", "example.org");
  assert_postmap (v, "virtual_mailbox_domains", "example.net", "example.net");
  assert_postmap (v, "virtual_mailbox_domains", "old.example", "NULL");
  assert_postmap (v, "virtual_mailbox_domains", "example.com", "NULL");
  assert_postmap (v, "virtual_mailbox_maps", "alice@example.org", "example.org/alice/");
  assert_postmap (v, "virtual_mailbox_maps", "alice@example.net", "example.org/alice/");
  assert_postmap (v, "virtual_alias_domain_mailbox_maps", "alice@example.net", "example.org/alice/");
  assert_postmap (v, "virtual_mailbox_maps", "bob@example.org", "NULL");
  assert_postmap (v, "virtual_mailbox_maps", "nobody@example.org", "NULL");

  /* Where each alias goes: the mailbox's own row, a forward, the catch-all,
   * the alias domain and its catch-all; the disabled mailbox's row is off. */
  assert_postmap (v, "virtual_alias_maps", "alice@example.org", "alice@example.org");
  assert_postmap (v, "virtual_alias_maps", "info@example.org", "alice@example.org,x@elsewhere.example");
  assert_postmap (v, "virtual_alias_maps", "@example.org", "alice@example.org");
  assert_postmap (v, "virtual_alias_maps", "alice@example.net", "alice@example.org");
  assert_postmap (v, "virtual_alias_maps", "info@example.net", "alice@example.org,x@elsewhere.example");
  assert_postmap (v, "virtual_alias_domain_maps", "alice@example.net", "alice@example.org");
  assert_postmap (v, "virtual_alias_domain_maps", "nobody@example.net", "NULL");
  assert_postmap (v, "virtual_alias_domain_catchall_maps", "nobody@example.net", "alice@example.org");
  assert_postmap (v, "virtual_alias_maps", "nobody@example.net", "alice@example.org");
  assert_postmap (v, "virtual_alias_maps", "bob@example.org", "NULL");
  assert_postmap (v, "virtual_alias_maps", "nobody@example.org", "NULL");

  /* Dovecot: {SHA512-CRYPT} and PostfixAdmin's bare md5crypt (its
   * default_pass_scheme); wrong passwords; the disabled mailbox. */
  assert_auth (v, "alice@example.org", "secret", TRUE);
  assert_auth (v, "alice@example.org", "wrong", FALSE);
  assert_auth (v, "dave@example.org", "secret", TRUE);
  assert_auth (v, "dave@example.org", "wrong", FALSE);
  assert_auth (v, "bob@example.org", "secret", FALSE);
  assert_auth (v, "nobody@example.org", "secret", FALSE);
  /* Dovecot has no alias-domain lookup. */
  assert_auth (v, "alice@example.net", "secret", FALSE);
  /* DOVECOT.txt's password_query does not look at domain.active: with
   * PostfixAdmin's documented configuration, a mailbox of a disabled domain
   * still logs in (Postfix no longer accepts mail for it, above). Mailwarden
   * must say so when it disables a domain. */
  assert_auth (v, "carol@old.example", "secret", TRUE);
  {
    g_autofree char *quota = mw_test_vmail_userdb (v, "alice@example.org", "quota_rule");
    g_autofree char *home = mw_test_vmail_userdb (v, "alice@example.org", "home");
    g_autofree char *bob = mw_test_vmail_userdb (v, "bob@example.org", "home");

    g_assert_cmpstr (quota, ==, "*:bytes=1024000");
    g_assert_cmpstr (home, ==, "/var/mail/vmail/example.org/alice/");
    g_assert_null (bob);
  }

  /* Disabling the mailbox and the alias domain takes effect at once. */
  sql (tdb, "UPDATE mailbox SET active = '0' WHERE username = 'alice@example.org'");
  sql (tdb, "UPDATE alias_domain SET active = '0' WHERE alias_domain = 'example.net'");
  assert_auth (v, "alice@example.org", "secret", FALSE);
  assert_postmap (v, "virtual_mailbox_maps", "alice@example.org", "NULL");
  assert_postmap (v, "virtual_alias_maps", "alice@example.net", "NULL");
  assert_postmap (v, "virtual_alias_maps", "nobody@example.net", "NULL");

  /* Nothing of Dovecot outlives the harness. */
  {
    g_autofree char *dir = g_strdup (mw_test_vmail_get_dir (v));

    g_assert_cmpuint (mw_test_vmail_count_processes (dir), >, 1);
    g_clear_pointer (&v, mw_test_vmail_free);
    g_assert_cmpuint (mw_test_vmail_count_processes (dir), ==, 0);
    g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  }
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_add_both ("/vmail-consumers/ispmail", test_ispmail);
  mw_test_add_both ("/vmail-consumers/postfixadmin", test_postfixadmin);
  return mw_test_run ();
}
