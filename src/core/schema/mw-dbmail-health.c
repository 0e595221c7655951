/* mw-dbmail-health.c: DBMail's health checks (mw-health.h).
 *
 * Each check is a few set-based statements over the whole database (no
 * loop over users in C); only the domain checks compare in C, over the
 * distinct domains, which are few. What DBMail does and what the checks
 * follow is in DBMAIL-FACTS.md: aliases are looked up without case, a
 * numeric deliver_to is a user (who must be active), anything else is a
 * forward, resolved again up to 20 levels; catch-alls are "@domain" and
 * "local@". Orphans, quota counters and alias groups are found by the
 * cleanup's own statements (mw-dbmail-cleanup-private.h), so that a
 * finding and its repair count the same rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dbmail-cleanup-private.h"
#include "mw-dbmail-private.h"
#include "mw-dbmail.h"
#include "mw-health-private.h"
#include "mw-sql-dialect.h"

#define NOT_SYSTEM(col) MW_DBMAIL_NOT_SYSTEM (col)

enum
{
  CHECK_POSTMASTER,
  CHECK_CATCH_ALL,
  CHECK_ALIAS_TARGETS,
  CHECK_FORWARDS,
  CHECK_CASE_TWINS,
  CHECK_ORPHANS,
  CHECK_QUOTA,
  CHECK_INBOX,
  CHECK_DOMAINS,
  CHECK_ALIAS_GROUPS,
  CHECK_PASSWORDS,
  N_CHECKS
};

static const MwHealthCheckInfo *
list_checks (MwHealthStore *self,
             guint         *n_checks)
{
  static MwHealthCheckInfo checks[N_CHECKS];
  static gsize done = 0;

  /* Translated once: the language does not change while the program runs. */
  if (g_once_init_enter (&done))
    {
      checks[CHECK_POSTMASTER] = (MwHealthCheckInfo) {
        "postmaster-abuse", _("Postmaster and abuse addresses"),
        _("Every domain should take mail for postmaster@ and abuse@.") };
      checks[CHECK_CATCH_ALL] = (MwHealthCheckInfo) {
        "catch-all", _("Catch-all addresses"),
        _("Addresses that take mail for every name of a domain, and the group they are in.") };
      checks[CHECK_ALIAS_TARGETS] = (MwHealthCheckInfo) {
        "alias-targets", _("Aliases to missing or disabled users"),
        _("Aliases whose user is gone, disabled or over quota.") };
      checks[CHECK_FORWARDS] = (MwHealthCheckInfo) {
        "forwards", _("Forwards that loop or end nowhere"),
        _("Forwards that come back to themselves, or go to an address here that nobody takes.") };
      checks[CHECK_CASE_TWINS] = (MwHealthCheckInfo) {
        "case-twins", _("User names equal but for case"),
        _("Users whose names differ only in upper and lower case, which DBMail takes for one.") };
      checks[CHECK_ORPHANS] = (MwHealthCheckInfo) {
        "orphans", _("Mail without owners"),
        _("Folders, messages and message bodies that nothing alive reaches (as dbmail-util -t finds them).") };
      checks[CHECK_QUOTA] = (MwHealthCheckInfo) {
        "quota-counters", _("Quota counters"),
        _("Users whose stored mail size disagrees with the mail they have.") };
      checks[CHECK_INBOX] = (MwHealthCheckInfo) {
        "no-inbox", _("Users without an INBOX"),
        _("Users who have no INBOX folder.") };
      checks[CHECK_DOMAINS] = (MwHealthCheckInfo) {
        "domain-typos", _("Look-alike domains"),
        _("Domains one letter apart from another, and international domains that look like another.") };
      checks[CHECK_ALIAS_GROUPS] = (MwHealthCheckInfo) {
        "alias-groups", _("Alias groups"),
        _("Aliases in another group than their user.") };
      checks[CHECK_PASSWORDS] = (MwHealthCheckInfo) {
        "passwords", _("Password storage"),
        _("How passwords are stored, and the accounts whose password is stored weakly.") };
      g_once_init_leave (&done, 1);
    }
  *n_checks = N_CHECKS;
  return checks;
}

/* ------------------------------------------------------------------------ */

/* SQL: the distinct domains of users and aliases, with how many rows each. */
static char *
domains_sql (MwDbDriver driver)
{
  g_autofree char *du = mw_sql_domain_of (driver, "userid");
  g_autofree char *da = mw_sql_domain_of (driver, "alias");

  return g_strdup_printf ("SELECT d, count(*) FROM (SELECT %s AS d FROM {users} WHERE " NOT_SYSTEM ("userid")
                          " UNION ALL SELECT %s FROM {aliases}) x WHERE d IS NOT NULL GROUP BY d ORDER BY d",
                          du, da);
}

static gboolean
check_postmaster (MwHealthRun  *run,
                  GError      **error)
{
  g_autofree char *sql = domains_sql (run->driver);
  g_autoptr(GPtrArray) domains = _mw_health_read_domains (run, sql, error);
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(MwDbResult) r = NULL;

  if (domains == NULL)
    return FALSE;
  /* What takes mail for postmaster@ and abuse@: such an alias or user, a
   * domain catch-all, or the local-part catch-alls "postmaster@", "abuse@". */
  r = mw_db_exec (run->db,
                  "SELECT lower(alias) FROM {aliases} WHERE lower(alias) LIKE 'postmaster@%' "
                  "OR lower(alias) LIKE 'abuse@%' OR alias LIKE '@%' "
                  "UNION SELECT lower(userid) FROM {users} WHERE lower(userid) LIKE 'postmaster@%' "
                  "OR lower(userid) LIKE 'abuse@%'", NULL, 0, run->cancellable, error);
  if (r == NULL)
    return FALSE;
  for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
    g_hash_table_add (present, g_strdup (mw_db_result_get_string (r, i, 0)));
  _mw_health_postmaster (run, domains, present, TRUE);
  return TRUE;
}

static gboolean
check_catch_all (MwHealthRun  *run,
                 GError      **error)
{
  const char *where = "FROM {aliases} WHERE (alias LIKE '@%' OR alias LIKE '%@')";
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) %s", where);
  g_autofree char *sample_sql = NULL;
  MwHealthFinding *f;
  gint64 n;

  if ((n = _mw_health_count (run, count_sql, error)) < 0)
    return FALSE;
  if (n == 0)
    return TRUE;
  f = _mw_health_add (run, "catch-all", MW_HEALTH_SEVERITY_INFO, (guint64) n,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%" G_GINT64_FORMAT " catch-all address takes mail for any "
                                                    "name: it also takes the spam sent to made-up names.",
                                                    "%" G_GINT64_FORMAT " catch-all addresses take mail for any "
                                                    "name: they also take the spam sent to made-up names.", n), n),
                      _("Keep a catch-all only where it is wanted; otherwise delete it, so that mail to unknown "
                        "names bounces."));
  mw_health_finding_set_list (f, MW_LIST_ALIASES, "@");
  sample_sql = g_strdup_printf ("SELECT alias_idnr, %s, client_idnr %s ORDER BY alias, alias_idnr LIMIT %u",
                                "alias", where, run->max_samples);
  {
    g_autoptr(MwDbResult) r = mw_db_exec (run->db, sample_sql, NULL, 0, run->cancellable, error);

    if (r == NULL)
      return FALSE;
    for (guint i = 0; i < mw_db_result_get_n_rows (r); i++)
      {
        g_autofree char *key = _mw_dbmail_key (mw_db_result_get_int64 (r, i, 0));
        const char *alias = mw_db_result_get_string (r, i, 1);
        /* Translators: a catch-all address and the group (client number) it is in. */
        g_autofree char *label = g_strdup_printf (_("%s (group %" G_GINT64_FORMAT ")"), alias,
                                                  mw_db_result_get_int64 (r, i, 2));

        mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_ADDRESS, key, MW_LIST_ALIASES,
                                                               alias, label, 0));
      }
  }
  return TRUE;
}

static gboolean
check_alias_targets (MwHealthRun  *run,
                     GError      **error)
{
  g_autofree char *digits = mw_sql_is_digits (run->driver, "a.deliver_to");
  g_autofree char *number = mw_sql_text_to_bigint (run->driver, "a.deliver_to");
  g_autofree char *from = g_strdup_printf ("FROM {aliases} a LEFT JOIN {users} u ON u.user_idnr = %s WHERE %s",
                                           number, digits);
  static const char *const conds[] = {
    "u.user_idnr IS NULL",
    "u.active = 0",
    "u.active <> 0 AND u.maxmail_size > 0 AND u.curmail_size >= u.maxmail_size",
  };
  g_autofree char *sql = g_strdup_printf ("SELECT sum(CASE WHEN %s THEN 1 ELSE 0 END), "
                                          "sum(CASE WHEN %s THEN 1 ELSE 0 END), "
                                          "sum(CASE WHEN %s THEN 1 ELSE 0 END) %s",
                                          conds[0], conds[1], conds[2], from);
  g_autoptr(MwDbResult) r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error);

  if (r == NULL)
    return FALSE;
  for (guint k = 0; k < 3; k++)
    {
      gint64 n = mw_db_result_is_null (r, 0, k) ? 0 : mw_db_result_get_int64 (r, 0, k);
      g_autofree char *sample_sql = NULL;
      g_autoptr(MwDbResult) s = NULL;
      MwHealthFinding *f;

      if (n <= 0)
        continue;
      if (k == 0)
        f = _mw_health_add (run, "alias-missing-user", MW_HEALTH_SEVERITY_PROBLEM, (guint64) n,
                            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%" G_GINT64_FORMAT " alias delivers to a user who no "
                                                          "longer exists: its mail bounces.",
                                                          "%" G_GINT64_FORMAT " aliases deliver to users who no "
                                                          "longer exist: their mail bounces.", n), n),
                            _("Point each alias at the right user, or delete it (the cleanup's “dbmail-util -s” "
                              "would delete them all)."));
      else if (k == 1)
        f = _mw_health_add (run, "alias-disabled-user", MW_HEALTH_SEVERITY_WARNING, (guint64) n,
                            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%" G_GINT64_FORMAT " alias delivers to a disabled "
                                                          "user: DBMail delivers its mail to nobody.",
                                                          "%" G_GINT64_FORMAT " aliases deliver to disabled "
                                                          "users: DBMail delivers their mail to nobody.", n), n),
                            _("Enable the user again, or point the alias at someone who reads the mail."));
      else
        f = _mw_health_add (run, "alias-over-quota", MW_HEALTH_SEVERITY_WARNING, (guint64) n,
                            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%" G_GINT64_FORMAT " alias delivers to a user whose "
                                                          "mailbox is full: new mail to it is refused.",
                                                          "%" G_GINT64_FORMAT " aliases deliver to users whose "
                                                          "mailboxes are full: new mail to them is refused.", n),
                                             n),
                            _("Raise the user's quota, or ask the user to delete mail."));
      mw_health_finding_set_list (f, MW_LIST_ALIASES, NULL);
      sample_sql = g_strdup_printf ("SELECT a.alias_idnr, a.alias, a.deliver_to, u.userid %s AND %s "
                                    "ORDER BY a.alias, a.alias_idnr LIMIT %u", from, conds[k], run->max_samples);
      if ((s = mw_db_exec (run->db, sample_sql, NULL, 0, run->cancellable, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < mw_db_result_get_n_rows (s); i++)
        {
          g_autofree char *key = _mw_dbmail_key (mw_db_result_get_int64 (s, i, 0));
          const char *alias = mw_db_result_get_string (s, i, 1);
          const char *user = mw_db_result_get_string (s, i, 3);
          /* Translators: an alias and the user it delivers to; the second %s is the user's number when the
           * user is gone. */
          g_autofree char *label = user != NULL ? g_strdup_printf (_("%s → %s"), alias, user)
                                                : g_strdup_printf (_("%s → user %s (gone)"), alias,
                                                                   mw_db_result_get_string (s, i, 2));

          mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_ADDRESS, key, MW_LIST_ALIASES,
                                                                 alias, label, 0));
        }
    }
  return TRUE;
}

/* SQL condition: deliver_to of @t is a forward to an address (not a user's
 * number, not a program). */
static char *
forward_cond (MwDbDriver  driver,
              const char *t)
{
  g_autofree char *digits = mw_sql_is_digits (driver, t);

  return g_strdup_printf ("NOT %s AND %s NOT LIKE '|%%' AND %s NOT LIKE '!%%'", digits, t, t);
}

static gboolean
check_forwards (MwHealthRun  *run,
                GError      **error)
{
  g_autofree char *fwd = forward_cond (run->driver, "f.deliver_to");
  g_autofree char *match = mw_sql_ci_equal (run->driver, "g.alias", "f.deliver_to");
  g_autofree char *ci_alias = mw_sql_ci (run->driver, "f.alias");
  g_autofree char *ci_target = mw_sql_ci (run->driver, "f.deliver_to");
  g_autofree char *loops_sql = NULL;
  g_autoptr(MwDbResult) r = NULL;
  gint64 n;

  /* Loops: follow forwards that name another alias, as DBMail does (rows
   * with alias = deliver_to are skipped by its lookup), until nothing new
   * is reached; an address that reaches itself loops. UNION stops it. */
  loops_sql = g_strdup_printf (
    "WITH RECURSIVE e (src, dst) AS (SELECT DISTINCT %1$s, %2$s FROM {aliases} f "
    "WHERE %3$s AND %1$s <> %2$s AND EXISTS (SELECT 1 FROM {aliases} g WHERE %4$s)), "
    "r (start, cur) AS (SELECT src, dst FROM e UNION SELECT r.start, e.dst FROM r JOIN e ON e.src = r.cur) "
    "SELECT f.alias_idnr, f.alias, f.deliver_to FROM {aliases} f WHERE %3$s AND %1$s IN "
    "(SELECT start FROM r WHERE start = cur) ORDER BY f.alias, f.alias_idnr",
    ci_alias, ci_target, fwd, match);
  if ((r = mw_db_exec (run->db, loops_sql, NULL, 0, run->cancellable, error)) == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) > 0)
    {
      guint rows = mw_db_result_get_n_rows (r);
      MwHealthFinding *f = _mw_health_add (
        run, "forward-loop", MW_HEALTH_SEVERITY_PROBLEM, rows,
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u forward is part of a loop: mail to it goes round until DBMail gives up "
                                      "and bounces it.",
                                      "%u forwards are part of loops: mail to them goes round until DBMail gives "
                                      "up and bounces it.", rows), rows),
        _("Change one forward of each loop to deliver to a user."));

      mw_health_finding_set_list (f, MW_LIST_FORWARDS, NULL);
      for (guint i = 0; i < rows && f->samples->len < run->max_samples; i++)
        {
          g_autofree char *key = _mw_dbmail_key (mw_db_result_get_int64 (r, i, 0));
          const char *alias = mw_db_result_get_string (r, i, 1);
          g_autofree char *label = g_strdup_printf (_("%s → %s"), alias, mw_db_result_get_string (r, i, 2));

          mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_ADDRESS, key, MW_LIST_FORWARDS,
                                                                 alias, label, 0));
        }
    }

  /* Dead ends: a forward to an address of a domain that has users here,
   * which no alias, no user and no catch-all of its domain takes. */
  {
    g_autofree char *dom_t = mw_sql_domain_of (run->driver, "f.deliver_to");
    g_autofree char *dom_u = mw_sql_domain_of (run->driver, "userid");
    g_autofree char *to_user = mw_sql_ci_equal (run->driver, "u.userid", "f.deliver_to");
    g_autofree char *to_alias = mw_sql_ci_equal (run->driver, "g.alias", "f.deliver_to");
    g_autofree char *from = NULL;
    g_autofree char *count_sql = NULL;
    g_autofree char *sample_sql = NULL;
    g_autofree char *catch_cond = NULL;
    MwHealthFinding *f;

    catch_cond = run->driver == MW_DB_DRIVER_PGSQL
                 ? g_strdup_printf ("lower(c.alias) = '@' || %s", dom_t)
                 : g_strdup_printf ("c.alias = CONCAT('@', %s)", dom_t);
    from = g_strdup_printf (
      "FROM {aliases} f JOIN (SELECT DISTINCT %s AS d FROM {users} WHERE " NOT_SYSTEM ("userid") ") ld "
      "ON ld.d = %s WHERE %s AND NOT EXISTS (SELECT 1 FROM {aliases} g WHERE %s) "
      "AND NOT EXISTS (SELECT 1 FROM {users} u WHERE %s) AND NOT EXISTS (SELECT 1 FROM {aliases} c WHERE %s)",
      dom_u, dom_t, fwd, to_alias, to_user, catch_cond);
    count_sql = g_strdup_printf ("SELECT count(*) %s", from);
    if ((n = _mw_health_count (run, count_sql, error)) < 0)
      return FALSE;
    if (n > 0)
      {
        g_autoptr(MwDbResult) s = NULL;

        f = _mw_health_add (run, "forward-dead-end", MW_HEALTH_SEVERITY_PROBLEM, (guint64) n,
                            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%" G_GINT64_FORMAT " forward goes to an address of a "
                                                          "domain here that no user or alias takes: its mail "
                                                          "bounces.",
                                                          "%" G_GINT64_FORMAT " forwards go to addresses of "
                                                          "domains here that no user or alias takes: their mail "
                                                          "bounces.", n), n),
                            _("Correct the target (often a typo), create the missing address, or delete the "
                              "forward."));
        mw_health_finding_set_list (f, MW_LIST_FORWARDS, NULL);
        sample_sql = g_strdup_printf ("SELECT f.alias_idnr, f.alias, f.deliver_to %s ORDER BY f.alias, f.alias_idnr "
                                      "LIMIT %u", from, run->max_samples);
        if ((s = mw_db_exec (run->db, sample_sql, NULL, 0, run->cancellable, error)) == NULL)
          return FALSE;
        for (guint i = 0; i < mw_db_result_get_n_rows (s); i++)
          {
            g_autofree char *key = _mw_dbmail_key (mw_db_result_get_int64 (s, i, 0));
            const char *alias = mw_db_result_get_string (s, i, 1);
            g_autofree char *label = g_strdup_printf (_("%s → %s"), alias, mw_db_result_get_string (s, i, 2));

            mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_ADDRESS, key,
                                                                   MW_LIST_FORWARDS, alias, label, 0));
          }
      }
  }
  return TRUE;
}

static gboolean
check_case_twins (MwHealthRun  *run,
                  GError      **error)
{
  g_autofree char *names = mw_sql_string_agg_distinct (run->driver, "userid", ", ");
  g_autofree char *sql = g_strdup_printf ("SELECT lower(userid), %s, count(*) FROM {users} WHERE "
                                          NOT_SYSTEM ("userid") " GROUP BY lower(userid) HAVING count(*) > 1 "
                                          "ORDER BY lower(userid)", names);
  g_autoptr(MwDbResult) r = mw_db_exec (run->db, sql, NULL, 0, run->cancellable, error);
  guint64 users;
  MwHealthFinding *f;

  if (r == NULL)
    return FALSE;
  if (mw_db_result_get_n_rows (r) == 0)
    return TRUE;
  users = _mw_health_sum (r, 2);
  f = _mw_health_add (run, "case-twins", MW_HEALTH_SEVERITY_PROBLEM, users,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%" G_GUINT64_FORMAT " user has a name that differs from "
                                                    "another only in case: DBMail looks names up without case, so "
                                                    "only one of them can log in and get mail.",
                                                    "%" G_GUINT64_FORMAT " users have names that differ from "
                                                    "another only in case: DBMail looks names up without case, so "
                                                    "only one of each can log in and get mail.", users), users),
                      _("Rename or delete all but one of each set, after moving its mail."));
  mw_health_finding_set_list (f, MW_LIST_USERS, NULL);
  _mw_health_list_samples (run, f, r, MW_LIST_USERS);
  return TRUE;
}

static const char *
cleanup_fix (void)
{
  return _("Run the cleanup (the Health page's Cleanup, or mailwarden-cli cleanup): it shows what it would do "
           "first.");
}

static gboolean
check_orphans (MwHealthRun  *run,
               GError      **error)
{
  static const char *const ids[MW_DBMAIL_N_ORPHAN_KINDS] = {
    "orphan-mailboxes", "orphan-messages", "orphan-physmessages", "orphan-partlists", "orphan-mimeparts",
    "orphan-headervalues",
  };

  for (guint k = 0; k < MW_DBMAIL_N_ORPHAN_KINDS; k++)
    {
      gint64 n = _mw_dbmail_count_orphans (run->db, k, run->cancellable, error);
      g_autoptr(GPtrArray) rows = NULL;
      g_autofree char *what = NULL;
      MwHealthFinding *f;

      if (n < 0)
        return FALSE;
      if (n == 0)
        continue;
      what = _mw_dbmail_orphan_describe (k, n);
      f = _mw_health_add (run, ids[k], k <= MW_DBMAIL_ORPHAN_PHYSMESSAGES ? MW_HEALTH_SEVERITY_PROBLEM
                                                                       : MW_HEALTH_SEVERITY_WARNING, (guint64) n,
                          /* Translators: %s is a count with what it counts, "2 message bodies no message uses". */
                          g_strdup_printf (_("%s: they take room and are never shown."), what), cleanup_fix ());
      if ((rows = _mw_dbmail_sample_orphans (run->db, k, run->max_samples, run->cancellable, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        {
          MwDbmailCleanupRow *row = rows->pdata[i];
          g_autofree char *label = row->name != NULL
            /* Translators: an orphaned row: its number and (second form) a folder's name. */
            ? g_strdup_printf (_("%s “%s”"), row->key, row->name)
            : g_strdup (row->key);

          mw_health_finding_add_sample (f, mw_health_sample_new (MW_HEALTH_TARGET_NONE, NULL, MW_LIST_USERS, NULL,
                                                                 label, (guint64) MAX (row->stored, 0)));
        }
    }
  return TRUE;
}

/* Adds a sample linking to each of @rows (may be NULL on failure; freed),
 * written by @label. */
static gboolean
add_row_samples (MwHealthRun          *run,
                 MwHealthFinding      *f,
                 GPtrArray            *rows,
                 MwHealthTargetKind    target,
                 MwListKind            list,
                 char               *(*label) (const MwDbmailCleanupRow *row))
{
  g_autoptr(GPtrArray) owned = rows;

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      MwDbmailCleanupRow *row = rows->pdata[i];
      g_autofree char *text = label (row);

      mw_health_finding_add_sample (f, mw_health_sample_new (target, row->key, list, row->name, text, 0));
    }
  return TRUE;
}

static char *
quota_label (const MwDbmailCleanupRow *row)
{
  /* Translators: a user, the mail size stored for it and the size of its mail, in bytes. */
  return g_strdup_printf (_("%s: %" G_GINT64_FORMAT " stored, %" G_GINT64_FORMAT " counted"),
                          row->name, row->stored, row->actual);
}

static char *
alias_group_label (const MwDbmailCleanupRow *row)
{
  /* Translators: an alias, its group, its user and the user's group. */
  return g_strdup_printf (_("%s (group %" G_GINT64_FORMAT ") → %s (group %" G_GINT64_FORMAT ")"),
                          row->name, row->stored, row->owner_name, row->actual);
}

static gboolean
check_quota (MwHealthRun  *run,
             GError      **error)
{
  gint64 n = _mw_dbmail_count_wrong_quota (run->db, run->cancellable, error);
  MwHealthFinding *f;

  if (n <= 0)
    return n == 0;
  f = _mw_health_add (run, "quota-counters", MW_HEALTH_SEVERITY_WARNING, (guint64) n,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%" G_GINT64_FORMAT " user's stored mail size disagrees with "
                                                    "the mail the user has: DBMail refuses mail too early or too "
                                                    "late.",
                                                    "%" G_GINT64_FORMAT " users' stored mail sizes disagree with "
                                                    "the mail they have: DBMail refuses mail too early or too "
                                                    "late.", n), n),
                      cleanup_fix ());
  mw_health_finding_set_list (f, MW_LIST_USERS, NULL);
  return add_row_samples (run, f, _mw_dbmail_sample_wrong_quota (run->db, run->max_samples, run->cancellable, error),
                          MW_HEALTH_TARGET_ACCOUNT, MW_LIST_USERS, quota_label);
}

static gboolean
check_inbox (MwHealthRun  *run,
             GError      **error)
{
  const char *from = "FROM {users} u WHERE " NOT_SYSTEM ("u.userid") " AND NOT EXISTS (SELECT 1 FROM {mailboxes} m "
                     "WHERE m.owner_idnr = u.user_idnr AND m.name = 'INBOX')";
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) %s", from);
  g_autofree char *key = mw_sql_int_to_text (run->driver, "u.user_idnr");
  g_autofree char *sample_sql = g_strdup_printf ("SELECT %s, u.userid %s ORDER BY u.userid LIMIT %u", key, from,
                                                 run->max_samples);
  MwHealthFinding *f;
  gint64 n;

  if ((n = _mw_health_count (run, count_sql, error)) < 0)
    return FALSE;
  if (n == 0)
    return TRUE;
  f = _mw_health_add (run, "no-inbox", MW_HEALTH_SEVERITY_WARNING, (guint64) n,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%" G_GINT64_FORMAT " user has no INBOX: mail programs show "
                                                    "an empty account until mail arrives.",
                                                    "%" G_GINT64_FORMAT " users have no INBOX: mail programs show "
                                                    "an empty account until mail arrives.", n), n),
                      _("Nothing is lost: DBMail creates the INBOX with the first delivery. Delete the user if the "
                        "account was never used."));
  mw_health_finding_set_list (f, MW_LIST_USERS, NULL);
  return _mw_health_samples (run, f, sample_sql, MW_HEALTH_TARGET_ACCOUNT, MW_LIST_USERS, error);
}

static gboolean
check_domains (MwHealthRun  *run,
               GError      **error)
{
  g_autofree char *sql = domains_sql (run->driver);

  return _mw_health_domains (run, sql, error);
}

static gboolean
check_alias_groups (MwHealthRun  *run,
                    GError      **error)
{
  gint64 n = _mw_dbmail_count_wrong_alias_groups (run->db, run->cancellable, error);
  MwHealthFinding *f;

  if (n <= 0)
    return n == 0;
  f = _mw_health_add (run, "alias-groups", MW_HEALTH_SEVERITY_INFO, (guint64) n,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%" G_GINT64_FORMAT " alias is in another group than its user: "
                                                    "lists and counts by group do not match.",
                                                    "%" G_GINT64_FORMAT " aliases are in another group than their "
                                                    "users: lists and counts by group do not match.", n), n),
                      cleanup_fix ());
  mw_health_finding_set_list (f, MW_LIST_ALIASES, NULL);
  return add_row_samples (run, f,
                          _mw_dbmail_sample_wrong_alias_groups (run->db, run->max_samples, run->cancellable, error),
                          MW_HEALTH_TARGET_ADDRESS, MW_LIST_ALIASES, alias_group_label);
}

static gboolean
check_passwords (MwHealthRun  *run,
                 GError      **error)
{
  g_autofree char *key = mw_sql_int_to_text (run->driver, "user_idnr");
  MwHealthPasswords w = {
    .scheme_expr = "encryption_type",
    .password_expr = "passwd",
    .from = "FROM {users} WHERE " NOT_SYSTEM ("userid"),
    .key_expr = key,
    .name_expr = "userid",
    .list = MW_LIST_USERS,
  };

  return _mw_health_passwords (run, &w, error);
}

typedef gboolean (*CheckFunc) (MwHealthRun *run, GError **error);

static const CheckFunc check_funcs[N_CHECKS] = {
  [CHECK_POSTMASTER] = check_postmaster,
  [CHECK_CATCH_ALL] = check_catch_all,
  [CHECK_ALIAS_TARGETS] = check_alias_targets,
  [CHECK_FORWARDS] = check_forwards,
  [CHECK_CASE_TWINS] = check_case_twins,
  [CHECK_ORPHANS] = check_orphans,
  [CHECK_QUOTA] = check_quota,
  [CHECK_INBOX] = check_inbox,
  [CHECK_DOMAINS] = check_domains,
  [CHECK_ALIAS_GROUPS] = check_alias_groups,
  [CHECK_PASSWORDS] = check_passwords,
};

static gboolean
call_check (MwHealthRun  *run,
            guint         index,
            gpointer      user_data,
            GError      **error)
{
  return check_funcs[index] (run, error);
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

  return _mw_health_run_check (checks, n, db, check, max_samples, cancellable, call_check, NULL, error);
}

void
_mw_dbmail_health_iface_init (MwHealthStoreInterface *iface)
{
  iface->list_checks = list_checks;
  iface->run_check = run_check;
}
