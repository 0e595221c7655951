/* mw-health.c: findings, samples and the optional health interface's entry
 * points (mw-health.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-health"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-health.h"

G_DEFINE_INTERFACE (MwHealthStore, mw_health_store, G_TYPE_OBJECT)

static void
mw_health_store_default_init (MwHealthStoreInterface *iface)
{
}

/* Samples and findings --------------------------------------------------- */

MwHealthSample *
mw_health_sample_new (MwHealthTargetKind  target,
                      const char         *key,
                      MwListKind          list,
                      const char         *search,
                      const char         *label,
                      guint64             count)
{
  MwHealthSample *s = g_new0 (MwHealthSample, 1);

  s->target = target;
  s->key = g_strdup (key);
  s->list = list;
  s->search = g_strdup (search);
  s->label = g_strdup (label != NULL ? label : "");
  s->count = count;
  return s;
}

MwHealthSample *
mw_health_sample_copy (const MwHealthSample *sample)
{
  g_return_val_if_fail (sample != NULL, NULL);

  return mw_health_sample_new (sample->target, sample->key, sample->list, sample->search, sample->label,
                               sample->count);
}

void
mw_health_sample_free (MwHealthSample *sample)
{
  if (sample == NULL)
    return;
  g_free (sample->key);
  g_free (sample->search);
  g_free (sample->label);
  g_free (sample);
}

MwHealthFinding *
mw_health_finding_new (const char       *check,
                       const char       *id,
                       MwHealthSeverity  severity,
                       const char       *reason,
                       const char       *fix,
                       guint64           count)
{
  MwHealthFinding *f = g_new0 (MwHealthFinding, 1);

  f->check = g_strdup (check);
  f->id = g_strdup (id);
  f->severity = severity;
  f->reason = g_strdup (reason != NULL ? reason : "");
  f->fix = g_strdup (fix != NULL ? fix : "");
  f->count = count;
  f->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_health_sample_free);
  return f;
}

MwHealthFinding *
mw_health_finding_copy (const MwHealthFinding *finding)
{
  MwHealthFinding *f;

  g_return_val_if_fail (finding != NULL, NULL);

  f = mw_health_finding_new (finding->check, finding->id, finding->severity, finding->reason, finding->fix,
                             finding->count);
  for (guint i = 0; i < finding->samples->len; i++)
    g_ptr_array_add (f->samples, mw_health_sample_copy (finding->samples->pdata[i]));
  f->has_list = finding->has_list;
  f->list = finding->list;
  f->list_search = g_strdup (finding->list_search);
  return f;
}

void
mw_health_finding_free (MwHealthFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->check);
  g_free (finding->id);
  g_free (finding->reason);
  g_free (finding->fix);
  g_ptr_array_unref (finding->samples);
  g_free (finding->list_search);
  g_free (finding);
}

void
mw_health_finding_add_sample (MwHealthFinding *finding,
                              MwHealthSample  *sample)
{
  g_return_if_fail (finding != NULL && sample != NULL);

  g_ptr_array_add (finding->samples, sample);
}

void
mw_health_finding_set_list (MwHealthFinding *finding,
                            MwListKind       list,
                            const char      *search)
{
  g_return_if_fail (finding != NULL);

  finding->has_list = TRUE;
  finding->list = list;
  g_free (finding->list_search);
  finding->list_search = g_strdup (search);
}

const char *
mw_health_severity_to_string (MwHealthSeverity severity)
{
  switch (severity)
    {
    case MW_HEALTH_SEVERITY_INFO:    return "info";
    case MW_HEALTH_SEVERITY_WARNING: return "warning";
    case MW_HEALTH_SEVERITY_PROBLEM: return "problem";
    default:                         break;
    }
  g_return_val_if_reached ("");
}

const char *
mw_health_severity_label (MwHealthSeverity severity)
{
  switch (severity)
    {
    /* Translators: how serious a health check's finding is. */
    case MW_HEALTH_SEVERITY_INFO:    return C_("health", "Note");
    case MW_HEALTH_SEVERITY_WARNING: return C_("health", "Warning");
    case MW_HEALTH_SEVERITY_PROBLEM: return C_("health", "Problem");
    default:                         break;
    }
  g_return_val_if_reached ("");
}

/* The interface's entry points -------------------------------------------- */

gboolean
mw_schema_has_health (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), FALSE);

  return MW_IS_HEALTH_STORE (self);
}

const MwHealthCheckInfo *
mw_schema_list_health_checks (MwSchema *self,
                              guint    *n_checks)
{
  guint ignored;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (n_checks == NULL)
    n_checks = &ignored;
  *n_checks = 0;
  if (!MW_IS_HEALTH_STORE (self))
    return NULL;
  return MW_HEALTH_STORE_GET_IFACE (self)->list_checks (MW_HEALTH_STORE (self), n_checks);
}

const MwHealthCheckInfo *
mw_schema_find_health_check (MwSchema   *self,
                             const char *check)
{
  guint n;
  const MwHealthCheckInfo *checks = mw_schema_list_health_checks (self, &n);

  if (check == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    if (g_str_equal (checks[i].id, check))
      return &checks[i];
  return NULL;
}

GPtrArray *
mw_schema_run_health_check (MwSchema      *self,
                            MwDb          *db,
                            const char    *check,
                            guint          max_samples,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);

  if (!MW_IS_HEALTH_STORE (self))
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("This kind of mail database has no health checks."));
      return NULL;
    }
  if (mw_schema_find_health_check (self, check) == NULL)
    {
      guint n;
      const MwHealthCheckInfo *checks = mw_schema_list_health_checks (self, &n);
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", checks[i].id);
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND,
                   /* Translators: %s is the check's name as typed, %s the known ones, "postmaster-abuse, catch-all". */
                   _("There is no check “%s”. The checks are: %s."), check != NULL ? check : "", known->str);
      return NULL;
    }
  if (max_samples == 0)
    max_samples = MW_HEALTH_DEFAULT_SAMPLES;
  return MW_HEALTH_STORE_GET_IFACE (self)->run_check (MW_HEALTH_STORE (self), db, check, max_samples,
                                                      cancellable, error);
}
