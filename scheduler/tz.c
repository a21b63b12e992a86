/* tz.c: IANA time zones for the scheduler, on top of glibc's TZ database.
 *
 * glibc converts only in the process's zone, so we switch TZ (setenv + tzset)
 * when a call names a different zone than the last one, and remember which one
 * is loaded; UTC never touches TZ at all (plain arithmetic). Not thread-safe,
 * like the daemon that uses it.
 *
 * Wall time -> instant is done here rather than with mktime: mktime's
 * tm_isdst = -1 guessing picks either side of an overlap depending on its
 * previous call, and normalises gap times in a direction we do not want. We
 * take the offsets in effect a day before and a day after (no zone changes
 * offset twice within two days), build both candidate instants, keep those
 * whose wall clock really is the asked time, and choose: the earlier of two
 * (overlap), the only one, or, when none exists (gap), the first instant after
 * the gap, found by bisection.
 *
 * Threads (schedweb answers requests on several): switching TZ and reading
 * the local time are one step under tz_mu, so a thread never converts in
 * another thread's zone; UTC takes no lock. */
#include "scheduler/tz.h"

#include "lib/civil.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZ_NAME_MAX 255

static char tz_loaded[TZ_NAME_MAX + 1];	/* zone currently in TZ; "" = unknown */
static pthread_mutex_t tz_mu = PTHREAD_MUTEX_INITIALIZER;	/* TZ, tz_loaded and localtime_r */

static bool tz_is_utc(const char *tz)
{
	return tz == NULL || tz[0] == '\0' || strcmp(tz, "UTC") == 0;
}

/* Makes tz the process zone, unless it already is. */
static void tz_use(const char *tz)
{
	/* Also compare with the environment, in case other code changed TZ. */
	const char *env = getenv("TZ");
	if (strcmp(tz_loaded, tz) == 0 && env != NULL && strcmp(env, tz) == 0)
		return;
	setenv("TZ", tz, 1);
	tzset();
	if (strlen(tz) <= TZ_NAME_MAX)
		strcpy(tz_loaded, tz);
	else
		tz_loaded[0] = '\0';	/* too long to remember: reload next time */
}

bool tz_valid(const char *name)
{
	if (name == NULL || name[0] == '\0')
		return false;
	if (strcmp(name, "UTC") == 0)
		return true;
	size_t n = strlen(name);
	if (n > TZ_NAME_MAX || name[0] == '/' || strstr(name, "..") != NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+' || c == '.'))
			return false;
	}
	const char *dir = getenv("TZDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return false;
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	/* The directory also holds zone.tab, tzdata.zi, ...: only TZif files are zones. */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char magic[4];
	ssize_t got = read(fd, magic, sizeof magic);
	close(fd);
	return got == 4 && memcmp(magic, "TZif", 4) == 0;
}

void tz_localtime(const char *tz, time_t t, struct tm *out)
{
	if (tz_is_utc(tz)) {
		if (gmtime_r(&t, out) == NULL)
			memset(out, 0, sizeof *out);
		out->tm_zone = "UTC";
		return;
	}
	pthread_mutex_lock(&tz_mu);
	tz_use(tz);
	if (localtime_r(&t, out) == NULL)
		memset(out, 0, sizeof *out);
	pthread_mutex_unlock(&tz_mu);
}

long tz_offset(const char *tz, time_t t)
{
	if (tz_is_utc(tz))
		return 0;
	struct tm tm;
	pthread_mutex_lock(&tz_mu);
	tz_use(tz);
	struct tm *ok = localtime_r(&t, &tm);
	pthread_mutex_unlock(&tz_mu);
	return ok ? tm.tm_gmtoff : 0;
}

time_t tz_from_wall(const char *tz, int64_t wall, bool *nonexistent)
{
	if (nonexistent)
		*nonexistent = false;
	if (tz_is_utc(tz))
		return (time_t)wall;
	long off_a = tz_offset(tz, (time_t)(wall - 86400));
	long off_b = tz_offset(tz, (time_t)(wall + 86400));
	time_t c_a = (time_t)(wall - off_a), c_b = (time_t)(wall - off_b);
	bool ok_a = tz_offset(tz, c_a) == off_a;
	bool ok_b = off_b == off_a ? ok_a : tz_offset(tz, c_b) == off_b;
	if (ok_a && ok_b)
		return c_a < c_b ? c_a : c_b;
	if (ok_a)
		return c_a;
	if (ok_b)
		return c_b;

	/* A gap: the first instant whose wall clock is past wall. Between the two
	 * candidates the wall clock goes from before wall to after it. */
	if (nonexistent)
		*nonexistent = true;
	time_t lo = c_a < c_b ? c_a : c_b, hi = c_a < c_b ? c_b : c_a;
	if (lo + tz_offset(tz, lo) > wall || hi + tz_offset(tz, hi) <= wall)
		return hi;	/* not a simple gap: cannot happen with real zones */
	while (hi - lo > 1) {
		time_t mid = lo + (hi - lo) / 2;
		if (mid + tz_offset(tz, mid) > wall)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

time_t tz_mktime(const char *tz, const struct tm *tm, bool *nonexistent)
{
	if (nonexistent)
		*nonexistent = false;
	if (tm == NULL)
		return (time_t)-1;
	/* Normalise out-of-range fields the way mktime does, within sane bounds. */
	const int64_t lim = 100000000;
	if (tm->tm_year < -lim || tm->tm_year > lim || tm->tm_mon < -lim || tm->tm_mon > lim ||
	    tm->tm_mday < -lim || tm->tm_mday > lim || tm->tm_hour < -lim || tm->tm_hour > lim ||
	    tm->tm_min < -lim || tm->tm_min > lim || tm->tm_sec < -lim || tm->tm_sec > lim)
		return (time_t)-1;
	int64_t mon = tm->tm_mon;
	int64_t y = (int64_t)tm->tm_year + 1900 + (mon >= 0 ? mon / 12 : -((11 - mon) / 12));
	int m = (int)(((mon % 12) + 12) % 12) + 1;
	int64_t days = civil_to_days(y, m, 1) + tm->tm_mday - 1;
	int64_t wall = days * 86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 + tm->tm_sec;
	return tz_from_wall(tz, wall, nonexistent);
}

/* Reads exactly n digits at *p into *v, and steps past them. */
static bool tz_digits(const char **p, int n, int *v)
{
	if (!civil_digits(*p, n, v))
		return false;
	*p += n;
	return true;
}

int tz_parse_datetime(const char *tz, const char *s, time_t *out)
{
	if (s == NULL)
		return -1;
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	p = civil_scan_date(s, CIVIL_DASHED | CIVIL_COMPACT, &y, &mo, &d);
	if (p == NULL || (p - s == 8 && *p != '\0'))
		return -1;	/* YYYYMMDD stands alone */
	bool has_offset = false;
	long offset = 0;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!tz_digits(&p, 2, &h) || *p++ != ':' || !tz_digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (!tz_digits(&p, 2, &sec))
				return -1;
		}
		if (h > 23 || mi > 59 || sec > 59)
			return -1;
		if (*p == 'Z') {
			p++;
			has_offset = true;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om;
			if (!tz_digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (!tz_digits(&p, 2, &om) || oh > 23 || om > 59)
				return -1;
			has_offset = true;
			offset = sign * (oh * 3600L + om * 60L);
		}
	}
	if (*p != '\0')
		return -1;
	int64_t wall = civil_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	*out = has_offset ? (time_t)(wall - offset) : tz_from_wall(tz, wall, NULL);
	return 0;
}

void tz_format(const char *tz, time_t t, const char *fmt, char *buf, size_t len)
{
	if (len == 0)
		return;
	struct tm tm;
	tz_localtime(tz, t, &tm);
	if (strftime(buf, len, fmt, &tm) == 0)
		buf[0] = '\0';
}

void tz_format_iso(const char *tz, time_t t, char *buf, size_t len)
{
	struct tm tm;
	tz_localtime(tz, t, &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 sign, off / 3600, off % 3600 / 60);
}
