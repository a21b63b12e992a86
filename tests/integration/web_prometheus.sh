# /metrics against a real Prometheus: schedulerd runs a batch DAG (a retry, a
# failure) and stream DAGs (a crash-looping task, a long-running service);
# schedweb serves /metrics to viewers only (401 without credentials; to
# anyone with --metrics-anonymous, which opens nothing else), in the
# text format 0.0.4 that `promtool check metrics` accepts; a Prometheus
# started here (loopback, free port, 1 s scrape interval, HTTP Basic, scratch
# storage) scrapes it, and its query API returns the values the store holds.
# timeout: 120
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/m.yaml <<YAML
dag: m
tasks:
  - {id: ok, command: ["true"]}
  - id: flaky
    retries: 1
    retry_delay: 100ms
    command: ["sh", "-c", "[ -e $WORK/out/flaky ] || { touch $WORK/out/flaky; exit 1; }"]
  - {id: bad, command: ["false"]}
YAML
cat > dags/s.yaml <<YAML
dag: s
schedule: stream
tasks:
  - id: looper
    retries: 1
    retry_delay: 100ms
    command: ["sh", "-c", "exit 3"]
YAML
cat > dags/svc.yaml <<YAML
dag: svc
schedule: stream
tasks:
  - id: service
    command: ["sh", "-c", "echo \$\$ > $WORK/out/service.pid; exec sleep 600"]
YAML
start_daemon
on_exit 'kill -9 "$(cat "$WORK/out/service.pid")"'
wait_for 60 sql_is "select count(*) from dags where dag_id in ('m', 's', 'svc')" 3 || fail "DAGs not loaded"
"$BIN/schedctl" --state "$STATE" trigger m --wait >out/trigger.txt 2>&1
assert_eq failed "$(run_state m)" "run of m"
note "the stream task crash-loops; paused once it did, its figures stop moving"
wait_for 30 sql_is "select crash_loops > 0 from daemon_status" 1 || fail "looper never crash-looped"
"$BIN/schedctl" --state "$STATE" pause s >/dev/null || fail "pause s"
wait_for 30 sql_is "select count(*) from task_instances t join runs r on r.id=t.run
	where r.dag_id='s' and t.state in ('running','queued')" 0 || fail "looper did not stop"
wait_for 10 test -s out/service.pid || fail "service did not start"
restarts=$(sq "select count(*) from events where dag_id='s' and new_state in ('up_for_retry','crash_loop')")
loops=$(sq "select count(*) from events where dag_id='s' and new_state='crash_loop'")
[ "$restarts" -ge 2 ] && [ "$loops" -ge 1 ] || fail "restarts $restarts, crash loops $loops"
# the outbox: one pending, one delivered (history: not counted)
sq "insert into notifications(key, created_us, event, dag_id, channel, payload, state, next_attempt_us)
	values('k1', 0, 'run_failed', 'm', '{}', '{}', 'pending', 0),
	      ('k2', 0, 'run_failed', 'm', '{}', '{}', 'delivered', 0)"

WPORT=$(free_port)
echo 'prom-secret-1' | "$BIN/schedweb" --state "$STATE" users add prom --role viewer --password-stdin >/dev/null ||
	fail "users add"
"$BIN/schedweb" --state "$STATE" --listen "127.0.0.1:$WPORT" 2>"$WORK/schedweb.log" &
WEB=$!
on_exit "kill -9 $WEB"
M=http://127.0.0.1:$WPORT/metrics
wait_for 20 curl -sf -o /dev/null -u prom:prom-secret-1 "$M" || fail "schedweb did not serve: $(tail -3 schedweb.log)"

note "viewers only; the exposition format; promtool"
assert_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' "$M")" "/metrics without credentials"
assert_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' -u prom:wrong "$M")" "/metrics with a wrong password"
ct=$(curl -s -o out/metrics.txt -w '%{content_type}' -u prom:prom-secret-1 "$M")
assert_eq "text/plain; version=0.0.4; charset=utf-8" "$ct" "Content-Type"
promtool check metrics <out/metrics.txt >out/promtool.txt 2>&1 || fail "promtool: $(head -5 out/promtool.txt)"
has() { grep -qxF "$1" out/metrics.txt || fail "no line '$1' in /metrics: $(grep -F "${1%% *}" out/metrics.txt | head -5)"; }
has 'sched_runs{dag_id="m",state="failed"} 1'
has 'sched_task_instances{dag_id="m",state="success"} 2'
has 'sched_tries_started_total{dag_id="m",task_id="flaky"} 2'
has 'sched_tries_retried_total{dag_id="m",task_id="flaky"} 1'
has 'sched_tries_failed_total{dag_id="m",task_id="bad"} 1'
has 'sched_task_duration_seconds_count{dag_id="m",task_id="flaky"} 2'
has "sched_stream_restarts_total $restarts"
has "sched_crash_loops_total $loops"
has 'sched_notifications{state="pending"} 1'
grep -q 'state="delivered"' out/metrics.txt && fail "delivered notifications counted"

note "--metrics-anonymous: /metrics without credentials, nothing else"
APORT=$(free_port)
"$BIN/schedweb" --state "$STATE" --listen "127.0.0.1:$APORT" --metrics-anonymous 2>>"$WORK/schedweb.log" &
on_exit "kill -9 $!"
wait_for 20 curl -sf -o out/anon.txt "http://127.0.0.1:$APORT/metrics" || fail "--metrics-anonymous: /metrics refused"
grep -qxF 'sched_runs{dag_id="m",state="failed"} 1' out/anon.txt || fail "anonymous /metrics: $(head -3 out/anon.txt)"
assert_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APORT/api/v1/dags")" \
	"/api/v1/dags without credentials under --metrics-anonymous"

note "a real Prometheus scrapes it (1 s interval) and answers queries"
PPORT=$(free_port)
echo -n 'prom-secret-1' >prom.pass
cat >prom.yml <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: sched
    scrape_interval: 1s
    basic_auth: {username: prom, password_file: $WORK/prom.pass}
    static_configs: [{targets: ["127.0.0.1:$WPORT"]}]
YML
prometheus --config.file=prom.yml --storage.tsdb.path="$WORK/tsdb" --web.listen-address="127.0.0.1:$PPORT" \
	>prometheus.log 2>&1 &
PROM=$!
on_exit "kill -9 $PROM"
# query EXPR: the value of the query's first sample ("" when none yet)
query() {
	curl -s "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}
value_is() { [ "$(query "$1")" = "$2" ]; }
wait_for 60 value_is 'up{job="sched"}' 1 || fail "Prometheus never scraped schedweb: $(tail -3 prometheus.log)"
expect() {	# expect QUERY VALUE
	wait_for 10 value_is "$1" "$2" || fail "Prometheus: $1 = '$(query "$1")', expected '$2'"
}
expect 'sched_runs{dag_id="m",state="failed"}' 1
expect 'sched_task_instances{dag_id="m",state="failed"}' 1
expect 'sched_tries_started_total{dag_id="m",task_id="flaky"}' 2
expect 'sched_tries_retried_total{dag_id="m",task_id="flaky"}' 1
expect 'sched_tries_failed_total{dag_id="m",task_id="flaky"}' 1
expect 'sum(sched_tries_failed_total{dag_id="m"})' 2
expect 'sched_task_duration_seconds_bucket{dag_id="m",task_id="ok",le="1"}' 1
expect 'sched_stream_restarts_total' "$restarts"
expect 'sched_crash_loops_total' "$loops"
expect 'sched_scheduler_running_tries' 1
expect 'sched_scheduler_queue_depth' 0
expect 'sched_notifications{state="pending"}' 1
expect 'sched_scheduler_heartbeat_age_seconds < bool 5' 1
expect 'sched_scheduler_loop_duration_seconds_count > bool 0' 1

note "the daemon stops: its heartbeat ages"
kill -TERM "$DAEMON"; wait "$DAEMON" 2>/dev/null
wait_for 30 value_is 'sched_scheduler_heartbeat_age_seconds > bool 3' 1 ||
	fail "heartbeat age after the daemon stopped: $(query sched_scheduler_heartbeat_age_seconds)"
