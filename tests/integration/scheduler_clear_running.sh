# schedctl clear --force of a running task: the running task instance goes
# to restarting (Airflow's), its killed try is no failure (no trigger rule
# fires: its one_failed alert stays unrun, the run neither fails nor
# succeeds meanwhile), and it and its cleared downstream run again.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/clr.yaml <<YAML
dag: clr
tasks:
  - id: a
    command: ["sh", "-c", "echo x >> $WORK/out/a.starts; [ -e $WORK/out/a.quick ] || sleep 60"]
  - {id: b, depends_on: a, command: ["sh", "-c", "echo x >> $WORK/out/b.starts"]}
  - {id: alert, depends_on: a, trigger_rule: one_failed, command: ["touch", "$WORK/out/alert"]}
YAML
start_daemon
clear_case() {	# clear_case HOW: a is running; clear it (and b) while it runs
	wait_for 10 sql_is "select state from task_instances where task_id='a'" running || fail "$1: a not running"
	touch out/a.quick
	case $1 in
	schedctl)
		"$BIN/schedctl" --state "$STATE" clear clr --date 2026-03-04 --task a --downstream --yes --force \
			>"$WORK/clear.out" 2>&1 || fail "schedctl clear --force: $(cat "$WORK/clear.out")" ;;
	store)	# what store_clear_tasks writes for a running task (no stop request)
		sq "update task_instances set state='restarting', max_tries=try_number+1 where task_id='a';
		    update task_instances set state='none' where task_id='b';
		    update runs set state='running' where dag_id='clr'" ;;
	esac
	wait_run clr 30
	assert_eq success "$(run_state clr)" "$1: run"
	assert_eq "success skipped success" "$(sq "select group_concat(state, ' ') from (select state from task_instances order by task_id)")" "$1: a, alert, b"
	[ ! -e out/alert ] || fail "$1: the one_failed alert ran"
	assert_eq 0 "$(sq "select count(*) from events where task_id='a' and new_state='failed'")" "$1: a recorded failed"
	[ "$1" = store ] || assert_eq 1 "$(sq "select count(*) > 0 from events where task_id='a' and new_state='restarting'")" "$1: a went restarting"
	assert_eq 1 "$(sq "select count(*) from events where task_id='a' and old_state='restarting' and new_state='none'")" "$1: a restarted once"
	assert_eq 1 "$(wc -l < out/b.starts)" "$1: b ran once (after a's second try)"
	assert_eq "stopped: cleared while running (restarting)" "$(sq "select cause from tries where task_id='a' and try_number=1")" "$1: first try's cause"
	assert_eq "success" "$(sq "select state from tries where task_id='a' and try_number=2")" "$1: second try"
}
trigger clr 1772582400
clear_case schedctl
assert_eq 1 "$(sq "select count(*) from events where run is not null and task_id is null and new_state in ('success','failed')")" "schedctl: the run finished once"
rm -f out/*
sq "delete from runs; delete from task_instances; delete from tries; delete from events"
trigger clr 1772668800
clear_case store
stop_daemon
