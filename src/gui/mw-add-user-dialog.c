/* mw-add-user-dialog.c: add an account with its first alias.
 *
 * The core hashes the password and writes the account on a session worker. An error
 * from the core is shown as its sentence next to the field it is about, and
 * nothing else happens; the person fixes the field and presses Add again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-add-user-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-add-user-dialog.h"
#include "mailwarden-core.h"
#include "mw-application.h"
#include "mw-dialog-a11y.h"
#include "mw-size-spin.h"

#define GENERATED_LENGTH 16
#define MIB              (G_GINT64_CONSTANT (1024) * 1024)

typedef enum
{
  FIELD_GENERAL,
  FIELD_NAME,
  FIELD_PASSWORD,
  FIELD_ALIAS,
} Field;

struct _MwAddUserDialog
{
  AdwWindow             parent_instance;

  MwSession            *session;
  GSettings            *settings;        /* NULL: built-in defaults */
  GPtrArray            *schemes;         /* const MwPasswordScheme *, in scheme_row's order */
  GCancellable         *cancellable;
  char                 *shown_password;  /* the generated one, after the user was added */
  char                 *domain;
  gboolean              busy;
  gboolean              alias_edited;    /* the person typed in alias_row: stop following the name */
  gboolean              setting_alias;

  /* Template widgets */
  GtkLabel             *general_error_label;
  GtkWidget            *form_box;
  AdwEntryRow          *name_row;
  AdwWindowTitle       *window_title;
  GtkLabel             *name_error_label;
  AdwComboRow          *password_mode_row;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *confirm_row;
  AdwComboRow          *scheme_row;
  GtkLabel             *password_error_label;
  AdwPreferencesGroup  *limits_group;
  AdwActionRow         *group_row;
  AdwActionRow         *quota_row;
  GtkSpinButton        *group_spin;
  GtkSpinButton        *quota_spin;
  GtkDropDown          *quota_unit_dropdown;
  AdwEntryRow          *alias_row;
  GtkSwitch            *catch_all_switch;
  GtkSwitch            *bypass_switch;
  GtkLabel             *alias_error_label;
  GtkLabel             *alias_warning_label;
  AdwPreferencesGroup  *result_group;
  AdwPreferencesRow    *result_row;
  GtkLabel             *result_title_label;
  GtkLabel             *result_password_label;
  GtkButton            *add_button;
  GtkButton            *add_another_button;
  GtkButton            *cancel_button;
  GtkSpinner           *spinner;
  AdwToastOverlay      *toast_overlay;
};

G_DEFINE_FINAL_TYPE (MwAddUserDialog, mw_add_user_dialog, ADW_TYPE_WINDOW)

enum { USER_ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { MODE_GENERATE, MODE_TYPE };

/* Errors next to their fields */

static GtkLabel *
error_label (MwAddUserDialog *self,
             Field            field)
{
  switch (field)
    {
    case FIELD_NAME:
      return self->name_error_label;
    case FIELD_PASSWORD:
      return self->password_error_label;
    case FIELD_ALIAS:
      return self->alias_error_label;
    case FIELD_GENERAL:
    default:
      return self->general_error_label;
    }
}

static GtkWidget *
field_widget (MwAddUserDialog *self,
              Field            field)
{
  switch (field)
    {
    case FIELD_NAME:
      return GTK_WIDGET (self->name_row);
    case FIELD_PASSWORD:
      return GTK_WIDGET (self->password_row);
    case FIELD_ALIAS:
      return GTK_WIDGET (self->alias_row);
    case FIELD_GENERAL:
    default:
      return NULL;
    }
}

static void
clear_errors (MwAddUserDialog *self)
{
  for (Field f = FIELD_GENERAL; f <= FIELD_ALIAS; f++)
    {
      GtkWidget *w = field_widget (self, f);

      gtk_label_set_text (error_label (self, f), "");
      gtk_widget_set_visible (GTK_WIDGET (error_label (self, f)), FALSE);
      if (w != NULL)
        gtk_widget_remove_css_class (w, "error");
    }
}

static void
show_error (MwAddUserDialog *self,
            Field            field,
            const char      *message)
{
  GtkWidget *w = field_widget (self, field);

  gtk_label_set_text (error_label (self, field), message);
  gtk_widget_set_visible (GTK_WIDGET (error_label (self, field)), TRUE);
  if (w != NULL)
    {
      gtk_widget_add_css_class (w, "error");
      gtk_widget_grab_focus (w);
    }
}

/* Form state */

static gboolean
generating (MwAddUserDialog *self)
{
  return adw_combo_row_get_selected (self->password_mode_row) == MODE_GENERATE;
}

static void
set_alias_text (MwAddUserDialog *self,
                const char      *text)
{
  self->setting_alias = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->alias_row), text);
  self->setting_alias = FALSE;
}

static void
update_automatic_alias (MwAddUserDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *stripped = g_strstrip (g_strdup (name));
  g_autofree char *alias = NULL;

  if (self->alias_edited || self->domain == NULL || self->domain[0] == '\0')
    return;
  /* A name that is already an address is its own first alias. */
  if (stripped[0] == '\0')
    alias = g_strdup ("");
  else if (strchr (stripped, '@') != NULL)
    alias = g_strdup (stripped);
  else
    alias = g_strconcat (stripped, "@", self->domain, NULL);
  set_alias_text (self, alias);
}

static void
update_sensitivity (MwAddUserDialog *self)
{
  gboolean typed = !generating (self);

  gtk_widget_set_visible (GTK_WIDGET (self->password_row), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), typed);
  /* Take the focus out first: a text field made insensitive while focused
   * never gets its focus-out on GTK 4.8. */
  if (self->busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (self->form_box, !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-user.add", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-user.add-another", !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
on_name_changed_cb (MwAddUserDialog *self)
{
  update_automatic_alias (self);
}

static void
on_alias_changed_cb (MwAddUserDialog *self)
{
  g_autofree char *alias = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->alias_row))));
  /* A domain that could pass for another one is allowed, with a word about
   * it while there is still time to change it. */
  g_autofree char *warning = alias[0] != '\0' ? mw_address_get_warning (alias) : NULL;

  if (!self->setting_alias)
    self->alias_edited = TRUE;
  gtk_label_set_text (self->alias_warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->alias_warning_label), warning != NULL);
}

static void
on_password_mode_changed_cb (MwAddUserDialog *self)
{
  update_sensitivity (self);
}

/* Enter in a field moves on to the next one, so a half-filled form is not
 * added with defaults the person never saw; only the Alias row, the last
 * field, activates the default button (Add). */
static void
on_field_activated_cb (MwAddUserDialog *self,
                       GtkWidget       *field)
{
  GtkWidget *next;

  if (field == GTK_WIDGET (self->name_row))
    next = generating (self) ? GTK_WIDGET (self->group_spin) : GTK_WIDGET (self->password_row);
  else if (field == GTK_WIDGET (self->password_row))
    next = GTK_WIDGET (self->confirm_row);
  else if (field == GTK_WIDGET (self->confirm_row))
    next = GTK_WIDGET (self->group_spin);
  else if (field == GTK_WIDGET (self->group_spin))
    next = GTK_WIDGET (self->quota_spin);
  else
    next = GTK_WIDGET (self->alias_row);
  gtk_widget_grab_focus (next);
}

/* GtkSpinButton has no "activate" of its own before GTK 4.14: its text has. */
static void
on_spin_text_activated_cb (GtkWidget       *text,
                           MwAddUserDialog *self)
{
  on_field_activated_cb (self, gtk_widget_get_parent (text));
}

static void
connect_spin_enter (MwAddUserDialog *self,
                    GtkSpinButton   *spin)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (spin)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TEXT (child))
      g_signal_connect_after (child, "activate", G_CALLBACK (on_spin_text_activated_cb), self);
}

static void
on_result_copy_clicked_cb (MwAddUserDialog *self)
{
  if (self->shown_password == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->shown_password);
  /* The button gives no other sign that it worked. */
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Password copied")));
}

static void
load_defaults (MwAddUserDialog *self)
{
  const char *default_scheme = mw_schema_get_default_password_scheme (mw_session_get_schema (self->session));
  g_autofree char *scheme = NULL;
  gint64 quota_mib = 0;
  gint64 group = 0;
  gboolean auto_password = TRUE;
  gboolean auto_alias = TRUE;

  g_clear_pointer (&self->domain, g_free);
  if (self->settings != NULL)
    {
      scheme = g_settings_get_string (self->settings, "default-password-scheme");
      self->domain = g_settings_get_string (self->settings, "default-domain");
      group = g_settings_get_int64 (self->settings, "default-group");
      quota_mib = g_settings_get_int64 (self->settings, "default-quota-mib");
      auto_password = g_settings_get_boolean (self->settings, "auto-password");
      auto_alias = g_settings_get_boolean (self->settings, "auto-alias");
    }
  if (!auto_alias)
    g_clear_pointer (&self->domain, g_free);
  else if (self->domain != NULL)
    g_strstrip (self->domain);

  /* Preferences' scheme where this schema has it, else the schema's default. */
  adw_combo_row_set_selected (self->scheme_row, 0);
  for (guint i = 0; i < self->schemes->len; i++)
    if (g_str_equal (((const MwPasswordScheme *) g_ptr_array_index (self->schemes, i))->name, default_scheme))
      adw_combo_row_set_selected (self->scheme_row, i);
  for (guint i = 0; scheme != NULL && i < self->schemes->len; i++)
    if (g_str_equal (((const MwPasswordScheme *) g_ptr_array_index (self->schemes, i))->name, scheme))
      adw_combo_row_set_selected (self->scheme_row, i);
  adw_combo_row_set_selected (self->password_mode_row, auto_password ? MODE_GENERATE : MODE_TYPE);
  gtk_spin_button_set_value (self->group_spin, (double) group);
  gtk_spin_button_set_value (self->quota_spin, (double) quota_mib);
  gtk_drop_down_set_selected (self->quota_unit_dropdown, 0);
}

/* Resets what belongs to one user; the defaults and choices stay. */
static void
clear_form (MwAddUserDialog *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  self->alias_edited = FALSE;
  set_alias_text (self, "");
  update_automatic_alias (self);
  gtk_switch_set_active (self->catch_all_switch, FALSE);
  gtk_switch_set_active (self->bypass_switch, FALSE);
  clear_errors (self);
  /* Not before the window is shown: a window that has the focus set before
   * it is mapped reaches screen readers as a "filler", not as a window, on
   * GTK 4.8 (on_mapped_cb focuses the name then). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
on_mapped_cb (MwAddUserDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

/* The write, on the session's workers */

/* What one press of Add asks for, kept until the answer: the account's
 * strings point into it. */
typedef struct
{
  MwAddUserDialog *self;
  MwNewAccount     account;
  char            *name;
  char            *password;    /* plain text, wiped when freed */
  char            *scheme;
  char            *alias;
  gboolean         generated;   /* show the password once the account exists */
  gboolean         another;
  GError          *error;       /* while asking which field a refusal is about */
} AddRequest;

static void
add_request_free (AddRequest *req)
{
  g_clear_object (&req->self);
  g_free (req->name);
  mw_password_free (req->password);
  g_free (req->scheme);
  g_free (req->alias);
  g_clear_error (&req->error);
  g_free (req);
}

static void
show_refusal (AddRequest *req,
              Field       field)
{
  MwAddUserDialog *self = req->self;

  self->busy = FALSE;
  update_sensitivity (self);
  show_error (self, field, req->error->message);
  add_request_free (req);
}

/* The name is checked before the address: a name that is free means the
 * address was taken. */
static void
on_name_checked_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  AddRequest *req = user_data;
  gboolean taken = FALSE;

  if (g_cancellable_is_cancelled (req->self->cancellable))
    {
      add_request_free (req);
      return;
    }
  if (!mw_session_name_taken_finish (MW_SESSION (source), res, &taken, NULL))
    taken = FALSE;
  show_refusal (req, taken ? FIELD_NAME : FIELD_ALIAS);
}

/* Which field a refusal of the core is about; FIELD_NAME for a taken name
 * or address only once the name was looked up (on_name_checked_cb). */
static void
classify_refusal (AddRequest *req)
{
  const GError *error = req->error;
  Field field = FIELD_GENERAL;

  if (error->domain == MW_ADDRESS_ERROR)
    field = FIELD_ALIAS;
  else if (error->domain == MW_PASSWORD_ERROR)
    field = FIELD_PASSWORD;
  else if (error->domain == MW_SCHEMA_ERROR)
    switch (error->code)
      {
      case MW_SCHEMA_ERROR_EXISTS:
        if (req->alias != NULL)
          {
            mw_session_name_taken_async (req->self->session, req->name, req->self->cancellable,
                                         on_name_checked_cb, req);
            return;
          }
        field = FIELD_NAME;
        break;
      case MW_SCHEMA_ERROR_INVALID:
      case MW_SCHEMA_ERROR_REFUSED:
        field = FIELD_NAME;
        break;
      default:
        break;
      }
  show_refusal (req, field);
}

static void
on_user_added_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  AddRequest *req = user_data;
  g_autoptr(MwAddUserDialog) self = g_object_ref (req->self);
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  char *password = NULL;
  gboolean another = req->another;

  key = mw_session_add_account_finish (MW_SESSION (source), res, &req->error);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      add_request_free (req);
      return;
    }
  if (key == NULL)
    {
      classify_refusal (req);
      return;
    }
  self->busy = FALSE;
  update_sensitivity (self);
  name = g_steal_pointer (&req->name);
  if (req->generated)
    password = g_steal_pointer (&req->password);
  add_request_free (req);

  /* The session told the lists showing accounts and addresses. */
  g_signal_emit (self, signals[USER_ADDED], 0, name, key);

  if (password != NULL)
    {
      /* Translators: above a generated password: "Password of alice" */
      g_autofree char *title = g_strdup_printf (_("Password of %s"), name);

      mw_password_free (self->shown_password);
      self->shown_password = g_steal_pointer (&password);
      gtk_label_set_text (self->result_title_label, title);
      gtk_label_set_text (self->result_password_label, self->shown_password);
      gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);
    }

  if (another)
    {
      clear_form (self);
      return;
    }
  if (self->shown_password == NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  /* Stay open so the password can be copied; it is never shown again. The
   * form goes: greyed out, its explanations were too faint to read, and
   * nothing in it can be changed any more. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_visible (self->form_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->add_another_button), FALSE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->cancel_button));
}

static void
submit (MwAddUserDialog *self,
        gboolean         another)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *alias = gtk_editable_get_text (GTK_EDITABLE (self->alias_row));
  guint scheme_index = adw_combo_row_get_selected (self->scheme_row);
  g_autofree char *account_name = g_strstrip (g_strdup (name));
  g_autofree char *alias_text = g_strstrip (g_strdup (alias));
  g_autoptr(GError) error = NULL;
  char *password = NULL;
  AddRequest *req;
  double quota;

  if (self->busy)
    return;
  clear_errors (self);

  if (account_name[0] == '\0')
    {
      show_error (self, FIELD_NAME, mw_schema_names_mailboxes (mw_session_get_schema (self->session))
                                      ? _("Type the new mailbox’s address, such as anna@example.org.")
                                      : _("Type a user name."));
      return;
    }
  if (generating (self))
    {
      password = mw_password_generate (GENERATED_LENGTH, &error);
      if (password == NULL)
        {
          show_error (self, FIELD_GENERAL, error->message);
          return;
        }
    }
  else
    {
      const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
      const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

      if (typed[0] == '\0')
        {
          show_error (self, FIELD_PASSWORD, _("Type a password, or choose to generate one."));
          return;
        }
      if (!g_str_equal (typed, confirm))
        {
          show_error (self, FIELD_PASSWORD, _("The two passwords are not the same."));
          return;
        }
      password = g_strdup (typed);
    }
  if (scheme_index >= self->schemes->len)
    {
      mw_password_free (password);
      show_error (self, FIELD_PASSWORD, _("Choose how to store the password."));
      return;
    }

  quota = gtk_spin_button_get_value (self->quota_spin);
  req = g_new0 (AddRequest, 1);
  req->self = g_object_ref (self);
  req->name = g_steal_pointer (&account_name);
  req->password = password;
  req->scheme = g_strdup (((const MwPasswordScheme *) g_ptr_array_index (self->schemes, scheme_index))->name);
  req->alias = alias_text[0] != '\0' ? g_steal_pointer (&alias_text) : NULL;
  req->generated = generating (self);
  req->another = another;
  req->account.name = req->name;
  req->account.password = req->password;
  req->account.password_scheme = req->scheme;
  /* Preferences' cost, for the schemes that have one there (bcrypt). */
  req->account.password_rounds = mw_application_password_rounds (req->scheme);
  req->account.group = (gint64) gtk_spin_button_get_value (self->group_spin);
  req->account.quota = (gint64) quota * (gtk_drop_down_get_selected (self->quota_unit_dropdown) == 1 ? 1024 * MIB
                                                                                                        : MIB);
  req->account.alias = req->alias;
  if (gtk_switch_get_active (self->catch_all_switch))
    req->account.alias_flags |= MW_ADDRESS_ALLOW_CATCH_ALL;
  if (gtk_switch_get_active (self->bypass_switch))
    req->account.alias_flags |= MW_ADDRESS_BYPASS;

  /* The core hashes the password and writes the account on its worker. */
  self->busy = TRUE;
  update_sensitivity (self);
  mw_session_add_account_async (self->session, &req->account, FALSE, self->cancellable, on_user_added_cb, req);
}

static void
add_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  submit (MW_ADD_USER_DIALOG (widget), FALSE);
}

static void
add_another_action (GtkWidget  *widget,
                    const char *action,
                    GVariant   *param)
{
  submit (MW_ADD_USER_DIALOG (widget), TRUE);
}

/* Public */

/* The schemes the schema can store, in its order (they belong to the
 * schema, which the session keeps while this dialog holds it). */
static void
fill_schemes (MwAddUserDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n_schemes;
  const MwPasswordScheme *schemes = mw_schema_get_password_schemes (mw_session_get_schema (self->session),
                                                                    &n_schemes);

  for (guint i = 0; i < n_schemes; i++)
    {
      g_ptr_array_add (self->schemes, (gpointer) &schemes[i]);
      gtk_string_list_append (labels, _(schemes[i].label));
    }
  adw_combo_row_set_model (self->scheme_row, G_LIST_MODEL (labels));
}

/* A group or a quota the schema does not have is not asked for. */
static void
show_capabilities (MwAddUserDialog *self)
{
  MwSchema *schema = mw_session_get_schema (self->session);
  gboolean groups = mw_schema_can (schema, MW_SCHEMA_CAN_GROUPS);
  gboolean quota = mw_schema_can (schema, MW_SCHEMA_CAN_QUOTA);

  gtk_widget_set_visible (GTK_WIDGET (self->group_row), groups);
  gtk_widget_set_visible (GTK_WIDGET (self->quota_row), quota);
  gtk_widget_set_visible (GTK_WIDGET (self->limits_group), groups || quota);
  /* A mailbox flavour (ISPmail, PostfixAdmin) names a mailbox by its address. */
  if (mw_schema_names_mailboxes (schema))
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Add a Mailbox"));
      adw_window_title_set_title (self->window_title, _("Add a Mailbox"));
      /* Translators: the field of the add dialog on ISPmail and PostfixAdmin: the new mailbox's whole address */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), C_("mailbox", "Address"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (GTK_WIDGET (self->alias_row),
                                                                                        ADW_TYPE_PREFERENCES_GROUP)),
                                             _("Leave it empty to add the mailbox without an alias."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_another_button),
                                   _("Add this mailbox and keep the window open for the next one"));
    }
}

MwAddUserDialog *
mw_add_user_dialog_new (MwSession *session,
                        GSettings *settings)
{
  MwAddUserDialog *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MW_TYPE_ADD_USER_DIALOG, NULL);
  self->session = g_object_ref (session);
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  else
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

      if (schema != NULL)
        self->settings = g_settings_new_full (schema, NULL, NULL);
    }
  fill_schemes (self);
  show_capabilities (self);
  load_defaults (self);
  clear_form (self);
  update_sensitivity (self);
  return self;
}

void
mw_add_user_dialog_set_name (MwAddUserDialog *self,
                             const char      *name)
{
  g_return_if_fail (MW_IS_ADD_USER_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name != NULL ? name : "");
}

gboolean
mw_add_user_dialog_is_busy (MwAddUserDialog *self)
{
  g_return_val_if_fail (MW_IS_ADD_USER_DIALOG (self), FALSE);

  return self->busy;
}

const char *
mw_add_user_dialog_get_shown_password (MwAddUserDialog *self)
{
  g_return_val_if_fail (MW_IS_ADD_USER_DIALOG (self), NULL);

  return self->shown_password;
}

const char *
mw_add_user_dialog_get_error (MwAddUserDialog *self,
                              const char      *field)
{
  static const char *const names[] = { "general", "name", "password", "alias" };
  GtkLabel *label = NULL;

  g_return_val_if_fail (MW_IS_ADD_USER_DIALOG (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (field, names[i]))
      label = error_label (self, (Field) i);
  if (label == NULL || !gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_text (label);
}

const char *
mw_add_user_dialog_get_alias_warning (MwAddUserDialog *self)
{
  g_return_val_if_fail (MW_IS_ADD_USER_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->alias_warning_label)))
    return NULL;
  return gtk_label_get_text (self->alias_warning_label);
}

/* Class */

static void
mw_add_user_dialog_dispose (GObject *object)
{
  MwAddUserDialog *self = MW_ADD_USER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ADD_USER_DIALOG);

  G_OBJECT_CLASS (mw_add_user_dialog_parent_class)->dispose (object);
}

static void
mw_add_user_dialog_finalize (GObject *object)
{
  MwAddUserDialog *self = MW_ADD_USER_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->schemes, g_ptr_array_unref);
  g_clear_pointer (&self->shown_password, mw_password_free);
  g_free (self->domain);

  G_OBJECT_CLASS (mw_add_user_dialog_parent_class)->finalize (object);
}

static void
on_quota_unit_changed_cb (MwAddUserDialog *self)
{
  mw_size_spin_set_unit (self->quota_spin,
                         gtk_drop_down_get_selected (self->quota_unit_dropdown) == 1 ? MW_SIZE_UNIT_GIB : MW_SIZE_UNIT_MIB);
}

static void
mw_add_user_dialog_class_init (MwAddUserDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_add_user_dialog_dispose;
  object_class->finalize = mw_add_user_dialog_finalize;

  /**
   * MwAddUserDialog::user-added:
   * @name: the new account's login name
   * @account_key: its key
   */
  signals[USER_ADDED] = g_signal_new ("user-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-add-user-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, password_mode_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, password_error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, limits_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, group_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, quota_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, group_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, quota_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, quota_unit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, alias_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, catch_all_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, bypass_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, alias_error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, alias_warning_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, result_group);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, result_row);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, result_title_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, result_password_label);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, add_another_button);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwAddUserDialog, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_alias_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_result_copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_activated_cb);

  gtk_widget_class_install_action (widget_class, "add-user.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "add-user.add-another", NULL, add_another_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_add_user_dialog_init (MwAddUserDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->schemes = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: for screen readers, the eye button of a password field */
  mw_dialog_a11y_name_password_rows (GTK_WIDGET (self), _("Show the password"),
                                     /* Translators: the same button while the password is shown */
                                     _("Hide the password"));
  mw_size_spin_attach (self->quota_spin, MW_SIZE_UNIT_MIB);
  g_signal_connect (self, "map", G_CALLBACK (on_mapped_cb), NULL);
  g_signal_connect_swapped (self->quota_unit_dropdown, "notify::selected",
                            G_CALLBACK (on_quota_unit_changed_cb), self);
  connect_spin_enter (self, self->group_spin);
  connect_spin_enter (self, self->quota_spin);
}
