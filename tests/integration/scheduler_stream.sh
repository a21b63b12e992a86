# A stream DAG: its tasks run continuously, are restarted with backoff when
# they exit (restarts counted), stop on pause (SIGTERM) and start on unpause,
# and stop gracefully when the daemon stops.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags out
cat > dags/stream.yaml <<YAML
dag: stream
schedule: stream
tasks:
  - id: service
    command: ["sh", "-c", "trap 'echo term >> $WORK/out/service.term; exit 0' TERM; echo \$\$ > $WORK/out/service.pid; while :; do sleep 0.1; done"]
  - id: crashy
    retry_delay: 100ms
    command: ["sh", "-c", "echo x >> $WORK/out/crashy.starts; sleep 0.2; exit 1"]
  - id: looper
    retries: 2
    retry_delay: 100ms
    command: ["sh", "-c", "echo x >> $WORK/out/looper.starts; exit 3"]
YAML
start_daemon
# On a failure the daemon is killed (-9): its launcher would keep the service
# running for ever. The service leads its own process group.
on_exit 'p=$(cat "$WORK/out/service.pid" 2>/dev/null) && kill -9 -- -"$p"'
wait_for 10 test -s out/service.pid || fail "stream task did not start"
starts() { wc -l < out/crashy.starts; }
wait_for 10 sh -c "[ \$(wc -l < out/crashy.starts) -ge 3 ]" || fail "crashy not restarted: $(starts) starts"
r=$(sq "select restarts from task_instances where task_id='crashy'")
[ "$r" -ge 2 ] || fail "restarts not counted: $r"
assert_eq running "$(ti_state stream service)" "service state"

note "retries: 2 on a stream task: 2 restarts, then at its 3rd quick exit in a row it is in crash_loop, and still restarted"
wait_for 10 sql_is "select count(*) > 0 from events where task_id='looper' and new_state='crash_loop'" 1 ||
	fail "looper never entered crash_loop: $(sq "select state, restarts from task_instances where task_id='looper'")"
cause=$(sq "select cause from events where task_id='looper' and new_state='crash_loop' order by id limit 1")
assert_eq 2 "$(sq "select count(*) from events where task_id='looper' and new_state='up_for_retry'")" "looper's restarts before the crash loop"
case "$cause" in *"crash loop: 3 exits in a row, each within 60s of its start (retries: 2)"*) ;; *) fail "crash_loop cause: '$cause'";; esac
n=$(wc -l < out/looper.starts)
wait_for 10 sh -c "[ \$(wc -l < out/looper.starts) -gt $n ]" || fail "a crash-looping task is not restarted"
# retries 0 (crashy): restarted for ever with backoff, never crash_loop
assert_eq 0 "$(sq "select count(*) from events where task_id='crashy' and new_state='crash_loop'")" "crashy (retries 0) in crash_loop"

note "pause stops the stream's tasks"
sq "update dags set paused=1 where dag_id='stream'"
wait_for 5 test -s out/service.term || fail "service not stopped on pause"
pid=$(cat out/service.pid)
wait_for 5 sh -c "! kill -0 $pid" || fail "service still alive after pause"
n=$(starts); sleep 1
assert_eq "$n" "$(starts)" "crashy must not restart while paused"

note "unpause starts them again"
rm out/service.pid
sq "update dags set paused=0 where dag_id='stream'"
wait_for 5 test -s out/service.pid || fail "service not restarted on unpause"

note "daemon stop stops the stream gracefully"
rm out/service.term
stop_daemon
test -s out/service.term || fail "service got no SIGTERM on daemon stop"
pid=$(cat out/service.pid)
kill -0 "$pid" 2>/dev/null && fail "service still alive after daemon stop"
echo "all passed"
