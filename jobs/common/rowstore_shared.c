/* rowstore_shared.c: what the row store's front (rowstore.c) and its
 * backends (rowstore_sqlite.c, rowstore_hbase.c) both call: error values, the
 * clock, table and column names. It calls neither side. */
#include "jobs/common/rowstore_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int rowstore_fail(struct rowstore_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int64_t rowstore_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rowstore_check_table(const char *table, struct rowstore_err *err)
{
	if (!table || !*table)
		return rowstore_fail(err, ROWSTORE_EUSAGE,
				     "no table given (and the store URI names no default table)");
	size_t n = strlen(table);
	if (n > 200)
		return rowstore_fail(err, ROWSTORE_EUSAGE, "table name longer than 200 bytes");
	for (size_t i = 0; i < n; i++) {
		char c = table[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return rowstore_fail(err, ROWSTORE_EUSAGE,
					     "bad table name '%s': only letters, digits, '_', '-' and '.'",
					     table);
	}
	return ROWSTORE_OK;
}

int rowstore_split_column(const char *column, char **fam, char **qual, struct rowstore_err *err)
{
	*fam = *qual = NULL;
	const char *colon = strchr(column, ':');
	size_t flen = colon ? (size_t)(colon - column) : strlen(column);
	if (flen == 0)
		return rowstore_fail(err, ROWSTORE_EUSAGE,
				     "bad column '%s': expected FAMILY or FAMILY:QUALIFIER", column);
	*fam = strndup(column, flen);
	if (colon)
		*qual = strdup(colon + 1);
	return ROWSTORE_OK;
}
