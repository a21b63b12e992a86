# schedctl stop against the real daemon: a run with two running tries and a
# task waiting on one of them. The running tries are terminated (their
# processes are gone, their tries end "stopped on request"), their task
# instances fail, the waiting task is skipped and never starts, the run ends
# failed with cause "stopped by <user>", and every transition names the
# actor. Without --yes and a terminal nothing changes; an ended run is refused.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/stp.yaml <<YAML
dag: stp
tasks:
  - id: a
    command: ["sh", "-c", "echo \$\$ > $WORK/out/a.pid; exec sleep 300"]
  - id: b
    command: ["sh", "-c", "echo \$\$ > $WORK/out/b.pid; exec sleep 300"]
  - {id: c, depends_on: a, command: ["touch", "$WORK/out/c.ran"]}
YAML
start_daemon
ME=$(id -un)
trigger stp 1772582400
wait_sql 30 "select group_concat(state, ' ') from (select state from task_instances where task_id in ('a','b') order by task_id)" "running running" \
	|| fail "a and b not running: $(sq "select task_id, state from task_instances")"
wait_for 10 test -s out/a.pid || fail "a wrote no pid"
wait_for 10 test -s out/b.pid || fail "b wrote no pid"
APID=$(cat out/a.pid) BPID=$(cat out/b.pid)

note "without --yes and no terminal: refused, nothing changed"
"$BIN/schedctl" --state "$STATE" stop stp --run-id manual__1772582400 </dev/null >"$WORK/stop0.out" 2>&1
rc=$?
assert_eq 2 "$rc" "stop without --yes: exit"
grep -q -- "--yes" "$WORK/stop0.out" || fail "no hint at --yes: $(cat "$WORK/stop0.out")"
assert_eq running "$(run_state stp)" "run after a refused stop"

note "stop --run-id ... --yes"
"$BIN/schedctl" --state "$STATE" stop stp --run-id manual__1772582400 --yes >"$WORK/stop.out" 2>&1 \
	|| fail "schedctl stop: $(cat "$WORK/stop.out")"
assert_eq failed "$(run_state stp)" "run"
assert_eq "stopped by $ME" "$(sq "select cause from runs where dag_id='stp'")" "run cause"
assert_eq "failed failed skipped" "$(sq "select group_concat(state, ' ') from (select state from task_instances order by task_id)")" "a b c"
wait_for 30 sh -c "! kill -0 $APID 2>/dev/null && ! kill -0 $BPID 2>/dev/null" || fail "the stopped tries still run"
wait_sql 30 "select group_concat(state || ':' || cause, ' ') from (select state, cause from tries where task_id in ('a','b') order by task_id)" \
	"failed:stopped on request failed:stopped on request" || fail "tries: $(sq "select task_id, state, cause from tries")"
assert_eq 0 "$(sq "select count(*) from tries where task_id='c'")" "c has no try"
[ ! -e out/c.ran ] || fail "c ran after the stop"
assert_eq 2 "$(sq "select count(*) from requests where kind='stop' and state='done'")" "stop requests done"
assert_eq 4 "$(sq "select count(*) from events where actor='$ME' and cause='stopped by $ME'")" "events with the actor (a, b, c, run)"
assert_eq 0 "$(sq "select count(*) from events where run is not null and task_id is null and old_state='failed'")" "the run did not move on"

"$BIN/schedctl" --state "$STATE" events stp --json >"$WORK/ev.json" || fail "events --json"
evq() { sqlite3 :memory: "SELECT $1 FROM json_each(readfile('$WORK/ev.json'), '\$.events') e"; }
assert_eq 4 "$(evq "count(*) FILTER (WHERE json_extract(e.value, '\$.actor') = '$ME')")" "events --json actor"
assert_eq 0 "$(evq "count(*) FILTER (WHERE json_extract(e.value, '\$.cause') = 'run started' AND json_extract(e.value, '\$.actor') IS NOT NULL)")" "the daemon's events have no actor"

note "stopping an ended run is refused"
"$BIN/schedctl" --state "$STATE" stop stp --date 2026-03-04 --yes >"$WORK/stop2.out" 2>&1
rc=$?
assert_eq 1 "$rc" "stop of an ended run: exit"
grep -q "already ended (failed)" "$WORK/stop2.out" || fail "message: $(cat "$WORK/stop2.out")"
stop_daemon
