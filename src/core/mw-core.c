/* mw-core.c: once-per-process set-up of the core library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mw-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "mw-core.h"
#include "mw-core-resources.h"

void
mw_core_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      /* Registered by hand: a constructor in a static library is dropped by
       * the linker when nothing else in its object file is used. */
      mw_core_register_resource ();
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MAILWARDEN_LOCALEDIR") ? g_getenv ("MAILWARDEN_LOCALEDIR") : LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&once, 1);
    }
}

guint
mw_core_open_standard_fds (void)
{
  guint closed = 0;

  for (int fd = 0; fd <= 2; fd++)
    if (fcntl (fd, F_GETFD) == -1 && errno == EBADF)
      {
        /* open() takes the lowest free number, which is fd. */
        int opened = open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

        if (opened >= 0 && opened != fd)
          {
            dup2 (opened, fd);
            close (opened);
          }
        closed |= 1u << fd;
      }
  return closed;
}
