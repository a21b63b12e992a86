/* manifest.c: reading and writing the partition manifest (see manifest.h),
 * and the source checksum. Parsing is strict: a damaged manifest must stop a
 * load rather than let it load files twice. */
#include "jobs/spool-loader/manifest.h"
#include "lib/path.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void manifest_init(manifest *m, const char *wrk_date)
{
	memset(m, 0, sizeof *m);
	snprintf(m->wrk_date, sizeof m->wrk_date, "%s", wrk_date ? wrk_date : "");
}

void manifest_free(manifest *m)
{
	for (size_t i = 0; i < m->nsources; i++)
		free(m->sources[i].name);
	for (size_t i = 0; i < m->nparts; i++)
		free(m->parts[i].name);
	free(m->sources);
	free(m->parts);
	free(m->staging);
	memset(m, 0, sizeof *m);
}

int manifest_add_source(manifest *m, const char *name, uint64_t size, uint64_t checksum, uint64_t kept, uint64_t rejected)
{
	manifest_source *s = realloc(m->sources, (m->nsources + 1) * sizeof *s);
	if (!s)
		return -1;
	m->sources = s;
	s[m->nsources] = (manifest_source){ strdup(name), size, checksum, kept, rejected };
	if (!s[m->nsources].name)
		return -1;
	m->nsources++;
	return 0;
}

int manifest_add_part(manifest *m, const char *name, uint64_t size)
{
	manifest_part *p = realloc(m->parts, (m->nparts + 1) * sizeof *p);
	if (!p)
		return -1;
	m->parts = p;
	p[m->nparts] = (manifest_part){ strdup(name), size };
	if (!p[m->nparts].name)
		return -1;
	m->nparts++;
	return 0;
}

const manifest_source *manifest_find_source(const manifest *m, const char *name)
{
	for (size_t i = m->nsources; i-- > 0;)
		if (strcmp(m->sources[i].name, name) == 0)
			return &m->sources[i];
	return NULL;
}

int manifest_has_part(const manifest *m, const char *name)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (strcmp(m->parts[i].name, name) == 0)
			return 1;
	return 0;
}

unsigned manifest_next_part(const manifest *m)
{
	unsigned next = 0, n;
	for (size_t i = 0; i < m->nparts; i++)
		if (sscanf(m->parts[i].name, "car-batch-log.%u.log", &n) == 1 && n + 1 > next)
			next = n + 1;
	return next;
}

static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	for (char *p = line; n < max;) {
		f[n++] = p;
		char *t = strchr(p, '\t');
		if (!t)
			break;
		*t = 0;
		p = t + 1;
	}
	return n;
}

static int parse_u64(const char *s, int base, uint64_t *out)
{
	char *end;
	if (!*s)
		return -1;
	*out = strtoull(s, &end, base);
	return *end ? -1 : 0;
}

int manifest_parse(manifest *m, const char *text, size_t len, const char *what, job_err *e)
{
	char *copy = strndup(text, len);
	if (!copy) {
		job_err_set(e, "out of memory");
		return -1;
	}
	int lineno = 0, rc = 0;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		char *f[8];
		int n = split_tabs(line, f, 8);
		uint64_t a, b, c, d;
		if (lineno == 1) {
			if (strcmp(line, "spool-loader-manifest 1") != 0) {
				job_err_set(e, "%s:1: not a spool-loader manifest (version 1)", what);
				rc = -1;
				break;
			}
		} else if (!strcmp(f[0], "wrk_date") && n == 2) {
			snprintf(m->wrk_date, sizeof m->wrk_date, "%s", f[1]);
		} else if (!strcmp(f[0], "source") && n == 6 && !parse_u64(f[2], 10, &a) && !parse_u64(f[3], 16, &b) &&
			   !parse_u64(f[4], 10, &c) && !parse_u64(f[5], 10, &d)) {
			if (manifest_add_source(m, f[1], a, b, c, d) < 0)
				rc = -1;
		} else if ((!strcmp(f[0], "part") || !strcmp(f[0], "staging")) && n >= 2 && path_name_problem(f[1])) {
			/* a part or staging name is joined under the partition: one
			 * path component, whatever wrote this file */
			job_err_set(e, "%s:%d: %s name '%.64s' %s", what, lineno, f[0], f[1], path_name_problem(f[1]));
			rc = -1;
			break;
		} else if (!strcmp(f[0], "part") && n == 3 && !parse_u64(f[2], 10, &a)) {
			if (manifest_add_part(m, f[1], a) < 0)
				rc = -1;
		} else if (!strcmp(f[0], "staging") && n == 2) {
			free(m->staging);
			m->staging = strdup(f[1]);
		} else {
			job_err_set(e, "%s:%d: bad manifest line (record '%s' with %d fields)", what, lineno, f[0], n);
			rc = -1;
			break;
		}
		if (rc < 0 && !e->msg[0])
			job_err_set(e, "out of memory");
		if (rc < 0)
			break;
	}
	if (rc == 0 && lineno == 0) {
		job_err_set(e, "%s: empty manifest", what);
		rc = -1;
	}
	free(copy);
	return rc;
}

char *manifest_format(const manifest *m, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	fprintf(f, "spool-loader-manifest 1\nwrk_date\t%s\n", m->wrk_date);
	for (size_t i = 0; i < m->nsources; i++) {
		const manifest_source *s = &m->sources[i];
		fprintf(f, "source\t%s\t%" PRIu64 "\t%016" PRIx64 "\t%" PRIu64 "\t%" PRIu64 "\n", s->name, s->size,
			s->checksum, s->kept, s->rejected);
	}
	for (size_t i = 0; i < m->nparts; i++)
		fprintf(f, "part\t%s\t%" PRIu64 "\n", m->parts[i].name, m->parts[i].size);
	if (m->staging)
		fprintf(f, "staging\t%s\n", m->staging);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

void manifest_hash_init(manifest_hash *h)
{
	memset(h, 0, sizeof *h);
	h->h = 0x6a09e667f3bcc908ULL;
}

static inline uint64_t mix_word(uint64_t h, uint64_t w)
{
	h ^= w * 0x9e3779b97f4a7c15ULL;
	h = (h << 27 | h >> 37) * 0xbf58476d1ce4e5b9ULL;
	return h;
}

void manifest_hash_update(manifest_hash *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	h->total += len;
	while (h->ntail && len) {
		h->tail[h->ntail++] = *p++;
		len--;
		if (h->ntail == 8) {
			uint64_t w;
			memcpy(&w, h->tail, 8);
			h->h = mix_word(h->h, w);
			h->ntail = 0;
		}
	}
	if (h->ntail)
		return;	/* still filling the tail */
	uint64_t acc = h->h;
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		acc = mix_word(acc, w);
	}
	h->h = acc;
	memcpy(h->tail, p, len);
	h->ntail = len;
}

uint64_t manifest_hash_final(manifest_hash *h)
{
	uint64_t w = 0;
	memcpy(&w, h->tail, h->ntail);
	uint64_t x = mix_word(h->h, w) ^ h->total;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}
