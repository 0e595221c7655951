/* test-vmail-last-login.c: what ISPmail and PostfixAdmin lists show of
 * Dovecot's own tables, and how they are searched (issue 17).
 *
 * - Search in Unicode: "bücher" typed in the Mailboxes, Aliases, Forwards
 *   and Domains lists (and find) reaches the names stored in A-labels
 *   (xn--bcher-kva.example); SQL metacharacters, % and _ stay literal.
 *
 * On the demo's sample data (mw_demo_vmail_populate), on both servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-account.h"
#include "mw-schema.h"
#include "mw-demo-vmail.h"
#include "mw-test-db.h"

typedef struct
{
  MwTestDb      *tdb;
  MwDemoFlavour  flavour;
  MwSchema      *schema;
} Fixture;

static void
fixture_free (Fixture *f)
{
  g_clear_object (&f->schema);
  g_clear_pointer (&f->tdb, mw_test_db_free);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDbResult) result = mw_db_exec (f->tdb->db, sql, NULL, 0, NULL, &error);

  g_assert_no_error (error);
}

/* The demo's sample data, @setup_sql run on it (may be NULL), then the schema opened. */
static Fixture *
fixture_new (gconstpointer  driver,
             MwDemoFlavour  flavour,
             const char    *setup_sql)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);

  f->flavour = flavour;
  f->tdb = mw_test_db_new (driver, FALSE);
  g_assert_true (mw_demo_vmail_load_schema (f->tdb->db, flavour, &error));
  g_assert_no_error (error);
  g_assert_true (mw_demo_vmail_populate (f->tdb->db, flavour, &error));
  g_assert_no_error (error);
  if (setup_sql != NULL)
    {
      g_auto(GStrv) statements = g_strsplit (setup_sql, ";\n", -1);

      for (guint i = 0; statements[i] != NULL; i++)
        if (g_strstrip (statements[i])[0] != '\0')
          exec (f, statements[i]);
    }
  f->schema = mw_schema_open (f->tdb->db, NULL, &error);
  g_assert_no_error (error);
  return f;
}

/* The whole list searched for @search, sorted by name: each row's
 * columns as the list reads them, "a|b|c", one row a line. */
static char *
read_list (Fixture     *f,
           MwListKind   kind,
           const char  *search,
           guint       *n_rows)
{
  const MwListInfo *info = mw_schema_get_list (f->schema, kind);
  MwListRequest request = { .kind = kind, .sort = MW_SORT_NAME, .search = search };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwListQuery) query = NULL;
  g_autoptr(MwDbResult) page = NULL;
  GString *out = g_string_new (NULL);

  g_assert_nonnull (info);
  query = mw_schema_list_query (f->schema, &request, &error);
  g_assert_no_error (error);
  page = mw_list_query_fetch_offset (query, f->tdb->db, 0, 1000, FALSE, NULL, &error);
  g_assert_no_error (error);
  *n_rows = mw_db_result_get_n_rows (page);
  for (guint r = 0; r < *n_rows; r++)
    {
      for (guint c = 0; c < info->n_columns; c++)
        {
          MwListValue value = { 0 };

          mw_list_column_read (&info->columns[c], page, r, &value);
          g_string_append_printf (out, "%s%s", c > 0 ? "|" : "", value.is_null ? "" : value.text);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Every line of @rows names the IDN domain in its stored form. */
static void
assert_all_bucher (const char *rows,
                   guint       n_rows)
{
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);

  g_assert_cmpuint (n_rows, >, 0);
  for (guint i = 0; i < n_rows; i++)
    if (strstr (lines[i], "xn--bcher-kva.example") == NULL)
      g_error ("a row without bücher.example: %s", lines[i]);
}

/* A forward out of bücher.example, so that Forwards has one there. */
static const char ispmail_forward[] =
  "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES "
  "((SELECT id FROM virtual_domains WHERE name = 'xn--bcher-kva.example'), 'laden@xn--bcher-kva.example', "
  "'kasse@laden.test')";
static const char postfixadmin_forward[] =
  "INSERT INTO alias (address, goto, domain, created, modified, active) VALUES "
  "('laden@xn--bcher-kva.example', 'kasse@laden.test', 'xn--bcher-kva.example', '2024-01-01 00:00:00', "
  "'2024-01-01 00:00:00', '1')";

static void
check_unicode_search (gconstpointer  driver,
                      MwDemoFlavour  flavour)
{
  g_autoptr(Fixture) f = fixture_new (driver, flavour, flavour == MW_DEMO_FLAVOUR_ISPMAIL ? ispmail_forward
                                                                                  : postfixadmin_forward);
  static const MwListKind kinds[] = { MW_LIST_USERS, MW_LIST_ALIASES, MW_LIST_FORWARDS, MW_LIST_DOMAINS };
  static const char *const literal[] = {
    "%", "_", "bücher%", "bücher_example", "ücher.example' OR '1'='1", "bücher\\", "xn--bcher-kva.example\"; --",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFound) found = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *unicode = NULL;
      g_autofree char *upper = NULL;
      g_autofree char *stored = NULL;
      g_autofree char *address = NULL;
      guint n_unicode, n_upper, n_stored, n_address, n;

      /* Typed in Unicode, in any case: the same rows as the stored form. */
      unicode = read_list (f, kinds[k], "bücher", &n_unicode);
      stored = read_list (f, kinds[k], "xn--bcher-kva", &n_stored);
      upper = read_list (f, kinds[k], "BÜCHER.example", &n_upper);
      g_test_message ("list %u, 'bücher': %u rows\n%s", kinds[k], n_unicode, unicode);
      assert_all_bucher (unicode, n_unicode);
      g_assert_cmpstr (unicode, ==, stored);
      g_assert_cmpstr (upper, ==, stored);

      /* An address typed whole: its domain in A-labels, the local part as typed. */
      if (kinds[k] != MW_LIST_DOMAINS)
        {
          const char *local = kinds[k] == MW_LIST_FORWARDS ? "laden@bücher" : "@bücher.example";

          address = read_list (f, kinds[k], local, &n_address);
          assert_all_bucher (address, n_address);
        }

      /* % _ ' " \ are literal: nothing matches, and no error. */
      for (guint i = 0; i < G_N_ELEMENTS (literal); i++)
        {
          g_autofree char *rows = read_list (f, kinds[k], literal[i], &n);

          g_assert_cmpuint (n, ==, 0);
        }
    }

  /* find: the address typed in Unicode. */
  found = mw_schema_find (f->schema, f->tdb->db, "Laden@Bücher.example", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->kind, ==, MW_FOUND_FORWARD);
}

static void
test_search_ispmail (gconstpointer driver)
{
  check_unicode_search (driver, MW_DEMO_FLAVOUR_ISPMAIL);
}

static void
test_search_postfixadmin (gconstpointer driver)
{
  check_unicode_search (driver, MW_DEMO_FLAVOUR_POSTFIXADMIN);
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);

  mw_test_add_both ("/vmail-last-login/search-unicode/ispmail", test_search_ispmail);
  mw_test_add_both ("/vmail-last-login/search-unicode/postfixadmin", test_search_postfixadmin);

  return mw_test_run ();
}
