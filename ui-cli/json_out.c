/* json_out.c: the values schedctl's --json documents are built from (jansson
 * trees, lib/json.h), and json_str for the quoted IDs of --dot. */
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

json_t *jv_str(const char *s)
{
	return s ? jx_str(s) : json_null();
}

json_t *jv_time_us(int64_t us)
{
	if (us <= 0)
		return json_null();
	char buf[64];
	tz_format_iso("UTC", (time_t)(us / 1000000), buf, sizeof buf);
	return jx_str(buf);
}

json_t *jv_date(time_t t, const char *tz)
{
	char buf[64];
	tz_format_iso(tz, t, buf, sizeof buf);
	return jx_str(buf);
}

json_t *jv_doc_or_text(const char *text)
{
	if (!text || !*text)
		return json_null();
	/* the last line of a try's output is the job's result line when it is
	 * JSON; any other last line (a command that is not one of our jobs) is
	 * kept as a string, so the document stays JSON */
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : jx_str(text);
}

void json_print(json_t *doc)
{
	jx_fwrite(doc, stdout);
	fputc('\n', stdout);
	json_decref(doc);
}
