# timeout: 60
# Cross-DAG sensors (wait_for: {dag: ...}) against the real daemon: with one
# process slot (--parallelism 1), sensors waiting on another DAG hold none,
# so the other DAG's tasks run meanwhile; a sensor on a task that succeeds
# succeeds, one on a task that fails fails at once (failed_states, no retry),
# one on the whole run fails once the run failed, one on a logical date
# that has no run times out; downstream of the satisfied one runs.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/up.yaml <<YAML
dag: up
tasks:
  - {id: ok, command: ["sh", "-c", "sleep 0.3"]}
  - {id: bad, depends_on: ok, command: ["false"]}
YAML
cat > dags/waiter.yaml <<YAML
dag: waiter
tasks:
  - id: s_ok
    wait_for: {dag: up, task: ok, logical_date: "{{ ds }}", poke: 50ms}
  - {id: after_ok, depends_on: s_ok, command: ["touch", "$WORK/out/after_ok"]}
  - id: s_bad
    retries: 3
    wait_for: {dag: up, task: bad, poke: 50ms}
  - id: s_run
    wait_for: {dag: up, poke: 50ms}
  - id: s_prev
    wait_for: {dag: up, task: ok, logical_date: "-1d", poke: 50ms, timeout: 1s}
YAML
start_daemon --parallelism 1
wait_sql 10 "select count(*) from dags" 2 || fail "DAGs not loaded: $(sq 'select errors from dag_files')"

note "the sensors wait first, holding no slot"
trigger waiter 1767225600
wait_sql 10 "select count(*) from task_instances where state='running' and task_id like 's_%'" 4 ||
	fail "sensors not running: $(sq 'select task_id, state from task_instances')"
trigger up 1767225600
wait_run up
assert_eq failed "$(run_state up)" "the other DAG's run"
wait_run waiter
assert_eq success "$(ti_state waiter s_ok)" "sensor on a task that succeeded"
assert_eq success "$(ti_state waiter after_ok)" "downstream of it"
[ -e out/after_ok ] || fail "after_ok did not run"
assert_eq failed "$(ti_state waiter s_bad)" "sensor on a failed task"
sq "select cause from tries where task_id='s_bad'" |
	grep -q "dag up task bad at 2026-01-01T00:00:00+00:00 is failed (failed_states)" ||
	fail "cause of s_bad: $(sq "select cause from tries where task_id='s_bad'")"
assert_eq 1 "$(sq "select count(*) from tries where task_id='s_bad'")" "tries of a sensor that failed on a state"
assert_eq failed "$(ti_state waiter s_run)" "sensor on a failed run"
assert_eq failed "$(ti_state waiter s_prev)" "sensor on a date without a run"
assert_eq "sensor timed out" "$(sq "select cause from tries where task_id='s_prev'")" "its cause"
grep -q "poke dag up task ok at 2025-12-31T00:00:00+00:00: no such run or task instance yet" \
	"$(sq "select log_path from tries where task_id='s_prev'")" || fail "s_prev's log"
stop_daemon
