/* mw-mail-page-private.h: what the files of the mail page share.
 *
 * mw-mail-page.c holds the widget, its mailboxes and its message list;
 * mw-mail-page-columns.c the list's cells, mw-mail-page-changes.c delete and
 * undelete, mw-mail-page-search.c the body search.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-busy-indicator.h"
#include "mw-mail-page.h"

G_BEGIN_DECLS

struct _MwMailPage
{
  AdwBin              parent_instance;

  MwSession          *session;
  MwMailStore        *store;          /* the session's */
  char               *account;        /* the account's key */
  GCancellable       *cancellable;
  GCancellable       *search_cancellable;
  MwPagedModel       *model;
  GtkMultiSelection  *selection;
  GPtrArray          *mailboxes;      /* MwMailbox */
  GPtrArray          *mailbox_rows;   /* GtkWidget, parallel to the list's rows */
  GPtrArray          *hit_rows;
  char               *mailbox;        /* a mailbox's key; NULL: every own mailbox */
  MwMessageState      state;
  char               *search;
  guint               jobs;
  guint               search_timeout;
  gboolean            started;
  gboolean            filling;
  gboolean            foreign;        /* the mailbox shown is another account's */
  guint               n_hits;
  char               *note;
  char               *last_toast;     /* for tests */

  /* Template widgets */
  AdwLeaflet         *leaflet;
  GtkWidget          *messages_box;
  GtkWidget          *folded_bar;
  GtkLabel           *mailbox_title;
  GtkStack           *table_stack;
  AdwStatusPage      *empty_page;
  GtkWidget          *undelete_all_button;
  GtkListBox         *mailbox_list;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *state_dropdown;
  GtkDropDown        *field_dropdown;
  GtkDropDown        *sort_dropdown;
  MwBusyIndicator    *spinner;
  GtkLabel           *count_label;
  GtkRevealer        *note_revealer;
  GtkLabel           *note_label;
  GtkRevealer        *error_revealer;
  GtkLabel           *error_label;
  GtkRevealer        *hits_revealer;
  GtkLabel           *hits_label;
  GtkProgressBar     *hits_progress;
  GtkListBox         *hits_list;
  GtkColumnView      *column_view;
};

/* Columns hidden while narrow (folded). */
#define MW_MAIL_PAGE_STATE_COLUMN 0
#define MW_MAIL_PAGE_SIZE_COLUMN 4
#define MW_MAIL_PAGE_FLAGS_COLUMN 5
/* The column that shows each message's mailbox: only with every mailbox. */
#define MW_MAIL_PAGE_MAILBOX_COLUMN 6

/* mw-mail-page.c */
gboolean   _mw_mail_page_hide_bodies   (void);
gboolean   _mw_mail_page_is_cancelled  (const GError *error);
void       _mw_mail_page_show_error    (MwMailPage *self, const char *message);
void       _mw_mail_page_update_busy   (MwMailPage *self);
/* deleted: the message is deleted (the window offers Undelete when the
 * shown mailbox is the account's own). */
GtkWindow *_mw_mail_page_open          (MwMailPage *self, const char *message_key, gint64 number,
                                        gboolean deleted);

/* mw-mail-page-columns.c */
void       _mw_mail_page_add_columns   (MwMailPage *self);
/* What a screen reader reads for a row ("Hello, from Bob, 2025-12-01 10:00,
 * Deleted, Seen"): GTK 4.8 tables have no column headers for it. */
char      *_mw_mail_page_describe_row  (const MwMessageRow *row);

/* mw-mail-page-changes.c */
void       _mw_mail_page_changes_class_init (GtkWidgetClass *widget_class);

/* mw-mail-page-search.c */
void       _mw_mail_page_search_class_init  (GtkWidgetClass *widget_class);

G_END_DECLS
