/* Logging for both programs: one line per message on stderr, with time,
 * program, level. Callers put the call-id (or request id) in the text. */
#ifndef CC_LOG_H
#define CC_LOG_H

#include <stddef.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(const char *program, enum log_level level);
void log_set_level(enum log_level level);
/* Parses "error", "warn", "info", "debug"; returns -1 for anything else. */
int log_level_parse(const char *name);
int log_enabled(enum log_level level);
/* Copies n bytes of in to out (at most cap - 1, then NUL) with \n and \r
 * written as two characters and other control characters (below 0x20, and
 * 0x7f) as \xNN; bytes from 0x80 (UTF-8) pass. An escape that does not
 * fit is left out whole. The length written. log_msg applies it to every
 * message. */
size_t log_escape(char *out, size_t cap, const char *in, size_t n);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
