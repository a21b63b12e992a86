# timeout: 90
# The alerts' enqueue (docs/alerts.md): the daemon writes outbox rows in the
# transaction of the state change. A task failing after its retries gives one
# task_retry row per retry, one task_failed row with the fields of the
# contract (log tail, cause, url), and run_failed; a channel whose address
# renders empty is written skipped; a run that succeeds gives run_succeeded.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags
cat > dags/alerting.yaml <<YAML
dag: alerting
notify:
  - on: [task_failed, task_retry, run_failed, run_succeeded]
    webhook: "http://127.0.0.1:9/hook"
  - on: [task_failed]
    webhook: "{{ env.NOTIFY_TEST_EMPTY_URL }}"
tasks:
  - id: boom
    retries: 1
    retry_delay: 100ms
    command: ["sh", "-c", "for i in \$(seq 1 30); do echo line \$i; done; exit 3"]
    notify:
      - on: task_failed
        command: ["true", "{{ cause }}"]
YAML
cat > dags/fine.yaml <<YAML
dag: fine
notify:
  - on: [run_succeeded, run_failed]
    email: {to: a@example.com, from: s@example.com, smtp: "smtp://127.0.0.1:9"}
tasks:
  - {id: ok, command: ["true"]}
YAML
cat > dags/looping.yaml <<YAML
dag: looping
schedule: stream
notify:
  - on: [stream_crash_loop, task_retry]
    webhook: "http://127.0.0.1:9/hook"
tasks:
  - {id: looper, retries: 1, retry_delay: 100ms, command: ["sh", "-c", "exit 3"]}
YAML
export NOTIFY_TEST_EMPTY_URL=" "	# set, but blank: the channel is disabled
start_daemon --web-url http://sched.example:8080/
trigger alerting 1772582400
trigger fine 1772582400
wait_run alerting 30
wait_run fine 30
RUN=$(sq "select id from runs where dag_id='alerting'")
nq() { sq "select $1 from notifications where $2"; }
# The sender (notify-send's part) may already have tried a row: pending,
# delivered and given up all mean "enqueued" here; skipped is the enqueue's own.
ENQ="case when state in ('pending', 'delivered', 'given_up') then 'enqueued' else state end"
assert_eq "1" "$(nq "count(*)" "event='task_retry'")" "one task_retry row (one retry)"
assert_eq "alerting/$RUN/boom/1/task_retry/d0" "$(nq key "event='task_retry'")" "task_retry key"
assert_eq "3" "$(nq "count(*)" "event='task_failed'")" "task_failed: one row per listening channel (2 DAG, 1 task)"
assert_eq "enqueued skipped enqueued" "$(nq "$ENQ" "event='task_failed' order by key" | tr '\n' ' ' | sed 's/ $//')" "states: d0 enqueued, d1 skipped, t0 enqueued"
assert_eq "alerting/$RUN/boom/2/task_failed/d0" "$(nq key "event='task_failed' and key like '%/d0'")" "task_failed key"
p() { nq "json_extract(payload, '\$.$1')" "key='alerting/$RUN/boom/2/task_failed/d0'"; }
assert_eq "task_failed alerting manual__1772582400 2026-03-04T00:00:00+00:00 boom 2 failed" \
	"$(p event) $(p dag_id) $(p run_id) $(p logical_date) $(p task_id) $(p try_number) $(p state)" "payload fields"
case "$(p cause)" in *"exit code 3"*) ;; *) fail "cause: $(p cause)";; esac
assert_eq "alerting/$RUN/boom/2/task_failed/d0" "$(p id)" "payload id = key"
assert_eq "http://sched.example:8080/dags/alerting/runs/manual__1772582400/tasks/boom" "$(p url)" "url"
tail=$(p log_tail)
assert_eq "20" "$(printf '%s\n' "$tail" | grep -c '^line ')" "log tail: the last 20 lines"
printf '%s\n' "$tail" | grep -q '^line 30$' || fail "log tail lacks the last line: $tail"
[ -n "$(p start_date)" ] && [ -n "$(p end_date)" ] || fail "start/end dates missing"
case "$(p end_date)" in 20*Z) ;; *) fail "end_date not ISO UTC: $(p end_date)";; esac
assert_eq '{"type":"webhook","url":"{{ env.NOTIFY_TEST_EMPTY_URL }}","format":"json"}' \
	"$(nq channel "event='task_failed' and key like '%/d1'")" "channel as written, not rendered"
nq last_error "state='skipped'" | grep -q "renders empty" || fail "skipped row: $(nq last_error "state='skipped'")"
assert_eq '{"type":"command","argv":["true","{{ cause }}"],"timeout":"30s"}' \
	"$(nq channel "key like '%/t0'")" "task channel"
assert_eq "1" "$(nq "count(*)" "event='run_failed' and dag_id='alerting' and task_id is null and run=$RUN")" "run_failed"
assert_eq "1" "$(nq "count(*)" "event='run_succeeded' and dag_id='fine'")" "run_succeeded"
assert_eq "0" "$(nq "count(*)" "event='run_failed' and dag_id='fine'")" "no run_failed for the good run"
assert_eq "0" "$(nq "count(*)" "attempts=0 and state='pending' and next_attempt_us<>created_us")" "rows as written (before any attempt): due now"
assert_eq "0" "$(nq "count(*)" "state='skipped' and (attempts<>0 or done_us<>created_us)")" "skipped rows: done when written"
note "a cleared run that fails again is notified again (next round, new keys)"
"$BIN/schedctl" --state "$STATE" clear alerting --run-id manual__1772582400 --yes >/dev/null || fail "clear"
wait_sql 30 "select count(*) from notifications where event='run_failed' and dag_id='alerting'" 2 ||
	fail "no second run_failed: $(sq "select key from notifications where dag_id='alerting'")"
assert_eq "alerting/$RUN/-/1/run_failed/d0" "$(nq key "event='run_failed' and dag_id='alerting' order by id desc limit 1")" "second round key"
assert_eq "alerting/$RUN/boom/4/task_failed/d0" "$(nq key "event='task_failed' and dag_id='alerting' and key like '%/d0' order by id desc limit 1")" "task_failed of the cleared tries"
wait_for 20 sql_is "select count(*) >= 3 from events where task_id='looper' and new_state='crash_loop'" 1 ||
	fail "looper did not loop: $(sq "select state, restarts from task_instances where task_id='looper'")"
assert_eq "1" "$(nq "count(*)" "dag_id='looping' and event='stream_crash_loop'")" "one stream_crash_loop per streak"
assert_eq "crash_loop" "$(nq "json_extract(payload, '\$.state')" "dag_id='looping'")" "crash loop state"
assert_eq "0" "$(nq "count(*)" "dag_id='looping' and event='task_retry'")" "a stream restart is not a retry"
stop_daemon

note "schedctl notifications"
sc() { "$BIN/schedctl" --state "$STATE" notifications "$@"; }
out=$(sc --dag alerting --last 0)
printf '%s\n' "$out" | grep -q "task_failed  *alerting  *manual__1772582400  *boom  *2  *command  *[a-z_]*  *[0-9]" ||
	fail "table: $out"
assert_eq 8 "$(nq "count(*)" "dag_id='alerting' and $ENQ='enqueued'")" "8 enqueued rows over both rounds"
depth="outbox: $(nq "count(*)" "dag_id='alerting' and state='pending'") pending, $(nq "count(*)" "dag_id='alerting' and state='given_up'") given up"
assert_eq "$depth" "$(printf '%s\n' "$out" | tail -1)" "depth line"
assert_eq 2 "$(sc --dag alerting --json --last 0 | jq '[.notifications[] | select(.state=="skipped")] | length')" "json: the skipped rows (one per round)"
sq "update notifications set state='given_up', attempts=7, last_error='HTTP 500' where key='alerting/$RUN/boom/2/task_failed/d0'"
assert_eq "given_up 7 HTTP 500 boom" "$(sc --failed --json --last 0 | jq -r --arg k "alerting/$RUN/boom/2/task_failed/d0" \
	'.notifications[] | select(.key == $k) | "\(.state) \(.attempts) \(.last_error) \(.task_id)"')" "--failed"
assert_eq 0 "$(sc --failed --json --last 0 | jq '[.notifications[] | select(.state != "given_up")] | length')" "--failed: only given up rows"
assert_eq "$(nq "count(*)" "state='given_up'")" "$(sc --failed --json | jq .given_up)" "depth: given up"
n=$(sc --pending --json | jq '[.notifications[] | select(.state != "pending")] | length')
assert_eq 0 "$n" "--pending: only pending rows"
sc --dag nosuch >/dev/null 2>&1 && fail "--dag of an unknown DAG must fail"
true
