/* mw-dialog-a11y.c: screen-reader names that libadwaita 1.2's own widgets leave out.
 *
 * The dialogs are built from AdwPreferencesGroup, AdwPasswordEntryRow and
 * AdwPreferencesWindow, whose inner widgets have no name on libadwaita 1.2
 * (later versions name some of them). These functions find them once the
 * dialog is built.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dialog-a11y"

#include "config.h"

#include "mw-dialog-a11y.h"

#define SHOW_KEY "mw-dialog-a11y-show"
#define HIDE_KEY "mw-dialog-a11y-hide"

/* The button's icon says what a press does; so does its name. */
static void
on_peek_icon_changed_cb (GtkButton  *button,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  gboolean hides = g_strcmp0 (gtk_button_get_icon_name (button), "view-conceal-symbolic") == 0;
  const char *label = g_object_get_data (G_OBJECT (button), hides ? HIDE_KEY : SHOW_KEY);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
name_icon_buttons (GtkWidget  *widget,
                   const char *show_label,
                   const char *hide_label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_icon_name (GTK_BUTTON (child)) != NULL)
        {
          g_object_set_data_full (G_OBJECT (child), SHOW_KEY, g_strdup (show_label), g_free);
          g_object_set_data_full (G_OBJECT (child), HIDE_KEY, g_strdup (hide_label), g_free);
          on_peek_icon_changed_cb (GTK_BUTTON (child), NULL, NULL);
          g_signal_connect (child, "notify::icon-name", G_CALLBACK (on_peek_icon_changed_cb), NULL);
        }
      else
        name_icon_buttons (child, show_label, hide_label);
    }
}

void
mw_dialog_a11y_name_password_rows (GtkWidget  *root,
                                   const char *show_label,
                                   const char *hide_label)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  g_return_if_fail (show_label != NULL && hide_label != NULL);

  if (ADW_IS_PASSWORD_ENTRY_ROW (root))
    {
      name_icon_buttons (root, show_label, hide_label);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_PASSWORD_ENTRY_ROW (child))
        name_icon_buttons (child, show_label, hide_label);
      else
        mw_dialog_a11y_name_password_rows (child, show_label, hide_label);
    }
}

void
mw_dialog_a11y_name_lists (GtkWidget  *root,
                           const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (root));
  g_return_if_fail (label != NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      else
        mw_dialog_a11y_name_lists (child, label);
    }
}
