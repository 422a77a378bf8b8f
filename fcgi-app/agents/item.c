/* GET the new agent's page, an agent's page (edit, skill groups, SIP
 * password, dedicated contacts, disable, delete) and one agent as JSON. */
#include "agents.h"

#include "../tmpl/page.h"
#include "log.h"

#include <string.h>

static int contact_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 2)
		return 1;
	xmlNode *c = xd_el(arg, "contact");
	xd_attr(c, "id", v[0]);
	xd_attr(c, "name", v[1]);
	return 0;
}

static int contact_json_h(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 2)
		return 1;
	json_array_append_new(arg, json_pack("{s:s, s:s?}", "id", v[0], "name", v[1]));
	return 0;
}

const char *agents_new_get(struct req *r)
{
	xmlDoc *doc;
	xmlNode *e = ag_page_begin(r, "new", &doc);
	if (!e)
		return "internal";
	char ext[AG_EXT_MAX + 1];
	if (ag_db_next_ext(r->thr->db, ext) < 0 || ag_db_groups(r, xd_el(e, "groups")) < 0) {
		xmlFreeDoc(doc);
		return "db_unavailable";
	}
	xd_attr(e, "next-ext", ext);
	return page_finish(r, doc, "agents", 200);
}

const char *agents_item_get(struct req *r)
{
	struct ag_row row;
	int rc = ag_db_get(r, r->route_id, &row);
	if (rc < 0)
		return "db_unavailable";
	if (!rc)
		return "not_found";
	const struct ag_sql *s = ag_sql(r);
	if (!s)
		return "internal";
	if (r->route->kind == RK_JSON) {
		json_t *j = ag_json(&row), *ded = json_array();
		if (db_query(r->thr->db, s->dedicated_of, contact_json_h, ded, "s", row.id) < 0) {
			json_decref(j);
			json_decref(ded);
			return "db_unavailable";
		}
		json_object_set_new(j, "dedicated", ded);
		return resp_json(r, 200, json_pack("{s:b, s:o}", "ok", 1, "agent", j));
	}
	xmlDoc *doc;
	xmlNode *e = ag_page_begin(r, "edit", &doc);
	if (!e)
		return "internal";
	ag_row_node(r, e, &row);
	if (ag_db_groups(r, xd_el(e, "groups")) < 0 ||
	    db_query(r->thr->db, s->dedicated_of, contact_h, xd_el(e, "dedicated"), "s", row.id) < 0) {
		log_err("agents: page: %s", db_error(r->thr->db));
		xmlFreeDoc(doc);
		return "db_unavailable";
	}
	return page_finish(r, doc, "agents", 200);
}
