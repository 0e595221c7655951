/* mw-session-private.h: how the session's wrappers run the schema's
 * operations on its workers; for the files of src/core/session only.
 *
 * Every wrapper copies what its caller gave into an MwSessionArgs, names a
 * static MwSessionOp (the worker's function, how to free its result, which
 * lists a change moves) and hands both to _mw_session_run(); its _finish is
 * _mw_session_finish(). The copies belong to the call, so the caller may
 * free its own at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-session.h"

G_BEGIN_DECLS

/* One shape for the arguments and the extra outputs of every operation.
 * What is set here is owned by the call and freed with it, on the caller's
 * thread; the outputs are written by the worker and read by _finish. */
typedef struct
{
  char           *key;        /* an account's, an address's, a message's key */
  char           *text;       /* a name, an address, a needle */
  char           *target;     /* where an address goes, a mailbox, a domain */
  GStrv           keys;
  gint64          number;     /* a group, a message's number */
  guint64         offset;
  guint           limit;
  guint           flags;      /* MwAddressFlags, MwMessageLoadFlags */
  gboolean        option;     /* create_missing, deleted */
  gpointer        data;       /* a copy of a struct, a cursor, a query ... */
  GDestroyNotify  data_free;
  GObject        *object;     /* an output stream */
  GBytes         *bytes;
  /* The caller keeps these alive until the callback (mw-session.h says so). */
  gpointer        borrowed;
  gconstpointer   borrowed_const;
  GCallback       func;
  gpointer        func_data;

  char           *out_key;
  gboolean        out_flag;
  union
  {
    MwDeleteSummary summary;
    MwMessageChange change;
    MwPurgeState    purge;
    MwMailCounts    counts;
    guint64         rows;
  } out;
} MwSessionArgs;

/* On a worker, with its connection in @admin->db (and the session's audit
 * profile and dry run in @admin). Returns the result, or NULL with @error
 * set; an operation with nothing to return gives GINT_TO_POINTER (TRUE). */
typedef gpointer (*MwSessionWork) (MwSchema       *schema,
                                   const MwAdmin  *admin,
                                   MwSessionArgs  *args,
                                   GCancellable   *cancellable,
                                   GError        **error);

/* Which lists a finished change moved (bits 1 << MwListKind), when that is
 * more than "these, if it succeeded". */
typedef guint (*MwSessionChanged) (MwSessionArgs *args,
                                   gpointer       result,
                                   const GError  *error);

#define MW_SESSION_CHANGES(kind) (1u << (kind))

typedef struct
{
  MwSessionWork     work;
  GDestroyNotify    result_free;
  guint             changes;      /* MW_SESSION_CHANGES (...) of a successful change */
  gboolean          mail_store;   /* fails at once when the schema stores no mail */
  MwSessionChanged  changed;      /* (nullable): decides instead of changes */
  /* (nullable): on the caller's thread when the worker is done, before the
   * "changed" signal and the callback. */
  void            (*done)         (MwSessionArgs *args);
} MwSessionOp;

MwSessionArgs *_mw_session_args_new (void);
void           _mw_session_args_free (MwSessionArgs *args);

/* Takes @args. @op is the call's source tag too. A dry run emits no
 * "changed". */
void           _mw_session_run      (MwSession           *self,
                                     const MwSessionOp   *op,
                                     MwSessionArgs       *args,
                                     gboolean             dry_run,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* The result (transfer full); @args (nullable) gets the call's arguments
 * and outputs, which stay the call's. */
gpointer       _mw_session_finish   (MwSession          *self,
                                     GAsyncResult       *result,
                                     const MwSessionOp  *op,
                                     MwSessionArgs     **args,
                                     GError            **error);

const char    *_mw_session_get_audit_profile (MwSession *self);

G_END_DECLS
