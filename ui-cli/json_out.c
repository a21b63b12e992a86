/* json_out.c: the few JSON shapes --json output needs, written directly to the
 * stream (no document tree: output is produced row by row as it is read). */
#include "ui-cli/schedctl.h"

#include "scheduler/tz.h"

void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void json_key(FILE *f, bool *first, const char *key)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	json_str(f, key);
	fputc(':', f);
}

void json_time_us(FILE *f, int64_t us)
{
	if (us <= 0) {
		fputs("null", f);
		return;
	}
	char buf[64];
	tz_format_iso("UTC", (time_t)(us / 1000000), buf, sizeof buf);
	json_str(f, buf);
}

void json_date(FILE *f, time_t t, const char *tz)
{
	char buf[64];
	tz_format_iso(tz, t, buf, sizeof buf);
	json_str(f, buf);
}

void json_raw_or_null(FILE *f, const char *json)
{
	fputs(json && *json ? json : "null", f);
}
