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
#include "mw-format.h"
#include "mw-mail-page-private.h"
#include "mw-message-window.h"

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
G_STATIC_ASSERT (COL_STATE == MW_MAIL_PAGE_STATE_COLUMN);
G_STATIC_ASSERT (COL_SIZE == MW_MAIL_PAGE_SIZE_COLUMN);
G_STATIC_ASSERT (COL_FLAGS == MW_MAIL_PAGE_FLAGS_COLUMN);

/* Widths in characters: a narrow window scrolls the table sideways rather
 * than cutting a date to "202…". */
static const struct
{
  const char *title;
  gboolean    expand;
  int         min_chars;
  int         nat_chars;
} columns[] = {
  [COL_STATE] = { N_("State"), FALSE, 8, 13 },
  [COL_SENDER] = { N_("From"), TRUE, 10, 24 },
  [COL_SUBJECT] = { N_("Subject"), TRUE, 12, 24 },
  [COL_DATE] = { N_("Date"), FALSE, 17, 17 },
  [COL_SIZE] = { N_("Size"), FALSE, 10, 10 },
  [COL_FLAGS] = { N_("Flags"), FALSE, 8, 15 },
  [COL_MAILBOX] = { N_("Mailbox"), FALSE, 8, 12 },
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

/* IMAP system flags, their words and the letters mail clients show. */
static const struct
{
  MwMessageFlags  flag;
  const char     *letter;
  const char     *imap;
  const char     *word;
} flag_names[] = {
  { MW_MESSAGE_FLAG_SEEN, "S", "\\Seen", NC_("message flag", "Seen") },
  { MW_MESSAGE_FLAG_ANSWERED, "A", "\\Answered", NC_("message flag", "Answered") },
  { MW_MESSAGE_FLAG_FLAGGED, "F", "\\Flagged", NC_("message flag", "Flagged") },
  /* Translators: the IMAP flag \Deleted: a mail program marked it, the next expunge removes it */
  { MW_MESSAGE_FLAG_DELETED, "D", "\\Deleted", NC_("message flag", "Marked for deletion") },
  { MW_MESSAGE_FLAG_DRAFT, "T", "\\Draft", NC_("message flag", "Draft") },
};

/* "Seen, Answered" and then the keywords; "" for none. */
static char *
flags_text (const MwMessageRow *row)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (row->flags & flag_names[i].flag)
      {
        if (s->len > 0)
          /* Translators: between two message flags: "Seen, Answered" */
          g_string_append (s, C_("message flags", ", "));
        g_string_append (s, g_dpgettext2 (GETTEXT_PACKAGE, "message flag", flag_names[i].word));
      }
  if (row->keywords != NULL && row->keywords[0] != '\0')
    {
      if (s->len > 0)
        g_string_append (s, C_("message flags", ", "));
      g_string_append (s, row->keywords);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The stored flags as IMAP names them and as the letters of mail clients:
 * "\Seen \Answered (SA)". NULL for none. */
static char *
flags_tooltip (const MwMessageRow *row)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) letters = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (row->flags & flag_names[i].flag)
      {
        g_string_append_printf (names, "%s%s", names->len > 0 ? " " : "", flag_names[i].imap);
        g_string_append (letters, flag_names[i].letter);
      }
  if (row->keywords != NULL && row->keywords[0] != '\0')
    g_string_append_printf (names, "%s%s", names->len > 0 ? " " : "", row->keywords);
  if (names->len == 0)
    return NULL;
  if (letters->len == 0)
    return g_strdup (names->str);
  /* Translators: a message's IMAP flags as stored, then the letters mail programs show: "\Seen \Answered (SA)" */
  return g_strdup_printf (_("%s (%s)"), names->str, letters->str);
}

static char *
sender_text (const MwMessageRow *row)
{
  g_autofree char *list = mw_address_list_for_display (row->sender);

  return mw_message_window_format_addresses (list);
}

char *
_mw_mail_page_describe_row (const MwMessageRow *row)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *sender = sender_text (row);
  g_autofree char *status = status_text (row->status);
  g_autofree char *flags = flags_text (row);

  g_string_append (s, row->subject != NULL && row->subject[0] != '\0' ? row->subject : _("(no subject)"));
  if (sender[0] != '\0')
    {
      g_string_append (s, ", ");
      /* Translators: part of a message row as a screen reader reads it: "Hello, from Bob <bob@example.org>, ..." */
      g_string_append_printf (s, _("from %s"), sender);
    }
  if (row->date != NULL)
    {
      g_autofree char *date = mw_format_date_time (row->date);

      g_string_append_printf (s, ", %s", date);
    }
  g_string_append_printf (s, ", %s", status);
  if (flags[0] != '\0')
    g_string_append_printf (s, ", %s", flags);
  return g_string_free (g_steal_pointer (&s), FALSE);
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
      return sender_text (row);
    case COL_SUBJECT:
      return g_strdup (row->subject);
    case COL_DATE:
      return row->date != NULL ? mw_format_date_time (row->date) : g_strdup ("");
    case COL_SIZE:
      return g_format_size_full ((guint64) row->size, G_FORMAT_SIZE_IEC_UNITS);
    case COL_FLAGS:
      return flags_text (row);
    case COL_MAILBOX:
      return row->mailbox != NULL ? mw_imap_utf7_decode (row->mailbox) : g_strdup ("");
    default:
      return g_strdup ("");
    }
}

/* The row widget GTK made for the cell (GTK 4.8 has no API for it: 4.12's
 * GtkColumnViewRow), found by its role. */
static GtkWidget *
find_row_widget (GtkWidget *cell)
{
  for (GtkWidget *w = cell; w != NULL; w = gtk_widget_get_parent (w))
    if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w)) == GTK_ACCESSIBLE_ROLE_ROW)
      return w;
  return NULL;
}

static void
update_cell (MwMailPage  *self,
             GtkListItem *item)
{
  MwRecord *record = gtk_list_item_get_item (item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "mw-column"));
  GtkWidget *label = gtk_list_item_get_child (item);
  g_auto(MwMessageRow) row = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  gboolean loaded = record != NULL && mw_record_get_loaded (record);

  if (loaded)
    {
      mw_mail_store_read_row (self->store, record, &row);
      text = row_text (&row, column);
      if (column == COL_FLAGS)
        tooltip = flags_tooltip (&row);
    }
  gtk_inscription_set_text (GTK_INSCRIPTION (label), text != NULL ? text : "");
  if (column == COL_FLAGS)
    gtk_widget_set_tooltip_text (label, tooltip);
  if (column == COL_SUBJECT)
    {
      GtkWidget *row_widget = find_row_widget (label);
      g_autofree char *name = loaded ? _mw_mail_page_describe_row (&row) : g_strdup (_("Loading…"));

      if (row_widget != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (row_widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
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

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), columns[column].min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), columns[column].nat_chars);
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
