# Outcomes whose cause must be right: a command that is not found (exit 127)
# is not retried and says so; the longest timeout a DAG may give (3650d; more
# is refused at load, and the deadlines saturate anyway) does not kill the
# task at start; a sensor writes its pokes to its try's log.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/causes.yaml <<YAML
dag: causes
tasks:
  - {id: missing, retries: 3, retry_delay: 100ms, command: ["$WORK/no-such-program"]}
  - {id: noexec, retries: 3, retry_delay: 100ms, command: ["$WORK/dags/causes.yaml"]}
  - {id: long_timeout, timeout: 3650d, command: ["sh", "-c", "sleep 0.3"]}
  - id: wait
    wait_for: {path: "$WORK/out/flag", poke: 100ms, timeout: 3650d}
YAML
start_daemon
trigger causes 1772582400
wait_for 30 sql_is "select count(*) from tries where task_id='wait'" 1 || fail "sensor did not start: $(grep level=error daemon.log)"
poked() { log=$(sq "select log_path from tries where task_id='wait'"); [ -n "$log" ] && grep -q "not found" "$log"; }
wait_for 30 poked || fail "no 'not found' poke logged"
touch out/flag
wait_run causes 20
assert_eq "failed 1" "$(sq "select state, try_number from task_instances where task_id='missing'" | tr '|' ' ')" "missing: failed at once"
assert_eq "command not found (exit 127)" "$(sq "select cause from tries where task_id='missing'")" "missing: cause"
assert_eq "failed 1" "$(sq "select state, try_number from task_instances where task_id='noexec'" | tr '|' ' ')" "noexec: failed at once"
assert_eq "command not executable (exit 126)" "$(sq "select cause from tries where task_id='noexec'")" "noexec: cause"
assert_eq "success" "$(ti_state causes long_timeout)" "a 3650-day timeout must not kill the task at start"
assert_eq "success" "$(ti_state causes wait)" "sensor"
log=$(sq "select log_path from tries where task_id='wait'")
[ -f "$log" ] || fail "the sensor's try has no log ($log)"
grep -q "poke $WORK/out/flag: not found" "$log" || fail "no 'not found' poke in $log: $(cat "$log")"
grep -q "poke $WORK/out/flag: found" "$log" || fail "no 'found' poke in $log: $(cat "$log")"
stop_daemon
