/* mw-account-window.c: one user account: overview, aliases, forwards, mailboxes.
 *
 * This file holds the widget, its page and loading. Changes to the account
 * are staged in the rows and saved together in one transaction
 * (mw-account-window-actions.c); aliases and forwards are written at once,
 * with Undo in a toast (mw-account-window-addresses.c). What the schema
 * cannot do (mw_schema_can) is not shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-account-window-private.h"
#include "mw-account-window-replies.h"
#include "mw-account-window-rules.h"
#include "mw-account-window-usermap.h"
#include "mailwarden-core.h"
#include "mw-format.h"
#include "mw-mail-page.h"
#include "mw-size-spin.h"

G_DEFINE_FINAL_TYPE (MwAccountWindow, mw_account_window, ADW_TYPE_WINDOW)

static void
add_value_label (MwAccountWindow *self,
                 AdwActionRow    *row,
                 const char      *field)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* Read-only: selectable with the mouse, for copying, but no Tab stop;
   * neither is its row (focusable in the .ui: turning it off here, in the
   * window's init, made GTK 4.8 give a second account window the role of
   * a plain widget instead of a window). */
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (row, label);
  g_hash_table_insert (self->values, g_strdup (field), label);
}

static void
set_value (MwAccountWindow *self,
           const char      *field,
           const char      *value)
{
  gtk_label_set_text (g_hash_table_lookup (self->values, field), value);
}

void
_mw_account_window_clear_group (MwAccountWindow     *self,
                                const char          *name,
                                AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_hash_table_lookup (self->group_rows, name);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_hash_table_replace (self->group_rows, g_strdup (name), g_ptr_array_new ());
}

GtkWidget *
_mw_account_window_add_row (MwAccountWindow     *self,
                            const char          *name,
                            AdwPreferencesGroup *group,
                            const char          *title,
                            const char          *subtitle,
                            const char          *suffix)
{
  GtkWidget *row = adw_action_row_new ();
  GPtrArray *rows = g_hash_table_lookup (self->group_rows, name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Nothing to do on the row itself: Tab goes to its buttons, if any. */
  gtk_widget_set_focusable (row, FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (suffix != NULL)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  /* Keep the title text findable for tests and screen readers. */
  g_object_set_data_full (G_OBJECT (row), "mw-text",
                          g_strjoin (" | ", title, subtitle != NULL ? subtitle : "", suffix != NULL ? suffix : "", NULL),
                          g_free);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static char *
format_size (gint64 bytes)
{
  return g_format_size_full ((guint64) bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
show_mailboxes (MwAccountWindow *self)
{
  MwAccount *a = self->account;

  _mw_account_window_clear_group (self, "mailboxes", self->mailboxes_group);
  for (guint i = 0; i < a->mailboxes->len; i++)
    {
      MwAccountMailbox *m = g_ptr_array_index (a->mailboxes, i);
      g_autofree char *name = mw_imap_utf7_decode (m->name);
      g_autofree char *size = format_size (m->visible_bytes);
      g_autofree char *counts = NULL;
      g_autofree char *deleted = NULL;

      g_autofree char *n_visible = g_strdup_printf ("%" G_GINT64_FORMAT, m->visible_count);

      /* Translators: "12 messages, 3.4 MiB" */
      counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message, %s", "%s messages, %s",
                                             (gulong) m->visible_count),
                                n_visible, size);
      if (m->deleted_count > 0)
        {
          g_autofree char *dsize = format_size (m->deleted_bytes);

          g_autofree char *n_deleted = g_strdup_printf ("%" G_GINT64_FORMAT, m->deleted_count);

          /* Translators: "2 deleted, not yet purged (1.2 KiB)" */
          deleted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s deleted, not yet purged (%s)",
                                                  "%s deleted, not yet purged (%s)", (gulong) m->deleted_count),
                                     n_deleted, dsize);
        }
      _mw_account_window_add_row (self, "mailboxes", self->mailboxes_group, name, deleted, counts);
    }
  if (a->mailboxes->len == 0)
    _mw_account_window_add_row (self, "mailboxes", self->mailboxes_group, _("No mailboxes"),
                                _("DBMail creates the INBOX at the first delivery."), NULL);
}

/* How the password is stored now, in the words of the list of schemes a new
 * one can be stored in; the stored type name in the tooltip. */
static void
show_stored_password (MwAccountWindow *self)
{
  MwAccount *a = self->account;
  GtkWidget *label = g_hash_table_lookup (self->values, "hash");
  g_autofree char *text = NULL;
  g_autofree char *tip = NULL;

  const MwPasswordScheme *scheme = a->stored_scheme;

  /* A flavour that only names the stored {SCHEME} (ISPmail): its own lookup knows the label. */
  if (scheme == NULL && a->password_scheme != NULL && a->password_scheme[0] != '\0')
    scheme = mw_schema_lookup_password_scheme (mw_session_get_schema (self->session), a->password_scheme, NULL);
  if (scheme != NULL)
    text = g_strdup (_(scheme->label));
  else if (a->password_scheme != NULL && a->password_scheme[0] != '\0')
    text = g_strdup (_("None that can log in, or in an unknown form"));
  else
    text = g_strdup (_("None that can log in"));
  if (a->password_scheme != NULL && a->password_scheme[0] != '\0')
    /* Translators: tooltip: the scheme's name as the database stores it, e.g. "crypt" or "SHA512-CRYPT" */
    tip = g_strdup_printf (_("Stored password type: “%s”"), a->password_scheme);
  else
    tip = g_strdup (_("Stored password type: empty (plain text)"));
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hash_row), tip);
}

void
_mw_account_window_set_security_action (MwAccountWindow *self,
                                        gint64           value)
{
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < self->n_security_actions; i++)
    if (self->security_actions[i].value == value ||
        (self->security_actions[i].numbered && self->security_actions[i].value <= value))
      selected = i;
  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  if (self->security_actions[selected].numbered)
    gtk_spin_button_set_value (self->security_action_spin, (double) value);
  adw_combo_row_set_selected (self->security_action_row, selected);
}

/* A rule number only where the action has one; the flavour's own term for
 * the chosen action in the tooltip. */
static void
on_security_action_selected_cb (MwAccountWindow *self)
{
  guint i = adw_combo_row_get_selected (self->security_action_row);
  const MwSecurityAction *action = i < self->n_security_actions ? &self->security_actions[i] : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->security_rule_row), action != NULL && action->numbered);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->security_action_row), action != NULL ? action->term : NULL);
  if (action != NULL && action->numbered)
    gtk_spin_button_set_range (self->security_action_spin, (double) action->value,
                               i + 1 < self->n_security_actions ? (double) self->security_actions[i + 1].value - 1
                                                                : 32767.0);
}

static void
fill_security_actions (MwAccountWindow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  self->security_actions = mw_schema_get_security_actions (mw_session_get_schema (self->session),
                                                           &self->n_security_actions);
  for (guint i = 0; i < self->n_security_actions; i++)
    gtk_string_list_append (labels, _(self->security_actions[i].label));
  adw_combo_row_set_model (self->security_action_row, G_LIST_MODEL (labels));
  on_security_action_selected_cb (self);
}

/* Fills the rows with the account as loaded; what was staged is dropped. */
void
_mw_account_window_show_account (MwAccountWindow *self)
{
  MwAccount *a = self->account;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, a->number);
  g_autofree char *used = format_size (a->used);
  g_autofree char *quota = NULL;
  g_autofree char *login = NULL;

  adw_view_switcher_title_set_title (self->window_title, a->name);
  {
    /* Translators: subtitle of an account window: "User 42" */
    g_autofree char *sub = a->number != 0 ? g_strdup_printf (_("User %s"), number) : g_strdup ("");
    adw_view_switcher_title_set_subtitle (self->window_title, sub);
  }
  gtk_window_set_title (GTK_WINDOW (self), a->name);

  self->showing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), a->name);
  /* A schema that numbers no accounts has nothing to show there. */
  gtk_widget_set_visible (GTK_WIDGET (self->number_row), a->number != 0);
  set_value (self, "number", number);
  gtk_spin_button_set_value (self->group_spin, (double) a->group);
  gtk_spin_button_set_value (self->quota_spin, (double) ((a->quota + MIB / 2) / MIB));
  gtk_switch_set_active (self->enabled_switch, a->active);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("New password"));
  gtk_editable_set_text (GTK_EDITABLE (self->security_password_row), "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->security_password_row),
                                 a->has_security_password ? _("New security password (one is set)")
                                                          : _("New security password"));
  _mw_account_window_set_security_action (self, a->security_action);
  adw_combo_row_set_selected (self->scheme_row, 0);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  self->showing = FALSE;

  if (a->quota > 0)
    {
      g_autofree char *max = format_size (a->quota);
      double fraction = (double) a->used / (double) a->quota;

      if (a->used > 0 && fraction < 0.01)
        /* Translators: quota use below one percent: "3.8 KiB of 10.0 MiB (<1%)" */
        quota = g_strdup_printf (_("%s of %s (<1%%)"), used, max);
      else
        /* Translators: quota use: "3.8 KiB of 10.0 MiB (12%)" */
        quota = g_strdup_printf (_("%s of %s (%.0f%%)"), used, max, fraction * 100.0);
      gtk_level_bar_set_value (self->quota_bar, MIN (fraction, 1.0));
      gtk_widget_set_visible (GTK_WIDGET (self->quota_bar), TRUE);
    }
  else
    {
      /* Translators: quota use without a limit: "3.8 KiB, no limit" */
      quota = g_strdup_printf (_("%s, no limit"), used);
      gtk_widget_set_visible (GTK_WIDGET (self->quota_bar), FALSE);
    }
  set_value (self, "quota", quota);

  if (a->last_login == NULL || g_date_time_get_year (a->last_login) <= 1979)
    login = g_strdup (C_("last login", "Never"));
  else
    login = mw_format_date_time (a->last_login);
  set_value (self, "login", login);
  show_stored_password (self);

  _mw_account_window_show_addresses (self);
  show_mailboxes (self);

  gtk_stack_set_visible_child_name (self->stack, "account");
  _mw_account_window_update_actions (self);
  _mw_account_window_restore_focus (self);
}

void
_mw_account_window_show_error (MwAccountWindow *self,
                               const char      *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
on_toast_dismissed_cb (MwAccountWindow *self,
                       AdwToast        *toast)
{
  g_object_set_data (G_OBJECT (toast), "mw-dismissed", GINT_TO_POINTER (TRUE));
  if (self->shown_toast == toast)
    g_clear_object (&self->shown_toast);
}

static void
on_undo_toast_dismissed_cb (MwAccountWindow *self,
                            AdwToast        *toast)
{
  if (self->undo_toast != toast)
    return;
  g_clear_object (&self->undo_toast);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.undo", FALSE);
}

/* The last change's Undo is offered until its toast goes: 10 s, the next
 * toast, or the next change in the window. */
void
_mw_account_window_withdraw_undo (MwAccountWindow *self)
{
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->undo_toast);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.undo", FALSE);
  if (toast != NULL)
    adw_toast_dismiss (toast);
}

void
_mw_account_window_toast (MwAccountWindow *self,
                          const char      *title,
                          const char      *undo_action,
                          GVariant        *undo_target)
{
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  _mw_account_window_withdraw_undo (self);
  /* The news replaces the old at once, rather than waiting in the queue. */
  if (self->shown_toast != NULL)
    adw_toast_dismiss (self->shown_toast);
  g_set_object (&self->shown_toast, t);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  /* Long enough to reach Undo with the keyboard; Ctrl+Z works meanwhile. */
  adw_toast_set_timeout (t, 10);
  if (undo_action != NULL)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      /* Through account.undo, which keeps the focus where it was. */
      adw_toast_set_action_name (t, "account.undo");
      g_object_set_data_full (G_OBJECT (t), "mw-undo-action", g_strdup (undo_action), g_free);
      if (undo_target != NULL)
        g_object_set_data_full (G_OBJECT (t), "mw-undo-target", g_variant_ref_sink (undo_target),
                                (GDestroyNotify) g_variant_unref);
      self->undo_toast = g_object_ref (t);
      g_signal_connect_object (t, "dismissed", G_CALLBACK (on_undo_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.undo", TRUE);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static gboolean
dismiss_leaving_toast_cb (gpointer data)
{
  MwAccountWindow *self = data;
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->leaving_toast);

  self->leaving_idle = 0;
  if (toast != NULL && g_object_get_data (G_OBJECT (toast), "mw-dismissed") == NULL)
    adw_toast_dismiss (toast);
  return G_SOURCE_REMOVE;
}

/* The field a change to undo was made in, for the focus when there was none. */
static GtkWidget *
changed_field (MwAccountWindow *self,
               const char      *undo_name)
{
  MwAccountChangeFlags changes = self->undo != NULL ? self->undo->changes : 0;

  if (strstr (undo_name, "forward") != NULL)
    return GTK_WIDGET (self->new_forward_row);
  if (strstr (undo_name, "alias") != NULL)
    return GTK_WIDGET (self->new_alias_row);
  if (changes & MW_ACCOUNT_CHANGE_GROUP)
    return GTK_WIDGET (self->group_spin);
  if (changes & MW_ACCOUNT_CHANGE_QUOTA)
    return GTK_WIDGET (self->quota_spin);
  if (changes & MW_ACCOUNT_CHANGE_ACTIVE)
    return GTK_WIDGET (self->enabled_switch);
  if (changes & (MW_ACCOUNT_CHANGE_PASSWORD | MW_ACCOUNT_CHANGE_SECURITY_PASSWORD))
    return GTK_WIDGET (self->password_row);
  if (changes & MW_ACCOUNT_CHANGE_SECURITY_ACTION)
    return GTK_WIDGET (self->security_action_row);
  return GTK_WIDGET (self->name_row);
}

/* Ctrl+Z and the toasts' Undo: the change the toast offers to undo. */
static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->undo_toast);
  const char *name;
  GVariant *target;

  gtk_widget_action_set_enabled (widget, "account.undo", FALSE);
  if (toast == NULL)
    return;
  name = g_object_get_data (G_OBJECT (toast), "mw-undo-action");
  target = g_object_get_data (G_OBJECT (toast), "mw-undo-target");
  /* The toast's button, which may have had the focus, goes with the toast:
   * the focus goes back to where it was before once the account is shown
   * again. */
  g_set_weak_pointer (&self->undo_focus, self->last_focus != NULL ? self->last_focus : changed_field (self, name));
  self->refocus = TRUE;
  gtk_widget_activate_action_variant (widget, name, target);
  /* Ctrl+Z takes the toast away; its own button does that itself, after
   * this, and a toast must not go twice. */
  g_set_object (&self->leaving_toast, toast);
  if (self->leaving_idle == 0)
    self->leaving_idle = g_idle_add (dismiss_leaving_toast_cb, self);
}

/* Ctrl+Z undoes the change a toast offers to undo, even in a text field
 * (which would undo its typing); with nothing offered the field has it. */
static gboolean
on_undo_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);

  if (self->undo_toast == NULL)
    return FALSE;
  return gtk_widget_activate_action (widget, "account.undo", NULL);
}

static gboolean
is_in_toast (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (g_strcmp0 (gtk_widget_get_css_name (widget), "toast") == 0)
      return TRUE;
  return FALSE;
}

static void
on_focus_changed_cb (MwAccountWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus != NULL && !is_in_toast (focus))
    g_set_weak_pointer (&self->last_focus, focus);
}

void
_mw_account_window_restore_focus (MwAccountWindow *self)
{
  GtkWidget *target = self->undo_focus;
  GtkWidget *focus;

  if (!self->refocus)
    return;
  self->refocus = FALSE;
  g_clear_weak_pointer (&self->undo_focus);
  /* Where it was, if it is still there (a row of a deleted alias is not). */
  if (target == NULL || !gtk_widget_is_ancestor (target, GTK_WIDGET (self)) || !gtk_widget_is_drawable (target) ||
      !gtk_widget_is_sensitive (target))
    return;
  if (!gtk_widget_grab_focus (target))
    return;
  /* Taking the focus selects an entry's text; one stray key would then
   * replace it. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w))
      {
        gtk_editable_select_region (GTK_EDITABLE (w), -1, -1);
        break;
      }
}

gboolean
_mw_account_window_is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
fill_schemes (MwAccountWindow *self)
{
  MwSchema *schema = mw_session_get_schema (self->session);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n;
  const MwPasswordScheme *schemes = mw_schema_get_password_schemes (schema, &n);
  const char *default_name = mw_schema_get_default_password_scheme (schema);

  /* The names belong to the schema, which the session keeps while this
   * window holds it. */
  self->scheme_names = g_ptr_array_new ();
  /* The default first, then every other scheme the server can check. */
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (schemes[i].name, default_name) == 0)
      {
        g_ptr_array_add (self->scheme_names, (gpointer) schemes[i].name);
        gtk_string_list_append (labels, _(schemes[i].label));
      }
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (schemes[i].name, default_name) != 0)
      {
        g_ptr_array_add (self->scheme_names, (gpointer) schemes[i].name);
        gtk_string_list_append (labels, _(schemes[i].label));
      }
  adw_combo_row_set_model (self->scheme_row, G_LIST_MODEL (labels));
}

/* Shows only what the schema can do; the rest of the page stays as it is. */
static void
show_capabilities (MwAccountWindow *self)
{
  MwSchema *schema = mw_session_get_schema (self->session);
  gboolean writable = mw_schema_can (schema, MW_SCHEMA_CAN_WRITE);
  gboolean security = mw_schema_can (schema, MW_SCHEMA_CAN_SECURITY_PASSWORD);
  gboolean mail = mw_session_get_mail_store (self->session) != NULL;

  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), writable && mw_schema_can (schema, MW_SCHEMA_CAN_RENAME));
  if (mw_schema_names_mailboxes (schema))
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), C_("mailbox", "Address"));
  gtk_widget_set_visible (GTK_WIDGET (self->group_row), mw_schema_can (schema, MW_SCHEMA_CAN_GROUPS));
  gtk_widget_set_visible (GTK_WIDGET (self->quota_limit_row), mw_schema_can (schema, MW_SCHEMA_CAN_QUOTA));
  /* "Mail used" only where the flavour counts it: its list of users has the column (ISPmail's has not). */
  gtk_widget_set_visible (GTK_WIDGET (self->quota_row), mw_schema_get_list (schema, MW_LIST_USERS) != NULL &&
                          mw_list_info_find_column (mw_schema_get_list (schema, MW_LIST_USERS), "used") != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->login_row), mw_schema_can (schema, MW_SCHEMA_CAN_LAST_LOGIN));
  gtk_widget_set_visible (GTK_WIDGET (self->enabled_row), mw_schema_can (schema, MW_SCHEMA_CAN_DISABLE));
  gtk_widget_set_visible (GTK_WIDGET (self->password_group), writable);
  gtk_widget_set_visible (GTK_WIDGET (self->security_password_row), security);
  gtk_widget_set_visible (GTK_WIDGET (self->security_action_row), security);
  gtk_widget_set_visible (GTK_WIDGET (self->new_alias_row), writable);
  gtk_widget_set_visible (GTK_WIDGET (self->forwards_group), mw_schema_can (schema, MW_SCHEMA_CAN_FORWARDS));
  gtk_widget_set_visible (GTK_WIDGET (self->new_forward_row), writable);
  gtk_widget_set_visible (GTK_WIDGET (self->mailboxes_group), mail);
  adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack,
                                                          adw_view_stack_get_child_by_name (self->view_stack, "mail")),
                                  mail);
  /* Without a Mail tab there is nothing to switch to: no bar with one button. */
  adw_view_switcher_bar_set_reveal (self->switcher_bar, mail);
}

static void
on_account_loaded_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwAccount *account;

  account = mw_session_get_account_finish (MW_SESSION (source), res, &error);
  if (_mw_account_window_is_cancelled (error))
    return;
  self->loading = FALSE;
  if (account == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->account, mw_account_free);
  self->account = account;
  _mw_account_window_show_account (self);
}

void
_mw_account_window_reload (MwAccountWindow *self)
{
  self->loading = TRUE;
  if (self->account == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  mw_session_get_account_async (self->session, self->account_key, self->cancellable, on_account_loaded_cb,
                                g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  _mw_account_window_reload (MW_ACCOUNT_WINDOW (widget));
}

GtkWindow *
mw_account_window_new (MwSession  *session,
                       const char *account_key)
{
  MwAccountWindow *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  self = g_object_new (MW_TYPE_ACCOUNT_WINDOW, NULL);
  self->session = g_object_ref (session);
  self->account_key = g_strdup (account_key);
  if (mw_session_get_mail_store (session) != NULL)
    {
      self->mail_page = mw_mail_page_new (session, account_key);
      adw_bin_set_child (self->mail_bin, GTK_WIDGET (self->mail_page));
    }
  fill_schemes (self);
  fill_security_actions (self);
  show_capabilities (self);
  _mw_account_window_init_vacation (self);
  _mw_account_window_init_replies (self);
  _mw_account_window_init_sharing (self);
  _mw_account_window_init_rules (self);
  _mw_account_window_init_usermap (self);
  _mw_account_window_update_actions (self);
  _mw_account_window_reload (self);
  return GTK_WINDOW (self);
}

const char *
mw_account_window_get_account_key (MwAccountWindow *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (self), NULL);

  return self->account_key;
}

const MwAccount *
mw_account_window_get_account (MwAccountWindow *self)
{
  return self->account;
}

gboolean
mw_account_window_is_loading (MwAccountWindow *self)
{
  return self->loading;
}

const char *
mw_account_window_get_value (MwAccountWindow *self,
                             const char      *field)
{
  GtkLabel *label = g_hash_table_lookup (self->values, field);

  if (g_str_equal (field, "name"))
    return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  if (g_str_equal (field, "group"))
    return gtk_editable_get_text (GTK_EDITABLE (self->group_spin));
  if (g_str_equal (field, "enabled"))
    return gtk_switch_get_active (self->enabled_switch) ? "yes" : "no";
  if (g_str_equal (field, "security-action"))
    {
      GObject *item = adw_combo_row_get_selected_item (self->security_action_row);

      return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
    }
  return label != NULL ? gtk_label_get_text (label) : NULL;
}

void
mw_account_window_set_field (MwAccountWindow *self,
                             const char      *field,
                             const char      *value)
{
  g_return_if_fail (MW_IS_ACCOUNT_WINDOW (self));

  if (g_str_equal (field, "name"))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), value);
  else if (g_str_equal (field, "group"))
    gtk_spin_button_set_value (self->group_spin, g_ascii_strtod (value, NULL));
  else if (g_str_equal (field, "quota-mib"))
    {
      /* Typed, then read as the field reads it ("500", "2G"). */
      gtk_editable_set_text (GTK_EDITABLE (self->quota_spin), value);
      gtk_spin_button_update (self->quota_spin);
    }
  else if (g_str_equal (field, "quota-typed"))
    {
      /* Typed with the cursor still in the field: not taken yet. */
      gtk_widget_grab_focus (GTK_WIDGET (self->quota_spin));
      gtk_editable_set_text (GTK_EDITABLE (self->quota_spin), value);
    }
  else if (g_str_equal (field, "enabled"))
    gtk_switch_set_active (self->enabled_switch, g_str_equal (value, "yes"));
  else if (g_str_equal (field, "password"))
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), value);
  else if (g_str_equal (field, "security-password"))
    gtk_editable_set_text (GTK_EDITABLE (self->security_password_row), value);
  else if (g_str_equal (field, "security-action"))
    _mw_account_window_set_security_action (self, g_ascii_strtod (value, NULL));
  else if (g_str_equal (field, "new-forward"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->new_forward_row), value);
      g_signal_emit_by_name (self->new_forward_row, "apply");
    }
  else if (g_str_equal (field, "new-alias"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->new_alias_row), value);
      g_signal_emit_by_name (self->new_alias_row, "apply");
    }
  else
    g_return_if_reached ();
}

const char *
mw_account_window_get_error (MwAccountWindow *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (self), NULL);

  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
mw_account_window_get_toast (MwAccountWindow *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (self), NULL);

  return self->last_toast;
}

gboolean
mw_account_window_is_busy (MwAccountWindow *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (self), FALSE);

  return self->saving || self->loading || self->alias_jobs > 0;
}

GStrv
mw_account_window_dup_rows (MwAccountWindow *self,
                            const char      *group)
{
  GPtrArray *rows = g_hash_table_lookup (self->group_rows, group);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (rows->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

/* The mail is read the first time its page is shown. */
static void
on_view_changed_cb (MwAccountWindow *self)
{
  if (self->mail_page != NULL && g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "mail") == 0)
    mw_mail_page_start (self->mail_page);
}

/* Alt+1, Alt+2: a tab by name, when it is there. */
static void
show_page_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack, g_variant_get_string (param, NULL));

  if (child != NULL && adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack, child)) &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "account"))
    adw_view_stack_set_visible_child (self->view_stack, child);
}

/* Alt+1 … Alt+9: the Nth tab the switcher shows, when there is one. */
static void
show_tab_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->view_stack);
  int wanted = g_variant_get_int32 (param);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "account"))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (adw_view_stack_page_get_visible (page) && --wanted == 0)
        {
          adw_view_stack_set_visible_child (self->view_stack, adw_view_stack_page_get_child (page));
          return;
        }
    }
}

/* Ctrl+Page Up/Down: the tab before or after, round. */
static void
next_page_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->view_stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));
  GtkWidget *current = adw_view_stack_get_visible_child (self->view_stack);
  int step = g_variant_get_int32 (param) < 0 ? -1 : 1;
  guint at = 0;

  if (n == 0 || !g_str_equal (gtk_stack_get_visible_child_name (self->stack), "account"))
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (adw_view_stack_page_get_child (page) == current)
        at = i;
    }
  for (guint k = 1; k < n; k++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), (at + n + step * k) % n);

      if (adw_view_stack_page_get_visible (page))
        {
          adw_view_stack_set_visible_child (self->view_stack, adw_view_stack_page_get_child (page));
          return;
        }
    }
}

/* The application's shortcuts window (ui/gtk/help-overlay.ui), which lists
 * this window's keys too. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action,
                       GVariant   *param)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/mailwarden/Mailwarden/gtk/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (overlay, GTK_WINDOW (widget));
  gtk_window_present (overlay);
}

MwMailPage *
mw_account_window_show_mail (MwAccountWindow *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (self), NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "mail");
  return self->mail_page;
}

static void
mw_account_window_dispose (GObject *object)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->undo_toast);
  g_clear_object (&self->shown_toast);
  g_clear_handle_id (&self->leaving_idle, g_source_remove);
  g_clear_object (&self->leaving_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_WINDOW);

  G_OBJECT_CLASS (mw_account_window_parent_class)->dispose (object);
}

static void
mw_account_window_finalize (GObject *object)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (object);

  g_clear_pointer (&self->account, mw_account_free);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->group_rows, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->scheme_names, g_ptr_array_unref);
  g_clear_pointer (&self->undo, mw_account_change_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_weak_pointer (&self->last_focus);
  g_clear_weak_pointer (&self->undo_focus);

  G_OBJECT_CLASS (mw_account_window_parent_class)->finalize (object);
}

static void
mw_account_window_class_init (MwAccountWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_account_window_dispose;
  object_class->finalize = mw_account_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-account-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, mail_bin);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, number_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, group_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_limit_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, hash_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, enabled_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_bar);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, password_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, aliases_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, forwards_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, mailboxes_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, group_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, security_password_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, security_action_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, security_action_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, security_rule_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, new_alias_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, new_forward_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, action_bar);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, switcher_bar);

  gtk_widget_class_install_action (widget_class, "account.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "account.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "account.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "account.next-page", "i", next_page_action);
  gtk_widget_class_install_action (widget_class, "account.show-tab", "i", show_tab_action);
  gtk_widget_class_install_action (widget_class, "account.show-shortcuts", NULL, show_shortcuts_action);
  _mw_account_window_class_init_actions (widget_class);
  _mw_account_window_class_init_addresses (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "account.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  for (int n = 1; n <= 9; n++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + n - 1, GDK_ALT_MASK, "account.show-tab", "i", n);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "account.next-page", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "account.next-page", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "account.show-shortcuts", NULL);
}

/* Calls name_one on every descendant of root of type. */
static void
name_descendants (GtkWidget  *root,
                  GType       type,
                  const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      name_descendants (c, type, name);
    }
}

/* Names for screen readers where GTK 4.8 and libadwaita 1.2 give none: a
 * field after its row's title (a labelled-by relation to the row is not
 * followed on 4.8), the switchers, the password rows' show button. */
static void
name_widgets (MwAccountWindow *self)
{
  struct { GtkWidget *field; AdwPreferencesRow *row; } fields[] = {
    { GTK_WIDGET (self->group_spin), ADW_PREFERENCES_ROW (self->group_row) },
    { GTK_WIDGET (self->quota_spin), ADW_PREFERENCES_ROW (self->quota_limit_row) },
    { GTK_WIDGET (self->security_action_spin), ADW_PREFERENCES_ROW (self->security_rule_row) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (fields[i].field),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, adw_preferences_row_get_title (fields[i].row),
                                      -1);
      if (ADW_IS_ACTION_ROW (fields[i].row) && adw_action_row_get_subtitle (ADW_ACTION_ROW (fields[i].row)) != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (fields[i].field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                        adw_action_row_get_subtitle (ADW_ACTION_ROW (fields[i].row)), -1);
    }
  name_descendants (GTK_WIDGET (self->window_title), ADW_TYPE_VIEW_SWITCHER, _("Account tabs"));
  name_descendants (GTK_WIDGET (self->switcher_bar), ADW_TYPE_VIEW_SWITCHER, _("Account tabs"));
  name_descendants (GTK_WIDGET (self->password_row), GTK_TYPE_BUTTON, _("Show the password"));
  name_descendants (GTK_WIDGET (self->security_password_row), GTK_TYPE_BUTTON, _("Show the security password"));
}

static void
mw_account_window_init (MwAccountWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->group_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  add_value_label (self, self->number_row, "number");
  add_value_label (self, self->quota_row, "quota");
  add_value_label (self, self->login_row, "login");
  add_value_label (self, self->hash_row, "hash");
  mw_size_spin_attach (self->quota_spin, MW_SIZE_UNIT_MIB);
  name_widgets (self);
  _mw_account_window_init_actions (self);
  _mw_account_window_init_addresses (self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (on_view_changed_cb), self);
  g_signal_connect_swapped (self->security_action_row, "notify::selected",
                            G_CALLBACK (on_security_action_selected_cb), self);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_changed_cb), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.undo", FALSE);
  {
    /* Before the fields, which have a Ctrl+Z of their own (see on_undo_shortcut_cb). */
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_z, GDK_CONTROL_MASK),
                                                            gtk_callback_action_new (on_undo_shortcut_cb, NULL, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
}
