#!/bin/bash
# bench_web.sh: schedweb under load (issue 18's figures; webload is the client,
# tests/tools/webload.c).
#  1. GET /metrics with 10x the history: p50/p99 of a scrape on a state file of
#     5,000 runs x 20 tasks (100,000 task instances and tries) and on one of
#     50,000 runs (1,000,000): the scrape reads trigger-kept counts, so 10x
#     the history should cost about the same (target ratio <= 2), where a
#     GROUP BY over the history grows 10x.
#  2. 100 concurrent keep-alive clients for 30 s reading the API (GET
#     /api/v1/health, /api/v1/dags and /dags/fan/dagRuns?limit=25; /metrics
#     instead of the two lists in a build without web-api's endpoints) of the
#     state file a running schedulerd writes, while /metrics is scraped once
#     a second: no error (target 0), and schedweb's peak RSS under that load
#     (target < 30 MB).
#     LOAD_PATHS="/api/v1/health ..." replaces the load's paths.
#  3. the daemon's fan-out figure (bench_scheduler.sh's 2,000 no-op tasks,
#     -j4) while that load runs, beside the same with schedweb idle
#     (target: unchanged, ratio <= 1.2; on a 2-core machine the load's
#     processes compete with the tasks' for the CPU, so read the ratio as an
#     upper bound of what the API costs the daemon).
# Prints figures and BENCH|figure|ours|baseline|ratio|target lines.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD/bin
TB=$ROOT/$BUILD/tests
W=$(mktemp -d /tmp/bench-web.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$W"' EXIT
CONNS=${CONNS:-100}
SECS=${SECS:-30}
P=${PARALLELISM:-4}
export WEBLOAD_AUTH="bench:bench-password-1"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# web STATE: schedweb on STATE with a viewer "bench"; sets WEB (pid) and URL
web() {
	echo "${WEBLOAD_AUTH#*:}" | "$BIN/schedweb" --state "$1" users add bench --role viewer --password-stdin \
		>/dev/null 2>&1
	local p; p=$(port)
	"$BIN/schedweb" --state "$1" --listen "127.0.0.1:$p" --max-per-ip $((CONNS + 16)) \
		--max-connections $((CONNS + 64)) 2>>"$W/schedweb.log" &
	WEB=$!
	URL=http://127.0.0.1:$p
	for _ in $(seq 1 200); do curl -sf -o /dev/null -u "$WEBLOAD_AUTH" "$URL/metrics" && return 0; sleep 0.05; done
	echo "schedweb did not start: $(tail -3 "$W/schedweb.log")" >&2
	exit 1
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p; s/^$1=\([^ ]*\).*/\1/p"; }

# --- 1. a scrape with 1x and 10x the history ---
# History as the daemon leaves it: each try inserted running, then ended;
# task instances and runs moved to their final state (the triggers run); the
# WAL checkpointed, as the daemon's checkpointer keeps it (a read's page
# lookups in a WAL of a million frames would be what is measured otherwise).
history() {	# history STATE NRUNS
	"$TB/sched_mkstate" "$1" >/dev/null
	sqlite3 "$1" >/dev/null <<SQL
BEGIN;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < $2)
INSERT INTO runs(id, dag_id, run_id, logical_date, interval_end, run_type, state, sort_key, created_us)
 SELECT i, 'dag' || (i % 10), 'r' || i, i, i + 1, 'scheduled', 'running', i, 0 FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < $2), t(k) AS (SELECT 1 UNION ALL SELECT k+1 FROM t WHERE k < 20)
INSERT INTO task_instances(run, task_id, state, try_number) SELECT i, 'task' || k, 'running', 1 FROM r, t;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < $2), t(k) AS (SELECT 1 UNION ALL SELECT k+1 FROM t WHERE k < 20)
INSERT INTO tries(run, task_id, try_number, state, started_us) SELECT i, 'task' || k, 1, 'running', 1000000 * i FROM r, t;
UPDATE tries SET state = CASE WHEN run % 7 = 0 THEN 'failed' ELSE 'success' END, ended_us = started_us + 1000 * (run % 5000);
UPDATE task_instances SET state = CASE WHEN run % 7 = 0 THEN 'failed' ELSE 'success' END;
UPDATE runs SET state = CASE WHEN id % 7 = 0 THEN 'failed' ELSE 'success' END;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
	[ $? = 0 ] || exit 1
}
declare -A P50 P99
for n in 5000 50000; do
	history "$W/h$n.db" $n
	web "$W/h$n.db"
	out=$("$TB/webload" --url "$URL/metrics" --connections 1 --duration 5)
	kill $WEB; wait $WEB 2>/dev/null
	P50[$n]=$(echo "$out" | field p50_ms); P99[$n]=$(echo "$out" | field p99_ms)
	echo "/metrics on $((n * 20)) task instances: $out"
	t0=$(date +%s%N)
	sqlite3 "$W/h$n.db" "select r.dag_id, t.state, count(*) from task_instances t join runs r on r.id = t.run group by 1, 2" >/dev/null
	echo "  (the GROUP BY of task instances by DAG and state it replaces: $(( ($(date +%s%N) - t0) / 1000000 )) ms)"
	rm -f "$W/h$n.db"*
done
ratio=$(awk -v a="${P99[50000]}" -v b="${P99[5000]}" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')
echo "BENCH|GET /metrics p50, 1M task instances|${P50[50000]} ms|100k: ${P50[5000]} ms|-|flat with history"
echo "BENCH|GET /metrics p99, 1M task instances|${P99[50000]} ms|100k: ${P99[5000]} ms|${ratio}x|<= 2x"

# --- 2 and 3. load while the daemon fans out ---
mkdir -p "$W/fan"
{
	echo "dag: fan"; echo "concurrency: 100000"; echo "tasks:"
	echo "  - {id: j0, command: [/bin/true]}"
	for l in $(seq 1 19); do
		deps=""
		for i in $(seq 1 104); do
			echo "  - {id: l${l}_$i, depends_on: [j$((l - 1))], command: [/bin/true]}"
			deps="$deps${deps:+, }l${l}_$i"
		done
		echo "  - {id: j$l, depends_on: [$deps], command: [/bin/true]}"
	done
} > "$W/fan/fan.yaml"
fan() {	# fan DIR [HOOK]: a fresh daemon on DIR/st.db runs the fan DAG (HOOK first); its ms in DIR/ms
	mkdir -p "$1"
	"$BIN/schedulerd" --dags "$W/fan" --state "$1/st.db" --logs "$1/logs" --parallelism "$P" 2>"$1/daemon.log" &
	D=$!
	for _ in $(seq 1 200); do
		[ -n "$(sqlite3 -cmd ".timeout 5000" "$1/st.db" "select 1 from dags limit 1" 2>/dev/null)" ] && break
		sleep 0.05
	done
	if [ -n "${2:-}" ]; then "$2"; fi
	local t0; t0=$(date +%s%N)
	"$BIN/schedctl" --state "$1/st.db" trigger fan --wait >"$1/trigger.out" 2>&1
	echo $(( ($(date +%s%N) - t0) / 1000000 )) >"$1/ms"
	kill $D; wait $D 2>/dev/null
}
fan "$W/idle"
idle_ms=$(cat "$W/idle/ms")
# The load starts on the state file of the next fan-out's daemon, once it
# exists, and lasts SECS seconds: the fan-out runs inside it. The clients
# read the API; /metrics is scraped once a second beside them, as Prometheus
# does (the fan DAG's 2,000 tasks make it a 2.4 MB page of per-task series:
# 100 clients reading that in a loop would measure the loopback, not the API).
urls() {
	if [ -n "${LOAD_PATHS:-}" ]; then	# e.g. LOAD_PATHS="/api/v1/health /metrics"
		local p u=""
		for p in $LOAD_PATHS; do u="$u --url $URL$p"; done
		echo "$u"
		return
	fi
	local u="--url $URL/api/v1/health"
	# web-api's list endpoints, when this build has them
	if [ "$(curl -s -o /dev/null -w '%{http_code}' -u "$WEBLOAD_AUTH" "$URL/api/v1/dags")" = 200 ]; then
		u="$u --url $URL/api/v1/dags --url $URL/api/v1/dags/fan/dagRuns?limit=25"
	else
		u="$u --url $URL/metrics"
	fi
	echo "$u"
}
scrape() {
	local end=$(( $(date +%s) + SECS ))
	while [ "$(date +%s)" -lt "$end" ]; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -u "$WEBLOAD_AUTH" "$URL/metrics" >>"$W/scrapes"
		sleep 1
	done
}
start_load() {
	web "$W/load/st.db"
	LOAD_URLS=$(urls)
	# shellcheck disable=SC2086
	"$TB/webload" $LOAD_URLS --connections "$CONNS" --duration "$SECS" >"$W/load.out" 2>&1 &
	LOAD=$!
	scrape &
	SCRAPE=$!
}
fan "$W/load" start_load
load_ms=$(cat "$W/load/ms")
wait $LOAD
wait $SCRAPE
out=$(cat "$W/load.out")
scrapes=$(wc -l <"$W/scrapes")
bad_scrapes=$(grep -vc '^200 ' "$W/scrapes")
scrape_max=$(awk '{ if ($2 > m) m = $2 } END { printf "%.0f", m * 1000 }' "$W/scrapes")
rss=$(awk '/VmHWM/ {print $2}' "/proc/$WEB/status")
kill $WEB; wait $WEB 2>/dev/null
errors=$(echo "$out" | field errors)
echo "$CONNS keep-alive clients for ${SECS}s ($(echo "$LOAD_URLS" | sed 's/--url //g; s|http://[^/]*||g')): $out"
echo "schedweb peak RSS under load: $((rss / 1024)) MB"
echo "/metrics scraped once a second meanwhile: $scrapes scrapes, $bad_scrapes not 200, slowest ${scrape_max} ms"
fratio=$(awk -v a="$load_ms" -v b="$idle_ms" 'BEGIN{printf "%.2f", a/b}')
echo "fan-out of 2,000 tasks (-j$P): ${idle_ms} ms with schedweb idle, ${load_ms} ms under the load; ratio $fratio"
echo "BENCH|schedweb $CONNS keep-alive clients ${SECS}s, errors|${errors:-?} of $(echo "$out" | field requests) requests|-|-|0"
echo "BENCH|/metrics scrapes (1/s) during the load, not 200|$bad_scrapes of $scrapes (slowest ${scrape_max} ms)|-|-|0"
echo "BENCH|schedweb under load, p50 / p99|$(echo "$out" | field p50_ms) / $(echo "$out" | field p99_ms) ms|-|-|-"
echo "BENCH|schedweb peak RSS under load|$((rss / 1024)) MB|-|-|< 30 MB"
echo "BENCH|fan-out 2,000 tasks while the API is read|${load_ms} ms|idle ${idle_ms} ms|${fratio}x|<= 1.2x"
