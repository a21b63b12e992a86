# weblib.sh: helpers of the schedweb tests (tests/integration/web_*.sh), sourced
# after testlib.sh. schedweb serves $STATE (made with sched_mkstate unless the
# test starts schedulerd first) on a free loopback port.
#
#   web_user NAME ROLE [PASSWORD]   adds a user to $STATE's users file (a random
#                                   password when none is given; web_pass NAME prints it)
#   web_start [ARGS...]             starts schedweb (WEB_PID, WEB_URL), waits
#                                   until /api/v1/health answers; stderr goes
#                                   to $WORK/schedweb.err
#   web_stop                        stops it (TERM) and waits
#   web_code METHOD PATH [CURL ARGS...]   prints the HTTP status only
#   web_get  METHOD PATH [CURL ARGS...]   prints the body; the status in
#                                   $WORK/last.code, the headers in $WORK/last.h
STATE=${STATE:-$WORK/state.db}
web_user() {
	if [ $# -ge 3 ]; then printf '%s\n' "$3"; else head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; fi >"$WORK/.pass-$1"
	"$BIN/schedweb" --state "$STATE" users add "$1" --role "$2" --password-stdin <"$WORK/.pass-$1"
}
web_pass() { cat "$WORK/.pass-$1"; }
web_start() {
	[ -f "$STATE" ] || "$BIN/../tests/sched_mkstate" "$STATE" || fail "sched_mkstate failed"
	WEB_PORT=$(free_port) || fail "no free port"
	WEB_URL=http://127.0.0.1:$WEB_PORT
	"$BIN/schedweb" --state "$STATE" --listen "127.0.0.1:$WEB_PORT" "$@" 2>>"$WORK/schedweb.err" &
	WEB_PID=$!
	on_exit "kill $WEB_PID; wait $WEB_PID"
	wait_for 30 curl -sf "$WEB_URL/api/v1/health" ||
		fail "schedweb did not start: $(tail -n 5 "$WORK/schedweb.err")"
}
web_stop() { kill -TERM "$WEB_PID" 2>/dev/null; wait "$WEB_PID" 2>/dev/null; }
# (HEAD goes as curl -I: with -X HEAD curl waits for a body that never comes)
web_code() {
	local m=$1 p=$2; shift 2
	if [ "$m" = HEAD ]; then set -- -I "$@"; else set -- -X "$m" "$@"; fi
	curl -s -o /dev/null -w '%{http_code}' "$@" "$WEB_URL$p"
}
web_get() {
	local m=$1 p=$2; shift 2
	curl -s -D "$WORK/last.h" -o "$WORK/last.body" -w '%{http_code}' -X "$m" "$@" "$WEB_URL$p" >"$WORK/last.code"
	cat "$WORK/last.body"
}
# problem_is STATUS: the last web_get answered STATUS with an RFC 7807 document
# of that status (compact JSON as schedweb writes it: no jq needed)
problem_is() {
	assert_eq "$1" "$(cat "$WORK/last.code")" "status of $(head -c 300 "$WORK/last.body")"
	grep -qi '^content-type: application/problem+json' "$WORK/last.h" || fail "not a problem document: $(cat "$WORK/last.h")"
	grep -q "\"status\":$1[,}]" "$WORK/last.body" || fail "problem status: $(cat "$WORK/last.body")"
	grep -q '"title":"[^"]' "$WORK/last.body" || fail "problem without a title: $(cat "$WORK/last.body")"
	grep -q '"detail":"[^"]' "$WORK/last.body" || fail "problem without a detail: $(cat "$WORK/last.body")"
}
