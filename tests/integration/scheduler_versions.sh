# scheduler_versions.sh: a DAG version per run (issue 16). A run keeps the
# version of its DAG it was created with: the DAG file edited mid-run (task
# b renamed b2) changes nothing of that run (b runs, b2 never appears in it,
# logs and status find b); a new run uses the new version; schedctl dags
# --versions lists both with the runs that use them; graph --version draws
# the old one; clear reruns with the run's version unless --latest-version,
# which also moves a stream's long-lived run to the current version.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
cat > dags/ver.yaml <<YAML
dag: ver
tasks:
  - id: a
    command: ["sh", "-c", "until [ -e $WORK/out/go ]; do sleep 0.05; done"]
  - {id: b, depends_on: a, command: ["sh", "-c", "echo ran-b; echo b >> $WORK/out/ran"]}
YAML
start_daemon
wait_sql 30 "select count(*) from dag_versions where dag_id='ver'" 1 || fail "first version not stored"
v1=$(sq "select version from dags where dag_id='ver'")
assert_eq "$(sq "select id from dag_versions where dag_id='ver'")" "$v1" "dags.version is the stored version"
sc trigger ver --date 2026-03-01 >/dev/null || fail "trigger 1"
r1=$(sq "select id from runs where dag_id='ver'")
assert_eq "$v1" "$(sq "select version from runs where id=$r1")" "run 1 pinned at creation"
wait_sql 30 "select state from task_instances where run=$r1 and task_id='a'" running || fail "a not running"

note "the file is edited mid-run: b renamed b2"
cat > dags/ver.yaml <<YAML
dag: ver
tasks:
  - id: a
    command: ["sh", "-c", "until [ -e $WORK/out/go ]; do sleep 0.05; done"]
  - {id: b2, depends_on: a, command: ["sh", "-c", "echo b2 >> $WORK/out/ran"]}
YAML
touch -d '+2 seconds' dags/ver.yaml	# a new mtime even within the same second
wait_sql 30 "select count(*) from dag_versions where dag_id='ver'" 2 || fail "second version not stored"
v2=$(sq "select version from dags where dag_id='ver'")
[ "$v2" != "$v1" ] || fail "dags.version did not move to the new content"
touch out/go
wait_sql 30 "select state from runs where id=$r1" success || fail "run 1: $(sq "select state from runs where id=$r1")"
assert_eq "a b" "$(sq "select group_concat(task_id, ' ') from (select task_id from task_instances where run=$r1 order by task_id)")" "run 1 ran its own version's tasks"
assert_eq b "$(cat out/ran)" "b ran, b2 did not"
assert_eq "$v1" "$(sq "select version from runs where id=$r1")" "run 1 keeps its version"
out=$(sc logs ver b --date 2026-03-01 2>&1) || fail "logs of the old task: $out"
echo "$out" | grep -q ran-b || fail "logs shows b's output: $out"
out=$(sc status ver --date 2026-03-01 2>&1) || fail "status: $out"
echo "$out"
echo "$out" | grep -Eq "^b +success" || fail "status lists b"
echo "$out" | grep -Eq "^b2 " && fail "status lists b2, which is not in run 1's version"
echo "$out" | grep -q "version $v1" || fail "status shows the run's version"

note "a new run uses the new version"
sc trigger ver --date 2026-03-02 >/dev/null || fail "trigger 2"
r2=$(sq "select id from runs where dag_id='ver' and id<>$r1")
assert_eq "$v2" "$(sq "select version from runs where id=$r2")" "run 2 pinned to the new version"
wait_sql 30 "select state from runs where id=$r2" success || fail "run 2"
assert_eq "a b2" "$(sq "select group_concat(task_id, ' ') from (select task_id from task_instances where run=$r2 order by task_id)")" "run 2 ran the new version"

note "versions listed with their runs"
out=$(sc dags ver --versions 2>&1) || fail "dags --versions: $out"
echo "$out"
echo "$out" | grep -Eq "^$v1 .*manual__2026-03-01" || fail "version $v1 lists run 1"
echo "$out" | grep -Eq "^$v2 .*manual__2026-03-02" || fail "version $v2 lists run 2"
out=$(sc dags ver --versions --json) || fail "dags --versions --json"
echo "$out" | grep -q '"runs"' || fail "json lists runs: $out"

note "graph of an old version"
out=$(sc graph ver --version "$v1") || fail "graph --version"
echo "$out" | grep -q 'b$' && ! echo "$out" | grep -q b2 || fail "old graph has b, not b2: $out"
out=$(sc graph ver) || fail "graph"
echo "$out" | grep -q b2 || fail "current graph has b2: $out"
err=$(sc graph ver --version 99999 2>&1); assert_eq 1 $? "unknown version"
echo "$err" | grep -q "no version 99999" || fail "names the version: $err"

note "clear reruns with the run's version"
: > out/ran
sc clear ver --date 2026-03-01 --yes >/dev/null || fail "clear"
wait_sql 30 "select state from runs where id=$r1" success || fail "run 1 after clear"
assert_eq b "$(cat out/ran)" "cleared run 1 ran b again"
assert_eq "$v1" "$(sq "select version from runs where id=$r1")" "clear keeps the version"

note "clear --latest-version re-pins the run"
: > out/ran
sc clear ver --date 2026-03-01 --latest-version --yes >/dev/null || fail "clear --latest-version"
assert_eq "$v2" "$(sq "select version from runs where id=$r1")" "re-pinned"
assert_eq 1 "$(sq "select count(*) from events where run=$r1 and cause like '%version $v1 -> $v2%' and actor is not null")" "re-pin recorded with its actor"
wait_sql 30 "select state from runs where id=$r1" success || fail "run 1 after clear --latest-version"
assert_eq b2 "$(cat out/ran)" "the latest version ran b2"

note "a stream's long-lived run keeps its version until clear --latest-version --force"
cat > dags/st.yaml <<YAML
dag: st
schedule: stream
tasks:
  - {id: s, command: ["sh", "-c", "echo v1 >> $WORK/out/s; sleep 60"]}
YAML
wait_for 30 grep -q v1 out/s || fail "stream not started"
sed -i 's/echo v1/echo v2/' dags/st.yaml
touch -d '+4 seconds' dags/st.yaml
wait_sql 30 "select count(*) from dag_versions where dag_id='st'" 2 || fail "stream's second version not stored"
assert_eq 1 "$(grep -c . out/s)" "the edit alone restarts nothing"
sc clear st --date "$(date -u -d @"$(sq "select logical_date from runs where dag_id='st'")" +%F)" --latest-version --force --yes >/dev/null || fail "clear the stream"
wait_for 30 grep -q v2 out/s || fail "stream restarted on the new version: $(cat out/s)"
assert_eq "$(sq "select version from dags where dag_id='st'")" "$(sq "select version from runs where dag_id='st'")" "stream re-pinned"

note "after a restart, an active run's old version is parsed again from the store"
sc pause st >/dev/null || fail "pause st"
cat > dags/rs.yaml <<YAML
dag: rs
tasks:
  - {id: a, command: ["sh", "-c", "until [ -e $WORK/out/go2 ]; do sleep 0.05; done"]}
  - {id: old, depends_on: a, command: ["sh", "-c", "echo old >> $WORK/out/rs"]}
YAML
wait_sql 30 "select count(*) from dag_versions where dag_id='rs'" 1 || fail "rs not loaded"
sc trigger rs --date 2026-03-01 >/dev/null || fail "trigger rs"
wait_sql 30 "select t.state from task_instances t join runs r on r.id=t.run where r.dag_id='rs' and t.task_id='a'" running || fail "rs: a not running"
stop_daemon
sed -i 's/id: old/id: new/; s/echo old/echo new/' dags/rs.yaml
start_daemon
wait_sql 30 "select count(*) from dag_versions where dag_id='rs'" 2 || fail "rs: second version not stored"
wait_for 30 grep -q "event=dag_version_loaded dag=rs" "$WORK/daemon.log" || fail "rs: the run's version not parsed from the store"
touch out/go2
wait_sql 30 "select state from runs where dag_id='rs'" success || fail "rs run: $(sq "select state from runs where dag_id='rs'")"
assert_eq old "$(cat out/rs)" "the restarted daemon ran the run's own version"
stop_daemon
echo ok
