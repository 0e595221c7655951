/* mw-demo-data.c: the DBMail schema and realistic sample data for the demo and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-demo-data"

#include "config.h"

#include <crypt.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "mw-core.h"
#include "mw-demo-data.h"
#include "mw-dbmail-store.h"

G_DEFINE_QUARK (mw-demo-data-error-quark, mw_demo_data_error)

#define RESOURCE_SQL        "/org/mailwarden/Mailwarden/sql/"
#define ROWS_PER_INSERT     50
#define MESSAGES_PER_COMMIT 150
/* All dates are relative to this moment, so a seed gives the same data on
 * any day. */
#define REFERENCE_TIME      "2025-11-20T09:30:00Z"
#define NEVER_LOGGED_IN     "1979-11-03 22:05:58"   /* DBMail's column default */
#define MISSING_USER_IDNR   "999999"

typedef struct
{
  const char *name;
  gint64      client_idnr;
  guint       weight;
  const char *display;   /* the Unicode form, for the sample texts */
} DemoDomain;

/* One group (client_idnr) per customer; example.org also hosts a subdomain.
 * bücher.example is stored in its ACE form, as DBMail gets it from the MTA. */
static const DemoDomain domains[] = {
  { "example.org",           0, 30, "example.org" },
  { "sub.example.org",       0, 10, "sub.example.org" },
  { "example.com",           1, 25, "example.com" },
  { "example.net",           2, 20, "example.net" },
  { "xn--bcher-kva.example", 3, 15, "bücher.example" },
};

typedef struct
{
  const char *display;
  const char *ascii;
} DemoName;

static const DemoName first_names[] = {
  { "Alice", "alice" }, { "Bob", "bob" }, { "Carla", "carla" }, { "David", "david" },
  { "Elena", "elena" }, { "Farid", "farid" }, { "Greta", "greta" }, { "Hiroshi", "hiroshi" },
  { "Ingrid", "ingrid" }, { "Jamal", "jamal" }, { "Katarzyna", "katarzyna" }, { "Lars", "lars" },
  { "Mei", "mei" }, { "Nikolai", "nikolai" }, { "Olivia", "olivia" }, { "Pedro", "pedro" },
  { "Quentin", "quentin" }, { "Rania", "rania" }, { "Sven", "sven" }, { "Tanja", "tanja" },
  { "Uwe", "uwe" }, { "Valérie", "valerie" }, { "Wei", "wei" }, { "Ximena", "ximena" },
  { "Yusuf", "yusuf" }, { "Zoë", "zoe" }, { "Amélie", "amelie" }, { "Björn", "bjoern" },
  { "Chloé", "chloe" }, { "Dörte", "doerte" }, { "Émile", "emile" }, { "François", "francois" },
  { "Jürgen", "juergen" }, { "Léa", "lea" }, { "Søren", "soeren" }, { "Ana", "ana" },
  { "Marco", "marco" }, { "Priya", "priya" }, { "Kwame", "kwame" }, { "Fatima", "fatima" },
  { "Tomás", "tomas" }, { "Noah", "noah" }, { "Emma", "emma" }, { "Lukas", "lukas" },
  { "Sofia", "sofia" }, { "Mateo", "mateo" }, { "Hannah", "hannah" }, { "Omar", "omar" },
};

static const DemoName last_names[] = {
  { "Smith", "smith" }, { "Müller", "mueller" }, { "García", "garcia" }, { "Rossi", "rossi" },
  { "Dubois", "dubois" }, { "Kowalski", "kowalski" }, { "Nakamura", "nakamura" },
  { "Johansson", "johansson" }, { "Novák", "novak" }, { "Schmidt", "schmidt" },
  { "Fernández", "fernandez" }, { "O'Brien", "obrien" }, { "Larsen", "larsen" },
  { "Weber", "weber" }, { "Petrov", "petrov" }, { "Silva", "silva" }, { "Jensen", "jensen" },
  { "Costa", "costa" }, { "Bianchi", "bianchi" }, { "Fischer", "fischer" }, { "Martin", "martin" },
  { "Bernard", "bernard" }, { "Andersen", "andersen" }, { "Kim", "kim" }, { "Chen", "chen" },
  { "Okafor", "okafor" }, { "Haddad", "haddad" }, { "Ivanova", "ivanova" },
  { "Lefèvre", "lefevre" }, { "Østergaard", "oestergaard" }, { "Nguyen", "nguyen" },
  { "Moreau", "moreau" }, { "Wagner", "wagner" }, { "Jäger", "jaeger" }, { "Suzuki", "suzuki" },
  { "Patel", "patel" }, { "Mensah", "mensah" }, { "Horvat", "horvat" },
  { "Papadopoulos", "papadopoulos" }, { "Yılmaz", "yilmaz" },
};

/* encryption_type values DBMail accepts (see DBMAIL-FACTS.md C); "crypt"
 * gets a modern $6$ hash, which DBMail verifies with crypt(3). */
static const struct
{
  const char *type;
  guint       weight;
} encryptions[] = {
  { "", 10 }, { "md5", 25 }, { "crypt", 20 }, { "sha1", 25 }, { "md5sum", 20 },
};

static const gint64 quotas[] = {
  0, 0, 0, 10 << 20, 25 << 20, 50 << 20, 100 << 20, 250 << 20, G_GINT64_CONSTANT (1) << 30,
  G_GINT64_CONSTANT (2) << 30,
};

static const struct
{
  const char *name;
  const char *address;
  const char *zone;
} outside_senders[] = {
  { "Shop Newsletter", "news@shop.example", "+0100" },
  { "Bank Notifications", "noreply@bank.example", "+0100" },
  { "GitLab", "gitlab@code.example", "+0000" },
  { "Conference Team", "team@events.example", "-0500" },
  { "Élodie Marchand", "elodie.marchand@partner.example", "+0100" },
  { "Kenji Watanabe", "kenji@tokyo.example", "+0900" },
};

static const char *const external_domains[] = { "gmail.example", "outlook.example", "home.example" };

static const char *const plain_subjects[] = {
  "Lunch on Friday?", "Quarterly report", "Server maintenance window on Saturday",
  "Minutes of the team meeting", "Travel plans for the conference", "Your password expires soon",
  "New office hours", "Draft contract for review", "Holiday schedule", "Printer on the 2nd floor",
  "Budget 2026", "Welcome to the team!", "Invoice 2025-1187", "Backup finished",
};

static const char *const utf8_subjects[] = {
  "Réunion de lundi", "Grüße aus München", "Счёт на оплату", "Café ☕ at 10?", "Ünïcödé test",
};

static const char *const latin1_bodies[] = {
  "Bonjour,\n\nla réunion de lundi est déplacée à 14 h dans la salle « Étoile ».\n"
  "Merci de préparer vos chiffres ; le café sera servi.\n\nÀ bientôt,\n",
  "Hallo zusammen,\n\ndie Übergabe der Schlüssel findet am Dienstag statt. Bitte "
  "bringt eure Ausweise mit, die Straße vor dem Gebäude ist gesperrt.\n\nViele Grüße\n",
  "Hola,\n\nadjunto la información del año pasado. ¿Podéis revisarla antes del viernes?\n"
  "La señora Núñez también está invitada.\n\nSaludos,\n",
};

static const char *const paragraphs[] = {
  "Thanks for the quick reply. I have looked at the numbers again and they add up now.",
  "Could you send me the latest version before the end of the week? The customer is waiting.",
  "The maintenance will start at 22:00 and should take about two hours. Mail may be delayed.",
  "Please find the details below. Let me know if anything is missing or unclear.",
  "I agree with the proposal, but we should double-check the dates with the other team.",
  "As discussed on the phone, here is a short summary of what we decided.",
  "The new schedule is online. Nothing changes for the morning shift.",
  "Reminder: the office is closed on Monday. Urgent requests go to the service desk.",
};

/* A 1x1 transparent PNG: the same logo in many messages, stored once. */
static const guint8 logo_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
  0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
  0xae, 0x42, 0x60, 0x82,
};

typedef struct
{
  const DemoName   *first;
  const DemoName   *last;
  const DemoDomain *domain;
  char             *userid;
  char             *address;      /* the primary alias */
  const char       *encryption;
  char             *passwd;
  gint64            quota;
  gboolean          active;
  char             *last_login;
  gint64            id;
  GPtrArray        *mailbox_names;
  GHashTable       *mailboxes;    /* name -> gint64 * */
} DemoUser;

typedef struct
{
  MwDb       *db;
  MwDbDriver  driver;
  GRand      *rand;
  GDateTime  *now;
  GPtrArray  *users;            /* DemoUser */
  GHashTable *taken;            /* lower-case user ids and aliases */
  gint64      anyone_idnr;
  gint64      public_idnr;
  gint64      public_mailbox;
  guint       uncommitted;
  guint       n_messages;
  GPtrArray  *message_ids;      /* Message-IDs to reply to */
} Demo;

static void
demo_user_free (gpointer data)
{
  DemoUser *user = data;

  g_free (user->userid);
  g_free (user->address);
  g_free (user->passwd);
  g_free (user->last_login);
  g_clear_pointer (&user->mailbox_names, g_ptr_array_unref);
  g_clear_pointer (&user->mailboxes, g_hash_table_unref);
  g_free (user);
}

/* ------------------------------------------------------------------------ */
/* Schema                                                                   */
/* ------------------------------------------------------------------------ */

gboolean
mw_demo_load_schema (MwDb     *db,
                     GError  **error)
{
  const char *path;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sql = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  mw_core_init ();
  path = mw_db_get_driver (db) == MW_DB_DRIVER_PGSQL ? RESOURCE_SQL "pgsql/dbmail.sql"
                                                      : RESOURCE_SQL "mysql/dbmail.sql";
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, MW_DEMO_DATA_ERROR, MW_DEMO_DATA_ERROR_NO_SCHEMA,
                   _("The DBMail schema file is missing from this build (%s): %s"),
                   path, local_error->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &size);
  sql = g_strndup (data, size);
  return mw_db_exec_script (db, sql, error);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static gboolean
chance (Demo *demo,
        guint percent)
{
  return (guint) g_rand_int_range (demo->rand, 0, 100) < percent;
}

static guint
pick (Demo *demo,
      guint n)
{
  return (guint) g_rand_int_range (demo->rand, 0, (gint32) n);
}

static gboolean
exec_sql (Demo             *demo,
          const char       *sql,
          const MwDbValue  *params,
          guint             n_params,
          GError          **error)
{
  g_autoptr(MwDbResult) result = mw_db_exec (demo->db, sql, params, n_params, NULL, error);

  return result != NULL;
}

static char *
format_stamp (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);

  return g_date_time_format (utc, "%Y-%m-%d %H:%M:%S");
}

/* A moment up to max_days before the reference time. */
static GDateTime *
random_past (Demo  *demo,
             guint  max_days)
{
  gint64 seconds = (gint64) g_rand_int_range (demo->rand, 60, (gint32) (max_days * 86400 + 61));

  return g_date_time_add_seconds (demo->now, (gdouble) -seconds);
}

/* Rows for one INSERT ... VALUES (...), (...) at a time. */
typedef struct
{
  const char *head;       /* "INSERT INTO {t} (a, b) VALUES " */
  guint       n_cols;
  GArray     *values;     /* MwDbValue pointing into strings */
  GPtrArray  *strings;
  guint       n_rows;
} RowBatch;

static void
batch_init (RowBatch   *batch,
            const char *head,
            guint       n_cols)
{
  batch->head = head;
  batch->n_cols = n_cols;
  batch->values = g_array_new (FALSE, FALSE, sizeof (MwDbValue));
  batch->strings = g_ptr_array_new_with_free_func (g_free);
  batch->n_rows = 0;
}

static void
batch_clear (RowBatch *batch)
{
  g_clear_pointer (&batch->values, g_array_unref);
  g_clear_pointer (&batch->strings, g_ptr_array_unref);
}

static gboolean
batch_flush (Demo      *demo,
             RowBatch  *batch,
             GError   **error)
{
  g_autoptr(GString) sql = NULL;
  gboolean ok;

  if (batch->n_rows == 0)
    return TRUE;
  sql = g_string_new (batch->head);
  for (guint r = 0; r < batch->n_rows; r++)
    {
      g_string_append (sql, r == 0 ? "(" : ", (");
      for (guint c = 0; c < batch->n_cols; c++)
        g_string_append_printf (sql, c == 0 ? "$%u" : ", $%u", r * batch->n_cols + c + 1);
      g_string_append_c (sql, ')');
    }
  ok = exec_sql (demo, sql->str, (const MwDbValue *) batch->values->data, batch->values->len, error);
  g_array_set_size (batch->values, 0);
  g_ptr_array_set_size (batch->strings, 0);
  batch->n_rows = 0;
  return ok;
}

static gboolean
batch_add (Demo             *demo,
           RowBatch         *batch,
           const MwDbValue  *row,
           GError          **error)
{
  for (guint c = 0; c < batch->n_cols; c++)
    {
      MwDbValue v = row[c];

      if ((v.type == MW_DB_TYPE_TEXT || v.type == MW_DB_TYPE_TIMESTAMP) && v.v.s != NULL)
        {
          char *copy = g_strdup (v.v.s);

          g_ptr_array_add (batch->strings, copy);
          v.v.s = copy;
        }
      g_array_append_val (batch->values, v);
    }
  batch->n_rows++;
  return batch->n_rows < ROWS_PER_INSERT || batch_flush (demo, batch, error);
}

/* ------------------------------------------------------------------------ */
/* Passwords                                                                */
/* ------------------------------------------------------------------------ */

/* What dbmail-users -p TYPE -w demo would store (DBMAIL-FACTS.md C), with
 * salts from the seeded generator instead of time and pid. */
static char *
hash_password (Demo        *demo,
               const char  *type,
               const char  *password,
               GError     **error)
{
  const char *prefix;
  char entropy[16];
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  g_autofree struct crypt_data *data = NULL;
  const char *hash;

  if (type[0] == '\0')
    return g_strdup (password);
  if (g_str_equal (type, "md5sum"))
    return g_compute_checksum_for_string (G_CHECKSUM_MD5, password, -1);
  if (g_str_equal (type, "sha1"))
    return g_compute_checksum_for_string (G_CHECKSUM_SHA1, password, -1);

  prefix = g_str_equal (type, "md5") ? "$1$" : "$6$";
  for (guint i = 0; i < sizeof entropy; i++)
    entropy[i] = (char) g_rand_int_range (demo->rand, 0, 256);
  data = g_new0 (struct crypt_data, 1);
  if (crypt_gensalt_rn (prefix, 0, entropy, sizeof entropy, setting, sizeof setting) == NULL ||
      (hash = crypt_rn (password, setting, data, sizeof *data)) == NULL || hash[0] == '*')
    {
      g_set_error (error, MW_DEMO_DATA_ERROR, MW_DEMO_DATA_ERROR_FAILED,
                   _("The system's crypt library cannot make “%s” password hashes."), prefix);
      return NULL;
    }
  return g_strdup (hash);
}

/* ------------------------------------------------------------------------ */
/* Users, aliases, mailboxes                                                */
/* ------------------------------------------------------------------------ */

static gboolean
take_name (Demo       *demo,
           const char *name)
{
  return g_hash_table_add (demo->taken, g_ascii_strdown (name, -1));
}

static const DemoDomain *
pick_domain (Demo *demo,
             guint index)
{
  guint total = 0;
  guint r;

  /* The first users cover every domain. */
  if (index < G_N_ELEMENTS (domains))
    return &domains[index];
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    total += domains[i].weight;
  r = pick (demo, total);
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      if (r < domains[i].weight)
        return &domains[i];
      r -= domains[i].weight;
    }
  return &domains[0];
}

static const char *
pick_encryption (Demo *demo,
                 guint index)
{
  guint total = 0;
  guint r;

  if (index < G_N_ELEMENTS (encryptions))
    return encryptions[index].type;
  for (guint i = 0; i < G_N_ELEMENTS (encryptions); i++)
    total += encryptions[i].weight;
  r = pick (demo, total);
  for (guint i = 0; i < G_N_ELEMENTS (encryptions); i++)
    {
      if (r < encryptions[i].weight)
        return encryptions[i].type;
      r -= encryptions[i].weight;
    }
  return "";
}

static void
add_mailbox_name (DemoUser   *user,
                  const char *name)
{
  g_ptr_array_add (user->mailbox_names, (gpointer) name);
}

static DemoUser *
make_user (Demo    *demo,
           guint    index,
           GError **error)
{
  DemoUser *user = g_new0 (DemoUser, 1);
  g_autofree char *local = NULL;
  g_autofree char *address = NULL;
  guint form = pick (demo, 100);

  user->first = &first_names[pick (demo, G_N_ELEMENTS (first_names))];
  user->last = &last_names[pick (demo, G_N_ELEMENTS (last_names))];
  user->domain = pick_domain (demo, index);

  local = g_strdup_printf ("%s.%s", user->first->ascii, user->last->ascii);
  address = g_strdup_printf ("%s@%s", local, user->domain->name);
  for (guint n = 2; !take_name (demo, address); n++)
    {
      g_free (address);
      address = g_strdup_printf ("%s%u@%s", local, n, user->domain->name);
    }
  user->address = g_steal_pointer (&address);

  /* Most sites log in with the address; some with a short login name. */
  if (form < 65 || index == 0)
    user->userid = g_strdup (user->address);
  else
    {
      g_autofree char *base = form < 85 ? g_strdup_printf ("%c%s", user->first->ascii[0], user->last->ascii)
                                        : g_strdup (local);

      user->userid = g_strdup (base);
      for (guint n = 2; !take_name (demo, user->userid); n++)
        {
          g_free (user->userid);
          user->userid = g_strdup_printf ("%s%u", base, n);
        }
    }

  user->encryption = pick_encryption (demo, index);
  user->passwd = hash_password (demo, user->encryption, MW_DEMO_PASSWORD, error);
  if (user->passwd == NULL)
    {
      demo_user_free (user);
      return NULL;
    }
  user->quota = quotas[pick (demo, G_N_ELEMENTS (quotas))];
  user->active = index < 4 || !chance (demo, 6);
  if (index > 0 && chance (demo, 15))
    user->last_login = g_strdup (NEVER_LOGGED_IN);
  else
    {
      g_autoptr(GDateTime) when = random_past (demo, 400);

      user->last_login = format_stamp (when);
    }

  user->mailbox_names = g_ptr_array_new ();
  user->mailboxes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  add_mailbox_name (user, "INBOX");
  add_mailbox_name (user, "Sent");
  add_mailbox_name (user, "Trash");
  if (chance (demo, 50))
    add_mailbox_name (user, "Drafts");
  if (index == 0 || chance (demo, 25))
    {
      /* IMAP CREATE Archive/2025 also creates Archive. */
      add_mailbox_name (user, "Archive");
      add_mailbox_name (user, "Archive/2025");
    }
  if (index == 1 || chance (demo, 10))
    add_mailbox_name (user, "&AMk-t&AOk-");   /* "Été" in modified UTF-7 */
  if (chance (demo, 8))
    {
      add_mailbox_name (user, "Lists");
      add_mailbox_name (user, "Lists/dbmail");
    }
  return user;
}

static gboolean
insert_users (Demo    *demo,
              GError **error)
{
  RowBatch batch;
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GHashTable) by_userid = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = TRUE;

  batch_init (&batch, "INSERT INTO {users} (userid, passwd, client_idnr, maxmail_size, encryption_type, "
                      "last_login, active) VALUES ", 7);
  for (guint i = 0; i < demo->users->len && ok; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);
      MwDbValue row[] = {
        MW_DB_TEXT (user->userid), MW_DB_TEXT (user->passwd), MW_DB_INT64 (user->domain->client_idnr),
        MW_DB_INT64 (user->quota), MW_DB_TEXT (user->encryption), MW_DB_TIMESTAMP (user->last_login),
        MW_DB_INT64 (user->active ? 1 : 0),
      };

      ok = batch_add (demo, &batch, row, error);
      g_hash_table_insert (by_userid, user->userid, user);
    }
  ok = ok && batch_flush (demo, &batch, error);
  batch_clear (&batch);
  if (!ok)
    return FALSE;

  result = mw_db_exec (demo->db, "SELECT user_idnr, userid FROM {users}", NULL, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    {
      DemoUser *user = g_hash_table_lookup (by_userid, mw_db_result_get_string (result, row, 1));

      if (user != NULL)
        user->id = mw_db_result_get_int64 (result, row, 0);
    }
  for (guint i = 0; i < demo->users->len; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);

      if (user->id == 0)
        {
          g_set_error (error, MW_DEMO_DATA_ERROR, MW_DEMO_DATA_ERROR_FAILED,
                       _("The new user “%s” was not found after inserting it."), user->userid);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
add_alias (Demo        *demo,
           RowBatch    *batch,
           const char  *alias,
           const char  *deliver_to,
           gint64       client_idnr,
           GError     **error)
{
  MwDbValue row[] = { MW_DB_TEXT (alias), MW_DB_TEXT (deliver_to), MW_DB_INT64 (client_idnr) };

  return batch_add (demo, batch, row, error);
}

static DemoUser *
user_in_domain (Demo       *demo,
                const char *domain,
                guint       skip)
{
  for (guint i = 0; i < demo->users->len; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);

      if (g_str_equal (user->domain->name, domain) && user->active && skip-- == 0)
        return user;
    }
  return g_ptr_array_index (demo->users, 0);
}

static char *
idnr_text (DemoUser *user)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
}

static gboolean
insert_aliases (Demo    *demo,
                GError **error)
{
  RowBatch batch;
  gboolean ok = TRUE;
  DemoUser *admin = g_ptr_array_index (demo->users, 0);

  batch_init (&batch, "INSERT INTO {aliases} (alias, deliver_to, client_idnr) VALUES ", 3);

  for (guint i = 0; i < demo->users->len && ok; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);
      g_autofree char *idnr = idnr_text (user);

      /* dbmail-users -s: deliver_to = user_idnr, client_idnr = the user's */
      ok = add_alias (demo, &batch, user->address, idnr, user->domain->client_idnr, error);

      if (ok && chance (demo, 25))
        {
          g_autofree char *second = g_strdup_printf ("%s@%s", user->first->ascii, user->domain->name);

          if (!take_name (demo, second))
            {
              g_free (second);
              second = g_strdup_printf ("%c.%s@%s", user->first->ascii[0], user->last->ascii,
                                        user->domain->name);
              if (!take_name (demo, second))
                g_clear_pointer (&second, g_free);
            }
          if (second != NULL)
            ok = add_alias (demo, &batch, second, idnr, user->domain->client_idnr, error);
        }

      /* a forward hanging off the user's own address: a copy goes outside */
      if (ok && i > 0 && chance (demo, 5))
        {
          g_autofree char *outside = g_strdup_printf ("%s.%s@%s", user->first->ascii, user->last->ascii,
                                                      external_domains[pick (demo, G_N_ELEMENTS (external_domains))]);

          ok = add_alias (demo, &batch, user->address, outside, 0, error);
        }
    }

  if (ok)
    {
      DemoUser *com = user_in_domain (demo, "example.com", 0);
      DemoUser *net = user_in_domain (demo, "example.net", 0);
      DemoUser *sub = user_in_domain (demo, "sub.example.org", 0);
      g_autofree char *admin_id = idnr_text (admin);
      g_autofree char *com_id = idnr_text (com);
      g_autofree char *net_id = idnr_text (net);
      g_autofree char *sub_id = idnr_text (sub);
      const struct
      {
        const char *alias;
        const char *deliver_to;
        gint64      client_idnr;
      } extra[] = {
        /* a pure forward with fan-out, one copy staying inside */
        { "sales@example.com", "sales-team@crm.example", 0 },
        { "sales@example.com", "pipeline@crm.example", 0 },
        { "sales@example.com", com_id, 1 },
        /* alias -> alias -> alias */
        { "info@example.org", "sales@example.com", 0 },
        { "contact@example.org", "info@example.org", 0 },
        /* delivery into a program */
        { "bugs@example.org", "|/usr/bin/procmail", 0 },
        { "abuse@example.org", admin_id, 0 },
        { "Help@Example.COM", com_id, 1 },
        /* catch-alls: a whole domain, every subdomain, a local part anywhere */
        { "@example.net", net_id, 2 },
        { "@.sub.example.org", sub_id, 0 },
        { "postmaster@", admin_id, 0 },
        /* points at a user that was deleted long ago */
        { "former.employee@example.com", MISSING_USER_IDNR, 1 },
      };

      for (guint i = 0; i < G_N_ELEMENTS (extra) && ok; i++)
        ok = add_alias (demo, &batch, extra[i].alias, extra[i].deliver_to, extra[i].client_idnr, error);
    }

  ok = ok && batch_flush (demo, &batch, error);
  batch_clear (&batch);
  return ok;
}

static gint64
mailbox_of (DemoUser   *user,
            const char *name)
{
  gint64 *id = g_hash_table_lookup (user->mailboxes, name);

  return id != NULL ? *id : 0;
}

static gboolean
insert_mailboxes (Demo    *demo,
                  GError **error)
{
  RowBatch batch;
  RowBatch subs;
  g_autoptr(MwDbResult) result = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean ok = TRUE;

  batch_init (&batch, "INSERT INTO {mailboxes} (owner_idnr, name) VALUES ", 2);
  for (guint i = 0; i < demo->users->len && ok; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);

      g_hash_table_insert (by_id, &user->id, user);
      for (guint j = 0; j < user->mailbox_names->len && ok; j++)
        {
          MwDbValue row[] = { MW_DB_INT64 (user->id), MW_DB_TEXT (g_ptr_array_index (user->mailbox_names, j)) };

          ok = batch_add (demo, &batch, row, error);
        }
    }
  /* The shared folder everybody sees as #Public/Announcements. */
  if (ok)
    {
      MwDbValue row[] = { MW_DB_INT64 (demo->public_idnr), MW_DB_TEXT ("Announcements") };

      ok = batch_add (demo, &batch, row, error);
    }
  ok = ok && batch_flush (demo, &batch, error);
  batch_clear (&batch);
  if (!ok)
    return FALSE;

  result = mw_db_exec (demo->db, "SELECT mailbox_idnr, owner_idnr, name FROM {mailboxes}", NULL, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    {
      gint64 owner = mw_db_result_get_int64 (result, row, 1);
      DemoUser *user = g_hash_table_lookup (by_id, &owner);
      gint64 *id = g_new (gint64, 1);

      *id = mw_db_result_get_int64 (result, row, 0);
      if (user != NULL)
        g_hash_table_insert (user->mailboxes, g_strdup (mw_db_result_get_string (result, row, 2)), id);
      else
        {
          if (owner == demo->public_idnr &&
              g_str_equal (mw_db_result_get_string (result, row, 2), "Announcements"))
            demo->public_mailbox = *id;
          g_free (id);
        }
    }

  /* Most IMAP clients subscribe to what they create. */
  batch_init (&subs, "INSERT INTO {subscription} (user_id, mailbox_id) VALUES ", 2);
  for (guint i = 0; i < demo->users->len && ok; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);

      if (!chance (demo, 70))
        continue;
      for (guint j = 0; j < user->mailbox_names->len && ok; j++)
        {
          MwDbValue row[] = {
            MW_DB_INT64 (user->id), MW_DB_INT64 (mailbox_of (user, g_ptr_array_index (user->mailbox_names, j))),
          };

          ok = batch_add (demo, &subs, row, error);
        }
    }
  ok = ok && batch_flush (demo, &subs, error);
  batch_clear (&subs);
  return ok;
}

static gboolean
insert_sharing_and_settings (Demo    *demo,
                             GError **error)
{
  DemoUser *owner = g_ptr_array_index (demo->users, 0);
  DemoUser *guest = g_ptr_array_index (demo->users, MIN (1, demo->users->len - 1));
  RowBatch batch;
  gboolean ok = TRUE;

  /* #Public/Announcements: anyone may look and read (SETACL anyone lrs). */
  {
    MwDbValue params[] = { MW_DB_INT64 (demo->anyone_idnr), MW_DB_INT64 (demo->public_mailbox) };

    if (!exec_sql (demo, "INSERT INTO {acl} (user_id, mailbox_id, lookup_flag, read_flag, seen_flag) "
                         "VALUES ($1, $2, 1, 1, 1)", params, 2, error))
      return FALSE;
  }

  /* The admin shares the archive with a colleague (lrswi), who sees it as
   * #Users/<admin>/Archive. */
  if (guest != owner)
    {
      MwDbValue params[] = { MW_DB_INT64 (guest->id), MW_DB_INT64 (mailbox_of (owner, "Archive")) };

      if (!exec_sql (demo, "INSERT INTO {acl} (user_id, mailbox_id, lookup_flag, read_flag, seen_flag, "
                           "write_flag, insert_flag) VALUES ($1, $2, 1, 1, 1, 1, 1)", params, 2, error))
        return FALSE;
    }

  batch_init (&batch, "INSERT INTO {sievescripts} (owner_idnr, name, script, active) VALUES ", 4);
  for (guint i = 0; i < demo->users->len && ok; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);

      if (i != 0 && !chance (demo, 5))
        continue;
      {
        MwDbValue row[] = {
          MW_DB_INT64 (user->id), MW_DB_TEXT ("main"),
          MW_DB_TEXT ("require [\"fileinto\"];\n"
                      "if header :contains \"List-Id\" \"dbmail\" {\n"
                      "  fileinto \"Lists/dbmail\";\n"
                      "}\n"),
          MW_DB_INT64 (1),
        };

        ok = batch_add (demo, &batch, row, error);
      }
      if (ok && i == 0)
        {
          MwDbValue row[] = {
            MW_DB_INT64 (user->id), MW_DB_TEXT ("vacation"),
            MW_DB_TEXT ("require [\"vacation\"];\n"
                        "vacation :days 7 :subject \"Out of office\" \"I am away until Monday.\";\n"),
            MW_DB_INT64 (0),
          };

          ok = batch_add (demo, &batch, row, error);
        }
    }
  ok = ok && batch_flush (demo, &batch, error);
  batch_clear (&batch);
  if (!ok)
    return FALSE;

  batch_init (&batch, "INSERT INTO {auto_replies} (user_idnr, start_date, stop_date, reply_body) VALUES ", 4);
  for (guint i = 1; i < demo->users->len && ok; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) stop = NULL;
      g_autofree char *start_text = NULL;
      g_autofree char *stop_text = NULL;
      g_autofree char *body = NULL;

      if (!chance (demo, 3))
        continue;
      start = g_date_time_add_days (demo->now, -(gint) pick (demo, 10));
      stop = g_date_time_add_days (demo->now, 3 + (gint) pick (demo, 20));
      start_text = format_stamp (start);
      stop_text = format_stamp (stop);
      body = g_strdup_printf ("Hello,\n\nI am out of the office and will answer when I am back.\n\n%s %s\n",
                              user->first->display, user->last->display);
      {
        MwDbValue row[] = {
          MW_DB_INT64 (user->id), MW_DB_TIMESTAMP (start_text), MW_DB_TIMESTAMP (stop_text), MW_DB_TEXT (body),
        };

        ok = batch_add (demo, &batch, row, error);
      }
    }
  ok = ok && batch_flush (demo, &batch, error);
  batch_clear (&batch);
  if (!ok)
    return FALSE;

  batch_init (&batch, "INSERT INTO {auto_notifications} (user_idnr, notify_address) VALUES ", 2);
  for (guint i = 1; i < demo->users->len && ok; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);
      g_autofree char *address = NULL;

      if (!chance (demo, 3))
        continue;
      address = g_strdup_printf ("%s@sms.phone.example", user->first->ascii);
      {
        MwDbValue row[] = { MW_DB_INT64 (user->id), MW_DB_TEXT (address) };

        ok = batch_add (demo, &batch, row, error);
      }
    }
  ok = ok && batch_flush (demo, &batch, error);
  batch_clear (&batch);
  if (!ok)
    return FALSE;

  /* Simple server-side filing rules (doc/README.filters). */
  {
    MwDbValue params[] = { MW_DB_INT64 (owner->id) };

    return exec_sql (demo, "INSERT INTO {filters} (user_id, headername, headervalue, mailbox) VALUES "
                           "($1, 'subject', '%invoice%', 'Archive'), ($1, 'from', '%@bank.example%', 'Archive/2025')",
                     params, 1, error);
  }
}

/* ------------------------------------------------------------------------ */
/* Messages                                                                 */
/* ------------------------------------------------------------------------ */

/* An RFC 2047 phrase or text: plain when ASCII, Q- or B-encoded otherwise. */
static char *
encode_words (Demo       *demo,
              const char *utf8,
              gboolean    prefer_latin1)
{
  gboolean ascii = TRUE;
  g_autofree char *latin1 = NULL;
  GString *out;
  const char *charset = "UTF-8";
  const char *bytes = utf8;

  for (const char *p = utf8; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      ascii = FALSE;
  if (ascii)
    return g_strdup (utf8);

  if (prefer_latin1)
    latin1 = g_convert (utf8, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
  if (latin1 != NULL)
    {
      charset = "ISO-8859-1";
      bytes = latin1;
    }

  if (latin1 == NULL && chance (demo, 50))
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) bytes, strlen (bytes));

      return g_strdup_printf ("=?%s?B?%s?=", charset, b64);
    }

  out = g_string_new (NULL);
  g_string_append_printf (out, "=?%s?Q?", charset);
  for (const char *p = bytes; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == ' ')
        g_string_append_c (out, '_');
      else if (g_ascii_isalnum (c) || c == '.' || c == '-' || c == '!')
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "=%02X", c);
    }
  g_string_append (out, "?=");
  return g_string_free (out, FALSE);
}

static char *
format_address (Demo       *demo,
                const char *display,
                const char *address)
{
  g_autofree char *phrase = encode_words (demo, display, FALSE);

  if (g_str_equal (phrase, display) && strpbrk (display, "'.,\"") != NULL)
    return g_strdup_printf ("\"%s\" <%s>", display, address);
  return g_strdup_printf ("%s <%s>", phrase, address);
}

/* zone: "+hhmm" or "-hhmm" */
static char *
format_date (GDateTime  *when,
             const char *zone)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  int hours = (zone[1] - '0') * 10 + (zone[2] - '0');
  int minutes = (zone[3] - '0') * 10 + (zone[4] - '0');
  int offset = (hours * 3600 + minutes * 60) * (zone[0] == '-' ? -1 : 1);
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (offset);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (when, tz);
  g_autofree char *clock = g_date_time_format (local, "%H:%M:%S %z");

  return g_strdup_printf ("%s, %02d %s %04d %s", days[g_date_time_get_day_of_week (local) - 1],
                          g_date_time_get_day_of_month (local), months[g_date_time_get_month (local) - 1],
                          g_date_time_get_year (local), clock);
}

static void
append_wrapped_base64 (GString      *out,
                       const guint8 *data,
                       gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  gsize n = strlen (b64);

  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, b64 + i, (gssize) MIN (76, n - i));
      g_string_append_c (out, '\n');
    }
}

/* Quoted-printable (RFC 2045) with soft line breaks at 76 columns. */
static void
append_quoted_printable (GString    *out,
                         const char *bytes)
{
  guint column = 0;

  for (const char *p = bytes; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      char piece[4];

      if (c == '\n')
        {
          g_string_append_c (out, '\n');
          column = 0;
          continue;
        }
      if ((c >= 33 && c <= 126 && c != '=') || (c == ' ' && p[1] != '\n' && p[1] != '\0'))
        g_snprintf (piece, sizeof piece, "%c", c);
      else
        g_snprintf (piece, sizeof piece, "=%02X", c);
      if (column + strlen (piece) > 75)
        {
          g_string_append (out, "=\n");
          column = 0;
        }
      g_string_append (out, piece);
      column += (guint) strlen (piece);
    }
}

static void
append_paragraphs (Demo    *demo,
                   GString *out,
                   guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, paragraphs[pick (demo, G_N_ELEMENTS (paragraphs))]);
      g_string_append (out, "\n\n");
    }
}

typedef enum
{
  KIND_PLAIN,
  KIND_ATTACHMENT,
  KIND_LATIN1_QP,
  KIND_ENCODED_SUBJECT,
  KIND_ALTERNATIVE,
  KIND_REPLY,
} MessageKind;

static MessageKind
pick_kind (Demo *demo)
{
  guint r = pick (demo, 100);

  if (r < 35)
    return KIND_PLAIN;
  if (r < 52)
    return KIND_ATTACHMENT;
  if (r < 62)
    return KIND_LATIN1_QP;
  if (r < 74)
    return KIND_ENCODED_SUBJECT;
  if (r < 86)
    return KIND_ALTERNATIVE;
  return KIND_REPLY;
}

static char *
make_boundary (Demo *demo)
{
  return g_strdup_printf ("----=_Part_%u_%u.%u", pick (demo, 100000), g_rand_int (demo->rand),
                          pick (demo, 1000000));
}

/* A believable message from sender to recipient at the given time. */
static GBytes *
compose_message (Demo        *demo,
                 const char  *from,       /* "Name <addr>" */
                 const char  *from_addr,
                 const char  *to,
                 const char  *to_addr,
                 const char  *zone,
                 GDateTime   *when,
                 MessageKind  kind)
{
  GString *m = g_string_new (NULL);
  g_autofree char *date = format_date (when, zone);
  g_autofree char *message_id = g_strdup_printf ("%" G_GINT64_FORMAT ".%08x@%s", g_date_time_to_unix (when),
                                                 g_rand_int (demo->rand), strchr (from_addr, '@') + 1);
  g_autofree char *subject = NULL;
  const char *in_reply_to = NULL;
  g_autofree char *boundary = make_boundary (demo);

  switch (kind)
    {
    case KIND_ENCODED_SUBJECT:
      subject = encode_words (demo, utf8_subjects[pick (demo, G_N_ELEMENTS (utf8_subjects))], chance (demo, 40));
      break;
    case KIND_REPLY:
      if (demo->message_ids->len > 0)
        in_reply_to = g_ptr_array_index (demo->message_ids, pick (demo, demo->message_ids->len));
      subject = g_strdup_printf ("Re: %s", plain_subjects[pick (demo, G_N_ELEMENTS (plain_subjects))]);
      break;
    default:
      subject = g_strdup (plain_subjects[pick (demo, G_N_ELEMENTS (plain_subjects))]);
      break;
    }

  g_string_append_printf (m, "Return-Path: <%s>\n", from_addr);
  g_string_append_printf (m, "Received: from mail.%s (mail.%s [192.0.2.%u])\n"
                             "\tby mx1.example.org (Postfix) with ESMTPS id %08X\n"
                             "\tfor <%s>; %s\n",
                          strchr (from_addr, '@') + 1, strchr (from_addr, '@') + 1, pick (demo, 250) + 2,
                          g_rand_int (demo->rand), to_addr, date);
  g_string_append_printf (m, "From: %s\n", from);
  g_string_append_printf (m, "To: %s\n", to);
  if (chance (demo, 10))
    g_string_append_printf (m, "Cc: %s\n", "Team <team@example.org>");
  g_string_append_printf (m, "Subject: %s\n", subject);
  g_string_append_printf (m, "Date: %s\n", date);
  g_string_append_printf (m, "Message-ID: <%s>\n", message_id);
  if (in_reply_to != NULL)
    g_string_append_printf (m, "In-Reply-To: <%s>\nReferences: <%s>\n", in_reply_to, in_reply_to);
  g_string_append (m, "MIME-Version: 1.0\n");

  switch (kind)
    {
    case KIND_ATTACHMENT:
      {
        g_autoptr(GString) csv = g_string_new ("date;item;amount\n");

        for (guint i = 0; i < 3 + pick (demo, 6); i++)
          g_string_append_printf (csv, "2025-%02u-%02u;item %u;%u.%02u\n", 1 + pick (demo, 11), 1 + pick (demo, 28),
                                  i + 1, pick (demo, 900), pick (demo, 100));
        g_string_append_printf (m, "Content-Type: multipart/mixed;\n\tboundary=\"%s\"\n\n", boundary);
        g_string_append (m, "This is a multi-part message in MIME format.\n\n");
        g_string_append_printf (m, "--%s\nContent-Type: text/plain; charset=utf-8\n"
                                   "Content-Transfer-Encoding: 7bit\n\n", boundary);
        append_paragraphs (demo, m, 1 + pick (demo, 2));
        g_string_append_printf (m, "--%s\nContent-Type: text/csv; name=\"report.csv\"\n"
                                   "Content-Disposition: attachment; filename=\"report.csv\"\n"
                                   "Content-Transfer-Encoding: base64\n\n", boundary);
        append_wrapped_base64 (m, (const guint8 *) csv->str, csv->len);
        g_string_append_printf (m, "\n--%s\nContent-Type: image/png; name=\"logo.png\"\n"
                                   "Content-Disposition: inline; filename=\"logo.png\"\n"
                                   "Content-ID: <logo@example.org>\n"
                                   "Content-Transfer-Encoding: base64\n\n", boundary);
        append_wrapped_base64 (m, logo_png, sizeof logo_png);
        g_string_append_printf (m, "\n--%s--\n", boundary);
      }
      break;

    case KIND_LATIN1_QP:
      {
        const char *text = latin1_bodies[pick (demo, G_N_ELEMENTS (latin1_bodies))];
        g_autofree char *latin1 = g_convert (text, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);

        g_string_append (m, "Content-Type: text/plain; charset=ISO-8859-1\n"
                            "Content-Transfer-Encoding: quoted-printable\n\n");
        append_quoted_printable (m, latin1 != NULL ? latin1 : text);
      }
      break;

    case KIND_ALTERNATIVE:
      {
        g_autofree char *inner = make_boundary (demo);
        g_autoptr(GString) text = g_string_new (NULL);

        append_paragraphs (demo, text, 2);
        g_string_append_printf (m, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n", boundary);
        g_string_append_printf (m, "--%s\nContent-Type: multipart/alternative; boundary=\"%s\"\n\n", boundary, inner);
        g_string_append_printf (m, "--%s\nContent-Type: text/plain; charset=utf-8\n"
                                   "Content-Transfer-Encoding: quoted-printable\n\n", inner);
        append_quoted_printable (m, text->str);
        g_string_append_printf (m, "\n--%s\nContent-Type: text/html; charset=utf-8\n"
                                   "Content-Transfer-Encoding: 7bit\n\n"
                                   "<html><body><p>%s</p><p><img src=\"cid:logo@example.org\"></p></body></html>\n",
                                inner, paragraphs[pick (demo, G_N_ELEMENTS (paragraphs))]);
        g_string_append_printf (m, "\n--%s--\n\n--%s\nContent-Type: image/png\n"
                                   "Content-ID: <logo@example.org>\n"
                                   "Content-Transfer-Encoding: base64\n\n", inner, boundary);
        append_wrapped_base64 (m, logo_png, sizeof logo_png);
        g_string_append_printf (m, "\n--%s--\n", boundary);
      }
      break;

    case KIND_ENCODED_SUBJECT:
      g_string_append (m, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
      g_string_append (m, "Bonjour, ça va ? Grüße, Привет, こんにちは.\n\n");
      append_paragraphs (demo, m, 1);
      break;

    case KIND_REPLY:
    case KIND_PLAIN:
    default:
      g_string_append (m, "Content-Type: text/plain; charset=us-ascii; format=flowed\n"
                          "Content-Transfer-Encoding: 7bit\n\n");
      g_string_append (m, "Hello,\n\n");
      append_paragraphs (demo, m, 1 + pick (demo, 3));
      if (kind == KIND_REPLY)
        g_string_append (m, "> On the earlier message you wrote:\n> Can we talk about this tomorrow?\n\n");
      g_string_append (m, "Best regards\n");
      break;
    }

  if (demo->message_ids->len < 500)
    g_ptr_array_add (demo->message_ids, g_strdup (message_id));
  return g_string_free_to_bytes (m);
}

static gboolean
commit_batch (Demo     *demo,
              gboolean  reopen,
              GError  **error)
{
  if (!mw_db_commit (demo->db, error))
    return FALSE;
  demo->uncommitted = 0;
  return !reopen || mw_db_begin (demo->db, error);
}

static gboolean
deliver_one (Demo        *demo,
             DemoUser    *user,
             const char  *mailbox,
             gboolean     outgoing,
             int          status,
             GError     **error)
{
  DemoUser *other = g_ptr_array_index (demo->users, pick (demo, demo->users->len));
  g_autoptr(GDateTime) when = random_past (demo, outgoing ? 200 : 400);
  g_autoptr(GDateTime) arrived = g_date_time_add_seconds (when, 5 + pick (demo, 300));
  g_autofree char *user_display = g_strdup_printf ("%s %s", user->first->display, user->last->display);
  g_autofree char *other_display = g_strdup_printf ("%s %s", other->first->display, other->last->display);
  g_autofree char *user_addr = format_address (demo, user_display, user->address);
  g_autofree char *from = NULL;
  g_autofree char *unique_id = NULL;
  g_autoptr(GBytes) raw = NULL;
  const char *from_addr;
  const char *zone = "+0100";
  MwMessageFlags flags = MW_MESSAGE_FLAG_NONE;
  gint64 age_days = g_date_time_difference (demo->now, when) / G_TIME_SPAN_DAY;
  gint64 message_idnr;

  if (outgoing)
    {
      g_autofree char *to = format_address (demo, other_display, other->address);

      raw = compose_message (demo, user_addr, user->address, to, other->address, zone, when, pick_kind (demo));
    }
  else
    {
      if (chance (demo, 60) || other == user)
        {
          guint s = pick (demo, G_N_ELEMENTS (outside_senders));

          from = format_address (demo, outside_senders[s].name, outside_senders[s].address);
          from_addr = outside_senders[s].address;
          zone = outside_senders[s].zone;
        }
      else
        {
          from = format_address (demo, other_display, other->address);
          from_addr = other->address;
        }
      raw = compose_message (demo, from, from_addr, user_addr, user->address, zone, when, pick_kind (demo));
    }

  if (age_days > 1 || outgoing || chance (demo, 30))
    flags |= MW_MESSAGE_FLAG_SEEN;
  if (age_days <= 1 && status < 2)
    flags |= MW_MESSAGE_FLAG_RECENT;
  if (!outgoing && chance (demo, 10))
    flags |= MW_MESSAGE_FLAG_ANSWERED;
  if (chance (demo, 5))
    flags |= MW_MESSAGE_FLAG_FLAGGED;
  if (g_str_equal (mailbox, "Drafts"))
    flags |= MW_MESSAGE_FLAG_DRAFT | MW_MESSAGE_FLAG_SEEN;

  unique_id = g_strdup_printf ("%08x%08x%08x%08x", g_rand_int (demo->rand), g_rand_int (demo->rand),
                               g_rand_int (demo->rand), g_rand_int (demo->rand));
  message_idnr = mw_message_store_deliver_full (demo->db, mailbox_of (user, mailbox), raw, status, arrived,
                                                flags, unique_id, error);
  if (message_idnr == 0)
    return FALSE;
  demo->n_messages++;

  /* a few IMAP keywords */
  if (chance (demo, 6))
    {
      const char *keywords[] = { "$Forwarded", "$Label1", "Junk", "$MDNSent" };
      MwDbValue params[] = { MW_DB_INT64 (message_idnr), MW_DB_TEXT (keywords[pick (demo, G_N_ELEMENTS (keywords))]) };

      if (!exec_sql (demo, "INSERT INTO {keywords} (message_idnr, keyword) VALUES ($1, $2)", params, 2, error))
        return FALSE;
    }

  if (++demo->uncommitted >= MESSAGES_PER_COMMIT)
    return commit_batch (demo, TRUE, error);
  return TRUE;
}

static int
pick_status (Demo       *demo,
             const char *mailbox)
{
  guint r = pick (demo, 100);

  if (g_str_equal (mailbox, "Trash"))
    return r < 40 ? 0 : (r < 80 ? 2 : 3);
  if (g_str_equal (mailbox, "INBOX"))
    return r < 80 ? 0 : (r < 90 ? 1 : (r < 97 ? 2 : 3));
  return r < 90 ? 0 : 1;
}

static gboolean
deliver_messages (Demo    *demo,
                  GError **error)
{
  for (guint i = 0; i < demo->users->len; i++)
    {
      DemoUser *user = g_ptr_array_index (demo->users, i);
      const struct
      {
        const char *mailbox;
        guint       max;
        gboolean    outgoing;
      } plan[] = {
        { "INBOX", 6, FALSE }, { "Sent", 2, TRUE }, { "Trash", 2, FALSE },
        { "Archive/2025", 3, FALSE }, { "Drafts", 1, TRUE }, { "&AMk-t&AOk-", 2, FALSE },
        { "Lists/dbmail", 3, FALSE },
      };

      for (guint p = 0; p < G_N_ELEMENTS (plan); p++)
        {
          guint n;

          if (mailbox_of (user, plan[p].mailbox) == 0)
            continue;
          n = i == 0 ? plan[p].max : pick (demo, plan[p].max + 1);
          for (guint k = 0; k < n; k++)
            if (!deliver_one (demo, user, plan[p].mailbox, plan[p].outgoing,
                              pick_status (demo, plan[p].mailbox), error))
              return FALSE;
        }

      /* The first user always has an expunged message and one waiting for
       * dbmail-util to purge it. */
      if (i == 0 &&
          (!deliver_one (demo, user, "INBOX", FALSE, 2, error) ||
           !deliver_one (demo, user, "Trash", FALSE, 3, error)))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Entry point                                                              */
/* ------------------------------------------------------------------------ */

static gboolean
find_system_users (Demo    *demo,
                   GError **error)
{
  g_autoptr(MwDbResult) result = NULL;

  result = mw_db_exec (demo->db, "SELECT user_idnr, userid FROM {users} WHERE userid IN ('anyone', '__public__')",
                       NULL, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  for (guint row = 0; row < mw_db_result_get_n_rows (result); row++)
    {
      if (g_str_equal (mw_db_result_get_string (result, row, 1), "anyone"))
        demo->anyone_idnr = mw_db_result_get_int64 (result, row, 0);
      else
        demo->public_idnr = mw_db_result_get_int64 (result, row, 0);
    }
  if (demo->anyone_idnr == 0 || demo->public_idnr == 0)
    {
      g_set_error (error, MW_DEMO_DATA_ERROR, MW_DEMO_DATA_ERROR_NOT_DBMAIL,
                   _("The database lacks DBMail's system users “anyone” and “__public__”; load the schema first."));
      return FALSE;
    }
  return TRUE;
}

/* Quotas that tell a story: one account almost full, one over its limit
 * (the limit was lowered after the mail arrived). */
static gboolean
adjust_quotas (Demo    *demo,
               GError **error)
{
  if (demo->users->len < 4)
    return TRUE;
  {
    DemoUser *full = g_ptr_array_index (demo->users, 2);
    DemoUser *over = g_ptr_array_index (demo->users, 3);
    MwDbValue params[] = { MW_DB_INT64 (full->id), MW_DB_INT64 (over->id) };

    return exec_sql (demo,
                     "UPDATE {users} SET maxmail_size = CASE WHEN user_idnr = $1 THEN curmail_size + 2048 "
                     "ELSE curmail_size / 2 END WHERE user_idnr IN ($1, $2) AND curmail_size > 0",
                     params, 2, error);
  }
}

gboolean
mw_demo_populate (MwDb     *db,
                  guint     n_users,
                  guint32   seed,
                  GError  **error)
{
  Demo demo = { 0 };
  gboolean ok = FALSE;
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (n_users > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  demo.db = db;
  demo.driver = mw_db_get_driver (db);
  demo.rand = g_rand_new_with_seed (seed);
  demo.now = g_date_time_new_from_iso8601 (REFERENCE_TIME, NULL);
  demo.users = g_ptr_array_new_with_free_func (demo_user_free);
  demo.taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  demo.message_ids = g_ptr_array_new_with_free_func (g_free);

  if (!find_system_users (&demo, error))
    goto out;

  for (guint i = 0; i < n_users; i++)
    {
      DemoUser *user = make_user (&demo, i, error);

      if (user == NULL)
        goto out;
      g_ptr_array_add (demo.users, user);
    }

  if (!mw_db_begin (db, error))
    goto out;
  if (!insert_users (&demo, error) ||
      !insert_aliases (&demo, error) ||
      !insert_mailboxes (&demo, error) ||
      !insert_sharing_and_settings (&demo, error) ||
      !commit_batch (&demo, TRUE, error) ||
      !deliver_messages (&demo, error) ||
      !adjust_quotas (&demo, error) ||
      !commit_batch (&demo, FALSE, error))
    goto out;

  g_debug ("%u users and %u messages in %.2f s", n_users, demo.n_messages,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  ok = TRUE;

out:
  if (!ok && mw_db_in_transaction (db))
    {
      g_autoptr(GError) rollback_error = NULL;

      if (!mw_db_rollback (db, &rollback_error))
        g_debug ("rollback failed: %s", rollback_error->message);
    }
  g_ptr_array_unref (demo.message_ids);
  g_hash_table_unref (demo.taken);
  g_ptr_array_unref (demo.users);
  g_date_time_unref (demo.now);
  g_rand_free (demo.rand);
  return ok;
}
