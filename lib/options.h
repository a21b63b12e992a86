/* options.h: the one command-line option parser of every program (schedctl's
 * subcommands, schedulerd, the jobs, the tools), like git's parse-options:
 * one table per program says each option's name, value placeholder and help,
 * so --help, unknown-option hints ("did you mean '--brokers'?") and usage
 * errors read the same everywhere, and a fuzz harness can drive a program's
 * real table.
 *
 * Syntax: "--name value" or "--name=value"; a short letter, when the table
 * gives one, as "-X value" or "-Xvalue"; "--" ends the options; "-" alone is
 * a positional argument; "--help" and "-h" ask for the help. Long names are
 * matched whole (no abbreviations: a typo gets a hint, not a guess).
 *
 * Invariants: the parser never prints, never exits and never keeps a pointer
 * of its own: values are argv's strings; OPT_LIST items are an array owned by
 * the caller (opt_list_free). A usage error fills err with one sentence naming
 * the option or argument; the caller reports it its own way (schedctl on
 * stderr, the jobs through their logfmt error line) and exits 2. */
#ifndef BASE_OPTIONS_H
#define BASE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_FLAG,	/* dst: bool*, set to true */
	OPT_STRING,	/* dst: const char**, the last one given wins */
	OPT_INT,	/* dst: long*, a non-negative decimal up to INT_MAX */
	OPT_LIST,	/* dst: struct opt_list*, repeatable, in the order given */
	OPT_END,	/* ends the table */
};

struct opt_list {
	char **items;	/* borrowed from argv */
	size_t n;
};

struct opt {
	enum opt_type type;
	const char *name;	/* without "--"; "kafka-opt|X" also accepts -X */
	void *dst;
	const char *arg;	/* placeholder in the help, e.g. "PATH" */
	const char *help;	/* may hold '\n': the next lines are indented */
};

/* One program (or subcommand): what its --help prints and what it accepts. */
struct opts_cmd {
	const char *usage;		/* "tail2kafka --file PATH ... [options]" */
	const char *description;	/* after the usage line, or NULL */
	const char *epilog;		/* after the options (exit codes ...), or NULL */
	const struct opt *opts;		/* ends with OPT_END */
	size_t maxpos;			/* positional arguments allowed */
};

enum { OPTS_OK = 0, OPTS_HELP = 1, OPTS_USAGE = 2 };

/* Parses argv[1..]. Positional arguments are compacted into pos (at most
 * cmd->maxpos, pos may be NULL when maxpos is 0), *npos set. Returns OPTS_OK,
 * OPTS_HELP (--help or -h was given: the caller prints opts_help on stdout
 * and exits 0) or OPTS_USAGE with err filled ("unknown option '--brokr'; did
 * you mean '--brokers'?"). */
int opts_parse(const struct opts_cmd *cmd, int argc, char **argv, char **pos, size_t *npos, char *err,
	       size_t errlen);

/* The help: "usage: ...", the description, "options:" with one line (or more)
 * per option and --help, then the epilog. */
void opts_help(const struct opts_cmd *cmd, FILE *f);

void opt_list_free(struct opt_list *l);

#endif
