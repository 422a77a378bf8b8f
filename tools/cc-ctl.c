/* cc-ctl: talks to the B2BUA's control socket from a shell.
 *
 *   cc-ctl -a ADDR -s SECRET_FILE [-t MS] COMMAND [key=value ...]
 *   cc-ctl -a ADDR -s SECRET_FILE send '{"cmd":"…",…}'
 *   cc-ctl -a ADDR -s SECRET_FILE -e CLASS[,CLASS] [-n COUNT] [-w SECONDS]
 *
 * Prints the reply (or each event) as one JSON line. Exits 0 when the reply
 * says ok, 1 when it says not ok, 2 on usage or connection errors. */
#include "conf.h"
#include "ctlc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: cc-ctl -a ADDR -s SECRET_FILE [-t MS] COMMAND [key=value ...]\n"
			"       cc-ctl -a ADDR -s SECRET_FILE send JSON\n"
			"       cc-ctl -a ADDR -s SECRET_FILE -e CLASSES [-n COUNT] [-w SECONDS]\n");
	exit(2);
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	if (s) {
		puts(s);
		fflush(stdout);
		free(s);
	}
}

int main(int argc, char **argv)
{
	const char *addr = NULL, *secret_file = NULL, *events = NULL;
	unsigned timeout = 3000;
	long count = -1, wait_s = -1;
	int opt;
	while ((opt = getopt(argc, argv, "a:s:t:e:n:w:")) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 's': secret_file = optarg; break;
		case 't': timeout = (unsigned)atoi(optarg); break;
		case 'e': events = optarg; break;
		case 'n': count = atol(optarg); break;
		case 'w': wait_s = atol(optarg); break;
		default: usage();
		}
	}
	if (!addr || !secret_file || (!events && optind >= argc))
		usage();
	char secret[256], err[256];
	if (conf_read_first_line(secret_file, secret, sizeof secret)) {
		fprintf(stderr, "cc-ctl: %s: %s\n", secret_file, strerror(errno));
		return 2;
	}
	struct ctlc *c;
	if (ctlc_connect(&c, addr, secret, timeout, err, sizeof err)) {
		fprintf(stderr, "cc-ctl: %s\n", err);
		return 2;
	}
	int rc = 0;
	if (events) {
		json_t *list = json_array();
		char *copy = strdup(events), *save = NULL;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(list, json_string(t));
		free(copy);
		json_t *req = json_pack("{s:s,s:o}", "cmd", "subscribe", "events", list);
		json_t *r = ctlc_request(c, req, err, sizeof err);
		json_decref(req);
		if (!r || !json_is_true(json_object_get(r, "ok"))) {
			fprintf(stderr, "cc-ctl: subscribe failed: %s\n", r ? "refused" : err);
			json_decref(r);
			ctlc_close(c);
			return 2;
		}
		json_decref(r);
		/* On stderr, so that a script can wait for it before it acts. */
		fprintf(stderr, "cc-ctl: subscribed to %s\n", events);
		for (long n = 0; count < 0 || n < count; n++) {
			json_t *ev = ctlc_next_event(c, wait_s < 0 ? -1 : (int)(wait_s * 1000), err, sizeof err);
			if (!ev) {
				if (err[0]) {
					fprintf(stderr, "cc-ctl: %s\n", err);
					rc = 2;
				}
				break;
			}
			print_json(ev);
			json_decref(ev);
		}
		ctlc_close(c);
		return rc;
	}

	json_t *req;
	if (!strcmp(argv[optind], "send")) {
		json_error_t je;
		if (optind + 1 >= argc)
			usage();
		req = json_loads(argv[optind + 1], 0, &je);
		if (!req || !json_is_object(req)) {
			fprintf(stderr, "cc-ctl: not a JSON object: %s\n", je.text);
			ctlc_close(c);
			return 2;
		}
	} else {
		req = json_pack("{s:s}", "cmd", argv[optind]);
		for (int i = optind + 1; i < argc; i++) {
			char *eq = strchr(argv[i], '=');
			if (!eq)
				usage();
			*eq = '\0';
			json_object_set_new(req, argv[i], json_string(eq + 1));
		}
	}
	json_t *r = ctlc_request(c, req, err, sizeof err);
	json_decref(req);
	if (!r) {
		fprintf(stderr, "cc-ctl: %s\n", err);
		rc = 2;
	} else {
		print_json(r);
		rc = json_is_true(json_object_get(r, "ok")) ? 0 : 1;
		json_decref(r);
	}
	ctlc_close(c);
	return rc;
}
