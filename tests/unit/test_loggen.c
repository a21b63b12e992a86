/* test_loggen.c: the generators against docs/formats.md: value weights (tyres
 * 80-100 about 80%, battery 80-100 about 90%, engine A about 80%), faults that
 * stay for the rest of the car's day, determinism, garbage that never passes
 * the ^\d{14} filter and leaves the valid records unchanged, driver rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "jobs/common/records.h"
#include "jobs/loggen/gen.h"

struct day {
	char *buf;
	size_t len;
	uint64_t garbage;
};

static struct day gen(uint64_t seed, int car, double garbage)
{
	struct day d;
	d.buf = malloc(gen_status_car_max(garbage));
	d.len = gen_status_car(seed, "20160101", car, garbage, d.buf, &d.garbage);
	return d;
}

static void test_status_distribution(void **st)
{
	(void)st;
	long tyres = 0, tyres_hi = 0, batt = 0, batt_hi = 0, eng = 0, eng_a = 0, faults = 0, records = 0;
	for (int car = 1; car <= 40; car++) {
		struct day d = gen(11, car, 0);
		int fault_val[4] = { -1, -1, -1, -1 };
		char *p = d.buf;
		char *end = d.buf + d.len;
		p = memchr(p, '\n', (size_t)(end - p)) + 1;	/* header */
		while (p < end) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			rec_status r;
			job_err e;
			assert_int_equal(rec_status_parse(p, (size_t)(nl - p), &r, &e), 0);
			records++;
			for (int k = 0; k < 4; k++) {
				tyres += r.tire[k] >= 70;	/* sticky faults aside */
				tyres_hi += r.tire[k] >= 80;
				if (fault_val[k] >= 0)
					assert_int_equal(r.tire[k], fault_val[k]);	/* sticky */
				else if (r.tire[k] <= 69) {
					fault_val[k] = r.tire[k];
					faults++;
				}
			}
			batt += r.battery >= 50;
			batt_hi += r.battery >= 80;
			eng += r.engine != 'C';
			eng_a += r.engine == 'A';
			p = nl + 1;
		}
		free(d.buf);
	}
	assert_int_equal(records, 40 * GEN_STATUS_PER_CAR);
	double ft = (double)tyres_hi / tyres, fb = (double)batt_hi / batt, fe = (double)eng_a / eng;
	assert_true(ft > 0.79 && ft < 0.81);
	assert_true(fb > 0.89 && fb < 0.91);
	assert_true(fe > 0.79 && fe < 0.81);
	(void)faults;	/* rare by design; stickiness is checked when one occurs */
}

static void test_status_deterministic_and_garbage(void **st)
{
	(void)st;
	struct day a = gen(5, 3, 0), b = gen(5, 3, 0), g = gen(5, 3, 0.05), o = gen(6, 3, 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	assert_true(a.len != o.len || memcmp(a.buf, o.buf, a.len) != 0);
	assert_true(g.garbage > 500);
	/* the valid lines of g are exactly a's lines */
	size_t ai = 0;
	char *p = g.buf, *end = g.buf + g.len;
	uint64_t garbage = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		size_t n = (size_t)(nl - p) + 1;
		if (rec_has_timestamp(p, n - 1) || !strncmp(p, "SmartCar Status", 15)) {
			assert_memory_equal(p, a.buf + ai, n);
			ai += n;
		} else {
			garbage++;
		}
		p = nl + 1;
	}
	assert_int_equal(ai, a.len);
	assert_int_equal(garbage, g.garbage);
	free(a.buf);
	free(b.buf);
	free(g.buf);
	free(o.buf);
}

static void test_car_numbers(void **st)
{
	(void)st;
	char a[6], b[6];
	gen_car_number(7, 12, a);
	gen_car_number(7, 12, b);
	assert_string_equal(a, b);
	assert_true(a[0] >= 'A' && a[0] <= 'Z');
	assert_string_equal(a + 1, "0012");
	gen_driver d;
	gen_driver_init(&d, 7, 12);
	assert_string_equal(d.car_number, a);
}

static void test_driver_rules(void **st)
{
	(void)st;
	int wild = 0;
	for (int car = 1; car <= 30; car++) {
		gen_driver d;
		gen_driver_init(&d, 3, car);
		wild += d.wild;
		char ts[15], buf[512];
		uint64_t garbage = 0;
		for (int s = 0; s < 2000; s++) {
			gen_timestamp("20160101", s * 2, ts);
			size_t n = gen_driver_record(&d, ts, 0, buf, &garbage);
			rec_driver r;
			job_err e;
			assert_int_equal(rec_driver_parse(buf, n - 1, &r, &e), 0);
			if (r.speed_pedal > 0)
				assert_int_equal(r.break_pedal, 0);
			if (!d.wild)
				assert_int_equal(r.direct_light, r.steer_angle[0] == 'F' ? 'N' : r.steer_angle[0]);
			assert_int_equal(r.area_number[0], d.area);
			assert_true(r.speed >= 0 && r.speed <= 250);
		}
	}
	assert_true(wild >= 1 && wild <= 9);
	char ts[15];
	gen_timestamp("20160101", 86398, ts);
	assert_string_equal(ts, "20160101235958");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_distribution),
		cmocka_unit_test(test_status_deterministic_and_garbage),
		cmocka_unit_test(test_car_numbers),
		cmocka_unit_test(test_driver_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
