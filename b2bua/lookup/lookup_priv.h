/* The caller lookup's private parts, shared by its files: contact.c (the
 * lookup) and sync.c (the phone index's upkeep). */
#ifndef B2BUA_LOOKUP_PRIV_H
#define B2BUA_LOOKUP_PRIV_H

#include "phone.h"

#include <stdbool.h>

#define SYNC_BATCH 500
#define MAX_PHONES 16	/* contact_index.h's CONTACT_INDEX_PHONES */

struct sync_job {
	struct lookup *lk;
	char since[32];		/* watermark: changed-at of the last contact seen */
	char after[65];		/* id of the last contact seen at that time */
	unsigned indexed;
	bool busy;
};

struct lookup {
	struct dbq *dbq;
	struct manifest *mf;
	struct phone_rules rules;
	char *sql_lookup;	/* phone [, tenant] -> contact id, name */
	char *sql_changed;	/* contacts changed since a time, after an id */
	bool has_tenant;	/* the tenant is bound to sql_lookup */
	struct sync_job sync;
};

#endif
