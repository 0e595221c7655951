/* mw-alias-domain-dialog.c: add an alias domain, turn one on or off,
 * delete one.
 *
 * The Add dialog takes the alias domain and the target (the target's field
 * completes from the database's domains, shown in Unicode) and hands them to
 * the core, whose sentence is shown as it is when it refuses. A row of the
 * Alias Domains list asks what to do with it: turn it off or on, or delete
 * it after a confirmation that says what stops working. Each change is one
 * call on a session worker; the toast on the main window says what happened
 * and offers Undo with what the core returned (the alias domain as it was).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-alias-domain-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-alias-domain-dialog.h"
#include "mw-dialog-a11y.h"
#include "mw-format.h"
#include "mw-window.h"

/* The most domains offered as targets; more are still typed. */
#define MAX_OFFERED 2000

struct _MwAliasDomainDialog
{
  AdwWindow           parent_instance;

  MwSession          *session;
  GCancellable       *cancellable;
  gboolean            busy;
  GStrv               domains;     /* offered, in Unicode */

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkLabel            *error_label;
  AdwEntryRow         *alias_row;
  GtkEntry            *target_entry;
  GtkSwitch           *active_switch;
  GtkWidget           *add_button;
};

G_DEFINE_FINAL_TYPE (MwAliasDomainDialog, mw_alias_domain_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* For tests, across the row's question, its confirmation and its toast. */
static AdwMessageDialog *shown_question; /* weak */
static guint             changing;
static char             *last_toast;
static AdwToast         *undo_toast;     /* weak */

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A domain as stored, shown in Unicode (as the part of an address after
 * the "@", which is how mw_format_address reads a domain). */
static char *
shown_name (const char *stored)
{
  g_autofree char *with_at = g_strconcat ("@", stored, NULL);
  g_autofree char *shown = mw_format_address (with_at);

  return g_strdup (shown[0] == '@' ? shown + 1 : shown);
}

/* The dialog */

static void
show_error (MwAliasDomainDialog *self,
            const char          *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_actions (MwAliasDomainDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "alias-domain.add", !self->busy);
}

/* A sentence about what was typed goes once it is typed again. */
static void
on_field_changed_cb (MwAliasDomainDialog *self)
{
  if (!self->busy)
    show_error (self, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->alias_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->target_entry), "error");
}

static void
on_domains_read_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(MwAliasDomainDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const MwListInfo *info = mw_schema_get_list (mw_session_get_schema (self->session), MW_LIST_DOMAINS);
  const MwListColumn *column = info != NULL ? mw_list_info_find_column (info, "domain") : NULL;
  GtkListStore *store;
  GtkEntryCompletion *completion;

  records = mw_session_fetch_list_offset_finish (self->session, res, &error);
  if (records == NULL || column == NULL)
    {
      /* Without the list the target is typed; the core still checks it. */
      if (error != NULL && !is_cancelled (error))
        g_debug ("no domains to offer: %s", error->message);
      return;
    }
  store = gtk_list_store_new (1, G_TYPE_STRING);
  for (guint i = 0; i < records->len; i++)
    {
      MwListValue value;
      g_autofree char *shown = NULL;

      mw_list_column_read_record (column, g_ptr_array_index (records, i), &value);
      if (value.is_null || value.text == NULL)
        continue;
      shown = shown_name (value.text);
      g_strv_builder_add (names, shown);
      gtk_list_store_insert_with_values (store, NULL, -1, 0, shown, -1);
    }
  g_strfreev (self->domains);
  self->domains = g_strv_builder_end (names);
  completion = gtk_entry_completion_new ();
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (store));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_minimum_key_length (completion, 0);
  gtk_entry_completion_set_inline_completion (completion, FALSE);
  gtk_entry_set_completion (self->target_entry, completion);
  g_object_unref (completion);
  g_object_unref (store);
}

static void
read_domains (MwAliasDomainDialog *self)
{
  MwListRequest request = { .kind = MW_LIST_DOMAINS, .sort = MW_SORT_NAME };
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  query = mw_schema_list_query (mw_session_get_schema (self->session), &request, &error);
  if (query == NULL)
    {
      g_debug ("no domains to offer: %s", error->message);
      return;
    }
  mw_session_fetch_list_offset_async (self->session, query, 0, MAX_OFFERED, self->cancellable, on_domains_read_cb,
                                      g_object_ref (self));
}

static void
on_added_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(MwAliasDomainDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *target = NULL;
  g_autofree char *text = NULL;

  stored = mw_session_add_alias_domain_finish (self->session, res, &error);
  self->busy = FALSE;
  update_actions (self);
  if (stored == NULL)
    {
      if (is_cancelled (error))
        return;
      show_error (self, error->message);
      return;
    }
  shown = shown_name (stored);
  target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));
  /* Translators: a toast: "Added the alias domain bücher.example (to example.com)" */
  text = g_strdup_printf (_("Added the alias domain %s (to %s)"), shown, target);
  /* The session told the lists ("changed"). */
  g_signal_emit (self, signals[SIGNAL_ADDED], 0, text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  MwAliasDomainDialog *self = MW_ALIAS_DOMAIN_DIALOG (widget);
  g_autofree char *alias = NULL;
  g_autofree char *target = NULL;

  if (self->busy)
    return;
  show_error (self, NULL);
  alias = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->alias_row))));
  target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));
  if (alias[0] == '\0')
    {
      show_error (self, _("Type the alias domain, such as example.net."));
      gtk_widget_add_css_class (GTK_WIDGET (self->alias_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->alias_row));
      return;
    }
  if (target[0] == '\0')
    {
      show_error (self, _("Type or choose the domain its mail goes to, such as example.org."));
      gtk_widget_add_css_class (GTK_WIDGET (self->target_entry), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->target_entry));
      return;
    }
  self->busy = TRUE;
  update_actions (self);
  mw_session_add_alias_domain_async (self->session, alias, target, gtk_switch_get_active (self->active_switch),
                                     FALSE, self->cancellable, on_added_cb, g_object_ref (self));
}

/* A row's question, its confirmation, the toast */

typedef struct
{
  GtkWindow     *parent;   /* weak */
  MwSession     *session;
  MwAliasDomain *alias_domain; /* as read, or as it was before the change */
  gboolean       deleted;      /* Undo adds it again */
} RowCall;

static RowCall *
row_call_new (GtkWindow           *parent,
              MwSession           *session,
              const MwAliasDomain *alias_domain)
{
  RowCall *call = g_new0 (RowCall, 1);

  g_set_weak_pointer (&call->parent, parent);
  call->session = g_object_ref (session);
  call->alias_domain = alias_domain != NULL ? mw_alias_domain_copy (alias_domain) : NULL;
  return call;
}

static void
row_call_free (RowCall *call)
{
  g_clear_weak_pointer (&call->parent);
  g_clear_object (&call->session);
  g_clear_pointer (&call->alias_domain, mw_alias_domain_free);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RowCall, row_call_free)

static void undo_clicked_cb (AdwToast *toast, RowCall *call);

/* The toast on the main window; with Undo when @undo (taken) says how. */
static void
row_toast (GtkWindow  *parent,
           const char *title,
           RowCall    *undo)
{
  AdwToast *toast;

  g_free (last_toast);
  last_toast = g_strdup (title);
  if (parent == NULL || !MW_IS_WINDOW (parent))
    {
      g_clear_pointer (&undo, row_call_free);
      return;
    }
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 10);
  g_clear_weak_pointer (&undo_toast);
  if (undo != NULL)
    {
      g_set_weak_pointer (&undo_toast, toast);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo,
                             (GClosureNotify) (void (*) (void)) row_call_free, 0);
    }
  mw_window_add_toast (MW_WINDOW (parent), toast);
}

static void
row_error (RowCall      *call,
           const GError *error)
{
  if (is_cancelled (error))
    return;
  row_toast (call->parent, error->message, NULL);
}

static void
on_undone_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(RowCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = shown_name (call->alias_domain->name);
  g_autofree char *text = NULL;
  gboolean done;

  changing--;
  if (call->deleted)
    {
      g_autofree char *stored = mw_session_add_alias_domain_finish (call->session, res, &error);

      done = stored != NULL;
    }
  else
    {
      g_autoptr(MwAliasDomain) before = mw_session_set_alias_domain_active_finish (call->session, res, &error);

      done = before != NULL;
    }
  if (!done)
    {
      row_error (call, error);
      return;
    }
  /* Translators: a toast after Undo: "bücher.example is as it was" */
  text = g_strdup_printf (_("The alias domain %s is as it was"), shown);
  row_toast (call->parent, text, NULL);
}

/* Undo puts back the alias domain as the core returned it: turned on or
 * off again, or added again after a delete. */
static void
undo_clicked_cb (AdwToast *toast,
                 RowCall  *call)
{
  RowCall *again = row_call_new (call->parent, call->session, call->alias_domain);
  const MwAliasDomain *was = call->alias_domain;

  again->deleted = call->deleted;
  changing++;
  if (call->deleted)
    mw_session_add_alias_domain_async (call->session, was->name, was->target, was->active, FALSE, NULL,
                                       on_undone_cb, again);
  else
    mw_session_set_alias_domain_active_async (call->session, was->name, was->active, FALSE, NULL, on_undone_cb,
                                              again);
}

static void
on_active_set_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(RowCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAliasDomain) before = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;

  changing--;
  before = mw_session_set_alias_domain_active_finish (call->session, res, &error);
  if (before == NULL)
    {
      row_error (call, error);
      return;
    }
  shown = shown_name (before->name);
  if (before->active)
    /* Translators: a toast: "Turned off the alias domain bücher.example" */
    text = g_strdup_printf (_("Turned off the alias domain %s"), shown);
  else
    /* Translators: a toast: "Turned on the alias domain bücher.example" */
    text = g_strdup_printf (_("Turned on the alias domain %s"), shown);
  row_toast (call->parent, text, row_call_new (call->parent, call->session, before));
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(RowCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwAliasDomain) was = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;
  RowCall *undo;

  changing--;
  was = mw_session_delete_alias_domain_finish (call->session, res, &error);
  if (was == NULL)
    {
      row_error (call, error);
      return;
    }
  shown = shown_name (was->name);
  /* Translators: a toast: "Deleted the alias domain bücher.example" */
  text = g_strdup_printf (_("Deleted the alias domain %s"), shown);
  undo = row_call_new (call->parent, call->session, was);
  undo->deleted = TRUE;
  row_toast (call->parent, text, undo);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  RowCall *call = user_data;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  changing++;
  mw_session_delete_alias_domain_async (call->session, call->alias_domain->name, FALSE, NULL, on_deleted_cb,
                                        row_call_new (call->parent, call->session, call->alias_domain));
}

static void
present_question (AdwMessageDialog *dialog,
                  const char       *title)
{
  /* What a screen reader and the window list call it. */
  gtk_window_set_title (GTK_WINDOW (dialog), title);
  g_set_weak_pointer (&shown_question, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ask_delete (RowCall *call)
{
  const MwAliasDomain *ad = call->alias_domain;
  g_autofree char *alias = shown_name (ad->name);
  g_autofree char *target = shown_name (ad->target);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: the question before deleting an alias domain: "Delete the Alias Domain bücher.example?" */
  heading = g_strdup_printf (_("Delete the Alias Domain %s?"), alias);
  /* Translators: what deleting an alias domain stops: the alias domain three times, then its target */
  body = g_strdup_printf (_("Mail to anything@%s will no longer reach %s. The domain %s itself and its "
                            "addresses stay."),
                          alias, target, alias);
  dialog = adw_message_dialog_new (call->parent, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response_cb),
                         row_call_new (call->parent, call->session, call->alias_domain),
                         (GClosureNotify) (void (*) (void)) row_call_free, 0);
  present_question (ADW_MESSAGE_DIALOG (dialog), heading);
}

static void
on_row_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  RowCall *call = user_data;

  if (g_strcmp0 (response, "toggle") == 0)
    {
      changing++;
      mw_session_set_alias_domain_active_async (call->session, call->alias_domain->name,
                                                !call->alias_domain->active, FALSE, NULL, on_active_set_cb,
                                                row_call_new (call->parent, call->session, call->alias_domain));
    }
  else if (g_strcmp0 (response, "delete") == 0)
    ask_delete (call);
}

static void
ask_row (RowCall *call)
{
  const MwAliasDomain *ad = call->alias_domain;
  g_autofree char *alias = shown_name (ad->name);
  g_autofree char *target = shown_name (ad->target);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (ad->active)
    /* Translators: a row of the Alias Domains list opened: the alias domain twice, then its target */
    body = g_strdup_printf (_("Mail to anything@%s goes to the same address at %s."), alias, target);
  else
    /* Translators: a row of the Alias Domains list opened, the alias domain turned off */
    body = g_strdup_printf (_("It is turned off: mail to anything@%s does not go to %s."), alias, target);
  dialog = adw_message_dialog_new (call->parent, alias, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete…"),
                                    "toggle", ad->active ? _("Turn _Off") : _("Turn _On"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "toggle", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "toggle");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_row_response_cb),
                         row_call_new (call->parent, call->session, ad),
                         (GClosureNotify) (void (*) (void)) row_call_free, 0);
  present_question (ADW_MESSAGE_DIALOG (dialog), alias);
}

static void
on_row_read_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(RowCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  changing--;
  found = mw_session_list_alias_domains_finish (call->session, res, &error);
  if (found == NULL)
    {
      row_error (call, error);
      return;
    }
  for (guint i = 0; i < found->len; i++)
    {
      MwAliasDomain *ad = g_ptr_array_index (found, i);

      if (g_ascii_strcasecmp (ad->name, call->alias_domain->name) == 0)
        {
          mw_alias_domain_free (call->alias_domain);
          call->alias_domain = mw_alias_domain_copy (ad);
          ask_row (call);
          return;
        }
    }
  {
    g_autofree char *shown = shown_name (call->alias_domain->name);
    /* Translators: a toast: the row was deleted elsewhere meanwhile */
    g_autofree char *text = g_strdup_printf (_("“%s” is not an alias domain in this database."), shown);

    row_toast (call->parent, text, NULL);
  }
}

void
mw_alias_domain_open_actions (GtkWindow  *parent,
                              MwSession  *session,
                              const char *alias_domain)
{
  g_autoptr(MwAliasDomain) wanted = mw_alias_domain_new ();

  g_return_if_fail (MW_IS_SESSION (session));
  g_return_if_fail (alias_domain != NULL);

  /* Read afresh: the list may be older than the row. */
  wanted->name = g_strdup (alias_domain);
  changing++;
  mw_session_list_alias_domains_async (session, alias_domain, NULL, on_row_read_cb,
                                       row_call_new (parent, session, wanted));
}

AdwMessageDialog *
mw_alias_domain_get_question (void)
{
  return shown_question;
}

gboolean
mw_alias_domain_is_changing (void)
{
  return changing > 0;
}

const char *
mw_alias_domain_get_last_toast (void)
{
  return last_toast;
}

AdwToast *
mw_alias_domain_get_undo_toast (void)
{
  return undo_toast;
}

/* Public: the dialog */

MwAliasDomainDialog *
mw_alias_domain_dialog_new (MwSession *session)
{
  MwAliasDomainDialog *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_ALIAS_DOMAIN_DIALOG, NULL);
  self->session = g_object_ref (session);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->add_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->alias_row));
  read_domains (self);
  return self;
}

static void
on_dialog_added_cb (MwAliasDomainDialog *dialog,
                    const char          *text,
                    GtkWindow           *parent)
{
  g_free (last_toast);
  last_toast = g_strdup (text);
  if (MW_IS_WINDOW (parent))
    mw_window_show_toast (MW_WINDOW (parent), text);
}

GtkWindow *
mw_alias_domain_dialog_open (GtkWindow *parent,
                             MwSession *session)
{
  MwAliasDomainDialog *self = mw_alias_domain_dialog_new (session);

  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  if (parent != NULL)
    g_signal_connect_object (self, "added", G_CALLBACK (on_dialog_added_cb), parent, 0);
  gtk_window_present (GTK_WINDOW (self));
  return GTK_WINDOW (self);
}

gboolean
mw_alias_domain_dialog_is_busy (MwAliasDomainDialog *self)
{
  g_return_val_if_fail (MW_IS_ALIAS_DOMAIN_DIALOG (self), FALSE);
  return self->busy;
}

const char *
mw_alias_domain_dialog_get_error (MwAliasDomainDialog *self)
{
  g_return_val_if_fail (MW_IS_ALIAS_DOMAIN_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

GStrv
mw_alias_domain_dialog_dup_domains (MwAliasDomainDialog *self)
{
  g_return_val_if_fail (MW_IS_ALIAS_DOMAIN_DIALOG (self), NULL);
  return g_strdupv (self->domains);
}

void
mw_alias_domain_dialog_set_field (MwAliasDomainDialog *self,
                                  const char          *field,
                                  const char          *value)
{
  g_return_if_fail (MW_IS_ALIAS_DOMAIN_DIALOG (self));

  if (g_strcmp0 (field, "alias") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->alias_row), value);
  else if (g_strcmp0 (field, "target") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->target_entry), value);
  else if (g_strcmp0 (field, "active") == 0)
    gtk_switch_set_active (self->active_switch, g_strcmp0 (value, "yes") == 0);
  else
    g_return_if_reached ();
}

static void
mw_alias_domain_dialog_dispose (GObject *object)
{
  MwAliasDomainDialog *self = MW_ALIAS_DOMAIN_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ALIAS_DOMAIN_DIALOG);
  G_OBJECT_CLASS (mw_alias_domain_dialog_parent_class)->dispose (object);
}

static void
mw_alias_domain_dialog_finalize (GObject *object)
{
  MwAliasDomainDialog *self = MW_ALIAS_DOMAIN_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_strfreev (self->domains);
  G_OBJECT_CLASS (mw_alias_domain_dialog_parent_class)->finalize (object);
}

static void
mw_alias_domain_dialog_class_init (MwAliasDomainDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_alias_domain_dialog_dispose;
  object_class->finalize = mw_alias_domain_dialog_finalize;

  /* "added": a sentence for a toast. */
  signals[SIGNAL_ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/mailwarden/Mailwarden/mw-alias-domain-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAliasDomainDialog, group);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDomainDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDomainDialog, alias_row);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDomainDialog, target_entry);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDomainDialog, active_switch);
  gtk_widget_class_bind_template_child (widget_class, MwAliasDomainDialog, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);

  gtk_widget_class_install_action (widget_class, "alias-domain.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_alias_domain_dialog_init (MwAliasDomainDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Translators: for screen readers, the list holding the alias domain's fields */
  mw_dialog_a11y_name_lists (GTK_WIDGET (self->group), _("Alias domain"));
  update_actions (self);
}
