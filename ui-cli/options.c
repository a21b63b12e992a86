/* options.c: the one option parser of schedctl's subcommands, so every
 * subcommand spells its flags, reports bad ones and prints --help the same way
 * (git's parse-options in miniature). Long options only: there are few enough
 * that letters would only add ambiguity. */
#include "ui-cli/schedctl.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void print_help(const char *usage, const char *description, const struct opt *opts)
{
	printf("usage: %s\n", usage);
	if (description)
		printf("\n%s\n", description);
	printf("\noptions:\n");
	for (const struct opt *o = opts; o->type != OPT_END; o++) {
		char left[64];
		if (o->type == OPT_FLAG)
			snprintf(left, sizeof left, "--%s", o->name);
		else
			snprintf(left, sizeof left, "--%s %s%s", o->name, o->arg ? o->arg : "X",
				 o->type == OPT_LIST ? " (repeatable)" : "");
		printf("  %-28s %s\n", left, o->help);
	}
	printf("  %-28s %s\n", "--help", "show this help");
}

static const struct opt *find_opt(const struct opt *opts, const char *name, size_t len)
{
	for (const struct opt *o = opts; o->type != OPT_END; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

int opt_parse(int argc, char **argv, const struct opt *opts, const char *usage,
	      const char *description, char **pos, size_t maxpos, size_t *npos)
{
	*npos = 0;
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
			if (*npos >= maxpos) {
				fprintf(stderr, "%s: unexpected argument '%s'\nusage: %s\n", argv[0], a,
					usage);
				return SC_USAGE;
			}
			pos[(*npos)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help(usage, description, opts);
			return -1;
		}
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "%s: unknown option '%s' (options are long: --name)\n", argv[0], a);
			return SC_USAGE;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct opt *o = find_opt(opts, name, len);
		if (!o) {
			const char *names[64];
			size_t n = 0;
			for (const struct opt *p = opts; p->type != OPT_END && n < 64; p++)
				names[n++] = p->name;
			char want[64], hint[256];
			snprintf(want, sizeof want, "%.*s", (int)(len < 63 ? len : 63), name);
			nearest_hint(want, names, n, hint, sizeof hint);
			fprintf(stderr, "%s: unknown option '--%s'; %s\n", argv[0], want, hint);
			return SC_USAGE;
		}
		if (o->type == OPT_FLAG) {
			if (eq) {
				fprintf(stderr, "%s: --%s takes no value\n", argv[0], o->name);
				return SC_USAGE;
			}
			*(bool *)o->dst = true;
			continue;
		}
		char *val = eq ? (char *)eq + 1 : NULL;
		if (!val) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: --%s needs a value (%s)\n", argv[0], o->name,
					o->arg ? o->arg : "X");
				return SC_USAGE;
			}
			val = argv[++i];
		}
		if (o->type == OPT_STRING) {
			*(const char **)o->dst = val;
		} else if (o->type == OPT_INT) {
			char *end;
			errno = 0;
			long v = strtol(val, &end, 10);
			if (errno || end == val || *end || v < 0 || v > INT_MAX) {
				fprintf(stderr, "%s: --%s: '%s' is not a non-negative integer\n", argv[0],
					o->name, val);
				return SC_USAGE;
			}
			*(long *)o->dst = v;
		} else {
			struct opt_list *l = o->dst;
			char **items = realloc(l->items, (l->n + 1) * sizeof *items);
			if (!items) {
				fprintf(stderr, "%s: out of memory\n", argv[0]);
				return SC_FAIL;
			}
			l->items = items;
			l->items[l->n++] = val;
		}
	}
	return 0;
}

void opt_list_free(struct opt_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
