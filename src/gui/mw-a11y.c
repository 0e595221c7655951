/* mw-a11y.c: what every window does for screen readers without being asked.
 *
 * GTK 4.8 names a button after its label, and when the label has a mnemonic
 * it adds the label's text again, underscore included: Orca reads "_Save
 * Save". The accessible label gets the plain text, and the button loses the
 * labelled-by relation to its own label, which is what repeated it. Doing
 * it when a button is mapped covers buttons from .ui files, from code and in
 * rows made later, without a line in each window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-a11y"

#include "config.h"

#include <adwaita.h>

#include "mw-a11y.h"

#define NAMED_KEY "mw-a11y-mnemonic"

char *
mw_a11y_strip_mnemonic (const char *text)
{
  GString *plain;

  if (text == NULL)
    return NULL;
  plain = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            {
              g_string_append_c (plain, '_');
              p++;
            }
          continue;
        }
      g_string_append_c (plain, *p);
    }
  return g_string_free (plain, FALSE);
}

/* The mnemonic label a button shows, if any: its own, or that of the
 * AdwButtonContent inside it. */
static const char *
button_mnemonic_label (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_BUTTON (widget))
    {
      if (gtk_button_get_use_underline (GTK_BUTTON (widget)) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
        return gtk_button_get_label (GTK_BUTTON (widget));
      child = gtk_button_get_child (GTK_BUTTON (widget));
      if (ADW_IS_BUTTON_CONTENT (child) && adw_button_content_get_use_underline (ADW_BUTTON_CONTENT (child)))
        return adw_button_content_get_label (ADW_BUTTON_CONTENT (child));
      return NULL;
    }
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (widget)))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
  if (ADW_IS_SPLIT_BUTTON (widget) && adw_split_button_get_use_underline (ADW_SPLIT_BUTTON (widget)))
    return adw_split_button_get_label (ADW_SPLIT_BUTTON (widget));
  if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget)))
    return gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  return NULL;
}

static void
name_without_mnemonic (GtkWidget *widget)
{
  const char *label = button_mnemonic_label (widget);
  const char *done = g_object_get_data (G_OBJECT (widget), NAMED_KEY);
  g_autofree char *plain = NULL;

  if (label == NULL || g_strcmp0 (done, label) == 0)
    return;
  plain = mw_a11y_strip_mnemonic (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
  /* Labels change (Save, Saving…); name again when this one does. */
  g_object_set_data_full (G_OBJECT (widget), NAMED_KEY, g_strdup (label), g_free);
}

/* GTK 4.8 names a labelled button by its label property and then again by
 * the label inside it, which it relates to the button as labelled-by:
 * "Search Bodies Search Bodies", or "Stop the body search Stop" when the
 * button was given a longer name. The relation goes; the label property
 * (GTK's own copy of the text, ours without the underscore, or a longer
 * name set on purpose) stays the one name. */
static void
name_once (GtkWidget *widget)
{
  gboolean labelled = FALSE;

  if (GTK_IS_BUTTON (widget))
    labelled = gtk_button_get_label (GTK_BUTTON (widget)) != NULL;
  else if (GTK_IS_CHECK_BUTTON (widget))
    labelled = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)) != NULL;
  if (labelled)
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
name_widget (GtkWidget *widget)
{
  name_without_mnemonic (widget);
  name_once (widget);
}

/* A window or a stack's page, once shown, names every button it holds, also
 * those on pages not shown yet (a list's error page): GTK 4.8 publishes
 * them too. */
static void
name_tree (GtkWidget *widget)
{
  name_widget (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    name_tree (child);
}

static gboolean
on_widget_map_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);

  if (GTK_IS_ROOT (object) ||
      (GTK_IS_WIDGET (object) && GTK_IS_STACK (gtk_widget_get_parent (GTK_WIDGET (object)))))
    name_tree (GTK_WIDGET (object));
  else if (GTK_IS_WIDGET (object))
    name_widget (GTK_WIDGET (object));
  return TRUE;
}

void
mw_a11y_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      gpointer klass = g_type_class_ref (GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_widget_map_hook, NULL, NULL);
      g_type_class_unref (klass);
      g_once_init_leave (&once, 1);
    }
}
