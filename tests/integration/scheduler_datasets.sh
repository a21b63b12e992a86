# timeout: 120
# Datasets end to end: a producer DAG whose two tasks declare outlets
# triggers a consumer DAG scheduled on both URIs, once both have had an event
# and not before; the events (with the producer's JSON result as extra) reach
# the consumer's templates; a second round triggers it again; a consumer
# added later is not triggered by the history before it, one created paused
# runs on the events it missed once unpaused; an outlet whose
# rendered URI is invalid fails its try and records nothing.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/producer.yaml <<YAML
dag: producer
tasks:
  - id: day
    outlets: ["file://$WORK/data/day/{{ ds_nodash }}"]
    command: ["sh", "-c", "echo '{\"rows\": 42}'"]
  - id: gate
    wait_for: {path: "$WORK/out/go.{{ ds_nodash }}", poke: 50ms, timeout: 60s}
  - id: week
    depends_on: gate
    outlets: ["hdfs:///rollup/week"]
    command: ["true"]
YAML
cat > dags/consumer.yaml <<YAML
dag: consumer
schedule:
  datasets: ["file://$WORK/data/day/20260101", "hdfs:///rollup/week"]
tasks:
  - id: report
    command: ["sh", "-c", "printf '%s\\\\n' '{{ triggering_dataset_events }}' >> $WORK/out/report; echo {{ run_id }} >> $WORK/out/runs"]
YAML
cat > dags/paused.yaml <<YAML
dag: paused
paused_on_create: true
schedule: {datasets: ["hdfs:///rollup/week"]}
tasks:
  - {id: t, command: ["true"]}
YAML
start_daemon
wait_sql 10 "select count(*) from dags" 3 || fail "DAGs not loaded: $(sq 'select file, errors from dag_files')"
wait_sql 10 "select count(*) from dataset_consumers where dag_id in ('consumer', 'paused')" 2 || fail "consumers not registered"

note "one of the two datasets updated: the consumer does not run"
trigger producer 1767225600	# 2026-01-01
wait_sql 20 "select count(*) from dataset_events where uri='file://$WORK/data/day/20260101'" 1 ||
	fail "no event for the day outlet: $(sq 'select * from dataset_events')"
sq "select extra from dataset_events where task_id='day'" | grep -q '"rows": 42' || fail "extra is not the result"
# The producer's sensor still waits, so the second URI has no event. Each
# poke is a pass of the daemon after the one that committed the event: two
# more pokes are two planner turns that saw it and did not start a run.
gate_log=$(sq "select log_path from tries where task_id='gate'")
n0=$(grep -c poke "$gate_log" 2>/dev/null || echo 0)
pokes_past() { [ "$(grep -c poke "$gate_log" 2>/dev/null || echo 0)" -ge "$1" ]; }
wait_for 20 pokes_past $((n0 + 2)) || fail "the sensor does not poke: $(cat "$gate_log")"
assert_eq 0 "$(sq "select count(*) from runs where dag_id='consumer'")" "consumer runs after one dataset"

note "the second dataset updated: the consumer runs once, with both events"
touch out/go.20260101
wait_run producer
wait_sql 20 "select count(*) from runs where dag_id='consumer' and state='success'" 1 ||
	fail "consumer did not run: $(sq "select run_id, state from runs")"
assert_eq dataset_triggered "$(sq "select run_type from runs where dag_id='consumer'")" "run type"
# its logical date: the producing run's (the data's day), so {{ ds }} names it
assert_eq "dataset_triggered__2026-01-01T00:00:00+00:00" "$(sq "select run_id from runs where dag_id='consumer'")" "run id"
grep -q "\"file://$WORK/data/day/20260101\":\[{\"id\":1,\"dag_id\":\"producer\",\"run_id\":\"manual__1767225600\",\"task_id\":\"day\"" out/report ||
	fail "triggering events in the template: $(cat out/report)"
grep -q '"hdfs:///rollup/week":\[{"id":2,' out/report || fail "second URI's events: $(cat out/report)"
grep -q '"extra":{"rows":42}' out/report || fail "extra in template: $(cat out/report)"

note "a DAG paused since its creation runs once unpaused, on the events that came meanwhile"
assert_eq 0 "$(sq "select count(*) from runs where dag_id='paused'")" "runs of the paused consumer"
"$BIN/schedctl" --state "$STATE" unpause paused >/dev/null || fail "unpause"
wait_sql 20 "select count(*) from runs where dag_id='paused' and state='success'" 1 || fail "paused consumer did not run"

note "the producer's tasks run again: the consumer runs again, once"
"$BIN/schedctl" --state "$STATE" clear producer --run-id manual__1767225600 --yes >/dev/null ||
	fail "schedctl clear failed"
wait_sql 20 "select count(*) from runs where dag_id='consumer' and state='success'" 2 ||
	fail "consumer not triggered again: $(sq "select run_id, state from runs")"
assert_eq 4 "$(sq "select upto_event from dataset_runs order by run desc limit 1")" "second run consumed events up to 4"
assert_eq "dataset_triggered__2026-01-01T00:00:01+00:00" "$(sq "select run_id from runs where dag_id='consumer' order by id desc limit 1")" \
	"second run of the same data day: the next free second"

note "a consumer added later ignores the history before it"
cat > dags/late.yaml <<YAML
dag: late
schedule: {datasets: ["hdfs:///rollup/week"]}
tasks:
  - {id: t, command: ["true"]}
YAML
wait_sql 20 "select count(*) from dataset_consumers where dag_id='late'" 1 || fail "late consumer not registered"

note "an outlet that renders to a bad URI fails the try, records nothing"
cat > dags/badout.yaml <<YAML
dag: badout
params: {p: "has space"}
tasks:
  - id: t
    retries: 3
    outlets: ["file:///x/{{ params.p }}"]
    command: ["true"]
YAML
wait_sql 20 "select count(*) from dags where dag_id='badout'" 1 || fail "badout not loaded: $(sq 'select errors from dag_files')"
trigger badout 1767225600
wait_run badout
assert_eq failed "$(ti_state badout t)" "task with a bad outlet"
sq "select cause from tries where task_id='t' and run=(select id from runs where dag_id='badout')" |
	grep -q "outlets: rendered URI 'file:///x/has space' contains a space" || fail "cause: $(sq "select cause from tries")"
assert_eq 1 "$(sq "select count(*) from tries where run=(select id from runs where dag_id='badout')")" "no retry of a bad outlet"
assert_eq 0 "$(sq "select count(*) from dataset_events where dag_id='badout'")" "events of a failed try"

note "many passes later: the late consumer never ran on the history, the consumer ran twice"
assert_eq 0 "$(sq "select count(*) from runs where dag_id='late'")" "late consumer ran on old events"
assert_eq 2 "$(sq "select count(*) from runs where dag_id='consumer'")" "consumer runs after two rounds"

note "schedctl datasets: the datasets, their last events, producers and consumers"
SC() { "$BIN/schedctl" --state "$STATE" "$@"; }
SC datasets > out/list || fail "schedctl datasets failed"
cat out/list
grep -E "^hdfs:///rollup/week +2 +.* producer.week manual__1767225600 +producer.week +consumer, late, paused" out/list ||
	fail "week row: $(cat out/list)"
grep -E "^file://$WORK/data/day/20260101 +2 .* producer.day +consumer$" out/list || fail "day row: $(cat out/list)"
SC datasets --json > out/list.json || fail "--json failed"
jq -e '.datasets | length == 2' out/list.json >/dev/null || fail "json: $(cat out/list.json)"
jq -e '.datasets[] | select(.uri == "hdfs:///rollup/week") | .consumers == [{"dag_id":"consumer","pending":false},{"dag_id":"late","pending":false},{"dag_id":"paused","pending":false}]' \
	out/list.json >/dev/null || fail "json consumers: $(cat out/list.json)"
SC datasets "file://$WORK/data/day/20260101" --json > out/one.json || fail "datasets URI --json failed"
jq -e '.recent_events | length == 2 and .[0].extra == {"rows": 42} and .[0].run_id == "manual__1767225600"' out/one.json >/dev/null ||
	fail "one dataset: $(cat out/one.json)"
SC datasets "file://$WORK/data/day/20260101" | grep -q "consumers: consumer" || fail "one dataset text"
SC graph --datasets > out/graph || fail "graph --datasets failed"
cat out/graph
grep -A3 "^producer$" out/graph | grep -q "└── hdfs:///rollup/week  (task week)" || fail "graph: $(cat out/graph)"
grep -A3 "^└── hdfs:///rollup/week" out/graph | grep -q "    └── late" || fail "graph consumers: $(cat out/graph)"
SC graph --datasets --dot | grep -q '"hdfs:///rollup/week" -> "consumer";' || fail "graph --dot"
SC datasets "s3://none" 2>out/none.err && fail "an unknown URI succeeded"
grep -q "no dataset 's3://none'" out/none.err || fail "unknown URI: $(cat out/none.err)"
stop_daemon
