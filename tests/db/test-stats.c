/* test-stats.c: the statistics area (mw-stats.h) on PostgreSQL and
 * MariaDB: on a database the test fills with known counts, quotas, login
 * times, POP/IMAP-before-SMTP rows and login-log rows, the exact figures,
 * the charts' numbers, the login lists and their pages, the server's
 * status, a session wrapper, and mailwarden-cli stats, logins, unused and
 * status with their bad input. One DBMail case, one ISPmail case (figures
 * it does not keep are absent, lists refused with a sentence) and one
 * PostfixAdmin case (quota2, vacation, Dovecot's last_login table).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "mw-async-wait.h"
#include "mw-schema.h"
#include "mw-session.h"
#include "mw-session-stats.h"
#include "mw-stats.h"
#include "mw-test-db.h"
#include "mw-test-vmail.h"

/* SQL: the moment @minutes ago, in the server's local time. (transfer full) */
static char *
ago (MwTestDb *tdb,
     gint64    minutes)
{
  if (tdb->driver == MW_DB_DRIVER_PGSQL)
    return g_strdup_printf ("(LOCALTIMESTAMP - INTERVAL '%" G_GINT64_FORMAT " minutes')", minutes);
  return g_strdup_printf ("(NOW() - INTERVAL %" G_GINT64_FORMAT " MINUTE)", minutes);
}

static void
execf (MwTestDb   *tdb,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static void
execf (MwTestDb   *tdb,
       const char *format,
       ...)
{
  g_autofree char *sql = NULL;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  mw_test_db_exec (tdb, sql);
}

static MwChart *
chart (MwSchema    *schema,
       MwTestDb    *tdb,
       MwChartKind  kind,
       guint        n)
{
  g_autoptr (GError) error = NULL;
  MwChart *c = mw_schema_get_chart (schema, tdb->db, kind, n, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

/* "key=value" for each point, joined with ",". */
static char *
points (const MwChart *c)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < c->points->len; i++)
    {
      const MwChartPoint *p = g_ptr_array_index (c->points, i);

      g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT, i > 0 ? "," : "", p->key, p->value);
    }
  return g_string_free (out, FALSE);
}

/* The point with @key's value, 0 when there is none. */
static gint64
point_value (const MwChart *c,
             const char    *key)
{
  for (guint i = 0; i < c->points->len; i++)
    {
      const MwChartPoint *p = g_ptr_array_index (c->points, i);

      if (g_strcmp0 (p->key, key) == 0)
        return p->value;
    }
  return 0;
}

static gint64
point_sum (const MwChart *c)
{
  gint64 sum = 0;

  for (guint i = 0; i < c->points->len; i++)
    sum += ((const MwChartPoint *) g_ptr_array_index (c->points, i))->value;
  return sum;
}

/* "user[@service/address]|..." of a page, "-" for a time that is NULL. */
static char *
entries (const MwLoginPage *page)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < page->entries->len; i++)
    {
      const MwLoginEntry *e = g_ptr_array_index (page->entries, i);

      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", e->user != NULL ? e->user : e->address);
      if (e->user != NULL && (e->service != NULL || e->address != NULL))
        g_string_append_printf (out, "@%s/%s", e->service, e->address);
      if (e->time == NULL)
        g_string_append (out, "-");
    }
  return g_string_free (out, FALSE);
}

static MwLoginPage *
recent (MwSchema *schema,
        MwTestDb *tdb,
        guint     hours,
        guint64   offset,
        guint     limit)
{
  g_autoptr (GError) error = NULL;
  MwLoginPage *page = mw_schema_list_recent_logins (schema, tdb->db, hours, offset, limit, NULL, &error);

  g_assert_no_error (error);
  return page;
}

static MwLoginPage *
unused (MwSchema *schema,
        MwTestDb *tdb,
        guint     days)
{
  g_autoptr (GError) error = NULL;
  MwLoginPage *page = mw_schema_list_unused_accounts (schema, tdb->db, days, 0, 0, NULL, &error);

  g_assert_no_error (error);
  return page;
}

static JsonObject *
parse_json (const char *text,
            JsonParser *parser)
{
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* ------------------------------------------------------------------------ */
/* DBMail                                                                   */
/* ------------------------------------------------------------------------ */

static gint64
add_message (MwTestDb *tdb,
             gint64    mailbox,
             gint      status)
{
  static guint n;
  gint64 phys;

  execf (tdb, "INSERT INTO {physmessage} (messagesize, rfcsize) VALUES (100, 100)");
  phys = mw_test_db_int (tdb, "SELECT MAX(id) FROM {physmessage}");
  execf (tdb, "INSERT INTO {messages} (mailbox_idnr, physmessage_id, unique_id, status) "
              "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'u%u', %d)", mailbox, phys, ++n, status);
  return phys;
}

static void
test_dbmail (gconstpointer driver)
{
  g_autoptr (MwTestDb) tdb = mw_test_db_new (driver, TRUE);
  g_autoptr (MwSchema) schema = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MwStatsOverview) overview = NULL;
  g_autofree char *uri = mw_test_vmail_db_uri (tdb);
  g_autofree char *a_minute = ago (tdb, 1);
  g_autofree char *an_hour = ago (tdb, 60);
  g_autofree char *two_hours = ago (tdb, 120);
  g_autofree char *thirty_hours = ago (tdb, 30 * 60);
  g_autofree char *forty_days = ago (tdb, 40 * 24 * 60);
  g_autofree char *tomorrow = ago (tdb, -24 * 60);
  gint64 alice = mw_test_db_add_user (tdb, "alice", 1, 1000);
  gint64 bob = mw_test_db_add_user (tdb, "bob", 1, 1000);
  gint64 carol = mw_test_db_add_user (tdb, "carol", 2, 100);
  gint64 dave = mw_test_db_add_user (tdb, "dave", 0, 0);
  gint64 inbox;

  /* Quota use: alice 5 %, bob exactly full, carol over, dave unlimited. */
  execf (tdb, "UPDATE {users} SET curmail_size = 50, last_login = %s WHERE user_idnr = %" G_GINT64_FORMAT,
         a_minute, alice);
  execf (tdb, "UPDATE {users} SET curmail_size = 1000, last_login = %s WHERE user_idnr = %" G_GINT64_FORMAT,
         forty_days, bob);
  execf (tdb, "UPDATE {users} SET curmail_size = 500 WHERE user_idnr = %" G_GINT64_FORMAT, carol);
  execf (tdb, "UPDATE {users} SET curmail_size = 300, last_login = %s WHERE user_idnr = %" G_GINT64_FORMAT,
         thirty_hours, dave);
  mw_test_db_add_alias (tdb, "sales@example.com", "someone@elsewhere.example", 0);
  execf (tdb, "INSERT INTO {mailboxes} (owner_idnr, name) VALUES (%" G_GINT64_FORMAT ", 'INBOX'), "
              "(%" G_GINT64_FORMAT ", 'Archive'), (%" G_GINT64_FORMAT ", 'INBOX')", alice, alice, bob);
  inbox = mw_test_db_int (tdb, "SELECT MIN(mailbox_idnr) FROM {mailboxes}");
  add_message (tdb, inbox, 0);
  add_message (tdb, inbox, 1);
  add_message (tdb, inbox, 2);
  add_message (tdb, inbox, 2);
  add_message (tdb, inbox, 3);
  add_message (tdb, inbox, 5);
  execf (tdb, "INSERT INTO {auto_replies} (user_idnr, start_date, stop_date, reply_body) VALUES "
              "(%" G_GINT64_FORMAT ", %s, %s, 'away'), (%" G_GINT64_FORMAT ", %s, %s, 'was away')",
         alice, an_hour, tomorrow, bob, forty_days, two_hours);
  execf (tdb, "INSERT INTO {auto_notifications} (user_idnr, notify_address) VALUES "
              "(%" G_GINT64_FORMAT ", 'a@elsewhere.example'), (%" G_GINT64_FORMAT ", 'c@elsewhere.example')",
         alice, carol);
  execf (tdb, "INSERT INTO {pbsp} (since, ipnumber) VALUES (%s, '192.0.2.1'), (%s, '198.51.100.7')",
         an_hour, two_hours);

  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_has_stats (schema));
  g_assert_true (mw_schema_has_before_smtp (schema));

  overview = mw_schema_get_overview (schema, tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (overview->values[MW_STAT_USERS], ==, 4);          /* not DBMail's own three */
  g_assert_cmpint (overview->values[MW_STAT_ALIASES], ==, 4);        /* name@example.org of each */
  g_assert_cmpint (overview->values[MW_STAT_FORWARDS], ==, 1);
  g_assert_cmpint (overview->values[MW_STAT_DOMAINS], ==, 2);
  g_assert_cmpint (overview->values[MW_STAT_GROUPS], ==, 3);
  g_assert_cmpint (overview->values[MW_STAT_MAILBOXES], ==, 3);
  g_assert_cmpint (overview->values[MW_STAT_MESSAGES], ==, 2);       /* status 0 and 1 */
  g_assert_cmpint (overview->values[MW_STAT_DELETED], ==, 2);        /* status 2 */
  g_assert_cmpint (overview->values[MW_STAT_PURGE], ==, 1);          /* status 3; 5 is delivery's */
  g_assert_cmpint (overview->values[MW_STAT_BYTES], ==, 50 + 1000 + 500 + 300);
  g_assert_cmpint (overview->values[MW_STAT_LOGINS_24H], ==, 1);
  g_assert_cmpint (overview->values[MW_STAT_AUTO_REPLIES], ==, 1);   /* bob's has ended */
  g_assert_cmpint (overview->values[MW_STAT_NOTIFICATIONS], ==, 2);
  g_assert_cmpint (overview->values[MW_STAT_DATABASE_BYTES], >, 0);
  g_assert_cmpstr (overview->database_type, ==, tdb->driver == MW_DB_DRIVER_PGSQL ? "PostgreSQL" : "MariaDB");
  mw_test_assert_contains (overview->flavour, "DBMail");
  g_assert_cmpstr (mw_stat_key (MW_STAT_PURGE), ==, "purge");
  g_assert_cmpstr (mw_stat_label (MW_STAT_DELETED), ==, "Deletes pending (expunged)");

  /* The first, fast step: the users and folders from the server's catalog,
   * marked as estimates ("about 4"); what needs a pass over the users or
   * the aliases pending ("counting…"); the cheap figures as exact as the
   * exact step's, which marks nothing. */
  g_assert_true (overview->exact);
  for (guint i = 0; i < MW_N_STATS; i++)
    g_assert_false (overview->estimated[i]);
  execf (tdb, tdb->driver == MW_DB_DRIVER_PGSQL ? "ANALYZE {users}, {mailboxes}"
                                                : "ANALYZE TABLE {users}, {mailboxes}");
  {
    g_autoptr (MwStatsOverview) fast = mw_schema_get_overview_fast (schema, tdb->db, NULL, &error);
    g_autofree char *users = NULL;
    g_autofree char *aliases = NULL;
    g_autofree char *messages = NULL;

    g_assert_no_error (error);
    g_assert_false (fast->exact);
    g_assert_true (fast->estimated[MW_STAT_USERS]);
    g_assert_false (fast->estimated[MW_STAT_MAILBOXES]);   /* few: counted */
    g_assert_cmpint (fast->values[MW_STAT_MAILBOXES], ==, 3);
    g_assert_cmpint (fast->values[MW_STAT_USERS], >=, 0);
    users = mw_stats_overview_format (fast, MW_STAT_USERS);
    g_assert_true (g_str_has_prefix (users, "about "));
    g_assert_cmpint (fast->values[MW_STAT_ALIASES], ==, MW_STAT_PENDING);
    g_assert_cmpint (fast->values[MW_STAT_FORWARDS], ==, MW_STAT_PENDING);
    g_assert_cmpint (fast->values[MW_STAT_DOMAINS], ==, MW_STAT_PENDING);
    aliases = mw_stats_overview_format (fast, MW_STAT_ALIASES);
    g_assert_cmpstr (aliases, ==, "counting…");
    g_assert_false (fast->estimated[MW_STAT_MESSAGES]);
    messages = mw_stats_overview_format (fast, MW_STAT_MESSAGES);
    g_assert_cmpstr (messages, ==, "2");
    g_assert_cmpint (fast->values[MW_STAT_DELETED], ==, 2);
    g_assert_cmpint (fast->values[MW_STAT_PURGE], ==, 1);
    g_assert_cmpint (fast->values[MW_STAT_NOTIFICATIONS], ==, 2);
    g_assert_cmpint (fast->values[MW_STAT_DATABASE_BYTES], >, 0);
    g_assert_cmpstr (fast->database_type, ==, overview->database_type);
  }

  /* The charts. */
  {
    g_autoptr (MwChart) quota = chart (schema, tdb, MW_CHART_QUOTA_USE, 0);
    g_autoptr (MwChart) biggest = chart (schema, tdb, MW_CHART_BIGGEST_MAILBOXES, 2);
    g_autoptr (MwChart) groups = chart (schema, tdb, MW_CHART_MAIL_PER_GROUP, 0);
    g_autoptr (MwChart) days = chart (schema, tdb, MW_CHART_LOGINS_PER_DAY, 30);
    g_autoptr (MwChart) authlog = chart (schema, tdb, MW_CHART_AUTHLOG_PER_DAY, 7);
    g_autofree char *quota_points = points (quota);
    g_autofree char *biggest_points = points (biggest);
    g_autofree char *group_points = points (groups);
    g_autofree char *bob_key = g_strdup_printf ("%" G_GINT64_FORMAT, bob);
    g_autofree char *carol_key = g_strdup_printf ("%" G_GINT64_FORMAT, carol);
    g_autofree char *expected = g_strdup_printf ("%s=1000,%s=500", bob_key, carol_key);
    g_autofree char *alice_day = mw_test_db_string (tdb, tdb->driver == MW_DB_DRIVER_PGSQL
                                                    ? "SELECT to_char(last_login, 'YYYY-MM-DD') FROM {users} WHERE userid = 'alice'"
                                                    : "SELECT DATE_FORMAT(last_login, '%Y-%m-%d') FROM {users} WHERE userid = 'alice'");
    g_autofree char *described = mw_chart_describe (quota);
    const MwChartPoint *first = g_ptr_array_index (quota->points, 0);

    g_assert_cmpstr (quota_points, ==, "0-10=1,10-20=0,20-30=0,30-40=0,40-50=0,50-60=0,60-70=0,70-80=0,80-90=0,"
                                       "90-100=1,over=1,unlimited=1");
    g_assert_cmpstr (first->label, ==, "0–10 %");
    g_assert_cmpstr (first->value_text, ==, "1 user");
    mw_test_assert_contains (described, "Users by quota use\n");
    mw_test_assert_contains (described, "Over quota: 1 user\n");
    g_assert_cmpstr (biggest_points, ==, expected);
    g_assert_cmpint (biggest->unit, ==, MW_CHART_UNIT_BYTES);
    g_assert_cmpstr (((MwChartPoint *) g_ptr_array_index (biggest->points, 0))->label, ==, "bob");
    g_assert_cmpstr (group_points, ==, "1=1050,2=500,0=300");
    g_assert_cmpstr (((MwChartPoint *) g_ptr_array_index (groups->points, 0))->label, ==, "Group 1");
    g_assert_true (days->available);
    g_assert_cmpuint (days->points->len, ==, 30);
    g_assert_cmpint (point_sum (days), ==, 2);                      /* alice and dave; bob too long ago */
    g_assert_cmpint (point_value (days, alice_day), >=, 1);
    g_assert_false (authlog->available);                            /* the server wrote no log */
    g_assert_cmpuint (authlog->points->len, ==, 0);
    mw_test_assert_contains (authlog->note, "authlog = yes");
  }

  /* Logins, unused accounts, POP/IMAP-before-SMTP. */
  {
    g_autoptr (MwLoginPage) day = recent (schema, tdb, 24, 0, 0);
    g_autoptr (MwLoginPage) two_days = recent (schema, tdb, 48, 0, 0);
    g_autoptr (MwLoginPage) second = recent (schema, tdb, 48, 1, 1);
    g_autoptr (MwLoginPage) month = unused (schema, tdb, 30);
    g_autoptr (MwLoginPage) one_day = unused (schema, tdb, 1);
    g_autoptr (MwLoginPage) pbsp = mw_schema_list_before_smtp (schema, tdb->db, 0, 0, NULL, &error);
    g_autofree char *day_text = entries (day);
    g_autofree char *two_days_text = entries (two_days);
    g_autofree char *second_text = entries (second);
    g_autofree char *month_text = entries (month);
    g_autofree char *one_day_text = entries (one_day);
    g_autofree char *pbsp_text = NULL;

    g_assert_no_error (error);
    pbsp_text = entries (pbsp);
    g_assert_cmpstr (day_text, ==, "alice");
    g_assert_cmpuint (day->total, ==, 1);
    g_assert_cmpstr (two_days_text, ==, "alice|dave");
    g_assert_cmpstr (second_text, ==, "dave");
    g_assert_cmpuint (second->total, ==, 2);
    g_assert_cmpuint (second->offset, ==, 1);
    g_assert_cmpstr (month_text, ==, "carol-|bob");                /* never logged in first */
    mw_test_assert_contains (month->note, "never logged in count as unused");
    g_assert_cmpstr (one_day_text, ==, "carol-|bob|dave");
    g_assert_cmpstr (pbsp_text, ==, "192.0.2.1|198.51.100.7");
    g_assert_cmpuint (pbsp->total, ==, 2);
  }
  {
    g_autoptr (MwLoginPage) page = mw_schema_list_recent_logins (schema, tdb->db, 0, 0, 0, NULL, &error);

    g_assert_null (page);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "The number of hours must be between 1 and 8784 (a year).");
    g_clear_error (&error);
  }

  /* With the server's login log: the address and service of the latest
   * login, and its own chart. */
  execf (tdb, "INSERT INTO {authlog} (userid, service, login_time, src_ip) VALUES "
              "('alice', 'imap', %s, '203.0.113.5'), ('alice', 'pop3', %s, '203.0.113.9'), "
              "('bob', 'imap', %s, '203.0.113.7')", a_minute, two_hours, forty_days);
  {
    g_autoptr (MwLoginPage) day = recent (schema, tdb, 24, 0, 0);
    g_autoptr (MwChart) authlog = chart (schema, tdb, MW_CHART_AUTHLOG_PER_DAY, 7);
    g_autofree char *day_text = entries (day);

    g_assert_cmpstr (day_text, ==, "alice@imap/203.0.113.5");
    g_assert_true (authlog->available);
    g_assert_cmpuint (authlog->points->len, ==, 7);
    g_assert_cmpint (point_sum (authlog), ==, 2);                   /* bob's is older than a week */
  }

  /* The server. */
  {
    g_autoptr (MwServerStatus) status = mw_schema_get_server_status (schema, tdb->db, NULL, &error);
    gboolean users_table = FALSE;

    g_assert_no_error (error);
    g_assert_cmpint (status->database_bytes, >, 0);
    g_assert_cmpstr (status->database, ==, tdb->database);
    g_assert_cmpstr (status->replication, ==, "none");
    g_assert_cmpuint (status->sessions->len, >=, 1);
    g_assert_cmpuint (status->n_sessions, >=, status->sessions->len);
    for (guint i = 0; i < status->tables->len; i++)
      users_table |= g_str_equal (((MwTableSize *) g_ptr_array_index (status->tables, i))->name, "dbmail_users");
    g_assert_true (users_table);
  }

  /* The session's wrapper, as the Overview calls it. */
  {
    g_autoptr (MwDb) db = mw_db_connect (tdb->settings, NULL, &error);
    g_autoptr (MwSession) session = NULL;
    g_autoptr (GAsyncResult) res = NULL;
    g_autoptr (MwStatsOverview) figures = NULL;

    g_assert_no_error (error);
    session = mw_session_new_for_connection (NULL, tdb->settings, g_steal_pointer (&db), NULL, &error);
    g_assert_no_error (error);
    mw_session_get_overview_async (session, NULL, mw_async_wait_ready, &res);
    figures = mw_session_get_overview_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpint (figures->values[MW_STAT_USERS], ==, 4);
    g_clear_object (&res);
    g_clear_pointer (&figures, mw_stats_overview_free);
    mw_session_get_overview_fast_async (session, NULL, mw_async_wait_ready, &res);
    figures = mw_session_get_overview_fast_finish (session, mw_async_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_true (figures->estimated[MW_STAT_USERS]);
    g_assert_cmpint (figures->values[MW_STAT_ALIASES], ==, MW_STAT_PENDING);
  }

  /* mailwarden-cli */
  {
    g_auto (MwTestRun) r = { 0 };
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *root, *figures;

    mw_test_run_cli (&r, NULL, "--db", uri, "stats", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out, parser);
    figures = json_object_get_object_member (root, "figures");
    g_assert_cmpint (json_object_get_int_member (figures, "users"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (figures, "deleted"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (figures, "purge"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (figures, "bytes"), ==, 1850);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "charts")), ==, MW_N_CHARTS);
    mw_test_run_clear (&r);

    mw_test_run_cli (&r, NULL, "--db", uri, "stats", "--figures", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "  Users                            4\n");
    mw_test_assert_contains (r.out, "  Deletes pending (to purge)       1\n");
    mw_test_run_clear (&r);

    /* --estimate: the first figures, the users as the server estimates them. */
    mw_test_run_cli (&r, NULL, "--db", uri, "stats", "--figures", "--estimate", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "  Users                            about ");
    mw_test_assert_contains (r.out, "  Aliases                          counting…\n");
    mw_test_assert_contains (r.out, "  Deletes pending (to purge)       1\n");
    mw_test_run_clear (&r);

    mw_test_run_cli (&r, NULL, "--db", uri, "logins", "--hours", "24", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "1 account logged in during the last 24 hours:\n");
    mw_test_assert_contains (r.out, "  alice  imap 203.0.113.5\n");
    mw_test_run_clear (&r);

    mw_test_run_cli (&r, NULL, "--db", uri, "unused", "--days", "30", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    {
      g_autoptr (JsonParser) p = json_parser_new ();
      JsonObject *o = parse_json (r.out, p);
      JsonArray *accounts = json_object_get_array_member (o, "accounts");
      JsonObject *first = json_array_get_object_element (accounts, 0);

      g_assert_cmpint (json_object_get_int_member (o, "total"), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (first, "user"), ==, "carol");
      g_assert_true (json_object_get_null_member (first, "time"));
    }
    mw_test_run_clear (&r);

    mw_test_run_cli (&r, NULL, "--db", uri, "unused", "--days", "1", "--limit", "1", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "3 accounts without a login in the last 1 days:\n");
    mw_test_assert_contains (r.out, "  never                carol\n");
    mw_test_assert_contains (r.out, "Rows 1 to 1 of 3 (--offset, --limit for more).\n");
    mw_test_run_clear (&r);

    mw_test_run_cli (&r, NULL, "--db", uri, "logins", "--before-smtp", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "\"address\":\"192.0.2.1\"");
    mw_test_run_clear (&r);

    mw_test_run_cli (&r, NULL, "--db", uri, "status", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "\"replication\":\"none\"");
    mw_test_assert_contains (r.out, "\"name\":\"dbmail_users\"");
    mw_test_run_clear (&r);

    mw_test_run_cli (&r, NULL, "--db", uri, "status", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "Replication:   none\n");
    mw_test_run_clear (&r);

    /* Bad input: a sentence, exit 1, nothing read. */
    mw_test_run_cli (&r, NULL, "--db", uri, "logins", "--hours", "-1", NULL);
    g_assert_cmpint (r.status, ==, 1);
    mw_test_assert_contains (r.err, "--hours must be a whole number from 1 to 8784, not “-1”.");
    mw_test_run_clear (&r);
    mw_test_run_cli (&r, NULL, "--db", uri, "unused", "--days", "abc", NULL);
    g_assert_cmpint (r.status, ==, 1);
    mw_test_assert_contains (r.err, "--days must be a whole number from 1 to 36600, not “abc”.");
    mw_test_run_clear (&r);
    mw_test_run_cli (&r, NULL, "--db", uri, "logins", NULL);
    g_assert_cmpint (r.status, ==, 1);
    mw_test_assert_contains (r.err, "Give the number of hours with --hours N.");
  }
}

/* ------------------------------------------------------------------------ */
/* ISPmail and PostfixAdmin                                                 */
/* ------------------------------------------------------------------------ */

static void
test_ispmail (gconstpointer driver)
{
  g_autoptr (MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr (MwSchema) schema = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MwStatsOverview) overview = NULL;
  g_autofree char *uri = mw_test_vmail_db_uri (tdb);

  mw_test_vmail_load_schema (tdb, "ispmail");
  mw_test_db_exec (tdb, "INSERT INTO virtual_domains (name) VALUES ('example.org'), ('example.net')");
  mw_test_db_exec (tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) "
                        "SELECT id, 'alice@example.org', 'x', 0 FROM virtual_domains WHERE name = 'example.org'");
  mw_test_db_exec (tdb, "INSERT INTO virtual_users (domain_id, email, password, quota) "
                        "SELECT id, 'bob@example.org', 'x', 0 FROM virtual_domains WHERE name = 'example.org'");
  mw_test_db_exec (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, 'info@example.org', "
                        "'alice@example.org' FROM virtual_domains WHERE name = 'example.org'");
  mw_test_db_exec (tdb, "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, 'info@example.org', "
                        "'x@elsewhere.example' FROM virtual_domains WHERE name = 'example.org'");
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mw_schema_has_stats (schema));
  g_assert_false (mw_schema_has_before_smtp (schema));

  overview = mw_schema_get_overview (schema, tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (overview->values[MW_STAT_USERS], ==, 2);
  g_assert_cmpint (overview->values[MW_STAT_ALIASES], ==, 1);
  g_assert_cmpint (overview->values[MW_STAT_FORWARDS], ==, 1);
  g_assert_cmpint (overview->values[MW_STAT_DOMAINS], ==, 2);
  /* What an ISPmail database does not keep is absent, not 0. */
  g_assert_cmpint (overview->values[MW_STAT_GROUPS], ==, MW_STAT_ABSENT);
  g_assert_cmpint (overview->values[MW_STAT_MESSAGES], ==, MW_STAT_ABSENT);
  g_assert_cmpint (overview->values[MW_STAT_BYTES], ==, MW_STAT_ABSENT);
  g_assert_cmpint (overview->values[MW_STAT_LOGINS_24H], ==, MW_STAT_ABSENT);
  {
    g_autofree char *text = mw_stats_overview_format (overview, MW_STAT_MESSAGES);
    g_autoptr (MwChart) quota = chart (schema, tdb, MW_CHART_QUOTA_USE, 0);

    g_assert_cmpstr (text, ==, "—");
    g_assert_false (quota->available);
    mw_test_assert_contains (quota->note, "keeps no mail sizes");
  }
  {
    g_autoptr (MwLoginPage) page = mw_schema_list_before_smtp (schema, tdb->db, 0, 0, NULL, &error);

    g_assert_null (page);
    g_assert_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_REFUSED);
    g_clear_error (&error);
  }
  {
    g_auto (MwTestRun) r = { 0 };

    mw_test_run_cli (&r, NULL, "--db", uri, "stats", "--json", "--figures", NULL);
    g_assert_cmpint (r.status, ==, 0);
    mw_test_assert_contains (r.out, "\"messages\":null");
    mw_test_assert_contains (r.out, "\"users\":2");
    mw_test_run_clear (&r);
    mw_test_run_cli (&r, NULL, "--db", uri, "logins", "--hours", "24", NULL);
    g_assert_cmpint (r.status, ==, 1);
    mw_test_assert_contains (r.err, "This database has no record of logins");
  }
}

static void
test_postfixadmin (gconstpointer driver)
{
  g_autoptr (MwTestDb) tdb = mw_test_db_new (driver, FALSE);
  g_autoptr (MwSchema) schema = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MwStatsOverview) overview = NULL;
  gboolean pg = tdb->driver == MW_DB_DRIVER_PGSQL;

  mw_test_vmail_load_schema (tdb, "postfixadmin");
  mw_test_db_exec (tdb, "INSERT INTO domain (domain, description, transport, active) VALUES "
                        "('example.org', '', 'virtual', '1')");
  mw_test_db_exec (tdb, "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active) "
                        "VALUES ('alice@example.org', 'x', '', 'example.org/alice/', 1024000, 'alice', 'example.org', '1'), "
                        "('bob@example.org', 'x', '', 'example.org/bob/', 0, 'bob', 'example.org', '1')");
  mw_test_db_exec (tdb, "INSERT INTO alias (address, goto, domain, active) VALUES "
                        "('alice@example.org', 'alice@example.org', 'example.org', '1'), "
                        "('bob@example.org', 'bob@example.org', 'example.org', '1'), "
                        "('info@example.org', 'alice@example.org', 'example.org', '1')");
  mw_test_db_exec (tdb, "INSERT INTO quota2 (username, bytes, messages) VALUES "
                        "('alice@example.org', 512000, 7), ('bob@example.org', 100, 1)");
  mw_test_db_exec (tdb, pg ? "INSERT INTO vacation (email, subject, body, domain, active, activefrom, activeuntil) "
                             "VALUES ('alice@example.org', 'Away', 'Back soon', 'example.org', true, "
                             "now() - interval '1 day', now() + interval '1 day')"
                           : "INSERT INTO vacation (email, subject, body, domain, active, cache, activefrom, activeuntil) "
                             "VALUES ('alice@example.org', 'Away', 'Back soon', 'example.org', 1, '', "
                             "NOW() - INTERVAL 1 DAY, NOW() + INTERVAL 1 DAY)");
  /* Dovecot's last_login table: alice an hour ago, bob never. */
  mw_test_db_exec (tdb, pg ? "CREATE TABLE last_login (userid varchar(255) NOT NULL, last_login integer, "
                             "PRIMARY KEY (userid))"
                           : "CREATE TABLE last_login (userid varchar(255) NOT NULL, last_login int(11), "
                             "PRIMARY KEY (userid))");
  mw_test_db_exec (tdb, pg ? "INSERT INTO last_login VALUES ('alice@example.org', "
                             "CAST(EXTRACT(EPOCH FROM now()) AS INTEGER) - 3600)"
                           : "INSERT INTO last_login VALUES ('alice@example.org', UNIX_TIMESTAMP() - 3600)");
  schema = mw_schema_open (tdb->db, NULL, &error);
  g_assert_no_error (error);

  overview = mw_schema_get_overview (schema, tdb->db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (overview->values[MW_STAT_USERS], ==, 2);
  g_assert_cmpint (overview->values[MW_STAT_DOMAINS], ==, 1);
  g_assert_cmpint (overview->values[MW_STAT_BYTES], ==, 512100);
  g_assert_cmpint (overview->values[MW_STAT_MESSAGES], ==, 8);
  g_assert_cmpint (overview->values[MW_STAT_LOGINS_24H], ==, 1);
  g_assert_cmpint (overview->values[MW_STAT_AUTO_REPLIES], ==, 1);
  g_assert_cmpint (overview->values[MW_STAT_MAILBOXES], ==, MW_STAT_ABSENT);
  g_assert_cmpint (overview->values[MW_STAT_DELETED], ==, MW_STAT_ABSENT);
  {
    g_autoptr (MwChart) quota = chart (schema, tdb, MW_CHART_QUOTA_USE, 0);
    g_autoptr (MwChart) biggest = chart (schema, tdb, MW_CHART_BIGGEST_MAILBOXES, 0);
    g_autoptr (MwChart) domains = chart (schema, tdb, MW_CHART_MAIL_PER_GROUP, 0);
    g_autoptr (MwChart) days = chart (schema, tdb, MW_CHART_LOGINS_PER_DAY, 7);
    g_autoptr (MwChart) authlog = chart (schema, tdb, MW_CHART_AUTHLOG_PER_DAY, 7);
    g_autofree char *biggest_points = points (biggest);
    g_autofree char *domain_points = points (domains);

    g_assert_cmpint (point_value (quota, "50-60"), ==, 1);          /* 512000 of 1024000 */
    g_assert_cmpint (point_value (quota, "unlimited"), ==, 1);
    g_assert_cmpint (point_sum (quota), ==, 2);
    g_assert_cmpstr (biggest_points, ==, "alice@example.org=512000,bob@example.org=100");
    g_assert_cmpstr (domain_points, ==, "example.org=512100");
    g_assert_cmpstr (domains->title, ==, "Mail per domain");
    g_assert_cmpint (point_sum (days), ==, 1);
    g_assert_false (authlog->available);
  }
  {
    g_autoptr (MwLoginPage) day = recent (schema, tdb, 24, 0, 0);
    g_autoptr (MwLoginPage) month = unused (schema, tdb, 30);
    g_autofree char *day_text = entries (day);
    g_autofree char *month_text = entries (month);

    g_assert_cmpstr (day_text, ==, "alice@example.org");
    g_assert_cmpstr (((MwLoginEntry *) g_ptr_array_index (day->entries, 0))->account_key, ==, "alice@example.org");
    g_assert_cmpstr (month_text, ==, "bob@example.org-");
  }
}

int
main (int    argc,
      char **argv)
{
  mw_test_init (&argc, &argv);
  mw_test_add_both ("/stats/dbmail", test_dbmail);
  mw_test_add_both ("/stats/ispmail", test_ispmail);
  mw_test_add_both ("/stats/postfixadmin", test_postfixadmin);
  return mw_test_run ();
}
