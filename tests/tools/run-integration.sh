#!/bin/bash
# run-integration.sh: runs every tests/integration/*.sh against $BUILD/bin, each
# in its own scratch directory with a time limit; prints one line per test and
# the log of any that failed. ONLY=pattern runs a subset. A test fails if a
# sanitizer reported anything: reports go to files in its scratch directory
# (log_path), and its *.log, *.err and *.out files are searched as well.
set -u
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
export BIN="$root/$BUILD/bin" ROOT="$root"
asan=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
ubsan=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0; n=0; start=$(date +%s)
for t in "$root"/tests/integration/*.sh; do
	name=$(basename "$t" .sh)
	[ -n "${ONLY:-}" ] && [[ "$name" != *$ONLY* ]] && continue
	n=$((n + 1))
	work=$(mktemp -d "/tmp/it-$name.XXXXXX")
	# A test may ask for a longer limit than 300 s with a line "# timeout: N"
	# (the fault test's rounds grow with the daemon's SQLite calls);
	# TEST_TIMEOUT overrides every limit.
	limit=$(sed -n 's/^# timeout: \([0-9][0-9]*\)$/\1/p' "$t" | head -n 1)
	t0=$(date +%s%N)
	# Sanitizer reports go to $work/sanitizer.<pid>, whatever a test does
	# with the programs' stderr.
	( cd "$work" && WORK="$work" ASAN_OPTIONS="$asan:log_path=$work/sanitizer" \
		UBSAN_OPTIONS="$ubsan:log_path=$work/sanitizer" \
		timeout -k 5 "${TEST_TIMEOUT:-${limit:-300}}" bash "$t" ) >"$work/test.log" 2>&1
	rc=$?
	# A program the sanitizers stopped fails its test even where the test
	# went on without it (a daemon restarted, a job retried).
	# (A report file holding only LeakSanitizer's "Unable to get registers
	# from thread N", written when a thread was exiting as the process ended,
	# is no finding: only files with an ERROR or a runtime error count.)
	san=$( { grep -lE 'ERROR: |runtime error:|SUMMARY: ' "$work"/sanitizer.* 2>/dev/null; grep -rIlE --include='*.log' --include='*.err' \
		--include='*.out' 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$work" 2>/dev/null; } |
		grep -v "^$work/test.log$" | head -3)
	if [ -n "$san" ]; then
		{ echo "sanitizer report in: $san"; head -n 40 $san; } >>"$work/test.log"
		[ $rc = 0 ] && rc=99
	fi
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ $rc = 0 ]; then
		printf 'ok    integration %-28s %4d.%03ds\n' "$name" $((ms / 1000)) $((ms % 1000))
		rm -rf "$work"
	else
		printf 'FAIL  integration %-28s (exit %s, kept %s)\n' "$name" "$rc" "$work"
		tail -n 60 "$work/test.log" | sed 's/^/      /'
		failed=$((failed + 1))
	fi
done
echo "integration: $n tests, $failed failed, $(( $(date +%s) - start ))s"
[ $failed = 0 ]
