/* mw-alias-dialog.c: add an alias (an address of a user) or a forward (copies elsewhere).
 *
 * The write runs on a session worker; the core's sentence is shown under
 * the field it concerns and nothing else happens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-alias-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mailwarden-core.h"
#include "mw-alias-dialog.h"
#include "mw-dialog-a11y.h"
#include "mw-format.h"

struct _MwAliasDialog
{
  AdwWindow        parent_instance;

  MwSession       *session;
  GSettings       *settings;
  GCancellable    *cancellable;
  gboolean         forward;
  gboolean         busy;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkWidget           *add_button;
  AdwPreferencesGroup *address_group;
  AdwPreferencesGroup *target_group;
  AdwPreferencesGroup *options_group;
  AdwEntryRow         *address_row;
  AdwEntryRow         *target_row;
  GtkSwitch           *catch_all_switch;
  GtkSwitch           *bypass_switch;
  GtkLabel            *general_error_label;
  GtkLabel            *address_error_label;
  GtkLabel            *target_error_label;
};

G_DEFINE_FINAL_TYPE (MwAliasDialog, mw_alias_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

static GtkLabel *
error_label (MwAliasDialog *self,
             const char    *field)
{
  if (g_str_equal (field, "address"))
    return self->address_error_label;
  if (g_str_equal (field, "target"))
    return self->target_error_label;
  return self->general_error_label;
}

static void
clear_errors (MwAliasDialog *self)
{
  static const char *const fields[] = { "address", "target", "general" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_widget_set_visible (GTK_WIDGET (error_label (self, fields[i])), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->target_row), "error");
}

static void
show_error (MwAliasDialog *self,
            const char    *field,
            const char    *message)
{
  GtkLabel *label = error_label (self, field);

  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  if (g_str_equal (field, "address"))
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
  else if (g_str_equal (field, "target"))
    gtk_widget_add_css_class (GTK_WIDGET (self->target_row), "error");
}

typedef struct
{
  MwAliasDialog *self;
  char          *address;
  char          *target;
  gboolean       forward;
} Add;

static void
add_free (Add *add)
{
  g_object_unref (add->self);
  g_free (add->address);
  g_free (add->target);
  g_free (add);
}

/* Which field an error concerns: a forward target is checked as a target,
 * a user that is not there is the target field's. */
static const char *
failed_field (const GError *error)
{
  if (g_error_matches (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_NOT_FOUND) ||
      g_error_matches (error, MW_ADDRESS_ERROR, MW_ADDRESS_ERROR_NOT_A_TARGET))
    return "target";
  if (error->domain == MW_ADDRESS_ERROR || g_error_matches (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS))
    return "address";
  return "general";
}

/* A session call cancelled before it ran says MW_DB_ERROR_CANCELLED, one
 * cancelled while it ran may say G_IO_ERROR_CANCELLED (mw-session.h). */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_added_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  Add *add = user_data;
  MwAliasDialog *self = add->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *created = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;

  if (add->forward)
    key = mw_session_add_forward_finish (self->session, res, &error);
  else
    key = mw_session_add_alias_for_finish (self->session, res, &created, &error);
  self->busy = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "alias.add", TRUE);
  if (key == NULL)
    {
      if (!is_cancelled (error))
        show_error (self, failed_field (error), error->message);
      add_free (add);
      return;
    }
  shown = mw_format_address (add->address);
  if (add->forward)
    {
      g_autofree char *target = mw_format_address (add->target);

      /* Translators: "sales@example.com now also goes to a@b.org" */
      text = g_strdup_printf (_("%s now also goes to %s"), shown, target);
    }
  else if (created != NULL)
    /* Translators: "Added archive, who cannot log in, with the alias a@b.org" */
    text = g_strdup_printf (_("Added %s, who cannot log in, with the alias %s"), add->target, shown);
  else
    /* Translators: "Added a@b.org to bob" */
    text = g_strdup_printf (_("Added %s to %s"), shown, add->target);
  /* The session told the lists ("changed"). */
  g_signal_emit (self, signals[SIGNAL_ADDED], 0, text);
  gtk_window_destroy (GTK_WINDOW (self));
  add_free (add);
}

void
mw_alias_dialog_add (MwAliasDialog *self)
{
  Add *add;
  MwAddressFlags flags;
  gboolean create_missing;

  g_return_if_fail (MW_IS_ALIAS_DIALOG (self));

  if (self->busy)
    return;
  clear_errors (self);
  add = g_new0 (Add, 1);
  add->self = g_object_ref (self);
  add->address = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
  add->target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_row))));
  add->forward = self->forward;
  flags = (gtk_switch_get_active (self->catch_all_switch) ? MW_ADDRESS_ALLOW_CATCH_ALL : 0) |
          (gtk_switch_get_active (self->bypass_switch) ? MW_ADDRESS_BYPASS : 0);
  create_missing = self->settings != NULL && g_settings_get_boolean (self->settings, "create-missing-users");
  if (!self->forward && add->target[0] == '\0')
    {
      show_error (self, "target", _("Name the user the mail goes to: a login name, a user number or an address."));
      add_free (add);
      return;
    }
  self->busy = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "alias.add", FALSE);
  if (add->forward)
    mw_session_add_forward_async (self->session, add->address, add->target, flags, -1, FALSE, self->cancellable,
                                  on_added_cb, add);
  else
    mw_session_add_alias_for_async (self->session, add->target, add->address, flags, create_missing, FALSE,
                                    self->cancellable, on_added_cb, add);
}

static void
add_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  mw_alias_dialog_add (MW_ALIAS_DIALOG (widget));
}

MwAliasDialog *
mw_alias_dialog_new (MwSession *session,
                     GSettings *settings,
                     gboolean   forward)
{
  MwAliasDialog *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_ALIAS_DIALOG, NULL);
  self->session = g_object_ref (session);
  g_set_object (&self->settings, settings);
  self->forward = forward;
  if (forward)
    {
      adw_window_title_set_title (self->window_title, _("Add a Forward"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->target_row),
                                     _("Send copies to (an address, or |program)"));
      gtk_window_set_title (GTK_WINDOW (self), _("Add a Forward"));
      /* Translators: for screen readers, the list holding the forward's target */
      mw_dialog_a11y_name_lists (GTK_WIDGET (self->target_group), _("Forward to"));
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Add an Alias"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->target_row),
                                     _("Deliver to the user (name, number or address)"));
      gtk_window_set_title (GTK_WINDOW (self), _("Add an Alias"));
      /* Translators: for screen readers, the list holding the user the alias delivers to */
      mw_dialog_a11y_name_lists (GTK_WIDGET (self->target_group), _("Deliver to"));
    }
  return self;
}

void
mw_alias_dialog_set_field (MwAliasDialog *self,
                           const char    *field,
                           const char    *value)
{
  g_return_if_fail (MW_IS_ALIAS_DIALOG (self));

  if (g_str_equal (field, "address"))
    gtk_editable_set_text (GTK_EDITABLE (self->address_row), value);
  else if (g_str_equal (field, "target"))
    gtk_editable_set_text (GTK_EDITABLE (self->target_row), value);
  else if (g_str_equal (field, "catch-all"))
    gtk_switch_set_active (self->catch_all_switch, g_str_equal (value, "yes"));
  else if (g_str_equal (field, "bypass"))
    gtk_switch_set_active (self->bypass_switch, g_str_equal (value, "yes"));
  else
    g_return_if_reached ();
}

gboolean
mw_alias_dialog_is_busy (MwAliasDialog *self)
{
  g_return_val_if_fail (MW_IS_ALIAS_DIALOG (self), FALSE);

  return self->busy;
}

const char *
mw_alias_dialog_get_error (MwAliasDialog *self,
                           const char    *field)
{
  GtkLabel *label;

  g_return_val_if_fail (MW_IS_ALIAS_DIALOG (self), NULL);

  label = error_label (self, field);
  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

static void
mw_alias_dialog_dispose (GObject *object)
{
  MwAliasDialog *self = MW_ALIAS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ALIAS_DIALOG);

  G_OBJECT_CLASS (mw_alias_dialog_parent_class)->dispose (object);
}

static void
mw_alias_dialog_finalize (GObject *object)
{
  MwAliasDialog *self = MW_ALIAS_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mw_alias_dialog_parent_class)->finalize (object);
}

static void
mw_alias_dialog_class_init (MwAliasDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_alias_dialog_dispose;
  object_class->finalize = mw_alias_dialog_finalize;

  /* "added": a sentence saying what was written, for a toast. */
  signals[SIGNAL_ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-alias-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, address_group);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, target_group);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, target_row);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, catch_all_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, bypass_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDialog, target_error_label);

  gtk_widget_class_install_action (widget_class, "alias.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_alias_dialog_init (MwAliasDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_widget (GTK_WINDOW (self), self->add_button);
  /* The groups have no titles to name their lists after. */
  /* Translators: for screen readers, the list holding the new address */
  mw_dialog_a11y_name_lists (GTK_WIDGET (self->address_group), _("New address"));
  /* Translators: for screen readers, the list of the catch-all and bypass switches */
  mw_dialog_a11y_name_lists (GTK_WIDGET (self->options_group), _("Options"));
}
