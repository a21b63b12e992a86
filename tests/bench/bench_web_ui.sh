#!/bin/bash
# bench_web_ui.sh: the web UI's grid in headless Chromium on a state file of
# 10,000 runs of a 200-task DAG (2,000,000 task instances), against the same
# DAG with 25 runs (the baseline: the same page, no history):
#   - time to first render of the grid of the last 25 runs: from the start of
#     the navigation to /dags/big/grid until its 5,000 cells are in the page
#     (median of 7 loads, signed in, static files cached as a user has them);
#     target under 500 ms on loopback;
#   - bytes transferred for that load (every response's transfer size);
#   - one live-update poll (GET /ui/grid as the page asks every 2 s): its
#     server time when the grid changed (200 with the body) and when it did
#     not (304 with If-None-Match), curl median of 20, and its bytes.
# Prints figures and ratios; never fails on speed.
set -u
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/$BUILD/bin
WORK=$(mktemp -d /tmp/bench-web-ui.XXXXXX)
source "$ROOT/tests/tools/testlib.sh"
trap '_run_cleanups; rm -rf "$WORK"' EXIT
STATE=$WORK/big.db
source "$ROOT/tests/tools/weblib.sh"
source "$ROOT/tests/tools/browserlib.sh"

{
	echo "dag: big"; echo "schedule: '@daily'"; echo "start_date: 2000-01-01"; echo "tasks:"
	for i in $(seq 0 199); do
		echo "  - id: task_$i"
		# 10 layers of 20: each task after the one above it and a second of that layer
		a=$((i - 20)) b=$(( (i / 20 - 1) * 20 + (i * 7 + 3) % 20 ))
		[ $i -ge 20 ] && { [ $a = $b ] && echo "    depends_on: task_$a" || echo "    depends_on: [task_$a, task_$b]"; }
		echo "    command: [echo, x]"
	done
} >"$WORK/big.yaml"

# make_state FILE NRUNS: runs one day apart, 200 task instances each.
make_state() {
	"$ROOT/$BUILD/tests/sched_mkstate" "$1" "$WORK/big.yaml" || exit 1
	sqlite3 "$1" "
	WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $2)
	INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key,
			 created_us, started_us, ended_us)
	SELECT 'big', 'scheduled__' || date(946684800 + i * 86400, 'unixepoch') || 'T00:00:00+00:00',
	       946684800 + i * 86400, 946684800 + (i + 1) * 86400, 'scheduled',
	       CASE WHEN i % 17 = 0 THEN 'failed' ELSE 'success' END, 946684800 + i * 86400,
	       (946684800 + (i + 1) * 86400) * 1000000, (946684800 + (i + 1) * 86400) * 1000000,
	       (946684800 + (i + 1) * 86400 + 60) * 1000000 FROM n;
	WITH RECURSIVE t(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM t WHERE k + 1 < 200)
	INSERT INTO task_instances(run, task_id, state, try_number, max_tries, started_us, ended_us, exit_code)
	SELECT r.id, 'task_' || t.k, CASE WHEN r.state = 'failed' AND t.k = 150 THEN 'failed' ELSE 'success' END,
	       1, 1, r.started_us, r.ended_us, 0 FROM runs r, t;
	INSERT INTO tries(run, task_id, try_number, state, started_us, ended_us, exit_code, cause)
	SELECT run, task_id, 1, state, started_us, ended_us, 0, 'exit code 0' FROM task_instances;" || exit 1
}

web_playwright
results=()
for n in 25 10000; do
	STATE=$WORK/runs$n.db
	make_state "$STATE" $n
	web_user op operator || fail "users add"
	web_start
	pw=$(web_pass op)
	url=$WEB_URL
	out=$(PW=$PW BASE=$url USER_NAME=op USER_PASS=$pw PROFILE=$WORK/profile$n \
		node "$ROOT/tests/web/bench_grid.js") || { echo "$out"; fail "bench_grid.js"; }
	echo "$n runs: $out"
	# One poll: the page's request, answered in full and as a 304.
	curl -s -u "op:$pw" -D "$WORK/h" -o "$WORK/grid.json" "$url/ui/grid?dag_id=big&limit=25" || fail "curl"
	etag=$(sed -n 's/^ETag: *\(.*\)\r$/\1/Ip' "$WORK/h")
	full=(); cond=()
	for _ in $(seq 20); do
		full+=("$(curl -s -u "op:$pw" -o /dev/null -w '%{time_total}' "$url/ui/grid?dag_id=big&limit=25")")
		cond+=("$(curl -s -u "op:$pw" -H "If-None-Match: $etag" -o /dev/null -w '%{time_total}' "$url/ui/grid?dag_id=big&limit=25")")
	done
	med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] * 1000 }'; }
	code=$(curl -s -u "op:$pw" -H "If-None-Match: $etag" -o /dev/null -w '%{http_code}' "$url/ui/grid?dag_id=big&limit=25")
	results+=("$n|$out|$(med "${full[@]}")|$(med "${cond[@]}")|$(stat -c %s "$WORK/grid.json")|$code")
	web_stop
done

# results: runs|render_ms bytes|poll_ms|poll304_ms|grid_bytes|code
IFS='|' read -r _ small_out small_poll small_304 small_bytes _ <<<"${results[0]}"
IFS='|' read -r _ big_out big_poll big_304 big_bytes code <<<"${results[1]}"
read -r small_ms small_total <<<"$small_out"
read -r big_ms big_total <<<"$big_out"
r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "grid of the last 25 runs x 200 tasks: first render $big_ms ms with 10,000 runs, $small_ms ms with 25 (target < 500 ms)"
echo "  bytes of the load: $big_total (the /ui/grid answer $big_bytes); one poll $big_poll ms full, $big_304 ms unchanged (HTTP $code)"
echo "BENCH|web UI grid first render, 25 of 10,000 runs x 200 tasks (headless Chromium)|$big_ms ms|$small_ms ms (25 runs)|$(r "$big_ms" "$small_ms")|< 500 ms"
echo "BENCH|web UI grid first load, bytes transferred (shell, session, grid; scripts cached since sign-in)|$big_total B|$small_total B (25 runs)|$(r "$big_total" "$small_total")|-"
echo "BENCH|web UI live-update poll, grid changed (GET /ui/grid, 200, $big_bytes B)|$big_poll ms|$small_poll ms (25 runs)|$(r "$big_poll" "$small_poll")|-"
echo "BENCH|web UI live-update poll, grid unchanged (304 by ETag, 0 B body)|$big_304 ms|$big_poll ms (changed)|$(r "$big_304" "$big_poll")|< 1"
