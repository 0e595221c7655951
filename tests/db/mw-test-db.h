/* mw-test-db.h: a fresh database on real PostgreSQL and MariaDB servers for each test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-audit.h"
#include "mw-db.h"
#include "mw-local-server.h"

G_BEGIN_DECLS

typedef struct
{
  MwDbDriver     driver;
  MwLocalServer *server;     /* shared by the tests of this process */
  char          *database;
  MwDbSettings  *settings;   /* superuser, this database */
  MwDb          *db;         /* connected with settings */
} MwTestDb;

/* Registers path under /pg/ and /mysql/; the test gets the driver as data. */
void      mw_test_add_both    (const char *path, void (*func) (gconstpointer driver));
void      mw_test_init        (int *argc, char ***argv);
int       mw_test_run         (void);   /* g_test_run, then stops the servers */
/* Points MAILWARDEN_AUDIT_LOG at a file in a fresh folder of its own, so
 * that a test reads only its own changes; mw_test_run removes both. Call
 * once, after mw_test_init. (transfer none) */
const char *mw_test_private_audit_log (void);

MwLocalServer *mw_test_server (MwDbDriver driver);
MwTestDb *mw_test_db_new      (gconstpointer driver, gboolean with_schema);
void      mw_test_db_free     (MwTestDb *tdb);
/* Runs SQL and fails the test on error. */
void      mw_test_db_exec     (MwTestDb *tdb, const char *sql);
gint64    mw_test_db_int      (MwTestDb *tdb, const char *sql);
char     *mw_test_db_string   (MwTestDb *tdb, const char *sql);
/* Appends every row of sql, run on db, to out: its values separated by "|"
 * (NULL as "NULL"), a line a row; for comparing what tables hold before and
 * after a change. */
void      mw_test_db_append_rows (MwDb *db, const char *sql, GString *out);
/* Adds a user and its alias name@example.org; returns user_idnr. */
gint64    mw_test_db_add_user (MwTestDb *tdb, const char *userid, gint64 client_idnr, gint64 quota);
void      mw_test_db_add_alias (MwTestDb *tdb, const char *alias, const char *deliver_to, gint64 client_idnr);

/* A connection killed mid-change: mw_test_db_stall makes the change sleep
 * (60 s) in a trigger AFTER event ON table FOR EACH ROW where when (SQL on
 * NEW or OLD, or NULL for every row) holds; mw_test_killer_start starts a
 * thread that kills the connection sleeping there as soon as one does
 * (looking every 20 ms, at most 30 s); mw_test_killer_join waits for it and
 * returns whether it killed one. */
typedef struct _MwTestKiller MwTestKiller;

void      mw_test_db_stall      (MwTestDb *tdb, const char *table, const char *event, const char *when);
void      mw_test_db_drop_stall (MwTestDb *tdb, const char *table);
MwTestKiller *mw_test_killer_start (MwDbSettings *settings, MwDbDriver driver);
gboolean  mw_test_killer_join   (MwTestKiller *killer);

/* Fails the test unless needle stands in haystack (which may be NULL). */
void      mw_test_assert_contains (const char *haystack, const char *needle);
/* The newest entry of the audit log (mw_test_private_audit_log); fails the
 * test where there is none. (transfer full) */
MwAuditEntry *mw_test_last_audit (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwTestDb, mw_test_db_free)

#define MW_TEST_DRIVER(data) ((MwDbDriver) GPOINTER_TO_INT (data))

G_END_DECLS
