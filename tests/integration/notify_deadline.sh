# timeout: 90
# Alerts not caused by a task's transition (docs/alerts.md): a run not
# successful by data_interval_end + deadline gets one deadline_missed, and
# deadline_recovered when it finally succeeds; a run that succeeds in time
# gets neither. Missed schedules across a daemon stop: the store says the
# DAGs were planned up to three hours ago (as a daemon down since then leaves
# it); at restart the catchup DAG's late runs and the other DAG's skipped
# intervals (and its latest, run late) each give one schedule_missed, and a new DAG catching up from its
# start_date gives none (nor a deadline to the runs of that history).
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
# Minutely and hourly schedules: each part starts far enough from the next
# fire time that no new interval ends during it (which would add runs).
away_from_fire() {	# PERIOD_S MARGIN_S
	local into=$(( $(date +%s) % $1 ))
	[ $((into + $2)) -lt "$1" ] || sleep $(( $1 - into + 1 ))
}
away_from_fire 60 20
hook='webhook: "http://127.0.0.1:9/hook"'
cat > dags/late.yaml <<YAML
dag: late
schedule: "* * * * *"
deadline: 1s
notify:
  - {on: [deadline_missed, run_succeeded], $hook}
tasks:
  - id: wait
    wait_for: {path: "$WORK/out/go", poke: 100ms}
YAML
cat > dags/ontime.yaml <<YAML
dag: ontime
schedule: "* * * * *"
deadline: 1h
notify:
  - {on: [deadline_missed], $hook}
tasks:
  - {id: t, command: ["true"]}
YAML
start_daemon
nq() { sq "select $1 from notifications where $2"; }
wait_sql 20 "select count(*) from notifications where event='deadline_missed'" 1 ||
	fail "no deadline_missed: $(sq "select id, state, deadline_us, deadline_missed_us from runs")"
assert_eq "running" "$(nq "json_extract(payload, '\$.state')" "event='deadline_missed'")" "missed while running"
d=$(sq "select interval_end * 1000000 + 1000000 = deadline_us from runs where dag_id='late'")
assert_eq 1 "$d" "late: deadline_us = interval end + 1s"
case "$(nq "json_extract(payload, '\$.deadline')" "event='deadline_missed'")" in 20*Z) ;; *) fail "payload deadline";; esac
touch out/go
wait_run late 20
wait_sql 10 "select count(*) from notifications where event='deadline_recovered'" 1 || fail "no deadline_recovered"
assert_eq "late/$(sq "select id from runs where dag_id='late'")/-/0/deadline_recovered/d0" \
	"$(nq key "event='deadline_recovered'")" "recovered key"
assert_eq 1 "$(nq "count(*)" "event='deadline_missed'")" "deadline_missed once"
wait_run ontime 20
assert_eq 1 "$(sq "select interval_end * 1000000 + 3600000000 = deadline_us from runs where dag_id='ontime'")" "ontime: deadline_us"
assert_eq 0 "$(nq "count(*)" "dag_id='ontime'")" "a run in time: no deadline alert"
stop_daemon

note "schedule missed across a daemon stop"
rm dags/late.yaml dags/ontime.yaml
away_from_fire 3600 30
for c in true false; do
	cat > dags/hourly_$c.yaml <<YAML
dag: hourly_$c
schedule: "0 * * * *"
start_date: 2020-01-01
catchup: $c
paused_on_create: true
notify:
  - {on: [schedule_missed], $hook}
tasks:
  - {id: t, command: ["true"]}
YAML
done
start=$(date -u -d "$(date -u +%Y-%m-%dT%H:00:00) 2 hours ago" +%s)
cat > dags/fresh.yaml <<YAML
dag: fresh
schedule: "0 * * * *"
start_date: "$(date -u -d @"$start" +%Y-%m-%dT%H:%M:%S)"
catchup: true
deadline: 1s
notify:
  - {on: [schedule_missed, deadline_missed], $hook}
tasks:
  - {id: t, command: ["true"]}
YAML
start_daemon
wait_sql 20 "select count(*) from dags where dag_id like 'hourly_%'" 2 || fail "hourly DAGs not loaded"
wait_sql 20 "select count(*) from runs where dag_id='fresh' and state='success'" 2 ||
	fail "fresh: $(sq "select run_id, state from runs where dag_id='fresh'")"
stop_daemon
# As a daemon that planned them up to three hours ago and then went down leaves the store:
three=$(date -u -d "$(date -u +%Y-%m-%dT%H:00:00) 3 hours ago" +%s)
sq "update dags set next_interval=$three, paused=0 where dag_id like 'hourly_%'"
start_daemon
wait_sql 20 "select count(*) from runs where dag_id='hourly_true' and state='success'" 3 ||
	fail "catchup runs: $(sq "select run_id, state from runs where dag_id='hourly_true'")"
wait_sql 20 "select count(*) from notifications where dag_id='hourly_false'" 3 ||
	fail "skipped intervals: $(sq "select key from notifications")"
assert_eq "late late late" "$(nq "json_extract(payload, '\$.state')" "dag_id='hourly_true' order by id" | tr '\n' ' ' | sed 's/ $//')" \
	"catchup: one schedule_missed per late run"
assert_eq 3 "$(nq "count(*)" "dag_id='hourly_true' and run in (select id from runs where dag_id='hourly_true')")" "late rows name their runs"
assert_eq "skipped skipped late" "$(nq "json_extract(payload, '\$.state')" "dag_id='hourly_false' order by id" | tr '\n' ' ' | sed 's/ $//')" \
	"no catchup: one schedule_missed per skipped interval, and the latest one's run is late"
assert_eq "hourly_false/$three/-/0/schedule_missed/d0" "$(nq key "dag_id='hourly_false' order by id limit 1")" "skipped key"
assert_eq 1 "$(sq "select count(*) from runs where dag_id='hourly_false'")" "no catchup: only the latest interval runs"
first=$(sq "select min(id) from runs where dag_id='fresh'")
assert_eq 0 "$(nq "count(*)" "dag_id='fresh' and (event='schedule_missed' or run=$first)")" "a new DAG catching up missed nothing"
assert_eq "" "$(sq "select deadline_us from runs where id=$first")" "no deadline on a new DAG's catchup history"
stop_daemon
