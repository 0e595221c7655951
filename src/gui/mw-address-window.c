/* mw-address-window.c: every row of one address: the users it delivers to and where it forwards.
 *
 * The place to edit an address that is not (only) a user's: forwards to
 * outside addresses and programs, BCCs, fan-out to several users. Each
 * change is written at once on a worker, deletions with Undo in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-address-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-address.h"
#include "mw-address-window.h"
#include "mw-dbmail-admin.h"

struct _MwAddressWindow
{
  AdwWindow            parent_instance;

  MwSession           *session;
  char                *address;
  GCancellable        *cancellable;
  MwDbResult          *rows;          /* mw_dbmail_find_alias_rows */
  GPtrArray           *widgets;       /* rows we added */
  guint                jobs;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  AdwPreferencesGroup *users_group;
  AdwPreferencesGroup *forwards_group;
  AdwEntryRow         *add_user_row;
  AdwEntryRow         *add_forward_row;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  AdwToastOverlay     *toast_overlay;
};

G_DEFINE_FINAL_TYPE (MwAddressWindow, mw_address_window, ADW_TYPE_WINDOW)

typedef enum
{
  OP_LOAD,
  OP_DELETE,
  OP_TO_ALIAS,
  OP_RETARGET,
  OP_MOVE,
  OP_ADD_FORWARD,
  OP_ADD_USER,
  OP_RESTORE,        /* undo of a delete: the row as it was */
} Op;

typedef struct
{
  Op              op;
  char           *address;
  char           *profile;
  gint64          alias_idnr;
  char           *old_target;   /* the row's deliver_to, for the toast and Undo */
  char           *value;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->address);
  g_free (job->profile);
  g_free (job->old_target);
  g_free (job->value);
  g_free (job);
}

static gboolean
all_digits (const char *s)
{
  return s != NULL && *s != '\0' && strspn (s, "0123456789") == strlen (s);
}

static gpointer
job_run (MwDb         *db,
         gpointer      data,
         GCancellable *cancellable,
         GError      **error)
{
  Job *job = data;
  MwAdmin admin = { .db = db, .profile = job->profile };
  /* Rows that already exist were stored before; keep them as they are. */
  MwAddressFlags as_stored = MW_ADDRESS_ALLOW_CATCH_ALL | MW_ADDRESS_BYPASS;
  gboolean ok = TRUE;

  switch (job->op)
    {
    case OP_LOAD:
      break;
    case OP_DELETE:
      ok = mw_dbmail_delete_alias (&admin, job->alias_idnr, error);
      break;
    case OP_TO_ALIAS:
      ok = mw_dbmail_forward_to_alias (&admin, job->alias_idnr, job->value, error);
      break;
    case OP_RETARGET:
      ok = mw_dbmail_set_forward_target (&admin, job->alias_idnr, job->value, error);
      break;
    case OP_MOVE:
      {
        gint64 to = mw_dbmail_resolve_user (db, job->value, error);

        ok = to > 0 && mw_dbmail_move_alias (&admin, job->alias_idnr, to, error);
      }
      break;
    case OP_ADD_FORWARD:
      ok = mw_dbmail_add_forward (&admin, job->address, job->value, as_stored, -1, error) > 0;
      break;
    case OP_ADD_USER:
      ok = mw_dbmail_add_alias_for (&admin, job->value, job->address, as_stored, FALSE, NULL, error) > 0;
      break;
    case OP_RESTORE:
      if (all_digits (job->value))
        ok = mw_dbmail_add_alias (&admin, g_ascii_strtoll (job->value, NULL, 10), job->address, as_stored, error) > 0;
      else
        ok = mw_dbmail_add_forward (&admin, job->address, job->value, as_stored, -1, error) > 0;
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return NULL;
  return mw_dbmail_find_alias_rows (db, job->address, error);
}

static void show_rows (MwAddressWindow *self);
static void run (MwAddressWindow *self, Op op, gint64 alias_idnr, const char *old_target, const char *value);

static void
show_error (MwAddressWindow *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

typedef struct
{
  MwAddressWindow *self;
  Op               op;
  char            *old_target;
  char            *value;
} Done;

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Done *done = user_data;
  g_autoptr(MwAddressWindow) self = done->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_target = done->old_target;
  g_autofree char *value = done->value;
  MwDbResult *rows;
  Op op = done->op;

  g_free (done);
  self->jobs--;
  rows = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);
  if (rows == NULL)
    {
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  g_clear_pointer (&self->rows, mw_db_result_unref);
  self->rows = rows;
  show_rows (self);
  if ((op == OP_ADD_FORWARD || op == OP_RETARGET) && value != NULL)
    {
      /* A target whose domain could pass for another one is kept, with a
       * word about it, as the account window does for its aliases. */
      g_autofree char *warning = mw_address_get_warning (value);

      if (warning != NULL)
        show_error (self, warning);
    }
  if (op == OP_LOAD)
    return;
  mw_session_notify_changed (self->session, MW_LIST_FORWARDS);
  mw_session_notify_changed (self->session, MW_LIST_ALIASES);
  if (op == OP_DELETE)
    {
      /* Translators: a toast: "Removed |/usr/bin/procmail" */
      g_autofree char *title = g_strdup_printf (_("Removed %s"), old_target);
      AdwToast *toast = adw_toast_new (title);

      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "address.restore");
      adw_toast_set_action_target_value (toast, g_variant_new_string (old_target));
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else if (op == OP_ADD_FORWARD || op == OP_ADD_USER)
    {
      gtk_editable_set_text (GTK_EDITABLE (op == OP_ADD_FORWARD ? self->add_forward_row : self->add_user_row), "");
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Added")));
    }
  else if (op != OP_RESTORE)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Changed")));
}

static void
run (MwAddressWindow *self,
     Op               op,
     gint64           alias_idnr,
     const char      *old_target,
     const char      *value)
{
  Job *job = g_new0 (Job, 1);
  Done *done = g_new0 (Done, 1);

  job->op = op;
  job->address = g_strdup (self->address);
  job->profile = g_strdup (mw_session_get_name (self->session));
  job->alias_idnr = alias_idnr;
  job->old_target = g_strdup (old_target);
  job->value = g_strdup (value);
  done->self = g_object_ref (self);
  done->op = op;
  done->old_target = g_strdup (old_target);
  done->value = g_strdup (value);
  self->jobs++;
  mw_db_pool_run_async (mw_session_get_pool (self->session), job_run, job, job_free,
                        (GDestroyNotify) mw_db_result_unref, self->cancellable, on_job_done_cb, done);
}

/* The row (alias_idnr) whose deliver_to is target. */
static gint64
row_of (MwAddressWindow *self,
        const char      *target)
{
  for (guint i = 0; self->rows != NULL && i < mw_db_result_get_n_rows (self->rows); i++)
    if (g_strcmp0 (mw_db_result_get_string (self->rows, i, 2), target) == 0)
      return mw_db_result_get_int64 (self->rows, i, 0);
  return 0;
}

static void
on_row_entry_applied_cb (AdwEntryRow     *entry,
                         MwAddressWindow *self)
{
  const char *target = g_object_get_data (G_OBJECT (entry), "mw-target");
  Op op = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (entry), "mw-op"));

  run (self, op, row_of (self, target), target, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_delete_clicked_cb (GtkButton       *button,
                      MwAddressWindow *self)
{
  const char *target = g_object_get_data (G_OBJECT (button), "mw-target");

  run (self, OP_DELETE, row_of (self, target), target, NULL);
}

static GtkWidget *
add_entry (MwAddressWindow *self,
           AdwExpanderRow  *row,
           const char      *title,
           const char      *target,
           Op               op)
{
  GtkWidget *entry = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  g_object_set_data_full (G_OBJECT (entry), "mw-target", g_strdup (target), g_free);
  g_object_set_data (G_OBJECT (entry), "mw-op", GINT_TO_POINTER (op));
  g_signal_connect (entry, "apply", G_CALLBACK (on_row_entry_applied_cb), self);
  adw_expander_row_add_row (row, entry);
  return entry;
}

static void
show_rows (MwAddressWindow *self)
{
  guint n = self->rows != NULL ? mw_db_result_get_n_rows (self->rows) : 0;

  for (guint i = 0; i < self->widgets->len; i++)
    {
      GtkWidget *w = self->widgets->pdata[i];

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (w, ADW_TYPE_PREFERENCES_GROUP)), w);
    }
  g_ptr_array_set_size (self->widgets, 0);

  for (guint i = 0; i < n; i++)
    {
      const char *target = mw_db_result_get_string (self->rows, i, 2);
      gboolean to_user = all_digits (target);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *title = NULL;
      g_autofree char *label = NULL;
      const char *kind;

      if (to_user && !mw_db_result_is_null (self->rows, i, 4))
        /* Translators: a user an address delivers to: "alice (user 42)" */
        title = g_strdup_printf (_("%s (user %s)"), mw_db_result_get_string (self->rows, i, 4), target);
      else if (to_user)
        /* Translators: an alias whose user number names nobody */
        title = g_strdup_printf (_("User %s, who does not exist"), target);
      else if (target[0] == '|' || target[0] == '!')
        title = g_strdup_printf (_("%s (program)"), target);
      else
        title = mw_address_to_display (target);
      kind = to_user ? "user" : "forward";

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      label = g_strdup_printf (_("Remove %s"), title);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (button), "mw-target", g_strdup (target), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_delete_clicked_cb), self);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
      if (to_user)
        add_entry (self, ADW_EXPANDER_ROW (row), _("Move to another user"), target, OP_MOVE);
      else
        {
          add_entry (self, ADW_EXPANDER_ROW (row), _("Send elsewhere instead"), target, OP_RETARGET);
          add_entry (self, ADW_EXPANDER_ROW (row), _("Deliver to a user instead (name, number or address)"),
                     target, OP_TO_ALIAS);
        }
      g_object_set_data_full (G_OBJECT (row), "mw-text", g_strdup_printf ("%s | %s", target, kind), g_free);
      adw_preferences_group_add (to_user ? self->users_group : self->forwards_group, row);
      g_ptr_array_add (self->widgets, row);
    }
  {
    g_autofree char *sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", n), n);

    adw_window_title_set_subtitle (self->window_title, sub);
  }
}

static void
restore_action (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  MwAddressWindow *self = MW_ADDRESS_WINDOW (widget);

  run (self, OP_RESTORE, 0, NULL, g_variant_get_string (param, NULL));
}

static void
on_add_user_applied_cb (MwAddressWindow *self)
{
  run (self, OP_ADD_USER, 0, NULL, gtk_editable_get_text (GTK_EDITABLE (self->add_user_row)));
}

static void
on_add_forward_applied_cb (MwAddressWindow *self)
{
  run (self, OP_ADD_FORWARD, 0, NULL, gtk_editable_get_text (GTK_EDITABLE (self->add_forward_row)));
}

MwAddressWindow *
mw_address_window_new (MwSession  *session,
                       const char *address)
{
  MwAddressWindow *self;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (MW_TYPE_ADDRESS_WINDOW, NULL);
  self->session = g_object_ref (session);
  self->address = g_strdup (address);
  shown = mw_address_to_display (address);
  adw_window_title_set_title (self->window_title, shown);
  gtk_window_set_title (GTK_WINDOW (self), shown);
  run (self, OP_LOAD, 0, NULL, NULL);
  return self;
}

const char *
mw_address_window_get_address (MwAddressWindow *self)
{
  g_return_val_if_fail (MW_IS_ADDRESS_WINDOW (self), NULL);

  return self->address;
}

gboolean
mw_address_window_is_busy (MwAddressWindow *self)
{
  g_return_val_if_fail (MW_IS_ADDRESS_WINDOW (self), FALSE);

  return self->jobs > 0;
}

GStrv
mw_address_window_dup_rows (MwAddressWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_ADDRESS_WINDOW (self), NULL);

  for (guint i = 0; i < self->widgets->len; i++)
    g_strv_builder_add (builder, g_object_get_data (self->widgets->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

const char *
mw_address_window_get_error (MwAddressWindow *self)
{
  g_return_val_if_fail (MW_IS_ADDRESS_WINDOW (self), NULL);

  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

void
mw_address_window_apply (MwAddressWindow *self,
                         const char      *op,
                         const char      *target,
                         const char      *value)
{
  g_return_if_fail (MW_IS_ADDRESS_WINDOW (self));

  if (g_str_equal (op, "add-forward"))
    run (self, OP_ADD_FORWARD, 0, NULL, value);
  else if (g_str_equal (op, "add-user"))
    run (self, OP_ADD_USER, 0, NULL, value);
  else if (g_str_equal (op, "delete"))
    run (self, OP_DELETE, row_of (self, target), target, NULL);
  else if (g_str_equal (op, "to-alias"))
    run (self, OP_TO_ALIAS, row_of (self, target), target, value);
  else if (g_str_equal (op, "retarget"))
    run (self, OP_RETARGET, row_of (self, target), target, value);
  else if (g_str_equal (op, "move"))
    run (self, OP_MOVE, row_of (self, target), target, value);
  else
    g_return_if_reached ();
}

static void
mw_address_window_dispose (GObject *object)
{
  MwAddressWindow *self = MW_ADDRESS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ADDRESS_WINDOW);

  G_OBJECT_CLASS (mw_address_window_parent_class)->dispose (object);
}

static void
mw_address_window_finalize (GObject *object)
{
  MwAddressWindow *self = MW_ADDRESS_WINDOW (object);

  g_clear_pointer (&self->rows, mw_db_result_unref);
  g_clear_pointer (&self->widgets, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_free (self->address);

  G_OBJECT_CLASS (mw_address_window_parent_class)->finalize (object);
}

static void
mw_address_window_class_init (MwAddressWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_address_window_dispose;
  object_class->finalize = mw_address_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-address-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, users_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, forwards_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, add_user_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, add_forward_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddressWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "address.restore", "s", restore_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_address_window_init (MwAddressWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->widgets = g_ptr_array_new ();
  g_signal_connect_swapped (self->add_user_row, "apply", G_CALLBACK (on_add_user_applied_cb), self);
  g_signal_connect_swapped (self->add_forward_row, "apply", G_CALLBACK (on_add_forward_applied_cb), self);
}
