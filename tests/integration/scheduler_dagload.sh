# DAG files are parsed off the daemon's loop, in a child process with a time
# budget: a file that takes minutes to parse (what libyaml does with deep flow
# nesting once the depth bound is lifted) never stalls another DAG nor
# schedctl, and is rejected on its own when over the budget. The default
# depth bound, the bounded suggestions and the error cap, as schedctl
# validate and the daemon report them.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags gen
cat > dags/normal.yaml <<YAML
dag: normal
tasks:
  - {id: a, command: ["true"]}
  - {id: b, depends_on: [a], command: ["true"]}
YAML
# Lifted depth bound: the slow file below is libyaml's quadratic case, minutes
# of work; the budget ends it.
start_daemon --max-dag-depth 1000000 --parse-timeout 8s
wait_sql 10 "select count(*) from dags where dag_id='normal'" 1 || fail "normal DAG not loaded"

note "a slow file is parsed beside, the loop goes on"
python3 -c "import sys; sys.stdout.write('dag: slow\ntasks: ' + '[' * 1000000)" > gen/slow.yaml
mv gen/slow.yaml dags/slow.yaml
parsing() { pgrep -P "$DAEMON" -f -- "--parse-dags .*slow.yaml" >/dev/null; }
wait_for 10 parsing || fail "no parse worker for slow.yaml"
out=$(timeout 60 "$BIN/schedctl" --state "$STATE" trigger normal --date 2026-01-01 --wait 2>&1) || fail "run of normal: $out"
echo "$out" | grep -q "run success" || fail "run of normal did not succeed: $out"
out=$("$BIN/schedctl" --state "$STATE" pause normal 2>&1) || fail "schedctl pause during the parse: $out"
out=$("$BIN/schedctl" --state "$STATE" unpause normal 2>&1) || fail "schedctl unpause during the parse: $out"
parsing && note "(the slow file was still being parsed)"

note "over the budget: an error for that file only"
wait_sql 60 "select count(*) from dag_files where file like '%slow.yaml' and errors like '%parsing took longer than 8s (schedulerd --parse-timeout)%'" 1 ||
	fail "slow file not rejected: $(sq "select errors from dag_files where file like '%slow.yaml'")"
parsing && fail "the parse worker of slow.yaml still runs"
assert_eq "" "$(sq "select errors from dag_files where file like '%normal.yaml'")" "normal.yaml errors"
assert_eq "1" "$(sq "select active from dags where dag_id='normal'")" "normal stays active"
grep -q "event=dag_parse_timeout file=$WORK/dags/slow.yaml budget_ms=8000" "$WORK/daemon.log" || fail "no dag_parse_timeout log line"
out=$(timeout 60 "$BIN/schedctl" --state "$STATE" trigger normal --date 2026-01-02 --wait 2>&1) || fail "second run of normal: $out"

note "8,000 unknown dependencies: rejected at once, suggestions and errors bounded"
{
	echo "dag: unknown"; echo "tasks:"
	for i in $(seq 1 8000); do echo "  - {id: task_$i, command: [\"true\"], depends_on: [tsak_$i]}"; done
} > gen/unknown.yaml
mv gen/unknown.yaml dags/unknown.yaml
wait_sql 30 "select count(*) from dag_files where file like '%unknown.yaml' and errors like '%more errors not shown%'" 1 ||
	fail "unknown.yaml not rejected: $(sq "select substr(errors, 1, 300) from dag_files where file like '%unknown.yaml'")"
errs=$(sq "select errors from dag_files where file like '%unknown.yaml'")
assert_eq 201 "$(echo "$errs" | grep -c .)" "kept diagnostics"
assert_eq 16 "$(echo "$errs" | grep -c "did you mean")" "suggestions"
echo "$errs" | grep -q "^$WORK/dags/unknown.yaml: 7800 more errors not shown (the first 200 are)$" || fail "count line: $(echo "$errs" | tail -1)"
out=$(timeout 60 "$BIN/schedctl" --state "$STATE" trigger normal --date 2026-01-03 --wait 2>&1) || fail "third run of normal: $out"
stop_daemon
pgrep -f -- "--parse-dags $WORK" >/dev/null && fail "a parse worker outlived the daemon"

note "the default depth bound: file:line:column, at once"
python3 -c "import sys; sys.stdout.write('dag: deep\ntasks: ' + '[' * 65536)" > gen/deep.yaml
out=$(timeout 20 "$BIN/schedctl" validate gen/deep.yaml 2>&1) && fail "deep.yaml validated"
echo "$out" | grep -q "^gen/deep.yaml:2:39: YAML nesting deeper than 32 levels (a DAG needs 4); the file is not read further$" ||
	fail "depth error: $out"

note "the daemon's options are checked"
out=$("$BIN/schedulerd" --dags dags --max-dag-size 2G 2>&1) && fail "--max-dag-size 2G accepted"
echo "$out" | grep -q "max-dag-size: '2G' is not a size" || fail "bad size message: $out"
out=$("$BIN/schedulerd" --dags dags --max-dag-depth 2 2>&1) && fail "--max-dag-depth 2 accepted"
echo "$out" | grep -q "max-dag-depth: '2' is not a number from 4 to 1000000" || fail "bad depth message: $out"
echo ok
