/* mw-account-window.c: one user account: overview, aliases, forwards, mailboxes.
 *
 * Changes to the account are staged in the rows and saved together in one
 * transaction (account.save); Revert shows the stored values again. A row
 * that changed in the database since it was loaded is not overwritten.
 * Alias changes are written at once, with Undo in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window.h"
#include "mw-application.h"
#include "mw-address.h"
#include "mw-dbmail-admin.h"
#include "mw-imap-utf7.h"
#include "mw-mail-page.h"
#include "mw-password.h"
#include "mw-size-spin.h"

#define MIB (G_GINT64_CONSTANT (1) << 20)

struct _MwAccountWindow
{
  AdwWindow             parent_instance;

  MwSession            *session;
  gint64                user_idnr;
  MwAccount            *account;
  GCancellable         *cancellable;
  gboolean              loading;
  GHashTable           *values;        /* field -> GtkLabel */
  GHashTable           *group_rows;    /* group name -> GPtrArray of rows we added */

  /* Template widgets */
  AdwViewSwitcherTitle *window_title;
  AdwViewStack         *view_stack;
  AdwBin               *mail_bin;
  MwMailPage           *mail_page;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  AdwEntryRow          *name_row;
  AdwActionRow         *number_row;
  AdwActionRow         *group_row;
  AdwActionRow         *quota_row;
  AdwActionRow         *login_row;
  AdwActionRow         *hash_row;
  AdwActionRow         *enabled_row;
  GtkLevelBar          *quota_bar;
  AdwPreferencesGroup  *aliases_group;
  AdwPreferencesGroup  *forwards_group;
  AdwPreferencesGroup  *mailboxes_group;
  GtkSpinButton        *group_spin;
  GtkSpinButton        *quota_spin;
  GtkSwitch            *enabled_switch;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *spassword_row;
  AdwActionRow         *saction_row;
  GtkSpinButton        *saction_spin;
  AdwComboRow          *scheme_row;
  AdwEntryRow          *new_alias_row;
  AdwEntryRow          *new_forward_row;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  AdwToastOverlay      *toast_overlay;

  gboolean              showing;       /* filling the rows; not a change by the person */
  gboolean              saving;
  gpointer              undo;          /* Inverse of the last save, for the toast's Undo */
  guint                 alias_jobs;    /* alias writes under way */
  GPtrArray            *scheme_names;  /* of the combo row, in order */
};

G_DEFINE_FINAL_TYPE (MwAccountWindow, mw_account_window, ADW_TYPE_WINDOW)

static void
add_value_label (MwAccountWindow *self,
                 AdwActionRow    *row,
                 const char      *field)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
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

static void
clear_group (MwAccountWindow     *self,
             const char          *name,
             AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_hash_table_lookup (self->group_rows, name);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_hash_table_replace (self->group_rows, g_strdup (name), g_ptr_array_new ());
}

static GtkWidget *
add_row (MwAccountWindow     *self,
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

static void update_actions (MwAccountWindow *self);

static char *
format_size (gint64 bytes)
{
  return g_format_size_full ((guint64) bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
show_account (MwAccountWindow *self)
{
  MwAccount *a = self->account;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, a->user_idnr);
  g_autofree char *group = g_strdup_printf ("%" G_GINT64_FORMAT, a->client_idnr);
  g_autofree char *used = format_size (a->curmail_size);
  g_autofree char *quota = NULL;
  g_autofree char *login = NULL;

  adw_view_switcher_title_set_title (self->window_title, a->userid);
  {
    /* Translators: subtitle of an account window: "User 42" */
    g_autofree char *sub = g_strdup_printf (_("User %s"), number);
    adw_view_switcher_title_set_subtitle (self->window_title, sub);
  }
  gtk_window_set_title (GTK_WINDOW (self), a->userid);

  self->showing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), a->userid);
  set_value (self, "number", number);
  gtk_spin_button_set_value (self->group_spin, (double) a->client_idnr);
  gtk_spin_button_set_value (self->quota_spin, (double) ((a->maxmail_size + MIB / 2) / MIB));
  gtk_switch_set_active (self->enabled_switch, a->active);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("New password"));
  gtk_editable_set_text (GTK_EDITABLE (self->spassword_row), "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->spassword_row),
                                 a->has_spasswd ? _("New security password (one is set)") : _("New security password"));
  gtk_spin_button_set_value (self->saction_spin, (double) a->saction);
  adw_combo_row_set_selected (self->scheme_row, 0);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  self->showing = FALSE;

  if (a->maxmail_size > 0)
    {
      g_autofree char *max = format_size (a->maxmail_size);
      double fraction = (double) a->curmail_size / (double) a->maxmail_size;

      if (a->curmail_size > 0 && fraction < 0.01)
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
    login = g_date_time_format (a->last_login, "%x %H:%M");
  set_value (self, "login", login);
  set_value (self, "hash", a->encryption_type[0] != '\0' ? a->encryption_type : _("plain text"));

  clear_group (self, "aliases", self->aliases_group);
  for (guint i = 0; i < a->aliases->len; i++)
    {
      MwAccountAlias *al = g_ptr_array_index (a->aliases, i);
      gboolean catch_all = al->alias[0] == '@' || g_str_has_suffix (al->alias, "@");

      g_autofree char *shown = mw_address_to_display (al->alias);
      GtkWidget *row = add_row (self, "aliases", self->aliases_group, shown, catch_all ? _("Catch-all") : NULL, NULL);
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *label = g_strdup_printf (_("Delete the alias %s"), shown);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "account.delete-alias");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", al->alias_idnr);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  if (a->aliases->len == 0)
    add_row (self, "aliases", self->aliases_group, _("No aliases"), _("Mail reaches this account only by its login name."), NULL);

  clear_group (self, "forwards", self->forwards_group);
  for (guint i = 0; i < a->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (a->forwards, i);
      g_autofree char *title = NULL;

      if (f->target[0] == '|' || f->target[0] == '!')
        /* Translators: a forward into a program */
        title = g_strdup_printf (_("%s (program)"), f->target);
      else
        title = g_strdup (f->target);
      {
        /* Translators: where a forward hangs off: "from sales@example.com" */
        g_autofree char *from = g_strdup_printf (_("from %s"), f->alias);
        GtkWidget *row = add_row (self, "forwards", self->forwards_group, title, from, NULL);
        GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
        g_autofree char *label = g_strdup_printf (_("Stop forwarding %s to %s"), f->alias, f->target);

        gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (button, "flat");
        gtk_widget_set_tooltip_text (button, label);
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "account.delete-forward");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", f->alias_idnr);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      }
    }

  clear_group (self, "mailboxes", self->mailboxes_group);
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
      add_row (self, "mailboxes", self->mailboxes_group, name, deleted, counts);
    }
  if (a->mailboxes->len == 0)
    add_row (self, "mailboxes", self->mailboxes_group, _("No mailboxes"),
             _("DBMail creates the INBOX at the first delivery."), NULL);

  gtk_stack_set_visible_child_name (self->stack, "account");
  update_actions (self);
}


/* ------------------------------------------------------------------------ */
/* Staged changes                                                           */
/* ------------------------------------------------------------------------ */

static gint64
quota_in_editor (MwAccountWindow *self)
{
  return (gint64) gtk_spin_button_get_value (self->quota_spin) * MIB;
}

/* What the rows hold that differs from the account as loaded. */
static MwUserChangeFlags
staged_changes (MwAccountWindow *self)
{
  MwAccount *a = self->account;
  MwUserChangeFlags c = 0;

  if (a == NULL)
    return 0;
  if (!g_str_equal (gtk_editable_get_text (GTK_EDITABLE (self->name_row)), a->userid))
    c |= MW_USER_CHANGE_NAME;
  if ((gint64) gtk_spin_button_get_value (self->group_spin) != a->client_idnr)
    c |= MW_USER_CHANGE_GROUP;
  /* The editor shows whole MiB; an untouched odd quota stays as it is. */
  if ((gint64) gtk_spin_button_get_value (self->quota_spin) != (a->maxmail_size + MIB / 2) / MIB)
    c |= MW_USER_CHANGE_QUOTA;
  if (gtk_switch_get_active (self->enabled_switch) != a->active)
    c |= MW_USER_CHANGE_ACTIVE;
  if (gtk_editable_get_text (GTK_EDITABLE (self->password_row))[0] != '\0')
    c |= MW_USER_CHANGE_PASSWORD;
  if (gtk_editable_get_text (GTK_EDITABLE (self->spassword_row))[0] != '\0')
    c |= MW_USER_CHANGE_SPASSWORD;
  if ((gint64) gtk_spin_button_get_value (self->saction_spin) != a->saction)
    c |= MW_USER_CHANGE_SACTION;
  return c;
}

static void
update_actions (MwAccountWindow *self)
{
  gboolean dirty = staged_changes (self) != 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.save", dirty && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.revert", dirty && !self->saving);
}

static void
on_editor_changed_cb (MwAccountWindow *self)
{
  if (!self->showing)
    update_actions (self);
}

static void
show_error (MwAccountWindow *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
toast (MwAccountWindow *self,
       const char      *title,
       const char      *undo_action,
       GVariant        *undo_target)
{
  AdwToast *t = adw_toast_new (title);

  if (undo_action != NULL)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, undo_action);
      adw_toast_set_action_target_value (t, undo_target);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* What puts an account back as it was before a save. */
typedef struct
{
  MwUserChangeFlags  changes;
  char              *userid;
  char              *passwd;
  char              *encryption_type;
  gint64             client_idnr;
  gint64             maxmail_size;
  gboolean           active;
  gint64             saction;
  char              *fingerprint;   /* the row right after the save */
} Inverse;

static void
inverse_free (gpointer data)
{
  Inverse *inv = data;

  if (inv == NULL)
    return;
  g_free (inv->userid);
  mw_password_free (inv->passwd);
  g_free (inv->encryption_type);
  g_free (inv->fingerprint);
  g_free (inv);
}

typedef struct
{
  gint64        user_idnr;
  char         *profile;
  MwUserChange  change;
  char         *userid;
  char         *password;     /* plain text, hashed on the worker */
  char         *spassword;    /* the same for the security password */
  char         *shash;
  char         *scheme;
  gulong        bcrypt_cost;  /* Preferences' cost for bcrypt, 0: the default */
  char         *fingerprint;
  char         *hash;
  Inverse      *undo;         /* set: this job undoes a save */
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_free (job->profile);
  g_free (job->userid);
  mw_password_free (job->password);
  mw_password_free (job->spassword);
  g_free (job->shash);
  g_free (job->scheme);
  g_free (job->fingerprint);
  g_free (job->hash);
  inverse_free (job->undo);
  g_free (job);
}

/* The values the change will replace, read before it; the change itself
 * refuses to run if the row moved on in between (fingerprint). */
static Inverse *
read_inverse (MwDb                *db,
              gint64               user_idnr,
              MwUserChangeFlags    changes,
              GError             **error)
{
  g_autoptr(MwUserValues) now = NULL;
  Inverse *inv;

  /* No error and no row: the job ends with no result, as it always did. */
  if (!mw_account_read_values (db, user_idnr, &now, error) || now == NULL)
    return NULL;
  inv = g_new0 (Inverse, 1);
  inv->changes = changes;
  inv->userid = g_steal_pointer (&now->userid);
  inv->passwd = g_steal_pointer (&now->passwd);
  inv->encryption_type = g_steal_pointer (&now->encryption_type);
  inv->client_idnr = now->client_idnr;
  inv->maxmail_size = now->maxmail_size;
  inv->active = now->active;
  inv->saction = now->saction;
  return inv;
}

static gpointer
save_job (MwDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  SaveJob *job = data;
  MwAdmin admin = { .db = db, .profile = job->profile };
  Inverse *inverse = NULL;

  if (job->undo != NULL)
    {
      MwUserChange back = {
        .changes = job->undo->changes, .userid = job->undo->userid, .passwd = job->undo->passwd,
        .encryption_type = job->undo->encryption_type, .client_idnr = job->undo->client_idnr,
        .maxmail_size = job->undo->maxmail_size, .active = job->undo->active, .saction = job->undo->saction,
        .expected_fingerprint = job->undo->fingerprint,
      };

      if (!mw_dbmail_update_user (&admin, job->user_idnr, &back, error))
        return NULL;
      return g_new0 (Inverse, 1);
    }

  if (job->change.changes & MW_USER_CHANGE_PASSWORD)
    {
      const char *type = NULL;

      job->hash = mw_password_hash_with_rounds (job->scheme, job->password,
                                                g_str_equal (job->scheme, "bcrypt") ? job->bcrypt_cost : 0,
                                                &type, error);
      if (job->hash == NULL)
        return NULL;
      job->change.passwd = job->hash;
      job->change.encryption_type = type;
    }
  job->change.userid = job->userid;
  job->change.expected_fingerprint = job->fingerprint;
  if ((inverse = read_inverse (db, job->user_idnr, job->change.changes, error)) == NULL)
    return NULL;
  if (job->change.changes & MW_USER_CHANGE_SPASSWORD)
    {
      /* DBMail checks the security password with the account's
       * encryption_type: the new one if the password changes too, else the
       * scheme the stored password uses. */
      const MwPasswordScheme *scheme = (job->change.changes & MW_USER_CHANGE_PASSWORD)
                                       ? mw_password_lookup_scheme (job->scheme)
                                       : mw_password_identify (inverse->encryption_type, inverse->passwd);

      if (scheme == NULL || !scheme->writable)
        {
          g_set_error (error, MW_PASSWORD_ERROR, MW_PASSWORD_ERROR_UNKNOWN_SCHEME,
                       _("The account's password is stored in a scheme Mailwarden cannot write. "
                         "Set a new password together with the security password."));
          inverse_free (inverse);
          return NULL;
        }
      job->shash = mw_password_hash_with_rounds (scheme->name, job->spassword,
                                                 g_str_equal (scheme->name, "bcrypt") ? job->bcrypt_cost : 0,
                                                 NULL, error);
      if (job->shash == NULL)
        {
          inverse_free (inverse);
          return NULL;
        }
      job->change.spasswd = job->shash;
      /* Undo cannot bring back a hash it never read: it leaves the security password. */
      inverse->changes &= ~MW_USER_CHANGE_SPASSWORD;
    }
  if (!mw_dbmail_update_user (&admin, job->user_idnr, &job->change, error))
    {
      inverse_free (inverse);
      return NULL;
    }
  inverse->fingerprint = mw_dbmail_user_fingerprint (db, job->user_idnr, NULL, NULL);
  return inverse;
}

static void
reload (MwAccountWindow *self);

static void
on_conflict_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         MwAccountWindow  *self)
{
  if (g_str_equal (response, "reload"))
    {
      g_clear_pointer (&self->account, mw_account_free);
      reload (self);
    }
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Inverse *inverse;

  self->saving = FALSE;
  if ((inverse = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error)) == NULL)
    {
      if (g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        return;
      update_actions (self);
      if (g_error_matches (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_CONFLICT))
        {
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Changed Elsewhere"), error->message);

          adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", _("_Keep Editing"),
                                            "reload", _("_Reload"), NULL);
          adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reload",
                                                      ADW_RESPONSE_SUGGESTED);
          adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reload");
          g_signal_connect (dialog, "response", G_CALLBACK (on_conflict_response_cb), self);
          gtk_window_present (GTK_WINDOW (dialog));
          g_object_set_data (G_OBJECT (self), "mw-conflict-dialog", dialog);
        }
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  g_clear_pointer (&self->undo, inverse_free);
  if (inverse->changes != 0)
    {
      self->undo = inverse;
      toast (self, _("Saved"), "account.undo-save", NULL);
    }
  else
    {
      inverse_free (inverse);
      toast (self, _("Changes undone"), NULL, NULL);
    }
  mw_session_notify_changed (self->session, MW_LIST_USERS);
  reload (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  SaveJob *job;
  guint scheme = adw_combo_row_get_selected (self->scheme_row);

  if (self->account == NULL || self->saving || staged_changes (self) == 0)
    return;
  job = g_new0 (SaveJob, 1);
  job->user_idnr = self->user_idnr;
  job->profile = g_strdup (mw_session_get_name (self->session));
  job->change.changes = staged_changes (self);
  job->userid = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  job->change.client_idnr = (gint64) gtk_spin_button_get_value (self->group_spin);
  job->change.maxmail_size = quota_in_editor (self);
  job->change.active = gtk_switch_get_active (self->enabled_switch);
  job->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  job->spassword = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->spassword_row)));
  job->change.saction = (gint64) gtk_spin_button_get_value (self->saction_spin);
  job->scheme = g_strdup (scheme < self->scheme_names->len ? g_ptr_array_index (self->scheme_names, scheme)
                                                           : MW_PASSWORD_DEFAULT_SCHEME);
  job->bcrypt_cost = mw_application_password_rounds ("bcrypt");
  job->fingerprint = g_strdup (self->account->fingerprint);

  self->saving = TRUE;
  update_actions (self);
  mw_db_pool_run_async (mw_session_get_pool (self->session), save_job, job, save_job_free, inverse_free,
                        self->cancellable, on_saved_cb, g_object_ref (self));
}

/* Puts back what the last save replaced, unless the row changed since. */
static void
undo_save_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  SaveJob *job;

  if (self->undo == NULL || self->saving)
    return;
  job = g_new0 (SaveJob, 1);
  job->user_idnr = self->user_idnr;
  job->profile = g_strdup (mw_session_get_name (self->session));
  job->undo = g_steal_pointer (&self->undo);
  self->saving = TRUE;
  update_actions (self);
  mw_db_pool_run_async (mw_session_get_pool (self->session), save_job, job, save_job_free, inverse_free,
                        self->cancellable, on_saved_cb, g_object_ref (self));
}

static void
revert_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);

  if (self->account != NULL)
    show_account (self);
}

static void
generate_password_action (GtkWidget  *widget,
                          const char *action,
                          GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  char *pw = mw_password_generate (16, &error);

  if (pw == NULL)
    {
      show_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), pw);
  /* Shown once, so that it can be copied and passed on before saving. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("New password (generated, copy it now)"));
  mw_password_free (pw);
}

/* ------------------------------------------------------------------------ */
/* Aliases: written at once, undone from the toast                          */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64          user_idnr;
  gint64          alias_idnr;
  char           *alias;
  char           *target;       /* a forward: where the copies go */
  char           *profile;
  MwAddressFlags  flags;
  gboolean        remove;
} AliasJob;

static void
alias_job_free (gpointer data)
{
  AliasJob *job = data;

  g_free (job->alias);
  g_free (job->target);
  g_free (job->profile);
  g_free (job);
}

static gpointer
alias_job (MwDb         *db,
           gpointer      data,
           GCancellable *cancellable,
           GError      **error)
{
  AliasJob *job = data;
  MwAdmin admin = { .db = db, .profile = job->profile };

  if (job->remove)
    {
      if (!mw_dbmail_delete_alias (&admin, job->alias_idnr, error))
        return NULL;
      return g_memdup2 (&job->alias_idnr, sizeof job->alias_idnr);
    }
  if (job->target != NULL)
    job->alias_idnr = mw_dbmail_add_forward (&admin, job->alias, job->target, job->flags, -1, error);
  else
    job->alias_idnr = mw_dbmail_add_alias (&admin, job->user_idnr, job->alias, job->flags, error);
  if (job->alias_idnr == 0)
    return NULL;
  return g_memdup2 (&job->alias_idnr, sizeof job->alias_idnr);
}

typedef struct
{
  MwAccountWindow *self;
  AliasJob        *job;   /* borrowed: freed by the pool */
  char            *alias;
  char            *target;
  gboolean         remove;
  gboolean         undo;
} AliasDone;

static void
on_alias_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  AliasDone *done = user_data;
  g_autoptr(MwAccountWindow) self = done->self;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);
  g_autofree char *alias = done->alias;
  g_autofree char *target = done->target;
  g_autofree char *shown = mw_address_to_display (alias);
  gboolean remove = done->remove;
  gboolean undo = done->undo;

  g_free (done);
  self->alias_jobs--;
  if (id == NULL)
    {
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  if (!remove && !undo)
    {
      /* A domain that could pass for another is kept, with a word about it. */
      g_autofree char *warning = mw_address_get_warning (alias);

      if (warning == NULL && target != NULL)
        warning = mw_address_get_warning (target);
      if (warning != NULL)
        show_error (self, warning);
    }
  if (target != NULL && !remove && !undo)
    {
      /* Translators: "sales@example.com now also goes to a@b.org" */
      g_autofree char *title = g_strdup_printf (_("%s now also goes to %s"), shown, target);

      gtk_editable_set_text (GTK_EDITABLE (self->new_forward_row), "");
      toast (self, title, "account.delete-forward", g_variant_new_int64 (*id));
    }
  else if (target != NULL && remove && !undo)
    {
      g_autofree char *title = g_strdup_printf (_("Stopped forwarding %s to %s"), shown, target);

      toast (self, title, "account.restore-forward", g_variant_new ("(ss)", alias, target));
    }
  else if (!remove && !undo)
    {
      /* Translators: a toast after adding an alias: "Added sales@example.com" */
      g_autofree char *title = g_strdup_printf (C_("alias", "Added %s"), shown);

      gtk_editable_set_text (GTK_EDITABLE (self->new_alias_row), "");
      toast (self, title, "account.delete-alias", g_variant_new_int64 (*id));
    }
  else if (remove && !undo)
    {
      /* Translators: a toast after deleting an alias: "Deleted sales@example.com" */
      g_autofree char *title = g_strdup_printf (C_("alias", "Deleted %s"), shown);

      toast (self, title, "account.restore-alias", g_variant_new_string (alias));
    }
  mw_session_notify_changed (self->session, target != NULL ? MW_LIST_FORWARDS : MW_LIST_ALIASES);
  reload (self);
}

static void
run_alias_job (MwAccountWindow *self,
               AliasJob        *job,
               gboolean         undo)
{
  AliasDone *done = g_new0 (AliasDone, 1);

  job->user_idnr = self->user_idnr;
  job->profile = g_strdup (mw_session_get_name (self->session));
  done->self = g_object_ref (self);
  done->alias = g_strdup (job->alias);
  done->target = g_strdup (job->target);
  done->remove = job->remove;
  done->undo = undo;
  self->alias_jobs++;
  mw_db_pool_run_async (mw_session_get_pool (self->session), alias_job, job, alias_job_free, g_free,
                        self->cancellable, on_alias_done_cb, done);
}

static void
on_new_alias_applied_cb (MwAccountWindow *self)
{
  AliasJob *job = g_new0 (AliasJob, 1);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_alias_row));

  job->alias = g_strdup (text);
  /* A catch-all typed here is meant: the row says what it is afterwards. */
  job->flags = MW_ADDRESS_ALLOW_CATCH_ALL;
  run_alias_job (self, job, FALSE);
}

static void
delete_alias_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  AliasJob *job = g_new0 (AliasJob, 1);
  gint64 id = g_variant_get_int64 (param);
  gboolean known = FALSE;

  job->alias_idnr = id;
  job->remove = TRUE;
  for (guint i = 0; self->account != NULL && i < self->account->aliases->len; i++)
    {
      MwAccountAlias *al = g_ptr_array_index (self->account->aliases, i);

      if (al->alias_idnr == id)
        {
          job->alias = g_strdup (al->alias);
          known = TRUE;
        }
    }
  if (!known)
    job->alias = g_strdup ("");
  /* Undoing an "Added" toast deletes quietly. */
  run_alias_job (self, job, !known);
}

static void
on_new_forward_applied_cb (MwAccountWindow *self)
{
  AliasJob *job;
  const char *first = NULL;
  gint64 first_id = G_MAXINT64;

  /* The account's oldest plain alias: its main address, as a rule. */
  for (guint i = 0; self->account != NULL && i < self->account->aliases->len; i++)
    {
      MwAccountAlias *al = g_ptr_array_index (self->account->aliases, i);

      if (al->alias[0] != '@' && !g_str_has_suffix (al->alias, "@") && al->alias_idnr < first_id)
        {
          first = al->alias;
          first_id = al->alias_idnr;
        }
    }
  if (first == NULL)
    {
      show_error (self, _("Forwards hang off an address of the account; add an alias first."));
      return;
    }
  job = g_new0 (AliasJob, 1);
  job->alias = g_strdup (first);
  job->target = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_forward_row)));
  run_alias_job (self, job, FALSE);
}

static void
delete_forward_action (GtkWidget  *widget,
                       const char *action,
                       GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  AliasJob *job = g_new0 (AliasJob, 1);
  gint64 id = g_variant_get_int64 (param);
  gboolean known = FALSE;

  job->alias_idnr = id;
  job->remove = TRUE;
  for (guint i = 0; self->account != NULL && i < self->account->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (self->account->forwards, i);

      if (f->alias_idnr == id)
        {
          job->alias = g_strdup (f->alias);
          job->target = g_strdup (f->target);
          known = TRUE;
        }
    }
  if (!known)
    {
      job->alias = g_strdup ("");
      job->target = g_strdup ("");
    }
  run_alias_job (self, job, !known);
}

static void
restore_forward_action (GtkWidget  *widget,
                        const char *action,
                        GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  AliasJob *job = g_new0 (AliasJob, 1);

  g_variant_get (param, "(ss)", &job->alias, &job->target);
  job->flags = MW_ADDRESS_ALLOW_CATCH_ALL | MW_ADDRESS_BYPASS;
  run_alias_job (self, job, TRUE);
}

static void
restore_alias_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);
  AliasJob *job = g_new0 (AliasJob, 1);

  /* Put back exactly what was stored, even if it would not pass today's check. */
  job->alias = g_variant_dup_string (param, NULL);
  job->flags = MW_ADDRESS_ALLOW_CATCH_ALL | MW_ADDRESS_BYPASS;
  run_alias_job (self, job, TRUE);
}


/* ------------------------------------------------------------------------ */
/* Deleting the account                                                     */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64           user_idnr;
  char            *profile;
  gboolean         dry_run;
  MwDeleteSummary  summary;
} DeleteJob;

static void
delete_job_free (gpointer data)
{
  DeleteJob *job = data;

  g_free (job->profile);
  g_free (job);
}

static gpointer
delete_job (MwDb         *db,
            gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  DeleteJob *job = data;
  MwAdmin admin = { .db = db, .profile = job->profile, .dry_run = job->dry_run };
  MwDeleteSummary *summary = g_new0 (MwDeleteSummary, 1);

  if (!mw_dbmail_delete_users (&admin, job->user_idnr, 0, summary, error))
    {
      g_free (summary);
      return NULL;
    }
  return summary;
}

static void
run_delete_job (MwAccountWindow     *self,
                gboolean             dry_run,
                GAsyncReadyCallback  callback)
{
  DeleteJob *job = g_new0 (DeleteJob, 1);

  job->user_idnr = self->user_idnr;
  job->profile = g_strdup (mw_session_get_name (self->session));
  job->dry_run = dry_run;
  self->saving = TRUE;
  update_actions (self);
  mw_db_pool_run_async (mw_session_get_pool (self->session), delete_job, job, delete_job_free, g_free,
                        self->cancellable, callback, g_object_ref (self));
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree MwDeleteSummary *summary = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);

  self->saving = FALSE;
  if (summary == NULL)
    {
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        show_error (self, error->message);
      update_actions (self);
      return;
    }
  mw_session_notify_changed (self->session, MW_LIST_USERS);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwAccountWindow  *self)
{
  g_object_set_data (G_OBJECT (self), "mw-delete-dialog", NULL);
  if (g_str_equal (response, "delete"))
    run_delete_job (self, FALSE, on_deleted_cb);
}

static void
on_delete_summary_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree MwDeleteSummary *summary = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);
  g_autofree char *described = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  self->saving = FALSE;
  update_actions (self);
  if (summary == NULL)
    {
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  described = mw_delete_summary_describe (summary);
  /* Translators: "Delete alice?" */
  heading = g_strdup_printf (_("Delete %s?"), self->account != NULL ? self->account->userid : "");
  /* The summary is a sentence of its own: "1 user with 3 mailboxes and …". */
  body = g_strdup_printf ("%s\n%s", described,
                          _("Message bodies that other accounts still hold are kept. This cannot be undone."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_delete_response_cb), self);
  g_object_set_data (G_OBJECT (self), "mw-delete-dialog", dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* First a dry run, so the question says exactly what goes. */
static void
delete_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (widget);

  if (self->account == NULL || self->saving)
    return;
  run_delete_job (self, TRUE, on_delete_summary_cb);
}

static void
fill_schemes (MwAccountWindow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n;
  const MwPasswordScheme *schemes = mw_password_get_schemes (&n);

  self->scheme_names = g_ptr_array_new ();
  /* The default first, then every scheme DBMail can check. */
  g_ptr_array_add (self->scheme_names, (gpointer) MW_PASSWORD_DEFAULT_SCHEME);
  gtk_string_list_append (labels, _(mw_password_lookup_scheme (MW_PASSWORD_DEFAULT_SCHEME)->label));
  for (guint i = 0; i < n; i++)
    if (schemes[i].writable && !g_str_equal (schemes[i].name, MW_PASSWORD_DEFAULT_SCHEME))
      {
        g_ptr_array_add (self->scheme_names, (gpointer) schemes[i].name);
        gtk_string_list_append (labels, _(schemes[i].label));
      }
  adw_combo_row_set_model (self->scheme_row, G_LIST_MODEL (labels));
}

static gpointer
load_job (MwDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  return mw_dbmail_get_account (db, *(gint64 *) data, cancellable, error);
}

static void
on_account_loaded_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwAccount *account;

  account = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);
  if (g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
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
  show_account (self);
}

static void
reload (MwAccountWindow *self)
{
  self->loading = TRUE;
  if (self->account == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  mw_db_pool_run_async (mw_session_get_pool (self->session), load_job,
                        g_memdup2 (&self->user_idnr, sizeof self->user_idnr), g_free,
                        (GDestroyNotify) mw_account_free, self->cancellable, on_account_loaded_cb,
                        g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  reload (MW_ACCOUNT_WINDOW (widget));
}

MwAccountWindow *
mw_account_window_new (MwSession *session,
                       gint64     user_idnr)
{
  MwAccountWindow *self = g_object_new (MW_TYPE_ACCOUNT_WINDOW, NULL);

  self->session = g_object_ref (session);
  self->user_idnr = user_idnr;
  self->mail_page = mw_mail_page_new (session, user_idnr);
  adw_bin_set_child (self->mail_bin, GTK_WIDGET (self->mail_page));
  reload (self);
  return self;
}

gint64
mw_account_window_get_user_idnr (MwAccountWindow *self)
{
  return self->user_idnr;
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
  else if (g_str_equal (field, "enabled"))
    gtk_switch_set_active (self->enabled_switch, g_str_equal (value, "yes"));
  else if (g_str_equal (field, "password"))
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), value);
  else if (g_str_equal (field, "security-password"))
    gtk_editable_set_text (GTK_EDITABLE (self->spassword_row), value);
  else if (g_str_equal (field, "security-action"))
    gtk_spin_button_set_value (self->saction_spin, g_ascii_strtod (value, NULL));
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
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_WINDOW);

  G_OBJECT_CLASS (mw_account_window_parent_class)->dispose (object);
}

static void
mw_account_window_finalize (GObject *object)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (object);

  g_clear_pointer (&self->account, mw_account_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->group_rows, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->scheme_names, g_ptr_array_unref);
  g_clear_pointer (&self->undo, inverse_free);

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
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, hash_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, enabled_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_bar);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, aliases_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, forwards_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, mailboxes_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, group_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, spassword_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, saction_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, saction_spin);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, scheme_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, new_alias_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, new_forward_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "account.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "account.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "account.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "account.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "account.undo-save", NULL, undo_save_action);
  gtk_widget_class_install_action (widget_class, "account.generate-password", NULL, generate_password_action);
  gtk_widget_class_install_action (widget_class, "account.delete-alias", "x", delete_alias_action);
  gtk_widget_class_install_action (widget_class, "account.restore-alias", "s", restore_alias_action);
  gtk_widget_class_install_action (widget_class, "account.delete-forward", "x", delete_forward_action);
  gtk_widget_class_install_action (widget_class, "account.restore-forward", "(ss)", restore_forward_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "account.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "account.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
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
  fill_schemes (self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->group_spin, "value-changed", G_CALLBACK (on_editor_changed_cb), self);
  mw_size_spin_attach (self->quota_spin, MW_SIZE_UNIT_MIB);
  g_signal_connect_swapped (self->quota_spin, "value-changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->enabled_switch, "notify::active", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->spassword_row, "changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->saction_spin, "value-changed", G_CALLBACK (on_editor_changed_cb), self);
  g_signal_connect_swapped (self->new_alias_row, "apply", G_CALLBACK (on_new_alias_applied_cb), self);
  g_signal_connect_swapped (self->new_forward_row, "apply", G_CALLBACK (on_new_forward_applied_cb), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (on_view_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.save", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.revert", FALSE);
}
