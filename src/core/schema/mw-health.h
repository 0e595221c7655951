/* mw-health.h: health checks of a mail database (FEATURES F2, F4): each
 * check looks at the whole database with set-based SQL and gives findings,
 * each with a reason and a fix in sentences, a count, a few samples, and
 * what it concerns (an account, an address, a list with a search) so that a
 * page can link to it.
 *
 * The optional interface MwHealthStore is implemented by the flavours that
 * have checks (DBMail; ISPmail and PostfixAdmin where a check applies);
 * mw_schema_has_health () says whether it is there and the mw_schema_*()
 * functions below refuse with a sentence where it is not. They run on a
 * worker; the GUI and the CLI use the session's wrappers
 * (mw-session-health.h), which run the checks one after the other and
 * report each as it finishes.
 *
 * Checks only read: nothing here changes the database (the cleanup area,
 * mw-cleanup.h, repairs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-db.h"
#include "mw-list-info.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* How many samples a finding keeps unless the caller asks otherwise. */
#define MW_HEALTH_DEFAULT_SAMPLES 10

typedef enum
{
  MW_HEALTH_SEVERITY_INFO,      /* worth knowing (counts per password scheme, catch-alls) */
  MW_HEALTH_SEVERITY_WARNING,   /* likely a mistake or a risk (no abuse@, weak passwords) */
  MW_HEALTH_SEVERITY_PROBLEM,   /* wrong data: mail lost or misdelivered, orphans, loops */
} MwHealthSeverity;

/* What a sample (or a whole finding) concerns, for a link. */
typedef enum
{
  MW_HEALTH_TARGET_NONE,      /* nothing to open (an orphan row, a figure) */
  MW_HEALTH_TARGET_ACCOUNT,   /* key: an account's key (mw_session_get_account_async ()) */
  MW_HEALTH_TARGET_ADDRESS,   /* key: an address's key */
  MW_HEALTH_TARGET_LIST,      /* list + search: open that list searched for that text */
} MwHealthTargetKind;

typedef struct
{
  MwHealthTargetKind  target;
  char               *key;      /* (nullable) account or address key */
  MwListKind          list;     /* the list that shows it (also for ACCOUNT and ADDRESS) */
  char               *search;   /* (nullable) text to search for in that list */
  char               *label;    /* what to show: "alice@example.com", "example.con ~ example.com",
                                 * "mailbox 42 (owner 17 is gone)"; addresses as stored (A-labels) */
  guint64             count;    /* a figure that goes with it (accounts sharing a salt, users of a
                                 * scheme); 0 when none */
} MwHealthSample;

MwHealthSample *mw_health_sample_new  (MwHealthTargetKind target, const char *key, MwListKind list,
                                       const char *search, const char *label, guint64 count);
MwHealthSample *mw_health_sample_copy (const MwHealthSample *sample);
void            mw_health_sample_free (MwHealthSample *sample);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwHealthSample, mw_health_sample_free)

typedef struct
{
  char             *check;     /* the check's id, stable for scripts: "postmaster-abuse" */
  char             *id;        /* the finding's id, stable: "missing-abuse", "password-md5-crypt" */
  MwHealthSeverity  severity;
  char             *reason;    /* translated sentence: what is wrong and why it matters */
  char             *fix;       /* translated sentence: what to do */
  guint64           count;     /* how many rows (accounts, aliases, domains ...) it concerns */
  GPtrArray        *samples;   /* MwHealthSample, at most the max_samples asked for */
  /* The list that shows all of them, with its search (nullable), when
   * there is one; list_search NULL and has_list FALSE otherwise. */
  gboolean          has_list;
  MwListKind        list;
  char             *list_search;
} MwHealthFinding;

MwHealthFinding *mw_health_finding_new  (const char *check, const char *id, MwHealthSeverity severity,
                                         const char *reason, const char *fix, guint64 count);
MwHealthFinding *mw_health_finding_copy (const MwHealthFinding *finding);
void             mw_health_finding_free (MwHealthFinding *finding);
/* Adds a sample (takes it). */
void             mw_health_finding_add_sample (MwHealthFinding *finding, MwHealthSample *sample);
/* Sets the list that shows all of them. */
void             mw_health_finding_set_list   (MwHealthFinding *finding, MwListKind list, const char *search);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwHealthFinding, mw_health_finding_free)

/* "info", "warning", "problem" (stable, for scripts) and its translated word. */
const char *mw_health_severity_to_string (MwHealthSeverity severity);
const char *mw_health_severity_label     (MwHealthSeverity severity);

/* A check a flavour runs. */
typedef struct
{
  const char *id;            /* stable: "postmaster-abuse" */
  const char *title;         /* translated: "Postmaster and abuse addresses" */
  const char *description;   /* translated: what it looks for, one sentence */
} MwHealthCheckInfo;

#define MW_TYPE_HEALTH_STORE (mw_health_store_get_type ())
G_DECLARE_INTERFACE (MwHealthStore, mw_health_store, MW, HEALTH_STORE, GObject)

struct _MwHealthStoreInterface
{
  GTypeInterface parent_iface;

  /* The checks, in the order they run; static, translated on each call. */
  const MwHealthCheckInfo *(*list_checks) (MwHealthStore *self, guint *n_checks);
  GPtrArray               *(*run_check)   (MwHealthStore *self, MwDb *db, const char *check, guint max_samples,
                                           GCancellable *cancellable, GError **error);
};

/* Whether the flavour has health checks. */
gboolean                 mw_schema_has_health        (MwSchema *self);
/* The checks this flavour runs, in order (*n_checks of them); an empty
 * list (NULL, 0) where it has none. */
const MwHealthCheckInfo *mw_schema_list_health_checks (MwSchema *self, guint *n_checks);
/* The check named @check (an id from the list), NULL when this flavour has
 * no such check. */
const MwHealthCheckInfo *mw_schema_find_health_check  (MwSchema *self, const char *check);
/* Runs one check: its findings (MwHealthFinding; empty when all is well),
 * each with at most @max_samples samples. An unknown check fails with
 * MW_SCHEMA_ERROR_NOT_FOUND and a sentence naming the known ones.
 * (transfer container) */
GPtrArray               *mw_schema_run_health_check  (MwSchema *self, MwDb *db, const char *check,
                                                      guint max_samples, GCancellable *cancellable,
                                                      GError **error);

G_END_DECLS
