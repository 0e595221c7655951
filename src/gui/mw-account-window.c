/* mw-account-window.c: one user account: overview, aliases, forwards, mailboxes.
 *
 * Read-only for now; the rows are laid out so that editing adds controls to
 * them, not another window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window.h"
#include "mw-imap-utf7.h"

struct _MwAccountWindow
{
  AdwWindow             parent_instance;

  MwSession            *session;
  gint64                user_idnr;
  MwAccount            *account;
  GCancellable         *cancellable;
  gboolean              loading;
  GHashTable           *values;        /* field -> GtkLabel */
  GHashTable           *group_rows;    /* group name -> GPtrArray of rows we added */

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  AdwActionRow         *name_row;
  AdwActionRow         *number_row;
  AdwActionRow         *group_row;
  AdwActionRow         *quota_row;
  AdwActionRow         *login_row;
  AdwActionRow         *hash_row;
  AdwActionRow         *enabled_row;
  GtkLevelBar          *quota_bar;
  AdwPreferencesGroup  *aliases_group;
  AdwPreferencesGroup  *forwards_group;
  AdwPreferencesGroup  *mailboxes_group;
};

G_DEFINE_FINAL_TYPE (MwAccountWindow, mw_account_window, ADW_TYPE_WINDOW)

static void
add_value_label (MwAccountWindow *self,
                 AdwActionRow    *row,
                 const char      *field)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (row, label);
  g_hash_table_insert (self->values, g_strdup (field), label);
}

static void
set_value (MwAccountWindow *self,
           const char      *field,
           const char      *value)
{
  gtk_label_set_text (g_hash_table_lookup (self->values, field), value);
}

static void
clear_group (MwAccountWindow     *self,
             const char          *name,
             AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_hash_table_lookup (self->group_rows, name);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_hash_table_replace (self->group_rows, g_strdup (name), g_ptr_array_new ());
}

static void
add_row (MwAccountWindow     *self,
         const char          *name,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         const char          *suffix)
{
  GtkWidget *row = adw_action_row_new ();
  GPtrArray *rows = g_hash_table_lookup (self->group_rows, name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (suffix != NULL)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  /* Keep the title text findable for tests and screen readers. */
  g_object_set_data_full (G_OBJECT (row), "mw-text",
                          g_strjoin (" | ", title, subtitle != NULL ? subtitle : "", suffix != NULL ? suffix : "", NULL),
                          g_free);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

static char *
format_size (gint64 bytes)
{
  return g_format_size_full ((guint64) bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
show_account (MwAccountWindow *self)
{
  MwAccount *a = self->account;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, a->user_idnr);
  g_autofree char *group = g_strdup_printf ("%" G_GINT64_FORMAT, a->client_idnr);
  g_autofree char *used = format_size (a->curmail_size);
  g_autofree char *quota = NULL;
  g_autofree char *login = NULL;

  adw_window_title_set_title (self->window_title, a->userid);
  /* Translators: subtitle of an account window: "User 42" */
  {
    g_autofree char *sub = g_strdup_printf (_("User %s"), number);
    adw_window_title_set_subtitle (self->window_title, sub);
  }
  gtk_window_set_title (GTK_WINDOW (self), a->userid);

  set_value (self, "name", a->userid);
  set_value (self, "number", number);
  set_value (self, "group", group);

  if (a->maxmail_size > 0)
    {
      g_autofree char *max = format_size (a->maxmail_size);
      double fraction = (double) a->curmail_size / (double) a->maxmail_size;

      if (a->curmail_size > 0 && fraction < 0.01)
        /* Translators: quota use below one percent: "3.8 KiB of 10.0 MiB (<1%)" */
        quota = g_strdup_printf (_("%s of %s (<1%%)"), used, max);
      else
        /* Translators: quota use: "3.8 KiB of 10.0 MiB (12%)" */
        quota = g_strdup_printf (_("%s of %s (%.0f%%)"), used, max, fraction * 100.0);
      gtk_level_bar_set_value (self->quota_bar, MIN (fraction, 1.0));
      gtk_widget_set_visible (GTK_WIDGET (self->quota_bar), TRUE);
    }
  else
    {
      /* Translators: quota use without a limit: "3.8 KiB, no limit" */
      quota = g_strdup_printf (_("%s, no limit"), used);
      gtk_widget_set_visible (GTK_WIDGET (self->quota_bar), FALSE);
    }
  set_value (self, "quota", quota);

  if (a->last_login == NULL || g_date_time_get_year (a->last_login) <= 1979)
    login = g_strdup (C_("last login", "Never"));
  else
    login = g_date_time_format (a->last_login, "%x %H:%M");
  set_value (self, "login", login);
  set_value (self, "hash", a->encryption_type[0] != '\0' ? a->encryption_type : _("plain text"));
  set_value (self, "enabled", a->active ? _("Allowed") : _("Disabled"));

  clear_group (self, "aliases", self->aliases_group);
  for (guint i = 0; i < a->aliases->len; i++)
    {
      MwAccountAlias *al = g_ptr_array_index (a->aliases, i);
      gboolean catch_all = al->alias[0] == '@' || g_str_has_suffix (al->alias, "@");

      add_row (self, "aliases", self->aliases_group, al->alias, catch_all ? _("Catch-all") : NULL, NULL);
    }
  if (a->aliases->len == 0)
    add_row (self, "aliases", self->aliases_group, _("No aliases"), _("Mail reaches this account only by its login name."), NULL);

  clear_group (self, "forwards", self->forwards_group);
  for (guint i = 0; i < a->forwards->len; i++)
    {
      MwAccountForward *f = g_ptr_array_index (a->forwards, i);
      g_autofree char *title = NULL;

      if (f->target[0] == '|' || f->target[0] == '!')
        /* Translators: a forward into a program */
        title = g_strdup_printf (_("%s (program)"), f->target);
      else
        title = g_strdup (f->target);
      /* Translators: where a forward hangs off: "from sales@example.com" */
      {
        g_autofree char *from = g_strdup_printf (_("from %s"), f->alias);
        add_row (self, "forwards", self->forwards_group, title, from, NULL);
      }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->forwards_group), a->forwards->len > 0);

  clear_group (self, "mailboxes", self->mailboxes_group);
  for (guint i = 0; i < a->mailboxes->len; i++)
    {
      MwAccountMailbox *m = g_ptr_array_index (a->mailboxes, i);
      g_autofree char *name = mw_imap_utf7_decode (m->name);
      g_autofree char *size = format_size (m->visible_bytes);
      g_autofree char *counts = NULL;
      g_autofree char *deleted = NULL;

      g_autofree char *n_visible = g_strdup_printf ("%" G_GINT64_FORMAT, m->visible_count);

      /* Translators: "12 messages, 3.4 MiB" */
      counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s message, %s", "%s messages, %s",
                                             (gulong) m->visible_count),
                                n_visible, size);
      if (m->deleted_count > 0)
        {
          g_autofree char *dsize = format_size (m->deleted_bytes);

          g_autofree char *n_deleted = g_strdup_printf ("%" G_GINT64_FORMAT, m->deleted_count);

          /* Translators: "2 deleted, not yet purged (1.2 KiB)" */
          deleted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s deleted, not yet purged (%s)",
                                                  "%s deleted, not yet purged (%s)", (gulong) m->deleted_count),
                                     n_deleted, dsize);
        }
      add_row (self, "mailboxes", self->mailboxes_group, name, deleted, counts);
    }
  if (a->mailboxes->len == 0)
    add_row (self, "mailboxes", self->mailboxes_group, _("No mailboxes"),
             _("DBMail creates the INBOX at the first delivery."), NULL);

  gtk_stack_set_visible_child_name (self->stack, "account");
}

static gpointer
load_job (MwDb         *db,
          gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  return mw_dbmail_get_account (db, *(gint64 *) data, cancellable, error);
}

static void
on_account_loaded_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwAccountWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwAccount *account;

  account = mw_db_pool_run_finish (mw_session_get_pool (self->session), res, &error);
  if (g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (account == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->account, mw_account_free);
  self->account = account;
  show_account (self);
}

static void
reload (MwAccountWindow *self)
{
  self->loading = TRUE;
  if (self->account == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  mw_db_pool_run_async (mw_session_get_pool (self->session), load_job,
                        g_memdup2 (&self->user_idnr, sizeof self->user_idnr), g_free,
                        (GDestroyNotify) mw_account_free, self->cancellable, on_account_loaded_cb,
                        g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  reload (MW_ACCOUNT_WINDOW (widget));
}

MwAccountWindow *
mw_account_window_new (MwSession *session,
                       gint64     user_idnr)
{
  MwAccountWindow *self = g_object_new (MW_TYPE_ACCOUNT_WINDOW, NULL);

  self->session = g_object_ref (session);
  self->user_idnr = user_idnr;
  reload (self);
  return self;
}

gint64
mw_account_window_get_user_idnr (MwAccountWindow *self)
{
  return self->user_idnr;
}

const MwAccount *
mw_account_window_get_account (MwAccountWindow *self)
{
  return self->account;
}

gboolean
mw_account_window_is_loading (MwAccountWindow *self)
{
  return self->loading;
}

const char *
mw_account_window_get_value (MwAccountWindow *self,
                             const char      *field)
{
  GtkLabel *label = g_hash_table_lookup (self->values, field);

  return label != NULL ? gtk_label_get_text (label) : NULL;
}

GStrv
mw_account_window_dup_rows (MwAccountWindow *self,
                            const char      *group)
{
  GPtrArray *rows = g_hash_table_lookup (self->group_rows, group);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (rows->pdata[i], "mw-text"));
  return g_strv_builder_end (builder);
}

static void
mw_account_window_dispose (GObject *object)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_WINDOW);

  G_OBJECT_CLASS (mw_account_window_parent_class)->dispose (object);
}

static void
mw_account_window_finalize (GObject *object)
{
  MwAccountWindow *self = MW_ACCOUNT_WINDOW (object);

  g_clear_pointer (&self->account, mw_account_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->group_rows, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mw_account_window_parent_class)->finalize (object);
}

static void
mw_account_window_class_init (MwAccountWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_account_window_dispose;
  object_class->finalize = mw_account_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-account-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, number_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, group_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, hash_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, enabled_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, quota_bar);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, aliases_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, forwards_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountWindow, mailboxes_group);

  gtk_widget_class_install_action (widget_class, "account.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "account.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_account_window_init (MwAccountWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->group_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  add_value_label (self, self->name_row, "name");
  add_value_label (self, self->number_row, "number");
  add_value_label (self, self->group_row, "group");
  add_value_label (self, self->quota_row, "quota");
  add_value_label (self, self->login_row, "login");
  add_value_label (self, self->hash_row, "hash");
  add_value_label (self, self->enabled_row, "enabled");
}
