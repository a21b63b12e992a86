# schedctl_read.sh: the read commands (dags, runs, status, grid, graph, logs)
# on a state file prepared without the daemon: human tables, --json schemas,
# unknown names answered with the nearest, exit codes.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

r1=$(add_run 2026-03-01 success)
for t in extract transform load report; do add_ti "$r1" $t success; done
r2=$(add_run 2026-03-02 failed)
add_ti "$r2" extract success; add_ti "$r2" transform success 2
add_ti "$r2" load failed 1 3; add_ti "$r2" report success

note dags
out=$(sc dags) || fail "dags exit $?"
echo "$out"
echo "$out" | grep -Eq '^etl +@daily +UTC +no +4 +2026-03-02 failed' || fail "dags row of etl"
echo "$out" | grep -q '^manual_only' || fail "dags lists manual_only"
j=$(sc dags --json)
assert_eq manual_only "$(jx "$j" "\$.dags[1].dag_id")" "dags --json second"
assert_eq etl "$(jx "$j" '$.dags[0].dag_id')" "dags --json dag_id"
assert_eq failed "$(jx "$j" '$.dags[0].last_run_state')" "dags --json last_run_state"
assert_eq 4 "$(jx "$j" '$.dags[0].tasks')" "dags --json tasks"
assert_eq 0 "$(jx "$j" '$.dags[1].paused')" "dags --json paused"

note runs
out=$(sc runs etl) || fail "runs exit"
echo "$out"
assert_eq 3 "$(echo "$out" | wc -l)" "runs: header + 2 rows"
echo "$out" | sed -n 2p | grep -q '2026-03-02 00:00 .*failed' || fail "runs newest first"
assert_eq 1 "$(sc runs etl --run-state success | tail -n +2 | wc -l)" "runs --run-state success"
j=$(sc runs etl --last 1 --json)
assert_eq "scheduled__2026-03-02T00:00:00+00:00" "$(jx "$j" '$.runs[0].run_id')" "runs --json run_id"
assert_eq "" "$(jx "$j" '$.runs[1].run_id')" "runs --last 1 gives one run"
sc runs etl --run-state bogus >/dev/null 2>&1; assert_eq 2 $? "runs --run-state bogus exit"
err=$(sc runs etl --state failed 2>&1); assert_eq 2 $? "runs --state (the old filter) is usage"
echo "$err" | grep -q -- "--run-state failed" || fail "the old spelling names the new one: $err"

note status
out=$(sc status etl) || fail "status exit"
echo "$out"
echo "$out" | grep -Eq '^load +failed +1/3 .* 3 +- +\{"records":42\}' || fail "status row of load"
echo "$out" | grep -Eq '^transform +success +2/3' || fail "status try of transform"
note "status: the CAUSE column, from the latest event, else the try's cause"
sq "UPDATE tries SET cause='exit code 3', signal=NULL WHERE run=$r2 AND task_id='load';
    UPDATE tries SET cause='template error: env NOT_SET is not set' WHERE run=$r2 AND task_id='transform';
    INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
    VALUES(1, 'etl', $r2, 'transform', 2, 'running', 'up_for_retry', 'exit code 1'),
	  (2, 'etl', $r2, 'transform', 2, 'up_for_retry', 'failed', 'timeout after 2m')"
out=$(sc status etl) || fail "status exit"
echo "$out"
echo "$out" | head -3 | grep -Eq 'TASK +STATE +TRY +STARTED +DURATION +EXIT +CAUSE +RESULT' || fail "status has a CAUSE column"
echo "$out" | grep -Eq '^load +failed +1/3 .* 3 +exit code 3 +\{"records":42\}' || fail "CAUSE of load: the try's cause"
echo "$out" | grep -Eq '^transform +success +2/3 .* timeout after 2m ' || fail "CAUSE of transform: its latest event"
j=$(sc status etl --json)
assert_eq "exit code 3" "$(jx "$j" '$.tasks[2].cause')" "status --json cause"
assert_eq "template error: env NOT_SET is not set" "$(jx "$j" '$.tasks[1].try_cause')" "status --json try_cause"
assert_eq "" "$(jx "$j" '$.tasks[0].cause')" "status --json cause null without event or try cause"
j=$(sc status etl --date 20260301 --json)
assert_eq success "$(jx "$j" '$.state')" "status --json state"
assert_eq 42 "$(jx "$j" '$.tasks[2].result.records')" "status --json result counters"
# a last line that is not JSON (a command that is not one of our jobs) is a string,
# and the document stays JSON
sq "UPDATE task_instances SET result='done: 3 files \"moved\"' WHERE run=$r1 AND task_id='report'"
j=$(sc status etl --date 20260301 --json)
assert_eq 'done: 3 files "moved"' "$(jx "$j" '$.tasks[3].result')" "status --json result not JSON"
assert_eq 2500 "$(jx "$j" '$.tasks[0].duration_ms')" "status --json duration"
err=$(sc status etl --date 2026-02-27 2>&1); assert_eq 1 $? "status on a date without run"
echo "$err" | grep -q 'nearest: 2026-03-01, 2026-03-02' || fail "status names nearest dates: $err"
err=$(sc status etx 2>&1); assert_eq 1 $? "status of unknown DAG"
echo "$err" | grep -q "did you mean 'etl'" || fail "unknown DAG names nearest: $err"
sc status etl --date 2026-02-30 >/dev/null 2>&1; assert_eq 2 $? "impossible date is usage"
sc status etl --date 03/01/2026 >/dev/null 2>&1; assert_eq 2 $? "foreign date format is usage"

note grid
out=$(sc grid etl) || fail "grid exit"
echo "$out"
echo "$out" | grep -Eq '^load +S +F' || fail "grid letters of load"
echo "$out" | grep -q 'legend: S=success F=failed' || fail "grid legend"
case "$out" in *$'\033'*) fail "colour codes while not a terminal";; esac
j=$(sc grid etl --json)
assert_eq failed "$(jx "$j" '$.tasks[2].states[1]')" "grid --json cell"
assert_eq "2026-03-01T00:00:00+00:00" "$(jx "$j" '$.runs[0].logical_date')" "grid --json oldest first"
assert_eq 1 "$(sc grid etl --last 1 | head -1 | wc -w)" "grid --last 1 has one column"

note graph
out=$(sc graph etl) || fail "graph exit"
echo "$out"
echo "$out" | grep -q '└── transform' || fail "graph tree"
out=$(sc graph etl --dot)
echo "$out" | grep -q '"transform" -> "load";' || fail "graph --dot edge"
j=$(sc graph etl --json)
assert_eq transform "$(jx "$j" '$.tasks[2].upstream[0]')" "graph --json upstream"

note logs
assert_eq "log of load try 1 in run $r2" "$(sc logs etl load --date 2026-03-02)" "logs content"
assert_eq "log of transform try 2 in run $r2" "$(sc logs etl transform --date 2026-03-02)" "logs latest try"
sc logs etl transform --date 2026-03-02 --try 5 >/dev/null 2>&1; assert_eq 1 $? "logs of a missing try"
err=$(sc logs etl lod 2>&1); assert_eq 1 $? "logs unknown task"
echo "$err" | grep -q "did you mean 'load'" || fail "logs names the nearest task: $err"
sc logs etl load --date 2026-03-02 --follow >/dev/null; assert_eq 1 $? "logs --follow of a failed try"

note logs --follow with a stand-in daemon writing the log, then ending the try
r3=$(add_run 2026-03-03 running)
add_ti "$r3" extract running
sq "UPDATE tries SET ended_us=NULL, state='running' WHERE run=$r3"
( sleep 0.5; echo "second line" >>"$WORK/logs/$r3.extract.1.log"; sleep 0.5
  sq "UPDATE tries SET ended_us=1, state='success' WHERE run=$r3" ) &
out=$(timeout 10 "$BIN/schedctl" --state "$STATE" logs etl extract --date 2026-03-03 --follow) || fail "follow exit $?"
wait
assert_eq "log of extract try 1 in run $r3|second line" "$(echo "$out" | paste -sd'|')" "--follow printed what was appended"

note dags with broken files
sq "INSERT INTO dag_files(file, dag_id, errors, checked_us) VALUES('$DAGS/broken.yaml', NULL,
    '$DAGS/broken.yaml:3:1: unknown key ''shedule''', 1);
    UPDATE dags SET errors='$DAGS/etl.yaml:9:5: bad thing'||char(10)||'second problem' WHERE dag_id='etl'"
out=$(sc dags)
echo "$out"
echo "$out" | grep -q "etl.yaml:9:5: bad thing (more)" || fail "dags shows the first problem of a DAG's file"
echo "$out" | grep -A2 'files that did not load' | grep -q "broken.yaml:3:1: unknown key 'shedule'" || fail "dags lists broken files"
j=$(sc dags --json)
assert_eq "$DAGS/broken.yaml" "$(jx "$j" '$.broken_files[0].file')" "dags --json broken_files"
echo ok
