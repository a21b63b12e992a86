/* recover.c: the spool-loader's manifests, and the repair of a partition
 * (load.h): a run first brings the partition in line with its newest
 * manifest (spool_settle_partition: roll a committed batch forward, delete
 * what was never committed); the same function finishes a batch right after
 * its commit. Why that gives exactly once is at the top of spool_loader.c;
 * the --replace swap and its recovery are jobs/common/publish.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/spool-loader/load.h"

static int manifest_seq_of(const char *name, unsigned *seq)
{
	char tail;
	return sscanf(name, "_MANIFEST.%u%c", seq, &tail) == 1;
}

int spool_load_manifest(storage *st, const char *dir, const char *wrk_date, manifest *m, unsigned *seq, job_err *e)
{
	manifest_init(m, wrk_date);
	*seq = 0;
	storage_entry *ents;
	size_t n;
	if (storage_list(st, dir, &ents, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned s;
		if (!ents[i].is_dir && manifest_seq_of(ents[i].name, &s) && s > *seq)
			*seq = s;
	}
	storage_list_free(ents, n);
	if (!*seq)
		return 0;
	char name[64];
	snprintf(name, sizeof name, "_MANIFEST.%u", *seq);
	char *p = storage_join(dir, name), *text = NULL;
	size_t len;
	int rc = storage_read_all(st, p, &text, &len, e);
	if (rc == 0)
		rc = manifest_parse(m, text, len, p, e);
	free(text);
	free(p);
	return rc;
}

int spool_write_manifest(storage *st, const char *dir, const manifest *m, unsigned seq, job_err *e)
{
	size_t len;
	char *text = manifest_format(m, &len);
	if (!text) {
		job_err_set(e, "out of memory");
		return -1;
	}
	char name[64], tmpn[64];
	snprintf(name, sizeof name, "_MANIFEST.%u", seq);
	snprintf(tmpn, sizeof tmpn, "_MANIFEST.%u.tmp", seq);
	char *p = storage_join(dir, name), *t = storage_join(dir, tmpn);
	int rc = storage_write_file(st, t, text, len, 1, e);
	if (rc == 0)
		rc = storage_rename(st, t, p, e);
	free(text);
	free(p);
	free(t);
	return rc;
}

static char *rejects_dir(struct load *L)
{
	char *r = storage_join(L->root, "_rejects"), *d = NULL;
	if (r && asprintf(&d, "%s/wrk_date=%s", r, L->c->wrk_date) < 0)
		d = NULL;
	free(r);
	return d;
}

void spool_publish_rejects(struct load *L, const char *staged, const char *name)
{
	storage_stat s;
	job_err e;
	if (storage_stat_path(L->st, staged, &s, &e) < 0 || !s.exists)
		return;
	char *d = rejects_dir(L), *p = d ? storage_join(d, name) : NULL;
	if (p && storage_mkdirs(L->st, d, &e) == 0) {
		storage_delete(L->st, p, 0, &e);
		if (storage_rename(L->st, staged, p, &e) < 0)
			job_warn("cannot keep the rejected lines", "error=%s", e.msg);
	}
	free(d);
	free(p);
}

int spool_settle_partition(struct load *L, const char *P, const manifest *m, unsigned seq, int recovering, job_err *e)
{
	storage_entry *ents;
	size_t n;
	if (storage_list(L->st, P, &ents, &n, e) < 0)
		return -1;
	int rc = 0;
	if (m->staging) {
		char *S = storage_join(P, m->staging);
		for (size_t i = 0; i < m->nparts && rc == 0; i++) {
			int present = 0;
			for (size_t j = 0; j < n; j++)
				present |= strcmp(ents[j].name, m->parts[i].name) == 0;
			if (present)
				continue;
			char *from = storage_join(S, m->parts[i].name), *to = storage_join(P, m->parts[i].name);
			storage_stat s;
			rc = storage_stat_path(L->st, from, &s, e);
			if (rc == 0 && !s.exists) {
				job_err_set(e, "%s lists part %s, which is neither in the partition nor in %s", P,
					    m->parts[i].name, S);
				rc = -1;
			}
			if (rc == 0) {
				rc = storage_rename(L->st, from, to, e);
				if (rc == 0)
					job_log(recovering ? JOB_INFO : JOB_DEBUG, "finished a committed part", "part=%s", to);
			}
			free(from);
			free(to);
		}
		if (rc == 0) {
			char *staged = storage_join(S, "_rejects.log"), name[64];
			snprintf(name, sizeof name, "rejects.%u.log", seq);
			spool_publish_rejects(L, staged, name);
			free(staged);
		}
		free(S);
	}
	for (size_t j = 0; j < n && rc == 0; j++) {
		const char *nm = ents[j].name;
		unsigned s;
		char *p = storage_join(P, nm);
		int del = 0;
		if (strncmp(nm, "_tmp.", 5) == 0)
			del = 1;	/* staging: committed (now emptied) or never committed */
		else if (manifest_seq_of(nm, &s) && s != seq)
			del = 1;	/* older manifests */
		else if (strncmp(nm, "_MANIFEST.", 10) == 0 && strstr(nm, ".tmp"))
			del = 1;
		else if (strncmp(nm, "car-batch-log.", 14) == 0 && !manifest_has_part(m, nm)) {
			job_warn("deleting a part no manifest lists", "file=%s", p);
			del = 1;
		}
		if (del)
			rc = storage_delete(L->st, p, 1, e);
		free(p);
	}
	storage_list_free(ents, n);
	return rc;
}
