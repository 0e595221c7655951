/* mw-size.h: quotas as people write them ("500M", "1.5G"), read exactly, as whole bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MW_SIZE_ERROR (mw_size_error_quark ())

typedef enum
{
  MW_SIZE_ERROR_INVALID,    /* not a size at all */
  MW_SIZE_ERROR_INEXACT,    /* not a whole number of bytes (or of the caller's unit) */
  MW_SIZE_ERROR_TOO_LARGE,  /* more than G_MAXINT64 bytes */
} MwSizeError;

/* The unit of a number written without one, as a power of two. */
typedef enum
{
  MW_SIZE_UNIT_BYTES = 0,
  MW_SIZE_UNIT_KIB = 10,
  MW_SIZE_UNIT_MIB = 20,
  MW_SIZE_UNIT_GIB = 30,
  MW_SIZE_UNIT_TIB = 40,
} MwSizeUnit;

GQuark   mw_size_error_quark (void);

/* A quota: ASCII digits, optionally a decimal point and more digits, then
 * optionally K, M, G or T (powers of 1024, as dbmail-users -m), each maybe
 * followed by B or iB, in any case; or "unlimited" or "none" for 0 (no limit).
 * Spaces around the number and before the unit are allowed. A number without
 * a unit counts in @unit. Decimals are accepted only when the result is a
 * whole number of @unit (1.5G, 0.5K), never rounded; anything above G_MAXINT64
 * bytes is refused. Floating point is never used, so every accepted text
 * means exactly one number of bytes. */
gboolean mw_size_parse_quota (const char  *text,
                              MwSizeUnit   unit,
                              gint64      *bytes,
                              GError     **error);

G_END_DECLS
