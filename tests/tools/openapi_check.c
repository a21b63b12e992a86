/* openapi_check: checks JSON documents against the response schemas of an
 * OpenAPI 3 document (ui-web/openapi.yaml), so every answer of the REST API's
 * integration tests is shown to be what the document promises.
 *
 *   openapi_check SPEC.yaml METHOD PATH STATUS FILE...
 *
 * PATH is the document's path template ("/dags/{dag_id}/dagRuns"); each FILE
 * holds one response body, checked against the application/json schema of
 * that operation's STATUS response (an error status: its
 * application/problem+json schema). Exit 0 when every file conforms; 1
 * naming the file, the place in the document (/dag_runs/0/state) and the
 * rule it breaks; 2 for a usage error or an operation the document lacks.
 *
 * The YAML is read with libyaml into a jansson tree (plain scalars: null,
 * booleans, integers and numbers as YAML 1.2's core schema reads them;
 * quoted ones stay strings; anchors and aliases are refused). The schema
 * rules checked: type, nullable, properties, required, additionalProperties
 * (false, or a schema), items, enum, $ref (#/components/...), and format
 * date-time (loosely: YYYY-MM-DDTHH:MM:SS then an offset or Z). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

static json_t *scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(v, n);
	if (n == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0)
		return json_null();
	if (strcmp(v, "true") == 0)
		return json_true();
	if (strcmp(v, "false") == 0)
		return json_false();
	char *end;
	errno = 0;
	long long i = strtoll(v, &end, 10);
	if (!errno && *end == '\0')
		return json_integer(i);
	double d = strtod(v, &end);
	if (*end == '\0' && end != v)
		return json_real(d);
	return json_stringn(v, n);
}

/* The node that starts with ev (already taken); NULL after printing why. */
static json_t *node(yaml_parser_t *p, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return scalar(ev);
	case YAML_ALIAS_EVENT:
		fprintf(stderr, "openapi_check: line %zu: aliases are not supported\n", ev->start_mark.line + 1);
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		json_t *c = map ? json_object() : json_array();
		for (;;) {
			yaml_event_t k;
			if (!yaml_parser_parse(p, &k)) {
				fprintf(stderr, "openapi_check: line %zu: %s\n", p->problem_mark.line + 1, p->problem);
				json_decref(c);
				return NULL;
			}
			if (k.type == YAML_SEQUENCE_END_EVENT || k.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&k);
				return c;
			}
			json_t *key = node(p, &k);
			yaml_event_delete(&k);
			if (!key) {
				json_decref(c);
				return NULL;
			}
			if (!map) {
				json_array_append_new(c, key);
				continue;
			}
			yaml_event_t ve;
			if (!yaml_parser_parse(p, &ve)) {
				fprintf(stderr, "openapi_check: line %zu: %s\n", p->problem_mark.line + 1, p->problem);
				json_decref(key);
				json_decref(c);
				return NULL;
			}
			json_t *val = node(p, &ve);
			yaml_event_delete(&ve);
			if (!val || !json_is_string(key)) {
				json_decref(val);
				json_decref(key);
				json_decref(c);
				return NULL;
			}
			json_object_set_new(c, json_string_value(key), val);
			json_decref(key);
		}
	}
	default:
		fprintf(stderr, "openapi_check: unexpected YAML event %d\n", ev->type);
		return NULL;
	}
}

static json_t *load_yaml(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "openapi_check: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	json_t *doc = NULL;
	yaml_event_t ev;
	while (yaml_parser_parse(&p, &ev)) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT || t == YAML_SCALAR_EVENT) {
			doc = node(&p, &ev);
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	if (!doc && p.error != YAML_NO_ERROR)
		fprintf(stderr, "openapi_check: %s: line %zu: %s\n", path, p.problem_mark.line + 1, p.problem);
	yaml_parser_delete(&p);
	fclose(f);
	return doc;
}

static json_t *spec;
static char problem[2048];

static json_t *deref(json_t *schema)
{
	for (int hops = 0; hops < 32 && json_is_object(schema); hops++) {
		const char *ref = json_string_value(json_object_get(schema, "$ref"));
		if (!ref)
			return schema;
		if (strncmp(ref, "#/", 2) != 0)
			return NULL;
		json_t *at = spec;
		char buf[512];
		snprintf(buf, sizeof buf, "%s", ref + 2);
		for (char *save, *tok = strtok_r(buf, "/", &save); tok && at; tok = strtok_r(NULL, "/", &save))
			at = json_object_get(at, tok);
		schema = at;
	}
	return NULL;
}

static bool is_datetime(const char *s)
{
	/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM) */
	const char *pat = "dddd-dd-ddTdd:dd:dd";
	size_t i = 0;
	for (; pat[i]; i++) {
		char c = s[i];
		if (pat[i] == 'd' ? !(c >= '0' && c <= '9') : c != pat[i])
			return false;
	}
	const char *t = s + i;
	if (*t == '.') {
		t++;
		if (!(*t >= '0' && *t <= '9'))
			return false;
		while (*t >= '0' && *t <= '9')
			t++;
	}
	if (strcmp(t, "Z") == 0)
		return true;
	return (t[0] == '+' || t[0] == '-') && t[1] >= '0' && t[1] <= '9' && t[2] >= '0' && t[2] <= '9' &&
	       t[3] == ':' && t[4] >= '0' && t[4] <= '9' && t[5] >= '0' && t[5] <= '9' && t[6] == '\0';
}

static bool type_is(const json_t *v, const char *type)
{
	if (strcmp(type, "object") == 0)
		return json_is_object(v);
	if (strcmp(type, "array") == 0)
		return json_is_array(v);
	if (strcmp(type, "string") == 0)
		return json_is_string(v);
	if (strcmp(type, "integer") == 0)
		return json_is_integer(v);
	if (strcmp(type, "number") == 0)
		return json_is_number(v);
	if (strcmp(type, "boolean") == 0)
		return json_is_boolean(v);
	return false;
}

static bool check(json_t *schema_in, const json_t *v, const char *where)
{
	json_t *schema = deref(schema_in);
	if (!json_is_object(schema)) {
		snprintf(problem, sizeof problem, "%s: the schema is missing or a $ref does not resolve", where);
		return false;
	}
	if (json_is_null(v)) {
		if (json_is_true(json_object_get(schema, "nullable")))
			return true;
		snprintf(problem, sizeof problem, "%s: null, and the schema is not nullable", where);
		return false;
	}
	const char *type = json_string_value(json_object_get(schema, "type"));
	if (type && !type_is(v, type)) {
		snprintf(problem, sizeof problem, "%s: not of type %s", where, type);
		return false;
	}
	json_t *en = json_object_get(schema, "enum");
	if (json_is_array(en)) {
		size_t i;
		json_t *e;
		bool found = false;
		json_array_foreach(en, i, e)
			found = found || json_equal(e, (json_t *)v);
		if (!found) {
			char *txt = json_dumps(v, JSON_ENCODE_ANY);
			snprintf(problem, sizeof problem, "%s: %s is not in the enum", where, txt ? txt : "?");
			free(txt);
			return false;
		}
	}
	const char *format = json_string_value(json_object_get(schema, "format"));
	if (format && strcmp(format, "date-time") == 0 && json_is_string(v) && !is_datetime(json_string_value(v))) {
		snprintf(problem, sizeof problem, "%s: '%s' is not a date-time", where, json_string_value(v));
		return false;
	}
	char sub[1024];
	if (json_is_array(v)) {
		json_t *items = json_object_get(schema, "items");
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			snprintf(sub, sizeof sub, "%s/%zu", where, i);
			if (items && !check(items, e, sub))
				return false;
		}
	}
	if (json_is_object(v)) {
		json_t *props = json_object_get(schema, "properties"), *req = json_object_get(schema, "required");
		json_t *addl = json_object_get(schema, "additionalProperties");
		size_t i;
		json_t *e;
		json_array_foreach(req, i, e) {
			if (json_is_string(e) && !json_object_get(v, json_string_value(e))) {
				snprintf(problem, sizeof problem, "%s: the required property '%s' is missing", where,
					 json_string_value(e));
				return false;
			}
		}
		const char *k;
		json_t *pv;
		json_object_foreach((json_t *)v, k, pv) {
			snprintf(sub, sizeof sub, "%s/%s", where, k);
			json_t *ps = props ? json_object_get(props, k) : NULL;
			if (ps) {
				if (!check(ps, pv, sub))
					return false;
			} else if (json_is_false(addl)) {
				snprintf(problem, sizeof problem, "%s: the property '%s' is not in the schema"
					 " (additionalProperties: false)", where, k);
				return false;
			} else if (json_is_object(addl) && !check(addl, pv, sub)) {
				return false;
			}
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: openapi_check SPEC.yaml METHOD PATH STATUS FILE...\n");
		return 2;
	}
	spec = load_yaml(argv[1]);
	if (!spec)
		return 2;
	char method[16];
	size_t m = 0;
	for (; argv[2][m] && m < sizeof method - 1; m++)
		method[m] = (char)(argv[2][m] | 0x20);
	method[m] = '\0';
	json_t *op = json_object_get(json_object_get(json_object_get(spec, "paths"), argv[3]), method);
	json_t *r = deref(json_object_get(json_object_get(op, "responses"), argv[4]));
	json_t *content = json_object_get(r, "content");
	json_t *schema = json_object_get(json_object_get(content, "application/json"), "schema");
	if (!schema)
		schema = json_object_get(json_object_get(content, "application/problem+json"), "schema");
	if (!schema) {
		fprintf(stderr, "openapi_check: %s has no %s %s response %s with a JSON schema\n", argv[1], argv[2],
			argv[3], argv[4]);
		json_decref(spec);
		return 2;
	}
	int rc = 0;
	for (int i = 5; i < argc; i++) {
		json_error_t e;
		json_t *doc = json_load_file(argv[i], JSON_DECODE_ANY, &e);
		if (!doc) {
			fprintf(stderr, "openapi_check: %s: not JSON: %s (line %d)\n", argv[i], e.text, e.line);
			rc = 1;
			continue;
		}
		if (!check(schema, doc, "")) {
			fprintf(stderr, "openapi_check: %s (%s %s %s): %s\n", argv[i], argv[2], argv[3], argv[4],
				problem[0] == ':' ? problem + 2 : problem);
			rc = 1;
		}
		json_decref(doc);
	}
	json_decref(spec);
	return rc;
}
