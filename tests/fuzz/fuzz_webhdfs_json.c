/* fuzz_webhdfs_json.c: the JSON of WebHDFS answers (jobs/common/storage_webhdfs.c).
 *
 * Its readers (wh_load, wh_find, wh_string, wh_number, wh_bool, over jansson)
 * are static and reached only through HTTP requests, so this harness includes
 * the .c file (the archive's copy of storage_webhdfs.o is then not linked)
 * and reads the input, NUL-terminated as http.c hands a body over, the way
 * each operation does: GETFILESTATUS (type, length, modificationTime),
 * LISTSTATUS (the FileStatus objects, through webhdfs_parse_list as
 * webhdfs_list does), MKDIRS/RENAME/DELETE ({"boolean": ...}), CREATE/APPEND's
 * Location, and a RemoteException (http_error). No oracle on values: memory
 * safety and bounds only. */
#include "jobs/common/storage_webhdfs.c"

#include <stdint.h>

/* LISTSTATUS as webhdfs_list reads it: every entry named, within bounds. */
static void list_like_webhdfs(const char *body, size_t len)
{
	storage_entry *v = NULL;
	size_t n = 0;
	job_err e;
	if (webhdfs_parse_list(body, len, &v, &n, &e) == 0)
		for (size_t i = 0; i < n; i++)
			if (!v[i].name || !v[i].name[0])
				abort();
	storage_list_free(v, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = malloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';

	char type[32] = "", loc[2048] = "";
	long long len = 0, mt = 0;
	json_t *doc = wh_load(body, size);
	wh_string(doc, "type", type, sizeof type);
	wh_number(doc, "length", &len);
	wh_number(doc, "modificationTime", &mt);
	wh_string(doc, "Location", loc, sizeof loc);
	json_decref(doc);
	int b = 0;
	wh_bool(body, size, &b);
	list_like_webhdfs(body, size);

	http_response r = { .status = 404, .body = body, .body_len = size };
	job_err e;
	http_error(&e, "GETFILESTATUS", "/x", &r);
	char cls[16];
	remote_class(&r, cls, sizeof cls);
	free(body);
	return 0;
}
