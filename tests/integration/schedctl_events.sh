# schedctl_events.sh: `schedctl events` over the event log a real schedulerd
# writes, and the CAUSE column of `status`: a task that exits 3, a task whose
# command has a template error, and one that succeeds. Checks the table, the
# filters (DAG, --run, --date, --task, --last), the --json shape, and
# --follow: started in the background, it prints the events of a run
# triggered afterwards, JSON Lines with --json, ends on SIGINT with exit 0 and
# on a closed pipe.
source "$ROOT/tests/tools/testlib.sh"
export NO_COLOR=1
[ -x "$BIN/schedulerd" ] || fail "schedulerd is not built ($BIN)"
STATE=$WORK/state.db DAGS=$WORK/dags
mkdir -p "$DAGS" "$WORK/logs"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
cat >"$DAGS/ev.yaml" <<'YAML'
dag: ev
schedule: none
tasks:
  - id: ok
    command: [sh, -c, 'echo fine']
  - id: three
    depends_on: ok
    command: [sh, -c, 'exit 3']
  - id: tmpl
    command: [echo, "{{ env.SCHED_TEST_NOT_SET }}"]
YAML
unset SCHED_TEST_NOT_SET
"$BIN/schedulerd" --state "$STATE" --dags "$DAGS" --logs "$WORK/logs" --drain-timeout 1s \
	--kill-grace 1s >>"$WORK/daemon.log" 2>&1 &
daemon_pid=$!
on_exit "kill $daemon_pid; wait $daemon_pid"
wait_for 10 sc runs ev || { cat "$WORK/daemon.log"; fail "daemon did not load the DAG"; }
sc pause ev >/dev/null && sc unpause ev >/dev/null || fail "pause, unpause"
run_done() { sc status ev --date "$1" --json | grep -Eq '^\{[^[]*"state":"(success|failed)"'; }

note "a run with an exit 3 and a template error"
sc trigger ev --date 2026-03-01 >/dev/null || fail "trigger"
wait_for 30 run_done 2026-03-01 || { sc status ev; fail "run of 2026-03-01 did not finish"; }

note "status: CAUSE"
out=$(sc status ev --date 2026-03-01) || fail "status exit $?"
echo "$out"
echo "$out" | grep -Eq '^three +failed .* 3 +exit code 3' || fail "CAUSE of three"
echo "$out" | grep -Eq '^tmpl +failed .*SCHED_TEST_NOT_SET' || fail "CAUSE of tmpl names the unset variable"
echo "$out" | grep -Eq '^ok +success .* exit code 0' || fail "CAUSE of ok"

note "events: the table, oldest first, with causes"
out=$(sc events ev --last 0) || fail "events exit $?"
echo "$out"
echo "$out" | head -1 | grep -Eq '^TIME +DAG +RUN +TASK +TRY +CHANGE +CAUSE' || fail "events header"
echo "$out" | grep -Eq 'manual__2026-03-01T00:00:00\+00:00 +three +1 +running -> failed +exit code 3' ||
	fail "events: three failed with exit code 3"
echo "$out" | grep -Eq ' tmpl .*-> failed .*SCHED_TEST_NOT_SET' || fail "events: tmpl's template error"
echo "$out" | grep -Eq ' ev +- +- +- +paused -> unpaused +schedctl$' || fail "events: the DAG's unpause"
first=$(echo "$out" | sed -n 2p); lastl=$(echo "$out" | tail -1)
[[ "$first" < "$lastl" ]] || fail "events are oldest first"
all=$(echo "$out" | tail -n +2 | wc -l)
assert_eq 3 "$(sc events ev --last 3 | tail -n +2 | wc -l)" "--last 3"
assert_eq "$(echo "$out" | tail -1 | tr -s ' ')" "$(sc events ev --last 1 | tail -1 | tr -s ' ')" "--last 1 is the newest"
n=$(sc events ev --task three --last 0 | tail -n +2 | wc -l)
[ "$n" -ge 3 ] && [ "$n" -lt "$all" ] || fail "--task three: $n of $all events"
sc events ev --task three --last 0 | tail -n +2 | grep -v ' three ' && fail "--task shows other tasks"
assert_eq "$(sc events ev --date 2026-03-01 --last 0 | tail -n +2 | wc -l)" \
	"$(sc events --run manual__2026-03-01T00:00:00+00:00 --last 0 | tail -n +2 | wc -l)" "--date and --run agree"
sc events ev --date 2026-03-01 --last 0 | tail -n +2 | grep -v 'manual__2026-03-01' && fail "--date shows other runs"
err=$(sc events ev --task thre 2>&1); assert_eq 1 $? "unknown task"
echo "$err" | grep -q "did you mean 'three'" || fail "unknown task names the nearest: $err"
err=$(sc events --run nope 2>&1); assert_eq 1 $? "unknown run"
sc events --date 2026-03-01 >/dev/null 2>&1; assert_eq 2 $? "--date without DAG is usage"

note "events --json"
j=$(sc events ev --task three --last 0 --json) || fail "events --json exit $?"
jx() { sqlite3 :memory: "SELECT json_extract('${1//\'/\'\'}', '$2')"; }
assert_eq 1 "$(sqlite3 :memory: "SELECT json_valid('${j//\'/\'\'}')")" "events --json is JSON"
assert_eq "object" "$(jx "$j" '$.events[0].id' | sed 's/^[0-9][0-9]*$/object/')" "events[0].id is an integer"
last=$(sqlite3 :memory: "SELECT json_array_length('${j//\'/\'\'}', '\$.events')")
i=$((last - 1))
assert_eq ev "$(jx "$j" "\$.events[$i].dag_id")" "json dag_id"
assert_eq three "$(jx "$j" "\$.events[$i].task_id")" "json task_id"
assert_eq "manual__2026-03-01T00:00:00+00:00" "$(jx "$j" "\$.events[$i].run_id")" "json run_id"
assert_eq 1 "$(jx "$j" "\$.events[$i].try_number")" "json try_number"
assert_eq running "$(jx "$j" "\$.events[$i].old_state")" "json old_state"
assert_eq failed "$(jx "$j" "\$.events[$i].new_state")" "json new_state"
assert_eq "exit code 3" "$(jx "$j" "\$.events[$i].cause")" "json cause"
jx "$j" "\$.events[$i].at" | grep -Eq '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\+00:00$' || fail "json at is ISO 8601 UTC"
[ "$(jx "$j" "\$.events[$i].at_us")" -gt 0 ] || fail "json at_us"

note "events --follow: a run triggered afterwards shows up, SIGINT ends it with exit 0"
"$BIN/schedctl" --state "$STATE" events ev --follow --last 1 >"$WORK/follow.out" 2>"$WORK/follow.err" &
fpid=$!
on_exit "kill $fpid"
"$BIN/schedctl" --state "$STATE" events --follow --json --task three --last 0 >"$WORK/follow.json" 2>&1 &
jpid=$!
on_exit "kill $jpid"
wait_for 10 grep -q '^TIME' "$WORK/follow.out" || fail "follow printed no header"
sc trigger ev --date 2026-03-02 >/dev/null || fail "trigger 2"
wait_for 30 grep -Eq 'manual__2026-03-02T00:00:00\+00:00 +three +1 +running -> failed +exit code 3' "$WORK/follow.out" ||
	{ cat "$WORK/follow.out"; fail "follow did not print the new run's failure"; }
kill -INT $fpid
wait $fpid; assert_eq 0 $? "follow exit after SIGINT"
assert_eq 1 "$(grep -c "manual__2026-03-01" "$WORK/follow.out")" "follow --last 1 printed only the newest old event"
assert_eq 1 "$(grep -c 'manual__2026-03-02T00:00:00+00:00  three  1  running -> failed' "$WORK/follow.out")" "each event once"
wait_for 10 grep -q '"run_id":"manual__2026-03-02T00:00:00+00:00","task_id":"three","try_number":1,"old_state":"running","new_state":"failed"' "$WORK/follow.json" ||
	{ cat "$WORK/follow.json"; fail "follow --json did not print the new failure"; }
while read -r line; do
	[ "$(sqlite3 :memory: "SELECT json_valid('${line//\'/\'\'}')")" = 1 ] || fail "follow --json line is not JSON: $line"
done <"$WORK/follow.json"
kill -TERM $jpid
wait $jpid; assert_eq 0 $? "follow --json exit after SIGTERM"

note "events --follow ends when its reader goes away"
( "$BIN/schedctl" --state "$STATE" events ev --follow --last 0 & echo $! >"$WORK/pipe.pid"
  wait $!; echo "exit $?" >"$WORK/pipe.rc" ) | head -1 >/dev/null &
wait_for 10 test -s "$WORK/pipe.pid" || fail "follow did not start"
on_exit "kill $(cat "$WORK/pipe.pid")"
# New events until it has noticed (its next write after head exited fails).
poke() { sc pause ev >/dev/null; sc unpause ev >/dev/null; test -s "$WORK/pipe.rc"; }
wait_for 30 poke || fail "follow kept running after its reader exited"
assert_eq "exit 0" "$(cat "$WORK/pipe.rc")" "follow exit when the pipe closed"
echo ok
