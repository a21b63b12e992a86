# schedlib.sh: helpers for the scheduler's integration tests (sourced after
# testlib.sh). Starts schedulerd on $WORK/dags with state $WORK/st.db.
STATE=$WORK/st.db
# start_daemon [ARGS]: starts schedulerd and returns once it holds the state
# lock (its pid in $STATE.lock). Never while a daemon of ours is alive: a
# second one exits at once with "another schedulerd uses this state file",
# and $DAEMON would then name a dead process (use ensure_daemon instead).
start_daemon() {
	if [ -n "${DAEMON:-}" ] && kill -0 "$DAEMON" 2>/dev/null; then
		fail "start_daemon: daemon $DAEMON still holds the state (test bug: use ensure_daemon)"
	fi
	"$BIN/schedulerd" --dags "$WORK/dags" --state "$STATE" --logs "$WORK/logs" \
		--kill-grace 1s --drain-timeout 5s "$@" 2>>"$WORK/daemon.log" &
	DAEMON=$!
	on_exit "kill -9 $DAEMON"
	wait_for 30 daemon_holds_state || fail "daemon did not start: $(tail -3 "$WORK/daemon.log")"
	wait_for 30 test -f "$STATE" || fail "daemon did not create $STATE"
	wait_for 10 sq "select 1 from dags limit 1" || true
}
daemon_holds_state() { kill -0 "$DAEMON" 2>/dev/null && [ "$(head -n 1 "$STATE.lock" 2>/dev/null)" = "$DAEMON" ]; }
# ensure_daemon [ARGS]: starts one unless ours is still running.
ensure_daemon() {
	if [ -n "${DAEMON:-}" ] && kill -0 "$DAEMON" 2>/dev/null; then return 0; fi
	start_daemon "$@"
}
# launcher_pid: the pid of the daemon's launcher, its child that is not a
# worker (schedulerd --parse-dags, --notify-worker, --retain-worker); fails if
# there is none.
launcher_pid() {
	local p found=1
	for p in $(pgrep -P "$DAEMON"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -Eq -- '--(parse-dags|notify-worker|retain-worker)' && continue
		echo "$p"; found=0
	done
	return $found
}
stop_daemon() { kill -TERM "$DAEMON" 2>/dev/null; wait "$DAEMON" 2>/dev/null; }
sq() { sqlite3 -cmd ".timeout 5000" "$STATE" "$@"; }
# trigger DAG LOGICAL_EPOCH: a manual run written the way schedctl writes one.
trigger() {
	sq "insert into runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key, created_us)
	    values('$1', 'manual__$2', $2, $2, 'manual', 'queued', $2, 0)"
}
run_state() { sq "select state from runs where dag_id='$1' order by id desc limit 1"; }
ti_state() { sq "select t.state from task_instances t join runs r on r.id=t.run where r.dag_id='$1' and t.task_id='$2' order by r.id desc limit 1"; }
run_done() { case "$(run_state "$1")" in success|failed) return 0;; esac; return 1; }
wait_run() { wait_for "${2:-20}" run_done "$1" || fail "run of $1 did not finish (state $(run_state "$1"))"; }
sql_is() { [ "$(sq "$1")" = "$2" ]; }
# wait_sql SECONDS SQL EXPECTED: polls until the query prints EXPECTED.
wait_sql() { wait_for "$1" sql_is "$2" "$3"; }
