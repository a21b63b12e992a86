#!/bin/bash
# bench_dagload.sh: large DAG files (issue 13, section 3).
#  1. 20,000 no-op tasks in fan-out/fan-in layers (a 1.3 MB file, over the
#     old 1 MiB limit), schedulerd vs the same graph as a generated Makefile
#     run with make -j<same parallelism>; same target as the 2,000-task
#     figure of bench_scheduler.sh.
#  2. a 50,000-task file (3.4 MB): schedctl validate's time, the daemon's
#     time from start to the DAG loaded (parse worker + store), the parse
#     worker's peak RSS and the daemon's.
# Prints figures and BENCH|figure|ours|baseline|ratio|target lines.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
W=$(mktemp -d /tmp/bench-dagload.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
P=${PARALLELISM:-4}
LAYERS=${LAYERS:-40}
WIDTH=${WIDTH:-499}
ROUNDS=${ROUNDS:-3}
# One round of 20,000 process starts each for make and schedulerd takes
# minutes on this VM (make -j4 alone: 2 min under load): one round by default.
FAN_ROUNDS=${FAN_ROUNDS:-1}
S=$W
sq() { sqlite3 -cmd ".timeout 5000" "$S/st.db" "$@"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

daemon() {	# daemon DAGDIR: a fresh state in $S; returns once a DAG is loaded
	mkdir -p "$S"
	rm -f "$S/st.db"*
	"$BIN/schedulerd" --dags "$1" --state "$S/st.db" --logs "$S/logs" --parallelism "$P" 2>"$S/daemon.log" &
	D=$!
	for _ in $(seq 1 1200); do grep -q event=dag_loaded "$S/daemon.log" 2>/dev/null && break; sleep 0.05; done
}
log_ms() {	# log_ms EVENT1 EVENT2 LOG: ms between the first EVENT1 and the last EVENT2
	awk -F'[ =]' -v a="event=$1" -v b="event=$2" '$0 ~ a && !s {split($2,t,/[T:Z]/); s=t[2]*3600+t[3]*60+t[4]}
		$0 ~ b {split($2,t,/[T:Z]/); e=t[2]*3600+t[3]*60+t[4]} END {printf "%.0f", (e-s)*1000}' "$3"
}

# gen_fan LAYERS WIDTH DIR MAKEFILE: the fan-out/fan-in graph as a DAG file and a Makefile
gen_fan() {
	local layers=$1 width=$2
	awk -v L="$layers" -v Wd="$width" -v mk="$4" 'BEGIN {
		print "dag: fan"; print "concurrency: 100000"; print "tasks:"
		print "  - {id: j0, command: [/bin/true]}"
		print "all: j" L > mk; print "j0:\n\t@/bin/true" > mk; phony = "j0"
		for (l = 1; l <= L; l++) {
			deps = ""; mdeps = ""
			for (i = 1; i <= Wd; i++) {
				id = "l" l "_" i
				print "  - {id: " id ", depends_on: [j" (l - 1) "], command: [/bin/true]}"
				print id ": j" (l - 1) "\n\t@/bin/true" > mk
				deps = deps (i > 1 ? ", " : "") id; mdeps = mdeps " " id; phony = phony " " id
			}
			print "  - {id: j" l ", depends_on: [" deps "], command: [/bin/true]}"
			print "j" l ":" mdeps "\n\t@/bin/true" > mk; phony = phony " j" l
		}
		print ".PHONY: all " phony > mk
	}' > "$3/fan.yaml"
}

# --- 1. fan-out/fan-in, 20,000 tasks ---
mkdir -p "$W/fan"
gen_fan "$LAYERS" "$WIDTH" "$W/fan" "$W/fan.mk"
ntasks=$(grep -c 'id:' "$W/fan/fan.yaml")
bytes=$(stat -c %s "$W/fan/fan.yaml")
make_all=() sched_all=() states=""
for r in $(seq 1 "$FAN_ROUNDS"); do
	t0=$(date +%s%N); make -s -j"$P" -f "$W/fan.mk" >/dev/null; t1=$(date +%s%N)
	make_all+=($(( (t1 - t0) / 1000000 )))
	S=$W/fan-round$r
	daemon "$W/fan"
	t0=$(date +%s%N); "$BIN/schedctl" --state "$S/st.db" trigger fan --wait >"$S/trigger.out" 2>&1; t1=$(date +%s%N)
	sched_all+=($(( (t1 - t0) / 1000000 )))
	states="$states $(sq "select state from runs where dag_id='fan'")"
	kill $D; wait $D 2>/dev/null
done
S=$W
make_ms=$(median "${make_all[@]}")
sched_ms=$(median "${sched_all[@]}")
ratio=$(awk -v a="$sched_ms" -v b="$make_ms" 'BEGIN{printf "%.2f", a/b}')
echo "fan-out/fan-in $ntasks tasks ($bytes bytes), parallelism $P, median of $FAN_ROUNDS rounds: schedulerd ${sched_ms} ms (rounds: ${sched_all[*]}; runs:$states), make -j$P ${make_ms} ms (rounds: ${make_all[*]}), ratio $ratio (target <= 1.5)"
echo "BENCH|schedulerd $ntasks no-op tasks (fan-out/in, -j$P)|${sched_ms} ms|make ${make_ms} ms|${ratio}x|<= 1.5x make"

# --- 2. a 50,000-task file ---
mkdir -p "$W/big"
gen_fan 100 499 "$W/big" "$W/big.mk"
bntasks=$(grep -c 'id:' "$W/big/fan.yaml")
bbytes=$(stat -c %s "$W/big/fan.yaml")
val_all=() load_all=()
for r in $(seq 1 "$ROUNDS"); do
	t0=$(date +%s%N); "$BIN/schedctl" validate "$W/big/fan.yaml" >"$W/validate.out" 2>&1; t1=$(date +%s%N)
	val_all+=($(( (t1 - t0) / 1000000 )))
	S=$W/big-round$r
	daemon "$W/big"
	load_all+=("$(log_ms started dag_loaded "$S/daemon.log")")
	rss=$(awk '/VmHWM/ {print $2}' /proc/$D/status)
	kill $D; wait $D 2>/dev/null
done
S=$W
grep -q "ok: DAG fan, $bntasks tasks" "$W/validate.out" || echo "validate failed: $(head -3 "$W/validate.out")"
worker_kb=$( { /usr/bin/time -f '%M' "$BIN/schedulerd" --parse-dags 8388608 32 "$W/big/fan.yaml" >/dev/null; } 2>&1 | tail -1)
val_ms=$(median "${val_all[@]}")
load_ms=$(median "${load_all[@]}")
echo "$bntasks-task file ($bbytes bytes), median of $ROUNDS: schedctl validate ${val_ms} ms (${val_all[*]}), daemon start -> loaded ${load_ms} ms (${load_all[*]}); parse worker peak RSS $((worker_kb / 1024)) MB, daemon peak RSS $((rss / 1024)) MB"
echo "BENCH|validate a $bntasks-task DAG file ($((bbytes / 1024)) KiB)|${val_ms} ms|-|-|< 2000 ms"
echo "BENCH|schedulerd start -> $bntasks-task DAG loaded|${load_ms} ms|-|-|< 3000 ms"
echo "BENCH|parse worker peak RSS ($bntasks tasks)|$((worker_kb / 1024)) MB|-|-|< 1024 MB (its limit)"
echo "BENCH|schedulerd peak RSS ($bntasks-task DAG loaded)|$((rss / 1024)) MB|-|-|-"
