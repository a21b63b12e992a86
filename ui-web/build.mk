# ui-web/: schedweb, the scheduler on HTTP (docs/schedweb.md). server.c is the
# HTTP server (libmicrohttpd), auth.c/users.c/session.c authentication, core.c
# the server's own routes; api_*.c, metrics.c and ui.c are the handlers of
# Airflow's API, /metrics and the web UI (contract: ui-web/web.h).
#
# The program links its objects directly, not through an archive. The
# "webauth" library holds what the unit tests and the fuzz
# harnesses link (the users file, the credential parsers, URL decoding); they
# link libsodium besides the libraries every test links.
LIBRARIES += webauth
webauth_SRCS := ui-web/users.c ui-web/auth.c ui-web/urldecode.c
test_web_auth_LDLIBS += -lsodium
fuzz_web_auth_LDLIBS += -lsodium
# The REST API's parsers of client text (dates, log tokens), for their unit
# test and fuzz harness.
LIBRARIES += webapi
webapi_SRCS := ui-web/api_parse.c

PROGRAMS += schedweb
schedweb_SRCS := $(wildcard ui-web/*.c)
schedweb_LIBS := sched exec base
schedweb_LDLIBS := -lmicrohttpd -lsodium -lyaml -lsqlite3 -lm -ljansson

# Files built into the binary (ui-web/embed.h): the object that embeds them
# depends on them, since the compiler's -MMD cannot see an .incbin.
WEB_GIT_VERSION := $(shell git describe --always --dirty 2>/dev/null)
$(BUILD)/obj/ui-web/core.o: ui-web/openapi.yaml
$(BUILD)/obj/ui-web/core.o: CFLAGS += -DWEB_GIT_VERSION='"$(WEB_GIT_VERSION)"'
