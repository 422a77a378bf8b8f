/* Call records: the cc_call row of each call and its cc_call_event log.
 * Each write copies what it needs from the call (the call may be gone when
 * the write runs) and goes through the database queue's ordered write lane,
 * keyed by the call, so a call's rows are written in order and retried while
 * the database is away. */
#ifndef B2BUA_CDR_H
#define B2BUA_CDR_H

#include "b2bua/call/call.h"

/* The row, when the call arrives. */
void cdr_start(struct call *call);
/* The contact the caller was matched to (kept if an agent linked another). */
void cdr_contact(struct call *call);
/* The agent answered: agent and times, so the web app can link a contact
 * to this agent's call while it lasts. */
void cdr_answered(struct call *call);
/* The final row. */
void cdr_finish(struct call *call);
/* One line of the call's event log: event (static), agent id or NULL,
 * detail or NULL. */
void cdr_event(struct call *call, const char *event, const char *agent, const char *detail);

const char *cdr_result_name(enum call_result r);
const char *cdr_side_name(enum hangup_side s);

#endif
