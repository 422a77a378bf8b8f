/* Agents' live state in the database: cc_agent (one row per agent, the
 * reservation guard between nodes) and cc_agent_state_log (append-only).
 * Writes go through the database queue's ordered write lane, keyed by the
 * agent, so the rows follow the order of the changes. */
#ifndef B2BUA_AGENT_STORE_H
#define B2BUA_AGENT_STORE_H

struct app;
struct agent;

/* Writes the agent's current state. For AGENT_RESERVED the row is taken only
 * if it is still ready and this node's; when another node holds the agent,
 * acd_reservation_lost() runs on the loop. */
void agent_store_state(struct app *app, const struct agent *a);

/* Called on the loop when a reservation did not take in the database. */
void acd_reservation_lost(struct app *app, const char *agent_id, const char *call_id);

#endif
