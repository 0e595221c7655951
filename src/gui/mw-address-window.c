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

#include "mailwarden-core.h"
#include "mw-address-window.h"
#include "mw-dialog-a11y.h"
#include "mw-format.h"
#include "mw-trace-window.h"

struct _MwAddressWindow
{
  AdwWindow            parent_instance;

  MwSession           *session;
  char                *address;
  GCancellable        *cancellable;
  GPtrArray           *routes;        /* MwAddressRoute: the address's rows as loaded last */
  GHashTable          *removed;       /* target -> the account key it delivered to, or NULL: for Undo */
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

/* One change and the reload of the rows after it. */
typedef struct
{
  MwAddressWindow *self;
  Op               op;
  char            *old_target;   /* the row's target, for the toast and Undo */
  char            *value;
  gboolean         to_account;   /* OP_RESTORE: an alias again, not a forward */
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->self);
  g_free (job->old_target);
  g_free (job->value);
  g_free (job);
}

/* A session call cancelled before it ran says MW_DB_ERROR_CANCELLED, one
 * cancelled while it ran may say G_IO_ERROR_CANCELLED (mw-session.h). */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void show_rows (MwAddressWindow *self);

static void
show_error (MwAddressWindow *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

/* The row whose target is target, or NULL. */
static const MwAddressRoute *
route_of (MwAddressWindow *self,
          const char      *target)
{
  for (guint i = 0; self->routes != NULL && i < self->routes->len; i++)
    {
      const MwAddressRoute *route = g_ptr_array_index (self->routes, i);

      if (g_strcmp0 (route->target, target) == 0)
        return route;
    }
  return NULL;
}

static void
on_routes_loaded_cb (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  Job *job = user_data;
  MwAddressWindow *self = job->self;
  g_autoptr(GError) error = NULL;
  GPtrArray *routes;

  self->jobs--;
  routes = mw_session_find_routes_finish (self->session, res, &error);
  if (routes == NULL)
    {
      if (!is_cancelled (error))
        show_error (self, error->message);
      job_free (job);
      return;
    }
  show_error (self, NULL);
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  self->routes = routes;
  show_rows (self);
  if ((job->op == OP_ADD_FORWARD || job->op == OP_RETARGET) && job->value != NULL)
    {
      /* A target whose domain could pass for another one is kept, with a
       * word about it, as the account window does for its aliases. */
      g_autofree char *warning = mw_address_get_warning (job->value);

      if (warning != NULL)
        show_error (self, warning);
    }
  /* The session told the lists of any change ("changed"). */
  if (job->op == OP_DELETE)
    {
      /* Translators: a toast: "Removed |/usr/bin/procmail" */
      g_autofree char *title = g_strdup_printf (_("Removed %s"), job->old_target);
      AdwToast *toast = adw_toast_new (title);

      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "address.restore");
      adw_toast_set_action_target_value (toast, g_variant_new_string (job->old_target));
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else if (job->op == OP_ADD_FORWARD || job->op == OP_ADD_USER)
    {
      gtk_editable_set_text (GTK_EDITABLE (job->op == OP_ADD_FORWARD ? self->add_forward_row : self->add_user_row),
                             "");
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Added")));
    }
  else if (job->op != OP_RESTORE && job->op != OP_LOAD)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Changed")));
  job_free (job);
}

static void
load_routes (Job *job)
{
  MwAddressWindow *self = job->self;

  mw_session_find_routes_async (self->session, self->address, self->cancellable, on_routes_loaded_cb, job);
}

static void
on_changed_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  Job *job = user_data;
  MwAddressWindow *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gboolean ok;

  switch (job->op)
    {
    case OP_DELETE:
      ok = mw_session_delete_address_finish (self->session, res, &error);
      break;
    case OP_RETARGET:
      ok = mw_session_retarget_address_finish (self->session, res, &error);
      break;
    case OP_TO_ALIAS:
    case OP_MOVE:
      ok = mw_session_move_address_finish (self->session, res, &error);
      break;
    case OP_ADD_FORWARD:
      ok = (key = mw_session_add_forward_finish (self->session, res, &error)) != NULL;
      break;
    case OP_ADD_USER:
      ok = (key = mw_session_add_alias_for_finish (self->session, res, NULL, &error)) != NULL;
      break;
    case OP_RESTORE:
      if (job->to_account)
        ok = (key = mw_session_add_alias_finish (self->session, res, &error)) != NULL;
      else
        ok = (key = mw_session_add_forward_finish (self->session, res, &error)) != NULL;
      if (ok)
        g_hash_table_remove (self->removed, job->value);
      break;
    case OP_LOAD:
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    {
      self->jobs--;
      if (!is_cancelled (error))
        show_error (self, error->message);
      job_free (job);
      return;
    }
  load_routes (job);
}

static void
run (MwAddressWindow *self,
     Op               op,
     const char      *old_target,
     const char      *value)
{
  /* Rows that already exist were stored before; keep them as they are. */
  MwAddressFlags as_stored = MW_ADDRESS_ALLOW_CATCH_ALL | MW_ADDRESS_BYPASS;
  const MwAddressRoute *route = route_of (self, old_target);
  const char *key = route != NULL ? route->key : NULL;
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->op = op;
  job->old_target = g_strdup (old_target);
  job->value = g_strdup (value);
  self->jobs++;
  if (key == NULL && (op == OP_DELETE || op == OP_TO_ALIAS || op == OP_RETARGET || op == OP_MOVE))
    {
      /* A row changed or removed elsewhere since it was shown: show the
       * address as it is now. */
      job->op = OP_LOAD;
      load_routes (job);
      return;
    }
  switch (op)
    {
    case OP_LOAD:
      load_routes (job);
      return;
    case OP_DELETE:
      /* Undo puts the row back as it was: to the same account, or the same target. */
      if (route != NULL)
        g_hash_table_replace (self->removed, g_strdup (route->target), g_strdup (route->account_key));
      mw_session_delete_address_async (self->session, key, FALSE, self->cancellable, on_changed_cb, job);
      return;
    case OP_RETARGET:
      mw_session_retarget_address_async (self->session, key, value, FALSE, self->cancellable, on_changed_cb, job);
      return;
    case OP_TO_ALIAS:
    case OP_MOVE:
      /* To an account: a forward becomes its alias, an alias moves. */
      mw_session_move_address_async (self->session, key, value, FALSE, self->cancellable, on_changed_cb, job);
      return;
    case OP_ADD_FORWARD:
      mw_session_add_forward_async (self->session, self->address, value, as_stored, -1, FALSE, self->cancellable,
                                    on_changed_cb, job);
      return;
    case OP_ADD_USER:
      mw_session_add_alias_for_async (self->session, value, self->address, as_stored, FALSE, FALSE,
                                      self->cancellable, on_changed_cb, job);
      return;
    case OP_RESTORE:
      {
        const char *account_key = g_hash_table_lookup (self->removed, value);

        job->to_account = account_key != NULL;
        if (account_key != NULL)
          mw_session_add_alias_async (self->session, account_key, self->address, as_stored, FALSE,
                                      self->cancellable, on_changed_cb, job);
        else
          mw_session_add_forward_async (self->session, self->address, value, as_stored, -1, FALSE,
                                        self->cancellable, on_changed_cb, job);
      }
      return;
    default:
      g_assert_not_reached ();
    }
}

static void
on_row_entry_applied_cb (AdwEntryRow     *entry,
                         MwAddressWindow *self)
{
  const char *target = g_object_get_data (G_OBJECT (entry), "mw-target");
  Op op = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (entry), "mw-op"));

  run (self, op, target, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_delete_clicked_cb (GtkButton       *button,
                      MwAddressWindow *self)
{
  const char *target = g_object_get_data (G_OBJECT (button), "mw-target");

  run (self, OP_DELETE, target, NULL);
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
  guint n = self->routes != NULL ? self->routes->len : 0;

  for (guint i = 0; i < self->widgets->len; i++)
    {
      GtkWidget *w = self->widgets->pdata[i];

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (w, ADW_TYPE_PREFERENCES_GROUP)), w);
    }
  g_ptr_array_set_size (self->widgets, 0);

  for (guint i = 0; i < n; i++)
    {
      const MwAddressRoute *route = g_ptr_array_index (self->routes, i);
      const char *target = route->target;
      gboolean to_user = route->account_key != NULL;
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *title = NULL;
      g_autofree char *label = NULL;
      const char *kind;

      if (to_user && route->account_name != NULL)
        /* Translators: a user an address delivers to: "alice (user 42)" */
        title = g_strdup_printf (_("%s (user %s)"), route->account_name, target);
      else if (to_user)
        /* Translators: an alias whose user number names nobody */
        title = g_strdup_printf (_("User %s, who does not exist"), target);
      else if (target[0] == '|' || target[0] == '!')
        title = g_strdup_printf (_("%s (program)"), target);
      else
        title = mw_format_address (target);
      kind = to_user ? "user" : "forward";

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* An international domain reads in Unicode; the stored form is the tooltip. */
      if (!to_user && g_strcmp0 (title, target) != 0 && target[0] != '|' && target[0] != '!')
        gtk_widget_set_tooltip_text (row, target);
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
      /* The expander row itself is read by its title too, not as an empty item. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      mw_dialog_a11y_name_lists (row, title);
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

  run (self, OP_RESTORE, NULL, g_variant_get_string (param, NULL));
}

static void
on_add_user_applied_cb (MwAddressWindow *self)
{
  run (self, OP_ADD_USER, NULL, gtk_editable_get_text (GTK_EDITABLE (self->add_user_row)));
}

/* Trace Delivery: where mail for this address goes, step by step. */
static void
trace_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwAddressWindow *self = MW_ADDRESS_WINDOW (widget);
  MwTraceWindow *window = mw_trace_window_new (self->session, self->address);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_add_forward_applied_cb (MwAddressWindow *self)
{
  run (self, OP_ADD_FORWARD, NULL, gtk_editable_get_text (GTK_EDITABLE (self->add_forward_row)));
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
  shown = mw_format_address (address);
  adw_window_title_set_title (self->window_title, shown);
  gtk_window_set_title (GTK_WINDOW (self), shown);
  /* The stored form of an international address, as the database has it. */
  if (g_strcmp0 (shown, address) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), address);
  gtk_widget_set_visible (GTK_WIDGET (self->add_forward_row),
                          mw_schema_can (mw_session_get_schema (session), MW_SCHEMA_CAN_FORWARDS));
  run (self, OP_LOAD, NULL, NULL);
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
    run (self, OP_ADD_FORWARD, NULL, value);
  else if (g_str_equal (op, "add-user"))
    run (self, OP_ADD_USER, NULL, value);
  else if (g_str_equal (op, "delete"))
    run (self, OP_DELETE, target, NULL);
  else if (g_str_equal (op, "to-alias"))
    run (self, OP_TO_ALIAS, target, value);
  else if (g_str_equal (op, "retarget"))
    run (self, OP_RETARGET, target, value);
  else if (g_str_equal (op, "move"))
    run (self, OP_MOVE, target, value);
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

  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_hash_table_unref);
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
  gtk_widget_class_install_action (widget_class, "address.trace", NULL, trace_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_address_window_init (MwAddressWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->widgets = g_ptr_array_new ();
  self->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect_swapped (self->add_user_row, "apply", G_CALLBACK (on_add_user_applied_cb), self);
  g_signal_connect_swapped (self->add_forward_row, "apply", G_CALLBACK (on_add_forward_applied_cb), self);
}
