/* Logging: formats the whole line first and writes it with one write(2), so
 * lines from several threads never interleave. What a message carries may
 * come from outside (a request path, a SIP message, a datagram): control
 * characters are escaped so that no value can end the line or forge
 * another. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "cc";
static enum log_level current = LOG_INFO;
static const char *const names[] = { "ERROR", "WARN", "INFO", "DEBUG" };

void log_init(const char *program, enum log_level level)
{
	prog = program;
	current = level;
}

void log_set_level(enum log_level level)
{
	current = level;
}

int log_level_parse(const char *name)
{
	static const char *const keys[] = { "error", "warn", "info", "debug" };
	for (int i = 0; i < 4; i++)
		if (!strcasecmp(name, keys[i]))
			return i;
	return -1;
}

int log_enabled(enum log_level level)
{
	return level <= current;
}

size_t log_escape(char *out, size_t cap, const char *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (!cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		char esc[4];
		size_t k;
		if (c == '\n' || c == '\r') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : 'r';
			k = 2;
		} else if (c < 0x20 || c == 0x7f) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			k = 4;
		} else {
			/* Bytes from 0x80 up pass: UTF-8 stays readable. */
			esc[0] = (char)c;
			k = 1;
		}
		if (o + k > cap - 1)
			break;
		memcpy(out + o, esc, k);
		o += k;
	}
	out[o] = '\0';
	return o;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > current)
		return;
	char line[2048], msg[2048];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof line, "%04d-%02d-%02d %02d:%02d:%02d.%03ld %s %s: ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, ts.tv_nsec / 1000000, prog, names[level]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	if (m > (int)sizeof msg - 1)
		m = sizeof msg - 1;
	n += (int)log_escape(line + n, sizeof line - n - 1, msg, (size_t)m);
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, n);
	(void)w;
}
