/* fuzz_launcher_wire.c: the launcher's wire messages (executors/launcher_wire.c).
 * The input is the body of a REQ_START after its type byte, NUL-terminated as
 * launcher_proc.c hands it to launcher_decode_start. A request that decodes
 * is encoded again and must decode to the same strings (the round trip both
 * ends of the socket rely on). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "executors/launcher_wire.h"

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = malloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';
	struct exec_request r = { 0 };
	char **argv = NULL, **envp = NULL;
	uint64_t token = 0;
	if (launcher_decode_start(body, size, &token, &r, &argv, &envp) == 0) {
		if (!r.base || !r.argv || !r.argv[0] || !r.envp)
			abort();
		size_t len = 0;
		char *msg = launcher_encode_start(token, &r, &len);
		uint32_t blen;
		memcpy(&blen, msg, 4);
		if (len < 5 || blen != len - 4 || (uint8_t)msg[4] != LAUNCHER_REQ_START)
			abort();
		char *body2 = malloc(len - 4);
		memcpy(body2, msg + 5, len - 5);
		body2[len - 5] = '\0';
		struct exec_request r2 = { 0 };
		char **argv2 = NULL, **envp2 = NULL;
		uint64_t token2 = 0;
		if (launcher_decode_start(body2, len - 5, &token2, &r2, &argv2, &envp2) != 0 || token2 != token ||
		    !same(r.base, r2.base) || !same(r.cwd, r2.cwd))
			abort();
		size_t i;
		for (i = 0; r.argv[i]; i++)
			if (!same(r.argv[i], r2.argv[i]))
				abort();
		if (r2.argv[i])
			abort();
		for (i = 0; r.envp[i]; i++)
			if (!same(r.envp[i], r2.envp[i]))
				abort();
		if (r2.envp[i])
			abort();
		free(argv2);
		free(envp2);
		free(body2);
		free(msg);
	}
	free(argv);
	free(envp);
	free(body);
	return 0;
}
