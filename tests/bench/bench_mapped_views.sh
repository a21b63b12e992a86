#!/bin/bash
# bench_mapped_views.sh: what reading a mapped task costs the views (issue 21).
# Two state files of 25 runs, the rows written as the daemon writes them:
#   mapped: a DAG list -> load (expand:) -> report, each run with load's own
#           row and N (2,000) instances load[0..N-1];
#   static: the same fan-out written as N tasks t0..t(N-1) (the baseline:
#           the same number of task instance rows, each a grid row).
# Figures, mean per call: `schedctl grid --last 25` (mapped: one row per
# mapped task; static: N rows), `grid --mapped` (every instance a row, as the
# static grid), `status` (all N rows in DAG order), and schedweb's
# `GET /ui/grid?limit=25` and the REST API's listMapped page at offset N-100
# against the run's taskInstances page at the same offset. Target: the mapped
# views cost no more than the static ones (ratio <= 1.2); the views must not
# grow quadratically with N (the grid's row lookups, the DAG-order sort).
# Prints figures and BENCH lines; never fails on speed.
set -u
BUILD=${BUILD:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$root/$BUILD/bin
N=${ELEMENTS:-2000}
RUNS=25
work=$(mktemp -d /tmp/bench-mapped-views.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

cat >"$work/mapped.yaml" <<YAML
dag: mv
schedule: "@daily"
start_date: 2000-01-01
tasks:
  - id: list
    command: [echo, '{"parts": []}']
  - id: load
    depends_on: list
    expand: {over: "{{ ti.list.result.parts }}", max_length: $N}
    command: [echo, "{{ item }}"]
  - id: report
    depends_on: load
    command: [echo, done]
YAML
{
	printf 'dag: mv\nschedule: "@daily"\nstart_date: 2000-01-01\ntasks:\n  - id: list\n    command: [echo, x]\n'
	for i in $(seq 0 $((N - 1))); do printf '  - {id: t%d, depends_on: list, command: [echo, x]}\n' "$i"; done
	printf '  - id: report\n    depends_on: [%s]\n    command: [echo, done]\n' "$(seq -s, -f 't%g' 0 $((N - 1)))"
} >"$work/static.yaml"

# make_state FILE YAML KIND: RUNS runs, each with list, report and N rows
# of load[i] (mapped, with load's own row) or t<i> (static).
make_state() {
	mkdir -p "$work/$3" && cp "$2" "$work/$3/mv.yaml"
	"$root/$BUILD/tests/sched_mkstate" "$1" "$work/$3/mv.yaml" || exit 1
	sqlite3 "$1" "
	WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $RUNS)
	INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key,
			 created_us, started_us, ended_us)
	SELECT 'mv', 'scheduled__' || date(946684800 + i * 86400, 'unixepoch') || 'T00:00:00+00:00',
	       946684800 + i * 86400, 946684800 + (i + 1) * 86400, 'scheduled', 'success',
	       946684800 + i * 86400, 1, 1000000, 2000000 FROM n;
	WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < $N)
	INSERT INTO task_instances(run, task_id, state, try_number, max_tries, started_us, ended_us, exit_code)
	SELECT r.id, CASE WHEN '$3' = 'mapped' THEN 'load[' || k.i || ']' ELSE 't' || k.i END,
	       'success', 1, 1, 1000000, 1500000, 0 FROM runs r, k;
	INSERT INTO task_instances(run, task_id, state, try_number, max_tries)
	SELECT r.id, t.value, 'success', CASE WHEN t.value = 'load' THEN 0 ELSE 1 END, 1
	FROM runs r, json_each(CASE WHEN '$3' = 'mapped' THEN '[\"list\",\"load\",\"report\"]'
				    ELSE '[\"list\",\"report\"]' END) t;
	INSERT INTO tries(run, task_id, try_number, state, started_us, ended_us, exit_code)
	SELECT run, task_id, 1, state, started_us, ended_us, 0 FROM task_instances WHERE try_number = 1;"
}

mean_ms() {	# mean_ms CALLS CMD...: mean wall time of one call in ms
	local n=$1 t0 t1; shift
	"$@" >/dev/null 2>&1
	t0=$(date +%s%N)
	for _ in $(seq "$n"); do "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	awk -v d=$((t1 - t0)) -v n="$n" 'BEGIN { printf "%.2f", d / n / 1e6 }'
}
figure() {	# figure NAME OURS BASELINE
	local ratio
	ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	printf '  %-58s mapped %9s ms   static %9s ms   ratio %s\n' "$1" "$2" "$3" "$ratio"
	echo "BENCH|$1 ($RUNS runs x $N instances)|$2 ms|$3 ms (the same fan-out as $N static tasks)|$ratio|<= 1.2"
}

make_state "$work/mapped.db" "$work/mapped.yaml" mapped
make_state "$work/static.db" "$work/static.yaml" static
[ -n "${KEEP:-}" ] && echo "kept $work"
echo "bench_mapped_views: $RUNS runs of $N mapped instances: $(sqlite3 "$work/mapped.db" 'SELECT count(*) FROM task_instances') task instance rows (static: $(sqlite3 "$work/static.db" 'SELECT count(*) FROM task_instances'))"

sc() { "$BIN/schedctl" --state "$@"; }
C=${CALLS:-10}
figure "schedctl grid --last 25" "$(mean_ms "$C" sc "$work/mapped.db" grid mv --last 25)" \
	"$(mean_ms "$C" sc "$work/static.db" grid mv --last 25)"
figure "schedctl grid --last 25 --mapped (static: plain grid)" "$(mean_ms "$C" sc "$work/mapped.db" grid mv --last 25 --mapped)" \
	"$(mean_ms "$C" sc "$work/static.db" grid mv --last 25)"
figure "schedctl status" "$(mean_ms "$C" sc "$work/mapped.db" status mv)" "$(mean_ms "$C" sc "$work/static.db" status mv)"
figure "schedctl status --json" "$(mean_ms "$C" sc "$work/mapped.db" status mv --json)" \
	"$(mean_ms "$C" sc "$work/static.db" status mv --json)"
echo "  grid rows: mapped $(sc "$work/mapped.db" grid mv --last 25 | grep -c '^[a-z ]') (one per task), --mapped $(sc "$work/mapped.db" grid mv --last 25 --mapped | grep -c '^[a-z ]'), static $(sc "$work/static.db" grid mv --last 25 | grep -c '^[a-z ]')"

# schedweb on each state file
web() {	# web STATE: starts schedweb on a free port, sets URL
	printf 'bench-secret\n' | "$BIN/schedweb" --state "$1" users add bench --role viewer --password-stdin >/dev/null || exit 1
	local port
	for _ in $(seq 50); do
		port=$((10000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
	done
	"$BIN/schedweb" --state "$1" --listen "127.0.0.1:$port" 2>>"$work/schedweb.err" &
	URL=http://127.0.0.1:$port
	for _ in $(seq 200); do curl -sf "$URL/api/v1/health" >/dev/null && return 0; sleep 0.05; done
	echo "schedweb did not start: $(tail -3 "$work/schedweb.err")"; exit 1
}
get() { curl -sf -u bench:bench-secret -o /dev/null "$URL$1"; }
run=scheduled__2000-01-25T00%3A00%3A00%2B00%3A00
web "$work/mapped.db"; m_grid=$(mean_ms "$C" get "/ui/grid?dag_id=mv&limit=25")
m_page=$(mean_ms "$C" get "/api/v1/dags/mv/dagRuns/$run/taskInstances/load/listMapped?limit=100&offset=$((N - 100))")
m_list=$(mean_ms "$C" get "/api/v1/dags/mv/dagRuns/$run/taskInstances?limit=100&offset=$((N - 100))")
kill %% 2>/dev/null
web "$work/static.db"; s_grid=$(mean_ms "$C" get "/ui/grid?dag_id=mv&limit=25")
s_list=$(mean_ms "$C" get "/api/v1/dags/mv/dagRuns/$run/taskInstances?limit=100&offset=$((N - 100))")
figure "GET /ui/grid?limit=25" "$m_grid" "$s_grid"
figure "GET .../taskInstances/load/listMapped (a page of 100)" "$m_page" "$s_list"
figure "GET .../taskInstances (a page of 100)" "$m_list" "$s_list"
