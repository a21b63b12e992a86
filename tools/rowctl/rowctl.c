/* rowctl: what users did with the HBase shell, on either row-store backend
 * (sqlite:PATH or hbase://HOST:PORT): create, put, get, scan, count, delete.
 * A thin front over jobs/common/rowstore.h: parse, call, print. Output is the
 * shell's "ROW  COLUMN+CELL" listing with a "N row(s)" summary, or JSON lines
 * with --json. Exit codes: 0 done, 1 failed, 2 usage or configuration error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/job.h"
#include "jobs/common/rowstore.h"
#include "lib/options.h"
#include "lib/xalloc.h"

static const char rowctl_commands[] =
	"commands (as in the HBase shell):\n"
	"  create TABLE FAMILY... [--if-missing]     create a table with column families\n"
	"  put TABLE ROW FAMILY:QUALIFIER VALUE [--ts MS]\n"
	"                                           write (correct) one cell\n"
	"  get TABLE ROW [--columns C,...]          one row, newest version of each cell\n"
	"  scan TABLE [--start-row R] [--stop-row R] [--limit N] [--columns C,...]\n"
	"             [--row-regex RE] [--where F:Q=VALUE]... [--where-regex F:Q=RE]...\n"
	"                                           rows in key order (stop row exclusive)\n"
	"  count TABLE [same options as scan]       number of rows\n"
	"  delete TABLE ROW [FAMILY[:QUALIFIER]]    delete a row, a family or a cell\n"
	"  import TABLE FILE --columns HBASE_ROW_KEY,F:Q,... [--separator C] [--batch-rows N] [--ts MS]\n"
	"                                           bulk load delimited lines (ImportTsv-like)";

struct cli {
	const char *store;
	int json;
	const char *start_row, *stop_row, *row_regex, *columns_arg;
	long limit;
	int batch;
	long long ts;
	int if_missing;
	struct rowstore_where where[16];
	size_t nwhere;
	char *columns[64];
	size_t ncolumns;
	long rows;
	int get_layout;
	char separator;		/* import */
	long batch_rows;	/* get: "COLUMN  CELL", no row key */
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "rowctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(rowctl --help for usage)\n");
	return JOB_EXIT_USAGE;
}

static int store_error(const char *what, const struct rowstore_err *err)
{
	fprintf(stderr, "rowctl: %s: %s\n", what, err->msg);
	return err->code == ROWSTORE_EUSAGE ? JOB_EXIT_USAGE : JOB_EXIT_FAILED;
}

/* HBase shell style: printable ASCII as is, other bytes as \xNN. */
static void print_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02X", c);
	}
}

static void print_json_str(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int print_row(const struct rowstore_row *row, void *ctx)
{
	struct cli *c = ctx;
	c->rows++;
	if (c->json) {
		printf("{\"row\":");
		print_json_str(row->key, strlen(row->key));
		printf(",\"cells\":[");
		for (size_t i = 0; i < row->ncells; i++) {
			const struct rowstore_cell *cell = &row->cells[i];
			char col[600];
			int n = snprintf(col, sizeof col, "%s:%s", cell->family, cell->qualifier);
			printf("%s{\"column\":", i ? "," : "");
			print_json_str(col, (size_t)n < sizeof col ? (size_t)n : sizeof col - 1);
			printf(",\"timestamp\":%lld,\"value\":", (long long)cell->ts);
			print_json_str(cell->value, cell->value_len);
			printf("}");
		}
		printf("]}\n");
		return 0;
	}
	for (size_t i = 0; i < row->ncells; i++) {
		const struct rowstore_cell *cell = &row->cells[i];
		if (c->get_layout) {
			int n = printf(" %s:%s", cell->family, cell->qualifier);
			printf("%*s timestamp=%lld, value=", n < 31 ? 31 - n : 0, "", (long long)cell->ts);
		} else {
			putchar(' ');
			print_bytes(row->key, strlen(row->key));
			for (size_t k = strlen(row->key); k < 30; k++)
				putchar(' ');
			printf(" column=%s:%s, timestamp=%lld, value=", cell->family, cell->qualifier,
			       (long long)cell->ts);
		}
		print_bytes(cell->value, cell->value_len);
		putchar('\n');
	}
	return 0;
}

static void header(const struct cli *c, const char *right)
{
	if (!c->json)
		printf("%-31s %s\n", "ROW", right);
}

static void summary(const struct cli *c, const char *what, long n)
{
	if (c->json)
		printf("{\"%s\":%ld,\"seconds\":%.3f}\n", what, n, job_elapsed());
	else
		printf("%ld row(s) in %.4f seconds\n", n, job_elapsed());
}

static int split_columns(struct cli *c, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (c->ncolumns == 64) {
			free(copy);
			return usage_error("--columns: more than 64 columns", "");
		}
		c->columns[c->ncolumns++] = strdup(t);
	}
	free(copy);
	if (c->ncolumns == 0)
		return usage_error("--columns: no column in '%s'", arg);
	return 0;
}

static int add_where(struct cli *c, const char *flag, const char *arg, enum rowstore_where_op op)
{
	const char *eq = strchr(arg, '=');
	const char *colon = strchr(arg, ':');
	if (!eq || !colon || colon > eq || colon == arg || colon + 1 == eq) {
		fprintf(stderr, "rowctl: %s: '%s' is not FAMILY:QUALIFIER=VALUE\n", flag, arg);
		return JOB_EXIT_USAGE;
	}
	if (c->nwhere == 16)
		return usage_error("%s: more than 16 conditions", flag);
	/* the column part is cut out of a copy kept in columns[] for freeing */
	char *col = strndup(arg, (size_t)(eq - arg));
	c->where[c->nwhere].column = col;
	c->where[c->nwhere].op = op;
	c->where[c->nwhere].value = eq + 1;
	c->nwhere++;
	return 0;
}

static struct rowstore_scan_opts scan_opts(const struct cli *c)
{
	struct rowstore_scan_opts o = {
		.start_row = c->start_row, .stop_row = c->stop_row, .limit = c->limit,
		.columns = (const char *const *)c->columns, .ncolumns = c->ncolumns,
		.row_regex = c->row_regex, .where = c->where, .nwhere = c->nwhere, .batch = c->batch};
	return o;
}

/* import TABLE FILE: ImportTsv-like bulk load. Each line is split on the
 * separator; --columns names each field, HBASE_ROW_KEY marking the row key.
 * Rows go out in batches of --batch-rows (one transaction / one PUT each). */
static int cmd_import(struct cli *c, struct rowstore *rs, const char *table, const char *path)
{
	size_t keyi = (size_t)-1;
	for (size_t i = 0; i < c->ncolumns; i++)
		if (strcmp(c->columns[i], "HBASE_ROW_KEY") == 0)
			keyi = i;
		else if (!strchr(c->columns[i], ':') || c->columns[i][0] == ':')
			return usage_error("import: --columns: '%s' is not FAMILY:QUALIFIER or HBASE_ROW_KEY",
					   c->columns[i]);
	if (keyi == (size_t)-1)
		return usage_error("%s", "import: --columns must name HBASE_ROW_KEY among the fields");
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!in) {
		fprintf(stderr, "rowctl: import: cannot open %s\n", path);
		return JOB_EXIT_FAILED;
	}
	struct rowstore_batch *b = rowstore_batch_new();
	struct rowstore_err err;
	char *line = NULL, *fields[64], fam[256];
	size_t cap = 0, lineno = 0, nrows = 0, inbatch = 0;
	long bad = 0;
	ssize_t len;
	int rc = 0;
	while (rc == 0 && (len = getline(&line, &cap, in)) > 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		size_t nf = 0;
		for (char *p = line; nf < 64;) {
			fields[nf++] = p;
			char *sep = strchr(p, c->separator);
			if (!sep)
				break;
			*sep = '\0';
			p = sep + 1;
		}
		if (nf != c->ncolumns || !*fields[keyi]) {
			if (bad++ < 5)
				fprintf(stderr, "rowctl: import: %s:%zu: %zu fields, --columns names %zu; line skipped\n",
					path, lineno, nf, c->ncolumns);
			continue;
		}
		for (size_t i = 0; i < nf && rc == 0; i++) {
			if (i == keyi)
				continue;
			const char *colon = strchr(c->columns[i], ':');
			snprintf(fam, sizeof fam, "%.*s", (int)(colon - c->columns[i]), c->columns[i]);
			if (rowstore_batch_add(b, fields[keyi], fam, colon + 1, c->ts, fields[i], &err))
				rc = store_error("import", &err);
		}
		nrows++;
		if (++inbatch >= (size_t)c->batch_rows) {
			if (!rc && rowstore_put(rs, table, b, &err))
				rc = store_error("import", &err);
			rowstore_batch_clear(b);
			inbatch = 0;
		}
	}
	if (!rc && inbatch && rowstore_put(rs, table, b, &err))
		rc = store_error("import", &err);
	rowstore_batch_free(b);
	free(line);
	if (in != stdin)
		fclose(in);
	if (rc)
		return rc;
	double secs = job_elapsed();
	if (c->json)
		printf("{\"rows\":%zu,\"skipped\":%ld,\"seconds\":%.3f,\"rows_per_s\":%.0f}\n", nrows, bad,
		       secs, secs > 0 ? nrows / secs : 0);
	else
		printf("%zu row(s) imported, %ld line(s) skipped in %.4f seconds (%.0f rows/s)\n", nrows,
		       bad, secs, secs > 0 ? nrows / secs : 0);
	return bad ? JOB_EXIT_REJECTED : 0;
}

static int run(struct cli *c, struct rowstore *rs, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct rowstore_err err;
	const char *table = argc > 1 ? argv[1] : NULL;
	if (!table)
		return usage_error("%s: missing TABLE", cmd);
	if (strcmp(cmd, "create") == 0) {
		if (argc < 3)
			return usage_error("create %s: give at least one column family", table);
		if (rowstore_create_table(rs, table, (const char *const *)argv + 2, (size_t)argc - 2,
					  c->if_missing, &err))
			return store_error("create", &err);
		if (c->json)
			printf("{\"created\":\"%s\",\"seconds\":%.3f}\n", table, job_elapsed());
		else
			printf("Created table %s\n", table);
		return 0;
	}
	if (strcmp(cmd, "put") == 0) {
		if (argc != 5)
			return usage_error("%s", "put: expected TABLE ROW FAMILY:QUALIFIER VALUE");
		const char *colon = strchr(argv[3], ':');
		if (!colon || colon == argv[3])
			return usage_error("put: '%s' is not FAMILY:QUALIFIER", argv[3]);
		char *fam = strndup(argv[3], (size_t)(colon - argv[3]));
		struct rowstore_batch *b = rowstore_batch_new();
		int rc = rowstore_batch_add(b, argv[2], fam, colon + 1, c->ts, argv[4], &err);
		if (!rc)
			rc = rowstore_put(rs, table, b, &err);
		rowstore_batch_free(b);
		free(fam);
		if (rc)
			return store_error("put", &err);
		summary(c, "cells", 1);
		return 0;
	}
	if (strcmp(cmd, "get") == 0) {
		if (argc != 3)
			return usage_error("%s", "get: expected TABLE ROW");
		if (!c->json)
			printf("%-31s %s\n", "COLUMN", "CELL");
		c->get_layout = 1;
		int rc = rowstore_get(rs, table, argv[2], (const char *const *)c->columns, c->ncolumns,
				      print_row, c, &err);
		if (rc)
			return store_error("get", &err);
		summary(c, "rows", c->rows);
		return 0;
	}
	if (strcmp(cmd, "scan") == 0 || strcmp(cmd, "count") == 0) {
		if (argc != 2)
			return usage_error("%s: expected only TABLE (options start with --)", cmd);
		struct rowstore_scan_opts o = scan_opts(c);
		if (cmd[0] == 's') {
			header(c, "COLUMN+CELL");
			if (rowstore_scan(rs, table, &o, print_row, c, &err))
				return store_error("scan", &err);
			summary(c, "rows", c->rows);
		} else {
			uint64_t n;
			if (rowstore_count(rs, table, &o, &n, &err))
				return store_error("count", &err);
			summary(c, "rows", (long)n);
		}
		return 0;
	}
	if (strcmp(cmd, "import") == 0) {
		if (argc != 3)
			return usage_error("%s", "import: expected TABLE FILE (- for stdin) and --columns");
		if (c->ncolumns == 0)
			return usage_error("%s", "import: --columns is required (e.g. HBASE_ROW_KEY,cf1:a,cf1:b)");
		return cmd_import(c, rs, table, argv[2]);
	}
	if (strcmp(cmd, "delete") == 0) {
		if (argc != 3 && argc != 4)
			return usage_error("%s", "delete: expected TABLE ROW [FAMILY[:QUALIFIER]]");
		if (rowstore_delete(rs, table, argv[2], argc == 4 ? argv[3] : NULL, &err))
			return store_error("delete", &err);
		if (c->json)
			printf("{\"deleted\":1,\"seconds\":%.3f}\n", job_elapsed());
		else
			printf("Deleted in %.4f seconds\n", job_elapsed());
		return 0;
	}
	return usage_error("unknown command '%s' (create, put, get, scan, count, delete, import)", cmd);
}

/* The option table's destinations (lib/options.h): raw strings, checked in
 * main in the order of the table. */
static struct {
	const char *store, *start, *stop, *limit, *rowre, *ts, *batch, *retries, *timeout, *sep, *brows;
	bool json, if_missing;
	struct opt_list columns, where, wherere;
} in;

static const struct opt rowctl_table[] = {
	{ OPT_STRING, "store", &in.store, "URI",
	  "sqlite:PATH (default sqlite:rowstore.db, or $ROWSTORE_URI)\nor hbase://HOST:PORT[/TABLE]" },
	{ OPT_FLAG, "json", &in.json, NULL, "one JSON object per row, then {\"rows\":N,...}" },
	{ OPT_STRING, "start-row", &in.start, "R", "scan, count: the first row" },
	{ OPT_STRING, "stop-row", &in.stop, "R", "scan, count: the row to stop before" },
	{ OPT_STRING, "limit", &in.limit, "N", "scan, count: at most N rows (0 = all)" },
	{ OPT_LIST, "columns", &in.columns, "C,...", "get, scan: only these columns (FAMILY or FAMILY:QUALIFIER);\nimport: the fields' columns" },
	{ OPT_STRING, "row-regex", &in.rowre, "RE", "scan, count: rows whose key matches RE" },
	{ OPT_LIST, "where", &in.where, "F:Q=VALUE", "scan, count: rows whose cell F:Q equals VALUE" },
	{ OPT_LIST, "where-regex", &in.wherere, "F:Q=RE", "scan, count: rows whose cell F:Q matches RE" },
	{ OPT_STRING, "ts", &in.ts, "MS", "put, import: the cells' timestamp (default now)" },
	{ OPT_FLAG, "if-missing", &in.if_missing, NULL, "create: no error when the table exists" },
	{ OPT_STRING, "batch", &in.batch, "N", "hbase: cells per scanner fetch (default 1000)" },
	{ OPT_STRING, "retries", &in.retries, "N", "hbase: retries on connection errors and 5xx (default 5)" },
	{ OPT_STRING, "timeout-ms", &in.timeout, "N", "per request (hbase) / lock wait (sqlite), default 30000" },
	{ OPT_STRING, "separator", &in.sep, "C", "import: the field separator (default ',', \\t for tab)" },
	{ OPT_STRING, "batch-rows", &in.brows, "N", "import: rows per write (default 1000)" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static int int_opt(const char *flag, const char *s, long long lo, long long hi, long long *v)
{
	job_err je;
	if (job_parse_int(flag, s, lo, hi, v, &je)) {
		fprintf(stderr, "rowctl: %s\n", je.msg);
		return JOB_EXIT_USAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	job_init("rowctl", argc, argv);
	struct cli c = {.ts = ROWSTORE_TS_NOW, .separator = ',', .batch_rows = 1000};
	struct rowstore_opts ro = {.retries = -1};
	c.store = getenv("ROWSTORE_URI") ? getenv("ROWSTORE_URI") : "sqlite:rowstore.db";
	int rc = 0;
	long long v;
	const struct opts_cmd cmd = { .usage = "rowctl [--store URI] [--json] COMMAND ARGS...",
				      .description = rowctl_commands,
				      .epilog = "regexes are POSIX extended, searched anywhere (use ^ and $), \\d \\w \\s accepted.\n"
						"exit codes: 0 done, 1 failed, 2 usage or configuration error,\n"
						"            3 import skipped malformed lines",
				      .opts = rowctl_table, .maxpos = (size_t)argc };
	char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
	size_t npos = 0;
	char err[1024];
	int orc = opts_parse(&cmd, argc, argv, pos, &npos, err, sizeof err);
	if (orc == OPTS_HELP) {
		opts_help(&cmd, stdout);
		rc = -1;
	} else if (orc != OPTS_OK) {
		fprintf(stderr, "rowctl: %s\n(rowctl --help for usage)\n", err);
		rc = JOB_EXIT_USAGE;
	}
	if (rc == 0) {
		if (in.store)
			c.store = in.store;
		c.json = in.json;
		c.start_row = in.start;
		c.stop_row = in.stop;
		c.row_regex = in.rowre;
		c.if_missing = in.if_missing;
	}
	if (rc == 0 && in.sep) {
		if (strlen(in.sep) != 1 && strcmp(in.sep, "\\t") != 0)
			rc = usage_error("--separator: '%s' is not one character (or \\t)", in.sep);
		c.separator = in.sep[0] == '\\' ? '\t' : in.sep[0];
	}
	if (rc == 0 && in.brows && !(rc = int_opt("--batch-rows", in.brows, 1, 1000000, &v)))
		c.batch_rows = (long)v;
	for (size_t i = 0; rc == 0 && i < in.columns.n; i++)
		rc = split_columns(&c, in.columns.items[i]);
	for (size_t i = 0; rc == 0 && i < in.where.n; i++)
		rc = add_where(&c, "--where", in.where.items[i], ROWSTORE_WHERE_EQ);
	for (size_t i = 0; rc == 0 && i < in.wherere.n; i++)
		rc = add_where(&c, "--where-regex", in.wherere.items[i], ROWSTORE_WHERE_REGEX);
	if (rc == 0 && in.limit && !(rc = int_opt("--limit", in.limit, 0, 1000000000LL, &v)))
		c.limit = (long)v;
	if (rc == 0 && in.ts && !(rc = int_opt("--ts", in.ts, 0, 253402300799999LL, &v)))
		c.ts = v;
	if (rc == 0 && in.batch && !(rc = int_opt("--batch", in.batch, 1, 1000000000LL, &v)))
		c.batch = (int)v;
	if (rc == 0 && in.retries && !(rc = int_opt("--retries", in.retries, 0, 1000000000LL, &v)))
		ro.retries = (int)v;
	if (rc == 0 && in.timeout && !(rc = int_opt("--timeout-ms", in.timeout, 1, 1000000000LL, &v)))
		ro.timeout_ms = (long)v;
	opt_list_free(&in.columns);
	opt_list_free(&in.where);
	opt_list_free(&in.wherere);
	if (rc == 0 && npos == 0)
		rc = usage_error("%s", "no command given (create, put, get, scan, count, delete, import)");
	if (rc == 0) {
		struct rowstore_err err;
		struct rowstore *rs = rowstore_open(c.store, &ro, &err);
		if (!rs) {
			rc = store_error("--store", &err);
		} else {
			rc = run(&c, rs, (int)npos, pos);
			rowstore_close(rs);
		}
	}
	for (size_t i = 0; i < c.ncolumns; i++)
		free(c.columns[i]);
	for (size_t i = 0; i < c.nwhere; i++)
		free((char *)c.where[i].column);
	free(pos);
	return rc < 0 ? 0 : rc;
}
