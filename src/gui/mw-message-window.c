/* mw-message-window.c: one message: the headers that matter, its text, attachments, source.
 *
 * The message is rebuilt and parsed on a worker (the session's
 * mw_session_load_message_async: the mail store and GMime). The
 * text is shown as text only, HTML converted by the core: nothing remote is
 * ever loaded. With "hide message bodies" the core refuses text, source and
 * attachment content, and this window shows headers and the list only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-message-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mailwarden-core.h"
#include "mw-format.h"
#include "mw-message-window.h"

enum { UNDELETED, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _MwMessageWindow
{
  AdwWindow             parent_instance;

  MwSession            *session;
  char                 *key;
  gint64                number;
  char                 *account;       /* the owner's key, to undelete from; NULL: not offered */
  gboolean              deleted;
  gboolean              undeleting;
  gboolean              hide_bodies;
  GCancellable         *cancellable;
  MwMessage            *message;
  gboolean              loading;
  GHashTable           *fields;        /* name -> value shown */
  char                 *text;          /* decoded text, or NULL */
  char                 *source;        /* raw source as text, or NULL */
  GPtrArray            *attachment_rows;
  GtkFileChooserNative *chooser;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkInfoBar           *deleted_bar;
  GtkLabel             *deleted_label;
  GtkWidget            *undelete_button;
  GtkToggleButton      *source_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkGrid              *header_grid;
  GtkLabel             *all_headers_label;
  GtkRevealer          *note_revealer;
  GtkLabel             *note_label;
  GtkTextView          *text_view;
  GtkListBox           *attachments_list;
};

G_DEFINE_FINAL_TYPE (MwMessageWindow, mw_message_window, ADW_TYPE_WINDOW)

static void
add_field (MwMessageWindow *self,
           const char      *key,
           const char      *title,
           const char      *value,
           int              row)
{
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *text = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (name), 1.0);
  gtk_label_set_yalign (GTK_LABEL (name), 0.0);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0.0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  if (g_str_equal (key, "subject"))
    gtk_widget_add_css_class (text, "heading");
  gtk_grid_attach (self->header_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->header_grid, text, 1, row, 1, 1);
  g_hash_table_insert (self->fields, g_strdup (key), g_strdup (value));
}

static void
show_text (MwMessageWindow *self)
{
  gboolean source = gtk_toggle_button_get_active (self->source_button);
  const char *shown = source ? self->source : self->text;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  gtk_text_buffer_set_text (buffer, shown != NULL ? shown : "", -1);
  gtk_text_view_set_monospace (self->text_view, source);
}

static void
on_save_attachment_clicked_cb (GtkButton       *button,
                               MwMessageWindow *self);

static void
show_message (MwMessageWindow *self)
{
  MwMessage *m = self->message;
  g_autoptr(GPtrArray) headers = mw_message_get_headers (m);
  g_autoptr(GError) error = NULL;
  GString *all = g_string_new (NULL);
  GPtrArray *attachments = mw_message_get_attachments (m);
  GDateTime *date = mw_message_get_date (m);
  const char *subject = mw_message_get_subject (m);
  int row = 0;

  adw_window_title_set_title (self->window_title, subject != NULL && subject[0] != '\0' ? subject : _("(no subject)"));
  gtk_window_set_title (GTK_WINDOW (self), subject != NULL ? subject : _("Message"));

#define FIELD(key, title, value) \
  G_STMT_START { if ((value) != NULL) add_field (self, key, title, value, row++); } G_STMT_END
#define ADDRESSES(key, title, value) \
  G_STMT_START { \
    if ((value) != NULL) \
      { \
        g_autofree char *shown = mw_message_window_format_addresses (value); \
        add_field (self, key, title, shown, row++); \
      } \
  } G_STMT_END
  ADDRESSES ("from", _("From"), mw_message_get_from (m));
  ADDRESSES ("to", _("To"), mw_message_get_to (m));
  ADDRESSES ("cc", _("Cc"), mw_message_get_cc (m));
  ADDRESSES ("reply-to", _("Reply-To"), mw_message_get_reply_to (m));
  if (date != NULL)
    {
      g_autofree char *text = mw_format_date_time_seconds (date);

      FIELD ("date", _("Date"), text);
    }
  FIELD ("subject", _("Subject"), subject);
#undef ADDRESSES
#undef FIELD

  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      MwMessageHeader *h = g_ptr_array_index (headers, i);

      g_string_append_printf (all, "%s: %s\n", h->name, h->value != NULL ? h->value : "");
    }
  gtk_label_set_text (self->all_headers_label, all->str);
  g_string_free (all, TRUE);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->source, g_free);
  if (mw_message_is_private (m))
    {
      gtk_label_set_text (self->note_label, _("Message bodies are hidden (Preferences): only the headers and "
                                              "the list of attachments are shown."));
      gtk_revealer_set_reveal_child (self->note_revealer, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->source_button), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.save-eml", FALSE);
    }
  else
    {
      const char *text = mw_message_get_text (m, &error);
      g_autoptr(GBytes) raw = mw_message_get_raw (m, NULL);

      self->text = g_strdup (text != NULL ? text : "");
      if (raw != NULL)
        {
          gsize len;
          const char *data = g_bytes_get_data (raw, &len);

          self->source = g_utf8_make_valid (data, (gssize) len);
        }
      if (mw_message_get_text_is_html (m))
        {
          gtk_label_set_text (self->note_label, _("Shown as text from its HTML; nothing from the internet was loaded."));
          gtk_revealer_set_reveal_child (self->note_revealer, TRUE);
        }
    }
  show_text (self);

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      MwMessageAttachment *a = g_ptr_array_index (attachments, i);
      GtkWidget *arow = adw_action_row_new ();
      g_autofree char *size = g_format_size_full (a->size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *sub = g_strdup_printf ("%s, %s", a->content_type, size);
      g_autofree char *label = NULL;
      GtkWidget *button;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (arow), a->filename != NULL ? a->filename : _("(unnamed)"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (arow), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (arow), sub);
      button = gtk_button_new_from_icon_name ("document-save-symbolic");
      if (a->filename != NULL)
        /* Translators: a button's label: "Save report.pdf" */
        label = g_strdup_printf (_("Save %s"), a->filename);
      else
        label = g_strdup (_("Save the attachment"));
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_sensitive (button, !mw_message_is_private (m));
      g_object_set_data (G_OBJECT (button), "mw-index", GUINT_TO_POINTER (a->index));
      g_signal_connect (button, "clicked", G_CALLBACK (on_save_attachment_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (arow), button);
      g_object_set_data_full (G_OBJECT (arow), "mw-text",
                              g_strdup_printf ("%s | %s", a->filename != NULL ? a->filename : "", sub), g_free);
      gtk_list_box_append (self->attachments_list, arow);
      g_ptr_array_add (self->attachment_rows, arow);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_list), self->attachment_rows->len > 0);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwMessageWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwMessage *message = mw_session_load_message_finish (self->session, res, &error);

  if (g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (message == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->message = message;
  show_message (self);
}

static void
on_source_toggled_cb (MwMessageWindow *self)
{
  show_text (self);
}

/* Deleted */

static void
update_deleted (MwMessageWindow *self)
{
  gtk_info_bar_set_revealed (self->deleted_bar, self->deleted);
  gtk_label_set_text (self->deleted_label,
                      self->account != NULL ? _("This message is deleted")
                      : _("This message is deleted. It is undeleted from the account that holds its mailbox."));
  gtk_widget_set_visible (self->undelete_button, self->account != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.undelete",
                                 self->deleted && self->account != NULL && !self->undeleting);
}

static void
on_undeleted_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(MwMessageWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(MwMessageChange) change = { 0 };
  gboolean ok = mw_session_set_deleted_finish (self->session, res, &change, &error);

  if (g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->undeleting = FALSE;
  if (!ok)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      update_deleted (self);
      return;
    }
  /* It came back under a new number: the .eml is named after it. */
  if (change.renumbered != NULL && change.renumbered->len > 0)
    self->number = g_array_index (change.renumbered, MwMessageRenumber, 0).new_number;
  self->deleted = FALSE;
  update_deleted (self);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Undeleted. It comes back as a new message in the user's mail program.")));
  g_signal_emit (self, signals[UNDELETED], 0);
}

static void
undelete_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  MwMessageWindow *self = MW_MESSAGE_WINDOW (widget);
  const char *keys[] = { self->key, NULL };

  if (!self->deleted || self->account == NULL || self->undeleting)
    return;
  self->undeleting = TRUE;
  update_deleted (self);
  mw_session_set_deleted_async (self->session, self->account, keys, FALSE, FALSE, self->cancellable,
                                on_undeleted_cb, g_object_ref (self));
}

void
mw_message_window_show_deleted (MwMessageWindow *self,
                                const char      *account_key)
{
  g_return_if_fail (MW_IS_MESSAGE_WINDOW (self));

  self->deleted = TRUE;
  g_free (self->account);
  self->account = g_strdup (account_key);
  update_deleted (self);
}

const char *
mw_message_window_get_banner (MwMessageWindow *self)
{
  g_return_val_if_fail (MW_IS_MESSAGE_WINDOW (self), NULL);

  return self->deleted ? gtk_label_get_text (self->deleted_label) : NULL;
}

char *
mw_message_window_format_addresses (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  if (value == NULL)
    return g_string_free (out, FALSE);
  /* Each address ("<a@b>" or a bare "a@b" between commas) in Unicode;
   * names and the rest as they are. */
  while (*p != '\0')
    {
      const char *open = strchr (p, '<');
      const char *close = open != NULL ? strchr (open, '>') : NULL;
      const char *end = open != NULL && close != NULL ? open : p + strlen (p);
      g_autofree char *segment = g_strndup (p, end - p);
      g_auto(GStrv) parts = g_strsplit (segment, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (parts[i]));

          if (i > 0)
            g_string_append_c (out, ',');
          if (trimmed[0] != '\0' && strchr (trimmed, '@') != NULL && strchr (trimmed, ' ') == NULL)
            {
              g_autofree char *shown = mw_format_address (trimmed);
              const char *lead = parts[i];

              while (*lead == ' ')
                g_string_append_c (out, *lead++);
              g_string_append (out, shown);
            }
          else
            g_string_append (out, parts[i]);
        }
      if (open == NULL || close == NULL)
        break;
      {
        g_autofree char *inner = g_strndup (open + 1, close - open - 1);
        g_autofree char *shown = mw_format_address (inner);

        g_string_append_printf (out, "<%s>", shown);
      }
      p = close + 1;
    }
  return g_string_free (out, FALSE);
}

/* Saving */

gboolean
mw_message_window_save_attachment (MwMessageWindow  *self,
                                   guint             index,
                                   const char       *path,
                                   GError          **error)
{
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (MW_IS_MESSAGE_WINDOW (self), FALSE);
  g_return_val_if_fail (self->message != NULL, FALSE);

  data = mw_message_get_attachment (self->message, index, error);
  if (data == NULL)
    return FALSE;
  return g_file_set_contents_full (path, g_bytes_get_data (data, NULL), (gssize) g_bytes_get_size (data),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
mw_message_window_save_eml (MwMessageWindow  *self,
                            const char       *path,
                            GError          **error)
{
  g_return_val_if_fail (MW_IS_MESSAGE_WINDOW (self), FALSE);
  g_return_val_if_fail (self->message != NULL, FALSE);

  return mw_message_save_eml (self->message, path, error);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        MwMessageWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "mw-index"));
      gboolean ok = index < 0 ? mw_message_window_save_eml (self, path, &error)
                              : mw_message_window_save_attachment (self, (guint) index, path, &error);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (ok ? _("Saved") : error->message));
    }
  g_clear_object (&self->chooser);
}

static void
choose_file (MwMessageWindow *self,
             int              index,
             const char      *name)
{
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_object_set_data (G_OBJECT (self->chooser), "mw-index", GINT_TO_POINTER (index));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_save_attachment_clicked_cb (GtkButton       *button,
                               MwMessageWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "mw-index"));
  GPtrArray *attachments = mw_message_get_attachments (self->message);
  const char *name = NULL;

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      MwMessageAttachment *a = g_ptr_array_index (attachments, i);

      if (a->index == index)
        name = a->filename;
    }
  choose_file (self, (int) index, name != NULL ? name : "attachment");
}

static void
save_eml_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  MwMessageWindow *self = MW_MESSAGE_WINDOW (widget);
  g_autofree char *name = g_strdup_printf ("message-%" G_GINT64_FORMAT ".eml", self->number);

  if (self->message != NULL)
    choose_file (self, -1, name);
}

/* Public */

MwMessageWindow *
mw_message_window_new (MwSession  *session,
                       const char *message_key,
                       gint64      number,
                       gboolean    hide_bodies)
{
  MwMessageWindow *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (message_key != NULL, NULL);

  self = g_object_new (MW_TYPE_MESSAGE_WINDOW, NULL);
  self->session = g_object_ref (session);
  self->key = g_strdup (message_key);
  self->number = number;
  self->hide_bodies = hide_bodies;
  self->loading = TRUE;
  mw_session_load_message_async (session, message_key, hide_bodies ? MW_MESSAGE_HIDE_BODIES : MW_MESSAGE_LOAD_DEFAULT,
                                 self->cancellable, on_loaded_cb, g_object_ref (self));
  return self;
}

gboolean
mw_message_window_is_loading (MwMessageWindow *self)
{
  g_return_val_if_fail (MW_IS_MESSAGE_WINDOW (self), FALSE);

  return self->loading;
}

const char *
mw_message_window_get_field (MwMessageWindow *self,
                             const char      *field)
{
  g_return_val_if_fail (MW_IS_MESSAGE_WINDOW (self), NULL);

  return g_hash_table_lookup (self->fields, field);
}

char *
mw_message_window_dup_text (MwMessageWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (MW_IS_MESSAGE_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GStrv
mw_message_window_dup_attachments (MwMessageWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_MESSAGE_WINDOW (self), NULL);

  for (guint i = 0; i < self->attachment_rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (self->attachment_rows->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

static void
mw_message_window_dispose (GObject *object)
{
  MwMessageWindow *self = MW_MESSAGE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_MESSAGE_WINDOW);

  G_OBJECT_CLASS (mw_message_window_parent_class)->dispose (object);
}

static void
mw_message_window_finalize (GObject *object)
{
  MwMessageWindow *self = MW_MESSAGE_WINDOW (object);

  g_clear_pointer (&self->message, mw_message_unref);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->attachment_rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_free (self->key);
  g_free (self->account);
  g_free (self->text);
  g_free (self->source);

  G_OBJECT_CLASS (mw_message_window_parent_class)->finalize (object);
}

static void
mw_message_window_class_init (MwMessageWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_message_window_dispose;
  object_class->finalize = mw_message_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-message-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, deleted_bar);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, deleted_label);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, undelete_button);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, source_button);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, header_grid);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, all_headers_label);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, note_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, note_label);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, MwMessageWindow, attachments_list);

  gtk_widget_class_install_action (widget_class, "message.save-eml", NULL, save_eml_action);
  gtk_widget_class_install_action (widget_class, "message.undelete", NULL, undelete_action);

  /* The message was undeleted here: lists that show it move. */
  signals[UNDELETED] = g_signal_new ("undeleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_message_window_init (MwMessageWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->attachment_rows = g_ptr_array_new ();
  g_signal_connect_swapped (self->source_button, "toggled", G_CALLBACK (on_source_toggled_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.undelete", FALSE);
}
