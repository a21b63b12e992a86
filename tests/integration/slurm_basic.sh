# slurm_basic.sh: tasks on a real single-node Slurm cluster through
# slurmrestd: a DAG mixing local and Slurm tasks with dependencies, a failing
# Slurm task retried (exit 7 arrives as the raw 1792 and is decoded), a
# timeout that cancels the job, the try's log under --slurm-log-root read by
# schedctl logs, a clear with downstream, and a stream task on Slurm
# restarted after its job is cancelled from outside (scancel).
# timeout: 180
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
. "$ROOT/tests/tools/slurmlib.sh"
start_cluster
mkdir -p dags out
cat > dags/mix.yaml <<YAML
dag: mix
schedule: none
default:
  executor: slurm
  slurm: {partition: batch, cpus: 1, mem: 100M, time: 5m}
tasks:
  - {id: extract, executor: local, command: ["sh", "-c", "echo local > $WORK/out/extract"]}
  - id: transform
    depends_on: extract
    command: ["sh", "-c", "cat $WORK/out/extract; echo \"arg: \$1\"; echo \$SCHED_TRY >> $WORK/out/transform.runs; echo '{\"rows\": 7}'", "x", "it's \"quoted\" \$HOME"]
  - id: flaky
    depends_on: transform
    retries: 1
    retry_delay: 500ms
    command: ["sh", "-c", "[ \$SCHED_TRY -ge 2 ] || exit 7"]
  - id: slow
    depends_on: transform
    timeout: 2s
    command: ["sh", "-c", "echo \$\$ > $WORK/out/slow.pid; exec sleep 120"]
  - {id: report, executor: local, depends_on: [flaky], command: ["true"]}
YAML
start_slurm_daemon
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
wait_sql 60 "select count(*) from dags where dag_id='mix'" 1 || fail "mix.yaml not loaded"
sc trigger mix >/dev/null || fail "trigger"
wait_run mix 120

note "states and where each try ran"
assert_eq failed "$(run_state mix)" "run (slow timed out)"
assert_eq success "$(ti_state mix extract)" "extract"
assert_eq success "$(ti_state mix transform)" "transform"
assert_eq success "$(ti_state mix flaky)" "flaky (second try)"
assert_eq success "$(ti_state mix report)" "report"
assert_eq failed "$(ti_state mix slow)" "slow"
assert_eq "" "$(try_col mix extract 1 executor)" "extract ran locally"
assert_eq slurm "$(try_col mix transform 1 executor)" "transform ran on slurm"
job=$(try_col mix transform 1 external_id)
[ -n "$job" ] || fail "transform's job id recorded"
assert_eq COMPLETED "$(job_state "$job")" "slurmctld's state of transform's job"
assert_eq '{"rows": 7}' "$(try_col mix transform 1 result)" "result line from the Slurm log"

note "the argv reached the job word for word (quotes, \$, no shell expansion)"
sc logs mix transform >out/transform.log || fail "schedctl logs"
grep -qx 'local' out/transform.log || fail "log: $(cat out/transform.log)"
grep -qxF "arg: it's \"quoted\" \$HOME" out/transform.log || fail "argv quoting: $(cat out/transform.log)"
case "$(try_col mix transform 1 log_path)" in "$WORK/slogs/"*) ;; *) fail "log not under --slurm-log-root";; esac

note "exit 7 (raw 1792) decoded, retried"
assert_eq 7 "$(try_col mix flaky 1 exit_code)" "flaky try 1 exit code"
assert_eq 0 "$(try_col mix flaky 2 exit_code)" "flaky try 2"

note "timeout cancels the job"
case "$(try_col mix slow 1 cause)" in "timeout after"*) ;; *) fail "slow cause: $(try_col mix slow 1 cause)";; esac
sjob=$(try_col mix slow 1 external_id)
wait_for 20 sh -c "[ \"\$(timeout 10 scontrol -o show job $sjob | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')\" = CANCELLED ]" ||
	fail "slow's job not cancelled: $(job_state "$sjob")"
pid=$(cat out/slow.pid)
wait_for 20 sh -c "! kill -0 $pid" || fail "slow's sleep still runs"

note "clear with downstream reruns transform and what follows it on Slurm"
rid=$(sq "select run_id from runs where dag_id='mix'")
sc clear mix --run-id "$rid" --task transform --downstream --yes >/dev/null || fail "clear"
wait_sql 60 "select count(*) from tries t join runs r on r.id=t.run where r.dag_id='mix' and t.task_id='transform' and t.try_number=2 and t.state='success'" 1 ||
	fail "transform not rerun"
wait_run mix 120
assert_eq "1 2" "$(tr '\n' ' ' < out/transform.runs | sed 's/ $//')" "transform ran once per try"
assert_eq 1 "$(sq "select count(*) from tries where task_id='extract'")" "extract (upstream) not rerun"
[ "$(try_col mix transform 2 external_id)" != "$job" ] || fail "a new job for the new try"

note "clear --force of a running Slurm task cancels its job and runs it again; stop cancels it for good"
cat > dags/long.yaml <<YAML
dag: long
schedule: none
tasks:
  - {id: wait, executor: slurm, command: ["sh", "-c", "echo \$SCHED_TRY >> $WORK/out/long.starts; exec sleep 300"]}
YAML
kill -HUP "$DAEMON"
wait_sql 60 "select count(*) from dags where dag_id='long'" 1 || fail "long.yaml not loaded"
sc trigger long >/dev/null || fail "trigger long"
wait_sql 60 "select count(*) from tries where task_id='wait' and try_number=1 and state='running' and external_id is not null" 1 ||
	fail "long task not running"
ljob=$(sq "select external_id from tries where task_id='wait' and try_number=1")
lrid=$(sq "select run_id from runs where dag_id='long'")
sc clear long --run-id "$lrid" --task wait --force --yes >/dev/null || fail "clear --force"
wait_sql 60 "select count(*) from tries where task_id='wait' and try_number=2 and state='running' and external_id is not null" 1 ||
	fail "not restarted after clear --force: $(sq "select try_number, state, cause from tries where task_id='wait'")"
[ "$(job_state "$ljob")" = CANCELLED ] || fail "first job not cancelled: $(job_state "$ljob")"
ljob2=$(sq "select external_id from tries where task_id='wait' and try_number=2")
sc stop long --run-id "$lrid" --yes >/dev/null || fail "stop"
wait_for 30 sh -c "[ \"\$(timeout 10 scontrol -o show job $ljob2 | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')\" = CANCELLED ]" ||
	fail "stopped task's job not cancelled: $(job_state "$ljob2")"
wait_run long 30

note "a stream task on Slurm restarts after an outside scancel"
cat > dags/svc.yaml <<YAML
dag: svc
schedule: stream
tasks:
  - id: service
    executor: slurm
    retry_delay: 200ms
    command: ["sh", "-c", "echo \$SCHED_TRY >> $WORK/out/svc.starts; exec sleep 300"]
YAML
kill -HUP "$DAEMON"
wait_sql 60 "select count(*) from tries where task_id='service' and state='running' and external_id is not null" 1 ||
	fail "stream task not running on slurm: $(sq "select * from tries where task_id='service'")"
sjob=$(sq "select external_id from tries where task_id='service' and state='running'")
timeout 10 scancel "$sjob" || fail "scancel"
wait_sql 60 "select count(*) from tries where task_id='service' and try_number=2 and state='running' and external_id is not null" 1 ||
	fail "stream task not restarted: $(sq "select try_number, state, cause from tries where task_id='service'")"
case "$(sq "select cause from tries where task_id='service' and try_number=1")" in
*CANCELLED*) ;; *) fail "cause of the cancelled try: $(sq "select cause from tries where task_id='service' and try_number=1")";; esac
sjob2=$(sq "select external_id from tries where task_id='service' and try_number=2")
sc pause svc >/dev/null || fail "pause"
wait_for 30 sh -c "[ \"\$(timeout 10 scontrol -o show job $sjob2 | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')\" = CANCELLED ]" ||
	fail "paused stream's job not cancelled: $(job_state "$sjob2")"
stop_daemon
echo ok
