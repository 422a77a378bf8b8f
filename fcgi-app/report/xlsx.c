/* The workbook's parts and their ZIP container (APPNOTE 6.3: local headers,
 * stored data, the central directory and its end record). */
#include "xlsx.h"

#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

struct grow {
	struct arena *a;
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct grow *g, const void *p, size_t n)
{
	if (g->oom)
		return;
	if (g->len + n > g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 4096;
		while (cap < g->len + n)
			cap *= 2;
		unsigned char *q = arena_alloc(g->a, cap);
		if (!q) {
			g->oom = true;
			return;
		}
		if (g->len)
			memcpy(q, g->p, g->len);
		g->p = q;
		g->cap = cap;
	}
	memcpy(g->p + g->len, p, n);
	g->len += n;
}

static void puts_(struct grow *g, const char *s)
{
	put(g, s, strlen(s));
}

/* Text as XML character data: markup escaped, characters XML 1.0 does not
 * allow left out. */
static void put_text(struct grow *g, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': puts_(g, "&amp;"); break;
		case '<': puts_(g, "&lt;"); break;
		case '>': puts_(g, "&gt;"); break;
		case '"': puts_(g, "&quot;"); break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				put(g, s, 1);
		}
	}
}

struct xlsx {
	struct arena *a;
	char sheet[128];
	struct grow rows;	/* <row> elements of the sheet */
	long row, col;		/* the last cell written; row -1: none */
};

struct xlsx *xlsx_new(struct arena *a, const char *sheet)
{
	struct xlsx *x = arena_alloc(a, sizeof *x);
	if (!x)
		return NULL;
	memset(x, 0, sizeof *x);
	x->a = a;
	x->rows.a = a;
	x->row = -1;
	/* Up to 31 characters, none of []:*?/\ (a sheet name's rules). */
	size_t n = 0, chars = 0;
	for (const char *s = sheet; *s && chars < 31 && n + 4 < sizeof x->sheet; s++) {
		if (strchr("[]:*?/\\", *s))
			continue;
		if (((unsigned char)*s & 0xc0) != 0x80)
			chars++;
		x->sheet[n++] = *s;
	}
	if (!n)
		snprintf(x->sheet, sizeof x->sheet, "Sheet1");
	return x;
}

static void col_name(unsigned col, char *out)
{
	char tmp[8];
	int n = 0;
	col++;
	while (col && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

int xlsx_cell(struct xlsx *x, unsigned row, unsigned col, const char *text, double num)
{
	if ((long)row < x->row || ((long)row == x->row && (long)col <= x->col))
		return -1;
	char buf[96], ref[16];
	if ((long)row != x->row) {
		if (x->row >= 0)
			puts_(&x->rows, "</row>");
		snprintf(buf, sizeof buf, "<row r=\"%u\">", row + 1);
		puts_(&x->rows, buf);
		x->row = row;
	}
	x->col = col;
	col_name(col, ref);
	if (text) {
		snprintf(buf, sizeof buf, "<c r=\"%s%u\" t=\"inlineStr\"><is><t>", ref, row + 1);
		puts_(&x->rows, buf);
		put_text(&x->rows, text);
		puts_(&x->rows, "</t></is></c>");
	} else {
		snprintf(buf, sizeof buf, "<c r=\"%s%u\"><v>%.17g</v></c>", ref, row + 1, num);
		puts_(&x->rows, buf);
	}
	return x->rows.oom ? -1 : 0;
}

/* --- the ZIP ---------------------------------------------------------------------------- */

struct entry {
	const char *name;
	uint32_t crc, size, offset;
};

static void le16(struct grow *g, unsigned v)
{
	unsigned char b[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	put(g, b, 2);
}

static void le32(struct grow *g, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	put(g, b, 4);
}

/* 1980-01-01 00:00, DOS format: the parts carry no meaningful time. */
#define DOS_TIME 0
#define DOS_DATE 0x21

static void add(struct grow *z, struct entry *e, const char *name, const void *data, size_t n)
{
	e->name = name;
	e->crc = (uint32_t)crc32(0L, data, (uInt)n);
	e->size = (uint32_t)n;
	e->offset = (uint32_t)z->len;
	le32(z, 0x04034b50);
	le16(z, 20);		/* version needed */
	le16(z, 0x0800);	/* names in UTF-8 */
	le16(z, 0);		/* stored */
	le16(z, DOS_TIME);
	le16(z, DOS_DATE);
	le32(z, e->crc);
	le32(z, e->size);
	le32(z, e->size);
	le16(z, (unsigned)strlen(name));
	le16(z, 0);
	puts_(z, name);
	put(z, data, n);
}

const unsigned char *xlsx_finish(struct xlsx *x, size_t *len)
{
	if (x->row >= 0)
		puts_(&x->rows, "</row>");
	struct grow sheet = { .a = x->a }, book = { .a = x->a }, z = { .a = x->a };
	puts_(&sheet, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		      "<sheetData>");
	put(&sheet, x->rows.p, x->rows.len);
	puts_(&sheet, "</sheetData></worksheet>");
	puts_(&book, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		     "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		     "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		     "<sheets><sheet name=\"");
	put_text(&book, x->sheet);
	puts_(&book, "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
	static const char types[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Default Extension=\"rels\" "
		"ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		"<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
		"vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
		"<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
		"vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
		"<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
		"vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
		"</Types>";
	static const char rels[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
	static const char book_rels[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>";
	static const char styles[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
		"<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
		"<fill><patternFill patternType=\"gray125\"/></fill></fills>"
		"<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
		"<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
		"</cellStyleXfs><cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
		"borderId=\"0\" xfId=\"0\"/></cellXfs></styleSheet>";
	struct entry e[5];
	add(&z, &e[0], "[Content_Types].xml", types, sizeof types - 1);
	add(&z, &e[1], "_rels/.rels", rels, sizeof rels - 1);
	add(&z, &e[2], "xl/workbook.xml", book.p, book.len);
	add(&z, &e[3], "xl/_rels/workbook.xml.rels", book_rels, sizeof book_rels - 1);
	add(&z, &e[4], "xl/worksheets/sheet1.xml", sheet.p, sheet.len);
	struct entry st;
	add(&z, &st, "xl/styles.xml", styles, sizeof styles - 1);
	const struct entry *all[6] = { &e[0], &e[1], &e[2], &e[3], &e[4], &st };
	uint32_t dir = (uint32_t)z.len;
	for (int i = 0; i < 6; i++) {
		le32(&z, 0x02014b50);
		le16(&z, 20);	/* made by */
		le16(&z, 20);	/* needed */
		le16(&z, 0x0800);
		le16(&z, 0);
		le16(&z, DOS_TIME);
		le16(&z, DOS_DATE);
		le32(&z, all[i]->crc);
		le32(&z, all[i]->size);
		le32(&z, all[i]->size);
		le16(&z, (unsigned)strlen(all[i]->name));
		le16(&z, 0);	/* extra */
		le16(&z, 0);	/* comment */
		le16(&z, 0);	/* disk */
		le16(&z, 0);	/* internal attributes */
		le32(&z, 0);	/* external attributes */
		le32(&z, all[i]->offset);
		puts_(&z, all[i]->name);
	}
	uint32_t dir_len = (uint32_t)z.len - dir;
	le32(&z, 0x06054b50);
	le16(&z, 0);
	le16(&z, 0);
	le16(&z, 6);
	le16(&z, 6);
	le32(&z, dir_len);
	le32(&z, dir);
	le16(&z, 0);
	if (z.oom || sheet.oom || book.oom || x->rows.oom)
		return NULL;
	*len = z.len;
	return z.p;
}
