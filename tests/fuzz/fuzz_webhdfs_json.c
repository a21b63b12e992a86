/* fuzz_webhdfs_json.c: the JSON of WebHDFS answers (jobs/common/storage_webhdfs.c).
 *
 * Its reader (json_key, json_string, json_number, json_bool) is static and
 * reached only through HTTP requests, so this harness includes the .c file
 * (the archive's copy of storage_webhdfs.o is then not linked) and reads the
 * input, NUL-terminated as http.c hands a body over, the way each operation
 * does: GETFILESTATUS (type, length, modificationTime), LISTSTATUS (the
 * FileStatus objects, through webhdfs_parse_list as webhdfs_list does), MKDIRS/RENAME/DELETE
 * ({"boolean": ...}), CREATE/APPEND's Location, and a RemoteException
 * (http_error). No oracle on values: memory safety and bounds only (reading
 * this code for the harness found json_key taking a value equal to a key's
 * name for the key: tests/integration/storage_backends.sh, directory "type"). */
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
			if (!v[i].name || !v[i].name[0] || strlen(v[i].name) >= 1024)
				abort();
	storage_list_free(v, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = malloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';
	const char *end = body + size;

	char type[32] = "", loc[2048] = "";
	long long len = 0, mt = 0;
	json_string(body, end, "type", type, sizeof type);
	json_number(body, end, "length", &len);
	json_number(body, end, "modificationTime", &mt);
	int b = 0;
	json_bool(body, size, &b);
	json_string(body, end, "Location", loc, sizeof loc);
	list_like_webhdfs(body, size);

	http_response r = { .status = 404, .body = body, .body_len = size };
	job_err e;
	http_error(&e, "GETFILESTATUS", "/x", &r);
	char cls[16];
	remote_class(&r, cls, sizeof cls);
	free(body);
	return 0;
}
