# scheduler_paused_on_create.sh: a DAG file's paused_on_create key decides
# whether the DAG starts paused when the daemon first sees it; without the
# key the daemon's --paused-on-create does (default: unpaused). Only a new DAG
# is affected: editing the key later changes nothing. A bad value is an error
# naming the key.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
[ -x "$BIN/schedulerd" ] || fail "schedulerd is not built ($BIN)"
mkdir -p "$WORK/dags" "$WORK/logs"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
dagfile() { # dagfile ID [EXTRA LINE]
	printf 'dag: %s\nschedule: none\n%s\ntasks:\n  - id: t\n    command: [/bin/true]\n' "$1" "${2:-}" \
		>"$WORK/dags/$1.yaml"
}
paused() { sq "select paused from dags where dag_id='$1'"; }

note "daemon default (unpaused): the key decides where given"
dagfile held 'paused_on_create: true'
dagfile plain
dagfile open 'paused_on_create: false'
start_daemon
wait_sql 30 "select count(*) from dags" 3 || fail "daemon did not load the DAGs: $(cat "$WORK/daemon.log")"
assert_eq "1 0 0" "$(paused held) $(paused plain) $(paused open)" "paused_on_create over the default"

note "only when first seen: editing the key does not pause a known DAG"
dagfile plain 'paused_on_create: true'
sc validate "$WORK/dags/plain.yaml" >/dev/null || fail "the edited file is valid"
dagfile later 'paused_on_create: true'
wait_sql 30 "select count(*) from dags where dag_id='later'" 1 || fail "daemon did not load later"
assert_eq "1 0" "$(paused later) $(paused plain)" "new DAG paused, known DAG unchanged"
stop_daemon

note "with --paused-on-create: the default flips, the key still decides"
rm -f "$STATE" "$STATE"-* "$STATE.lock"
dagfile plain
start_daemon --paused-on-create
wait_sql 30 "select count(*) from dags" 4 || fail "daemon did not load the DAGs"
assert_eq "1 1 0 1" "$(paused held) $(paused plain) $(paused open) $(paused later)" \
	"--paused-on-create is the default, paused_on_create: false overrides it"
stop_daemon

note "a bad value names the key"
dagfile bad 'paused_on_create: maybe'
err=$(sc validate "$WORK/dags/bad.yaml" 2>&1); assert_eq 1 $? "validate refuses a bad value"
echo "$err" | grep -q 'paused_on_create: expected true or false' || fail "names the key: $err"
echo ok
