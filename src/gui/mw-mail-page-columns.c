/* mw-mail-page-columns.c: the mail page's message list: its columns and what each cell shows.
 *
 * A row is a record of the mail store's message query, read in mail terms
 * (MwMessageRow) by mw_mail_store_read_row; a row still loading is blank.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-mail-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mailwarden-core.h"
#include "mw-mail-page-private.h"

typedef enum
{
  COL_STATE,
  COL_SENDER,
  COL_SUBJECT,
  COL_DATE,
  COL_SIZE,
  COL_FLAGS,
  COL_MAILBOX,
} Column;

G_STATIC_ASSERT (COL_MAILBOX == MW_MAIL_PAGE_MAILBOX_COLUMN);

static const struct
{
  const char *title;
  gboolean    expand;
} columns[] = {
  [COL_STATE] = { N_("State"), FALSE },
  [COL_SENDER] = { N_("From"), TRUE },
  [COL_SUBJECT] = { N_("Subject"), TRUE },
  [COL_DATE] = { N_("Date"), FALSE },
  [COL_SIZE] = { N_("Size"), FALSE },
  [COL_FLAGS] = { N_("Flags"), FALSE },
  [COL_MAILBOX] = { N_("Mailbox"), FALSE },
};

static char *
status_text (MwMessageStatus status)
{
  switch (status)
    {
    case MW_MESSAGE_VISIBLE: return g_strdup (C_("message state", "New"));
    case MW_MESSAGE_SEEN_BY_POP: return g_strdup (C_("message state", "Seen by POP"));
    case MW_MESSAGE_DELETED: return g_strdup (C_("message state", "Deleted"));
    case MW_MESSAGE_PURGE_PENDING: return g_strdup (C_("message state", "Purge pending"));
    default: return g_strdup ("?");
    }
}

static char *
row_text (const MwMessageRow *row,
          Column              column)
{
  switch (column)
    {
    case COL_STATE:
      return status_text (row->status);
    case COL_SENDER:
      return mw_address_list_for_display (row->sender);
    case COL_SUBJECT:
      return g_strdup (row->subject);
    case COL_DATE:
      return row->date != NULL ? g_date_time_format (row->date, "%Y-%m-%d %H:%M") : g_strdup ("");
    case COL_SIZE:
      return g_format_size_full ((guint64) row->size, G_FORMAT_SIZE_IEC_UNITS);
    case COL_FLAGS:
      {
        GString *s = g_string_new (NULL);

        /* IMAP system flags as the letters mail clients show, then keywords. */
        if (row->flags & MW_MESSAGE_FLAG_SEEN)
          g_string_append (s, "S");
        if (row->flags & MW_MESSAGE_FLAG_ANSWERED)
          g_string_append (s, "A");
        if (row->flags & MW_MESSAGE_FLAG_FLAGGED)
          g_string_append (s, "F");
        if (row->flags & MW_MESSAGE_FLAG_DELETED)
          g_string_append (s, "D");
        if (row->flags & MW_MESSAGE_FLAG_DRAFT)
          g_string_append (s, "T");
        if (row->keywords != NULL && row->keywords[0] != '\0')
          g_string_append_printf (s, " %s", row->keywords);
        return g_string_free (s, FALSE);
      }
    case COL_MAILBOX:
      return row->mailbox != NULL ? mw_imap_utf7_decode (row->mailbox) : g_strdup ("");
    default:
      return g_strdup ("");
    }
}

static char *
cell_text (MwMailPage *self,
           MwRecord   *record,
           Column      column)
{
  g_auto(MwMessageRow) row = { 0 };

  if (record == NULL || !mw_record_get_loaded (record))
    return g_strdup ("");
  mw_mail_store_read_row (self->store, record, &row);
  return row_text (&row, column);
}

static void
update_cell (MwMailPage  *self,
             GtkListItem *item)
{
  MwRecord *record = gtk_list_item_get_item (item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "mw-column"));
  g_autofree char *text = cell_text (self, record, column);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

static void
on_record_loaded_cb (MwRecord    *record,
                     GParamSpec  *pspec,
                     GtkListItem *item)
{
  MwMailPage *self = g_object_get_data (G_OBJECT (item), "mw-page");

  if (gtk_list_item_get_item (item) == record && self != NULL)
    update_cell (self, item);
}

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             MwMailPage               *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "mw-column"));
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 4);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), columns[column].expand ? 24
                                                        : column == COL_DATE ? 16 : column == COL_STATE ? 13 : 10);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (column == COL_SIZE)
    {
      gtk_inscription_set_xalign (GTK_INSCRIPTION (label), 1.0);
      gtk_widget_add_css_class (label, "numeric");
    }
  g_object_set_data (G_OBJECT (item), "mw-column", GINT_TO_POINTER (column));
  /* The page outlives its column view's items: it disposes the view. */
  g_object_set_data (G_OBJECT (item), "mw-page", self);
  gtk_list_item_set_child (item, label);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            MwMailPage               *self)
{
  MwRecord *record = gtk_list_item_get_item (item);

  if (!mw_record_get_loaded (record))
    g_signal_connect_object (record, "notify::loaded", G_CALLBACK (on_record_loaded_cb), item, 0);
  update_cell (self, item);
}

static void
on_unbind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              MwMailPage               *self)
{
  MwRecord *record = gtk_list_item_get_item (item);

  if (record != NULL)
    g_signal_handlers_disconnect_by_func (record, on_record_loaded_cb, item);
}

void
_mw_mail_page_add_columns (MwMailPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "mw-column", GINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_cb), self);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
}
