/* WAV files: reading a RIFF/WAVE header with suspicion, and converting the
 * samples to what rtpengine plays (8 kHz, mono, 16-bit PCM).
 *
 * Pure: no I/O, no globals; the caller owns the bytes. wav_parse() checks
 * everything the header says against the bytes there are before anything
 * reads a sample; wav_convert() trusts only what wav_parse() accepted.
 *
 * Accepted: PCM 8 (unsigned), 16, 24, 32-bit; G.711 A-law and µ-law (8-bit);
 * WAVE_FORMAT_EXTENSIBLE carrying either; 1..WAV_MAX_CHANNELS channels;
 * WAV_MIN_RATE..WAV_MAX_RATE Hz. Chunks other than "fmt " and "data" are
 * skipped; bytes after the RIFF chunk are ignored. */
#ifndef CC_WAV_H
#define CC_WAV_H

#include <stddef.h>
#include <stdint.h>

#define WAV_MIN_RATE 8000
#define WAV_MAX_RATE 48000
#define WAV_MAX_CHANNELS 8
/* What rtpengine plays. */
#define WAV_OUT_RATE 8000
#define WAV_HEADER_BYTES 44

/* Why a file is refused (the static strings wav_parse returns):
 *   not_wav     no RIFF/WAVE signature
 *   truncated   the file ends inside a chunk the header announces
 *   bad_length  a length in the header disagrees with the file (a chunk
 *               past the RIFF chunk's end, a RIFF size past the file's
 *               end while every chunk is whole, sizes of 0xFFFFFFFF)
 *   bad_format  no "fmt " chunk, a short one, or fields that contradict
 *               each other (block alignment, byte rate, bits)
 *   codec       a codec other than PCM or G.711 (MP3, ADPCM, float, ...)
 *   rate        a sample rate outside WAV_MIN_RATE..WAV_MAX_RATE
 *   channels    no channels, or more than WAV_MAX_CHANNELS
 *   bits        PCM with another sample size than 8, 16, 24 or 32
 *   empty       no "data" chunk, or no whole sample in it */
#define WAV_REASONS(X) \
	X(not_wav) X(truncated) X(bad_length) X(bad_format) X(codec) X(rate) X(channels) \
	X(bits) X(empty)

enum wav_codec { WAV_PCM, WAV_ALAW, WAV_ULAW };

struct wav_info {
	enum wav_codec codec;
	unsigned format_tag;	/* as found (0xFFFE: the extensible's sub-format) */
	unsigned rate;		/* samples per second per channel */
	unsigned channels;
	unsigned bits;		/* per sample as stored (8 for G.711) */
	size_t data_off;	/* the samples: bytes [data_off, data_off + data_len) */
	size_t data_len;	/* whole frames only */
	uint64_t frames;	/* samples per channel */
	unsigned duration_ms;	/* frames at rate, rounded down */
};

/* Checks the file p[0..n) and describes it. NULL when it is a WAV file this
 * module can convert, else one of the WAV_REASONS names (static text). For
 * "codec", "rate", "channels" and "bits", wi's format_tag, rate, channels
 * and bits say what the header held. */
const char *wav_parse(const unsigned char *p, size_t n, struct wav_info *wi);

/* "pcm", "alaw", "ulaw". */
const char *wav_codec_name(enum wav_codec c);

/* The samples of p (as wav_parse described them in wi) as a WAV file at
 * WAV_OUT_RATE, mono, 16-bit PCM: channels are averaged, the rate changed
 * with a windowed-sinc low-pass filter (cut-off just under the new Nyquist
 * frequency). *outp is malloc'd (the caller frees), *outlen its size.
 * 0, or -1 when out of memory or the result would not fit a WAV file. */
int wav_convert(const unsigned char *p, const struct wav_info *wi, unsigned char **outp,
		size_t *outlen);

/* A canonical 44-byte header for data_len bytes of PCM. */
void wav_header(unsigned char h[WAV_HEADER_BYTES], unsigned rate, unsigned channels,
		unsigned bits, uint32_t data_len);

/* Sample value of G.711 bytes, 16-bit linear. */
int16_t wav_alaw(uint8_t a);
int16_t wav_ulaw(uint8_t u);

#endif
