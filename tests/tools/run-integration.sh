#!/bin/bash
# run-integration.sh: runs every tests/integration/*.sh against $BUILD/bin, each
# in its own scratch directory with a time limit; prints one line per test and
# the log of any that failed. ONLY=pattern runs a subset. A test whose scratch
# directory holds a sanitizer report (*.log, *.err, *.out) fails.
set -u
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
export BIN="$root/$BUILD/bin" ROOT="$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0; n=0; start=$(date +%s)
for t in "$root"/tests/integration/*.sh; do
	name=$(basename "$t" .sh)
	[ -n "${ONLY:-}" ] && [[ "$name" != *$ONLY* ]] && continue
	n=$((n + 1))
	work=$(mktemp -d "/tmp/it-$name.XXXXXX")
	t0=$(date +%s%N)
	( cd "$work" && WORK="$work" timeout -k 5 "${TEST_TIMEOUT:-300}" bash "$t" ) >"$work/test.log" 2>&1
	rc=$?
	# A program the sanitizers stopped fails its test even where the test
	# went on without it (a daemon restarted, a job retried).
	if [ $rc = 0 ] && san=$(grep -rIlE --include='*.log' --include='*.err' --include='*.out' \
		'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$work" 2>/dev/null | head -3) &&
		[ -n "$san" ]; then
		echo "sanitizer report in: $san" >>"$work/test.log"
		rc=99
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
