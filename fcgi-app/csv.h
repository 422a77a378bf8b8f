/* CSV files in and out (shared by the pages that import and export them:
 * agents, outbound tasks' targets): the encoding of an uploaded file (UTF-8
 * with or without BOM, else GBK as Excel in China saves it), its
 * conversion to UTF-8, an RFC 4180 reader, and cells for export that a
 * spreadsheet cannot take for formulas. Pure: no database, no request. */
#ifndef WEB_CSV_H
#define WEB_CSV_H

#include <stddef.h>

struct arena;

enum csv_enc { CSV_ENC_UTF8, CSV_ENC_UTF8_BOM, CSV_ENC_GBK };
/* The file's encoding: a UTF-8 BOM, valid UTF-8, else GBK (what Excel in
 * China saves as "CSV"). */
enum csv_enc csv_detect(const char *p, size_t n);
/* The file as UTF-8 without BOM (in a; GBK converted with iconv). NULL when
 * it cannot be converted (*bad_line: the line of the first bad byte). */
char *csv_utf8(struct arena *a, const char *p, size_t n, size_t *outlen, size_t *bad_line);
/* A CSV reader over UTF-8 text (RFC 4180: quotes, doubled quotes, line
 * breaks inside quotes, CRLF or LF). */
struct csv_reader {
	const char *p, *end;
	size_t line;		/* the line the next record starts on (1-based) */
};
void csv_init(struct csv_reader *c, const char *p, size_t n);
/* The next record: fields[] (at most max, in a), *nf its fields (more
 * than max: the rest are not kept), *line its first line. 1 a record, 0
 * the end, -1 malformed (an unclosed quote) or out of memory. Blank lines
 * are skipped. */
int csv_next(struct csv_reader *c, struct arena *a, char **fields, size_t max, size_t *nf,
	     size_t *line);
/* A cell for export: quoted when needed; a cell starting with = + - @ (or
 * tab, CR) gets a leading ' so that a spreadsheet shows it as text. */
char *csv_cell(struct arena *a, const char *s);

#endif
