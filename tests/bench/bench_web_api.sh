#!/bin/bash
# bench_web_api.sh: the REST API's latency on a big state file, as a client
# sees it (curl over one keep-alive connection, its time_total per request):
#   - GET .../dagRuns/{id}/taskInstances of a run of a 200-task DAG;
#   - GET /dags/etl/dagRuns?limit=25 (newest first and oldest first) with
#     10,000 runs of etl in the store, against the same page with 100 runs
#     (the baseline: a page must cost the same whatever the history).
# p50 and p99 of N requests each (default 400) after 20 warm-up ones; target
# p99 under 20 ms. schedweb runs alone (no daemon: the state file is made by
# sched_mkstate and sqlite3). Prints figures; never fails on speed.
set -u
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$root/$BUILD/bin
N=${BENCH_WEB_N:-400}
work=$(mktemp -d /tmp/bench-web-api.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
. "$root/tests/tools/testlib.sh"
trap cleanup EXIT

{
	echo "dag: wide"
	echo "tasks:"
	echo "  - {id: t0, command: [echo, x]}"
	for i in $(seq 1 199); do echo "  - {id: t$i, depends_on: t$(( (i - 1) / 2 )), command: [echo, x]}"; done
} >"$work/wide.yaml"
cat >"$work/etl.yaml" <<'YAML'
dag: etl
schedule: "@daily"
start_date: 2000-01-01
tasks:
  - {id: extract, command: [echo, x]}
  - {id: load, depends_on: extract, command: [echo, x]}
YAML

# make_state FILE NRUNS: NRUNS runs of etl one day apart, one run of wide with
# its 200 task instances (each with a try and two events).
make_state() {
	"$root/$BUILD/tests/sched_mkstate" "$1" "$work/wide.yaml" "$work/etl.yaml" >/dev/null || exit 1
	sqlite3 "$1" "
	WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $2)
	INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key,
			 created_us, started_us, ended_us)
	SELECT 'etl', 'scheduled__' || date(946684800 + i * 86400, 'unixepoch') || 'T00:00:00+00:00',
	       946684800 + i * 86400, 946684800 + (i + 1) * 86400, 'scheduled',
	       CASE WHEN i % 17 = 0 THEN 'failed' ELSE 'success' END, 946684800 + i * 86400,
	       (946684800 + (i + 1) * 86400) * 1000000, (946684800 + (i + 1) * 86400) * 1000000,
	       (946684800 + (i + 1) * 86400 + 60) * 1000000 FROM n;
	INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key, created_us,
			 started_us, ended_us)
	VALUES('wide', 'manual__w', 1772582400, 1772582400, 'manual', 'success', 0, 1, 2, 3);
	INSERT INTO task_instances(run, task_id, state, try_number, max_tries, started_us, ended_us, exit_code)
	SELECT r.id, t.value ->> 'id', 'success', 1, 1, 1772582400000000, 1772582401000000, 0
	FROM runs r, dags d, json_each(d.tasks) t WHERE r.run_id='manual__w' AND d.dag_id='wide';
	INSERT INTO tries(run, task_id, try_number, state, started_us, ended_us, exit_code, log_path, cause)
	SELECT run, task_id, 1, 'success', started_us, ended_us, 0, '/nonexistent/' || task_id || '.log',
	       'exit code 0' FROM task_instances;
	INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
	SELECT started_us, 'wide', run, task_id, 1, 'queued', 'running', 'process started' FROM task_instances;
	INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
	SELECT ended_us, 'wide', run, task_id, 1, 'running', 'success', 'exit code 0' FROM task_instances;
	" || exit 1
	printf 'bench-secret\n' | "$BIN/schedweb" --state "$1" users add bench --role viewer --password-stdin \
		>/dev/null || exit 1
}

# serve STATE: starts schedweb on it; sets URL.
serve() {
	local port
	port=$(free_port) || exit 1
	"$BIN/schedweb" --state "$1" --listen "127.0.0.1:$port" --threads 2 2>>"$work/web.log" &
	pids+=($!)
	URL="http://127.0.0.1:$port/api/v1"
	wait_for 30 curl -sf "$URL/health" || { echo "schedweb did not start"; tail -3 "$work/web.log"; exit 1; }
}

# lat NAME PATH: N timed requests on one keep-alive connection; prints
# "p50 p99" in ms and keeps the figures in $work/NAME.
lat() {
	local name=$1 path=$2 args=() i
	for i in $(seq 1 20); do args+=(-o /dev/null "$URL$path"); done
	curl -s -u bench:bench-secret "${args[@]}" || exit 1
	args=()
	for i in $(seq 1 "$N"); do args+=(-o /dev/null "$URL$path"); done
	curl -s -u bench:bench-secret -w '%{http_code} %{time_total}\n' "${args[@]}" >"$work/$name" || exit 1
	if grep -qv '^200 ' "$work/$name"; then
		echo "$name: a request failed: $(grep -v '^200 ' "$work/$name" | head -1)"; exit 1
	fi
	awk '{print $2 * 1000}' "$work/$name" | sort -n | awk -v n="$N" '
		{ v[NR] = $1 }
		END { p50 = v[int(n * 0.50)]; p99 = v[int(n * 0.99)]; printf "%.2f %.2f\n", p50, p99 }'
}

make_state "$work/big.db" 10000
make_state "$work/small.db" 100
serve "$work/big.db"
read -r ti50 ti99 < <(lat tis "/dags/wide/dagRuns/manual__w/taskInstances?limit=100&offset=100")
read -r ti50f ti99f < <(lat tis_one "/dags/wide/dagRuns/manual__w/taskInstances/t150")
read -r big50 big99 < <(lat big "/dags/etl/dagRuns?limit=25&order_by=-execution_date")
read -r bigo50 bigo99 < <(lat bigo "/dags/etl/dagRuns?limit=25&offset=5000")
serve "$work/small.db"
read -r sm50 sm99 < <(lat small "/dags/etl/dagRuns?limit=25&order_by=-execution_date")
[ -n "$sm99" ] || exit 1
echo "taskInstances of a 200-task run (page of 100): p50 $ti50 ms, p99 $ti99 ms"
echo "one task instance of it: p50 $ti50f ms, p99 $ti99f ms"
echo "dagRuns?limit=25 newest first, 10,000 runs: p50 $big50 ms, p99 $big99 ms; 100 runs: p50 $sm50 ms, p99 $sm99 ms"
echo "dagRuns?limit=25&offset=5000, 10,000 runs: p50 $bigo50 ms, p99 $bigo99 ms"
ratio=$(awk -v a="$big99" -v b="$sm99" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "BENCH|web_api taskInstances 200-task run p50|$ti50 ms|-|-|-"
echo "BENCH|web_api taskInstances 200-task run p99|$ti99 ms|-|-|< 20 ms"
echo "BENCH|web_api dagRuns limit=25 of 10000 p50|$big50 ms|$sm50 ms (100 runs)|-|-"
echo "BENCH|web_api dagRuns limit=25 of 10000 p99|$big99 ms|$sm99 ms (100 runs)|$ratio|< 20 ms, ratio ~1"
echo "BENCH|web_api dagRuns limit=25 offset=5000 of 10000 p99|$bigo99 ms|-|-|< 20 ms"
