/* WAV files (common/wav.c): what is accepted (PCM 8/16/24/32-bit and G.711
 * at 8..48 kHz, any channel count up to 8, the extensible header), each
 * reason a file is refused, and the conversion to 8 kHz mono 16-bit: the
 * samples of an 8 kHz file unchanged, a tone below 4 kHz kept at its level
 * and frequency, a tone above 4 kHz removed (a low-pass, not sample
 * dropping, which would fold it back in at full level), DC kept. Hostile
 * headers: every prefix of a good file, lengths of 0xFFFFFFFF, chunks past
 * the RIFF end, and random corruption of every header byte; under ASan
 * (make check) nothing reads outside the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/wav.h"

struct file {
	unsigned char *p;
	size_t n;
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
	return rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

/* A WAV file: tag, channels, rate, bits, frames of samples made by gen (the
 * value of frame i, channel c, in [-1, 1)). */
typedef double (gen_h)(size_t i, unsigned c, unsigned rate);

static void store(unsigned char *s, unsigned tag, unsigned bits, double v)
{
	if (tag == 7 || tag == 6) {
		/* The G.711 byte whose value is nearest (search: tests only). */
		int want = (int)lround(v * 32767), best = 0, bestd = 1 << 30;
		for (int b = 0; b < 256; b++) {
			int d = abs((tag == 7 ? wav_ulaw((uint8_t)b) : wav_alaw((uint8_t)b)) - want);
			if (d < bestd) {
				bestd = d;
				best = b;
			}
		}
		*s = (unsigned char)best;
		return;
	}
	switch (bits) {
	case 8: *s = (unsigned char)(lround(v * 127) + 128); break;
	case 16: put16(s, (unsigned)(uint16_t)(int16_t)lround(v * 32767)); break;
	case 24: {
		int32_t x = (int32_t)lround(v * 8388607);
		s[0] = (unsigned char)x;
		s[1] = (unsigned char)(x >> 8);
		s[2] = (unsigned char)(x >> 16);
		break;
	}
	default: put32(s, (uint32_t)(int32_t)llround(v * 2147483647.0)); break;
	}
}

static struct file make(unsigned tag, unsigned ch, unsigned rate, unsigned bits, size_t frames,
			gen_h *gen)
{
	unsigned align = ch * bits / 8;
	size_t data = frames * align;
	struct file f = { calloc(1, 44 + data + 1), 44 + data };
	assert_non_null(f.p);
	memcpy(f.p, "RIFF", 4);
	put32(f.p + 4, (uint32_t)(36 + data));
	memcpy(f.p + 8, "WAVEfmt ", 8);
	put32(f.p + 16, 16);
	put16(f.p + 20, tag);
	put16(f.p + 22, ch);
	put32(f.p + 24, rate);
	put32(f.p + 28, rate * align);
	put16(f.p + 32, align);
	put16(f.p + 34, bits);
	memcpy(f.p + 36, "data", 4);
	put32(f.p + 40, (uint32_t)data);
	for (size_t i = 0; gen && i < frames; i++)
		for (unsigned c = 0; c < ch; c++)
			store(f.p + 44 + i * align + c * (bits / 8), tag, bits, gen(i, c, rate));
	return f;
}

static double tone_hz;
static double tone(size_t i, unsigned c, unsigned rate)
{
	(void)c;
	return 0.5 * sin(2 * M_PI * tone_hz * (double)i / rate);
}
static double ramp(size_t i, unsigned c, unsigned rate)
{
	(void)rate;
	return c ? 0 : ((double)(i % 200) - 100) / 200;
}
static double dc(size_t i, unsigned c, unsigned rate)
{
	(void)i, (void)c, (void)rate;
	return 0.5;
}

static const char *parse(const struct file *f, struct wav_info *wi)
{
	return wav_parse(f->p, f->n, wi);
}

/* Converts f and checks the result is a canonical 8 kHz mono 16-bit file;
 * the samples as doubles in *yp (freed by the caller). */
static size_t convert(const struct file *f, double **yp)
{
	struct wav_info wi, wo;
	assert_null(parse(f, &wi));
	unsigned char *out;
	size_t len;
	assert_int_equal(wav_convert(f->p, &wi, &out, &len), 0);
	assert_null(wav_parse(out, len, &wo));
	assert_int_equal(wo.rate, 8000);
	assert_int_equal(wo.channels, 1);
	assert_int_equal(wo.bits, 16);
	assert_int_equal(wo.codec, WAV_PCM);
	assert_int_equal(wo.data_off, 44);
	size_t m = wo.frames;
	double *y = calloc(m, sizeof *y);
	for (size_t j = 0; j < m; j++)
		y[j] = (int16_t)rd16(out + 44 + j * 2) / 32768.0;
	free(out);
	*yp = y;
	return m;
}

/* RMS of y[from, to). */
static double rms(const double *y, size_t from, size_t to)
{
	double s = 0;
	for (size_t j = from; j < to; j++)
		s += y[j] * y[j];
	return sqrt(s / (double)(to - from));
}

static size_t crossings(const double *y, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t j = from + 1; j < to; j++)
		n += (y[j - 1] < 0) != (y[j] < 0);
	return n;
}

static void accepted_formats(void **state)
{
	(void)state;
	static const struct {
		unsigned tag, ch, rate, bits;
	} ok[] = {
		{ 1, 1, 8000, 16 }, { 1, 2, 16000, 16 }, { 1, 2, 44100, 16 }, { 1, 1, 48000, 24 },
		{ 1, 6, 22050, 32 }, { 1, 1, 11025, 8 }, { 6, 1, 8000, 8 }, { 7, 1, 8000, 8 },
		{ 7, 2, 16000, 8 }, { 1, 8, 32000, 16 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		struct file f = make(ok[i].tag, ok[i].ch, ok[i].rate, ok[i].bits, ok[i].rate / 2, NULL);
		struct wav_info wi;
		const char *why = parse(&f, &wi);
		if (why)
			fail_msg("tag %u %u ch %u Hz %u bits refused: %s", ok[i].tag, ok[i].ch,
				 ok[i].rate, ok[i].bits, why);
		assert_int_equal(wi.rate, ok[i].rate);
		assert_int_equal(wi.channels, ok[i].ch);
		assert_int_equal(wi.bits, ok[i].bits);
		assert_int_equal(wi.frames, ok[i].rate / 2);
		assert_int_equal(wi.duration_ms, (ok[i].rate / 2) * 1000 / ok[i].rate);
		assert_int_equal(wi.codec, ok[i].tag == 1 ? WAV_PCM : ok[i].tag == 6 ? WAV_ALAW : WAV_ULAW);
		assert_int_equal(wi.data_off, 44);
		free(f.p);
	}
	assert_string_equal(wav_codec_name(WAV_PCM), "pcm");
	assert_string_equal(wav_codec_name(WAV_ALAW), "alaw");
	assert_string_equal(wav_codec_name(WAV_ULAW), "ulaw");
}

/* Other chunks (LIST, fact) are skipped, an odd one padded; fmt may follow
 * data; bytes after the RIFF chunk are ignored; a data length that is not a
 * whole number of frames counts whole frames only. */
static void chunk_layout(void **state)
{
	(void)state;
	unsigned char b[256] = { 0 };
	size_t n = 0;
	memcpy(b, "RIFF\0\0\0\0WAVE", 12);
	n = 12;
	memcpy(b + n, "LIST", 4);
	put32(b + n + 4, 5);	/* odd: one pad byte follows */
	memcpy(b + n + 8, "INFOx", 5);
	n += 8 + 6;
	memcpy(b + n, "data", 4);
	put32(b + n + 4, 9);	/* 4 whole stereo 16-bit frames ... and one byte */
	for (int i = 0; i < 9; i++)
		b[n + 8 + i] = (unsigned char)i;
	size_t data_at = n + 8;
	n += 8 + 10;
	memcpy(b + n, "fmt ", 4);
	put32(b + n + 4, 18);	/* WAVEFORMATEX with cbSize */
	put16(b + n + 8, 1);
	put16(b + n + 10, 2);
	put32(b + n + 12, 8000);
	put32(b + n + 16, 32000);
	put16(b + n + 20, 4);
	put16(b + n + 22, 16);
	n += 8 + 18;
	put32(b + 4, (uint32_t)(n - 8));
	memcpy(b + n, "junk after the RIFF chunk", 25);
	struct wav_info wi;
	assert_null(wav_parse(b, n + 25, &wi));
	assert_int_equal(wi.data_off, data_at);
	assert_int_equal(wi.frames, 2);
	assert_int_equal(wi.data_len, 8);
	assert_int_equal(wi.channels, 2);
}

static struct file extensible(unsigned sub, unsigned ch, unsigned bits)
{
	struct file f = { calloc(1, 68 + 800), 68 + 800 };
	memcpy(f.p, "RIFF", 4);
	put32(f.p + 4, (uint32_t)(f.n - 8));
	memcpy(f.p + 8, "WAVEfmt ", 8);
	put32(f.p + 16, 40);
	put16(f.p + 20, 0xFFFE);
	put16(f.p + 22, ch);
	put32(f.p + 24, 16000);
	put32(f.p + 28, 16000 * ch * bits / 8);
	put16(f.p + 32, ch * bits / 8);
	put16(f.p + 34, bits);
	put16(f.p + 36, 22);
	put16(f.p + 38, bits);
	put32(f.p + 40, 3);	/* channel mask */
	static const unsigned char tail[14] = { 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71 };
	put16(f.p + 44, sub);
	memcpy(f.p + 46, tail, 14);
	memcpy(f.p + 60, "data", 4);
	put32(f.p + 64, 800);
	return f;
}

static void extensible_format(void **state)
{
	(void)state;
	struct wav_info wi;
	struct file f = extensible(1, 2, 16);
	assert_null(parse(&f, &wi));
	assert_int_equal(wi.codec, WAV_PCM);
	assert_int_equal(wi.frames, 200);
	free(f.p);
	f = extensible(7, 1, 8);
	assert_null(parse(&f, &wi));
	assert_int_equal(wi.codec, WAV_ULAW);
	free(f.p);
	f = extensible(3, 2, 32);	/* float */
	assert_string_equal(parse(&f, &wi), "codec");
	assert_int_equal(wi.format_tag, 3);
	free(f.p);
	f = extensible(1, 2, 16);
	f.p[50] ^= 1;	/* another GUID family */
	assert_string_equal(parse(&f, &wi), "codec");
	free(f.p);
	f = extensible(1, 2, 16);
	put16(f.p + 38, 24);	/* more valid bits than stored */
	assert_string_equal(parse(&f, &wi), "bad_format");
	free(f.p);
	f = extensible(1, 2, 16);
	put32(f.p + 16, 18);	/* too short for the extension it announces */
	memcpy(f.p + 38, "data", 4);
	put32(f.p + 42, (uint32_t)(f.n - 46));
	put16(f.p + 36, 0);
	assert_string_equal(parse(&f, &wi), "bad_format");
	free(f.p);
}

/* Each reason, by one file made to have it. */
static void refusals(void **state)
{
	(void)state;
	struct wav_info wi;
	assert_string_equal(wav_parse(NULL, 0, &wi), "not_wav");
	assert_string_equal(wav_parse((const unsigned char *)"RIFF", 4, &wi), "not_wav");
	const char *text = "This is a text file, not a sound file at all.\n";
	assert_string_equal(wav_parse((const unsigned char *)text, strlen(text), &wi), "not_wav");
	struct file f = make(1, 1, 8000, 16, 100, NULL);
	memcpy(f.p, "RIFX", 4);
	assert_string_equal(parse(&f, &wi), "not_wav");
	memcpy(f.p, "RIFF", 4);
	memcpy(f.p + 8, "AVI ", 4);
	assert_string_equal(parse(&f, &wi), "not_wav");
	free(f.p);

	static const struct {
		unsigned tag, ch, rate, bits;
		const char *why;
	} bad[] = {
		{ 3, 1, 8000, 32, "codec" },	/* IEEE float */
		{ 2, 1, 8000, 4, "codec" },	/* MS ADPCM */
		{ 0x55, 2, 44100, 0, "codec" },	/* MP3 */
		{ 0x11, 1, 8000, 4, "codec" },	/* IMA ADPCM */
		{ 1, 1, 4000, 16, "rate" },
		{ 1, 1, 7999, 16, "rate" },
		{ 1, 1, 96000, 16, "rate" },
		{ 1, 1, 48001, 16, "rate" },
		{ 1, 9, 8000, 16, "channels" },
		{ 1, 1, 8000, 12, "bits" },
		{ 1, 1, 8000, 64, "bits" },
		{ 7, 1, 8000, 16, "bad_format" },	/* G.711 is 8 bits */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct file g = make(bad[i].tag, bad[i].ch, bad[i].rate, bad[i].bits ? bad[i].bits : 8, 10, NULL);
		if (!bad[i].bits)
			put16(g.p + 34, 0);
		const char *why = parse(&g, &wi);
		if (!why || strcmp(why, bad[i].why))
			fail_msg("case %zu: want %s, got %s", i, bad[i].why, why ? why : "accepted");
		free(g.p);
	}
	f = make(1, 1, 8000, 16, 100, NULL);
	put16(f.p + 22, 0);	/* no channels */
	assert_string_equal(parse(&f, &wi), "channels");
	put16(f.p + 22, 1);
	put16(f.p + 32, 4);	/* block alignment of two channels */
	assert_string_equal(parse(&f, &wi), "bad_format");
	put16(f.p + 32, 2);
	put32(f.p + 28, 8000);	/* byte rate of 8-bit samples */
	assert_string_equal(parse(&f, &wi), "bad_format");
	put32(f.p + 28, 16000);
	assert_null(parse(&f, &wi));
	memcpy(f.p + 12, "fmt_", 4);	/* no fmt chunk */
	assert_string_equal(parse(&f, &wi), "bad_format");
	memcpy(f.p + 12, "fmt ", 4);
	put32(f.p + 16, 14);	/* fmt too short: the chunks no longer line up */
	assert_non_null(parse(&f, &wi));
	free(f.p);

	/* Empty: no data chunk, a data chunk of 0 bytes, less than one frame. */
	f = make(1, 2, 8000, 16, 0, NULL);
	assert_string_equal(parse(&f, &wi), "empty");
	f.p = realloc(f.p, 48);
	put32(f.p + 40, 3);
	put32(f.p + 4, 36 + 4);
	f.p[44] = 1;
	f.p[45] = 2;
	f.p[46] = 3;
	f.n = 48;
	assert_string_equal(parse(&f, &wi), "empty");
	memcpy(f.p + 36, "LIST", 4);
	assert_string_equal(parse(&f, &wi), "empty");
	free(f.p);
}

/* The lengths: cut files are "truncated", lying sizes "bad_length". */
static void lengths(void **state)
{
	(void)state;
	struct wav_info wi;
	struct file f = make(1, 1, 8000, 16, 1000, NULL);
	/* Every prefix of a good file is refused, never read past. */
	for (size_t n = 0; n < f.n; n++) {
		unsigned char *cut = malloc(n ? n : 1);
		memcpy(cut, f.p, n);
		const char *why = wav_parse(cut, n, &wi);
		assert_non_null(why);
		if (n < 12)
			assert_string_equal(why, "not_wav");
		else
			assert_string_equal(why, "truncated");
		free(cut);
	}
	assert_null(parse(&f, &wi));

	/* The RIFF size says more than the file has, every chunk is whole. */
	put32(f.p + 4, (uint32_t)(f.n - 8 + 1000));
	assert_string_equal(parse(&f, &wi), "bad_length");
	put32(f.p + 4, 0xFFFFFFFF);
	assert_string_equal(parse(&f, &wi), "bad_length");
	put32(f.p + 4, 2);
	assert_string_equal(parse(&f, &wi), "bad_length");
	put32(f.p + 4, (uint32_t)(f.n - 8));
	/* The data chunk says more than the RIFF chunk holds, the file too. */
	put32(f.p + 40, 2000 + 1000);
	assert_string_equal(parse(&f, &wi), "bad_length");
	put32(f.p + 40, 0xFFFFFFFF);
	assert_string_equal(parse(&f, &wi), "bad_length");
	/* The RIFF size ends inside the data chunk (the file goes on). */
	put32(f.p + 40, 2000);
	put32(f.p + 4, (uint32_t)(f.n - 8 - 500));
	assert_string_equal(parse(&f, &wi), "bad_length");
	/* A few stray bytes inside the RIFF chunk after the last chunk. */
	struct file g = make(1, 1, 8000, 16, 10, NULL);
	unsigned char *b = calloc(1, g.n + 4);
	memcpy(b, g.p, g.n);
	put32(b + 4, (uint32_t)(g.n - 8 + 4));
	assert_string_equal(wav_parse(b, g.n + 4, &wi), "bad_length");
	put32(b + 4, (uint32_t)(g.n - 8 + 1));	/* one byte: a pad */
	assert_null(wav_parse(b, g.n + 4, &wi));
	/* Both sizes past the file's end: a cut file. */
	put32(b + 4, (uint32_t)(g.n - 8 + 100));
	put32(b + 40, 20 + 100);
	assert_string_equal(wav_parse(b, g.n, &wi), "truncated");
	free(b);
	free(g.p);
	free(f.p);
}

/* Random corruption of the header and of the sizes: never a crash or a
 * read outside the buffer; whatever is accepted lies inside the file and
 * converts. */
static void hostile_headers(void **state)
{
	(void)state;
	struct file f = make(1, 2, 16000, 16, 400, ramp);
	unsigned char *b = malloc(f.n);
	srand(20261203);
	size_t accepted = 0;
	for (int it = 0; it < 20000; it++) {
		memcpy(b, f.p, f.n);
		int flips = 1 + rand() % 4;
		for (int k = 0; k < flips; k++) {
			size_t at = (size_t)rand() % 48;
			if (rand() % 3 == 0)
				b[at] = (unsigned char)rand();
			else
				b[at] ^= (unsigned char)(1u << (rand() % 8));
		}
		size_t n = rand() % 5 == 0 ? (size_t)rand() % (f.n + 1) : f.n;
		struct wav_info wi;
		if (wav_parse(b, n, &wi))
			continue;
		accepted++;
		assert_true(wi.data_off + wi.data_len <= n);
		assert_true(wi.rate >= WAV_MIN_RATE && wi.rate <= WAV_MAX_RATE);
		assert_true(wi.channels >= 1 && wi.channels <= WAV_MAX_CHANNELS);
		assert_true(wi.frames > 0);
		if (accepted % 50 == 0) {
			unsigned char *out;
			size_t len;
			assert_int_equal(wav_convert(b, &wi, &out, &len), 0);
			free(out);
		}
	}
	/* Some corruptions are harmless (a sample rate's low bits). */
	assert_true(accepted > 0);
	free(b);
	free(f.p);
}

static void g711_tables(void **state)
{
	(void)state;
	assert_int_equal(wav_ulaw(0xFF), 0);
	assert_int_equal(wav_ulaw(0x7F), 0);
	assert_int_equal(wav_ulaw(0x00), -32124);
	assert_int_equal(wav_ulaw(0x80), 32124);
	assert_int_equal(wav_alaw(0xD5), 8);
	assert_int_equal(wav_alaw(0x55), -8);
	assert_int_equal(wav_alaw(0xAA), 32256);
	assert_int_equal(wav_alaw(0x2A), -32256);
	/* Monotonic over each sign's codes. */
	for (int b = 0x80; b < 0xFF; b++)
		assert_true(wav_ulaw((uint8_t)b) >= wav_ulaw((uint8_t)(b + 1)));
}

/* An 8 kHz 16-bit mono file keeps its samples exactly. */
static void same_rate_identity(void **state)
{
	(void)state;
	tone_hz = 440;
	struct file f = make(1, 1, 8000, 16, 800, tone);
	double *y;
	size_t m = convert(&f, &y);
	assert_int_equal(m, 800);
	for (size_t j = 0; j < m; j++)
		assert_int_equal((int)lround(y[j] * 32768), (int16_t)rd16(f.p + 44 + j * 2));
	free(y);
	free(f.p);
}

/* A 1 kHz tone at 16k and 44.1k stereo, 24-bit at 48k, 8-bit at 22.05k,
 * µ-law at 16k, at 11.025k and 47.999k: same level (within 3 %), same
 * frequency, 8 kHz out. */
static void tone_kept(void **state)
{
	(void)state;
	static const struct {
		unsigned tag, ch, rate, bits;
	} in[] = {
		{ 1, 2, 16000, 16 }, { 1, 2, 44100, 16 }, { 1, 1, 48000, 24 }, { 1, 2, 22050, 8 },
		{ 7, 2, 16000, 8 }, { 6, 1, 8000, 8 }, { 1, 1, 32000, 32 }, { 1, 1, 11025, 16 },
		{ 1, 2, 47999, 16 },	/* a rate prime to 8000: 8000 filter phases */
	};
	tone_hz = 1000;
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		struct file f = make(in[i].tag, in[i].ch, in[i].rate, in[i].bits, in[i].rate, tone);
		double *y;
		size_t m = convert(&f, &y);
		assert_int_equal(m, 8000);
		/* Away from the edges, where the filter sees silence. */
		double level = rms(y, 400, 7600);
		double want = 0.5 / sqrt(2);
		if (fabs(level - want) > 0.03 * want)
			fail_msg("case %zu: level %.4f, want %.4f", i, level, want);
		size_t zc = crossings(y, 400, 7600);	/* 0.9 s of 1 kHz: 1800 */
		if (zc < 1795 || zc > 1805)
			fail_msg("case %zu: %zu zero crossings", i, zc);
		free(y);
		free(f.p);
	}
}

/* 6 kHz (and 5 kHz) at 44.1k/48k: above the new Nyquist frequency, removed.
 * Dropping samples would fold it to 2 kHz (3 kHz) at full level. */
static void alias_removed(void **state)
{
	(void)state;
	static const double hz[] = { 6000, 5000, 4500, 5500 };
	static const unsigned rates[] = { 44100, 48000, 16000, 22050 };
	for (size_t i = 0; i < 4; i++) {
		tone_hz = hz[i];
		struct file f = make(1, 2, rates[i], 16, rates[i], tone);
		double *y;
		size_t m = convert(&f, &y);
		assert_int_equal(m, 8000);
		double level = rms(y, 400, 7600);
		/* -40 dB under the tone's own level (0.354) at least. */
		if (level > 0.00354)
			fail_msg("%.0f Hz at %u: %.5f left", hz[i], rates[i], level);
		free(y);
		free(f.p);
	}
}

static void dc_kept(void **state)
{
	(void)state;
	struct file f = make(1, 1, 48000, 16, 4800, dc);
	double *y;
	size_t m = convert(&f, &y);
	assert_int_equal(m, 800);
	for (size_t j = 100; j < 700; j++)
		assert_true(fabs(y[j] - 0.5) < 0.005);
	free(y);
	free(f.p);
	/* Averaged channels: left 0.5, right 0 */
	f = make(1, 2, 8000, 16, 100, ramp);
	m = convert(&f, &y);
	assert_int_equal(m, 100);
	for (size_t j = 0; j < m; j++)
		assert_true(fabs(y[j] - ramp(j, 0, 8000) / 2) < 0.001);
	free(y);
	free(f.p);
	/* One sample at 48 kHz still makes a sample. */
	f = make(1, 1, 48000, 16, 1, dc);
	m = convert(&f, &y);
	assert_int_equal(m, 1);
	free(y);
	free(f.p);
}

static void header(void **state)
{
	(void)state;
	unsigned char h[44];
	wav_header(h, 8000, 1, 16, 1600);
	assert_memory_equal(h, "RIFF", 4);
	assert_int_equal(rd32(h + 4), 36 + 1600);
	assert_memory_equal(h + 8, "WAVEfmt ", 8);
	assert_int_equal(rd16(h + 20), 1);
	assert_int_equal(rd32(h + 24), 8000);
	assert_int_equal(rd32(h + 28), 16000);
	assert_int_equal(rd16(h + 32), 2);
	assert_int_equal(rd16(h + 34), 16);
	assert_memory_equal(h + 36, "data", 4);
	assert_int_equal(rd32(h + 40), 1600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_formats),
		cmocka_unit_test(chunk_layout),
		cmocka_unit_test(extensible_format),
		cmocka_unit_test(refusals),
		cmocka_unit_test(lengths),
		cmocka_unit_test(hostile_headers),
		cmocka_unit_test(g711_tables),
		cmocka_unit_test(same_rate_identity),
		cmocka_unit_test(tone_kept),
		cmocka_unit_test(alias_removed),
		cmocka_unit_test(dc_kept),
		cmocka_unit_test(header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
