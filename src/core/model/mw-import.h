/* mw-import.h: accounts from CSV, in terms every schema shares.
 *
 * The CSV's first line names the columns (case-insensitive, any order):
 * name (or userid), password, scheme, passwd and encryption_type (a stored
 * hash and its type, written as they are), quota (bytes, or 500M, 2G;
 * 0 or "unlimited"), group, aliases (several, separated by spaces, commas or
 * semicolons). The schema checks each line (mw_schema_import_prepare) and
 * creates the accounts (mw_schema_import_run); the session wraps both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-schema.h"

G_BEGIN_DECLS

typedef gboolean (*MwImportBatchHook) (GPtrArray *users, gpointer user_data, GError **error);

struct _MwImportOptions
{
  const char *default_scheme;     /* for "password" without "scheme"; NULL = MW_PASSWORD_DEFAULT_SCHEME */
  gulong      rounds;             /* the cost for default_scheme (mw_password_hash_with_rounds); 0 = its default.
                                   * Lines naming their own scheme get that scheme's default cost. */
  gboolean    generate_passwords; /* lines without a password get a random one (MwImportUser.generated) */
  guint       batch_size;         /* users per transaction; 0 = 250 */
  guint       n_threads;          /* hashing threads; 0 = g_get_num_processors () */
  /* Called in each batch's transaction once its rows are written, before it
   * commits; returning FALSE (error set) rolls that batch back and stops the
   * import: the run fails with that error, the batches before
   * stay. For a report of generated passwords that has every user before
   * the user exists, so that no password is ever lost. */
  MwImportBatchHook before_commit;
  gpointer          before_commit_data;
};

typedef struct
{
  guint   line;             /* where the record starts in the file */
  char   *name;
  char   *password;         /* plain text to hash, or NULL */
  char   *scheme;           /* for password */
  gulong  rounds;           /* for scheme; 0 = its default */
  char   *stored_password;  /* as stored: given, or the hash once the run made it */
  char   *stored_scheme;    /* the scheme stored with it (DBMail: encryption_type) */
  gint64  quota;
  gint64  group;
  GStrv   aliases;          /* normalized, as stored */
  gboolean generated;       /* password was generated */
  char   *account_key;      /* set once created */
} MwImportUser;

typedef struct
{
  guint  line;
  char  *message;           /* translated sentence starting with "Line N:" */
} MwImportIssue;

struct _MwImportPlan
{
  GPtrArray *users;         /* MwImportUser: the lines that would be created, in file order */
  GPtrArray *errors;        /* MwImportIssue: the lines refused, in file order */
};

struct _MwImportReport
{
  guint      created;
  guint      planned;       /* users the plan had */
  gboolean   cancelled;     /* stopped after a batch; the remaining users were not created */
  GPtrArray *refused;       /* MwImportIssue: the plan's errors and those of the run, by line */
};


void            mw_import_plan_free   (MwImportPlan *plan);
void            mw_import_report_free (MwImportReport *report);

/* "500M" -> 524288000; FALSE with a translated error. */
gboolean        mw_import_parse_quota  (const char *text, gint64 *bytes, GError **error);

/* The columns above in a translated sentence for people choosing a file,
 * and that nothing is written before the plan is confirmed. */
const char     *mw_import_describe_format (void);
/* The same for the columns @self reads (ISPmail's and PostfixAdmin's differ). */
const char     *mw_schema_describe_import_format (MwSchema *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwImportPlan, mw_import_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwImportReport, mw_import_report_free)

G_END_DECLS
