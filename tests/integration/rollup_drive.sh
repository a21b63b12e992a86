#!/bin/bash
# rollup_drive.sh: rollup drive-day over a sqlite row store filled the way
# kafka2hbase fills it (row key reverse(date)-car, cf1 qualifiers), holding
# two days of loggen driver records plus hand-written cars that make pedal
# outliers, cells corrected with `rowctl put`, an unparseable row and a row of
# another day under this day's key. cars.csv and areas.csv are compared with
# the same aggregation done by the sqlite3 CLI over the records.
. "$ROOT/tests/tools/testlib.sh"
L=$BIN/loggen; RC=$BIN/rowctl; R=$BIN/rollup
ST=sqlite:rs.db
D=20160103
$L driver --date $D --cars 4 --seed 5 --out d1.log >/dev/null 2>&1 || fail loggen
$L driver --date 20160104 --cars 4 --seed 6 --out d2.log >/dev/null 2>&1 || fail loggen
{
	head -6000 d1.log
	head -3000 d2.log
	# eight calm cars and two outliers: W0009 always at speed pedal 5, W0010 always braking 3
	for c in 1 2 3 4 5 6 7 8; do
		for i in 0 1 2 3 4 5 6 7 8 9; do printf '%s12000%d,W%04d,1,1,L2,L,%d,A0%d\n' $D $i $c $((40 + c * i)) $((c % 9 + 1)); done
	done
	for i in 0 1 2 3 4 5 6 7 8 9; do printf '%s12000%d,W0009,5,0,F,N,200,B01\n' $D $i; done
	for i in 0 1 2 3 4 5 6 7 8 9; do printf '%s12000%d,W0010,0,3,R3,R,5,B02\n' $D $i; done
	# 2001 hard steers (abnormal) and exactly 2000 (normal)
	awk -v d=$D 'BEGIN { for (i = 0; i < 2001; i++) printf "%s%02d%02d%02d,W0013,1,0,L3,L,60,C03\n", d, 13 + int(i / 3600), int(i / 60) % 60, i % 60 }'
	awk -v d=$D 'BEGIN { for (i = 0; i < 2000; i++) printf "%s%02d%02d%02d,W0014,1,0,R2,R,61,C03\n", d, 13 + int(i / 3600), int(i / 60) % 60, i % 60 }'
} | awk -F, 'NF==8 && length($1)==14 && $1 ~ /^[0-9]+$/ {k=""; for(i=14;i>0;i--) k=k substr($1,i,1); print k "-" $2 "," $0}' > rows.csv
fill_store() { # fill_store URI: the rows, a corrected cell, a bad row, a row of another day
	local ST=$1
	$RC --store $ST create DriverCarInfo cf1 >/dev/null || fail "create"
	$RC --store $ST import DriverCarInfo rows.csv --columns HBASE_ROW_KEY,cf1:date,cf1:car_number,cf1:speed_pedal,cf1:break_pedal,cf1:steer_angle,cf1:direct_light,cf1:speed,cf1:area_number --ts 1000 >/dev/null ||
		fail "import"
	# a cell corrected by hand, an unparseable row, a row of another day under this day's key
	$RC --store $ST put DriverCarInfo 00002130106102-W0001 cf1:speed 250 >/dev/null || fail "put"
	for q in date:20160103999999 car_number:W0011 speed_pedal:1 break_pedal:0 steer_angle:F direct_light:N speed:xx area_number:A01; do
		$RC --store $ST put DriverCarInfo 99999930106102-W0011 cf1:${q%%:*} ${q#*:} >/dev/null || fail "put bad row"
	done
	for q in date:20160105000000 car_number:W0012 speed_pedal:1 break_pedal:0 steer_angle:F direct_light:N speed:10 area_number:A01; do
		$RC --store $ST put DriverCarInfo 00000030106102-W0012 cf1:${q%%:*} ${q#*:} >/dev/null || fail "put other-day row"
	done
}
fill_store $ST

note "drive-day"
$R drive-day --store $ST --table DriverCarInfo --date $D --dest out >r.json 2>r.log || fail "drive-day: $(cat r.log)"
P=out/drive/day/wrk_date=$D
[ -f $P/_SUCCESS ] || fail "no _SUCCESS"
grep -q '"rows_unparseable":1,"rows_other_date":1,' r.json || fail "skipped rows: $(cat r.json)"
grep -q "\"records\":$((6000 + 100 + 4001))," r.json || fail "records: $(cat r.json)"

note "the same by sqlite3"
# the records as the store holds them now (the corrected cell), only this day, only valid ones
awk -F, -v d=$D 'substr($2,1,8) == d' rows.csv | sed 's/^00002130106102-W0001,\(.*\),[0-9]*,\(A0[0-9]\)$/00002130106102-W0001,\1,250,\2/' > day.csv
grep -q '^00002130106102-W0001,.*,250,A02$' day.csv || fail "test setup: corrected row"
sqlite_rollup() { # sqlite_rollup CSV STEER-LIMIT: cars.exp and areas.exp
	rm -f db.sqlite
	sqlite3 db.sqlite <<-SQL || fail "sqlite import"
	CREATE TABLE r (k TEXT, date TEXT, car TEXT, sp INTEGER, bp INTEGER, steer TEXT, dl TEXT, speed INTEGER, area TEXT);
	.mode csv
	.import $1 r
	SQL
	sqlite3 -batch -noheader -list -separator , db.sqlite > cars.exp <<-SQL
	WITH c AS (SELECT car, count(*) AS n, sum(speed) AS ss, max(speed) AS mx, sum(sp) AS ssp, sum(bp) AS sbp,
	             sum(steer IN ('L2','L3','R2','R3')) AS hard, avg(sp) AS asp, avg(bp) AS abp FROM r GROUP BY car),
	     f AS (SELECT avg(asp) AS msp, avg(abp) AS mbp FROM c),
	     v AS (SELECT avg((asp - msp) * (asp - msp)) AS vsp, avg((abp - mbp) * (abp - mbp)) AS vbp FROM c, f)
	SELECT car, n,
	  printf('%d.%02d', (ss*200+n)/(2*n)/100, (ss*200+n)/(2*n)%100), mx,
	  printf('%d.%02d', (ssp*200+n)/(2*n)/100, (ssp*200+n)/(2*n)%100),
	  printf('%d.%02d', (sbp*200+n)/(2*n)/100, (sbp*200+n)/(2*n)%100),
	  hard,
	  CASE WHEN (asp - msp) * (asp - msp) > 4 * vsp THEN 'abnormal' ELSE 'normal' END,
	  CASE WHEN (abp - mbp) * (abp - mbp) > 4 * vbp THEN 'abnormal' ELSE 'normal' END,
	  CASE WHEN hard > $2 THEN 'abnormal' ELSE 'normal' END
	FROM c, f, v ORDER BY car;
	SQL
	sqlite3 -batch -noheader -list -separator , db.sqlite > areas.exp <<-SQL
	SELECT area, n, printf('%d.%02d', (ss*200+n)/(2*n)/100, (ss*200+n)/(2*n)%100),
	  RANK() OVER (ORDER BY ss * 1.0 / n DESC)
	FROM (SELECT area, count(*) AS n, sum(speed) AS ss FROM r GROUP BY area) ORDER BY 4, area;
	SQL
}
sqlite_rollup day.csv 2000
[ "$(wc -l < cars.exp)" -eq 16 ] || fail "test setup: $(wc -l < cars.exp) cars"
diff cars.exp $P/cars.csv > diff.out || fail "cars.csv differs from sqlite3:
$(head -20 diff.out)"
diff areas.exp $P/areas.csv > diff.out || fail "areas.csv differs from sqlite3:
$(head -20 diff.out)"
grep -q '^W0009,10,200.00,200,5.00,0.00,0,abnormal,normal,normal$' $P/cars.csv || fail "speed pedal outlier: $(grep W0009 $P/cars.csv)"
grep -q '^W0010,10,5.00,5,0.00,3.00,10,normal,abnormal,normal$' $P/cars.csv || fail "break pedal outlier: $(grep W0010 $P/cars.csv)"
grep -q '^W0013,2001,.*,2001,normal,normal,abnormal$' $P/cars.csv || fail "steer symptom: $(grep W0013 $P/cars.csv)"
grep -q '^W0014,2000,.*,2000,normal,normal,normal$' $P/cars.csv || fail "2000 hard steers: $(grep W0014 $P/cars.csv)"

note "drive-month and drive-week from the day _SUMS"
$R drive-day --store $ST --table DriverCarInfo --date 20160104 --dest out >r2.json 2>r2.log || fail "drive-day 2: $(cat r2.log)"
grep -q '"records":3000,' r2.json || fail "day 2 records: $(cat r2.json)"
$R drive-month --dest out --month 201601 >m.json 2>m.log || fail "drive-month: $(cat m.log)"
grep -q '"days_present":2,"days_missing":29' m.json || fail "month coverage: $(cat m.json)"
M=out/drive/month/wrk_month=201601
[ -f $M/_SUCCESS ] && [ -f $M/_COVERAGE ] || fail "month files: $(ls $M)"
{ cat day.csv; awk -F, 'substr($2,1,8) == "20160104"' rows.csv; } > month.csv
sqlite_rollup month.csv 4000
diff cars.exp $M/cars.csv > diff.out || fail "month cars.csv differs from sqlite3:
$(head -20 diff.out)"
diff areas.exp $M/areas.csv > diff.out || fail "month areas.csv differs from sqlite3:
$(head -20 diff.out)"
grep -q '^W0013,2001,.*,2001,normal,normal,normal$' $M/cars.csv || fail "month steer rule (2000 a day): $(grep W0013 $M/cars.csv)"
$R drive-week --dest out --week 2016-W01 >w.json 2>w.log || fail "drive-week: $(cat w.log)"
grep -q '"days_present":1,"days_missing":6' w.json || fail "week coverage: $(cat w.json)"
$R drive-week --dest out --week 2016-W01 --require-complete >/dev/null 2>&1
assert_eq 1 $? "drive-week --require-complete"
sqlite_rollup day.csv 2000

note "rerun replaces; errors"
$R drive-day --store $ST --table DriverCarInfo --date $D --dest out >/dev/null 2>&1 || fail "rerun"
diff cars.exp $P/cars.csv >/dev/null || fail "rerun output"
[ -z "$(ls out/drive/day | grep -e '^_tmp' -e '^_old')" ] || fail "leftovers"
$R drive-day --store $ST --table NoSuchTable --date $D --dest out >/dev/null 2>err.log
assert_eq 1 $? "missing table exit"
$R drive-day --store $ST --date 2016013 --dest out >/dev/null 2>err.log
assert_eq 2 $? "bad date exit"
$R drive-day --store nosuch:x --date $D --dest out >/dev/null 2>err.log
assert_eq 2 $? "bad store URI exit"

note "a reader does not change a foreign SQLite file (a scheduler state file by mistake)"
sqlite3 state.db "CREATE TABLE runs(id INTEGER PRIMARY KEY, dag TEXT); INSERT INTO runs VALUES(1,'x'); PRAGMA user_version=7;" ||
	fail "test setup: foreign file"
sum0=$(md5sum < state.db)
$R drive-day --store sqlite:state.db --date $D --dest out >/dev/null 2>err.log
assert_eq 2 $? "foreign SQLite file exit"
grep -q 'not a row store' err.log || fail "foreign file message: $(cat err.log)"
assert_eq "$sum0" "$(md5sum < state.db)" "foreign file checksum"
[ "$(sqlite3 state.db 'PRAGMA journal_mode')" = delete ] || fail "foreign file switched to $(sqlite3 state.db 'PRAGMA journal_mode')"
ls state.db-wal state.db-shm 2>/dev/null && fail "foreign file got a WAL"
# the real case: a scheduler state file made by the scheduler's own store code
"$ROOT/${BUILD:-build}/tests/sched_mkstate" sched.db >/dev/null 2>&1 || fail "test setup: sched_mkstate"
sqlite3 sched.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; sum0=$(md5sum < sched.db)
before=$(sqlite3 sched.db "SELECT name FROM sqlite_master ORDER BY name" | md5sum)
$R drive-day --store sqlite:sched.db --date $D --dest out >/dev/null 2>err.log
assert_eq 2 $? "scheduler state file exit"
assert_eq "$sum0" "$(md5sum < sched.db)" "scheduler state file checksum"
assert_eq "$before" "$(sqlite3 sched.db "SELECT name FROM sqlite_master ORDER BY name" | md5sum)" "scheduler state file schema"
# a row store is opened read-only: a reader leaves it byte for byte as it was
sum0=$(md5sum < rs.db)
$R drive-day --store $ST --table DriverCarInfo --date $D --dest out >/dev/null 2>&1 || fail "read-only rerun"
assert_eq "$sum0" "$(md5sum < rs.db)" "row store checksum after a read"
: > empty.db
$R drive-day --store sqlite:empty.db --date $D --dest out >/dev/null 2>err.log
assert_eq 1 $? "empty file exit"
[ ! -s empty.db ] || fail "an empty file was given a row store catalog"
note "drive-day over hbase:// (the HBase REST test server): the same output"
"$ROOT/${BUILD:-build}/tests/hbase-rest-testserver" --port-file hb.port 2>hb.log &
on_exit "kill $!"
wait_for 5 test -s hb.port || fail "hbase test server did not start"
fill_store "hbase://127.0.0.1:$(cat hb.port)"
$R drive-day --store "hbase://127.0.0.1:$(cat hb.port)" --date $D --dest outhb >h.json 2>h.log || fail "drive-day hbase: $(cat h.log)"
grep -q '"rows_unparseable":1,"rows_other_date":1,' h.json || fail "hbase skipped rows: $(cat h.json)"
for f in cars.csv areas.csv _SUMS; do
	cmp -s $P/$f outhb/drive/day/wrk_date=$D/$f || fail "$f differs between sqlite: and hbase://"
done
echo "rollup_drive: ok"
