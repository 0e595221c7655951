/* mw-health-private.h: what the flavours' health checks share
 * (mw-health-checks.c); for src/core/schema only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-health.h"

G_BEGIN_DECLS

void _mw_dbmail_health_iface_init       (MwHealthStoreInterface *iface);
void _mw_ispmail_health_iface_init      (MwHealthStoreInterface *iface);
void _mw_postfixadmin_health_iface_init (MwHealthStoreInterface *iface);

/* Accounts sharing one salt from this many on are a finding. */
#define MW_HEALTH_SHARED_SALT_MIN 3
/* bcrypt below this cost is weak. */
#define MW_HEALTH_BCRYPT_MIN_COST 10

/* One check's run: where the findings go. */
typedef struct
{
  MwDb         *db;
  MwDbDriver    driver;
  const char   *check;
  guint         max_samples;
  GCancellable *cancellable;
  GPtrArray    *findings;     /* MwHealthFinding */
} MwHealthRun;

/* Runs check number @index of the flavour's list. */
typedef gboolean (*MwHealthCheckFunc) (MwHealthRun *run, guint index, gpointer user_data, GError **error);

/* The flavours' run_check: finds @check in @checks and calls @func with
 * a run for it; the findings, or NULL with @error set. */
GPtrArray       *_mw_health_run_check (const MwHealthCheckInfo *checks, guint n_checks, MwDb *db, const char *check,
                                       guint max_samples, GCancellable *cancellable, MwHealthCheckFunc func,
                                       gpointer user_data, GError **error);

/* Adds a finding (takes @reason) and returns it, to add samples to. */
MwHealthFinding *_mw_health_add (MwHealthRun *run, const char *id, MwHealthSeverity severity, guint64 count,
                                 char *reason, const char *fix);

/* The first column of the first row as a number; -1 on failure. */
gint64           _mw_health_count (MwHealthRun *run, const char *sql, GError **error);

/* SQL: expr matches the regular expression (POSIX, both servers). (transfer full) */
char            *_mw_health_regexp (MwDbDriver driver, const char *expr, const char *pattern);

/* A domain and how many accounts and addresses it has. */
typedef struct
{
  char   *name;      /* as stored, lower case (A-labels) */
  gint64  rows;
} MwHealthDomain;

void             _mw_health_domain_free (MwHealthDomain *domain);
/* Reads "SELECT domain, count" rows. (element-type MwHealthDomain) (transfer container) */
GPtrArray       *_mw_health_read_domains (MwHealthRun *run, const char *sql, GError **error);
/* Domains one edit apart (substitution, insertion, deletion or two
 * neighbours swapped): finding "domain-one-edit"; samples link to @list. */
void             _mw_health_domain_typos (MwHealthRun *run, GPtrArray *domains, MwListKind list);
/* IDN domains whose labels mix scripts ("idn-mixed-script") or that look
 * like another domain of the list ("idn-lookalike"). */
void             _mw_health_idn_lookalikes (MwHealthRun *run, GPtrArray *domains, MwListKind list);

/* Reads the domains with @sql ("SELECT domain, count") and runs
 * _mw_health_domain_typos() and _mw_health_idn_lookalikes() on them. */
gboolean         _mw_health_domains (MwHealthRun *run, const char *sql, GError **error);

/* Findings "missing-postmaster" and "missing-abuse": the @domains whose
 * postmaster@ (abuse@) neither their own address nor their domain catch-all
 * "@domain" in @present (lower case) takes; with @local_catch_alls, a
 * "postmaster@" ("abuse@") in @present takes it for every domain. */
void             _mw_health_postmaster (MwHealthRun *run, GPtrArray *domains, GHashTable *present,
                                        gboolean local_catch_alls);

/* The sum of column @col of @r's rows. */
guint64          _mw_health_sum (MwDbResult *r, guint col);
/* Adds samples linking to @list from rows (search text, label, count). */
void             _mw_health_list_samples (MwHealthRun *run, MwHealthFinding *finding, MwDbResult *r,
                                          MwListKind list);

/* Where the passwords are. */
typedef struct
{
  const char *scheme_expr;    /* (nullable) DBMail: its encryption_type column; else NULL: Dovecot's
                               * "{SCHEME}" prefix in the password, or a bare crypt(3) string */
  const char *password_expr;  /* the stored password */
  const char *from;           /* "FROM ... WHERE ..." of the accounts that can log in */
  const char *key_expr;       /* the account key's SQL (text) */
  const char *name_expr;      /* the login name */
  MwListKind  list;           /* the accounts' list */
} MwHealthPasswords;

/* Counts per scheme ("password-schemes", info) and the weak ones:
 * "password-plaintext", "password-unsalted", "password-des-crypt",
 * "password-md5-crypt", "password-bcrypt-low-cost", "password-shared-salt". */
gboolean         _mw_health_passwords (MwHealthRun *run, const MwHealthPasswords *where, GError **error);

/* Adds samples from "SELECT key, label[, count] ... LIMIT n" rows. */
gboolean         _mw_health_samples (MwHealthRun *run, MwHealthFinding *finding, const char *sql,
                                     MwHealthTargetKind target, MwListKind list, GError **error);

G_END_DECLS
