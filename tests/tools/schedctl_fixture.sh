# schedctl_fixture.sh: shared setup of the schedctl integration tests
# (sourced after testlib.sh): a DAG directory and a state file prepared without
# the daemon: the store's own schema and DAG rows (sched_mkstate), then runs
# and task instances inserted with the sqlite3 CLI as the daemon would write
# them. Sets $STATE, $DAGS and the function sc (schedctl with --state).
STATE=$WORK/state.db
DAGS=$WORK/dags
export NO_COLOR=1
mkdir -p "$DAGS"
cat >"$DAGS/etl.yaml" <<'YAML'
dag: etl
description: extract, transform, load; report after extract
schedule: "@daily"
timezone: UTC
start_date: 2026-01-01
params:
  region: eu
tasks:
  - id: extract
    command: [echo, "extract {{ ds_nodash }} {{ params.region }}"]
  - id: transform
    depends_on: extract
    retries: 2
    command: [echo, "transform {{ ds }}"]
  - id: load
    depends_on: transform
    command: [sh, -c, "echo load $SCHED_DS; exit 3"]
  - id: report
    depends_on: extract
    command: [echo, report]
YAML
cat >"$DAGS/manual.yaml" <<'YAML'
dag: manual_only
schedule: none
tasks:
  - id: only
    command: [true]
YAML
"$BIN/../tests/sched_mkstate" "$STATE" "$DAGS/etl.yaml" "$DAGS/manual.yaml" || fail "sched_mkstate"

sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
sq() { sqlite3 -cmd '.timeout 5000' "$STATE" "$@"; }

# add_run DAY STATE: a scheduled run for DAY (YYYY-MM-DD, UTC midnight); prints its id.
add_run() {
	local t end
	t=$(date -u -d "$1" +%s); end=$((t + 86400))
	sq "INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key,
	    created_us, started_us, ended_us) VALUES('etl', 'scheduled__$1T00:00:00+00:00', $t, $end,
	    'scheduled', '$2', $t, $t * 1000000, ($t + 60) * 1000000, ($t + 120) * 1000000);
	    SELECT last_insert_rowid();"
}
# add_ti RUN TASK STATE [TRY] [EXIT]
add_ti() {
	sq "INSERT INTO task_instances(run, task_id, state, try_number, max_tries, started_us,
	    ended_us, exit_code, log_path, result) VALUES($1, '$2', '$3', ${4:-1}, 3,
	    1700000000000000, 1700000002500000, ${5:-0}, '$WORK/logs/$1.$2.${4:-1}.log',
	    '{\"records\":42}');
	    INSERT INTO tries(run, task_id, try_number, state, started_us, ended_us, exit_code, log_path)
	    VALUES($1, '$2', ${4:-1}, '$3', 1700000000000000, 1700000002500000, ${5:-0},
	    '$WORK/logs/$1.$2.${4:-1}.log');"
	mkdir -p "$WORK/logs"
	echo "log of $2 try ${4:-1} in run $1" >"$WORK/logs/$1.$2.${4:-1}.log"
}
# ti_state RUN TASK
ti_state() { sq "SELECT state FROM task_instances WHERE run=$1 AND task_id='$2'"; }
# jx JSON PATH: json_extract with SQLite (jq is not a dependency); fails on invalid JSON.
jx() {
	local j=${1//\'/\'\'}
	[ "$(sqlite3 :memory: "SELECT json_valid('$j')")" = 1 ] || fail "invalid JSON: $1"
	sqlite3 :memory: "SELECT json_extract('$j', '$2')"
}
