/* Agents as the B2BUA reports them (agent.get / agent.list), for pages. */
#ifndef WEB_AGENT_H
#define WEB_AGENT_H

#include "../tmpl/tmpl.h"
#include "../web.h"

/* The reasons an agent may give for a break (not_ready), as stable codes;
 * the catalogue has "reason.<code>". */
#define BREAK_REASONS(X) X(rest) X(meal) X(meeting) X(training) X(other)

bool break_reason_ok(const char *code);
/* Adds <agent …/> with the B2BUA's fields of a (an agent object). */
xmlNode *agent_node(xmlNode *parent, json_t *a);
/* "HH:MM:SS" local time of a B2BUA time in ms, in r's arena. */
const char *clock_of_ms(struct req *r, long long ms);

/* calls.c: adds <convs> with one <conv id time direction number name
 * contact online task intent/> per call of the signed-in agent today. */
void workbench_convs(struct req *r, xmlNode *parent);

#endif
