# schedctl stop while the daemon is down (killed -9 with a try running, whose
# process outlives it): the states are final at once, and the daemon, when it
# starts, finds the try by its files, terminates it and records its end
# ("stopped on request"), so delete can then remove the run.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/sd.yaml <<YAML
dag: sd
tasks:
  - id: a
    command: ["sh", "-c", "echo \$\$ > $WORK/out/a.pid; exec sleep 300"]
YAML
start_daemon
trigger sd 1772582400
wait_sql 30 "select state from task_instances where task_id='a'" running || fail "a not running"
wait_for 10 test -s out/a.pid || fail "a wrote no pid"
APID=$(cat out/a.pid)
on_exit "kill -9 $APID"
kill -9 "$DAEMON"; wait "$DAEMON" 2>/dev/null
kill -0 "$APID" || fail "the try did not outlive the daemon"
"$BIN/schedctl" --state "$STATE" stop sd --run-id manual__1772582400 --yes >"$WORK/stop.out" 2>&1 \
	|| fail "stop: $(cat "$WORK/stop.out")"
assert_eq failed "$(run_state sd)" "run, daemon down"
assert_eq running "$(sq "select state from tries where task_id='a'")" "try row before the daemon is back"
start_daemon
wait_for 30 sh -c "! kill -0 $APID 2>/dev/null" || fail "the try outlived the stop"
wait_sql 30 "select state || ':' || cause from tries where task_id='a'" "failed:stopped on request" \
	|| fail "try: $(sq "select state, cause from tries")"
assert_eq failed "$(sq "select state from task_instances where task_id='a'")" "task instance"
assert_eq failed "$(run_state sd)" "run stays failed"
"$BIN/schedctl" --state "$STATE" delete sd --run-id manual__1772582400 --yes >"$WORK/del.out" 2>&1 \
	|| fail "delete: $(cat "$WORK/del.out")"
assert_eq 0 "$(sq "select count(*) from tries")" "tries deleted"
stop_daemon
