/* gen.h: the record generators of loggen, pure functions of (seed, date,
 * car): one car's whole status day into a buffer, one driver record at a time
 * from a car's running state, and malformed lines for --garbage-ratio. */
#ifndef LOGGEN_GEN_H
#define LOGGEN_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/loggen/rng.h"

#define GEN_STATUS_PER_CAR 21600	/* every 4 s from 00:00:00 to 23:59:56 */
#define GEN_DRIVER_PER_CAR 43200	/* every 2 s */
#define GEN_STATUS_HEADER                                                                                  \
	"SmartCar Status Information,CarNum,TireFL,TireFR,TireBL,TireBR,LightFL,LightFR,LightBL,LightBR," \
	"Engine,Break,Battery\n"

/* "R0001": a letter drawn from the seed and the car's index (1-based). */
void gen_car_number(uint64_t seed, int car, char out[6]);

/* Bytes gen_status_car may write for one car at most. */
size_t gen_status_car_max(double garbage_ratio);
/* Writes car's header line and its day of records (plus garbage lines at the
 * given ratio) into buf; returns the length. *garbage gets the count of
 * garbage lines. date is "YYYYMMDD". */
size_t gen_status_car(uint64_t seed, const char *date, int car, double garbage_ratio, char *buf,
		      uint64_t *garbage);

typedef struct gen_driver {
	char car_number[6];
	rng r, g;		/* record and garbage streams */
	int wild;		/* 10% of cars */
	char area;		/* A-F */
	int speed;
} gen_driver;

void gen_driver_init(gen_driver *d, uint64_t seed, int car);
/* One record at time ts ("yyyyMMddHHmmss"), plus maybe a garbage line; returns
 * the bytes written (at most 256). */
size_t gen_driver_record(gen_driver *d, const char *ts, double garbage_ratio, char *buf, uint64_t *garbage);

/* "yyyyMMddHHmmss" of second s (0..86399) of date. */
void gen_timestamp(const char *date, int s, char out[15]);

#endif
