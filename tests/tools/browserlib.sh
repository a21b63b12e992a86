# browserlib.sh: the web UI's browser tests and bench (sourced after testlib.sh):
#   web_playwright   playwright-core $PW_VERSION in $PW_DIR ($ROOT/$BUILD/web-test),
#                    installed from the npm registry on first use: a test-only
#                    folder, never shipped, never a run-time dependency. It drives
#                    Debian's /usr/bin/chromium and downloads no browser
#                    (--ignore-scripts: no install script runs).
PW_VERSION=1.65.2
PW_DIR=$ROOT/${BUILD:-build}/web-test
PW=$PW_DIR/node_modules/playwright-core
web_playwright() {
	command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed (make deps)"
	[ -x /usr/bin/chromium ] || fail "chromium is needed (make deps)"
	if [ "$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' "$PW/package.json" 2>/dev/null)" != "$PW_VERSION" ]; then
		mkdir -p "$PW_DIR"
		# flock: two tests (or a test and the bench) installing at once
		flock "$PW_DIR" npm install --prefix "$PW_DIR" --no-save --no-audit --no-fund \
			--ignore-scripts "playwright-core@$PW_VERSION" >"$WORK/npm.log" 2>&1 ||
			fail "npm install playwright-core: $(tail -5 "$WORK/npm.log")"
	fi
}
