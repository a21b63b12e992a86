/* options.c: the table-driven option parser (lib/options.h). The table is the
 * only description of a program's options: parsing, hints and --help all read
 * it, so they cannot disagree. */
#include "lib/options.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/suggest.h"
#include "lib/xalloc.h"

#define OPTS_HELP_COL 28	/* width of the "--name ARG" column */
#define OPTS_MAX_HINT 128	/* names considered for a did-you-mean hint */

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The long name's length ("kafka-opt|X" -> 9) and its short letter (or 0). */
static size_t opt_name_len(const struct opt *o)
{
	const char *bar = strchr(o->name, '|');
	return bar ? (size_t)(bar - o->name) : strlen(o->name);
}

static char opt_letter(const struct opt *o)
{
	const char *bar = strchr(o->name, '|');
	return bar ? bar[1] : 0;
}

static const struct opt *find_long(const struct opt *opts, const char *name, size_t len)
{
	for (const struct opt *o = opts; o->type != OPT_END; o++)
		if (opt_name_len(o) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, char c)
{
	for (const struct opt *o = opts; o->type != OPT_END; o++)
		if (opt_letter(o) == c)
			return o;
	return NULL;
}

/* "did you mean '--brokers'?", else the list of options there are. */
static void unknown_long(const struct opt *opts, const char *name, size_t len, char *err, size_t errlen)
{
	char want[64];
	snprintf(want, sizeof want, "%.*s", (int)(len < 63 ? len : 63), name);
	char names[OPTS_MAX_HINT][64];
	const char *cands[OPTS_MAX_HINT + 1];
	size_t n = 0;
	for (const struct opt *o = opts; o->type != OPT_END && n < OPTS_MAX_HINT; o++, n++) {
		snprintf(names[n], sizeof names[n], "%.*s", (int)opt_name_len(o), o->name);
		cands[n] = names[n];
	}
	cands[n] = "help";	/* the parser's own option is a candidate too */
	const char *best = suggest_nearest(want, cands, n + 1);
	if (best) {
		set_err(err, errlen, "unknown option '--%s'; did you mean '--%s'?", want, best);
		return;
	}
	size_t used = (size_t)snprintf(err, errlen, "unknown option '--%s'; options are: --help", want);
	for (size_t i = 0; i < n && used < errlen; i++) {
		int w = snprintf(err + used, errlen - used, ", --%s", names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (used >= errlen && errlen > 4)
		memcpy(err + errlen - 4, "...", 4);
}

/* Stores val into o's destination; OPTS_USAGE with err on a bad value. */
static int set_value(const struct opt *o, char *val, const char *shown, char *err, size_t errlen)
{
	switch (o->type) {
	case OPT_STRING:
		*(const char **)o->dst = val;
		return OPTS_OK;
	case OPT_INT: {
		char *end;
		errno = 0;
		long v = strtol(val, &end, 10);
		if (errno || end == val || *end || v < 0 || v > INT_MAX) {
			set_err(err, errlen, "%s: '%s' is not a non-negative integer", shown, val);
			return OPTS_USAGE;
		}
		*(long *)o->dst = v;
		return OPTS_OK;
	}
	case OPT_LIST: {
		struct opt_list *l = o->dst;
		l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
		l->items[l->n++] = val;
		return OPTS_OK;
	}
	default:
		return OPTS_OK;
	}
}

int opts_parse(const struct opts_cmd *cmd, int argc, char **argv, char **pos, size_t *npos, char *err,
	       size_t errlen)
{
	const struct opt *opts = cmd->opts;
	*npos = 0;
	if (errlen)
		err[0] = '\0';
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
			if (*npos >= cmd->maxpos) {
				set_err(err, errlen, "unexpected argument '%s' (usage: %s)", a, cmd->usage);
				return OPTS_USAGE;
			}
			pos[(*npos)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return OPTS_HELP;
		const struct opt *o;
		char *val = NULL;
		char shown[72];
		if (a[1] != '-') {
			o = find_short(opts, a[1]);
			if (!o) {
				set_err(err, errlen, "unknown option '%.8s' (%s)", a,
					"options are long, --name; see --help");
				return OPTS_USAGE;
			}
			snprintf(shown, sizeof shown, "-%c", a[1]);
			if (a[2]) {
				if (o->type == OPT_FLAG) {
					set_err(err, errlen, "-%c takes no value", a[1]);
					return OPTS_USAGE;
				}
				val = a + 2;
			}
		} else {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			o = find_long(opts, name, len);
			if (!o) {
				unknown_long(opts, name, len, err, errlen);
				return OPTS_USAGE;
			}
			snprintf(shown, sizeof shown, "--%.*s", (int)opt_name_len(o), o->name);
			if (eq) {
				if (o->type == OPT_FLAG) {
					set_err(err, errlen, "%s takes no value", shown);
					return OPTS_USAGE;
				}
				val = (char *)eq + 1;
			}
		}
		if (o->type == OPT_FLAG) {
			*(bool *)o->dst = true;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc) {
				set_err(err, errlen, "%s needs a value (%s)", shown, o->arg ? o->arg : "X");
				return OPTS_USAGE;
			}
			val = argv[++i];
		}
		int rc = set_value(o, val, shown, err, errlen);
		if (rc != OPTS_OK)
			return rc;
	}
	return OPTS_OK;
}

/* Prints text with every line after the first indented by indent spaces. */
static void print_indented(FILE *f, const char *text, int indent)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (p != text)
			fprintf(f, "%*s", indent, "");
		fprintf(f, "%.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

void opts_help(const struct opts_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: %s\n", cmd->usage);
	if (cmd->description)
		fprintf(f, "\n%s\n", cmd->description);
	fprintf(f, "\noptions:\n");
	for (const struct opt *o = cmd->opts; o->type != OPT_END; o++) {
		char left[96];
		char letter = opt_letter(o);
		int len = (int)opt_name_len(o);
		int w;
		if (letter)
			w = snprintf(left, sizeof left, "-%c, --%.*s", letter, len, o->name);
		else
			w = snprintf(left, sizeof left, "--%.*s", len, o->name);
		if (o->type != OPT_FLAG && w >= 0 && (size_t)w < sizeof left)
			snprintf(left + w, sizeof left - (size_t)w, " %s%s", o->arg ? o->arg : "X",
				 o->type == OPT_LIST ? " (repeatable)" : "");
		if (strlen(left) > OPTS_HELP_COL)
			fprintf(f, "  %s\n  %-*s ", left, OPTS_HELP_COL, "");
		else
			fprintf(f, "  %-*s ", OPTS_HELP_COL, left);
		print_indented(f, o->help ? o->help : "", OPTS_HELP_COL + 3);
	}
	fprintf(f, "  %-*s %s\n", OPTS_HELP_COL, "-h, --help", "show this help");
	if (cmd->epilog)
		fprintf(f, "\n%s\n", cmd->epilog);
}

void opt_list_free(struct opt_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
