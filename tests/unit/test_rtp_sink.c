/* The recording sink (b2bua/media/rtp_sink.c) on a real su_root, fed RTP
 * from test sockets on 127.0.0.1: PCMU and PCMA decoded into an 8 kHz
 * 16-bit WAV, a gap as silence, a duplicate and a late packet dropped, a
 * reordered packet put back in its place, a telephone-event packet and a
 * datagram that is not RTP ignored and counted, a new SSRC going on where
 * the recording is, another sender's datagrams dropped; the stop at
 * max_seconds by the audio's timestamps and by the clock; its SDP; its
 * port range; the arguments it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "b2bua/media/rtp_sink.h"
#include "b2bua/media/sdp.h"
#include "common/wav.h"
#include "support.h"

#define PTIME 160	/* samples in 20 ms */

struct env {
	su_root_t *root;
	char dir[64], path[128];
	int tx, other;		/* senders */
	struct rtp_sink *sink;
	int done;
	enum rtp_sink_reason reason;
	struct rtp_sink_stats st;
	bool close_in_callback;
};

static void on_done(enum rtp_sink_reason reason, const struct rtp_sink_stats *st, void *arg)
{
	struct env *e = arg;
	e->done++;
	e->reason = reason;
	e->st = *st;
	if (e->close_in_callback) {
		assert_int_equal(rtp_sink_close(e->sink, NULL), reason);
		e->sink = NULL;
	}
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin))
		return -1;
	return fd;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (!e || su_init() || !(e->root = su_root_create(NULL)))
		return -1;
	snprintf(e->dir, sizeof e->dir, "/tmp/test_rtp_sink.XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	snprintf(e->path, sizeof e->path, "%s/vm.wav", e->dir);
	e->tx = udp_socket();
	e->other = udp_socket();
	if (e->tx < 0 || e->other < 0)
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	rtp_sink_close(e->sink, NULL);
	close(e->tx);
	close(e->other);
	unlink(e->path);
	rmdir(e->dir);
	su_root_destroy(e->root);
	su_deinit();
	free(e);
	return 0;
}

static void open_sink(struct env *e, unsigned max_seconds)
{
	assert_int_equal(rtp_sink_open(&e->sink, e->root, "127.0.0.1", 0, 0, e->path, max_seconds,
				       on_done, e),
			 0);
	assert_true(rtp_sink_port(e->sink) > 0);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One RTP packet of n bytes, each `byte`, from fd to the sink. */
static void send_rtp(struct env *e, int fd, int pt, uint16_t seq, uint32_t ts, uint32_t ssrc,
		     unsigned char byte, size_t n)
{
	unsigned char p[12 + 400];
	assert_true(n <= 400);
	p[0] = 0x80;
	p[1] = (unsigned char)pt;
	p[2] = (unsigned char)(seq >> 8);
	p[3] = (unsigned char)seq;
	put32(p + 4, ts);
	put32(p + 8, ssrc);
	memset(p + 12, byte, n);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((uint16_t)rtp_sink_port(e->sink)) };
	assert_int_equal(sendto(fd, p, 12 + n, 0, (struct sockaddr *)&to, sizeof to),
			 (ssize_t)(12 + n));
}

static void send_raw(struct env *e, int fd, const void *p, size_t n)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((uint16_t)rtp_sink_port(e->sink)) };
	assert_int_equal(sendto(fd, p, n, 0, (struct sockaddr *)&to, sizeof to), (ssize_t)n);
}

static struct rtp_sink_stats stats(struct env *e)
{
	struct rtp_sink_stats st;
	rtp_sink_stats(e->sink, &st);
	return st;
}

/* The WAV file's samples; *n how many. Checks the header on the way. */
static int16_t *read_wav(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static unsigned char buf[1 << 20];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	struct wav_info wi;
	assert_null(wav_parse(buf, len, &wi));
	assert_int_equal(wi.codec, WAV_PCM);
	assert_int_equal(wi.rate, 8000);
	assert_int_equal(wi.channels, 1);
	assert_int_equal(wi.bits, 16);
	assert_int_equal(wi.data_off, WAV_HEADER_BYTES);
	assert_int_equal(len, WAV_HEADER_BYTES + wi.data_len);	/* sizes fixed at close */
	*n = (size_t)wi.frames;
	int16_t *s = malloc(*n * sizeof *s);
	assert_non_null(s);
	for (size_t i = 0; i < *n; i++)
		s[i] = (int16_t)(buf[wi.data_off + 2 * i] | buf[wi.data_off + 2 * i + 1] << 8);
	return s;
}

/* Every sample of [from, to) is v. */
static void expect_run(const int16_t *s, size_t from, size_t to, int v)
{
	for (size_t i = from; i < to; i++)
		if (s[i] != v)
			fail_msg("sample %zu is %d, not %d", i, s[i], v);
}

/* G.711 values of the bytes used below (ITU-T G.711 tables, 16-bit). */
#define U_00 (-32124)	/* PCMU 0x00 */
#define U_80 32124	/* PCMU 0x80 */
#define U_F0 120	/* PCMU 0xF0 */
#define A_AA 32256	/* PCMA 0xAA */
#define A_55 (-8)	/* PCMA 0x55 */
#define A_D5 8		/* PCMA 0xD5 */

static void decode_and_place(void **state)
{
	struct env *e = *state;
	open_sink(e, 10);
	const uint32_t T = 0xFFFFFF00u;	/* wraps around 2^32 on the way */
	send_rtp(e, e->tx, 0, 1, T, 0x1111, 0x00, PTIME);		/* [0,160) PCMU */
	send_rtp(e, e->tx, 8, 2, T + 160, 0x1111, 0xAA, PTIME);		/* [160,320) PCMA */
	/* seq 3 never comes: [320,480) is silence */
	send_rtp(e, e->tx, 0, 4, T + 480, 0x1111, 0x80, PTIME);		/* [480,640) */
	send_rtp(e, e->tx, 101, 5, T + 480, 0x1111, 0x01, 4);		/* telephone-event */
	send_rtp(e, e->tx, 8, 7, T + 800, 0x1111, 0xD5, PTIME);		/* [800,960), early */
	send_rtp(e, e->tx, 8, 6, T + 640, 0x1111, 0x55, PTIME);		/* [640,800), late by one */
	send_rtp(e, e->tx, 0, 4, T + 480, 0x1111, 0x00, PTIME);		/* a duplicate */
	send_raw(e, e->tx, "hello", 5);					/* not RTP */
	send_rtp(e, e->other, 0, 1, T + 960, 0x1111, 0x00, PTIME);	/* another sender */
	/* A new stream, whatever its timestamps: goes on at 960. */
	send_rtp(e, e->tx, 0, 100, 12345, 0x2222, 0x00, PTIME);		/* [960,1120) */
	assert_true(LOOP_UNTIL(e->root, stats(e).packets == 6 && stats(e).foreign == 1,
			       T_DEADLINE_MS));
	/* 0.8 s more: what is older than the jitter allowance is written. */
	for (unsigned i = 1; i <= 40; i++)
		send_rtp(e, e->tx, 0, (uint16_t)(100 + i), 12345 + i * PTIME, 0x2222, 0xF0, PTIME);
	assert_true(LOOP_UNTIL(e->root, stats(e).packets == 46, T_DEADLINE_MS));
	/* [0,160) again: its place was written long ago. */
	send_rtp(e, e->tx, 0, 99, 12345 - 960, 0x2222, 0x80, PTIME);
	assert_true(LOOP_UNTIL(e->root, stats(e).late == 1, T_DEADLINE_MS));
	assert_true(stats(e).samples > 0);	/* written as it went */

	struct rtp_sink_stats st;
	assert_int_equal(rtp_sink_close(e->sink, &st), RTP_SINK_STOPPED);
	e->sink = NULL;
	assert_int_equal(e->done, 0);	/* closing is not a callback */
	assert_int_equal(st.packets, 46);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(st.late, 1);
	assert_int_equal(st.malformed, 1);
	assert_int_equal(st.foreign, 1);
	assert_int_equal(st.streams, 2);
	const size_t total = 1120 + 40 * PTIME;
	assert_int_equal(st.samples, total);
	assert_int_equal(st.duration_ms, total / 8);

	size_t n;
	int16_t *s = read_wav(e->path, &n);
	assert_int_equal(n, total);
	expect_run(s, 0, 160, U_00);
	expect_run(s, 160, 320, A_AA);
	expect_run(s, 320, 480, 0);
	expect_run(s, 480, 640, U_80);
	expect_run(s, 640, 800, A_55);
	expect_run(s, 800, 960, A_D5);
	expect_run(s, 960, 1120, U_00);
	expect_run(s, 1120, total, U_F0);
	free(s);
}

/* Packets with a CSRC, a header extension and padding: their payload is
 * what is after the first two and before the third. */
static void header_fields(void **state)
{
	struct env *e = *state;
	open_sink(e, 10);
	unsigned char p[12 + 4 + 8 + PTIME + 4];
	memset(p, 0, sizeof p);
	p[0] = 0x80 | 0x20 | 0x10 | 1;	/* padding, extension, one CSRC */
	p[1] = 8;
	put32(p + 4, 777);
	put32(p + 8, 0x3333);
	p[12 + 4 + 3] = 1;		/* extension: one word */
	memset(p + 12 + 4 + 8, 0xAA, PTIME);
	p[sizeof p - 1] = 4;		/* four bytes of padding */
	send_raw(e, e->tx, p, sizeof p);
	/* Broken ones: padding longer than the payload, version 1, short. */
	unsigned char bad[sizeof p];
	memcpy(bad, p, sizeof p);
	bad[sizeof bad - 1] = 250;
	send_raw(e, e->tx, bad, sizeof bad);
	memcpy(bad, p, sizeof p);
	bad[0] = 0x40;
	send_raw(e, e->tx, bad, sizeof bad);
	send_raw(e, e->tx, p, 11);
	assert_true(LOOP_UNTIL(e->root, stats(e).packets == 1 && stats(e).malformed == 3,
			       T_DEADLINE_MS));
	struct rtp_sink_stats st;
	assert_int_equal(rtp_sink_close(e->sink, &st), RTP_SINK_STOPPED);
	e->sink = NULL;
	size_t n;
	int16_t *s = read_wav(e->path, &n);
	assert_int_equal(n, PTIME);
	expect_run(s, 0, PTIME, A_AA);
	free(s);
}

/* 1.2 s of audio for a 1 s recording: it ends at 8000 samples, with the
 * callback (which closes the sink from inside). */
static void max_seconds(void **state)
{
	struct env *e = *state;
	open_sink(e, 1);
	e->close_in_callback = true;
	for (unsigned i = 0; i < 60; i++) {
		send_rtp(e, e->tx, 0, (uint16_t)i, i * PTIME, 0x4444, 0x80, PTIME);
		if (e->sink)
			su_root_step(e->root, 0);	/* sends stop once it is closed */
		if (!e->sink)
			break;
	}
	assert_true(LOOP_UNTIL(e->root, e->done == 1, T_DEADLINE_MS));
	assert_null(e->sink);
	assert_int_equal(e->reason, RTP_SINK_MAX_LEN);
	assert_int_equal(e->st.samples, 8000);
	assert_int_equal(e->st.duration_ms, 1000);
	assert_int_equal(e->st.packets, 50);
	size_t n;
	int16_t *s = read_wav(e->path, &n);
	assert_int_equal(n, 8000);
	expect_run(s, 0, 8000, U_80);
	free(s);
	assert_string_equal(rtp_sink_reason_name(e->reason), "max_len");
}

/* No audio at all: the clock ends it, max_seconds + the grace after. */
static void max_seconds_by_clock(void **state)
{
	struct env *e = *state;
	long long t0 = t_now_ms();
	open_sink(e, 1);
	assert_true(LOOP_UNTIL(e->root, e->done == 1, T_DEADLINE_MS));
	/* The timer counts from the loop's clock, which may be up to a loop
	 * turn behind t0 on a loaded machine (seen: a sanitizer build); far
	 * less than the grace this checks is there. */
	assert_true(t_now_ms() - t0 >= 1000 + RTP_SINK_GRACE_MS - 100);
	assert_int_equal(e->reason, RTP_SINK_MAX_LEN);
	assert_int_equal(e->st.samples, 0);
	struct rtp_sink_stats st;
	/* Closed after it ended: how it ended. */
	assert_int_equal(rtp_sink_close(e->sink, &st), RTP_SINK_MAX_LEN);
	e->sink = NULL;
	assert_int_equal(st.duration_ms, 0);
}

static void sdp(void **state)
{
	struct env *e = *state;
	open_sink(e, 5);
	char buf[512], want[512];
	int n = rtp_sink_sdp(e->sink, buf, sizeof buf, 42);
	assert_true(n > 0);
	snprintf(want, sizeof want,
		 "v=0\r\n"
		 "o=- 42 42 IN IP4 127.0.0.1\r\n"
		 "s=-\r\n"
		 "c=IN IP4 127.0.0.1\r\n"
		 "t=0 0\r\n"
		 "m=audio %u RTP/AVP 0 8 101\r\n"
		 "a=rtpmap:0 PCMU/8000\r\n"
		 "a=rtpmap:8 PCMA/8000\r\n"
		 "a=rtpmap:101 telephone-event/8000\r\n"
		 "a=fmtp:101 0-16\r\n"
		 "a=sendrecv\r\n",
		 rtp_sink_port(e->sink));
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
	struct sdp_audio a;
	assert_null(sdp_parse(buf, (size_t)n, &a));
	assert_int_equal(a.port, rtp_sink_port(e->sink));
	assert_string_equal(a.addr, "127.0.0.1");
	assert_int_equal(a.ncodecs, 3);
	assert_string_equal(a.codecs[0].name, "PCMU");
	assert_string_equal(a.codecs[1].name, "PCMA");
	assert_int_equal(a.te_pt, 101);
	assert_int_equal(rtp_sink_sdp(e->sink, buf, (size_t)n, 42), -1);
}

/* A port of the range; none free: EADDRINUSE. */
static void port_range(void **state)
{
	struct env *e = *state;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	unsigned taken = ntohs(sin.sin_port);
	struct rtp_sink *s = NULL;
	/* The only port of the range is taken. */
	assert_int_equal(rtp_sink_open(&s, e->root, "127.0.0.1", taken, taken, e->path, 5, on_done,
				       e),
			 EADDRINUSE);
	assert_null(s);
	close(fd);
	/* Now free: the sink has it. */
	assert_int_equal(rtp_sink_open(&e->sink, e->root, "127.0.0.1", taken, taken, e->path, 5,
				       on_done, e),
			 0);
	assert_int_equal(rtp_sink_port(e->sink), taken);
}

static void refused(void **state)
{
	struct env *e = *state;
	struct rtp_sink *s = NULL;
	char nodir[160];
	snprintf(nodir, sizeof nodir, "%s/no/such.wav", e->dir);
	assert_int_equal(rtp_sink_open(&s, e->root, "127.0.0.1", 0, 0, nodir, 5, on_done, e),
			 ENOENT);
	assert_int_equal(rtp_sink_open(&s, e->root, "127.0.0.1", 0, 0, e->path, 0, on_done, e),
			 EINVAL);
	assert_int_equal(rtp_sink_open(&s, e->root, "127.0.0.1", 0, 0, e->path, 5, NULL, e),
			 EINVAL);
	assert_int_equal(rtp_sink_open(&s, e->root, "127.0.0.1", 5000, 4000, e->path, 5, on_done, e),
			 EINVAL);
	assert_int_equal(rtp_sink_open(&s, e->root, "not an address", 0, 0, e->path, 5, on_done, e),
			 EINVAL);
	assert_null(s);
	assert_int_equal(rtp_sink_close(NULL, NULL), RTP_SINK_STOPPED);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(decode_and_place),
		T(header_fields),
		T(max_seconds),
		T(max_seconds_by_clock),
		T(sdp),
		T(port_range),
		T(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
