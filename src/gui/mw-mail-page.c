/* mw-mail-page.c: an account's mail: its mailboxes, their messages, delete and undelete.
 *
 * The message list is a lazy MwPagedModel over the core's message query,
 * sorted and filtered in SQL. Undelete and delete are one transaction each
 * on a worker (mw-dbmail-mail), and only ever touch the selected messages.
 * Body search runs on a worker and shows its hits as they are found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-mail-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-address.h"
#include "mw-busy-indicator.h"
#include "mw-application.h"
#include "mw-dbmail-mail.h"
#include "mw-imap-utf7.h"
#include "mw-mail-page.h"
#include "mw-message.h"
#include "mw-message-window.h"
#include "mw-record.h"

#define PAGE_SIZE 200

struct _MwMailPage
{
  AdwBin              parent_instance;

  MwSession          *session;
  gint64              user_idnr;
  GCancellable       *cancellable;
  GCancellable       *search_cancellable;
  MwPagedModel       *model;
  GtkMultiSelection  *selection;
  GPtrArray          *mailboxes;      /* MwMailbox */
  GPtrArray          *mailbox_rows;   /* GtkWidget, parallel to the list's rows */
  GPtrArray          *hit_rows;
  gint64              mailbox_idnr;   /* 0: every own mailbox */
  MwMessageState      state;
  char               *search;
  guint               jobs;
  guint               search_timeout;
  gboolean            started;
  gboolean            filling;
  guint               n_hits;
  char               *note;
  char               *last_toast;     /* for tests */

  /* Template widgets */
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

G_DEFINE_FINAL_TYPE (MwMailPage, mw_mail_page, ADW_TYPE_BIN)

static gboolean
hide_bodies (void)
{
  GApplication *app = g_application_get_default ();
  GSettings *settings = app != NULL && MW_IS_APPLICATION (app) ? mw_application_get_settings (MW_APPLICATION (app)) : NULL;

  return settings != NULL && g_settings_get_boolean (settings, "hide-message-bodies");
}

static void
show_error (MwMailPage *self,
            const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

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
update_busy (MwMailPage *self)
{
  gboolean busy = mw_mail_page_is_busy (self);

  mw_busy_indicator_set_busy (self->spinner, busy);
}

/* ------------------------------------------------------------------------ */
/* The message list                                                         */
/* ------------------------------------------------------------------------ */

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
cell_text (MwRecord *record,
           Column    column)
{
  if (!mw_record_get_loaded (record))
    return g_strdup ("");
  switch (column)
    {
    case COL_STATE:
      switch (mw_record_get_int64 (record, "status"))
        {
        case 0: return g_strdup (C_("message state", "New"));
        case 1: return g_strdup (C_("message state", "Seen by POP"));
        case 2: return g_strdup (C_("message state", "Deleted"));
        case 3: return g_strdup (C_("message state", "Purge pending"));
        default: return g_strdup ("?");
        }
    case COL_SENDER:
      return mw_address_list_for_display (mw_record_get_string (record, "sender"));
    case COL_SUBJECT:
      return g_strdup (mw_record_get_string (record, "subject"));
    case COL_DATE:
      {
        g_autoptr(GDateTime) when = mw_record_get_timestamp (record, "date");

        return when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M") : g_strdup ("");
      }
    case COL_SIZE:
      return g_format_size_full ((guint64) mw_record_get_int64 (record, "size"), G_FORMAT_SIZE_IEC_UNITS);
    case COL_FLAGS:
      {
        GString *s = g_string_new (NULL);
        const char *keywords = mw_record_get_string (record, "keywords");

        /* IMAP system flags as the letters mail clients show, then keywords. */
        if (mw_record_get_int64 (record, "seen_flag"))
          g_string_append (s, "S");
        if (mw_record_get_int64 (record, "answered_flag"))
          g_string_append (s, "A");
        if (mw_record_get_int64 (record, "flagged_flag"))
          g_string_append (s, "F");
        if (mw_record_get_int64 (record, "deleted_flag"))
          g_string_append (s, "D");
        if (mw_record_get_int64 (record, "draft_flag"))
          g_string_append (s, "T");
        if (keywords != NULL && keywords[0] != '\0')
          g_string_append_printf (s, " %s", keywords);
        return g_string_free (s, FALSE);
      }
    case COL_MAILBOX:
      {
        const char *stored = mw_record_get_string (record, "mailbox");

        return stored != NULL ? mw_imap_utf7_decode (stored) : g_strdup ("");
      }
    default:
      return g_strdup ("");
    }
}

static void
update_cell (GtkListItem *item)
{
  MwRecord *record = gtk_list_item_get_item (item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "mw-column"));
  g_autofree char *text = record != NULL ? cell_text (record, column) : g_strdup ("");

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

static void
on_record_loaded_cb (MwRecord    *record,
                     GParamSpec  *pspec,
                     GtkListItem *item)
{
  if (gtk_list_item_get_item (item) == record)
    update_cell (item);
}

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
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
  g_object_set_data (G_OBJECT (item), "mw-column", data);
  gtk_list_item_set_child (item, label);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  MwRecord *record = gtk_list_item_get_item (item);

  if (!mw_record_get_loaded (record))
    g_signal_connect_object (record, "notify::loaded", G_CALLBACK (on_record_loaded_cb), item, 0);
  update_cell (item);
}

static void
on_unbind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  MwRecord *record = gtk_list_item_get_item (item);

  if (record != NULL)
    g_signal_handlers_disconnect_by_func (record, on_record_loaded_cb, item);
}

static void
update_count (MwMailPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message", "%u messages", n), n);

  gtk_label_set_text (self->count_label, text);
}

static void
apply_query (MwMailPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  static const struct { MwMessageSort sort; gboolean descending; } sorts[] = {
    { MW_MESSAGE_SORT_DATE, TRUE }, { MW_MESSAGE_SORT_DATE, FALSE }, { MW_MESSAGE_SORT_SIZE, TRUE },
    { MW_MESSAGE_SORT_SENDER, FALSE }, { MW_MESSAGE_SORT_SUBJECT, FALSE },
  };
  guint sort = MIN (gtk_drop_down_get_selected (self->sort_dropdown), G_N_ELEMENTS (sorts) - 1);
  guint field = gtk_drop_down_get_selected (self->field_dropdown);
  MwMessageRequest request = {
    .user_idnr = self->user_idnr, .mailbox_idnr = self->mailbox_idnr, .state = self->state,
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

  query = mw_dbmail_messages_query (mw_session_get_driver (self->session), &request, &error);
  if (query == NULL)
    {
      show_error (self, error->message);
      return;
    }
  mw_paged_model_set_query (self->model, query);
  {
    g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (self->column_view),
                                                                   COL_MAILBOX);

    gtk_column_view_column_set_visible (column, self->mailbox_idnr == 0);
  }
}

/* ------------------------------------------------------------------------ */
/* Mailboxes and the maintenance note                                       */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray    *mailboxes;
  MwPurgeState  purge;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *l = data;

  g_clear_pointer (&l->mailboxes, g_ptr_array_unref);
  g_free (l);
}

static gpointer
load_job (MwDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  gint64 user_idnr = *(gint64 *) data;
  Loaded *l = g_new0 (Loaded, 1);

  l->mailboxes = mw_dbmail_list_mailboxes (db, user_idnr, cancellable, error);
  if (l->mailboxes == NULL || !mw_dbmail_purge_state (db, user_idnr, &l->purge, cancellable, error))
    {
      loaded_free (l);
      return NULL;
    }
  return l;
}

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

  gtk_widget_set_margin_start (box, 6 + 14 * depth);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.undelete", own);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.delete", own);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.undelete-all", own);
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
    if (self->mailbox_idnr == 0)
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
                                           ? _("Owned by __public__: read here, delete and undelete from that account")
                                           : _("Owned by other users: read here, delete and undelete from the owner's account"),
                                           0, FALSE);

          gtk_widget_add_css_class (header, "dim-label");
          gtk_list_box_append (self->mailbox_list, header);
          g_ptr_array_add (self->mailbox_rows, header);
          section = m->section;
        }
      if (m->section == MW_MAILBOX_OWN)
        for (const char *p = name; *p != '\0'; p++)
          depth += *p == '/';
      row = mailbox_row (m->section == MW_MAILBOX_OWN && last != NULL ? last + 1 : name, sub, depth, !m->no_select);
      g_object_set_data_full (G_OBJECT (row), "mw-mailbox-id", g_memdup2 (&m->mailbox_idnr, sizeof m->mailbox_idnr), g_free);
      g_object_set_data (G_OBJECT (row), "mw-mailbox-foreign", GINT_TO_POINTER (m->section != MW_MAILBOX_OWN));
      gtk_list_box_append (self->mailbox_list, row);
      g_ptr_array_add (self->mailbox_rows, row);
      if (m->mailbox_idnr == self->mailbox_idnr)
        select = GTK_LIST_BOX_ROW (row);
    }
  gtk_list_box_select_row (self->mailbox_list, select);
  update_change_actions (self, select == NULL || g_object_get_data (G_OBJECT (select), "mw-mailbox-foreign") == NULL);
  self->filling = FALSE;
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwMailPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *l = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);

  self->jobs--;
  update_busy (self);
  if (l == NULL)
    {
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->mailboxes, g_ptr_array_unref);
  self->mailboxes = g_steal_pointer (&l->mailboxes);
  fill_mailboxes (self);
  g_clear_pointer (&self->note, g_free);
  self->note = mw_purge_state_describe (&l->purge);
  gtk_label_set_text (self->note_label, self->note != NULL ? self->note : "");
  gtk_revealer_set_reveal_child (self->note_revealer, self->note != NULL);
  loaded_free (l);
}

static void
load_mailboxes (MwMailPage *self)
{
  self->jobs++;
  update_busy (self);
  mw_db_pool_run_async (mw_session_get_pool (self->session), load_job,
                        g_memdup2 (&self->user_idnr, sizeof self->user_idnr), g_free, loaded_free,
                        self->cancellable, on_loaded_cb, g_object_ref (self));
}

static void
on_mailbox_selected_cb (GtkListBox    *list,
                        GtkListBoxRow *row,
                        MwMailPage    *self)
{
  gint64 *id;

  if (self->filling || row == NULL)
    return;
  id = g_object_get_data (G_OBJECT (row), "mw-mailbox-id");
  self->mailbox_idnr = id != NULL ? *id : 0;
  update_change_actions (self, g_object_get_data (G_OBJECT (row), "mw-mailbox-foreign") == NULL);
  apply_query (self);
}

/* ------------------------------------------------------------------------ */
/* Undelete and delete                                                      */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64    user_idnr;
  char     *profile;
  GArray   *ids;          /* gint64; empty with mailbox_idnr: every deleted one there */
  gint64    mailbox_idnr;
  gboolean  deleted;
} ChangeJob;

static void
change_job_free (gpointer data)
{
  ChangeJob *job = data;

  g_free (job->profile);
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job);
}

static gpointer
change_job (MwDb         *db,
            gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  ChangeJob *job = data;
  MwAdmin admin = { .db = db, .profile = job->profile };
  MwMessageChange *out = g_new0 (MwMessageChange, 1);
  gboolean ok;

  if (job->ids->len == 0)
    ok = mw_dbmail_undelete_mailbox (&admin, job->mailbox_idnr, out, NULL, error);
  else
    ok = mw_dbmail_set_messages_deleted (&admin, job->user_idnr, (const gint64 *) (gpointer) job->ids->data,
                                         job->ids->len, job->deleted, out, NULL, error);
  if (!ok)
    {
      g_free (out);
      return NULL;
    }
  return out;
}

typedef struct
{
  MwMailPage *self;
  gboolean    deleted;
} ChangeDone;

static void
on_changed_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  ChangeDone *done = user_data;
  g_autoptr(MwMailPage) self = done->self;
  g_autoptr(GError) error = NULL;
  g_autofree MwMessageChange *change = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);
  gboolean deleted = done->deleted;

  g_free (done);
  self->jobs--;
  update_busy (self);
  if (change == NULL)
    {
      if (!g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
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
  /* The quota use and the mailbox counts moved; the list shows the new states. */
  mw_session_notify_changed (self->session, 0);
  mw_mail_page_reload (self);
}

static void
run_change (MwMailPage *self,
            GArray     *ids,
            gboolean    deleted)
{
  ChangeJob *job = g_new0 (ChangeJob, 1);
  ChangeDone *done = g_new0 (ChangeDone, 1);

  job->user_idnr = self->user_idnr;
  job->profile = g_strdup (mw_session_get_name (self->session));
  job->ids = ids;
  job->mailbox_idnr = self->mailbox_idnr;
  job->deleted = deleted;
  done->self = g_object_ref (self);
  done->deleted = deleted;
  self->jobs++;
  update_busy (self);
  mw_db_pool_run_async (mw_session_get_pool (self->session), change_job, job, change_job_free, g_free,
                        self->cancellable, on_changed_cb, done);
}

/* The loaded rows of the selection: a row still a placeholder was never seen. */
static GArray *
selected_ids (MwMailPage *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      {
        g_autoptr(MwRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);

        if (record != NULL && mw_record_get_loaded (record))
          {
            gint64 id = mw_record_get_int64 (record, "message_idnr");

            g_array_append_val (ids, id);
          }
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return ids;
}

static void
change_selection (MwMailPage *self,
                  gboolean    deleted)
{
  GArray *ids = selected_ids (self);

  if (ids->len == 0)
    {
      g_array_unref (ids);
      show_error (self, _("Select the messages first."));
      return;
    }
  run_change (self, ids, deleted);
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

  if (self->mailbox_idnr == 0)
    {
      show_error (self, _("Choose a mailbox first: this undeletes every deleted message in one mailbox."));
      return;
    }
  run_change (self, g_array_new (FALSE, FALSE, sizeof (gint64)), FALSE);
}

static void
undelete_all_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  mw_mail_page_undelete_all (MW_MAIL_PAGE (widget));
}

/* ------------------------------------------------------------------------ */
/* Body search                                                              */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64        user_idnr;
  gint64        mailbox_idnr;
  char         *needle;
  gboolean      hide_bodies;
  MwDb         *details;      /* a second connection, for the hits' headers */
  GWeakRef      page;
} SearchJob;

static void
search_job_free (gpointer data)
{
  SearchJob *job = data;

  g_free (job->needle);
  g_clear_pointer (&job->details, mw_db_close);
  g_weak_ref_clear (&job->page);
  g_free (job);
}

typedef struct
{
  GWeakRef  page;
  gint64    message_idnr;
  gint64    physmessage_id;
  char     *sender;
  char     *subject;
  guint     done, total;
  gboolean  progress;
} SearchUpdate;

static gboolean
apply_update (gpointer data)
{
  SearchUpdate *u = data;
  g_autoptr(MwMailPage) self = g_weak_ref_get (&u->page);

  if (self != NULL && u->progress)
    {
      if (u->total > 0)
        gtk_progress_bar_set_fraction (self->hits_progress, (double) u->done / u->total);
    }
  else if (self != NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *text = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), u->subject != NULL ? u->subject : "");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), u->sender != NULL ? u->sender : "");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "mw-message", g_memdup2 (&u->message_idnr, sizeof u->message_idnr), g_free);
      g_object_set_data_full (G_OBJECT (row), "mw-phys", g_memdup2 (&u->physmessage_id, sizeof u->physmessage_id), g_free);
      text = g_strdup_printf ("%" G_GINT64_FORMAT " | %s | %s", u->message_idnr, u->sender != NULL ? u->sender : "",
                              u->subject != NULL ? u->subject : "");
      g_object_set_data_full (G_OBJECT (row), "mw-text", g_steal_pointer (&text), g_free);
      gtk_list_box_append (self->hits_list, row);
      g_ptr_array_add (self->hit_rows, row);
      self->n_hits++;
      {
        g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message contains the search text",
                                                               "%u messages contain the search text", self->n_hits), self->n_hits);

        gtk_label_set_text (self->hits_label, label);
      }
    }
  g_weak_ref_clear (&u->page);
  g_free (u->sender);
  g_free (u->subject);
  g_free (u);
  return G_SOURCE_REMOVE;
}

static void
on_hit (gint64   message_idnr,
        gint64   physmessage_id,
        gpointer user_data)
{
  SearchJob *job = user_data;
  SearchUpdate *u = g_new0 (SearchUpdate, 1);
  g_autoptr(MwMessage) message = NULL;

  /* Headers only: the hit shows who sent it and what it is about. */
  if (job->details != NULL)
    message = mw_message_load (job->details, physmessage_id, MW_MESSAGE_HIDE_BODIES, NULL, NULL);
  {
    g_autoptr(GObject) page = g_weak_ref_get (&job->page);

    g_weak_ref_init (&u->page, page);
  }
  u->message_idnr = message_idnr;
  u->physmessage_id = physmessage_id;
  u->sender = message != NULL ? g_strdup (mw_message_get_from (message)) : NULL;
  u->subject = message != NULL ? g_strdup (mw_message_get_subject (message)) : NULL;
  g_idle_add (apply_update, u);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  SearchJob *job = user_data;
  SearchUpdate *u = g_new0 (SearchUpdate, 1);
  g_autoptr(GObject) page = g_weak_ref_get (&job->page);

  g_weak_ref_init (&u->page, page);
  u->progress = TRUE;
  u->done = done;
  u->total = total;
  g_idle_add (apply_update, u);
}

static gpointer
search_job (MwDb         *db,
            gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  SearchJob *job = data;

  job->details = mw_db_connect (mw_db_get_settings (db), cancellable, NULL);
  if (!mw_message_search_bodies (db, job->user_idnr, job->mailbox_idnr, job->needle,
                                 job->hide_bodies ? MW_MESSAGE_HIDE_BODIES : MW_MESSAGE_LOAD_DEFAULT,
                                 on_hit, on_progress, job, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gboolean
flush_then_finish (gpointer data)
{
  /* Queued after the last hits and progress updates: they are shown now. */
  g_autoptr(MwMailPage) self = data;

  self->jobs--;
  update_busy (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.stop-search", FALSE);
  gtk_progress_bar_set_fraction (self->hits_progress, 1.0);
  if (self->n_hits == 0)
    gtk_label_set_text (self->hits_label, _("No message contains the search text"));
  return G_SOURCE_REMOVE;
}

static void
on_searched_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(MwMailPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error) == NULL &&
      !g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
  g_idle_add (flush_then_finish, g_object_ref (self));
}

void
mw_mail_page_search_bodies (MwMailPage *self,
                            const char *text)
{
  SearchJob *job;
  g_autofree char *needle = g_strstrip (g_strdup (text != NULL ? text : ""));

  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  if (needle[0] == '\0')
    {
      show_error (self, _("Type the words to look for in the search field, then search the bodies."));
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
  show_error (self, NULL);

  job = g_new0 (SearchJob, 1);
  job->user_idnr = self->user_idnr;
  job->mailbox_idnr = self->mailbox_idnr;
  job->needle = g_steal_pointer (&needle);
  job->hide_bodies = hide_bodies ();
  g_weak_ref_init (&job->page, self);
  self->jobs++;
  update_busy (self);
  mw_db_pool_run_async (mw_session_get_pool (self->session), search_job, job, search_job_free, NULL,
                        self->search_cancellable, on_searched_cb, g_object_ref (self));
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

  for (guint i = 0; i < self->hit_rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (self->hit_rows->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

static GtkWindow *
open_message (MwMailPage *self,
              gint64      message_idnr,
              gint64      physmessage_id)
{
  GtkWindow *window = GTK_WINDOW (mw_message_window_new (self->session, message_idnr, physmessage_id, hide_bodies ()));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

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
  g_autoptr(MwRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  g_return_val_if_fail (MW_IS_MAIL_PAGE (self), NULL);

  if (record == NULL || !mw_record_get_loaded (record))
    return NULL;
  return open_message (self, mw_record_get_int64 (record, "message_idnr"), mw_record_get_int64 (record, "physmessage_id"));
}

static void
on_column_view_activate_cb (GtkColumnView *view,
                            guint          position,
                            MwMailPage    *self)
{
  mw_mail_page_open_message (self, position);
}

static void
on_hit_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     MwMailPage    *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "mw-message");
  gint64 *phys = g_object_get_data (G_OBJECT (row), "mw-phys");

  if (id != NULL && phys != NULL)
    open_message (self, *id, *phys);
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

/* ------------------------------------------------------------------------ */
/* Public                                                                   */
/* ------------------------------------------------------------------------ */

MwMailPage *
mw_mail_page_new (MwSession *session,
                  gint64     user_idnr)
{
  MwMailPage *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_MAIL_PAGE, NULL);
  self->session = g_object_ref (session);
  self->user_idnr = user_idnr;
  self->model = mw_paged_model_new (mw_session_get_pool (session), PAGE_SIZE);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
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
                   gint64      mailbox_idnr,
                   const char *state,
                   const char *search)
{
  g_return_if_fail (MW_IS_MAIL_PAGE (self));

  self->started = TRUE;
  self->mailbox_idnr = mailbox_idnr;
  self->state = g_strcmp0 (state, "deleted") == 0 ? MW_MESSAGE_STATE_DELETED
              : g_strcmp0 (state, "all") == 0 ? MW_MESSAGE_STATE_ALL : MW_MESSAGE_STATE_VISIBLE;
  g_signal_handlers_block_by_func (self->state_dropdown, on_state_changed_cb, self);
  gtk_drop_down_set_selected (self->state_dropdown, self->state == MW_MESSAGE_STATE_DELETED ? 1
                                                    : self->state == MW_MESSAGE_STATE_ALL ? 2 : 0);
  g_signal_handlers_unblock_by_func (self->state_dropdown, on_state_changed_cb, self);
  g_free (self->search);
  self->search = g_strdup (search);
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
  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-mail-page.ui");
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

  gtk_widget_class_install_action (widget_class, "mail.undelete", NULL, undelete_action);
  gtk_widget_class_install_action (widget_class, "mail.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "mail.undelete-all", NULL, undelete_all_action);
  gtk_widget_class_install_action (widget_class, "mail.search-bodies", NULL, search_bodies_action);
  gtk_widget_class_install_action (widget_class, "mail.stop-search", NULL, stop_search_action);
  gtk_widget_class_install_action (widget_class, "mail.close-hits", NULL, close_hits_action);
}

static void
mw_mail_page_init (MwMailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->mailbox_rows = g_ptr_array_new ();
  self->hit_rows = g_ptr_array_new ();
  self->state = MW_MESSAGE_STATE_VISIBLE;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_cb), GINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_column_view_activate_cb), self);
  g_signal_connect (self->mailbox_list, "row-selected", G_CALLBACK (on_mailbox_selected_cb), self);
  g_signal_connect (self->hits_list, "row-activated", G_CALLBACK (on_hit_activated_cb), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect (self->state_dropdown, "notify::selected", G_CALLBACK (on_state_changed_cb), self);
  g_signal_connect (self->field_dropdown, "notify::selected", G_CALLBACK (on_order_changed_cb), self);
  g_signal_connect (self->sort_dropdown, "notify::selected", G_CALLBACK (on_order_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mail.stop-search", FALSE);
}
