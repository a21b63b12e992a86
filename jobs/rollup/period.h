/* period.h: the calendar of the rollups: days as integers (days since
 * 1970-01-01, proleptic Gregorian), ISO 8601 weeks (Monday first; week 1
 * holds the year's first Thursday, so 2026-W01 begins 2025-12-29 and 2020
 * has a W53), and the days of a week, month or year. */
#ifndef ROLLUP_PERIOD_H
#define ROLLUP_PERIOD_H

#include <stdint.h>

#include "jobs/common/job.h"

int64_t period_days_from_civil(int y, int m, int d);
void period_civil_from_days(int64_t days, int *y, int *m, int *d);
/* 1 Monday .. 7 Sunday. */
int period_iso_weekday(int64_t days);
/* The ISO week-numbering year and week of a day. */
void period_iso_week(int64_t days, int *iso_year, int *week);
/* 52 or 53. */
int period_weeks_in_year(int iso_year);
/* The Monday of ISO week w of iso_year. */
int64_t period_iso_week_monday(int iso_year, int week);
/* "YYYYMMDD" (buf of 9). */
void period_format_date(int64_t days, char buf[9]);

/* A period to roll up: its first day and how many days. Each parser checks the
 * value and names the flag: --week YYYY-Www, --month YYYYMM, --year YYYY. */
typedef struct period {
	int64_t first;
	int ndays;
} period;
int period_parse_week(const char *flag, const char *s, period *p, job_err *e);
int period_parse_month(const char *flag, const char *s, period *p, job_err *e);
int period_parse_year(const char *flag, const char *s, period *p, job_err *e);

#endif
