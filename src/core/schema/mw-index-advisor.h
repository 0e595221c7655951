/* mw-index-advisor.h: the indexes that make the lists' substring search
 * fast, which of them exist, the search measured before and after, and
 * creating or dropping them with the admin's consent (issue 19, F8).
 *
 * PostgreSQL: pg_trgm GIN indexes on the expressions the list search uses
 * (lower(userid), lower(alias), lower(deliver_to)), so that
 * "lower(col) LIKE '%x%'" can use them, and a b-tree on
 * dbmail_aliases.deliver_to. MariaDB has no trigram index; its existing
 * narrow indexes (userid, alias) already are what a substring LIKE can
 * scan, so only the b-tree on deliver_to is offered there.
 *
 * Indexes Mailwarden creates are named MW_INDEX_ADVISOR_PREFIX...; only
 * those are ever dropped. Nothing changes the schema unasked: advise only
 * reads. These run on a worker; the GUI and the CLI use the session's
 * wrappers (mw-session-index-advisor.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

#define MW_INDEX_ADVISOR_PREFIX "mw_advisor_"

typedef struct
{
  char     *name;        /* the index's name: "mw_advisor_users_userid_trgm" */
  char     *table;       /* the table, prefix included: "dbmail_users" */
  char     *definition;  /* what it indexes: "GIN (lower(userid) gin_trgm_ops)", "b-tree (deliver_to)" */
  char     *reason;      /* a translated sentence: what it makes fast */
  gboolean  exists;      /* an index like it is there (Mailwarden's or the admin's) */
  gboolean  ours;        /* it is there and Mailwarden created it */
  char     *existing;    /* (nullable): the name of the index that is there */
} MwIndexAdvice;

MwIndexAdvice *mw_index_advice_copy (const MwIndexAdvice *advice);
void           mw_index_advice_free (MwIndexAdvice *advice);

typedef struct
{
  GPtrArray *indexes;           /* MwIndexAdvice: every index offered, existing or not */
  gboolean   trgm_available;    /* PostgreSQL: pg_trgm can be installed on this server */
  gboolean   trgm_installed;    /* PostgreSQL: it is installed in this database */
  char      *note;              /* (nullable): a translated sentence about the server (pg_trgm, MariaDB) */
  char      *search_text;       /* the substring searched for the measurement */
  double     search_ms;         /* the users' and aliases' search, run on the worker */
  gboolean   search_uses_index; /* EXPLAIN of the search names an index offered here */
  guint      n_missing;         /* offered indexes not there */
  guint      n_ours;            /* indexes Mailwarden created that are there */
  guint      n_changed;         /* the session's apply/drop: how many it created or dropped */
} MwIndexReport;

void           mw_index_report_free (MwIndexReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwIndexAdvice, mw_index_advice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwIndexReport, mw_index_report_free)

/* Called on the worker before each index is created or dropped:
 * "2 of 3", with the index's name. */
typedef void (*MwIndexProgressFunc) (guint done, guint total, const char *name, gpointer user_data);

/* Whether the flavour's lists have index advice (DBMail). */
gboolean       mw_schema_has_index_advice (MwSchema *self);

/* What exists, what is missing, the search measured now. Only reads.
 * (transfer full) */
MwIndexReport *mw_schema_index_advise (MwSchema *self, MwDb *db, GCancellable *cancellable, GError **error);

/* Creates the offered indexes that are missing (PostgreSQL: CONCURRENTLY,
 * outside a transaction, with CREATE EXTENSION pg_trgm first where it is
 * not installed; MariaDB: ALGORITHM=INPLACE, LOCK=NONE). A refused CREATE
 * EXTENSION fails with MW_SCHEMA_ERROR_REFUSED and a sentence saying who may
 * install it. @n_created: how many were made. An index left invalid by a
 * stop is dropped again. Each index made is written to the audit log. A
 * dry run (admin->dry_run) changes nothing and counts what it would make. */
gboolean       mw_schema_index_apply (MwSchema *self, const MwAdmin *admin, MwIndexProgressFunc progress,
                                      gpointer user_data, guint *n_created, GCancellable *cancellable,
                                      GError **error);

/* Drops exactly the indexes Mailwarden created (named
 * MW_INDEX_ADVISOR_PREFIX...), never others. @n_dropped: how many. */
gboolean       mw_schema_index_drop  (MwSchema *self, const MwAdmin *admin, MwIndexProgressFunc progress,
                                      gpointer user_data, guint *n_dropped, GCancellable *cancellable,
                                      GError **error);

G_END_DECLS
