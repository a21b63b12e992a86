# rowctl.sh: rowctl as a user runs it, on both row-store backends: sqlite: and
# hbase:// against the HBase REST test server (once clean, once answering every
# 4th request 503). The book's queries must give the same rows on both.
. "$ROOT/tests/tools/testlib.sh"
TS="$ROOT/${BUILD:-build}/tests/hbase-rest-testserver"

start_server() { # start_server NAME [FLAGS...]: sets PORT
	local name=$1; shift
	"$TS" --port-file "$WORK/$name.port" "$@" 2>"$WORK/$name.log" &
	local pid=$!
	on_exit "kill $pid"
	wait_for 5 test -s "$WORK/$name.port" || fail "$name test server did not start"
	PORT=$(cat "$WORK/$name.port")
}

# the same checks on one store URI
exercise() {
	local S=$1
	R() { "$BIN/rowctl" --store "$S" "$@"; }
	note "$S: create"
	R create DriverCarInfo cf1 >out || fail "create on $S"
	grep -q "Created table DriverCarInfo" out || fail "create output: $(cat out)"
	R create DriverCarInfo cf1 2>err && fail "second create should fail"
	grep -q "already exists" err || fail "create error: $(cat err)"
	R create DriverCarInfo cf1 --if-missing >/dev/null || fail "create --if-missing"

	note "$S: load records (driver log lines as kafka2hbase stores them)"
	while IFS=, read -r date car rest; do
		echo "$(echo "$date" | rev)-$car,$date,$car,$rest"
	done >records.csv <<'LOG'
20160103010000,Z0020,1,0,F,N,60,F06
20160103010000,Z0021,0,2,L1,L,30,A02
20160103010002,Z0020,2,0,F,N,70,F06
20160103010002,E0001,5,0,R2,R,150,E10
LOG
	echo "broken line" >>records.csv
	R import DriverCarInfo records.csv --ts 1451782800000 --batch-rows 3 \
		--columns HBASE_ROW_KEY,cf1:date,cf1:car_number,cf1:speed_pedal,cf1:break_pedal,cf1:steer_angle,cf1:direct_light,cf1:speed,cf1:area_number \
		>out 2>err; rc=$?
	assert_eq 3 "$rc" "import exit code with a malformed line"
	grep -q "records.csv:5:" err || fail "import names the bad line: $(cat err)"
	grep -q "^4 row(s) imported, 1 line(s) skipped" out || fail "import summary: $(cat out)"
	# the second record's cells get their own time, as kafka2hbase does
	R put DriverCarInfo 20001030106102-Z0020 cf1:speed 70 --ts 1451782802000 >/dev/null || fail "put"
	R put DriverCarInfo 20001030106102-E0001 cf1:car_number E0001 --ts 1451782802000 >/dev/null || fail "put"
	R count DriverCarInfo >out || fail "count"
	grep -q "^4 row(s)" out || fail "count: $(cat out)"

	note "$S: the book's range query"
	R scan DriverCarInfo --start-row 00001030106102-Z0020 --limit 2 >out || fail "scan range"
	assert_eq 2 "$(grep -c 'column=cf1:area_number' out)" "rows of the range scan"
	grep -q '^ 00001030106102-Z0020 *column=cf1:area_number, timestamp=1451782800000, value=F06$' out ||
		fail "range scan listing: $(cat out)"
	grep -q '^ 00001030106102-Z0021 ' out || fail "second row of the range: $(cat out)"
	grep -q '^2 row(s)' out || fail "summary: $(cat out)"

	note "$S: row regex and value condition"
	R scan DriverCarInfo --row-regex '^\d{14}-Z00[0-9]+$' --where cf1:area_number=F06 --json >out ||
		fail "scan regex/where"
	assert_eq 3 "$(wc -l <out)" "lines of the regex/where scan (2 rows + summary)"
	grep -q '"row":"00001030106102-Z0020"' out || fail "regex/where rows: $(cat out)"
	grep -q '"row":"20001030106102-Z0020"' out || fail "regex/where rows: $(cat out)"
	tail -n1 out | grep -q '"rows":2' || fail "json summary: $(tail -n1 out)"
	R scan DriverCarInfo --where-regex 'cf1:speed=^1[0-9]{2}$' --columns cf1:car_number >out ||
		fail "scan where-regex"
	assert_eq " 20001030106102-E0001           column=cf1:car_number, timestamp=1451782802000, value=E0001" \
		"$(grep column= out)" "where-regex with a column subset"
	R scan DriverCarInfo --start-row 1 --stop-row 2 >out || fail "scan stop row"
	grep -q '^0 row(s)' out || fail "empty range: $(cat out)"
	R count DriverCarInfo --where cf1:area_number=F06 >out || fail "count where"
	grep -q '^2 row(s)' out || fail "count where: $(cat out)"

	note "$S: correct a record cell by cell, get, delete"
	R put DriverCarInfo 00001030106102-Z0020 cf1:speed 61 >/dev/null || fail "correcting put"
	R get DriverCarInfo 00001030106102-Z0020 >out || fail "get"
	grep -q '^ cf1:speed  *timestamp=[0-9]*, value=61$' out || fail "corrected cell: $(cat out)"
	assert_eq 8 "$(grep -c timestamp= out)" "cells of the record"
	R delete DriverCarInfo 00001030106102-Z0020 cf1:speed >/dev/null || fail "delete cell"
	R get DriverCarInfo 00001030106102-Z0020 --json >out || fail "get json"
	grep -q '"cf1:speed"' out && fail "deleted cell still there: $(cat out)"
	R delete DriverCarInfo 00001030106102-Z0020 >/dev/null || fail "delete row"
	R get DriverCarInfo 00001030106102-Z0020 >out || fail "get of a deleted row"
	grep -q '^0 row(s)' out || fail "deleted row: $(cat out)"

	note "$S: errors"
	R scan NoSuchTable 2>err; rc=$?
	assert_eq 1 "$rc" "exit code of a scan of a missing table"
	grep -q "NoSuchTable" err || fail "missing-table message: $(cat err)"
	R put DriverCarInfo r cf9:x v 2>err && fail "put into an unknown family should fail"
	grep -q "cf9" err || fail "unknown-family message: $(cat err)"
	R scan DriverCarInfo --row-regex '([' 2>err; rc=$?
	assert_eq 2 "$rc" "exit code of a bad regex"
	R scan DriverCarInfo --limit x 2>err; rc=$?
	assert_eq 2 "$rc" "exit code of a bad --limit"
	grep -q -- "--limit" err || fail "bad --limit message: $(cat err)"
}

exercise "sqlite:$WORK/rows.db"

start_server clean
exercise "hbase://127.0.0.1:$PORT"

note "hbase with every 4th request answered 503"
start_server flaky --fail-every 4
F="hbase://127.0.0.1:$PORT"
"$BIN/rowctl" --store "$F" create DriverCarInfo cf1 >/dev/null || fail "create through 503s"
"$BIN/rowctl" --store "$F" import DriverCarInfo records.csv --ts 1451782800000 --batch-rows 1 \
	--columns HBASE_ROW_KEY,cf1:date,cf1:car_number,cf1:speed_pedal,cf1:break_pedal,cf1:steer_angle,cf1:direct_light,cf1:speed,cf1:area_number \
	>out 2>err
assert_eq 3 "$?" "import through 503s (one malformed line)"
grep -q 'msg="http retry".*status=503' err || fail "no retry logged: $(cat err)"
"$BIN/rowctl" --store "$F" scan DriverCarInfo --start-row 00001030106102-Z0020 --limit 2 >out || fail "range scan through 503s"
grep -q '^2 row(s)' out || fail "range scan through 503s: $(cat out)"
"$BIN/rowctl" --store "$F" scan DriverCarInfo --row-regex '^\d{14}-Z00' --where cf1:area_number=F06 --batch 3 >out ||
	fail "regex scan through 503s"
grep -q '^2 row(s)' out || fail "regex/where scan through 503s: $(cat out)"
"$BIN/rowctl" --store "$F" count DriverCarInfo >out || fail "count through 503s"
grep -q '^4 row(s)' out || fail "count through 503s: $(cat out)"
"$BIN/rowctl" --store "hbase://127.0.0.1:$PORT" --retries 0 count DriverCarInfo >/dev/null 2>&1
start_server down --fail-first 100
"$BIN/rowctl" --store "hbase://127.0.0.1:$PORT" --retries 1 count DriverCarInfo 2>err; rc=$?
assert_eq 1 "$rc" "exit code when the server keeps answering 503"
grep -q "503.*Unavailable" err || fail "503 message: $(cat err)"

note "usage errors"
"$BIN/rowctl" 2>err; assert_eq 2 $? "exit code without a command"
"$BIN/rowctl" --store mysql://x scan T 2>err; assert_eq 2 $? "exit code of a bad URI"
grep -q "mysql://x" err || fail "bad URI message: $(cat err)"
"$BIN/rowctl" --store "hbase://127.0.0.1:1" --retries 0 scan T 2>err; assert_eq 1 $? "exit code when nothing listens"
"$BIN/rowctl" --help | grep -q "scan TABLE" || fail "--help"
echo "rowctl: all checks passed"
