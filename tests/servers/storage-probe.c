/* storage-probe.c: a test helper that drives jobs/common/storage.h from the
 * shell, so integration tests can check each operation of each backend (the
 * rollup and other jobs read partitions through the same calls):
 *   storage-probe URI put PATH < data       create (overwrite) from stdin
 *   storage-probe URI append PATH < data
 *   storage-probe URI cat PATH              read the whole file to stdout
 *   storage-probe URI ls PATH               "name<TAB>d|f<TAB>length" lines
 *   storage-probe URI stat PATH             "missing" or "d|f length"
 *   storage-probe URI mkdir PATH | rm PATH | mv SRC DST
 * PATH is relative to the URI's path. Exit 1 with the error on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/common/storage.h"

static char *full(storage *s, const char *p) { return storage_join(storage_root(s), p); }

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: storage-probe URI put|append|cat|ls|stat|mkdir|rm|mv PATH [DST]\n");
		return 2;
	}
	job_init("storage-probe", argc, argv);
	job_err e = { { 0 } };
	storage *s = storage_open(argv[1], &e);
	if (!s) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	const char *op = argv[2];
	char *p = full(s, argv[3]);
	int rc = 0;
	if (!strcmp(op, "put") || !strcmp(op, "append")) {
		size_t cap = 1 << 20, n = 0;
		char *buf = malloc(cap);
		ssize_t got;
		while ((got = read(0, buf + n, cap - n)) > 0) {
			n += (size_t)got;
			if (n == cap)
				buf = realloc(buf, cap *= 2);
		}
		if (!strcmp(op, "put")) {
			storage_writer *w = storage_create(s, p, 1, 1 << 20, &e);	/* 1 MiB pieces: APPENDs */
			rc = !w || storage_write(w, buf, n, &e) < 0 || storage_close(w, &e) < 0 ? -1 : 0;
		} else {
			rc = storage_append(s, p, buf, n, &e);
		}
		free(buf);
	} else if (!strcmp(op, "cat")) {
		storage_reader *r = storage_open_read(s, p, &e);
		char buf[65536];
		long got = 0;
		while (r && (got = storage_read(r, buf, sizeof buf, &e)) > 0)
			fwrite(buf, 1, (size_t)got, stdout);
		rc = !r || got < 0 ? -1 : 0;
		storage_close_read(r);
	} else if (!strcmp(op, "ls")) {
		storage_entry *ents;
		size_t n;
		rc = storage_list(s, p, &ents, &n, &e);
		for (size_t i = 0; rc == 0 && i < n; i++)
			printf("%s\t%s\t%llu\n", ents[i].name, ents[i].is_dir ? "d" : "f", (unsigned long long)ents[i].length);
		if (rc == 0)
			storage_list_free(ents, n);
	} else if (!strcmp(op, "stat")) {
		storage_stat st;
		rc = storage_stat_path(s, p, &st, &e);
		if (rc == 0 && !st.exists)
			printf("missing\n");
		else if (rc == 0)
			printf("%s %llu\n", st.is_dir ? "d" : "f", (unsigned long long)st.length);
	} else if (!strcmp(op, "mkdir")) {
		rc = storage_mkdirs(s, p, &e);
	} else if (!strcmp(op, "rm")) {
		rc = storage_delete(s, p, 1, &e);
	} else if (!strcmp(op, "mv") && argc > 4) {
		char *d = full(s, argv[4]);
		rc = storage_rename(s, p, d, &e);
		free(d);
	} else {
		fprintf(stderr, "storage-probe: unknown operation %s\n", op);
		rc = -1;
	}
	if (rc < 0)
		fprintf(stderr, "%s\n", e.msg);
	free(p);
	storage_free(s);
	return rc < 0 ? 1 : 0;
}
