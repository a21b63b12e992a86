/* uri_redact.h: the one way a URI is written to a log, an error message or a
 * terminal: with its secrets replaced by "***".
 *
 * What is a secret here:
 *   - the userinfo's password: scheme://USER:PASSWORD@host -> USER:***@host;
 *     a userinfo without ':' may be a bare token (redis://TOKEN@host), so all
 *     of it is replaced by "***";
 *   - the value of a query parameter whose name contains "pass", "pwd",
 *     "secret", "token", "credential" or "delegation" (any case).
 * Anything else (scheme, host, port, path, other parameters) is kept, so the
 * message still names what was wrong. A string without "://" is a path or a
 * scheme without an authority (sqlite:PATH) and is kept as it is, except for
 * its query parameters.
 *
 * Every place that logs a URI given by a user calls this first; code that
 * parses a URI keeps the original. */
#ifndef BASE_URI_REDACT_H
#define BASE_URI_REDACT_H

#include <stddef.h>

/* Room for the URIs the project logs; longer ones are cut and end in "...". */
#define URI_REDACT_MAX 1024

/* Writes the redacted uri (NULL -> "") into out[n] (n >= 4), always
 * NUL-terminated; returns out, so it can be an argument of printf. */
const char *uri_redact(const char *uri, char *out, size_t n);

/* Whether a query parameter named name[len] holds a secret (see above). */
int uri_secret_param(const char *name, size_t len);

/* Whether uri has a userinfo part (scheme://USERINFO@host). */
int uri_has_userinfo(const char *uri);

#endif
