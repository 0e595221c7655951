/* mw-bench-gui.c: what a person waits for in the real window, at any list size.
 *
 * Run under Xvfb against a database (bench/run-bench makes one with a million
 * users). Prints, each a median of several runs: Connect -> first rows drawn,
 * jump to the end -> rows drawn, change the sort -> rows drawn, type a search
 * -> rows drawn, and the longest main-loop stall seen during each; then the
 * memory after scrolling the whole list from top to bottom. Figures only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "mw-application.h"
#include "mw-list-page.h"
#include "mw-window.h"

static gint64 last_tick;
static gint64 max_stall;
/* MW_BENCH_TRACE=1: every gap over 8 ms and every frame over 8 ms, on stderr. */
static gboolean trace;
static gint64 phase_start;
static gint64 frame_start;

/* A 1 ms timer: the longest gap between two of its calls is the longest
 * time the main loop was busy elsewhere. */
static gboolean
stall_probe_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0 && now - last_tick > max_stall)
    max_stall = now - last_tick;
  if (trace && last_tick != 0 && now - last_tick > 8000)
    g_printerr ("  gap %6.1f ms ending at %7.1f ms\n", (now - last_tick) / 1000.0, (now - phase_start) / 1000.0);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
reset_stall (void)
{
  last_tick = 0;
  max_stall = 0;
  phase_start = g_get_monotonic_time ();
  if (trace)
    g_printerr ("-- phase\n");
}

static gint64 update_end, layout_end, paint_end;

static void
on_before_paint_cb (GdkFrameClock *clock,
                    gpointer       data)
{
  frame_start = g_get_monotonic_time ();
}

/* Connected after GTK's own handlers, so each runs at the end of its phase:
 * update (tick callbacks), layout (measure and allocate), paint (snapshot
 * and render). */
static void
on_update_cb (GdkFrameClock *clock,
              gpointer       data)
{
  update_end = g_get_monotonic_time ();
  layout_end = update_end;  /* a frame may have no layout phase */
}

static void
on_layout_cb (GdkFrameClock *clock,
              gpointer       data)
{
  layout_end = g_get_monotonic_time ();
}

static void
on_paint_cb (GdkFrameClock *clock,
             gpointer       data)
{
  paint_end = g_get_monotonic_time ();
}

static gboolean painted;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  painted = TRUE;
  if (trace && frame_start != 0 && now - frame_start > 8000)
    g_printerr ("  frame %6.1f ms (ticks %.1f, layout %.1f, paint %.1f) ending at %7.1f ms\n",
                (now - frame_start) / 1000.0, (update_end - frame_start) / 1000.0,
                (layout_end - update_end) / 1000.0, (paint_end - layout_end) / 1000.0,
                (now - phase_start) / 1000.0);
}

/* Waits for done(), then for the next frame to be painted: "rows drawn". */
static double
wait_drawn (GtkWidget  *widget,
            gboolean  (*done) (gpointer),
            gpointer    data,
            gint64      start)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("timed out\n");
          return -1;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  painted = FALSE;
  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

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
connected (gpointer data)
{
  return ((Connect *) data)->done;
}

static guint want_position;

static gboolean
row_loaded (gpointer data)
{
  MwPagedModel *model = mw_list_page_get_model (data);
  g_autoptr(MwRecord) record = NULL;

  if (mw_paged_model_get_loading (model) || g_list_model_get_n_items (G_LIST_MODEL (model)) <= want_position)
    return FALSE;
  record = g_list_model_get_item (G_LIST_MODEL (model), want_position);
  /* Loaded, and its text (and that of every row on screen) in its cells. */
  return mw_record_get_loaded (record) && !mw_list_page_is_filling_screen (data);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len > 0 ? g_array_index (values, double, values->len / 2) : -1;
}

static long
rss_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (p = strstr (status, field)) == NULL)
    return -1;
  return strtol (p + strlen (field) + 1, NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbSettings) settings = NULL;
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) end = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sort = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *stalls[4] = { NULL };
  const char *search_text = argc > 3 ? argv[3] : "r00042";
  int runs = argc > 2 ? atoi (argv[2]) : 5;
  const char *labels[4] = { "connect -> first rows drawn", "jump to the end -> rows drawn",
                            "sort by name, descending -> rows drawn", "type a search -> rows drawn" };
  GArray *times[4] = { first, end, sort, search };
  long rss_scrolled = -1;
  guint n_items = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s DATABASE-URI [RUNS [SEARCH]]\n", argv[0]);
      return 2;
    }
  trace = g_getenv ("MW_BENCH_TRACE") != NULL;
  gtk_init ();
  adw_init ();
  mw_gui_init ();
  settings = mw_db_settings_parse_uri (argv[1], &error);
  if (settings == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  for (int i = 0; i < 4; i++)
    stalls[i] = g_array_new (FALSE, FALSE, sizeof (double));
  g_timeout_add_full (G_PRIORITY_DEFAULT, 1, stall_probe_cb, NULL, NULL);

  for (int run = 0; run <= runs; run++)
    {
      Connect c = { 0 };
      MwWindow *window;
      MwListPage *users;
      GtkWidget *list_view;
      gint64 start;
      double t;

      /* Connect -> first rows drawn */
      reset_stall ();
      start = g_get_monotonic_time ();
      mw_session_connect_async ("Benchmark", settings, NULL, on_connected_cb, &c);
      while (!connected (&c))
        g_main_context_iteration (NULL, TRUE);
      if (c.session == NULL)
        {
          g_printerr ("%s\n", c.error->message);
          return 1;
        }
      {
        gint64 t0 = g_get_monotonic_time ();

        window = mw_window_new (NULL, c.session);
        gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
        if (trace)
          g_printerr ("  mw_window_new %.1f ms at %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0,
                      (g_get_monotonic_time () - phase_start) / 1000.0);
        t0 = g_get_monotonic_time ();
        gtk_window_present (GTK_WINDOW (window));
        if (trace)
          g_printerr ("  present %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
      }
      while (gtk_widget_get_frame_clock (GTK_WIDGET (window)) == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                        G_CALLBACK (on_after_paint_cb), NULL);
      g_signal_connect_after (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "update",
                        G_CALLBACK (on_update_cb), NULL);
      g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "before-paint",
                        G_CALLBACK (on_before_paint_cb), NULL);
      g_signal_connect_after (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "layout",
                        G_CALLBACK (on_layout_cb), NULL);
      g_signal_connect_after (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "paint",
                        G_CALLBACK (on_paint_cb), NULL);
      users = mw_window_get_page (window, MW_LIST_USERS);
      want_position = 0;
      t = wait_drawn (GTK_WIDGET (window), row_loaded, users, start);
      if (run > 0)
        {
          double s = max_stall / 1000.0;
          g_array_append_val (first, t);
          g_array_append_val (stalls[0], s);
        }
      n_items = g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users)));
      if (g_getenv ("MW_BENCH_ONLY_CONNECT"))
        {
          g_printerr ("connect: %.1f ms, stall %.1f ms, fetches %u\n", t, max_stall / 1000.0,
                      mw_paged_model_get_n_fetches (mw_list_page_get_model (users)));
          /* Let the background work of this run end before the next one starts. */
          {
            gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
            MwPagedModel *m = mw_list_page_get_model (users);

            while (mw_paged_model_is_busy (m) && g_get_monotonic_time () < until)
              g_main_context_iteration (NULL, TRUE);
            if (mw_paged_model_is_busy (m))
              g_printerr ("still busy: loading %d held %d anchors %d\n", mw_paged_model_get_loading (m),
                          mw_paged_model_has_held_follow_ups (m), mw_paged_model_has_anchors (m));
          }
          gtk_window_destroy (GTK_WINDOW (window));
          g_clear_object (&c.session);
          continue;
        }
      /* Let the anchors arrive, as they would while a person looks at the first screen. */
      {
        gint64 from = g_get_monotonic_time ();
        gint64 until = from + 10 * G_USEC_PER_SEC;
        while (!mw_paged_model_has_anchors (mw_list_page_get_model (users)) && g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, TRUE);
        if (g_getenv ("MW_BENCH_DEBUG"))
          g_printerr ("anchors %s after %.1f ms more\n",
                      mw_paged_model_has_anchors (mw_list_page_get_model (users)) ? "arrived" : "not there",
                      (g_get_monotonic_time () - from) / 1000.0);
      }

      /* Jump to the end */
      list_view = find_list_view (GTK_WIDGET (mw_list_page_get_column_view (users)));
      reset_stall ();
      start = g_get_monotonic_time ();
      want_position = n_items - 1;
      gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", n_items - 1);
      if (g_getenv ("MW_BENCH_DEBUG"))
        g_printerr ("scroll action returned after %.1f ms; fetches %u, offset fetches %u, anchors %d\n",
                    (g_get_monotonic_time () - start) / 1000.0,
                    mw_paged_model_get_n_fetches (mw_list_page_get_model (users)),
                    mw_paged_model_get_n_offset_fetches (mw_list_page_get_model (users)),
                    mw_paged_model_has_anchors (mw_list_page_get_model (users)));
      t = wait_drawn (GTK_WIDGET (window), row_loaded, users, start);
      if (run > 0)
        {
          double s = max_stall / 1000.0;
          g_array_append_val (end, t);
          g_array_append_val (stalls[1], s);
        }

      if (g_getenv ("MW_BENCH_DEBUG"))
        g_printerr ("before sort: fetches %u offset %u cached %u\n", mw_paged_model_get_n_fetches (mw_list_page_get_model (users)),
                    mw_paged_model_get_n_offset_fetches (mw_list_page_get_model (users)),
                    mw_paged_model_get_n_cached_pages (mw_list_page_get_model (users)));
      /* Change the sort */
      gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", 0);
      reset_stall ();
      start = g_get_monotonic_time ();
      want_position = 0;
      mw_list_page_set_sort (users, MW_SORT_NAME, TRUE);
      while (!mw_paged_model_get_loading (mw_list_page_get_model (users)))
        g_main_context_iteration (NULL, TRUE);
      t = wait_drawn (GTK_WIDGET (window), row_loaded, users, start);
      if (run > 0)
        {
          double s = max_stall / 1000.0;
          g_array_append_val (sort, t);
          g_array_append_val (stalls[2], s);
        }

      if (g_getenv ("MW_BENCH_DEBUG"))
        g_printerr ("before search: fetches %u offset %u cached %u\n", mw_paged_model_get_n_fetches (mw_list_page_get_model (users)),
                    mw_paged_model_get_n_offset_fetches (mw_list_page_get_model (users)),
                    mw_paged_model_get_n_cached_pages (mw_list_page_get_model (users)));
      /* Type a search (the entry's own delay is not counted) */
      reset_stall ();
      start = g_get_monotonic_time ();
      mw_list_page_set_search (users, search_text);
      if (g_getenv ("MW_BENCH_DEBUG"))
        {
          while (mw_paged_model_get_loading (mw_list_page_get_model (users)))
            g_main_context_iteration (NULL, TRUE);
          g_printerr ("search: reset done after %.1f ms, %u items, busy %d\n", (g_get_monotonic_time () - start) / 1000.0,
                      g_list_model_get_n_items (G_LIST_MODEL (mw_list_page_get_model (users))),
                      mw_paged_model_is_busy (mw_list_page_get_model (users)));
        }
      else
        while (!mw_paged_model_get_loading (mw_list_page_get_model (users)))
          g_main_context_iteration (NULL, TRUE);
      t = wait_drawn (GTK_WIDGET (window), row_loaded, users, start);
      if (run > 0)
        {
          double s = max_stall / 1000.0;
          g_array_append_val (search, t);
          g_array_append_val (stalls[3], s);
        }

      /* Memory, once: the whole list scrolled from top to bottom. */
      if (run == runs)
        {
          mw_list_page_set_search (users, "");
          mw_list_page_set_sort (users, MW_SORT_NAME, FALSE);
          while (!mw_paged_model_get_loading (mw_list_page_get_model (users)))
            g_main_context_iteration (NULL, TRUE);
          want_position = 0;
          wait_drawn (GTK_WIDGET (window), row_loaded, users, g_get_monotonic_time ());
          for (guint pos = 0; pos < n_items; pos += 2500)
            {
              want_position = pos;
              gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", pos);
              wait_drawn (GTK_WIDGET (window), row_loaded, users, g_get_monotonic_time ());
            }
          rss_scrolled = rss_kb ("VmRSS:");
        }

      gtk_window_destroy (GTK_WINDOW (window));
      g_clear_object (&c.session);
      for (int i = 0; i < 20; i++)
        g_main_context_iteration (NULL, FALSE);
    }

  printf ("Mailwarden window benchmark: %s, %u users, median of %d runs after 1 warm-up\n",
          mw_db_settings_get_prefix (settings), n_items, runs);
  printf ("%-42s %10s %16s\n", "measurement", "ms", "longest stall ms");
  for (int i = 0; i < 4; i++)
    printf ("%-42s %10.1f %16.1f\n", labels[i], median (times[i]), median (stalls[i]));
  printf ("%-42s %10.1f MB (peak %.1f MB)\n", "memory after scrolling end to end", rss_scrolled / 1024.0,
          rss_kb ("VmHWM:") / 1024.0);
  return 0;
}
