/* mw-test-gui.c: what the GUI tests share: waiting, screenshots, a connected session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <adwaita.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "mw-list-page.h"
#include "mw-test-gui.h"

/* Generous: the demo server fills its sample mail first, which takes
 * several times longer in the sanitizer build on a busy machine. A test
 * that passes never waits this long. Times MW_TEST_SLOWDOWN, which
 * tests/meson.build sets for sanitizer builds. */
#define WAIT_TIMEOUT_S 90

static int
wait_timeout_s (void)
{
  const char *slowdown = g_getenv ("MW_TEST_SLOWDOWN");
  int factor = slowdown != NULL ? atoi (slowdown) : 1;

  return WAIT_TIMEOUT_S * CLAMP (factor, 1, 20);
}

static gboolean
on_wait_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
mw_test_wait_until (gboolean (*done) (gpointer), gpointer data, const char *what)
{
  int limit = wait_timeout_s ();
  gint64 deadline = g_get_monotonic_time () + (gint64) limit * G_USEC_PER_SEC;
  guint tick;

  if (done (data))
    return;
  /* The main loop wakes at least every 20 ms: without it, a wait for
   * something that never comes (or that a worker thread changes without
   * waking the loop) would block in g_main_context_iteration past the
   * deadline until meson killed the whole program without a word. */
  tick = g_timeout_add (20, on_wait_tick_cb, NULL);
  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("mw_test_wait_until: gave up after %d s waiting for %s", limit, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

void
mw_test_spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

void
mw_test_save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("MW_SCREENSHOT_DIR") ? g_getenv ("MW_SCREENSHOT_DIR") : ".",
                                           NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int w, h;

  /* A window drawn for the first time may need a few frames; the audit
   * log's window needed more than 10 s in the sanitizer build on a busy
   * machine. A test that passes never waits this long. */
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;;)
    {
      mw_test_spin (100);
      w = gtk_widget_get_width (widget);
      h = gtk_widget_get_height (widget);
      if (gtk_widget_get_mapped (widget) && w > 0 && h > 0)
        {
          g_clear_object (&paintable);
          paintable = gtk_widget_paintable_new (widget);
          snapshot = gtk_snapshot_new ();
          gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
          node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
          if (node != NULL)
            break;
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("%s was never drawn", name);
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_mkdir_with_parents (dir, 0755);
  /* Written under a name of its own, then renamed: test-gui and test-gui-de
   * may run at once, and a reader never sees half a picture. */
  {
    g_autofree char *partial = g_strdup_printf ("%s.%d.partial", path, (int) getpid ());

    g_assert_true (gdk_texture_save_to_png (texture, partial));
    g_assert_cmpint (g_rename (partial, path), ==, 0);
  }
  g_test_message ("screenshot: %s", path);
}

/* Session */

typedef struct
{
  MwSession *session;
  GError    *error;
  gboolean   done;
} Connect;

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Connect *c = user_data;

  c->session = mw_session_connect_finish (res, &c->error);
  c->done = TRUE;
}

static gboolean
connect_done (gpointer data)
{
  return ((Connect *) data)->done;
}

MwSession *
mw_test_connect_session (MwTestDb *tdb)
{
  Connect c = { 0 };

  mw_session_connect_async ("Test", tdb->settings, NULL, on_connected_cb, &c);
  mw_test_wait_until (connect_done, &c, "the connection");
  g_assert_no_error (c.error);
  return c.session;
}


/* Accessibility */

typedef struct
{
  char     *out;
  char     *err;
  GError   *error;
  gboolean  done;
} Dump;

static void
on_dump_done_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Dump *d = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), res, &d->out, &d->err, &d->error);
  d->done = TRUE;
}

static gboolean
dump_done (gpointer data)
{
  return ((Dump *) data)->done;
}

char *
mw_test_a11y_dump (GtkWindow *window)
{
  const char *python = g_getenv ("MW_A11Y_PYTHON");
  const char *script = g_getenv ("MW_A11Y_DUMP");
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Dump d = { 0 };

  g_assert_nonnull (python);
  g_assert_nonnull (script);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  /* Let GTK publish what changed on the bus before it is read. */
  mw_test_spin (200);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              python, script, pid, gtk_window_get_title (window), NULL);
  g_assert_no_error (error);
  /* The dumper asks this process over D-Bus: the main loop must run meanwhile. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_dump_done_cb, &d);
  mw_test_wait_until (dump_done, &d, "the accessibility dump");
  g_assert_no_error (d.error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("a11y-dump.py failed: %s", d.err);
  g_free (d.err);
  /* MW_A11Y_PRINT=1: the whole tree in the log, to see what is read. */
  if (g_strcmp0 (g_getenv ("MW_A11Y_PRINT"), "1") == 0)
    g_test_message ("%s, as a screen reader sees it:\n%s", gtk_window_get_title (window), d.out);
  return d.out;
}

char *
mw_test_a11y_unnamed (GtkWindow *window)
{
  g_autofree char *dump = mw_test_a11y_dump (window);
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  g_autoptr(GString) found = g_string_new (NULL);

  g_assert_nonnull (strstr (dump, "frame\t"));
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "UNNAMED") != NULL || strstr (lines[i], "MNEMONIC") != NULL ||
        strstr (lines[i], "DOUBLED") != NULL)
      g_string_append_printf (found, "%s\n", g_strstrip (lines[i]));
  if (found->len > 0)
    g_test_message ("%s: what a screen reader reads unnamed:\n%s", gtk_window_get_title (window), found->str);
  return g_string_free (g_steal_pointer (&found), FALSE);
}

gboolean
mw_test_page_settled (gpointer data)
{
  MwPagedModel *model = mw_list_page_get_model (data);

  return !mw_paged_model_is_busy (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

gboolean
mw_test_screen_filled (gpointer data)
{
  return !mw_list_page_is_filling_screen (data);
}

/* Whether a label or cell the person can see says exactly text. */
gboolean
mw_test_shows_text (GtkWidget  *widget,
                    const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_INSCRIPTION (widget) && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return TRUE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (mw_test_shows_text (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} ShowWait;

static gboolean
text_shown (gpointer data)
{
  ShowWait *w = data;

  return mw_test_shows_text (w->widget, w->text);
}

/* Cells are filled over a few frames, later in a sanitizer build. */
void
mw_test_wait_shows (GtkWidget  *widget,
                    const char *text)
{
  ShowWait w = { widget, text };

  mw_test_wait_until (text_shown, &w, text);
}

/* The preferences row titled title, shown or not. */
GtkWidget *
mw_test_find_row (GtkWidget  *widget,
                  const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mw_test_find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
mw_test_row_shown (GtkWidget  *window,
                   const char *title)
{
  GtkWidget *row = mw_test_find_row (window, title);

  for (GtkWidget *w = row; w != NULL; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w))
      return FALSE;
  return row != NULL;
}

GtkWidget *
mw_test_find_type (GtkWidget *widget,
                   GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mw_test_find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
mw_test_save_screenshots (GtkWidget  *widget,
                          const char *name)
{
  g_autofree char *dark = g_strdup_printf ("%s-dark", name);
  g_autofree char *light = g_strdup_printf ("%s-light", name);

  mw_test_save_screenshot (widget, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  mw_test_spin (100);
  mw_test_save_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  mw_test_spin (50);
}

void
mw_test_settle_page (MwListPage *page,
                     const char *what)
{
  mw_test_spin (400);
  mw_test_wait_until (mw_test_page_settled, page, what);
  mw_test_spin (50);
  mw_test_wait_until (mw_test_screen_filled, page, "the cells on screen");
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The key of the account called name, as the session resolves it. */
char *
mw_test_account_key (MwSession  *session,
                     const char *name)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  mw_session_resolve_account_async (session, name, NULL, on_result_cb, &res);
  mw_test_wait_until (result_arrived, &res, "the account's key");
  key = mw_session_resolve_account_finish (session, res, &error);
  g_assert_no_error (error);
  return key;
}
