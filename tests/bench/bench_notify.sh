#!/bin/bash
# bench_notify.sh: the alerts sender's figures (issue 17).
#  1. from the commit of a task's failure (the task_failed row's created_us,
#     written in the pass that commits the failure) to the webhook
#     receiver's receipt on loopback (webhook-testserver --times), median
#     and p99 over N (200) failures: a chain of N failing tasks (all_done,
#     so each runs after the previous failed), one notification each.
#  2. scheduling while the receiver is down: the same chain's exit ->
#     dependent start latency (tries' ended_us -> next started_us) with the
#     receiver stopped (SIGSTOP: connections accepted by the kernel, never
#     answered, each attempt waits its 10 s timeout), against the same chain
#     without a notify: block. Target: unchanged.
# Prints figures and BENCH|figure|ours|baseline|ratio|target lines.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
TS=$ROOT/${BUILD:-build}/tests
W=$(mktemp -d /tmp/bench-notify.XXXXXX)
trap 'kill -CONT $(jobs -p) 2>/dev/null; kill -9 $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
N=${N:-200}
S=$W
sq() { sqlite3 -cmd ".timeout 5000" "$S/st.db" "$@"; }
daemon() {	# daemon DAGDIR: a fresh state in $S
	mkdir -p "$S"
	"$BIN/schedulerd" --dags "$1" --state "$S/st.db" --logs "$S/logs" --parallelism 4 2>"$S/daemon.log" &
	D=$!
	for _ in $(seq 1 200); do [ -n "$(sq "select 1 from dags limit 1" 2>/dev/null)" ] && break; sleep 0.05; done
}
run_and_wait() { "$BIN/schedctl" --state "$S/st.db" trigger "$1" --wait >"$S/trigger.out" 2>&1; }
chain() {	# chain DIR NOTIFY(0/1)
	mkdir -p "$1"
	{
		echo "dag: chain"
		if [ "$2" = 1 ]; then
			echo "notify:"; echo "  - on: [task_failed]"; echo "    webhook: \"{{ env.BENCH_ALERT_URL }}\""
		fi
		echo "tasks:"
		echo "  - {id: c1, command: [/bin/false]}"
		for i in $(seq 2 "$N"); do
			echo "  - {id: c$i, depends_on: [c$((i - 1))], trigger_rule: all_done, command: [/bin/false]}"
		done
	} >"$1/chain.yaml"
}
latency() {	# exit -> dependent start, "median p99" ms
	sq "select substr(task_id, 2), started_us, ended_us from tries" | tr '|' ' ' | sort -n >"$S/chain.times"
	awk 'NR>1 { print ($2 - prev_end)/1000 } { prev_end = $3 }' "$S/chain.times" | sort -n |
		awk '{a[NR]=$1} END { printf "%.2f %.2f", a[int(NR*0.5)+1], a[int(NR*0.99)+1] }'
}

# --- 1. commit -> receipt, receiver up ---
mkdir -p "$W/hook"
"$TS/webhook-testserver" --dir "$W/hook" --port-file "$W/hook.port" --times "$W/times" 2>"$W/hook.log" &
HOOK=$!
for _ in $(seq 1 100); do [ -s "$W/hook.port" ] && break; sleep 0.05; done
export BENCH_ALERT_URL="http://127.0.0.1:$(cat "$W/hook.port")/alerts"
chain "$W/up" 1
S=$W/run-up
daemon "$W/up"
run_and_wait chain
for _ in $(seq 1 600); do
	[ "$(sq "select count(*) from notifications where state='delivered'")" -ge "$N" ] && break
	sleep 0.05
done
kill $D; wait $D 2>/dev/null
sq "select key, created_us from notifications" | tr '|' ' ' | sort >"$W/created"
sort "$W/times" >"$W/received"
join "$W/created" "$W/received" | awk '{ print ($3 - $2) / 1000 }' | sort -n >"$W/delays"
got=$(wc -l <"$W/delays")
read -r med p99 < <(awk '{a[NR]=$1} END { printf "%.1f %.1f", a[int(NR*0.5)+1], a[int(NR*0.99)+1] }' "$W/delays")
echo "task failure commit -> webhook receipt over $got of $N failures: median ${med} ms, p99 ${p99} ms (target p99 < 200 ms)"
echo "BENCH|failure commit->webhook receipt, median ($got)|${med} ms|-|-|-"
echo "BENCH|failure commit->webhook receipt, p99 ($got)|${p99} ms|-|-|< 200 ms"
read -r up_med up_p99 < <(latency)

# --- 2. exit -> dependent start: no notify vs receiver down ---
chain "$W/plain" 0
S=$W/run-plain
daemon "$W/plain"
run_and_wait chain
kill $D; wait $D 2>/dev/null
read -r base_med base_p99 < <(latency)
# receiver down: stopped, so every attempt waits for its timeout
chain "$W/down" 1
kill -STOP $HOOK
S=$W/run-down
daemon "$W/down"
run_and_wait chain
pending=$(sq "select count(*) from notifications where state='pending'")
kill $D; wait $D 2>/dev/null
kill -CONT $HOOK
read -r down_med down_p99 < <(latency)
echo "exit -> dependent start over the $N-task failing chain: no notify median ${base_med} ms p99 ${base_p99} ms;" \
	"receiver up median ${up_med} ms p99 ${up_p99} ms; receiver down ($pending rows pending) median ${down_med} ms p99 ${down_p99} ms"
r_med=$(awk -v a="$down_med" -v b="$base_med" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
r_p99=$(awk -v a="$down_p99" -v b="$base_p99" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "BENCH|exit->dependent start, receiver down, median|${down_med} ms|no notify ${base_med} ms|${r_med}x|unchanged (~1x)"
echo "BENCH|exit->dependent start, receiver down, p99|${down_p99} ms|no notify ${base_p99} ms|${r_p99}x|unchanged (~1x)"
