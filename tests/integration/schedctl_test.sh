# schedctl_test.sh: `schedctl test` renders a task with the daemon's
# render_task, prints its argv, runs it in the foreground with the try's
# environment, exits with its exit code and records nothing.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

before=$(sq "SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM runs)")
out=$(sc test etl extract --date 2026-03-04 2>"$WORK/err") || fail "test exit $?"
assert_eq "extract 20260304 eu" "$out" "rendered command output"
grep -q '^+ echo .extract 20260304 eu.$' "$WORK/err" || fail "argv printed: $(cat "$WORK/err")"

out=$(sc test etl load --date 20260304 2>"$WORK/err"); rc=$?
assert_eq 3 $rc "exit code of the task"
assert_eq "load 2026-03-04" "$out" "environment of a try (SCHED_DS)"
grep -q 'exit code 3' "$WORK/err" || fail "says the exit code"
assert_eq "$before" "$(sq "SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM runs)")" "records nothing"

# From a directory, without a state file.
rm -f "$STATE"
out=$("$BIN/schedctl" --state "$WORK/none.db" test etl transform --date 2026-03-04 --dags "$DAGS" 2>/dev/null) \
	|| fail "test --dags"
assert_eq "transform 2026-03-04" "$out" "test --dags"
[ ! -e "$WORK/none.db" ] || fail "test --dags created a state file"
err=$("$BIN/schedctl" test etl lod --date 2026-03-04 --dags "$DAGS" 2>&1); assert_eq 1 $? "unknown task"
echo "$err" | grep -q "did you mean 'load'" || fail "names nearest task: $err"
err=$("$BIN/schedctl" test elt load --date 2026-03-04 --dags "$DAGS" 2>&1); assert_eq 1 $? "unknown DAG"
echo "$err" | grep -q "did you mean 'etl'" || fail "names nearest DAG: $err"
"$BIN/schedctl" test etl load --dags "$DAGS" >/dev/null 2>&1; assert_eq 2 $? "--date required"

# The program is the one a real try runs: argv[0] in the try's PATH (its env),
# not in schedctl's own PATH.
mkdir -p "$WORK/trybin" "$WORK/mybin"
printf '#!/bin/sh\necho from the try PATH\n' >"$WORK/trybin/whichone"
printf '#!/bin/sh\necho from the schedctl PATH\n' >"$WORK/mybin/whichone"
chmod +x "$WORK/trybin/whichone" "$WORK/mybin/whichone"
cat >"$DAGS/pathy.yaml" <<YAML
dag: pathy
tasks:
  - id: which
    env: {PATH: "$WORK/trybin:/usr/bin:/bin"}
    command: [whichone]
  - id: missing
    env: {PATH: "$WORK/nowhere"}
    command: [whichone]
YAML
out=$(PATH="$WORK/mybin:$PATH" "$BIN/schedctl" test pathy which --date 2026-03-04 --dags "$DAGS" 2>/dev/null) ||
	fail "test pathy which: exit $?"
assert_eq "from the try PATH" "$out" "program found in the try's PATH"
out=$(PATH="$WORK/mybin:$PATH" "$BIN/schedctl" test pathy missing --date 2026-03-04 --dags "$DAGS" 2>"$WORK/err")
assert_eq 127 $? "not in the try's PATH: exit 127 as a try"
grep -q "cannot run whichone: No such file or directory" "$WORK/err" || fail "says not found: $(cat "$WORK/err")"

# a mapped task runs as one instance: TASK[N] of its list, or --item
cat >"$DAGS/mapped.yaml" <<YAML
dag: mapped
tasks:
  - {id: up, command: ["true"]}
  - {id: lit, expand: {over: [a, b, c], as: part}, command: [echo, "{{ part }}#{{ map_index }}"]}
  - {id: res, depends_on: up, expand: {over: "{{ ti.up.result.x }}"}, command: [echo, "{{ item.day }}"]}
YAML
out=$("$BIN/schedctl" test mapped 'lit[2]' --date 2026-03-04 --dags "$DAGS" 2>/dev/null) || fail "test lit[2]: exit $?"
assert_eq "c#2" "$out" "element 2 of a literal list"
assert_eq "a#0" "$("$BIN/schedctl" test mapped lit --date 2026-03-04 --dags "$DAGS" 2>/dev/null)" "TASK alone is TASK[0]"
out=$("$BIN/schedctl" test mapped 'res[4]' --item '{"day": "2026-03-04"}' --date 2026-03-04 --dags "$DAGS" 2>/dev/null) ||
	fail "test res --item: exit $?"
assert_eq "2026-03-04" "$out" "--item gives the element"
"$BIN/schedctl" test mapped res --date 2026-03-04 --dags "$DAGS" 2>"$WORK/err" && fail "a result list without --item ran"
grep -q "give the element with --item" "$WORK/err" || fail "says --item: $(cat "$WORK/err")"
"$BIN/schedctl" test mapped 'lit[3]' --date 2026-03-04 --dags "$DAGS" 2>"$WORK/err" && fail "lit[3] ran"
grep -q "its list has 3 elements, no \[3\]" "$WORK/err" || fail "says out of range: $(cat "$WORK/err")"
echo ok
