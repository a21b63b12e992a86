#!/bin/bash
# run.sh: runs every tests/bench/bench_*.sh (picked up by glob, so a new bench
# needs no change here), each with a time limit, keeps each one's output in
# $BUILD/bench/<name>.log and prints at the end one table of every figure
# (also kept in $BUILD/bench/summary.txt).
#
# The contract with a bench script: besides its human output, it prints on
# stdout one line per figure
#     BENCH|figure|ours|baseline|ratio|target
# (fields free text without '|', "-" when there is none; ours/baseline carry
# their unit, ratio is the one the script computes, target says its direction,
# e.g. ">= 0.5"). Benchmarks never fail on speed; a bench script that fails or
# times out is reported in the table and the run goes on. Exit status 0 unless
# no bench ran at all.
#
#   ONLY=substring      run only the benches whose name contains it
#   BENCH_TIMEOUT=secs  time limit of each bench (default 900)
#   BUILD=dir           the build tree holding bin/ and tests/ (default build)
set -u
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD ROOT="$root" BIN="$root/$BUILD/bin"
limit=${BENCH_TIMEOUT:-900}
logs="$root/$BUILD/bench"
mkdir -p "$logs"
rows="$logs/table.txt"
: >"$rows"
n=0; failed=0; start=$(date +%s)
for b in "$root"/tests/bench/bench_*.sh; do
	[ -e "$b" ] || continue
	name=$(basename "$b" .sh)
	[ -n "${ONLY:-}" ] && [[ "$name" != *"$ONLY"* ]] && continue
	n=$((n + 1))
	log="$logs/$name.log"
	printf 'bench %-28s ' "$name"
	t0=$(date +%s%N)
	# timeout runs the bench in its own process group and signals all of it,
	# servers started in the background included.
	( cd "$root" && timeout -k 10 "$limit" bash "$b" ) >"$log" 2>&1 </dev/null
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	figs=$(grep -c '^BENCH|' "$log")
	grep '^BENCH|' "$log" >>"$rows"
	if [ $rc = 0 ] && [ "$figs" -gt 0 ]; then
		printf 'ok     %4d.%ds  %d figures\n' $((ms / 1000)) $((ms % 1000 / 100)) "$figs"
		continue
	fi
	failed=$((failed + 1))
	case $rc in
	0) why="no BENCH lines" ;;
	124|137) why="timed out after ${limit}s" ;;
	*) why="failed (exit $rc)" ;;
	esac
	printf 'FAIL   %4d.%ds  %s, log %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$why" "$BUILD/bench/$name.log"
	tail -n 15 "$log" | sed 's/^/      /'
	echo "BENCH|$name|${why}|-|-|see $BUILD/bench/$name.log" >>"$rows"
done
if [ $n = 0 ]; then
	echo "bench: no bench script matched${ONLY:+ ONLY=$ONLY}" >&2
	exit 1
fi
echo
echo "bench: $n scripts, $failed failed, $(( $(date +%s) - start ))s; logs in $BUILD/bench/"
echo
{ echo "BENCH|figure|ours|baseline|ratio|target"; cat "$rows"; } | awk -F'|' '
	{ for (i = 2; i <= 6; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
	END {
		for (r = 1; r <= NR; r++) {
			line = ""
			for (i = 2; i <= 6; i++) line = line sprintf(i == 6 ? "%s" : "%-" w[i] "s  ", c[r, i])
			print line
			if (r == 1) { s = ""; for (i = 2; i <= 6; i++) { for (k = 0; k < w[i]; k++) s = s "-"; if (i < 6) s = s "  " } print s }
		}
	}' | tee "$logs/summary.txt"
exit 0
