# schedctl_backfill.sh: backfill plans and writes with the daemon down:
# one run per interval, succeeded kept, failed rerun, running left alone,
# --reset, --failed-only, --reverse, --dry-run, --max-active.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

r1=$(add_run 2026-03-01 success); for t in extract transform load report; do add_ti "$r1" $t success; done
r2=$(add_run 2026-03-02 failed); add_ti "$r2" extract success; add_ti "$r2" transform success
add_ti "$r2" load failed 1 3; add_ti "$r2" report upstream_failed
r3=$(add_run 2026-03-03 running); add_ti "$r3" extract running

note dry run
out=$(sc backfill etl --from 2026-02-28 --to 2026-03-04 --dry-run) || fail "dry-run exit"
echo "$out"
echo "$out" | grep -Eq '^2026-03-01 00:00 +success +keep' || fail "plan keeps succeeded"
echo "$out" | grep -Eq '^2026-03-02 00:00 +failed +rerun failed' || fail "plan reruns failed"
echo "$out" | grep -Eq '^2026-03-03 00:00 +running +leave' || fail "plan leaves running"
echo "$out" | grep -q '5 intervals: 2 to create' || fail "plan summary"
assert_eq 3 "$(sq 'SELECT count(*) FROM runs')" "dry run changes nothing"
assert_eq 0 "$(sq 'SELECT count(*) FROM backfills')" "dry run: no backfill row"
j=$(sc backfill etl --from 2026-02-28 --to 2026-03-04 --dry-run --json)
assert_eq rerun_failed "$(jx "$j" '$.intervals[2].action')" "--json action"

note real
sc backfill etl --from 2026-02-28 --to 20260304 --max-active 2 || fail "backfill exit"
assert_eq "1|etl|2" "$(sq 'SELECT id, dag_id, max_active FROM backfills')" "backfills row"
assert_eq 5 "$(sq 'SELECT count(*) FROM runs')" "2 runs created"
t=$(date -u -d 2026-02-28 +%s)
assert_eq "backfill|queued|1|$t|$((t + 86400))" \
	"$(sq "SELECT run_type, state, backfill_id, sort_key, interval_end FROM runs WHERE logical_date=$t")" "created run"
assert_eq "success|none|none|success" \
	"$(sq "SELECT group_concat(state, '|') FROM (SELECT state FROM task_instances WHERE run=$r2 ORDER BY task_id)")" \
	"failed run: failed and upstream_failed cleared (load, report), others kept"
assert_eq "queued|1" "$(sq "SELECT state, backfill_id FROM runs WHERE id=$r2")" "failed run queued again in the backfill"
assert_eq "success|" "$(sq "SELECT state, backfill_id FROM runs WHERE id=$r1")" "succeeded run kept"
assert_eq "running" "$(ti_state "$r3" extract)" "running run untouched"

note reset
sc backfill etl --from 2026-03-01 --to 2026-03-01 --reset >/dev/null || fail "reset"
assert_eq 4 "$(sq "SELECT count(*) FROM task_instances WHERE run=$r1 AND state='none'")" "--reset clears all tasks"
assert_eq 2 "$(sq "SELECT max_tries FROM task_instances WHERE run=$r1 AND task_id='extract'")" "fresh retry budget"

note failed-only and reverse
sq "UPDATE runs SET state='failed' WHERE id=$r1; UPDATE task_instances SET state='failed' WHERE run=$r1 AND task_id='load'"
out=$(sc backfill etl --from 2026-02-20 --to 2026-03-01 --failed-only --reverse) || fail "failed-only"
echo "$out"
assert_eq 5 "$(sq 'SELECT count(*) FROM runs')" "--failed-only creates nothing"
assert_eq "-$(date -u -d 2026-03-01 +%s)" "$(sq "SELECT sort_key FROM runs WHERE id=$r1")" "--reverse negates sort_key"

note wait: a stand-in for the daemon finishes the runs
sq "DELETE FROM runs WHERE dag_id='etl'"
# It waits for backfill to have created the runs, however long that takes.
runs_are() { [ "$(sq "SELECT count(*) FROM runs WHERE dag_id='etl'")" = "$1" ]; }
( wait_for 60 runs_are 3; sq "UPDATE runs SET state='success' WHERE logical_date < $(date -u -d 2026-04-03 +%s)";
  sleep 0.5; sq "UPDATE runs SET state='failed' WHERE state='queued'" ) &
sc backfill etl --from 2026-04-01 --to 2026-04-03 --wait >"$WORK/out" 2>"$WORK/err"; rc=$?
wait
cat "$WORK/out" "$WORK/err"
assert_eq 1 $rc "--wait exits 1 when a run failed"
grep -q 'backfill [0-9]*: 3/3 runs done, 0 running, 1 failed' "$WORK/err" || fail "progress lines off a terminal"
grep -q 'finished: 3 runs, 1 failed' "$WORK/out" || fail "final line"
( wait_for 60 runs_are 4; sq "UPDATE runs SET state='success'" ) &
sc backfill etl --from 2026-04-05 --to 2026-04-05 --wait >/dev/null 2>&1 || fail "--wait exits 0 when all succeeded"
wait

note errors
sc backfill manual_only --from 2026-03-01 --to 2026-03-02 >/dev/null 2>&1; assert_eq 1 $? "no cron schedule"
sc backfill etl --from 2026-03-02 --to 2026-03-01 >/dev/null 2>&1; assert_eq 2 $? "to before from"
sc backfill etl --from 2026-03-02 >/dev/null 2>&1; assert_eq 2 $? "missing --to"
sc backfill etl --from 2026-03-01 --to 2026-03-01 --reset --failed-only >/dev/null 2>&1; assert_eq 2 $? "contradiction"
sc backfill etl --from x --to 2026-03-01 >/dev/null 2>&1; assert_eq 2 $? "bad --from"
echo ok
