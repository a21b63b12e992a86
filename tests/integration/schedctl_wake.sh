# schedctl_wake.sh: a request written by schedctl reaches a running daemon at
# once through its doorbell FIFO (<state>.wake), not at its next periodic look
# at the store (every 250 ms): the median delay from a trigger's commit to its
# run's start must be well under that period. trigger --wait follows the run
# to its end and exits by its outcome. A doorbell path taken by a regular
# file costs only the delay: the daemon warns and still runs.
source "$ROOT/tests/tools/testlib.sh"
[ -x "$BIN/schedulerd" ] || fail "schedulerd is not built ($BIN)"
STATE=$WORK/state.db DAGS=$WORK/dags
mkdir -p "$DAGS" "$WORK/logs"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
sq() { sqlite3 -cmd ".timeout 5000" "$STATE" "$@"; }
cat >"$DAGS/quick.yaml" <<YAML
dag: quick
schedule: none
tasks:
  - id: t
    command: [/bin/true]
YAML
cat >"$DAGS/two.yaml" <<YAML
dag: two
schedule: none
tasks:
  - id: a
    command: [sh, -c, 'sleep 0.3']
  - id: b
    depends_on: a
    command: [sh, -c, 'exit \$FAIL_WITH', x]
    env: {FAIL_WITH: "{{ params.code }}"}
    retries: 0
params:
  code: "0"
YAML
start_daemon() {
	"$BIN/schedulerd" --state "$STATE" --dags "$DAGS" --logs "$WORK/logs" >>"$WORK/daemon.log" 2>&1 &
	daemon_pid=$!
	on_exit "kill $daemon_pid; wait $daemon_pid"
	wait_for 10 sc runs quick || { cat "$WORK/daemon.log"; fail "daemon did not load the DAG"; }
}
run_done() { [ "$(sq "SELECT state FROM runs WHERE logical_date=$1")" = success ]; }

note "the daemon listens on a FIFO beside the state file"
start_daemon
sc unpause quick >/dev/null
[ -p "$STATE.wake" ] || fail "no FIFO at $STATE.wake"

note "ten triggers: each run starts within a few ms of its commit"
for d in 01 02 03 04 05 06 07 08 09 10; do
	sc trigger quick --date 2026-03-$d >/dev/null || fail "trigger $d"
	ld=$(date -u -d 2026-03-$d +%s)
	wait_for 10 run_done "$ld" || { cat "$WORK/daemon.log"; fail "run $d did not finish"; }
done
delays=$(sq "SELECT (started_us - created_us) / 1000 FROM runs ORDER BY 1")
echo "trigger commit -> run start, ms: $(echo $delays)"
median=$(echo "$delays" | sed -n 6p)
[ "$median" -lt 60 ] || fail "median pickup $median ms: the daemon waited for its periodic check"

note "trigger --wait: follows the run, exits by its outcome"
sc unpause two >/dev/null
out=$(sc trigger two --date 2026-04-01 --wait 2>&1) || fail "wait on a good run: exit $?: $out"
echo "$out"
echo "$out" | grep -q '^run manual__2026-04-01T00:00:00+00:00 of two: 2/2 tasks done, run success$' ||
	fail "progress line (not a terminal)"
echo "$out" | grep -Eq '^run manual__2026-04-01T00:00:00\+00:00 of two finished: success in 0\.[3-9] s$' ||
	fail "final line"
[ "$(sq "SELECT state FROM runs WHERE dag_id='two'")" = success ] || fail "the run succeeded"
out=$(sc trigger two --date 2026-04-02 --param code=3 --wait 2>&1); rc=$?
echo "$out"
assert_eq 1 "$rc" "wait on a failing run"
echo "$out" | grep -q 'finished: failed in' || fail "failed run's final line"

note "trigger --wait with no daemon: says so, and waits for one"
kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null
sc trigger two --date 2026-04-03 --wait >"$WORK/wait.out" 2>&1 &
waiter=$!
on_exit "kill $waiter"
wait_for 10 grep -q "no schedulerd is running on $STATE" "$WORK/wait.out" || { cat "$WORK/wait.out"; fail "no note"; }

note "a regular file in the FIFO's place: a warning, requests still seen"
rm -f "$STATE.wake"; : >"$STATE.wake"
start_daemon
wait "$waiter" || { cat "$WORK/wait.out"; fail "the waiting trigger: exit $?"; }
grep -q 'finished: success' "$WORK/wait.out" || fail "the waiting trigger saw the end"
grep -q 'event=wake_fifo_failed.*not a FIFO' "$WORK/daemon.log" || { cat "$WORK/daemon.log"; fail "no warning"; }
sc trigger quick --date 2026-03-11 >/dev/null || fail "trigger 11"
wait_for 10 run_done "$(date -u -d 2026-03-11 +%s)" || fail "run 11 did not finish without the doorbell"
[ ! -s "$STATE.wake" ] || fail "schedctl wrote into a regular file"
echo ok
