/* cc-web's recordings (fcgi-app/recording/): a call's segments (pcaps as
 * rtpengine names them, in a folder made here) joined into one WAV under
 * YYYY/MM/DD/, the paused time between them silent; a segment still open
 * waits; no pcap, a broken one, a full disk (a folder that cannot be
 * written stands in) each give their reason and no WAV; removal takes only
 * the call's files; and the Range header's parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/wav.h"
#include "fcgi-app/recording/recording.h"

#define CALL "0123456789abcdef0123456789abcdef"
#define OTHER "fedcba9876543210fedcba9876543210"
#define T0 1796083210u	/* 2026-12-01 00:00:10 UTC */

static char dir[64];

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);	/* little-endian host, as the WAV writer assumes */
}

/* A pcap of n 20 ms PCMA packets of one side from second at. */
static void segment(const char *name, unsigned at, unsigned n, unsigned port)
{
	char path[256];
	snprintf(path, sizeof path, "%s/pcaps/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	put32(f, 0xa1b2c3d4);
	put32(f, 0x00040002);
	put32(f, 0);
	put32(f, 0);
	put32(f, 65535);
	put32(f, 101);
	for (unsigned i = 0; i < n; i++) {
		unsigned char p[28 + 12 + 160] = { 0x45, 0, 0, sizeof p, 0, 0, 0x40, 0, 64, 17, 0, 0,
						   127, 0, 0, 1, 127, 0, 0, 1,
						   (unsigned char)(port >> 8), (unsigned char)port,
						   0x75, 0x30, 0, 8 + 12 + 160, 0, 0, 0x80, 8 };
		unsigned ts = (at * 50 + i) * 160;
		p[32] = (unsigned char)(ts >> 24);
		p[33] = (unsigned char)(ts >> 16);
		p[34] = (unsigned char)(ts >> 8);
		p[35] = (unsigned char)ts;
		p[39] = 7;	/* SSRC */
		memset(p + 40, 0x3A, 160);	/* a loud A-law value */
		unsigned us = (at * 50 + i) * 20000;
		put32(f, T0 + us / 1000000);
		put32(f, us % 1000000);
		put32(f, sizeof p);
		put32(f, sizeof p);
		fwrite(p, sizeof p, 1, f);
	}
	fclose(f);
}

static void touch(const char *sub, const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
}

static bool exists(const char *rel)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	return access(path, F_OK) == 0;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/cc-rec-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	const char *subs[] = { "pcaps", "metadata", "tmp" };
	for (int i = 0; i < 3; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s/%s", dir, subs[i]);
		assert_int_equal(mkdir(p, 0700), 0);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);	/* our own mkdtemp folder */
	return system(cmd) == 0 ? 0 : -1;
}

static void segments_joined(void **state)
{
	(void)state;
	/* 1 s recorded, 2 s paused, 1 s more: two segments, another call's beside. */
	segment(CALL "-00000000000000a1.pcap", 0, 50, 4000);
	segment(CALL "-00000000000000b2.pcap", 3, 50, 4000);
	segment(OTHER "-00000000000000c3.pcap", 0, 10, 4000);
	touch("metadata", "rtpengine-meta-" CALL "-00000000000000a1.txt");
	touch("metadata", "rtpengine-meta-" OTHER "-00000000000000c3.txt");
	touch("tmp", "rtpengine-meta-" CALL "-00000000000000b2.tmp");
	struct recf_out o;
	assert_string_equal(recf_convert(dir, CALL, 0, &o), "in_progress");
	char p[256];
	snprintf(p, sizeof p, "%s/tmp/rtpengine-meta-" CALL "-00000000000000b2.tmp", dir);
	assert_int_equal(unlink(p), 0);
	touch("metadata", "rtpengine-meta-" CALL "-00000000000000b2.txt");

	assert_null(recf_convert(dir, CALL, 0, &o));
	assert_string_equal(o.file, "2026/12/01/" CALL ".wav");
	assert_int_equal(o.segments, 2);
	assert_int_equal(o.packets, 100);
	assert_int_equal(o.duration_ms, 4000);
	assert_int_equal(o.size, WAV_HEADER_BYTES + 4 * 8000 * 2);
	assert_false(o.truncated);
	/* The WAV: loud, silent while paused, loud again. */
	snprintf(p, sizeof p, "%s/%s", dir, o.file);
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	static unsigned char wav[WAV_HEADER_BYTES + 4 * 8000 * 2];
	assert_int_equal(fread(wav, 1, sizeof wav + 1, f), sizeof wav);
	fclose(f);
	struct wav_info wi;
	assert_null(wav_parse(wav, sizeof wav, &wi));
	assert_int_equal(wi.rate, 8000);
	assert_int_equal(wi.channels, 1);
	assert_int_equal(wi.duration_ms, 4000);
	const int16_t *s = (const int16_t *)(wav + WAV_HEADER_BYTES);
	assert_int_equal(s[100], wav_alaw(0x3A));
	for (size_t i = 8000; i < 3 * 8000; i++)
		assert_int_equal(s[i], 0);
	assert_int_equal(s[3 * 8000 + 100], wav_alaw(0x3A));
	assert_false(exists("2026/12/01/" CALL ".wav.tmp"));

	/* A bound shorter than the call drops what is past it: the second
	 * segment (from 3 s) here. */
	assert_null(recf_convert(dir, CALL, 2, &o));
	assert_int_equal(o.duration_ms, 1000);

	/* Removal: the call's pcaps, metadata and WAV, nothing of the other. */
	assert_int_equal(recf_remove(dir, CALL, o.file), 5);
	assert_false(exists("pcaps/" CALL "-00000000000000a1.pcap"));
	assert_false(exists("2026/12/01/" CALL ".wav"));
	assert_true(exists("pcaps/" OTHER "-00000000000000c3.pcap"));
	assert_true(exists("metadata/rtpengine-meta-" OTHER "-00000000000000c3.txt"));
	/* A file name of another shape is not removed. */
	assert_int_equal(recf_remove(dir, OTHER, "../../etc/passwd"), 2);
	assert_int_equal(recf_remove(dir, "../x", NULL), 0);
}

static void reasons(void **state)
{
	(void)state;
	struct recf_out o;
	assert_string_equal(recf_convert(dir, CALL, 0, &o), "no_files");
	assert_string_equal(recf_convert(dir, "not-a-call-id", 0, &o), "no_files");
	touch("pcaps", CALL "-00000000000000d4.pcap");
	assert_string_equal(recf_convert(dir, CALL, 0, &o), "not_pcap");
	assert_int_equal(recf_remove(dir, CALL, NULL), 1);
	/* No room for the WAV: a folder that cannot be made (a file where the
	 * year's folder goes) is a write error, and nothing is left behind. */
	segment(CALL "-00000000000000e5.pcap", 0, 10, 4000);
	touch(".", "2026");
	assert_string_equal(recf_convert(dir, CALL, 0, &o), "write_error");
	assert_false(exists("2026/12/01/" CALL ".wav"));
	assert_false(exists("2026/12/01/" CALL ".wav.tmp"));
}

static void ranges(void **state)
{
	(void)state;
	long long a, b;
	assert_int_equal(recf_range(NULL, 1000, &a, &b), 0);
	assert_int_equal(recf_range("bytes=0-", 1000, &a, &b), 1);
	assert_true(a == 0 && b == 999);
	assert_int_equal(recf_range("bytes=100-199", 1000, &a, &b), 1);
	assert_true(a == 100 && b == 199);
	assert_int_equal(recf_range("bytes=900-5000", 1000, &a, &b), 1);
	assert_true(a == 900 && b == 999);
	assert_int_equal(recf_range("bytes=-100", 1000, &a, &b), 1);
	assert_true(a == 900 && b == 999);
	assert_int_equal(recf_range("bytes=-5000", 1000, &a, &b), 1);
	assert_true(a == 0 && b == 999);
	assert_int_equal(recf_range("bytes=1000-", 1000, &a, &b), -1);
	assert_int_equal(recf_range("bytes=0-1,5-6", 1000, &a, &b), 0);
	assert_int_equal(recf_range("bytes=5-2", 1000, &a, &b), 0);
	assert_int_equal(recf_range("bytes=x-", 1000, &a, &b), 0);
	assert_int_equal(recf_range("items=0-1", 1000, &a, &b), 0);
	assert_int_equal(recf_range("bytes=-0", 1000, &a, &b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(segments_joined, setup, teardown),
		cmocka_unit_test_setup_teardown(reasons, setup, teardown),
		cmocka_unit_test(ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
