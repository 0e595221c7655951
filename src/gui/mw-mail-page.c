/* mw-mail-page.c: an account's mail: its mailboxes, their messages, delete and undelete.
 *
 * The message list is a lazy MwPagedModel over the mail store's message
 * query, sorted and filtered in SQL by the core. Everything that reads or
 * changes the database goes through the session's async operations. This
 * file holds the widget, its mailboxes and its message list; the list's
 * cells, delete and undelete, and the body search are files of their own
 * (mw-mail-page-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-mail-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-application.h"
#include "mw-format.h"
#include "mw-mail-page-private.h"
#include "mw-message-window.h"

#define PAGE_SIZE 200

G_DEFINE_FINAL_TYPE (MwMailPage, mw_mail_page, ADW_TYPE_BIN)

/* ------------------------------------------------------------------------ */
/* Two small containers of the page's template                              */
/* ------------------------------------------------------------------------ */

/* MwMailSingleStop: its child is one Tab stop. GtkListBox moves Tab from
 * row to row (and selects each: the mailbox list loaded every mailbox on
 * the way); here Tab and Shift+Tab leave the child at once, and arrows
 * still move within it. */
#define MW_TYPE_MAIL_SINGLE_STOP (mw_mail_single_stop_get_type ())
G_DECLARE_FINAL_TYPE (MwMailSingleStop, mw_mail_single_stop, MW, MAIL_SINGLE_STOP, AdwBin)

struct _MwMailSingleStop
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (MwMailSingleStop, mw_mail_single_stop, ADW_TYPE_BIN)

static gboolean
mw_mail_single_stop_focus (GtkWidget        *widget,
                           GtkDirectionType  direction)
{
  if (gtk_widget_get_focus_child (widget) != NULL &&
      (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD))
    return FALSE;
  return GTK_WIDGET_CLASS (mw_mail_single_stop_parent_class)->focus (widget, direction);
}

static void
mw_mail_single_stop_class_init (MwMailSingleStopClass *klass)
{
  GTK_WIDGET_CLASS (klass)->focus = mw_mail_single_stop_focus;
}

static void
mw_mail_single_stop_init (MwMailSingleStop *self)
{
}

/* MwMailWrapBox: its children in a row, wrapped onto more rows when the
 * width runs out, so that every filter stays inside a narrow window.
 * Children that expand share what is left of their row. */
#define MW_TYPE_MAIL_WRAP_BOX (mw_mail_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (MwMailWrapBox, mw_mail_wrap_box, MW, MAIL_WRAP_BOX, GtkWidget)

struct _MwMailWrapBox
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (MwMailWrapBox, mw_mail_wrap_box, GTK_TYPE_WIDGET)

#define WRAP_SPACING 6

typedef struct
{
  GtkWidget *child;
  int        width;
  int        row;
  gboolean   expand;
} WrapItem;

/* Places the visible children in rows for width; returns the number of rows. */
static int
wrap_layout (GtkWidget *widget,
             int        width,
             GArray    *items)
{
  int row = -1, x = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      WrapItem item = { child, 0, 0, FALSE };
      int min, nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      item.expand = gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
      if (row < 0 || x + WRAP_SPACING + nat > width)
        {
          row++;
          x = 0;
        }
      else
        x += WRAP_SPACING;
      item.width = MAX (min, MIN (nat, width - x));
      item.row = row;
      x += item.width;
      g_array_append_val (items, item);
    }
  return row + 1;
}

static int
wrap_row_height (GArray *items,
                 int     row)
{
  int height = 0;

  for (guint i = 0; i < items->len; i++)
    {
      WrapItem *item = &g_array_index (items, WrapItem, i);
      int min, nat;

      if (item->row != row)
        continue;
      gtk_widget_measure (item->child, GTK_ORIENTATION_VERTICAL, item->width, &min, &nat, NULL, NULL);
      height = MAX (height, nat);
    }
  return height;
}

static GtkSizeRequestMode
mw_mail_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
mw_mail_wrap_box_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gboolean first = TRUE;

      /* At least the widest child; at best all of them in one row. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int min, nat;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural += nat + (first ? 0 : WRAP_SPACING);
          first = FALSE;
        }
    }
  else
    {
      g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (WrapItem));
      int width = for_size;
      int rows;

      if (width < 0)
        gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
      rows = wrap_layout (widget, width, items);
      for (int row = 0; row < rows; row++)
        *natural += wrap_row_height (items, row) + (row > 0 ? WRAP_SPACING : 0);
      *minimum = *natural;
    }
}

static void
mw_mail_wrap_box_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (WrapItem));
  int rows = wrap_layout (widget, width, items);
  int y = 0;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;

  for (int row = 0; row < rows; row++)
    {
      int row_height = wrap_row_height (items, row);
      int used = 0, n_expand = 0, x = 0;

      for (guint i = 0; i < items->len; i++)
        {
          WrapItem *item = &g_array_index (items, WrapItem, i);

          if (item->row != row)
            continue;
          used += item->width + (used > 0 ? WRAP_SPACING : 0);
          n_expand += item->expand;
        }
      for (guint i = 0; i < items->len; i++)
        {
          WrapItem *item = &g_array_index (items, WrapItem, i);
          int w = item->width;

          if (item->row != row)
            continue;
          if (item->expand && width > used)
            {
              w += (width - used) / n_expand;
              used += (width - used) / n_expand;
              n_expand--;
            }
          gtk_widget_size_allocate (item->child,
                                    &(GtkAllocation) { rtl ? width - x - w : x, y, w, row_height }, -1);
          x += w + WRAP_SPACING;
        }
      y += row_height + WRAP_SPACING;
    }
}

static void
mw_mail_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mw_mail_wrap_box_parent_class)->dispose (object);
}

static void
mw_mail_wrap_box_class_init (MwMailWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_mail_wrap_box_dispose;
  widget_class->get_request_mode = mw_mail_wrap_box_get_request_mode;
  widget_class->measure = mw_mail_wrap_box_measure;
  widget_class->size_allocate = mw_mail_wrap_box_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mw_mail_wrap_box_init (MwMailWrapBox *self)
{
}

gboolean
_mw_mail_page_hide_bodies (void)
{
  GApplication *app = g_application_get_default ();
  GSettings *settings = app != NULL && MW_IS_APPLICATION (app) ? mw_application_get_settings (MW_APPLICATION (app)) : NULL;

  return settings != NULL && g_settings_get_boolean (settings, "hide-message-bodies");
}

/* A job stopped because the page went away or a newer one replaced it:
 * nothing to tell. */
gboolean
_mw_mail_page_is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
_mw_mail_page_show_error (MwMailPage *self,
                          const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

void
_mw_mail_page_update_busy (MwMailPage *self)
{
  mw_busy_indicator_set_busy (self->spinner, mw_mail_page_is_busy (self));
}

/* ------------------------------------------------------------------------ */
/* The message list                                                         */
/* ------------------------------------------------------------------------ */

static void update_columns (MwMailPage *self);

/* A list with nothing to show says why, in the words of its filters. */
static void
update_empty (MwMailPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  gboolean empty = n == 0 && !mw_paged_model_get_loading (self->model) &&
                   mw_paged_model_get_error (self->model) == NULL;
  g_autofree char *title = NULL;
  const char *description = NULL;

  if (empty && self->search != NULL && self->search[0] != '\0')
    {
      /* Translators: the message list is empty; %s is what was typed in the search field */
      title = g_strdup_printf (_("No messages match “%s”"), self->search);
      description = self->state == MW_MESSAGE_STATE_DELETED ? _("Among the deleted messages. Try All, or search the bodies.")
                  : self->state == MW_MESSAGE_STATE_VISIBLE ? _("Among the visible messages. Try All, or search the bodies.")
                  : _("Try other words, or search the bodies.");
    }
  else if (empty && self->state == MW_MESSAGE_STATE_DELETED)
    {
      title = g_strdup (_("No deleted messages"));
      description = self->mailbox != NULL ? _("Nothing deleted in this mailbox waits to be undeleted.")
                                          : _("Nothing deleted in this account's mailboxes waits to be undeleted.");
    }
  else if (empty && self->mailbox != NULL)
    {
      title = g_strdup (_("This mailbox is empty"));
      description = self->state == MW_MESSAGE_STATE_VISIBLE ? _("Deleted messages are shown with Deleted or All.") : NULL;
    }
  else if (empty)
    {
      title = g_strdup (_("No messages"));
      description = self->state == MW_MESSAGE_STATE_VISIBLE ? _("Deleted messages are shown with Deleted or All.") : NULL;
    }
  adw_status_page_set_title (self->empty_page, title != NULL ? title : "");
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->table_stack, empty ? "empty" : "messages");
}

static void
update_count (MwMailPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message", "%u messages", n), n);

  gtk_label_set_text (self->count_label, text);
  update_empty (self);
}

static void
apply_query (MwMailPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(GtkColumnViewColumn) column = NULL;
  static const struct { MwMessageSort sort; gboolean descending; } sorts[] = {
    { MW_MESSAGE_SORT_DATE, TRUE }, { MW_MESSAGE_SORT_DATE, FALSE }, { MW_MESSAGE_SORT_SIZE, TRUE },
    { MW_MESSAGE_SORT_SENDER, FALSE }, { MW_MESSAGE_SORT_SUBJECT, FALSE },
  };
  guint sort = MIN (gtk_drop_down_get_selected (self->sort_dropdown), G_N_ELEMENTS (sorts) - 1);
  guint field = gtk_drop_down_get_selected (self->field_dropdown);
  MwMessageRequest request = {
    .account = self->account, .mailbox = self->mailbox, .state = self->state,
    .sort = sorts[sort].sort, .descending = sorts[sort].descending,
  };

  /* The search looks in the header cache: sender, recipient (To, Cc), subject. */
  switch (field)
    {
    case 1: request.from = self->search; break;
    case 2: request.to = self->search; break;
    case 3: request.subject = self->search; break;
    default: request.text = self->search; break;
    }

  query = mw_mail_store_messages_query (self->store, &request, &error);
  if (query == NULL)
    {
      _mw_mail_page_show_error (self, error->message);
      return;
    }
  mw_paged_model_set_query (self->model, query);
  column = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), MW_MAIL_PAGE_MAILBOX_COLUMN);
  gtk_column_view_column_set_visible (column, self->mailbox == NULL);
  update_columns (self);
  update_empty (self);
}

/* ------------------------------------------------------------------------ */
/* Mailboxes and the maintenance note                                       */
/* ------------------------------------------------------------------------ */

static GtkWidget *
mailbox_row (const char *title,
             const char *subtitle,
             int         depth,
             gboolean    selectable)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *sub = gtk_label_new (subtitle);
  g_autofree char *name = NULL;

  gtk_widget_set_margin_start (box, 6 + 14 * depth);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  /* Wrapped, not one long line: the sidebar stays narrow. */
  gtk_label_set_max_width_chars (GTK_LABEL (sub), 22);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  if (subtitle != NULL && subtitle[0] != '\0')
    {
      /* Translators: a mailbox as a screen reader reads it: "INBOX, 2 messages, 420 bytes" */
      name = g_strdup_printf (_("%s, %s"), title, subtitle);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  gtk_box_append (GTK_BOX (box), label);
  if (subtitle != NULL && subtitle[0] != '\0')
    gtk_box_append (GTK_BOX (box), sub);
  else
    {
      g_object_ref_sink (sub);
      g_object_unref (sub);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), selectable);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), selectable);
  g_object_set_data_full (G_OBJECT (row), "mw-text", g_strdup_printf ("%s | %s", title, subtitle != NULL ? subtitle : ""),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "mw-title", g_strdup (title), g_free);
  return row;
}

static char *
counts_text (gint64 visible,
             gint64 visible_bytes,
             gint64 deleted)
{
  g_autofree char *size = g_format_size_full ((guint64) visible_bytes, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, visible);
  g_autofree char *d = g_strdup_printf ("%" G_GINT64_FORMAT, deleted);

  if (deleted > 0)
    /* Translators: "12 messages, 3.4 MiB, 2 deleted" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message, %s, %s deleted", "%s messages, %s, %s deleted",
                                         (gulong) visible), n, size, d);
  /* Translators: "12 messages, 3.4 MiB" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message, %s", "%s messages, %s", (gulong) visible), n, size);
}

/* Messages change only in their owner's account (a #Public folder's
 * owner is __public__): elsewhere they can be read. */
static void
update_change_actions (MwMailPage *self,
                       gboolean    own)
{
  self->foreign = !own;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.undelete", own);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.delete", own);
  /* Undelete All works on one mailbox: not offered with every mailbox. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.undelete-all", own && self->mailbox != NULL);
  gtk_widget_set_visible (self->undelete_all_button, own && self->mailbox != NULL);
}


/* The selected mailbox's name above the list while the mailboxes are folded away. */
static void
update_mailbox_title (MwMailPage    *self,
                      GtkListBoxRow *row)
{
  const char *text = row != NULL ? g_object_get_data (G_OBJECT (row), "mw-title") : NULL;

  gtk_label_set_text (self->mailbox_title, text != NULL ? text : _("All Mailboxes"));
}

static void
fill_mailboxes (MwMailPage *self)
{
  gint64 visible = 0, bytes = 0, deleted = 0;
  MwMailboxSection section = MW_MAILBOX_OWN;
  GtkListBoxRow *select = NULL;

  self->filling = TRUE;
  for (guint i = 0; i < self->mailbox_rows->len; i++)
    gtk_list_box_remove (self->mailbox_list, self->mailbox_rows->pdata[i]);
  g_ptr_array_set_size (self->mailbox_rows, 0);

  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      MwMailbox *m = g_ptr_array_index (self->mailboxes, i);

      if (m->section == MW_MAILBOX_OWN)
        {
          visible += m->visible_count;
          bytes += m->visible_bytes;
          deleted += m->deleted_count + m->purge_count;
        }
    }
  {
    g_autofree char *sub = counts_text (visible, bytes, deleted);
    GtkWidget *row = mailbox_row (_("All Mailboxes"), sub, 0, TRUE);

    gtk_list_box_append (self->mailbox_list, row);
    g_ptr_array_add (self->mailbox_rows, row);
    if (self->mailbox == NULL)
      select = GTK_LIST_BOX_ROW (row);
  }

  for (guint i = 0; i < self->mailboxes->len; i++)
    {
      MwMailbox *m = g_ptr_array_index (self->mailboxes, i);
      g_autofree char *sub = counts_text (m->visible_count, m->visible_bytes, m->deleted_count + m->purge_count);
      const char *name = m->display_name;
      const char *last = strrchr (name, '/');
      int depth = 0;
      GtkWidget *row;

      if (m->section != section)
        {
          /* The other sections are what the user sees in IMAP: their messages
           * can be read here, and are changed from their owners' accounts. */
          GtkWidget *header = mailbox_row (m->section == MW_MAILBOX_PUBLIC ? _("Public Folders")
                                                                           : _("Shared with This User"),
                                           m->section == MW_MAILBOX_PUBLIC
                                           ? _("Shared folders every user reads; delete and undelete from the "
                                               "account that holds them")
                                           : _("Other users' folders; delete and undelete from the owner's account"),
                                           0, FALSE);

          /* A heading, readable: not the insensitive look of a dimmed row. */
          gtk_widget_add_css_class (gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (header))),
                                    "heading");
          if (m->section == MW_MAILBOX_PUBLIC)
            /* Translators: __public__ is DBMail's name of the account that owns the public folders; keep it */
            gtk_widget_set_tooltip_text (header, _("Held by the account __public__ (DBMail's owner of the #Public folders)"));
          gtk_list_box_append (self->mailbox_list, header);
          g_ptr_array_add (self->mailbox_rows, header);
          section = m->section;
        }
      if (m->section == MW_MAILBOX_OWN)
        for (const char *p = name; *p != '\0'; p++)
          depth += *p == '/';
      row = mailbox_row (m->section == MW_MAILBOX_OWN && last != NULL ? last + 1 : name, sub, depth,
                         mw_mailbox_is_selectable (m));
      g_object_set_data_full (G_OBJECT (row), "mw-mailbox", g_strdup (m->key), g_free);
      g_object_set_data (G_OBJECT (row), "mw-mailbox-foreign", GINT_TO_POINTER (m->section != MW_MAILBOX_OWN));
      gtk_list_box_append (self->mailbox_list, row);
      g_ptr_array_add (self->mailbox_rows, row);
      if (g_strcmp0 (m->key, self->mailbox) == 0)
        select = GTK_LIST_BOX_ROW (row);
    }
  gtk_list_box_select_row (self->mailbox_list, select);
  update_change_actions (self, select == NULL || g_object_get_data (G_OBJECT (select), "mw-mailbox-foreign") == NULL);
  update_mailbox_title (self, select);
  self->filling = FALSE;
}

static void
on_mailboxes_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(MwMailPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *mailboxes = mw_session_list_mailboxes_finish (self->session, res, &error);

  self->jobs--;
  _mw_mail_page_update_busy (self);
  if (mailboxes == NULL)
    {
      if (!_mw_mail_page_is_cancelled (error))
        _mw_mail_page_show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->mailboxes, g_ptr_array_unref);
  self->mailboxes = mailboxes;
  fill_mailboxes (self);
}

static void
on_purge_state_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwMailPage) self = user_data;
  g_autoptr(GError) error = NULL;
  MwPurgeState purge = { 0 };

  self->jobs--;
  _mw_mail_page_update_busy (self);
  if (!mw_session_purge_state_finish (self->session, res, &purge, &error))
    {
      if (!_mw_mail_page_is_cancelled (error))
        _mw_mail_page_show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->note, g_free);
  self->note = mw_purge_state_describe (&purge);
  gtk_label_set_text (self->note_label, self->note != NULL ? self->note : "");
  gtk_revealer_set_reveal_child (self->note_revealer, self->note != NULL);
}

static void
load_mailboxes (MwMailPage *self)
{
  self->jobs += 2;
  _mw_mail_page_update_busy (self);
  mw_session_list_mailboxes_async (self->session, self->account, self->cancellable, on_mailboxes_cb,
                                   g_object_ref (self));
  mw_session_purge_state_async (self->session, self->account, self->cancellable, on_purge_state_cb,
                                g_object_ref (self));
}

static void
on_mailbox_selected_cb (GtkListBox    *list,
                        GtkListBoxRow *row,
                        MwMailPage    *self)
{
  if (self->filling || row == NULL)
    return;
  g_free (self->mailbox);
  self->mailbox = g_strdup (g_object_get_data (G_OBJECT (row), "mw-mailbox"));
  update_change_actions (self, g_object_get_data (G_OBJECT (row), "mw-mailbox-foreign") == NULL);
  update_mailbox_title (self, row);
  apply_query (self);
}

/* Folded (a narrow window), choosing a mailbox shows its messages. */
static void
on_mailbox_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         MwMailPage    *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    {
      adw_leaflet_set_visible_child (self->leaflet, self->messages_box);
      /* The list just went out of sight: the focus goes on to the messages. */
      if (!gtk_widget_grab_focus (GTK_WIDGET (self->column_view)))
        gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
}

static void
show_mailboxes_action (GtkWidget  *widget,
                       const char *action,
                       GVariant   *param)
{
  MwMailPage *self = MW_MAIL_PAGE (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->mailbox_list);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* Narrow, the sender, subject and date come first: size and flags make
 * way, and the state too unless the list mixes states (All). A row's name
 * still tells a screen reader all of it. */
static void
update_columns (MwMailPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  for (guint i = 0; i < MW_MAIL_PAGE_MAILBOX_COLUMN; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (i == MW_MAIL_PAGE_STATE_COLUMN)
        gtk_column_view_column_set_visible (column, !folded || self->state == MW_MESSAGE_STATE_ALL);
      else if (i == MW_MAIL_PAGE_SIZE_COLUMN || i == MW_MAIL_PAGE_FLAGS_COLUMN)
        gtk_column_view_column_set_visible (column, !folded);
    }
}

static void
on_folded_changed_cb (AdwLeaflet *leaflet,
                      GParamSpec *pspec,
                      MwMailPage *self)
{
  gtk_widget_set_visible (self->folded_bar, adw_leaflet_get_folded (leaflet));
  update_columns (self);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

GtkWindow *
_mw_mail_page_open (MwMailPage *self,
                    const char *message_key,
                    gint64      number,
                    gboolean    deleted)
{
  GtkWindow *window = GTK_WINDOW (mw_message_window_new (self->session, message_key, number,
                                                         _mw_mail_page_hide_bodies ()));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (deleted)
    mw_message_window_show_deleted (MW_MESSAGE_WINDOW (window), self->foreign ? NULL : self->account);
  /* Undeleted there: the list and the counts here move. */
  g_signal_connect_object (window, "undeleted", G_CALLBACK (mw_mail_page_reload), self, G_CONNECT_SWAPPED);

  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (window, GTK_WINDOW (root));
      gtk_window_set_application (window, gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_present (window);
  return window;
}

GtkWindow *
mw_mail_page_open_message (MwMailPage *self,
                           guint       position)
{
  g_autoptr(MwRecord) record = NULL;
  g_auto(MwMessageRow) row = { 0 };

  g_return_val_if_fail (MW_IS_MAIL_PAGE (self), NULL);

  record = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (record == NULL || !mw_record_get_loaded (record))
    return NULL;
  mw_mail_store_read_row (self->store, record, &row);
  return _mw_mail_page_open (self, row.key, row.number,
                             row.status == MW_MESSAGE_DELETED || row.status == MW_MESSAGE_PURGE_PENDING);
}

static void
on_column_view_activate_cb (GtkColumnView *view,
                            guint          position,
                            MwMailPage    *self)
{
  mw_mail_page_open_message (self, position);
}

/* ------------------------------------------------------------------------ */
/* Search as you type, state                                                */
/* ------------------------------------------------------------------------ */

static gboolean
on_search_timeout_cb (gpointer data)
{
  MwMailPage *self = data;

  self->search_timeout = 0;
  g_free (self->search);
  self->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  apply_query (self);
  return G_SOURCE_REMOVE;
}

static void
on_search_changed_cb (GtkSearchEntry *entry,
                      MwMailPage     *self)
{
  g_clear_handle_id (&self->search_timeout, g_source_remove);
  /* Already shown (mw_mail_page_show put the text there). */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), self->search != NULL ? self->search : "") == 0)
    return;
  self->search_timeout = g_timeout_add (250, on_search_timeout_cb, self);
}

static void
on_order_changed_cb (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     MwMailPage  *self)
{
  if (self->started)
    apply_query (self);
}

void
mw_mail_page_set_order (MwMailPage *self,
                        const char *field,
                        const char *sort)
{
  static const char *const fields[] = { "text", "from", "to", "subject" };
  static const char *const sorts[] = { "newest", "oldest", "largest", "sender", "subject" };

  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  for (guint i = 0; field != NULL && i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (field, fields[i]))
      gtk_drop_down_set_selected (self->field_dropdown, i);
  for (guint i = 0; sort != NULL && i < G_N_ELEMENTS (sorts); i++)
    if (g_str_equal (sort, sorts[i]))
      gtk_drop_down_set_selected (self->sort_dropdown, i);
}

static void
on_state_changed_cb (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     MwMailPage  *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  self->state = selected == 1 ? MW_MESSAGE_STATE_DELETED : selected == 2 ? MW_MESSAGE_STATE_ALL : MW_MESSAGE_STATE_VISIBLE;
  if (self->started)
    apply_query (self);
}

/* Ctrl+F: the search field, while the page is shown. Hidden (the Account
 * tab), the key goes on to whatever else wants it. */
static gboolean
on_find_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  MwMailPage *self = MW_MAIL_PAGE (widget);

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->messages_box);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */
/* ------------------------------------------------------------------------ */

MwMailPage *
mw_mail_page_new (MwSession  *session,
                  const char *account_key)
{
  MwMailPage *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (mw_session_get_mail_store (session) != NULL, NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  self = g_object_new (MW_TYPE_MAIL_PAGE, NULL);
  self->session = g_object_ref (session);
  self->store = mw_session_get_mail_store (session);
  self->account = g_strdup (account_key);
  self->model = mw_paged_model_new (mw_session_get_pool (session), PAGE_SIZE);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_empty), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error", G_CALLBACK (update_empty), self, G_CONNECT_SWAPPED);
  return self;
}

void
mw_mail_page_start (MwMailPage *self)
{
  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  if (self->started)
    return;
  self->started = TRUE;
  load_mailboxes (self);
  apply_query (self);
}

void
mw_mail_page_reload (MwMailPage *self)
{
  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  load_mailboxes (self);
  mw_paged_model_reload (self->model);
}

void
mw_mail_page_show (MwMailPage *self,
                   const char *mailbox_key,
                   const char *state,
                   const char *search)
{
  char *mailbox;

  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  self->started = TRUE;
  mailbox = g_strdup (mailbox_key);
  g_free (self->mailbox);
  self->mailbox = mailbox;
  self->state = g_strcmp0 (state, "deleted") == 0 ? MW_MESSAGE_STATE_DELETED
              : g_strcmp0 (state, "all") == 0 ? MW_MESSAGE_STATE_ALL : MW_MESSAGE_STATE_VISIBLE;
  g_signal_handlers_block_by_func (self->state_dropdown, on_state_changed_cb, self);
  gtk_drop_down_set_selected (self->state_dropdown, self->state == MW_MESSAGE_STATE_DELETED ? 1
                                                    : self->state == MW_MESSAGE_STATE_ALL ? 2 : 0);
  g_signal_handlers_unblock_by_func (self->state_dropdown, on_state_changed_cb, self);
  g_free (self->search);
  self->search = g_strdup (search);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search != NULL ? search : "");
  if (self->mailboxes != NULL)
    fill_mailboxes (self);
  apply_query (self);
}

MwPagedModel *
mw_mail_page_get_model (MwMailPage *self)
{
  g_return_val_if_fail (MW_IS_MAIL_PAGE (self), NULL);

  return self->model;
}

gboolean
mw_mail_page_is_busy (MwMailPage *self)
{
  g_return_val_if_fail (MW_IS_MAIL_PAGE (self), FALSE);

  return self->jobs > 0 || mw_paged_model_is_busy (self->model);
}

GStrv
mw_mail_page_dup_mailboxes (MwMailPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->mailbox_rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (self->mailbox_rows->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

const char *
mw_mail_page_get_note (MwMailPage *self)
{
  return self->note;
}

const char *
mw_mail_page_get_toast (MwMailPage *self)
{
  return self->last_toast;
}

const char *
mw_mail_page_get_error (MwMailPage *self)
{
  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

void
mw_mail_page_select (MwMailPage  *self,
                     const guint *positions,
                     guint        n)
{
  g_autoptr(GtkBitset) set = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;

  for (guint i = 0; i < n; i++)
    gtk_bitset_add (set, positions[i]);
  mask = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (self->model)));
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), set, mask);
}

static void
mw_mail_page_dispose (GObject *object)
{
  MwMailPage *self = MW_MAIL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_handle_id (&self->search_timeout, g_source_remove);
  /* The leaflet is both AdwBin's child and a template child: AdwBin lets
   * go of it first, so that it is unparented once. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_MAIL_PAGE);

  G_OBJECT_CLASS (mw_mail_page_parent_class)->dispose (object);
}

static void
mw_mail_page_finalize (GObject *object)
{
  MwMailPage *self = MW_MAIL_PAGE (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->mailboxes, g_ptr_array_unref);
  g_clear_pointer (&self->mailbox_rows, g_ptr_array_unref);
  g_clear_pointer (&self->hit_rows, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_free (self->account);
  g_free (self->mailbox);
  g_free (self->search);
  g_free (self->note);
  g_free (self->last_toast);

  G_OBJECT_CLASS (mw_mail_page_parent_class)->finalize (object);
}

static void
mw_mail_page_class_init (MwMailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_mail_page_dispose;
  object_class->finalize = mw_mail_page_finalize;

  g_type_ensure (MW_TYPE_BUSY_INDICATOR);
  g_type_ensure (MW_TYPE_MAIL_SINGLE_STOP);
  g_type_ensure (MW_TYPE_MAIL_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-mail-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, messages_box);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, folded_bar);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, mailbox_title);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, table_stack);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, undelete_all_button);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, mailbox_list);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, note_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, hits_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, hits_label);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, hits_progress);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, hits_list);
  gtk_widget_class_bind_template_child (widget_class, MwMailPage, column_view);

  gtk_widget_class_install_action (widget_class, "mail.show-mailboxes", NULL, show_mailboxes_action);

  _mw_mail_page_changes_class_init (widget_class);
  _mw_mail_page_search_class_init (widget_class);
}

static void
mw_mail_page_init (MwMailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->mailbox_rows = g_ptr_array_new ();
  self->hit_rows = g_ptr_array_new ();
  self->state = MW_MESSAGE_STATE_VISIBLE;

  _mw_mail_page_add_columns (self);
  /* The table's inner list (GTK's own widget) is read by a screen reader too. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Messages"), -1);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_column_view_activate_cb), self);
  g_signal_connect (self->mailbox_list, "row-selected", G_CALLBACK (on_mailbox_selected_cb), self);
  g_signal_connect (self->mailbox_list, "row-activated", G_CALLBACK (on_mailbox_activated_cb), self);
  g_signal_connect (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed_cb), self);
  /* Narrow, the messages come first; the back button leads to the mailboxes. */
  adw_leaflet_set_visible_child (self->leaflet, self->messages_box);
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    /* Managed: the window runs it wherever its focus is. */
    gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                                                            gtk_callback_action_new (on_find_shortcut_cb, NULL, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect (self->state_dropdown, "notify::selected", G_CALLBACK (on_state_changed_cb), self);
  g_signal_connect (self->field_dropdown, "notify::selected", G_CALLBACK (on_order_changed_cb), self);
  g_signal_connect (self->sort_dropdown, "notify::selected", G_CALLBACK (on_order_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.stop-search", FALSE);
}
