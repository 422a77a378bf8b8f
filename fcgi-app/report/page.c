/* 数据报表: GET /cc/admin/reports (the page), /cc/api/admin/reports (JSON),
 * /cc/admin/reports/export.csv and .xlsx (the same table as a file), and
 * POST /cc/api/admin/reports/refresh (a rollup now). Parameters, the same
 * everywhere: dim (center, group, agent, number, node, task), period (hour,
 * day, week, month, total), from and to (local dates or date-times; to
 * excluded; default today), sl (the service level's threshold, s), key
 * (one group, agent, ... only). A bad one is a 400 naming it. */
#include "query.h"
#include "rollup.h"
#include "xlsx.h"

#include "../clock.h"
#include "../csv.h"
#include "../resource/resource.h"
#include "../tmpl/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The widest range a report covers, and the widest by hour. */
#define MAX_DAYS 400
#define MAX_HOURLY_DAYS 62

struct parsed {
	struct rep_query q;
	const char *bad, *why;	/* the parameter refused and the catalogue's reason */
};

static void refuse(struct parsed *p, const char *field, const char *why)
{
	if (!p->bad) {
		p->bad = field;
		p->why = why;
	}
}

static void parse(struct req *r, struct parsed *p)
{
	const struct ivr_tz *tz = r->web->tz;
	*p = (struct parsed){ .q = { .dim = REP_CENTER, .period = RP_HOUR, .sl = 20 } };
	const char *s;
	if ((s = req_query(r, "dim")) && *s) {
		int d = rep_dim_parse(s);
		if (d < 0)
			refuse(p, "dim", "report.bad.dim");
		else
			p->q.dim = (enum rep_dim)d;
	}
	if ((s = req_query(r, "period")) && *s) {
		int per = rep_period_parse(s);
		if (per < 0)
			refuse(p, "period", "report.bad.period");
		else
			p->q.period = (enum rep_period)per;
	} else if ((s = req_query(r, "from")) && *s) {
		p->q.period = RP_DAY;
	}
	if ((s = req_query(r, "sl")) && *s) {
		long long v = text_number(s, -1, 1, 3600);
		if (!rep_sl_valid((int)v))
			refuse(p, "sl", "report.bad.sl");
		else
			p->q.sl = (int)v;
	}
	long long now = time(NULL);
	p->q.from = clock_day_start(tz, now);
	p->q.to = clock_day_start(tz, p->q.from + 86400 + 7200);
	if ((s = req_query(r, "from")) && *s && !clock_parse(tz, s, &p->q.from))
		refuse(p, "from", "report.bad.date");
	if ((s = req_query(r, "to")) && *s && !clock_parse(tz, s, &p->q.to))
		refuse(p, "to", "report.bad.date");
	/* Whole hours: a report's figures are the rollup's. */
	p->q.from = clock_hour_start(tz, p->q.from);
	long long to_hour = clock_hour_start(tz, p->q.to);
	p->q.to = to_hour < p->q.to ? clock_hour_start(tz, to_hour + 3600) : to_hour;
	if (p->q.to <= p->q.from)
		refuse(p, "to", "report.bad.range");
	else if (p->q.to - p->q.from > MAX_DAYS * 86400LL)
		refuse(p, "to", "report.bad.too_long");
	else if (p->q.period == RP_HOUR && p->q.to - p->q.from > MAX_HOURLY_DAYS * 86400LL)
		refuse(p, "period", "report.bad.too_many_hours");
	if ((s = req_query(r, "key")) && *s) {
		if (strlen(s) > 70 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789-_/") != strlen(s))
			refuse(p, "key", "report.bad.key");
		else
			p->q.key = s;
	}
}

static const char *local(struct req *r, long long t)
{
	char buf[24];
	clock_format(r->web->tz, t, buf, sizeof buf);
	buf[10] = 'T';
	buf[16] = '\0';	/* YYYY-MM-DDTHH:MM */
	return arena_strdup(r->a, buf);
}

static const char *period_label(struct req *r, const struct rep_query *q,
				const struct rep_row *row)
{
	if (q->period == RP_HOUR) {
		char buf[24];
		clock_format(r->web->tz, row->first_hour, buf, sizeof buf);
		buf[16] = '\0';
		return arena_strdup(r->a, buf);
	}
	if (q->period == RP_TOTAL) {
		char a[24], b[24];
		clock_format(r->web->tz, q->from, a, sizeof a);
		clock_format(r->web->tz, q->to, b, sizeof b);
		a[16] = b[16] = '\0';
		return arena_printf(r->a, "%s – %s", a, b);
	}
	return row->period;
}

/* The call records of row's period and key: the part of every drill-down
 * link of the row (NULL: none for this dimension). */
static const char *drill_base(struct req *r, const struct rep_query *q, const struct rep_row *row)
{
	if (!row || q->dim == REP_NODE)
		return NULL;
	static const char *const param[REP_NDIMS] = {
		[REP_GROUP] = "group", [REP_AGENT] = "agent", [REP_NUMBER] = "number_id",
		[REP_TASK] = "task",
	};
	char *url = arena_printf(r->a, "/cc/records?from=%s&to=%s", local(r, row->from),
				 local(r, row->to));
	if (param[q->dim] && row->key && *row->key)
		url = arena_printf(r->a, "%s&%s=%s", url, param[q->dim], row->key);
	return url;
}

/* The call records behind a count (NULL: none). */
static const char *drill(struct req *r, const struct rep_query *q, const char *base,
			 enum rep_metric m)
{
	const struct rep_metric_def *d = rep_metric(m);
	if (!base || !d->drill)
		return NULL;
	if (m == RM_sl)
		return arena_printf(r->a, "%s&%s&sl=%d", base, d->drill, q->sl);
	return *d->drill ? arena_printf(r->a, "%s&%s", base, d->drill) : base;
}

static bool shown(const struct rep_query *q, enum rep_metric m)
{
	return rep_metric(m)->dims & (1u << q->dim);
}

static bool has_breaks(const struct rep_query *q)
{
	return q->dim == REP_AGENT || q->dim == REP_CENTER;
}

static const char *query_string(struct req *r, const struct rep_query *q)
{
	return arena_printf(r->a, "dim=%s&period=%s&from=%s&to=%s&sl=%d%s%s", rep_dim_name(q->dim),
			    rep_period_name(q->period), local(r, q->from), local(r, q->to), q->sl,
			    q->key ? "&key=" : "", q->key ? q->key : "");
}

static const char *hours(struct req *r, long long ms)
{
	return arena_printf(r->a, "%.1f", (double)ms / 3600000.0);
}

/* --- JSON ----------------------------------------------------------------------------- */

static json_t *values_json(struct req *r, const struct rep_query *q, const struct rep_result *res,
			   const long long *v, const long long *breaks, const struct rep_row *row)
{
	json_t *o = json_object(), *dr = json_object();
	const char *base = drill_base(r, q, row);
	for (int m = 0; m < REP_NMETRICS; m++) {
		if (!shown(q, (enum rep_metric)m))
			continue;
		double x;
		const char *id = rep_metric((enum rep_metric)m)->id;
		if (rep_metric_value((enum rep_metric)m, v, q->sl, &x))
			json_object_set_new(o, id, json_real(x));
		else
			json_object_set_new(o, id, json_null());
		const char *url = drill(r, q, base, (enum rep_metric)m);
		if (url)
			json_object_set_new(dr, id, json_string(url));
	}
	json_t *b = json_object();
	for (size_t i = 0; breaks && i < res->nreasons; i++)
		json_object_set_new(b, res->reasons[i], json_real((double)breaks[i] / 3600000.0));
	return json_pack("{s:o, s:o, s:o}", "values", o, "drill", dr, "breaks", b);
}

static const char *send_json(struct req *r, const struct rep_query *q,
			     const struct rep_result *res)
{
	json_t *metrics = json_array(), *rows = json_array(), *reasons = json_array();
	for (int m = 0; m < REP_NMETRICS; m++)
		if (shown(q, (enum rep_metric)m)) {
			const struct rep_metric_def *d = rep_metric((enum rep_metric)m);
			char kind[2] = { d->kind, 0 };
			json_array_append_new(metrics,
					      json_pack("{s:s, s:s, s:s}", "id", d->id, "kind", kind,
							"label",
							web_t(r, arena_printf(r->a, "report.m.%s",
									      d->id))));
		}
	for (size_t i = 0; i < res->nreasons; i++)
		json_array_append_new(reasons, json_string(res->reasons[i]));
	for (size_t i = 0; i < res->nrows; i++) {
		const struct rep_row *row = &res->rows[i];
		json_t *o = values_json(r, q, res, row->v, has_breaks(q) ? row->breaks : NULL, row);
		json_object_set_new(o, "period", json_string(period_label(r, q, row)));
		json_object_set_new(o, "from", json_string(local(r, row->from)));
		json_object_set_new(o, "to", json_string(local(r, row->to)));
		json_object_set_new(o, "key", json_string(row->key));
		json_object_set_new(o, "name", json_string(row->name ? row->name : row->key));
		json_array_append_new(rows, o);
	}
	long long totals_breaks[REP_MAX_REASONS] = { 0 };
	for (size_t i = 0; i < res->nrows; i++)
		for (size_t k = 0; k < res->nreasons; k++)
			totals_breaks[k] += res->rows[i].breaks[k];
	json_t *total = values_json(r, q, res, res->total, has_breaks(q) ? totals_breaks : NULL,
				    NULL);
	return resp_json(r, 200,
			 json_pack("{s:b, s:s, s:s, s:s, s:s, s:i, s:I, s:o, s:o, s:o, s:o}", "ok", 1,
				   "dim", rep_dim_name(q->dim), "period", rep_period_name(q->period),
				   "from", local(r, q->from), "to", local(r, q->to), "sl", q->sl,
				   "rolled_at", (json_int_t)rollup_rolled_at(r->web->rollup),
				   "metrics", metrics, "reasons", reasons, "rows", rows, "total",
				   total));
}

/* --- the table, as the page, the CSV and the workbook show it ------------------------- */

/* Calls cell(arg, row index or -1 for the header, column, text, number or
 * NULL, drill url or NULL) for every cell; the last row is the total. */
typedef int(cell_h)(void *arg, long row, int col, const char *text, const double *num,
		    const char *href);

static int table(struct req *r, const struct rep_query *q, const struct rep_result *res,
		 cell_h *cell, void *arg)
{
	int col = 0;
	if (cell(arg, -1, col++, web_t(r, "report.period"), NULL, NULL) ||
	    cell(arg, -1, col++, web_t(r, arena_printf(r->a, "report.dim.%s",
							rep_dim_name(q->dim))), NULL, NULL))
		return -1;
	for (int m = 0; m < REP_NMETRICS; m++)
		if (shown(q, (enum rep_metric)m) &&
		    cell(arg, -1, col++,
			 web_t(r, arena_printf(r->a, "report.m.%s", rep_metric((enum rep_metric)m)->id)),
			 NULL, NULL))
			return -1;
	for (size_t k = 0; has_breaks(q) && k < res->nreasons; k++)
		if (cell(arg, -1, col++,
			 arena_printf(r->a, "%s: %s", web_t(r, "report.break"),
				      *res->reasons[k] ? res->reasons[k] : web_t(r, "report.no_reason")),
			 NULL, NULL))
			return -1;
	long long tb[REP_MAX_REASONS] = { 0 };
	for (size_t i = 0; i <= res->nrows; i++) {
		bool total = i == res->nrows;
		const struct rep_row *row = total ? NULL : &res->rows[i];
		const long long *v = total ? res->total : row->v;
		col = 0;
		const char *name = total ? "" : row->name ? row->name : row->key;
		const char *base = total ? NULL : drill_base(r, q, row);
		if (q->dim == REP_CENTER && !total)
			name = web_t(r, "report.dim.center");
		if (cell(arg, (long)i, col++, total ? web_t(r, "report.total") : period_label(r, q, row),
			 NULL, NULL) ||
		    cell(arg, (long)i, col++, name, NULL, NULL))
			return -1;
		for (int m = 0; m < REP_NMETRICS; m++) {
			if (!shown(q, (enum rep_metric)m))
				continue;
			char text[32];
			double x;
			bool has = rep_metric_value((enum rep_metric)m, v, q->sl, &x);
			rep_metric_format((enum rep_metric)m, v, q->sl, text, sizeof text);
			if (has)
				x = atof(text);
			const char *href = has && x > 0 ? drill(r, q, base, (enum rep_metric)m) : NULL;
			if (cell(arg, (long)i, col++, arena_strdup(r->a, text), has ? &x : NULL, href))
				return -1;
		}
		for (size_t k = 0; has_breaks(q) && k < res->nreasons; k++) {
			long long ms = total ? tb[k] : row->breaks[k];
			if (!total)
				tb[k] += ms;
			const char *text = hours(r, ms);
			double x = atof(text);
			if (cell(arg, (long)i, col++, text, &x, NULL))
				return -1;
		}
	}
	return 0;
}

struct xml_table {
	xmlNode *head, *rows, *row;
	long cur;
};

static int xml_cell(void *arg, long row, int col, const char *text, const double *num,
		    const char *href)
{
	struct xml_table *t = arg;
	(void)num;
	if (row < 0) {
		xmlNode *c = xd_text(t->head, "c", text);
		xd_attr_int(c, "col", col);
		return 0;
	}
	if (row != t->cur) {
		t->row = xd_el(t->rows, "row");
		t->cur = row;
	}
	xmlNode *c = xd_text(t->row, "v", text);
	if (href)
		xd_attr(c, "href", href);
	return 0;
}

static const char *send_page(struct req *r, const struct parsed *p,
			     const struct rep_result *res)
{
	const struct rep_query *q = &p->q;
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "reports", &doc);
	if (!root)
		return "internal";
	res_doc_side(root, "reports");
	static const char *const strings[] = { "report.refresh_failed" };
	page_strings(root, strings, 1);
	xmlNode *el = xd_el(root, "reports");
	xd_attr(el, "dim", rep_dim_name(q->dim));
	xd_attr(el, "period", rep_period_name(q->period));
	xd_attr(el, "from", local(r, q->from));
	xd_attr(el, "to", local(r, q->to));
	xd_attr_int(el, "sl", q->sl);
	if (q->key)
		xd_attr(el, "key", q->key);
	long long rolled = rollup_rolled_at(r->web->rollup);
	if (rolled) {
		char buf[24];
		clock_format(r->web->tz, rolled / 1000, buf, sizeof buf);
		xd_attr(el, "rolled_at", buf);
	}
	const char *qs = query_string(r, q);
	xd_attr(el, "api", arena_printf(r->a, "/cc/api/admin/reports?%s", qs));
	xd_attr(el, "csv", arena_printf(r->a, "/cc/admin/reports/export.csv?%s", qs));
	xd_attr(el, "xlsx", arena_printf(r->a, "/cc/admin/reports/export.xlsx?%s", qs));
	xmlNode *opts = xd_el(el, "options");
	for (int d = 0; d < REP_NDIMS; d++)
		xd_attr(xd_el(opts, "dim"), "id", rep_dim_name((enum rep_dim)d));
	for (int per = 0; per < RP_NPERIODS; per++)
		xd_attr(xd_el(opts, "period"), "id", rep_period_name((enum rep_period)per));
#define SL_OPT(n) xd_attr_int(xd_el(opts, "sl"), "s", n);
	REP_SL_STEPS(SL_OPT)
#undef SL_OPT
	if (p->bad) {
		xmlNode *e = xd_text(el, "error", web_t(r, p->why));
		xd_attr(e, "field", p->bad);
	}
	if (res) {
		struct xml_table t = { .head = xd_el(el, "head"), .rows = xd_el(el, "rows"),
				       .cur = -2 };
		if (table(r, q, res, xml_cell, &t))
			return "internal";
		xd_attr_int(t.rows, "count", (long long)res->nrows);
	}
	xmlNode *defs = xd_el(el, "definitions");
	for (int m = 0; m < REP_NMETRICS; m++)
		if (shown(q, (enum rep_metric)m))
			xd_attr(xd_el(defs, "d"), "id", rep_metric((enum rep_metric)m)->id);
	return page_finish(r, doc, "reports", p->bad ? 400 : 200);
}

static const char *bad_json(struct req *r, const struct parsed *p)
{
	return resp_json(r, 400, json_pack("{s:b, s:s, s:s, s:s}", "ok", 0, "error", "invalid",
					   "field", p->bad, "message", web_t(r, p->why)));
}

const char *reports_get(struct req *r)
{
	struct parsed p;
	parse(r, &p);
	bool json = r->route->kind == RK_JSON;
	if (p.bad)
		return json ? bad_json(r, &p) : send_page(r, &p, NULL);
	struct rep_result res;
	if (rep_query_run(r, &p.q, &res))
		return "db_unavailable";
	return json ? send_json(r, &p.q, &res) : send_page(r, &p, &res);
}

/* --- files ------------------------------------------------------------------------------ */

static const char *file_name(struct req *r, const struct rep_query *q, const char *ext)
{
	char a[24], b[24];
	clock_format(r->web->tz, q->from, a, sizeof a);
	clock_format(r->web->tz, q->to - 1, b, sizeof b);
	a[10] = b[10] = '\0';
	return arena_printf(r->a, "report-%s-%s-%s-%s.%s", rep_dim_name(q->dim),
			    rep_period_name(q->period), a, b, ext);
}

/* A cell into the request's CSV body (arg: the request). */
static int csv_cell_h(void *arg, long row, int col, const char *text, const double *num,
		      const char *href)
{
	struct req *r = arg;
	(void)num;
	(void)href;
	struct buf *b = &r->resp.body;
	if (col == 0 && row != -1 && buf_puts(r->a, b, "\r\n"))
		return -1;
	if (col > 0 && buf_puts(r->a, b, ","))
		return -1;
	return buf_puts(r->a, b, csv_cell(r->a, text));
}

/* A file's report: false when the answer is made already (refused, or the
 * reason in *why). */
static bool file_report(struct req *r, struct parsed *p, struct rep_result *res, const char **why)
{
	parse(r, p);
	if (p->bad) {
		*why = bad_json(r, p);
		return false;
	}
	if (rep_query_run(r, &p->q, res)) {
		*why = "db_unavailable";
		return false;
	}
	return true;
}

const char *reports_csv_get(struct req *r)
{
	struct parsed p;
	struct rep_result res;
	const char *why;
	if (!file_report(r, &p, &res, &why))
		return why;
	r->resp.status = 200;
	r->resp.ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", file_name(r, &p.q, "csv")));
	r->resp.body.len = 0;
	/* A BOM: Excel reads UTF-8 only with it. */
	if (buf_puts(r->a, &r->resp.body, "\xef\xbb\xbf") || table(r, &p.q, &res, csv_cell_h, r) ||
	    buf_puts(r->a, &r->resp.body, "\r\n"))
		return "internal";
	return NULL;
}

static int xlsx_cell_h(void *arg, long row, int col, const char *text, const double *num,
		       const char *href)
{
	(void)href;
	return xlsx_cell(arg, (unsigned)(row + 1), (unsigned)col, num && row >= 0 ? NULL : text,
			 num && row >= 0 ? *num : 0);
}

const char *reports_xlsx_get(struct req *r)
{
	struct parsed p;
	struct rep_result res;
	const char *why;
	if (!file_report(r, &p, &res, &why))
		return why;
	struct xlsx *x = xlsx_new(r->a, web_t(r, "report.title"));
	if (!x || table(r, &p.q, &res, xlsx_cell_h, x))
		return "internal";
	size_t len;
	const unsigned char *data = xlsx_finish(x, &len);
	if (!data)
		return "internal";
	r->resp.status = 200;
	r->resp.ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", file_name(r, &p.q, "xlsx")));
	r->resp.body.len = 0;
	if (buf_append(r->a, &r->resp.body, data, len))
		return "internal";
	return NULL;
}

/* ?all=1: every hour again (history loaded behind the rollup's back); the
 * answer comes after 15 s at most (under nginx's and clients' timeouts),
 * 202 while it still runs. */
const char *reports_refresh_post(struct req *r)
{
	long long at = 0;
	const char *all = req_query(r, "all");
	int rc = rollup_now(r->web->rollup, 15000, all && !strcmp(all, "1"), &at);
	if (rc < 0)
		return "db_unavailable";
	return resp_json(r, rc ? 202 : 200, json_pack("{s:b, s:b, s:I}", "ok", 1, "running",
						      rc > 0, "rolled_at", (json_int_t)at));
}
