/* A description made ready for one request. References into the
 * helpdesk's own tables (users with a call-center role, departments with
 * the skill flag) are described by what they are (enum res_host); their
 * table, columns and the condition a row must meet come from the manifest,
 * whose names are checked identifiers. Made per request in the request's
 * arena (a few small strings), so nothing is kept between requests and the
 * SQL builders (sql.c) stay pure functions of a description. A reference
 * filtered by `only`/`in` or `set` gets its condition here too. */
#include "resource.h"

#include "manifest.h"

#include <string.h>

/* "o.`only` IN ('a', 'b')": values are identifiers (res_valid). */
static char *filter(struct arena *a, const struct res_ref *ref)
{
	char *s = arena_printf(a, "o.`%s` IN (", ref->only);
	for (size_t i = 0; s && i < sizeof ref->in / sizeof *ref->in && ref->in[i]; i++)
		s = arena_printf(a, "%s%s'%s'", s, i ? ", " : "", ref->in[i]);
	return s ? arena_printf(a, "%s)", s) : NULL;
}

int res_bind_ref(struct arena *a, const struct manifest *mf, const struct res_ref *in,
		 struct res_ref *out)
{
	struct res_ref b = *in;
	const char *cond = NULL;
	char flags[512];
	switch (in->host) {
	case RES_HOST_NONE:
		break;
	case RES_HOST_AGENTS:
		if (!mf || manifest_flags_sql(mf->users.agent_flags, mf->users.nagent, "o", flags,
					      sizeof flags))
			return -1;
		b.table = mf->users.table;
		b.key = mf->users.id;
		b.label = mf->users.display_name;
		cond = arena_printf(a, "%s AND COALESCE(o.`%s`, 0) = 0", flags, mf->users.deleted);
		break;
	case RES_HOST_SKILL_DEPTS:
		if (!mf)
			return -1;
		b.table = mf->departments.table;
		b.key = mf->departments.id;
		b.label = mf->departments.name;
		cond = arena_printf(a, "COALESCE(o.`%s`, 0) <> 0", mf->departments.skill);
		break;
	}
	if (in->only) {
		char *f = filter(a, in);
		cond = f && cond ? arena_printf(a, "%s AND %s", cond, f) : f;
		if (!cond)
			return -1;
	}
	if (in->set) {
		cond = cond ? arena_printf(a, "%s AND o.`%s` IS NOT NULL", cond, in->set)
			    : arena_printf(a, "o.`%s` IS NOT NULL", in->set);
		if (!cond)
			return -1;
	}
	if (in->host != RES_HOST_NONE && !cond)
		return -1;
	b.cond = cond;
	*out = b;
	return 0;
}

static bool needs_binding(const struct resource *res)
{
	for (size_t i = 0; i < res->ncols; i++)
		if (res->cols[i].type == RES_REF && (res->cols[i].ref.host || res->cols[i].ref.only ||
						      res->cols[i].ref.set))
			return true;
	for (size_t i = 0; i < res->nlinks; i++)
		if (res->links[i].ref.host || res->links[i].ref.only || res->links[i].ref.set)
			return true;
	return false;
}

const struct resource *res_bind(struct req *r, const struct resource *res)
{
	if (!res || !needs_binding(res))
		return res;
	const struct manifest *mf = r->web ? r->web->mf : NULL;
	struct resource *b = arena_alloc(r->a, sizeof *b);
	struct res_col *cols = arena_alloc(r->a, res->ncols * sizeof *cols);
	struct res_link *links = res->nlinks ? arena_alloc(r->a, res->nlinks * sizeof *links) : NULL;
	if (!b || !cols || (res->nlinks && !links))
		return NULL;
	*b = *res;
	memcpy(cols, res->cols, res->ncols * sizeof *cols);
	for (size_t i = 0; i < res->ncols; i++)
		if (cols[i].type == RES_REF && res_bind_ref(r->a, mf, &res->cols[i].ref, &cols[i].ref))
			return NULL;
	for (size_t i = 0; i < res->nlinks; i++) {
		links[i] = res->links[i];
		if (res_bind_ref(r->a, mf, &res->links[i].ref, &links[i].ref))
			return NULL;
	}
	b->cols = cols;
	b->links = links;
	return b;
}
