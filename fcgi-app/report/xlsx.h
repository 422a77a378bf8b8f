/* A minimal Office Open XML workbook: one sheet of text and numbers, cells
 * given row by row, written as a ZIP of stored (uncompressed) parts, which
 * Excel, WPS and LibreOffice open. Memory from the request's arena. */
#ifndef WEB_REPORT_XLSX_H
#define WEB_REPORT_XLSX_H

#include <stddef.h>

struct arena;
struct xlsx;

/* A workbook whose one sheet is called sheet (cut to 31 characters). NULL
 * when out of memory. */
struct xlsx *xlsx_new(struct arena *a, const char *sheet);
/* Row and column from 0, rows in order, columns in order within a row:
 * text when not NULL, else the number. 0, or -1 when out of memory or out
 * of order. */
int xlsx_cell(struct xlsx *x, unsigned row, unsigned col, const char *text, double num);
/* The file's bytes (in the arena), or NULL when out of memory. */
const unsigned char *xlsx_finish(struct xlsx *x, size_t *len);

#endif
