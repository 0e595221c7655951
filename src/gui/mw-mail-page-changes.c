/* mw-mail-page-changes.c: the mail page's delete and undelete.
 *
 * Each is one transaction of the mail store, run by the session (which
 * tells the other windows that the account's used size moved), and only
 * ever touches the selected messages, or a mailbox's deleted ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-mail-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-mail-page-private.h"

static void
toast (MwMailPage *self,
       const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  if (overlay != NULL)
    {
      AdwToast *t = adw_toast_new ("");
      GtkWidget *label = gtk_label_new (text);

      /* A toast's own title is one ellipsized line; the undelete's two
       * sentences wrap instead. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      adw_toast_set_custom_title (t, label);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
    }
}

static void
show_change (MwMailPage            *self,
             const MwMessageChange *change,
             gboolean               deleted)
{
  g_autofree char *size = g_format_size_full ((guint64) change->bytes, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, change->messages);
  g_autofree char *text = NULL;

  if (deleted)
    /* Translators: "Deleted 3 messages (12.0 KiB)" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s message (%s)", "Deleted %s messages (%s)",
                                         (gulong) change->messages), n, size);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: "Undeleted 3 messages (12.0 KiB). They come back
                                          * ...". An undeleted message gets a new number (IMAP UID), so
                                          * that mail programs that stayed connected or sync by number
                                          * fetch it: to them it is new. */
                                         "Undeleted %s message (%s). It comes back as a new message in the "
                                         "user's mail program.",
                                         "Undeleted %s messages (%s). They come back as new messages in the "
                                         "user's mail program.",
                                         (gulong) change->messages), n, size);
  toast (self, text);
}

static void
finish_change (MwMailPage            *self,
               gboolean               ok,
               const GError          *error,
               const MwMessageChange *change,
               gboolean               deleted)
{
  self->jobs--;
  _mw_mail_page_update_busy (self);
  if (!ok)
    {
      if (!_mw_mail_page_is_cancelled (error))
        _mw_mail_page_show_error (self, error->message);
      return;
    }
  _mw_mail_page_show_error (self, NULL);
  show_change (self, change, deleted);
  /* The mailbox counts moved; the list shows the new states. */
  mw_mail_page_reload (self);
}

static void
finish_set_deleted (MwMailPage   *self,
                    GAsyncResult *res,
                    gboolean      deleted)
{
  g_autoptr(GError) error = NULL;
  g_auto(MwMessageChange) change = { 0 };
  gboolean ok = mw_session_set_deleted_finish (self->session, res, &change, &error);

  finish_change (self, ok, error, &change, deleted);
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(MwMailPage) self = user_data;

  finish_set_deleted (self, res, TRUE);
}

static void
on_undeleted_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(MwMailPage) self = user_data;

  finish_set_deleted (self, res, FALSE);
}

static void
on_undelete_mailbox_cb (GObject      *source,
                        GAsyncResult *res,
                        gpointer      user_data)
{
  g_autoptr(MwMailPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(MwMessageChange) change = { 0 };
  gboolean ok = mw_session_undelete_mailbox_finish (self->session, res, &change, &error);

  finish_change (self, ok, error, &change, FALSE);
}

/* The keys of the loaded rows of the selection: a row still a placeholder
 * was never seen. */
static GStrv
selected_keys (MwMailPage *self)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      {
        g_autoptr(MwRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);

        if (record != NULL && mw_record_get_loaded (record))
          {
            g_auto(MwMessageRow) row = { 0 };

            mw_mail_store_read_row (self->store, record, &row);
            g_strv_builder_add (keys, row.key);
          }
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return g_strv_builder_end (keys);
}

static void
change_selection (MwMailPage *self,
                  gboolean    deleted)
{
  g_auto(GStrv) keys = selected_keys (self);

  if (keys[0] == NULL)
    {
      _mw_mail_page_show_error (self, _("Select the messages first."));
      return;
    }
  self->jobs++;
  _mw_mail_page_update_busy (self);
  mw_session_set_deleted_async (self->session, self->account, (const char *const *) keys, deleted, FALSE,
                                self->cancellable, deleted ? on_deleted_cb : on_undeleted_cb,
                                g_object_ref (self));
}

static void
undelete_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  change_selection (MW_MAIL_PAGE (widget), FALSE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  change_selection (MW_MAIL_PAGE (widget), TRUE);
}

void
mw_mail_page_undelete_all (MwMailPage *self)
{
  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  if (self->mailbox == NULL)
    {
      _mw_mail_page_show_error (self, _("Choose a mailbox first: this undeletes every deleted message in one mailbox."));
      return;
    }
  self->jobs++;
  _mw_mail_page_update_busy (self);
  mw_session_undelete_mailbox_async (self->session, self->mailbox, FALSE, self->cancellable, on_undelete_mailbox_cb,
                                     g_object_ref (self));
}

static void
undelete_all_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  mw_mail_page_undelete_all (MW_MAIL_PAGE (widget));
}

void
_mw_mail_page_changes_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "mail.undelete", NULL, undelete_action);
  gtk_widget_class_install_action (widget_class, "mail.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "mail.undelete-all", NULL, undelete_all_action);
}
