/* k2h_record.c: driver record -> row key and cells (see k2h_record.h). No
 * parsing of its own: rec_driver_scan decides, this file only lays the
 * accepted record out as NUL-terminated cell values. */
#include "jobs/kafka2hbase/k2h_record.h"

#include <stdio.h>
#include <string.h>

int k2h_record_parse(const void *payload, size_t len, struct k2h_record *r, char *reason, size_t rsz)
{
	rec_driver_view v;
	job_err e;
	if (rec_driver_scan(payload, len, &v, NULL, &e) < 0) {
		snprintf(reason, rsz, "%s", e.msg);
		return -1;
	}
	char *p = r->buf;
	for (int i = 0; i < REC_DRIVER_FIELDS; i++) {
		/* the rules bound every field: 14+5+1+1+2+1+3+3 bytes and 8 NULs */
		memcpy(p, v.f[i].p, v.f[i].n);
		r->field[i] = p;
		p += v.f[i].n;
		*p++ = 0;
	}
	rec_driver_row_key(&v, r->row);
	r->ts_ms = v.ts * 1000;	/* the rules start at 1970: never negative */
	return 0;
}
