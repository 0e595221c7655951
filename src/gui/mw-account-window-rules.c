/* mw-account-window-rules.c: the Rules tab of an account window.
 *
 * Shown where the flavour keeps Sieve scripts or server-side filters
 * (mw_schema_has_sieve (), mw_schema_has_filters (): DBMail). Three groups:
 * the user's Sieve scripts (name, size, the active one marked; each row's
 * menu views, activates or deactivates, deletes; Upload… adds or replaces a
 * script from a file, the vacation editor writes the script "vacation"),
 * the user's filters (header, value, folder; Add Filter…, Delete), and the
 * filters of everyone (`anyone`), read only, which apply to this user too.
 * Everything is read on a worker the first time the tab is shown and after
 * each change. Every script goes through the core, which compiles it with
 * the Sieve compiler first: a refusal shows the compiler's message and
 * nothing is stored. Each change offers Undo in a toast with what the core
 * returned (a deleted script with its text, the script a new one replaced,
 * the one that was active, a deleted filter).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-account-window"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-account-window-private.h"
#include "mw-a11y.h"
#include "mw-account-window-rules.h"
#include "mw-dialog-a11y.h"
#include "mw-filter-dialog.h"

/* What Undo puts back. */
typedef enum
{
  UNDO_NONE,
  UNDO_DELETE_SCRIPT,   /* name: a script that was new */
  UNDO_PUT_SCRIPT,      /* name, text, active: a script replaced or deleted */
  UNDO_ACTIVATE,        /* name: the script that was active */
  UNDO_DEACTIVATE,      /* none was active */
  UNDO_ADD_FILTER,      /* filter: a deleted filter */
  UNDO_DELETE_FILTER,   /* id: a filter that was added */
  UNDO_RENAME,          /* name: the script's new name, text: its old one */
} UndoKind;

typedef struct
{
  UndoKind  kind;
  char     *name;
  char     *text;
  gboolean  active;
  MwFilter *filter;
  gint64    id;
} Undo;

struct _MwAccountRules
{
  AdwBin                 parent_instance;

  MwSession             *session;
  char                  *account_key;
  GCancellable          *cancellable;
  MwAccountWindow       *window;        /* (weak) */
  gboolean               has_sieve;
  gboolean               has_filters;
  gboolean               loaded;
  guint                  loading;       /* reads under way */
  guint                  writing;       /* changes under way */
  char                  *load_error;
  GPtrArray             *scripts;       /* MwSieveScript, as read */
  GPtrArray             *filters;       /* MwFilter of the user */
  GPtrArray             *global;        /* MwFilter of everyone */
  GPtrArray             *new_scripts;   /* while reading */
  GPtrArray             *new_filters;
  GPtrArray             *new_global;
  GPtrArray             *rows;          /* the rows added to the groups */
  Undo                  *undo;
  char                  *last_toast;
  AdwToast              *shown_toast;
  char                  *upload_text;   /* the chosen file's text while its question is open */
  GtkFileChooserNative  *chooser;
  AdwMessageDialog      *question;      /* (weak) */
  GtkWindow             *viewer;        /* (weak) */
  GtkTextView           *viewer_text;   /* (weak) */
  MwSieveVacationDialog *vacation;      /* (weak) */

  /* Template widgets */
  GtkRevealer           *error_revealer;
  GtkLabel              *error_label;
  AdwToastOverlay       *toast_overlay;
  GtkStack              *stack;
  AdwStatusPage         *error_page;
  AdwPreferencesGroup   *scripts_group;
  AdwPreferencesGroup   *filters_group;
  AdwPreferencesGroup   *global_group;
  AdwActionRow          *no_scripts_row;
  AdwActionRow          *no_filters_row;
  AdwActionRow          *no_global_row;
  GtkButton             *vacation_button;
};

G_DEFINE_FINAL_TYPE (MwAccountRules, mw_account_rules, ADW_TYPE_BIN)

static void load (MwAccountRules *self);

static void
undo_free (Undo *undo)
{
  if (undo == NULL)
    return;
  g_free (undo->name);
  g_free (undo->text);
  g_clear_pointer (&undo->filter, mw_filter_free);
  g_free (undo);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Undo, undo_free)

static Undo *
undo_new (UndoKind kind)
{
  Undo *undo = g_new0 (Undo, 1);

  undo->kind = kind;
  return undo;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
is_busy (MwAccountRules *self)
{
  return self->loading > 0 || self->writing > 0;
}

/* The list of a preferences group without a title, read as "GtkListBox"
 * on GTK 4.8, is named @fallback (a titled group's list is read by its
 * title already). */
static void
name_group_lists (GtkWidget  *root,
                  const char *fallback)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_PREFERENCES_GROUP (c))
        {
          const char *title = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (c));

          if (title == NULL || title[0] == '\0')
            mw_dialog_a11y_name_lists (c, fallback);
        }
      else
        name_group_lists (c, fallback);
    }
}

static void
show_error (MwAccountRules *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
update_actions (MwAccountRules *self)
{
  gboolean ready = self->loaded && !is_busy (self);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "rules.reload", !is_busy (self));
  gtk_widget_action_set_enabled (widget, "rules.undo", ready && self->undo != NULL);
  gtk_widget_action_set_enabled (widget, "rules.view", ready && self->has_sieve);
  gtk_widget_action_set_enabled (widget, "rules.upload", ready && self->has_sieve);
  gtk_widget_action_set_enabled (widget, "rules.activate", ready && self->has_sieve);
  gtk_widget_action_set_enabled (widget, "rules.deactivate", ready && self->has_sieve);
  gtk_widget_action_set_enabled (widget, "rules.delete", ready && self->has_sieve);
  gtk_widget_action_set_enabled (widget, "rules.rename", ready && self->has_sieve);
  gtk_widget_action_set_enabled (widget, "rules.edit-vacation", ready && self->has_sieve);
  gtk_widget_action_set_enabled (widget, "rules.add-filter", ready && self->has_filters);
  gtk_widget_action_set_enabled (widget, "rules.delete-filter", ready && self->has_filters);
}

static const MwSieveScript *
find_script (MwAccountRules *self,
             const char     *name)
{
  for (guint i = 0; self->scripts != NULL && i < self->scripts->len; i++)
    {
      const MwSieveScript *s = g_ptr_array_index (self->scripts, i);

      if (g_strcmp0 (s->name, name) == 0)
        return s;
    }
  return NULL;
}

static const MwFilter *
find_filter (MwAccountRules *self,
             gint64          id)
{
  for (guint i = 0; self->filters != NULL && i < self->filters->len; i++)
    {
      const MwFilter *f = g_ptr_array_index (self->filters, i);

      if (f->id == id)
        return f;
    }
  return NULL;
}

/* "subject: %invoice%", how a filter is named in rows and toasts. */
static char *
filter_title (const MwFilter *f)
{
  /* Translators: a filter: a header's name and the value it must hold, "subject: %invoice%" */
  return g_strdup_printf (_("%s: %s"), f->header_name, f->header_value);
}

/* Rows */

static void
clear_rows (MwAccountRules *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
add_row (MwAccountRules      *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Names and values are the user's text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

static GMenuItem *
menu_item (const char *label,
           const char *action,
           const char *name)
{
  GMenuItem *item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, name != NULL ? g_variant_new_string (name) : NULL);
  return item;
}

static void
add_script_row (MwAccountRules      *self,
                const MwSieveScript *s)
{
  g_autofree char *size = g_format_size ((guint64) MAX (s->size, 0));
  g_autofree char *subtitle = NULL;
  g_autofree char *menu_label = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) last = g_menu_new ();
  GMenuItem *item;
  GtkWidget *row, *button;

  if (s->active)
    /* Translators: a Sieve script's row: its size, and that it is the one that runs */
    subtitle = g_strdup_printf (_("%s · active: it runs on new mail"), size);
  else
    subtitle = g_strdup (size);
  row = add_row (self, self->scripts_group, s->name, subtitle);
  /* Enter or a click on the row shows the script. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* The target first: an action named without its target warns. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (s->name));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "rules.view");
  if (s->active)
    {
      GtkWidget *mark = gtk_image_new_from_icon_name ("emblem-ok-symbolic");

      gtk_widget_add_css_class (mark, "accent");
      /* The subtitle says it in words; the mark is for the eye. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Active"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), mark);
    }

  item = menu_item (_("_View"), "rules.view", s->name);
  g_menu_append_item (menu, item);
  g_object_unref (item);
  if (g_strcmp0 (s->name, MW_SIEVE_VACATION_NAME) == 0)
    {
      item = menu_item (_("_Edit Vacation…"), "rules.edit-vacation", NULL);
      g_menu_append_item (menu, item);
      g_object_unref (item);
    }
  if (s->active)
    item = menu_item (_("_Deactivate"), "rules.deactivate", NULL);
  else
    item = menu_item (_("_Activate"), "rules.activate", s->name);
  g_menu_append_item (menu, item);
  g_object_unref (item);
  item = menu_item (_("_Rename…"), "rules.rename", s->name);
  g_menu_append_item (last, item);
  g_object_unref (item);
  item = menu_item (_("_Delete…"), "rules.delete", s->name);
  g_menu_append_item (last, item);
  g_object_unref (item);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (last));

  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: the tooltip and screen-reader name of a Sieve script's menu button; %s is its name */
  menu_label = g_strdup_printf (_("Actions for the script “%s”"), s->name);
  gtk_widget_set_tooltip_text (button, menu_label);
  /* Its inner button reads the menu button's label. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static char *
folder_subtitle (const MwFilter *f)
{
  /* Translators: where a filter files a message; %s is the folder */
  return g_strdup_printf (_("Into the folder %s"), f->mailbox);
}

static void
add_filter_row (MwAccountRules *self,
                const MwFilter *f)
{
  g_autofree char *title = filter_title (f);
  g_autofree char *subtitle = folder_subtitle (f);
  g_autofree char *label = NULL;
  GtkWidget *row, *button;

  row = add_row (self, self->filters_group, title, subtitle);
  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: the tooltip and screen-reader name of a filter's delete button; %s is "subject: %invoice%" */
  label = g_strdup_printf (_("Delete the filter %s"), title);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (f->id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "rules.delete-filter");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
}

static void
show_rules (MwAccountRules *self)
{
  gboolean has_vacation = find_script (self, MW_SIEVE_VACATION_NAME) != NULL;

  clear_rows (self);
  for (guint i = 0; self->scripts != NULL && i < self->scripts->len; i++)
    add_script_row (self, g_ptr_array_index (self->scripts, i));
  for (guint i = 0; self->filters != NULL && i < self->filters->len; i++)
    add_filter_row (self, g_ptr_array_index (self->filters, i));
  for (guint i = 0; self->global != NULL && i < self->global->len; i++)
    {
      const MwFilter *f = g_ptr_array_index (self->global, i);
      g_autofree char *title = filter_title (f);
      g_autofree char *subtitle = folder_subtitle (f);

      add_row (self, self->global_group, title, subtitle);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_scripts_row), self->scripts == NULL || self->scripts->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_filters_row), self->filters == NULL || self->filters->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_global_row), self->global == NULL || self->global->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->scripts_group), self->has_sieve);
  gtk_widget_set_visible (GTK_WIDGET (self->filters_group), self->has_filters);
  gtk_widget_set_visible (GTK_WIDGET (self->global_group), self->has_filters);
  {
    const char *label = has_vacation ? _("Edit _Vacation Script…") : _("New _Vacation Script…");
    g_autofree char *plain = mw_a11y_strip_mnemonic (label);

    gtk_button_set_label (self->vacation_button, label);
    /* GTK 4.8 names it after the new label, underscore included. */
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->vacation_button), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
  }
}

/* Loading */

static void
read_done (MwAccountRules *self,
           GError         *error)
{
  if (error != NULL && self->load_error == NULL)
    self->load_error = g_strdup (error->message);
  if (--self->loading > 0)
    return;
  if (self->load_error != NULL)
    {
      g_clear_pointer (&self->new_scripts, g_ptr_array_unref);
      g_clear_pointer (&self->new_filters, g_ptr_array_unref);
      g_clear_pointer (&self->new_global, g_ptr_array_unref);
      if (!self->loaded)
        {
          adw_status_page_set_description (self->error_page, self->load_error);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        show_error (self, self->load_error);
      g_clear_pointer (&self->load_error, g_free);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
  g_clear_pointer (&self->global, g_ptr_array_unref);
  self->scripts = g_steal_pointer (&self->new_scripts);
  self->filters = g_steal_pointer (&self->new_filters);
  self->global = g_steal_pointer (&self->new_global);
  self->loaded = TRUE;
  show_rules (self);
  gtk_stack_set_visible_child_name (self->stack, "rules");
  update_actions (self);
}

static void
on_scripts_read_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(MwAccountRules) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *scripts = mw_session_list_sieve_scripts_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  self->new_scripts = scripts;
  read_done (self, error);
}

static void
on_filters_read_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(MwAccountRules) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *filters = mw_session_list_filters_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  self->new_filters = filters;
  read_done (self, error);
}

static void
on_global_read_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwAccountRules) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *filters = mw_session_list_filters_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  self->new_global = filters;
  read_done (self, error);
}

static void
load (MwAccountRules *self)
{
  if (self->loading > 0)
    return;
  if (!self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  if (self->has_sieve)
    {
      self->loading++;
      mw_session_list_sieve_scripts_async (self->session, self->account_key, self->cancellable, on_scripts_read_cb,
                                           g_object_ref (self));
    }
  if (self->has_filters)
    {
      self->loading += 2;
      mw_session_list_filters_async (self->session, self->account_key, self->cancellable, on_filters_read_cb,
                                     g_object_ref (self));
      mw_session_list_filters_async (self->session, NULL, self->cancellable, on_global_read_cb,
                                     g_object_ref (self));
    }
  update_actions (self);
}

/* Toasts and Undo */

static void
on_toast_dismissed_cb (MwAccountRules *self,
                       AdwToast       *toast)
{
  if (self->shown_toast == toast)
    {
      g_clear_object (&self->shown_toast);
      /* Undo is offered while its toast is there. */
      g_clear_pointer (&self->undo, undo_free);
      update_actions (self);
    }
}

static void
on_toast_undo_cb (MwAccountRules *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "rules.undo", NULL);
}

static void
toast (MwAccountRules *self,
       const char     *title,
       Undo           *undo)
{
  g_autoptr(AdwToast) old = g_steal_pointer (&self->shown_toast);
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  if (old != NULL)
    adw_toast_dismiss (old);
  g_clear_pointer (&self->undo, undo_free);
  self->undo = undo;
  adw_toast_set_timeout (t, 10);
  if (undo != NULL)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      /* The signal rather than an action name: the toast is not inside the tab. */
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_toast_undo_cb), self, G_CONNECT_SWAPPED);
    }
  self->shown_toast = g_object_ref (t);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* A change under way: what its callback needs to tell about it. */
typedef struct
{
  MwAccountRules *self;
  char           *name;
  char           *title;      /* a filter's, for the toast */
  gboolean        undoing;
} Job;

static Job *
job_new (MwAccountRules *self,
         const char     *name,
         gboolean        undoing)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->name = g_strdup (name);
  job->undoing = undoing;
  self->writing++;
  show_error (self, NULL);
  update_actions (self);
  return job;
}

static void
job_free (Job *job)
{
  g_object_unref (job->self);
  g_free (job->name);
  g_free (job->title);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

/* A change is done or refused: the sentence, or the toast (with Undo),
 * and the rules read again. Takes @undo. */
static void
change_done (Job          *job,
             const GError *error,
             const char   *done,
             Undo         *undo)
{
  MwAccountRules *self = job->self;

  self->writing--;
  if (error != NULL)
    {
      undo_free (undo);
      /* The core's sentence, the Sieve compiler's message among them: nothing changed. */
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  if (job->undoing)
    {
      undo_free (undo);
      toast (self, _("The rules are as they were"), NULL);
    }
  else
    toast (self, done, undo);
  load (self);
}

/* After a put: Undo deletes a new script or puts the old text back. */
static Undo *
undo_of_put (const char          *name,
             const MwSieveScript *before)
{
  Undo *undo;

  if (before->script == NULL)
    {
      undo = undo_new (UNDO_DELETE_SCRIPT);
      undo->name = g_strdup (name);
      return undo;
    }
  undo = undo_new (UNDO_PUT_SCRIPT);
  undo->name = g_strdup (before->name != NULL ? before->name : name);
  undo->text = g_strdup (before->script);
  undo->active = before->active;
  return undo;
}

/* After activating or deactivating: Undo makes the one before active again. */
static Undo *
undo_of_active (const MwSieveScript *before)
{
  Undo *undo;

  if (before->name == NULL)
    return undo_new (UNDO_DEACTIVATE);
  undo = undo_new (UNDO_ACTIVATE);
  undo->name = g_strdup (before->name);
  return undo;
}

static void
on_put_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) before = mw_session_put_sieve_script_finish (MW_SESSION (source), res, &error);
  g_autofree char *done = NULL;

  if (is_cancelled (error))
    return;
  if (error != NULL && !job->undoing)
    {
      /* Which script, then the core's sentence (the compiler's message). */
      /* Translators: %s is a Sieve script's name, then why it was refused */
      g_autoptr(GError) refused = g_error_new (error->domain, error->code, _("“%s” was not stored. %s"), job->name,
                                               error->message);

      change_done (job, refused, NULL, NULL);
      return;
    }
  if (before != NULL && before->script == NULL)
    /* Translators: a toast; %s is a Sieve script's name */
    done = g_strdup_printf (_("Uploaded the script “%s”"), job->name);
  else
    /* Translators: a toast; %s is a Sieve script's name */
    done = g_strdup_printf (_("Replaced the script “%s”"), job->name);
  change_done (job, error, done, before != NULL ? undo_of_put (job->name, before) : NULL);
}

static void
on_activated_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) before = mw_session_activate_sieve_script_finish (MW_SESSION (source), res, &error);
  g_autofree char *done = NULL;

  if (is_cancelled (error))
    return;
  /* Translators: a toast; %s is a Sieve script's name */
  done = g_strdup_printf (_("“%s” is the active script now"), job->name);
  change_done (job, error, done, before != NULL ? undo_of_active (before) : NULL);
}

static void
on_deactivated_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) before = mw_session_deactivate_sieve_scripts_finish (MW_SESSION (source), res, &error);

  if (is_cancelled (error))
    return;
  change_done (job, error, _("No script is active now"), before != NULL ? undo_of_active (before) : NULL);
}

static void
on_script_deleted_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) before = mw_session_delete_sieve_script_finish (MW_SESSION (source), res, &error);
  g_autofree char *done = NULL;
  Undo *undo = NULL;

  if (is_cancelled (error))
    return;
  /* Translators: a toast; %s is a Sieve script's name */
  done = g_strdup_printf (_("Deleted the script “%s”"), job->name);
  if (before != NULL && before->script != NULL)
    {
      undo = undo_new (UNDO_PUT_SCRIPT);
      undo->name = g_strdup (before->name != NULL ? before->name : job->name);
      undo->text = g_strdup (before->script);
      undo->active = before->active;
    }
  change_done (job, error, done, undo);
}

static void
on_filter_deleted_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFilter) before = mw_session_delete_filter_finish (MW_SESSION (source), res, &error);
  g_autofree char *done = NULL;
  Undo *undo = NULL;

  if (is_cancelled (error))
    return;
  /* Translators: a toast; %s is a filter, "subject: %invoice%" */
  done = g_strdup_printf (_("Deleted the filter %s"), job->title);
  if (before != NULL)
    {
      undo = undo_new (UNDO_ADD_FILTER);
      undo->filter = g_steal_pointer (&before);
    }
  change_done (job, error, done, undo);
}

static void
on_script_renamed_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) before = mw_session_rename_sieve_script_finish (MW_SESSION (source), res, &error);
  g_autofree char *done = NULL;
  Undo *undo = NULL;

  if (is_cancelled (error))
    return;
  /* Translators: a toast; the first %s is a Sieve script's old name, the second its new one */
  done = g_strdup_printf (_("Renamed the script “%s” to “%s”"), before != NULL ? before->name : "", job->name);
  if (before != NULL && before->name != NULL)
    {
      undo = undo_new (UNDO_RENAME);
      undo->name = g_strdup (job->name);
      undo->text = g_strdup (before->name);
    }
  change_done (job, error, done, undo);
}

static void open_filter_dialog (MwAccountRules *self, const MwFilter *filter, const char *error);

typedef struct
{
  Job      *job;
  MwFilter *filter;   /* as typed, to ask again after a refusal */
} AddJob;

static void
on_filter_added_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  AddJob *add = user_data;
  g_autoptr(Job) job = add->job;
  g_autoptr(MwFilter) typed = add->filter;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFilter) added = mw_session_add_filter_finish (MW_SESSION (source), res, &error);
  g_autofree char *title = NULL;
  g_autofree char *done = NULL;
  Undo *undo = NULL;

  g_free (add);
  if (is_cancelled (error))
    return;
  if (added == NULL && !job->undoing)
    {
      /* Asked again with what was typed and the core's sentence. */
      job->self->writing--;
      update_actions (job->self);
      open_filter_dialog (job->self, typed, error->message);
      return;
    }
  if (added != NULL)
    {
      title = filter_title (added);
      /* Translators: a toast; %s is a filter, "subject: %invoice%" */
      done = g_strdup_printf (_("Added the filter %s"), title);
      undo = undo_new (UNDO_DELETE_FILTER);
      undo->id = added->id;
    }
  change_done (job, error, done, undo);
}

static void
start_add_filter (MwAccountRules *self,
                  const MwFilter *filter,
                  gboolean        undoing)
{
  AddJob *add = g_new0 (AddJob, 1);

  add->job = job_new (self, NULL, undoing);
  add->filter = mw_filter_copy (filter);
  mw_session_add_filter_async (self->session, self->account_key, filter, FALSE, self->cancellable,
                               on_filter_added_cb, add);
}

static void
start_put (MwAccountRules *self,
           const char     *name,
           const char     *text,
           gboolean        activate,
           gboolean        undoing)
{
  mw_session_put_sieve_script_async (self->session, self->account_key, name, text, activate, FALSE,
                                     self->cancellable, on_put_cb, job_new (self, name, undoing));
}

static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);
  g_autoptr(Undo) undo = g_steal_pointer (&self->undo);

  if (undo == NULL || is_busy (self))
    return;
  if (self->shown_toast != NULL)
    adw_toast_dismiss (self->shown_toast);
  switch (undo->kind)
    {
    case UNDO_DELETE_SCRIPT:
      mw_session_delete_sieve_script_async (self->session, self->account_key, undo->name, FALSE, self->cancellable,
                                            on_script_deleted_cb, job_new (self, undo->name, TRUE));
      break;
    case UNDO_PUT_SCRIPT:
      start_put (self, undo->name, undo->text, undo->active, TRUE);
      break;
    case UNDO_ACTIVATE:
      mw_session_activate_sieve_script_async (self->session, self->account_key, undo->name, FALSE, self->cancellable,
                                              on_activated_cb, job_new (self, undo->name, TRUE));
      break;
    case UNDO_DEACTIVATE:
      mw_session_deactivate_sieve_scripts_async (self->session, self->account_key, FALSE, self->cancellable,
                                                 on_deactivated_cb, job_new (self, NULL, TRUE));
      break;
    case UNDO_ADD_FILTER:
      start_add_filter (self, undo->filter, TRUE);
      break;
    case UNDO_DELETE_FILTER:
      mw_session_delete_filter_async (self->session, undo->id, FALSE, self->cancellable, on_filter_deleted_cb,
                                      job_new (self, NULL, TRUE));
      break;
    case UNDO_RENAME:
      mw_session_rename_sieve_script_async (self->session, self->account_key, undo->name, undo->text, FALSE,
                                            self->cancellable, on_script_renamed_cb,
                                            job_new (self, undo->text, TRUE));
      break;
    case UNDO_NONE:
    default:
      break;
    }
}

/* Viewing */

static void
on_script_read_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwAccountRules) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwSieveScript) script = mw_session_get_sieve_script_finish (MW_SESSION (source), res, &error);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;
  GtkWindow *viewer;

  if (is_cancelled (error))
    return;
  self->writing--;
  update_actions (self);
  if (script == NULL)
    {
      show_error (self, error->message);
      return;
    }
  builder = gtk_builder_new_from_resource ("/org/mailwarden/Mailwarden/mw-account-window-rules-dialogs.ui");
  viewer = GTK_WINDOW (gtk_builder_get_object (builder, "view_window"));
  {
    /* Translators: the title of the window showing a Sieve script; %s is its name */
    g_autofree char *title = g_strdup_printf (_("Sieve Script “%s”"), script->name);

    gtk_window_set_title (viewer, title);
    adw_window_title_set_title (ADW_WINDOW_TITLE (gtk_builder_get_object (builder, "view_title")), script->name);
  }
  size = g_format_size ((guint64) MAX (script->size, 0));
  if (script->active)
    /* Translators: under a Sieve script's name in its window: its size, that it runs, read only */
    subtitle = g_strdup_printf (_("%s · active · read only"), size);
  else
    /* Translators: under a Sieve script's name in its window: its size, read only */
    subtitle = g_strdup_printf (_("%s · read only"), size);
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (gtk_builder_get_object (builder, "view_title")), subtitle);
  g_set_weak_pointer (&self->viewer_text, GTK_TEXT_VIEW (gtk_builder_get_object (builder, "view_text")));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->viewer_text), script->script != NULL ? script->script : "",
                            -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->viewer_text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_window_get_title (viewer), -1);
  if (self->window != NULL)
    gtk_window_set_transient_for (viewer, GTK_WINDOW (self->window));
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    /* Escape closes it, as a dialog. */
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (GTK_WIDGET (viewer), shortcuts);
  }
  g_set_weak_pointer (&self->viewer, viewer);
  gtk_window_present (viewer);
}

static void
view_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);

  if (is_busy (self))
    return;
  self->writing++;
  update_actions (self);
  mw_session_get_sieve_script_async (self->session, self->account_key, g_variant_get_string (param, NULL),
                                     self->cancellable, on_script_read_cb, g_object_ref (self));
}

/* Uploading */

static void
update_upload_body (MwAccountRules *self)
{
  GtkWidget *extra;
  const char *name;
  const MwSieveScript *existing;

  if (self->question == NULL || (extra = adw_message_dialog_get_extra_child (self->question)) == NULL)
    return;
  name = gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (self->question), "name-row")));
  existing = find_script (self, name);
  if (existing != NULL && existing->active)
    /* Translators: %s is a Sieve script's name */
    adw_message_dialog_format_body (self->question, _("It replaces the script “%s”, which stays the active one. "
                                                      "The Sieve compiler checks it first."), name);
  else if (existing != NULL)
    /* Translators: %s is a Sieve script's name */
    adw_message_dialog_format_body (self->question, _("It replaces the script “%s”. "
                                                      "The Sieve compiler checks it first."), name);
  else
    adw_message_dialog_set_body (self->question, _("A new script. The Sieve compiler checks it first."));
  adw_message_dialog_set_response_label (self->question, "upload", existing != NULL ? _("_Replace") : _("_Upload"));
}

static void
on_upload_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwAccountRules   *self)
{
  g_autofree char *text = g_steal_pointer (&self->upload_text);
  g_autofree char *name = NULL;
  gboolean activate;

  if (!g_str_equal (response, "upload") || text == NULL || is_busy (self))
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog),
                                                                                     "name-row")))));
  activate = gtk_switch_get_active (GTK_SWITCH (g_object_get_data (G_OBJECT (dialog), "activate-switch")));
  start_put (self, name, text, activate, FALSE);
}

/* The question naming the script a file's text goes in: its name comes
 * from the file's, without ".sieve". */
static void
ask_upload (MwAccountRules *self,
            const char     *file_name,
            const char     *text)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (
    "/org/mailwarden/Mailwarden/mw-account-window-rules-dialogs.ui");
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GObject *name_row;

  if (g_str_has_suffix (file_name, ".sieve"))
    name = g_strndup (file_name, strlen (file_name) - strlen (".sieve"));
  else if (g_str_has_suffix (file_name, ".siv"))
    name = g_strndup (file_name, strlen (file_name) - strlen (".siv"));
  else
    name = g_strdup (file_name);
  g_free (self->upload_text);
  self->upload_text = g_strdup (text);
  /* Translators: the heading of the question before a Sieve script is uploaded; %s is the file's name */
  heading = g_strdup_printf (_("Upload “%s”?"), file_name);
  dialog = adw_message_dialog_new (self->window != NULL ? GTK_WINDOW (self->window) : NULL, heading, NULL);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "upload", _("_Upload"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "upload", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "upload");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                      GTK_WIDGET (gtk_builder_get_object (builder, "upload_box")));
  name_row = gtk_builder_get_object (builder, "upload_name_row");
  g_object_set_data (G_OBJECT (dialog), "name-row", name_row);
  g_object_set_data (G_OBJECT (dialog), "activate-switch", gtk_builder_get_object (builder, "upload_activate_switch"));
  gtk_editable_set_text (GTK_EDITABLE (name_row), name);
  g_signal_connect_object (name_row, "changed", G_CALLBACK (update_upload_body), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_upload_response_cb), self, 0);
  g_set_weak_pointer (&self->question, ADW_MESSAGE_DIALOG (dialog));
  update_upload_body (self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_file_loaded_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwAccountRules) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *file_name = g_file_get_basename (G_FILE (source));
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), res, &contents, &length, NULL, &error))
    {
      g_autofree char *message = NULL;

      if (is_cancelled (error))
        return;
      /* Translators: %s is a file's name, then why it could not be read */
      message = g_strdup_printf (_("The file “%s” cannot be read: %s"), file_name, error->message);
      show_error (self, message);
      return;
    }
  if (memchr (contents, '\0', length) != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a file's name */
      message = g_strdup_printf (_("The file “%s” is not a text file: a Sieve script is text."), file_name);
      show_error (self, message);
      return;
    }
  ask_upload (self, file_name, contents);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        MwAccountRules  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  g_file_load_contents_async (file, self->cancellable, on_file_loaded_cb, g_object_ref (self));
}

static void
upload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);
  g_autoptr(GtkFileFilter) sieve = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (is_busy (self) || self->chooser != NULL)
    return;
  show_error (self, NULL);
  self->chooser = gtk_file_chooser_native_new (_("Upload a Sieve Script"),
                                               self->window != NULL ? GTK_WINDOW (self->window) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (sieve, _("Sieve scripts"));
  gtk_file_filter_add_pattern (sieve, "*.sieve");
  gtk_file_filter_add_pattern (sieve, "*.siv");
  gtk_file_filter_add_mime_type (sieve, "application/sieve");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), sieve);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Activating, deleting */

static void
activate_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);
  const char *name = g_variant_get_string (param, NULL);

  if (is_busy (self))
    return;
  mw_session_activate_sieve_script_async (self->session, self->account_key, name, FALSE, self->cancellable,
                                          on_activated_cb, job_new (self, name, FALSE));
}

static void
deactivate_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);

  if (is_busy (self))
    return;
  mw_session_deactivate_sieve_scripts_async (self->session, self->account_key, FALSE, self->cancellable,
                                             on_deactivated_cb, job_new (self, NULL, FALSE));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwAccountRules   *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "script-name");

  if (!g_str_equal (response, "delete") || is_busy (self))
    return;
  mw_session_delete_sieve_script_async (self->session, self->account_key, name, FALSE, self->cancellable,
                                        on_script_deleted_cb, job_new (self, name, FALSE));
}

static void
delete_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);
  const char *name = g_variant_get_string (param, NULL);
  const MwSieveScript *script = find_script (self, name);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (is_busy (self) || script == NULL)
    return;
  /* Translators: the heading of the question before a Sieve script is deleted; %s is its name */
  heading = g_strdup_printf (_("Delete the Script “%s”?"), name);
  dialog = adw_message_dialog_new (self->window != NULL ? GTK_WINDOW (self->window) : NULL, heading,
                                   script->active
                                     ? _("It is the active script: once it is gone, no script runs on this user's "
                                         "new mail.")
                                     : _("The script is gone from the server; it is not active, so new mail is "
                                         "filed as before."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "script-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  g_set_weak_pointer (&self->question, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Renaming: DBMail's scripts are found by name (ManageSieve's RENAMESCRIPT). */

static void
on_rename_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwAccountRules   *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "script-name");
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *new_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (!g_str_equal (response, "rename") || is_busy (self) || g_strcmp0 (new_name, name) == 0)
    return;
  /* An empty or taken name: the core's sentence, nothing renamed. */
  mw_session_rename_sieve_script_async (self->session, self->account_key, name, new_name, FALSE, self->cancellable,
                                        on_script_renamed_cb, job_new (self, new_name, FALSE));
}

static void
on_rename_entry_changed_cb (GtkEditable      *entry,
                            AdwMessageDialog *dialog)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "script-name");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "rename", text[0] != '\0' && g_strcmp0 (text, name) != 0);
}

static void
rename_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);
  const char *name = g_variant_get_string (param, NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog, *entry;

  if (is_busy (self) || find_script (self, name) == NULL)
    return;
  /* Translators: the heading of the dialog that renames a Sieve script; %s is its name */
  heading = g_strdup_printf (_("Rename the Script “%s”"), name);
  dialog = adw_message_dialog_new (self->window != NULL ? GTK_WINDOW (self->window) : NULL, heading,
                                   _("Mail programs that manage Sieve scripts show it under the new name; "
                                     "whether it is active stays as it is."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  /* Translators: the screen-reader name of the field with a Sieve script's new name */
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "rename", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "script-name", g_strdup (name), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_rename_entry_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, 0);
  g_set_weak_pointer (&self->question, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* The vacation editor */

static void
on_vacation_saved_cb (MwSieveVacationDialog *dialog,
                      MwSieveScript         *before,
                      MwAccountRules        *self)
{
  /* Written through the dialog's own call: Undo as after an upload. */
  toast (self, _("Saved the vacation script"), undo_of_put (MW_SIEVE_VACATION_NAME, before));
  load (self);
}

static void
edit_vacation_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);
  const MwAccount *account = self->window != NULL ? mw_account_window_get_account (self->window) : NULL;
  g_autoptr(GStrvBuilder) addresses = g_strv_builder_new ();
  g_auto(GStrv) offered = NULL;
  MwSieveVacationDialog *dialog;

  if (is_busy (self))
    return;
  /* The user's own addresses; a catch-all (@domain) is none. */
  for (guint i = 0; account != NULL && account->aliases != NULL && i < account->aliases->len; i++)
    {
      const MwAccountAddress *a = g_ptr_array_index (account->aliases, i);

      if (a->address != NULL && a->address[0] != '@' && strchr (a->address, '@') != NULL)
        g_strv_builder_add (addresses, a->address);
    }
  offered = g_strv_builder_end (addresses);
  dialog = mw_sieve_vacation_dialog_new (self->session, self->account_key, (const char * const *) offered);
  if (self->window != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self->window));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_vacation_saved_cb), self, 0);
  g_set_weak_pointer (&self->vacation, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Filters */

static void
on_filter_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwAccountRules   *self)
{
  g_autoptr(MwFilter) filter = NULL;

  if (!g_str_equal (response, "add") || is_busy (self))
    return;
  filter = mw_filter_dialog_get_filter (dialog);
  start_add_filter (self, filter, FALSE);
}

/* "Add a Filter", empty or with what was typed and the core's sentence
 * after a refusal. */
static void
open_filter_dialog (MwAccountRules *self,
                    const MwFilter *filter,
                    const char     *error)
{
  AdwMessageDialog *dialog = mw_filter_dialog_new (self->window != NULL ? GTK_WINDOW (self->window) : NULL, FALSE,
                                                   filter, NULL, error);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_filter_response_cb), self, 0);
  g_set_weak_pointer (&self->question, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_filter_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);

  if (is_busy (self))
    return;
  show_error (self, NULL);
  open_filter_dialog (self, NULL, NULL);
}

static void
delete_filter_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);
  gint64 id = g_variant_get_int64 (param);
  const MwFilter *filter = find_filter (self, id);
  Job *job;

  if (is_busy (self) || filter == NULL)
    return;
  /* At once, with Undo in the toast: the core gives the filter back. */
  job = job_new (self, NULL, FALSE);
  job->title = filter_title (filter);
  mw_session_delete_filter_async (self->session, id, FALSE, self->cancellable, on_filter_deleted_cb, job);
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (widget);

  if (!is_busy (self))
    {
      show_error (self, NULL);
      load (self);
    }
}

/* The class */

static void
mw_account_rules_dispose (GObject *object)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->shown_toast);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_ACCOUNT_RULES);

  G_OBJECT_CLASS (mw_account_rules_parent_class)->dispose (object);
}

static void
mw_account_rules_finalize (GObject *object)
{
  MwAccountRules *self = MW_ACCOUNT_RULES (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->load_error, g_free);
  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
  g_clear_pointer (&self->global, g_ptr_array_unref);
  g_clear_pointer (&self->new_scripts, g_ptr_array_unref);
  g_clear_pointer (&self->new_filters, g_ptr_array_unref);
  g_clear_pointer (&self->new_global, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->undo, undo_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->upload_text, g_free);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->question);
  g_clear_weak_pointer (&self->viewer);
  g_clear_weak_pointer (&self->vacation);
  g_clear_weak_pointer (&self->viewer_text);

  G_OBJECT_CLASS (mw_account_rules_parent_class)->finalize (object);
}

/* libadwaita 1.2 leaves a toast's close button unnamed (a screen reader
 * reads "GtkImage"): the toasts of this tab get a name when they show. */
static gboolean
on_map_hook (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);

  if (GTK_IS_BUTTON (object) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (object)), "window-close-symbolic") == 0 &&
      gtk_widget_get_ancestor (GTK_WIDGET (object), ADW_TYPE_TOAST_OVERLAY) != NULL &&
      gtk_widget_get_ancestor (GTK_WIDGET (object), MW_TYPE_ACCOUNT_RULES) != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (object), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Dismiss the message"), -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (object), _("Dismiss the message"));
    }
  return TRUE;
}

static void
mw_account_rules_class_init (MwAccountRulesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_account_rules_dispose;
  object_class->finalize = mw_account_rules_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/mailwarden/Mailwarden/mw-account-window-rules.ui");
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, stack);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, error_page);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, scripts_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, filters_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, global_group);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, no_scripts_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, no_filters_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, no_global_row);
  gtk_widget_class_bind_template_child (widget_class, MwAccountRules, vacation_button);

  gtk_widget_class_install_action (widget_class, "rules.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "rules.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "rules.view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "rules.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "rules.activate", "s", activate_action);
  gtk_widget_class_install_action (widget_class, "rules.deactivate", NULL, deactivate_action);
  gtk_widget_class_install_action (widget_class, "rules.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "rules.rename", "s", rename_action);
  gtk_widget_class_install_action (widget_class, "rules.edit-vacation", NULL, edit_vacation_action);
  gtk_widget_class_install_action (widget_class, "rules.add-filter", NULL, add_filter_action);
  gtk_widget_class_install_action (widget_class, "rules.delete-filter", "x", delete_filter_action);
  /* In the tab, before the window's own F5 (which reloads the Account tab). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "rules.reload", NULL);
  g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_map_hook, NULL, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "rules.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "rules.upload", NULL);
}

static void
mw_account_rules_init (MwAccountRules *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  name_group_lists (GTK_WIDGET (self), _("Rules"));
  update_actions (self);
}

/* The header bar's Save and Revert stage the Account tab's changes (and
 * show on the Mail tab); this tab writes at once. Connected last of the
 * tabs, it has the last word on every change of tab. */
static void
find_account_buttons (GtkWidget *widget,
                      GPtrArray *found)
{
  if (GTK_IS_ACTIONABLE (widget))
    {
      const char *name = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));

      if (g_strcmp0 (name, "account.save") == 0 || g_strcmp0 (name, "account.revert") == 0)
        g_ptr_array_add (found, widget);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    find_account_buttons (c, found);
}

/* Read the first time the tab is shown, not when the window opens. */
static void
on_tab_changed_cb (AdwViewStack   *stack,
                   GParamSpec     *pspec,
                   MwAccountRules *self)
{
  const char *tab = adw_view_stack_get_visible_child_name (stack);

  if (self->window != NULL && tab != NULL && gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      gboolean staged = g_str_equal (tab, "overview") || g_str_equal (tab, "mail");

      find_account_buttons (GTK_WIDGET (self->window), buttons);
      for (guint i = 0; i < buttons->len; i++)
        gtk_widget_set_visible (buttons->pdata[i], staged);
    }
  if (!self->loaded && self->loading == 0 &&
      g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "rules") == 0)
    load (self);
}

/* The Filters list of the main window changed everyone's filters (or this
 * user's): read them again, unless this tab made the change (it reads
 * them again itself). */
static void
on_session_changed_cb (MwAccountRules *self,
                       int             kind)
{
  if (kind == MW_LIST_FILTERS && self->loaded && !is_busy (self))
    load (self);
}

void
_mw_account_window_init_rules (MwAccountWindow *window)
{
  MwSchema *schema = mw_session_get_schema (window->session);
  MwAccountRules *self;
  AdwViewStackPage *page;

  if ((!mw_schema_has_sieve (schema) && !mw_schema_has_filters (schema)) ||
      !mw_schema_can (schema, MW_SCHEMA_CAN_WRITE))
    return;
  self = g_object_new (MW_TYPE_ACCOUNT_RULES, NULL);
  self->session = g_object_ref (window->session);
  self->account_key = g_strdup (window->account_key);
  self->has_sieve = mw_schema_has_sieve (schema);
  self->has_filters = mw_schema_has_filters (schema);
  page = adw_view_stack_add_titled (window->view_stack, GTK_WIDGET (self), "rules", C_("account page", "Rules"));
  adw_view_stack_page_set_icon_name (page, "mail-send-receive-symbolic");
  /* Two tabs at least: a narrow window switches them in the bar at the bottom. */
  adw_view_switcher_bar_set_reveal (window->switcher_bar, TRUE);
  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (window->view_stack, "notify::visible-child-name", G_CALLBACK (on_tab_changed_cb), self,
                           0);
  g_signal_connect_object (self->session, "changed", G_CALLBACK (on_session_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Public, for tests */

MwAccountRules *
mw_account_window_get_rules (MwAccountWindow *window)
{
  GtkWidget *child;

  g_return_val_if_fail (MW_IS_ACCOUNT_WINDOW (window), NULL);

  child = adw_view_stack_get_child_by_name (window->view_stack, "rules");
  return child != NULL ? MW_ACCOUNT_RULES (child) : NULL;
}

gboolean
mw_account_rules_is_busy (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), FALSE);

  return is_busy (self);
}

gboolean
mw_account_rules_is_loaded (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), FALSE);

  return self->loaded;
}

GStrv
mw_account_rules_dup_rows (MwAccountRules *self,
                           const char     *group)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  AdwPreferencesGroup *g;

  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  if (g_str_equal (group, "scripts"))
    g = self->scripts_group;
  else if (g_str_equal (group, "filters"))
    g = self->filters_group;
  else if (g_str_equal (group, "global"))
    g = self->global_group;
  else
    g_return_val_if_reached (NULL);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP) != GTK_WIDGET (g))
        continue;
      if (subtitle != NULL && subtitle[0] != '\0')
        {
          g_autofree char *line = g_strdup_printf ("%s: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                                   subtitle);

          g_strv_builder_add (out, line);
        }
      else
        g_strv_builder_add (out, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
  return g_strv_builder_end (out);
}

void
mw_account_rules_upload_text (MwAccountRules *self,
                              const char     *file_name,
                              const char     *text)
{
  g_return_if_fail (MW_IS_ACCOUNT_RULES (self));

  ask_upload (self, file_name, text);
}

AdwMessageDialog *
mw_account_rules_get_question (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  return self->question != NULL && gtk_widget_get_visible (GTK_WIDGET (self->question)) ? self->question : NULL;
}

GtkWindow *
mw_account_rules_get_viewer (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  return self->viewer;
}

char *
mw_account_rules_dup_viewer_text (MwAccountRules *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  if (self->viewer_text == NULL)
    return NULL;
  buffer = gtk_text_view_get_buffer (self->viewer_text);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

MwSieveVacationDialog *
mw_account_rules_get_vacation_dialog (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  return self->vacation;
}

const char *
mw_account_rules_get_error (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  return gtk_revealer_get_reveal_child (self->error_revealer) ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
mw_account_rules_get_toast (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  return self->last_toast;
}

AdwToast *
mw_account_rules_get_undo_toast (MwAccountRules *self)
{
  g_return_val_if_fail (MW_IS_ACCOUNT_RULES (self), NULL);

  return self->undo != NULL ? self->shown_toast : NULL;
}
