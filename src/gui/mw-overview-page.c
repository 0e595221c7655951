/* mw-overview-page.c: the main window's Overview page: the mail system's
 * figures, four charts, the Logins lists and the server's status.
 *
 * Everything is read on the session's worker (mw-session-stats.h), the
 * figures first, then each chart and list; a refresh never starts while
 * one runs (the timer skips its turn, the Refresh button is off). The
 * timer's seconds come from the "overview-refresh" setting, 0: off; it
 * only reads while the page is on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-overview-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-chart-view.h"
#include "mw-format.h"
#include "mw-overview-page.h"
#include "mw-window.h"

#define LIST_LIMIT 50

struct _MwOverviewPage
{
  AdwBin         parent_instance;

  MwSession     *session;
  GSettings     *settings;
  GCancellable  *cancellable;
  guint          pending;        /* reads of this refresh still running */
  guint          n_refreshes;
  guint          timer_id;
  guint          interval;
  gboolean       started;
  gboolean       reread_logins;  /* hours or days changed during a read: read that list again after */
  gboolean       reread_unused;
  gboolean       failed;         /* the status line says why the figures are missing */
  char          *updated;        /* when the last refresh ended, as shown */
  gboolean       estimated[MW_N_STATS];  /* the tile shows the server's estimate or "counting…" */

  GtkWidget     *figure_tiles[MW_N_STATS];
  GtkLabel      *figure_values[MW_N_STATS];
  GtkWidget     *database_tile;
  GtkLabel      *database_value;
  char          *database_text;  /* "PostgreSQL 15.5" */
  GtkWidget     *charts[MW_N_CHARTS];
  GPtrArray     *server_rows;    /* rows added to the Server and Tables groups */

  /* Template widgets */
  GtkLabel      *status_label;
  GtkSpinner    *spinner;
  GtkWidget     *refresh_button;
  GtkFlowBox    *figures_box;
  AdwPreferencesGroup *quota_group;
  AdwPreferencesGroup *biggest_group;
  AdwPreferencesGroup *groups_group;
  AdwPreferencesGroup *logins_chart_group;
  AdwPreferencesGroup *authlog_group;
  AdwPreferencesGroup *logins_group;
  AdwPreferencesGroup *unused_group;
  AdwPreferencesGroup *pbsp_group;
  AdwPreferencesGroup *server_group;
  AdwPreferencesGroup *tables_group;
  GtkSpinButton *hours_spin;
  GtkSpinButton *days_spin;
  GtkListBox    *logins_list;
  GtkListBox    *unused_list;
  GtkListBox    *pbsp_list;
};

G_DEFINE_FINAL_TYPE (MwOverviewPage, mw_overview_page, ADW_TYPE_BIN)

enum
{
  FIGURES_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
is_gone (MwOverviewPage *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static void read_logins (MwOverviewPage *self);
static void read_unused (MwOverviewPage *self);

static void
say (MwOverviewPage *self,
     const char     *message)
{
  gtk_label_set_text (self->status_label, message);
}

/* When the figures were read, and how often they will be again. */
static void
show_updated (MwOverviewPage *self)
{
  g_autofree char *text = NULL;

  if (self->failed || self->updated == NULL || self->pending > 0)
    return;
  if (self->interval > 0)
    /* Translators: %s is a date and time; %u seconds */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Updated %s, again every %u second",
                                         "Updated %s, again every %u seconds", self->interval),
                            self->updated, self->interval);
  else
    /* Translators: %s is a date and time */
    text = g_strdup_printf (_("Updated %s"), self->updated);
  gtk_label_set_text (self->status_label, text);
}

/* One read of a refresh is back. */
static void
finish_one (MwOverviewPage *self)
{
  g_assert (self->pending > 0);
  if (--self->pending > 0)
    return;
  if (self->reread_logins || self->reread_unused)
    {
      if (self->reread_logins)
        read_logins (self);
      if (self->reread_unused)
        read_unused (self);
      self->reread_logins = self->reread_unused = FALSE;
      return;
    }
  self->n_refreshes++;
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.reload", TRUE);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    g_free (self->updated);
    self->updated = mw_format_date_time_seconds (now);
  }
  show_updated (self);
}


/* Figures */

static void
make_tile (MwOverviewPage *self,
           GtkWidget     **tile,
           GtkLabel      **value,
           const char     *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (caption);

  *value = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (*value), "title-2");
  gtk_label_set_wrap (*value, TRUE);
  gtk_label_set_justify (*value, GTK_JUSTIFY_CENTER);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (*value));
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_top (GTK_WIDGET (*value), 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (box, 0);
  gtk_flow_box_append (self->figures_box, box);
  *tile = gtk_widget_get_parent (box);
  /* A figure is read, not used: no Tab stop. */
  gtk_widget_set_focusable (*tile, FALSE);
  gtk_widget_set_visible (*tile, FALSE);
}

static void
set_tile (GtkWidget  *tile,
          GtkLabel   *value,
          const char *caption,
          const char *text)
{
  g_autofree char *spoken = NULL;

  gtk_label_set_text (value, text);
  /* Translators: a figure read by a screen reader: "Users: 1,234" */
  spoken = g_strdup_printf (_("%s: %s"), caption, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  gtk_widget_set_visible (tile, TRUE);
}

static void on_overview_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* The figures' first step (estimates for the big tables) or the exact one. */
static void
show_overview (MwOverviewPage  *self,
               MwStatsOverview *overview,
               GError          *error)
{
  if (overview == NULL)
    {
      if (!is_cancelled (error))
        say (self, error->message);
      self->failed = TRUE;
      for (guint i = 0; i < MW_N_STATS; i++)
        gtk_widget_set_visible (self->figure_tiles[i], FALSE);
      finish_one (self);
      return;
    }
  for (guint i = 0; i < MW_N_STATS; i++)
    {
      gboolean rough = overview->estimated[i] || overview->values[i] == MW_STAT_PENDING;

      if (overview->values[i] == MW_STAT_ABSENT)
        gtk_widget_set_visible (self->figure_tiles[i], FALSE);
      else
        {
          g_autofree char *text = mw_stats_overview_format (overview, i);

          set_tile (self->figure_tiles[i], self->figure_values[i], mw_stat_label (i), text);
        }
      /* An estimate ("about 1,000,000") or "counting…": dimmed, and said
       * so in the tooltip and to a screen reader until the count replaces it. */
      self->estimated[i] = rough;
      if (rough)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->figure_values[i]), "dim-label");
          gtk_widget_set_tooltip_text (self->figure_tiles[i],
                                       overview->estimated[i]
                                       /* Translators: tooltip of an Overview figure shown as "about 1,000,000". */
                                       ? _("The database server's estimate; the exact count follows.")
                                       /* Translators: tooltip of an Overview figure shown as "counting…". */
                                       : _("Being counted."));
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->figure_tiles[i]),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          overview->estimated[i]
                                          ? _("The database server's estimate; the exact count follows.")
                                          : _("Being counted."), -1);
        }
      else
        {
          gtk_widget_remove_css_class (GTK_WIDGET (self->figure_values[i]), "dim-label");
          gtk_widget_set_tooltip_text (self->figure_tiles[i], NULL);
          gtk_accessible_reset_property (GTK_ACCESSIBLE (self->figure_tiles[i]),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
        }
    }
  if (overview->database_type != NULL)
    {
      const char *version = overview->server_version != NULL ? overview->server_version : "";
      /* Some servers name themselves in their version already ("PostgreSQL 15.5"). */
      g_autofree char *text = g_str_has_prefix (version, overview->database_type)
                                ? g_strdup (version)
                                : g_strjoin (" ", overview->database_type, version, NULL);

      g_strstrip (text);
      g_free (self->database_text);
      self->database_text = g_strdup (text);
      /* A long version ("10.11.6-MariaDB-0+deb12u1") in a smaller font on
       * one line (whole in the tooltip and the accessible name): every tile
       * is as tall as the tallest. */
      gtk_widget_remove_css_class (GTK_WIDGET (self->database_value), "title-2");
      gtk_widget_add_css_class (GTK_WIDGET (self->database_value), "title-4");
      gtk_label_set_wrap (self->database_value, FALSE);
      gtk_label_set_ellipsize (self->database_value, PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (self->database_tile, text);
      /* Translators: the overview's tile of the database server: "PostgreSQL 15.5" */
      set_tile (self->database_tile, self->database_value, _("Database"), text);
    }
  g_signal_emit (self, signals[FIGURES_SHOWN], 0, overview->exact);
  /* Then the exact counts, in the same refresh: a refresh never overlaps
   * a running one. */
  if (!overview->exact)
    {
      self->pending++;
      mw_session_get_overview_async (self->session, self->cancellable, on_overview_cb, g_object_ref (self));
    }
  finish_one (self);
}

static void
on_overview_fast_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MwOverviewPage) self = user_data;
  g_autoptr(MwStatsOverview) overview = NULL;
  g_autoptr(GError) error = NULL;

  overview = mw_session_get_overview_fast_finish (self->session, result, &error);
  if (is_gone (self))
    return;
  show_overview (self, overview, error);
}

static void
on_overview_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MwOverviewPage) self = user_data;
  g_autoptr(MwStatsOverview) overview = NULL;
  g_autoptr(GError) error = NULL;

  overview = mw_session_get_overview_finish (self->session, result, &error);
  if (is_gone (self))
    return;
  show_overview (self, overview, error);
}

/* Charts */

static AdwPreferencesGroup *
chart_group (MwOverviewPage *self,
             MwChartKind     kind)
{
  switch (kind)
    {
    case MW_CHART_QUOTA_USE:
      return self->quota_group;
    case MW_CHART_BIGGEST_MAILBOXES:
      return self->biggest_group;
    case MW_CHART_MAIL_PER_GROUP:
      return self->groups_group;
    case MW_CHART_LOGINS_PER_DAY:
      return self->logins_chart_group;
    case MW_CHART_AUTHLOG_PER_DAY:
    case MW_N_CHARTS:
    default:
      return self->authlog_group;
    }
}

static void
on_chart_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MwOverviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  MwChart *chart;
  AdwPreferencesGroup *group;

  chart = mw_session_get_chart_finish (self->session, result, &error);
  if (is_gone (self))
    {
      g_clear_pointer (&chart, mw_chart_free);
      return;
    }
  if (chart == NULL)
    {
      finish_one (self);
      return;
    }
  group = chart_group (self, chart->kind);
  if (chart->title != NULL)
    adw_preferences_group_set_title (group, chart->title);
  /* The server's own login log is shown only where there is one. */
  if (chart->kind == MW_CHART_AUTHLOG_PER_DAY)
    gtk_widget_set_visible (GTK_WIDGET (group), chart->available && chart->points->len > 0);
  if (chart->kind != MW_CHART_BIGGEST_MAILBOXES)
    adw_preferences_group_set_description (group, chart->note);
  else if (!chart->available || chart->points->len == 0)
    adw_preferences_group_set_description (group, chart->note != NULL ? chart->note : _("No mail stored yet."));
  else
    adw_preferences_group_set_description (group, _("Click a bar, or choose it with Up and Down and press Enter, "
                                                    "to open the account."));
  mw_chart_view_set_chart (MW_CHART_VIEW (self->charts[chart->kind]), chart);
  finish_one (self);
}

static void
on_chart_point_activated_cb (MwChartView    *view,
                             const char     *account_key,
                             MwOverviewPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (MW_IS_WINDOW (root))
    mw_window_open_account (MW_WINDOW (root), account_key);
}

/* Login lists */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
on_login_row_activated_cb (AdwActionRow   *row,
                           MwOverviewPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "mw-account-key");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (key != NULL && MW_IS_WINDOW (root))
    mw_window_open_account (MW_WINDOW (root), key);
}

static void
add_text_row (GtkListBox *list,
              const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void
fill_login_list (MwOverviewPage *self,
                 GtkListBox     *list,
                 MwLoginPage    *page,
                 const char     *empty)
{
  clear_list (list);
  if (page->entries->len == 0)
    add_text_row (list, empty);
  for (guint i = 0; i < page->entries->len; i++)
    {
      MwLoginEntry *entry = g_ptr_array_index (page->entries, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *when = entry->time != NULL ? mw_format_date_time (entry->time) : g_strdup (_("Never"));
      GString *subtitle = g_string_new (when);

      if (entry->user != NULL)
        title = g_strdup (entry->user);
      else
        title = g_strdup (entry->address != NULL ? entry->address : "");
      if (entry->user != NULL && entry->address != NULL)
        g_string_append_printf (subtitle, " · %s", entry->address);
      if (entry->service != NULL)
        g_string_append_printf (subtitle, " · %s", entry->service);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      g_string_free (subtitle, TRUE);
      if (entry->account_key != NULL)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     g_object_new (GTK_TYPE_IMAGE, "icon-name", "go-next-symbolic",
                                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL));
          g_object_set_data_full (G_OBJECT (row), "mw-account-key", g_strdup (entry->account_key), g_free);
          g_signal_connect_object (row, "activated", G_CALLBACK (on_login_row_activated_cb), self, 0);
        }
      gtk_list_box_append (list, row);
    }
  if (page->total > page->offset + page->entries->len)
    {
      g_autofree char *more = NULL;
      guint64 rest = page->total - page->offset - page->entries->len;

      /* Translators: after the first rows of a list of logins */
      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %" G_GUINT64_FORMAT " more",
                                           "and %" G_GUINT64_FORMAT " more", rest), rest);
      add_text_row (list, more);
    }
}

static void
on_recent_logins_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MwOverviewPage) self = user_data;
  g_autoptr(MwLoginPage) page = NULL;
  g_autoptr(GError) error = NULL;
  page = mw_session_list_recent_logins_finish (self->session, result, &error);
  if (is_gone (self))
    return;
  if (page != NULL)
    {
      g_autofree char *empty = NULL;
      guint hours = (guint) gtk_spin_button_get_value_as_int (self->hours_spin);

      empty = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No logins in the last hour",
                                            "No logins in the last %u hours", hours), hours);
      adw_preferences_group_set_description (self->logins_group, page->note);
      fill_login_list (self, self->logins_list, page, empty);
    }
  else if (!is_cancelled (error))
    {
      clear_list (self->logins_list);
      add_text_row (self->logins_list, error->message);
    }
  finish_one (self);
}

static void
on_unused_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MwOverviewPage) self = user_data;
  g_autoptr(MwLoginPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = mw_session_list_unused_accounts_finish (self->session, result, &error);
  if (is_gone (self))
    return;
  if (page != NULL)
    {
      adw_preferences_group_set_description (self->unused_group, page->note);
      fill_login_list (self, self->unused_list, page, _("Every account logged in during these days"));
    }
  else if (!is_cancelled (error))
    {
      clear_list (self->unused_list);
      add_text_row (self->unused_list, error->message);
    }
  finish_one (self);
}

static void
on_before_smtp_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MwOverviewPage) self = user_data;
  g_autoptr(MwLoginPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = mw_session_list_before_smtp_finish (self->session, result, &error);
  if (is_gone (self))
    return;
  if (page != NULL)
    fill_login_list (self, self->pbsp_list, page, _("No addresses"));
  gtk_widget_set_visible (GTK_WIDGET (self->pbsp_group), page != NULL);
  finish_one (self);
}

/* Server */

static void
add_server_row (MwOverviewPage      *self,
                AdwPreferencesGroup *group,
                const char          *title,
                const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
  g_object_set_data (G_OBJECT (row), "mw-group", group);
  g_ptr_array_add (self->server_rows, row);
}

static void
on_server_status_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MwOverviewPage) self = user_data;
  g_autoptr(MwServerStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = mw_session_get_server_status_finish (self->session, result, &error);
  if (is_gone (self))
    return;
  for (guint i = 0; i < self->server_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->server_rows, i);

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "mw-group"), row);
    }
  g_ptr_array_set_size (self->server_rows, 0);
  if (status == NULL)
    {
      if (!is_cancelled (error))
        adw_preferences_group_set_description (self->server_group, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->tables_group), FALSE);
      finish_one (self);
      return;
    }
  adw_preferences_group_set_description (self->server_group, NULL);
  {
    const char *type = status->database_type != NULL ? status->database_type : "";
    const char *server = status->server_version != NULL ? status->server_version : "";
    g_autofree char *version = g_str_has_prefix (server, type) ? g_strdup (server)
                                                               : g_strjoin (" ", type, server, NULL);
    g_autofree char *sessions = g_strdup_printf ("%u", status->n_sessions);

    add_server_row (self, self->server_group, _("Version"), g_strstrip (version));
    if (status->database != NULL)
      add_server_row (self, self->server_group, _("Database"), status->database);
    if (status->database_bytes != MW_STAT_ABSENT)
      {
        g_autofree char *size = g_format_size ((guint64) status->database_bytes);

        add_server_row (self, self->server_group, _("Size"), size);
      }
    /* Translators: connections to the database server now */
    add_server_row (self, self->server_group, _("Sessions"), sessions);
    if (status->replication != NULL)
      add_server_row (self, self->server_group, _("Replication"), status->replication);
  }
  for (guint i = 0; status->tables != NULL && i < status->tables->len && i < 10; i++)
    {
      MwTableSize *table = g_ptr_array_index (status->tables, i);
      g_autofree char *size = g_format_size ((guint64) MAX (table->bytes, 0));
      g_autofree char *text = NULL;

      if (table->rows >= 0)
        /* Translators: a table's size and its rows as the server estimates them: "1.2 MB, about 3400 rows" */
        text = g_strdup_printf (_("%s, about %" G_GINT64_FORMAT " rows"), size, table->rows);
      else
        text = g_strdup (size);
      add_server_row (self, self->tables_group, table->name, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tables_group), status->tables != NULL && status->tables->len > 0);
  finish_one (self);
}

/* Refresh */

static void
read_logins (MwOverviewPage *self)
{
  self->pending++;
  mw_session_list_recent_logins_async (self->session, (guint) gtk_spin_button_get_value_as_int (self->hours_spin),
                                       0, LIST_LIMIT, self->cancellable, on_recent_logins_cb, g_object_ref (self));
}

static void
read_unused (MwOverviewPage *self)
{
  self->pending++;
  mw_session_list_unused_accounts_async (self->session, (guint) gtk_spin_button_get_value_as_int (self->days_spin),
                                         0, LIST_LIMIT, self->cancellable, on_unused_cb, g_object_ref (self));
}

static void
start_refresh (MwOverviewPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.reload", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
}

void
mw_overview_page_refresh (MwOverviewPage *self)
{
  MwSchema *schema;

  g_return_if_fail (MW_IS_OVERVIEW_PAGE (self));

  if (self->pending > 0 || is_gone (self))
    return;
  self->started = TRUE;
  schema = mw_session_get_schema (self->session);
  start_refresh (self);
  self->failed = FALSE;
  say (self, _("Reading…"));
  /* The figures first: they are the quickest and the most looked at; the
   * big tables' exact counts follow (show_overview ()). */
  self->pending++;
  mw_session_get_overview_fast_async (self->session, self->cancellable, on_overview_fast_cb, g_object_ref (self));
  if (mw_schema_has_stats (schema))
    {
      for (guint kind = 0; kind < MW_N_CHARTS; kind++)
        {
          self->pending++;
          mw_session_get_chart_async (self->session, kind, 0, self->cancellable, on_chart_cb, g_object_ref (self));
        }
      read_logins (self);
      read_unused (self);
      if (mw_schema_has_before_smtp (schema))
        {
          self->pending++;
          mw_session_list_before_smtp_async (self->session, 0, LIST_LIMIT, self->cancellable, on_before_smtp_cb,
                                             g_object_ref (self));
        }
    }
  else
    {
      for (guint kind = 0; kind < MW_N_CHARTS; kind++)
        gtk_widget_set_visible (GTK_WIDGET (chart_group (self, kind)), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->logins_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->unused_group), FALSE);
    }
  self->pending++;
  mw_session_get_server_status_async (self->session, self->cancellable, on_server_status_cb, g_object_ref (self));
}

/* A changed number of hours or days reads that list alone, or after the
 * reads that run now. */
static void
on_hours_changed_cb (MwOverviewPage *self)
{
  if (!self->started)
    return;
  if (self->pending > 0)
    {
      self->reread_logins = TRUE;
      return;
    }
  start_refresh (self);
  read_logins (self);
}

static void
on_days_changed_cb (MwOverviewPage *self)
{
  if (!self->started)
    return;
  if (self->pending > 0)
    {
      self->reread_unused = TRUE;
      return;
    }
  start_refresh (self);
  read_unused (self);
}

void
mw_overview_page_set_login_hours (MwOverviewPage *self,
                                  guint           hours)
{
  g_return_if_fail (MW_IS_OVERVIEW_PAGE (self));

  gtk_spin_button_set_value (self->hours_spin, hours);
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  mw_overview_page_refresh (MW_OVERVIEW_PAGE (widget));
}

static gboolean
on_timer_cb (gpointer data)
{
  MwOverviewPage *self = data;

  /* Never while a refresh runs, and only what someone can see. */
  if (self->pending == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    mw_overview_page_refresh (self);
  return G_SOURCE_CONTINUE;
}

static void
update_timer (MwOverviewPage *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->interval = self->settings != NULL ? (guint) MAX (g_settings_get_int (self->settings, "overview-refresh"), 0)
                                          : 0;
  if (self->interval > 0)
    self->timer_id = g_timeout_add_seconds (self->interval, on_timer_cb, self);
  show_updated (self);
}

static void
on_map_cb (MwOverviewPage *self)
{
  if (!self->started)
    mw_overview_page_refresh (self);
}

GtkWidget *
mw_overview_page_new (MwSession *session,
                      GSettings *settings)
{
  MwOverviewPage *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_OVERVIEW_PAGE, NULL);
  self->session = g_object_ref (session);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_object (settings, "changed::overview-refresh", G_CALLBACK (update_timer), self,
                               G_CONNECT_SWAPPED);
    }
  update_timer (self);
  return GTK_WIDGET (self);
}

gboolean
mw_overview_page_is_refreshing (MwOverviewPage *self)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), FALSE);
  return self->pending > 0;
}

guint
mw_overview_page_get_n_refreshes (MwOverviewPage *self)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), 0);
  return self->n_refreshes;
}

guint
mw_overview_page_get_refresh_interval (MwOverviewPage *self)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), 0);
  return self->interval;
}

const char *
mw_overview_page_get_figure_text (MwOverviewPage *self,
                                  MwStat          stat)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), NULL);
  g_return_val_if_fail (stat < MW_N_STATS, NULL);

  if (!gtk_widget_get_visible (self->figure_tiles[stat]))
    return NULL;
  return gtk_label_get_text (self->figure_values[stat]);
}

gboolean
mw_overview_page_get_figure_estimated (MwOverviewPage *self,
                                       MwStat          stat)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), FALSE);
  g_return_val_if_fail (stat < MW_N_STATS, FALSE);

  return self->estimated[stat];
}

const char *
mw_overview_page_get_database_text (MwOverviewPage *self)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), NULL);

  return gtk_widget_get_visible (self->database_tile) ? self->database_text : NULL;
}

GtkWidget *
mw_overview_page_get_chart_view (MwOverviewPage *self,
                                 MwChartKind     kind)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), NULL);
  g_return_val_if_fail (kind < MW_N_CHARTS, NULL);

  return self->charts[kind];
}

GtkListBox *
mw_overview_page_get_logins_list (MwOverviewPage *self)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), NULL);
  return self->logins_list;
}

GtkListBox *
mw_overview_page_get_unused_list (MwOverviewPage *self)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), NULL);
  return self->unused_list;
}

GtkListBox *
mw_overview_page_get_before_smtp_list (MwOverviewPage *self)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), NULL);
  return self->pbsp_list;
}

const char *
mw_overview_page_get_server_value (MwOverviewPage *self,
                                   const char     *title)
{
  g_return_val_if_fail (MW_IS_OVERVIEW_PAGE (self), NULL);

  for (guint i = 0; i < self->server_rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->server_rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return adw_action_row_get_subtitle (row);
    }
  return NULL;
}

static void
mw_overview_page_dispose (GObject *object)
{
  MwOverviewPage *self = MW_OVERVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (mw_overview_page_parent_class)->dispose (object);
}

static void
mw_overview_page_finalize (GObject *object)
{
  MwOverviewPage *self = MW_OVERVIEW_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_rows, g_ptr_array_unref);
  g_free (self->updated);
  g_free (self->database_text);

  G_OBJECT_CLASS (mw_overview_page_parent_class)->finalize (object);
}

static void
mw_overview_page_class_init (MwOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_overview_page_dispose;
  object_class->finalize = mw_overview_page_finalize;

  g_type_ensure (MW_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, quota_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, biggest_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, groups_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, logins_chart_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, authlog_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, logins_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, unused_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, pbsp_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, tables_group);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, hours_spin);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, days_spin);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, logins_list);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, unused_list);
  gtk_widget_class_bind_template_child (widget_class, MwOverviewPage, pbsp_list);
  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);

  /**
   * MwOverviewPage::figures-shown:
   * @exact: FALSE after the first step (estimates, "counting…"), TRUE
   *   when every figure shown is counted
   */
  signals[FIGURES_SHOWN] = g_signal_new ("figures-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
mw_overview_page_init (MwOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->server_rows = g_ptr_array_new ();
  for (guint i = 0; i < MW_N_STATS; i++)
    make_tile (self, &self->figure_tiles[i], &self->figure_values[i], mw_stat_label (i));
  make_tile (self, &self->database_tile, &self->database_value, _("Database"));
  for (guint kind = 0; kind < MW_N_CHARTS; kind++)
    {
      MwChartViewStyle style = kind == MW_CHART_LOGINS_PER_DAY || kind == MW_CHART_AUTHLOG_PER_DAY
                                 ? MW_CHART_VIEW_COLUMNS : MW_CHART_VIEW_BARS;

      self->charts[kind] = mw_chart_view_new (style);
      gtk_widget_set_margin_top (self->charts[kind], 6);
      adw_preferences_group_add (chart_group (self, kind), self->charts[kind]);
    }
  mw_chart_view_set_activatable (MW_CHART_VIEW (self->charts[MW_CHART_BIGGEST_MAILBOXES]), TRUE);
  g_signal_connect_object (self->charts[MW_CHART_BIGGEST_MAILBOXES], "activate-point",
                           G_CALLBACK (on_chart_point_activated_cb), self, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  g_signal_connect_swapped (self->hours_spin, "value-changed", G_CALLBACK (on_hours_changed_cb), self);
  g_signal_connect_swapped (self->days_spin, "value-changed", G_CALLBACK (on_days_changed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
}
