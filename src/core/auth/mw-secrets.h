/* mw-secrets.h: passwords of connection profiles in the Secret Service (libsecret), never on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mw-db.h"

G_BEGIN_DECLS

#define MW_SECRETS_ERROR (mw_secrets_error_quark ())

typedef enum
{
  MW_SECRETS_ERROR_UNAVAILABLE,   /* no Secret Service, or none answered in time: ask and keep the password in memory */
  MW_SECRETS_ERROR_FAILED,        /* the keyring answered but refused; the message says why */
} MwSecretsError;

/* Used when a timeout_ms argument is 0. A keyring started on demand by
 * D-Bus activation on a busy desktop takes seconds to answer its first call
 * (2 s was too short under load, and then the saved password was not used);
 * a session without any Secret Service fails at once, not after this. */
#define MW_SECRETS_DEFAULT_TIMEOUT_MS 10000

/* Items use the schema "org.mailwarden.Mailwarden.Connection" with the string
 * attributes "profile", "driver" ("postgresql" or "mysql"), "host" (the host,
 * or the socket path when there is no host), "user" and "database".
 *
 * timeout_ms bounds the wait for a Secret Service to answer. Once it has
 * answered, the operation itself is not timed: a locked keyring may show an
 * unlock prompt, and a person needs longer than a time-out to type into it.
 * Cancel the cancellable to give up; the callback then gets
 * G_IO_ERROR_CANCELLED. A time-out gives MW_SECRETS_ERROR_UNAVAILABLE. */

GQuark    mw_secrets_error_quark   (void);

/* Replaces whatever was stored for the profile, also under other settings. */
void      mw_secrets_store_async   (const char          *profile,
                                    const MwDbSettings  *settings,
                                    const char          *password,
                                    guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mw_secrets_store_finish  (GAsyncResult        *result,
                                    GError             **error);

/* settings may be NULL to match on the profile name alone. */
void      mw_secrets_lookup_async  (const char          *profile,
                                    const MwDbSettings  *settings,
                                    guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* Returns: (transfer full) (nullable): the password, or NULL without an error
 * when nothing is stored for these settings. Free with mw_secrets_password_free(). */
char     *mw_secrets_lookup_finish (GAsyncResult        *result,
                                    GError             **error);

/* Removes every password stored for the profile. Succeeds when there was none. */
void      mw_secrets_clear_async   (const char          *profile,
                                    guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mw_secrets_clear_finish  (GAsyncResult        *result,
                                    GError             **error);

/* Overwrites the password with zeros, then frees it. NULL is allowed. */
void      mw_secrets_password_free (char                *password);

G_END_DECLS
