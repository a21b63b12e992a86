#!/bin/bash
# bench_loggen.sh: loggen status for 100 cars (one day, ~100 MB) against cat
# of the same bytes to the same disk (the ceiling). Prints MB/s and the ratio;
# never fails on speed. BENCH_CARS overrides the car count.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$root/${BUILD:-build}/bin}
cars=${BENCH_CARS:-100}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-loggen.XXXXXX")
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
best() { # best of 3 wall times of "$@"
	local b=999999 t0 t1 d
	for _ in 1 2 3; do
		t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
		d=$(echo "$t1 - $t0" | bc -l); b=$(echo "if ($d < $b) $d else $b" | bc -l)
	done
	echo "$b"
}
mkdir -p "$work/out"
gen() { rm -f "$work/out"/*; "$BIN/loggen" status --date 20160101 --cars "$cars" --seed 1 --out "$work/out"; }
catc() { rm -f "$work/copy"; cat "$work/src" > "$work/copy"; sync -d "$work/copy" 2>/dev/null || true; }
gen >/dev/null 2>&1 || { echo "bench_loggen: loggen failed"; exit 1; }
cp "$work/out/SmartCarStatusInfo_20160101.txt" "$work/src"
mb=$(echo "$(stat -c %s "$work/src") / 1048576" | bc -l)
tg=$(best gen)
tc=$(best catc)
printf '%-34s %10s %10s %8s\n' "loggen status ($cars cars)" "MB" "seconds" "MB/s"
printf '%-34s %10.1f %10.3f %8.1f\n' "loggen status" "$mb" "$tg" "$(echo "$mb / $tg" | bc -l)"
printf '%-34s %10.1f %10.3f %8.1f\n' "cat same bytes (ceiling)" "$mb" "$tc" "$(echo "$mb / $tc" | bc -l)"
printf 'ratio loggen/cat throughput: %.2f (target >= 0.5)\n' "$(echo "$tc / $tg" | bc -l)"
printf 'BENCH|loggen status, %s cars (MB/s)|%.1f MB/s|%.1f MB/s (cat)|%.2f|>= 0.5\n' "$cars" \
	"$(echo "$mb / $tg" | bc -l)" "$(echo "$mb / $tc" | bc -l)" "$(echo "$tc / $tg" | bc -l)"
