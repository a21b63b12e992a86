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
echo ok
