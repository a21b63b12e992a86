#!/bin/bash
# bench_rollup.sh: rollup status-day on one loaded status day (100 cars,
# ~2.2 million lines, loggen + spool-loader) against the same GROUP BY by
# sqlite3 (import + query) and, when its npm package can be installed, by
# DuckDB (@duckdb/node-api, read_csv over the same part files; query time
# measured inside node, without node's start-up) in the same run; then
# status-month over 31 day rollups. Prints seconds and ratios; never fails on
# speed. BENCH_CARS overrides the car count; BENCH_DUCKDB=0 skips DuckDB;
# DUCKDB_NODE_DIR names a directory whose node_modules holds @duckdb/node-api
# (default build/bench-duckdb, installed there with npm when missing).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$root/${BUILD:-build}/bin}
cars=${BENCH_CARS:-100}
D=20160101
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-rollup.XXXXXX")
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
timeit() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1 || { echo fail; return; }; t1=$(now); echo "$t1 - $t0" | bc -l; }
best() { local b=999999 d; for _ in 1 2 3; do d=$(timeit "$@"); [ "$d" = fail ] && { echo fail; return; }; b=$(echo "if ($d < $b) $d else $b" | bc -l); done; echo "$b"; }
mkdir -p "$work/spool"
"$BIN/loggen" status --date $D --cars "$cars" --seed 1 --out "$work/spool" --garbage-ratio 0.001 >/dev/null 2>&1 &&
	"$BIN/spool-loader" --spool "$work/spool" --dest "$work/raw" --wrk-date $D --settle 0 >/dev/null 2>&1 ||
	{ echo "bench_rollup: loggen/spool-loader failed"; exit 1; }
part=$work/raw/wrk_date=$D
cat "$part"/car-batch-log.*.log > /dev/null	# warm the page cache for everyone
mb=$(echo "$(cat "$part"/car-batch-log.*.log | wc -c) / 1048576" | bc -l)
lines=$(cat "$part"/car-batch-log.*.log | wc -l)

t_roll=$(best "$BIN/rollup" status-day --src "$work/raw" --dest "$work/out" --date $D)

sq() {
	rm -f "$work/db.sqlite"
	{
		echo "CREATE TABLE s (reg TEXT, car TEXT, tfl INTEGER, tfr INTEGER, tbl INTEGER, tbr INTEGER, lfl INTEGER, lfr INTEGER, lbl INTEGER, lbr INTEGER, engine TEXT, brake TEXT, bat INTEGER, wrk_date TEXT);"
		echo ".mode csv"
		for f in "$part"/car-batch-log.*.log; do echo ".import '$f' s"; done
		echo ".mode list"
		echo "SELECT car, count(*), sum(tfl), sum(tfr), sum(tbl), sum(tbr), min(min(tfl,tfr,tbl,tbr)), sum(lfl=2 OR lfr=2 OR lbl=2 OR lbr=2), sum(engine='C'), sum(brake='C'), sum(bat), min(bat) FROM s GROUP BY car ORDER BY car;"
	} | sqlite3 "$work/db.sqlite" > "$work/sqlite.out"
}
t_sq=$(timeit sq)

t_duck=skipped; duck_note=""
if [ "${BENCH_DUCKDB:-1}" != 0 ]; then
	ddir=${DUCKDB_NODE_DIR:-$root/${BUILD:-build}/bench-duckdb}
	if [ ! -d "$ddir/node_modules/@duckdb/node-api" ] && command -v npm >/dev/null; then
		mkdir -p "$ddir" && timeout 180 npm install --prefix "$ddir" --no-audit --no-fund @duckdb/node-api >"$work/npm.log" 2>&1
	fi
	if [ -d "$ddir/node_modules/@duckdb/node-api" ] && command -v node >/dev/null; then
		cat > "$ddir/q.mjs" <<-'JS'
		import { DuckDBInstance } from '@duckdb/node-api';
		const t0 = process.hrtime.bigint();
		const db = await DuckDBInstance.create(':memory:');
		const c = await db.connect();
		const r = await c.runAndReadAll(`SELECT car, count(*), sum(tfl), sum(tfr), sum(tbl), sum(tbr),
		  min(least(tfl,tfr,tbl,tbr)), sum(CASE WHEN lfl=2 OR lfr=2 OR lbl=2 OR lbr=2 THEN 1 ELSE 0 END),
		  sum(CASE WHEN engine='C' THEN 1 ELSE 0 END), sum(CASE WHEN brake='C' THEN 1 ELSE 0 END), sum(bat), min(bat)
		FROM read_csv('${process.argv[2]}', header=false, delim=',', columns={'reg':'VARCHAR','car':'VARCHAR',
		  'tfl':'INTEGER','tfr':'INTEGER','tbl':'INTEGER','tbr':'INTEGER','lfl':'INTEGER','lfr':'INTEGER',
		  'lbl':'INTEGER','lbr':'INTEGER','engine':'VARCHAR','brake':'VARCHAR','bat':'INTEGER','wrk_date':'VARCHAR'},
		  ignore_errors=true) GROUP BY car ORDER BY car`);
		const rows = r.getRows();
		console.log(`${rows.length} ${Number(process.hrtime.bigint() - t0) / 1e9}`);
		JS
		b=999999
		for _ in 1 2 3; do
			out=$(node "$ddir/q.mjs" "$part/car-batch-log.*.log" 2>/dev/null) || { b=fail; break; }
			d=${out#* }
			b=$(echo "if ($d < $b) $d else $b" | bc -l)
		done
		[ "$b" = fail ] && duck_note="(node/duckdb failed)" || t_duck=$b
	else
		duck_note="(@duckdb/node-api not installable here)"
	fi
fi

# status-month over 31 day rollups: the day's output copied to every day of January
for d in $(seq -w 1 31); do
	[ "201601$d" = $D ] || cp -r "$work/out/day/wrk_date=$D" "$work/out/day/wrk_date=201601$d"
done
t_month=$(best "$BIN/rollup" status-month --dest "$work/out" --month 201601)
t_week=$(best "$BIN/rollup" status-week --dest "$work/out" --week 2016-W02)

printf 'status day: %d cars, %d lines, %.1f MB\n' "$cars" "$lines" "$mb"
printf '%-44s %10s %8s\n' "" "seconds" "MB/s"
printf '%-44s %10.3f %8.1f\n' "rollup status-day (best of 3, fsync'd)" "$t_roll" "$(echo "$mb / $t_roll" | bc -l)"
[ "$t_sq" != fail ] && printf '%-44s %10.3f %8.1f\n' "sqlite3 import + GROUP BY" "$t_sq" "$(echo "$mb / $t_sq" | bc -l)"
if [ "$t_duck" != skipped ]; then
	printf '%-44s %10.3f %8.1f\n' "DuckDB read_csv + GROUP BY (best of 3)" "$t_duck" "$(echo "$mb / $t_duck" | bc -l)"
else
	echo "DuckDB: skipped $duck_note"
fi
[ "$t_sq" != fail ] && printf 'sqlite3 time / rollup time: %.1f\n' "$(echo "$t_sq / $t_roll" | bc -l)"
[ "$t_duck" != skipped ] && printf 'DuckDB time / rollup time:  %.1f (target >= 3)\n' "$(echo "$t_duck / $t_roll" | bc -l)"
printf 'rollup status-month from 31 day rollups: %.1f ms (target < 50)\n' "$(echo "$t_month * 1000" | bc -l)"
printf 'rollup status-week from 7 day rollups:   %.1f ms\n' "$(echo "$t_week * 1000" | bc -l)"

# One line per figure for tests/bench/run.sh's table.
echo "BENCH|rollup status-day, 100 cars|$(printf '%.3f' "$t_roll") s|sqlite3 ${t_sq} s|$( [ "$t_sq" != fail ] && printf '%.1f' "$(echo "$t_sq / $t_roll" | bc -l)" || echo -)|faster than DuckDB"
[ "$t_duck" != skipped ] && echo "BENCH|rollup status-day vs DuckDB|$(printf '%.3f' "$t_roll") s|DuckDB $(printf '%.3f' "$t_duck") s|$(printf '%.1f' "$(echo "$t_duck / $t_roll" | bc -l)")|>= 3x faster"
echo "BENCH|rollup status-month from 31 days|$(printf '%.1f' "$(echo "$t_month * 1000" | bc -l)") ms|-|-|< 50 ms"
