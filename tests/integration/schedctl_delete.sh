# schedctl delete against the real daemon: a running run is refused and keeps
# everything; once it was stopped and its try ended, delete removes the run,
# its task instances, tries, events and log files, leaves other runs alone,
# and records one event naming the run and the actor.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/del.yaml <<YAML
dag: del
tasks:
  - id: a
    command: ["sh", "-c", "echo hello; [ -e $WORK/out/a.quick ] || exec sleep 300"]
YAML
start_daemon
ME=$(id -un)
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }

touch out/a.quick
trigger del 1772582400
wait_run del 30
rm out/a.quick
trigger del 1772668800
wait_sql 30 "select t.state from task_instances t join runs r on r.id=t.run where r.run_id='manual__1772668800'" running || fail "a not running"
RUN=$(sq "select id from runs where run_id='manual__1772668800'")
LOG=$(sq "select log_path from tries where run=$RUN")
[ -n "$LOG" ] && wait_for 10 test -e "$LOG" || fail "no log for the running try ($LOG)"

note "a running run is refused"
sc delete del --run-id manual__1772668800 --yes >"$WORK/del0.out" 2>&1
assert_eq 1 "$?" "delete of a running run: exit"
grep -q "is running: stop it first" "$WORK/del0.out" || fail "message: $(cat "$WORK/del0.out")"
assert_eq 1 "$(sq "select count(*) from runs where id=$RUN")" "run kept"
assert_eq running "$(sq "select state from task_instances where run=$RUN")" "task instance kept"
test -e "$LOG" || fail "log removed by a refused delete"

note "stopped, then deleted"
sc stop del --run-id manual__1772668800 --yes >"$WORK/stop.out" 2>&1 || fail "stop: $(cat "$WORK/stop.out")"
wait_sql 30 "select state from tries where run=$RUN" failed || fail "the stopped try did not end"
sc delete del --run-id manual__1772668800 </dev/null >"$WORK/del1.out" 2>&1
assert_eq 2 "$?" "delete without --yes off a terminal"
assert_eq 1 "$(sq "select count(*) from runs where id=$RUN")" "run kept without --yes"
sc delete del --run-id manual__1772668800 --yes >"$WORK/del.out" 2>&1 || fail "delete: $(cat "$WORK/del.out")"
for t in task_instances tries events requests; do
	assert_eq 0 "$(sq "select count(*) from $t where run=$RUN")" "$t rows of the run"
done
assert_eq 0 "$(sq "select count(*) from runs where id=$RUN")" "run row"
[ ! -e "$LOG" ] || fail "log file left: $LOG"
[ ! -e "$(dirname "$LOG")" ] || fail "empty task log directory left"
assert_eq 1 "$(sq "select count(*) from events where new_state='deleted' and actor='$ME' and cause='run manual__1772668800 deleted by $ME'")" "delete event"
assert_eq success "$(sq "select state from runs where run_id='manual__1772582400'")" "the other run is kept"
assert_eq 1 "$(sq "select count(*) from tries t join runs r on r.id=t.run where r.run_id='manual__1772582400'")" "its try too"
OLDLOG=$(sq "select t.log_path from tries t join runs r on r.id=t.run where r.run_id='manual__1772582400'")
test -e "$OLDLOG" || fail "the other run's log was removed"

note "the daemon goes on: a new run of the same date is possible and runs"
touch out/a.quick
trigger del 1772668800
wait_sql 30 "select state from runs where run_id='manual__1772668800'" success || fail "rerun after delete"
stop_daemon
