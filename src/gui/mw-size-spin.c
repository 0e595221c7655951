/* mw-size-spin.c: quota spin buttons that read what the CLI and the import read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-size-spin"

#include "config.h"

#include "mw-size-spin.h"

#define UNIT_KEY "mw-size-unit"

/* GtkSpinButton's own reading goes through strtod, which takes "0x10",
 * "1e3" and "nan"; the quota has one reading everywhere. */
static int
on_spin_input_cb (GtkSpinButton *spin,
                  double        *new_value,
                  gpointer       user_data)
{
  MwSizeUnit unit = (MwSizeUnit) GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), UNIT_KEY));
  gint64 bytes;

  if (!mw_size_parse_quota (gtk_editable_get_text (GTK_EDITABLE (spin)), unit, &bytes, NULL))
    return GTK_INPUT_ERROR;
  /* A whole number of units, at most 2^43 for MiB: exact as a double. */
  *new_value = (double) (bytes >> unit);
  return TRUE;
}

void
mw_size_spin_attach (GtkSpinButton *spin,
                     MwSizeUnit     unit)
{
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  mw_size_spin_set_unit (spin, unit);
  /* Letters for the units must reach the text. */
  gtk_spin_button_set_numeric (spin, FALSE);
  gtk_spin_button_set_digits (spin, 0);
  /* Refused text keeps the value: GTK_UPDATE_ALWAYS would take 0 for it. */
  gtk_spin_button_set_update_policy (spin, GTK_UPDATE_IF_VALID);
  g_signal_connect (spin, "input", G_CALLBACK (on_spin_input_cb), NULL);
}

void
mw_size_spin_set_unit (GtkSpinButton *spin,
                       MwSizeUnit     unit)
{
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  g_object_set_data (G_OBJECT (spin), UNIT_KEY, GUINT_TO_POINTER ((guint) unit));
}
