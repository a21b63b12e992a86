# schedctl_daemon.sh: schedctl with schedulerd up. The issue's test: backfill
# three days of a DAG whose tasks write files named by {{ ds_nodash }}, clear
# the middle day with --downstream, and check that exactly that day's chosen
# tasks ran again (a second line in their files, a second try with its own
# log) and the other days were untouched. Also: a trigger made while the
# daemon is down runs when it starts; pause/unpause; logs --follow; clear
# --force stops a running task through the daemon.
source "$ROOT/tests/tools/testlib.sh"
export NO_COLOR=1
[ -x "$BIN/schedulerd" ] || fail "schedulerd is not built ($BIN)"
STATE=$WORK/state.db DAGS=$WORK/dags OUT=$WORK/out
mkdir -p "$DAGS" "$OUT" "$WORK/logs"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
cat >"$DAGS/part.yaml" <<YAML
dag: part
schedule: "@daily"
timezone: UTC
start_date: 2026-01-01
catchup: false
params:
  out: $OUT
tasks:
  - id: extract
    command: [sh, -c, 'echo ran >> "\$1"', x, "{{ params.out }}/extract.{{ ds_nodash }}"]
  - id: transform
    depends_on: extract
    command: [sh, -c, 'echo ran >> "\$1"', x, "{{ params.out }}/transform.{{ ds_nodash }}"]
  - id: load
    depends_on: transform
    command: [sh, -c, 'echo ran >> "\$1"', x, "{{ params.out }}/load.{{ ds_nodash }}"]
  - id: audit
    depends_on: extract
    command: [sh, -c, 'echo ran >> "\$1"', x, "{{ params.out }}/audit.{{ ds_nodash }}"]
YAML
cat >"$DAGS/slow.yaml" <<YAML
dag: slow
schedule: none
tasks:
  - id: nap
    command: [sh, -c, 'echo started; if [ "\$SCHED_TRY" = 1 ]; then sleep 30; fi; echo done']
  - id: quick
    command: [sh, -c, 'echo one; sleep 1; echo two']
YAML

daemon_pid=
start_daemon() {
	"$BIN/schedulerd" --state "$STATE" --dags "$DAGS" --logs "$WORK/logs" --drain-timeout 1s --kill-grace 1s >>"$WORK/daemon.log" 2>&1 &
	daemon_pid=$!
	on_exit "kill $daemon_pid; wait $daemon_pid"
	wait_for 10 sc runs part || { cat "$WORK/daemon.log"; fail "daemon did not load the DAGs"; }
}
stop_daemon() { kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; }
run_is() { [ "$(run_state "$1")" = "$2" ]; }
lines() { [ -f "$OUT/$1" ] && wc -l <"$OUT/$1" || echo 0; }
run_state() { sc status part --date "$1" --json | sed -n 's/.*"run_id":"[^"]*","logical_date":"[^"]*","interval_end":"[^"]*","type":"[^"]*","state":"\([a-z]*\)".*/\1/p'; }

note "the daemon creates the state; schedctl sees the DAGs"
start_daemon
sc unpause part >/dev/null; sc unpause slow >/dev/null
sc dags | grep -Eq '^part +@daily +UTC +no +4' || { sc dags; fail "dags shows part"; }

note "backfill three days and wait"
timeout 60 "$BIN/schedctl" --state "$STATE" backfill part --from 2026-03-01 --to 2026-03-03 --wait \
	|| { rc=$?; tail -20 "$WORK/daemon.log"; fail "backfill --wait exit $rc (124: the daemon never finished the runs)"; }
for day in 20260301 20260302 20260303; do
	for t in extract transform load audit; do assert_eq 1 "$(lines $t.$day)" "$t ran once for $day"; done
done
assert_eq 3 "$(sc runs part --run-state success | grep -c " backfill ")" "three successful backfill runs"

note "clear the middle day downstream of transform"
sc clear part --date 2026-03-02 --task transform --downstream --yes || fail "clear exit $?"
wait_for 20 run_is 2026-03-02 success || fail "cleared run did not succeed again"
for t in transform load; do assert_eq 2 "$(lines $t.20260302)" "$t ran again on the middle day"; done
for t in extract audit; do assert_eq 1 "$(lines $t.20260302)" "$t not rerun on the middle day"; done
for day in 20260301 20260303; do
	for t in extract transform load audit; do assert_eq 1 "$(lines $t.$day)" "$t untouched on $day"; done
done
sc logs part transform --date 2026-03-02 --try 1 >/dev/null || fail "first try's log kept"
sc logs part transform --date 2026-03-02 --try 2 >/dev/null || fail "second try's log"
# TRY counts this attempt's tries: 1/1 after the clear; the total stays in --json.
sc status part --date 2026-03-02 | grep -Eq '^transform +success +1/1 ' || fail "status shows this attempt's try 1/1"
sc status part --date 2026-03-02 --json | grep -q '"task_id":"transform","state":"success","try_number":2,' \
	|| fail "status --json keeps the total try number 2"
sc grid part | grep -Eq '^load +S +S +S' || fail "grid after the clear"

note "logs --follow ends with the try"
sc trigger slow --date 2026-03-01 >/dev/null || fail "trigger slow"
wait_for 10 sc logs slow quick --date 2026-03-01 || fail "quick never started"
out=$(timeout 20 "$BIN/schedctl" --state "$STATE" logs slow quick --date 2026-03-01 --follow) || fail "logs --follow exit $?"
assert_eq "one two" "$(echo $out)" "logs --follow printed the whole log"

note "clear --force stops a running task through the daemon"
wait_for 10 sh -c "\"$BIN/schedctl\" --state \"$STATE\" status slow --json | grep -q '\"task_id\":\"nap\",\"state\":\"running\"'" \
	|| fail "nap is not running"
sc clear slow --date 2026-03-01 --task nap --yes >/dev/null 2>&1; assert_eq 1 $? "running task needs --force"
sc clear slow --date 2026-03-01 --task nap --yes --force || fail "clear --force exit $?"
assert_eq 1 "$(sqlite3 "$STATE" "SELECT count(*) FROM events WHERE new_state='restarting' AND task_id='nap'")" "nap restarting"
slow_done() { "$BIN/schedctl" --state "$STATE" status slow --json | grep -q '"task_id":"nap","state":"success","try_number":2'; }
wait_for 20 slow_done || { sc status slow; fail "nap did not run again after clear --force"; }

note "pause stops new runs; a trigger while the daemon is down runs when it starts"
stop_daemon
sc trigger part --date 2026-03-10 >/dev/null || fail "trigger with the daemon down"
start_daemon
wait_for 20 run_is 2026-03-10 success || fail "run triggered while down did not run"
assert_eq 1 "$(lines extract.20260310)" "the offline trigger ran"
sc pause part >/dev/null
sc trigger part --date 2026-03-11 >/dev/null
sleep 2
assert_eq queued "$(run_state 2026-03-11)" "a paused DAG's run waits"
sc unpause part >/dev/null
wait_for 20 run_is 2026-03-11 success || fail "unpaused run did not run"
echo ok
