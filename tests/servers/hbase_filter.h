/* hbase_filter.h: the HBase REST test server's reading and evaluation of
 * scanner filter JSON (docs/protocols.md §2.2): RowFilter, PrefixFilter,
 * SingleColumnValueFilter, ValueFilter, FirstKeyOnlyFilter, KeyOnlyFilter,
 * PageFilter and FilterList, with BinaryComparator, BinaryPrefixComparator,
 * RegexStringComparator and SubstringComparator. */
#ifndef TESTS_HBASE_FILTER_H
#define TESTS_HBASE_FILTER_H

#include <regex.h>
#include <stddef.h>

#include "jobs/common/hbase_json.h"
#include "jobs/common/rowstore.h"

struct hfilter {
	int type;
	int op;			/* compare op, or for FilterList 1 = MUST_PASS_ALL */
	int cmp;		/* comparator type */
	char *value;		/* comparator / prefix value (decoded) */
	size_t vlen;
	regex_t re;
	char *family, *qualifier;
	int if_missing;
	long page;
	struct hfilter *kids;
	size_t nkids;
};

/* Compiles filter JSON text; -1 with a message (for a 400) on anything unknown. */
int hfilter_parse(const char *json, struct hfilter *f, char *err, size_t errlen);
void hfilter_free(struct hfilter *f);
/* Does the row (cells after the scan's column selection) pass the row-level filters? */
int hfilter_row(const struct hfilter *f, const struct rowstore_row *row);
/* Does one cell pass the cell-level filters (ValueFilter)? */
int hfilter_cell(const struct hfilter *f, const struct rowstore_cell *c);
/* FirstKeyOnlyFilter / KeyOnlyFilter anywhere in f. */
int hfilter_first_key_only(const struct hfilter *f);
int hfilter_key_only(const struct hfilter *f);
/* The smallest PageFilter row count in f, or 0. */
long hfilter_page(const struct hfilter *f);

#endif
