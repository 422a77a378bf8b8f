/* A WAV file written as its samples come (16-bit PCM, mono): a header
 * with placeholder sizes first, the samples through a buffer written out in
 * chunks of WAV_FILE_CHUNK bytes, and the sizes fixed at close. The pure
 * side of WAV (reading, converting, the header itself) is wav.h. */
#ifndef CC_WAV_FILE_H
#define CC_WAV_FILE_H

#include <stddef.h>
#include <stdint.h>

#define WAV_FILE_CHUNK 8192

struct wav_file;

/* Creates (or truncates) path, mode 0640, for samples at rate Hz. Writes
 * *wp; 0 or an errno value. */
int wav_file_open(struct wav_file **wp, const char *path, unsigned rate);

/* Appends n samples. 0, or an errno value (EFBIG past what a WAV file can
 * say it holds); after an error the file takes nothing more. */
int wav_file_write(struct wav_file *w, const int16_t *s, size_t n);

/* Samples appended so far. */
uint64_t wav_file_samples(const struct wav_file *w);

/* Writes what is buffered, fixes the header's sizes, closes and frees.
 * 0, or the first errno value met (the file is closed and freed anyway).
 * NULL is allowed. */
int wav_file_close(struct wav_file *w);

#endif
