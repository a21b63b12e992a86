# slurm_outage.sh: slurmrestd stopped and restarted in the middle of a run on
# Slurm: while it is gone, nothing is marked failed (tries wait, with one
# event saying why, and running jobs go on on the cluster); once it is back,
# the waiting tries are submitted, the ended jobs recorded, and the run
# succeeds with every try a success.
# timeout: 120
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
. "$ROOT/tests/tools/slurmlib.sh"
start_cluster
mkdir -p dags out
N=12
{
	echo "dag: out"
	echo "schedule: none"
	echo "default: {executor: slurm}"
	echo "tasks:"
	for i in $(seq 1 $N); do
		echo "  - {id: t$i, command: [\"sh\", \"-c\", \"sleep 1; echo \$SCHED_TRY >> $WORK/out/t$i.done\"]$( [ $i -gt 3 ] && echo ", depends_on: [t$((i - 3))]")}"
	done
} > dags/out.yaml
start_slurm_daemon --parallelism 3
no_failure() {
	assert_eq 0 "$(sq "select count(*) from tries where state='failed'")" "tries failed while slurmrestd was down"
	assert_eq 0 "$(sq "select count(*) from task_instances where state in ('failed', 'up_for_retry')")" "task instances failed"
}
note "slurmrestd down before the run: its first tries wait"
"$ROOT/tests/tools/slurm-cluster.sh" stop-rest "$CLUSTER"
wait_sql 60 "select count(*) from dags where dag_id='out'" 1 || fail "out.yaml not loaded"
"$BIN/schedctl" --state "$STATE" trigger out >/dev/null || fail "trigger"
wait_sql 60 "select count(*) from events where cause like 'waiting for the Slurm cluster:%'" 3 ||
	fail "no waiting events: $(sq "select task_id, old_state, new_state, cause from events order by id desc limit 5")"
grep -q 'event=slurm_unreachable' "$WORK/daemon.log" || fail "unreachable not logged"
sleep 2	# submissions retried, still nobody there: nothing failed
no_failure
assert_eq 0 "$(sq "select count(*) from tries where external_id is not null")" "tries submitted"
"$ROOT/tests/tools/slurm-cluster.sh" start-rest "$CLUSTER" || fail "slurmrestd did not come back"
note "back: the waiting tries go out"
wait_sql 60 "select count(*) from tries where state='running' and external_id is not null" 3 || fail "no job running"
note "slurmrestd stopped mid-run: the running jobs end on the cluster meanwhile"
"$ROOT/tests/tools/slurm-cluster.sh" stop-rest "$CLUSTER"
sleep 3
no_failure
"$ROOT/tests/tools/slurm-cluster.sh" start-rest "$CLUSTER" || fail "slurmrestd did not come back"
wait_run out 90
assert_eq success "$(run_state out)" "run"
assert_eq "$N" "$(sq "select count(*) from tries where state='success'")" "successful tries"
assert_eq 0 "$(sq "select count(*) from tries where state!='success'")" "other tries"
for i in $(seq 1 $N); do assert_eq 1 "$(cat out/t$i.done)" "t$i ran once"; done
grep -q 'event=slurm_reachable' "$WORK/daemon.log" || fail "recovery not logged"
stop_daemon
echo ok
