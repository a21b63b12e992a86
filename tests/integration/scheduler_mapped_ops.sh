# timeout: 90
# Run management of mapped tasks (docs/mapping.md): clear --failed-only
# reruns only a mapped task's failed instance (its try numbers go on);
# clearing one instance (--task 'T[i]') reruns it alone and the task settles
# again; clearing the task re-expands it over the list as it is now (a
# shorter list drops the rows past its end, a returning instance numbers its
# tries on, so no log is overwritten); stop ends the live instances and
# skips the waiting ones, so no instance's process outlives its run.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
SC() { "$BIN/schedctl" --state "$STATE" "$@"; }
# The list comes from a file the test rewrites; element "bad" fails until
# out/fixed exists.
echo '{"parts": ["a", "bad", "c", "d"]}' > out/list
cat > dags/ops.yaml <<YAML
dag: ops
tasks:
  - id: list
    command: ["cat", "$WORK/out/list"]
  - id: each
    depends_on: [list]
    expand: {over: "{{ ti.list.result.parts }}", as: part}
    command: ["sh", "-c", "[ \$0 != bad ] || [ -e $WORK/out/fixed ] || exit 1; echo \$0 >> $WORK/out/ran; echo '{\"part\": \"'\$0'\"}'", "{{ part }}"]
  - id: join
    depends_on: [each]
    command: ["sh", "-c", "echo \"\$0\" > $WORK/out/join", "{{ ti.each.result }}"]
YAML
cat > dags/slow.yaml <<YAML
dag: slow
tasks:
  - id: each
    expand: {over: [1, 2, 3, 4, 5, 6]}
    command: ["sh", "-c", "echo \$\$ > $WORK/out/slow.\$0; exec sleep 60", "{{ item }}"]
YAML
start_daemon --parallelism 2
wait_sql 10 "select count(*) from dags where dag_id in ('ops','slow')" 2 || fail "dags not loaded"
SC unpause ops >/dev/null && SC unpause slow >/dev/null || fail "unpause"
SC trigger ops --date 2026-01-01 >/dev/null || fail "trigger"
wait_run ops
assert_eq failed "$(run_state ops)" "a run with a failing element"
assert_eq "failed upstream_failed failed" "$(ti_state ops each) $(ti_state ops join) $(ti_state ops 'each[1]')" "states"

# --failed-only: the failed instance and the upstream_failed join, nothing else
touch out/fixed
: > out/ran
SC clear ops --date 2026-01-01 --failed-only --yes > out/clear1 || fail "clear --failed-only: $(cat out/clear1)"
grep -q "2 task instances to clear" out/clear1 || fail "clear --failed-only chose: $(cat out/clear1)"
wait_run ops
assert_eq success "$(run_state ops)" "the run after clear --failed-only"
assert_eq "bad" "$(cat out/ran)" "only the failed element ran again"
assert_eq 2 "$(sq "select max(try_number) from tries where task_id='each[1]'")" "its try number went on"
assert_eq '[{"part":"a"},{"part":"bad"},{"part":"c"},{"part":"d"}]' "$(cat out/join)" "join read the four results"

# one instance alone: it reruns, the task settles again, join does not rerun
: > out/ran
rm -f out/join
SC clear ops --date 2026-01-01 --task 'each[2]' --yes >/dev/null || fail "clear one instance"
wait_sql 20 "select group_concat(state) from (select r.state from runs r where dag_id='ops' union all
	select state from task_instances where task_id='each[2]')" "success,success" || fail "instance rerun"
wait_for 10 test -s out/ran || fail "each[2] did not run"
assert_eq "c" "$(cat out/ran)" "only each[2] ran"
assert_eq success "$(ti_state ops each)" "the task settled again"
assert_eq 2 "$(sq "select count(*) from tries where task_id='each[2]'")" "each[2] has two tries"
SC clear ops --date 2026-01-01 --task 'each[9]' --yes 2>out/err9 && fail "a missing instance was accepted"
grep -q "has no mapped instance 'each\[9\]'" out/err9 || fail "missing instance: $(cat out/err9)"

# the whole task with a shorter list: rows past its end go, tries go on
echo '{"parts": ["x", "y"]}' > out/list
SC clear ops --date 2026-01-01 --task list --downstream --yes >/dev/null || fail "clear the task"
wait_sql 20 "select state from runs where dag_id='ops'" success || fail "re-expanded run: $(run_state ops)"
assert_eq "each[0] each[1]" "$(sq "select group_concat(task_id, ' ') from (select task_id from task_instances
	where task_id like 'each[%' order by task_id)")" "the rows of the shorter list"
assert_eq 2 "$(sq "select try_number from task_instances where task_id='each[0]'")" "each[0]'s tries went on"
assert_eq 1 "$(sq "select count(*) from tries where task_id='each[3]'")" "each[3]'s try stayed"
assert_eq '[{"part":"x"},{"part":"y"}]' "$(cat out/join)" "join read the new results"
[ "$(ls logs/ops/*/each\[0\]/ | wc -l)" -ge 2 ] || fail "each[0]'s logs: $(ls logs/ops/*/each\[0\]/)"

# stop: live instances are stopped, waiting ones skipped, nothing survives
SC trigger slow --date 2026-01-01 >/dev/null || fail "trigger slow"
wait_for 20 test -s out/slow.2 || fail "slow instances did not start"
SC stop slow --date 2026-01-01 --yes >/dev/null || fail "stop"
wait_sql 20 "select count(*) from tries t join runs r on r.id=t.run where r.dag_id='slow' and t.state='running'" 0 ||
	fail "tries still running after stop"
for f in out/slow.*; do
	! kill -0 "$(cat "$f")" 2>/dev/null || fail "instance process $(cat "$f") survived the stop"
done
assert_eq failed "$(run_state slow)" "the stopped run"
assert_eq 0 "$(sq "select count(*) from task_instances t join runs r on r.id=t.run where r.dag_id='slow'
	and t.state not in ('failed','skipped')")" "every instance ended failed or skipped"
stop_daemon
