/* mw-dbmail-import.c: importing users from CSV.
 *
 * The import writes the same rows as mw_dbmail_add_user (users, aliases,
 * INBOX), several hundred users per transaction with multi-row INSERTs.
 * The checks are made twice: against the database when the plan is made
 * (batched IN lists), and again inside each batch's transaction, so that a
 * user created meanwhile refuses only its own line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-dbmail-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mw-audit.h"
#include "mw-csv.h"
#include "mw-dbmail-import.h"
#include "mw-dbmail-private.h"
#include "mw-password.h"
#include "mw-size.h"
#include "mw-sql-dialect.h"

#define LOOKUP_BATCH      500
#define DEFAULT_BATCH     250
#define GENERATED_LENGTH  16
#define MAX_PASSWD_BYTES  MW_PASSWORD_MAX_STORED

/* ------------------------------------------------------------------------ */
/* Plans and reports                                                        */
/* ------------------------------------------------------------------------ */

static void
import_user_free (gpointer data)
{
  MwImportUser *u = data;

  if (u == NULL)
    return;
  g_free (u->name);
  mw_password_free (u->password);
  g_free (u->scheme);
  g_free (u->stored_password);
  g_free (u->stored_scheme);
  g_strfreev (u->aliases);
  g_free (u->account_key);
  g_free (u);
}

static void
issue_free (gpointer data)
{
  MwImportIssue *issue = data;

  g_free (issue->message);
  g_free (issue);
}

void
mw_import_plan_free (MwImportPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->users);
  g_ptr_array_unref (plan->errors);
  g_free (plan);
}

void
mw_import_report_free (MwImportReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->refused);
  g_free (report);
}

static void
add_issue (GPtrArray  *issues,
           guint       line,
           const char *message)
{
  MwImportIssue *issue = g_new0 (MwImportIssue, 1);

  issue->line = line;
  /* Translators: "Line 12: “bob” is already a user." */
  issue->message = g_strdup_printf (_("Line %u: %s"), line, message);
  g_ptr_array_add (issues, issue);
}

static gint
issue_compare (gconstpointer a,
               gconstpointer b)
{
  const MwImportIssue *x = *(MwImportIssue *const *) a;
  const MwImportIssue *y = *(MwImportIssue *const *) b;

  return x->line < y->line ? -1 : x->line > y->line;
}

/* ------------------------------------------------------------------------ */
/* Values                                                                   */
/* ------------------------------------------------------------------------ */

/* lower() as DBMail's databases apply it: each character's simple lowercase. */
static char *
ci_key (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));

  if (!g_utf8_validate (s, -1, NULL))
    {
      g_string_free (out, TRUE);
      return g_ascii_strdown (s, -1);
    }
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (out, g_unichar_tolower (g_utf8_get_char (p)));
  return g_string_free (out, FALSE);
}

const char *
mw_import_describe_format (void)
{
  return _("The first line names the columns: name (required), password, or passwd with encryption_type, scheme, "
           "quota, group and aliases. Nothing is written before you confirm the preview.");
}

/* The same reading as the CLI's --quota and the GUI's quota fields
 * (mw-size.c); an empty cell is no limit. */
gboolean
mw_import_parse_quota (const char  *text,
                       gint64      *bytes,
                       GError     **error)
{
  g_autoptr(GError) size_error = NULL;
  const char *t = text != NULL ? text : "";

  if (t[strspn (t, " \t")] == '\0')
    {
      *bytes = 0;
      return TRUE;
    }
  if (!mw_size_parse_quota (t, MW_SIZE_UNIT_BYTES, bytes, &size_error))
    {
      g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, size_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Reading the file                                                         */
/* ------------------------------------------------------------------------ */

typedef enum
{
  COL_NAME, COL_PASSWORD, COL_SCHEME, COL_PASSWD, COL_TYPE, COL_QUOTA, COL_GROUP, COL_ALIASES,
  COL_IGNORED, N_COLS
} Column;

static int
column_of (const char *header)
{
  static const struct { const char *name; Column col; } names[] = {
    { "name", COL_NAME }, { "userid", COL_NAME }, { "password", COL_PASSWORD }, { "scheme", COL_SCHEME },
    { "passwd", COL_PASSWD }, { "encryption_type", COL_TYPE }, { "quota", COL_QUOTA },
    { "maxmail_size", COL_QUOTA }, { "group", COL_GROUP }, { "client_idnr", COL_GROUP },
    { "aliases", COL_ALIASES }, { "alias", COL_ALIASES },
    /* written by the users export, of no use to an import */
    { "number", COL_IGNORED }, { "used", COL_IGNORED }, { "last_login", COL_IGNORED }, { "active", COL_IGNORED },
  };
  g_autofree char *h = g_strstrip (g_ascii_strdown (header, -1));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (h, names[i].name))
      return names[i].col;
  return -1;
}

static const char *
field (GStrv        fields,
       const int   *index,
       Column       col)
{
  if (index[col] < 0 || (guint) index[col] >= g_strv_length (fields))
    return "";
  return fields[index[col]];
}

static gboolean
all_empty (GStrv fields)
{
  for (guint i = 0; fields[i] != NULL; i++)
    for (const char *p = fields[i]; *p != '\0'; p++)
      if (!g_ascii_isspace (*p))
        return FALSE;
  return TRUE;
}

static gboolean
known_type (const char *type)
{
  g_autoptr(GError) error = NULL;

  mw_password_verify (type, "", "x", &error);
  return error == NULL;
}

/* One record into a user, or FALSE with the sentence in error. */
static MwImportUser *
parse_line (GStrv                  fields,
            const int             *index,
            guint                  line,
            const MwImportOptions *options,
            GError               **error)
{
  g_autoptr(GPtrArray) aliases = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *userid = g_strstrip (g_strdup (field (fields, index, COL_NAME)));
  const char *password = field (fields, index, COL_PASSWORD);
  g_autofree char *scheme = g_strstrip (g_strdup (field (fields, index, COL_SCHEME)));
  const char *passwd = field (fields, index, COL_PASSWD);
  g_autofree char *type = g_strstrip (g_strdup (field (fields, index, COL_TYPE)));
  g_autofree char *group_text = g_strstrip (g_strdup (field (fields, index, COL_GROUP)));
  g_autoptr(GError) rounds_error = NULL;
  MwImportUser *u;
  gint64 quota = 0;
  guint64 group = 0;
  gulong rounds = 0;
  g_auto(GStrv) parts = NULL;

  if (!mw_dbmail_check_userid (userid, error))
    return NULL;
  if (password[0] != '\0' && passwd[0] != '\0')
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("Give either a password or a passwd (already hashed), not both."));
      return NULL;
    }
  if (password[0] == '\0' && passwd[0] == '\0' && !options->generate_passwords)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("“%s” has no password. Give one, or let Mailwarden generate passwords."), userid);
      return NULL;
    }
  if (passwd[0] != '\0')
    {
      if (!known_type (type))
        {
          g_autofree char *q = mw_address_quote_for_message (type, -1);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("DBMail does not know the encryption type “%s” and would refuse every login."), q);
          return NULL;
        }
      if (strlen (passwd) > MAX_PASSWD_BYTES)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The stored password is longer than %d characters; DBMail refuses such passwords."),
                       MAX_PASSWD_BYTES);
          return NULL;
        }
    }
  else
    {
      const MwPasswordScheme *s;

      if (scheme[0] == '\0')
        {
          g_free (scheme);
          scheme = g_strdup (options->default_scheme != NULL ? options->default_scheme : MW_PASSWORD_DEFAULT_SCHEME);
          rounds = options->rounds;
        }
      s = mw_password_lookup_scheme (scheme);
      if (s == NULL || !s->writable)
        {
          g_autofree char *q = mw_address_quote_for_message (scheme, -1);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("“%s” is not a password scheme Mailwarden can write."), q);
          return NULL;
        }
      if (!mw_password_check_rounds (scheme, rounds, &rounds_error))
        {
          g_set_error_literal (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID, rounds_error->message);
          return NULL;
        }
    }
  if (!mw_import_parse_quota (field (fields, index, COL_QUOTA), &quota, error))
    return NULL;
  if (group_text[0] != '\0' && !g_ascii_string_to_unsigned (group_text, 10, 0, G_MAXINT64, &group, NULL))
    {
      g_autofree char *q = mw_address_quote_for_message (group_text, -1);

      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The group “%s” is not a number."), q);
      return NULL;
    }

  parts = g_strsplit_set (field (fields, index, COL_ALIASES), " ,;\t", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *alias;

      if (parts[i][0] == '\0')
        continue;
      alias = mw_address_normalize_alias (parts[i], MW_ADDRESS_FLAGS_NONE, NULL, &local_error);
      if (alias == NULL)
        {
          g_autofree char *q = mw_address_quote_for_message (parts[i], -1);

          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The alias “%s” is refused: %s"), q, local_error->message);
          return NULL;
        }
      for (guint j = 0; j < aliases->len; j++)
        if (mw_address_equal (g_ptr_array_index (aliases, j), alias))
          {
            g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                         _("The alias “%s” is given twice."), alias);
            g_free (alias);
            return NULL;
          }
      g_ptr_array_add (aliases, alias);
    }
  g_ptr_array_add (aliases, NULL);

  u = g_new0 (MwImportUser, 1);
  u->line = line;
  u->name = g_steal_pointer (&userid);
  u->quota = quota;
  u->group = (gint64) group;
  u->aliases = (GStrv) g_ptr_array_steal (aliases, NULL);
  if (passwd[0] != '\0')
    {
      u->stored_password = g_strdup (passwd);
      u->stored_scheme = g_steal_pointer (&type);
    }
  else
    {
      u->scheme = g_steal_pointer (&scheme);
      u->rounds = rounds;
      if (password[0] != '\0')
        u->password = g_strdup (password);
      else
        {
          u->password = mw_password_generate (GENERATED_LENGTH, error);
          u->generated = TRUE;
          if (u->password == NULL)
            {
              import_user_free (u);
              return NULL;
            }
        }
    }
  return u;
}

/* ------------------------------------------------------------------------ */
/* Checks against the database                                              */
/* ------------------------------------------------------------------------ */

/* The names among keys (lower-cased) that users have: lower(name) -> name. */
static gboolean
lookup_names (MwDb          *db,
              GPtrArray     *keys,
              GHashTable    *taken,
              GCancellable  *cancellable,
              GError       **error)
{
  MwDbDriver driver = mw_db_get_driver (db);

  for (guint start = 0; start < keys->len; start += LOOKUP_BATCH)
    {
      guint n = MIN (LOOKUP_BATCH, keys->len - start);
      g_autofree MwDbValue *params = g_new0 (MwDbValue, n);
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(MwDbResult) result = NULL;

      g_string_append_printf (sql, "SELECT userid FROM {users} WHERE %s IN (",
                              driver == MW_DB_DRIVER_PGSQL ? "lower(userid)" : "userid");
      for (guint i = 0; i < n; i++)
        {
          params[i] = MW_DB_TEXT (g_ptr_array_index (keys, start + i));
          g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
        }
      g_string_append_c (sql, ')');
      result = mw_db_exec (db, sql->str, params, n, cancellable, error);
      if (result == NULL)
        return FALSE;
      for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
        {
          const char *name = mw_db_result_get_string (result, r, 0);

          g_hash_table_insert (taken, ci_key (name), g_strdup (name));
        }
    }
  return TRUE;
}

/* The aliases among keys that deliver to a user: lower(alias) -> userid. */
static gboolean
lookup_aliases (MwDb          *db,
                GPtrArray     *keys,
                GHashTable    *taken,
                GCancellable  *cancellable,
                GError       **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autofree char *to_bigint = mw_sql_text_to_bigint (driver, "a.deliver_to");

  for (guint start = 0; start < keys->len; start += LOOKUP_BATCH)
    {
      guint n = MIN (LOOKUP_BATCH, keys->len - start);
      g_autofree MwDbValue *params = g_new0 (MwDbValue, n);
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(MwDbResult) result = NULL;

      g_string_append_printf (sql, "SELECT a.alias, u.userid FROM {aliases} a JOIN {users} u ON u.user_idnr = %s "
                              "WHERE %s IN (", to_bigint, driver == MW_DB_DRIVER_PGSQL ? "lower(a.alias)" : "a.alias");
      for (guint i = 0; i < n; i++)
        {
          params[i] = MW_DB_TEXT (g_ptr_array_index (keys, start + i));
          g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
        }
      g_string_append_c (sql, ')');
      result = mw_db_exec (db, sql->str, params, n, cancellable, error);
      if (result == NULL)
        return FALSE;
      for (guint r = 0; r < mw_db_result_get_n_rows (result); r++)
        g_hash_table_insert (taken, ci_key (mw_db_result_get_string (result, r, 0)),
                             g_strdup (mw_db_result_get_string (result, r, 1)));
    }
  return TRUE;
}

static GPtrArray *
name_keys (GPtrArray *users)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < users->len; i++)
    g_ptr_array_add (keys, ci_key (((MwImportUser *) g_ptr_array_index (users, i))->name));
  return keys;
}

static GPtrArray *
alias_keys (GPtrArray *users)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (users, i);

      for (guint j = 0; u->aliases[j] != NULL; j++)
        g_ptr_array_add (keys, ci_key (u->aliases[j]));
    }
  return keys;
}

/* The sentence why u cannot be created given the names and aliases taken,
 * or NULL. */
static char *
conflict_of (MwImportUser *u,
             GHashTable   *names,
             GHashTable   *aliases)
{
  g_autofree char *key = ci_key (u->name);
  const char *taken = g_hash_table_lookup (names, key);

  if (taken != NULL && g_str_equal (taken, u->name))
    return g_strdup_printf (_("“%s” is already a user."), u->name);
  if (taken != NULL)
    {
      /* Other programs may have stored any name. */
      g_autofree char *q = mw_address_quote_for_message (taken, -1);

      return g_strdup_printf (_("“%s” is already a user; DBMail does not tell names apart by case, "
                                "so “%s” would be the same login."), q, u->name);
    }
  for (guint j = 0; u->aliases[j] != NULL; j++)
    {
      g_autofree char *akey = ci_key (u->aliases[j]);
      const char *owner = g_hash_table_lookup (aliases, akey);

      if (owner != NULL)
        {
          g_autofree char *q = mw_address_quote_for_message (owner, -1);

          return g_strdup_printf (_("The alias “%s” already delivers to the user “%s”."), u->aliases[j], q);
        }
    }
  return NULL;
}

MwImportPlan *
mw_dbmail_import_prepare (MwDb                  *db,
                          GBytes                *csv,
                          const MwImportOptions *options,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_autoptr(MwCsvReader) reader = NULL;
  g_autoptr(MwImportPlan) plan = g_new0 (MwImportPlan, 1);
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (import_user_free);
  g_autoptr(GHashTable) file_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) file_aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) db_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) db_aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) keys = NULL;
  g_auto(GStrv) header = NULL;
  MwImportOptions defaults = { 0 };
  int index[N_COLS];
  guint n_header, line = 0, last_error_line = 0;
  GError *local_error = NULL;

  g_return_val_if_fail (db != NULL && csv != NULL, NULL);
  if (options == NULL)
    options = &defaults;

  plan->users = g_ptr_array_new_with_free_func (import_user_free);
  plan->errors = g_ptr_array_new_with_free_func (issue_free);
  reader = mw_csv_reader_new (csv, 0);
  if (!mw_csv_reader_next (reader, &header, &line, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                     _("The file is empty: its first line must name the columns, such as name,password,aliases."));
      return NULL;
    }
  for (guint c = 0; c < N_COLS; c++)
    index[c] = -1;
  n_header = g_strv_length (header);
  for (guint i = 0; i < n_header; i++)
    {
      int col = column_of (header[i]);

      g_autofree char *q = mw_address_quote_for_message (header[i], -1);

      if (col < 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The column “%s” is unknown. The columns can be: name, password, scheme, passwd, "
                         "encryption_type, quota, group, aliases."), q);
          return NULL;
        }
      if (col != COL_IGNORED && index[col] >= 0)
        {
          g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                       _("The column “%s” is named twice."), q);
          return NULL;
        }
      index[col] = (int) i;
    }
  if (index[COL_NAME] < 0)
    {
      g_set_error (error, MW_SCHEMA_ERROR, MW_SCHEMA_ERROR_INVALID,
                   _("The file has no “name” column: its first line must name the columns, such as name,password,aliases."));
      return NULL;
    }
  /* encryption_type alone (as the users export writes it) says nothing. */
  if (index[COL_PASSWD] < 0)
    index[COL_TYPE] = -1;

  for (;;)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GError) line_error = NULL;
      MwImportUser *u;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!mw_csv_reader_next (reader, &fields, &line, &line_error))
        {
          if (line_error == NULL || line == last_error_line)
            break;
          last_error_line = line;
          /* The reader's message names the line already. */
          {
            MwImportIssue *issue = g_new0 (MwImportIssue, 1);

            issue->line = line;
            issue->message = g_strdup (line_error->message);
            g_ptr_array_add (plan->errors, issue);
          }
          continue;
        }
      if (all_empty (fields))
        continue;
      if (g_strv_length (fields) > n_header)
        {
          add_issue (plan->errors, line, _("The line has more fields than the first line names columns."));
          continue;
        }
      u = parse_line (fields, index, line, options, &line_error);
      if (u == NULL)
        {
          add_issue (plan->errors, line, line_error->message);
          continue;
        }
      g_ptr_array_add (parsed, u);
    }

  /* The database, a few queries for all the lines. */
  keys = name_keys (parsed);
  if (!lookup_names (db, keys, db_names, cancellable, error))
    return NULL;
  g_ptr_array_unref (keys);
  keys = alias_keys (parsed);
  if (!lookup_aliases (db, keys, db_aliases, cancellable, error))
    return NULL;

  for (guint i = 0; i < parsed->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (parsed, i);
      g_autofree char *key = ci_key (u->name);
      g_autofree char *conflict = conflict_of (u, db_names, db_aliases);
      gpointer first;

      if (conflict != NULL)
        {
          add_issue (plan->errors, u->line, conflict);
          continue;
        }
      if ((first = g_hash_table_lookup (file_names, key)) != NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("“%s” is already on line %u; DBMail does not tell names apart by case."),
                                                  u->name, GPOINTER_TO_UINT (first));

          add_issue (plan->errors, u->line, msg);
          continue;
        }
      for (guint j = 0; u->aliases[j] != NULL; j++)
        {
          g_autofree char *akey = ci_key (u->aliases[j]);

          if ((first = g_hash_table_lookup (file_aliases, akey)) != NULL)
            {
              conflict = g_strdup_printf (_("The alias “%s” is already given on line %u."),
                                          u->aliases[j], GPOINTER_TO_UINT (first));
              break;
            }
        }
      if (conflict != NULL)
        {
          add_issue (plan->errors, u->line, conflict);
          continue;
        }
      g_hash_table_insert (file_names, g_steal_pointer (&key), GUINT_TO_POINTER (u->line));
      for (guint j = 0; u->aliases[j] != NULL; j++)
        g_hash_table_insert (file_aliases, ci_key (u->aliases[j]), GUINT_TO_POINTER (u->line));
      g_ptr_array_add (plan->users, u);
      parsed->pdata[i] = NULL;
    }
  g_ptr_array_sort (plan->errors, issue_compare);
  return g_steal_pointer (&plan);
}

/* ------------------------------------------------------------------------ */
/* Hashing on worker threads                                                */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GMutex     lock;
  GCond      cond;
  guint     *remaining;   /* per batch: users not hashed yet */
  guint      batch_size;
  gint       stop;        /* atomic */
} Hashing;

typedef struct
{
  Hashing      *h;
  MwImportUser *u;
  guint         index;
  char         *error;    /* set by the worker */
} HashJob;

static void
hash_one (gpointer data,
          gpointer user_data)
{
  HashJob *job = data;
  Hashing *h = user_data;

  if (!g_atomic_int_get (&h->stop) && job->u->stored_password == NULL)
    {
      g_autoptr(GError) error = NULL;
      const char *type = NULL;
      char *hash = mw_password_hash_with_rounds (job->u->scheme, job->u->password, job->u->rounds, &type, &error);

      if (hash == NULL)
        job->error = g_strdup (error->message);
      else
        {
          job->u->stored_password = hash;
          job->u->stored_scheme = g_strdup (type);
        }
    }
  g_mutex_lock (&h->lock);
  h->remaining[job->index / h->batch_size]--;
  g_cond_broadcast (&h->cond);
  g_mutex_unlock (&h->lock);
}

/* ------------------------------------------------------------------------ */
/* Writing batches                                                          */
/* ------------------------------------------------------------------------ */

static void
audit_batch (const MwAdmin *admin,
             GPtrArray     *created)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = mw_db_settings_to_display_uri (mw_db_get_settings (admin->db));
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *count = g_strdup_printf ("%u", created->len);

  if (created->len == 0)
    return;
  for (guint i = 0; i < created->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (created, i);

      g_string_append_printf (names, "%s%s", i > 0 ? " " : "", u->name);
    }
  {
    MwAuditField after[] = { { "users", names->str }, { "count", count } };

    if (!mw_audit_append (admin->profile != NULL ? admin->profile : database, database, "user.import",
                          ((MwImportUser *) g_ptr_array_index (created, 0))->name,
                          NULL, 0, after, G_N_ELEMENTS (after), &error))
      g_warning ("The users were created, but the audit log could not be written: %s", error->message);
  }
}

static char *
values_list (guint rows,
             guint cols,
             guint first)
{
  GString *s = g_string_new (NULL);
  guint n = first;

  for (guint r = 0; r < rows; r++)
    {
      g_string_append (s, r > 0 ? ", (" : "(");
      for (guint c = 0; c < cols; c++)
        g_string_append_printf (s, "%s$%u", c > 0 ? ", " : "", n++);
      g_string_append_c (s, ')');
    }
  return g_string_free (s, FALSE);
}

/* Inside the open transaction: refuses (into conflicts, by index into
 * users) the users whose name or alias was taken since the plan. */
static gboolean
recheck (MwDb       *db,
         GPtrArray  *users,
         GHashTable *conflicts,
         GError    **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) nkeys = name_keys (users);
  g_autoptr(GPtrArray) akeys = alias_keys (users);

  if (!lookup_names (db, nkeys, names, NULL, error) || !lookup_aliases (db, akeys, aliases, NULL, error))
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      char *conflict = conflict_of (g_ptr_array_index (users, i), names, aliases);

      if (conflict != NULL)
        g_hash_table_insert (conflicts, g_ptr_array_index (users, i), conflict);
    }
  return TRUE;
}

/* Outside a transaction, after a batch of u alone was refused by a unique
 * index: the sentence why u cannot be created now, or NULL. */
static char *
conflict_now (MwDb         *db,
              MwImportUser *u)
{
  g_autoptr(GHashTable) conflicts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (one, u);
  if (!recheck (db, one, conflicts, &error))
    return NULL;
  return g_strdup (g_hash_table_lookup (conflicts, u));
}

/* Inserts users (all hashed, no conflicts) in the open transaction and
 * sets their account_key. */
static gboolean
insert_users (MwDb       *db,
              GPtrArray  *users,
              GError    **error)
{
  MwDbDriver driver = mw_db_get_driver (db);
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (MwDbValue));
  g_autoptr(MwDbResult) ids = NULL;
  g_autofree char *values = values_list (users->len, 5, 1);
  g_autofree char *sql = NULL;
  guint n_aliases = 0;

  for (guint i = 0; i < users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (users, i);
      MwDbValue v[] = {
        MW_DB_TEXT (u->name), MW_DB_TEXT (u->stored_password), MW_DB_TEXT (u->stored_scheme),
        MW_DB_INT64 (u->group), MW_DB_INT64 (u->quota),
      };

      g_array_append_vals (params, v, G_N_ELEMENTS (v));
      g_hash_table_insert (by_name, u->name, u);
    }
  sql = g_strdup_printf ("INSERT INTO {users} (userid, passwd, encryption_type, client_idnr, maxmail_size) VALUES %s%s",
                         values, driver == MW_DB_DRIVER_PGSQL ? " RETURNING user_idnr, userid" : "");
  ids = mw_db_exec (db, sql, (MwDbValue *) params->data, params->len, NULL, error);
  if (ids == NULL)
    return FALSE;
  if (driver != MW_DB_DRIVER_PGSQL)
    {
      /* MariaDB has no RETURNING for INSERT: the ids by name, in the same transaction. */
      GString *q = g_string_new ("SELECT user_idnr, userid FROM {users} WHERE userid IN (");
      g_autofree char *in = NULL;

      g_array_set_size (params, 0);
      for (guint i = 0; i < users->len; i++)
        {
          MwDbValue v = MW_DB_TEXT (((MwImportUser *) g_ptr_array_index (users, i))->name);

          g_array_append_val (params, v);
          g_string_append_printf (q, "%s$%u", i > 0 ? ", " : "", i + 1);
        }
      g_string_append_c (q, ')');
      in = g_string_free (q, FALSE);
      g_clear_pointer (&ids, mw_db_result_unref);
      ids = mw_db_exec (db, in, (MwDbValue *) params->data, params->len, NULL, error);
      if (ids == NULL)
        return FALSE;
    }
  for (guint r = 0; r < mw_db_result_get_n_rows (ids); r++)
    {
      MwImportUser *u = g_hash_table_lookup (by_name, mw_db_result_get_string (ids, r, 1));

      if (u != NULL)
        {
          g_free (u->account_key);
          u->account_key = _mw_dbmail_key (mw_db_result_get_int64 (ids, r, 0));
        }
    }
  for (guint i = 0; i < users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (users, i);

      if (u->account_key == NULL)
        {
          g_set_error (error, MW_DB_ERROR, MW_DB_ERROR_FAILED,
                       _("The database did not report the number of the new user “%s”."), u->name);
          return FALSE;
        }
      n_aliases += g_strv_length (u->aliases);
    }

  /* Aliases: deliver_to = the number, client_idnr = the group. */
  if (n_aliases > 0)
    {
      g_autofree char *avalues = values_list (n_aliases, 3, 1);
      g_autofree char *asql = g_strdup_printf ("INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES %s", avalues);
      g_autoptr(MwDbResult) r = NULL;

      g_array_set_size (params, 0);
      for (guint i = 0; i < users->len; i++)
        {
          MwImportUser *u = g_ptr_array_index (users, i);
          const char *number = u->account_key;

          for (guint j = 0; u->aliases[j] != NULL; j++)
            {
              MwDbValue v[] = { MW_DB_TEXT (u->aliases[j]), MW_DB_TEXT (number), MW_DB_INT64 (u->group) };

              g_array_append_vals (params, v, 3);
            }
        }
      r = mw_db_exec (db, asql, (MwDbValue *) params->data, params->len, NULL, error);
      if (r == NULL)
        return FALSE;
    }

  /* INBOX, as mw_dbmail_add_user creates it. */
  {
    GString *q = g_string_new ("INSERT INTO {mailboxes} (owner_idnr, name) VALUES ");
    g_autoptr(MwDbResult) r = NULL;
    g_autofree char *msql = NULL;

    g_array_set_size (params, 0);
    for (guint i = 0; i < users->len; i++)
      {
        MwImportUser *u = g_ptr_array_index (users, i);
        MwDbValue v = MW_DB_INT64 (g_ascii_strtoll (u->account_key, NULL, 10));

        g_string_append_printf (q, "%s($%u, 'INBOX')", i > 0 ? ", " : "", i + 1);
        g_array_append_val (params, v);
      }
    msql = g_string_free (q, FALSE);
    r = mw_db_exec (db, msql, (MwDbValue *) params->data, params->len, NULL, error);
    if (r == NULL)
      return FALSE;
  }
  return TRUE;
}

static void
reset_ids (GPtrArray *users)
{
  for (guint i = 0; i < users->len; i++)
    g_clear_pointer (&((MwImportUser *) g_ptr_array_index (users, i))->account_key, g_free);
}

static gboolean
connection_lost (const GError *error)
{
  return g_error_matches (error, MW_DB_ERROR, MW_DB_ERROR_CONNECTION_LOST);
}

static gint
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The batch's names locked (_mw_dbmail_lock_names) in the order of their
 * keys, the same in every session, so that two imports cannot each wait for
 * a name the other holds. One lock per name rather than one for the whole
 * batch: a single "user add" or rename then waits only when it wants one of
 * the batch's names, and PostgreSQL's lock table holds a batch (250 by
 * default) easily. */
static gboolean
lock_batch_names (const MwAdmin  *admin,
                  GPtrArray      *users,
                  GError        **error)
{
  g_autoptr(GPtrArray) keys = name_keys (users);

  g_ptr_array_sort (keys, compare_keys);
  return _mw_dbmail_lock_names (admin, (const char *const *) keys->pdata, keys->len, error);
}

/* One transaction for users: those taken meanwhile are refused, the others
 * created. FALSE with error when the insert failed (rolled back); *stop is
 * then set when the import must not go on (options->before_commit failed). */
static gboolean
write_batch (const MwAdmin          *admin,
             const MwImportOptions  *options,
             GPtrArray              *users,
             MwImportReport         *report,
             GPtrArray              *created,
             gboolean               *stop,
             GError                **error)
{
  g_autoptr(GHashTable) conflicts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_autoptr(GPtrArray) ok_users = g_ptr_array_new ();

  *stop = FALSE;
  if (!mw_db_begin (admin->db, error))
    return FALSE;
  /* Lower-cased keys lock what lower() compares: the same lock as a
   * "user add" of the name in any case. */
  if (!lock_batch_names (admin, users, error) || !recheck (admin->db, users, conflicts, error))
    goto fail;
  for (guint i = 0; i < users->len; i++)
    if (!g_hash_table_contains (conflicts, g_ptr_array_index (users, i)))
      g_ptr_array_add (ok_users, g_ptr_array_index (users, i));
  if (ok_users->len > 0 && !insert_users (admin->db, ok_users, error))
    goto fail;
  if (ok_users->len > 0 && options->before_commit != NULL &&
      !options->before_commit (ok_users, options->before_commit_data, error))
    {
      *stop = TRUE;
      goto fail;
    }
  if (!mw_db_commit (admin->db, error))
    goto fail;

  for (guint i = 0; i < users->len; i++)
    {
      MwImportUser *u = g_ptr_array_index (users, i);
      const char *conflict = g_hash_table_lookup (conflicts, u);

      if (conflict != NULL)
        add_issue (report->refused, u->line, conflict);
      else
        {
          report->created++;
          g_ptr_array_add (created, u);
        }
    }
  return TRUE;

fail:
  if (mw_db_in_transaction (admin->db))
    mw_db_rollback (admin->db, NULL);
  reset_ids (users);
  return FALSE;
}

MwImportReport *
mw_dbmail_import_run (const MwAdmin         *admin,
                      MwImportPlan          *plan,
                      const MwImportOptions *options,
                      MwImportProgress       progress,
                      gpointer               user_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(MwImportReport) report = g_new0 (MwImportReport, 1);
  MwImportOptions defaults = { 0 };
  Hashing h = { 0 };
  GThreadPool *pool = NULL;
  HashJob *jobs = NULL;
  guint total, n_batches, batch_size, threads;
  gboolean ok = TRUE;
  gboolean stop = FALSE;

  g_return_val_if_fail (admin != NULL && admin->db != NULL && plan != NULL, NULL);
  if (options == NULL)
    options = &defaults;

  report->refused = g_ptr_array_new_with_free_func (issue_free);
  for (guint i = 0; i < plan->errors->len; i++)
    {
      MwImportIssue *e = g_ptr_array_index (plan->errors, i);
      MwImportIssue *copy = g_new0 (MwImportIssue, 1);

      copy->line = e->line;
      copy->message = g_strdup (e->message);
      g_ptr_array_add (report->refused, copy);
    }
  total = plan->users->len;
  report->planned = total;
  if (admin->dry_run || total == 0)
    return g_steal_pointer (&report);

  batch_size = options->batch_size > 0 ? options->batch_size : DEFAULT_BATCH;
  threads = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();
  n_batches = (total + batch_size - 1) / batch_size;
  g_mutex_init (&h.lock);
  g_cond_init (&h.cond);
  h.batch_size = batch_size;
  h.remaining = g_new0 (guint, n_batches);
  for (guint b = 0; b < n_batches; b++)
    h.remaining[b] = MIN (batch_size, total - b * batch_size);
  jobs = g_new0 (HashJob, total);
  pool = g_thread_pool_new (hash_one, &h, (gint) threads, FALSE, NULL);
  for (guint i = 0; i < total; i++)
    {
      jobs[i].h = &h;
      jobs[i].u = g_ptr_array_index (plan->users, i);
      jobs[i].index = i;
      g_thread_pool_push (pool, &jobs[i], NULL);
    }

  for (guint b = 0; b < n_batches && ok; b++)
    {
      guint start = b * batch_size, end = MIN (total, start + batch_size);
      g_autoptr(GPtrArray) batch = g_ptr_array_new ();
      g_autoptr(GPtrArray) created = g_ptr_array_new ();
      g_autoptr(GError) batch_error = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          report->cancelled = TRUE;
          break;
        }
      g_mutex_lock (&h.lock);
      while (h.remaining[b] > 0)
        g_cond_wait (&h.cond, &h.lock);
      g_mutex_unlock (&h.lock);

      for (guint i = start; i < end; i++)
        {
          if (jobs[i].error != NULL)
            add_issue (report->refused, jobs[i].u->line, jobs[i].error);
          else
            g_ptr_array_add (batch, jobs[i].u);
        }
      if (batch->len > 0 && !write_batch (admin, options, batch, report, created, &stop, &batch_error))
        {
          if (stop || connection_lost (batch_error))
            {
              g_propagate_error (error, g_steal_pointer (&batch_error));
              ok = FALSE;
              break;
            }
          g_debug ("Batch %u failed, trying its users one by one: %s", b, batch_error->message);
          /* One at a time: only the offending line is refused. */
          for (guint i = 0; i < batch->len; i++)
            {
              MwImportUser *u = g_ptr_array_index (batch, i);
              g_autoptr(GPtrArray) one = g_ptr_array_new ();
              g_autoptr(GError) one_error = NULL;

              g_ptr_array_add (one, u);
              if (!write_batch (admin, options, one, report, created, &stop, &one_error))
                {
                  g_autofree char *conflict = NULL;

                  if (stop || connection_lost (one_error))
                    {
                      g_propagate_error (error, g_steal_pointer (&one_error));
                      ok = FALSE;
                      break;
                    }
                  /* MySQL's unique index refused a name another session
                   * committed meanwhile: say so as the plan would have. */
                  if (g_error_matches (one_error, MW_DB_ERROR, MW_DB_ERROR_CONSTRAINT))
                    conflict = conflict_now (admin->db, u);
                  add_issue (report->refused, u->line, conflict != NULL ? conflict : one_error->message);
                }
            }
        }
      audit_batch (admin, created);
      if (progress != NULL)
        progress (end, total, user_data);
    }

  g_atomic_int_set (&h.stop, 1);
  g_thread_pool_free (pool, TRUE, TRUE);
  for (guint i = 0; i < total; i++)
    g_free (jobs[i].error);
  g_free (jobs);
  g_free (h.remaining);
  g_mutex_clear (&h.lock);
  g_cond_clear (&h.cond);
  if (!ok)
    return NULL;
  g_ptr_array_sort (report->refused, issue_compare);
  return g_steal_pointer (&report);
}
