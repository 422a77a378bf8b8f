/* Server-Sent Events framing. */
#include "hub.h"

#include <stdlib.h>
#include <string.h>

char *sse_frame(const char *name, const char *data, size_t *lenp)
{
	if (!name || strpbrk(name, "\r\n") || !data)
		return NULL;
	size_t lines = 1;
	for (const char *p = data; *p; p++)
		if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
			lines++;
	size_t cap = strlen("event: \n") + strlen(name) + strlen(data) + lines * strlen("data: \n") + 2;
	char *out = malloc(cap), *o = out;
	if (!out)
		return NULL;
	o = stpcpy(o, "event: ");
	o = stpcpy(o, name);
	*o++ = '\n';
	const char *p = data;
	for (;;) {
		size_t n = strcspn(p, "\r\n");
		o = stpcpy(o, "data: ");
		memcpy(o, p, n);
		o += n;
		*o++ = '\n';
		p += n;
		if (!*p)
			break;
		p += (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
	}
	*o++ = '\n';
	*o = '\0';
	if (lenp)
		*lenp = (size_t)(o - out);
	return out;
}

char *sse_frame_json(const char *name, json_t *data, size_t *lenp)
{
	char *text = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!text)
		return NULL;
	char *f = sse_frame(name, text, lenp);
	free(text);
	return f;
}
