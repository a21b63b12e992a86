# mapped_views_daemon.sh: a small mapped DAG (expand:, issue 21) run by a real
# schedulerd, then read as a user does: schedctl status/grid/logs (an
# instance's log holds its own element), the REST API's list (task_id the
# task's, map_index N) and listMapped, the web UI's grid row and the task's
# list of instances with each one's rendered command.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
source "$ROOT/tests/tools/weblib.sh"
export NO_COLOR=1
mkdir -p dags logs
cat >dags/mv.yaml <<'YAML'
dag: mv
schedule: none
paused_on_create: false
tasks:
  - id: list
    command: [sh, -c, 'echo "{\"parts\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\"]}"']
  - id: load
    depends_on: [list]
    expand:
      over: "{{ ti.list.result.parts }}"
      as: part
    command: [sh, -c, 'echo "loading $1 as $2"; [ "$1" != k ]', load, "{{ part }}", "{{ map_index }}"]
  - id: report
    depends_on: [load]
    trigger_rule: all_done
    command: [echo, report]
YAML
start_daemon
wait_sql 60 "select count(*) from dags where dag_id='mv'" 1 || fail "mv was not loaded: $(tail -3 "$WORK/daemon.log")"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
sc trigger mv >/dev/null || fail "trigger"
wait_run mv 60
assert_eq success "$(run_state mv)" "the run: its leaf (report, all_done) succeeded"
assert_eq "failed 12" "$(sq "select t.state, (select count(*) from task_instances i where i.run=t.run and i.task_id like 'load[%')
	from task_instances t where t.task_id='load'" | tr '|' ' ')" "load: aggregate failed, 12 instances"

note "schedctl status and grid"
out=$(sc status mv) || fail "status"
echo "$out"
assert_eq "list load load[0] load[1] load[2] load[3] load[4] load[5] load[6] load[7] load[8] load[9] load[10] load[11] report" \
	"$(echo "$out" | tail -n +4 | awk '{print $1}' | xargs)" "status rows"
echo "$out" | grep -Eq '^load\[10\] +failed +1/1 ' || fail "load[10] failed"
out=$(sc grid mv) || fail "grid"
echo "$out"
echo "$out" | grep -Eq '^load \[12\] +F' || fail "grid: load [12] failed"
assert_eq 12 "$(sc grid mv --mapped | grep -c '^  load\[')" "grid --mapped: 12 instance rows"
sc graph mv | grep -q '^    └── load\[\]  (mapped)$' || fail "graph marks the mapped task: $(sc graph mv)"
assert_eq "0 1 0" "$(sc graph mv --json | jq -r '[.tasks[].mapped | if . then 1 else 0 end] | join(" ")')" "graph --json mapped"
assert_eq "loading c as 2" "$(sc logs mv 'load[2]')" "the log of load[2]: its element and index"
assert_eq "loading k as 10" "$(sc logs mv 'load[10]')" "the log of load[10]"

note "REST API and web UI"
web_user view viewer view-secret >/dev/null || fail "users add view"
web_start
run_id=$(sq "select run_id from runs where dag_id='mv'")
rid=$(printf '%s' "$run_id" | jq -sRr @uri)
api() { curl -s -u view:view-secret "$WEB_URL$1" >"$WORK/a.json" || fail "curl $1"; jq -r "$2" "$WORK/a.json"; }
assert_eq "list:-1 load:0 load:1 load:11 report:-1" \
	"$(api "/api/v1/dags/mv/dagRuns/$rid/taskInstances" '[.task_instances[] | "\(.task_id):\(.map_index)"] | del(.[3:12]) | join(" ")')" "the list"
assert_eq "12 failed" "$(api "/api/v1/dags/mv/dagRuns/$rid/taskInstances/load/listMapped" '"\(.total_entries) \(.task_instances[10].state)"')" "listMapped"
assert_eq "list:false load:true report:false" "$(api "/api/v1/dags/mv/tasks" '[.tasks[] | "\(.task_id):\(.is_mapped)"] | join(" ")')" "is_mapped"
assert_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -u view:view-secret "$WEB_URL/api/v1/dags/mv/dagRuns/$rid/taskInstances/report/listMapped")" "listMapped of an unmapped task"
assert_eq "loading d as 3" "$(api "/api/v1/dags/mv/dagRuns/$rid/taskInstances/load/3/logs/1" '.content' | head -n 1)" "an instance's log by the API"
assert_eq "load [12]" "$(api "/ui/grid?dag_id=mv" '"\(.tasks[1]) [\(.map_counts[1])]"')" "/ui/grid: one row, its count"
assert_eq "12 11 success" "$(api "/ui/ti?dag_id=mv&run_id=$rid&task_id=load" '"\(.instances | length) \(.instances[11].map_index) \(.instances[11].state)"')" "/ui/ti lists the instances"
assert_eq "load f 5" "$(api "/ui/ti?dag_id=mv&run_id=$rid&task_id=load%5B5%5D" '.command.argv[3:6] | join(" ")')" "an instance's rendered command"

note "REST API clearTaskInstances: a mapped task with only_failed clears its failed instances"
web_user op operator op-secret >/dev/null || fail "users add op"
clear() { curl -s -u op:op-secret -H 'Content-Type: application/json' --data-binary "$1" \
	"$WEB_URL/api/v1/dags/mv/clearTaskInstances" >"$WORK/c.json" || fail "curl clear"; jq -r "$2" "$WORK/c.json"; }
refs='[.task_instances[] | "\(.task_id):\(.map_index)"] | join(" ")'
assert_eq "load:10" "$(clear "{\"dag_run_id\":\"$run_id\",\"task_ids\":[\"load\"]}" "$refs")" "dry run: only the failed instance"
assert_eq "load:3" "$(clear "{\"dag_run_id\":\"$run_id\",\"task_ids\":[\"load[3]\"],\"only_failed\":false}" "$refs")" "one named instance"
assert_eq "load:-1" "$(clear "{\"dag_run_id\":\"$run_id\",\"task_ids\":[\"load\"],\"only_failed\":false}" "$refs")" "the whole task"
clear "{\"dag_run_id\":\"$run_id\",\"task_ids\":[\"load[99]\"]}" .detail | grep -q "no mapped instance 'load\[99\]'" || fail "an unknown instance: $(cat "$WORK/c.json")"
assert_eq "load:10" "$(clear "{\"dag_run_id\":\"$run_id\",\"task_ids\":[\"load\"],\"dry_run\":false}" "$refs")" "clear"
wait_sql 60 "select count(*) from tries where task_id='load[10]'" 2 || fail "load[10] did not run again"
wait_run mv 60
assert_eq "2 13" "$(sq "select max(try_number), count(*) from tries where task_id like 'load[%'" | tr '|' ' ')" \
	"only load[10] ran again (12 instances, 13 tries)"
echo ok
