/* mw-trace-window.c: the delivery trace as a tree (GtkTreeListModel in a
 * GtkListView). Each row says its step in words, which is also what a
 * screen reader reads ("info@example.org: alias, forwards to …", "…: loop,
 * …", "…: dead end, …"), with the keys looked up before it underneath; a
 * mailbox row opens its account. The trace runs on the session's worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-trace-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mw-account-window.h"
#include "mw-format.h"
#include "mw-trace-window.h"

/* The tree, shared by the window and its items (g_rc_box). */
typedef struct
{
  MwTraceNode *root;
} Tree;

static void
tree_clear (gpointer data)
{
  Tree *tree = data;

  mw_trace_node_free (tree->root);
}

/* One node as a list item. */
#define MW_TYPE_TRACE_ITEM (mw_trace_item_get_type ())
G_DECLARE_FINAL_TYPE (MwTraceItem, mw_trace_item, MW, TRACE_ITEM, GObject)

struct _MwTraceItem
{
  GObject      parent_instance;
  Tree        *tree;
  MwTraceNode *node;   /* in tree */
};

G_DEFINE_FINAL_TYPE (MwTraceItem, mw_trace_item, G_TYPE_OBJECT)

static void
mw_trace_item_finalize (GObject *object)
{
  MwTraceItem *self = MW_TRACE_ITEM (object);

  g_rc_box_release_full (self->tree, tree_clear);
  G_OBJECT_CLASS (mw_trace_item_parent_class)->finalize (object);
}

static void
mw_trace_item_class_init (MwTraceItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mw_trace_item_finalize;
}

static void
mw_trace_item_init (MwTraceItem *self)
{
}

static MwTraceItem *
trace_item_new (Tree        *tree,
                MwTraceNode *node)
{
  MwTraceItem *item = g_object_new (MW_TYPE_TRACE_ITEM, NULL);

  item->tree = g_rc_box_acquire (tree);
  item->node = node;
  return item;
}

struct _MwTraceWindow
{
  AdwWindow        parent_instance;

  MwSession       *session;
  GCancellable    *cancellable;
  gboolean         busy;
  char            *status;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkEntry        *address_entry;
  GtkButton       *trace_button;
  GtkLabel        *status_label;
  GtkListView     *list_view;
};

G_DEFINE_FINAL_TYPE (MwTraceWindow, mw_trace_window, ADW_TYPE_WINDOW)

static GListModel *
children_of (gpointer item,
             gpointer user_data)
{
  MwTraceItem *parent = item;
  GListStore *store;

  if (parent->node->children->len == 0)
    return NULL;
  store = g_list_store_new (MW_TYPE_TRACE_ITEM);
  for (guint i = 0; i < parent->node->children->len; i++)
    {
      g_autoptr(MwTraceItem) child = trace_item_new (parent->tree, g_ptr_array_index (parent->node->children, i));

      g_list_store_append (store, child);
    }
  return G_LIST_MODEL (store);
}

static const char *
icon_for (const MwTraceNode *node)
{
  switch (node->kind)
    {
    case MW_TRACE_NODE_ADDRESS:  return "mail-forward-symbolic";
    case MW_TRACE_NODE_MAILBOX:  return "avatar-default-symbolic";
    case MW_TRACE_NODE_EXTERNAL: return "mail-send-symbolic";
    case MW_TRACE_NODE_PIPE:     return "utilities-terminal-symbolic";
    case MW_TRACE_NODE_DISABLED: return "action-unavailable-symbolic";
    case MW_TRACE_NODE_LOOP:     return "view-refresh-symbolic";
    case MW_TRACE_NODE_TOO_DEEP:
    case MW_TRACE_NODE_CUT:      return "dialog-warning-symbolic";
    case MW_TRACE_NODE_DEAD_END:
    default:                     return "dialog-error-symbolic";
    }
}

static void
set_model (MwTraceWindow *self,
           MwTraceNode   *root)
{
  g_autoptr(GListStore) top = g_list_store_new (MW_TYPE_TRACE_ITEM);
  GtkTreeListModel *tree_model;
  GtkSingleSelection *selection;

  if (root != NULL)
    {
      Tree *tree = g_rc_box_new0 (Tree);
      g_autoptr(MwTraceItem) item = NULL;

      tree->root = root;
      item = trace_item_new (tree, root);
      g_list_store_append (top, item);
      g_rc_box_release_full (tree, tree_clear);
    }
  tree_model = gtk_tree_list_model_new (G_LIST_MODEL (g_steal_pointer (&top)), FALSE, TRUE, children_of, NULL, NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (tree_model));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

typedef enum { STATUS_NOTE, STATUS_RESULT, STATUS_ERROR } StatusStyle;

static void
set_status (MwTraceWindow *self,
            const char    *text,
            StatusStyle    style)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);

  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_text (self->status_label, text);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "dim-label");
  if (style == STATUS_ERROR)
    gtk_widget_add_css_class (label, "error");
  else if (style == STATUS_NOTE)
    gtk_widget_add_css_class (label, "dim-label");
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_traced_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(MwTraceWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  MwTraceNode *root = mw_session_trace_delivery_finish (MW_SESSION (source), res, &error);
  g_auto(GStrv) finals = NULL;

  if (root == NULL && is_cancelled (error))
    return;
  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->trace_button), TRUE);
  if (root == NULL)
    {
      set_status (self, error->message, STATUS_ERROR);
      return;
    }
  finals = mw_trace_node_final_addresses (root);
  if (finals[0] != NULL)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; finals[i] != NULL; i++)
        {
          g_autofree char *shown = mw_format_address (finals[i]);

          g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", shown);
        }
      {
        /* Translators: %s is a list of addresses and user names. */
        g_autofree char *text = g_strdup_printf (_("Mail ends at: %s"), list->str);

        set_status (self, text, STATUS_RESULT);
      }
    }
  else
    set_status (self, _("Mail ends nowhere: nothing is delivered."), STATUS_ERROR);
  set_model (self, root);
}

void
mw_trace_window_trace (MwTraceWindow *self,
                       const char    *address)
{
  g_return_if_fail (MW_IS_TRACE_WINDOW (self));

  if (address != NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->address_entry)), address) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->address_entry), address);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->trace_button), FALSE);
  set_status (self, _("Tracing…"), STATUS_NOTE);
  set_model (self, NULL);
  mw_session_trace_delivery_async (self->session, gtk_editable_get_text (GTK_EDITABLE (self->address_entry)),
                                   self->cancellable, on_traced_cb, g_object_ref (self));
}

static void
on_trace_cb (MwTraceWindow *self)
{
  mw_trace_window_trace (self, NULL);
}

/* Rows ------------------------------------------------------------------ */

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  g_object_set_data (G_OBJECT (expander), "mw-icon", icon);
  g_object_set_data (G_OBJECT (expander), "mw-title", title);
  g_object_set_data (G_OBJECT (expander), "mw-subtitle", subtitle);
  gtk_list_item_set_child (list_item, expander);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  g_autoptr(MwTraceItem) item = gtk_tree_list_row_get_item (row);
  const MwTraceNode *node = item->node;
  GtkWidget *title = g_object_get_data (G_OBJECT (expander), "mw-title");
  GtkWidget *subtitle = g_object_get_data (G_OBJECT (expander), "mw-subtitle");
  g_autofree char *text = mw_trace_node_describe (node);
  g_autofree char *missed = mw_trace_node_describe_missed (node);
  g_autofree char *spoken = NULL;
  gboolean bad = node->kind == MW_TRACE_NODE_DEAD_END || node->kind == MW_TRACE_NODE_LOOP ||
                 node->kind == MW_TRACE_NODE_TOO_DEEP || node->kind == MW_TRACE_NODE_DISABLED;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (expander), "mw-icon"), icon_for (node));
  gtk_label_set_text (GTK_LABEL (title), text);
  gtk_label_set_text (GTK_LABEL (subtitle), missed != NULL ? missed : "");
  gtk_widget_set_visible (subtitle, missed != NULL);
  if (bad)
    gtk_widget_add_css_class (title, node->kind == MW_TRACE_NODE_DEAD_END ? "error" : "warning");
  else
    {
      gtk_widget_remove_css_class (title, "error");
      gtk_widget_remove_css_class (title, "warning");
    }
  if (node->account_key != NULL && node->kind == MW_TRACE_NODE_MAILBOX)
    /* Translators: the tooltip of a trace row that is an account's mailbox. */
    gtk_widget_set_tooltip_text (expander, _("Activate to open the account"));
  else
    gtk_widget_set_tooltip_text (expander, NULL);
  spoken = missed != NULL ? g_strdup_printf ("%s. %s", text, missed) : g_strdup (text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
on_unbind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
}

static MwTraceItem *
item_at (MwTraceWindow *self,
         guint          position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->list_view));
  g_autoptr(GtkTreeListRow) row = model != NULL ? g_list_model_get_item (model, position) : NULL;

  return row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
}

static void
on_row_activated_cb (MwTraceWindow *self,
                     guint          position)
{
  g_autoptr(MwTraceItem) item = item_at (self, position);
  GtkWindow *window;

  if (item == NULL || item->node->account_key == NULL)
    return;
  window = mw_account_window_new (self->session, item->node->account_key);
  gtk_window_set_transient_for (window, GTK_WINDOW (self));
  gtk_window_present (window);
}

/* The public part ------------------------------------------------------- */

MwTraceWindow *
mw_trace_window_new (MwSession  *session,
                     const char *address)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (address != NULL ? address : ""));
  MwTraceWindow *self;

  g_return_val_if_fail (MW_IS_SESSION (session), NULL);

  self = g_object_new (MW_TYPE_TRACE_WINDOW, NULL);
  self->session = g_object_ref (session);
  if (trimmed[0] != '\0')
    mw_trace_window_trace (self, address);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->address_entry));
  return self;
}

gboolean
mw_trace_window_is_busy (MwTraceWindow *self)
{
  g_return_val_if_fail (MW_IS_TRACE_WINDOW (self), FALSE);

  return self->busy;
}

const char *
mw_trace_window_get_status (MwTraceWindow *self)
{
  g_return_val_if_fail (MW_IS_TRACE_WINDOW (self), NULL);

  return self->status;
}

GStrv
mw_trace_window_dup_rows (MwTraceWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->list_view));

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MwTraceItem) item = item_at (self, i);
      g_autofree char *text = mw_trace_node_describe (item->node);
      g_autofree char *indent = g_strnfill (item->node->depth * 2, ' ');
      g_autofree char *line = g_strconcat (indent, text, NULL);

      g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

gboolean
mw_trace_window_activate_row (MwTraceWindow *self,
                              const char    *text)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->list_view));

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MwTraceItem) item = item_at (self, i);
      g_autofree char *shown = mw_trace_node_describe (item->node);

      if (g_str_equal (shown, text))
        {
          g_signal_emit_by_name (self->list_view, "activate", i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
mw_trace_window_dispose (GObject *object)
{
  MwTraceWindow *self = MW_TRACE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (mw_trace_window_parent_class)->dispose (object);
}

static void
mw_trace_window_finalize (GObject *object)
{
  MwTraceWindow *self = MW_TRACE_WINDOW (object);

  g_free (self->status);
  G_OBJECT_CLASS (mw_trace_window_parent_class)->finalize (object);
}

static void
mw_trace_window_class_init (MwTraceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_trace_window_dispose;
  object_class->finalize = mw_trace_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/mailwarden/Mailwarden/mw-trace-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwTraceWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwTraceWindow, address_entry);
  gtk_widget_class_bind_template_child (widget_class, MwTraceWindow, trace_button);
  gtk_widget_class_bind_template_child (widget_class, MwTraceWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MwTraceWindow, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_trace_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_trace_window_init (MwTraceWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  set_model (self, NULL);
}
