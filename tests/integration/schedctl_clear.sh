# schedctl_clear.sh: clear with the daemon down: the task set (named tasks,
# --downstream, --upstream, --failed-only), the confirmation rules, refusal of
# running tasks without --force, --force making them restarting, tries kept.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

r1=$(add_run 2026-03-01 success); for t in extract transform load report; do add_ti "$r1" $t success; done
r2=$(add_run 2026-03-02 failed); add_ti "$r2" extract success; add_ti "$r2" transform failed 3 1
add_ti "$r2" load upstream_failed 0; add_ti "$r2" report success

note downstream set, no terminal, no --yes
out=$(sc clear etl --date 2026-03-01 --task transform --downstream </dev/null 2>&1); assert_eq 2 $? "needs --yes off a terminal"
echo "$out"
echo "$out" | grep -q 'add --yes' || fail "says --yes is needed"
echo "$out" | grep -Eq '^transform +success' && echo "$out" | grep -Eq '^load +success' || fail "prints the set"
echo "$out" | grep -Eq '^(extract|report) ' && fail "set has only transform and load"
assert_eq success "$(ti_state "$r1" transform)" "nothing cleared without --yes"

sc clear etl --date 2026-03-01 --task transform --downstream --yes || fail "clear --yes"
for t in transform load; do assert_eq none "$(ti_state "$r1" $t)" "$t cleared"; done
for t in extract report; do assert_eq success "$(ti_state "$r1" $t)" "$t untouched"; done
assert_eq queued "$(sq "SELECT state FROM runs WHERE id=$r1")" "run queued again"
assert_eq 4 "$(sq "SELECT max_tries FROM task_instances WHERE run=$r1 AND task_id='transform'")" "fresh budget: try 1 + 1 + retries 2"
assert_eq 4 "$(sq "SELECT count(*) FROM tries WHERE run=$r1")" "earlier tries kept"
[ -s "$WORK/logs/$r1.transform.1.log" ] || fail "earlier log kept"

note upstream
out=$(sc clear etl --date 2026-03-01 --task report --upstream --yes) || fail "upstream"
echo "$out" | grep -Eq '^extract ' || fail "--upstream adds extract"
assert_eq none "$(ti_state "$r1" extract)" "extract cleared by --upstream"

note failed-only
out=$(sc clear etl --date 2026-03-02 --failed-only --yes) || fail "failed-only"
echo "$out"
assert_eq "none none success success" \
	"$(ti_state "$r2" transform) $(ti_state "$r2" load) $(ti_state "$r2" extract) $(ti_state "$r2" report)" \
	"--failed-only clears failed and upstream_failed only"
out=$(sc clear etl --date 2026-03-02 --failed-only --yes) || fail "nothing to clear is ok"
echo "$out" | grep -q 'nothing to clear' || fail "says nothing to clear"

note running without --force
sq "UPDATE task_instances SET state='running' WHERE run=$r2 AND task_id='extract'"
err=$(sc clear etl --date 2026-03-02 --task extract --yes 2>&1); assert_eq 1 $? "refuses a running task"
echo "$err" | grep -q -- '--force' || fail "names --force: $err"
assert_eq 0 "$(sq 'SELECT count(*) FROM requests')" "no request without --force"

note "running with --force: restarting, in the same transaction as the rest"
sc clear etl --date 2026-03-02 --task extract --downstream --yes --force >"$WORK/out" || fail "clear --force"
grep -q '1 of them is restarting' "$WORK/out" || fail "says what restarts: $(cat "$WORK/out")"
assert_eq restarting "$(ti_state "$r2" extract)" "a running task restarts"
assert_eq none "$(ti_state "$r2" load)" "its downstream is cleared"
assert_eq 0 "$(sq 'SELECT count(*) FROM requests')" "no stop request: the state says it"

note asks on a terminal
if command -v script >/dev/null; then
	sq "UPDATE task_instances SET state='success' WHERE run=$r1"
	out=$( (sleep 0.5; echo n) | script -qec "$BIN/schedctl --state $STATE clear etl --date 2026-03-01 --task load" /dev/null)
	assert_eq 1 $? "answering n"
	echo "$out" | grep -q 'Clear this task instance? \[y/N\]' || fail "asks: $out"
	assert_eq success "$(ti_state "$r1" load)" "n clears nothing"
	(sleep 0.5; echo y) | script -qec "$BIN/schedctl --state $STATE clear etl --date 2026-03-01 --task load" /dev/null >/dev/null
	assert_eq 0 $? "answering y"
	assert_eq none "$(ti_state "$r1" load)" "y clears"
fi

note errors
err=$(sc clear etl --date 2026-03-01 --task lod --yes 2>&1); assert_eq 1 $? "unknown task"
echo "$err" | grep -q "did you mean 'load'" || fail "names nearest task: $err"
sc clear etl --date 2026-03-09 --yes >/dev/null 2>&1; assert_eq 1 $? "no run that day"
sc clear etl --yes >/dev/null 2>&1; assert_eq 2 $? "--date required"
echo ok
