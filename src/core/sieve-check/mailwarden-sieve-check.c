/* mailwarden-sieve-check: checks a Sieve script with libSieve, the engine
 * DBMail 3.5 runs scripts with (its sortsieve.c), the way DBMail checks one
 * that is uploaded over ManageSieve: the callbacks DBMail registers (with
 * vacation and notify on), then sieve2_validate ().
 *
 *   mailwarden-sieve-check [FILE]      the script from FILE, or stdin
 *   mailwarden-sieve-check --extensions
 *
 * Prints one line per parse error ("line N: message") and exits 1 when
 * there was one, 0 when the script is fine, 2 when it could not check
 * (unreadable file, libSieve failing). Mailwarden runs it in a subprocess:
 * libSieve crashes on some scripts (one that requires "date").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stddef.h>   /* sieve2.h uses size_t without including it */
#include <sieve2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  char *script;
  int   errors;
} Check;

static int
get_script (sieve2_context_t *s,
            void             *data)
{
  Check *check = data;

  sieve2_setvalue_string (s, "script", check->script);
  return SIEVE2_OK;
}

static int
parse_error (sieve2_context_t *s,
             void             *data)
{
  Check *check = data;
  const char *message = sieve2_getvalue_string (s, "message");

  check->errors++;
  printf ("line %d: %s\n", sieve2_getvalue_int (s, "lineno"), message != NULL ? message : "");
  fflush (stdout);
  return SIEVE2_OK;
}

/* Validating runs no action and reads no message: these only need to be
 * there, as DBMail's are, for libSieve to offer what they stand for. */
static int
nothing (sieve2_context_t *s,
         void             *data)
{
  (void) s;
  (void) data;
  return SIEVE2_OK;
}

/* What DBMail 3.5 registers in sort_startup (): its sort_callbacks, then
 * vacation_callbacks and notify_callbacks (sieve vacation and notify on). */
static sieve2_callback_t callbacks[] = {
  { SIEVE2_ERRCALL_RUNTIME,       nothing     },
  { SIEVE2_ERRCALL_PARSE,         parse_error },
  { SIEVE2_ACTION_REDIRECT,       nothing     },
  { SIEVE2_ACTION_DISCARD,        nothing     },
  { SIEVE2_ACTION_REJECT,         nothing     },
  { SIEVE2_ACTION_FILEINTO,       nothing     },
  { SIEVE2_ACTION_KEEP,           nothing     },
  { SIEVE2_SCRIPT_GETSCRIPT,      get_script  },
  { SIEVE2_MESSAGE_GETHEADER,     nothing     },
  { SIEVE2_MESSAGE_GETENVELOPE,   nothing     },
  { SIEVE2_MESSAGE_GETBODY,       nothing     },
  { SIEVE2_MESSAGE_GETSIZE,       nothing     },
  { SIEVE2_MESSAGE_GETSUBADDRESS, nothing     },
  { 0, 0 }
};
static sieve2_callback_t vacation_callbacks[] = { { SIEVE2_ACTION_VACATION, nothing }, { 0, 0 } };
static sieve2_callback_t notify_callbacks[] = { { SIEVE2_ACTION_NOTIFY, nothing }, { 0, 0 } };

static char *
read_all (FILE *in)
{
  size_t len = 0, size = 8192;
  char *text = malloc (size);

  while (text != NULL)
    {
      size_t n = fread (text + len, 1, size - len - 1, in);

      len += n;
      if (n == 0)
        break;
      if (size - len - 1 == 0)
        {
          char *bigger = realloc (text, size * 2);

          if (bigger == NULL)
            free (text);
          text = bigger;
          size *= 2;
        }
    }
  if (text == NULL || ferror (in))
    {
      free (text);
      return NULL;
    }
  text[len] = '\0';
  return text;
}

int
main (int    argc,
      char **argv)
{
  sieve2_context_t *s = NULL;
  Check check = { NULL, 0 };
  int res;

  if (sieve2_alloc (&s) != SIEVE2_OK || sieve2_callbacks (s, callbacks) != SIEVE2_OK
      || sieve2_callbacks (s, vacation_callbacks) != SIEVE2_OK || sieve2_callbacks (s, notify_callbacks) != SIEVE2_OK)
    {
      fprintf (stderr, "mailwarden-sieve-check: libSieve could not start\n");
      return 2;
    }
  if (argc > 1 && strcmp (argv[1], "--extensions") == 0)
    {
      const char *list = sieve2_listextensions (s);

      printf ("%s\n", list != NULL ? list : "");
      sieve2_free (&s);
      return 0;
    }
  if (argc > 1 && strcmp (argv[1], "-") != 0)
    {
      FILE *in = fopen (argv[1], "rb");

      if (in != NULL)
        {
          check.script = read_all (in);
          fclose (in);
        }
    }
  else
    check.script = read_all (stdin);
  if (check.script == NULL)
    {
      fprintf (stderr, "mailwarden-sieve-check: cannot read %s\n", argc > 1 ? argv[1] : "stdin");
      sieve2_free (&s);
      return 2;
    }

  res = sieve2_validate (s, &check);
  sieve2_free (&s);
  free (check.script);
  if (res != SIEVE2_OK && check.errors == 0)
    {
      printf ("libSieve: %s\n", sieve2_errstr (res));
      return 1;
    }
  return check.errors > 0 ? 1 : 0;
}
