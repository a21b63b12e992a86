# schedctl_params.sh: --param K=V on test and backfill, as trigger takes it,
# against the real daemon: checked against the params the DAG declares (a
# typo is exit 2 naming the nearest), test renders with it, backfill stores
# it as the conf of every run it creates and the tries see it.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
[ -x "$BIN/schedulerd" ] || fail "schedulerd is not built ($BIN)"
mkdir -p "$WORK/dags" "$WORK/logs"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
# start_date far ahead: the daemon schedules nothing by itself here.
cat >"$WORK/dags/withp.yaml" <<'YAML'
dag: withp
schedule: "@daily"
start_date: 2099-01-01
params:
  region: eu
  limit: "10"
tasks:
  - id: a
    command: [sh, -c, 'echo "region={{ params.region }} limit={{ params.limit }}"']
YAML
start_daemon
wait_sql 30 "select count(*) from dags where dag_id='withp'" 1 || fail "daemon did not load withp"
sc unpause withp >/dev/null || fail "unpause"

note "test --param"
out=$(sc test withp a --date 2026-03-01 2>/dev/null) || fail "test without --param: exit $?"
assert_eq "region=eu limit=10" "$out" "test without --param: the declared values"
out=$(sc test withp a --date 2026-03-01 --param region=us --param limit=3 --param region=ap 2>/dev/null) \
	|| fail "test --param: exit $?"
assert_eq "region=ap limit=3" "$out" "test --param overrides, the last of a repeated name wins"
err=$(sc test withp a --date 2026-03-01 --param regon=us 2>&1); assert_eq 2 $? "test: an undeclared param"
echo "$err" | grep -q "did you mean 'region'" || fail "names the declared param: $err"
sc test withp a --date 2026-03-01 --param region >/dev/null 2>&1; assert_eq 2 $? "test: --param without ="

note "backfill --param"
err=$(sc backfill withp --from 2026-03-01 --to 2026-03-02 --param limt=1 2>&1); assert_eq 2 $? "backfill: undeclared"
echo "$err" | grep -q "did you mean 'limit'" || fail "backfill names the declared param: $err"
assert_eq 0 "$(sq "select count(*) from runs")" "a refused backfill creates nothing"
sc backfill withp --from 2026-03-01 --to 2026-03-02 --param limit=7 >/dev/null || fail "backfill --param"
assert_eq '{"limit":"7"}|{"limit":"7"}' "$(sq "select group_concat(conf, '|') from runs where run_type='backfill'")" \
	"the conf of every created run"
wait_sql 60 "select count(*) from runs where run_type='backfill' and state='success'" 2 \
	|| fail "backfill runs did not succeed: $(sq 'select run_id, state from runs')"
out=$(sc logs withp a --date 2026-03-02) || fail "logs"
echo "$out" | grep -q 'region=eu limit=7' || fail "the try saw the backfill's param: $out"
echo ok
