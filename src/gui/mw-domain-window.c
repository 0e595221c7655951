/* mw-domain-window.c: add a domain, or open one to change or delete it.
 *
 * One window in two modes. Adding, it is a modal dialog with the name and
 * the fields the flavour keeps (mw_schema_get_domain_fields), filled with
 * what the core would write anyway (mw_schema_get_domain_defaults). Opened
 * on a domain, it reads the domain, saves what was changed in one update
 * that carries the fingerprint it read (a change made elsewhere meanwhile is
 * refused), offers the change that undoes it in the "Saved" toast, and
 * deletes after a dry run whose summary names the Maildirs left on disk.
 * Every write runs on a session worker; the core's sentence is shown as it
 * is and nothing else happens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-domain-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-dialog-a11y.h"
#include "mw-domain-window.h"
#include "mw-format.h"
#include "mw-size-spin.h"
#include "mw-window.h"

#define MIB ((gint64) 1 << 20)
#define LIMIT_FIELDS (MW_DOMAIN_MAX_MAILBOXES | MW_DOMAIN_MAX_ALIASES | MW_DOMAIN_MAX_QUOTA | MW_DOMAIN_QUOTA)
#define DELIVERY_FIELDS (MW_DOMAIN_TRANSPORT | MW_DOMAIN_BACKUP_MX)

struct _MwDomainWindow
{
  AdwWindow         parent_instance;

  MwSession        *session;
  GCancellable     *cancellable;
  gboolean          adding;
  char             *key_or_name;   /* opened: what is read (the key once known) */
  MwDomainFields    fields;        /* what the flavour keeps, the name aside */
  MwDomain         *domain;        /* opened: as last read */
  MwDomainChange   *baseline;      /* the values the fields started from */
  MwDomainChange   *undo;          /* what puts back the last save */
  gboolean          busy;
  gboolean          filling;       /* the fields are being set from baseline */
  char             *last_toast;
  AdwToast         *shown_toast;
  AdwMessageDialog *delete_dialog; /* weak */

  /* Template widgets */
  AdwHeaderBar        *header_bar;
  AdwWindowTitle      *window_title;
  GtkWidget           *cancel_button;
  GtkWidget           *add_button;
  GtkWidget           *save_button;
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwStatusPage       *loading_page;
  AdwPreferencesGroup *name_group;
  GtkLabel            *error_label;
  AdwEntryRow         *name_row;
  AdwActionRow        *name_shown_row;
  AdwEntryRow         *description_row;
  GtkWidget           *active_row;
  GtkSwitch           *active_switch;
  GtkWidget           *limits_group;
  GtkWidget           *max_mailboxes_row;
  GtkSpinButton       *max_mailboxes_spin;
  GtkWidget           *max_aliases_row;
  GtkSpinButton       *max_aliases_spin;
  GtkWidget           *max_quota_row;
  GtkSpinButton       *max_quota_spin;
  GtkWidget           *quota_row;
  GtkSpinButton       *quota_spin;
  GtkWidget           *delivery_group;
  AdwEntryRow         *transport_row;
  GtkWidget           *backup_mx_row;
  GtkSwitch           *backup_mx_switch;
  GtkWidget           *contents_group;
  GtkLabel            *mailboxes_label;
  GtkLabel            *aliases_label;
  GtkWidget           *delete_group;
};

G_DEFINE_FINAL_TYPE (MwDomainWindow, mw_domain_window, ADW_TYPE_WINDOW)

enum { SIGNAL_ADDED, SIGNAL_DELETED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void reload (MwDomainWindow *self);

/* A session call cancelled before it ran says MW_DB_ERROR_CANCELLED, one
 * cancelled while it ran may say G_IO_ERROR_CANCELLED (mw-session.h). */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
keeps (MwDomainWindow *self,
       MwDomainFields  field)
{
  return (self->fields & field) != 0;
}

/* A quota in whole MiB, as the spin button shows it. */
static double
quota_shown (gint64 bytes)
{
  return bytes > 0 ? (double) ((bytes + MIB / 2) / MIB) : 0;
}

/* The quota a spin button stands for: what it started from while it still
 * shows that (a flavour may count in other units than MiB), else what it
 * shows. */
static gint64
quota_in_spin (GtkSpinButton *spin,
               gint64         started)
{
  gint64 mib = (gint64) gtk_spin_button_get_value (spin);

  return (double) mib == quota_shown (started) ? started : mib * MIB;
}

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
show_error (MwDomainWindow *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (self->adding && message == NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
}

/* What the fields show that differs from where they started. */
static MwDomainFields
staged_changes (MwDomainWindow *self)
{
  const MwDomainChange *b = self->baseline;
  MwDomainFields changes = 0;
  g_autofree char *transport = NULL;

  if (b == NULL)
    return 0;
  transport = g_strstrip (g_strdup (entry_text (self->transport_row)));
  if (g_strcmp0 (entry_text (self->description_row), b->description != NULL ? b->description : "") != 0)
    changes |= MW_DOMAIN_DESCRIPTION;
  if (gtk_switch_get_active (self->active_switch) != b->active)
    changes |= MW_DOMAIN_ACTIVE;
  if ((gint64) gtk_spin_button_get_value (self->max_mailboxes_spin) != b->max_mailboxes)
    changes |= MW_DOMAIN_MAX_MAILBOXES;
  if ((gint64) gtk_spin_button_get_value (self->max_aliases_spin) != b->max_aliases)
    changes |= MW_DOMAIN_MAX_ALIASES;
  if (gtk_spin_button_get_value (self->max_quota_spin) != quota_shown (b->max_quota))
    changes |= MW_DOMAIN_MAX_QUOTA;
  if (gtk_spin_button_get_value (self->quota_spin) != quota_shown (b->quota))
    changes |= MW_DOMAIN_QUOTA;
  if (g_strcmp0 (transport, b->transport != NULL ? b->transport : "") != 0)
    changes |= MW_DOMAIN_TRANSPORT;
  if (gtk_switch_get_active (self->backup_mx_switch) != b->backup_mx)
    changes |= MW_DOMAIN_BACKUP_MX;
  return changes & self->fields;
}

static void
update_actions (MwDomainWindow *self)
{
  gboolean loaded = self->domain != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "domain.add", self->adding && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "domain.save",
                                 loaded && !self->busy && staged_changes (self) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "domain.delete", loaded && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "domain.undo", loaded && !self->busy && self->undo != NULL);
}

static void
on_field_changed_cb (MwDomainWindow *self)
{
  if (!self->filling)
    update_actions (self);
}

/* The rows of the fields the flavour keeps. */
static void
show_rows (MwDomainWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->description_row), keeps (self, MW_DOMAIN_DESCRIPTION));
  gtk_widget_set_visible (self->active_row, keeps (self, MW_DOMAIN_ACTIVE));
  gtk_widget_set_visible (self->limits_group, (self->fields & LIMIT_FIELDS) != 0);
  gtk_widget_set_visible (self->max_mailboxes_row, keeps (self, MW_DOMAIN_MAX_MAILBOXES));
  gtk_widget_set_visible (self->max_aliases_row, keeps (self, MW_DOMAIN_MAX_ALIASES));
  gtk_widget_set_visible (self->max_quota_row, keeps (self, MW_DOMAIN_MAX_QUOTA));
  gtk_widget_set_visible (self->quota_row, keeps (self, MW_DOMAIN_QUOTA));
  gtk_widget_set_visible (self->delivery_group, (self->fields & DELIVERY_FIELDS) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->transport_row), keeps (self, MW_DOMAIN_TRANSPORT));
  gtk_widget_set_visible (self->backup_mx_row, keeps (self, MW_DOMAIN_BACKUP_MX));
}

/* The fields show baseline. */
static void
fill_fields (MwDomainWindow *self)
{
  const MwDomainChange *b = self->baseline;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), b->description != NULL ? b->description : "");
  gtk_switch_set_active (self->active_switch, b->active);
  gtk_spin_button_set_value (self->max_mailboxes_spin, (double) b->max_mailboxes);
  gtk_spin_button_set_value (self->max_aliases_spin, (double) b->max_aliases);
  gtk_spin_button_set_value (self->max_quota_spin, quota_shown (b->max_quota));
  gtk_spin_button_set_value (self->quota_spin, quota_shown (b->quota));
  gtk_editable_set_text (GTK_EDITABLE (self->transport_row), b->transport != NULL ? b->transport : "");
  gtk_switch_set_active (self->backup_mx_switch, b->backup_mx);
  self->filling = FALSE;
  update_actions (self);
}

/* Text typed into a spin button counts once the focus leaves it; Enter
 * and Ctrl+S take it as it stands. */
static void
commit_typed_values (MwDomainWindow *self)
{
  GtkSpinButton *spins[] = { self->max_mailboxes_spin, self->max_aliases_spin, self->max_quota_spin,
                             self->quota_spin };

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (spins[i])))
      gtk_spin_button_update (spins[i]);
}

/* The fields named in @changes as the window shows them. */
static MwDomainChange *
change_in_fields (MwDomainWindow *self,
                  MwDomainFields  changes)
{
  MwDomainChange *c = mw_domain_change_new ();

  c->changes = changes;
  c->description = g_strdup (entry_text (self->description_row));
  c->active = gtk_switch_get_active (self->active_switch);
  c->max_mailboxes = (gint64) gtk_spin_button_get_value (self->max_mailboxes_spin);
  c->max_aliases = (gint64) gtk_spin_button_get_value (self->max_aliases_spin);
  c->max_quota = quota_in_spin (self->max_quota_spin, self->baseline->max_quota);
  c->quota = quota_in_spin (self->quota_spin, self->baseline->quota);
  c->transport = g_strstrip (g_strdup (entry_text (self->transport_row)));
  c->backup_mx = gtk_switch_get_active (self->backup_mx_switch);
  return c;
}

/* A domain as stored, shown in Unicode (as the part of an address after
 * the "@", which is how mw_format_address reads a domain). */
static char *
shown_name (const char *stored)
{
  g_autofree char *with_at = g_strconcat ("@", stored, NULL);
  g_autofree char *shown = mw_format_address (with_at);

  return g_strdup (shown[0] == '@' ? shown + 1 : shown);
}

/* Toasts */

static void
on_toast_dismissed_cb (MwDomainWindow *self,
                       AdwToast       *toast)
{
  if (self->shown_toast == toast)
    g_clear_object (&self->shown_toast);
}

static void
toast (MwDomainWindow *self,
       const char     *title,
       gboolean        with_undo)
{
  AdwToast *t = adw_toast_new (title);

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  /* The news replaces the old at once, rather than waiting in the queue. */
  if (self->shown_toast != NULL)
    adw_toast_dismiss (self->shown_toast);
  g_set_object (&self->shown_toast, t);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  /* Long enough to reach Undo with the keyboard; Ctrl+Z works meanwhile. */
  adw_toast_set_timeout (t, 10);
  if (with_undo)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, "domain.undo");
    }
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* Reading the domain */

static void
show_domain (MwDomainWindow *self)
{
  const MwDomain *d = self->domain;
  g_autofree char *shown = shown_name (d->name);
  g_autofree char *mailboxes = g_strdup_printf ("%" G_GINT64_FORMAT, d->mailboxes);
  g_autofree char *aliases = g_strdup_printf ("%" G_GINT64_FORMAT, d->aliases);

  adw_window_title_set_title (self->window_title, shown);
  gtk_window_set_title (GTK_WINDOW (self), shown);
  if (g_strcmp0 (shown, d->name) != 0)
    {
      /* Translators: the domain's name row: "bücher.example, stored as xn--bcher-kva.example" */
      g_autofree char *both = g_strdup_printf (_("%s, stored as %s"), shown, d->name);

      adw_action_row_set_subtitle (self->name_shown_row, both);
    }
  else
    adw_action_row_set_subtitle (self->name_shown_row, shown);
  gtk_label_set_text (self->mailboxes_label, mailboxes);
  gtk_label_set_text (self->aliases_label, aliases);

  g_clear_pointer (&self->baseline, mw_domain_change_free);
  self->baseline = mw_domain_change_new ();
  self->baseline->changes = self->fields;
  self->baseline->description = g_strdup (d->description);
  self->baseline->active = d->active;
  self->baseline->max_mailboxes = d->max_mailboxes;
  self->baseline->max_aliases = d->max_aliases;
  self->baseline->max_quota = d->max_quota;
  self->baseline->quota = d->quota;
  self->baseline->transport = g_strdup (d->transport);
  self->baseline->backup_mx = d->backup_mx;
  fill_fields (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
}

static void
on_domain_read_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MwDomainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwDomain *domain;

  domain = mw_session_get_domain_finish (self->session, res, &error);
  self->busy = FALSE;
  if (domain == NULL)
    {
      if (is_cancelled (error))
        return;
      /* Nothing to edit: the sentence is all the window shows. */
      adw_status_page_set_icon_name (self->loading_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->loading_page, _("The Domain Cannot Be Read"));
      adw_status_page_set_description (self->loading_page, error->message);
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  mw_domain_free (self->domain);
  self->domain = domain;
  g_free (self->key_or_name);
  self->key_or_name = g_strdup (domain->key);
  show_domain (self);
}

static void
reload (MwDomainWindow *self)
{
  self->busy = TRUE;
  update_actions (self);
  mw_session_get_domain_async (self->session, self->key_or_name, self->cancellable, on_domain_read_cb,
                               g_object_ref (self));
}

/* Adding */

static void
on_added_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(MwDomainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;

  key = mw_session_add_domain_finish (self->session, res, &error);
  self->busy = FALSE;
  update_actions (self);
  if (key == NULL)
    {
      if (is_cancelled (error))
        return;
      show_error (self, error->message);
      if (error->domain == MW_ADDRESS_ERROR || g_error_matches (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_EXISTS) ||
          g_error_matches (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
        }
      return;
    }
  /* The key is the domain's name as stored, or stands for it. */
  shown = shown_name (entry_text (self->name_row));
  /* Translators: a toast: "Added the domain bücher.example" */
  text = g_strdup_printf (_("Added the domain %s"), shown);
  /* The session told the lists ("changed"). */
  g_signal_emit (self, signals[SIGNAL_ADDED], 0, text, key);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action,
            GVariant   *param)
{
  MwDomainWindow *self = MW_DOMAIN_WINDOW (widget);
  g_autoptr(MwDomainChange) settings = NULL;
  g_autofree char *name = NULL;

  if (!self->adding || self->busy)
    return;
  commit_typed_values (self);
  show_error (self, NULL);
  name = g_strstrip (g_strdup (entry_text (self->name_row)));
  if (name[0] == '\0')
    {
      show_error (self, _("Type the domain’s name, such as example.org."));
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  /* Every field the flavour keeps, as the form shows it: the defaults
   * unless they were changed. */
  settings = change_in_fields (self, self->fields & ~MW_DOMAIN_NAME);
  self->busy = TRUE;
  update_actions (self);
  mw_session_add_domain_async (self->session, name, settings, FALSE, self->cancellable, on_added_cb,
                               g_object_ref (self));
}

/* Saving and Undo */

typedef struct
{
  MwDomainWindow *self;
  gboolean        undo;
} SaveCall;

static void
on_saved_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  SaveCall *call = user_data;
  g_autoptr(MwDomainWindow) self = call->self;
  gboolean undo = call->undo;
  g_autoptr(GError) error = NULL;
  MwDomainChange *inverse;

  g_free (call);
  inverse = mw_session_update_domain_finish (self->session, res, &error);
  self->busy = FALSE;
  if (inverse == NULL)
    {
      if (is_cancelled (error))
        return;
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  show_error (self, NULL);
  g_clear_pointer (&self->undo, mw_domain_change_free);
  if (undo)
    {
      mw_domain_change_free (inverse);
      toast (self, _("Changes undone"), FALSE);
    }
  else
    {
      self->undo = inverse;
      toast (self, _("Saved"), inverse->changes != 0);
    }
  /* The session told the lists; this window reads the domain again (its
   * counts, its new fingerprint). */
  reload (self);
}

static void
run_save (MwDomainWindow *self,
          MwDomainChange *change,
          gboolean        undo)
{
  SaveCall *call = g_new0 (SaveCall, 1);

  call->self = g_object_ref (self);
  call->undo = undo;
  self->busy = TRUE;
  update_actions (self);
  /* The wrapper copies the change. */
  mw_session_update_domain_async (self->session, self->domain->key, change, FALSE, self->cancellable, on_saved_cb,
                                  call);
  mw_domain_change_free (change);
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwDomainWindow *self = MW_DOMAIN_WINDOW (widget);
  MwDomainChange *change;
  MwDomainFields changes;

  if (self->domain == NULL || self->busy)
    return;
  commit_typed_values (self);
  if ((changes = staged_changes (self)) == 0)
    return;
  show_error (self, NULL);
  change = change_in_fields (self, changes);
  change->expected_fingerprint = g_strdup (self->domain->fingerprint);
  run_save (self, change, FALSE);
}

static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *param)
{
  MwDomainWindow *self = MW_DOMAIN_WINDOW (widget);

  if (self->undo == NULL || self->busy || self->domain == NULL)
    return;
  if (self->shown_toast != NULL)
    adw_toast_dismiss (self->shown_toast);
  run_save (self, g_steal_pointer (&self->undo), TRUE);
}

/* Deleting */

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(MwDomainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomainDeleteSummary) summary = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;

  summary = mw_session_delete_domains_finish (self->session, res, &error);
  self->busy = FALSE;
  if (summary == NULL)
    {
      if (is_cancelled (error))
        return;
      show_error (self, error->message);
      update_actions (self);
      return;
    }
  shown = shown_name (self->domain->name);
  /* Translators: a toast: "Deleted the domain bücher.example" */
  text = g_strdup_printf (_("Deleted the domain %s"), shown);
  g_signal_emit (self, signals[SIGNAL_DELETED], 0, text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
run_delete (MwDomainWindow      *self,
            gboolean             dry_run,
            GAsyncReadyCallback  callback)
{
  const char *keys[] = { self->domain->key, NULL };

  self->busy = TRUE;
  update_actions (self);
  mw_session_delete_domains_async (self->session, keys, dry_run, self->cancellable, callback, g_object_ref (self));
}

/* The Maildirs at the end of the summary's sentence, cut from it (which
 * then ends "... by hand:") and shown one per line, left-aligned and
 * selectable so that they can be copied, scrolling when there are many; NULL
 * when there are none. */
static GtkWidget *
take_maildirs (char              *described,
               const char *const *maildirs)
{
  g_autofree char *joined = NULL;
  g_autofree char *lines = NULL;
  GtkWidget *label, *scroller;
  const char *name;
  char *at;

  if (maildirs == NULL || maildirs[0] == NULL)
    return NULL;
  joined = g_strjoinv (" ", (char **) maildirs);
  at = g_strrstr (described, joined);
  if (at == NULL)
    return NULL;
  *at = '\0';
  g_strchomp (described);
  lines = g_strjoinv ("\n", (char **) maildirs);
  label = gtk_label_new (lines);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  /* Translators: for screen readers, the list of Maildir paths in the delete question */
  name = _("Maildirs to remove by hand");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 180);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  gtk_widget_add_css_class (scroller, "card");
  return scroller;
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MwDomainWindow   *self)
{
  if (g_str_equal (response, "delete") && self->domain != NULL && !self->busy)
    run_delete (self, FALSE, on_deleted_cb);
}

static void
on_delete_summary_cb (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(MwDomainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomainDeleteSummary) summary = NULL;
  g_autofree char *described = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *dialog, *paths;

  summary = mw_session_delete_domains_finish (self->session, res, &error);
  self->busy = FALSE;
  update_actions (self);
  if (summary == NULL)
    {
      if (!is_cancelled (error))
        show_error (self, error->message);
      return;
    }
  described = mw_domain_delete_summary_describe (summary);
  shown = shown_name (self->domain->name);
  /* Translators: "Delete bücher.example?" */
  heading = g_strdup_printf (_("Delete %s?"), shown);
  paths = take_maildirs (described, (const char *const *) summary->maildirs);
  if (paths != NULL)
    {
      /* The warning after the paths, which end the sentence above them. */
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *warning = gtk_label_new (_("This cannot be undone."));

      gtk_label_set_wrap (GTK_LABEL (warning), TRUE);
      gtk_box_append (GTK_BOX (box), paths);
      gtk_box_append (GTK_BOX (box), warning);
      body = g_strdup (described);
      dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
    }
  else
    {
      body = g_strdup_printf ("%s\n\n%s", described, _("This cannot be undone."));
      dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
    }
  /* What a screen reader and the window list call it. */
  gtk_window_set_title (GTK_WINDOW (dialog), heading);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  g_set_weak_pointer (&self->delete_dialog, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* First a dry run, so that the question says exactly what goes. */
static void
delete_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  MwDomainWindow *self = MW_DOMAIN_WINDOW (widget);

  if (self->domain == NULL || self->busy)
    return;
  show_error (self, NULL);
  run_delete (self, TRUE, on_delete_summary_cb);
}

/* Public */

static MwDomainWindow *
domain_window_new (MwSession *session,
                   gboolean   adding)
{
  MwDomainWindow *self = g_object_new (MW_TYPE_DOMAIN_WINDOW, NULL);
  MwSchema *schema = mw_session_get_schema (session);

  self->session = g_object_ref (session);
  self->adding = adding;
  self->fields = mw_schema_get_domain_fields (schema) & ~MW_DOMAIN_NAME;
  show_rows (self);
  return self;
}

MwDomainWindow *
mw_domain_window_new_add (MwSession *session)
{
  MwDomainWindow *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = domain_window_new (session, TRUE);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, -1);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
  adw_window_title_set_title (self->window_title, _("Add a Domain"));
  gtk_window_set_title (GTK_WINDOW (self), _("Add a Domain"));
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_widget_set_visible (self->add_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->add_button);
  self->baseline = mw_schema_get_domain_defaults (mw_session_get_schema (session));
  fill_fields (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}

MwDomainWindow *
mw_domain_window_new (MwSession  *session,
                      const char *key_or_name)
{
  MwDomainWindow *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (key_or_name != NULL, NULL);

  self = domain_window_new (session, FALSE);
  self->key_or_name = g_strdup (key_or_name);
  {
    g_autofree char *shown = shown_name (key_or_name);

    adw_window_title_set_title (self->window_title, shown);
    gtk_window_set_title (GTK_WINDOW (self), shown);
  }
  /* Translators: the subtitle of a domain's window */
  adw_window_title_set_subtitle (self->window_title, _("Domain"));
  /* ISPmail keeps only the name, which cannot change: nothing to save. */
  gtk_widget_set_visible (self->save_button, self->fields != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->name_shown_row), TRUE);
  gtk_widget_set_visible (self->contents_group, TRUE);
  gtk_widget_set_visible (self->delete_group, TRUE);
  reload (self);
  return self;
}

static void
on_added_toast_cb (MwDomainWindow *dialog,
                   const char     *text,
                   const char     *key,
                   GtkWindow      *parent)
{
  if (MW_IS_WINDOW (parent))
    {
      mw_window_show_page (MW_WINDOW (parent), MW_LIST_DOMAINS);
      mw_window_show_toast (MW_WINDOW (parent), text);
    }
}

static void
on_deleted_toast_cb (MwDomainWindow *window,
                     const char     *text,
                     GtkWindow      *parent)
{
  if (MW_IS_WINDOW (parent))
    mw_window_show_toast (MW_WINDOW (parent), text);
}

GtkWindow *
mw_domain_window_open_add (GtkWindow *parent,
                           MwSession *session)
{
  MwDomainWindow *dialog;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);

  dialog = mw_domain_window_new_add (session);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  g_signal_connect_object (dialog, "added", G_CALLBACK (on_added_toast_cb), parent, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

GtkWindow *
mw_domain_window_open (GtkWindow  *parent,
                       MwSession  *session,
                       const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  MwDomainWindow *window = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* One window per domain: a second activation brings it forward. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && window == NULL; i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (MW_IS_DOMAIN_WINDOW (w) && !MW_DOMAIN_WINDOW (w)->adding && MW_DOMAIN_WINDOW (w)->session == session &&
          MW_DOMAIN_WINDOW (w)->domain != NULL &&
          (g_ascii_strcasecmp (MW_DOMAIN_WINDOW (w)->domain->name, name) == 0 ||
           g_strcmp0 (MW_DOMAIN_WINDOW (w)->domain->key, name) == 0))
        window = MW_DOMAIN_WINDOW (w);
    }
  if (window == NULL)
    {
      window = mw_domain_window_new (session, name);
      gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (parent));
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      g_signal_connect_object (window, "deleted", G_CALLBACK (on_deleted_toast_cb), parent, 0);
    }
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

gboolean
mw_domain_window_is_busy (MwDomainWindow *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN_WINDOW (self), FALSE);

  return self->busy;
}

const MwDomain *
mw_domain_window_get_domain (MwDomainWindow *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN_WINDOW (self), NULL);

  return self->domain;
}

const char *
mw_domain_window_get_error (MwDomainWindow *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN_WINDOW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
mw_domain_window_get_toast (MwDomainWindow *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN_WINDOW (self), NULL);

  return self->last_toast;
}

AdwMessageDialog *
mw_domain_window_get_delete_dialog (MwDomainWindow *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN_WINDOW (self), NULL);

  return self->delete_dialog;
}

void
mw_domain_window_set_field (MwDomainWindow *self,
                            const char     *field,
                            const char     *value)
{
  GtkSpinButton *spin = NULL;

  g_return_if_fail (MW_IS_DOMAIN_WINDOW (self));
  g_return_if_fail (field != NULL && value != NULL);

  if (g_str_equal (field, "name"))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), value);
  else if (g_str_equal (field, "description"))
    gtk_editable_set_text (GTK_EDITABLE (self->description_row), value);
  else if (g_str_equal (field, "transport"))
    gtk_editable_set_text (GTK_EDITABLE (self->transport_row), value);
  else if (g_str_equal (field, "active"))
    gtk_switch_set_active (self->active_switch, g_str_equal (value, "yes"));
  else if (g_str_equal (field, "backup-mx"))
    gtk_switch_set_active (self->backup_mx_switch, g_str_equal (value, "yes"));
  else if (g_str_equal (field, "max-mailboxes"))
    spin = self->max_mailboxes_spin;
  else if (g_str_equal (field, "max-aliases"))
    spin = self->max_aliases_spin;
  else if (g_str_equal (field, "max-quota"))
    spin = self->max_quota_spin;
  else if (g_str_equal (field, "quota"))
    spin = self->quota_spin;
  else
    g_return_if_reached ();
  if (spin != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (spin), value);
      gtk_spin_button_update (spin);
    }
}

static void
mw_domain_window_dispose (GObject *object)
{
  MwDomainWindow *self = MW_DOMAIN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->delete_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->delete_dialog));
  g_clear_weak_pointer (&self->delete_dialog);
  if (self->shown_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->shown_toast, self);
  g_clear_object (&self->shown_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_DOMAIN_WINDOW);

  G_OBJECT_CLASS (mw_domain_window_parent_class)->dispose (object);
}

static void
mw_domain_window_finalize (GObject *object)
{
  MwDomainWindow *self = MW_DOMAIN_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->domain, mw_domain_free);
  g_clear_pointer (&self->baseline, mw_domain_change_free);
  g_clear_pointer (&self->undo, mw_domain_change_free);
  g_free (self->key_or_name);
  g_free (self->last_toast);

  G_OBJECT_CLASS (mw_domain_window_parent_class)->finalize (object);
}

static void
mw_domain_window_class_init (MwDomainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_domain_window_dispose;
  object_class->finalize = mw_domain_window_finalize;

  /* "added": a sentence for a toast, and the new domain's key. */
  signals[SIGNAL_ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* "deleted": a sentence for a toast. */
  signals[SIGNAL_DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-domain-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, name_group);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, name_shown_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, description_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, active_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, active_switch);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, limits_group);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, max_mailboxes_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, max_mailboxes_spin);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, max_aliases_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, max_aliases_spin);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, max_quota_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, max_quota_spin);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, quota_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, quota_spin);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, delivery_group);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, transport_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, backup_mx_row);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, backup_mx_switch);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, contents_group);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, mailboxes_label);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, aliases_label);
  gtk_widget_class_bind_template_child (widget_class, MwDomainWindow, delete_group);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);

  gtk_widget_class_install_action (widget_class, "domain.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "domain.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "domain.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "domain.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "domain.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "domain.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_domain_window_init (MwDomainWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  mw_size_spin_attach (self->max_quota_spin, MW_SIZE_UNIT_MIB);
  mw_size_spin_attach (self->quota_spin, MW_SIZE_UNIT_MIB);
  /* The first group has no title to name its list after. */
  /* Translators: for screen readers, the list holding the domain's name, description and state */
  mw_dialog_a11y_name_lists (GTK_WIDGET (self->name_group), _("Domain"));
  update_actions (self);
}
