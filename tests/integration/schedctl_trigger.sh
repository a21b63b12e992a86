# schedctl_trigger.sh: manual runs with the daemon down: logical date in the
# DAG's zone, interval end from the schedule, params checked against the DAG
# file, duplicates refused, unknown DAGs named.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

out=$(sc trigger etl --date 2026-03-05 --param region=us) || fail "trigger exit $?"
echo "$out"
echo "$out" | grep -q 'created run manual__2026-03-05T00:00:00+00:00' || fail "trigger message"
row=$(sq "SELECT run_type, state, logical_date, interval_end, conf, sort_key FROM runs")
t=$(date -u -d 2026-03-05 +%s)
assert_eq "manual|queued|$t|$((t + 86400))|{\"region\":\"us\"}|$t" "$row" "run row"
assert_eq 1 "$(sq "SELECT count(*) FROM events WHERE new_state='queued'")" "creation event"

err=$(sc trigger etl --date 20260305 2>&1); assert_eq 1 $? "duplicate logical date"
echo "$err" | grep -q 'already has a run for logical date 2026-03-05' || fail "duplicate message: $err"
assert_eq 1 "$(sq "SELECT count(*) FROM runs")" "no second run"

err=$(sc trigger etl --date 2026-03-06 --param regon=x 2>&1); assert_eq 2 $? "unknown param"
echo "$err" | grep -q "did you mean 'region'" || fail "unknown param names the declared one: $err"
sc trigger etl --param novalue >/dev/null 2>&1; assert_eq 2 $? "param without ="

err=$(sc trigger manual 2>&1); assert_eq 1 $? "unknown DAG"
echo "$err" | grep -q "manual_only" || fail "unknown DAG names nearest: $err"

# Without --date: now; a DAG without schedule gets interval_end = logical date.
before=$(date +%s)
sc trigger manual_only >/dev/null || fail "trigger without date"
row=$(sq "SELECT logical_date, interval_end, run_type FROM runs WHERE dag_id='manual_only'")
ld=${row%%|*}
[ "$ld" -ge "$before" ] && [ "$ld" -le "$(date +%s)" ] || fail "logical date is now: $row"
assert_eq "$ld|$ld|manual" "$row" "schedule none: interval is a point"

sc trigger etl --date 2026-13-01 >/dev/null 2>&1; assert_eq 2 $? "bad date is usage"
sc trigger >/dev/null 2>&1; assert_eq 2 $? "missing DAG is usage"
sc --state "$WORK/nope.db" trigger etl >/dev/null 2>&1; assert_eq 1 $? "missing state file"
[ ! -e "$WORK/nope.db" ] || fail "schedctl created a state file"
SCHED_STATE=$STATE "$BIN/schedctl" trigger etl --date 2026-03-07 >/dev/null || fail "SCHED_STATE"
echo ok
