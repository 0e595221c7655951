/* mw-cleanup.c: the cleanup steps' names, previews and results, and the
 * optional cleanup interface's entry points (mw-cleanup.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-cleanup"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-cleanup.h"

G_DEFINE_INTERFACE (MwCleanupStore, mw_cleanup_store, G_TYPE_OBJECT)

static void
mw_cleanup_store_default_init (MwCleanupStoreInterface *iface)
{
}

/* ------------------------------------------------------------------------ */
/* Steps                                                                    */
/* ------------------------------------------------------------------------ */

static const char *const step_ids[MW_CLEANUP_N_STEPS] = {
  "alias-groups", "quota", "orphans", "escalate", "purge", "vacuum",
};

const char *
mw_cleanup_step_id (MwCleanupStep step)
{
  g_return_val_if_fail (step < MW_CLEANUP_N_STEPS, NULL);

  return step_ids[step];
}

const char *
mw_cleanup_step_title (MwCleanupStep step)
{
  switch (step)
    {
    case MW_CLEANUP_ALIAS_GROUPS:
      /* Translators: a cleanup step; a group is the client number DBMail keeps with users and aliases. */
      return _("Fix alias groups");
    case MW_CLEANUP_QUOTA:
      return _("Rebuild quota counters");
    case MW_CLEANUP_ORPHANS:
      return _("Remove orphans");
    case MW_CLEANUP_ESCALATE:
      /* Translators: a cleanup step: mail the users deleted is marked to be removed for good. */
      return _("Mark expunged mail for purging");
    case MW_CLEANUP_PURGE:
      return _("Purge marked mail");
    case MW_CLEANUP_VACUUM:
      /* Translators: a cleanup step: the database server's VACUUM ANALYZE or OPTIMIZE TABLE. */
      return _("Compact and analyse tables");
    }
  g_return_val_if_reached (NULL);
}

const char *
mw_cleanup_step_describe (MwCleanupStep step)
{
  switch (step)
    {
    case MW_CLEANUP_ALIAS_GROUPS:
      return _("Puts every alias that delivers to a user into that user's group, as dbmail-users does when "
               "it adds an alias.");
    case MW_CLEANUP_QUOTA:
      return _("Sets each user's used space to the size of the mail the user keeps, so that quotas are "
               "checked against the truth.");
    case MW_CLEANUP_ORPHANS:
      return _("Removes folders, messages, message bodies and parts that no user owns any more, such as "
               "those left behind when a user is deleted.");
    case MW_CLEANUP_ESCALATE:
      return _("Marks mail that users expunged (status 2) for purging (status 3), as dbmail-util -d does. "
               "Mail that is visible or still being delivered is never touched.");
    case MW_CLEANUP_PURGE:
      return _("Removes mail marked for purging for good, with the bodies and parts only it used. "
               "It cannot be undone, so it runs only when asked for by name.");
    case MW_CLEANUP_VACUUM:
      return _("Lets the database server reclaim the space of removed rows and refresh its statistics "
               "(VACUUM ANALYZE on PostgreSQL, OPTIMIZE TABLE on MariaDB and MySQL).");
    }
  g_return_val_if_reached (NULL);
}

gboolean
mw_cleanup_step_from_id (const char    *id,
                         MwCleanupStep *step)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < MW_CLEANUP_N_STEPS; i++)
    if (g_ascii_strcasecmp (id, step_ids[i]) == 0)
      {
        if (step != NULL)
          *step = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
mw_cleanup_steps_parse (const char      *text,
                        MwCleanupSteps  *steps,
                        GError         **error)
{
  g_auto(GStrv) parts = NULL;
  MwCleanupSteps set = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  parts = g_strsplit_set (text, ", \t", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      MwCleanupStep step;

      if (parts[i][0] == '\0')
        continue;
      if (!mw_cleanup_step_from_id (parts[i], &step))
        {
          g_autofree char *known = g_strjoinv (", ", (GStrv) step_ids);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       /* Translators: the first %s is what was typed, the second the list of step names. */
                       _("There is no cleanup step “%s”: use one of %s."), parts[i], known);
          return FALSE;
        }
      set |= MW_CLEANUP_STEP_BIT (step);
    }
  if (set == 0)
    {
      g_autofree char *known = g_strjoinv (", ", (GStrv) step_ids);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("Name at least one cleanup step: %s."), known);
      return FALSE;
    }
  if (steps != NULL)
    *steps = set;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Previews and results                                                     */
/* ------------------------------------------------------------------------ */

MwCleanupPreview *
mw_cleanup_preview_new (MwCleanupStep step)
{
  MwCleanupPreview *preview = g_new0 (MwCleanupPreview, 1);

  preview->step = step;
  return preview;
}

void
mw_cleanup_preview_free (MwCleanupPreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->summary);
  g_strfreev (preview->details);
  g_strfreev (preview->samples);
  g_free (preview);
}

MwCleanupResult *
mw_cleanup_result_new (MwCleanupStep step)
{
  MwCleanupResult *result = g_new0 (MwCleanupResult, 1);

  result->step = step;
  return result;
}

void
mw_cleanup_result_free (MwCleanupResult *result)
{
  if (result == NULL)
    return;
  g_free (result->summary);
  g_free (result);
}

/* ------------------------------------------------------------------------ */
/* The interface                                                            */
/* ------------------------------------------------------------------------ */

gboolean
mw_schema_has_cleanup (MwSchema *self)
{
  return mw_schema_cleanup_steps (self) != 0;
}

MwCleanupSteps
mw_schema_cleanup_steps (MwSchema *self)
{
  g_return_val_if_fail (MW_IS_SCHEMA (self), 0);

  if (!MW_IS_CLEANUP_STORE (self))
    return 0;
  return MW_CLEANUP_STORE_GET_IFACE (self)->get_steps (MW_CLEANUP_STORE (self));
}

static MwCleanupStoreInterface *
iface_or_refuse (MwSchema       *self,
                 MwCleanupStep   step,
                 GError        **error)
{
  if (step >= MW_CLEANUP_N_STEPS)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, _("There is no such cleanup step."));
      return NULL;
    }
  if ((mw_schema_cleanup_steps (self) & MW_CLEANUP_STEP_BIT (step)) == 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   /* Translators: %s is a cleanup step's title, "Rebuild quota counters". */
                   _("“%s” does not apply to this kind of mail database."), mw_cleanup_step_title (step));
      return NULL;
    }
  return MW_CLEANUP_STORE_GET_IFACE (self);
}

MwCleanupPreview *
mw_schema_cleanup_preview (MwSchema       *self,
                           MwDb           *db,
                           MwCleanupStep   step,
                           guint           n_samples,
                           GCancellable   *cancellable,
                           GError        **error)
{
  MwCleanupStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);

  if ((iface = iface_or_refuse (self, step, error)) == NULL)
    return NULL;
  return iface->preview (MW_CLEANUP_STORE (self), db, step, n_samples, cancellable, error);
}

MwCleanupResult *
mw_schema_cleanup_apply (MwSchema           *self,
                         const MwAdmin      *admin,
                         MwCleanupStep       step,
                         guint               batch_size,
                         MwCleanupProgress   progress,
                         gpointer            user_data,
                         GCancellable       *cancellable,
                         GError            **error)
{
  MwCleanupStoreInterface *iface;

  g_return_val_if_fail (MW_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (admin != NULL && admin->db != NULL, NULL);

  if ((iface = iface_or_refuse (self, step, error)) == NULL)
    return NULL;
  if (admin->dry_run)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED,
                   _("A cleanup's dry run is its preview: nothing was changed."));
      return NULL;
    }
  if (batch_size == 0)
    batch_size = MW_CLEANUP_DEFAULT_BATCH;
  batch_size = MIN (batch_size, MW_CLEANUP_MAX_BATCH);
  return iface->apply (MW_CLEANUP_STORE (self), admin, step, batch_size, progress, user_data, cancellable, error);
}
