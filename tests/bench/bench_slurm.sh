#!/bin/bash
# bench_slurm.sh: the Slurm executor's figures (issue 20), on a real
# single-node cluster (tests/tools/slurm-cluster.sh) on loopback.
#  1. 100 no-op tasks of one DAG through schedulerd and slurmrestd (at most P
#     at once) beside `sbatch --wait` of the same 100 jobs from a shell loop
#     with the same parallelism (xargs -P P); target within 1.2x. The
#     difference per task is the overhead the scheduler adds.
#  2. REST requests per second the daemon sends to slurmrestd (counted in
#     slurmrestd's own log) while 10, then 500 of its jobs are running (the
#     node has 512 CPUs from its configuration, so all 500 run at once), and
#     the daemon's CPU time over the same window; target: the same rate for
#     both (batched polling does not grow with the number of jobs).
# Prints figures and BENCH|figure|ours|baseline|ratio|target lines.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
W=$(mktemp -d /tmp/bench-slurm.XXXXXX)
C=$W/cluster
trap 'kill -9 $(jobs -p) 2>/dev/null; "$ROOT/tests/tools/slurm-cluster.sh" stop "$C"; rm -rf "$W"' EXIT
P=${PARALLELISM:-16}
N=${TASKS:-100}
WINDOW=${WINDOW:-10}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
"$ROOT/tests/tools/slurm-cluster.sh" start "$C" 512 || { echo "cluster did not start" >&2; exit 1; }
set -a; . "$C/env"; set +a
sq() { sqlite3 -cmd ".timeout 5000" "$S/st.db" "$@"; }
daemon() {	# daemon DAGDIR: a fresh daemon and state in $S
	S=$W/d$RANDOM
	mkdir -p "$S"
	"$BIN/schedulerd" --dags "$1" --state "$S/st.db" --logs "$S/logs" --parallelism "${2:-$P}" \
		--slurm-url "$SLURM_URL" --slurm-token-file "$SLURM_TOKEN_FILE" --slurm-user root \
		--slurm-log-root "$S/slogs" 2>"$S/daemon.log" &
	D=$!
	for _ in $(seq 1 200); do [ -n "$(sq "select 1 from dags limit 1" 2>/dev/null)" ] && break; sleep 0.05; done
}
stop() { kill -TERM "$D" 2>/dev/null; wait "$D" 2>/dev/null; }

# --- 1. 100 no-op tasks ---
mkdir -p "$W/noop"
{
	echo "dag: noop"; echo "schedule: none"; echo "concurrency: 100000"
	echo "default: {executor: slurm}"; echo "tasks:"
	for i in $(seq 1 $N); do echo "  - {id: t$i, command: [/bin/true]}"; done
} >"$W/noop/noop.yaml"
daemon "$W/noop"
t0=$(now_ms)
"$BIN/schedctl" --state "$S/st.db" trigger noop --wait >"$S/trigger.out" 2>&1 || { echo "run failed: $(cat "$S/trigger.out")" >&2; exit 1; }
ours=$(( $(now_ms) - t0 ))
ok=$(sq "select count(*) from tries where state='success' and executor='slurm'")
stop
[ "$ok" = "$N" ] || { echo "only $ok of $N tasks succeeded on slurm" >&2; exit 1; }
mkdir -p "$W/sb"
t0=$(now_ms)
seq 1 $N | xargs -P "$P" -I{} timeout 120 sbatch --wait --quiet -J "sb{}" -o /dev/null -D "$W/sb" --wrap /bin/true
base=$(( $(now_ms) - t0 ))
ratio=$(echo "scale=2; $ours / $base" | bc)
per=$(echo "scale=1; ($ours - $base) / $N" | bc)
echo "$N no-op tasks, parallelism $P: schedulerd+slurmrestd ${ours} ms, sbatch --wait loop ${base} ms (${ratio}x)"
echo "BENCH|slurm $N no-op tasks (P=$P) wall|${ours} ms|${base} ms (sbatch --wait, xargs -P $P)|${ratio}x|<= 1.2"
echo "BENCH|slurm overhead per task (wall difference / $N)|${per} ms|-|-|-"

# --- 2. REST requests per second at 10 and 500 running jobs ---
rate() {	# rate JOBS: requests/s and daemon CPU ms over WINDOW s with JOBS running
	local n=$1
	mkdir -p "$W/r$n"
	{
		echo "dag: r$n"; echo "schedule: none"; echo "concurrency: 100000"
		echo "default: {executor: slurm}"; echo "tasks:"
		for i in $(seq 1 "$n"); do echo "  - {id: t$i, command: [sleep, 600]}"; done
	} >"$W/r$n/r.yaml"
	daemon "$W/r$n" "$n"
	"$BIN/schedctl" --state "$S/st.db" trigger "r$n" >/dev/null 2>&1
	local end=$(( $(date +%s) + 300 ))
	while [ "$(sq "select count(*) from task_instances where state='running'")" != "$n" ]; do
		[ "$(date +%s)" -gt "$end" ] && { echo "only $(sq "select count(*) from task_instances where state='running'") of $n running" >&2; return 1; }
		sleep 0.5
	done
	sleep 2
	local l0 c0 l1 c1
	l0=$(grep -c 'GET /slurm/v0.0.38/jobs' "$C/log/slurmrestd.log")
	c0=$(awk '{print $14 + $15}' "/proc/$D/stat")
	sleep "$WINDOW"
	l1=$(grep -c 'GET /slurm/v0.0.38/jobs' "$C/log/slurmrestd.log")
	c1=$(awk '{print $14 + $15}' "/proc/$D/stat")
	local tck; tck=$(getconf CLK_TCK)
	RATE=$(echo "scale=2; ($l1 - $l0) / $WINDOW" | bc)
	CPU=$(( (c1 - c0) * 1000 / tck / WINDOW ))
	echo "$n running jobs: $RATE GET /jobs per second, daemon CPU ${CPU} ms per second"
	# the jobs end with the DAG: pausing is not enough for batch tasks
	timeout 60 scancel --quiet -u root 2>/dev/null
	stop
	return 0
}
rate 10 || exit 1
r10=$RATE; cpu10=$CPU
rate 500 || exit 1
r500=$RATE; cpu500=$CPU
ratio=$(echo "scale=2; $r500 / $r10" | bc)
echo "BENCH|slurm REST requests/s at 10 running jobs|$r10/s|-|-|constant"
echo "BENCH|slurm REST requests/s at 500 running jobs|$r500/s|$r10/s (10 jobs)|${ratio}x|= 1.0"
echo "BENCH|schedulerd CPU while polling 500 running jobs|${cpu500} ms/s|${cpu10} ms/s (10 jobs)|-|-"
