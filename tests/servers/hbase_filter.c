/* hbase_filter.c: scanner filters of the HBase REST test server (see
 * hbase_filter.h). Comparator semantics follow HBase: Binary compares bytes,
 * RegexString passes when the regex is found in the value (Java find()),
 * Substring is a case-insensitive contains; an op says how the cell's value
 * must compare to the comparator's. */
#include "tests/servers/hbase_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobs/common/base64.h"
#include "jobs/common/rowstore_regex.h"

enum { F_ROW = 1, F_PREFIX, F_SCV, F_VALUE, F_FIRSTKEY, F_KEYONLY, F_PAGE, F_LIST };
enum { OP_LESS, OP_LE, OP_EQ, OP_NE, OP_GE, OP_GT, OP_NOOP };
enum { C_BINARY = 1, C_BINPREFIX, C_REGEX, C_SUBSTR };

static const char *const op_names[] = {"LESS", "LESS_OR_EQUAL", "EQUAL", "NOT_EQUAL",
				       "GREATER_OR_EQUAL", "GREATER", "NO_OP"};

static char *b64field(const json_t *o, const char *key, size_t *len)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? b64_decode(json_string_value(v), json_string_length(v), len) : NULL;
}

static int parse_node(const json_t *o, struct hfilter *f, char *err, size_t n);

static int parse_comparator(const json_t *o, struct hfilter *f, char *err, size_t n)
{
	const json_t *c = json_object_get(o, "comparator");
	const char *t = json_string_value(json_object_get(c, "type"));
	const char *opn = json_string_value(json_object_get(o, "op"));
	f->op = -1;
	for (int i = 0; opn && i < 7; i++)
		if (strcmp(opn, op_names[i]) == 0)
			f->op = i;
	if (f->op < 0) {
		snprintf(err, n, "bad or missing compare op '%s'", opn ? opn : "");
		return -1;
	}
	if (!t) {
		snprintf(err, n, "filter without a comparator");
		return -1;
	}
	if (strcmp(t, "BinaryComparator") == 0 || strcmp(t, "BinaryPrefixComparator") == 0) {
		f->cmp = t[6] == 'C' ? C_BINARY : C_BINPREFIX;
		f->value = b64field(c, "value", &f->vlen);
		if (!f->value) {
			snprintf(err, n, "%s value is not base64", t);
			return -1;
		}
	} else if (strcmp(t, "RegexStringComparator") == 0 || strcmp(t, "SubstringComparator") == 0) {
		f->cmp = t[0] == 'R' ? C_REGEX : C_SUBSTR;
		const char *v = json_string_value(json_object_get(c, "value"));
		if (!v) {
			snprintf(err, n, "%s without a value", t);
			return -1;
		}
		f->value = strdup(v);
		f->vlen = strlen(v);
		if (f->cmp == C_REGEX && rowstore_regcomp(&f->re, v, err, n)) {
			f->cmp = C_SUBSTR;	/* nothing compiled to free */
			return -1;
		}
	} else {
		snprintf(err, n, "unsupported comparator type '%s'", t);
		return -1;
	}
	return 0;
}

static int parse_node(const json_t *o, struct hfilter *f, char *err, size_t n)
{
	memset(f, 0, sizeof *f);
	const char *t = json_string_value(json_object_get(o, "type"));
	if (!t) {
		snprintf(err, n, "filter without a type");
		return -1;
	}
	if (strcmp(t, "RowFilter") == 0 || strcmp(t, "ValueFilter") == 0) {
		f->type = t[0] == 'R' ? F_ROW : F_VALUE;
		return parse_comparator(o, f, err, n);
	}
	if (strcmp(t, "SingleColumnValueFilter") == 0) {
		f->type = F_SCV;
		size_t l;
		f->family = b64field(o, "family", &l);
		f->qualifier = b64field(o, "qualifier", &l);
		if (!f->family || !f->qualifier) {
			snprintf(err, n, "SingleColumnValueFilter needs base64 family and qualifier");
			return -1;
		}
		const json_t *im = json_object_get(o, "ifMissing");
		f->if_missing = json_is_true(im);
		return parse_comparator(o, f, err, n);
	}
	if (strcmp(t, "PrefixFilter") == 0) {
		f->type = F_PREFIX;
		f->value = b64field(o, "value", &f->vlen);
		if (!f->value) {
			snprintf(err, n, "PrefixFilter value is not base64");
			return -1;
		}
		return 0;
	}
	if (strcmp(t, "FirstKeyOnlyFilter") == 0) {
		f->type = F_FIRSTKEY;
		return 0;
	}
	if (strcmp(t, "KeyOnlyFilter") == 0) {
		f->type = F_KEYONLY;
		return 0;
	}
	if (strcmp(t, "PageFilter") == 0) {
		f->type = F_PAGE;
		const char *v = json_string_value(json_object_get(o, "value"));
		f->page = v ? atol(v) : 0;
		if (f->page <= 0) {
			snprintf(err, n, "PageFilter value must be a positive decimal string");
			return -1;
		}
		return 0;
	}
	if (strcmp(t, "FilterList") == 0) {
		f->type = F_LIST;
		const char *op = json_string_value(json_object_get(o, "op"));
		if (!op || (strcmp(op, "MUST_PASS_ALL") && strcmp(op, "MUST_PASS_ONE"))) {
			snprintf(err, n, "FilterList op must be MUST_PASS_ALL or MUST_PASS_ONE");
			return -1;
		}
		f->op = strcmp(op, "MUST_PASS_ALL") == 0;
		const json_t *kids = json_object_get(o, "filters");
		if (!json_is_array(kids)) {
			snprintf(err, n, "FilterList without a filters array");
			return -1;
		}
		size_t nk = json_array_size(kids);
		f->kids = calloc(nk ? nk : 1, sizeof *f->kids);
		for (size_t i = 0; i < nk; i++) {
			f->nkids = i + 1;
			if (parse_node(json_array_get(kids, i), &f->kids[i], err, n))
				return -1;
		}
		return 0;
	}
	snprintf(err, n, "unsupported filter type '%s'", t);
	return -1;
}

int hfilter_parse(const char *json, struct hfilter *f, char *err, size_t errlen)
{
	json_error_t je;
	json_t *doc = json_loads(json, 0, &je);
	memset(f, 0, sizeof *f);
	if (!doc) {
		snprintf(err, errlen, "filter is not JSON: at byte %d: %s", je.position, je.text);
		return -1;
	}
	int rc = parse_node(doc, f, err, errlen);
	json_decref(doc);
	if (rc)
		hfilter_free(f);
	return rc;
}

void hfilter_free(struct hfilter *f)
{
	for (size_t i = 0; i < f->nkids; i++)
		hfilter_free(&f->kids[i]);
	free(f->kids);
	if (f->cmp == C_REGEX)
		regfree(&f->re);
	free(f->value);
	free(f->family);
	free(f->qualifier);
	memset(f, 0, sizeof *f);
}

/* Does the subject pass "subject OP comparator"? */
static int compare(const struct hfilter *f, const char *s, size_t n)
{
	int c;
	switch (f->cmp) {
	case C_REGEX:
		c = rowstore_regsearch(&f->re, s) ? 0 : 1;
		break;
	case C_SUBSTR:
		c = strcasestr(s, f->value) ? 0 : 1;
		break;
	case C_BINPREFIX:
		c = memcmp(s, f->value, n < f->vlen ? n : f->vlen);
		if (c == 0 && n < f->vlen)
			c = -1;
		break;
	default:
		c = memcmp(s, f->value, n < f->vlen ? n : f->vlen);
		if (c == 0)
			c = n < f->vlen ? -1 : n > f->vlen ? 1 : 0;
	}
	switch (f->op) {
	case OP_LESS: return c < 0;
	case OP_LE: return c <= 0;
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_GE: return c >= 0;
	case OP_GT: return c > 0;
	default: return 1;
	}
}

int hfilter_row(const struct hfilter *f, const struct rowstore_row *row)
{
	switch (f->type) {
	case F_ROW:
		return compare(f, row->key, strlen(row->key));
	case F_PREFIX:
		return strncmp(row->key, f->value, f->vlen) == 0;
	case F_SCV:
		for (size_t i = 0; i < row->ncells; i++)
			if (strcmp(row->cells[i].family, f->family) == 0 &&
			    strcmp(row->cells[i].qualifier, f->qualifier) == 0)
				return compare(f, row->cells[i].value, row->cells[i].value_len);
		return !f->if_missing;
	case F_LIST:
		for (size_t i = 0; i < f->nkids; i++) {
			int p = hfilter_row(&f->kids[i], row);
			if (f->op && !p)
				return 0;
			if (!f->op && p && f->kids[i].type != F_VALUE && f->kids[i].type != F_FIRSTKEY &&
			    f->kids[i].type != F_KEYONLY && f->kids[i].type != F_PAGE)
				return 1;
		}
		return f->op || f->nkids == 0;
	default:
		return 1;
	}
}

int hfilter_cell(const struct hfilter *f, const struct rowstore_cell *c)
{
	if (f->type == F_VALUE)
		return compare(f, c->value, c->value_len);
	if (f->type == F_LIST && f->op)
		for (size_t i = 0; i < f->nkids; i++)
			if (!hfilter_cell(&f->kids[i], c))
				return 0;
	return 1;
}

static int has(const struct hfilter *f, int type)
{
	if (f->type == type)
		return 1;
	for (size_t i = 0; i < f->nkids; i++)
		if (has(&f->kids[i], type))
			return 1;
	return 0;
}

int hfilter_first_key_only(const struct hfilter *f) { return has(f, F_FIRSTKEY); }
int hfilter_key_only(const struct hfilter *f) { return has(f, F_KEYONLY); }

long hfilter_page(const struct hfilter *f)
{
	long p = f->type == F_PAGE ? f->page : 0;
	for (size_t i = 0; i < f->nkids; i++) {
		long k = hfilter_page(&f->kids[i]);
		if (k && (!p || k < p))
			p = k;
	}
	return p;
}
