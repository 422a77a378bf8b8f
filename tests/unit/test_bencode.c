/* bencode: what rtpengine sends must decode to the right tree, what we send
 * must be byte-exact, and every kind of broken input must be refused with
 * its reason rather than half-parsed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "b2bua/media/bencode.h"

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static struct benc *decode(void **state, const char *s, const char **err)
{
	*err = NULL;
	return benc_decode(*state, s, strlen(s), err);
}

/* Decoding s must fail with reason why. */
static void refuse(void **state, const char *s, size_t len, const char *why)
{
	const char *err = NULL;
	struct benc *b = benc_decode(*state, s, len, &err);
	if (b || !err || strcmp(err, why))
		fail_msg("'%.*s': got %s '%s', want NULL '%s'", (int)len, s, b ? "a tree" : "NULL",
			 err ? err : "(no reason)", why);
}

/* Writes a tree back as bencode, to compare trees as text. */
static void reencode(struct benc_enc *e, const struct benc *b)
{
	switch (b->type) {
	case BENC_STR:
		benc_strn(e, b->str, b->len);
		break;
	case BENC_INT:
		benc_int(e, b->num);
		break;
	case BENC_LIST:
	case BENC_DICT:
		if (b->type == BENC_LIST)
			benc_list(e);
		else
			benc_dict(e);
		for (const struct benc *c = b->child; c; c = c->next) {
			if (b->type == BENC_DICT)
				benc_strn(e, c->key, c->key_len);
			reencode(e, c);
		}
		benc_end(e);
		break;
	}
}

static void round_trip(void **state, const char *s)
{
	const char *err;
	struct benc *b = decode(state, s, &err);
	if (!b)
		fail_msg("'%s': %s", s, err);
	struct benc_enc e;
	benc_enc_init(&e);
	reencode(&e, b);
	assert_int_equal(e.err, 0);
	assert_int_equal(e.depth, 0);
	assert_int_equal(e.len, strlen(s));
	assert_memory_equal(e.buf, s, e.len);
	benc_enc_free(&e);
}

static void scalars(void **state)
{
	const char *err;
	struct benc *b = decode(state, "i42e", &err);
	assert_non_null(b);
	assert_int_equal(b->type, BENC_INT);
	assert_int_equal(b->num, 42);

	b = decode(state, "i-7e", &err);
	assert_non_null(b);
	assert_int_equal(b->num, -7);

	b = decode(state, "i0e", &err);
	assert_non_null(b);
	assert_int_equal(b->num, 0);

	b = decode(state, "i9223372036854775807e", &err);
	assert_non_null(b);
	assert_true(b->num == INT64_MAX);
	b = decode(state, "i-9223372036854775808e", &err);
	assert_non_null(b);
	assert_true(b->num == INT64_MIN);

	b = decode(state, "4:pong", &err);
	assert_non_null(b);
	assert_int_equal(b->type, BENC_STR);
	assert_int_equal(b->len, 4);
	assert_memory_equal(b->str, "pong", 4);
	assert_true(benc_is(b, "pong"));
	assert_false(benc_is(b, "pon"));
	assert_false(benc_is(b, "pongs"));

	b = decode(state, "0:", &err);
	assert_non_null(b);
	assert_int_equal(b->len, 0);
	assert_true(benc_is(b, ""));
}

/* Strings may hold any byte, NUL and 'e' included. */
static void binary_strings(void **state)
{
	static const char s[] = "5:a\0e:d";
	const char *err;
	struct benc *b = benc_decode(*state, s, sizeof s - 1, &err);
	assert_non_null(b);
	assert_int_equal(b->len, 5);
	assert_memory_equal(b->str, "a\0e:d", 5);
	char *copy = benc_strdup(*state, b);
	assert_string_equal(copy, "a"); /* a C string stops at the NUL */
}

/* A reply as rtpengine 10.5 sends it to an offer. */
static void offer_reply(void **state)
{
	const char *s = "d3:sdp25:v=0\r\no=- 1 1 IN IP4 ::1\r\n6:result2:ok"
			"8:warningsl3:one3:twoe5:statsd7:packetsi10e5:bytesi1720eee";
	const char *err;
	struct benc *b = decode(state, s, &err);
	assert_non_null(b);
	assert_int_equal(b->type, BENC_DICT);
	assert_true(benc_is(benc_get(b, "result"), "ok"));
	const struct benc *sdp = benc_get(b, "sdp");
	assert_non_null(sdp);
	assert_int_equal(sdp->len, 25);
	assert_string_equal(benc_strdup(*state, sdp), "v=0\r\no=- 1 1 IN IP4 ::1\r\n");
	const struct benc *w = benc_get(b, "warnings");
	assert_non_null(w);
	assert_int_equal(w->type, BENC_LIST);
	assert_true(benc_is(w->child, "one"));
	assert_true(benc_is(w->child->next, "two"));
	assert_null(w->child->next->next);
	assert_null(w->child->key);
	const struct benc *stats = benc_get(b, "stats");
	assert_int_equal(benc_get(stats, "packets")->num, 10);
	assert_int_equal(benc_get(stats, "bytes")->num, 1720);
	assert_null(benc_get(b, "missing"));
	assert_null(benc_get(b, "resul"));
	assert_null(benc_get(w, "one")); /* not a dict */
	assert_null(benc_get(NULL, "x"));
	assert_null(benc_strdup(*state, stats));
	round_trip(state, s);
}

static void round_trips(void **state)
{
	round_trip(state, "le");
	round_trip(state, "de");
	round_trip(state, "lllleeee");
	round_trip(state, "li1ei-1e0:1:xe");
	round_trip(state, "d1:ad1:bd1:cli1eli2eeeeee");
	/* keys out of order and repeated: rtpengine does not sort, so neither do we */
	round_trip(state, "d1:bi1e1:ai2e1:bi3ee");
	round_trip(state, "d7:command5:offer5:flagsl13:port latching13:trust addressee");
}

static void encoder(void **state)
{
	(void)state;
	struct benc_enc e;
	benc_enc_init(&e);
	benc_dict(&e);
	benc_kv(&e, "command", "play media");
	benc_kv(&e, "call-id", NULL); /* left out */
	benc_kint(&e, "repeat-times", -1);
	static const char *const flags[] = { "port latching", "trust address", NULL };
	static const char *const none[] = { NULL };
	benc_klist(&e, "flags", flags);
	benc_klist(&e, "replace", none); /* left out */
	benc_klist(&e, "codec", NULL);	 /* left out */
	benc_str(&e, "x");
	benc_list(&e);
	benc_int(&e, 0);
	benc_strn(&e, "ab\0c", 4);
	benc_str(&e, "");
	benc_end(&e);
	benc_end(&e);
	assert_int_equal(e.err, 0);
	assert_int_equal(e.depth, 0);
	const char want[] = "d7:command10:play media12:repeat-timesi-1e5:flagsl13:port latching"
			    "13:trust addresse1:xli0e4:ab\0c0:ee";
	assert_int_equal(e.len, sizeof want - 1);
	assert_memory_equal(e.buf, want, e.len);
	benc_enc_free(&e);
	assert_null(e.buf);
	assert_int_equal(e.len, 0);
}

/* Growth past the first block keeps every byte. */
static void encoder_grows(void **state)
{
	struct benc_enc e;
	benc_enc_init(&e);
	benc_list(&e);
	for (int i = 0; i < 5000; i++)
		benc_int(&e, i);
	benc_end(&e);
	assert_int_equal(e.err, 0);
	const char *err;
	struct benc *b = benc_decode(*state, e.buf, e.len, &err);
	assert_non_null(b);
	int n = 0;
	for (const struct benc *c = b->child; c; c = c->next, n++)
		assert_int_equal(c->num, n);
	assert_int_equal(n, 5000);
	benc_enc_free(&e);
}

static void malformed_strings(void **state)
{
	refuse(state, "5:abc", 5, "truncated");
	refuse(state, "5", 1, "truncated");
	refuse(state, "12", 2, "truncated");
	refuse(state, "3abc", 4, "bad string length");
	refuse(state, "03:abc", 6, "bad string length");
	refuse(state, "-1:a", 4, "unexpected byte");
	refuse(state, "99999999999999999999999:a", 25, "bad string length");
	refuse(state, "d1:a5:abce", 10, "truncated");
}

static void malformed_integers(void **state)
{
	refuse(state, "i-3", 3, "truncated");
	refuse(state, "i", 1, "truncated");
	refuse(state, "ie", 2, "bad integer");
	refuse(state, "i-e", 3, "bad integer");
	refuse(state, "i-0e", 4, "bad integer");
	refuse(state, "i03e", 4, "bad integer");
	refuse(state, "i-03e", 5, "bad integer");
	refuse(state, "i1.5e", 5, "bad integer");
	refuse(state, "i+1e", 4, "bad integer");
	refuse(state, "i 1e", 4, "bad integer");
	refuse(state, "i9223372036854775808e", 21, "bad integer");
	refuse(state, "i-9223372036854775809e", 22, "bad integer");
	refuse(state, "i99999999999999999999999e", 25, "bad integer");
}

static void malformed_containers(void **state)
{
	refuse(state, "l", 1, "truncated");
	refuse(state, "li1e", 4, "truncated");
	refuse(state, "d", 1, "truncated");
	refuse(state, "d1:a", 4, "truncated");
	refuse(state, "d1:ai1e", 7, "truncated");
	refuse(state, "lllleee", 7, "truncated");
	refuse(state, "di1ei2ee", 8, "dict key not a string");
	refuse(state, "dli1ee1:ae", 10, "dict key not a string");
	refuse(state, "dd1:aee", 7, "dict key not a string");
	refuse(state, "lxe", 3, "unexpected byte");
	refuse(state, "e", 1, "unexpected byte");
}

static void trailing_and_empty(void **state)
{
	refuse(state, "i1ei2e", 6, "trailing bytes");
	refuse(state, "dee", 3, "trailing bytes");
	refuse(state, "4:pong ", 7, "trailing bytes");
	refuse(state, "le\n", 3, "trailing bytes");
	refuse(state, "", 0, "empty");
	refuse(state, NULL, 4, "empty");
}

static void nesting_limit(void **state)
{
	char buf[200];
	/* 32 levels decode */
	memset(buf, 'l', 32);
	memset(buf + 32, 'e', 32);
	const char *err;
	struct benc *b = benc_decode(*state, buf, 64, &err);
	assert_non_null(b);
	int depth = 0;
	for (; b; b = b->child)
		depth++;
	assert_int_equal(depth, 32);
	/* 33 do not, whether lists or dicts */
	memset(buf, 'l', 33);
	memset(buf + 33, 'e', 33);
	refuse(state, buf, 66, "nesting too deep");
	int n = 0;
	for (int i = 0; i < 33; i++)
		n += sprintf(buf + n, "d1:k");
	n += sprintf(buf + n, "i1e");
	for (int i = 0; i < 33; i++)
		buf[n++] = 'e';
	refuse(state, buf, (size_t)n, "nesting too deep");
	/* and a deep input is refused before it is read to its end */
	char deep[100000];
	memset(deep, 'l', sizeof deep);
	refuse(state, deep, sizeof deep, "nesting too deep");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(binary_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(offer_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(encoder, setup, teardown),
		cmocka_unit_test_setup_teardown(encoder_grows, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_integers, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_containers, setup, teardown),
		cmocka_unit_test_setup_teardown(trailing_and_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(nesting_limit, setup, teardown),
	};
	return cmocka_run_group_tests_name("bencode", tests, NULL, NULL);
}
