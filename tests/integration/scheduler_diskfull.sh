# A full disk under the state and the logs: a task writes 5 MB to stdout
# into a 2 MB tmpfs holding both. Its log write fails with ENOSPC, the daemon's
# passes fail to commit (commit_failed: rolled back whole), and once space
# returns the run finishes without a restart: the ended try is recorded (its
# cause says the log is incomplete) and its dependent runs. Needs root to
# mount the tmpfs (CI runs as root); skipped with a note otherwise.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/schedlib.sh"
if [ "$(id -u)" != 0 ]; then
	note "SKIP: not root, cannot mount a 2 MB tmpfs (the fault-injection test scheduler_faults covers rolled-back passes)"
	exit 0
fi
mkdir -p dags mnt
mount -t tmpfs -o size=2m tmpfs "$WORK/mnt" || { note "SKIP: cannot mount a tmpfs here"; exit 0; }
on_exit "umount -l '$WORK/mnt'"
STATE=$WORK/mnt/st.db
cat > dags/full.yaml <<YAML
dag: full
tasks:
  - {id: big, command: ["sh", "-c", "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 5000000; echo; printf '{\"pad\": \"%060000d\"}\\\\n' 0"]}
  - {id: after, depends_on: big, command: ["true"]}
YAML
"$BIN/schedulerd" --dags "$WORK/dags" --state "$STATE" --logs "$WORK/mnt/logs" --kill-grace 1s \
	--drain-timeout 5s 2>>"$WORK/daemon.log" &
DAEMON=$!
on_exit "kill -9 $DAEMON"
wait_for 10 sql_is "select count(*) from dags where dag_id='full'" 1 || fail "daemon did not load the DAG"
# Leave about 600 KB: the 5 MB of output fill it. The try's result (its last
# stdout line, a 60 KB JSON object) then needs more WAL than SQLite has.
head -c $(( $(df --output=avail -B1 "$WORK/mnt" | tail -1) - 600000 )) /dev/zero > "$WORK/mnt/filler" 2>/dev/null
trigger full 1772582400
wait_for 30 grep -q commit_failed "$WORK/daemon.log" || fail "no commit failed with the disk full (state $(run_state full))"
note "$(grep -m1 commit_failed "$WORK/daemon.log")"
sleep 1	# the daemon keeps retrying against the full disk meanwhile
# What the store says is committed: a run done here had its outcome fit in
# WAL pages SQLite already owned (the first failed commit may have been
# another pass's: the heartbeat, a notification), which loses nothing. The
# checks below hold either way; the note says which path this run took.
if run_done full; then
	note "the outcome committed in space the WAL already had; no rebuild needed"
fi
kill -0 $DAEMON || fail "the daemon died on the full disk"
rm -f "$WORK/mnt/filler"
t0=$(date +%s%N)
wait_for 20 run_done full || fail "space returned, but the run did not finish without a restart (state $(run_state full), big $(ti_state full big), after $(ti_state full after))"
note "run finished $(( ($(date +%s%N) - t0) / 1000000 )) ms after space returned"
assert_eq success "$(run_state full)" "run state"
assert_eq success "$(ti_state full after)" "the dependent ran"
cause=$(sq "select cause from tries where task_id='big'")
case "$cause" in *"log incomplete: No space left on device"*) ;; *) fail "big's cause does not say its log is incomplete: '$cause'";; esac
assert_eq "ok" "$(sq 'pragma integrity_check')" "integrity_check"
assert_eq 0 "$(sq "select count(*) from tries where state in ('queued','running')")" "tries left running"
kill -0 $DAEMON || fail "the daemon did not survive"
stop_daemon
