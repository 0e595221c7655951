/* mw-vmail-health.c: the health checks that apply to ISPmail and
 * PostfixAdmin (mw-health.h): postmaster@ and abuse@, catch-alls, aliases
 * to addresses here that nobody takes, forwards that loop, names equal but
 * for case, domains one edit apart and IDN look-alikes, password storage.
 * Their mail is in Maildirs, not in the database, so there are no orphans,
 * quota counters or INBOXes to check.
 *
 * PostfixAdmin keeps an alias's targets in one comma-separated goto: the
 * alias checks look at single-target rows (the mailboxes' own rows and
 * most forwards), which set-based SQL can compare on both servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-vmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-health-private.h"
#include "mw-ispmail-private.h"
#include "mw-ispmail-schema.h"
#include "mw-postfixadmin-private.h"
#include "mw-postfixadmin-schema.h"
#include "mw-sql-dialect.h"

typedef struct
{
  /* SQL with the flavour's table tokens. */
  const char *domains;       /* SELECT domain, number of mailboxes */
  const char *addresses;     /* SELECT address, target FROM ... (alias rows, one target each) */
  const char *alias_table;   /* for EXISTS: the aliases' table and column */
  const char *alias_col;
  const char *mailbox_table; /* the mailboxes' table and login/address column */
  const char *mailbox_col;
  const char *mailbox_key;   /* SQL: the account key */
  const char *password;
  const char *mailbox_where; /* "" or "WHERE ..." */
} Vmail;

enum
{
  CHECK_POSTMASTER,
  CHECK_CATCH_ALL,
  CHECK_ALIAS_TARGETS,
  CHECK_CASE_TWINS,
  CHECK_DOMAINS,
  CHECK_PASSWORDS,
  N_CHECKS
};

static const MwHealthCheckInfo *
list_checks (MwHealthStore *self,
             guint         *n_checks)
{
  static MwHealthCheckInfo checks[N_CHECKS];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      checks[CHECK_POSTMASTER] = (MwHealthCheckInfo) {
        "postmaster-abuse", _("Postmaster and abuse addresses"),
        _("Every domain should take mail for postmaster@ and abuse@.") };
      checks[CHECK_CATCH_ALL] = (MwHealthCheckInfo) {
        "catch-all", _("Catch-all addresses"),
        _("Addresses that take mail for every name of a domain.") };
      checks[CHECK_ALIAS_TARGETS] = (MwHealthCheckInfo) {
        "alias-targets", _("Aliases to missing mailboxes and loops"),
        _("Aliases to an address here that no mailbox or alias takes, and aliases that come back to "
          "themselves.") };
      checks[CHECK_CASE_TWINS] = (MwHealthCheckInfo) {
        "case-twins", _("Addresses equal but for case"),
        _("Mailboxes whose addresses differ only in upper and lower case.") };
      checks[CHECK_DOMAINS] = (MwHealthCheckInfo) {
        "domain-typos", _("Look-alike domains"),
        _("Domains one letter apart from another, and international domains that look like another.") };
      checks[CHECK_PASSWORDS] = (MwHealthCheckInfo) {
        "passwords", _("Password storage"),
        _("How passwords are stored, and the accounts whose password is stored weakly.") };
      g_once_init_leave (&done, 1);
    }
  *n_checks = N_CHECKS;
  return checks;
}

/* The flavour's SQL for @sql written with table tokens. */
static char *
sql_of (MwHealthStore *self,
        const char    *sql)
{
  if (MW_IS_ISPMAIL_SCHEMA (self))
    return _mw_ispmail_sql (MW_ISPMAIL_SCHEMA (self), sql);
  return _mw_postfixadmin_sql (MW_POSTFIXADMIN_SCHEMA (self), sql);
}

static Vmail
vmail_of (MwHealthStore *self,
          MwDbDriver     driver)
{
  if (MW_IS_ISPMAIL_SCHEMA (self))
    return (Vmail) {
      .domains = "SELECT lower(d.name) AS dom, count(u.id) AS n FROM [domains] d LEFT JOIN [users] u ON u.domain_id = d.id "
                 "GROUP BY d.name",
      .addresses = "SELECT source AS a, destination AS t FROM [aliases]",
      .alias_table = "[aliases]", .alias_col = "source",
      .mailbox_table = "[users]", .mailbox_col = "email",
      .mailbox_key = driver == MW_DB_DRIVER_PGSQL ? "CAST(id AS TEXT)" : "CAST(id AS CHAR)",
      .password = "password", .mailbox_where = "",
    };
  return (Vmail) {
    .domains = "SELECT lower(d.domain) AS dom, count(m.username) AS n FROM [domain] d LEFT JOIN [mailbox] m "
               "ON m.domain = d.domain WHERE d.domain <> 'ALL' GROUP BY d.domain",
    .addresses = "SELECT address AS a, goto AS t FROM [alias] WHERE goto NOT LIKE '%,%'",
    .alias_table = "[alias]", .alias_col = "address",
    .mailbox_table = "[mailbox]", .mailbox_col = "username",
    .mailbox_key = "username",
    .password = "password", .mailbox_where = "",
  };
}

static gboolean
check_postmaster (MwHealthStore *self,
                  MwHealthRun   *run,
                  const Vmail   *v,
                  GError       **error)
{
  g_autofree char *dsql = sql_of (self, v->domains);
  g_autoptr(GPtrArray) domains = _mw_health_read_domains (run, dsql, error);
  g_autofree char *psql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (domains == NULL)
    return FALSE;
  {
    g_autofree char *t = g_strdup_printf ("SELECT lower(%1$s) FROM %2$s WHERE lower(%1$s) LIKE 'postmaster@%%' "
                                          "OR lower(%1$s) LIKE 'abuse@%%' OR %1$s LIKE '@%%' UNION "
                                          "SELECT lower(%3$s) FROM %4$s WHERE lower(%3$s) LIKE 'postmaster@%%' "
                                          "OR lower(%3$s) LIKE 'abuse@%%'",
                                          v->alias_col, v->alias_table, v->mailbox_col, v->mailbox_table);
    psql = sql_of (self, t);
  }
  if ((r = mw_db_exec (run->db, psql, NULL, 0, run->cancellable, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_hash_table_add (present, g_strdup (mw_db_result_get_string (r, i, 0)));

  _mw_health_postmaster (run, domains, present, FALSE);
  return TRUE;
}

/* Adds "address → target" samples from rows (address, target). */
static void
add_alias_samples (MwHealthRun     *run,
                   MwHealthFinding *f,
                   MwDbResult      *r)
{
  for (guint i = 0; i < mw_db_result_get_n_rows (r) && f->samples->len < run->max_samples; i++)
    {
      const char *address = mw_db_result_get_string (r, i, 0);
      g_autofree char *label = g_strdup_printf (_("%s → %s"), address, mw_db_result_get_string (r, i, 1));

      mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_LIST, NULL, MW_LIST_ALIASES,
                                                             address, label, 0));
    }
}

static gboolean
check_catch_all (MwHealthStore *self,
                 MwHealthRun   *run,
                 const Vmail   *v,
                 GError       **error)
{
  g_autofree char *t = g_strdup_printf ("SELECT a, t FROM (%s) x WHERE a LIKE '@%%' ORDER BY a, t",
                                        v->addresses);
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  MwHealthFinding *f;
  guint n;

  /* PostfixAdmin: every catch-all, also with several targets. */
  if (MW_IS_POSTFIXADMIN_SCHEMA (self))
    {
      g_free (t);
      t = g_strdup ("SELECT address, goto FROM [alias] WHERE address LIKE '@%' ORDER BY address");
    }
  sql = sql_of (self, t);
  if ((r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error)) == NULL)
    return FALSE;
  if ((n = mw_db_result_get_n_rows (r)) == 0)
    return TRUE;
  f = _mw_health_add (run, "catch-all", MW_HEALTH_SEVERITY_INFO, n,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u catch-all address takes mail for any name: it also takes "
                                                    "the spam sent to made-up names.",
                                                    "%u catch-all addresses take mail for any name: they also take "
                                                    "the spam sent to made-up names.", n), n),
                      _("Keep a catch-all only where it is wanted; otherwise delete it, so that mail to unknown "
                        "names bounces."));
  mw_health_finding_set_list (f, MW_LIST_ALIASES, "@");
  add_alias_samples (run, f, r);
  return TRUE;
}

static gboolean
check_alias_targets (MwHealthStore *self,
                     MwHealthRun   *run,
                     const Vmail   *v,
                     GError       **error)
{
  g_autofree char *dom_t = mw_sql_domain_of (run->driver, "x.t");
  g_autofree char *dsql = NULL;
  g_autofree char *t = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  guint n;

  /* To an address of a domain here that no mailbox, no alias and no
   * catch-all of its domain takes. */
  t = g_strdup_printf (
    "SELECT x.a, x.t FROM (%1$s) x JOIN (%2$s) d ON d.dom = %3$s "
    "WHERE lower(x.a) <> lower(x.t) "
    "AND NOT EXISTS (SELECT 1 FROM %4$s m WHERE lower(m.%5$s) = lower(x.t)) "
    "AND NOT EXISTS (SELECT 1 FROM %6$s g WHERE lower(g.%7$s) = lower(x.t)) "
    "AND NOT EXISTS (SELECT 1 FROM %6$s c WHERE lower(c.%7$s) = CONCAT('@', %3$s)) ORDER BY x.a, x.t",
    v->addresses, v->domains, dom_t, v->mailbox_table, v->mailbox_col, v->alias_table, v->alias_col);
  sql = sql_of (self, t);
  if ((r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error)) == NULL)
    return FALSE;
  if ((n = mw_db_result_get_n_rows (r)) > 0)
    {
      MwHealthFinding *f = _mw_health_add (
        run, "alias-missing-mailbox", MW_HEALTH_SEVERITY_PROBLEM, n,
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u alias goes to an address here that no mailbox or alias takes: its mail "
                                      "bounces.",
                                      "%u aliases go to addresses here that no mailbox or alias takes: their mail "
                                      "bounces.", n), n),
        _("Correct the target (often a typo), create the missing mailbox, or delete the alias."));

      mw_health_finding_set_list (f, MW_LIST_ALIASES, NULL);
      add_alias_samples (run, f, r);
    }

  /* Loops, followed as the mail server follows aliases. */
  g_clear_pointer (&t, g_free);
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&r, mw_db_result_unref);
  t = g_strdup_printf (
    "WITH RECURSIVE e (src, dst) AS (SELECT DISTINCT lower(x.a), lower(x.t) FROM (%1$s) x "
    "WHERE lower(x.a) <> lower(x.t) AND EXISTS (SELECT 1 FROM %2$s g WHERE lower(g.%3$s) = lower(x.t))), "
    "r (start, cur) AS (SELECT src, dst FROM e UNION SELECT r.start, e.dst FROM r JOIN e ON e.src = r.cur) "
    "SELECT x.a, x.t FROM (%1$s) x WHERE lower(x.a) <> lower(x.t) AND lower(x.a) IN "
    "(SELECT start FROM r WHERE start = cur) ORDER BY x.a, x.t",
    v->addresses, v->alias_table, v->alias_col);
  sql = sql_of (self, t);
  if ((r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error)) == NULL)
    return FALSE;
  if ((n = mw_db_result_get_n_rows (r)) > 0)
    {
      MwHealthFinding *f = _mw_health_add (
        run, "alias-loop", MW_HEALTH_SEVERITY_PROBLEM, n,
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u alias is part of a loop: mail to it goes round until the server gives up "
                                      "and bounces it.",
                                      "%u aliases are part of loops: mail to them goes round until the server "
                                      "gives up and bounces it.", n), n),
        _("Change one alias of each loop to deliver to a mailbox."));

      mw_health_finding_set_list (f, MW_LIST_ALIASES, NULL);
      add_alias_samples (run, f, r);
    }
  return TRUE;
}

static gboolean
check_case_twins (MwHealthStore *self,
                  MwHealthRun   *run,
                  const Vmail   *v,
                  GError       **error)
{
  g_autofree char *agg = mw_sql_string_agg_distinct (run->driver, v->mailbox_col, ", ");
  g_autofree char *t = g_strdup_printf ("SELECT lower(%1$s), %2$s, count(*) FROM %3$s GROUP BY lower(%1$s) "
                                        "HAVING count(*) > 1 ORDER BY lower(%1$s)",
                                        v->mailbox_col, agg, v->mailbox_table);
  g_autofree char *sql = sql_of (self, t);
  g_autoptr(MwDbResult) r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error);
  guint64 n;
  MwHealthFinding *f;

  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    return TRUE;
  n = _mw_health_sum (r, 2);
  f = _mw_health_add (run, "case-twins", MW_HEALTH_SEVERITY_PROBLEM, n,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%" G_GUINT64_FORMAT " mailbox has an address that differs "
                                                    "from another only in case: mail servers compare addresses "
                                                    "without case, so one of them gets the other's mail.",
                                                    "%" G_GUINT64_FORMAT " mailboxes have addresses that differ "
                                                    "from another only in case: mail servers compare addresses "
                                                    "without case, so one of each gets the others' mail.", n), n),
                      _("Rename or delete all but one of each set, after moving its mail."));
  mw_health_finding_set_list (f, MW_LIST_USERS, NULL);
  _mw_health_list_samples (run, f, r, MW_LIST_USERS);
  return TRUE;
}

static gboolean
check_domains (MwHealthStore *self,
               MwHealthRun   *run,
               const Vmail   *v,
               GError       **error)
{
  g_autofree char *sql = sql_of (self, v->domains);

  return _mw_health_domains (run, sql, error);
}

static gboolean
check_passwords (MwHealthStore *self,
                 MwHealthRun   *run,
                 const Vmail   *v,
                 GError       **error)
{
  g_autofree char *t = g_strdup_printf ("FROM %s %s", v->mailbox_table, v->mailbox_where);
  g_autofree char *from = sql_of (self, t);
  MwHealthPasswords w = {
    .scheme_expr = NULL,
    .password_expr = v->password,
    .from = from,
    .key_expr = v->mailbox_key,
    .name_expr = v->mailbox_col,
    .list = MW_LIST_USERS,
  };

  return _mw_health_passwords (run, &w, error);
}

typedef gboolean (*CheckFunc) (MwHealthStore *self, MwHealthRun *run, const Vmail *v, GError **error);

static const CheckFunc check_funcs[N_CHECKS] = {
  [CHECK_POSTMASTER] = check_postmaster,
  [CHECK_CATCH_ALL] = check_catch_all,
  [CHECK_ALIAS_TARGETS] = check_alias_targets,
  [CHECK_CASE_TWINS] = check_case_twins,
  [CHECK_DOMAINS] = check_domains,
  [CHECK_PASSWORDS] = check_passwords,
};

static gboolean
call_check (MwHealthRun  *run,
            guint         index,
            gpointer      user_data,
            GError      **error)
{
  MwHealthStore *self = user_data;
  Vmail v = vmail_of (self, run->driver);

  return check_funcs[index] (self, run, &v, error);
}

static GPtrArray *
run_check (MwHealthStore  *self,
           MwDb           *db,
           const char     *check,
           guint           max_samples,
           GCancellable   *cancellable,
           GError        **error)
{
  guint n;
  const MwHealthCheckInfo *checks = list_checks (self, &n);

  return _mw_health_run_check (checks, n, db, check, max_samples, cancellable, call_check, self, error);
}

void
_mw_ispmail_health_iface_init (MwHealthStoreInterface *iface)
{
  iface->list_checks = list_checks;
  iface->run_check = run_check;
}

void
_mw_postfixadmin_health_iface_init (MwHealthStoreInterface *iface)
{
  iface->list_checks = list_checks;
  iface->run_check = run_check;
}
