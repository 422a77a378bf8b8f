/* The IVR's HTTP node: its request with the templates expanded, and the
 * variables its JSON reply sets (docs/ivr.md, "The interpreter"). */
#include "ivr_run_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int ivr_http_make(const struct rnode *r, var_get_h *get, const void *arg, struct ivr_http_req *req)
{
	memset(req, 0, sizeof *req);
	req->method = r->method;
	req->timeout_ms = r->timeout_ms;
	req->url = ivr_expand(r->url, ESC_URL, get, arg);
	struct ivr_kv *h = calloc(r->nheaders + 1, sizeof *h);
	req->headers = h;
	bool failed = !req->url || !h;
	for (size_t i = 0; h && i < r->nheaders; i++) {
		h[i].name = r->headers[i].name;
		h[i].value = ivr_expand(r->headers[i].value, ESC_HEADER, get, arg);
		failed |= !h[i].value;
		req->nheaders = i + 1;
	}
	if (r->body) {
		req->body = ivr_expand(r->body, r->body_json ? ESC_JSON : ESC_FORM, get, arg);
		failed |= !req->body;
	}
	if (failed) {
		ivr_http_req_free(req);
		return -1;
	}
	return 0;
}

void ivr_http_req_free(struct ivr_http_req *req)
{
	free((char *)req->url);
	free((char *)req->body);
	for (size_t i = 0; req->headers && i < req->nheaders; i++)
		free((char *)req->headers[i].value);
	free((struct ivr_kv *)req->headers);
	memset(req, 0, sizeof *req);
}

/* The member at a dotted path ("customer.level", "items.0.id": a number
 * indexes an array), or NULL. */
static json_t *at_path(json_t *j, const char *path)
{
	char seg[128];
	while (j && *path) {
		size_t len = strcspn(path, ".");
		if (len >= sizeof seg)
			return NULL;
		memcpy(seg, path, len);
		seg[len] = '\0';
		path += len + (path[len] == '.');
		if (json_is_object(j)) {
			j = json_object_get(j, seg);
		} else if (json_is_array(j) && seg[0] >= '0' && seg[0] <= '9') {
			j = json_array_get(j, strtoul(seg, NULL, 10));
		} else {
			return NULL;
		}
	}
	return j;
}

int ivr_http_results(const struct rnode *r, const char *body, size_t len,
		     void (*set)(void *arg, const char *name, const char *value), void *arg)
{
	if (!r->nresults)
		return 0;
	json_t *root = body ? json_loadb(body, len, JSON_DECODE_ANY, NULL) : NULL;
	if (!root)
		return -1;
	for (size_t i = 0; i < r->nresults; i++) {
		json_t *v = at_path(root, r->results[i].value);
		if (!v || json_is_null(v)) {
			set(arg, r->results[i].name, "");
		} else if (json_is_string(v)) {
			set(arg, r->results[i].name, json_string_value(v));
		} else {
			/* Numbers, true/false, objects and arrays as JSON text. */
			char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			set(arg, r->results[i].name, s ? s : "");
			free(s);
		}
	}
	json_decref(root);
	return 0;
}
