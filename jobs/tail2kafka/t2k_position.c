/* t2k_position.c: reads and writes tail2kafka's position file (see t2k_position.h).
 * Text, one line, so an operator can read or edit it:
 *   tail2kafka-position v1 dev=64769 ino=1234 offset=5678 prefix_len=256 prefix_fnv=0123456789abcdef */
#include "jobs/tail2kafka/t2k_position.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

uint64_t t2k_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int t2k_position_format(const struct t2k_position *pos, char *buf, size_t size)
{
	return snprintf(buf, size,
			"tail2kafka-position v1 dev=%" PRIu64 " ino=%" PRIu64 " offset=%" PRId64
			" prefix_len=%d prefix_fnv=%016" PRIx64 "\n",
			pos->dev, pos->ino, pos->offset, pos->prefix_len, pos->prefix_hash);
}

int t2k_position_parse(const char *text, struct t2k_position *pos, char *err, size_t errsz)
{
	int n = 0;
	memset(pos, 0, sizeof *pos);
	if (sscanf(text,
		   "tail2kafka-position v1 dev=%" SCNu64 " ino=%" SCNu64 " offset=%" SCNd64
		   " prefix_len=%d prefix_fnv=%" SCNx64 "%n",
		   &pos->dev, &pos->ino, &pos->offset, &pos->prefix_len, &pos->prefix_hash, &n) != 5) {
		snprintf(err, errsz, "not a 'tail2kafka-position v1 dev= ino= offset= prefix_len= prefix_fnv=' line");
		return -1;
	}
	if (text[n] != '\n' && text[n] != 0) {
		snprintf(err, errsz, "trailing text after prefix_fnv");
		return -1;
	}
	if (pos->offset < 0 || pos->prefix_len < 0 || pos->prefix_len > T2K_PREFIX_MAX ||
	    pos->prefix_len > pos->offset) {
		snprintf(err, errsz, "offset %" PRId64 " or prefix_len %d out of range", pos->offset, pos->prefix_len);
		return -1;
	}
	return 0;
}

int t2k_position_load(const char *path, struct t2k_position *pos, char *err, size_t errsz)
{
	char buf[512], perr[200];
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	if (t2k_position_parse(buf, pos, perr, sizeof perr) < 0) {
		snprintf(err, errsz, "%s:1: %s", path, perr);
		return -1;
	}
	return 1;
}

int t2k_position_save(const char *path, const struct t2k_position *pos, char *err, size_t errsz)
{
	char tmp[4096], line[256];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		snprintf(err, errsz, "%s: path too long", path);
		return -1;
	}
	int len = t2k_position_format(pos, line, sizeof line);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write(fd, line, (size_t)len) != len || fsync(fd) < 0) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		snprintf(err, errsz, "rename %s -> %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int t2k_position_prefix(int fd, int64_t upto, int *len, uint64_t *hash)
{
	unsigned char buf[T2K_PREFIX_MAX];
	int want = upto < T2K_PREFIX_MAX ? (int)upto : T2K_PREFIX_MAX;
	int got = 0;
	while (got < want) {
		ssize_t n = pread(fd, buf + got, (size_t)(want - got), got);
		if (n <= 0)
			return -1;
		got += (int)n;
	}
	*len = want;
	*hash = t2k_fnv1a(buf, (size_t)want);
	return 0;
}
