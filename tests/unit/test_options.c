/* test_options.c: the one option parser (lib/options.h): both value forms,
 * short letters, "--", repeatable lists, integers, flags given a value,
 * missing values, the did-you-mean hint and the --help layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/options.h"

static bool flag;
static const char *str;
static long num;
static struct opt_list list;

static const struct opt table[] = {
	{ OPT_FLAG, "once", &flag, NULL, "a flag" },
	{ OPT_STRING, "brokers", &str, "LIST", "a string\nsecond line" },
	{ OPT_INT, "count", &num, "N", "an integer" },
	{ OPT_LIST, "kafka-opt|X", &list, "K=V", "a list" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};
static const struct opts_cmd cmd = { .usage = "prog [options] A B", .description = "Does things.",
				     .epilog = "Exit: 0, 2.", .opts = table, .maxpos = 2 };

static int parse(char err[256], char **pos, size_t *npos, ...)
{
	char *argv[32] = { "prog" };
	int argc = 1;
	va_list ap;
	va_start(ap, npos);
	for (char *a; (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	flag = false;
	str = NULL;
	num = -1;
	opt_list_free(&list);
	return opts_parse(&cmd, argc, argv, pos, npos, err, 256);
}

static void test_forms(void **state)
{
	(void)state;
	char err[256], *pos[2];
	size_t npos;
	assert_int_equal(parse(err, pos, &npos, "a", "--brokers", "b1", "--count=7", "-X", "k=v", "-Xq=r",
			       "--kafka-opt=s=t", "--once", "--", "--not-an-option", NULL),
			 OPTS_OK);
	assert_true(flag);
	assert_string_equal(str, "b1");
	assert_int_equal(num, 7);
	assert_int_equal(list.n, 3);
	assert_string_equal(list.items[0], "k=v");
	assert_string_equal(list.items[1], "q=r");
	assert_string_equal(list.items[2], "s=t");
	assert_int_equal(npos, 2);
	assert_string_equal(pos[0], "a");
	assert_string_equal(pos[1], "--not-an-option");
	assert_int_equal(parse(err, pos, &npos, "-", NULL), OPTS_OK);
	assert_string_equal(pos[0], "-");
	assert_int_equal(parse(err, pos, &npos, "--brokers=", NULL), OPTS_OK);
	assert_string_equal(str, "");
	opt_list_free(&list);
}

static void test_errors(void **state)
{
	(void)state;
	char err[256], *pos[2];
	size_t npos;
	assert_int_equal(parse(err, pos, &npos, "--brokrs", "x", NULL), OPTS_USAGE);
	assert_string_equal(err, "unknown option '--brokrs'; did you mean '--brokers'?");
	assert_int_equal(parse(err, pos, &npos, "--hlep", NULL), OPTS_USAGE);
	assert_string_equal(err, "unknown option '--hlep'; did you mean '--help'?");
	assert_int_equal(parse(err, pos, &npos, "--zzzzzzzz", NULL), OPTS_USAGE);
	assert_non_null(strstr(err, "options are: --help, --once, --brokers, --count, --kafka-opt"));
	assert_int_equal(parse(err, pos, &npos, "--brok", "x", NULL), OPTS_USAGE);	/* no abbreviations */
	assert_int_equal(parse(err, pos, &npos, "--once=1", NULL), OPTS_USAGE);
	assert_string_equal(err, "--once takes no value");
	assert_int_equal(parse(err, pos, &npos, "--brokers", NULL), OPTS_USAGE);
	assert_string_equal(err, "--brokers needs a value (LIST)");
	assert_int_equal(parse(err, pos, &npos, "-X", NULL), OPTS_USAGE);
	assert_string_equal(err, "-X needs a value (K=V)");
	assert_int_equal(parse(err, pos, &npos, "--count", "-1", NULL), OPTS_USAGE);
	assert_string_equal(err, "--count: '-1' is not a non-negative integer");
	assert_int_equal(parse(err, pos, &npos, "--count=9999999999", NULL), OPTS_USAGE);
	assert_int_equal(parse(err, pos, &npos, "-q", NULL), OPTS_USAGE);
	assert_non_null(strstr(err, "'-q'"));
	assert_int_equal(parse(err, pos, &npos, "a", "b", "c", NULL), OPTS_USAGE);
	assert_string_equal(err, "unexpected argument 'c' (usage: prog [options] A B)");
	assert_int_equal(parse(err, pos, &npos, "--once", "-h", "--bad", NULL), OPTS_HELP);
	assert_int_equal(parse(err, pos, &npos, "--help", NULL), OPTS_HELP);
	opt_list_free(&list);
}

static void test_help(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	opts_help(&cmd, f);
	fclose(f);
	assert_string_equal(text, "usage: prog [options] A B\n"
				  "\n"
				  "Does things.\n"
				  "\n"
				  "options:\n"
				  "  --once                       a flag\n"
				  "  --brokers LIST               a string\n"
				  "                               second line\n"
				  "  --count N                    an integer\n"
				  "  -X, --kafka-opt K=V (repeatable)\n"
				  "                               a list\n"
				  "  -h, --help                   show this help\n"
				  "\n"
				  "Exit: 0, 2.\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_help),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
