# slurm_chaos.sh: kill -9 of schedulerd ten times during a 100-task run on
# Slurm (tests/tools/slurm-cluster.sh), with the invariants of
# scheduler_chaos.sh: the run succeeds, no task ever had two live tries at
# once (a per-task lock each job takes), every task's work was done, once
# per try that ran (a try is never submitted twice: a restarted daemon finds
# its jobs by id, or by name when the id was not committed yet), success
# only with exit 0, and try numbers without gaps.
# timeout: 240
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
. "$ROOT/tests/tools/slurmlib.sh"
start_cluster
mkdir -p dags out
N=${CHAOS_TASKS:-100}
{
	echo "dag: chaos"
	echo "concurrency: 16"
	echo "default: {executor: slurm}"
	echo "tasks:"
	for i in $(seq 1 $N); do
		echo "  - id: t$i"
		echo "    retries: 3"
		echo "    retry_delay: 50ms"
		echo "    command: [\"sh\", \"-c\", \"exec 9>$WORK/out/t$i.lock; flock -n 9 || echo t$i >> $WORK/out/VIOLATION; sleep 0.\$((RANDOM % 5)); if [ \$SCHED_TRY = 1 ] && [ \$(( $i % 7 )) = 0 ]; then exit 1; fi; echo \$SCHED_TRY >> $WORK/out/t$i.done\"]"
		[ $i -gt 16 ] && echo "    depends_on: [t$((i - 16))]"
	done
} > dags/chaos.yaml
start_slurm_daemon --parallelism 16
wait_sql 60 "select count(*) from dags where dag_id='chaos'" 1 || fail "chaos.yaml not loaded"
trigger chaos 1772582400
kills=0
for k in $(seq 1 ${CHAOS_KILLS:-10}); do
	sleep "$(printf '0.%02d' $((30 + RANDOM % 60)))"
	kill -9 $DAEMON 2>/dev/null
	wait $DAEMON 2>/dev/null
	kills=$((kills + 1))
	run_done chaos && break
	start_slurm_daemon --parallelism 16
done
note "killed the daemon $kills times; letting it finish"
if ! { [ -n "${DAEMON:-}" ] && kill -0 "$DAEMON" 2>/dev/null; }; then start_slurm_daemon --parallelism 16; fi
wait_run chaos 150
assert_eq success "$(run_state chaos)" "chaos run"
[ -e out/VIOLATION ] && fail "two live tries of one task: $(sort -u out/VIOLATION | head)"
assert_eq "$N" "$(sq "select count(*) from task_instances where state='success'")" "successful task instances"
for i in $(seq 1 $N); do
	[ -s out/t$i.done ] || fail "t$i never completed its work"
	dup=$(sort out/t$i.done | uniq -d)
	[ -z "$dup" ] || fail "t$i: try $dup did its work twice (submitted twice)"
	ok=$(sq "select try_number from tries where task_id='t$i' and state='success'")
	grep -qx "$ok" out/t$i.done || fail "t$i: its successful try $ok left no work"
done
assert_eq 0 "$(sq "select count(*) from tries where state='success' and (exit_code is null or exit_code != 0)")" "success tries without exit 0"
assert_eq 0 "$(sq "select count(*) from tries where executor is not 'slurm'")" "tries not on slurm"
assert_eq 0 "$(sq "select count(*) from tries where external_id is null")" "tries without their job id"
gaps=$(sq "select count(*) from (select task_id, max(try_number) m, count(*) c from tries group by task_id) where m != c")
assert_eq 0 "$gaps" "tasks with gaps in their try numbers"
# Each job id belongs to one try: no try shares a job with another.
assert_eq 0 "$(sq "select count(*) from (select external_id from tries group by external_id having count(*) > 1)")" "job ids shared by tries"
assert_eq "$((N / 7))" "$(sq "select count(distinct task_id) from tries where state='failed' and try_number=1 and cast(substr(task_id, 2) as int) % 7 = 0")" "planned first-try failures"
found=$(grep -c 'event=task_job_found' "$WORK/daemon.log")
adopted=$(grep -c 'event=task_adopted' "$WORK/daemon.log")
note "adopted $adopted tries after restarts, $found of them found by name"
stop_daemon
echo "all passed after $kills kills"
