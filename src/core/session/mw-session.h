/* mw-session.h: one open connection: its settings, schema and worker pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-async-wait.h"
#include "mw-db-pool.h"
#include "mw-demo-server.h"
#include "mw-import.h"
#include "mw-mail-store.h"
#include "mw-schema.h"

G_BEGIN_DECLS

#define MW_TYPE_SESSION (mw_session_get_type ())
G_DECLARE_FINAL_TYPE (MwSession, mw_session, MW, SESSION, GObject)

/* Connects and detects the schema on a worker thread. */
void                mw_session_connect_async  (const char          *name,
                                               const MwDbSettings  *settings,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
MwSession          *mw_session_connect_finish (GAsyncResult  *result,
                                               GError       **error);
/* Detects the schema on @db, a connection the caller opened, in the calling
 * thread; @db becomes the one worker of the session's pool, so that a
 * program that waits for each answer (the CLI) holds one connection. */
MwSession          *mw_session_new_for_connection (const char          *name,
                                                   const MwDbSettings  *settings,
                                                   MwDb                *db,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
/* Starts the demo database on a worker thread. */
void                mw_session_start_demo_async  (GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* The same with an ISPmail or PostfixAdmin database; _finish as above. */
void                mw_session_start_flavour_demo_async (MwDemoFlavour        flavour,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
MwDemoServer       *mw_session_start_demo_finish (GAsyncResult  *result,
                                                  GError       **error);

const char         *mw_session_get_name     (MwSession *self);
MwDbPool           *mw_session_get_pool     (MwSession *self);
MwDbDriver          mw_session_get_driver   (MwSession *self);
const MwSchemaInfo *mw_session_get_info     (MwSession *self);
/* The session stops the demo server when it goes away. */
void                mw_session_take_demo_server (MwSession *self, MwDemoServer *server);
/* Tells whoever shows a list (an MwListKind) that its rows changed: the
 * "changed" signal. */
void                mw_session_notify_changed (MwSession *self, int kind);

/* The flavour the database holds: what it can do, its lists and columns.
 * Its synchronous operations are for workers; call the wrappers below. */
MwSchema           *mw_session_get_schema   (MwSession *self);
/* The schema's mail store, or NULL when the flavour stores no messages. */
MwMailStore        *mw_session_get_mail_store (MwSession *self);
/* The profile name written to the audit log with each change; until it is
 * set, the session's name (NULL: the connection's address is logged). */
void                mw_session_set_audit_profile (MwSession *self, const char *profile);

/* Every operation of the schema, run on the session's workers. Each
 * wrapper copies its arguments (the caller may free them at once; what must
 * outlive the call says so), and answers in the thread-default main context
 * of the thread that called it. Each _finish returns what the synchronous
 * mw_schema_...()/mw_mail_store_...() function returns. A change with
 * dry_run does everything, then rolls back. After a change that was not a
 * dry run, the session's "changed" signal names the lists that moved,
 * before the callback runs. A call cancelled before it ran fails with
 * MW_DB_ERROR_CANCELLED, one cancelled while it ran with that or
 * G_IO_ERROR_CANCELLED; one that finished reports its result. Without a
 * running main loop (the CLI), wait with mw_async_wait() (mw-async-wait.h). */

/* Lists */
typedef struct _MwListCursor MwListCursor;

/* Reads @query from its first row (or from mw_list_cursor_set_offset's),
 * page by page; memory stays one page. Free it at any time, also while a
 * fetch is under way. */
MwListCursor *mw_list_cursor_new  (MwListQuery *query);
void          mw_list_cursor_free (MwListCursor *cursor);
/* Before the first fetch: start at row @offset (found once by offset). */
void          mw_list_cursor_set_offset (MwListCursor *cursor, guint64 offset);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwListCursor, mw_list_cursor_free)

void       mw_session_count_list_async   (MwSession *self, MwListQuery *query, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
gint64     mw_session_count_list_finish  (MwSession *self, GAsyncResult *result, GError **error); /* -1 on error */
/* The next @limit rows after what the cursor read last, in the query's
 * order (keyset paging: constant cost at any depth). An empty array at
 * the end. One fetch at a time per cursor: start the next from the
 * callback of the one before. (element-type MwRecord) */
void       mw_session_fetch_list_async   (MwSession *self, MwListCursor *cursor, guint limit, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *mw_session_fetch_list_finish  (MwSession *self, GAsyncResult *result, GError **error);
/* @limit rows from @offset. (element-type MwRecord) */
void       mw_session_fetch_list_offset_async  (MwSession *self, MwListQuery *query, guint64 offset, guint limit,
                                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                                gpointer user_data);
GPtrArray *mw_session_fetch_list_offset_finish (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_list_groups_async  (MwSession *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *mw_session_list_groups_finish (MwSession *self, GAsyncResult *result, GError **error);

/* Accounts */
void       mw_session_find_async             (MwSession *self, const char *text, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
MwFound   *mw_session_find_finish            (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_resolve_account_async  (MwSession *self, const char *text, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
char      *mw_session_resolve_account_finish (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_get_account_async      (MwSession *self, const char *key, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
MwAccount *mw_session_get_account_finish     (MwSession *self, GAsyncResult *result, GError **error);
/* TRUE into *taken when another account has the name (compared as the server compares). */
void       mw_session_name_taken_async       (MwSession *self, const char *name, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean   mw_session_name_taken_finish      (MwSession *self, GAsyncResult *result, gboolean *taken, GError **error);
void       mw_session_add_account_async      (MwSession *self, const MwNewAccount *account, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
char      *mw_session_add_account_finish     (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_update_account_async   (MwSession *self, const char *key, const MwAccountChange *change,
                                              gboolean dry_run, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
MwAccountChange *mw_session_update_account_finish (MwSession *self, GAsyncResult *result, GError **error);
/* One account (@key), or every account of @group (@key NULL). */
void       mw_session_delete_accounts_async  (MwSession *self, const char *key, gint64 group, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
gboolean   mw_session_delete_accounts_finish (MwSession *self, GAsyncResult *result, MwDeleteSummary *summary,
                                              GError **error);

/* Addresses (the keys of added ones come back from _finish) */
void       mw_session_find_routes_async      (MwSession *self, const char *address, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *mw_session_find_routes_finish     (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_add_alias_async        (MwSession *self, const char *account_key, const char *address,
                                              MwAddressFlags flags, gboolean dry_run, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
char      *mw_session_add_alias_finish       (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_add_alias_for_async    (MwSession *self, const char *account, const char *address,
                                              MwAddressFlags flags, gboolean create_missing, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
char      *mw_session_add_alias_for_finish   (MwSession *self, GAsyncResult *result, char **created_account_key,
                                              GError **error);
void       mw_session_add_forward_async      (MwSession *self, const char *address, const char *target,
                                              MwAddressFlags flags, gint64 group, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
char      *mw_session_add_forward_finish     (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_rename_address_async   (MwSession *self, const char *address_key, const char *address,
                                              MwAddressFlags flags, gboolean dry_run, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean   mw_session_rename_address_finish  (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_retarget_address_async (MwSession *self, const char *address_key, const char *target,
                                              gboolean dry_run, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean   mw_session_retarget_address_finish (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_move_address_async     (MwSession *self, const char *address_key, const char *account,
                                              gboolean dry_run, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean   mw_session_move_address_finish    (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_delete_address_async   (MwSession *self, const char *address_key, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
gboolean   mw_session_delete_address_finish  (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_group_add_domain_async (MwSession *self, gint64 group, const char *domain, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
GStrv      mw_session_group_add_domain_finish (MwSession *self, GAsyncResult *result, GError **error);

/* CSV: the plan, the options and the output stream must outlive the call. */
void            mw_session_import_prepare_async  (MwSession *self, GBytes *csv, const MwImportOptions *options,
                                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                                  gpointer user_data);
MwImportPlan   *mw_session_import_prepare_finish (MwSession *self, GAsyncResult *result, GError **error);
/* @progress is called on the worker thread. */
void            mw_session_import_run_async      (MwSession *self, MwImportPlan *plan, const MwImportOptions *options,
                                                  gboolean dry_run, MwImportProgress progress, gpointer progress_data,
                                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                                  gpointer user_data);
MwImportReport *mw_session_import_run_finish     (MwSession *self, GAsyncResult *result, GError **error);
void            mw_session_export_csv_async      (MwSession *self, const MwListRequest *request, GOutputStream *out,
                                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                                  gpointer user_data);
gboolean        mw_session_export_csv_finish     (MwSession *self, GAsyncResult *result, guint64 *rows,
                                                  GError **error);

/* Mail store (only when mw_session_get_mail_store() is not NULL) */
void       mw_session_list_mailboxes_async   (MwSession *self, const char *account, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *mw_session_list_mailboxes_finish  (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_find_mailbox_async     (MwSession *self, const char *account, const char *name,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
char      *mw_session_find_mailbox_finish    (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_find_message_async     (MwSession *self, gint64 number, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
char      *mw_session_find_message_finish    (MwSession *self, GAsyncResult *result, char **owner_key,
                                              GError **error);
void       mw_session_load_message_async     (MwSession *self, const char *message_key, MwMessageLoadFlags flags,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
MwMessage *mw_session_load_message_finish    (MwSession *self, GAsyncResult *result, GError **error);
void       mw_session_set_deleted_async      (MwSession *self, const char *account, const char *const *message_keys,
                                              gboolean deleted, gboolean dry_run, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean   mw_session_set_deleted_finish     (MwSession *self, GAsyncResult *result, MwMessageChange *out,
                                              GError **error);
void       mw_session_undelete_mailbox_async (MwSession *self, const char *mailbox, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
gboolean   mw_session_undelete_mailbox_finish (MwSession *self, GAsyncResult *result, MwMessageChange *out,
                                               GError **error);
void       mw_session_purge_state_async      (MwSession *self, const char *account, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean   mw_session_purge_state_finish     (MwSession *self, GAsyncResult *result, MwPurgeState *out,
                                              GError **error);
void       mw_session_count_mail_async       (MwSession *self, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean   mw_session_count_mail_finish      (MwSession *self, GAsyncResult *result, MwMailCounts *out,
                                              GError **error);
/* @hit and @progress are called on the main context the call was made in,
 * in the order the worker found them, all before the callback; none after
 * @cancellable is cancelled. Fails with G_IO_ERROR_NOT_SUPPORTED, as every
 * mail store wrapper does, when the schema keeps no mail. */
void       mw_session_search_bodies_async    (MwSession *self, const char *account, const char *mailbox,
                                              const char *needle, MwMessageLoadFlags flags, MwMessageHitFunc hit,
                                              MwMessageProgressFunc progress, gpointer hit_data,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
gboolean   mw_session_search_bodies_finish   (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
