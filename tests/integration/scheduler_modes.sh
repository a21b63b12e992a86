# scheduler_modes.sh: the files schedulerd creates are the owner's only by
# default, whatever the umask it was started with (022 here): the state file
# (it holds --param values), its -wal and -shm, the lock, the wake FIFO, the
# --logs directories and a try's log are 0600/0700, and a task inherits the
# umask (its output is 0600). With --group-read (or SCHED_GROUP_READ=1) they
# are 0640/0750; a stricter umask stays stricter.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
umask 022
mkdir -p dags out
cat > dags/m.yaml <<YAML
dag: m
params: {token: not-for-others}
tasks:
  - id: t
    command: ["sh", "-c", "echo {{ params.token }} > $WORK/out/t.{{ ds_nodash }}; echo written"]
YAML
mode() { stat -c %a "$1"; }
# check_modes FILE DIR: the modes of everything the daemon made
check_modes() {
	local f=$1 d=$2 log
	assert_eq "$f" "$(mode "$STATE")" "state file"
	assert_eq "$f" "$(mode "$STATE-wal")" "state -wal"
	assert_eq "$f" "$(mode "$STATE-shm")" "state -shm"
	assert_eq "$f" "$(mode "$STATE.lock")" "lock"
	[ -p "$STATE.wake" ] || fail "no wake FIFO"
	assert_eq "$f" "$(mode "$STATE.wake")" "wake FIFO"
	log=$(find "$WORK/logs" -name 'try-1*' -type f | head -n 1)
	[ -n "$log" ] || fail "no try log under $WORK/logs"
	assert_eq "$f" "$(mode "$log")" "try log $log"
	local dir
	for dir in "$WORK/logs/m" "$(dirname "$log")"; do
		assert_eq "$d" "$(mode "$dir")" "log directory $dir"
	done
	assert_eq "$f" "$(mode "$WORK/out/t.20240101")" "the task's output (inherited umask)"
}

note "default: owner only, although the umask is 022"
start_daemon
trigger m 1704067200
wait_run m
assert_eq success "$(run_state m)" "run"
check_modes 600 700
stop_daemon

note "a state file made wider before: a warning naming it, with the chmod to run"
chmod 644 "$STATE"
start_daemon
grep -q "event=file_mode_too_wide file=$STATE mode=0644 allowed=0600" "$WORK/daemon.log" ||
	fail "no warning about the 0644 state file: $(grep file_mode "$WORK/daemon.log")"
stop_daemon
chmod 600 "$STATE"

note "--group-read: group can read, others nothing"
rm -rf "$WORK/logs" "$WORK/out" "$STATE" "$STATE"-* "$STATE".*
mkdir -p out
start_daemon --group-read
trigger m 1704067200
wait_run m
check_modes 640 750
stop_daemon

note "SCHED_GROUP_READ=1 under umask 077 stays owner only"
rm -rf "$WORK/logs" "$WORK/out" "$STATE" "$STATE"-* "$STATE".*
mkdir -p out
umask 077
SCHED_GROUP_READ=1 start_daemon
trigger m 1704067200
wait_run m
check_modes 600 700
stop_daemon
note "ok"
