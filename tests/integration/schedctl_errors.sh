# schedctl_errors.sh: an SQLite error is an error, never "no rows". A state
# file whose b-tree pages are overwritten with garbage (the root page of a
# table spanning several pages, so every lookup passes through it), or that
# lost a table, or whose -wal was deleted under a connection that committed
# into it, makes every read command that needs that data exit 1 with a
# message naming the state file -- not print "no runs" and exit 0.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

# 300 runs with long run ids: the runs table spans many pages.
sq "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 300)
    INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key,
		     created_us, started_us, ended_us)
    SELECT 'etl', 'scheduled__' || date(1767225600 + i * 86400, 'unixepoch') || 'T00:00:00+00:00'
	   || printf('%.80c', '.'), 1767225600 + i * 86400, 1767225600 + (i + 1) * 86400,
	   'scheduled', 'success', 1767225600 + i * 86400, 1, 2, 3 FROM n;"
last=$(sq "SELECT max(id) FROM runs")
add_ti "$last" extract success
add_ti "$(sq "SELECT id FROM runs WHERE run_id LIKE 'scheduled__2026-03-01%'")" extract failed 1 3
sq "INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause)
    SELECT 1, 'etl', id, 'extract', 1, 'running', 'success', 'exit code 0' FROM runs"
cp "$STATE" "$WORK/pristine.db"

# Every read command, and what it reads.
read_cmds=(
	"dags"
	"runs etl"
	"runs etl --last 0"
	"status etl"
	"status etl --date 2026-03-01"
	"status etl --json"
	"grid etl"
	"grid etl --json"
	"logs etl extract"
	"graph etl"
	"backfill etl --from 2026-03-01 --to 2026-03-02 --dry-run"
	"events"
	"events etl --last 0"
	"events etl --task extract --json"
)
# uses TABLE CMD: whether CMD reads TABLE.
uses() {
	local tables
	case "$2" in
	dags*)		tables="dags runs dag_files";;
	runs*|backfill*) tables="dags runs";;
	status*)	tables="dags runs task_instances tries events";;	# events: the CAUSE
	grid*)		tables="dags runs task_instances";;
	logs*)		tables="dags runs tries";;
	graph*)		tables="dags";;
	"events")	tables="events runs";;
	events*)	tables="dags events runs";;
	*)		fail "uses: which tables does '$2' read?";;
	esac
	[[ " $tables " == *" $1 "* ]]
}

# corrupt TABLE: the state back to pristine, then garbage over TABLE's root
# page (for runs and events an interior page: they span many pages; dags
# fits in one).
corrupt() {
	cp "$WORK/pristine.db" "$STATE"
	rm -f "$STATE-wal" "$STATE-shm"
	local page size
	page=$(sq "SELECT rootpage FROM sqlite_schema WHERE name='$1'")
	size=$(sq "PRAGMA page_size")
	[ "$1" = dags ] || [ "$(sq "SELECT count(*) FROM dbstat WHERE name='$1'" 2>/dev/null || echo 2)" -gt 1 ] ||
		fail "table $1 fits in one page: the test would corrupt no interior page"
	head -c "$size" /dev/zero | tr '\0' 'Z' |
		dd of="$STATE" bs="$size" seek=$((page - 1)) conv=notrunc status=none
}

# expect_error CMD...: exit 1 and a message naming the state file.
expect_error() {
	local err rc
	err=$(sc "$@" 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || fail "'schedctl $*' exit $rc on a broken state file (stderr: $err)"
	case "$err" in *"$STATE"*) ;; *) fail "'schedctl $*' message does not name the state file: $err";; esac
	echo "  schedctl $*: $err"
}

note "the pristine state reads"
for c in "${read_cmds[@]}"; do
	sc $c >/dev/null || fail "'schedctl $c' on the pristine state exit $?"
done

for table in runs dags events; do
	note "a garbage page in the middle of the $table b-tree"
	corrupt "$table"
	for c in "${read_cmds[@]}"; do
		uses "$table" "$c" || continue
		expect_error $c
	done
	sc runs etl 2>&1 | grep -q "no runs" && fail "runs says 'no runs' on a corrupt $table page"
done

note "the -wal deleted while another connection holds commits in it"
cp "$WORK/pristine.db" "$STATE"
rm -f "$STATE-wal" "$STATE-shm"
mkfifo "$WORK/hold"
sqlite3 "$STATE" <"$WORK/hold" >"$WORK/hold.out" 2>&1 &
holder=$!
on_exit "kill $holder"
exec 7>"$WORK/hold"
# Every page of the tables the commands read goes into the WAL: a reader
# that needs none of them would rightly still read the main file.
echo "PRAGMA wal_autocheckpoint=0; BEGIN; UPDATE dags SET loaded_us=loaded_us + 1;
      UPDATE runs SET ended_us=ended_us + 1; UPDATE task_instances SET ended_us=ended_us + 1;
      UPDATE tries SET ended_us=ended_us + 1; UPDATE events SET at_us=at_us + 1;
      UPDATE dag_files SET checked_us=checked_us + 1; UPDATE runs SET state='failed' WHERE id=1;
      COMMIT;" >&7
committed() { [ "$(sq "SELECT state FROM runs WHERE id=1")" = failed ]; }
wait_for 10 committed || fail "the holder's commit never showed"
rm -f "$STATE-wal"
for c in "${read_cmds[@]}"; do
	expect_error $c
done
exec 7>&-
wait $holder

note "a table lost (as with a deleted -wal that held the schema's last change)"
cp "$WORK/pristine.db" "$STATE"
sq "DROP TABLE task_instances"
for c in "${read_cmds[@]}"; do
	uses task_instances "$c" || continue
	expect_error $c
done
echo ok
