/* fuzz_template.c: {{ name }} templates (scheduler/template.c). The input is
 * "template\0conf value": template_check against a DAG with params region and
 * limit, then template_render with a run conf overriding region (as trigger
 * --param does). Invariant: a template that checks renders, unless it names
 * env.X (unset variables fail at run time by design); every error has a
 * message and an offset inside the text. The same text is then checked and
 * rendered as a notification channel's template (template_check_fields over
 * the payload's fields): one that checks renders unless it names env.X.
 * And as a mapped instance's template (element name "part", its element the
 * conf value as JSON): one that checks renders unless it names env.X, a
 * ti.TASK result, or a key its element does not have (part.KEY). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/dag.h"
#include "scheduler/notify.h"
#include "scheduler/template.h"

static struct dag *dag;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static const char y[] = "dag: tmpl\ntimezone: Europe/Berlin\nschedule: \"0 2 * * *\"\n"
				"params:\n  region: eu\n  limit: 10\ntasks:\n  - id: t\n    command: [x]\n";
	struct diag_list l = { 0 };
	dag = dag_load_buffer("t.yaml", y, sizeof y - 1, &l);
	if (!dag)
		abort();
	return 0;
}

static const char *field_value(void *arg, const char *field)
{
	(void)arg;
	return field;
}

/* s as a notification template; s is NUL-terminated at tlen. */
static void fields_case(const char *s, size_t tlen)
{
	size_t off = (size_t)-1;
	char err[256] = "";
	if (template_check_fields(s, notify_fields, NOTIFY_NFIELDS, &off, err, sizeof err) != 0) {
		if (err[0] == '\0' || off >= tlen)
			abort();
		return;
	}
	char *out = template_render_fields(s, notify_fields, NOTIFY_NFIELDS, field_value, NULL, err, sizeof err);
	if (!out && !strstr(s, "env."))
		abort();
	free(out);
}

/* s as a mapped instance's template, its element item (any text). */
static void mapped_case(const char *s, size_t tlen, const char *item)
{
	size_t off = (size_t)-1;
	char err[256] = "";
	if (template_check_map(s, dag, "part", &off, err, sizeof err) != 0) {
		if (err[0] == '\0' || off >= tlen)
			abort();
		return;
	}
	struct template_ctx c = { .dag = dag, .task_id = "t", .run_id = "r", .interval_start = 1772582400,
				  .interval_end = 1772668800, .map_as = "part", .map_item = item, .map_index = 4 };
	char *out = template_render(s, &c, err, sizeof err);
	if (!out && ((!strstr(s, "env.") && !strstr(s, "ti.") && !strstr(s, "part")) || err[0] == '\0'))
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	size_t tlen = strlen(s);
	fields_case(s, tlen);
	const char *conf_value = tlen < size ? s + tlen + 1 : "us";
	struct dag_kv conf = { .key = "region", .value = (char *)conf_value };
	mapped_case(s, tlen, conf_value);
	size_t off = (size_t)-1;
	char err[256] = "";
	if (template_check(s, dag, &off, err, sizeof err) != 0) {
		if (err[0] == '\0' || off >= tlen)
			abort();
		free(s);
		return 0;
	}
	struct template_ctx c = { .dag = dag, .task_id = "t", .run_id = "manual__2026-03-04T10:00:00",
				  .interval_start = 1772582400, .interval_end = 1772668800, .try_number = 3,
				  .conf = &conf, .nconf = 1 };
	char *out = template_render(s, &c, err, sizeof err);
	/* checked, then failed to render: only an unset env.NAME or a ti.TASK
	 * result may (this context holds no upstream results), and it says why */
	if (!out && ((!strstr(s, "env.") && !strstr(s, "ti.")) || err[0] == '\0'))
		abort();
	free(out);
	free(s);
	return 0;
}
