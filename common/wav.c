/* Reading WAV headers and converting samples (see wav.h). */
#include "wav.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TAG_PCM 1
#define TAG_ALAW 6
#define TAG_ULAW 7
#define TAG_EXTENSIBLE 0xFFFE

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

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

const char *wav_codec_name(enum wav_codec c)
{
	switch (c) {
	case WAV_PCM: return "pcm";
	case WAV_ALAW: return "alaw";
	case WAV_ULAW: return "ulaw";
	}
	return "?";
}

struct chunks {
	const unsigned char *fmt;
	size_t fmt_len;
	bool data;
	size_t data_off, data_len;
};

/* Walks the chunks of the RIFF body. NULL, or why the lengths do not hold. */
static const char *walk(const unsigned char *p, size_t n, struct chunks *c)
{
	uint32_t riff = le32(p + 4);
	if (riff == 0xFFFFFFFF || riff < 4)
		return "bad_length";
	uint64_t end = 8 + (uint64_t)riff;
	/* A RIFF size past the file's end: the file was cut, or the size lies;
	 * which one the chunks tell. */
	bool past = end > n;
	size_t lim = past ? n : (size_t)end;
	size_t pos = 12;
	while (pos < lim) {
		if (lim - pos < 8) {
			if (past)
				return "truncated";
			/* One byte: a pad the writer counted; more is a broken size. */
			if (lim - pos == 1)
				break;
			return "bad_length";
		}
		uint32_t len = le32(p + pos + 4);
		if (len == 0xFFFFFFFF)
			return "bad_length";
		size_t body = pos + 8;
		uint64_t cend = (uint64_t)body + len;
		if (cend > lim) {
			if (cend <= n || !past)
				return "bad_length";	/* past the RIFF end it declared */
			return "truncated";
		}
		if (!memcmp(p + pos, "fmt ", 4) && !c->fmt) {
			c->fmt = p + body;
			c->fmt_len = len;
		} else if (!memcmp(p + pos, "data", 4) && !c->data) {
			c->data = true;
			c->data_off = body;
			c->data_len = len;
		}
		/* Chunks are padded to an even length. */
		pos = (size_t)cend + (len & 1);
	}
	/* Every chunk whole but the RIFF size says there is more: with the
	 * samples all there the size lies; without them the file was cut. */
	if (past)
		return c->data ? "bad_length" : "truncated";
	return NULL;
}

/* The extensible format's sub-format GUID after its first two bytes:
 * 00000000-0000-0010-8000-00aa00389b71 (KSDATAFORMAT_SUBTYPE_*). */
static const unsigned char ext_guid_tail[14] = {
	0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
};

static const char *read_fmt(const struct chunks *c, struct wav_info *wi)
{
	const unsigned char *f = c->fmt;
	if (!f || c->fmt_len < 16)
		return "bad_format";
	unsigned tag = le16(f), ch = le16(f + 2), bits = le16(f + 14), align = le16(f + 12);
	uint32_t rate = le32(f + 4), byte_rate = le32(f + 8);
	if (tag == TAG_EXTENSIBLE) {
		if (c->fmt_len < 40 || le16(f + 16) < 22)
			return "bad_format";
		if (memcmp(f + 26, ext_guid_tail, sizeof ext_guid_tail))
			return "codec";
		tag = le16(f + 24);
		unsigned valid = le16(f + 18);
		if (valid > bits)
			return "bad_format";
	}
	/* Kept also when refused: the message names what was found. */
	wi->format_tag = tag;
	wi->rate = rate;
	wi->channels = ch;
	wi->bits = bits;
	switch (tag) {
	case TAG_PCM: wi->codec = WAV_PCM; break;
	case TAG_ALAW: wi->codec = WAV_ALAW; break;
	case TAG_ULAW: wi->codec = WAV_ULAW; break;
	default: return "codec";
	}
	if (ch == 0 || ch > WAV_MAX_CHANNELS)
		return "channels";
	if (rate < WAV_MIN_RATE || rate > WAV_MAX_RATE)
		return "rate";
	if (wi->codec == WAV_PCM && bits != 8 && bits != 16 && bits != 24 && bits != 32)
		return "bits";
	if (wi->codec != WAV_PCM && bits != 8)
		return "bad_format";
	if (align != ch * (bits / 8) || byte_rate != rate * align)
		return "bad_format";
	return NULL;
}

const char *wav_parse(const unsigned char *p, size_t n, struct wav_info *wi)
{
	memset(wi, 0, sizeof *wi);
	if (!p || n < 12 || memcmp(p, "RIFF", 4) || memcmp(p + 8, "WAVE", 4))
		return "not_wav";
	struct chunks c = { 0 };
	const char *why = walk(p, n, &c);
	if (!why)
		why = read_fmt(&c, wi);
	if (why)
		return why;
	if (!c.data)
		return "empty";
	size_t align = wi->channels * (wi->bits / 8);
	wi->frames = c.data_len / align;
	if (!wi->frames)
		return "empty";
	wi->data_off = c.data_off;
	wi->data_len = (size_t)wi->frames * align;
	wi->duration_ms = (unsigned)(wi->frames * 1000 / wi->rate);
	return NULL;
}

int16_t wav_ulaw(uint8_t u)
{
	u = (uint8_t)~u;
	int exp = (u >> 4) & 7, mant = u & 0x0F;
	int t = (((mant << 3) + 0x84) << exp) - 0x84;
	return (int16_t)((u & 0x80) ? -t : t);
}

int16_t wav_alaw(uint8_t a)
{
	a ^= 0x55;
	int t = (a & 0x0F) << 4, seg = (a & 0x70) >> 4;
	if (seg == 0)
		t += 8;
	else
		t = (t + 0x108) << (seg - 1);
	return (int16_t)((a & 0x80) ? t : -t);
}

/* One stored sample as a value in [-1, 1). */
static float sample(const unsigned char *s, const struct wav_info *wi)
{
	switch (wi->codec) {
	case WAV_ALAW: return wav_alaw(*s) / 32768.0f;
	case WAV_ULAW: return wav_ulaw(*s) / 32768.0f;
	case WAV_PCM: break;
	}
	switch (wi->bits) {
	case 8: return ((int)s[0] - 128) / 128.0f;
	case 16: return (int16_t)le16(s) / 32768.0f;
	case 24: {
		int32_t v = (int32_t)((uint32_t)s[0] << 8 | (uint32_t)s[1] << 16 | (uint32_t)s[2] << 24);
		return (float)(v / 2147483648.0);
	}
	default: return (float)((int32_t)le32(s) / 2147483648.0);
	}
}

/* The frames as one channel: the channels' average. */
static float *mono(const unsigned char *p, const struct wav_info *wi)
{
	float *x = malloc(wi->frames * sizeof *x);
	if (!x)
		return NULL;
	size_t bps = wi->bits / 8;
	const unsigned char *s = p + wi->data_off;
	for (uint64_t i = 0; i < wi->frames; i++) {
		float sum = 0;
		for (unsigned c = 0; c < wi->channels; c++, s += bps)
			sum += sample(s, wi);
		x[i] = sum / (float)wi->channels;
	}
	return x;
}

/* Windowed-sinc low-pass resampler, polyphase: with the rates' ratio
 * reduced to p/q (output j sits at input position j*p/q), the fractional
 * position of an output sample takes one of q values, and the filter's
 * taps for each are computed once (Blackman window over ZC zero crossings
 * either side of a cut-off fc in cycles per input sample). An output
 * sample is then a plain dot product of 2*K taps: a 5 MB file converts in
 * a few hundred ms even at 48 kHz. */
#define ZC 16
/* Cut-off as a share of the output's Nyquist frequency: 3.68 kHz at 8 kHz,
 * with the Blackman window's transition band mostly above it. */
#define CUTOFF 0.92

static double kernel(double d, double fc, double hw)
{
	if (fabs(d) >= hw)
		return 0;
	double x = 2 * fc * d;
	double sinc = fabs(x) < 1e-12 ? 1 : sin(M_PI * x) / (M_PI * x);
	double w = 0.42 + 0.5 * cos(M_PI * d / hw) + 0.08 * cos(2 * M_PI * d / hw);
	return 2 * fc * sinc * w;
}

static unsigned gcd(unsigned a, unsigned b)
{
	while (b) {
		unsigned t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* One output sample as 16-bit PCM, rounded and clipped. */
static void put_sample(unsigned char *p, double v)
{
	v = round(v * 32768.0);
	if (v > 32767)
		v = 32767;
	if (v < -32768)
		v = -32768;
	put16(p, (unsigned)(uint16_t)(int16_t)v);
}

/* Writes the m output samples of x[0..n) at rate to out (2 bytes each). */
static int resample(const float *x, uint64_t n, unsigned rate, unsigned char *out, uint64_t m)
{
	if (rate == WAV_OUT_RATE) {
		for (uint64_t j = 0; j < m; j++)
			put_sample(out + j * 2, x[j]);
		return 0;
	}
	unsigned g = gcd(rate, WAV_OUT_RATE), p = rate / g, q = WAV_OUT_RATE / g;
	double ratio = (double)p / q;	/* input samples per output sample */
	double fc = 0.5 / (ratio > 1 ? ratio : 1) * CUTOFF;
	double hw = ZC / (2 * fc);
	/* Taps: inputs base-K+1 .. base+K around position base + phase/q. At
	 * most 8000 phases of 2*105 taps (a rate prime to 8000 near 48 kHz). */
	int64_t K = (int64_t)ceil(hw), T = 2 * K;
	float *coef = malloc((size_t)q * (size_t)T * sizeof *coef);
	if (!coef)
		return -1;
	for (unsigned ph = 0; ph < q; ph++)
		for (int64_t i = 0; i < T; i++)
			coef[(size_t)ph * T + i] =
				(float)kernel((double)ph / q + (double)(K - 1 - i), fc, hw);
	for (uint64_t j = 0; j < m; j++) {
		uint64_t num = j * p;
		int64_t first = (int64_t)(num / q) - K + 1;
		const float *c = coef + (size_t)(num % q) * T;
		double acc = 0;
		if (first >= 0 && first + T <= (int64_t)n) {
			const float *xs = x + first;
			for (int64_t i = 0; i < T; i++)
				acc += xs[i] * c[i];
		} else {
			/* Near the ends: silence beyond them. */
			for (int64_t i = 0; i < T; i++) {
				int64_t k = first + i;
				if (k >= 0 && k < (int64_t)n)
					acc += x[k] * c[i];
			}
		}
		put_sample(out + j * 2, acc);
	}
	free(coef);
	return 0;
}

void wav_header(unsigned char h[WAV_HEADER_BYTES], unsigned rate, unsigned channels,
		unsigned bits, uint32_t data_len)
{
	unsigned align = channels * bits / 8;
	memcpy(h, "RIFF", 4);
	put32(h + 4, 36 + data_len);
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);
	put16(h + 20, TAG_PCM);
	put16(h + 22, channels);
	put32(h + 24, rate);
	put32(h + 28, rate * align);
	put16(h + 32, align);
	put16(h + 34, bits);
	memcpy(h + 36, "data", 4);
	put32(h + 40, data_len);
}

int wav_convert(const unsigned char *p, const struct wav_info *wi, unsigned char **outp,
		size_t *outlen)
{
	*outp = NULL;
	*outlen = 0;
	/* As many output samples as the length takes, at least one. */
	uint64_t m = (wi->frames * WAV_OUT_RATE + wi->rate - 1) / wi->rate;
	if (m * 2 > 0xFFFFFFFFu - 36)
		return -1;
	size_t len = WAV_HEADER_BYTES + (size_t)m * 2;
	unsigned char *out = malloc(len);
	float *x = out ? mono(p, wi) : NULL;
	if (!x || resample(x, wi->frames, wi->rate, out + WAV_HEADER_BYTES, m) < 0) {
		free(x);
		free(out);
		return -1;
	}
	free(x);
	wav_header(out, WAV_OUT_RATE, 1, 16, (uint32_t)(m * 2));
	*outp = out;
	*outlen = len;
	return 0;
}
