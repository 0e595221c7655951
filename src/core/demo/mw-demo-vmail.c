/* mw-demo-vmail.c: the ISPmail and PostfixAdmin schemas and their sample data, for the demo and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-demo-vmail"

#include "config.h"

#include <crypt.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "mw-core.h"
#include "mw-demo-data.h"
#include "mw-demo-vmail.h"

#define RESOURCE_SQL "/org/mailwarden/Mailwarden/sql/"
/* The dates of the sample rows are relative to this moment, as the DBMail
 * demo's are. */
#define REFERENCE_TIME "2025-11-20T09:30:00Z"
/* PostfixAdmin's $CONF['quota_multiplier']: its MB are 1,024,000 bytes. */
#define PFA_MB 1024000

typedef struct
{
  const char *display;
  const char *ascii;
} Name;

static const Name first_names[] = {
  { "Jürgen", "juergen" }, { "Käthe", "kaethe" }, { "Özlem", "oezlem" }, { "Björn", "bjoern" },
  { "Anna", "anna" }, { "Zoë", "zoe" }, { "Renée", "renee" }, { "José", "jose" },
  { "Søren", "soeren" }, { "Małgorzata", "malgorzata" }, { "Ines", "ines" }, { "Mehmet", "mehmet" },
  { "Ute", "ute" }, { "François", "francois" }, { "Grete", "grete" }, { "Lukas", "lukas" },
  { "Chloé", "chloe" }, { "Jörg", "joerg" }, { "Agnès", "agnes" }, { "Paul", "paul" },
};

/* 13 names: with 20 first names, i % 20 and (i * 7) % 13 never repeat a pair below 260. */
static const Name last_names[] = {
  { "Müller", "mueller" }, { "Schäfer", "schaefer" }, { "Groß", "gross" }, { "Köhler", "koehler" },
  { "Weiß", "weiss" }, { "Öztürk", "oeztuerk" }, { "Jäger", "jaeger" }, { "Brückner", "brueckner" },
  { "Lefèvre", "lefevre" }, { "Núñez", "nunez" }, { "Dvořák", "dvorak" }, { "Åberg", "aberg" },
  { "Hoffmann", "hoffmann" },
};

/* Mailbox i lives in domains[i % 5]: 24 in example.org, 8 in each other. */
static const char *const mailbox_domains[] = {
  "example.org", "example.org", "example.org", "example.com", "xn--bcher-kva.example",
};

/* Quotas in MB (PostfixAdmin's MB; ISPmail stores MiB as bytes); 0 = unlimited. */
static const guint quotas[] = { 1024, 2048, 512, 0, 1024, 256, 2048, 1024 };

/* Mailboxes with a role in the sample data (indexes into the generated list). */
#define VACATION_MAILBOX   3    /* bjoern.lefevre@example.com, also the catch-all's target */
#define FORWARD_KEEP       6    /* renee.koehler@example.org */
#define FORWARD_ONLY       7    /* jose.dvorak@example.org */
#define DISABLED_MAILBOX   9    /* malgorzata.aberg@bücher.example; PostfixAdmin only: ISPmail has no column for it */

const char *
mw_demo_flavour_to_string (MwDemoFlavour flavour)
{
  switch (flavour)
    {
    case MW_DEMO_FLAVOUR_ISPMAIL:
      return "ispmail";
    case MW_DEMO_FLAVOUR_POSTFIXADMIN:
      return "postfixadmin";
    case MW_DEMO_FLAVOUR_DBMAIL:
    default:
      return "dbmail";
    }
}

gboolean
mw_demo_flavour_from_string (const char    *name,
                             MwDemoFlavour *flavour)
{
  g_return_val_if_fail (flavour != NULL, FALSE);

  if (name == NULL || *name == '\0' || g_ascii_strcasecmp (name, "dbmail") == 0)
    *flavour = MW_DEMO_FLAVOUR_DBMAIL;
  else if (g_ascii_strcasecmp (name, "ispmail") == 0)
    *flavour = MW_DEMO_FLAVOUR_ISPMAIL;
  else if (g_ascii_strcasecmp (name, "postfixadmin") == 0)
    *flavour = MW_DEMO_FLAVOUR_POSTFIXADMIN;
  else
    return FALSE;
  return TRUE;
}

gboolean
mw_demo_vmail_load_schema (MwDb           *db,
                           MwDemoFlavour   flavour,
                           GError        **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sql = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (flavour != MW_DEMO_FLAVOUR_DBMAIL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  mw_core_init ();
  path = g_strconcat (RESOURCE_SQL, mw_demo_flavour_to_string (flavour), "/",
                      mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "pgsql.sql" : "mysql.sql", NULL);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, MW_DEMO_DATA_ERROR, MW_DEMO_DATA_ERROR_NO_SCHEMA,
                   _("The schema file is missing from this build (%s): %s"), path, local_error->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &size);
  sql = g_strndup (data, size);
  return mw_db_exec_script (db, sql, error);
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  char  *local;      /* juergen.mueller */
  char  *address;    /* juergen.mueller@example.org, the domain as stored */
  char  *name;       /* Jürgen Müller */
  char  *domain;
  char  *password;   /* {SHA512-CRYPT}$6$... */
  guint  quota_mb;
  char  *created;
  char  *modified;
} Mailbox;

static void
mailbox_clear (Mailbox *m)
{
  g_free (m->local);
  g_free (m->address);
  g_free (m->name);
  g_free (m->domain);
  g_free (m->password);
  g_free (m->created);
  g_free (m->modified);
}

static char *
hash_demo_password (GError **error)
{
  char entropy[16];
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  g_autofree struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *hash;

  if (getrandom (entropy, sizeof entropy, 0) != (ssize_t) sizeof entropy ||
      crypt_gensalt_rn ("$6$", 0, entropy, sizeof entropy, setting, sizeof setting) == NULL ||
      (hash = crypt_rn (MW_DEMO_PASSWORD, setting, data, sizeof *data)) == NULL || hash[0] == '*')
    {
      g_set_error_literal (error, MW_DEMO_DATA_ERROR, MW_DEMO_DATA_ERROR_FAILED,
                           _("The demo passwords could not be hashed."));
      return NULL;
    }
  return g_strconcat ("{SHA512-CRYPT}", hash, NULL);
}

static char *
stamp (GDateTime *reference,
       gint       days_before,
       gint       hour)
{
  g_autoptr(GDateTime) day = g_date_time_add_days (reference, -days_before);
  g_autoptr(GDateTime) when = g_date_time_add_hours (day, hour);

  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
}

static gboolean
make_mailboxes (Mailbox  *mailboxes,
                GError  **error)
{
  g_autoptr(GDateTime) reference = g_date_time_new_from_iso8601 (REFERENCE_TIME, NULL);

  for (guint i = 0; i < MW_DEMO_VMAIL_MAILBOXES; i++)
    {
      Mailbox *m = &mailboxes[i];
      const Name *first = &first_names[i % G_N_ELEMENTS (first_names)];
      const Name *last = &last_names[(i * 7) % G_N_ELEMENTS (last_names)];

      m->local = g_strdup_printf ("%s.%s", first->ascii, last->ascii);
      m->domain = g_strdup (mailbox_domains[i % G_N_ELEMENTS (mailbox_domains)]);
      m->address = g_strdup_printf ("%s@%s", m->local, m->domain);
      m->name = g_strdup_printf ("%s %s", first->display, last->display);
      m->quota_mb = quotas[i % G_N_ELEMENTS (quotas)];
      /* example.com gives at most 2048 MB a mailbox (PostfixAdmin's maxquota). */
      if (m->quota_mb == 0 && g_str_equal (m->domain, "example.com"))
        m->quota_mb = 2048;
      m->created = stamp (reference, 700 - (gint) i * 17, 8 + (gint) (i % 9));
      m->modified = stamp (reference, 40 - (gint) i, 10 + (gint) (i % 7));
      m->password = hash_demo_password (error);
      if (m->password == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Runs one statement of the demo's own text (no input from outside). */
static gboolean
run (MwDb        *db,
     const char  *sql,
     GError     **error)
{
  g_autoptr(MwDbResult) result = mw_db_exec (db, sql, NULL, 0, NULL, error);

  return result != NULL;
}

static gboolean
run_string (MwDb     *db,
            GString  *sql,
            GError  **error)
{
  gboolean ok;

  /* The trailing ",\n" of the last row. */
  g_string_truncate (sql, sql->len - 2);
  ok = run (db, sql->str, error);
  g_string_free (sql, TRUE);
  return ok;
}

static gboolean
populate_ispmail (MwDb     *db,
                  Mailbox  *mailboxes,
                  GError  **error)
{
  GString *sql;

  if (!run (db, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('example.com'), "
                "('xn--bcher-kva.example')", error))
    return FALSE;

  sql = g_string_new ("INSERT INTO virtual_users (domain_id, email, password, quota) VALUES\n");
  for (guint i = 0; i < MW_DEMO_VMAIL_MAILBOXES; i++)
    g_string_append_printf (sql, "((SELECT id FROM virtual_domains WHERE name = '%s'), '%s', '%s', %"
                            G_GUINT64_FORMAT "),\n", mailboxes[i].domain, mailboxes[i].address,
                            mailboxes[i].password, (guint64) mailboxes[i].quota_mb * 1024 * 1024);
  if (!run_string (db, sql, error))
    return FALSE;

  sql = g_string_new ("INSERT INTO virtual_aliases (domain_id, source, destination) VALUES\n");
#define ALIAS(domain, source, destination) \
  g_string_append_printf (sql, "((SELECT id FROM virtual_domains WHERE name = '%s'), '%s', '%s'),\n", \
                          domain, source, destination)
  /* A fan-out: team@ goes to three mailboxes, one row each. */
  for (guint i = 0; i < 3; i++)
    ALIAS ("example.org", "team@example.org", mailboxes[i].address);
  ALIAS ("example.org", "postmaster@example.org", mailboxes[0].address);
  ALIAS ("example.org", "abuse@example.org", mailboxes[0].address);
  ALIAS ("example.org", "info@example.org", mailboxes[1].address);
  /* The catch-all of example.com. */
  ALIAS ("example.com", "@example.com", mailboxes[3].address);
  ALIAS ("xn--bcher-kva.example", "bestellung@xn--bcher-kva.example", mailboxes[4].address);
  ALIAS ("xn--bcher-kva.example", "info@xn--bcher-kva.example", mailboxes[9].address);
  /* Forward and keep a copy (the row to itself), and a forward without one. */
  ALIAS (mailboxes[FORWARD_KEEP].domain, mailboxes[FORWARD_KEEP].address, "renee.privat@posteo.example");
  ALIAS (mailboxes[FORWARD_KEEP].domain, mailboxes[FORWARD_KEEP].address, mailboxes[FORWARD_KEEP].address);
  ALIAS (mailboxes[FORWARD_ONLY].domain, mailboxes[FORWARD_ONLY].address, "jose.nunez@partner.example");
  ALIAS ("example.com", "verkauf@example.com", "vertrieb@partner.example");
#undef ALIAS
  return run_string (db, sql, error);
}

static gboolean
populate_postfixadmin (MwDb     *db,
                       Mailbox  *mailboxes,
                       GError  **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expiry_time = g_date_time_add_days (now, 365);
  g_autofree char *expiry = g_date_time_format (expiry_time, "%Y-%m-%d %H:%M:%S");
  g_autoptr(GDateTime) reference = g_date_time_new_from_iso8601 (REFERENCE_TIME, NULL);
  g_autofree char *vacation_from = stamp (reference, 3, 0);
  g_autofree char *vacation_until = stamp (reference, -18, 0);
  const Mailbox *vacation = &mailboxes[VACATION_MAILBOX];
  GString *sql;

  /* ALL is the superadmins' pseudo-domain PostfixAdmin itself keeps. */
  if (!run (db, "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, backupmx, "
                "created, modified, active) VALUES "
                "('ALL', '', 0, 0, 0, 0, '', '0', '2023-01-09 10:00:00', '2023-01-09 10:00:00', '1'), "
                "('example.org', 'Hauptdomain – Müller & Söhne', 100, 50, 0, 0, 'virtual', '0', "
                "'2023-01-09 10:02:00', '2025-06-02 14:11:00', '1'), "
                "('example.com', 'Vertrieb', 30, 20, 2048, 20480, 'virtual', '0', "
                "'2023-03-14 09:15:00', '2025-02-20 16:40:00', '1'), "
                "('xn--bcher-kva.example', 'Buchladen (bücher.example)', 20, 20, 0, 0, 'virtual', '0', "
                "'2024-05-02 11:30:00', '2024-05-02 11:30:00', '1'), "
                "('example.net', 'Alias domain of example.org', 0, 0, 0, 0, 'virtual', '0', "
                "'2024-08-19 08:00:00', '2024-08-19 08:00:00', '1')", error) ||
      !run (db, "INSERT INTO alias_domain (alias_domain, target_domain, created, modified, active) VALUES "
                "('example.net', 'example.org', '2024-08-19 08:05:00', '2024-08-19 08:05:00', '1')", error))
    return FALSE;

  sql = g_string_new ("INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, created, "
                      "modified, active, password_expiry) VALUES\n");
  for (guint i = 0; i < MW_DEMO_VMAIL_MAILBOXES; i++)
    {
      const Mailbox *m = &mailboxes[i];

      g_string_append_printf (sql, "('%s', '%s', '%s', '%s/%s/', %" G_GUINT64_FORMAT ", '%s', '%s', '%s', '%s', "
                              "'%s', '%s'),\n", m->address, m->password, m->name, m->domain, m->local,
                              (guint64) m->quota_mb * PFA_MB, m->local, m->domain, m->created, m->modified,
                              i == DISABLED_MAILBOX ? "0" : "1", expiry);
    }
  if (!run_string (db, sql, error))
    return FALSE;

  /* Each mailbox's own alias row, as MailboxHandler writes it; some also
   * forward (the mailbox last: "forward and keep") or go on vacation. */
  sql = g_string_new ("INSERT INTO alias (address, goto, domain, created, modified, active) VALUES\n");
#define ALIAS(address, target, domain, created, active) \
  g_string_append_printf (sql, "('%s', '%s', '%s', '%s', '%s', '%s'),\n", address, target, domain, created, \
                          created, active)
  for (guint i = 0; i < MW_DEMO_VMAIL_MAILBOXES; i++)
    {
      const Mailbox *m = &mailboxes[i];
      g_autofree char *target = NULL;

      if (i == FORWARD_KEEP)
        target = g_strdup_printf ("renee.privat@posteo.example,%s", m->address);
      else if (i == FORWARD_ONLY)
        target = g_strdup ("jose.nunez@partner.example");
      else if (i == VACATION_MAILBOX)
        /* PostfixAdmin's vacation goto entry: local#domain@autoreply.<its domain>. */
        target = g_strdup_printf ("%s,%s#%s@autoreply.example.org", m->address, m->local, m->domain);
      else
        target = g_strdup (m->address);
      ALIAS (m->address, target, m->domain, m->created, i == DISABLED_MAILBOX ? "0" : "1");
    }
  {
    g_autofree char *team = g_strdup_printf ("%s,%s,%s", mailboxes[0].address, mailboxes[1].address,
                                             mailboxes[2].address);

    ALIAS ("team@example.org", team, "example.org", "2024-01-15 09:00:00", "1");
  }
  ALIAS ("postmaster@example.org", mailboxes[0].address, "example.org", "2023-01-09 10:05:00", "1");
  ALIAS ("abuse@example.org", mailboxes[0].address, "example.org", "2023-01-09 10:05:00", "1");
  ALIAS ("info@example.org", mailboxes[1].address, "example.org", "2023-02-01 12:00:00", "1");
  ALIAS ("@example.com", mailboxes[3].address, "example.com", "2023-03-14 09:20:00", "1");
  ALIAS ("bestellung@xn--bcher-kva.example", mailboxes[4].address, "xn--bcher-kva.example",
         "2024-05-02 11:45:00", "1");
  ALIAS ("verkauf@example.com", "vertrieb@partner.example", "example.com", "2024-10-01 08:30:00", "1");
#undef ALIAS
  if (!run_string (db, sql, error))
    return FALSE;

  /* MariaDB's vacation table also has PostfixAdmin's old cache column, NOT NULL without a default. */
  sql = g_string_new (mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL
                      ? "INSERT INTO vacation (email, subject, body, domain, created, modified, activefrom, "
                        "activeuntil, interval_time, active) VALUES\n"
                      : "INSERT INTO vacation (cache, email, subject, body, domain, created, modified, activefrom, "
                        "activeuntil, interval_time, active) VALUES\n");
  g_string_append_printf (sql, "(%s'%s', 'Abwesenheitsnotiz: Urlaub', 'Guten Tag,\n\nich bin bis zum %s nicht im "
                          "Büro und lese meine E-Mails danach.\nIn dringenden Fällen schreiben Sie bitte an "
                          "team@example.org.\n\nMit freundlichen Grüßen\n%s', '%s', '%s', '%s', '%s', '%s', "
                          "86400, '1'),\n", mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? "" : "'', ",
                          vacation->address, vacation_until, vacation->name, vacation->domain, vacation_from,
                          vacation_from, vacation_from, vacation_until);
  if (!run_string (db, sql, error))
    return FALSE;

  /* What Dovecot's quota plugin counted (dict:…:quota2). */
  sql = g_string_new ("INSERT INTO quota2 (username, bytes, messages) VALUES\n");
  for (guint i = 0; i < MW_DEMO_VMAIL_MAILBOXES; i++)
    {
      guint64 limit = (guint64) (mailboxes[i].quota_mb != 0 ? mailboxes[i].quota_mb : 4096) * PFA_MB;

      if (i % 4 == 3)
        continue;   /* never logged in: Dovecot wrote no row yet */
      g_string_append_printf (sql, "('%s', %" G_GUINT64_FORMAT ", %u),\n", mailboxes[i].address,
                              limit / 100 * ((i * 37) % 97), 12 + (i * 131) % 4000);
    }
  if (!run_string (db, sql, error))
    return FALSE;

  /* PostfixAdmin's admins (password "demo"): a superadmin with its "ALL"
   * row, as setup.php makes one, a domain admin of two domains, and one
   * that is disabled. */
  sql = g_string_new ("INSERT INTO admin (username, password, created, modified, active, superadmin) VALUES\n");
  g_string_append_printf (sql, "('admin@example.org', '%s', '2023-01-09 10:00:00', '2023-01-09 10:00:00', '1', '1'),\n"
                          "('postmaster@example.com', '%s', '2023-03-14 09:20:00', '2024-05-02 11:35:00', '1', '0'),\n"
                          "('aushilfe@example.org', '%s', '2024-11-04 08:00:00', '2025-01-31 17:00:00', '0', '0'),\n",
                          mailboxes[0].password, mailboxes[0].password, mailboxes[0].password);
  return run_string (db, sql, error) &&
         run (db, "INSERT INTO domain_admins (username, domain, created, active) VALUES "
                  "('admin@example.org', 'ALL', '2023-01-09 10:00:00', '1'), "
                  "('postmaster@example.com', 'example.com', '2023-03-14 09:20:00', '1'), "
                  "('postmaster@example.com', 'xn--bcher-kva.example', '2024-05-02 11:35:00', '1'), "
                  "('aushilfe@example.org', 'example.org', '2024-11-04 08:00:00', '1')", error);
}

gboolean
mw_demo_vmail_populate (MwDb           *db,
                        MwDemoFlavour   flavour,
                        GError        **error)
{
  Mailbox mailboxes[MW_DEMO_VMAIL_MAILBOXES] = { { 0 } };
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (flavour != MW_DEMO_FLAVOUR_DBMAIL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = make_mailboxes (mailboxes, error) &&
       mw_db_begin (db, error) &&
       (flavour == MW_DEMO_FLAVOUR_ISPMAIL ? populate_ispmail (db, mailboxes, error)
                                           : populate_postfixadmin (db, mailboxes, error)) &&
       mw_db_commit (db, error);
  if (!ok)
    mw_db_rollback (db, NULL);
  for (guint i = 0; i < MW_DEMO_VMAIL_MAILBOXES; i++)
    mailbox_clear (&mailboxes[i]);
  return ok;
}
