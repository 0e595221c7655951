/* test-paged-model.c: MwPagedModel over real servers: placeholders, pages, keysets, stale answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mw-dbmail.h"
#include "mw-paged-model.h"
#include "mw-test-db.h"

#define N_USERS 2345
#define PAGE 50

typedef struct
{
  guint    position, removed, added;
  gboolean lower_bound;
} Change;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GArray     *changes)
{
  Change c = { position, removed, added,
                mw_paged_model_get_count_is_lower_bound (MW_PAGED_MODEL (model)) };
  g_array_append_val (changes, c);
}

static void
wait_idle (MwPagedModel *model)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (!mw_paged_model_is_busy (model))
        return;
      g_main_context_iteration (NULL, TRUE);
    }
  g_error ("the model did not settle within 30 s");
}

/* A test's pool, given up at its end: a model's background jobs (counts,
 * anchors) may still hold the model, and through it the pool, until their
 * results reach the main loop; run it until the pool is gone, so that
 * nothing is left for LeakSanitizer. */
typedef MwDbPool TestPool;

static void
test_pool_release (TestPool *pool)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gpointer alive = pool;

  g_object_add_weak_pointer (G_OBJECT (pool), &alive);
  g_object_unref (pool);
  while (alive != NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  if (alive != NULL)
    g_error ("the pool was still held 30 s after the test");
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestPool, test_pool_release)

static MwTestDb *
make_users (gconstpointer data)
{
  MwTestDb *tdb = mw_test_db_new (data, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_true (mw_db_begin (tdb->db, &error));
  for (guint i = 0; i < N_USERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%05u", (i * 7919) % N_USERS);
      MwDbValue params[] = { MW_DB_TEXT (name), MW_DB_INT64 (i % 5), MW_DB_INT64 (i * 10) };
      g_autoptr(MwDbResult) r = mw_db_exec (tdb->db, "INSERT INTO {users} (userid, passwd, client_idnr, curmail_size) "
                                            "VALUES ($1, '', $2, $3)", params, 3, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (mw_db_commit (tdb->db, &error));
  return tdb;
}

static char *
expected_name (MwTestDb *tdb,
               guint     position,
               gboolean  descending)
{
  g_autofree char *sql = g_strdup_printf ("SELECT userid FROM dbmail_users WHERE user_idnr > 3 "
                                          "ORDER BY userid %s LIMIT 1 OFFSET %u",
                                          descending ? "DESC" : "", position);
  return mw_test_db_string (tdb, sql);
}

static MwRecord *
load (MwPagedModel *model,
      guint         position)
{
  MwRecord *record = g_list_model_get_item (G_LIST_MODEL (model), position);

  wait_idle (model);
  g_assert_true (mw_record_get_loaded (record));
  return record;
}

static void
test_pages (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 2);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwRecord) first = NULL;
  g_autoptr(MwRecord) deep = NULL;
  g_autoptr(MwRecord) again = NULL;
  g_autoptr(MwRecord) placeholder = NULL;
  g_autofree char *name = NULL;
  guint fetches;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), changes);
  query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS }, NULL);
  mw_paged_model_set_query (model, query);
  g_assert_true (mw_paged_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  wait_idle (model);

  /* One change, from nothing to every row; the first page came with the count. */
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, N_USERS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_USERS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == MW_TYPE_RECORD);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_USERS));

  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (mw_record_get_loaded (first));
  name = expected_name (tdb, 0, FALSE);
  g_assert_cmpstr (mw_record_get_string (first, "userid"), ==, name);
  g_clear_pointer (&name, g_free);

  /* A row outside the loaded page is a placeholder at once, then filled. */
  fetches = mw_paged_model_get_n_fetches (model);
  placeholder = g_list_model_get_item (G_LIST_MODEL (model), PAGE + 3);
  g_assert_false (mw_record_get_loaded (placeholder));
  g_assert_null (mw_record_get_string (placeholder, "userid"));
  wait_idle (model);
  g_assert_true (mw_record_get_loaded (placeholder));
  g_assert_cmpuint (mw_paged_model_get_n_fetches (model), ==, fetches + 1);
  name = expected_name (tdb, PAGE + 3, FALSE);
  g_assert_cmpstr (mw_record_get_string (placeholder, "userid"), ==, name);
  g_clear_pointer (&name, g_free);

  /* The same position gives the same object while someone holds it. */
  again = g_list_model_get_item (G_LIST_MODEL (model), PAGE + 3);
  g_assert_true (again == placeholder);
  g_clear_object (&again);

  /* Many positions of one page cost one fetch. */
  fetches = mw_paged_model_get_n_fetches (model);
  {
    g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = 5 * PAGE; i < 6 * PAGE; i++)
      g_ptr_array_add (held, g_list_model_get_item (G_LIST_MODEL (model), i));
    wait_idle (model);
    g_assert_cmpuint (mw_paged_model_get_n_fetches (model), ==, fetches + 1);
    for (guint i = 0; i < held->len; i++)
      g_assert_true (mw_record_get_loaded (held->pdata[i]));
  }

  /* Deep rows: every position matches the database's own order. */
  g_assert_true (mw_paged_model_has_anchors (model));
  fetches = mw_paged_model_get_n_offset_fetches (model);
  for (int pos = N_USERS - 1; pos > 2 * PAGE; pos -= 617)
    {
      g_autoptr(MwRecord) r = load (model, pos);
      g_autofree char *want = expected_name (tdb, pos, FALSE);

      g_assert_cmpstr (mw_record_get_string (r, "userid"), ==, want);
    }
  /* With the anchors there, no page needed OFFSET. */
  g_assert_cmpuint (mw_paged_model_get_n_offset_fetches (model), ==, fetches);

  deep = load (model, N_USERS - 1);
  name = expected_name (tdb, N_USERS - 1, FALSE);
  g_assert_cmpstr (mw_record_get_string (deep, "userid"), ==, name);
}

static void
test_offset_fallback (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 1);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(MwListQuery) query = NULL;

  /* Sorted descending, without anchors: a page past the middle is read from
   * the end of the list, and still in the right order. */
  mw_paged_model_set_use_anchors (model, FALSE);
  query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .descending = TRUE }, NULL);
  mw_paged_model_set_query (model, query);
  while (mw_paged_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);

  {
    g_autoptr(MwRecord) late = g_list_model_get_item (G_LIST_MODEL (model), N_USERS - 7);
    g_autoptr(MwRecord) mid = g_list_model_get_item (G_LIST_MODEL (model), N_USERS / 2 - 3);
    g_autofree char *want_late = expected_name (tdb, N_USERS - 7, TRUE);
    g_autofree char *want_mid = expected_name (tdb, N_USERS / 2 - 3, TRUE);

    wait_idle (model);
    g_assert_cmpuint (mw_paged_model_get_n_offset_fetches (model), ==, 2);
    g_assert_cmpstr (mw_record_get_string (late, "userid"), ==, want_late);
    g_assert_cmpstr (mw_record_get_string (mid, "userid"), ==, want_mid);
  }
}

static void
test_requery (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 2);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(MwListQuery) all = NULL;
  g_autoptr(MwListQuery) some = NULL;
  g_autoptr(MwListQuery) group = NULL;
  g_autoptr(MwRecord) old = NULL;
  g_autoptr(MwRecord) r = NULL;
  Change last;

  all = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS }, NULL);
  some = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .search = "user0001" }, NULL);
  group = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .has_group = TRUE, .group = 3,
                                                                .sort = MW_SORT_NUMBER }, NULL);
  mw_paged_model_set_query (model, all);
  wait_idle (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), changes);

  /* A page asked for under the old query, then the query changes before it
   * arrives: the stale page must not land in the new list. */
  old = g_list_model_get_item (G_LIST_MODEL (model), 1000);
  mw_paged_model_set_query (model, some);
  /* Typing on: the previous query is dropped, only the last one counts. */
  mw_paged_model_set_query (model, group);
  wait_idle (model);

  /* All rows out, then the new rows in: one query's worth, never the
   * intermediate one. A filtered list has no estimate: its full first page
   * shows as "at least PAGE rows", and the rest arrive with the count. */
  g_assert_cmpuint (changes->len, ==, 3);
  last = g_array_index (changes, Change, 0);
  g_assert_cmpuint (last.removed, ==, N_USERS);
  g_assert_cmpuint (last.added, ==, 0);
  last = g_array_index (changes, Change, 1);
  g_assert_cmpuint (last.position, ==, 0);
  g_assert_cmpuint (last.removed, ==, 0);
  g_assert_cmpuint (last.added, ==, PAGE);
  g_assert_true (last.lower_bound);
  last = g_array_index (changes, Change, 2);
  g_assert_cmpuint (last.position, ==, PAGE);
  g_assert_cmpuint (last.removed, ==, 0);
  g_assert_cmpuint (last.added, ==, N_USERS / 5 - PAGE);
  g_assert_false (last.lower_bound);
  g_assert_false (mw_paged_model_get_count_is_lower_bound (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_USERS / 5);

  r = load (model, 100);
  g_assert_cmpint (mw_record_get_int64 (r, "client_idnr"), ==, 3);
  g_assert_true (r != old);

  /* Searching narrows to the names containing the text. */
  g_clear_object (&r);
  mw_paged_model_set_query (model, some);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  r = load (model, 9);
  g_assert_cmpstr (mw_record_get_string (r, "userid"), ==, "user00019");
  g_assert_null (mw_paged_model_get_error (model));
}

static void
test_cache_bound (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 2);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(MwListQuery) query = NULL;

  mw_paged_model_set_max_cached_pages (model, 4);
  query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .sort = MW_SORT_MAIL_SIZE }, NULL);
  mw_paged_model_set_query (model, query);
  wait_idle (model);

  /* Scroll end to end, holding nothing, as a list view does. */
  for (guint pos = 0; pos < N_USERS; pos += PAGE)
    {
      g_autoptr(MwRecord) r = load (model, pos);

      g_assert_cmpint (mw_record_get_int64 (r, "curmail_size"), ==, (gint64) pos * 10);
      g_assert_cmpuint (mw_paged_model_get_n_cached_pages (model), <=, 4);
    }
}

static void
test_error (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 1);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(MwListQuery) query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS }, NULL);

  mw_test_db_exec (tdb, "DROP TABLE dbmail_aliases");
  mw_paged_model_set_query (model, query);
  wait_idle (model);
  /* Listing users does not need aliases. */
  g_assert_null (mw_paged_model_get_error (model));

  g_clear_pointer (&query, mw_list_query_unref);
  query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_ALIASES }, NULL);
  mw_paged_model_set_query (model, query);
  wait_idle (model);
  g_assert_nonnull (mw_paged_model_get_error (model));
  g_assert_error ((GError *) mw_paged_model_get_error (model), MW_DB_ERROR, MW_DB_ERROR_NO_SUCH_TABLE);
  /* The list that was shown stays. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_USERS);
}

static void
test_estimate (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 2);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(MwListQuery) query = NULL;
  guint shown = 0;

  /* Statistics as a real server keeps them; then more rows than they know of. */
  mw_test_db_exec (tdb, tdb->driver == MW_DB_DRIVER_PGSQL ? "ANALYZE dbmail_users" : "ANALYZE TABLE dbmail_users");
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO dbmail_users (userid, passwd) VALUES ('late%03u', '')", i);
      mw_test_db_exec (tdb, sql);
    }

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), changes);
  mw_paged_model_set_estimate_from (model, 1);
  query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS }, NULL);
  g_assert_nonnull (mw_list_query_get_estimate_sql (query));
  mw_paged_model_set_query (model, query);
  wait_idle (model);

  /* Rows were shown with the estimate, then the end of the list moved to the
   * exact count: never a change that removes and adds at once. */
  for (guint i = 0; i < changes->len; i++)
    {
      Change c = g_array_index (changes, Change, i);

      g_assert_true (c.removed == 0 || c.added == 0);
      if (i == 0)
        {
          shown = c.added;
          continue;
        }
      g_assert_cmpuint (c.position, ==, MIN (shown, shown + c.added - c.removed));
      shown = shown + c.added - c.removed;
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_USERS + 300);
  g_assert_cmpuint (shown, ==, N_USERS + 300);
  {
    g_autoptr(MwRecord) last = load (model, N_USERS + 299);
    g_autofree char *want = expected_name (tdb, N_USERS + 299, FALSE);

    g_assert_cmpstr (mw_record_get_string (last, "userid"), ==, want);
  }

  /* A search is never estimated. */
  g_clear_pointer (&query, mw_list_query_unref);
  query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .search = "late" }, NULL);
  g_assert_null (mw_list_query_get_estimate_sql (query));

  /* A long search shows "at least a page" first; once its exact count is
   * in, it gets its page anchors too, and a jump near its end is read by
   * keyset from one of them, not by OFFSET. */
  g_clear_pointer (&query, mw_list_query_unref);
  query = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .search = "user" }, NULL);
  mw_paged_model_set_query (model, query);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_USERS);
  g_assert_false (mw_paged_model_get_count_is_lower_bound (model));
  g_assert_true (mw_paged_model_has_anchors (model));
  {
    guint offsets = mw_paged_model_get_n_offset_fetches (model);
    g_autoptr(MwRecord) deep = load (model, N_USERS - PAGE - 3);
    /* the 300 "late…" rows sort before every "user…" one */
    g_autofree char *want = expected_name (tdb, 300 + N_USERS - PAGE - 3, FALSE);

    g_assert_cmpstr (mw_record_get_string (deep, "userid"), ==, want);
    g_assert_cmpuint (mw_paged_model_get_n_offset_fetches (model), ==, offsets);
  }
}

static void
on_loaded_count_cb (MwRecord   *record,
                    GParamSpec *pspec,
                    guint      *n)
{
  (*n)++;
}

/* With reused rows, a new order keeps the records a view holds and fills
 * them with the new rows; a shorter list removes only the tail. */
static void
test_reuse_rows (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 2);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(MwListQuery) asc = NULL;
  g_autoptr(MwListQuery) desc = NULL;
  g_autoptr(MwListQuery) some = NULL;
  g_autoptr(MwRecord) top = NULL;
  g_autoptr(MwRecord) deep = NULL;
  g_autoptr(MwRecord) again = NULL;
  g_autofree char *want = NULL;
  guint top_notifies = 0;

  mw_paged_model_set_reuse_rows (model, TRUE);
  asc = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS }, NULL);
  desc = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .descending = TRUE }, NULL);
  some = mw_dbmail_list_query (tdb->driver, &(MwListRequest) { .kind = MW_LIST_USERS, .search = "user0001" }, NULL);
  mw_paged_model_set_query (model, asc);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_USERS);
  top = load (model, 0);
  deep = load (model, 3 * PAGE + 7);
  want = expected_name (tdb, 3 * PAGE + 7, FALSE);
  g_assert_cmpstr (mw_record_get_string (deep, "userid"), ==, want);
  g_clear_pointer (&want, g_free);
  g_signal_connect (top, "notify::loaded", G_CALLBACK (on_loaded_count_cb), &top_notifies);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), changes);

  /* Same length, new order: no change to the list, the same records, the
   * new rows in them. */
  mw_paged_model_set_query (model, desc);
  wait_idle (model);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (top_notifies, >=, 1);
  again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (again == top);
  g_clear_object (&again);
  want = expected_name (tdb, 0, TRUE);
  g_assert_cmpstr (mw_record_get_string (top, "userid"), ==, want);
  g_clear_pointer (&want, g_free);
  /* A record off the first page turned back into a placeholder and was
   * filled from its new page. */
  while (!mw_record_get_loaded (deep))
    g_main_context_iteration (NULL, TRUE);
  want = expected_name (tdb, 3 * PAGE + 7, TRUE);
  g_assert_cmpstr (mw_record_get_string (deep, "userid"), ==, want);
  g_clear_pointer (&want, g_free);

  /* A search matching ten: the tail goes, once; the record past the end is
   * a placeholder that no list position holds any more. */
  mw_paged_model_set_query (model, some);
  wait_idle (model);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 10);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, N_USERS - 10);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  g_assert_false (mw_record_get_loaded (deep));
  again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (again == top);
  g_clear_object (&again);
  g_assert_cmpstr (mw_record_get_string (top, "userid"), ==, "user00010");
  again = g_list_model_get_item (G_LIST_MODEL (model), 9);
  g_assert_cmpstr (mw_record_get_string (again, "userid"), ==, "user00019");
  g_clear_object (&again);

  /* Back to everyone: the rows come back at the end. */
  mw_paged_model_set_query (model, asc);
  wait_idle (model);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (changes, Change, 1).position, ==, 10);
  g_assert_cmpuint (g_array_index (changes, Change, 1).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 1).added, ==, N_USERS - 10);
  want = expected_name (tdb, 0, FALSE);
  g_assert_cmpstr (mw_record_get_string (top, "userid"), ==, want);
  g_signal_handlers_disconnect_by_func (top, on_loaded_count_cb, &top_notifies);
}

/* A list whose sort is costly is read as a snapshot of its keys: the count
 * is there with the first page, every page is read by its keys (never by
 * OFFSET, never needing anchors), and a page whose rows are gone from the
 * server makes the list read again. */
static gint64
expected_id (MwTestDb *tdb,
             guint     position)
{
  g_autofree char *sql = g_strdup_printf ("SELECT user_idnr FROM dbmail_users WHERE user_idnr > 3 "
                                          "ORDER BY client_idnr DESC, user_idnr DESC LIMIT 1 OFFSET %u", position);
  return mw_test_db_int (tdb, sql);
}

static void
test_snapshot (gconstpointer data)
{
  g_autoptr(MwTestDb) tdb = make_users (data);
  g_autoptr(TestPool) pool = mw_db_pool_new (tdb->settings, 2);
  g_autoptr(MwPagedModel) model = mw_paged_model_new (pool, PAGE);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwRecord) held = NULL;
  g_autoptr(MwRecord) after = NULL;
  g_autofree char *sql = NULL;
  guint fetches, stale;
  gint64 gone, want;

  /* Ties on client_idnr (five values): the key decides among them. */
  query = mw_list_query_new ("SELECT u.user_idnr, u.userid, u.client_idnr FROM {users} u WHERE u.user_idnr > $1",
                             "client_idnr", "user_idnr", TRUE);
  mw_list_query_add_int64 (query, 3);
  mw_list_query_set_snapshot (query, TRUE);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), changes);
  mw_paged_model_set_query (model, query);
  wait_idle (model);

  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, N_USERS);
  g_assert_false (g_array_index (changes, Change, 0).lower_bound);
  g_assert_false (mw_paged_model_has_anchors (model));
  g_assert_cmpuint (mw_paged_model_get_n_fetches (model), ==, 1);

  for (guint pos = 0; pos < N_USERS; pos += 389)
    {
      g_autoptr(MwRecord) r = load (model, pos);

      g_assert_cmpint (mw_record_get_int64 (r, "user_idnr"), ==, expected_id (tdb, pos));
    }
  {
    g_autoptr(MwRecord) last = load (model, N_USERS - 1);

    g_assert_cmpint (mw_record_get_int64 (last, "user_idnr"), ==, expected_id (tdb, N_USERS - 1));
    g_assert_cmpint (mw_record_get_int64 (last, "client_idnr"), ==, 0);
  }
  g_assert_cmpuint (mw_paged_model_get_n_offset_fetches (model), ==, 0);

  /* A row of a page not read yet is deleted on the server. */
  stale = 30 * PAGE + 5;
  gone = expected_id (tdb, stale);
  want = expected_id (tdb, stale + 1);
  sql = g_strdup_printf ("DELETE FROM dbmail_users WHERE user_idnr = %" G_GINT64_FORMAT, gone);
  mw_test_db_exec (tdb, sql);
  fetches = mw_paged_model_get_n_fetches (model);
  g_array_set_size (changes, 0);
  held = g_list_model_get_item (G_LIST_MODEL (model), stale);
  wait_idle (model);
  /* Read again: one row fewer, and the position holds the next row. */
  g_assert_cmpuint (mw_paged_model_get_n_fetches (model), >=, fetches + 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_USERS - 1);
  after = load (model, stale);
  g_assert_cmpint (mw_record_get_int64 (after, "user_idnr"), ==, want);
  g_assert_null (mw_paged_model_get_error (model));
}

int
main (int   argc,
      char *argv[])
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/paged-model/pages", test_pages);
  mw_test_add_both ("/paged-model/offset-fallback", test_offset_fallback);
  mw_test_add_both ("/paged-model/requery", test_requery);
  mw_test_add_both ("/paged-model/reuse-rows", test_reuse_rows);
  mw_test_add_both ("/paged-model/cache-bound", test_cache_bound);
  mw_test_add_both ("/paged-model/error", test_error);
  mw_test_add_both ("/paged-model/estimate", test_estimate);
  mw_test_add_both ("/paged-model/snapshot", test_snapshot);

  return mw_test_run ();
}
