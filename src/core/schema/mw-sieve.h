/* mw-sieve.h: a user's Sieve scripts (RFC 5228), the optional interface of a
 * schema that keeps them (DBMail: its sievescripts table, which its
 * ManageSieve server and its delivery read), and the vacation script
 * Mailwarden writes and reads back.
 *
 * A flavour without Sieve scripts (PostfixAdmin, ISPmail) does not implement
 * MwSieveStore; mw_schema_has_sieve () says whether it does, and the
 * mw_schema_*_sieve_script* () functions refuse with a sentence where it does
 * not. They run on a worker; the GUI and the CLI use the session's wrappers
 * (mw-session-sieve.h).
 *
 * A user has any number of scripts, each with a name unique for that user,
 * and at most one of them is active (the one delivery runs). Every script is
 * compiled with Pigeonhole's sievec before it is stored; one that does not
 * compile is refused with the compiler's message and nothing is stored.
 * DBMail 3.5 runs scripts with libSieve, not Pigeonhole: a DBMail script is
 * then also checked with libSieve (mw_sieve_check_libsieve ()), which knows
 * fewer extensions (no "date": it cannot test the day).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-account.h"
#include "mw-db.h"
#include "mw-schema.h"

G_BEGIN_DECLS

/* The longest script name every server holds (DBMail's name column is
 * VARCHAR(100) on PostgreSQL, 255 on MariaDB), in characters. */
#define MW_SIEVE_NAME_MAX    100
/* The biggest script, in bytes: Pigeonhole's default sieve_max_script_size
 * (1M), which its ManageSieve server refuses to go beyond as well. */
#define MW_SIEVE_SCRIPT_MAX  (1024 * 1024)

/* The name of the script the vacation editor writes. */
#define MW_SIEVE_VACATION_NAME "vacation"

#define MW_SIEVE_ERROR (mw_sieve_error_quark ())

typedef enum
{
  MW_SIEVE_ERROR_INVALID,         /* bad name, not UTF-8, too big */
  MW_SIEVE_ERROR_COMPILE,         /* sievec refused the script: the message holds its errors */
  MW_SIEVE_ERROR_NO_COMPILER,     /* sievec is not installed (the message says which package has it) */
  MW_SIEVE_ERROR_NOT_VACATION,    /* mw_sieve_vacation_from_script (): not a vacation script Mailwarden wrote */
  MW_SIEVE_ERROR_UNSUPPORTED,     /* the server's Sieve engine lacks what the script needs (an extension, dates) */
} MwSieveError;

/* The engine the server runs scripts with: Pigeonhole (Dovecot) or libSieve
 * (DBMail 3.5, sortsieve.c). */
typedef enum
{
  MW_SIEVE_ENGINE_PIGEONHOLE,
  MW_SIEVE_ENGINE_LIBSIEVE,
} MwSieveEngine;

GQuark mw_sieve_error_quark (void);

typedef struct
{
  char     *name;
  gboolean  active;
  char     *script;   /* the text; NULL in a list (mw_schema_list_sieve_scripts ()) */
  gint64    size;     /* bytes of the text */
} MwSieveScript;

MwSieveScript *mw_sieve_script_new  (void);
MwSieveScript *mw_sieve_script_copy (const MwSieveScript *script);
void           mw_sieve_script_free (MwSieveScript *script);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSieveScript, mw_sieve_script_free)

/* Checks what no server stores: an empty name, one that is not UTF-8, holds
 * "/", a control or invisible character, or is longer than @max_chars
 * (0: MW_SIEVE_NAME_MAX). MW_SIEVE_ERROR_INVALID with a sentence. */
gboolean   mw_sieve_check_name   (const char *name, guint max_chars, GError **error);
/* A script that is not UTF-8, holds a NUL byte or is bigger than
 * MW_SIEVE_SCRIPT_MAX. MW_SIEVE_ERROR_INVALID with a sentence. */
gboolean   mw_sieve_check_script (const char *script, GError **error);

/* The sievec to run: NULL (the default) finds "sievec" on PATH, else the
 * path given (a file that is not there fails as a missing compiler). Any
 * thread; set it before the first check. */
void        mw_sieve_set_compiler (const char *path);
const char *mw_sieve_get_compiler (void);

/* Compiles @script with sievec in a private temporary folder (blocks: on a
 * worker only). FALSE with MW_SIEVE_ERROR_COMPILE and the compiler's error
 * lines (no temporary path in them), or MW_SIEVE_ERROR_NO_COMPILER with a
 * sentence naming the package that installs it. Checks the text first
 * (mw_sieve_check_script ()). */
gboolean   mw_sieve_compile      (const char *script, GCancellable *cancellable, GError **error);

/* mailwarden-sieve-check, the program that checks a script with libSieve:
 * NULL (the default) runs $MW_SIEVE_CHECK when it is set, else the
 * installed one (libexecdir); else the path given. Any thread; set it
 * before the first check. */
void        mw_sieve_set_libsieve_checker (const char *path);

/* Checks @script as DBMail 3.5 does (libSieve, vacation and notify on), in a
 * subprocess (libSieve crashes on some scripts; blocks: on a worker only).
 * First every extension the script requires is looked up in libSieve's
 * list: MW_SIEVE_ERROR_UNSUPPORTED with a sentence naming the first one it
 * lacks; also when libSieve crashes. MW_SIEVE_ERROR_COMPILE with libSieve's
 * parse errors ("line 3: ..."); MW_SIEVE_ERROR_NO_COMPILER with a sentence
 * naming what installs the program when it is missing. */
gboolean   mw_sieve_check_libsieve (const char *script, GCancellable *cancellable, GError **error);

/* The sentence the vacation editor shows (and the writer refuses days with)
 * where the engine cannot test dates (libSieve). */
const char *mw_sieve_no_dates_sentence (void);

/* A vacation auto-reply as a Sieve script ("vacation", RFC 5230; between two
 * days with "date" and "relational", RFC 5260 / 5231, where the engine
 * tests dates: start and stop are optional and libSieve has neither). */
typedef struct
{
  char   *subject;     /* NULL or "": the reply's subject is "Auto: " and the original's */
  char   *body;        /* the reply's text, UTF-8, not empty */
  char   *start;       /* "YYYY-MM-DD", the first day it answers; NULL: from now */
  char   *stop;        /* "YYYY-MM-DD", the last day it answers; NULL: no end */
  GStrv   addresses;   /* :addresses, the user's other addresses it answers for; NULL or empty: none */
  guint   days;        /* :days, how many days before one sender is answered again (1..365) */
} MwSieveVacation;

MwSieveVacation *mw_sieve_vacation_new  (void);   /* days 7, the rest empty */
MwSieveVacation *mw_sieve_vacation_copy (const MwSieveVacation *vacation);
void             mw_sieve_vacation_free (MwSieveVacation *vacation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSieveVacation, mw_sieve_vacation_free)

/* The script for @vacation, marked as Mailwarden's by its first line so that
 * mw_sieve_vacation_from_script () reads it back. NULL with
 * MW_SIEVE_ERROR_INVALID and a sentence for an empty body, text that is not
 * UTF-8, a subject with a line break, a day that is not a date, a stop before
 * the start, days out of 1..365, an address that is not one; for
 * MW_SIEVE_ENGINE_LIBSIEVE, a start or stop day (MW_SIEVE_ERROR_UNSUPPORTED,
 * mw_sieve_no_dates_sentence ()): then only vacation with :days, :subject
 * and :addresses. No compiler is run. (transfer full) */
char            *mw_sieve_vacation_to_script   (const MwSieveVacation *vacation, MwSieveEngine engine,
                                                GError **error);
/* The vacation a script written by mw_sieve_vacation_to_script () holds (its
 * values also when it was edited by hand keeping the same shape); NULL with
 * MW_SIEVE_ERROR_NOT_VACATION for any other script. (transfer full) */
MwSieveVacation *mw_sieve_vacation_from_script (const char *script, GError **error);
/* Whether @script starts with the mark of a vacation script Mailwarden wrote. */
gboolean         mw_sieve_is_vacation_script   (const char *script);

#define MW_TYPE_SIEVE_STORE (mw_sieve_store_get_type ())
G_DECLARE_INTERFACE (MwSieveStore, mw_sieve_store, MW, SIEVE_STORE, GObject)

struct _MwSieveStoreInterface
{
  GTypeInterface parent_iface;

  GPtrArray     *(*list_sieve_scripts)      (MwSieveStore *self, MwDb *db, const char *account_key,
                                             GCancellable *cancellable, GError **error);
  MwSieveScript *(*get_sieve_script)        (MwSieveStore *self, MwDb *db, const char *account_key,
                                             const char *name, GCancellable *cancellable, GError **error);
  MwSieveScript *(*put_sieve_script)        (MwSieveStore *self, const MwAdmin *admin, const char *account_key,
                                             const char *name, const char *script, gboolean activate,
                                             GCancellable *cancellable, GError **error);
  MwSieveScript *(*activate_sieve_script)   (MwSieveStore *self, const MwAdmin *admin, const char *account_key,
                                             const char *name, GError **error);
  MwSieveScript *(*deactivate_sieve_scripts) (MwSieveStore *self, const MwAdmin *admin, const char *account_key,
                                              GError **error);
  MwSieveScript *(*delete_sieve_script)     (MwSieveStore *self, const MwAdmin *admin, const char *account_key,
                                             const char *name, GError **error);
  MwSieveScript *(*rename_sieve_script)     (MwSieveStore *self, const MwAdmin *admin, const char *account_key,
                                             const char *name, const char *new_name, GError **error);
  MwSieveEngine  (*get_sieve_engine)        (MwSieveStore *self);   /* NULL: Pigeonhole */
};

/* Whether the flavour keeps Sieve scripts (DBMail). */
gboolean       mw_schema_has_sieve              (MwSchema *self);
/* The engine the flavour's server runs scripts with (DBMail: libSieve). */
MwSieveEngine  mw_schema_get_sieve_engine       (MwSchema *self);
/* Whether that engine tests dates (the vacation's first and last day). */
gboolean       mw_schema_sieve_can_test_dates   (MwSchema *self);
/* Checks @script as it is checked before it is stored: sievec, then the
 * flavour's engine (mw_sieve_check_libsieve () for libSieve). Blocks. */
gboolean       mw_schema_check_sieve_script     (MwSchema *self, const char *script, GCancellable *cancellable,
                                                 GError **error);

/* The account's scripts (MwSieveScript without their text, by name).
 * (transfer container) */
GPtrArray     *mw_schema_list_sieve_scripts     (MwSchema *self, MwDb *db, const char *account_key,
                                                 GCancellable *cancellable, GError **error);
/* One script with its text; MW_SCHEMA_ERROR_NOT_FOUND when there is none of
 * that name. (transfer full) */
MwSieveScript *mw_schema_get_sieve_script       (MwSchema *self, MwDb *db, const char *account_key,
                                                 const char *name, GCancellable *cancellable, GError **error);
/* Stores @script under @name, replacing the script of that name (which
 * keeps its active flag) or adding one (not active); with @activate it
 * becomes the active one and the account's others are not. The script is
 * checked and compiled first (mw_sieve_compile ()); one transaction.
 * Returns the script as it was before, with its text, to undo with; a new
 * one comes back with script NULL and size -1. (transfer full) */
MwSieveScript *mw_schema_put_sieve_script       (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                                 const char *name, const char *script, gboolean activate,
                                                 GCancellable *cancellable, GError **error);
/* Makes @name the account's one active script (the others become inactive).
 * Returns the script that was active before (without text), or one with
 * name NULL when none was. (transfer full) */
MwSieveScript *mw_schema_activate_sieve_script  (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                                 const char *name, GError **error);
/* No script of the account is active any more. Returns the one that was,
 * as mw_schema_activate_sieve_script (). (transfer full) */
MwSieveScript *mw_schema_deactivate_sieve_scripts (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                                   GError **error);
/* Deletes the script (also the active one: then none is active). Returns it
 * as it was, with its text, to undo with. (transfer full) */
MwSieveScript *mw_schema_delete_sieve_script    (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                                 const char *name, GError **error);
/* Renames it; MW_SCHEMA_ERROR_EXISTS when the account has one of the new
 * name. Returns it as it was (without text). (transfer full) */
MwSieveScript *mw_schema_rename_sieve_script    (MwSchema *self, const MwAdmin *admin, const char *account_key,
                                                 const char *name, const char *new_name, GError **error);

G_END_DECLS
