# web_ui.sh: the web UI in a real Chromium: schedulerd and schedweb on
# loopback with the example DAGs (and web_demo, a quick DAG of this test),
# driven by tests/web/ui_test.js through playwright-core (see there for the
# steps). Screenshots of each page are left in $WORK/shots.
# Needs node and npm (playwright-core is installed from the npm registry into
# $BUILD/web-test on first use, a test-only folder; it drives Debian's
# /usr/bin/chromium and downloads no browser).
# timeout: 300
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
source "$ROOT/tests/tools/weblib.sh"
source "$ROOT/tests/tools/browserlib.sh"

mkdir -p dags logs shots demo
cp "$ROOT"/dags/examples/*.yaml dags/
cat >dags/web_demo.yaml <<YAML
dag: web_demo
description: "A quick DAG of the browser test <img src=x onerror=alert(1)>"
schedule: none
paused_on_create: false
params:
  word: hello
tasks:
  - id: say
    shell: true
    command: 'echo "said {{ params.word }}"; echo "{\"words\": 1}"'
  - id: count
    depends_on: say
    command: [echo, counted]
  - id: done
    depends_on: count
    command: [echo, done]
YAML
printf 'dag: broken\ntasks: [\n' >dags/broken.yaml
# a mapped task (expand:): one grid row, its instances listed on its page
cat >dags/web_map.yaml <<'YAML'
dag: web_map
schedule: none
paused_on_create: false
tasks:
  - id: list
    command: [echo, '{"parts": ["a","b","c"]}']
  - id: load
    depends_on: list
    expand: {over: "{{ ti.list.result.parts }}", as: part}
    command: [echo, "loading {{ part }} as {{ map_index }}"]
  - id: report
    depends_on: load
    command: [echo, report]
YAML

# the example DAGs stay paused (hello would write to /tmp/hello); web_demo is not
start_daemon --paused-on-create
wait_sql 30 "select count(*) from dags where dag_id in ('hello','reprocess','web_demo')" 3 ||
	fail "the DAGs were not loaded: $(tail -5 daemon.log)"
# 30 finished runs of reprocess: the grid's second page holds the 5 oldest
for i in $(seq 1 30); do
	t=$((1767225600 + i * 86400))
	echo "insert into runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key, created_us)
	      values('reprocess', 'manual__$t', $t, $t, 'manual', 'success', $t, 0);"
done | sq

wait_sql 30 "select count(*) from dags where dag_id='web_map'" 1 || fail "web_map was not loaded"
"$BIN/schedctl" --state "$STATE" trigger web_map >/dev/null || fail "trigger web_map"
wait_run web_map 60
assert_eq success "$(run_state web_map)" "the run of web_map"
web_user op operator || fail "users add op"
web_user viewer1 viewer || fail "users add viewer1"
web_start
web_playwright

note "browser"
PW=$PW BASE=$WEB_URL SHOTS="$WORK/shots" \
PROFILE="$WORK/profile" OP_USER=op OP_PASS=$(web_pass op) VIEW_USER=viewer1 VIEW_PASS=$(web_pass viewer1) \
	node "$ROOT/tests/web/ui_test.js" || fail "browser test (screenshots in $WORK/shots, schedweb log $WORK/schedweb.err)"

note "the store saw the UI's writes"
assert_eq 1 "$(sq "select paused from dags where dag_id='web_demo'")" "web_demo paused"
assert_eq 1 "$(sq "select paused from dags where dag_id='hello'")" "hello not unpaused by the write without CSRF"
assert_eq 0 "$(sq "select count(*) from runs where run_id='forged'")" "no run from the viewer"
assert_eq "load[1]:2 load[0]:1 load[2]:1" "$(sq "select group_concat(task_id || ':' || n, ' ') from (select y.task_id, max(y.try_number) n
	from tries y join runs r on r.id=y.run where r.dag_id='web_map' and y.task_id like 'load[%' group by y.task_id order by n desc, y.task_id)")" \
	"the UI's clear of load[1] ran that instance alone again"
assert_eq 2 "$(sq "select max(try_number) from tries y join runs r on r.id=y.run where r.dag_id='web_demo' and y.task_id='done'")" \
	"done ran again after the clear"
for p in login dags grid-success task run graph mapped-task mapped-instance grid-narrow viewer-task; do
	[ -s "shots/$p.png" ] || fail "no screenshot $p.png"
done
echo ok
