/* smtp-testserver: an SMTP receiver for the alerts tests, on a free
 * loopback port, one connection at a time (the sender delivers one message
 * after the other). It speaks EHLO/HELO, AUTH PLAIN and AUTH LOGIN, MAIL,
 * RCPT, DATA, RSET, NOOP, QUIT; no STARTTLS (the test's channel says
 * starttls: false). Each message is written to DIR/NNNNNN.eml (temporary
 * name, then renamed) after three lines of its own:
 *   X-Test-Auth: <user>:<password> (or "none")
 *   X-Test-Mail-From: <address>
 *   X-Test-Rcpt-To: <address>[, ...]
 * then the message as received (dot-unstuffed, CRLF kept).
 * --require-auth USER:PASS refuses MAIL before a matching AUTH (530). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "jobs/common/base64.h"

static const char *dir, *require;
static unsigned seq;

/* Decodes base64 s into out (NULs kept, n returned; 0 for bad input) with
 * the project's one decoder (jobs/common/base64.c). */
static size_t b64dec(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	char *d = b64_decode(s, strlen(s), &n);
	if (!d)
		return 0;
	if (n > cap)
		n = cap;
	memcpy(out, d, n);
	free(d);
	return n;
}

static void reply(FILE *f, const char *s)
{
	fprintf(f, "%s\r\n", s);
	fflush(f);
}

/* A line without its CRLF; -1 at EOF. */
static int get_line(FILE *f, char *line, size_t cap)
{
	if (!fgets(line, (int)cap, f))
		return -1;
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	return (int)n;
}

static void session(int fd)
{
	FILE *in = fdopen(fd, "r"), *out = fdopen(dup(fd), "w");
	char line[8192], auth[1100] = "none", from[512] = "", rcpt[2048] = "";
	int authed = 0;
	reply(out, "220 smtp-testserver ESMTP");
	while (get_line(in, line, sizeof line) >= 0) {
		if (!strncasecmp(line, "EHLO", 4)) {
			reply(out, "250-smtp-testserver\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
		} else if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "NOOP", 4)) {
			reply(out, "250 OK");
		} else if (!strncasecmp(line, "AUTH PLAIN", 10)) {
			char raw[512], dec[512];
			if (line[10] == ' ') {
				snprintf(raw, sizeof raw, "%.500s", line + 11);
			} else {
				reply(out, "334 ");
				if (get_line(in, raw, sizeof raw) < 0)
					break;
			}
			size_t n = b64dec(raw, dec, sizeof dec - 1);
			dec[n] = 0;
			/* authzid NUL user NUL password */
			const char *user = memchr(dec, 0, n) ? dec + strlen(dec) + 1 : dec;
			const char *pass = user < dec + n ? user + strlen(user) + 1 : "";
			if (pass > dec + n)
				pass = "";
			snprintf(auth, sizeof auth, "%s:%s", user, pass);
			authed = !require || strcmp(auth, require) == 0;
			reply(out, authed ? "235 2.7.0 Authentication successful" : "535 5.7.8 Bad credentials");
		} else if (!strncasecmp(line, "AUTH LOGIN", 10)) {
			char u[512], p[512], du[256], dp[256];
			reply(out, "334 VXNlcm5hbWU6");
			if (get_line(in, u, sizeof u) < 0)
				break;
			reply(out, "334 UGFzc3dvcmQ6");
			if (get_line(in, p, sizeof p) < 0)
				break;
			du[b64dec(u, du, sizeof du - 1)] = 0;
			dp[b64dec(p, dp, sizeof dp - 1)] = 0;
			snprintf(auth, sizeof auth, "%s:%s", du, dp);
			authed = !require || strcmp(auth, require) == 0;
			reply(out, authed ? "235 2.7.0 Authentication successful" : "535 5.7.8 Bad credentials");
		} else if (!strncasecmp(line, "MAIL FROM:", 10)) {
			if (require && !authed) {
				reply(out, "530 5.7.0 Authentication required");
				continue;
			}
			snprintf(from, sizeof from, "%.500s", line + 10);
			rcpt[0] = 0;
			reply(out, "250 OK");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			size_t l = strlen(rcpt);
			snprintf(rcpt + l, sizeof rcpt - l, "%s%.500s", l ? ", " : "", line + 8);
			reply(out, "250 OK");
		} else if (!strncasecmp(line, "DATA", 4)) {
			if (!from[0] || !rcpt[0]) {
				reply(out, "503 5.5.1 MAIL and RCPT first");
				continue;
			}
			reply(out, "354 End data with <CR><LF>.<CR><LF>");
			char tmp[4200], path[4096];
			snprintf(path, sizeof path, "%s/%06u.eml", dir, ++seq);
			snprintf(tmp, sizeof tmp, "%s.tmp", path);
			FILE *f = fopen(tmp, "w");
			if (f)
				fprintf(f, "X-Test-Auth: %s\r\nX-Test-Mail-From: %s\r\nX-Test-Rcpt-To: %s\r\n", auth, from,
					rcpt);
			int done = 0;
			while (get_line(in, line, sizeof line) >= 0) {
				if (strcmp(line, ".") == 0) {
					done = 1;
					break;
				}
				if (f)
					fprintf(f, "%s\r\n", line[0] == '.' ? line + 1 : line);
			}
			if (f && (fclose(f) != 0 || rename(tmp, path) != 0))
				perror(path);
			if (!done)
				break;
			reply(out, "250 2.0.0 Queued");
			from[0] = 0;
		} else if (!strncasecmp(line, "RSET", 4)) {
			from[0] = rcpt[0] = 0;
			reply(out, "250 OK");
		} else if (!strncasecmp(line, "QUIT", 4)) {
			reply(out, "221 Bye");
			break;
		} else {
			reply(out, "502 5.5.2 Command not recognized");
		}
	}
	fclose(in);
	fclose(out);
}

int main(int argc, char **argv)
{
	const char *port_file = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--dir"))
			dir = argv[i + 1];
		else if (!strcmp(argv[i], "--port-file"))
			port_file = argv[i + 1];
		else if (!strcmp(argv[i], "--require-auth"))
			require = argv[i + 1];
		else
			dir = NULL, i = argc;
	}
	if (!dir) {
		fprintf(stderr, "usage: smtp-testserver --dir DIR [--port-file F] [--require-auth USER:PASS]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &al) < 0) {
		perror("smtp-testserver: listen");
		return 1;
	}
	if (port_file) {
		char tmp[4200];
		snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
		FILE *f = fopen(tmp, "w");
		if (!f || fprintf(f, "%d\n", ntohs(a.sin_port)) < 0 || fclose(f) != 0 || rename(tmp, port_file) != 0) {
			perror(port_file);
			return 1;
		}
	}
	fprintf(stderr, "smtp-testserver: 127.0.0.1:%d dir %s\n", ntohs(a.sin_port), dir);
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		struct timeval tv = { 30, 0 };
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		session(c);
	}
}
