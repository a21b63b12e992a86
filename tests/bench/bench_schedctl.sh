#!/bin/bash
# bench_schedctl.sh: `schedctl status`, `grid`, `runs`, `dags` and `events` on
# a state file holding 10,000 runs of one DAG (50,000 task instances, 210,000
# events: four per task instance and two per run, as the daemon writes them),
# against the same calls on a state file of 10 runs (the baseline: process
# start, opening the store, the DAG record). Target: under 50 ms per call on
# the big file. Then `events --last 0` (the whole log) over 1,000 and 10,000
# runs: 10x the history must cost about 10x (linear), not 100x.
# Prints figures and ratios; never fails on speed.
set -u
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$root/$BUILD/bin
work=$(mktemp -d /tmp/bench-schedctl.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/etl.yaml" <<'YAML'
dag: etl
schedule: "@daily"
start_date: 2000-01-01
tasks:
  - id: extract
    command: [echo, x]
  - id: clean
    depends_on: extract
    command: [echo, x]
  - id: transform
    depends_on: clean
    command: [echo, x]
  - id: load
    depends_on: transform
    command: [echo, x]
  - id: report
    depends_on: load
    command: [echo, x]
YAML

# make_state FILE NRUNS: runs one day apart from 2000-01-01, 5 task instances each.
make_state() {
	"$root/$BUILD/tests/sched_mkstate" "$1" "$work/etl.yaml" || exit 1
	sqlite3 "$1" "
	WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $2)
	INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key,
			 created_us, started_us, ended_us)
	SELECT 'etl', 'scheduled__' || date(946684800 + i * 86400, 'unixepoch') || 'T00:00:00+00:00',
	       946684800 + i * 86400, 946684800 + (i + 1) * 86400, 'scheduled',
	       CASE WHEN i % 17 = 0 THEN 'failed' ELSE 'success' END, 946684800 + i * 86400,
	       (946684800 + (i + 1) * 86400) * 1000000, (946684800 + (i + 1) * 86400) * 1000000,
	       (946684800 + (i + 1) * 86400 + 60) * 1000000 FROM n;
	INSERT INTO task_instances(run, task_id, state, try_number, max_tries, started_us, ended_us,
				   exit_code, result)
	SELECT r.id, t.value, CASE WHEN r.state = 'failed' AND t.value = 'load' THEN 'failed'
	       ELSE 'success' END, 1, 1, r.started_us, r.ended_us, 0, '{\"records\":1000}'
	FROM runs r, json_each('[\"extract\",\"clean\",\"transform\",\"load\",\"report\"]') t;
	INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
	SELECT r.created_us, 'etl', r.id, NULL, NULL, NULL, 'queued', 'schedule' FROM runs r;
	INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
	SELECT t.started_us + s.k, 'etl', t.run, t.task_id, CASE WHEN s.k > 0 THEN 1 END, s.o,
	       CASE WHEN s.n = 'end' THEN t.state ELSE s.n END,
	       CASE WHEN s.n = 'end' THEN 'exit code ' || CASE WHEN t.state = 'failed' THEN 3 ELSE 0 END
		    ELSE s.c END
	FROM task_instances t, (SELECT 0 k, 'none' o, 'scheduled' n, 'dependencies met' c
		UNION ALL SELECT 1, 'scheduled', 'queued', 'slot available'
		UNION ALL SELECT 2, 'queued', 'running', 'process started'
		UNION ALL SELECT 3, 'running', 'end', NULL) s ORDER BY t.run, s.k;
	INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
	SELECT r.ended_us, 'etl', r.id, NULL, NULL, 'running', r.state, 'all leaves done' FROM runs r;"
}

# per_call_ms STATE ARGS...: mean wall time of one call in ms (hyperfine if
# present), over $CALLS calls (default 50).
per_call_ms() {
	local state=$1; shift
	if command -v hyperfine >/dev/null; then
		hyperfine -N -w 3 -r "${CALLS:-50}" --export-json "$work/h.json" \
			"$BIN/schedctl --state $state $*" >/dev/null 2>&1
		sqlite3 :memory: "SELECT printf('%.2f', json_extract(readfile('$work/h.json'),
			'\$.results[0].mean') * 1000)"
		return
	fi
	local n=${CALLS:-50} t0 t1
	for _ in 1 2 3; do "$BIN/schedctl" --state "$state" "$@" >/dev/null 2>&1; done
	t0=$(date +%s%N)
	for _ in $(seq $n); do "$BIN/schedctl" --state "$state" "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / n / 1000 ))" | awk '{ printf "%.2f", $1 / 1000 }'
}

make_state "$work/small.db" 10
make_state "$work/mid.db" 1000
make_state "$work/big.db" 10000
echo "bench_schedctl: $(sqlite3 "$work/big.db" 'SELECT count(*) FROM runs') runs," \
	"$(sqlite3 "$work/big.db" 'SELECT count(*) FROM task_instances') task instances," \
	"$(sqlite3 "$work/big.db" 'SELECT count(*) FROM events') events; target 50 ms per call"
for q in "EXPLAIN QUERY PLAN SELECT id FROM runs WHERE dag_id='etl' ORDER BY logical_date DESC LIMIT 10" \
	 "EXPLAIN QUERY PLAN SELECT task_id, state FROM task_instances WHERE run=5" \
	 "EXPLAIN QUERY PLAN SELECT cause FROM events e WHERE e.run=5 AND e.task_id='load' ORDER BY e.id DESC LIMIT 1"; do
	echo "  plan: $(sqlite3 "$work/big.db" "$q" | tr '\n' ' ')"
done
echo "  process start alone (schedctl --help): $(per_call_ms "$work/small.db" --help) ms"
for cmd in "status etl" "status etl --date 2000-01-05" "grid etl" "grid etl --last 30" "runs etl" "dags" \
	"events etl" "events etl --date 2000-01-05" "events --task load --last 5"; do
	small=$(per_call_ms "$work/small.db" $cmd)
	big=$(per_call_ms "$work/big.db" $cmd)
	ratio=$(awk -v a="$big" -v b="$small" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	verdict=$(awk -v a="$big" 'BEGIN { print (a < 50 ? "under" : "OVER") }')
	printf '  schedctl %-28s 10 runs %7s ms   10,000 runs %7s ms   ratio %5s   %s 50 ms\n' \
		"$cmd" "$small" "$big" "$ratio" "$verdict"
	echo "BENCH|schedctl $cmd (10,000 runs)|$big ms|$small ms (10 runs)|$ratio|< 50 ms"
done

# The whole event log, printed: linear in the history (10x the runs, 10x the
# events), so the ratio should be near 10 (a quadratic read would give 100).
for fmt in "" "--json"; do
	mid=$(CALLS=5 per_call_ms "$work/mid.db" events etl --last 0 $fmt)
	big=$(CALLS=5 per_call_ms "$work/big.db" events etl --last 0 $fmt)
	ratio=$(awk -v a="$big" -v b="$mid" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '  schedctl events etl --last 0 %-6s 1,000 runs %8s ms   10,000 runs %8s ms   ratio %5s (linear: ~10)\n' \
		"$fmt" "$mid" "$big" "$ratio"
	echo "BENCH|schedctl events etl --last 0 $fmt (10x history: 10,000 vs 1,000 runs)|$big ms|$mid ms (1,000 runs)|$ratio|~10 (linear)"
done
