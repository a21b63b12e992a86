# timeout: 60
# Results between tasks: a downstream task reads its upstream's stored JSON
# result ({{ ti.TASK.result.KEY }}) in argv and env; a reference to a key the
# result does not have fails the try with a template cause, and its
# downstream is upstream_failed; a reference to a task that is not upstream
# is refused when the file loads.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/results.yaml <<YAML
dag: results
tasks:
  - id: load_status
    command: ["sh", "-c", "echo noise; echo '{\"records_written\": 1234, \"parts\": [\"p0\", \"p1\"], \"day\": \"2026-01-01\"}'"]
  - id: report
    depends_on: load_status
    env: {DAY: "{{ ti.load_status.result.day }}"}
    command: ["sh", "-c", "echo \"\$1 \$2 \$DAY\" > $WORK/out/report", "sh",
              "{{ ti.load_status.result.records_written }}", "{{ ti.load_status.result.parts.1 }}"]
  - id: missing
    depends_on: load_status
    retries: 2
    retry_delay: 100ms
    command: ["echo", "{{ ti.load_status.result.rows }}"]
  - {id: after_missing, depends_on: missing, command: ["touch", "$WORK/out/after_missing"]}
YAML
cat > dags/notup.yaml <<YAML
dag: notup
tasks:
  - {id: a, command: ["true"]}
  - {id: b, command: ["echo", "{{ ti.a.result.n }}"]}
YAML
start_daemon
wait_sql 10 "select count(*) from dag_files" 2 || fail "files not seen"
sq "select errors from dag_files where file like '%notup.yaml'" |
	grep -q "notup.yaml:4:32: command: 'ti.a.result': 'a' is not an upstream of 'b'" ||
	fail "not-upstream reference: $(sq "select errors from dag_files")"

trigger results 1767225600
wait_run results
assert_eq "1234 p1 2026-01-01" "$(cat out/report 2>/dev/null)" "the result read downstream"
assert_eq success "$(ti_state results report)" "report"
assert_eq failed "$(ti_state results missing)" "a missing key"
assert_eq upstream_failed "$(ti_state results after_missing)" "downstream of a missing key"
cause=$(sq "select cause from tries where task_id='missing' order by try_number desc limit 1")
echo "$cause" | grep -q "ti.load_status.result.rows: the result of load_status has no 'rows'" || fail "cause: $cause"
[ ! -e out/after_missing ] || fail "after_missing ran"
stop_daemon
