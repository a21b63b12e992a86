#!/bin/bash
# compare.sh: why schedweb is on libmicrohttpd, measured (docs/schedweb.md,
# "Why libmicrohttpd"). Builds the same one-answer server on libmicrohttpd
# (mhd_hello.c) and on civetweb (cw_hello.c), 4 workers each as schedweb's
# default, then for each: 50 keep-alive clients for 10 s (webload, the
# benches' load client), and whether a new client is served while 8
# clients each send a request a byte a second. Not part of `make bench`: it
# needs libcivetweb-dev, which the project does not depend on
# (apt-get install libcivetweb-dev), and webload ($WEBLOAD, else
# $BUILD/tests/webload from make test-programs).
# usage: tests/bench/httpd_choice/compare.sh   (from the repository root)
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
LOAD=${WEBLOAD:-$ROOT/${BUILD:-build}/tests/webload}
[ -x "$LOAD" ] || { echo "compare.sh: build webload first (make test-programs)" >&2; exit 2; }
[ -f /usr/include/civetweb.h ] || { echo "compare.sh: apt-get install libcivetweb-dev" >&2; exit 2; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cc -O2 -o "$T/mhd_hello" "$ROOT/tests/bench/httpd_choice/mhd_hello.c" -lmicrohttpd || exit 1
cc -O2 -o "$T/cw_hello" "$ROOT/tests/bench/httpd_choice/cw_hello.c" -lcivetweb || exit 1
. "$ROOT/tests/tools/testlib.sh"
slow() { # a request a byte a second, until the server closes or it is killed
	trap '' PIPE
	exec 3<>"/dev/tcp/127.0.0.1/$1" || return
	local r=$'GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
	for ((i = 0; i < ${#r}; i++)); do printf '%s' "${r:i:1}" >&3 2>/dev/null || return; sleep 1; done
}
for srv in mhd_hello cw_hello; do
	port=$(free_port) || exit 1
	"$T/$srv" "$port" 4 & pid=$!
	wait_for 10 curl -sf -m 2 "http://127.0.0.1:$port/x" || { echo "$srv did not start"; kill $pid; exit 1; }
	echo "$srv: 50 keep-alive clients, 10 s: $("$LOAD" --url "http://127.0.0.1:$port/x" --connections 50 --duration 10)"
	pids=()
	for i in $(seq 1 8); do slow "$port" & pids+=($!); done
	sleep 3	# the slow clients are connected; only then the new client
	echo "$srv: a new client beside 8 slow ones: $(curl -s -m 5 -o /dev/null -w '%{http_code} in %{time_total} s' "http://127.0.0.1:$port/x")"
	kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
	kill $pid; wait $pid 2>/dev/null
done
