# schedctl backfill --cancel against the real daemon (Airflow's semantics):
# a backfill of three runs at --max-active 1 has one running and two queued;
# cancel stops the two queued runs (failed, tasks skipped, cause naming the
# backfill and the actor) and lets the running one finish.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/bfc.yaml <<YAML
dag: bfc
schedule: "0 0 * * *"
start_date: 2026-01-01
end_date: 2026-01-10
tasks:
  - id: a
    command: ["sh", "-c", "while [ ! -e $WORK/out/go ]; do sleep 0.05; done"]
YAML
start_daemon
ME=$(id -un)
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
wait_for 30 sql_is "select count(*) from dags where dag_id='bfc'" 1 || fail "DAG not loaded"
sc backfill bfc --from 2026-01-01 --to 2026-01-03 --max-active 1 >"$WORK/bf.out" 2>&1 || fail "backfill: $(cat "$WORK/bf.out")"
BF=$(sq "select id from backfills")
wait_sql 30 "select count(*) from runs where backfill_id=$BF and state='running'" 1 || fail "no backfill run running"
assert_eq 2 "$(sq "select count(*) from runs where backfill_id=$BF and state='queued'")" "queued runs"
RUNNING=$(sq "select id from runs where backfill_id=$BF and state='running'")

sc backfill bfc --cancel 99 --yes >"$WORK/c0.out" 2>&1
assert_eq 1 "$?" "cancel of an unknown backfill: exit"
grep -q "DAG bfc has no backfill 99" "$WORK/c0.out" || fail "message: $(cat "$WORK/c0.out")"
sc backfill bfc --cancel "$BF" </dev/null >"$WORK/c1.out" 2>&1
assert_eq 2 "$?" "cancel without --yes off a terminal"
assert_eq 2 "$(sq "select count(*) from runs where backfill_id=$BF and state='queued'")" "nothing cancelled without --yes"

sc backfill bfc --cancel "$BF" --yes >"$WORK/c.out" 2>&1 || fail "cancel: $(cat "$WORK/c.out")"
grep -q "2 queued runs stopped, 1 running run left to finish" "$WORK/c.out" || fail "summary: $(cat "$WORK/c.out")"
assert_eq "failed|backfill $BF cancelled by $ME" \
	"$(sq "select distinct state || '|' || cause from runs where backfill_id=$BF and id<>$RUNNING")" "cancelled runs"
assert_eq "skipped skipped" "$(sq "select group_concat(t.state, ' ') from task_instances t join runs r on r.id=t.run where r.backfill_id=$BF and r.id<>$RUNNING")" "their tasks"
assert_eq running "$(sq "select state from runs where id=$RUNNING")" "the running run goes on"
touch out/go
wait_sql 30 "select state from runs where id=$RUNNING" success || fail "the running run did not finish"
assert_eq 0 "$(sq "select count(*) from tries t join runs r on r.id=t.run where r.backfill_id=$BF and r.id<>$RUNNING")" "no try of a cancelled run"
assert_eq 1 "$(sq "select count(*) from events where new_state='backfill $BF cancelled' and actor='$ME'")" "cancel event"
stop_daemon
