/* cellset_reader.h: the HBase REST test server's reader of multi-row PUT
 * bodies (CellSets), and nothing else.
 *
 * Test infrastructure only: the product reads and writes JSON with jansson.
 * This arena reader stays here because the test server is the instrument of
 * the kafka2hbase and rowctl benchmarks into HBase REST: parsing a 10,000-row
 * PUT with jansson (a malloc per node, a hash table per object) costs the
 * server 4x the CPU (tests/bench/bench_kafka2hbase.sh: 2.3 s -> 8.6 s for
 * 300,000 records) and then the benchmark measures the server, not the
 * client. The whole document goes into one arena freed at once; the members
 * of a container are gathered on a scratch stack and copied into the arena,
 * at their final size, when it closes. */
#ifndef TESTS_CELLSET_READER_H
#define TESTS_CELLSET_READER_H

#include <stddef.h>
#include <stdint.h>

enum csr_type { CSR_NULL, CSR_BOOL, CSR_NUM, CSR_STR, CSR_ARR, CSR_OBJ };

struct csr {
	enum csr_type type;
	char *str;		/* CSR_STR: decoded text; CSR_NUM: the literal */
	size_t len;
	int boolean;
	struct csr *items;	/* CSR_ARR / CSR_OBJ members */
	char **keys;		/* CSR_OBJ member names */
	size_t n;
};

/* NULL on a syntax error, with "at byte N: what" in errbuf. */
struct csr *csr_parse(const char *text, size_t len, char *errbuf, size_t errlen);
/* Frees a whole document: only for what csr_parse returned. */
void csr_free(struct csr *v);
/* Member of an object by name, or NULL (also when v is not an object). */
const struct csr *csr_get(const struct csr *v, const char *key);
/* String member or NULL; number member as int64 (def when absent or not a number). */
const char *csr_str(const struct csr *v, const char *key);
int64_t csr_int(const struct csr *v, const char *key, int64_t def);

#endif
