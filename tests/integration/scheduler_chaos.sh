# kill -9 of schedulerd, again and again, during a run of a few hundred tasks;
# then every durability invariant: the run succeeds, no try is recorded
# success unless its process exited 0, no task instance ever had two live
# tries at once, and every task's work was done. Every third round the
# daemon's launcher (executors/launcher.h) is killed first. Then a launcher
# killed under a live daemon, which must go on with a new one.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
N=${CHAOS_TASKS:-300}
{
	echo "dag: chaos"
	echo "concurrency: 8"
	echo "tasks:"
	for i in $(seq 1 $N); do
		echo "  - id: t$i"
		# Each try takes a per-task lock: two live tries of one task would
		# find it held and record the violation. Some tasks fail their first try.
		echo "    retries: 3"
		echo "    retry_delay: 50ms"
		echo "    command: [\"sh\", \"-c\", \"exec 9>$WORK/out/t$i.lock; flock -n 9 || echo t$i >> $WORK/out/VIOLATION; sleep 0.0\$((RANDOM % 9)); if [ \$SCHED_TRY = 1 ] && [ \$(( $i % 7 )) = 0 ]; then exit 1; fi; echo \$SCHED_TRY >> $WORK/out/t$i.done\"]"
		[ $i -gt 8 ] && echo "    depends_on: [t$((i - 8))]"
	done
} > dags/chaos.yaml
start_daemon --parallelism 8
trigger chaos 1772582400
kills=0; launcher_kills=0
for k in $(seq 1 ${CHAOS_KILLS:-12}); do
	sleep "$(printf '0.%02d' $((5 + RANDOM % 20)))"
	if [ $((k % 3)) = 0 ]; then
		# Its launcher first (launcher_pid: not a DAG parse worker): a new
		# one is started and the orphaned tries are watched by their locks.
		l=$(launcher_pid) && kill -9 $l 2>/dev/null && launcher_kills=$((launcher_kills + 1))
		sleep "$(printf '0.%02d' $((5 + RANDOM % 10)))"
	fi
	kill -9 $DAEMON 2>/dev/null
	wait $DAEMON 2>/dev/null
	kills=$((kills + 1))
	run_done chaos && break
	start_daemon --parallelism 8
done
note "killed the daemon $kills times (its launcher $launcher_kills times); letting it finish"
# The last round may have started one already (the run had not finished).
ensure_daemon --parallelism 8
wait_run chaos 120
assert_eq success "$(run_state chaos)" "chaos run"
[ -e out/VIOLATION ] && fail "two live tries of one task: $(sort -u out/VIOLATION | head)"
assert_eq "$N" "$(sq "select count(*) from task_instances where state='success'")" "successful task instances"
# Every task's work done exactly by its successful try.
for i in $(seq 1 $N); do
	[ -s out/t$i.done ] || fail "t$i never completed its work"
done
# A try is success only with exit code 0; where its launcher wrote an exit
# record to disk (try-N.sup, when a daemon died while the try ran or before its
# outcome was committed), the record agrees.
bad=$(sq "select count(*) from tries where state='success' and (exit_code is null or exit_code != 0)")
assert_eq 0 "$bad" "success tries without exit 0"
records=0
while IFS='|' read -r log try; do
	st=${log%.log}.sup
	[ -e "$st" ] || continue
	read -r code sig _ < <(sed -n 2p "$st") || fail "no exit record in $st"
	[ "$code $sig" = "0 0" ] || fail "$st says $code $sig but recorded success"
	records=$((records + 1))
done < <(sq "select log_path, try_number from tries where state='success'")
note "$records successful tries were recorded from an exit record on disk"
# The per-task retry budgets were respected: tries numbered 1..n without gaps.
gaps=$(sq "select count(*) from (select task_id, max(try_number) m, count(*) c from tries group by task_id) where m != c")
assert_eq 0 "$gaps" "tasks with gaps in their try numbers"
# Tasks 7, 14, ... failed their first try and succeeded on a later one. (Its
# cause is "exit code 1", or "launcher lost: ..." for a try that was
# running when its launcher was killed.)
assert_eq "$((N / 7))" "$(sq "select count(distinct task_id) from tries where state='failed' and try_number=1 and cast(substr(task_id, 2) as int) % 7 = 0")" "planned first-try failures"
assert_eq 0 "$(sq "select count(*) from tries where state='success' and try_number=1 and cast(substr(task_id, 2) as int) % 7 = 0")" "planned failures recorded success"
assert_eq "$((N / 7))" "$(sq "select count(distinct task_id) from tries where state='failed' and try_number=1 and cast(substr(task_id, 2) as int) % 7 = 0 and (cause = 'exit code 1' or cause like 'launcher lost:%')")" "first-try failures with their cause"

note "a launcher killed under a live daemon: it starts another and goes on"
cat > dags/after.yaml <<YAML
dag: after
schedule: none
tasks:
$(for i in $(seq 1 20); do echo "  - {id: a$i, command: [/bin/true]$( [ $i -gt 1 ] && echo ", depends_on: [a$((i - 1))]")}"; done)
YAML
ensure_daemon --parallelism 8
wait_for 10 sq "select 1 from dags where dag_id='after'" || fail "after.yaml not loaded"
wait_for 10 launcher_pid || fail "no launcher"
launcher=$(launcher_pid) || fail "no launcher"
kill -9 $launcher
wait_for 10 grep -q "event=launcher_lost pid=$launcher" "$WORK/daemon.log" || fail "launcher loss not noticed"
trigger after 1772582400
wait_run after 30
assert_eq success "$(run_state after)" "the run after the launcher's loss"
kill -0 $DAEMON 2>/dev/null || fail "the daemon died after losing its launcher: $(tail -5 "$WORK/daemon.log")"
[ "$(launcher_pid)" != "$launcher" ] || fail "no new launcher"
stop_daemon
# A daemon the sanitizers stopped would have been restarted above unnoticed.
! grep -E "AddressSanitizer|LeakSanitizer|runtime error:" "$WORK/daemon.log" || fail "sanitizer report in the daemon's log"
echo "all passed after $kills kills"
