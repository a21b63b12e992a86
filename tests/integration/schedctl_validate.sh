# schedctl_validate.sh: validate on files and directories: file:line:column
# for every problem and exit 1; one summary line per DAG and exit 0 when clean;
# a dag_id defined twice is a problem. Needs no state file.
source "$ROOT/tests/tools/testlib.sh"
export NO_COLOR=1
mkdir -p good bad
cat >good/a.yaml <<'YAML'
dag: a
schedule: "0 3 * * *"
timezone: Europe/Paris
start_date: 2026-01-01
tasks:
  - id: one
    command: [echo, "{{ ds }}"]
  - id: two
    depends_on: one
    command: [echo, two]
YAML
cat >good/b.yml <<'YAML'
dag: b
schedule: none
tasks:
  - id: x
    command: [true]
YAML
echo "not a dag" >good/notes.txt
out=$("$BIN/schedctl" validate good) || fail "clean directory exit $?"
echo "$out"
assert_eq 2 "$(echo "$out" | wc -l)" "one line per DAG, .txt ignored"
echo "$out" | grep -q '^good/a.yaml: ok: DAG a, 2 tasks, schedule 0 3 \* \* \* (Europe/Paris)' || fail "summary of a"

cat >bad/c.yaml <<'YAML'
dag: c
schedule: "0 25 * * *"
tasks:
  - id: one
    command: [echo, "{{ dss }}"]
  - id: two
    depends_on: three
    command: [echo]
YAML
cp good/a.yaml bad/a_again.yaml
out=$("$BIN/schedctl" validate bad good/a.yaml); rc=$?
echo "$out"
assert_eq 1 $rc "problems exit 1"
echo "$out" | grep -Eq '^bad/c.yaml:[0-9]+:[0-9]+: .*25' || fail "bad cron with line:column"
echo "$out" | grep -Eq '^bad/c.yaml:[0-9]+:[0-9]+: .*dss' || fail "bad template with line:column"
echo "$out" | grep -Eq '^bad/c.yaml:[0-9]+:[0-9]+: .*three' || fail "unknown dependency with line:column"
echo "$out" | grep -q "^good/a.yaml: dag_id 'a' is also defined in bad/a_again.yaml" || fail "duplicate dag_id"
j=$("$BIN/schedctl" validate --json good)
[ "$(sqlite3 :memory: "SELECT json_extract('${j//\'/\'\'}', '\$.files[0].ok'), json_extract('${j//\'/\'\'}', '\$.problems')")" = "1|0" ] || fail "validate --json: $j"
"$BIN/schedctl" validate missing.yaml >/dev/null 2>&1; assert_eq 1 $? "missing file"

note "the daemon's limits, and the same flags to change them"
"$BIN/schedctl" validate good >/dev/null || fail "good files under the default limits"
{ echo "dag: wide"; echo "tasks:"; for i in $(seq 1 100); do echo "  - {id: t$i, command: [echo]}"; done; } > wide.yaml
"$BIN/schedctl" validate wide.yaml >/dev/null || fail "wide.yaml under the default limits"
out=$("$BIN/schedctl" validate --max-dag-size 1K wide.yaml 2>&1); assert_eq 1 $? "over --max-dag-size"
echo "$out" | grep -q 'over the limit' || fail "size message: $out"
printf 'dag: deep\ntasks:\n  - {id: a, command: [echo, [[[[[[x]]]]]]]}\n' > deep.yaml
out=$("$BIN/schedctl" validate --max-dag-depth 4 deep.yaml 2>&1); assert_eq 1 $? "over --max-dag-depth"
echo "$out" | grep -Eq '^deep.yaml:3:[0-9]+: .*nest' || fail "depth message with line:column: $out"
out=$(SCHED_MAX_DAG_DEPTH=4 "$BIN/schedctl" validate deep.yaml 2>&1); assert_eq 1 $? "\$SCHED_MAX_DAG_DEPTH"
"$BIN/schedctl" validate --max-dag-size 1Q good >/dev/null 2>err; assert_eq 2 $? "bad --max-dag-size"
grep -q -- "--max-dag-size: '1Q'" err || fail "names the flag: $(cat err)"

note "a whole folder: wait_for.dag and wait_for.task name a DAG and a task of it"
mkdir -p xdag
printf 'dag: waiter\ntasks:\n  - id: w\n    wait_for: {dag: producr}\n  - id: v\n    wait_for: {dag: producer, task: lod}\n' > xdag/waiter.yaml
printf 'dag: producer\ntasks:\n  - {id: load, command: ["true"]}\n' > xdag/producer.yaml
out=$("$BIN/schedctl" validate xdag 2>&1); assert_eq 1 $? "a folder with wrong wait_for references"
echo "$out" | grep -q "^xdag/waiter.yaml:3:5: task 'w': wait_for.dag: no DAG 'producr' in the folder; did you mean 'producer'?" ||
	fail "wrong wait_for.dag: $out"
echo "$out" | grep -q "^xdag/waiter.yaml:5:5: task 'v': wait_for.task: DAG producer has no task 'lod'; did you mean 'load'?" ||
	fail "wrong wait_for.task: $out"
"$BIN/schedctl" validate xdag/waiter.yaml >/dev/null || fail "one file alone: the other DAGs are not known, no problem"
echo ok
