/* Call recordings (common/pcapwav.c) from pcaps built here: two directions
 * of G.711 (one PCMU, one PCMA) each at its place and mixed; reordered
 * packets where they were sent; lost ones as silence; an SSRC change and a
 * timestamp reset placed by the capture clock; telephone-event and RTCP
 * skipped; a paused span silent; nanosecond and big-endian files; and
 * hostile input: every prefix of a good file, random corruption, garbage,
 * another link type. Under ASan (make check) nothing reads outside the
 * buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/pcapwav.h"
#include "common/wav.h"

#define T0 1700000000000000ull	/* capture time of the first packet, µs */

struct pb {
	unsigned char *p;
	size_t n, cap;
	bool be, nano;
};

static void put(struct pb *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void put32(struct pb *b, uint32_t v)
{
	unsigned char q[4];
	for (int i = 0; i < 4; i++)
		q[b->be ? 3 - i : i] = (unsigned char)(v >> (8 * i));
	put(b, q, 4);
}

static void put16(struct pb *b, unsigned v)
{
	unsigned char q[2];
	q[b->be ? 1 : 0] = (unsigned char)v;
	q[b->be ? 0 : 1] = (unsigned char)(v >> 8);
	put(b, q, 2);
}

static void pb_init(struct pb *b, bool be, bool nano, unsigned linktype)
{
	memset(b, 0, sizeof *b);
	b->be = be;
	b->nano = nano;
	put32(b, nano ? 0xa1b23c4d : 0xa1b2c3d4);
	put16(b, 2);
	put16(b, 4);
	put32(b, 0);
	put32(b, 0);
	put32(b, 65535);
	put32(b, linktype);
}

/* A raw IPv4 UDP record from 10.0.0.<src>:sport to 127.0.0.1:dport. */
static void pb_udp(struct pb *b, uint64_t cap_us, unsigned src, unsigned sport, unsigned dport,
		   const unsigned char *udp_payload, size_t len)
{
	put32(b, (uint32_t)(cap_us / 1000000));
	put32(b, (uint32_t)(b->nano ? cap_us % 1000000 * 1000 : cap_us % 1000000));
	put32(b, (uint32_t)(28 + len));
	put32(b, (uint32_t)(28 + len));
	unsigned char ip[28] = { 0x45, 0, (unsigned char)((28 + len) >> 8), (unsigned char)(28 + len),
				 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, (unsigned char)src,
				 127, 0, 0, 1,
				 (unsigned char)(sport >> 8), (unsigned char)sport,
				 (unsigned char)(dport >> 8), (unsigned char)dport,
				 (unsigned char)((8 + len) >> 8), (unsigned char)(8 + len), 0, 0 };
	put(b, ip, sizeof ip);
	put(b, udp_payload, len);
}

static void pb_rtp(struct pb *b, uint64_t cap_us, unsigned side, unsigned pt, unsigned seq,
		   uint32_t ts, uint32_t ssrc, const unsigned char *pl, size_t len)
{
	unsigned char pk[12 + 400];
	pk[0] = 0x80;
	pk[1] = (unsigned char)pt;
	pk[2] = (unsigned char)(seq >> 8);
	pk[3] = (unsigned char)seq;
	for (int i = 0; i < 4; i++) {
		pk[4 + i] = (unsigned char)(ts >> (24 - 8 * i));
		pk[8 + i] = (unsigned char)(ssrc >> (24 - 8 * i));
	}
	memcpy(pk + 12, pl, len);
	pb_udp(b, cap_us, side, side == 1 ? 4000 : 5000, side == 1 ? 30000 : 30002, pk, 12 + len);
}

/* The G.711 byte nearest v (search: tests only). */
static unsigned char g711(unsigned pt, int v)
{
	int best = 0, bestd = 1 << 30;
	for (int c = 0; c < 256; c++) {
		int d = abs((pt == 0 ? wav_ulaw((uint8_t)c) : wav_alaw((uint8_t)c)) - v);
		if (d < bestd) {
			bestd = d;
			best = c;
		}
	}
	return (unsigned char)best;
}

/* 20 ms of a tone of hz at sample offset at (amplitude 8000). */
static void tone(unsigned pt, double hz, size_t at, unsigned char pl[160])
{
	for (size_t i = 0; i < 160; i++)
		pl[i] = g711(pt, (int)lround(8000 * sin(2 * M_PI * hz * (double)(at + i) / 8000)));
}

/* n packets of side's tone from packet index first; a packet every 20 ms. */
static void talk(struct pb *b, unsigned side, unsigned first, unsigned n, uint32_t ts0,
		 uint32_t ssrc)
{
	unsigned pt = side == 1 ? 0 : 8;
	double hz = side == 1 ? 440 : 1000;
	for (unsigned i = first; i < first + n; i++) {
		unsigned char pl[160];
		tone(pt, hz, i * 160u, pl);
		pb_rtp(b, T0 + i * 20000ull, side, pt, i, ts0 + i * 160u, ssrc, pl, 160);
	}
}

/* The energy of the tone of hz in pcm[from, to) (Goertzel, per sample). */
static double power(const struct pcapwav *w, double hz, size_t from, size_t to)
{
	double s1 = 0, s2 = 0, k = 2 * cos(2 * M_PI * hz / 8000);
	assert_true(to <= w->samples);
	for (size_t i = from; i < to; i++) {
		double s = w->pcm[i] + k * s1 - s2;
		s2 = s1;
		s1 = s;
	}
	return (s1 * s1 + s2 * s2 - k * s1 * s2) / (double)(to - from) / (double)(to - from);
}

static double rms(const struct pcapwav *w, size_t from, size_t to)
{
	double e = 0;
	for (size_t i = from; i < to; i++)
		e += (double)w->pcm[i] * w->pcm[i];
	return sqrt(e / (double)(to - from));
}

/* Side 1 (PCMU, 440 Hz) talks the first second, side 2 (PCMA, 1 kHz) the
 * next, both the third: three seconds, each tone where it was said. */
static void two_directions(void **state)
{
	(void)state;
	struct pb b;
	pb_init(&b, false, false, 101);
	talk(&b, 1, 0, 50, 1000, 0x11111111);
	talk(&b, 2, 50, 50, 7000, 0x22222222);
	talk(&b, 1, 100, 50, 1000, 0x11111111);
	talk(&b, 2, 100, 50, 7000, 0x22222222);
	struct pcapwav w;
	assert_null(pcapwav_convert(b.p, b.n, NULL, &w));
	assert_int_equal(w.samples, 3 * 8000);
	assert_int_equal(w.nstreams, 2);
	assert_int_equal(w.packets, 200);
	assert_int_equal(w.skipped, 0);
	assert_false(w.truncated);
	assert_true(w.t0_us == T0);
	/* Side 1's second of silence is no new run: its timestamps agree. */
	assert_int_equal(w.streams[0].runs, 1);
	assert_int_equal(w.streams[1].runs, 1);
	/* Each second carries its side's tone, and only it. */
	double a1 = power(&w, 440, 0, 8000), b1 = power(&w, 1000, 0, 8000);
	double a2 = power(&w, 440, 8000, 16000), b2 = power(&w, 1000, 8000, 16000);
	double a3 = power(&w, 440, 16000, 24000), b3 = power(&w, 1000, 16000, 24000);
	assert_true(a1 > 100 * b1);
	assert_true(b2 > 100 * a2);
	assert_true(a3 > 1e5 && b3 > 1e5);
	/* The decoded samples themselves: side 1 alone in the first second. */
	unsigned char pl[160];
	tone(0, 440, 160, pl);
	for (int i = 0; i < 160; i++)
		assert_int_equal(w.pcm[160 + i], wav_ulaw(pl[i]));
	pcapwav_free(&w);
	assert_null(w.pcm);
	free(b.p);
}

/* Packets that arrive out of order land where they were sent: the result
 * is the same as in order. A lost packet is 20 ms of silence. */
static void reorder_and_loss(void **state)
{
	(void)state;
	struct pb in, out, lost;
	pb_init(&in, false, false, 101);
	pb_init(&out, false, false, 101);
	pb_init(&lost, false, false, 101);
	talk(&in, 1, 0, 20, 0, 5);
	talk(&out, 1, 0, 5, 0, 5);
	talk(&out, 1, 6, 1, 0, 5);	/* packet 6 before 5 */
	talk(&out, 1, 5, 1, 0, 5);
	talk(&out, 1, 7, 13, 0, 5);
	talk(&lost, 1, 0, 10, 0, 5);
	talk(&lost, 1, 11, 9, 0, 5);
	struct pcapwav a, c, l;
	assert_null(pcapwav_convert(in.p, in.n, NULL, &a));
	assert_null(pcapwav_convert(out.p, out.n, NULL, &c));
	assert_null(pcapwav_convert(lost.p, lost.n, NULL, &l));
	assert_int_equal(a.samples, 3200);
	assert_int_equal(c.samples, 3200);
	assert_memory_equal(a.pcm, c.pcm, a.samples * sizeof *a.pcm);
	assert_int_equal(l.samples, 3200);
	assert_true(rms(&l, 1600, 1760) < 1);
	assert_true(rms(&l, 1440, 1600) > 1000);
	assert_memory_equal(a.pcm, l.pcm, 1600 * sizeof *a.pcm);
	pcapwav_free(&a);
	pcapwav_free(&c);
	pcapwav_free(&l);
	free(in.p);
	free(out.p);
	free(lost.p);
}

/* A new SSRC whose timestamps start elsewhere, and a timestamp reset in
 * the same SSRC: both placed by the capture clock, no gap, no overlap. */
static void ssrc_change(void **state)
{
	(void)state;
	struct pb b;
	pb_init(&b, false, false, 101);
	talk(&b, 1, 0, 10, 0, 1);
	talk(&b, 1, 10, 10, 123456789, 2);		/* another SSRC */
	talk(&b, 1, 20, 10, 123456789u - 20 * 160u + 900000u, 2);	/* a jump of 900000 */
	struct pcapwav w;
	assert_null(pcapwav_convert(b.p, b.n, NULL, &w));
	assert_int_equal(w.samples, 30 * 160);
	assert_int_equal(w.nstreams, 1);
	assert_int_equal(w.streams[0].runs, 3);
	for (size_t i = 0; i < 30; i++)
		assert_true(rms(&w, i * 160, i * 160 + 160) > 1000);
	pcapwav_free(&w);
	free(b.p);
}

/* telephone-event, comfort noise, RTCP, a non-RTP datagram: skipped. */
static void skipped(void **state)
{
	(void)state;
	struct pb b;
	pb_init(&b, false, false, 101);
	talk(&b, 1, 0, 10, 0, 1);
	unsigned char ev[4] = { 5, 0x8a, 0, 160 };
	pb_rtp(&b, T0 + 100000, 1, 101, 99, 800, 1, ev, sizeof ev);
	unsigned char cn[1] = { 40 };
	pb_rtp(&b, T0 + 100000, 2, 13, 1, 0, 9, cn, 1);
	unsigned char rtcp[8] = { 0x80, 200, 0, 1, 0, 0, 0, 1 };
	pb_udp(&b, T0, 1, 4001, 30001, rtcp, sizeof rtcp);
	pb_udp(&b, T0, 1, 53, 53, (const unsigned char *)"hello", 5);
	struct pcapwav w;
	assert_null(pcapwav_convert(b.p, b.n, NULL, &w));
	assert_int_equal(w.packets, 10);
	assert_int_equal(w.skipped, 4);
	assert_int_equal(w.nstreams, 1);
	assert_int_equal(w.samples, 1600);
	pcapwav_free(&w);
	free(b.p);
}

/* A paused span is silent; what is around it is not. */
static void muted_span(void **state)
{
	(void)state;
	struct pb b;
	pb_init(&b, false, false, 101);
	talk(&b, 1, 0, 50, 0, 1);
	struct pcapwav_span sp = { T0 + 200000, T0 + 600000 };
	struct pcapwav_opts o = { .mute = &sp, .nmute = 1 };
	struct pcapwav w;
	assert_null(pcapwav_convert(b.p, b.n, &o, &w));
	assert_int_equal(w.samples, 8000);
	assert_true(rms(&w, 0, 1600) > 1000);
	assert_true(rms(&w, 1600, 4800) == 0);
	assert_true(rms(&w, 4800, 8000) > 1000);
	pcapwav_free(&w);
	free(b.p);
}

/* Big-endian and nanosecond files say the same thing. */
static void byte_orders(void **state)
{
	(void)state;
	struct pb le, be;
	pb_init(&le, false, false, 101);
	pb_init(&be, true, true, 228);
	talk(&le, 1, 0, 10, 0, 1);
	talk(&be, 1, 0, 10, 0, 1);
	struct pcapwav a, c;
	assert_null(pcapwav_convert(le.p, le.n, NULL, &a));
	assert_null(pcapwav_convert(be.p, be.n, NULL, &c));
	assert_int_equal(a.samples, c.samples);
	assert_true(a.t0_us == c.t0_us);
	assert_memory_equal(a.pcm, c.pcm, a.samples * sizeof *a.pcm);
	pcapwav_free(&a);
	pcapwav_free(&c);
	free(le.p);
	free(be.p);
}

/* The longest length: later packets dropped and counted. */
static void too_long(void **state)
{
	(void)state;
	struct pb b;
	pb_init(&b, false, false, 101);
	talk(&b, 1, 0, 100, 0, 1);
	struct pcapwav_opts o = { .max_s = 1 };
	struct pcapwav w;
	assert_null(pcapwav_convert(b.p, b.n, &o, &w));
	assert_int_equal(w.samples, 8000);
	assert_int_equal(w.packets, 50);
	assert_int_equal(w.skipped, 50);
	pcapwav_free(&w);
	free(b.p);
}

/* Refused: garbage, a short header, another link type, a file with no
 * audio. */
static void refused(void **state)
{
	(void)state;
	struct pcapwav w;
	assert_string_equal(pcapwav_convert(NULL, 0, NULL, &w), "not_pcap");
	assert_string_equal(pcapwav_convert((const unsigned char *)"RIFF....WAVEfmt ", 16, NULL, &w),
			    "not_pcap");
	unsigned char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 7919 >> 3);
	assert_string_equal(pcapwav_convert(junk, sizeof junk, NULL, &w), "not_pcap");
	struct pb b;
	pb_init(&b, false, false, 105);	/* 802.11 */
	talk(&b, 1, 0, 2, 0, 1);
	assert_string_equal(pcapwav_convert(b.p, b.n, NULL, &w), "linktype");
	free(b.p);
	pb_init(&b, false, false, 101);
	assert_string_equal(pcapwav_convert(b.p, b.n, NULL, &w), "no_audio");
	pb_udp(&b, T0, 1, 53, 53, (const unsigned char *)"hello", 5);
	assert_string_equal(pcapwav_convert(b.p, b.n, NULL, &w), "no_audio");
	assert_null(w.pcm);
	assert_int_equal(w.samples, 0);
	free(b.p);
}

/* Every prefix of a good file (a recording cut short): a reason, or what
 * the whole records gave with the truncation said; never a crash. Then
 * random corruption anywhere. */
static void hostile(void **state)
{
	(void)state;
	struct pb b;
	pb_init(&b, false, false, 101);
	talk(&b, 1, 0, 10, 0, 1);
	talk(&b, 2, 0, 10, 0, 2);
	size_t rec = 16 + 28 + 12 + 160;
	for (size_t n = 0; n <= b.n; n++) {
		struct pcapwav w;
		const char *why = pcapwav_convert(b.p, n, NULL, &w);
		if (n < 24)
			assert_string_equal(why, "not_pcap");
		else if (n < 24 + rec)
			assert_string_equal(why, "no_audio");
		else {
			assert_null(why);
			assert_int_equal(w.packets, (n - 24) / rec);
			assert_int_equal(w.truncated, (n - 24) % rec != 0);
		}
		pcapwav_free(&w);
	}
	/* A corrupted capture time may put a packet hours away: the caller
	 * bounds the length by the call's (max_s). */
	struct pcapwav_opts o = { .max_s = 4 };
	srand(14);
	unsigned char *c = malloc(b.n);
	for (int round = 0; round < 3000; round++) {
		memcpy(c, b.p, b.n);
		for (int k = 0; k < 1 + round % 8; k++)
			c[(size_t)rand() % b.n] = (unsigned char)rand();
		struct pcapwav w;
		const char *why = pcapwav_convert(c, b.n, &o, &w);
		if (!why) {
			assert_non_null(w.pcm);
			assert_true(w.samples <= 4 * PCAPWAV_RATE);
		}
		pcapwav_free(&w);
	}
	free(c);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_directions),
		cmocka_unit_test(reorder_and_loss),
		cmocka_unit_test(ssrc_change),
		cmocka_unit_test(skipped),
		cmocka_unit_test(muted_span),
		cmocka_unit_test(byte_orders),
		cmocka_unit_test(too_long),
		cmocka_unit_test(refused),
		cmocka_unit_test(hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
