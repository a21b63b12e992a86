# schedctl_terminal.sh: names from a DAG file, a file name or the state file
# never reach the terminal raw: ESC, BEL and other control bytes print as
# \xNN in plain and table output of every command (JSON escapes by its rules).
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

# raw OUT WHAT: fails when OUT holds a control byte other than tab and newline.
raw() {
	if printf '%s' "$1" | LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]'; then
		fail "$2 printed raw control bytes: $(printf '%s' "$1" | od -c | head -5)"
	fi
}
E=$'\e]0;TITLE\a'	# sets the terminal's title

note "validate: an id and a file name with ESC and BEL"
mkdir -p "$WORK/bad"
printf 'dag: "x\\e]0;TITLE\\a"\ntasks:\n  - id: a\n    command: ["true"]\n' >"$WORK/bad/t.yaml"
printf 'dag: ok\ntasks:\n  - id: a\n    command: ["true"]\n' >"$WORK/bad/f${E}.yaml"
out=$("$BIN/schedctl" validate "$WORK/bad" 2>&1); assert_eq 1 $? "validate exit"
raw "$out" validate
echo "$out" | grep -qF "bad id 'x\\x1b]0;TITLE\\x07'" || fail "validate shows the id escaped: $out"
echo "$out" | grep -qF 'f\x1b]0;TITLE\x07.yaml: ok' || fail "validate shows the file name escaped: $out"

note "the state file: a DAG, a run, a task, an event and a broken file with ESC"
sq "UPDATE dags SET dag_id='m$E', schedule='@daily$E', description='d$E' WHERE dag_id='manual_only';
    INSERT INTO dag_files(file, dag_id, errors, checked_us) VALUES('$DAGS/b$E.yaml', NULL, 'line 1: bad$E', 1);"
run=$(add_run 2026-01-05 failed)
sq "UPDATE runs SET run_id='r$E' WHERE id=$run"
add_ti "$run" "extract" success
add_ti "$run" "t$E" failed 1 1
sq "INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
    VALUES(1700000000000000, 'etl', $run, 't$E', 1, 'running', 'failed', 'exit$E')"
for cmd in "dags" "runs etl" "status etl" "status etl --date 2026-01-05" "grid etl" "events etl" "graph etl" \
	   "graph m$E" "runs m$E" "pause m$E" "unpause m$E" "pause nosuch$E" "clear etl --date 2026-01-05 --task t$E --yes" \
	   "trigger nosuch$E"; do
	out=$(sc $cmd 2>&1)
	raw "$out" "schedctl $cmd"
done
out=$(sc dags 2>&1)
echo "$out" | grep -qF 'm\x1b]0;TITLE\x07' || fail "dags shows the id escaped: $out"
echo "$out" | grep -qF 'b\x1b]0;TITLE\x07.yaml' || fail "dags shows the broken file escaped: $out"
out=$(sc status etl --date 2026-01-05 2>&1)
echo "$out" | grep -qF 'r\x1b]0;TITLE\x07' || fail "status shows the run id escaped: $out"
out=$(sc pause "nosuch$E" 2>&1)
echo "$out" | grep -qF 'nosuch\x1b' || fail "the error names the DAG escaped: $out"

note "JSON keeps its own escaping"
out=$(sc dags --json 2>&1)
raw "$out" "dags --json"
echo "$out" | grep -qiF 'm\u001b]0;TITLE\u0007' || fail "JSON escapes: $out"
echo ok
