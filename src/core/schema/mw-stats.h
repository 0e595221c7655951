/* mw-stats.h: the mail system at a glance: figures, chart data, logins,
 * unused accounts, POP/IMAP-before-SMTP addresses and the server's status;
 * the optional MwStatsStore interface of a flavour that counts its own
 * things (DBMail, ISPmail, PostfixAdmin).
 *
 * mw_schema_has_stats () says whether the flavour implements it; the
 * mw_schema_*() functions below refuse with a sentence where it does not.
 * They run on a worker; the GUI and the CLI use the session's wrappers
 * (mw-session-stats.h).
 *
 * Everything here is plain data the GUI draws and reads out and the CLI
 * prints: labels are translated, numbers are numbers, and each chart point
 * carries its value as text too (for screen readers). A figure the flavour
 * does not have is MW_STAT_ABSENT (-1), never 0.
 *
 * Speed: mw_schema_get_overview () is meant to come back in well under a
 * second at a million users (counts on indexed columns, sizes from the
 * catalogs); the charts and lists are separate calls the GUI makes after
 * it has shown the figures. Lists are read a page at a time (LIMIT/OFFSET)
 * with the total count beside them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

#define MW_STAT_ABSENT ((gint64) -1)
/* A figure the first, fast step (mw_schema_get_overview_fast ()) has not
 * counted yet and cannot estimate: the exact step fills it in. */
#define MW_STAT_PENDING ((gint64) -2)

/* The overview's figures, in the order the overview shows them. */
typedef enum
{
  MW_STAT_USERS,              /* accounts (DBMail: without its internal ones) */
  MW_STAT_ALIASES,            /* addresses delivering to a local account */
  MW_STAT_FORWARDS,           /* addresses (or targets) forwarding outside */
  MW_STAT_DOMAINS,            /* mail domains */
  MW_STAT_GROUPS,             /* client groups (DBMail: client_idnr); absent elsewhere */
  MW_STAT_MAILBOXES,          /* folders (DBMail); absent where mail is in Maildirs */
  MW_STAT_MESSAGES,           /* messages stored (DBMail; PostfixAdmin: as Dovecot reports them in quota2) */
  MW_STAT_BYTES,              /* bytes used by mail (DBMail: the quota counters; PostfixAdmin: quota2) */
  MW_STAT_DELETED,            /* expunged, waiting to be purged (DBMail status 2) */
  MW_STAT_PURGE,              /* marked for purging (DBMail status 3) */
  MW_STAT_LOGINS_24H,         /* accounts that logged in during the last 24 hours */
  MW_STAT_AUTO_REPLIES,       /* active auto-replies (vacation) */
  MW_STAT_NOTIFICATIONS,      /* active notifications (DBMail auto_notifications) */
  MW_STAT_DATABASE_BYTES,     /* the database's size on disk */
  MW_N_STATS
} MwStat;

/* Stable key for --json and tests ("users", "deleted", "database_bytes"). */
const char *mw_stat_key      (MwStat stat);
/* Translated label ("Users", "Deletes pending (expunged)"). */
const char *mw_stat_label    (MwStat stat);
/* Whether the figure is a size in bytes (show it with mw_size_format). */
gboolean    mw_stat_is_bytes (MwStat stat);

typedef struct
{
  gint64   values[MW_N_STATS];     /* MW_STAT_ABSENT where the flavour has no such thing;
                                    * MW_STAT_PENDING where the fast step has not counted it */
  gboolean estimated[MW_N_STATS];  /* TRUE: values[] is the server's row estimate from its catalog
                                    * (pg_class.reltuples, information_schema.TABLES.TABLE_ROWS),
                                    * shown as "about 1,000,000"; the exact step replaces it */
  gboolean exact;                  /* TRUE: every figure is counted (no estimate, nothing pending) */
  char   *flavour;              /* translated flavour name: "DBMail", "ISPmail", "PostfixAdmin" */
  char   *database_type;        /* "PostgreSQL" or "MariaDB" (or "MySQL") */
  char   *server_version;       /* as the server says it: "15.5", "10.11.6-MariaDB" */
} MwStatsOverview;

MwStatsOverview *mw_stats_overview_new  (void);   /* every value MW_STAT_ABSENT */
void             mw_stats_overview_free (MwStatsOverview *overview);
/* The figure as text for people: "1,234", "2.1 GB", "—" (translated) when
 * absent, "about 1,000,000" when estimated, "counting…" when pending.
 * (transfer full) */
char            *mw_stats_overview_format (const MwStatsOverview *overview, MwStat stat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwStatsOverview, mw_stats_overview_free)

/* The charts. */
typedef enum
{
  MW_CHART_QUOTA_USE,          /* users by quota use: 0-10 % ... 90-100 %, over quota, unlimited */
  MW_CHART_BIGGEST_MAILBOXES,  /* the @n accounts using the most bytes, biggest first */
  MW_CHART_MAIL_PER_GROUP,     /* bytes per client group (DBMail) or per domain (elsewhere), biggest first, @n at most */
  MW_CHART_LOGINS_PER_DAY,     /* accounts whose last login fell on each of the last @n days, oldest first */
  MW_CHART_AUTHLOG_PER_DAY,    /* logins the server logged (DBMail dbmail_authlog) on each of the last @n days */
  MW_N_CHARTS
} MwChartKind;

typedef enum
{
  MW_CHART_UNIT_COUNT,    /* value is a number of accounts or logins */
  MW_CHART_UNIT_BYTES,    /* value is a size in bytes */
} MwChartUnit;

typedef struct
{
  char   *key;         /* stable: "0-10" ... "90-100", "over", "unlimited"; an account key; a group or
                        * domain; a day "2026-12-07" */
  char   *label;       /* translated, shown by the bar: "0–10 %", "Over quota", "alice@example.com", "7 Dec" */
  gint64  value;       /* the bar's height */
  char   *value_text;  /* translated, for reading out: "12 users", "1.5 GB", "3 logins" */
} MwChartPoint;

typedef struct
{
  MwChartKind  kind;
  MwChartUnit  unit;
  char        *title;       /* translated: "Users by quota use" */
  gboolean     available;   /* FALSE: the flavour or the server has no such data (no points); see note */
  char        *note;        /* (nullable) translated sentence: why not available, or what a point counts
                             * ("Counted from each account's last login: earlier logins are not kept.") */
  GPtrArray   *points;      /* MwChartPoint, in the order to draw them */
} MwChart;

MwChart    *mw_chart_new      (MwChartKind kind, MwChartUnit unit);
void        mw_chart_free     (MwChart *chart);
void        mw_chart_add      (MwChart *chart, const char *key, const char *label, gint64 value);
const char *mw_chart_kind_key (MwChartKind kind);   /* "quota_use", "biggest_mailboxes", ... */
/* The whole chart as sentences, one per point ("0–10 %: 12 users"), for a
 * screen reader or a text view. (transfer full) */
char       *mw_chart_describe (const MwChart *chart);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwChart, mw_chart_free)

/* One row of the login lists. */
typedef struct
{
  char      *account_key;  /* (nullable): the account's key for opening it */
  char      *user;         /* the login name (pbsp: NULL) */
  GDateTime *time;         /* (nullable): the login (pbsp: since); NULL: never logged in */
  char      *address;      /* (nullable): the client's IP address (authlog, pbsp) */
  char      *service;      /* (nullable): "imap", "pop3", "sieve" ... (authlog) */
} MwLoginEntry;

MwLoginEntry *mw_login_entry_new  (void);
void          mw_login_entry_free (MwLoginEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwLoginEntry, mw_login_entry_free)

/* A page of a login list. */
typedef struct
{
  GPtrArray *entries;      /* MwLoginEntry */
  guint64    total;        /* rows of the whole list */
  guint64    offset;       /* where this page starts */
  char      *note;         /* (nullable) translated: what the list is read from, what it cannot know
                            * ("Accounts that never logged in count as unused.") */
} MwLoginPage;

MwLoginPage *mw_login_page_new  (void);
void         mw_login_page_free (MwLoginPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwLoginPage, mw_login_page_free)

/* The server's status (any flavour; read from the server's catalogs). */
typedef struct
{
  char   *name;       /* the table's name */
  gint64  bytes;      /* data and indexes */
  gint64  rows;       /* the server's estimate; -1 unknown */
} MwTableSize;

typedef struct
{
  char      *user;      /* the database user */
  char      *client;    /* (nullable) host or address it comes from */
  char      *database;  /* (nullable) */
  char      *state;     /* (nullable) "active", "idle", "Sleep", "Query" ... as the server says */
  GDateTime *since;     /* (nullable) when it entered that state (or connected) */
} MwServerSession;

typedef struct
{
  char      *database_type;   /* "PostgreSQL", "MariaDB" */
  char      *server_version;
  char      *database;        /* the database's name */
  gint64     database_bytes;  /* MW_STAT_ABSENT when the server does not say */
  GPtrArray *tables;          /* MwTableSize, biggest first (at most 20) */
  GPtrArray *sessions;        /* MwServerSession (at most 200) */
  guint      n_sessions;      /* all of them */
  char      *replication;     /* translated: "none", or "primary, 2 replicas streaming", "replica of host" */
} MwServerStatus;

MwServerStatus *mw_server_status_new  (void);
void            mw_server_status_free (MwServerStatus *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwServerStatus, mw_server_status_free)

#define MW_TYPE_STATS_STORE (mw_stats_store_get_type ())
G_DECLARE_INTERFACE (MwStatsStore, mw_stats_store, MW, STATS_STORE, GObject)

struct _MwStatsStoreInterface
{
  GTypeInterface parent_iface;

  /* Fills the flavour's figures; the rest (absent) and the database's type,
   * version and size are filled by mw_schema_get_overview (). */
  gboolean      (*get_overview)          (MwStatsStore *self, MwDb *db, MwStatsOverview *overview,
                                          GCancellable *cancellable, GError **error);
  /* Fills @chart's points (or sets available FALSE with a note). */
  gboolean      (*get_chart)             (MwStatsStore *self, MwDb *db, MwChart *chart, guint n,
                                          GCancellable *cancellable, GError **error);
  MwLoginPage  *(*list_recent_logins)    (MwStatsStore *self, MwDb *db, guint hours, guint64 offset,
                                          guint limit, GCancellable *cancellable, GError **error);
  MwLoginPage  *(*list_unused_accounts)  (MwStatsStore *self, MwDb *db, guint days, guint64 offset,
                                          guint limit, GCancellable *cancellable, GError **error);
  /* (nullable): NULL where the flavour keeps no such addresses. */
  MwLoginPage  *(*list_before_smtp)      (MwStatsStore *self, MwDb *db, guint64 offset, guint limit,
                                          GCancellable *cancellable, GError **error);
  /* (nullable): the fast step: the cheap figures exact, the big tables'
   * from the catalog's estimates (estimated[] TRUE), the rest
   * MW_STAT_PENDING. NULL: the flavour's figures are all cheap. */
  gboolean      (*get_overview_fast)     (MwStatsStore *self, MwDb *db, MwStatsOverview *overview,
                                          GCancellable *cancellable, GError **error);
};

/* Whether the flavour counts its things (DBMail, ISPmail, PostfixAdmin). */
gboolean        mw_schema_has_stats            (MwSchema *self);
/* Whether it keeps POP/IMAP-before-SMTP addresses (DBMail's pbsp table). */
gboolean        mw_schema_has_before_smtp      (MwSchema *self);

/* The overview's figures, every one counted exactly (overview->exact
 * TRUE); at a million users this reads whole tables (seconds). (transfer full) */
MwStatsOverview *mw_schema_get_overview        (MwSchema *self, MwDb *db, GCancellable *cancellable,
                                                GError **error);
/* The overview's first figures, fast (catalogs and indexed counts, well
 * under a second at a million users): the big tables' counts are the
 * server's estimates (estimated[] TRUE) or MW_STAT_PENDING; show them,
 * then ask mw_schema_get_overview () for the exact ones. Where the
 * flavour has no fast step this is the exact overview. (transfer full) */
MwStatsOverview *mw_schema_get_overview_fast   (MwSchema *self, MwDb *db, GCancellable *cancellable,
                                                GError **error);
/* One chart. @n: how many bars for MW_CHART_BIGGEST_MAILBOXES and
 * MW_CHART_MAIL_PER_GROUP (0: 10), how many days for the login charts (0: 30;
 * at most 366); ignored for MW_CHART_QUOTA_USE. (transfer full) */
MwChart         *mw_schema_get_chart           (MwSchema *self, MwDb *db, MwChartKind kind, guint n,
                                                GCancellable *cancellable, GError **error);
/* Accounts that logged in during the last @hours (1 .. 8784), latest first,
 * @limit of them from @offset (limit 0: 100). With the server's login log
 * (DBMail dbmail_authlog) the entries carry the address and service of the
 * account's latest logged login. (transfer full) */
MwLoginPage     *mw_schema_list_recent_logins  (MwSchema *self, MwDb *db, guint hours, guint64 offset,
                                                guint limit, GCancellable *cancellable, GError **error);
/* Accounts with no login during the last @days (1 .. 36600), never-logged-in
 * ones first (time NULL), then the oldest login first. Never logged in
 * counts as unused (the page's note says so). (transfer full) */
MwLoginPage     *mw_schema_list_unused_accounts (MwSchema *self, MwDb *db, guint days, guint64 offset,
                                                 guint limit, GCancellable *cancellable, GError **error);
/* The addresses allowed to send after a POP/IMAP login (DBMail pbsp):
 * address and since, latest first. Refused with a sentence where the
 * flavour keeps none. (transfer full) */
MwLoginPage     *mw_schema_list_before_smtp    (MwSchema *self, MwDb *db, guint64 offset, guint limit,
                                                GCancellable *cancellable, GError **error);
/* Version, sizes, sessions, replication: any flavour (the server's
 * catalogs). (transfer full) */
MwServerStatus  *mw_schema_get_server_status   (MwSchema *self, MwDb *db, GCancellable *cancellable,
                                                GError **error);

G_END_DECLS
