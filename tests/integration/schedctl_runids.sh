# schedctl_runids.sh: runs addressed by run id and by a logical date with a
# time of day, against the real daemon. trigger --run-id names a run (unique
# per DAG, one path component); trigger --date with a day alone on a
# "30 1 * * *" DAG makes the 01:30 run the schedule would have made (not a
# second run at 00:00); a date with a time or an offset is exactly that
# instant; a future date needs --allow-future. status, logs, events and clear
# take --run-id; a day with two runs is ambiguous (exit 2, the ids listed).
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
[ -x "$BIN/schedulerd" ] || fail "schedulerd is not built ($BIN)"
mkdir -p "$WORK/dags" "$WORK/logs"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
# start_date far ahead: the daemon schedules nothing by itself here.
cat >"$WORK/dags/nightly.yaml" <<'YAML'
dag: nightly
schedule: "30 1 * * *"
start_date: 2099-01-01
tasks:
  - id: a
    command: [sh, -c, 'echo "hello from {{ run_id }}"']
  - id: b
    depends_on: a
    command: [/bin/true]
YAML
start_daemon
wait_sql 30 "select count(*) from dags where dag_id='nightly'" 1 || fail "daemon did not load nightly"
sc unpause nightly >/dev/null || fail "unpause"
t0130=$(date -u -d 2026-11-29T01:30:00Z +%s)
t0300=$(date -u -d 2026-11-29T03:00:00Z +%s)

note "a day alone on a 01:30 cron: the day's 01:30 run"
out=$(sc trigger nightly --date 2026-11-29) || fail "trigger by day: exit $?"
echo "$out"
echo "$out" | grep -q 'created run manual__2026-11-29T01:30:00+00:00' || fail "run id of the 01:30 run: $out"
assert_eq "$t0130|$((t0130 + 86400))" "$(sq "select logical_date, interval_end from runs where dag_id='nightly'")" \
	"logical date 01:30, interval to the next 01:30"
err=$(sc trigger nightly --date 2026-11-29T01:30 2>&1); assert_eq 1 $? "the same instant again is refused"
echo "$err" | grep -q 'already has a run' || fail "duplicate message: $err"

note "a time with an offset, and a run id of one's own"
out=$(sc trigger nightly --date 2026-11-29T05:00+02:00 --run-id rerun-a) || fail "trigger --run-id: exit $?"
echo "$out" | grep -q 'created run rerun-a ' || fail "names the run id: $out"
assert_eq "$t0300" "$(sq "select logical_date from runs where run_id='rerun-a'")" "05:00+02:00 is 03:00 UTC"
err=$(sc trigger nightly --date 2026-11-30 --run-id rerun-a 2>&1); assert_eq 1 $? "a taken run id"
echo "$err" | grep -q "already has a run with id 'rerun-a'" || fail "taken run id message: $err"
for bad in '../x' 'a/b' '..' 'scheduled__2026-12-01T01:30:00+00:00' 'manual__x'; do
	err=$(sc trigger nightly --date 2026-11-28 --run-id "$bad" 2>&1); assert_eq 2 $? "run id '$bad' refused"
	echo "$err" | grep -q -- '--run-id' || fail "names --run-id: $err"
done
sc trigger nightly --date 2026-11-29T25:00 >/dev/null 2>&1; assert_eq 2 $? "hour 25 is usage"
sc trigger nightly --date 2026-11-29T01:30+2 >/dev/null 2>&1; assert_eq 2 $? "a short offset is usage"
assert_eq 2 "$(sq "select count(*) from runs")" "refused triggers wrote nothing"

note "test takes the same logical dates"
assert_eq "hello from test__2026-11-29T01:30:00+00:00" "$(sc test nightly a --date 2026-11-29 2>/dev/null)" \
	"test --date DAY: the day's cron time"
assert_eq "hello from test__2026-11-29T07:05:00+00:00" "$(sc test nightly a --date 2026-11-29T07:05 2>/dev/null)" \
	"test --date with a time"

note "a future logical date needs --allow-future"
err=$(sc trigger nightly --date 2099-01-05 2>&1); assert_eq 2 $? "future refused"
echo "$err" | grep -q -- '--allow-future' || fail "names --allow-future: $err"
assert_eq 0 "$(sq "select count(*) from runs where logical_date > strftime('%s','now')")" "no future run"
sc trigger nightly --date 2099-01-05 --allow-future --run-id later >/dev/null || fail "--allow-future"
assert_eq "$(date -u -d 2099-01-05T01:30:00Z +%s)" "$(sq "select logical_date from runs where run_id='later'")" "future run created"

wait_sql 60 "select count(*) from runs where logical_date in ($t0130, $t0300) and state='success'" 2 \
	|| fail "the two runs of 2026-11-29 did not succeed: $(sq 'select run_id, state from runs')"

note "selecting: a day with two runs is ambiguous"
err=$(sc status nightly --date 2026-11-29 2>&1); assert_eq 2 $? "ambiguous day is usage"
echo "$err"
echo "$err" | grep -q 'manual__2026-11-29T01:30:00+00:00' && echo "$err" | grep -q 'rerun-a' \
	&& echo "$err" | grep -q -- '--run-id' || fail "lists the runs and asks for --run-id: $err"
out=$(sc status nightly --run-id rerun-a) || fail "status --run-id"
echo "$out" | head -1 | grep -q 'rerun-a' || fail "status shows rerun-a: $out"
out=$(sc status nightly --date 2026-11-29T01:30) || fail "status --date with a time"
echo "$out" | head -1 | grep -q 'manual__2026-11-29T01:30:00+00:00' || fail "status at 01:30: $out"
out=$(sc status nightly --date 2026-11-29T03:00Z) || fail "status --date with Z"
echo "$out" | head -1 | grep -q 'rerun-a' || fail "status at 03:00Z: $out"
err=$(sc status nightly --run-id nope 2>&1); assert_eq 1 $? "unknown run id"
echo "$err" | grep -q "no run 'nope'" || fail "unknown run id message: $err"
sc status nightly --run-id rerun-a --date 2026-11-29 >/dev/null 2>&1; assert_eq 2 $? "both --run-id and --date"

note "logs, events, runs by run id"
out=$(sc logs nightly a --run-id rerun-a) || fail "logs --run-id"
echo "$out" | grep -q 'hello from rerun-a' || fail "the log of rerun-a: $out"
err=$(sc logs nightly a --date 2026-11-29 2>&1); assert_eq 2 $? "logs on an ambiguous day"
j=$(sc events nightly --run-id rerun-a --last 0 --json) || fail "events --run-id"
[ -n "$j" ] || fail "events of rerun-a"
n_all=$(echo "$j" | grep -o '"run_id":"[^"]*"' | wc -l)
n_ours=$(echo "$j" | grep -o '"run_id":"rerun-a"' | wc -l)
[ "$n_ours" -ge 3 ] && [ "$n_all" = "$n_ours" ] || fail "events of rerun-a only ($n_ours of $n_all): $j"
j=$(sc runs nightly --json) || fail "runs --json"
echo "$j" | grep -q '"run_id":"rerun-a"' || fail "runs shows the run id: $j"
out=$(sc runs nightly --date 2026-11-29) || fail "runs --date"
echo "$out"
assert_eq 3 "$(echo "$out" | wc -l)" "runs --date: header + the two runs of that day"
echo "$out" | grep -q 'rerun-a' && echo "$out" | grep -q 'manual__2026-11-29T01:30' || fail "runs of the day: $out"
out=$(sc runs nightly --run-id rerun-a --json) || fail "runs --run-id"
assert_eq 1 "$(echo "$out" | grep -o '"run_id"' | wc -l)" "runs --run-id: one run"
out=$(sc runs nightly --date 2026-11-29 --run-state failed) || fail "runs --date --run-state"
echo "$out" | grep -q 'has no runs in state failed' || fail "the day's runs filtered by state: $out"

note "grid ending at a run"
j=$(sc grid nightly --run-id rerun-a --json) || fail "grid --run-id"
echo "$j" | grep -o '"run_id":"[^"]*"' | tr '\n' ' ' | grep -qx '"run_id":"manual__2026-11-29T01:30:00+00:00" "run_id":"rerun-a" ' \
	|| fail "grid --run-id: the runs up to rerun-a, oldest first: $j"
sc grid nightly --run-id rerun-a --last 1 --json | grep -o '"run_id":"[^"]*"' | grep -qx '"run_id":"rerun-a"' \
	|| fail "grid --run-id --last 1"
sc grid nightly --date 2026-11-29 >/dev/null 2>&1; assert_eq 2 $? "grid on an ambiguous day"
sc grid nightly --run-id nope >/dev/null 2>&1; assert_eq 1 $? "grid on an unknown run id"

note "clear by run id"
sc clear nightly --run-id rerun-a --task b --yes >/dev/null || fail "clear --run-id"
wait_sql 60 "select count(*) from tries t join runs r on r.id=t.run where r.run_id='rerun-a' and t.task_id='b'" 2 \
	|| fail "b of rerun-a did not run again"
assert_eq 1 "$(sq "select count(*) from tries t join runs r on r.id=t.run where r.run_id like 'manual__%' and t.task_id='b'")" \
	"the other run of that day is untouched"
echo ok
