/* mw-password-window.c: make and check password hashes, no database needed.
 *
 * Hashing runs in a GTask thread: yescrypt takes about 20 ms, too long for
 * a key press. Every change bumps a generation number and a result that
 * comes back for an older one is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-password-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-password-window.h"
#include "mw-application.h"
#include "mw-dialog-a11y.h"

struct _MwPasswordWindow
{
  AdwWindow             parent_instance;

  GPtrArray            *schemes;        /* const MwPasswordScheme *, in the combo's order */
  GCancellable         *cancellable;
  guint                 hash_generation;
  guint                 check_generation;
  gboolean              hash_busy;
  gboolean              check_busy;

  /* Template widgets */
  AdwComboRow          *scheme_row;
  AdwPasswordEntryRow  *hash_password_row;
  GtkLabel             *type_label;
  GtkLabel             *stored_label;
  GtkLabel             *dovecot_label;
  GtkButton            *stored_copy_button;
  GtkButton            *dovecot_copy_button;
  GtkLabel             *hash_note_label;
  AdwEntryRow          *check_type_row;
  AdwEntryRow          *check_stored_row;
  AdwPasswordEntryRow  *check_password_row;
  GtkLabel             *check_result_label;
};

G_DEFINE_FINAL_TYPE (MwPasswordWindow, mw_password_window, ADW_TYPE_WINDOW)

/* Make a hash */

typedef struct
{
  char *scheme;
  gulong rounds;
  char *password;
} HashInput;

typedef struct
{
  char       *stored;
  const char *stored_scheme;   /* what is stored next to the hash */
  char       *dovecot;
} HashOutput;

static void
hash_input_free (gpointer data)
{
  HashInput *in = data;

  g_free (in->scheme);
  mw_password_free (in->password);
  g_free (in);
}

static void
hash_output_free (gpointer data)
{
  HashOutput *out = data;

  g_free (out->stored);
  g_free (out->dovecot);
  g_free (out);
}

static void
hash_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  HashInput *in = task_data;
  g_autoptr(GError) error = NULL;
  HashOutput *out = g_new0 (HashOutput, 1);

  out->stored = mw_password_hash_with_rounds (in->scheme, in->password, in->rounds, &out->stored_scheme, &error);
  if (out->stored == NULL)
    {
      hash_output_free (out);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  out->dovecot = mw_password_to_dovecot (out->stored_scheme, out->stored);
  g_task_return_pointer (task, out, hash_output_free);
}

static void
show_hash (MwPasswordWindow *self,
           const char       *type,
           const char       *stored,
           const char       *dovecot,
           const char       *error)
{
  gtk_label_set_text (self->type_label, type != NULL ? (type[0] != '\0' ? type : _("(empty: plain text)")) : "");
  gtk_label_set_text (self->stored_label, stored != NULL ? stored : (error != NULL ? error : ""));
  if (dovecot != NULL)
    gtk_label_set_text (self->dovecot_label, dovecot);
  else if (stored != NULL)
    gtk_label_set_text (self->dovecot_label, _("Dovecot has no scheme for this hash."));
  else
    gtk_label_set_text (self->dovecot_label, "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->stored_copy_button), stored != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dovecot_copy_button), dovecot != NULL);
  g_object_set_data_full (G_OBJECT (self), "mw-stored", g_strdup (stored), g_free);
  g_object_set_data_full (G_OBJECT (self), "mw-dovecot", g_strdup (dovecot), g_free);
}

typedef struct
{
  MwPasswordWindow *self;
  guint             generation;
} Pending;

static void
on_hashed_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Pending *p = user_data;
  g_autoptr(MwPasswordWindow) self = p->self;
  g_autoptr(GError) error = NULL;
  HashOutput *out;
  guint generation = p->generation;

  g_free (p);
  out = g_task_propagate_pointer (G_TASK (res), &error);
  if (generation != self->hash_generation)
    {
      g_clear_pointer (&out, hash_output_free);
      return;
    }
  self->hash_busy = FALSE;
  if (out == NULL)
    show_hash (self, NULL, NULL, NULL, error->message);
  else
    show_hash (self, out->stored_scheme, out->stored, out->dovecot, NULL);
  g_clear_pointer (&out, hash_output_free);
}

static const MwPasswordScheme *
get_selected_scheme (MwPasswordWindow *self)
{
  guint i = adw_combo_row_get_selected (self->scheme_row);

  return i < self->schemes->len ? g_ptr_array_index (self->schemes, i) : NULL;
}

static void
update_hash (MwPasswordWindow *self)
{
  const MwPasswordScheme *scheme = get_selected_scheme (self);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->hash_password_row));
  g_autoptr(GTask) task = NULL;
  HashInput *in;
  Pending *p;

  self->hash_generation++;
  if (scheme != NULL && scheme->used_bytes > 0 && strlen (password) > scheme->used_bytes)
    {
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "This scheme uses only the first %u byte of the password: the rest makes no difference.",
                                                            "This scheme uses only the first %u bytes of the password: the rest makes no difference.",
                                                            scheme->used_bytes),
                                               scheme->used_bytes);
      gtk_label_set_text (self->hash_note_label, note);
      gtk_widget_set_visible (GTK_WIDGET (self->hash_note_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->hash_note_label), FALSE);

  if (scheme == NULL || password[0] == '\0')
    {
      self->hash_busy = FALSE;
      show_hash (self, NULL, NULL, NULL, NULL);
      return;
    }

  self->hash_busy = TRUE;
  in = g_new0 (HashInput, 1);
  in->scheme = g_strdup (scheme->name);
  in->rounds = mw_application_password_rounds (in->scheme);
  in->password = g_strdup (password);
  p = g_new0 (Pending, 1);
  p->self = g_object_ref (self);
  p->generation = self->hash_generation;
  task = g_task_new (NULL, self->cancellable, on_hashed_cb, p);
  g_task_set_source_tag (task, update_hash);
  g_task_set_task_data (task, in, hash_input_free);
  g_task_run_in_thread (task, hash_thread);
}

static void
on_hash_input_changed_cb (MwPasswordWindow *self)
{
  update_hash (self);
}

/* Check a stored password */

typedef struct
{
  char *stored_scheme;
  char *stored;
  char *password;
} CheckInput;

static void
check_input_free (gpointer data)
{
  CheckInput *in = data;

  g_free (in->stored_scheme);
  g_free (in->stored);
  mw_password_free (in->password);
  g_free (in);
}

static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckInput *in = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = mw_password_verify (in->stored_scheme, in->stored, in->password, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, ok);
}

static void
show_check (MwPasswordWindow *self,
            const char       *text,
            const char       *style)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_result_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_result_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_result_label), "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->check_result_label), style);
  gtk_label_set_text (self->check_result_label, text);
}

static void
on_checked_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  Pending *p = user_data;
  g_autoptr(MwPasswordWindow) self = p->self;
  g_autoptr(GError) error = NULL;
  CheckInput *in = g_task_get_task_data (G_TASK (res));
  guint generation = p->generation;
  gboolean ok;

  g_free (p);
  ok = g_task_propagate_boolean (G_TASK (res), &error);
  if (generation != self->check_generation)
    return;
  self->check_busy = FALSE;
  if (error != NULL)
    show_check (self, error->message, "error");
  else if (ok)
    {
      const MwPasswordScheme *scheme = mw_password_identify (in->stored_scheme, in->stored);
      g_autofree char *text = NULL;

      if (scheme != NULL)
        /* Translators: the result of checking a password: "Matches: SHA-512-crypt".
         * Scheme labels have parentheses of their own. */
        text = g_strdup_printf (_("Matches: %s"), _(scheme->label));
      else
        text = g_strdup (_("Matches"));
      show_check (self, text, "success");
    }
  else
    show_check (self, _("Does not match"), "error");
}

static void
update_check (MwPasswordWindow *self)
{
  const char *type = gtk_editable_get_text (GTK_EDITABLE (self->check_type_row));
  const char *stored = gtk_editable_get_text (GTK_EDITABLE (self->check_stored_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->check_password_row));
  g_autoptr(GTask) task = NULL;
  CheckInput *in;
  Pending *p;

  self->check_generation++;
  if (stored[0] == '\0' || password[0] == '\0')
    {
      self->check_busy = FALSE;
      show_check (self, _("Type the stored value and a password to check them."), "dim-label");
      return;
    }

  self->check_busy = TRUE;
  in = g_new0 (CheckInput, 1);
  in->stored_scheme = g_strstrip (g_strdup (type));
  in->stored = g_strstrip (g_strdup (stored));
  in->password = g_strdup (password);
  p = g_new0 (Pending, 1);
  p->self = g_object_ref (self);
  p->generation = self->check_generation;
  task = g_task_new (NULL, self->cancellable, on_checked_cb, p);
  g_task_set_source_tag (task, update_check);
  g_task_set_task_data (task, in, check_input_free);
  g_task_run_in_thread (task, check_thread);
}

static void
on_check_input_changed_cb (MwPasswordWindow *self)
{
  update_check (self);
}

/* Copy buttons */

static void
copy_text (MwPasswordWindow *self,
           const char       *key)
{
  const char *text = g_object_get_data (G_OBJECT (self), key);

  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
on_stored_copy_clicked_cb (MwPasswordWindow *self)
{
  copy_text (self, "mw-stored");
}

static void
on_dovecot_copy_clicked_cb (MwPasswordWindow *self)
{
  copy_text (self, "mw-dovecot");
}

/* Public */

MwPasswordWindow *
mw_password_window_new (void)
{
  return g_object_new (MW_TYPE_PASSWORD_WINDOW, NULL);
}

void
mw_password_window_set_hash_input (MwPasswordWindow *self,
                                   const char       *scheme,
                                   const char       *password)
{
  g_return_if_fail (MW_IS_PASSWORD_WINDOW (self));

  for (guint i = 0; scheme != NULL && i < self->schemes->len; i++)
    if (g_str_equal (((const MwPasswordScheme *) g_ptr_array_index (self->schemes, i))->name, scheme))
      adw_combo_row_set_selected (self->scheme_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->hash_password_row), password != NULL ? password : "");
}

void
mw_password_window_set_check_input (MwPasswordWindow *self,
                                    const char       *stored_scheme,
                                    const char       *stored,
                                    const char       *password)
{
  g_return_if_fail (MW_IS_PASSWORD_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->check_type_row), stored_scheme != NULL ? stored_scheme : "");
  gtk_editable_set_text (GTK_EDITABLE (self->check_stored_row), stored != NULL ? stored : "");
  gtk_editable_set_text (GTK_EDITABLE (self->check_password_row), password != NULL ? password : "");
}

gboolean
mw_password_window_is_busy (MwPasswordWindow *self)
{
  g_return_val_if_fail (MW_IS_PASSWORD_WINDOW (self), FALSE);

  return self->hash_busy || self->check_busy;
}

const char *
mw_password_window_get_stored (MwPasswordWindow *self)
{
  g_return_val_if_fail (MW_IS_PASSWORD_WINDOW (self), NULL);

  return g_object_get_data (G_OBJECT (self), "mw-stored");
}

const char *
mw_password_window_get_dovecot (MwPasswordWindow *self)
{
  g_return_val_if_fail (MW_IS_PASSWORD_WINDOW (self), NULL);

  return g_object_get_data (G_OBJECT (self), "mw-dovecot");
}

const char *
mw_password_window_get_check_result (MwPasswordWindow *self)
{
  g_return_val_if_fail (MW_IS_PASSWORD_WINDOW (self), NULL);

  return gtk_label_get_text (self->check_result_label);
}

/* Class */

static void
mw_password_window_dispose (GObject *object)
{
  MwPasswordWindow *self = MW_PASSWORD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_PASSWORD_WINDOW);

  G_OBJECT_CLASS (mw_password_window_parent_class)->dispose (object);
}

static void
mw_password_window_finalize (GObject *object)
{
  MwPasswordWindow *self = MW_PASSWORD_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->schemes, g_ptr_array_unref);

  G_OBJECT_CLASS (mw_password_window_parent_class)->finalize (object);
}

static void
mw_password_window_class_init (MwPasswordWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_password_window_dispose;
  object_class->finalize = mw_password_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-password-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, hash_password_row);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, type_label);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, stored_label);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, dovecot_label);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, stored_copy_button);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, dovecot_copy_button);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, hash_note_label);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, check_type_row);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, check_stored_row);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, check_password_row);
  gtk_widget_class_bind_template_child (widget_class, MwPasswordWindow, check_result_label);
  gtk_widget_class_bind_template_callback (widget_class, on_hash_input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_check_input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stored_copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dovecot_copy_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_password_window_init (MwPasswordWindow *self)
{
  const MwPasswordScheme *schemes;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n_schemes;
  guint selected = 0;

  self->cancellable = g_cancellable_new ();
  self->schemes = g_ptr_array_new ();
  schemes = mw_password_get_schemes (&n_schemes);
  for (guint i = 0; i < n_schemes; i++)
    if (schemes[i].writable)
      {
        if (g_str_equal (schemes[i].name, MW_PASSWORD_DEFAULT_SCHEME))
          selected = self->schemes->len;
        g_ptr_array_add (self->schemes, (gpointer) &schemes[i]);
        gtk_string_list_append (labels, _(schemes[i].label));
      }

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: for screen readers, the eye button of a password field */
  mw_dialog_a11y_name_password_rows (GTK_WIDGET (self), _("Show the password"),
                                     /* Translators: the same button while the password is shown */
                                     _("Hide the password"));

  /* A hash broken over lines must not gain hyphens that are not in it. */
  {
    g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (self->stored_label, attrs);
    gtk_label_set_attributes (self->dovecot_label, attrs);
  }

  /* The first updates put the empty state in the result rows. */
  adw_combo_row_set_model (self->scheme_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->scheme_row, selected);
  update_hash (self);
  update_check (self);
}
