# schedctl mark against the real daemon. A running task marked success: its
# try is stopped, it is success without having finished, and its downstream
# reacts as if it had succeeded (b runs, the one_failed alert is skipped, the
# run succeeds). A failed task of an ended run marked success: the tasks its
# failure had made upstream_failed run, and the run ends success. Marking
# failed: downstream becomes upstream_failed, the run fails. Every marked
# transition names the actor.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/mk.yaml <<YAML
dag: mk
tasks:
  - id: a
    command: ["sh", "-c", "echo \$\$ > $WORK/out/a.pid; [ -e $WORK/out/a.fail ] && exit 1; exec sleep 300"]
  - {id: b, depends_on: a, command: ["sh", "-c", "echo x >> $WORK/out/b.ran"]}
  - {id: alert, depends_on: a, trigger_rule: one_failed, command: ["touch", "$WORK/out/alert"]}
YAML
start_daemon
ME=$(id -un)
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }

note "a running task marked success"
trigger mk 1772582400
wait_sql 30 "select state from task_instances where task_id='a'" running || fail "a not running"
wait_for 10 test -s out/a.pid || fail "a wrote no pid"
APID=$(cat out/a.pid)
sc mark success mk --run-id manual__1772582400 --task a --yes >"$WORK/mark.out" 2>&1 || fail "mark: $(cat "$WORK/mark.out")"
wait_run mk 30
assert_eq success "$(run_state mk)" "run"
assert_eq "success skipped success" "$(sq "select group_concat(state, ' ') from (select state from task_instances order by task_id)")" "a alert b"
assert_eq 1 "$(wc -l < out/b.ran)" "b ran once"
[ ! -e out/alert ] || fail "the one_failed alert ran"
wait_for 30 sh -c "! kill -0 $APID 2>/dev/null" || fail "a's try still runs"
wait_sql 30 "select state || ':' || cause from tries where task_id='a'" "failed:stopped on request" \
	|| fail "a's try: $(sq "select state, cause from tries where task_id='a'")"
assert_eq 1 "$(sq "select count(*) from events where task_id='a' and new_state='success' and actor='$ME' and cause='marked success by $ME'")" "a's event"

note "a failed task of a failed run marked success"
touch out/a.fail; rm -f out/b.ran
trigger mk 1772668800
wait_run mk 30
assert_eq failed "$(run_state mk)" "second run failed first"
assert_eq "failed success upstream_failed" "$(sq "select group_concat(state, ' ') from (select t.state from task_instances t join runs r on r.id=t.run where r.run_id='manual__1772668800' order by task_id)")" "a alert b before"
sc mark success mk --date 2026-03-05 --task a --yes >"$WORK/mark2.out" 2>&1 || fail "mark 2: $(cat "$WORK/mark2.out")"
grep -Eq '^b +upstream_failed +none' "$WORK/mark2.out" || fail "b not shown going back to none: $(cat "$WORK/mark2.out")"
wait_sql 30 "select state from runs where run_id='manual__1772668800'" success || fail "second run: $(run_state mk)"
assert_eq 1 "$(wc -l < out/b.ran)" "b ran after the mark"

note "mark failed: downstream reacts"
rm -f out/a.fail out/b.ran out/a.pid
trigger mk 1772755200
wait_sql 30 "select t.state from task_instances t join runs r on r.id=t.run where r.run_id='manual__1772755200' and task_id='a'" running || fail "a not running (3)"
sc mark failed mk --run-id manual__1772755200 --task a --yes >"$WORK/mark3.out" 2>&1 || fail "mark 3: $(cat "$WORK/mark3.out")"
wait_sql 30 "select state from runs where run_id='manual__1772755200'" failed || fail "third run: $(run_state mk)"
assert_eq "failed success upstream_failed" "$(sq "select group_concat(state, ' ') from (select t.state from task_instances t join runs r on r.id=t.run where r.run_id='manual__1772755200' order by task_id)")" "a alert b after mark failed"
[ ! -e out/b.ran ] || fail "b ran after a was marked failed"
stop_daemon
