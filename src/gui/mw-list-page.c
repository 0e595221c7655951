/* mw-list-page.c: one global list (users, aliases, ...) of any size.
 *
 * The column view shows an MwPagedModel directly: sorting and filtering are
 * SQL, never a GtkSortListModel or GtkFilterListModel (those touch every row).
 * Column headers still sort: each column has a sorter of its own that only
 * tells which column and direction the person chose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-list-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "mw-list-page.h"
#include "mw-busy-indicator.h"
#include "mw-format.h"
#include "mw-ramp-model.h"
#include "mailwarden-core.h"

struct _MwListPage
{
  GtkWidget       parent_instance;

  MwSession      *session;
  MwListKind      kind;
  const MwListInfo *info;
  GPtrArray      *columns;       /* the MwListColumns the window shows, in order */
  MwPagedModel   *model;
  MwListRequest   request;
  char           *search;
  GPtrArray      *sorters;       /* the GtkSorter of each column, or NULL */
  GPtrArray      *spare_cells;   /* GtkInscriptions of rows that went away, for the next rows */
  GtkStringList  *group_names;
  GArray         *group_ids;     /* gint64, parallel to group_names after "All groups" */
  GCancellable   *cancellable;
  gboolean        updating_sort;
  gboolean        disposed;
  gboolean        started;     /* queries run from the first time the page is shown */
  gboolean        groups_requested;
  GPtrArray      *pending_cells; /* GtkListItems whose row's page arrived, to fill in */
  guint           cells_tick_id;
  GdkFrameClock  *paint_clock;   /* waiting for the first rows to be drawn */
  gulong          paint_handler;
  guint           release_id;
  guint           fit_id;        /* an idle that fits the columns to a new width */
  int             fitted_width;  /* the width they were fitted to, or -1 */
  char           *focus_key;     /* an account whose row gets the focus once shown */
  guint           focus_position;
  guint           focus_tick_id;
  guint           focus_ticks;

  /* Template widgets */
  GtkSearchEntry *search_entry;
  GtkDropDown    *group_dropdown;
  MwBusyIndicator *spinner;
  GtkLabel       *count_label;
  GtkStack       *state_stack;
  GtkColumnView  *column_view;
  AdwStatusPage  *empty_page;
  AdwStatusPage  *error_page;
};

G_DEFINE_FINAL_TYPE (MwListPage, mw_list_page, GTK_TYPE_WIDGET)

enum { SIGNAL_OPEN_ACCOUNT, SIGNAL_OPEN_ADDRESS, SIGNAL_SHOW_LIST, SIGNAL_OPEN_DOMAIN, SIGNAL_OPEN_SHARED_FOLDER,
       N_SIGNALS };
static guint signals[N_SIGNALS];

/* Cells */

/* A stored domain in Unicode ("bücher.example"), as an address's domain is
 * shown (mw_format_address reads only addresses). */
static char *
format_domain (const char *stored)
{
  g_autofree char *at = g_strconcat ("@", stored, NULL);
  g_autofree char *shown = mw_format_address (at);

  return g_strdup (shown[0] == '@' ? shown + 1 : shown);
}

/* Whether the column shows stored addresses or domains, which are shown in
 * Unicode with the stored form in the cell's tooltip. */
static gboolean
column_shows_addresses (const MwListColumn *column)
{
  return column->format == MW_LIST_FORMAT_ADDRESS || column->format == MW_LIST_FORMAT_TARGET ||
         column->format == MW_LIST_FORMAT_LOGIN_NAME || column->format == MW_LIST_FORMAT_USER ||
         g_strcmp0 (column->id, "domain") == 0 || g_strcmp0 (column->id, "domains") == 0 ||
         g_strcmp0 (column->id, "target_domain") == 0;
}

/* The stored text as shown: dates in the one form of mw-format, addresses
 * and domains in Unicode. Exports keep the stored form (mw-window-export.c). */
static char *
format_stored_text (const MwListColumn *column,
                    const char         *text)
{
  if (column->format == MW_LIST_FORMAT_LOGIN)
    return mw_format_timestamp_text (text);
  if (column->format == MW_LIST_FORMAT_ADDRESS || column->format == MW_LIST_FORMAT_TARGET ||
      column->format == MW_LIST_FORMAT_LOGIN_NAME || column->format == MW_LIST_FORMAT_USER)
    return mw_format_address (text);
  if (g_strcmp0 (column->id, "domain") == 0 || g_strcmp0 (column->id, "target_domain") == 0)
    return format_domain (text);
  if (g_strcmp0 (column->id, "domains") == 0)
    {
      g_auto(GStrv) parts = g_strsplit (text, ", ", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *shown = format_domain (parts[i]);

          g_free (parts[i]);
          parts[i] = shown;
        }
      return g_strjoinv (", ", parts);
    }
  return g_strdup (text);
}

/* The cell's text; *stored (when not NULL) gets the stored form where the
 * text shows it otherwise (an address in Unicode), else NULL. */
static char *
format_cell (MwRecord           *record,
             const MwListColumn *column,
             char              **stored)
{
  MwListValue value;
  g_autofree char *text = NULL;

  if (stored != NULL)
    *stored = NULL;
  if (!mw_record_get_loaded (record))
    return NULL;
  mw_list_column_read_record (column, record, &value);
  /* No rights at all has words of its own ("no one may read it yet"). */
  if (value.is_null && column->format != MW_LIST_FORMAT_RIGHTS)
    return g_strdup ("");
  if (column->type == MW_LIST_VALUE_BOOLEAN)
    return g_strdup (value.number != 0 ? _("Yes") : _("No"));

  if (value.text != NULL && (column->format == MW_LIST_FORMAT_LOGIN || column_shows_addresses (column)))
    {
      text = format_stored_text (column, value.text);
      if (stored != NULL && column_shows_addresses (column) && g_strcmp0 (text, value.text) != 0)
        *stored = g_strdup (value.text);
    }
  else
    text = mw_list_value_format (column, &value);
  switch (value.mark)
    {
    case MW_LIST_MARK_UNLIMITED:
      return g_strdup (C_("quota", "Unlimited"));
    case MW_LIST_MARK_NEVER:
      return g_strdup (C_("last login", "Never"));
    case MW_LIST_MARK_PLAIN_TEXT:
      return g_strdup (_("plain text"));
    case MW_LIST_MARK_NO_SUCH_USER:
      return g_strdup (_("(no such user)"));
    case MW_LIST_MARK_PROGRAM:
      /* Translators: a forward into a program */
      return g_strdup_printf (_("%s (program)"), text);
    case MW_LIST_MARK_CATCH_ALL:
      /* Translators: an alias that catches every address of a domain */
      return g_strdup_printf (_("%s (catch-all)"), text);
    case MW_LIST_MARK_NONE:
    default:
      return g_steal_pointer (&text);
    }
}

/* What a screen reader reads for a row: GTK 4.8 gives tables no column
 * headers for assistive technologies, so each row is named by its cells,
 * "alice, Number: 12, Group: 0, …" (hidden columns too: the row is the
 * whole record, whatever the window's width). */
static char *
describe_row (MwListPage *self,
              MwRecord   *record)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      const MwListColumn *column = g_ptr_array_index (self->columns, i);
      g_autofree char *cell = format_cell (record, column, NULL);

      if (cell == NULL || cell[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      if (i == 0)
        g_string_append (text, cell);
      else
        /* Translators: one cell of a table row as a screen reader reads it: "Quota: 1 GiB" */
        g_string_append_printf (text, C_("table cell", "%s: %s"), _(column->title), cell);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The row widget GtkColumnView made for the cell's label (label, cell, row). */
static GtkWidget *
cell_row_widget (GtkWidget *label)
{
  GtkWidget *cell = gtk_widget_get_parent (label);

  return cell != NULL ? gtk_widget_get_parent (cell) : NULL;
}

static void
update_cell (GtkListItem *item)
{
  const MwListColumn *column = g_object_get_data (G_OBJECT (item), "mw-column");
  MwListPage *self = g_object_get_data (G_OBJECT (item), "mw-page");
  MwRecord *record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  g_autofree char *stored = NULL;

  /* A row torn down while its cells waited has no child any more. */
  if (label == NULL)
    return;
  text = record != NULL ? format_cell (record, column, &stored) : NULL;
  gtk_inscription_set_text (GTK_INSCRIPTION (label), text);
  if (column_shows_addresses (column))
    gtk_widget_set_tooltip_text (label, stored);
  /* The row's first cell names the row for screen readers. */
  if (self != NULL && !self->disposed && self->columns != NULL && self->columns->len > 0 &&
      g_ptr_array_index (self->columns, 0) == column)
    {
      GtkWidget *row = cell_row_widget (label);
      g_autofree char *name = record != NULL && mw_record_get_loaded (record) ? describe_row (self, record) : NULL;

      if (row != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        name != NULL ? name : "", -1);
    }
}

/* A page of 200 rows arrives in one piece, and filling every placeholder
 * row GTK 4.8 keeps (up to 200, 8 cells each) in one frame costs that frame
 * 60-100 ms of text layout. The cells are filled over several frames
 * instead: up to 64 on screen per frame (a screenful in four frames), then
 * 32 of those off screen. (Fewer after heavy frames, as MwRampModel does,
 * made no frame shorter: the heavy frames that follow a new page are not
 * made by the cells filled in them; it only made the screen fill later.) */
#define CELLS_ON_SCREEN_PER_FRAME 64
#define CELLS_PER_FRAME 32

static gboolean
cell_on_screen (GtkListItem *item,
                GtkWidget   *view,
                int          height)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  graphene_rect_t bounds;

  if (label == NULL || !gtk_widget_get_mapped (label) || !gtk_widget_compute_bounds (label, view, &bounds))
    return FALSE;
  return bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < height;
}

static void
fill_pending_cell (MwListPage *self,
                   guint       index)
{
  GtkListItem *item = g_ptr_array_steal_index_fast (self->pending_cells, index);

  g_object_set_data (G_OBJECT (item), "mw-pending", NULL);
  update_cell (item);
  g_object_unref (item);
}

static gboolean
on_cells_tick_cb (GtkWidget     *view,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  MwListPage *self = user_data;
  int height = gtk_widget_get_height (view);
  guint filled = 0;

  for (guint i = 0; i < self->pending_cells->len && filled < CELLS_ON_SCREEN_PER_FRAME;)
    {
      if (cell_on_screen (g_ptr_array_index (self->pending_cells, i), view, height))
        {
          fill_pending_cell (self, i);
          filled++;
        }
      else
        i++;
    }
  for (guint rest = 0; self->pending_cells->len > 0 && rest < CELLS_PER_FRAME; rest++)
    {
      fill_pending_cell (self, self->pending_cells->len - 1);
      filled++;
    }
  if (self->pending_cells->len > 0)
    return G_SOURCE_CONTINUE;
  self->cells_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
clear_pending_cells (MwListPage *self)
{
  if (self->cells_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->column_view), self->cells_tick_id);
  self->cells_tick_id = 0;
  while (self->pending_cells != NULL && self->pending_cells->len > 0)
    {
      GtkListItem *item = g_ptr_array_steal_index_fast (self->pending_cells, self->pending_cells->len - 1);

      g_object_set_data (G_OBJECT (item), "mw-pending", NULL);
      g_object_unref (item);
    }
}

/* Fills the cell now if nobody sees it, else with the next frames. */
static void
queue_cell (GtkListItem *item)
{
  MwListPage *self = g_object_get_data (G_OBJECT (item), "mw-page");

  if (self == NULL || self->disposed || !gtk_widget_get_mapped (GTK_WIDGET (self->column_view)))
    {
      update_cell (item);
      return;
    }
  if (g_object_get_data (G_OBJECT (item), "mw-pending") != NULL)
    return;
  g_object_set_data (G_OBJECT (item), "mw-pending", GINT_TO_POINTER (1));
  g_ptr_array_add (self->pending_cells, g_object_ref (item));
  if (self->cells_tick_id == 0)
    self->cells_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->column_view), on_cells_tick_cb, self, NULL);
}

static void
on_record_loaded_cb (MwRecord    *record,
                     GParamSpec  *pspec,
                     GtkListItem *item)
{
  queue_cell (item);
}

/* A new query replaces every row widget of the column view (GTK 4.8 keeps
 * about 200 rows, 8 cells each, whatever the window's height), and a new
 * GtkInscription computes its style and font before it has a parent, which
 * is most of what a row costs us. The cells of the rows that went away are
 * kept here and given to the next rows. */
#define MAX_SPARE_CELLS 4096

typedef struct
{
  GPtrArray *spares;
  GtkWidget *label;
} CellRef;

static void
cell_ref_release (gpointer data)
{
  CellRef *ref = data;

  /* The list item is going away and has let go of its child by now. */
  if (ref->spares->len < MAX_SPARE_CELLS && gtk_widget_get_parent (ref->label) == NULL)
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (ref->label), NULL);
      gtk_widget_set_tooltip_text (ref->label, NULL);
      g_object_set_data (G_OBJECT (ref->label), "mw-item", NULL);
      g_ptr_array_add (ref->spares, g_steal_pointer (&ref->label));
    }
  else
    g_object_unref (ref->label);
  g_ptr_array_unref (ref->spares);
  g_free (ref);
}

static guint
cell_nat_chars (const MwListColumn *column)
{
  return (column->flags & MW_LIST_COLUMN_EXPAND) != 0 ? 28 : column->format == MW_LIST_FORMAT_LOGIN ? 16 : 10;
}

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     MwListPage               *self)
{
  const MwListColumn *column = g_object_get_data (G_OBJECT (factory), "mw-column");
  gboolean numeric = column->type == MW_LIST_VALUE_NUMBER;
  GtkWidget *label;
  CellRef *ref;

  if (self->spare_cells->len > 0)
    label = g_ptr_array_steal_index_fast (self->spare_cells, self->spare_cells->len - 1);
  else
    label = g_object_ref_sink (gtk_inscription_new (NULL));

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 4);
  /* One line, centred: GTK 4.8 draws an ellipsized text (a narrow column)
   * at the top of its allocation, not at yalign, so the cell is given just
   * one line's height in the middle of the row. */
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (label), 1);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), cell_nat_chars (column));
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), numeric ? 1.0 : 0.0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  else
    gtk_widget_remove_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (item), "mw-column", (gpointer) column);
  g_object_set_data (G_OBJECT (item), "mw-page", self);
  g_object_set_data (G_OBJECT (label), "mw-item", item);
  gtk_list_item_set_child (item, label);

  ref = g_new0 (CellRef, 1);
  ref->spares = g_ptr_array_ref (self->spare_cells);
  ref->label = label;  /* our reference */
  g_object_set_data_full (G_OBJECT (item), "mw-cell", ref, cell_ref_release);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    const MwListColumn       *column)
{
  MwRecord *record = gtk_list_item_get_item (item);

  /* A placeholder keeps its row height and fills in when its page arrives;
   * a new query turns the record back into a placeholder and fills it again. */
  g_signal_connect_object (record, "notify::loaded", G_CALLBACK (on_record_loaded_cb), item, 0);
  /* A row of a loaded record (scrolling back to rows seen before) fills in
   * with the next frames too: 200 of them at once cost a frame 80 ms. */
  if (mw_record_get_loaded (record))
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), NULL);
      queue_cell (item);
    }
  else
    update_cell (item);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      const MwListColumn       *column)
{
  MwRecord *record = gtk_list_item_get_item (item);

  if (record != NULL)
    g_signal_handlers_disconnect_by_func (record, on_record_loaded_cb, item);
}

/* Sorting: each column's sorter answers "larger", so the column view's own
 * sorter reveals which column leads and in which direction. */

static int probe_column;

static int
column_probe_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  if (probe_column < 0)
    probe_column = GPOINTER_TO_INT (user_data);
  return 1;
}

static void
run_request (MwListPage *self,
             gboolean    keep_position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;

  if (self->disposed || !self->started)
    return;
  self->request.search = self->search;
  query = mw_schema_list_query (mw_session_get_schema (self->session), &self->request, &error);
  if (query == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      return;
    }
  /* A new order or filter starts at the top, as a new list does; the rows
   * keep their widgets (mw_paged_model_set_reuse_rows) and change content. */
  if (!keep_position)
    gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)), 0);
  mw_paged_model_set_query (self->model, query);
}

static void
apply_request (MwListPage *self)
{
  run_request (self, FALSE);
}

static void
on_sorter_changed_cb (GtkSorter       *sorter,
                      GtkSorterChange  change,
                      MwListPage      *self)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  if (self->updating_sort)
    return;

  probe_column = -1;
  order = gtk_sorter_compare (sorter, a, b);

  if (probe_column < 0)
    {
      self->request.sort = MW_SORT_DEFAULT;
      self->request.descending = FALSE;
    }
  else
    {
      self->request.sort = ((const MwListColumn *) g_ptr_array_index (self->columns, probe_column))->sort;
      self->request.descending = order == GTK_ORDERING_SMALLER;
    }
  apply_request (self);
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* The width of an average character of the list's font, in pixels. */
static int
column_char_width (MwListPage *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->column_view));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int width = PANGO_PIXELS_CEIL (pango_font_metrics_get_approximate_char_width (metrics));

  pango_font_metrics_unref (metrics);
  return width > 0 ? width : 8;
}

/* Room for the cell's natural characters (see on_factory_setup_cb) or the
 * title and its sort arrow, whichever is wider, and the cell's padding. */
static int
column_width (const MwListColumn *column,
              const char         *title,
              int                 char_px)
{
  int chars = cell_nat_chars (column);

  chars = MAX (chars, (int) g_utf8_strlen (title, -1) + 3);
  return chars * char_px + 16;
}

static void
build_columns (MwListPage *self)
{
  int char_px = column_char_width (self);

  self->columns = g_ptr_array_new ();
  for (guint i = 0; i < self->info->n_columns; i++)
    if ((self->info->columns[i].flags & MW_LIST_COLUMN_SECONDARY) == 0)
      g_ptr_array_add (self->columns, (gpointer) &self->info->columns[i]);

  self->sorters = g_ptr_array_new_with_free_func (unref_if_set);
  for (guint i = 0; i < self->columns->len; i++)
    {
      const MwListColumn *def = g_ptr_array_index (self->columns, i);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "mw-column", (gpointer) def);
      g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), (gpointer) def);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), (gpointer) def);
      column = gtk_column_view_column_new (_(def->title), factory);
      gtk_column_view_column_set_expand (column, (def->flags & MW_LIST_COLUMN_EXPAND) != 0);
      gtk_column_view_column_set_resizable (column, TRUE);
      /* A column of fixed width is not measured cell by cell: without one,
       * GTK 4.8 measures every cell of the column whenever a row comes or
       * goes, and the frames that add rows spend 25-180 ms in layout. */
      gtk_column_view_column_set_fixed_width (column, column_width (def, _(def->title), char_px));
      if (def->sort != MW_SORT_DEFAULT)
        {
          GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (column_probe_cb, GINT_TO_POINTER (i), NULL));

          gtk_column_view_column_set_sorter (column, sorter);
          g_ptr_array_add (self->sorters, sorter);
        }
      else
        g_ptr_array_add (self->sorters, NULL);
      gtk_column_view_append_column (self->column_view, column);
    }
  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_sorter_changed_cb), self);
}

/* Narrow windows: the least important columns hide when the table is
 * narrower than the columns' widths, the text columns then shrink to half,
 * and the rest hide last. GTK 4.8 has no breakpoints: the page checks its
 * width in an idle after each allocation that changed it (visibility never
 * changes inside size_allocate). The first column never hides. */

/* The columns hidden first, least important first (by column id). */
static const char * const first_to_hide[] = {
  "password_scheme", "number", "user_number", "group", "used", "to_users", "forwards", "last_login",
  "everybody",
};

/* The columns hidden last, after the text columns have shrunk. */
static const char * const last_to_hide[] = {
  "quota", "addresses", "users", "owner", "domains", "target", "mailbox", "user", "enabled",
};

#define COMPACT_CHARS 14

static int
hide_rank (const MwListColumn *column,
           guint               index)
{
  for (guint i = 0; i < G_N_ELEMENTS (first_to_hide); i++)
    if (g_strcmp0 (column->id, first_to_hide[i]) == 0)
      return (int) i;
  for (guint i = 0; i < G_N_ELEMENTS (last_to_hide); i++)
    if (g_strcmp0 (column->id, last_to_hide[i]) == 0)
      return 100 + (int) i;
  /* Any other column: before the shrinking, from the right. */
  return 50 - (int) index;
}

static int
fitted_total (MwListPage *self,
              const int  *widths,
              gboolean   *visible)
{
  int total = 0;

  for (guint i = 0; i < self->columns->len; i++)
    if (visible[i])
      total += widths[i];
  return total;
}

static void
fit_columns (MwListPage *self,
             int         available)
{
  GListModel *cols = gtk_column_view_get_columns (self->column_view);
  guint n = self->columns->len;
  int char_px = column_char_width (self);
  g_autofree int *widths = g_new0 (int, n);
  g_autofree gboolean *visible = g_new0 (gboolean, n);
  g_autofree guint *order = g_new0 (guint, n);
  gboolean compact = FALSE;

  for (guint i = 0; i < n; i++)
    {
      const MwListColumn *def = g_ptr_array_index (self->columns, i);

      widths[i] = column_width (def, _(def->title), char_px);
      visible[i] = TRUE;
      order[i] = i;
    }
  /* The hiding order: by rank, a plain insertion sort of a few columns. */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && hide_rank (g_ptr_array_index (self->columns, order[j]), order[j]) <
                               hide_rank (g_ptr_array_index (self->columns, order[j - 1]), order[j - 1]); j--)
      {
        guint t = order[j];

        order[j] = order[j - 1];
        order[j - 1] = t;
      }

  for (guint k = 0; k < n && fitted_total (self, widths, visible) > available; k++)
    {
      guint i = order[k];
      const MwListColumn *def = g_ptr_array_index (self->columns, i);

      if (i == 0)
        continue;
      if (!compact && hide_rank (def, i) >= 100)
        {
          /* Before the important columns go, the text columns shrink. */
          compact = TRUE;
          for (guint c = 0; c < n; c++)
            if ((((const MwListColumn *) g_ptr_array_index (self->columns, c))->flags & MW_LIST_COLUMN_EXPAND) != 0)
              widths[c] = MIN (widths[c], COMPACT_CHARS * char_px + 16);
          if (fitted_total (self, widths, visible) <= available)
            break;
        }
      visible[i] = FALSE;
    }

  /* What is left goes to the text columns: a column of fixed width does
   * not expand on GTK 4.8. */
  {
    int left = available - fitted_total (self, widths, visible) - 2;
    guint n_expand = 0;

    for (guint i = 0; i < n; i++)
      if (visible[i] && (((const MwListColumn *) g_ptr_array_index (self->columns, i))->flags & MW_LIST_COLUMN_EXPAND) != 0)
        n_expand++;
    for (guint i = 0; i < n && left > 0 && n_expand > 0; i++)
      if (visible[i] && (((const MwListColumn *) g_ptr_array_index (self->columns, i))->flags & MW_LIST_COLUMN_EXPAND) != 0)
        widths[i] += left / (int) n_expand;
  }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (cols, i);

      gtk_column_view_column_set_visible (column, visible[i]);
      gtk_column_view_column_set_fixed_width (column, widths[i]);
    }
}

static gboolean
fit_columns_idle_cb (gpointer data)
{
  MwListPage *self = data;
  GtkAdjustment *adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view));
  int width = adjustment != NULL ? (int) gtk_adjustment_get_page_size (adjustment) : 0;

  self->fit_id = 0;
  if (self->disposed || width <= 0 || width == self->fitted_width)
    return G_SOURCE_REMOVE;
  self->fitted_width = width;
  fit_columns (self, width);
  return G_SOURCE_REMOVE;
}

/* The view's width, told by its horizontal adjustment as it is allocated. */
static void
on_hadjustment_changed_cb (MwListPage *self)
{
  if (self->fit_id == 0 && !self->disposed)
    /* Before the next frame, which the busy indicator and the cells being
     * filled keep coming. */
    self->fit_id = g_idle_add_full (G_PRIORITY_DEFAULT, fit_columns_idle_cb, self, NULL);
}

/* What an empty list says: the search and the group it was filtered by. */
static char *
describe_empty (MwListPage *self)
{
  gboolean searched = self->search != NULL && self->search[0] != '\0';
  g_autofree char *group = g_strdup_printf ("%" G_GINT64_FORMAT, self->request.group);

  if (self->request.has_group && searched && self->kind == MW_LIST_USERS)
    /* Translators: an empty list: "No users in group 3 match “smith”" */
    return g_strdup_printf (_("No users in group %s match “%s”"), group, self->search);
  if (self->request.has_group && self->kind == MW_LIST_USERS)
    /* Translators: an empty list filtered by group: "No users in group 3" */
    return g_strdup_printf (_("No users in group %s"), group);
  if (!searched)
    return g_strdup (_(self->info->empty_title));
  switch (self->kind)
    {
    case MW_LIST_USERS:
      return g_strdup_printf (_("No users match “%s”"), self->search);
    case MW_LIST_ALIASES:
      return g_strdup_printf (_("No aliases match “%s”"), self->search);
    case MW_LIST_FORWARDS:
      return g_strdup_printf (_("No forwards match “%s”"), self->search);
    case MW_LIST_DOMAINS:
      return g_strdup_printf (_("No domains match “%s”"), self->search);
    case MW_LIST_GROUPS:
      return g_strdup_printf (_("No groups match “%s”"), self->search);
    default:
      return g_strdup_printf (_("Nothing matches “%s”"), self->search);
    }
}

/* Focus on an account's row (mw_list_page_focus_account). */

static GtkWidget *
find_list_view (MwListPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

/* The row widget that shows position, or NULL while it has none. */
static GtkWidget *
find_row_widget (MwListPage *self,
                 guint       position)
{
  GtkWidget *list = find_list_view (self);

  for (GtkWidget *row = list != NULL ? gtk_widget_get_first_child (list) : NULL; row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *cell = gtk_widget_get_first_child (row);
      GtkWidget *label = cell != NULL ? gtk_widget_get_first_child (cell) : NULL;
      GtkListItem *item = label != NULL ? g_object_get_data (G_OBJECT (label), "mw-item") : NULL;

      if (item != NULL && gtk_widget_get_mapped (row) && gtk_list_item_get_item (item) != NULL &&
          gtk_list_item_get_position (item) == position)
        return row;
    }
  return NULL;
}

/* The row comes with a frame after the view scrolled to it. */
static gboolean
on_focus_tick_cb (GtkWidget     *view,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  MwListPage *self = user_data;
  GtkWidget *row = find_row_widget (self, self->focus_position);

  if (row == NULL && ++self->focus_ticks < 120)
    return G_SOURCE_CONTINUE;
  if (row != NULL)
    gtk_widget_grab_focus (row);
  self->focus_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
try_focus_account (MwListPage *self)
{
  MwSchema *schema;
  guint n;

  if (self->focus_key == NULL || self->disposed || mw_paged_model_get_loading (self->model))
    return;
  schema = mw_session_get_schema (self->session);
  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (self->model)), 200);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), i);
      g_autofree char *key = NULL;
      GtkWidget *list;

      if (!mw_record_get_loaded (record))
        return;  /* its page comes, and with it another try */
      key = mw_schema_list_row_key (schema, self->kind, record);
      if (g_strcmp0 (key, self->focus_key) != 0)
        continue;
      g_clear_pointer (&self->focus_key, g_free);
      self->focus_position = i;
      self->focus_ticks = 0;
      list = find_list_view (self);
      if (list != NULL)
        gtk_widget_activate_action (list, "list.scroll-to-item", "u", i);
      if (self->focus_tick_id == 0)
        self->focus_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->column_view), on_focus_tick_cb,
                                                            self, NULL);
      return;
    }
}

void
mw_list_page_focus_account (MwListPage *self,
                            const char *account_key)
{
  g_return_if_fail (MW_IS_LIST_PAGE (self));
  g_return_if_fail (account_key != NULL);

  g_free (self->focus_key);
  self->focus_key = g_strdup (account_key);
  try_focus_account (self);
}

/* State */

static void
update_state (MwListPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const GError *error = mw_paged_model_get_error (self->model);
  gboolean loading = mw_paged_model_get_loading (self->model);
  g_autofree char *count = NULL;

  if (self->disposed)
    return;
  mw_busy_indicator_set_busy (self->spinner, loading);

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      gtk_label_set_text (self->count_label, "");
      return;
    }
  if (n == 0 && loading && mw_paged_model_get_query (self->model) != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->state_stack), "list") != 0)
    {
      gtk_stack_set_visible_child_name (self->state_stack, "loading");
      return;
    }
  if (n == 0 && !loading)
    {
      g_autofree char *title = describe_empty (self);

      adw_status_page_set_title (self->empty_page, title);
      adw_status_page_set_description (self->empty_page, NULL);
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
    }
  else if (n > 0)
    gtk_stack_set_visible_child_name (self->state_stack, "list");

  if (mw_paged_model_get_count_is_lower_bound (self->model))
    /* Translators: a search's first page is on screen and its matches are still being counted. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "At least %u row", "At least %u rows", n), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", n), n);
  gtk_label_set_text (self->count_label, count);
  try_focus_account (self);
}

static void
on_model_notify_cb (MwListPage *self)
{
  update_state (self);
}

static void
on_search_entry_search_changed_cb (MwListPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* No search yet and an empty entry are the same list: the entry says
   * "changed" once after it is built, which would otherwise run the same
   * query again and build every row of the list a second time. */
  if (g_strcmp0 (text, self->search != NULL ? self->search : "") == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  apply_request (self);
}

static void
on_retry_button_clicked_cb (MwListPage *self)
{
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  run_request (self, TRUE);
}

/* The text of a row's cell, by the column's id (ids are stable: see
 * mw-list-info.h), or NULL. */
static const char *
row_text (MwListPage *self,
          MwRecord   *record,
          const char *column_id)
{
  const MwListColumn *column = mw_list_info_find_column (self->info, column_id);
  MwListValue value;

  if (column == NULL)
    return NULL;
  mw_list_column_read_record (column, record, &value);
  return value.text;
}

static void
on_column_view_activate_cb (MwListPage *self,
                            guint       position)
{
  g_autoptr(MwRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  MwSchema *schema = mw_session_get_schema (self->session);

  if (record == NULL || !mw_record_get_loaded (record))
    return;

  switch (self->kind)
    {
    case MW_LIST_USERS:
      {
        g_autofree char *key = mw_schema_list_row_key (schema, self->kind, record);

        if (key != NULL)
          g_signal_emit (self, signals[SIGNAL_OPEN_ACCOUNT], 0, key);
      }
      return;
    case MW_LIST_ALIASES:
    case MW_LIST_FORWARDS:
      {
        const char *address = row_text (self, record, "address");

        if (address != NULL)
          g_signal_emit (self, signals[SIGNAL_OPEN_ADDRESS], 0, address);
      }
      return;
    case MW_LIST_DOMAINS:
      {
        const char *domain = row_text (self, record, "domain");
        g_autofree char *search = NULL;

        if (domain == NULL)
          return;
        /* A domain that is a row of its own opens; elsewhere its addresses show. */
        if (mw_schema_can (schema, MW_SCHEMA_CAN_DOMAINS_TABLE))
          {
            g_signal_emit (self, signals[SIGNAL_OPEN_DOMAIN], 0, domain);
            return;
          }
        search = g_strconcat ("@", domain, NULL);
        g_signal_emit (self, signals[SIGNAL_SHOW_LIST], 0, MW_LIST_ALIASES, search, FALSE, (gint64) 0);
      }
      return;
    case MW_LIST_SHARING:
      {
        /* The window opens its rights (mw-rights-dialog.c), by the folder's name in UTF-8. */
        const char *folder = row_text (self, record, "folder");
        const char *grantee = row_text (self, record, "grantee");
        g_autofree char *shown = folder != NULL ? mw_imap_utf7_decode (folder) : NULL;

        if (shown != NULL && grantee != NULL)
          g_signal_emit (self, signals[SIGNAL_OPEN_SHARED_FOLDER], 0, shown, grantee);
      }
      return;
    case MW_LIST_LOGIN_MAPS:
      {
        /* The window asks whether to delete it (mw-login-map-dialog.c), by its key. */
        g_autofree char *key = mw_schema_list_row_key (schema, self->kind, record);

        if (key != NULL)
          g_signal_emit (self, signals[SIGNAL_OPEN_DOMAIN], 0, key);
      }
      return;
    case MW_LIST_FILTERS:
      {
        /* The window asks whether to delete it (mw-filter-dialog.c), by its number. */
        const MwListColumn *column = mw_list_info_find_column (self->info, "number");
        MwListValue value;
        g_autofree char *id = NULL;

        if (column == NULL)
          return;
        mw_list_column_read_record (column, record, &value);
        if (value.is_null || value.number <= 0)
          return;
        id = g_strdup_printf ("%" G_GINT64_FORMAT, value.number);
        g_signal_emit (self, signals[SIGNAL_OPEN_DOMAIN], 0, id);
      }
      return;
    case MW_LIST_ALIAS_DOMAINS:
      {
        /* The window asks what to do with it (mw-alias-domain-dialog.c). */
        const char *domain = row_text (self, record, "domain");

        if (domain != NULL)
          g_signal_emit (self, signals[SIGNAL_OPEN_DOMAIN], 0, domain);
      }
      return;
    case MW_LIST_GROUPS:
      {
        const MwListColumn *column = mw_list_info_find_column (self->info, "group");
        MwListValue value;

        if (column == NULL)
          return;
        mw_list_column_read_record (column, record, &value);
        if (!value.is_null)
          g_signal_emit (self, signals[SIGNAL_SHOW_LIST], 0, MW_LIST_USERS, "", TRUE, value.number);
      }
      return;
    default:
      return;
    }
}

/* Groups for the selector */

static void
on_groups_loaded_cb (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(MwListPage) self = user_data;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;

  groups = mw_session_list_groups_finish (self->session, res, &error);
  if (groups == NULL || self->disposed)
    return;
  for (guint i = 0; i < groups->len; i++)
    {
      const MwGroupCount *count = g_ptr_array_index (groups, i);
      g_autofree char *label = NULL;

      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, count->group);
      g_autofree char *users_text = g_strdup_printf ("%" G_GINT64_FORMAT, count->accounts);

      /* Translators: an entry of the group selector: "Group 3 (120 users)" */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Group %s (%s user)", "Group %s (%s users)",
                                            (gulong) count->accounts),
                               id_text, users_text);
      gtk_string_list_append (self->group_names, label);
      g_array_append_val (self->group_ids, count->group);
    }
}

static void
on_group_dropdown_selected_cb (GtkDropDown *dropdown,
                               GParamSpec  *pspec,
                               MwListPage  *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  gboolean has_group = selected != GTK_INVALID_LIST_POSITION && selected > 0;
  gint64 group = has_group ? g_array_index (self->group_ids, gint64, selected - 1) : 0;

  if (has_group == self->request.has_group && group == self->request.group)
    return;
  self->request.has_group = has_group;
  self->request.group = group;
  apply_request (self);
}

/* Background work: the exact count and page anchors after each new query,
 * and the group selector's counts once, read whole tables on the server. They
 * start after the first rows of a query are drawn, so that they do not
 * compete with that frame for the processors (on PostgreSQL each is a
 * parallel scan that keeps every core busy for a few hundred ms). */

static void
stop_waiting_for_paint (MwListPage *self)
{
  /* A clock that went away with its window has dropped the handler already. */
  if (self->paint_handler != 0 && g_signal_handler_is_connected (self->paint_clock, self->paint_handler))
    g_signal_handler_disconnect (self->paint_clock, self->paint_handler);
  self->paint_handler = 0;
  g_clear_object (&self->paint_clock);
  g_clear_handle_id (&self->release_id, g_source_remove);
}

static void
release_background (MwListPage *self)
{
  stop_waiting_for_paint (self);
  if (self->disposed)
    return;
  /* The groups first: the page anchors, queued behind them, are what a jump
   * into the list waits for, and nothing else should still run then. */
  if (self->group_names != NULL && !self->groups_requested)
    {
      self->groups_requested = TRUE;
      mw_session_list_groups_async (self->session, self->cancellable, on_groups_loaded_cb, g_object_ref (self));
    }
  mw_paged_model_release_follow_ups (self->model);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   MwListPage    *self)
{
  release_background (self);
}

/* A page that is not drawn (a hidden window) must not hold its count back. */
static gboolean
release_timeout_cb (gpointer data)
{
  MwListPage *self = data;

  self->release_id = 0;
  release_background (self);
  return G_SOURCE_REMOVE;
}

static void
on_model_loading_cb (MwListPage *self)
{
  GdkFrameClock *clock;

  if (self->disposed || mw_paged_model_get_loading (self->model) || self->paint_handler != 0)
    return;
  if (!mw_paged_model_has_held_follow_ups (self->model) && (self->group_names == NULL || self->groups_requested))
    return;
  clock = gtk_widget_get_mapped (GTK_WIDGET (self)) ? gtk_widget_get_frame_clock (GTK_WIDGET (self)) : NULL;
  if (clock == NULL)
    {
      release_background (self);
      return;
    }
  /* The rows changed just now: the next frame lays them out and paints them. */
  self->paint_clock = g_object_ref (clock);
  self->paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), self);
  self->release_id = g_timeout_add (500, release_timeout_cb, self);
}

/* Screen readers read the table and its inner list by the list's title. */
static void
name_table (MwListPage *self)
{
  const char *title = _(self->info->title);

  g_autoptr(GString) titles = g_string_new (NULL);
  g_autofree char *header = NULL;

  for (guint i = 0; i < self->columns->len; i++)
    {
      const MwListColumn *column = g_ptr_array_index (self->columns, i);

      if (titles->len > 0)
        g_string_append (titles, ", ");
      g_string_append (titles, _(column->title));
    }
  /* Translators: what a screen reader reads for a table's header row: "Columns: Name, Number, …" */
  header = g_strdup_printf (_("Columns: %s"), titles->str);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    GTK_IS_LIST_VIEW (child) ? title : header, -1);
}

/* Public */

MwListPage *
mw_list_page_new (MwSession  *session,
                  MwListKind  kind,
                  guint       page_size)
{
  MwListPage *self;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);
  g_return_val_if_fail (kind < MW_N_LISTS, NULL);
  g_return_val_if_fail (mw_schema_get_list (mw_session_get_schema (session), kind) != NULL, NULL);

  self = g_object_new (MW_TYPE_LIST_PAGE, NULL);
  self->session = g_object_ref (session);
  self->kind = kind;
  self->info = mw_schema_get_list (mw_session_get_schema (session), kind);
  self->request.kind = kind;
  self->model = mw_paged_model_new (mw_session_get_pool (session), page_size);
  mw_paged_model_set_reuse_rows (self->model, TRUE);
  mw_paged_model_set_defer_follow_ups (self->model, TRUE);

  g_object_set (self->search_entry, "placeholder-text", _(self->info->search_hint), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(self->info->search_hint), -1);
  build_columns (self);
  name_table (self);
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view)), "changed",
                           G_CALLBACK (on_hadjustment_changed_cb), self, G_CONNECT_SWAPPED);
  /* The view gets a new long list a few rows per frame (see mw-ramp-model.c). */
  selection = gtk_no_selection_new (G_LIST_MODEL (mw_ramp_model_new (G_LIST_MODEL (self->model),
                                                                      GTK_WIDGET (self->column_view))));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_single_click_activate (self->column_view, FALSE);

  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_model_loading_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error", G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-items", G_CALLBACK (on_model_notify_cb), self, G_CONNECT_SWAPPED);

  /* Users can be shown by group where the flavour has groups. */
  if (kind == MW_LIST_USERS && mw_schema_can (mw_session_get_schema (session), MW_SCHEMA_CAN_GROUPS))
    {
      self->group_names = gtk_string_list_new (NULL);
      self->group_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      gtk_string_list_append (self->group_names, _("All Groups"));
      gtk_drop_down_set_model (self->group_dropdown, G_LIST_MODEL (self->group_names));
      gtk_widget_set_visible (GTK_WIDGET (self->group_dropdown), TRUE);
      g_signal_connect (self->group_dropdown, "notify::selected", G_CALLBACK (on_group_dropdown_selected_cb), self);
    }

  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  return self;
}

/* A list that nobody looks at costs nothing: its query runs when the page is
 * first shown (a hidden Groups page over a million aliases would otherwise
 * hold a worker for seconds). */
static void
mw_list_page_map (GtkWidget *widget)
{
  MwListPage *self = MW_LIST_PAGE (widget);

  GTK_WIDGET_CLASS (mw_list_page_parent_class)->map (widget);
  if (!self->started)
    {
      self->started = TRUE;
      apply_request (self);
    }
}

void
mw_list_page_start (MwListPage *self)
{
  if (!self->started)
    {
      self->started = TRUE;
      apply_request (self);
    }
}

void
mw_list_page_set_search_delay (MwListPage *self,
                               guint       delay_ms)
{
  gtk_search_entry_set_search_delay (self->search_entry, delay_ms);
}

MwListKind
mw_list_page_get_kind (MwListPage *self)
{
  return self->kind;
}

const char *
mw_list_page_get_title (MwListPage *self)
{
  return _(self->info->title);
}

MwPagedModel *
mw_list_page_get_model (MwListPage *self)
{
  return self->model;
}

GtkColumnView *
mw_list_page_get_column_view (MwListPage *self)
{
  return self->column_view;
}

void
mw_list_page_set_search (MwListPage *self,
                         const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Apply now rather than after the typing delay. */
  on_search_entry_search_changed_cb (self);
}

void
mw_list_page_set_group (MwListPage *self,
                        gboolean    has_group,
                        gint64      group)
{
  self->request.has_group = has_group;
  self->request.group = group;
  if (self->group_ids != NULL)
    {
      guint selected = 0;

      for (guint i = 0; has_group && i < self->group_ids->len; i++)
        if (g_array_index (self->group_ids, gint64, i) == group)
          selected = i + 1;
      g_signal_handlers_block_by_func (self->group_dropdown, on_group_dropdown_selected_cb, self);
      gtk_drop_down_set_selected (self->group_dropdown, selected);
      g_signal_handlers_unblock_by_func (self->group_dropdown, on_group_dropdown_selected_cb, self);
    }
  apply_request (self);
}

void
mw_list_page_set_sort (MwListPage *self,
                       MwListSort  sort,
                       gboolean    descending)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (((const MwListColumn *) g_ptr_array_index (self->columns, i))->sort == sort)
      {
        GListModel *cols = gtk_column_view_get_columns (self->column_view);
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (cols, i);

        /* Through the column view, so the header shows the arrow too. */
        gtk_column_view_sort_by_column (self->column_view, column,
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        return;
      }
}

void
mw_list_page_reload (MwListPage *self)
{
  run_request (self, TRUE);
}

/* TRUE while rows on screen wait for their text (see on_cells_tick_cb). */
gboolean
mw_list_page_is_filling_screen (MwListPage *self)
{
  GtkWidget *view;
  int height;

  g_return_val_if_fail (MW_IS_LIST_PAGE (self), FALSE);
  view = GTK_WIDGET (self->column_view);
  height = gtk_widget_get_height (view);
  for (guint i = 0; i < self->pending_cells->len; i++)
    if (cell_on_screen (g_ptr_array_index (self->pending_cells, i), view, height))
      return TRUE;
  return FALSE;
}

/* For tests: what the empty list says when it is shown, else NULL. */
const char *
mw_list_page_get_empty_text (MwListPage *self)
{
  g_return_val_if_fail (MW_IS_LIST_PAGE (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->state_stack), "empty") != 0)
    return NULL;
  return adw_status_page_get_title (self->empty_page);
}

char *
mw_list_page_dup_cell_text (MwListPage *self,
                            guint       position,
                            guint       column)
{
  g_autoptr(MwRecord) record = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (record == NULL || column >= self->columns->len)
    return NULL;
  return format_cell (record, g_ptr_array_index (self->columns, column), NULL);
}

static void
mw_list_page_dispose (GObject *object)
{
  MwListPage *self = MW_LIST_PAGE (object);

  /* Widgets going away emit signals (the group selector loses its model);
   * nothing may query or redraw from here on. */
  self->disposed = TRUE;
  stop_waiting_for_paint (self);
  clear_pending_cells (self);
  g_clear_handle_id (&self->fit_id, g_source_remove);
  if (self->focus_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->column_view), self->focus_tick_id);
  self->focus_tick_id = 0;
  g_cancellable_cancel (self->cancellable);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_LIST_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mw_list_page_parent_class)->dispose (object);
}

static void
mw_list_page_finalize (GObject *object)
{
  MwListPage *self = MW_LIST_PAGE (object);

  g_clear_object (&self->model);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->group_names);
  g_clear_pointer (&self->group_ids, g_array_unref);
  g_clear_pointer (&self->sorters, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  /* Rows still being torn down hold the array; empty it for them. */
  if (self->spare_cells != NULL)
    g_ptr_array_set_size (self->spare_cells, 0);
  g_clear_pointer (&self->spare_cells, g_ptr_array_unref);
  g_clear_pointer (&self->pending_cells, g_ptr_array_unref);
  g_free (self->search);
  g_free (self->focus_key);

  G_OBJECT_CLASS (mw_list_page_parent_class)->finalize (object);
}

static void
mw_list_page_class_init (MwListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_list_page_dispose;
  object_class->finalize = mw_list_page_finalize;
  widget_class->map = mw_list_page_map;

  /* "open-account": the key of the account a row shows. */
  signals[SIGNAL_OPEN_ACCOUNT] =
    g_signal_new ("open-account", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* "open-address": the address a row shows, to open where it goes. */
  signals[SIGNAL_OPEN_ADDRESS] =
    g_signal_new ("open-address", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* "open-domain": the domain a row shows (as stored), to open it; on
   * the Alias Domains list, the alias domain. */
  signals[SIGNAL_OPEN_DOMAIN] =
    g_signal_new ("open-domain", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* "open-shared-folder": a row of the Sharing list: the folder as its
   * grantee sees it ("#Users/alice/Team", UTF-8) and the grantee. */
  signals[SIGNAL_OPEN_SHARED_FOLDER] =
    g_signal_new ("open-shared-folder", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* "show-list": kind, search, has-group, group */
  signals[SIGNAL_SHOW_LIST] =
    g_signal_new ("show-list", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_INT64);

  g_type_ensure (MW_TYPE_BUSY_INDICATOR);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MwListPage, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MwListPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MwListPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MwListPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, MwListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, MwListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MwListPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);
}

static void
mw_list_page_init (MwListPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->spare_cells = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_cells = g_ptr_array_new ();
  self->fitted_width = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * mw_list_page_get_request:
 *
 * The list as the page shows it now: kind, sort, search and group. The
 * search string belongs to the page; copy what must outlive it.
 */
const MwListRequest *
mw_list_page_get_request (MwListPage *self)
{
  g_return_val_if_fail (MW_IS_LIST_PAGE (self), NULL);

  self->request.search = self->search;
  return &self->request;
}
