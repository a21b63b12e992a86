#!/bin/bash
# bench_retention.sh: history retention (issue 16): `schedctl db clean` of
# 100,000 finished runs (500,000 task instances, as many tries, 600,000
# events) while a DAG of 200 tasks (a chain) runs on the same state file:
#   - the clean's time and its rate,
#   - the longest write-lock hold of one batch (promise: < 100 ms),
#   - the chain's exit -> dependent start latency while the clean runs, p99
#     (target < 50 ms), beside the same figure with no clean (baseline).
# The history is made by SQL in one transaction (a few seconds), its tries'
# log paths name files that do not exist (the unlink is still tried).
# Prints figures and BENCH|figure|ours|baseline|ratio|target lines.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
TBIN=$ROOT/${BUILD:-build}/tests
W=$(mktemp -d /tmp/bench-retain.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
RUNS=${RUNS:-100000}
TASKS=${TASKS:-200}
STEP=${STEP:-0.05}	# each chain task's sleep (s): the chain outlives the clean
sq() { sqlite3 -cmd ".timeout 10000" "$W/st.db" "$@"; }

mkdir -p "$W/dags"
{
	echo "dag: chain"; echo "tasks:"
	echo "  - {id: c1, command: [sleep, \"$STEP\"]}"
	for i in $(seq 2 "$TASKS"); do echo "  - {id: c$i, depends_on: [c$((i - 1))], command: [sleep, \"$STEP\"]}"; done
} > "$W/dags/chain.yaml"
"$TBIN/sched_mkstate" "$W/st.db" || exit 1

t0=$(date +%s%N)
# 5 tasks, one try each, 6 events per run; ended in 2020 (before the cut).
sq "PRAGMA journal_mode=WAL; BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $RUNS)
INSERT INTO runs(id, dag_id, run_id, logical_date, interval_end, run_type, state, sort_key, created_us, started_us, ended_us)
SELECT i, 'hist', 'scheduled__' || i, 1500000000 + i * 60, 1500000060 + i * 60, 'scheduled',
       CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'success' END, i, 1, 1, 1577836800000000 + i * 1000000 FROM n;
WITH t(k) AS (VALUES ('a'),('b'),('c'),('d'),('e'))
INSERT INTO task_instances(run, task_id, state, try_number, max_tries, started_us, ended_us, exit_code, log_path)
SELECT r.id, t.k, 'success', 1, 1, 1, 2, 0, '$W/logs/hist/' || r.id || '/' || t.k || '/try-1.log' FROM runs r, t;
INSERT INTO tries(run, task_id, try_number, state, started_us, ended_us, exit_code, log_path)
SELECT run, task_id, 1, 'success', 1, 2, 0, log_path FROM task_instances;
WITH e(k) AS (VALUES (1),(2),(3),(4),(5),(6))
INSERT INTO events(at_us, dag_id, run, new_state, cause) SELECT 1, 'hist', r.id, 'success', 'bench' FROM runs r, e;
COMMIT;" >/dev/null || exit 1
t1=$(date +%s%N)
echo "history: $(sq "select count(*) from runs") runs, $(sq "select count(*) from task_instances") task instances, $(sq "select count(*) from events") events, made in $(( (t1 - t0) / 1000000 )) ms"

"$BIN/schedulerd" --dags "$W/dags" --state "$W/st.db" --logs "$W/logs" --parallelism 4 2>"$W/daemon.log" &
D=$!
for _ in $(seq 1 400); do [ -n "$(sq "select 1 from dags where dag_id='chain'" 2>/dev/null)" ] && break; sleep 0.05; done

# chain_run LOGICAL: inserts a run (as schedctl trigger does) and rings the daemon.
chain_run() {
	sq "insert into runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key, created_us)
	    values('chain', 'manual__$1', $1, $1, 'manual', 'queued', $1, 0)"
	"$BIN/schedctl" --state "$W/st.db" unpause chain >/dev/null 2>&1	# any write rings the doorbell
}
chain_wait() {	# chain_wait LOGICAL
	while :; do
		case $(sq "select state from runs where dag_id='chain' and logical_date=$1") in success|failed) return;; esac
		sleep 0.2
	done
}
# exit -> dependent start of the chain runs in [FROM_US, TO_US], p99 (ms) and count
latency() {
	sq "select r.logical_date, substr(t.task_id, 2), t.started_us, t.ended_us from tries t join runs r on r.id=t.run
	    where r.dag_id='chain' and t.state='success'" | tr '|' ' ' | sort -k1,1n -k2,2n |
	awk -v from="$1" -v to="$2" '$1 == run && $3 >= from && $3 <= to { print ($3 - prev)/1000 } { run = $1; prev = $4 }' |
	sort -n | awk '{a[NR]=$1} END { if (NR) printf "%.2f %d", a[int(NR*0.99)+1], NR; else print "- 0" }'
}

# Baseline: one chain run with no clean.
chain_run 1000
chain_wait 1000
base=$(latency 0 99999999999999999)
base_p99=${base% *}

# The clean, with chain runs one after the other until it ends.
(
	n=2000
	while [ ! -e "$W/clean.done" ]; do chain_run $n; chain_wait $n; n=$((n + 1)); done
) &
L=$!
c0_us=$(( $(date +%s%N) / 1000 ))
"$BIN/schedctl" --state "$W/st.db" db clean --before 2021-01-01 --yes --json >"$W/clean.json" 2>"$W/clean.err" ||
	{ echo "db clean failed: $(cat "$W/clean.err")"; exit 1; }
c1_us=$(( $(date +%s%N) / 1000 ))
touch "$W/clean.done"
wait $L
kill $D; wait $D 2>/dev/null
cat "$W/clean.json"
read -r runs tis ms lock batches < <(jq -r '"\(.runs) \(.task_instances) \(.elapsed_ms) \(.longest_lock_ms) \(.batches)"' "$W/clean.json")
during=$(latency "$c0_us" "$c1_us")
p99=${during% *}; nlat=${during#* }
rate=$(awk -v r="$runs" -v ms="$ms" 'BEGIN { printf "%.0f", r / (ms / 1000) }')
left=$(sq "select count(*) from runs where dag_id='hist'")
echo "db clean: $runs runs, $tis task instances in $ms ms ($rate runs/s, $batches batches; $left left),"\
" longest lock hold $lock ms (promise < 100 ms)"
echo "chain of $TASKS tasks during the clean: exit -> dependent start p99 $p99 ms over $nlat starts"\
" (no clean: p99 $base_p99 ms; target < 50 ms)"
ratio=$(awk -v a="$p99" -v b="$base_p99" 'BEGIN { if (b > 0 && a != "-") printf "%.2fx", a / b; else print "-" }')
echo "BENCH|db clean $runs runs ($tis task instances), daemon running|$ms ms ($rate runs/s)|-|-|-"
echo "BENCH|db clean longest write-lock hold|$lock ms|-|-|< 100 ms"
echo "BENCH|exit->dependent start p99 during db clean|$p99 ms|no clean $base_p99 ms|$ratio|< 50 ms"
