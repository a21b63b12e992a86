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
    webhook: "{{ env.NOTIFY_TEST_UNSET_URL }}"
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
unset NOTIFY_TEST_UNSET_URL
start_daemon --web-url http://sched.example:8080/
trigger alerting 1772582400
trigger fine 1772582400
wait_run alerting 30
wait_run fine 30
nq() { sq "select $1 from notifications where $2"; }
assert_eq "1" "$(nq "count(*)" "event='task_retry'")" "one task_retry row (one retry)"
assert_eq "alerting/1/boom/1/task_retry/d0" "$(nq key "event='task_retry'")" "task_retry key"
assert_eq "3" "$(nq "count(*)" "event='task_failed'")" "task_failed: one row per listening channel (2 DAG, 1 task)"
# (the sender, notify_send.c, may have delivered t0 already: pending or delivered both mean "enqueued")
assert_eq "pending skipped pending" "$(nq "replace(state, 'delivered', 'pending')" "event='task_failed' order by key" | tr '\n' ' ' | sed 's/ $//')" "states: d0 pending, d1 skipped, t0 pending"
assert_eq "alerting/1/boom/2/task_failed/d0" "$(nq key "event='task_failed' and state='pending' and key like '%/d0'")" "task_failed key"
p() { nq "json_extract(payload, '\$.$1')" "key='alerting/1/boom/2/task_failed/d0'"; }
assert_eq "task_failed alerting manual__1772582400 2026-03-04T00:00:00+00:00 boom 2 failed" \
	"$(p event) $(p dag_id) $(p run_id) $(p logical_date) $(p task_id) $(p try_number) $(p state)" "payload fields"
case "$(p cause)" in *"exit code 3"*) ;; *) fail "cause: $(p cause)";; esac
assert_eq "alerting/1/boom/2/task_failed/d0" "$(p id)" "payload id = key"
assert_eq "http://sched.example:8080/dags/alerting/runs/manual__1772582400/tasks/boom" "$(p url)" "url"
tail=$(p log_tail)
assert_eq "20" "$(printf '%s\n' "$tail" | grep -c '^line ')" "log tail: the last 20 lines"
printf '%s\n' "$tail" | grep -q '^line 30$' || fail "log tail lacks the last line: $tail"
[ -n "$(p start_date)" ] && [ -n "$(p end_date)" ] || fail "start/end dates missing"
case "$(p end_date)" in 20*Z) ;; *) fail "end_date not ISO UTC: $(p end_date)";; esac
assert_eq '{"type":"webhook","url":"{{ env.NOTIFY_TEST_UNSET_URL }}","format":"json"}' \
	"$(nq channel "event='task_failed' and key like '%/d1'")" "channel as written, not rendered"
nq last_error "state='skipped'" | grep -q "renders empty" || fail "skipped row: $(nq last_error "state='skipped'")"
assert_eq '{"type":"command","argv":["true","{{ cause }}"],"timeout":"30s"}' \
	"$(nq channel "key like '%/t0'")" "task channel"
assert_eq "1" "$(nq "count(*)" "event='run_failed' and dag_id='alerting' and task_id is null and run=1")" "run_failed"
assert_eq "1" "$(nq "count(*)" "event='run_succeeded' and dag_id='fine'")" "run_succeeded"
assert_eq "0" "$(nq "count(*)" "event='run_failed' and dag_id='fine'")" "no run_failed for the good run"
assert_eq "0" "$(nq "count(*)" "attempts=0 and (state='pending' and next_attempt_us<>created_us)")" "rows as written (before the sender's first attempt): due now"
stop_daemon
