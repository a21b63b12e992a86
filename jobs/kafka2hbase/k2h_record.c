/* k2h_record.c: driver record -> row key and cells (see k2h_record.h). The
 * checks are those a reader of DriverCarInfo relies on: eight fields, a real
 * 14-digit date (it is the row key and the timestamp), a car number of one
 * letter and digits, no empty field. */
#include "jobs/kafka2hbase/k2h_record.h"
#include "jobs/common/evtime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *const k2h_qualifiers[K2H_FIELDS] = {
	"date", "car_number", "speed_pedal", "break_pedal", "steer_angle", "direct_light", "speed", "area_number",
};

int64_t k2h_date_ms(const char *d)
{
	/* evtime: plain integer arithmetic (timegm cost a few % of the whole job) */
	int64_t secs;
	if (evtime_parse14(d, &secs) < 0 || secs < 0)	/* before 1970 */
		return -1;
	return secs * 1000;
}

int k2h_record_parse(const void *payload, size_t len, struct k2h_record *r, char *reason, size_t rsz)
{
	if (len && ((const char *)payload)[len - 1] == '\n')
		len--;
	if (len && ((const char *)payload)[len - 1] == '\r')
		len--;
	if (len >= sizeof r->buf) {
		snprintf(reason, rsz, "record of %zu bytes is too long", len);
		return -1;
	}
	if (memchr(payload, 0, len)) {
		snprintf(reason, rsz, "record holds a NUL byte");
		return -1;
	}
	memcpy(r->buf, payload, len);
	r->buf[len] = 0;
	int n = 0;
	char *p = r->buf;
	for (;;) {
		if (n == K2H_FIELDS) {
			n++;
			break;
		}
		r->field[n++] = p;
		char *c = strchr(p, ',');
		if (!c)
			break;
		*c = 0;
		p = c + 1;
	}
	if (n != K2H_FIELDS) {
		if (n > K2H_FIELDS)
			snprintf(reason, rsz, "expected 8 fields, got more");
		else
			snprintf(reason, rsz, "expected 8 fields, got %d", n);
		return -1;
	}
	for (int i = 0; i < K2H_FIELDS; i++)
		if (!*r->field[i]) {
			snprintf(reason, rsz, "field %d (%s) is empty", i + 1, k2h_qualifiers[i]);
			return -1;
		}
	const char *d = r->field[0];
	if (strlen(d) != 14 || (r->ts_ms = k2h_date_ms(d)) < 0) {
		snprintf(reason, rsz, "date '%.40s' is not a yyyyMMddHHmmss time", d);
		return -1;
	}
	const char *car = r->field[1];
	size_t cl = strlen(car);
	int ok = cl >= 2 && cl <= 32 && isupper((unsigned char)car[0]);
	for (size_t i = 1; ok && i < cl; i++)
		ok = isdigit((unsigned char)car[i]);
	if (!ok) {
		snprintf(reason, rsz, "car number '%.40s' is not a letter and digits", car);
		return -1;
	}
	for (int i = 0; i < 14; i++)
		r->row[i] = d[13 - i];
	r->row[14] = '-';
	memcpy(r->row + 15, car, cl + 1);
	return 0;
}
