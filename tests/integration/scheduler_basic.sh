# schedulerd end to end on shell-task DAGs: dependencies and templates,
# retries with backoff, no_retry_exit_codes, timeouts, every trigger rule,
# max_active_tis_per_dag, sensors, catchup, a broken DAG beside good ones,
# another writer holding the store, hot reload, removal.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/deps.yaml <<YAML
dag: deps
params: {who: world}
tasks:
  - id: extract
    command: ["sh", "-c", "echo {{ ds_nodash }} {{ params.who }} \$SCHED_TRY > $WORK/out/extract.{{ ds_nodash }}; echo '{\"rows\": 42}'"]
  - id: load
    depends_on: extract
    command: ["cp", "$WORK/out/extract.{{ ds_nodash }}", "$WORK/out/load.{{ ds_nodash }}"]
YAML
cat > dags/retry.yaml <<YAML
dag: retry
tasks:
  - id: flaky
    retries: 2
    retry_delay: 300ms
    retry_backoff: exponential
    command: ["sh", "-c", "n=\$(cat $WORK/out/flaky 2>/dev/null || echo 0); echo \$((n+1)) > $WORK/out/flaky; [ \$n -ge 2 ]"]
  - id: fatal
    retries: 3
    retry_delay: 100ms
    command: ["sh", "-c", "exit 2"]
  - id: slow
    timeout: 1s
    command: ["sleep", "30"]
YAML
cat > dags/rules.yaml <<YAML
dag: rules
tasks:
  - {id: ok, command: ["true"]}
  - {id: bad, command: ["false"]}
  - {id: all_success, depends_on: [ok, bad], command: ["true"]}
  - {id: all_done, depends_on: [ok, bad], trigger_rule: all_done, command: ["true"]}
  - {id: all_failed, depends_on: [bad], trigger_rule: all_failed, command: ["true"]}
  - {id: all_failed_skip, depends_on: [ok, bad], trigger_rule: all_failed, command: ["true"]}
  - {id: one_success, depends_on: [ok, bad], trigger_rule: one_success, command: ["true"]}
  - {id: one_failed, depends_on: [ok, bad], trigger_rule: one_failed, command: ["true"]}
  - {id: one_failed_skip, depends_on: [ok], trigger_rule: one_failed, command: ["true"]}
  - {id: none_failed, depends_on: [ok, one_failed_skip], trigger_rule: none_failed, command: ["true"]}
  - {id: none_failed_up, depends_on: [bad], trigger_rule: none_failed, command: ["true"]}
  - {id: after_skip, depends_on: [one_failed_skip], command: ["true"]}
YAML
cat > dags/sensor.yaml <<YAML
dag: sensor
tasks:
  - id: wait
    wait_for: {path: "$WORK/out/flag.*", poke: 100ms, timeout: 20s}
  - {id: after, depends_on: wait, command: ["touch", "$WORK/out/after"]}
YAML
cat > dags/broken.yaml <<YAML
dag: broken
tasks:
  - id: a
    depends_on: nope
    command: ["true"]
YAML
start_daemon

note "a broken file is reported, the others load"
wait_sql 5 "select count(*) from dags" 4 || fail "expected 4 DAGs, got $(sq 'select dag_id from dags')"
errs=$(sq "select errors from dag_files where file like '%broken.yaml'")
echo "$errs" | grep -q "broken.yaml:4:17: unknown dependency 'nope'" || fail "broken file error: $errs"
grep -q 'event=dag_file_error' daemon.log || fail "no dag_file_error log line"

note "dependencies, templates, results"
trigger deps 1772582400   # 2026-03-04
wait_run deps
assert_eq success "$(run_state deps)" "deps run"
assert_eq "20260304 world 1" "$(cat out/load.20260304)" "rendered output"
assert_eq '{"rows": 42}' "$(sq "select result from task_instances where task_id='extract'")" "result"
log=$(sq "select log_path from task_instances where task_id='extract'")
grep -q rows "$log" || fail "stdout not in the log $log"

note "retries, no_retry_exit_codes, timeout"
trigger retry 1772582400
wait_run retry 30
assert_eq "success 3" "$(sq "select state, try_number from task_instances where task_id='flaky'" | tr '|' ' ')" "flaky"
assert_eq "failed 1" "$(sq "select state, try_number from task_instances where task_id='fatal'" | tr '|' ' ')" "exit 2 not retried"
assert_eq "failed" "$(ti_state retry slow)" "timeout"
sq "select cause from tries where task_id='slow'" | grep -q timeout || fail "timeout cause missing"
assert_eq failed "$(run_state retry)" "retry run"
# exponential: try 2 starts >= 300 ms after try 1 ended, try 3 >= 600 ms after try 2
gap=$(sq "select (b.started_us - a.ended_us)/1000 from tries a join tries b on b.task_id=a.task_id and b.try_number=3 where a.task_id='flaky' and a.try_number=2")
[ "$gap" -ge 550 ] || fail "exponential backoff gap $gap ms < 600"

note "trigger rules"
trigger rules 1772582400
wait_run rules
for pair in ok:success bad:failed all_success:upstream_failed all_done:success all_failed:success \
	all_failed_skip:skipped one_success:success one_failed:success one_failed_skip:skipped \
	none_failed:success none_failed_up:upstream_failed after_skip:skipped; do
	assert_eq "${pair#*:}" "$(ti_state rules "${pair%%:*}")" "rule task ${pair%%:*}"
done

note "sensor"
trigger sensor 1772582400
sensor_running() { [ "$(ti_state sensor wait)" = running ]; }
wait_for 30 sensor_running || fail "sensor not waiting: $(ti_state sensor wait)"
touch out/flag.1
wait_run sensor
assert_eq success "$(run_state sensor)" "sensor run"
test -f out/after || fail "task after the sensor did not run"

note "hot reload: fixing the broken file"
sed -i 's/depends_on: nope/depends_on: []/' dags/broken.yaml
wait_sql 5 "select count(*) from dags where dag_id='broken'" 1 || fail "fixed file not picked up"
assert_eq "" "$(sq "select errors from dag_files where file like '%broken.yaml'")" "errors cleared"

note "catchup: daily, three missed days created oldest first"
start=$(date -u -d '3 days ago' +%Y-%m-%d)
cat > dags/catchup.yaml <<YAML
dag: catchup
schedule: "@daily"
start_date: "$start"
catchup: true
max_active_runs: 1
tasks:
  - {id: t, command: ["sh", "-c", "echo {{ ds }} >> $WORK/out/catchup"]}
YAML
wait_sql 20 "select count(*) from runs where dag_id='catchup' and state='success'" 3 || fail "catchup runs: $(sq "select run_id, state from runs where dag_id='catchup'")"
assert_eq "$(for i in 3 2 1; do date -u -d "$i days ago" +%Y-%m-%d; done)" "$(cat out/catchup)" "catchup order"
cat > dags/nocatch.yaml <<YAML
dag: nocatch
schedule: "@daily"
start_date: "$start"
tasks:
  - {id: t, command: ["true"]}
YAML
wait_sql 10 "select count(*) from runs where dag_id='nocatch'" 1 || fail "catchup false should create only the latest"
assert_eq "$(date -u -d '1 day ago' +%Y-%m-%d)" "$(sq "select date(logical_date, 'unixepoch') from runs where dag_id='nocatch'")" "latest interval"

note "max_active_tis_per_dag: one try of a task at a time over three runs"
cat > dags/serial.yaml <<YAML
dag: serial
tasks:
  - id: one_at_a_time
    max_active_tis_per_dag: 1
    command: [sh, -c, 'echo "start \$(date +%s%N)" >> $WORK/serial.\$SCHED_DS; sleep 0.3; echo "end \$(date +%s%N)" >> $WORK/serial.\$SCHED_DS']
  - id: free
    command: [sh, -c, 'sleep 0.3']
YAML
wait_for 10 sq "select 1 from dags where dag_id='serial'" || fail "serial.yaml not loaded"
for t in 1772582400 1772668800 1772755200; do trigger serial $t; done
for _ in 1 2 3; do wait_sql 20 "select count(*) from runs where dag_id='serial' and state='success'" 3 && break; done
assert_eq 3 "$(sq "select count(*) from runs where dag_id='serial' and state='success'")" "three serial runs"
# The limited task's tries never overlap; the free one's did (the runs ran side by side).
sort -k2 -n $WORK/serial.* | awk '$1 == "start" { if (open) bad = 1; open = 1 } $1 == "end" { open = 0 } END { exit bad }' ||
	fail "two tries of one_at_a_time ran at once: $(sort -k2 -n $WORK/serial.*)"
overlap=$(sq "select count(*) from tries a join tries b on a.task_id='free' and b.task_id='free' and a.run < b.run
	and a.started_us < b.ended_us and b.started_us < a.ended_us join runs r on r.id=a.run where r.dag_id='serial'")
[ "$overlap" -gt 0 ] || fail "the unlimited task never ran in two runs at once (no concurrency to limit)"

note "another writer holds the store past the busy timeout: the daemon waits its turn"
cat > dags/busy.yaml <<YAML
dag: busy
tasks:
  - {id: nap, command: [sh, -c, 'while [ ! -e "$WORK/busy.go" ]; do sleep 0.05; done']}
  - {id: after, depends_on: nap, command: ["true"]}
YAML
wait_for 10 sq "select 1 from dags where dag_id='busy'" || fail "busy.yaml not loaded"
trigger busy 1772582400
wait_sql 10 "select t.state from task_instances t join runs r on r.id=t.run where r.dag_id='busy' and t.task_id='nap'" running ||
	fail "nap did not start"
# Another writer takes the store and holds it 10 s; only once it holds it does
# nap end, so the daemon's commit of that exit waits past its 5 s busy timeout
# however slow this machine is.
printf 'BEGIN IMMEDIATE;\n.shell touch %s/busy.locked\n.shell sleep 10\nCOMMIT;\n' "$WORK" | sqlite3 "$STATE" >/dev/null 2>&1 &
locker=$!
wait_for 30 test -e "$WORK/busy.locked" || fail "the other writer never took the store"
touch "$WORK/busy.go"
wait $locker
wait_sql 10 "select state from runs where dag_id='busy'" success || fail "busy run: $(run_state busy)"
grep -q 'event=store_busy' daemon.log || fail "no store_busy line"
! grep -q 'event=commit_failed' daemon.log || fail "a pass committed in pieces: $(grep commit_failed daemon.log)"

note "a removed file deactivates its DAG, history kept"
rm dags/deps.yaml
wait_sql 5 "select active from dags where dag_id='deps'" 0 || fail "deps not deactivated"
assert_eq 1 "$(sq "select count(*) from runs where dag_id='deps'")" "history kept"

note "SIGHUP reloads; SIGTERM drains"
kill -HUP $DAEMON
sleep 0.2
kill -0 $DAEMON || fail "daemon died on SIGHUP"
stop_daemon
grep -q 'event=stopped' daemon.log || fail "no clean stop"
echo "all passed"
