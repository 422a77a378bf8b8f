/* Call records: the cc_call row of each call and its cc_call_event log.
 * Each write copies what it needs from the call (the call may be gone when
 * the write runs) and goes through the database queue's ordered write lane,
 * keyed by the call, so a call's rows are written in order and retried while
 * the database is away. The row is written when the call arrives, when an
 * agent answers (so the workbench can link a contact to the live call) and
 * when it ends; the event log is kept in the call and written with the
 * final row, a few multi-row inserts instead of one statement per event. */
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
/* One line of the call's event log, timed now: event (static), agent id
 * or NULL, detail or NULL. */
void cdr_event(struct call *call, const char *event, const char *agent, const char *detail);

const char *cdr_result_name(enum call_result r);
const char *cdr_side_name(enum hangup_side s);

#endif
