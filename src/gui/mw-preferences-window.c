/* mw-preferences-window.c: the settings a person may change, stored in GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mailwarden-core.h"
#include "mw-preferences-window.h"
#include "mw-size-spin.h"

struct _MwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwComboRow          *default_page_row;
  GtkSpinButton        *page_size_spin;
  GtkSpinButton        *search_delay_spin;
  GtkSpinButton        *overview_refresh_spin;
  GtkSpinButton        *keyring_timeout_spin;
  AdwEntryRow          *default_domain_row;
  GtkSpinButton        *default_group_spin;
  GtkSpinButton        *default_quota_spin;
  AdwComboRow          *default_scheme_row;
  GtkSpinButton        *bcrypt_cost_spin;
  GtkSwitch            *create_missing_switch;
  GtkSwitch            *hide_bodies_switch;
  GPtrArray            *schemes;        /* writable scheme names, in default_scheme_row's order */
};

G_DEFINE_FINAL_TYPE (MwPreferencesWindow, mw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *const page_ids[] = { "overview", "users", "aliases", "forwards", "domains", "groups" };

static gboolean
page_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  data)
{
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (page_ids); i++)
    if (g_str_equal (id, page_ids[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
page_set_mapping (const GValue       *value,
                  const GVariantType *type,
                  gpointer            data)
{
  guint i = g_value_get_uint (value);

  return g_variant_new_string (i < G_N_ELEMENTS (page_ids) ? page_ids[i] : "users");
}

static gboolean
scheme_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  data)
{
  GPtrArray *schemes = data;
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < schemes->len; i++)
    if (g_str_equal (id, g_ptr_array_index (schemes, i)))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
scheme_set_mapping (const GValue       *value,
                    const GVariantType *type,
                    gpointer            data)
{
  GPtrArray *schemes = data;
  guint i = g_value_get_uint (value);

  return g_variant_new_string (i < schemes->len ? g_ptr_array_index (schemes, i) : MW_PASSWORD_DEFAULT_SCHEME);
}

MwPreferencesWindow *
mw_preferences_window_new (GSettings *settings)
{
  MwPreferencesWindow *self = g_object_new (MW_TYPE_PREFERENCES_WINDOW, NULL);

  self->settings = g_object_ref (settings);
  g_settings_bind_with_mapping (settings, "default-page", self->default_page_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, page_get_mapping, page_set_mapping, NULL, NULL);
  g_settings_bind (settings, "page-size", self->page_size_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "search-delay", self->search_delay_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "overview-refresh", self->overview_refresh_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "keyring-timeout", self->keyring_timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-domain", self->default_domain_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-group", self->default_group_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-quota-mib", self->default_quota_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "bcrypt-cost", self->bcrypt_cost_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "create-missing-users", self->create_missing_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "hide-message-bodies", self->hide_bodies_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "default-password-scheme", self->default_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, scheme_get_mapping, scheme_set_mapping,
                                g_ptr_array_ref (self->schemes), (GDestroyNotify) g_ptr_array_unref);
  return self;
}

static void
mw_preferences_window_dispose (GObject *object)
{
  MwPreferencesWindow *self = MW_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->schemes, g_ptr_array_unref);

  G_OBJECT_CLASS (mw_preferences_window_parent_class)->dispose (object);
}

static void
mw_preferences_window_class_init (MwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, default_page_row);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, page_size_spin);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, search_delay_spin);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, overview_refresh_spin);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, keyring_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, default_domain_row);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, default_group_spin);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, default_quota_spin);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, default_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, bcrypt_cost_spin);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, create_missing_switch);
  gtk_widget_class_bind_template_child (widget_class, MwPreferencesWindow, hide_bodies_switch);
}

/* AdwPreferencesWindow's own page switchers, search entry and search
 * results have no names on libadwaita 1.2; they are in the tree (hidden)
 * even with the search off and a single page. */
static void
name_window_parts (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_VIEW_SWITCHER (child))
        /* Translators: for screen readers, the switcher between the pages of Preferences */
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pages"), -1);
      else if (GTK_IS_SEARCH_ENTRY (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search preferences"), -1);
      else if (ADW_IS_PREFERENCES_GROUP (child)
               && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (child)), "") != 0)
        continue;   /* named after its title */
      else if (GTK_IS_LIST_BOX (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Preferences found"), -1);
      else
        name_window_parts (child);
    }
}

static void
mw_preferences_window_init (MwPreferencesWindow *self)
{
  const MwPasswordScheme *schemes;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n_schemes;

  gtk_widget_init_template (GTK_WIDGET (self));
  name_window_parts (GTK_WIDGET (self));
  mw_size_spin_attach (self->default_quota_spin, MW_SIZE_UNIT_MIB);

  self->schemes = g_ptr_array_new ();
  schemes = mw_password_get_schemes (&n_schemes);
  for (guint i = 0; i < n_schemes; i++)
    if (schemes[i].writable)
      {
        g_ptr_array_add (self->schemes, (gpointer) schemes[i].name);
        gtk_string_list_append (labels, _(schemes[i].label));
      }
  adw_combo_row_set_model (self->default_scheme_row, G_LIST_MODEL (labels));
}
