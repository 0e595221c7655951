/* mw-session-vacation.h: the session's wrappers of the vacation
 * operations (mw-vacation.h), where the flavour keeps vacations
 * (mw_schema_can (schema, MW_SCHEMA_CAN_VACATION)); elsewhere they fail
 * with MW_SCHEMA_ERROR_REFUSED and a sentence. A change that was not a dry
 * run emits "changed" for the users and the forwards (the vacation address
 * is a target of the mailbox's alias row).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-session.h"
#include "mw-vacation.h"

G_BEGIN_DECLS

/* The account's vacation (key or address); NULL without an error from
 * _finish when it never had one. */
void        mw_session_get_vacation_async    (MwSession *self, const char *account_key, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
MwVacation *mw_session_get_vacation_finish   (MwSession *self, GAsyncResult *result, GError **error);
/* _finish gives the vacation as it was before, to undo with. */
void        mw_session_set_vacation_async    (MwSession *self, const char *account_key, const MwVacation *vacation,
                                              gboolean dry_run, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
MwVacation *mw_session_set_vacation_finish   (MwSession *self, GAsyncResult *result, GError **error);
void        mw_session_clear_vacation_async  (MwSession *self, const char *account_key, gboolean dry_run,
                                              GCancellable *cancellable, GAsyncReadyCallback callback,
                                              gpointer user_data);
MwVacation *mw_session_clear_vacation_finish (MwSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
