/* dataset.c: the syntax of a dataset URI (dataset.h). */
#include "scheduler/dataset.h"

#include <ctype.h>
#include <string.h>

const char *dataset_uri_problem(const char *uri)
{
	size_t len = strlen(uri);
	if (len == 0)
		return "empty";
	if (len > DATASET_URI_MAX)
		return "longer than 1024 bytes";
	if (!isalpha((unsigned char)uri[0]))
		return "does not start with a scheme (like hdfs: or file:)";
	size_t i = 1;
	while (isalnum((unsigned char)uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.')
		i++;
	if (uri[i] != ':')
		return "does not start with a scheme (like hdfs: or file:)";
	if (uri[i + 1] == '\0')
		return "has nothing after its scheme";
	if (strstr(uri, "{{"))
		return "contains a template ('{{'): URIs in a schedule are literal";
	for (const unsigned char *p = (const unsigned char *)uri; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return "contains a space or a control character";
	return NULL;
}
