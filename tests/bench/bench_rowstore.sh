#!/bin/bash
# bench_rowstore.sh: records/s of batch puts into the row store, 8 cells per
# record (a driver-log record as kafka2hbase stores it), through `rowctl import`
# (batches of 1000 rows: one transaction for sqlite:, one multi-row PUT for
# hbase://). Targets: >= 100,000 records/s into sqlite:, >= 50,000 rows/s into
# the HBase REST test server. Baseline, same run: the sqlite3 shell's .import
# of the same lines into a plain 9-column table (raw SQLite speed on this
# machine). Prints figures and ratios; never fails on speed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
BIN="$ROOT/$BUILD/bin"
TS="$ROOT/$BUILD/tests/hbase-rest-testserver"
N=${BENCH_ROWS:-100000}
W=$(mktemp -d /tmp/bench-rowstore.XXXXXX)
trap 'kill $srv 2>/dev/null; rm -rf "$W"' EXIT
srv=

# N driver records: reversed-time row key + the 8 fields
awk -v n="$N" 'BEGIN { srand(7); for (i = 0; i < n; i++) {
	t = 20160103010000 + int(i / 100) * 2; car = sprintf("Z%04d", i % 100);
	s = sprintf("%.0f", t); d = ""; for (k = length(s); k > 0; k--) d = d substr(s, k, 1);
	printf "%s-%s,%s,%s,%d,%d,F,N,%d,%c%02d\n", d, car, s, car, i % 6, i % 4, 40 + i % 150,
		65 + i % 6, 1 + i % 10 } }' >"$W/records.csv"
COLS=HBASE_ROW_KEY,cf1:date,cf1:car_number,cf1:speed_pedal,cf1:break_pedal,cf1:steer_angle,cf1:direct_light,cf1:speed,cf1:area_number

rate() { # rate COMMAND...: runs it, prints rows/s from its JSON line
	"$@" --json | tail -n1 | sed -n 's/.*"rows_per_s":\([0-9]*\).*/\1/p'
}

t0=$(date +%s%N)
sqlite3 "$W/base.db" "PRAGMA journal_mode=WAL;" "CREATE TABLE r(k,a,b,c,d,e,f,g,h);" \
	".mode csv" ".import $W/records.csv r" >/dev/null
base=$(( N * 1000000000 / ($(date +%s%N) - t0) ))

"$BIN/rowctl" --store "sqlite:$W/rows.db" create DriverCarInfo cf1 >/dev/null
sq_full=$(rate "$BIN/rowctl" --store "sqlite:$W/rows.db" import DriverCarInfo "$W/records.csv" --columns "$COLS" --ts 1451782800000)
"$BIN/rowctl" --store "sqlite:$W/rows2.db?sync=normal" create DriverCarInfo cf1 >/dev/null
sq_normal=$(rate "$BIN/rowctl" --store "sqlite:$W/rows2.db?sync=normal" import DriverCarInfo "$W/records.csv" --columns "$COLS" --ts 1451782800000)
# a replay of the same records (idempotent overwrite of every cell)
sq_replay=$(rate "$BIN/rowctl" --store "sqlite:$W/rows.db" import DriverCarInfo "$W/records.csv" --columns "$COLS" --ts 1451782800000)

"$TS" --port-file "$W/port" 2>/dev/null & srv=$!
for _ in $(seq 100); do [ -s "$W/port" ] && break; sleep 0.05; done
H="hbase://127.0.0.1:$(cat "$W/port")"
"$BIN/rowctl" --store "$H" create DriverCarInfo cf1 >/dev/null
hb=$(rate "$BIN/rowctl" --store "$H" import DriverCarInfo "$W/records.csv" --columns "$COLS" --ts 1451782800000)
t0=$(date +%s%N)
cnt=$("$BIN/rowctl" --store "$H" count DriverCarInfo --json | sed -n 's/.*"rows":\([0-9]*\).*/\1/p')
scan_rate=$(( cnt * 1000000000 / ($(date +%s%N) - t0) ))

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
echo "bench_rowstore: $N records x 8 cells, batches of 1000 rows"
printf '  %-44s %9s records/s\n' "baseline: sqlite3 .import (plain table)" "$base"
printf '  %-44s %9s records/s  (x%s of baseline, target 100000)\n' "sqlite: (sync=full, default)" "$sq_full" "$(ratio "$sq_full" "$base")"
printf '  %-44s %9s records/s  (x%s of baseline)\n' "sqlite: (sync=normal)" "$sq_normal" "$(ratio "$sq_normal" "$base")"
printf '  %-44s %9s records/s  (x%s of baseline)\n' "sqlite: replay of the same records" "$sq_replay" "$(ratio "$sq_replay" "$base")"
printf '  %-44s %9s rows/s     (x%s of baseline, target 50000)\n' "hbase:// REST test server, multi-row PUT" "$hb" "$(ratio "$hb" "$base")"
printf '  %-44s %9s rows/s     (%s rows counted)\n' "hbase:// count through a scanner" "$scan_rate" "$cnt"
b="$base rec/s (sqlite3 .import)"
echo "BENCH|rowctl import -> sqlite: ($N rec x 8 cells)|$sq_full rec/s|$b|$(ratio "$sq_full" "$base")|>= 100000 rec/s"
echo "BENCH|rowctl import -> sqlite:?sync=normal|$sq_normal rec/s|$b|$(ratio "$sq_normal" "$base")|-"
echo "BENCH|rowctl import -> sqlite: replay|$sq_replay rec/s|$b|$(ratio "$sq_replay" "$base")|-"
echo "BENCH|rowctl import -> hbase:// test server|$hb rows/s|$b|$(ratio "$hb" "$base")|>= 50000 rows/s"
echo "BENCH|rowctl count hbase:// (scanner)|$scan_rate rows/s|-|-|-"
