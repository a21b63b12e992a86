#!/bin/bash
# bench_spool_loader.sh: spool-loader of one status day (100 cars, ~100 MB)
# to a local destination, against `cat file > dest` and
# `grep -E '^[0-9]{14}' file > dest` on the same disk in the same run. Prints
# MB/s and ratios; never fails on speed. BENCH_CARS overrides the car count.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$root/${BUILD:-build}/bin}
cars=${BENCH_CARS:-100}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-spool.XXXXXX")
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
mkdir -p "$work/src" "$work/spool" "$work/dest"
"$BIN/loggen" status --date 20160101 --cars "$cars" --seed 1 --out "$work/src" --garbage-ratio 0.001 >/dev/null 2>&1 \
	|| { echo "bench_spool_loader: loggen failed"; exit 1; }
f=$work/src/SmartCarStatusInfo_20160101.txt
cat "$f" > /dev/null	# warm the page cache for all three
mb=$(echo "$(stat -c %s "$f") / 1048576" | bc -l)
timeit() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); echo "$t1 - $t0" | bc -l; }
loader() {
	rm -rf "$work/dest"/* "$work/spool"/*; ln "$f" "$work/spool/day.txt"
	"$BIN/spool-loader" --spool "$work/spool" --dest "$work/dest" --wrk-date 20160101 --settle 0 --done rename
}
catc() { cat "$f" > "$work/cat.out"; sync -d "$work/cat.out" 2>/dev/null || true; }
grepc() { grep -aE '^[0-9]{14}' "$f" > "$work/grep.out"; sync -d "$work/grep.out" 2>/dev/null || true; }
best() { local b=999999 d; for _ in 1 2 3; do d=$(timeit "$@"); b=$(echo "if ($d < $b) $d else $b" | bc -l); done; echo "$b"; }
tl=$(best loader); tc=$(best catc); tg=$(best grepc)
printf '%-34s %10s %10s %8s\n' "one status day ($cars cars)" "MB" "seconds" "MB/s"
for row in "spool-loader (fsync'd):$tl" "cat file > dest:$tc" "grep -aE '^[0-9]{14}' > dest:$tg"; do
	name=${row%:*}; t=${row##*:}
	printf '%-34s %10.1f %10.3f %8.1f\n' "$name" "$mb" "$t" "$(echo "$mb / $t" | bc -l)"
done
printf 'spool-loader time / cat time:  %.2f (target <= 1.5)\n' "$(echo "$tl / $tc" | bc -l)"
printf 'spool-loader time / grep time: %.2f (target < 1)\n' "$(echo "$tl / $tg" | bc -l)"
printf 'BENCH|spool-loader time / cat time, %s cars|%.1f MB/s|%.1f MB/s (cat)|%.2f|<= 1.5\n' "$cars" \
	"$(echo "$mb / $tl" | bc -l)" "$(echo "$mb / $tc" | bc -l)" "$(echo "$tl / $tc" | bc -l)"
printf 'BENCH|spool-loader time / grep time, %s cars|%.1f MB/s|%.1f MB/s (grep -E)|%.2f|< 1\n' "$cars" \
	"$(echo "$mb / $tl" | bc -l)" "$(echo "$mb / $tg" | bc -l)" "$(echo "$tl / $tg" | bc -l)"
