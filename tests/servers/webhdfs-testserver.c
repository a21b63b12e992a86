/* webhdfs-testserver.c: a WebHDFS server for the integration tests, backed by
 * a local directory, speaking docs/protocols.md §1 as the NameNode (first port)
 * and the DataNode (second port): CREATE/APPEND/OPEN answer 307 on the
 * NameNode and move data only on the DataNode; namespace ops answer the
 * documented JSON; errors are RemoteException bodies with Hadoop's statuses.
 * Faults are injected by flags or at run time through /control:
 *   GET /control?fail=N      the next N requests answer 500 (RuntimeException)
 *   GET /control?drop=N      the next N requests get their connection closed
 *   GET /control?delay_ms=M[&delay_count=N]  requests wait M ms first (all,
 *                            or the next N only; delay_ms=0 stops)
 *   GET /control/stats       request counts per port and op, one per line
 * usage: webhdfs-testserver --root DIR [--port N] [--port-file F]
 *        [--dn-port N] [--dn-port-file F] [--fail N] [--drop N] [--delay-ms M]
 *        [--require-user] */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/servers/httpd.h"

static struct {
	char root[4096];
	int nn_port, dn_port;
	int fail, drop, delay_ms, delay_count, require_user;
	long counts[2][16];
	long next_file_id;
} g = { .next_file_id = 16386, .delay_count = -1 };

static const char *ops[] = { "CREATE", "APPEND", "OPEN", "MKDIRS", "RENAME", "DELETE", "GETFILESTATUS",
			     "LISTSTATUS", "OTHER" };

static void rex(httpd_resp *w, int status, const char *cls, const char *java, const char *fmt, const char *arg)
{
	char msg[4096];
	snprintf(msg, sizeof msg, fmt, arg);
	w->status = status;
	httpd_resp_printf(w, "application/json",
			  "{\"RemoteException\":{\"exception\":\"%s\",\"javaClassName\":\"%s\",\"message\":\"%s\"}}",
			  cls, java, msg);
}

static void not_found(httpd_resp *w, const char *fmt, const char *p)
{
	rex(w, 404, "FileNotFoundException", "java.io.FileNotFoundException", fmt, p);
}

static void boolean(httpd_resp *w, int b)
{
	httpd_resp_printf(w, "application/json", "{\"boolean\": %s}", b ? "true" : "false");
}

static int local_of(const char *hpath, char *out, size_t size)
{
	if (strstr(hpath, "/../") || strstr(hpath, "/./"))
		return -1;
	snprintf(out, size, "%s%s", g.root, hpath);
	size_t n = strlen(out);
	while (n > strlen(g.root) + 1 && out[n - 1] == '/')
		out[--n] = 0;
	return 0;
}

static void file_status_json(char *out, size_t size, const char *suffix, const struct stat *st)
{
	int dir = S_ISDIR(st->st_mode);
	long long ms = (long long)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000;
	snprintf(out, size,
		 "{\"accessTime\":%lld,\"blockSize\":%d,\"childrenNum\":0,\"fileId\":%ld,\"group\":\"supergroup\","
		 "\"length\":%lld,\"modificationTime\":%lld,\"owner\":\"etl\",\"pathSuffix\":\"%s\",\"permission\":"
		 "\"%o\",\"replication\":%d,\"storagePolicy\":0,\"type\":\"%s\"}",
		 ms, dir ? 0 : 134217728, (long)st->st_ino, dir ? 0LL : (long long)st->st_size, ms, suffix,
		 st->st_mode & 0777, dir ? 0 : 3, dir ? "DIRECTORY" : "FILE");
}

static int mkdirs(const char *p)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", p);
	for (char *s = buf + strlen(g.root) + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			struct stat st;
			if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
				return -1;
			*s = c;
			if (!c)
				return 0;
		}
	}
}

static int rm_rf(const char *p)
{
	struct stat st;
	if (lstat(p, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(p);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char c[4096];
			snprintf(c, sizeof c, "%s/%s", p, de->d_name);
			rm_rf(c);
		}
		if (d)
			closedir(d);
		return rmdir(p);
	}
	return unlink(p);
}

static int dir_empty(const char *p)
{
	DIR *d = opendir(p);
	struct dirent *de;
	int empty = 1;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	if (d)
		closedir(d);
	return empty;
}

static void redirect(const httpd_req *r, httpd_resp *w, const char *op)
{
	/* op, user.name, namenoderpcaddress, then the rest as given */
	const char *user = httpd_param(r, "user.name");
	char loc[8192];
	int n = snprintf(loc, sizeof loc, "http://127.0.0.1:%d/webhdfs/v1%s?op=%s%s%s&namenoderpcaddress=127.0.0.1:8020",
			 g.dn_port, r->path + strlen("/webhdfs/v1"), op, user ? "&user.name=" : "", user ? user : "");
	for (size_t i = 0; i < r->nparams && n < (int)sizeof loc - 256; i++) {
		if (!strcasecmp(r->params[i].name, "op") || !strcmp(r->params[i].name, "user.name"))
			continue;
		n += snprintf(loc + n, sizeof loc - (size_t)n, "&%s=%s", r->params[i].name, r->params[i].value);
	}
	if (httpd_param(r, "noredirect") && !strcmp(httpd_param(r, "noredirect"), "true")) {
		httpd_resp_printf(w, "application/json", "{\"Location\":\"%s\"}", loc);
		return;
	}
	w->status = 307;
	httpd_resp_header(w, "Location", "%s", loc);
	httpd_resp_header(w, "Content-Type", "application/octet-stream");
}

static void namenode(const httpd_req *r, httpd_resp *w, const char *op, const char *hpath, const char *lp)
{
	struct stat st;
	int exists = stat(lp, &st) == 0;
	if (!strcmp(op, "GETFILESTATUS")) {
		if (!exists)
			return not_found(w, "File does not exist: %s", hpath);
		char js[2048];
		file_status_json(js, sizeof js, "", &st);
		httpd_resp_printf(w, "application/json", "{\"FileStatus\":%s}", js);
	} else if (!strcmp(op, "LISTSTATUS")) {
		if (!exists)
			return not_found(w, "File %s does not exist.", hpath);
		size_t cap = 65536, n = 0;
		char *b = malloc(cap);
		n += (size_t)sprintf(b, "{\"FileStatuses\":{\"FileStatus\":[");
		if (S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int cnt = scandir(lp, &names, NULL, alphasort);
			for (int i = 0; i < cnt; i++) {
				char c[8192], js[2048];
				struct stat cs;
				snprintf(c, sizeof c, "%s/%s", lp, names[i]->d_name);
				if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..") && stat(c, &cs) == 0) {
					file_status_json(js, sizeof js, names[i]->d_name, &cs);
					if (n + strlen(js) + 8 > cap)
						b = realloc(b, cap *= 2);
					n += (size_t)sprintf(b + n, "%s%s", b[n - 1] == '[' ? "" : ",", js);
				}
				free(names[i]);
			}
			free(names);
		} else {
			char js[2048];
			file_status_json(js, sizeof js, "", &st);
			n += (size_t)sprintf(b + n, "%s", js);
		}
		n += (size_t)sprintf(b + n, "]}}");
		httpd_resp_body_take(w, "application/json", b, n);
	} else if (!strcmp(op, "MKDIRS")) {
		if (exists && !S_ISDIR(st.st_mode))
			return rex(w, 403, "FileAlreadyExistsException",
				   "org.apache.hadoop.fs.FileAlreadyExistsException", "Path is not a directory: %s", hpath);
		if (mkdirs(lp) < 0)
			return rex(w, 403, "ParentNotDirectoryException",
				   "org.apache.hadoop.fs.ParentNotDirectoryException", "cannot create %s", hpath);
		boolean(w, 1);
	} else if (!strcmp(op, "DELETE")) {
		if (strcmp(r->method, "DELETE"))
			return rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
				   "Invalid HTTP method for op DELETE%s", "");
		if (!exists)
			return boolean(w, 0);
		const char *rec = httpd_param(r, "recursive");
		if (S_ISDIR(st.st_mode) && !dir_empty(lp) && !(rec && !strcmp(rec, "true")))
			return rex(w, 403, "PathIsNotEmptyDirectoryException",
				   "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException", "%s is non empty", hpath);
		boolean(w, rm_rf(lp) == 0);
	} else if (!strcmp(op, "RENAME")) {
		const char *dst = httpd_param(r, "destination");
		char ld[4096];
		if (!dst || dst[0] != '/' || local_of(dst, ld, sizeof ld) < 0)
			return rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
				   "Invalid value for webhdfs parameter \\\"destination\\\": %s", dst ? dst : "");
		struct stat ds;
		if (!exists)
			return boolean(w, 0);
		if (stat(ld, &ds) == 0) {
			if (!S_ISDIR(ds.st_mode))
				return boolean(w, 0);
			/* into an existing directory, as HDFS does */
			const char *base = strrchr(lp, '/');
			char into[8192];
			snprintf(into, sizeof into, "%s%s", ld, base);
			return boolean(w, rename(lp, into) == 0);
		}
		char parent[4096];
		snprintf(parent, sizeof parent, "%s", ld);
		char *sl = strrchr(parent, '/');
		if (sl)
			*sl = 0;
		struct stat ps;
		if (stat(parent, &ps) < 0 || !S_ISDIR(ps.st_mode))
			return boolean(w, 0);
		boolean(w, rename(lp, ld) == 0);
	} else if (!strcmp(op, "CREATE")) {
		if (strcmp(r->method, "PUT"))
			return rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
				   "Invalid HTTP method for op CREATE%s", "");
		redirect(r, w, op);	/* existence is checked on the DataNode */
	} else if (!strcmp(op, "APPEND")) {
		if (strcmp(r->method, "POST"))
			return rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
				   "Invalid HTTP method for op APPEND%s", "");
		if (!exists)
			return not_found(w, "File does not exist: %s", hpath);
		redirect(r, w, op);
	} else if (!strcmp(op, "OPEN")) {
		if (!exists)
			return not_found(w, "File does not exist: %s", hpath);
		const char *off = httpd_param(r, "offset");
		if (off && st.st_size > 0 && strtoll(off, NULL, 10) >= st.st_size) {
			char m[256];
			snprintf(m, sizeof m, "Offset=%s out of the range [0, %lld); OPEN, path=%s", off,
				 (long long)st.st_size, hpath);
			return rex(w, 403, "IOException", "java.io.IOException", "%s", m);
		}
		redirect(r, w, op);
	} else {
		rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
		    "Invalid value for webhdfs parameter \\\"op\\\": No enum constant %s", op);
	}
}

static void datanode(const httpd_req *r, httpd_resp *w, const char *op, const char *hpath, const char *lp)
{
	struct stat st;
	int exists = stat(lp, &st) == 0;
	httpd_resp_header(w, "Connection", "close");
	w->close = 1;
	if (!strcmp(op, "CREATE")) {
		const char *ow = httpd_param(r, "overwrite");
		if (exists && S_ISDIR(st.st_mode))
			return rex(w, 403, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException",
				   "%s already exists as a directory", hpath);
		if (exists && !(ow && !strcmp(ow, "true")))
			return rex(w, 403, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException",
				   "%s for client 127.0.0.1 already exists", hpath);
		char parent[4096];
		snprintf(parent, sizeof parent, "%s", lp);
		char *sl = strrchr(parent, '/');
		if (sl)
			*sl = 0;
		if (mkdirs(parent) < 0)
			return rex(w, 403, "ParentNotDirectoryException", "org.apache.hadoop.fs.ParentNotDirectoryException",
				   "cannot create parent of %s", hpath);
		FILE *f = fopen(lp, "wb");
		if (!f || fwrite(r->body, 1, r->body_len, f) != r->body_len || fclose(f) != 0)
			return rex(w, 500, "IOException", "java.io.IOException", "write failed: %s", hpath);
		w->status = 201;
		httpd_resp_header(w, "Location", "hdfs://127.0.0.1:8020%s", hpath);
	} else if (!strcmp(op, "APPEND")) {
		if (!exists)
			return not_found(w, "File does not exist: %s", hpath);
		FILE *f = fopen(lp, "ab");
		if (!f || fwrite(r->body, 1, r->body_len, f) != r->body_len || fclose(f) != 0)
			return rex(w, 500, "IOException", "java.io.IOException", "append failed: %s", hpath);
	} else if (!strcmp(op, "OPEN")) {
		if (!exists)
			return not_found(w, "File does not exist: %s", hpath);
		long long off = httpd_param(r, "offset") ? strtoll(httpd_param(r, "offset"), NULL, 10) : 0;
		long long len = httpd_param(r, "length") ? strtoll(httpd_param(r, "length"), NULL, 10) : -1;
		if (off > st.st_size)
			off = st.st_size;
		if (len < 0 || off + len > st.st_size)
			len = st.st_size - off;
		char *b = malloc((size_t)len + 1);
		FILE *f = fopen(lp, "rb");
		if (!b || !f || fseek(f, off, SEEK_SET) < 0 || fread(b, 1, (size_t)len, f) != (size_t)len) {
			free(b);
			if (f)
				fclose(f);
			return rex(w, 500, "IOException", "java.io.IOException", "read failed: %s", hpath);
		}
		fclose(f);
		httpd_resp_body_take(w, "application/octet-stream", b, (size_t)len);
	} else {
		rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
		    "Invalid operation on the DataNode: %s", op);
	}
}

static void handle(const httpd_req *r, httpd_resp *w, void *ud)
{
	(void)ud;
	int dn = r->local_port == g.dn_port;
	if (!strncmp(r->path, "/control", 8)) {
		if (!strcmp(r->path, "/control/stats")) {
			char b[4096];
			int n = 0;
			for (int p = 0; p < 2; p++)
				for (int i = 0; i < 9; i++)
					n += snprintf(b + n, sizeof b - (size_t)n, "%s %s %ld\n", p ? "dn" : "nn", ops[i],
						      g.counts[p][i]);
			httpd_resp_body(w, "text/plain", b, (size_t)n);
			return;
		}
		if (httpd_param(r, "fail"))
			g.fail = atoi(httpd_param(r, "fail"));
		if (httpd_param(r, "drop"))
			g.drop = atoi(httpd_param(r, "drop"));
		if (httpd_param(r, "delay_ms")) {
			g.delay_ms = atoi(httpd_param(r, "delay_ms"));
			g.delay_count = httpd_param(r, "delay_count") ? atoi(httpd_param(r, "delay_count")) : -1;
		}
		httpd_resp_printf(w, "text/plain", "fail=%d drop=%d delay_ms=%d\n", g.fail, g.drop, g.delay_ms);
		return;
	}
	if (g.delay_ms > 0 && g.delay_count != 0) {
		if (g.delay_count > 0)
			g.delay_count--;
		struct timespec ts = { g.delay_ms / 1000, (g.delay_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (g.drop > 0) {
		g.drop--;
		w->drop = 1;
		return;
	}
	if (g.fail > 0) {
		g.fail--;
		return rex(w, 500, "RuntimeException", "java.lang.RuntimeException", "injected failure%s", "");
	}
	if (strncmp(r->path, "/webhdfs/v1/", 12) && strcmp(r->path, "/webhdfs/v1"))
		return rex(w, 404, "FileNotFoundException", "java.io.FileNotFoundException", "no such resource: %s",
			   r->path);
	const char *op = httpd_param(r, "op");
	if (!op)
		return rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException",
			   "Invalid value for webhdfs parameter \\\"op\\\": missing%s", "");
	char OP[32];
	snprintf(OP, sizeof OP, "%s", op);
	for (char *c = OP; *c; c++)
		*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	int idx = 8;
	for (int i = 0; i < 8; i++)
		if (!strcmp(OP, ops[i]))
			idx = i;
	g.counts[dn][idx]++;
	if (g.require_user && !httpd_param(r, "user.name"))
		return rex(w, 401, "SecurityException", "java.lang.SecurityException",
			   "Authentication required (no user.name)%s", "");
	const char *hpath = r->path + strlen("/webhdfs/v1");
	if (!*hpath)
		hpath = "/";
	char lp[4096];
	if (local_of(hpath, lp, sizeof lp) < 0)
		return rex(w, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException", "bad path %s", hpath);
	if (dn)
		datanode(r, w, OP, hpath, lp);
	else
		namenode(r, w, OP, hpath, lp);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "root", required_argument, 0, 'r' },	   { "port", required_argument, 0, 'p' },
		{ "port-file", required_argument, 0, 'f' }, { "dn-port", required_argument, 0, 'P' },
		{ "dn-port-file", required_argument, 0, 'F' }, { "fail", required_argument, 0, 'x' },
		{ "drop", required_argument, 0, 'd' },	   { "delay-ms", required_argument, 0, 'D' },
		{ "require-user", no_argument, 0, 'u' },   { 0, 0, 0, 0 },
	};
	int port = 0, dn_port = 0, opt;
	const char *pf = NULL, *dpf = NULL, *root = NULL;
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (opt) {
		case 'r': root = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'f': pf = optarg; break;
		case 'P': dn_port = atoi(optarg); break;
		case 'F': dpf = optarg; break;
		case 'x': g.fail = atoi(optarg); break;
		case 'd': g.drop = atoi(optarg); break;
		case 'D': g.delay_ms = atoi(optarg); break;
		case 'u': g.require_user = 1; break;
		default:
			fprintf(stderr, "usage: webhdfs-testserver --root DIR [--port N] [--port-file F] [--dn-port N] "
					"[--dn-port-file F] [--fail N] [--drop N] [--delay-ms M] [--require-user]\n");
			return 2;
		}
	}
	if (!root || !realpath(root, g.root)) {
		fprintf(stderr, "webhdfs-testserver: --root must name an existing directory\n");
		return 2;
	}
	httpd *s = httpd_new(handle, NULL);
	/* the DataNode port first, so the NameNode's port file means "ready" */
	g.dn_port = httpd_listen(s, dn_port, dpf);
	if (g.dn_port < 0)
		return 1;
	g.nn_port = httpd_listen(s, port, pf);
	if (g.nn_port < 0)
		return 1;
	fprintf(stderr, "webhdfs-testserver: namenode 127.0.0.1:%d datanode 127.0.0.1:%d root %s\n", g.nn_port,
		g.dn_port, g.root);
	httpd_run(s);
	httpd_free(s);
	return 0;
}
