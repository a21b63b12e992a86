# scheduler_logpaths.sh: a try's log path is joined under --logs or not at
# all. With a --logs so long that <logs>/<dag>/<date>/<task>/try-1 does not
# fit, the try fails to start with the reason (it used to be cut short
# silently, naming another file: a log, and a lock, outside its directory).
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
mkdir -p dags
long=$WORK/logs
name=$(printf 'd%.0s' $(seq 1 200))
while [ ${#long} -lt 3950 ]; do long=$long/$name; done
mkdir -p "$long"
cat > dags/lp.yaml <<YAML
dag: lp
tasks:
  - {id: a_task_with_a_long_enough_name_to_not_fit_$name, command: ["true"]}
YAML
start_daemon --logs "$long"
trigger lp 1772582400
wait_run lp 30
assert_eq failed "$(run_state lp)" "run state"
cause=$(sq "select cause from tries")
case "$cause" in
"no log path under --logs for this try: File name too long") ;;
*) fail "cause: $cause" ;;
esac
assert_eq "" "$(sq "select log_path from tries")" "no log path recorded"
# Nothing was created in --logs (a cut path would have made <logs>/lp/...).
[ ! -e "$long/lp" ] || fail "created $(find "$long/lp" | head -3)"
stop_daemon
echo ok
