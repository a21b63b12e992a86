/* t2k_line.h: what tail2kafka does with one complete line: keep it or not
 * (a POSIX extended regex, default ^[0-9]{14}, the original's ^\d{14}) and
 * which comma-separated field is its message key. */
#ifndef T2K_LINE_H
#define T2K_LINE_H

#include <regex.h>
#include <stddef.h>

#define T2K_DEFAULT_PATTERN "^[0-9]{14}"

struct t2k_filter {
	regex_t re;
	int digits;	/* > 0: the pattern is ^[0-9]{digits}, matched without regexec */
};

/* \d in the pattern is accepted as [0-9] (the Flume original's spelling).
 * 0, or -1 with the regcomp message in err. */
int t2k_filter_init(struct t2k_filter *f, const char *pattern, char *err, size_t errsz);
void t2k_filter_free(struct t2k_filter *f);
/* line[0..len) without its newline; line[len] must be writable (it is restored). */
int t2k_filter_match(const struct t2k_filter *f, char *line, size_t len);
/* Field number field (1-based) of a comma-separated line: sets *start and
 * *flen and returns 0, or -1 when the line has fewer fields. */
int t2k_key_field(const char *line, size_t len, int field, const char **start, size_t *flen);

#endif
