/* fuzz_state_files.c: the files the jobs read back from their own earlier runs,
 * which a crash, a full disk or a careless hand can leave in any shape:
 * spool-loader's manifest (jobs/spool-loader/manifest.c, with its format
 * parsed back to the same text), tail2kafka's position file
 * (jobs/tail2kafka/t2k_position.c), the rollup's _SUMS sidecars
 * (jobs/rollup/agg.c agg_parse_sums, jobs/rollup/drive.c drive_parse_sums).
 * The whole input goes to each parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/rollup/agg.h"
#include "jobs/rollup/drive.h"
#include "jobs/spool-loader/manifest.h"
#include "jobs/tail2kafka/t2k_position.h"

/* The sums tables index 26 x 10000 car numbers (agg.h, drive.h): made once,
 * emptied after each input (a slot is 0 when its car is absent), since a
 * calloc and free of 1 MiB per input would leave the fuzzer mapping pages. */
#define SUMS_SLOTS (26 * 10000)
static agg_table sums;
static drive_day drive;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	job_err e;
	if (agg_table_init(&sums, &e) != 0 || drive_day_init(&drive) != 0)
		abort();
	return 0;
}

static void sums_reset(void)
{
	if (sums.n) {
		memset(sums.slot, 0, SUMS_SLOTS * sizeof *sums.slot);
		sums.n = 0;
	}
	if (drive.n) {
		memset(drive.slot, 0, SUMS_SLOTS * sizeof *drive.slot);
		drive.n = 0;
	}
	memset(drive.areas, 0, sizeof drive.areas);
}

static void fuzz_manifest(const char *text, size_t len)
{
	job_err e;
	manifest m;
	manifest_init(&m, "20160103");
	if (manifest_parse(&m, text, len, "MANIFEST", &e) == 0) {
		size_t n1 = 0, n2 = 0;
		char *t1 = manifest_format(&m, &n1);
		manifest m2;
		manifest_init(&m2, "20160103");
		if (!t1 || manifest_parse(&m2, t1, n1, "MANIFEST", &e) != 0)
			abort();	/* our own output does not parse */
		char *t2 = manifest_format(&m2, &n2);
		if (!t2 || n1 != n2 || memcmp(t1, t2, n1) != 0)
			abort();	/* format(parse(format)) changed */
		free(t1);
		free(t2);
		manifest_free(&m2);
	}
	manifest_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_manifest(s, size);

	struct t2k_position pos;
	char err[256] = "";
	if (t2k_position_parse(s, &pos, err, sizeof err) != 0 && err[0] == '\0')
		abort();

	job_err e;
	agg_parse_sums(s, size, "_SUMS", &sums, &e);
	drive_parse_sums(s, size, "_SUMS", &drive, &e);
	sums_reset();
	free(s);
	return 0;
}
