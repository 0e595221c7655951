/* mw-session-sieve.h: the session's wrappers of the Sieve script operations
 * (mw-sieve.h), where the flavour keeps Sieve scripts
 * (mw_schema_has_sieve ()); elsewhere they fail with MW_SCHEMA_ERROR_REFUSED
 * and a sentence. Scripts belong to an account, named by its key. No list
 * shows scripts, so a change emits no "changed": whoever shows an account's
 * scripts reads them again when its call is done.
 *
 * With @dry_run everything is checked (sievec included) and done, then
 * rolled back: the result is what would happen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-session.h"
#include "mw-sieve.h"

G_BEGIN_DECLS

/* _finish: the account's scripts (MwSieveScript, without text, by name).
 * (transfer container) */
void           mw_session_list_sieve_scripts_async       (MwSession *self, const char *account_key,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
GPtrArray     *mw_session_list_sieve_scripts_finish      (MwSession *self, GAsyncResult *result, GError **error);

/* _finish: the script with its text. (transfer full) */
void           mw_session_get_sieve_script_async         (MwSession *self, const char *account_key, const char *name,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
MwSieveScript *mw_session_get_sieve_script_finish        (MwSession *self, GAsyncResult *result, GError **error);

/* Compiles @script with sievec on a worker, stores nothing (an editor's
 * "Check"). _finish: FALSE with MW_SIEVE_ERROR_COMPILE and the compiler's
 * message, or another MW_SIEVE_ERROR. */
void           mw_session_check_sieve_script_async       (MwSession *self, const char *script,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
gboolean       mw_session_check_sieve_script_finish      (MwSession *self, GAsyncResult *result, GError **error);

/* Uploads or replaces the script @name (mw_schema_put_sieve_script ()).
 * _finish: the script as it was before (script NULL, size -1 when it is
 * new). (transfer full) */
void           mw_session_put_sieve_script_async         (MwSession *self, const char *account_key, const char *name,
                                                          const char *script, gboolean activate, gboolean dry_run,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
MwSieveScript *mw_session_put_sieve_script_finish        (MwSession *self, GAsyncResult *result, GError **error);

/* _finish: the script that was active before (name NULL when none was).
 * (transfer full) */
void           mw_session_activate_sieve_script_async    (MwSession *self, const char *account_key, const char *name,
                                                          gboolean dry_run, GCancellable *cancellable,
                                                          GAsyncReadyCallback callback, gpointer user_data);
MwSieveScript *mw_session_activate_sieve_script_finish   (MwSession *self, GAsyncResult *result, GError **error);

/* No script active. _finish: the one that was (name NULL when none was).
 * (transfer full) */
void           mw_session_deactivate_sieve_scripts_async (MwSession *self, const char *account_key, gboolean dry_run,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
MwSieveScript *mw_session_deactivate_sieve_scripts_finish (MwSession *self, GAsyncResult *result, GError **error);

/* _finish: the script as it was, with its text. (transfer full) */
void           mw_session_delete_sieve_script_async      (MwSession *self, const char *account_key, const char *name,
                                                          gboolean dry_run, GCancellable *cancellable,
                                                          GAsyncReadyCallback callback, gpointer user_data);
MwSieveScript *mw_session_delete_sieve_script_finish     (MwSession *self, GAsyncResult *result, GError **error);

/* _finish: the script as it was (its old name). (transfer full) */
void           mw_session_rename_sieve_script_async      (MwSession *self, const char *account_key, const char *name,
                                                          const char *new_name, gboolean dry_run,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
MwSieveScript *mw_session_rename_sieve_script_finish     (MwSession *self, GAsyncResult *result, GError **error);

/* The vacation in the account's script MW_SIEVE_VACATION_NAME, read back
 * (mw_sieve_vacation_from_script ()). _finish: NULL without an error when
 * the account has no such script; MW_SIEVE_ERROR_NOT_VACATION when the
 * script of that name is not one Mailwarden wrote. @active (out, optional)
 * whether that script is the active one. (transfer full) */
void             mw_session_get_sieve_vacation_async     (MwSession *self, const char *account_key,
                                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                                          gpointer user_data);
MwSieveVacation *mw_session_get_sieve_vacation_finish    (MwSession *self, GAsyncResult *result, gboolean *active,
                                                          GError **error);

/* Writes @vacation as the account's script MW_SIEVE_VACATION_NAME
 * (mw_sieve_vacation_to_script (), then as mw_session_put_sieve_script_async ()
 * with @activate). _finish: as mw_session_put_sieve_script_finish (). */
void           mw_session_put_sieve_vacation_async       (MwSession *self, const char *account_key,
                                                          const MwSieveVacation *vacation, gboolean activate,
                                                          gboolean dry_run, GCancellable *cancellable,
                                                          GAsyncReadyCallback callback, gpointer user_data);
MwSieveScript *mw_session_put_sieve_vacation_finish      (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
