# weblib.sh: helpers for the tests of schedweb's web UI (sourced after
# testlib.sh and schedlib.sh).
#   web_user NAME ROLE   a user with a random password (web_pass NAME prints it)
#   start_schedweb [ARGS] schedweb on a free loopback port ($WEB_PORT), once it answers
#   web_playwright       playwright-core in $PW_DIR ($ROOT/$BUILD/web-test), from the
#                        npm registry on first use: a test-only folder, never shipped
PW_VERSION=1.65.2
PW_DIR=$ROOT/${BUILD:-build}/web-test
web_user() {
	head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/.pass-$1"
	"$BIN/schedweb" --state "$STATE" users add "$1" --role "$2" --password-stdin <"$WORK/.pass-$1" ||
		fail "schedweb users add $1"
}
web_pass() { cat "$WORK/.pass-$1"; }
web_up() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WEB_PORT/login")" = 200 ]; }
start_schedweb() {
	WEB_PORT=$(free_port) || fail "no free port"
	"$BIN/schedweb" --state "$STATE" --listen "127.0.0.1:$WEB_PORT" "$@" >>"$WORK/schedweb.log" 2>&1 &
	WEB_PID=$!
	on_exit "kill $WEB_PID; wait $WEB_PID"
	wait_for 30 web_up || fail "schedweb did not answer: $(tail -5 "$WORK/schedweb.log")"
}
web_playwright() {
	command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed (apt-get install nodejs npm)"
	[ -x /usr/bin/chromium ] || fail "chromium is needed (make deps)"
	if [ "$(cat "$PW_DIR/node_modules/playwright-core/package.json" 2>/dev/null |
		sed -n 's/^ *"version": "\(.*\)",$/\1/p')" != "$PW_VERSION" ]; then
		mkdir -p "$PW_DIR"
		# a lock: two tests (or the bench) installing at once
		flock "$PW_DIR" npm install --prefix "$PW_DIR" --no-save --no-audit --no-fund \
			--ignore-scripts "playwright-core@$PW_VERSION" >"$WORK/npm.log" 2>&1 ||
			fail "npm install playwright-core: $(tail -5 "$WORK/npm.log")"
	fi
}
