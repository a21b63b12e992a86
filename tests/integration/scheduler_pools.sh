# timeout: 90
# Pools and priorities (docs/pools.md): a pool of 2 slots shared by two DAGs
# is never exceeded (checked on the tries the daemon recorded: at no try's
# start do the pool's tries then running hold more than 2 slots, a task with
# pool_slots 2 counting twice), and the higher priority_weight starts first
# across DAGs; a task naming a pool that does not exist waits with an event
# saying so and runs once `schedctl pools set` creates it; the tries of a
# full pool adopted by a restarted daemon (kill -9) still hold their slots;
# the loader refuses bad pool keys.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
mkdir -p dags out
cat > dags/hi.yaml <<YAML
dag: hi
default: {pool: shared, priority_weight: 10}
tasks:
  - {id: h1, command: ["sh", "-c", "while [ ! -e $WORK/out/go ]; do sleep 0.05; done"]}
  - {id: h2, command: ["sh", "-c", "while [ ! -e $WORK/out/go ]; do sleep 0.05; done"]}
  - {id: h3, command: ["sleep", "0.4"]}
YAML
cat > dags/lo.yaml <<YAML
dag: lo
tasks:
  - {id: l1, pool: shared, command: ["sleep", "0.4"]}
  - {id: l2, pool: shared, command: ["sleep", "0.4"]}
  - {id: l3, pool: shared, pool_slots: 2, priority_weight: 0, command: ["sleep", "0.4"]}
YAML
cat > dags/lost.yaml <<YAML
dag: lost
tasks:
  - {id: t, pool: later, command: ["true"]}
YAML
cat > dags/bad.yaml <<YAML
dag: bad
tasks:
  - {id: a, pool: "no/slash", pool_slots: 0, command: ["true"]}
  - {id: b, weight_rule: downstream, priority_weight: 2000000, command: ["true"]}
YAML

start_daemon --parallelism 16
# Nothing may start until both DAGs' tasks are ready: the pool has 0 slots.
sc pools set shared 0 --description "two DAGs share it" >/dev/null || fail "pools set"
wait_sql 10 "select count(*) from dag_files" 4 || fail "files not seen"
errs=$(sq "select errors from dag_files where file like '%bad.yaml'")
for want in "bad.yaml:3:19: pool: bad pool name" "bad.yaml:3:43: pool_slots: must be at least 1" \
	"bad.yaml:4:26: weight_rule: 'downstream' is not implemented" \
	"bad.yaml:4:55: priority_weight: 2000000 is over the limit of 1000000"; do
	echo "$errs" | grep -q "$want" || fail "want '$want' in: $errs"
done

trigger hi 1767225600
trigger lo 1767225600
trigger lost 1767225600
ready="select count(*) from task_instances t join runs r on r.id=t.run
       where r.dag_id in ('hi','lo') and t.state='scheduled'"
wait_sql 20 "$ready" 6 || fail "tasks not all ready: $(sq "$ready")"
wait_sql 20 "select count(*) from events where task_id='t' and cause like 'waiting for pool ''later'': no such pool%'" 1 ||
	fail "no wait event for the unknown pool: $(sq "select cause from events where task_id='t'")"
assert_eq scheduled "$(ti_state lost t)" "a task of an unknown pool waits"
sc pools | grep -q "^later .*(missing: its tasks wait" || fail "missing pool not listed: $(sc pools)"
sc pools --json | jq -e '.pools[] | select(.name=="later" and .exists==false)' >/dev/null ||
	fail "missing pool not in JSON: $(sc pools --json)"
assert_eq 0 "$(sq "select count(*) from tries")" "tries started with 0 slots"

sc pools set shared 2 >/dev/null || fail "pools set 2"
sc pools set later 1 >/dev/null || fail "pools set later"
# kill -9 while the pool is full: the next daemon adopts h1 and h2 and counts
# them in the pool (h3 waits for one of them, which the check below sees).
running="select count(*) from task_instances t join runs r on r.id=t.run where r.dag_id='hi' and t.state='running'"
wait_sql 20 "$running" 2 || fail "h1 and h2 not running: $(sq "$running")"
kill -9 $DAEMON
wait $DAEMON 2>/dev/null
start_daemon --parallelism 16
wait_for 20 grep -q "event=task_adopted.*task=h2" daemon.log || fail "h2 not adopted: $(tail -5 daemon.log)"
grep -q "event=task_adopted.*task=h1" daemon.log || fail "h1 not adopted"
touch out/go	# h1 and h2 end now
wait_run hi 30
wait_run lo 30
wait_run lost 30
for dag in hi lo lost; do assert_eq success "$(run_state $dag)" "run of $dag"; done

# Never more than 2 slots: at each try's start, the slots of the shared
# pool's tries started at or before it and not yet ended.
slots="(case when x.task_id='l3' then 2 else 1 end)"
over=$(sq "select t.task_id, (select sum($slots) from tries x where x.task_id != 't'
             and x.started_us <= t.started_us and x.ended_us > t.started_us) as held
           from tries t where t.task_id != 't' and held > 2")
[ -z "$over" ] || fail "pool exceeded: $over ($(sq "select task_id, started_us, ended_us from tries order by started_us"))"
# The higher priority first, in the order the daemon queued them (event ids:
# two tries queued in one pass may spawn in either order): hi's three tries
# before any of lo's, the priority 0 one last.
queued="select group_concat(task_id, ' ') from (select task_id from events
        where new_state='queued' and task_id != 't' order by id)"
order=$(sq "$queued")
case "$order" in
"h1 h2 h3 l1 l2 l3" | "h2 h1 h3 l1 l2 l3") ;;
*) fail "queued in the order: $order" ;;
esac
# schedctl pools shows both, JSON too; delete.
sc pools | grep -q "^shared  *2 " || fail "pools table: $(sc pools)"
sc pools --json | jq -e '.pools[] | select(.name=="shared" and .slots==2 and .description=="two DAGs share it")' \
	>/dev/null || fail "pools json: $(sc pools --json)"
sc pools delete later >/dev/null || fail "delete"
sc pools delete later 2>&1 | grep -q "no pool 'later'" || fail "delete twice"
sc pools set x -1 2>/dev/null; assert_eq 2 $? "negative slots is a usage error"
stop_daemon
