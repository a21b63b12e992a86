/* json_out.c: the few JSON shapes --json output needs, written to the stream
 * as rows are read (no whole-document tree); every string and key is
 * escaped by jansson (lib/json.h). */
#include "ui-cli/schedctl.h"

#include "lib/json.h"
#include "scheduler/tz.h"

void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	json_t *v = jx_str(s);
	jx_fwrite(v, f);
	json_decref(v);
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

void json_doc_or_text(FILE *f, const char *text)
{
	if (!text || !*text) {
		fputs("null", f);
		return;
	}
	/* the last line of a try's output is the job's result line when it is
	 * JSON; any other last line (a command that is not one of our jobs) is
	 * kept as a string, so the document stays JSON */
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	if (!v)
		v = jx_str(text);
	jx_fwrite(v, f);
	json_decref(v);
}
