/* cc-ngctl: sends one rtpengine ng command from a shell, through the same
 * client the B2BUA uses (b2bua/media/ng.c), and prints the reply.
 *
 *   cc-ngctl -a HOST:PORT [-t TIMEOUT_MS] [-p PATH] [-v] COMMAND [key=value ...]
 *
 *   cc-ngctl -a 127.0.0.1:2223 ping
 *   cc-ngctl -a 127.0.0.1:2223 offer call-id=x from-tag=a sdp=@a.sdp flags="port latching"
 *   cc-ngctl -a 127.0.0.1:2223 -p tags.a.medias.0.streams.0.stats.packets query call-id=x
 *
 * COMMAND is the ng command with '-' for ' ' ("play-media"). A value "@path"
 * is the content of that file. List keys (flags, replace, rtcp-mux, SDES,
 * OSRTP, received-from, from-tags) and codec keys (transcode, strip, offer, mask, set,
 * except, accept, consume; these go into the "codec" dict) take
 * comma-separated lists. Numeric keys (repeat-times, duration, volume, ...)
 * are sent as integers; "key:=123" sends any key as an integer.
 *
 * Prints the reply dict as one line of JSON (with -p, only the value at the
 * dotted PATH: strings raw, anything else as JSON). -t is the whole time to
 * wait; the request is resent every 500 ms within it.
 *
 * Exit status: 0 ok/pong, 1 error reply (its error-reason on stderr),
 * 2 no answer, bad reply or usage, 3 PATH not in the reply. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "b2bua/media/bencode.h"
#include "b2bua/media/ng.h"
#include "log.h"

#define RESEND_MS 500
#define MAX_ARGS 128

static const char *const list_keys[] = {
	"flags", "replace", "rtcp-mux", "SDES", "OSRTP", "received-from", "from-tags", NULL,
};
static const char *const codec_keys[] = {
	"transcode", "strip", "offer", "mask", "set", "except", "accept", "consume", NULL,
};
static const char *const int_keys[] = {
	"repeat-times", "duration", "volume", "pause", "start-pos", "delay-buffer", "TOS",
	"delete-delay", "ptime", "ptime-reverse", "db-id", "repeat-duration", "frequency",
	"trigger-end-time", "trigger-end-digits", "DTMF-delay", NULL,
};

struct arg {
	char *key;
	char *value;
	int as_int;	/* "key:=value" or a numeric key */
	int done;	/* already sent with an earlier argument of its group */
};

struct result {
	int done;
	int rc;
	const char *path;
};

static void usage(void)
{
	fprintf(stderr, "usage: cc-ngctl -a HOST:PORT [-t TIMEOUT_MS] [-p PATH] [-v] COMMAND "
			"[key=value ...]\n"
			"  value @FILE reads a file; list keys take a,b,c; key:=N sends an integer\n");
	exit(2);
}

static int in(const char *const *set, const char *s)
{
	for (; *set; set++)
		if (!strcmp(*set, s))
			return 1;
	return 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cc-ngctl: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *b = realloc(buf, cap *= 2);
			if (!b)
				free(buf);
			buf = b;
		}
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "cc-ngctl: out of memory\n");
		exit(2);
	}
	buf[len] = '\0';
	return buf;
}

/* Sends the items of "a,b,c" as strings. */
static void put_items(struct benc_enc *e, const char *csv)
{
	while (*csv) {
		size_t n = strcspn(csv, ",");
		if (n)
			benc_strn(e, csv, n);
		csv += n;
		if (*csv == ',')
			csv++;
	}
}

static void put_value(struct benc_enc *e, const struct arg *a)
{
	if (a->as_int) {
		char *end;
		errno = 0;
		long long v = strtoll(a->value, &end, 10);
		if (errno || end == a->value || *end) {
			fprintf(stderr, "cc-ngctl: %s: '%s' is not an integer\n", a->key, a->value);
			exit(2);
		}
		benc_int(e, v);
	} else {
		benc_str(e, a->value);
	}
}

/* The command name as rtpengine spells it: "play-media" -> "play media". */
static void command_name(const char *arg, char *out, size_t n)
{
	snprintf(out, n, "%s", arg);
	for (char *p = out; *p; p++)
		if (*p == '-')
			*p = ' ';
	for (int c = 0; c < NG_CMD_COUNT; c++)
		if (!strcasecmp(out, ng_cmd_name((enum ng_cmd)c)))
			snprintf(out, n, "%s", ng_cmd_name((enum ng_cmd)c));
}

static void encode(struct benc_enc *e, const char *command, struct arg *args, int nargs)
{
	benc_dict(e);
	benc_kv(e, "command", command);
	for (int i = 0; i < nargs; i++) {
		struct arg *a = &args[i];
		if (a->done)
			continue;
		if (in(list_keys, a->key)) {
			/* Repeated list keys add to one list. */
			benc_str(e, a->key);
			benc_list(e);
			for (int j = i; j < nargs; j++)
				if (!strcmp(args[j].key, a->key)) {
					put_items(e, args[j].value);
					args[j].done = 1;
				}
			benc_end(e);
		} else if (in(codec_keys, a->key)) {
			benc_str(e, "codec");
			benc_dict(e);
			for (int j = i; j < nargs; j++)
				if (in(codec_keys, args[j].key)) {
					benc_str(e, args[j].key);
					benc_list(e);
					put_items(e, args[j].value);
					benc_end(e);
					args[j].done = 1;
				}
			benc_end(e);
		} else {
			benc_str(e, a->key);
			put_value(e, a);
			a->done = 1;
		}
	}
	benc_end(e);
}

/* --- printing ------------------------------------------------------------- */

static json_t *json_text(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	if (j)
		return j;
	/* Not UTF-8: show it with the odd bytes replaced rather than not at all. */
	char *copy = malloc(n + 1);
	if (!copy)
		return NULL;
	for (size_t i = 0; i < n; i++)
		copy[i] = (unsigned char)s[i] < 0x80 && s[i] ? s[i] : '?';
	j = json_stringn(copy, n);
	free(copy);
	return j;
}

static json_t *to_json(const struct benc *b)
{
	switch (b->type) {
	case BENC_STR:
		return json_text(b->str, b->len);
	case BENC_INT:
		return json_integer(b->num);
	case BENC_LIST: {
		json_t *a = json_array();
		for (const struct benc *c = b->child; a && c; c = c->next)
			json_array_append_new(a, to_json(c));
		return a;
	}
	case BENC_DICT: {
		json_t *o = json_object();
		for (const struct benc *c = b->child; o && c; c = c->next) {
			json_t *k = json_text(c->key, c->key_len);
			if (k)
				json_object_set_new(o, json_string_value(k), to_json(c));
			json_decref(k);
		}
		return o;
	}
	}
	return NULL;
}

/* The node at "a.b.0.c": dict keys, list indexes. */
static const struct benc *lookup(const struct benc *b, const char *path)
{
	while (b && *path) {
		size_t n = strcspn(path, ".");
		const struct benc *c = b->child;
		if (b->type == BENC_DICT) {
			while (c && !(c->key_len == n && !memcmp(c->key, path, n)))
				c = c->next;
		} else if (b->type == BENC_LIST && n && strspn(path, "0123456789") == n) {
			for (long i = atol(path); c && i > 0; i--)
				c = c->next;
		} else {
			c = NULL;
		}
		b = c;
		path += n;
		if (*path == '.')
			path++;
	}
	return b;
}

static void print(const struct benc *reply, struct result *res)
{
	const struct benc *b = res->path ? lookup(reply, res->path) : reply;
	if (!b) {
		fprintf(stderr, "cc-ngctl: no %s in the reply\n", res->path);
		res->rc = 3;
		return;
	}
	if (b->type == BENC_STR && res->path) {
		fwrite(b->str, 1, b->len, stdout);
		putchar('\n');
		return;
	}
	json_t *j = to_json(b);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (s)
		puts(s);
	free(s);
	json_decref(j);
}

static void on_reply(const struct benc *reply, const char *err, void *arg)
{
	struct result *res = arg;
	res->done = 1;
	res->rc = err ? (reply ? 1 : 2) : 0;
	if (reply)
		print(reply, res);
	if (err)
		fprintf(stderr, "cc-ngctl: %s\n", err);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *addr = NULL;
	long timeout = 2000;
	struct result res = { 0 };
	int opt;
	log_init("cc-ngctl", LOG_WARN);
	while ((opt = getopt(argc, argv, "a:t:p:v")) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 't': timeout = atol(optarg); break;
		case 'p': res.path = optarg; break;
		case 'v': log_set_level(LOG_DEBUG); break;
		default: usage();
		}
	}
	if (!addr || optind >= argc || timeout < 1)
		usage();

	char command[64];
	command_name(argv[optind++], command, sizeof command);
	struct arg args[MAX_ARGS];
	int nargs = 0;
	for (; optind < argc; optind++) {
		char *eq = strchr(argv[optind], '=');
		if (!eq || eq == argv[optind] || nargs == MAX_ARGS)
			usage();
		struct arg *a = &args[nargs++];
		*eq = '\0';
		a->key = argv[optind];
		a->value = eq[1] == '@' ? read_file(eq + 2) : eq + 1;
		a->done = 0;
		size_t kl = strlen(a->key);
		a->as_int = in(int_keys, a->key);
		if (kl > 1 && a->key[kl - 1] == ':') {
			a->key[kl - 1] = '\0';
			a->as_int = 1;
		}
	}

	struct benc_enc e;
	benc_enc_init(&e);
	encode(&e, command, args, nargs);
	if (e.err) {
		fprintf(stderr, "cc-ngctl: out of memory\n");
		return 2;
	}

	unsigned tries = (unsigned)((timeout + RESEND_MS - 1) / RESEND_MS);
	unsigned interval = (unsigned)(timeout / tries);
	su_init();
	su_root_t *root = su_root_create(NULL);
	struct ng_client *ng = NULL;
	int err = root ? ng_client_alloc(&ng, root, addr, interval ? interval : 1, tries) : ENOMEM;
	if (!err)
		err = ng_request_raw(ng, &e, on_reply, &res, NULL);
	if (err) {
		fprintf(stderr, "cc-ngctl: %s: %s\n", addr, strerror(err));
		res.rc = 2;
	} else {
		while (!res.done)
			su_root_step(root, 100);
	}
	ng_client_free(ng);
	if (root)
		su_root_destroy(root);
	su_deinit();
	benc_enc_free(&e);
	return res.rc;
}
