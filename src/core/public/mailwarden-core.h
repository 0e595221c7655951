/* mailwarden-core.h: everything src/gui and src/cli may use of the core.
 *
 * A session (mw-session.h) connects, holds the schema the database has
 * (mw-schema.h, with the optional mail store of mw-mail-store.h) and runs
 * every operation on its workers as an _async/_finish pair. The types are in
 * mail terms (mw-account.h, mw-import.h); keys are opaque strings. Nothing
 * here names a table, a column or a flavour. docs/schema-interface.md tells
 * the design; HACKING.md how to add to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mw-core.h"

#include "mw-account.h"
#include "mw-acl.h"
#include "mw-cleanup.h"
#include "mw-address.h"
#include "mw-alias-domains.h"
#include "mw-async-wait.h"
#include "mw-audit.h"
#include "mw-csv.h"
#include "mw-db-pool.h"
#include "mw-db.h"
#include "mw-demo-server.h"
#include "mw-imap-utf7.h"
#include "mw-import.h"
#include "mw-list-info.h"
#include "mw-list-query.h"
#include "mw-mail-store.h"
#include "mw-message.h"
#include "mw-paged-model.h"
#include "mw-password.h"
#include "mw-profiles.h"
#include "mw-record.h"
#include "mw-schema.h"
#include "mw-secrets.h"
#include "mw-sieve.h"
#include "mw-trace.h"
#include "mw-index-advisor.h"
#include "mw-session.h"
#include "mw-session-vacation.h"
#include "mw-session-alias-domains.h"
#include "mw-session-usermap.h"
#include "mw-session-replies.h"
#include "mw-session-filters.h"
#include "mw-session-sieve.h"
#include "mw-session-trace.h"
#include "mw-session-index-advisor.h"
#include "mw-session-acl.h"
#include "mw-session-cleanup.h"
#include "mw-session-health.h"
#include "mw-session-domains.h"
#include "mw-size.h"
#include "mw-stats.h"
#include "mw-session-stats.h"
#include "mw-usermap.h"
#include "mw-vacation.h"
