# schedctl_dbclean.sh: db clean with the daemon running and a run active: the
# finished runs that ended before the date go with their task instances,
# tries, events, unused DAG versions and log files; a finished run that ended
# later, the active run and the versions still in use stay; --dry-run and a
# refused confirmation change nothing; the daemon keeps scheduling.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/hist.yaml <<YAML
dag: hist
tasks:
  - {id: a, command: ["echo", "a ran"]}
  - {id: b, depends_on: a, command: ["echo", "b ran"]}
YAML
cat > dags/live.yaml <<YAML
dag: live
tasks:
  - {id: w, command: ["sh", "-c", "while [ ! -e $WORK/out/go ]; do sleep 0.05; done"]}
  - {id: after, depends_on: w, command: ["echo", "after"]}
YAML
start_daemon
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
for d in 1772582400 1772668800 1772755200; do trigger hist $d; done
wait_sql 60 "select count(*) from runs where dag_id='hist' and state='success'" 3 || fail "hist runs did not finish"
trigger live 1772582400
wait_sql 30 "select t.state from task_instances t join runs r on r.id=t.run where r.dag_id='live' and task_id='w'" running ||
	fail "live run not running"
live=$(sq "select id from runs where dag_id='live'")
# The newest hist run ended "later" than the cut; versions: 900 unused, 901
# used by the run that stays, 902 by one that goes.
keep=$(sq "select id from runs where dag_id='hist' order by logical_date desc limit 1")
gone=$(sq "select group_concat(id, ' ') from runs where dag_id='hist' and id<>$keep")
set -- $gone; g1=$1
sq "update runs set ended_us=4102444800000000 where id=$keep;
    insert into dag_versions(id, dag_id, hash, file, source, created_us) values
      (900, 'hist', 'h900', 'hist.yaml', '', 0), (901, 'hist', 'h901', 'hist.yaml', '', 0),
      (902, 'hist', 'h902', 'hist.yaml', '', 0);
    update runs set version=901 where id=$keep; update runs set version=902 where id=$g1"
logs=$(sq "select log_path from tries where run in (${gone// /,})")
assert_eq 4 "$(echo "$logs" | wc -l)" "four tries of the two old runs"
for f in $logs; do [ -s "$f" ] || fail "log $f missing before the clean"; done
snapshot() { sq "select (select count(*) from runs)||' '||(select count(*) from task_instances)||' '||
	(select count(*) from tries)||' '||(select count(*) from events where run is not null)||' '||(select count(*) from dag_versions)"; }
before_all=$(snapshot)
cut=2100-01-01

note dry run
out=$(sc db clean --before $cut --dag hist --dry-run) || fail "dry run: $out"
echo "$out"
echo "$out" | grep -q "would remove 2 runs, 4 task instances, 4 tries, .* events, 2 DAG versions, 4 log files" || fail "dry-run counts: $out"
assert_eq "$before_all" "$(snapshot)" "--dry-run changes nothing"
for f in $logs; do [ -e "$f" ] || fail "--dry-run removed $f"; done

note no terminal, no --yes
out=$(sc db clean --before $cut --dag hist </dev/null 2>&1); assert_eq 2 $? "needs --yes off a terminal"
echo "$out" | grep -q 'add --yes' || fail "says --yes is needed: $out"
assert_eq "$before_all" "$(snapshot)" "nothing removed without --yes"

if command -v script >/dev/null; then
	note asks on a terminal
	out=$( (sleep 0.5; echo n) | script -qec "$BIN/schedctl --state $STATE db clean --before $cut --dag hist" /dev/null)
	assert_eq 1 $? "answering n"
	echo "$out" | grep -q 'Delete this history for good? \[y/N\]' || fail "asks: $out"
	assert_eq "$before_all" "$(snapshot)" "n removes nothing"
fi

note clean with the daemon running
nev=$(sq "select count(*) from events where run in (${gone// /,})")
out=$(sc db clean --before $cut --yes --json 2>"$WORK/clean.err") || fail "clean: $out $(cat "$WORK/clean.err")"
echo "$out"
grep -q '^db clean: 2/2 runs done$' "$WORK/clean.err" || fail "progress off a terminal: $(cat "$WORK/clean.err")"
echo "$out" | jq -e ".runs == 2 and .task_instances == 4 and .tries == 4 and .events == $nev and .versions == 2
	and .log_files == 4 and .log_errors == 0 and .longest_lock_ms < 100" >/dev/null || fail "counts: $out"
assert_eq 0 "$(sq "select count(*) from runs where id in (${gone// /,})")" "old runs gone"
for t in task_instances tries events; do
	assert_eq 0 "$(sq "select count(*) from $t where run in (${gone// /,})")" "their $t gone"
done
for f in $logs; do [ ! -e "$f" ] || fail "log $f still there"; done
assert_eq "901" "$(sq "select group_concat(id) from dag_versions where id>=900")" "only the version in use stays"
assert_eq "success 2" "$(sq "select state||' '||(select count(*) from task_instances where run=$keep) from runs where id=$keep")" \
	"the run that ended after the cut stays"
assert_eq running "$(sq "select state from runs where id=$live")" "the active run stays"
assert_eq 1 "$(sq "select count(*) from events where new_state='clean' and actor is not null and cause like 'schedctl db clean: removed 2 runs%'")" \
	"the clean is in the event log with who did it"

note the daemon goes on with the active run
touch out/go
wait_sql 60 "select state from runs where id=$live" success || fail "live run did not finish after the clean"
out=$(sc db clean --before 2000-01-01 --yes) || fail "nothing to clean: $out"
echo "$out" | grep -q 'nothing to remove' || fail "says nothing to remove: $out"

note errors
sc db clean --yes >/dev/null 2>&1; assert_eq 2 $? "--before required"
err=$(sc db clean --before 2026-13-01 --yes 2>&1); assert_eq 2 $? "bad date"
echo "$err" | grep -q -- '--before' || fail "names the flag: $err"
err=$(sc db clean --before $cut --dag hits --yes 2>&1); assert_eq 1 $? "unknown DAG"
echo "$err" | grep -q "hist" || fail "names the nearest DAG: $err"
sc db vacuum >/dev/null 2>&1; assert_eq 2 $? "unknown db subcommand"
stop_daemon

note "schedulerd --retain 5: the daemon cleans what ended more than 5 days ago"
"$BIN/schedulerd" --retain 0x5 --dags dags --state "$STATE" 2>"$WORK/retain.err"; assert_eq 2 $? "bad --retain"
grep -q -- "--retain: '0x5'" "$WORK/retain.err" || fail "names --retain: $(cat "$WORK/retain.err")"
SCHED_RETAIN=-1 "$BIN/schedulerd" --dags dags --state "$STATE" 2>"$WORK/retain.err"; assert_eq 2 $? "bad \$SCHED_RETAIN"
grep -q -- "--retain: '-1'" "$WORK/retain.err" || fail "names --retain for \$SCHED_RETAIN: $(cat "$WORK/retain.err")"
old_logs=$(sq "select log_path from tries where run=$keep")
sq "update runs set ended_us=(strftime('%s','now') - 10*86400) * 1000000 where id=$keep"
start_daemon --retain 5
wait_sql 30 "select count(*) from runs where id=$keep" 0 || fail "--retain did not remove the old run: $(tail -5 "$WORK/daemon.log")"
assert_eq "success" "$(sq "select state from runs where id=$live")" "the recent run stays"
assert_eq 0 "$(sq "select count(*) from task_instances where run=$keep")" "its task instances go too"
for f in $old_logs; do wait_for 10 test ! -e "$f" || fail "--retain left log $f"; done
wait_for 10 grep -q 'event=retain_done days=5 runs=1 task_instances=2' "$WORK/daemon.log" || fail "logs what it did: $(grep retain "$WORK/daemon.log")"
assert_eq 1 "$(sq "select count(*) from events where new_state='clean' and actor is null and cause like 'schedulerd --retain 5: removed 1 runs%'")" \
	"the daemon's clean is in the event log"
stop_daemon
echo ok
