/* Kamailio's JSON-RPC over a UNIX datagram socket (see kamrpc.h). */
#include "kamrpc.h"

#include "rnd.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int kamrpc_call(const char *path, unsigned timeout_ms, const char *method, json_t *params,
		json_t **result, char *err, size_t errlen)
{
	*result = NULL;
	struct sockaddr_un to = { .sun_family = AF_UNIX };
	if (!path || !*path || strlen(path) >= sizeof to.sun_path) {
		snprintf(err, errlen, "no usable socket path");
		return -1;
	}
	strcpy(to.sun_path, path);
	unsigned id;
	if (rnd_bytes(&id, sizeof id)) {
		snprintf(err, errlen, "no randomness");
		return -1;
	}
	id &= 0x7fffffff;
	json_t *req = json_pack("{s:s, s:s, s:o, s:I}", "jsonrpc", "2.0", "method", method,
				"params", params ? json_incref(params) : json_array(), "id",
				(json_int_t)id);
	char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;
	/* Binding only the family autobinds an abstract address, so that
	 * Kamailio has an address to answer to. */
	struct sockaddr_un me = { .sun_family = AF_UNIX };
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(sa_family_t)) ||
	    sendto(fd, text, strlen(text), 0, (struct sockaddr *)&to, sizeof to) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		long long left = deadline - now_ms();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			snprintf(err, errlen, "%s: no reply within %u ms", path, timeout_ms);
			goto out;
		}
		char buf[65536];
		ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		json_t *rep = json_loadb(buf, (size_t)n, 0, NULL);
		json_t *rid = json_object_get(rep, "id");
		if (!json_is_integer(rid) || json_integer_value(rid) != (json_int_t)id) {
			json_decref(rep);
			continue;
		}
		json_t *e = json_object_get(rep, "error");
		if (e) {
			json_t *code = json_object_get(e, "code");
			snprintf(err, errlen, "%s", json_string_value(json_object_get(e, "message"))
						      ? json_string_value(json_object_get(e, "message"))
						      : "error");
			rc = json_is_integer(code) && json_integer_value(code) > 0
				? (int)json_integer_value(code) : 500;
		} else {
			*result = json_incref(json_object_get(rep, "result"));
			rc = 0;
		}
		json_decref(rep);
		break;
	}
out:
	if (fd >= 0)
		close(fd);
	free(text);
	return rc;
}
