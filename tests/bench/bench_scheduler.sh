#!/bin/bash
# bench_scheduler.sh: schedulerd's figures (issue: scheduler core).
#  1. 2,000 no-op tasks in fan-out/fan-in layers, schedulerd vs the same graph
#     as a generated Makefile run with make -j<same parallelism>.
#  2. latency from a task's exit (reaped by the launcher) to its dependent's
#     start (spawned by the launcher), median and p99 over a 500-task chain.
#  3. 100 DAG files of 50 tasks: load+validate time, and the idle daemon's
#     peak RSS.
# Prints figures and BENCH|figure|ours|baseline|ratio|target lines.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
W=$(mktemp -d /tmp/bench-sched.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
P=${PARALLELISM:-4}
LAYERS=${LAYERS:-19}
WIDTH=${WIDTH:-104}
sq() { sqlite3 -cmd ".timeout 5000" "$W/st.db" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

daemon() {	# daemon DAGDIR
	rm -f "$W/st.db"*
	"$BIN/schedulerd" --dags "$1" --state "$W/st.db" --logs "$W/logs" --parallelism "$P" 2>"$W/daemon.log" &
	D=$!
	for _ in $(seq 1 200); do [ -n "$(sq "select 1 from dags limit 1" 2>/dev/null)" ] && break; sleep 0.05; done
}
# As a user would: schedctl commits the run and rings the daemon's doorbell.
trigger() { "$BIN/schedctl" --state "$W/st.db" trigger "$1" >/dev/null; }
# The daemon's own "run ended" log line, followed through inotify (tail -f):
# no polling process competes with the run for the two CPUs, and the end is
# seen as soon as it is logged.
wait_done() {
	( tail -n +1 -f "$W/daemon.log" & echo $! >"$W/tail.pid"; wait ) |
		grep -m1 -q "event=run_\(success\|failed\) dag=$1 "
	kill "$(cat "$W/tail.pid")" 2>/dev/null
}

# --- 1. fan-out/fan-in ---
mkdir -p "$W/fan"
{
	echo "dag: fan"; echo "concurrency: 100000"; echo "tasks:"
	echo "  - {id: j0, command: [/bin/true]}"
	for l in $(seq 1 $LAYERS); do
		deps=""
		for i in $(seq 1 $WIDTH); do
			echo "  - {id: l${l}_$i, depends_on: [j$((l - 1))], command: [/bin/true]}"
			deps="$deps${deps:+, }l${l}_$i"
		done
		echo "  - {id: j$l, depends_on: [$deps], command: [/bin/true]}"
	done
} > "$W/fan/fan.yaml"
ntasks=$(grep -c 'id:' "$W/fan/fan.yaml")
{
	echo "all: j$LAYERS"
	echo "j0:"; echo "	@/bin/true"
	for l in $(seq 1 $LAYERS); do
		deps=""
		for i in $(seq 1 $WIDTH); do
			echo "l${l}_$i: j$((l - 1))"; echo "	@/bin/true"
			deps="$deps l${l}_$i"
		done
		echo "j$l:$deps"; echo "	@/bin/true"
	done
	echo ".PHONY: all j0 $(for l in $(seq 1 $LAYERS); do echo -n "j$l "; for i in $(seq 1 $WIDTH); do echo -n "l${l}_$i "; done; done)"
} > "$W/fan.mk"
t0=$(date +%s%N); make -s -j"$P" -f "$W/fan.mk" >/dev/null; t1=$(date +%s%N)
make_ms=$(( (t1 - t0) / 1000000 ))
daemon "$W/fan"
t0=$(date +%s%N); trigger fan; wait_done fan; t1=$(date +%s%N)
sched_ms=$(( (t1 - t0) / 1000000 ))
state=$(sq "select state from runs where dag_id='fan'")
kill $D; wait $D 2>/dev/null
ratio=$(awk -v a=$sched_ms -v b=$make_ms 'BEGIN{printf "%.2f", a/b}')
echo "fan-out/fan-in $ntasks tasks, parallelism $P: schedulerd ${sched_ms} ms ($state, durable state), make -j$P ${make_ms} ms, ratio $ratio (target <= 1.5)"
echo "BENCH|schedulerd $ntasks no-op tasks (fan-out/in, -j$P)|${sched_ms} ms|make ${make_ms} ms|${ratio}x|<= 1.5x make"

# --- 2. latency over a 500-task chain ---
mkdir -p "$W/chain"
{
	echo "dag: chain"; echo "tasks:"
	echo "  - {id: c1, command: [/bin/true]}"
	for i in $(seq 2 500); do echo "  - {id: c$i, depends_on: [c$((i - 1))], command: [/bin/true]}"; done
} > "$W/chain/chain.yaml"
daemon "$W/chain"
trigger chain; wait_done chain
kill $D; wait $D 2>/dev/null
# Both ends as the launcher saw them: the predecessor's command reaped (its
# try's ended_us) -> the dependent's command spawned (its try's started_us).
sq "select substr(task_id, 2), started_us, ended_us from tries where state='success'" | tr '|' ' ' |
	sort -n > "$W/chain.times"
lat=$(awk 'NR>1 { print ($2 - prev_end)/1000 } { prev_end = $3 }' "$W/chain.times" | sort -n |
	awk '{a[NR]=$1} END { printf "%.2f %.2f", a[int(NR*0.5)+1], a[int(NR*0.99)+1] }')
med=${lat% *}; p99=${lat#* }
echo "exit -> dependent start over a 500-task chain: median ${med} ms, p99 ${p99} ms (targets < 5 ms, < 20 ms)"
echo "BENCH|exit->dependent start, median|${med} ms|-|-|< 5 ms"
echo "BENCH|exit->dependent start, p99|${p99} ms|-|-|< 20 ms"

# --- 3. 100 files x 50 tasks: load time, idle RSS ---
mkdir -p "$W/many"
for f in $(seq 1 100); do
	{
		echo "dag: many_$f"; echo "schedule: \"@daily\""; echo "timezone: Europe/Berlin"; echo "tasks:"
		echo "  - {id: t1, command: [/bin/true, \"{{ ds }}\"]}"
		for i in $(seq 2 50); do echo "  - {id: t$i, depends_on: [t$((i - 1))], retries: 2, timeout: 5m, command: [/bin/echo, \"{{ ds_nodash }}\", \"{{ dag_id }}\"]}"; done
	} > "$W/many/dag_$f.yaml"
done
daemon "$W/many"
for _ in $(seq 1 200); do [ "$(grep -c dag_loaded "$W/daemon.log")" -ge 100 ] && break; sleep 0.05; done
sleep 2
rss=$(awk '/VmHWM/ {print $2}' /proc/$D/status)
kill $D; wait $D 2>/dev/null
load_ms=$(awk -F'[ =]' '/event=started/ {split($2,a,/[T:Z]/); s=a[2]*3600+a[3]*60+a[4]} /event=dag_loaded/ {split($2,a,/[T:Z]/); e=a[2]*3600+a[3]*60+a[4]} END {printf "%.0f", (e-s)*1000}' "$W/daemon.log")
echo "100 DAG files x 50 tasks: loaded and validated in ${load_ms} ms (target < 200 ms); idle peak RSS $((rss / 1024)) MB (target < 30 MB)"
echo "BENCH|load+validate 100 DAGs x 50 tasks|${load_ms} ms|-|-|< 200 ms"
echo "BENCH|schedulerd idle peak RSS (100 DAGs)|$((rss / 1024)) MB|-|-|< 30 MB"
