# A pass commits whole or not at all: for every N, the N-th sqlite3_step the
# daemon makes after a run is triggered fails (tests/tools/sqlfault.c, an
# LD_PRELOAD shim: the daemon has no test hook). After each, the run must
# still complete without a restart, and the store must be consistent:
# integrity_check ok, every try finished exactly once with its exit status,
# no try left queued/running, no task instance left unfinished, one try per
# task (a rolled-back intent is never started; a rolled-back exit is recorded
# again, not lost). Stops once N is past the last step of the run.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags
# The tasks run without the shim (LD_PRELOAD is the daemon's only).
cat > dags/small.yaml <<YAML
dag: small
tasks:
  - {id: a, env: {LD_PRELOAD: ""}, command: ["true"]}
  - {id: b, env: {LD_PRELOAD: ""}, depends_on: a, command: ["sh", "-c", "echo '{\"rows\": 1}'"]}
  - {id: c, env: {LD_PRELOAD: ""}, depends_on: a, command: ["true"]}
  - {id: d, env: {LD_PRELOAD: ""}, depends_on: [b, c], command: ["true"]}
YAML
cc -shared -fPIC -o "$WORK/sqlfault.so" "$ROOT/tests/tools/sqlfault.c" -ldl || fail "cannot build the shim"
preload=$WORK/sqlfault.so
# Under ASan its runtime must come first in the list.
asan=$(ldd "$BIN/schedulerd" | awk '/libasan/ {print $3}')
[ -n "$asan" ] && preload="$asan $preload"

max=${FAULT_MAX:-400}
fired=0
for n in $(seq 1 "$max"); do
	rm -rf "$WORK/st.db"* "$WORK/logs" "$WORK/arm" "$WORK/fault.log"
	# Only the daemon gets the shim (not the test's own commands).
	env LD_PRELOAD="$preload" SQLFAULT_ARM="$WORK/arm" SQLFAULT_N=$n SQLFAULT_LOG="$WORK/fault.log" \
		"$BIN/schedulerd" --dags "$WORK/dags" --state "$STATE" --logs "$WORK/logs" --kill-grace 1s \
		--drain-timeout 5s 2>>"$WORK/daemon.log" &
	DAEMON=$!
	on_exit "kill -9 $DAEMON"
	wait_for 30 sql_is "select count(*) from dags where dag_id='small'" 1 || fail "N=$n: DAG not loaded"
	touch "$WORK/arm"
	trigger small 1772582400
	wait_for 20 run_done small || fail "N=$n: run did not finish without a restart (state $(run_state small); fault: $(cat "$WORK/fault.log" 2>/dev/null))"
	stop_daemon
	what=$(cat "$WORK/fault.log" 2>/dev/null)
	[ -n "$what" ] || break	# N is past the run's last step
	fired=$((n))
	assert_eq ok "$(sq 'pragma integrity_check')" "N=$n ($what): integrity_check"
	assert_eq success "$(run_state small)" "N=$n ($what): run state"
	assert_eq "4 4" "$(sq "select count(*), sum(state='success') from task_instances" | tr "|" " ")" "N=$n ($what): task instances"
	assert_eq "4 4 4" "$(sq "select count(*), sum(state='success' and exit_code=0 and ended_us is not null), count(distinct task_id) from tries" | tr '|' ' ')" "N=$n ($what): one finished try per task, exit status kept"
	assert_eq 0 "$(sq "select count(*) from tries where state in ('queued','running')")" "N=$n ($what): tries left running"
	assert_eq '{"rows": 1}' "$(sq "select result from tries where task_id='b'")" "N=$n ($what): result kept"
	assert_eq 4 "$(sq "select count(*) from events where new_state='success' and task_id is not null")" "N=$n ($what): one success event per task"
done
[ "$fired" -ge 20 ] || fail "the shim fired only $fired times: is it loaded?"
[ "$fired" -lt "$max" ] || fail "the run still had steps after $max faults: raise FAULT_MAX"
note "failed each of the $fired steps of a 4-task run in turn; each time the run completed and the store was consistent"
grep -q commit_failed "$WORK/daemon.log" || fail "no pass was rolled back"
note "$(grep -c commit_failed "$WORK/daemon.log") passes rolled back in all"
