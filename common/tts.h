/* Speech made by espeak-ng as the file rtpengine plays: 8 kHz mono 16-bit
 * PCM WAV (the audio library's conversion, common/wav.h). The web app uses
 * it for the library's text-to-speech files and for the text prompts of a
 * flow being published; cc-plugin for the flows already published.
 *
 * espeak-ng runs without a shell, reads the text from a pipe (a text that
 * starts with '-' is no option), writes to a hidden file of the target
 * folder, and is killed when it takes longer than TTS_LIMIT_MS: a caller
 * waits that long at most. */
#ifndef CC_TTS_H
#define CC_TTS_H

#include <stddef.h>

#define TTS_LIMIT_MS 15000

/* espeak-ng's voice for a voice of the console and of flows ("cmn", "en";
 * NULL: "cmn"), or NULL for any other value. */
const char *tts_voice(const char *voice);

/* Speaks text with espeak_voice (tts_voice()), working in dir: *wavp the
 * converted WAV (malloc'd, the caller frees), *lenp its size, *msp its
 * length in ms. 0, or -1 (logged). */
int tts_speak(const char *espeak_voice, const char *text, const char *dir, unsigned char **wavp,
	      size_t *lenp, unsigned *msp);

/* Makes dir/name from text unless it exists (written to a hidden file
 * renamed into place: rtpengine never opens half a file). name must be a
 * plain file name. 1 made, 0 there already, -1 failed (logged). */
int tts_file(const char *dir, const char *name, const char *voice, const char *text);

#endif
