#!/bin/sh
# run-unit.sh DIR TEST...: runs each cmocka unit test binary, under valgrind
# when VALGRIND=1; prints one line per test program and fails if any failed.
dir=$1; shift
failed=0; n=0
for t in "$@"; do
	n=$((n + 1))
	if [ "${VALGRIND:-0}" = 1 ]; then
		out=$(UNIT_UNDER_VALGRIND=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 --trace-children=no "$dir/$t" 2>&1)
	else
		out=$("$dir/$t" 2>&1)
	fi
	rc=$?
	if [ $rc = 0 ]; then
		printf 'ok    unit %s (%s)\n' "$t" "$(printf '%s\n' "$out" | grep -E '^\[  PASSED  \]' | tail -n1 | sed 's/\[  PASSED  \] //')"
	else
		printf 'FAIL  unit %s (exit %s)\n%s\n' "$t" "$rc" "$out"; failed=$((failed + 1))
	fi
done
echo "unit: $n programs, $failed failed"
[ $failed = 0 ]
