/* mw-public-folder-dialog.c: create a public folder.
 *
 * The dialog takes the folder's name (UTF-8, nested with "/"; the core
 * stores it in IMAP's modified UTF-7 under "__public__") and what every
 * user may do in it (a row for "anyone": read, read and write, or nothing
 * yet). Create first asks the core which special accounts are missing; when
 * "anyone" or "__public__" is, it asks the person before creating them
 * (with the values DBMail's schema seeds), and creates nothing without a
 * yes. Then the folder, then its row for "anyone", each one call on a
 * session worker. A refusal shows the core's sentence in the dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-public-folder-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-dialog-a11y.h"
#include "mw-public-folder-dialog.h"
#include "mw-window.h"

struct _MwPublicFolderDialog
{
  AdwWindow            parent_instance;

  MwSession           *session;
  GCancellable        *cancellable;
  gboolean             busy;
  char                *name;          /* as typed when Create was pressed */
  MwRights             rights;        /* for "anyone" */
  AdwMessageDialog    *question;      /* (weak) */

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkLabel            *error_label;
  AdwEntryRow         *name_row;
  AdwComboRow         *rights_row;
  GtkWidget           *create_button;
};

G_DEFINE_FINAL_TYPE (MwPublicFolderDialog, mw_public_folder_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *last_toast;

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
show_error (MwPublicFolderDialog *self,
            const char           *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (MwPublicFolderDialog *self,
          gboolean              busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "public-folder.create", !busy);
}

/* Stops with the core's sentence (none when the window closed). */
static void
fail (MwPublicFolderDialog *self,
      const GError         *error)
{
  if (is_cancelled (error))
    return;
  set_busy (self, FALSE);
  show_error (self, error->message);
}

static void
on_field_changed_cb (MwPublicFolderDialog *self)
{
  if (!self->busy)
    show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
}

static void
done (MwPublicFolderDialog *self)
{
  g_autofree char *text = NULL;
  const char *name = g_str_has_prefix (self->name, "#Public/") ? self->name + strlen ("#Public/") : self->name;

  set_busy (self, FALSE);
  /* Translators: a toast: "Created the public folder #Public/Team" */
  text = g_strdup_printf (_("Created the public folder #Public/%s"), name);
  /* The session told the lists ("changed"). */
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_rights_set_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(MwPublicFolderDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_session_set_rights_finish (self->session, res, NULL, &error))
    {
      fail (self, error);
      return;
    }
  done (self);
}

static void
on_folder_created_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwPublicFolderDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = mw_session_create_public_folder_finish (self->session, res, &error);

  if (key == NULL)
    {
      fail (self, error);
      return;
    }
  if (self->rights == MW_RIGHTS_NONE)
    {
      done (self);
      return;
    }
  mw_session_set_rights_async (self->session, key, "anyone", self->rights, FALSE, self->cancellable,
                               on_rights_set_cb, g_object_ref (self));
}

static void
create_folder (MwPublicFolderDialog *self)
{
  mw_session_create_public_folder_async (self->session, self->name, FALSE, self->cancellable, on_folder_created_cb,
                                         g_object_ref (self));
}

static void
on_special_created_cb (GObject      *source,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  g_autoptr(MwPublicFolderDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_session_create_special_users_finish (self->session, res, &error))
    {
      fail (self, error);
      return;
    }
  create_folder (self);
}

static void
on_question_response_cb (AdwMessageDialog     *dialog,
                         const char           *response,
                         MwPublicFolderDialog *self)
{
  MwSpecialUsers missing = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "mw-missing"));

  if (g_strcmp0 (response, "create") != 0)
    {
      set_busy (self, FALSE);
      show_error (self, _("Nothing was created: public folders need DBMail's accounts “anyone” and “__public__”."));
      return;
    }
  self->busy = TRUE;
  mw_session_create_special_users_async (self->session, missing, FALSE, self->cancellable, on_special_created_cb,
                                         g_object_ref (self));
}

/* Where the special accounts are missing: may Mailwarden create them? */
static void
ask_special_users (MwPublicFolderDialog *self,
                   MwSpecialUsers        missing)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (missing == (MW_SPECIAL_USER_ANYONE | MW_SPECIAL_USER_PUBLIC))
    /* Translators: DBMail's special accounts: keep the names “anyone” and “__public__” as they are */
    body = g_strdup (_("This database lacks DBMail's special accounts “anyone” (rights for every user) and "
                       "“__public__” (the owner of public folders). Mailwarden can create them as DBMail's own "
                       "schema does: without a password, so nobody can log in with them."));
  else
    /* Translators: %s is “anyone” (rights for every user) or “__public__” (the owner of public folders) */
    body = g_strdup_printf (_("This database lacks DBMail's special account %s. Mailwarden can create it as "
                              "DBMail's own schema does: without a password, so nobody can log in with it."),
                            (missing & MW_SPECIAL_USER_ANYONE) ? _("“anyone” (rights for every user)")
                                                               : _("“__public__” (the owner of public folders)"));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Create DBMail's Special Accounts?"), body);
  gtk_window_set_title (GTK_WINDOW (dialog), _("Create DBMail's Special Accounts?"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "create", _("Create _Accounts"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "mw-missing", GUINT_TO_POINTER (missing));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_question_response_cb), self, 0);
  g_set_weak_pointer (&self->question, ADW_MESSAGE_DIALOG (dialog));
  /* Not busy while the person decides. */
  self->busy = FALSE;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_missing_read_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(MwPublicFolderDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  MwSpecialUsers missing = 0;

  if (!mw_session_missing_special_users_finish (self->session, res, &missing, &error))
    {
      fail (self, error);
      return;
    }
  if ((missing & (MW_SPECIAL_USER_PUBLIC | (self->rights != MW_RIGHTS_NONE ? MW_SPECIAL_USER_ANYONE : 0))) != 0)
    {
      ask_special_users (self, missing);
      return;
    }
  create_folder (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwPublicFolderDialog *self = MW_PUBLIC_FOLDER_DIALOG (widget);
  static const MwRights choices[] = { MW_RIGHTS_READ_ONLY, MW_RIGHTS_READ_WRITE, MW_RIGHTS_NONE };
  guint chosen = adw_combo_row_get_selected (self->rights_row);

  if (self->busy)
    return;
  show_error (self, NULL);
  g_free (self->name);
  self->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (self->name[0] == '\0')
    {
      show_error (self, _("Type the folder's name, such as Announcements or Team/Minutes."));
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  self->rights = chosen < G_N_ELEMENTS (choices) ? choices[chosen] : MW_RIGHTS_NONE;
  set_busy (self, TRUE);
  mw_session_missing_special_users_async (self->session, self->cancellable, on_missing_read_cb,
                                          g_object_ref (self));
}

MwPublicFolderDialog *
mw_public_folder_dialog_new (MwSession *session)
{
  MwPublicFolderDialog *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_PUBLIC_FOLDER_DIALOG, NULL);
  self->session = g_object_ref (session);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->create_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}

static void
on_dialog_created_cb (MwPublicFolderDialog *dialog,
                      const char           *text,
                      GtkWindow            *parent)
{
  if (MW_IS_WINDOW (parent))
    mw_window_show_toast (MW_WINDOW (parent), text);
}

GtkWindow *
mw_public_folder_dialog_open (GtkWindow *parent,
                              MwSession *session)
{
  MwPublicFolderDialog *self = mw_public_folder_dialog_new (session);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  if (parent != NULL)
    g_signal_connect_object (self, "created", G_CALLBACK (on_dialog_created_cb), parent, 0);
  gtk_window_present (GTK_WINDOW (self));
  return GTK_WINDOW (self);
}

gboolean
mw_public_folder_dialog_is_busy (MwPublicFolderDialog *self)
{
  g_return_val_if_fail (MW_IS_PUBLIC_FOLDER_DIALOG (self), FALSE);
  return self->busy;
}

const char *
mw_public_folder_dialog_get_error (MwPublicFolderDialog *self)
{
  g_return_val_if_fail (MW_IS_PUBLIC_FOLDER_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

AdwMessageDialog *
mw_public_folder_dialog_get_question (MwPublicFolderDialog *self)
{
  g_return_val_if_fail (MW_IS_PUBLIC_FOLDER_DIALOG (self), NULL);
  return self->question;
}

void
mw_public_folder_dialog_set_field (MwPublicFolderDialog *self,
                                   const char           *field,
                                   const char           *value)
{
  g_return_if_fail (MW_IS_PUBLIC_FOLDER_DIALOG (self));

  if (g_strcmp0 (field, "name") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), value);
  else if (g_strcmp0 (field, "rights") == 0)
    adw_combo_row_set_selected (self->rights_row, g_str_equal (value, "read") ? 0 : g_str_equal (value, "write") ? 1 : 2);
  else
    g_return_if_reached ();
}

const char *
mw_public_folder_dialog_get_last_toast (void)
{
  return last_toast;
}

static void
mw_public_folder_dialog_dispose (GObject *object)
{
  MwPublicFolderDialog *self = MW_PUBLIC_FOLDER_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->question);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_PUBLIC_FOLDER_DIALOG);
  G_OBJECT_CLASS (mw_public_folder_dialog_parent_class)->dispose (object);
}

static void
mw_public_folder_dialog_finalize (GObject *object)
{
  MwPublicFolderDialog *self = MW_PUBLIC_FOLDER_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_free (self->name);
  G_OBJECT_CLASS (mw_public_folder_dialog_parent_class)->finalize (object);
}

static void
on_created_for_tests_cb (MwPublicFolderDialog *self,
                         const char           *text)
{
  g_free (last_toast);
  last_toast = g_strdup (text);
}

static void
mw_public_folder_dialog_class_init (MwPublicFolderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_public_folder_dialog_dispose;
  object_class->finalize = mw_public_folder_dialog_finalize;

  /* "created": a sentence for a toast. */
  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/mailwarden/Mailwarden/mw-public-folder-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwPublicFolderDialog, group);
  gtk_widget_class_bind_template_child (widget_class, MwPublicFolderDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwPublicFolderDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwPublicFolderDialog, rights_row);
  gtk_widget_class_bind_template_child (widget_class, MwPublicFolderDialog, create_button);

  gtk_widget_class_install_action (widget_class, "public-folder.create", NULL, create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_public_folder_dialog_init (MwPublicFolderDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_field_changed_cb), self);
  g_signal_connect (self, "created", G_CALLBACK (on_created_for_tests_cb), NULL);
  /* Translators: for screen readers, the list holding the public folder's fields */
  mw_dialog_a11y_name_lists (GTK_WIDGET (self->group), _("Public folder"));
  set_busy (self, FALSE);
}
