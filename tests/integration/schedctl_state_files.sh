# schedctl_state_files.sh: files at the state path that are not what they
# seem. schedctl never creates or initializes a state file (an empty file,
# as a daemon that failed on a full disk leaves, stays empty whatever the
# command), and a state file it cannot open is reported with the real cause:
# read-only file system, permission denied on the file or its -shm, never
# "schema version -1". The mount and permission cases need root (CI runs as
# root; tests run as root) and are skipped with a note otherwise.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

note "an empty file at the state path stays empty"
EMPTY=$WORK/empty.db
: >"$EMPTY"
for cmd in "pause x" "pause etl" "unpause etl" "trigger etl" "clear etl --date 2026-01-01 --yes" \
	   "backfill etl --from 2026-01-01 --to 2026-01-02" "dags" "runs etl"; do
	out=$("$BIN/schedctl" --state "$EMPTY" $cmd 2>&1); rc=$?
	assert_eq 1 $rc "schedctl $cmd on an empty file"
	echo "$out" | grep -qF "$EMPTY: not a scheduler state file (no schema: schedulerd creates it" ||
		fail "schedctl $cmd: $out"
	assert_eq 0 "$(stat -c %s "$EMPTY")" "size after schedctl $cmd"
	[ ! -e "$EMPTY-wal" ] || fail "schedctl $cmd left $EMPTY-wal"
done
echo garbage >"$WORK/garbage.db"
out=$("$BIN/schedctl" --state "$WORK/garbage.db" pause etl 2>&1)
echo "$out" | grep -qF "not a scheduler state file (not an SQLite database)" || fail "garbage: $out"

if [ "$(id -u)" != 0 ]; then
	note "SKIP: not root: cannot mount a read-only file system or run as another user"
	echo ok
	exit 0
fi

note "a valid state file on a read-only file system"
mkdir -p "$WORK/ro"
if mount -t tmpfs -o size=4m tmpfs "$WORK/ro"; then
	on_exit "umount -l '$WORK/ro'"
	cp "$STATE" "$WORK/ro/state.db"
	mount -o remount,ro "$WORK/ro" || fail "cannot remount read-only"
	out=$("$BIN/schedctl" --state "$WORK/ro/state.db" dags 2>&1); assert_eq 1 $? "dags on a read-only mount"
	echo "$out" | grep -q "Read-only file system" || fail "read: $out"
	echo "$out" | grep -q "schema version" && fail "read: $out"
	out=$("$BIN/schedctl" --state "$WORK/ro/state.db" pause etl 2>&1); assert_eq 1 $? "pause on a read-only mount"
	echo "$out" | grep -qF "cannot open state for writing: Read-only file system" || fail "write: $out"
else
	note "SKIP: cannot mount a tmpfs here (no CAP_SYS_ADMIN)"
fi

note "a -shm another user cannot open, and a state file it cannot write"
command -v setpriv >/dev/null || fail "setpriv (util-linux) is missing"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
chmod 755 "$WORK"
chmod 644 "$STATE"
# A connection held open keeps the -wal and -shm, as a running daemon does.
mkfifo "$WORK/hold"
sqlite3 "$STATE" <"$WORK/hold" >/dev/null 2>&1 &
HOLDER=$!
on_exit "kill $HOLDER"
exec 9>"$WORK/hold"
echo "SELECT count(*) FROM dags;" >&9
wait_for 10 test -e "$STATE-shm" || fail "no -shm appeared"
chmod 600 "$STATE-shm"
out=$(as_nobody "$BIN/schedctl" --state "$STATE" dags 2>&1); assert_eq 1 $? "dags without the -shm"
echo "$out" | grep -qF "$STATE-shm: Permission denied" || fail "shm: $out"
out=$(as_nobody "$BIN/schedctl" --state "$STATE" pause etl 2>&1); assert_eq 1 $? "pause as nobody"
echo "$out" | grep -qF "cannot open state for writing: Permission denied" || fail "write as nobody: $out"
exec 9>&-
wait $HOLDER
echo ok
