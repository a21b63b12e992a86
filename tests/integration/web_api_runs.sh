# The REST API against a real schedweb and schedulerd on loopback: every
# endpoint of ui-web/api_*.c, each JSON answer checked against
# ui-web/openapi.yaml (tests/tools/openapi_check), the writes as schedctl
# makes them (events.actor = the API user), and the bad input of issue 18:
# malformed JSON, unknown field, wrong type, unknown DAG/run/task, '..' ids,
# 409s, trigger of a paused/unknown DAG -- with nothing changed in the store.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
. "$ROOT/tests/tools/weblib.sh"
CHECK="$ROOT/${BUILD:-build}/tests/openapi_check"
SPEC="$ROOT/ui-web/openapi.yaml"
mkdir -p dags
cat > dags/api.yaml <<YAML
dag: api
description: the API's test DAG
params: {region: eu}
tasks:
  - {id: a, command: ["sh", "-c", "echo hello-{{ params.region }}"]}
  - {id: b, depends_on: a, command: ["sh", "-c", "echo b; exit 3"]}
  - {id: c, depends_on: b, command: ["true"]}
YAML
cat > dags/slow.yaml <<YAML
dag: slow
tasks:
  - {id: s, command: ["sh", "-c", "echo started; while [ ! -e $WORK/go ]; do sleep 0.1; done; echo more; exec sleep 300"]}
  - {id: t, depends_on: s, command: ["true"]}
YAML
start_daemon
on_exit "stop_daemon"
web_user op operator op-secret >/dev/null || fail "users add op"
web_user view viewer view-secret >/dev/null || fail "users add view"
web_start --threads 2
API=$WEB_URL/api/v1

N=0
# call USER METHOD PATH [BODY]: the answer's body in $WORK/r$N.json, its status in $CODE.
call() {
	local user=$1 method=$2 path=$3 body=${4-}
	N=$((N + 1)); OUT="$WORK/r$N.json"
	local args=(-s -o "$OUT" -w '%{http_code}' -X "$method" -u "$user")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	CODE=$(curl "${args[@]}" "$API$path") || fail "curl $method $path"
}
# expect STATUS TEMPLATE: the last answer had STATUS and conforms to the
# document's schema for (its method, TEMPLATE, STATUS).
expect() {
	[ "$CODE" = "$1" ] || fail "$LAST: expected $1, got $CODE: $(head -c 400 "$OUT")"
	[ "$CODE" = 204 ] && return 0
	"$CHECK" "$SPEC" "$METHOD" "$2" "$1" "$OUT" || fail "$LAST: the answer does not match openapi.yaml"
}
req() { # req USER METHOD PATH [BODY]
	METHOD=$2; LAST="$2 $3"; call "$@"
}
OP=op:op-secret VIEW=view:view-secret
jqr() { jq -r "$1" "$OUT"; }
dump() { sq "select count(*) from runs; select count(*) from task_instances; select count(*) from events where actor is not null; select group_concat(dag_id || paused) from dags"; }

note "the server's answers on the API's paths: 401, 405, 413"
CODE=$(curl -s -o "$WORK/r0.json" -w '%{http_code}' "$API/dags"); OUT=$WORK/r0.json METHOD=GET LAST="GET /dags (anonymous)"
expect 401 /dags
req $VIEW PUT /dags/api '{}'; [ "$CODE" = 405 ] || fail "PUT /dags/api: $CODE"
head -c 1100000 /dev/zero | tr '\0' 'x' > "$WORK/big.json"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -u $OP -H 'Content-Type: application/json' --data-binary @"$WORK/big.json" "$API/dags/api/dagRuns")
assert_eq 413 "$CODE" "a body over 1 MiB"

note "DAGs"
req $VIEW GET /dags; expect 200 /dags
assert_eq 2 "$(jqr .total_entries)" "DAGs"
assert_eq "api slow" "$(jqr '[.dags[].dag_id] | join(" ")')" "DAG order"
req $VIEW GET "/dags?order_by=-dag_id&limit=1"; expect 200 /dags
assert_eq "slow 2" "$(jqr '.dags[0].dag_id + " " + (.total_entries|tostring)')" "desc, limit 1"
req $VIEW GET "/dags?dag_id_pattern=SL"; expect 200 /dags
assert_eq "slow" "$(jqr '[.dags[].dag_id] | join(" ")')" "pattern"
req $VIEW GET /dags/api; expect 200 "/dags/{dag_id}"
assert_eq "false the API's test DAG" "$(jqr '"\(.is_paused) \(.description)"')" "one DAG"
req $VIEW GET /dags/api/details; expect 200 "/dags/{dag_id}/details"
assert_eq UTC "$(jqr .timezone)" "details"
req $VIEW GET /dags/api/tasks; expect 200 "/dags/{dag_id}/tasks"
assert_eq "a:b b:c c:" "$(jqr '[.tasks[] | .task_id + ":" + (.downstream_task_ids | join(","))] | join(" ")')" "tasks"
req $VIEW GET /dags/api/x-versions; expect 200 "/dags/{dag_id}/x-versions"
assert_eq "1 true" "$(jqr '"\(.total_entries) \(.versions[0].current)"')" "versions"
req $VIEW GET /dags/apx; expect 404 "/dags/{dag_id}"
grep -q "did you mean 'api'" "$OUT" || fail "404 names no nearest DAG: $(cat "$OUT")"

note "pause and unpause (PATCH), a viewer may not"
req $VIEW PATCH "/dags/slow?update_mask=is_paused" '{"is_paused":true}'; expect 403 "/dags/{dag_id}"
req $OP PATCH "/dags/slow?update_mask=is_paused" '{"is_paused":true}'; expect 200 "/dags/{dag_id}"
assert_eq true "$(jqr .is_paused)" "paused"
assert_eq 1 "$(sq "select paused from dags where dag_id='slow'")" "paused in the store"
assert_eq 1 "$(sq "select count(*) from events where dag_id='slow' and new_state='paused' and actor='op'")" "pause event by op"

note "bad input changes nothing"
before=$(dump)
req $OP PATCH /dags/slow '{"is_paused":"yes"}'; expect 400 "/dags/{dag_id}"
grep -q "is_paused" "$OUT" || fail "wrong type names no field"
req $OP PATCH /dags/slow '{"is_paused":false,"owner":"x"}'; expect 400 "/dags/{dag_id}"
grep -q "owner" "$OUT" || fail "unknown field not named"
req $OP POST /dags/api/dagRuns '{"conf": '; expect 400 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/api/dagRuns '[1]'; expect 400 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/api/dagRuns '{"dag_run_id": 5}'; expect 400 "/dags/{dag_id}/dagRuns"
grep -q "dag_run_id" "$OUT" || fail "wrong type names no field (dag_run_id)"
req $OP POST /dags/api/dagRuns '{"colour": "red"}'; expect 400 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/api/dagRuns '{"logical_date": "yesterday"}'; expect 400 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/api/dagRuns '{"logical_date": "2099-01-01T00:00:00Z"}'; expect 400 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/api/dagRuns '{"conf": {"regio": "us"}}'; expect 400 "/dags/{dag_id}/dagRuns"
grep -q "declares no param .regio.; did you mean .region." "$OUT" || fail "undeclared param not named: $(cat "$OUT")"
req $OP POST /dags/api/dagRuns '{"dag_run_id": "manual__x"}'; expect 400 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/nope/dagRuns '{}'; expect 404 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/%2E%2E/dagRuns '{}'; expect 404 "/dags/{dag_id}/dagRuns"
req $OP GET /dags/api/dagRuns/..; expect 404 "/dags/{dag_id}/dagRuns/{dag_run_id}"
req $OP GET /dags/api/dagRuns/nope; expect 404 "/dags/{dag_id}/dagRuns/{dag_run_id}"
req $VIEW POST /dags/api/dagRuns '{}'; expect 403 "/dags/{dag_id}/dagRuns"
req $VIEW GET "/dags/api/dagRuns?limit=0"; expect 400 "/dags/{dag_id}/dagRuns"
req $VIEW GET "/dags/api/dagRuns?order_by=colour"; expect 400 "/dags/{dag_id}/dagRuns"
req $VIEW GET "/dags/api/dagRuns?state=lost"; expect 400 "/dags/{dag_id}/dagRuns"
req $VIEW GET "/eventLogs?after=soon"; expect 400 /eventLogs
assert_eq "$before" "$(dump)" "the store after bad input"

note "trigger, 409 on a conflicting run id or date"
req $OP POST /dags/api/dagRuns '{"dag_run_id":"r1","logical_date":"2026-03-01T00:00:00Z","conf":{"region":"us"}}'
expect 200 "/dags/{dag_id}/dagRuns"
# (queued, or running already: the daemon was rung)
assert_eq "r1 manual us 2026-03-01T00:00:00+00:00" "$(jqr '"\(.dag_run_id) \(.run_type) \(.conf.region) \(.logical_date)"')" "trigger"
case $(jqr .state) in queued|running|failed) ;; *) fail "trigger: state $(jqr .state)";; esac
wait_sql 30 "select state from runs where run_id='r1'" failed || fail "r1 did not fail: $(sq "select state from runs")"
assert_eq 1 "$(sq "select count(*) from events e join runs r on r.id=e.run where r.run_id='r1' and e.new_state='queued' and e.actor='op'")" "trigger event by op"
before=$(dump)
req $OP POST /dags/api/dagRuns '{"dag_run_id":"r1"}'; expect 409 "/dags/{dag_id}/dagRuns"
req $OP POST /dags/api/dagRuns '{"dag_run_id":"r1b","logical_date":"2026-03-01T00:00:00.000000+00:00"}'
expect 409 "/dags/{dag_id}/dagRuns"
assert_eq "$before" "$(dump)" "the store after 409s"
note "a paused DAG's run is queued and waits (as schedctl trigger)"
req $OP POST /dags/slow/dagRuns '{"dag_run_id":"s1","logical_date":"2026-03-02T00:00:00Z"}'; expect 200 "/dags/{dag_id}/dagRuns"
assert_eq queued "$(jqr .state)" "paused DAG's run"

note "runs: list, filters, paging, batch, one run"
req $VIEW GET /dags/api/dagRuns; expect 200 "/dags/{dag_id}/dagRuns"
assert_eq "1 r1 failed" "$(jqr '"\(.total_entries) \(.dag_runs[0].dag_run_id) \(.dag_runs[0].state)"')" "runs of api"
req $VIEW GET "/dags/~/dagRuns?order_by=-execution_date"; expect 200 "/dags/{dag_id}/dagRuns"
assert_eq "s1 r1" "$(jqr '[.dag_runs[].dag_run_id] | join(" ")')" "runs of every DAG, newest first"
req $VIEW GET "/dags/~/dagRuns?state=queued&state=running"; expect 200 "/dags/{dag_id}/dagRuns"
assert_eq "s1" "$(jqr '[.dag_runs[].dag_run_id] | join(" ")')" "state filter"
req $VIEW GET "/dags/~/dagRuns?execution_date_gte=2026-03-01T00:00:01Z"; expect 200 "/dags/{dag_id}/dagRuns"
assert_eq "s1" "$(jqr '[.dag_runs[].dag_run_id] | join(" ")')" "date filter"
req $VIEW GET "/dags/~/dagRuns?limit=1&offset=1"; expect 200 "/dags/{dag_id}/dagRuns"
assert_eq "2 s1" "$(jqr '"\(.total_entries) \(.dag_runs[0].dag_run_id)"')" "page"
req $VIEW POST /dags/~/dagRuns/list '{"dag_ids":["api","slow"],"states":["failed"],"page_limit":5}'
expect 200 "/dags/~/dagRuns/list"
assert_eq "1 r1" "$(jqr '"\(.total_entries) \(.dag_runs[0].dag_run_id)"')" "batch list"
req $VIEW POST /dags/~/dagRuns/list '{"page_limit":"5"}'; expect 400 "/dags/~/dagRuns/list"
req $VIEW GET /dags/api/dagRuns/r1; expect 200 "/dags/{dag_id}/dagRuns/{dag_run_id}"
assert_eq "r1 failed" "$(jqr '"\(.dag_run_id) \(.state)"')" "one run"

note "task instances and logs"
req $VIEW GET /dags/api/dagRuns/r1/taskInstances; expect 200 "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"
assert_eq "a:success b:failed c:upstream_failed" "$(jqr '[.task_instances[] | "\(.task_id):\(.state)"] | join(" ")')" "TIs"
req $VIEW GET /dags/api/dagRuns/r1/taskInstances/b; expect 200 "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"
assert_eq "failed 1 exit code 3" "$(jqr '"\(.state) \(.try_number) \(.note)"')" "TI b"
req $VIEW GET /dags/api/dagRuns/r1/taskInstances/zz; expect 404 "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"
LOGT="/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}"
req $VIEW GET /dags/api/dagRuns/r1/taskInstances/a/logs/1; expect 200 "$LOGT"
grep -q hello-us <<<"$(jqr .content)" || fail "log content: $(cat "$OUT")"
TOK=$(jqr .continuation_token)
req $VIEW GET "/dags/api/dagRuns/r1/taskInstances/a/logs/1?token=$TOK"; expect 200 "$LOGT"
assert_eq "" "$(jqr .content)" "nothing after the end"
req $VIEW GET "/dags/api/dagRuns/r1/taskInstances/b/logs/1?token=$TOK"; expect 400 "$LOGT"
req $VIEW GET "/dags/api/dagRuns/r1/taskInstances/a/logs/1?token=ffffff.1.1"; expect 400 "$LOGT"
req $VIEW GET /dags/api/dagRuns/r1/taskInstances/a/logs/7; expect 404 "$LOGT"
req $VIEW GET /dags/api/dagRuns/r1/taskInstances/a/logs/x; expect 400 "$LOGT"
curl -sf -u $VIEW -H 'Accept: text/plain' "$API/dags/api/dagRuns/r1/taskInstances/a/logs/1" | grep -q hello-us \
	|| fail "text/plain log"

note "clear: dry run, then for real"
before=$(dump)
req $OP POST /dags/api/clearTaskInstances '{"dag_run_id":"r1","task_ids":["b"],"include_downstream":true}'
expect 200 "/dags/{dag_id}/clearTaskInstances"
assert_eq "b c" "$(jqr '[.task_instances[].task_id] | join(" ")')" "dry run set"
assert_eq "$before" "$(dump)" "the store after a dry run"
req $OP POST /dags/api/clearTaskInstances '{"dag_run_id":"r1","task_ids":["q"]}'; expect 400 "/dags/{dag_id}/clearTaskInstances"
req $OP POST /dags/api/clearTaskInstances '{"dag_run_id":"r9"}'; expect 404 "/dags/{dag_id}/clearTaskInstances"
req $OP POST /dags/api/clearTaskInstances '{"include_past":true}'; expect 400 "/dags/{dag_id}/clearTaskInstances"
req $OP POST /dags/api/clearTaskInstances '{"start_date":"2026-03-01T00:00:00Z","end_date":"2026-03-01T00:00:00Z","only_failed":false,"task_ids":["a"],"dry_run":false}'
expect 200 "/dags/{dag_id}/clearTaskInstances"
assert_eq "a:r1" "$(jqr '[.task_instances[] | .task_id + ":" + .dag_run_id] | join(" ")')" "cleared"
wait_sql 30 "select try_number from task_instances t join runs r on r.id=t.run where r.run_id='r1' and task_id='a' and t.state='success'" 2 \
	|| fail "a did not run again: $(sq "select task_id, state, try_number from task_instances")"
wait_sql 30 "select state from runs where run_id='r1'" failed || fail "r1 after clear"
assert_eq 1 "$(sq "select count(*) from events where task_id='a' and new_state='none' and actor='op'")" "clear event by op"

note "PATCH a run: mark success"
req $OP PATCH /dags/api/dagRuns/r1 '{"state":"queued"}'; expect 400 "/dags/{dag_id}/dagRuns/{dag_run_id}"
req $OP PATCH /dags/api/dagRuns/r1 '{"state":"success"}'; expect 200 "/dags/{dag_id}/dagRuns/{dag_run_id}"
wait_sql 30 "select state from runs where run_id='r1'" success || fail "r1 not success after mark: $(sq "select state from runs where run_id='r1'")"
assert_eq "success success success" "$(sq "select group_concat(t.state, ' ') from (select t.state from task_instances t join runs r on r.id=t.run where r.run_id='r1' order by task_id) t")" "marked"
assert_eq 1 "$(sq "select count(*) from events where task_id='b' and new_state='success' and actor='op' and cause='marked success by op'")" "mark event"

note "x-stop a running run; delete refuses it first"
req $OP PATCH "/dags/slow" '{"is_paused":false}'; expect 200 "/dags/{dag_id}"
wait_sql 30 "select t.state from task_instances t join runs r on r.id=t.run where r.run_id='s1' and task_id='s'" running \
	|| fail "s not running"
note "following a running try's log with the continuation token"
wait_for 20 sh -c "curl -s -u $VIEW '$API/dags/slow/dagRuns/s1/taskInstances/s/logs/1' | grep -q started" || fail "running log"
req $VIEW GET "/dags/slow/dagRuns/s1/taskInstances/s/logs/1"; expect 200 "$LOGT"
TOK=$(jqr .continuation_token)
req $VIEW GET "/dags/slow/dagRuns/s1/taskInstances/s/logs/1?token=$TOK"; expect 200 "$LOGT"
assert_eq "" "$(jqr .content)" "nothing new yet"
touch "$WORK/go"
more_came() {
	curl -s -u $VIEW "$API/dags/slow/dagRuns/s1/taskInstances/s/logs/1?token=$TOK" >"$WORK/follow.json" &&
		grep -q more "$WORK/follow.json"
}
wait_for 20 more_came || fail "the followed log never showed 'more': $(cat "$WORK/follow.json")"
grep -q started "$WORK/follow.json" && fail "the token's offset was not applied: $(cat "$WORK/follow.json")"
req $OP DELETE /dags/slow/dagRuns/s1; expect 409 "/dags/{dag_id}/dagRuns/{dag_run_id}"
req $OP POST /dags/slow/dagRuns/s1/x-stop; expect 200 "/dags/{dag_id}/dagRuns/{dag_run_id}/x-stop"
assert_eq "failed stopped by op" "$(jqr '"\(.state) \(.note)"')" "stopped"
req $OP POST /dags/slow/dagRuns/s1/x-stop; expect 409 "/dags/{dag_id}/dagRuns/{dag_run_id}/x-stop"
wait_sql 30 "select count(*) from tries t join runs r on r.id=t.run where r.run_id='s1' and t.ended_us is null" 0 \
	|| fail "s's try did not end"

note "delete"
req $OP DELETE /dags/slow/dagRuns/s1; expect 204 ""
assert_eq 0 "$(sq "select count(*) from runs where run_id='s1'")" "s1 deleted"
[ -z "$(ls "$WORK/logs/slow" 2>/dev/null)" ] || fail "s1's logs left: $(ls -R "$WORK/logs/slow")"
req $OP DELETE /dags/slow/dagRuns/s1; expect 404 "/dags/{dag_id}/dagRuns/{dag_run_id}"

note "event log"
req $VIEW GET "/eventLogs?owner=op&order_by=-event_log_id&limit=3"; expect 200 /eventLogs
assert_eq 3 "$(jqr '.event_logs | length')" "3 events by op"
[ "$(jqr .total_entries)" -gt 3 ] || fail "total of op's events"
grep -q '"deleted\|deleted by op' "$OUT" || fail "the newest event by op is not the delete: $(cat "$OUT")"
req $VIEW GET "/eventLogs?dag_id=api&run_id=r1&task_id=a&event=success"; expect 200 /eventLogs
[ "$(jqr .total_entries)" -ge 2 ] || fail "a's success events of r1: $(cat "$OUT")"
