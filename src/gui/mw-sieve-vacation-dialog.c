/* mw-sieve-vacation-dialog.c: the Sieve vacation editor of the Rules tab.
 *
 * The form holds what a Sieve vacation reply needs (RFC 5230): subject,
 * text, the first and last day (hidden where the server's engine cannot
 * test dates, DBMail's libSieve, with the sentence saying so and where the
 * days are instead), how many days pass before one sender is
 * answered again, and the user's other addresses it answers for. It opens
 * with the account's script "vacation" read back by the core
 * (mw_session_get_sieve_vacation_async); a script of that name that
 * Mailwarden did not write is said so, and Save replaces it. Save checks the
 * days here (a person gets the sentence next to the field at once), then
 * hands the vacation to the core, which writes the script, runs the Sieve
 * compiler and stores it in one transaction; its refusal is shown as it is
 * and nothing is stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-sieve-vacation-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "mw-dialog-a11y.h"
#include "mw-sieve-vacation-dialog.h"

struct _MwSieveVacationDialog
{
  AdwWindow            parent_instance;

  MwSession           *session;
  char                *account_key;
  GCancellable        *cancellable;
  GStrv                addresses;   /* the user's, offered for a new script */
  gboolean             busy;

  /* Template widgets */
  GtkStack            *stack;
  GtkLabel            *error_label;
  AdwActionRow        *activate_row;
  GtkSwitch           *activate_switch;
  AdwEntryRow         *subject_row;
  GtkTextView         *body_view;
  AdwPreferencesGroup *when_group;
  AdwEntryRow         *start_row;
  AdwEntryRow         *stop_row;
  GtkSpinButton       *days_spin;
  GtkTextView         *addresses_view;
};

G_DEFINE_FINAL_TYPE (MwSieveVacationDialog, mw_sieve_vacation_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The list of a preferences group without a title, read as "GtkListBox"
 * on GTK 4.8, is named @fallback (a titled group's list is read by its
 * title already). */
static void
name_group_lists (GtkWidget  *root,
                  const char *fallback)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_PREFERENCES_GROUP (c))
        {
          const char *title = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (c));

          if (title == NULL || title[0] == '\0')
            mw_dialog_a11y_name_lists (c, fallback);
        }
      else
        name_group_lists (c, fallback);
    }
}

static void
show_error (MwSieveVacationDialog *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_actions (MwSieveVacationDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "vacation-script.save", !self->busy);
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static void
fill_addresses (MwSieveVacationDialog *self,
                const char * const    *addresses)
{
  g_autofree char *text = addresses != NULL ? g_strjoinv ("\n", (char **) addresses) : NULL;

  set_view_text (self->addresses_view, text);
}

static void
fill (MwSieveVacationDialog *self,
      const MwSieveVacation *v,
      gboolean               active)
{
  gtk_editable_set_text (GTK_EDITABLE (self->subject_row), v->subject != NULL ? v->subject : "");
  /* Without the line break a Sieve multi-line text ends with: as typed. */
  if (v->body != NULL && g_str_has_suffix (v->body, "\n"))
    {
      g_autofree char *body = g_strndup (v->body, strlen (v->body) - 1);

      set_view_text (self->body_view, body);
    }
  else
    set_view_text (self->body_view, v->body);
  /* Days only where they are shown: the engine tests dates. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->start_row)))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->start_row), v->start != NULL ? v->start : "");
      gtk_editable_set_text (GTK_EDITABLE (self->stop_row), v->stop != NULL ? v->stop : "");
    }
  gtk_spin_button_set_value (self->days_spin, v->days);
  fill_addresses (self, (const char * const *) v->addresses);
  gtk_switch_set_active (self->activate_switch, TRUE);
  /* Saving keeps the active script active; turning it off is the list's Deactivate. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->activate_row), !active);
  if (active)
    adw_action_row_set_subtitle (self->activate_row, _("It is the active script; Deactivate in the list stops it"));
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwSieveVacationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveVacation) v = NULL;
  gboolean active = FALSE;

  v = mw_session_get_sieve_vacation_finish (self->session, res, &active, &error);
  if (is_cancelled (error))
    return;
  self->busy = FALSE;
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  if (v != NULL)
    {
      fill (self, v, active);
      return;
    }
  /* None yet, or one Mailwarden cannot read: a new one, the core's sentence above. */
  if (error != NULL)
    show_error (self, error->message);
  fill_addresses (self, (const char * const *) self->addresses);
  gtk_widget_grab_focus (GTK_WIDGET (self->subject_row));
}

/* "2026-12-24": the day, else NULL. */
static GDate *
parse_day (const char *text)
{
  int y, m, d, n = 0;

  if (sscanf (text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || text[n] != '\0')
    return NULL;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y) || y < 1970)
    return NULL;
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static void
mark_field (MwSieveVacationDialog *self,
            AdwEntryRow           *row,
            const char            *message)
{
  show_error (self, message);
  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* A day field: NULL when empty; FALSE with the sentence when it is not a day. */
static gboolean
read_day (MwSieveVacationDialog  *self,
          AdwEntryRow            *row,
          gboolean                stop,
          char                  **out,
          GDate                 **day)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  *out = NULL;
  *day = NULL;
  if (text[0] == '\0')
    return TRUE;
  *day = parse_day (text);
  if (*day == NULL)
    {
      g_autofree char *message = NULL;

      if (stop)
        /* Translators: %s is what was typed in the vacation script's last-day field */
        message = g_strdup_printf (_("The last day, “%s”, is not a day: write it as 2026-12-24."), text);
      else
        /* Translators: %s is what was typed in the vacation script's first-day field */
        message = g_strdup_printf (_("The first day, “%s”, is not a day: write it as 2026-12-24."), text);
      mark_field (self, row, message);
      return FALSE;
    }
  *out = g_steal_pointer (&text);
  return TRUE;
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(MwSieveVacationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) before = NULL;

  before = mw_session_put_sieve_vacation_finish (self->session, res, &error);
  if (is_cancelled (error))
    return;
  self->busy = FALSE;
  update_actions (self);
  if (before == NULL)
    {
      /* The core's sentence (the compiler's message among them); nothing stored. */
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, before);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwSieveVacationDialog *self = MW_SIEVE_VACATION_DIALOG (widget);
  g_autoptr(MwSieveVacation) v = mw_sieve_vacation_new ();
  g_autoptr(GStrvBuilder) addresses = g_strv_builder_new ();
  g_autofree char *addresses_text = NULL;
  g_auto(GStrv) lines = NULL;
  GDate *start = NULL, *stop = NULL;
  g_autofree char *subject = NULL;

  if (self->busy)
    return;
  show_error (self, NULL);
  if (!read_day (self, self->start_row, FALSE, &v->start, &start))
    return;
  if (!read_day (self, self->stop_row, TRUE, &v->stop, &stop))
    {
      g_clear_pointer (&start, g_date_free);
      return;
    }
  if (start != NULL && stop != NULL && g_date_compare (stop, start) < 0)
    {
      g_date_free (start);
      g_date_free (stop);
      mark_field (self, self->stop_row, _("The last day comes before the first: the reply would never be sent."));
      return;
    }
  g_clear_pointer (&start, g_date_free);
  g_clear_pointer (&stop, g_date_free);
  subject = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_row))));
  v->subject = subject[0] != '\0' ? g_steal_pointer (&subject) : NULL;
  v->body = view_text (self->body_view);
  gtk_spin_button_update (self->days_spin);
  v->days = (guint) gtk_spin_button_get_value_as_int (self->days_spin);
  addresses_text = view_text (self->addresses_view);
  lines = g_strsplit_set (addresses_text, "\n,", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        g_strv_builder_add (addresses, lines[i]);
    }
  v->addresses = g_strv_builder_end (addresses);
  self->busy = TRUE;
  update_actions (self);
  mw_session_put_sieve_vacation_async (self->session, self->account_key, v,
                                       gtk_switch_get_active (self->activate_switch), FALSE, self->cancellable,
                                       on_saved_cb, g_object_ref (self));
}

static void
on_day_changed_cb (MwSieveVacationDialog *self,
                   GtkEditable           *row)
{
  if (gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
mw_sieve_vacation_dialog_dispose (GObject *object)
{
  MwSieveVacationDialog *self = MW_SIEVE_VACATION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_SIEVE_VACATION_DIALOG);

  G_OBJECT_CLASS (mw_sieve_vacation_dialog_parent_class)->dispose (object);
}

static void
mw_sieve_vacation_dialog_finalize (GObject *object)
{
  MwSieveVacationDialog *self = MW_SIEVE_VACATION_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->addresses, g_strfreev);

  G_OBJECT_CLASS (mw_sieve_vacation_dialog_parent_class)->finalize (object);
}

static void
mw_sieve_vacation_dialog_class_init (MwSieveVacationDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_sieve_vacation_dialog_dispose;
  object_class->finalize = mw_sieve_vacation_dialog_finalize;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/mailwarden/Mailwarden/mw-sieve-vacation-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, activate_row);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, activate_switch);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, body_view);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, when_group);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, stop_row);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, days_spin);
  gtk_widget_class_bind_template_child (widget_class, MwSieveVacationDialog, addresses_view);

  gtk_widget_class_install_action (widget_class, "vacation-script.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "vacation-script.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_sieve_vacation_dialog_init (MwSieveVacationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  name_group_lists (GTK_WIDGET (self), _("Vacation script"));
  g_signal_connect_swapped (self->start_row, "changed", G_CALLBACK (on_day_changed_cb), self);
  g_signal_connect_swapped (self->stop_row, "changed", G_CALLBACK (on_day_changed_cb), self);
}

MwSieveVacationDialog *
mw_sieve_vacation_dialog_new (MwSession          *session,
                              const char         *account_key,
                              const char * const *addresses)
{
  MwSieveVacationDialog *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  self = g_object_new (MW_TYPE_SIEVE_VACATION_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->account_key = g_strdup (account_key);
  self->addresses = g_strdupv ((char **) addresses);
  /* DBMail's libSieve cannot test dates: no day fields, the sentence why
   * and where the days are instead. */
  if (!mw_schema_sieve_can_test_dates (mw_session_get_schema (session)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->start_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->stop_row), FALSE);
      adw_preferences_group_set_description (self->when_group, mw_sieve_no_dates_sentence ());
    }
  self->busy = TRUE;
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  mw_session_get_sieve_vacation_async (session, account_key, self->cancellable, on_loaded_cb, g_object_ref (self));
  return self;
}

gboolean
mw_sieve_vacation_dialog_is_busy (MwSieveVacationDialog *self)
{
  g_return_val_if_fail (MW_IS_SIEVE_VACATION_DIALOG (self), FALSE);

  return self->busy;
}

const char *
mw_sieve_vacation_dialog_get_error (MwSieveVacationDialog *self)
{
  g_return_val_if_fail (MW_IS_SIEVE_VACATION_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

char *
mw_sieve_vacation_dialog_dup_field (MwSieveVacationDialog *self,
                                    const char            *field)
{
  g_return_val_if_fail (MW_IS_SIEVE_VACATION_DIALOG (self), NULL);

  if (g_str_equal (field, "subject"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_row)));
  if (g_str_equal (field, "body"))
    return view_text (self->body_view);
  if (g_str_equal (field, "start"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->start_row)));
  if (g_str_equal (field, "stop"))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->stop_row)));
  if (g_str_equal (field, "days"))
    return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (self->days_spin));
  if (g_str_equal (field, "addresses"))
    return view_text (self->addresses_view);
  if (g_str_equal (field, "activate"))
    return g_strdup (gtk_switch_get_active (self->activate_switch) ? "yes" : "no");
  g_return_val_if_reached (NULL);
}

void
mw_sieve_vacation_dialog_set_field (MwSieveVacationDialog *self,
                                    const char            *field,
                                    const char            *value)
{
  g_return_if_fail (MW_IS_SIEVE_VACATION_DIALOG (self));

  if (g_str_equal (field, "subject"))
    gtk_editable_set_text (GTK_EDITABLE (self->subject_row), value);
  else if (g_str_equal (field, "body"))
    set_view_text (self->body_view, value);
  else if (g_str_equal (field, "start"))
    gtk_editable_set_text (GTK_EDITABLE (self->start_row), value);
  else if (g_str_equal (field, "stop"))
    gtk_editable_set_text (GTK_EDITABLE (self->stop_row), value);
  else if (g_str_equal (field, "days"))
    gtk_spin_button_set_value (self->days_spin, g_ascii_strtod (value, NULL));
  else if (g_str_equal (field, "addresses"))
    set_view_text (self->addresses_view, value);
  else if (g_str_equal (field, "activate"))
    gtk_switch_set_active (self->activate_switch, g_str_equal (value, "yes"));
  else
    g_return_if_reached ();
}
