/* The data an IVR flow attached to a call (the event's `data`: a JSON
 * object's text), as the screen pop shows it: name/value pairs in the
 * order given. Values that are not strings are shown as their JSON text;
 * anything that is not an object shows nothing (and is logged). */
#include "../sse/hub.h"

#include "log.h"

#include <stdlib.h>

#define POP_DATA_MAX 64

json_t *pop_data(const char *text)
{
	json_t *out = json_array();
	if (!out || !text || !*text)
		return out;
	json_error_t err;
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(o)) {
		log_warn("pop: the call's data is no JSON object; not shown");
		json_decref(o);
		return out;
	}
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (json_array_size(out) >= POP_DATA_MAX)
			break;
		char *dumped = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		json_array_append_new(out, json_pack("{s:s, s:s}", "name", k, "value",
						     dumped ? dumped : json_string_value(v)));
		free(dumped);
	}
	json_decref(o);
	return out;
}
