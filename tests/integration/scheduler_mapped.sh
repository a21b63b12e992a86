# timeout: 120
# Dynamic task mapping (`expand:`, docs/dag-format.md) against a real
# schedulerd, as a user drives it (schedctl trigger), checked on the state the
# daemon wrote:
#  a. an upstream's JSON result of 50 elements mapped with retries: 1, one
#     element failing its first try: every instance succeeds, the failing one
#     in 2 tries and the others in 1, each saw its own element and map_index,
#     the downstream starts after all 50 ended and reads the instances'
#     results as one JSON array in map order;
#  b. an element failing for good: the all_success downstream is
#     upstream_failed, a one_failed downstream runs, the run fails;
#  c. an empty list: the mapped task and its downstream are skipped;
#  d. a list over max_length (given, or the default 1024): the mapped task
#     fails, the cause names the length; so does one where `over` renders no
#     JSON list;
#  e. a literal YAML list, and a list of objects from a run's --param;
#  f. schedctl validate's errors for bad expand;
#  g. kill -9 of the daemon while instances run: after the restart every
#     instance ends once, none runs twice beyond its retry, the run succeeds.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
rid() { sq "select id from runs where dag_id='$1' order by id desc limit 1"; }
# tis DAG SQL_CONDITION: "task_id|state|try_number" of the run's rows, one a line.
tis() { sq "select task_id, state, try_number from task_instances where run=$(rid "$1") and ($2) order by task_id"; }
mkdir -p dags out bad
# inst.sh CASE ELEMENT INDEX [FAIL_ONCE_INDEX [FAIL_ALWAYS_INDEX [WAIT]]]: one
# instance's command. Appends "ELEMENT INDEX TRY" to out/CASE.INDEX (one line
# per execution), fails its first execution at FAIL_ONCE_INDEX (a marker file
# remembers it), always at FAIL_ALWAYS_INDEX, waits for out/CASE.go if WAIT,
# and prints its JSON result.
cat > inst.sh <<'SH'
c=$1 el=$2 i=$3
echo "$el $i $SCHED_TRY" >> "$OUT/$c.$i"
echo "instance $c $i of element $el"
if [ "$i" = "${4:--}" ] && [ ! -e "$OUT/$c.failed" ]; then touch "$OUT/$c.failed"; exit 3; fi
[ "$i" = "${5:--}" ] && exit 4
if [ -n "${6:-}" ]; then while [ ! -e "$OUT/$c.go" ]; do sleep 0.05; done; fi
echo "{\"el\": \"$el\", \"i\": $i}"
SH
I="sh, $WORK/inst.sh"
export OUT=$WORK/out
parts50=$(jq -cn '[range(50) | "p\(.)"]')

# a. the issue's case
cat > dags/mapped.yaml <<YAML
dag: mapped
tasks:
  - id: list_parts
    command: [echo, '{"parts": $parts50}']
  - id: load_part
    depends_on: [list_parts]
    expand: {over: "{{ ti.list_parts.result.parts }}", as: part, max_length: 50}
    retries: 1
    retry_delay: 100ms
    command: [$I, a, "{{ part }}", "{{ map_index }}", "17"]
  - id: report
    depends_on: [load_part]
    command: [sh, -c, 'printf "%s\n" "\$1" > $WORK/out/a.report', sh, "{{ ti.load_part.result }}"]
YAML
# b. an element failing for good
cat > dags/fails.yaml <<YAML
dag: fails
tasks:
  - id: m
    expand: {over: [x, y, z]}
    command: [$I, b, "{{ item }}", "{{ map_index }}", "-", "1"]
  - {id: after, depends_on: [m], command: [touch, $WORK/out/after-b]}
  - {id: alert, depends_on: [m], trigger_rule: one_failed, command: [touch, $WORK/out/alert-b]}
YAML
# c. an empty list; d. a list over max_length
cat > dags/empty.yaml <<YAML
dag: empty
tasks:
  - {id: up, command: [echo, '{"parts": []}']}
  - id: m
    depends_on: [up]
    expand: {over: "{{ ti.up.result.parts }}"}
    command: [$I, c, "{{ item }}", "{{ map_index }}"]
  - {id: after, depends_on: [m], command: [touch, $WORK/out/after-c]}
YAML
cat > dags/toolong.yaml <<YAML
dag: toolong
tasks:
  - {id: up, command: [echo, '{"parts": [1, 2, 3, 4, 5, 6, 7]}']}
  - id: m
    depends_on: [up]
    expand: {over: "{{ ti.up.result.parts }}", max_length: 4}
    command: [$I, d, "{{ item }}", "{{ map_index }}"]
  - {id: after, depends_on: [m], command: [touch, $WORK/out/after-d]}
  - {id: up1025, command: [echo, '{"l": [$(seq -s, 1 1025)]}']}
  - {id: n, depends_on: [up1025], expand: {over: "{{ ti.up1025.result.l }}"}, command: [$I, d, "{{ item }}", "{{ map_index }}"]}
YAML
cat > dags/notlist.yaml <<YAML
dag: notlist
tasks:
  - {id: up, command: [echo, '{"parts": "p0 p1"}']}
  - id: m
    depends_on: [up]
    expand: {over: "{{ ti.up.result.parts }}"}
    command: [$I, n, "{{ item }}", "{{ map_index }}"]
YAML
# e. a literal list; a params list of objects
cat > dags/literal.yaml <<YAML
dag: literal
tasks:
  - id: m
    expand:
      over: [north, south, 42]
      as: region
    command: [$I, e, "{{ region }}", "{{ map_index }}"]
YAML
cat > dags/byparam.yaml <<YAML
dag: byparam
params: {cars: '[]'}
tasks:
  - id: m
    expand: {over: "{{ params.cars }}", as: car}
    command: [$I, p, "{{ car.vin }}", "{{ map_index }}"]
YAML

# g. kill -9 while instances run: at most 3 at once, they wait for out/g.go
cat > dags/crash.yaml <<YAML
dag: crash
concurrency: 3
tasks:
  - id: m
    expand: {over: [a, b, c, d, e, f]}
    retries: 1
    retry_delay: 100ms
    command: [$I, g, "{{ item }}", "{{ map_index }}", "0", "-", "wait"]
  - {id: after, depends_on: [m], command: [touch, $WORK/out/after-g]}
YAML

note "f. schedctl validate refuses bad expand"
cat > bad/stream.yaml <<'YAML'
dag: s
schedule: stream
tasks:
  - id: m
    expand: {over: [a, b]}
    command: [echo, "{{ item }}"]
YAML
cat > bad/as.yaml <<'YAML'
dag: as
tasks:
  - id: m
    expand: {over: [a, b], as: "no good"}
    command: [echo, "x"]
YAML
cat > bad/index.yaml <<'YAML'
dag: index
tasks:
  - id: m
    command: [echo, "{{ map_index }}"]
YAML
cat > bad/notup.yaml <<'YAML'
dag: notup
tasks:
  - {id: a, command: [echo, '{"l": [1]}']}
  - id: m
    expand: {over: "{{ ti.a.result.l }}"}
    command: [echo, "{{ item }}"]
YAML
cat > bad/length.yaml <<'YAML'
dag: length
tasks:
  - id: m
    expand: {over: [a], max_length: 0}
    command: [echo, "{{ item }}"]
  - id: n
    expand: {over: [a], max_length: 100001}
    command: [echo, "{{ item }}"]
YAML
"$BIN/schedctl" validate dags >out/valid.out 2>&1 || fail "the good DAGs do not validate: $(cat out/valid.out)"
"$BIN/schedctl" validate bad >out/validate.out 2>&1 && fail "validate accepted bad expand: $(cat out/validate.out)"
v=$(cat out/validate.out)
grep -q "unknown key 'expand'" out/validate.out && fail "expand is an unknown key: $v"
want() { # want FILE:LINE: EXTENDED_REGEX
	grep -E "^(.*/)?$1[0-9]+: .*$2" out/validate.out >/dev/null || fail "validate: want '$1' with /$2/ in: $v"
}
want "bad/stream.yaml:5:" "expand.*stream|stream.*expand"
want "bad/as.yaml:4:" "(^|[^a-z])as([^a-z]|$)"
want "bad/index.yaml:4:" "map_index.*expand|expand.*map_index"
want "bad/notup.yaml:5:" "'a' is not an upstream of 'm'"
want "bad/length.yaml:4:" "max_length"
want "bad/length.yaml:7:" "max_length.*100000|100000.*max_length"

start_daemon --parallelism 8
wait_sql 20 "select count(*) from dags" 8 || fail "DAGs not loaded: $(sq 'select file, errors from dag_files')"
t0=2026-01-01
for d in mapped fails empty toolong notlist literal; do sc trigger $d --date $t0 >/dev/null || fail "trigger $d"; done
sc trigger byparam --date $t0 --param 'cars=[{"vin": "V1"}, {"vin": "V2"}]' >/dev/null || fail "trigger byparam"
for d in mapped fails empty toolong notlist literal byparam; do wait_run $d 60; done

note "a. 50 elements from an upstream, one retried"
assert_eq success "$(run_state mapped)" "run of mapped"
R=$(rid mapped)
assert_eq 50 "$(sq "select count(*) from task_instances where run=$R and task_id like 'load_part[%]' and state='success'")" \
	"successful instances ($(tis mapped "task_id like 'load_part%'" | grep -v '|success|' | head -5))"
assert_eq "success|0" "$(sq "select state, try_number from task_instances where run=$R and task_id='load_part'")" \
	"the mapped task's own row"
assert_eq 0 "$(sq "select count(*) from tries where run=$R and task_id='load_part'")" "tries of the mapped task itself"
assert_eq "$parts50" "$(sq "select result from task_instances where run=$R and task_id='load_part'" | jq -c .)" \
	"the mapped task's result: its expanded list"
assert_eq "load_part[17]|2" "$(sq "select task_id, count(*) from tries where run=$R and task_id like 'load_part[%]'
	group by task_id having count(*) != 1")" "instances with other than one try"
assert_eq "failed success" "$(sq "select group_concat(state, ' ') from (select state from tries
	where run=$R and task_id='load_part[17]' order by try_number)")" "the tries of the failing element"
assert_eq 1 "$(sq "select count(*) from events where run=$R and task_id='load_part[17]' and new_state='up_for_retry'")" \
	"the retry's event"
for i in $(seq 0 49); do
	want_lines="p$i $i 1"
	[ "$i" = 17 ] && want_lines=$(printf 'p17 17 1\np17 17 2')
	assert_eq "$want_lines" "$(cat "out/a.$i" 2>/dev/null)" "what instance $i saw"
done
log=$(sq "select log_path from tries where run=$R and task_id='load_part[17]' and try_number=2")
case "$log" in *"load_part[17]"*) ;; *) fail "the log path does not name the instance: $log" ;; esac
grep -q "instance a 17 of element p17" "$log" || fail "the instance's log: $(cat "$log")"
# The downstream starts after every instance's last try ended.
last=$(sq "select max(ended_us) from tries where run=$R and task_id like 'load_part[%]'")
start=$(sq "select started_us from tries where run=$R and task_id='report'")
[ -n "$start" ] && [ "$start" -ge "$last" ] || fail "report started at $start, before the last instance ended ($last)"
jq -e 'length == 50 and ([.[] | .i] == [range(50)]) and ([.[] | .el] == [range(50) | "p\(.)"])' out/a.report >/dev/null ||
	fail "the downstream's {{ ti.load_part.result }}: $(cat out/a.report)"

note "b. an element failing for good"
assert_eq failed "$(run_state fails)" "run of fails"
assert_eq "m|failed|0
m[0]|success|1
m[1]|failed|1
m[2]|success|1" "$(tis fails "task_id like 'm%'")" "the mapped task and its instances"
assert_eq upstream_failed "$(ti_state fails after)" "the all_success downstream"
assert_eq success "$(ti_state fails alert)" "the one_failed downstream"
[ -e out/after-b ] && fail "the all_success downstream ran"
[ -e out/alert-b ] || fail "the one_failed downstream did not run"

note "c. an empty list; d. over max_length, not a list"
assert_eq success "$(run_state empty)" "run of empty"
assert_eq "m|skipped|0" "$(tis empty "task_id like 'm%'")" "an empty list"
assert_eq skipped "$(ti_state empty after)" "downstream of an empty list"
assert_eq failed "$(run_state toolong)" "run of toolong"
assert_eq "m|failed|0" "$(tis toolong "task_id like 'm%'")" "a list over max_length"
assert_eq upstream_failed "$(ti_state toolong after)" "downstream of a list over max_length"
cause=$(sq "select cause from events where run=$(rid toolong) and task_id='m' and new_state='failed'")
echo "$cause" | grep -q "max_length" && echo "$cause" | grep -qw 7 && echo "$cause" | grep -qw 4 ||
	fail "the cause does not name the length 7 and max_length 4: '$cause'"
cause=$(sq "select cause from events where run=$(rid toolong) and task_id='n' and new_state='failed'")
echo "$cause" | grep -q "1025 elements, over max_length 1024" || fail "the default max_length is not 1024: '$cause'"
assert_eq failed "$(run_state notlist)" "run of notlist"
assert_eq "m|failed|0" "$(tis notlist "task_id like 'm%'")" "a rendering that is no JSON list"
cause=$(sq "select cause from events where run=$(rid notlist) and task_id='m' and new_state='failed'")
echo "$cause" | grep -q "p0 p1.*not a JSON list" || fail "the cause does not say the list is no JSON list: '$cause'"
ls out/c.* out/d.* out/n.* 2>/dev/null && fail "an instance of an empty, too long or bad list ran"

note "e. a literal list, a params list"
assert_eq success "$(run_state literal)" "run of literal"
for i in 0 1 2; do
	el=$(echo "north south 42" | cut -d' ' -f$((i + 1)))
	assert_eq "$el $i 1" "$(cat out/e.$i 2>/dev/null)" "literal element $i"
done
assert_eq success "$(run_state byparam)" "run of byparam"
assert_eq "V1 0 1" "$(cat out/p.0 2>/dev/null)" "first param element"
assert_eq "V2 1 1" "$(cat out/p.1 2>/dev/null)" "second param element"
assert_eq "m|success|0
m[0]|success|1
m[1]|success|1" "$(tis byparam "task_id like 'm%'")" "instances of the param list"

note "g. kill -9 while instances run"
on_exit "touch $WORK/out/g.go"	# the waiting instances end whatever way the test ends
sc trigger crash --date $t0 >/dev/null || fail "trigger crash"
R=$(rid crash)
# m[0] fails its first try at once (before or after the kill); three
# instances wait for the go file.
wait_sql 30 "select count(*) from task_instances where run=$R and task_id like 'm[%]' and state='running'" 3 ||
	fail "3 instances not running: $(tis crash 1)"
assert_eq "running|0" "$(sq "select state, try_number from task_instances where run=$R and task_id='m'")" \
	"the mapped task while its instances run"
kill -9 "$DAEMON"
wait "$DAEMON" 2>/dev/null
start_daemon --parallelism 8
touch out/g.go
wait_run crash 60
assert_eq success "$(run_state crash)" "run of crash ($(tis crash 1))"
assert_eq "m|success|0
m[0]|success|2
m[1]|success|1
m[2]|success|1
m[3]|success|1
m[4]|success|1
m[5]|success|1" "$(tis crash "task_id like 'm%'")" "the instances after the restart"
assert_eq 7 "$(sq "select count(*) from tries where run=$R and task_id like 'm[%]'")" "tries of the instances"
for i in 0 1 2 3 4 5; do
	el=$(echo "a b c d e f" | cut -d' ' -f$((i + 1)))
	w="$el $i 1"
	[ $i = 0 ] && w=$(printf 'a 0 1\na 0 2')
	assert_eq "$w" "$(cat out/g.$i 2>/dev/null)" "executions of instance $i"
	assert_eq 1 "$(sq "select count(*) from events where run=$R and task_id='m[$i]' and new_state='success'")" \
		"instance $i ended once"
done
[ -e out/after-g ] || fail "the downstream did not run after the restart"
stop_daemon
