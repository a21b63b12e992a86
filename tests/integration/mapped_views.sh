# mapped_views.sh: mapped task instances (expand:, issue 21) as the views show
# them, on a state file holding the rows the daemon writes (the contract:
# the task's own row with the aggregate state and no try, instances
# "load[N]" with their tries): schedctl status/grid/logs/events and the
# REST API (TaskInstance.map_index, listMapped, {map_index}, the instance's
# log), each JSON answer checked against ui-web/openapi.yaml.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"
source "$ROOT/tests/tools/weblib.sh"
CHECK="$ROOT/${BUILD:-build}/tests/openapi_check"
SPEC="$ROOT/ui-web/openapi.yaml"

r1=$(add_run 2026-03-01 failed)
for t in extract transform report; do add_ti "$r1" $t success; done
# load expanded into 12 instances (inserted out of order); load[10] failed on its 2nd try
sq "INSERT INTO task_instances(run, task_id, state, try_number, max_tries, result)
    VALUES($r1, 'load', 'failed', 0, 1, '[0,1,2,3,4,5,6,7,8,9,10,11]')"
for i in 0 1 2 10 11 3 4 5 6 7 8 9; do add_ti "$r1" "load[$i]" success; done
echo "log of load[10] try 2 in run $r1" >"$WORK/logs/$r1.load[10].2.log"
sq "INSERT INTO tries(run, task_id, try_number, state, started_us, ended_us, exit_code, log_path)
    VALUES($r1, 'load[10]', 2, 'failed', 1700000000000000, 1700000002500000, 1, '$WORK/logs/$r1.load[10].2.log');
    UPDATE task_instances SET state='failed', try_number=2, exit_code=1 WHERE run=$r1 AND task_id='load[10]';
    INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
    VALUES(1, 'etl', $r1, 'load[10]', 2, 'running', 'failed', 'exit code 1'),
	  (2, 'etl', $r1, 'load', 0, 'running', 'failed', '1 of 12 instances failed'),
	  (3, 'etl', $r1, 'load_x', 0, NULL, 'none', 'not an instance of load')"

note "status: each instance right after its task, by index"
out=$(sc status etl) || fail "status exit $?"
echo "$out"
assert_eq "extract transform load load[0] load[1] load[2] load[3] load[4] load[5] load[6] load[7] load[8] load[9] load[10] load[11] report" \
	"$(echo "$out" | tail -n +4 | awk '{print $1}' | xargs)" "status rows"
echo "$out" | grep -Eq '^load +failed +- ' || fail "the mapped task's row: aggregate state, no try"
echo "$out" | grep -Eq '^load\[10\] +failed +2/3 .* 1 +exit code 1 ' || fail "load[10]'s row"
j=$(sc status etl --json) || fail "status --json"
assert_eq "-1" "$(jx "$j" '$.tasks[2].map_index')" "map_index of the mapped task"
assert_eq "load[10]" "$(jx "$j" '$.tasks[13].task_id')" "status --json order"
assert_eq 10 "$(jx "$j" '$.tasks[13].map_index')" "map_index of load[10]"
assert_eq "-1" "$(jx "$j" '$.tasks[0].map_index')" "map_index of an unmapped task"

note "grid: one row per mapped task with its count; --mapped adds the instances"
out=$(sc grid etl) || fail "grid exit $?"
echo "$out"
assert_eq 4 "$(echo "$out" | grep -cE '^(extract|transform|load|report) ')" "grid rows"
echo "$out" | grep -Eq '^load \[12\] +F' || fail "grid: load [12], failed"
echo "$out" | grep -q 'load\[' && fail "grid lists instances without --mapped"
echo "$out" | grep -q -- '--mapped shows a row per instance' || fail "grid: the hint to --mapped"
out=$(sc grid etl --mapped) || fail "grid --mapped exit $?"
echo "$out"
assert_eq "load[0] load[1] load[2] load[3] load[4] load[5] load[6] load[7] load[8] load[9] load[10] load[11]" \
	"$(echo "$out" | awk '$1 ~ /^load\[/ {print $1}' | xargs)" "grid --mapped rows"
echo "$out" | grep -Eq '^  load\[10\] +F' || fail "grid --mapped: load[10] failed"
j=$(sc grid etl --json) || fail "grid --json"
assert_eq "load 12 -1" "$(jx "$j" '$.tasks[2].task_id') $(jx "$j" '$.tasks[2].map_counts[0]') $(jx "$j" '$.tasks[2].map_index')" "grid --json"
j=$(sc grid etl --mapped --json) || fail "grid --mapped --json"
assert_eq "load[10] 10 failed" "$(jx "$j" '$.tasks[13].task_id') $(jx "$j" '$.tasks[13].map_index') $(jx "$j" '$.tasks[13].states[0]')" "grid --mapped --json"
sc grid --help | grep -q -- '--mapped' || fail "grid --help names --mapped"

note "logs and events of an instance"
assert_eq "log of load[3] try 1 in run $r1" "$(sc logs etl 'load[3]')" "logs load[3]"
assert_eq "log of load[10] try 2 in run $r1" "$(sc logs etl 'load[10]')" "logs load[10]"
assert_eq "log of load[10] try 1 in run $r1" "$(sc logs etl 'load[10]' --try 1)" "logs load[10] --try 1"
err=$(sc logs etl load 2>&1); assert_eq 1 $? "logs of the mapped task itself"
echo "$err" | grep -q 'load is a mapped task of 12 instances .*load\[0\] \.\. load\[11\]' || fail "logs load: $err"
err=$(sc logs etl 'lode[3]' 2>&1); assert_eq 1 $? "logs of an unknown task's instance"
echo "$err" | grep -q "no task 'lode\[3\]'" || fail "logs lode[3]: $err"
out=$(sc events etl --task load) || fail "events --task load"
echo "$out"
assert_eq 2 "$(echo "$out" | tail -n +2 | wc -l)" "events of load: its own and its instances', not load_x's"
j=$(sc events etl --task 'load[10]' --json) || fail "events --task load[10]"
assert_eq "load[10] 10" "$(jx "$j" '$.events[0].task_id') $(jx "$j" '$.events[0].map_index')" "events --json map_index"
assert_eq "" "$(jx "$j" '$.events[1].task_id')" "only load[10]'s event"

note "REST API"
web_user view viewer view-secret >/dev/null || fail "users add view"
web_start
API=$WEB_URL/api/v1
RUN=/dags/etl/dagRuns/scheduled__2026-03-01T00:00:00+00:00
N=0
# get PATH TEMPLATE STATUS: GET as the viewer; the body in $OUT, checked against the document.
get() {
	N=$((N + 1)); OUT="$WORK/r$N.json"
	CODE=$(curl -s -o "$OUT" -w '%{http_code}' -u view:view-secret "$API$1") || fail "curl $1"
	[ "$CODE" = "$3" ] || fail "GET $1: expected $3, got $CODE: $(head -c 400 "$OUT")"
	"$CHECK" "$SPEC" GET "$2" "$3" "$OUT" || fail "GET $1: the answer does not match openapi.yaml"
}
jqr() { jq -r "$1" "$OUT"; }
TI="/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"
get "$RUN/taskInstances" "$TI" 200
assert_eq 15 "$(jqr .total_entries)" "the list: 3 tasks + 12 instances"
assert_eq "extract:-1 transform:-1 load:0 load:1 load:2 load:3 load:4 load:5 load:6 load:7 load:8 load:9 load:10 load:11 report:-1" \
	"$(jqr '[.task_instances[] | "\(.task_id):\(.map_index)"] | join(" ")')" "Airflow's list of a mapped task"
get "$RUN/taskInstances?limit=2&offset=12" "$TI" 200
assert_eq "load:10:failed:2 load:11:success:1" \
	"$(jqr '[.task_instances[] | "\(.task_id):\(.map_index):\(.state):\(.try_number)"] | join(" ")')" "a page"
get "$RUN/taskInstances/load/listMapped?limit=3&offset=9" "$TI/{task_id}/listMapped" 200
assert_eq "12 9 10 11" "$(jqr '"\(.total_entries) " + ([.task_instances[].map_index | tostring] | join(" "))')" "listMapped"
get "$RUN/taskInstances/extract/listMapped" "$TI/{task_id}/listMapped" 400	# not mapped
get "$RUN/taskInstances/nope/listMapped" "$TI/{task_id}/listMapped" 404
get "$RUN/taskInstances/load/10" "$TI/{task_id}/{map_index}" 200
assert_eq "load 10 failed 2" "$(jqr '"\(.task_id) \(.map_index) \(.state) \(.try_number)"')" "one instance"
get "$RUN/taskInstances/load/-1" "$TI/{task_id}/{map_index}" 200
assert_eq "load -1 failed 0" "$(jqr '"\(.task_id) \(.map_index) \(.state) \(.try_number)"')" "map_index -1: the task"
get "$RUN/taskInstances/load" "$TI/{task_id}" 200
assert_eq "-1" "$(jqr .map_index)" "the task's own row"
get "$RUN/taskInstances/load/12" "$TI/{task_id}/{map_index}" 404
get "$RUN/taskInstances/load/03" "$TI/{task_id}/{map_index}" 200
assert_eq 3 "$(jqr .map_index)" "03 is 3"
get "$RUN/taskInstances/load/x" "$TI/{task_id}/{map_index}" 400
get "$RUN/taskInstances/load/-2" "$TI/{task_id}/{map_index}" 400
get "$RUN/taskInstances/load%5B3%5D" "$TI/{task_id}" 404
get "$RUN/taskInstances/load/3/logs/1" "$TI/{task_id}/{map_index}/logs/{task_try_number}" 200
assert_eq "log of load[3] try 1 in run $r1" "$(jqr .content | head -n 1)" "an instance's log"
get "$RUN/taskInstances/load/logs/2?map_index=10" "$TI/{task_id}/logs/{task_try_number}" 200
assert_eq "log of load[10] try 2 in run $r1" "$(jqr .content | head -n 1)" "?map_index= (Airflow's)"
get "$RUN/taskInstances/load/logs/1?map_index=x" "$TI/{task_id}/logs/{task_try_number}" 400
get "$RUN/taskInstances/load/7/logs/5" "$TI/{task_id}/{map_index}/logs/{task_try_number}" 404
get "/eventLogs?dag_id=etl&task_id=load" /eventLogs 200
assert_eq "2 load:10 load:-1" "$(jqr '"\(.total_entries) " + ([.event_logs[] | "\(.task_id):\(.map_index)"] | join(" "))')" "eventLogs of a mapped task: its instances' too, not load_x's"
get "/eventLogs?dag_id=etl&task_id=load&map_index=10" /eventLogs 200
assert_eq "1 load 10 failed" "$(jqr '"\(.total_entries) \(.event_logs[0].task_id) \(.event_logs[0].map_index) \(.event_logs[0].event)"')" "eventLogs of one instance"
get "/eventLogs?dag_id=etl&task_id=load&map_index=-1" /eventLogs 200
assert_eq "1 running" "$(jqr '"\(.total_entries) \(.event_logs[0].extra | sub("from ";"") | sub(":.*";""))"')" "eventLogs of the task itself"
get "/eventLogs?map_index=3" /eventLogs 400
get "/eventLogs?task_id=load&map_index=x" /eventLogs 400

note "the web UI's reads: the grid keeps one row per mapped task; its page lists the instances"
ui() { curl -s -u view:view-secret "$WEB_URL$1" >"$WORK/ui.json" || fail "curl $1"; jq -r "$2" "$WORK/ui.json"; }
assert_eq "extract transform load report" "$(ui "/ui/grid?dag_id=etl" '.tasks | join(" ")')" "/ui/grid rows"
assert_eq "null null 12 null" "$(ui "/ui/grid?dag_id=etl" '[.map_counts[] | tostring] | join(" ")')" "/ui/grid map_counts"
assert_eq "failed 12" "$(ui "/ui/grid?dag_id=etl" '.cells[2][0] | "\(.[0]) \(.[4])"')" "/ui/grid cell of load"
assert_eq 4 "$(ui "/ui/grid?dag_id=etl" '.cells[0][0] | length')" "an unmapped task's cell has no count"
q="dag_id=etl&run_id=scheduled__2026-03-01T00:00:00%2B00:00"
assert_eq "12 load[10] 10 failed 2" "$(ui "/ui/ti?$q&task_id=load" '"\(.instances | length) \(.instances[10].task_id) \(.instances[10].map_index) \(.instances[10].state) \(.instances[10].try_number)"')" "/ui/ti of the mapped task"
assert_eq "load[3] 3 0 1" "$(ui "/ui/ti?$q&task_id=load%5B3%5D" '"\(.task_id) \(.map_index) \(.instances | length) \(.tries | length)"')" "/ui/ti of an instance"
assert_eq 0 "$(ui "/ui/ti?$q&task_id=extract" '.instances | length')" "/ui/ti of an unmapped task"
echo ok
