/* WAV files written as samples come (common/wav_file.c): the header's
 * sizes fixed at close, samples across several buffer chunks read back the
 * same by wav_parse, an empty recording, and files that cannot be made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/wav.h"
#include "common/wav_file.h"

static char dir[64];

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = malloc((size_t)len + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return p;
}

static void samples_across_chunks(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/a.wav", dir);
	struct wav_file *w = NULL;
	assert_int_equal(wav_file_open(&w, path, 8000), 0);
	/* 10007 samples in pieces of 333: several chunks, a ragged end. */
	enum { N = 10007, PIECE = 333 };
	static int16_t s[N];
	for (int i = 0; i < N; i++)
		s[i] = (int16_t)(i * 7 - 30000);
	for (int i = 0; i < N; i += PIECE)
		assert_int_equal(wav_file_write(w, s + i, (size_t)(N - i < PIECE ? N - i : PIECE)), 0);
	assert_int_equal(wav_file_samples(w), N);
	assert_int_equal(wav_file_close(w), 0);

	size_t n;
	unsigned char *p = slurp(path, &n);
	assert_int_equal(n, WAV_HEADER_BYTES + 2 * N);
	struct wav_info wi;
	assert_null(wav_parse(p, n, &wi));
	assert_int_equal(wi.codec, WAV_PCM);
	assert_int_equal(wi.rate, 8000);
	assert_int_equal(wi.channels, 1);
	assert_int_equal(wi.bits, 16);
	assert_int_equal(wi.frames, N);
	assert_int_equal(wi.data_off, WAV_HEADER_BYTES);
	for (int i = 0; i < N; i++) {
		int16_t v = (int16_t)(p[WAV_HEADER_BYTES + 2 * i] | p[WAV_HEADER_BYTES + 2 * i + 1] << 8);
		assert_int_equal(v, s[i]);
	}
	free(p);
	unlink(path);
}

/* Nothing recorded: a whole header saying so, which a reader refuses as
 * empty rather than as broken. */
static void empty(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/e.wav", dir);
	struct wav_file *w = NULL;
	assert_int_equal(wav_file_open(&w, path, 8000), 0);
	assert_int_equal(wav_file_close(w), 0);
	size_t n;
	unsigned char *p = slurp(path, &n);
	assert_int_equal(n, WAV_HEADER_BYTES);
	struct wav_info wi;
	assert_string_equal(wav_parse(p, n, &wi), "empty");
	free(p);
	unlink(path);
	assert_int_equal(wav_file_close(NULL), 0);
}

static void cannot_make(void **state)
{
	(void)state;
	struct wav_file *w = NULL;
	char path[128];
	snprintf(path, sizeof path, "%s/no/such/dir.wav", dir);
	assert_int_equal(wav_file_open(&w, path, 8000), ENOENT);
	assert_null(w);
	/* The header cannot be written: no file object comes back. */
	if (access("/dev/full", W_OK) == 0) {
		assert_int_equal(wav_file_open(&w, "/dev/full", 8000), ENOSPC);
		assert_null(w);
	}
	assert_int_equal(wav_file_open(&w, NULL, 8000), EINVAL);
	assert_int_equal(wav_file_open(&w, path, 0), EINVAL);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_wav_file.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(samples_across_chunks),
		cmocka_unit_test(empty),
		cmocka_unit_test(cannot_make),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
