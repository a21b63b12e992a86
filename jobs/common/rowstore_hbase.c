/* rowstore_hbase.c: the HBase REST backend (being written). */
#include "jobs/common/rowstore_backend.h"

int rowstore_hbase_open(struct rowstore *rs, const char *rest, struct rowstore_err *err)
{
	(void)rs;
	return rowstore_fail(err, ROWSTORE_EUSAGE, "hbase://%s: the HBase REST backend is not built yet", rest);
}
