/* t2k_position.h: tail2kafka's position file: which file (device, inode, and a
 * hash of its first bytes, so a recycled inode is not mistaken for the old
 * file) and the byte offset just after the last line whose delivery, and that
 * of every earlier line, Kafka acknowledged. Saved by write + fsync + rename so
 * a crash leaves either the old or the new position, never a torn one. */
#ifndef T2K_POSITION_H
#define T2K_POSITION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define T2K_PREFIX_MAX 256	/* bytes of the file's start that identify it */

struct t2k_position {
	uint64_t dev, ino;
	int64_t offset;
	int prefix_len;		/* bytes hashed: min(T2K_PREFIX_MAX, offset) */
	uint64_t prefix_hash;	/* FNV-1a 64 of those bytes */
};

uint64_t t2k_fnv1a(const void *p, size_t n);
/* One line of text, newline included, into buf. Returns its length. */
int t2k_position_format(const struct t2k_position *pos, char *buf, size_t size);
/* 0 on success; -1 with err naming what is wrong. */
int t2k_position_parse(const char *text, struct t2k_position *pos, char *err, size_t errsz);
/* 1 read, 0 no file, -1 error (err). */
int t2k_position_load(const char *path, struct t2k_position *pos, char *err, size_t errsz);
/* 0 or -1 (err). Atomic: temp file, fsync, rename. */
int t2k_position_save(const char *path, const struct t2k_position *pos, char *err, size_t errsz);
/* Hashes the first min(T2K_PREFIX_MAX, upto) bytes of fd into pos (pread; the
 * file offset is unchanged). 0, or -1 when the file is shorter than that. */
int t2k_position_prefix(int fd, int64_t upto, int *len, uint64_t *hash);

#endif
