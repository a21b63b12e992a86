#!/bin/bash
# bench_mapped.sh: dynamic task mapping's cost (issue 21, `expand:`).
# A mapped task of 2,000 no-op elements (its upstream prints the list as its
# JSON result, max_length 2000, a join task after it) beside the same graph
# written statically (2,000 tasks depending on the upstream, then the join),
# both on schedulerd with the same --parallelism. Figures:
#  - wall time from trigger to the run's end (schedctl trigger --wait), mapped
#    vs static, median of ROUNDS rounds each (target: mapped <= 1.2x static);
#  - time to expand: the first instance's start minus the upstream's end
#    (both as the launcher recorded them in the tries).
# Prints figures and BENCH|figure|ours|baseline|ratio|target lines.
# PARALLELISM (4), ELEMENTS (2000), ROUNDS (3); KEEP=1 keeps each round's state
# file in /tmp/bench-mapped.* to look at its phases in the tries.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
W=$(mktemp -d /tmp/bench-mapped.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
P=${PARALLELISM:-4}
N=${ELEMENTS:-2000}
ROUNDS=${ROUNDS:-3}
S=$W
sq() { sqlite3 -cmd ".timeout 5000" "$S/st.db" "$@"; }

daemon() {	# daemon DAGDIR: a fresh state in $S
	mkdir -p "$S"
	rm -f "$S/st.db"*
	"$BIN/schedulerd" --dags "$1" --state "$S/st.db" --logs "$S/logs" --parallelism "$P" 2>"$S/daemon.log" &
	D=$!
	for _ in $(seq 1 600); do [ -n "$(sq "select 1 from dags limit 1" 2>/dev/null)" ] && break; sleep 0.05; done
}
run_and_wait() { "$BIN/schedctl" --state "$S/st.db" trigger "$1" --wait >"$S/trigger.out" 2>&1; }

list=$(seq -s, 0 $((N - 1)))
mkdir -p "$W/mapped" "$W/static"
{
	echo "dag: mapped"; echo "concurrency: 100000"; echo "tasks:"
	echo "  - {id: up, command: [echo, '{\"l\": [$list]}']}"
	echo "  - id: m"
	echo "    depends_on: [up]"
	echo "    expand: {over: \"{{ ti.up.result.l }}\", max_length: $N}"
	echo "    command: [/bin/true]"
	echo "  - {id: join, depends_on: [m], command: [/bin/true]}"
} > "$W/mapped/mapped.yaml"
{
	echo "dag: static"; echo "concurrency: 100000"; echo "tasks:"
	echo "  - {id: up, command: [echo, '{\"l\": [$list]}']}"
	deps=""
	for i in $(seq 0 $((N - 1))); do
		echo "  - {id: m_$i, depends_on: [up], command: [/bin/true]}"
		deps="$deps${deps:+, }m_$i"
	done
	echo "  - {id: join, depends_on: [$deps], command: [/bin/true]}"
} > "$W/static/static.yaml"

# Rounds alternate static and mapped; each figure is the median of its rounds
# (this VM's timings wander by +-20% from one run to the next).
static_all=() mapped_all=() expand_all=() states=""
for r in $(seq 1 "$ROUNDS"); do
	for kind in static mapped; do
		S=$W/$kind-round$r
		daemon "$W/$kind"
		t0=$(date +%s%N); run_and_wait $kind; t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		st=$(sq "select state from runs where dag_id='$kind'")
		states="$states $kind:$st"
		if [ "$st" != success ]; then	# no figure from a run that did not work
			echo "round $r: the $kind run is '$st': $(cat "$S/trigger.out"; tail -3 "$S/daemon.log")" >&2
			exit 1
		fi
		if [ $kind = static ]; then
			static_all+=($ms)
		else
			mapped_all+=($ms)
			n=$(sq "select count(*) from tries where task_id like 'm[%]' and state='success'")
			[ "$n" = "$N" ] || { echo "round $r: $n successful instances, not $N" >&2; exit 1; }
			expand_all+=($(sq "select ((select min(started_us) from tries where task_id like 'm[%]')
				- (select ended_us from tries where task_id='up')) / 1000.0"))
		fi
		kill $D; wait $D 2>/dev/null
	done
done
S=$W
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
static_ms=$(median "${static_all[@]}")
mapped_ms=$(median "${mapped_all[@]}")
expand_ms=$(median "${expand_all[@]}")
ratio=$(awk -v a="$mapped_ms" -v b="$static_ms" 'BEGIN{printf "%.2f", a/b}')
echo "mapped task of $N no-op elements vs the same $N tasks written statically, parallelism $P, median of $ROUNDS rounds:"
echo "  mapped ${mapped_ms} ms (rounds: ${mapped_all[*]}), static ${static_ms} ms (rounds: ${static_all[*]}), ratio $ratio (target <= 1.2)"
echo "  time to expand (upstream's end -> first instance's start): ${expand_ms} ms (rounds: ${expand_all[*]})"
echo "  runs:$states"
echo "BENCH|mapped task of $N no-op elements (-j$P)|${mapped_ms} ms|static ${static_ms} ms|${ratio}x|<= 1.2x static"
echo "BENCH|mapped task: upstream end -> first instance start|${expand_ms} ms|-|-|-"
