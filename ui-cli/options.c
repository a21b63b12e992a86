/* options.c: schedctl's manners around the project's option parser
 * (lib/options.h): a usage error is printed on stderr after the subcommand's
 * name and returns SC_USAGE, --help prints the help on stdout. */
#include "ui-cli/schedctl.h"

int opt_parse(int argc, char **argv, const struct opt *opts, const char *usage,
	      const char *description, char **pos, size_t maxpos, size_t *npos)
{
	const struct opts_cmd cmd = { .usage = usage, .description = description, .opts = opts,
				      .maxpos = maxpos };
	char err[1024];
	int rc = opts_parse(&cmd, argc, argv, pos, npos, err, sizeof err);
	if (rc == OPTS_HELP) {
		opts_help(&cmd, stdout);
		return -1;
	}
	if (rc != OPTS_OK) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
		return SC_USAGE;
	}
	return 0;
}
