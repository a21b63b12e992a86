# Fault injection: one SQLite call of the daemon fails, for every call of a
# small DAG run in turn (tests/tools/sqlite_fault.so, preloaded into the
# daemon only; the daemon does not know). After each, with no restart unless
# the fault stopped the daemon at start-up:
#   - the run completes (nothing stranded by a pass that rolled back);
#   - the store is consistent: integrity_check, no try both running and
#     finished, every ended try has its exit status, every task instance done;
#   - every task's work was done exactly once (a rolled-back pass never starts
#     a try twice, and never loses one that ran), one success event each.
# Then the same with a fault that lasts (a disk full for a while: 40 calls,
# ROLLBACK included). The faults at start-up (migration, the first DAG load)
# must stop the daemon with an error line, or be survived like the others.
#
# Its rounds grow with the daemon's SQLite calls (about 200). make test runs
# it twice, plain and under ASan+UBSan: the plain build fails the odd calls
# and the sanitizer build the even ones, so together they fail every call
# once and each takes half the time (FAULT_STRIDE=1 fails every call in one
# build). About 1.5 minutes idle, more under ASan on a busy machine, hence
# its own limit:
# timeout: 1200
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
SHIM="$ROOT/$BUILD/tests/sqlite_fault.so"
[ -f "$SHIM" ] || SHIM="$(dirname "$BIN")/tests/sqlite_fault.so"
[ -f "$SHIM" ] || fail "no sqlite_fault.so (make test-programs)"
mkdir -p dags
# The tasks run without the shim (LD_PRELOAD is the daemon's only).
cat > dags/faults.yaml <<YAML
dag: faults
schedule: none
tasks:
  - {id: a, env: {LD_PRELOAD: ""}, command: [sh, -c, 'echo \$SCHED_TRY >> $WORK/out/a.done']}
  - {id: b, env: {LD_PRELOAD: ""}, depends_on: a, command: [sh, -c, 'echo \$SCHED_TRY >> $WORK/out/b.done']}
  - {id: c, env: {LD_PRELOAD: ""}, depends_on: a, command: [sh, -c, 'echo \$SCHED_TRY >> $WORK/out/c.done; echo "{\"rows\": 3}"']}
YAML
LD=1772582400
DAEMON=

# The shim goes into the daemon's environment only; under ASan its runtime
# must come first in the list.
preload=$SHIM
asan=$(ldd "$BIN/schedulerd" | awk '/libasan/ {print $3}')
[ -n "$asan" ] && preload="$asan $SHIM"
faulty_daemon() { # faulty_daemon AT COUNT
	SQLFAULT_AT=$1 SQLFAULT_COUNT=$2 SQLFAULT_LOG="$WORK/calls.log" LD_PRELOAD="$preload" \
		"$BIN/schedulerd" --dags "$WORK/dags" --state "$STATE" --logs "$WORK/logs" \
		--kill-grace 1s --drain-timeout 5s 2>>"$WORK/daemon.log" &
	DAEMON=$!
	on_exit "kill -9 $DAEMON"
}
fresh() { stop_daemon 2>/dev/null; rm -rf "$STATE" "$STATE"-* "$STATE".* out logs; mkdir -p out; : >"$WORK/daemon.log"; }
loaded() { [ "$(sq "select count(*) from dags where dag_id='faults'" 2>/dev/null)" = 1 ]; }

# one_round AT COUNT: a run with calls AT..AT+COUNT-1 failing; checks it all.
one_round() {
	fresh
	faulty_daemon "$1" "$2"
	# Loaded, or stopped by a fault at start-up (it must say why).
	wait_for 30 sh -c "! kill -0 $DAEMON 2>/dev/null || [ \"\$(sqlite3 '$STATE' \"select count(*) from dags where dag_id='faults'\" 2>/dev/null)\" = 1 ]" ||
		fail "fault at $1: daemon neither loaded the DAG nor stopped"
	if ! kill -0 "$DAEMON" 2>/dev/null; then
		wait "$DAEMON" 2>/dev/null
		grep -q 'level=error' "$WORK/daemon.log" ||
			fail "fault at $1: the daemon stopped without an error line: $(tail -3 "$WORK/daemon.log")"
		starts_failed=$((starts_failed + 1))
		start_daemon	# without the fault: a restart must pick up whatever was left
		wait_for 30 loaded || fail "fault at $1: DAG not loaded after restart"
	fi
	trigger faults $LD
	wait_for 60 run_done faults ||
		fail "fault at $1 (x$2): run stranded: run $(run_state faults), tasks $(sq "select group_concat(task_id||'='||state) from task_instances") $(grep -E 'level=(error|warn)' "$WORK/daemon.log" | tail -3)"
	kill -0 "$DAEMON" 2>/dev/null || fail "fault at $1: the daemon died during the run: $(tail -3 "$WORK/daemon.log")"
	stop_daemon
	assert_eq success "$(run_state faults)" "fault at $1 (x$2): run"
	assert_eq ok "$(sq 'pragma integrity_check')" "fault at $1: integrity_check"
	assert_eq 0 "$(sq "select count(*) from tries where state in ('queued','running')")" "fault at $1: tries left live"
	assert_eq 0 "$(sq "select count(*) from tries where ended_us is null or (state in ('success','failed') and exit_code is null)")" \
		"fault at $1: ended tries without end time or exit status"
	assert_eq 0 "$(sq "select count(*) from task_instances where state != 'success' or try_number != 1")" \
		"fault at $1: task instances not done by their first try"
	assert_eq 0 "$(sq "select count(*) from tries where state='success' and exit_code != 0")" "fault at $1: success without exit 0"
	assert_eq '{"rows": 3}' "$(sq "select result from tries where task_id='c'")" "fault at $1: c's result line"
	for t in a b c; do
		assert_eq 1 "$(cat out/$t.done 2>/dev/null | wc -l)" "fault at $1: task $t's work done once"
	done
	assert_eq 3 "$(sq "select count(*) from events where new_state='success' and task_id is not null")" \
		"fault at $1: one success event per task"
	grep -q 'event=commit_failed' "$WORK/daemon.log" && rolled_back=$((rolled_back + 1))
	! grep -E "AddressSanitizer|runtime error:" "$WORK/daemon.log" || fail "fault at $1: sanitizer report"
}

note "a clean run counts the daemon's SQLite calls"
fresh
: >"$WORK/calls.log"
faulty_daemon 0 0
wait_for 30 loaded || fail "daemon did not load the DAG: $(tail -3 daemon.log)"
trigger faults $LD
wait_run faults 60
stop_daemon
total=$(sed -n 's/^calls=\([0-9]*\) .*/\1/p' "$WORK/calls.log" | tail -1)
[ -n "$total" ] && [ "$total" -gt 10 ] || fail "the shim counted no calls: $(cat "$WORK/calls.log")"
# A clean run's count varies with the passes its timing takes; every call up
# to it, and a margin, gets its fault.
last=${FAULT_LAST:-$((total + 20))}
stride=${FAULT_STRIDE:-2}
first=1
[ -n "$asan" ] && [ "$stride" = 2 ] && first=2
note "$total calls in a clean run; failing each of $first..$last in steps of $stride"
starts_failed=0 rolled_back=0 rounds=0
for n in $(seq "$first" "$stride" "$last"); do
	one_round "$n" 1
	rounds=$((rounds + 1))
done
note "$rounds rounds: $starts_failed stopped the daemon at start-up, $rolled_back rolled a pass back"
[ "$rolled_back" -ge 10 ] || fail "only $rolled_back rounds rolled a pass back: is the shim loaded?"

note "a fault that lasts 40 calls (a full disk for a while), at a few points"
for n in 15 40 $((total / 2)) $((total - 10)); do
	one_round "$n" 40
done
echo "all passed"
