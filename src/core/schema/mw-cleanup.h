/* mw-cleanup.h: cleaning a mail database up, with a dry run first (FEATURES
 * F5): fix alias groups, rebuild quota counters, remove orphans, escalate
 * expunged mail, purge it, and the server's own VACUUM / OPTIMIZE.
 *
 * Each step is looked at first (mw_schema_cleanup_preview (): how many rows
 * it would change, in words, with a few samples) and then applied
 * (mw_schema_cleanup_apply ()): in batches, each batch one transaction and
 * one audit entry, with progress, stoppable between batches through the
 * GCancellable. A preview right after an apply finds nothing left.
 *
 * A flavour with steps implements MwCleanupStore; mw_schema_cleanup_steps ()
 * says which steps it has (DBMail: all; ISPmail and PostfixAdmin: vacuum),
 * and the functions refuse the others with a sentence. They run on a
 * worker; the GUI and the CLI use the session's wrappers
 * (mw-session-cleanup.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* The steps, in the order they run. Their ids ("alias-groups", "quota",
 * "orphans", "escalate", "purge", "vacuum") are stable: the CLI's --only
 * takes them. */
typedef enum
{
  MW_CLEANUP_ALIAS_GROUPS,   /* an alias's group (client_idnr) set to its user's */
  MW_CLEANUP_QUOTA,          /* the used-bytes counter rebuilt from the mail it counts */
  MW_CLEANUP_ORPHANS,        /* folders, messages, bodies and parts nobody owns, removed */
  MW_CLEANUP_ESCALATE,       /* expunged mail (status 2) marked for purging (3) */
  MW_CLEANUP_PURGE,          /* mail marked for purging removed, with what only it used */
  MW_CLEANUP_VACUUM,         /* PostgreSQL VACUUM ANALYZE, MariaDB/MySQL OPTIMIZE TABLE */
} MwCleanupStep;

#define MW_CLEANUP_N_STEPS 6

/* A set of steps: bits 1 << MwCleanupStep. */
typedef guint MwCleanupSteps;

#define MW_CLEANUP_STEP_BIT(step)  (1u << (step))
#define MW_CLEANUP_ALL_STEPS       ((MwCleanupSteps) ((1u << MW_CLEANUP_N_STEPS) - 1))
/* What a plain cleanup runs: every step but purge, which runs only when
 * the person names it. */
#define MW_CLEANUP_DEFAULT_STEPS   (MW_CLEANUP_ALL_STEPS & ~MW_CLEANUP_STEP_BIT (MW_CLEANUP_PURGE))

#define MW_CLEANUP_DEFAULT_SAMPLES 5
#define MW_CLEANUP_DEFAULT_BATCH   1000
#define MW_CLEANUP_MAX_BATCH       100000

/* "alias-groups" ... (not translated) */
const char     *mw_cleanup_step_id       (MwCleanupStep step);
/* Translated short title: "Fix alias groups". */
const char     *mw_cleanup_step_title    (MwCleanupStep step);
/* Translated sentence: what the step does and why. */
const char     *mw_cleanup_step_describe (MwCleanupStep step);
/* The step whose id is @id (any case); FALSE for an unknown id. */
gboolean        mw_cleanup_step_from_id  (const char *id, MwCleanupStep *step);
/* "quota,orphans" (ids separated by commas or spaces) -> the set; an
 * unknown id fails with MW_SCHEMA_ERROR_INVALID and a sentence naming it
 * and the known ones. */
gboolean        mw_cleanup_steps_parse   (const char *text, MwCleanupSteps *steps, GError **error);

/* What a step would do now. */
typedef struct
{
  MwCleanupStep  step;
  gint64         count;      /* rows it would change or remove; 0: nothing to do.
                                Always 0 for vacuum, which is maintenance, not a repair. */
  char          *summary;    /* translated sentence: "3 aliases are in another group than their user."
                                or "Nothing to do." */
  GStrv          details;    /* translated sentences, one per kind of row found (orphans: folders,
                                messages, message bodies, parts, header values); may be empty */
  GStrv          samples;    /* up to the asked number of rows, in words:
                                "alias bob@example.com: group 7, its user bob is in group 2" */
  gint64         bytes;      /* what removing them frees (orphans, purge), else 0 */
} MwCleanupPreview;

MwCleanupPreview *mw_cleanup_preview_new  (MwCleanupStep step);
void              mw_cleanup_preview_free (MwCleanupPreview *preview);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwCleanupPreview, mw_cleanup_preview_free)

/* What a step did. */
typedef struct
{
  MwCleanupStep  step;
  gint64         done;       /* rows changed or removed (vacuum: tables) */
  guint          batches;    /* transactions committed */
  gboolean       stopped;    /* stopped between batches by the GCancellable: the rest was not done */
  char          *summary;    /* translated: "Rebuilt 3 quota counters." "Stopped after 2000 of 5000 ..." */
} MwCleanupResult;

MwCleanupResult  *mw_cleanup_result_new   (MwCleanupStep step);
void              mw_cleanup_result_free  (MwCleanupResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwCleanupResult, mw_cleanup_result_free)

/* After each committed batch: @done of @total rows of @step (@total is the
 * preview's count taken when the step began, and may be passed when more
 * rows turn up meanwhile). On the worker for mw_schema_cleanup_apply ();
 * the session's wrapper calls it on the caller's thread. */
typedef void (*MwCleanupProgress) (MwCleanupStep step, gint64 done, gint64 total, gpointer user_data);

#define MW_TYPE_CLEANUP_STORE (mw_cleanup_store_get_type ())
G_DECLARE_INTERFACE (MwCleanupStore, mw_cleanup_store, MW, CLEANUP_STORE, GObject)

struct _MwCleanupStoreInterface
{
  GTypeInterface parent_iface;

  MwCleanupSteps     (*get_steps) (MwCleanupStore *self);
  MwCleanupPreview  *(*preview)   (MwCleanupStore *self, MwDb *db, MwCleanupStep step, guint n_samples,
                                   GCancellable *cancellable, GError **error);
  MwCleanupResult   *(*apply)     (MwCleanupStore *self, const MwAdmin *admin, MwCleanupStep step,
                                   guint batch_size, MwCleanupProgress progress, gpointer user_data,
                                   GCancellable *cancellable, GError **error);
};

/* Whether the flavour has any cleanup step. */
gboolean          mw_schema_has_cleanup     (MwSchema *self);
/* The steps the flavour has (0 where it has none). */
MwCleanupSteps    mw_schema_cleanup_steps   (MwSchema *self);
/* What @step would do, with up to @n_samples samples. Reads only. A step
 * the flavour lacks fails with MW_SCHEMA_ERROR_REFUSED and a sentence.
 * (transfer full) */
MwCleanupPreview *mw_schema_cleanup_preview (MwSchema *self, MwDb *db, MwCleanupStep step, guint n_samples,
                                             GCancellable *cancellable, GError **error);
/* Does @step: batches of @batch_size rows (0: MW_CLEANUP_DEFAULT_BATCH),
 * each one transaction and one audit entry ("cleanup.<id>"). Cancelling
 * stops it between batches: the result then says stopped and what was done;
 * what was committed stays. A failure (a lost connection) rolls the batch
 * it happened in back and fails with a sentence that says how much was
 * done before. @admin->dry_run is refused: the preview is the dry run.
 * (transfer full) */
MwCleanupResult  *mw_schema_cleanup_apply   (MwSchema *self, const MwAdmin *admin, MwCleanupStep step,
                                             guint batch_size, MwCleanupProgress progress, gpointer user_data,
                                             GCancellable *cancellable, GError **error);

G_END_DECLS
