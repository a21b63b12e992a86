# slurmlib.sh: a real single-node Slurm cluster for a test (sourced after
# testlib.sh and schedlib.sh): start_cluster starts one in $WORK/cluster
# (tests/tools/slurm-cluster.sh) and stops it on exit; start_slurm_daemon
# starts schedulerd pointed at it. Client commands are bounded with timeout:
# they hang ~9 s when slurmctld is down.
start_cluster() {
	CLUSTER=$WORK/cluster
	on_exit "$ROOT/tests/tools/slurm-cluster.sh stop $CLUSTER"
	"$ROOT/tests/tools/slurm-cluster.sh" start "$CLUSTER" "${1:-32}" || fail "slurm cluster did not start"
	set -a
	. "$CLUSTER/env"
	set +a
}
start_slurm_daemon() {
	start_daemon --slurm-url "$SLURM_URL" --slurm-token-file "$SLURM_TOKEN_FILE" --slurm-user root \
		--slurm-log-root "$WORK/slogs" "$@"
}
# job_state ID: slurmctld's state of a job ("" once it is gone)
job_state() { timeout 10 scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
try_col() { # try_col DAG TASK TRY COLUMN
	sq "select t.$4 from tries t join runs r on r.id=t.run where r.dag_id='$1' and t.task_id='$2' and t.try_number=$3 order by r.id desc limit 1"
}
