/* Private to b2bua/media/: what the DTMF log's two transports (JSON over
 * UDP in dtmf.c, bencode over TCP in dtmf_feed.c) share, so that an event
 * is checked the same way whichever way it came. */
#ifndef B2BUA_DTMF_PRIV_H
#define B2BUA_DTMF_PRIV_H

#include "dtmf.h"

enum dtmf_field { DTMF_FIELD_ABSENT, DTMF_FIELD_OK, DTMF_FIELD_BAD /* present, wrong type */ };

/* An event's members as the transport found them. Strings are NULL when
 * absent or not strings, and must outlive the event built from them. */
struct dtmf_fields {
	enum dtmf_field type;		/* OK: the string "DTMF" */
	const char *call_id;
	const char *source_tag;
	enum dtmf_field event_state, duration_state, timestamp_state;
	long long event, duration, timestamp;
};

/* Fills ev from f; NULL, or why the event is dropped. */
const char *dtmf_fields_check(const struct dtmf_fields *f, struct dtmf_event *ev);

#endif
