/* mw-mail-page-search.c: the mail page's body search and its hits.
 *
 * The mail store searches the decoded text on a worker; the session hands
 * each hit and the progress to this file on the main context, before the
 * search's own callback, so the hits are shown as they are found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-mail-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-mail-page-private.h"
#include "mw-message-window.h"

/* One search: a hit of a search that was stopped or replaced is dropped. */
typedef struct
{
  MwMailPage   *self;
  GCancellable *cancellable;
} Search;

static void
search_free (Search *search)
{
  g_object_unref (search->self);
  g_object_unref (search->cancellable);
  g_free (search);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Search, search_free)

static void
on_hit (const MwMessageHit *hit,
        gpointer            user_data)
{
  Search *search = user_data;
  MwMailPage *self = search->self;
  GtkWidget *row;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  g_autofree char *sender = NULL;

  if (g_cancellable_is_cancelled (search->cancellable))
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hit->subject != NULL ? hit->subject : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  sender = mw_message_window_format_addresses (hit->sender);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sender);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "mw-message", g_strdup (hit->key), g_free);
  g_object_set_data_full (G_OBJECT (row), "mw-number", g_memdup2 (&hit->number, sizeof hit->number), g_free);
  text = g_strdup_printf ("%" G_GINT64_FORMAT " | %s | %s", hit->number, hit->sender != NULL ? hit->sender : "",
                          hit->subject != NULL ? hit->subject : "");
  g_object_set_data_full (G_OBJECT (row), "mw-text", g_steal_pointer (&text), g_free);
  gtk_list_box_append (self->hits_list, row);
  g_ptr_array_add (self->hit_rows, row);
  self->n_hits++;
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message contains the search text",
                                        "%u messages contain the search text", self->n_hits), self->n_hits);
  gtk_label_set_text (self->hits_label, label);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Search *search = user_data;

  if (!g_cancellable_is_cancelled (search->cancellable) && total > 0)
    gtk_progress_bar_set_fraction (search->self->hits_progress, (double) done / total);
}

static void
on_searched_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(Search) search = user_data;
  MwMailPage *self = search->self;
  g_autoptr(GError) error = NULL;

  if (!mw_session_search_bodies_finish (self->session, res, &error) && !_mw_mail_page_is_cancelled (error))
    _mw_mail_page_show_error (self, error->message);
  /* Every hit and progress update came before this. */
  self->jobs--;
  _mw_mail_page_update_busy (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.stop-search", FALSE);
  gtk_progress_bar_set_fraction (self->hits_progress, 1.0);
  if (self->n_hits == 0)
    gtk_label_set_text (self->hits_label, _("No message contains the search text"));
}

void
mw_mail_page_search_bodies (MwMailPage *self,
                            const char *text)
{
  Search *search;
  g_autofree char *needle = g_strstrip (g_strdup (text != NULL ? text : ""));

  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  if (needle[0] == '\0')
    {
      _mw_mail_page_show_error (self, _("Type the words to look for in the search field, then search the bodies."));
      return;
    }
  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();
  for (guint i = 0; i < self->hit_rows->len; i++)
    gtk_list_box_remove (self->hits_list, self->hit_rows->pdata[i]);
  g_ptr_array_set_size (self->hit_rows, 0);
  self->n_hits = 0;
  gtk_label_set_text (self->hits_label, _("Searching the message bodies…"));
  gtk_progress_bar_set_fraction (self->hits_progress, 0);
  gtk_revealer_set_reveal_child (self->hits_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.stop-search", TRUE);
  _mw_mail_page_show_error (self, NULL);

  search = g_new0 (Search, 1);
  search->self = g_object_ref (self);
  search->cancellable = g_object_ref (self->search_cancellable);
  self->jobs++;
  _mw_mail_page_update_busy (self);
  mw_session_search_bodies_async (self->session, self->account, self->mailbox, needle,
                                  _mw_mail_page_hide_bodies () ? MW_MESSAGE_HIDE_BODIES : MW_MESSAGE_LOAD_DEFAULT,
                                  on_hit, on_progress, search, self->search_cancellable, on_searched_cb, search);
}

static void
search_bodies_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  MwMailPage *self = MW_MAIL_PAGE (widget);

  mw_mail_page_search_bodies (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
stop_search_action (GtkWidget  *widget,
                    const char *action,
                    GVariant   *param)
{
  MwMailPage *self = MW_MAIL_PAGE (widget);

  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
}

static void
close_hits_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  MwMailPage *self = MW_MAIL_PAGE (widget);

  stop_search_action (widget, action, param);
  gtk_revealer_set_reveal_child (self->hits_revealer, FALSE);
}

GStrv
mw_mail_page_dup_body_hits (MwMailPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MW_IS_MAIL_PAGE (self), NULL);

  for (guint i = 0; i < self->hit_rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (self->hit_rows->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

static void
on_hit_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     MwMailPage    *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "mw-message");
  gint64 *number = g_object_get_data (G_OBJECT (row), "mw-number");

  if (key != NULL && number != NULL)
    _mw_mail_page_open (self, key, *number, FALSE);
}

void
_mw_mail_page_search_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "mail.search-bodies", NULL, search_bodies_action);
  gtk_widget_class_install_action (widget_class, "mail.stop-search", NULL, stop_search_action);
  gtk_widget_class_install_action (widget_class, "mail.close-hits", NULL, close_hits_action);
  gtk_widget_class_bind_template_callback (widget_class, on_hit_activated_cb);
}
