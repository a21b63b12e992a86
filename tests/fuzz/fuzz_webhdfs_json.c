/* fuzz_webhdfs_json.c: the JSON of WebHDFS answers (jobs/common/storage_webhdfs.c).
 *
 * Its reader (json_key, json_string, json_number, json_bool) is static and
 * reached only through HTTP requests, so this harness includes the .c file
 * (the archive's copy of storage_webhdfs.o is then not linked) and reads the
 * input, NUL-terminated as http.c hands a body over, the way each operation
 * does: GETFILESTATUS (type, length, modificationTime), LISTSTATUS (the
 * FileStatus objects, loop as in webhdfs_list), MKDIRS/RENAME/DELETE
 * ({"boolean": ...}), CREATE/APPEND's Location, and a RemoteException
 * (http_error). No oracle on values: memory safety and bounds only (reading
 * this code for the harness found json_key taking a value equal to a key's
 * name for the key: tests/integration/storage_backends.sh, directory "type"). */
#include "jobs/common/storage_webhdfs.c"

#include <stdint.h>

static void list_like_webhdfs(const char *body, size_t len)
{
	const char *end = body + len;
	const char *arr = json_key(body, end, "FileStatus");
	for (const char *p = arr ? memchr(arr, '{', (size_t)(end - arr)) : NULL; p;
	     p = memchr(p, '{', (size_t)(end - p))) {
		const char *oe = memchr(p, '}', (size_t)(end - p));
		if (!oe)
			break;
		char name[1024] = "", type[32] = "";
		long long l = 0;
		json_string(p, oe, "pathSuffix", name, sizeof name);
		json_string(p, oe, "type", type, sizeof type);
		json_number(p, oe, "length", &l);
		if (strlen(name) >= sizeof name || strlen(type) >= sizeof type)
			abort();
		p = oe + 1;
	}
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
