#!/bin/bash
# rollup.sh: three generated days (loggen, with garbage, plus a hand-written
# file of faults and of lines the loader keeps but that do not parse) loaded
# by spool-loader; rollup status-day per day, then status-week (2020-W53,
# across the new year), status-month and status-year; every value compared
# with the same aggregation done by the sqlite3 CLI over the raw loaded lines.
# Also: idempotent reruns, _COVERAGE, errors and exit codes.
. "$ROOT/tests/tools/testlib.sh"
L=$BIN/loggen; S=$BIN/spool-loader; R=$BIN/rollup
DAYS="20201230 20201231 20210101"
seed=1
for d in $DAYS; do
	mkdir -p spool
	$L status --date $d --cars 5 --seed $seed --out spool --garbage-ratio 0.0005 >/dev/null 2>&1 || fail "loggen $d"
	seed=$((seed + 1))
	if [ $d = 20201230 ]; then
		# faults for a sixth car, and two lines with 14 leading digits that do not parse
		cat > spool/faults.txt <<-X
		20201230000000,Y0042,70,79,90,90,1,2,1,1,C,A,25
		20201230000004,Y0042,69,80,90,91,1,1,1,1,A,C,30
		20201230000008,Y0042,80,78,0,100,2,1,1,2,B,B,29
		20201230000012,A0001,90,90,90
		20201230000016,A0001,9x,90,90,90,1,1,1,1,A,A,90
		X
	fi
	if [ $d = 20201231 ]; then
		# an average of exactly x.xx5 for one car (half away from zero): 200 records
		for i in $(seq 0 199); do
			t=80; [ $i -lt 89 ] && t=81
			printf '20201231%06d,Q0777,%d,80,80,80,1,1,1,1,A,A,30\n' $i $t
		done > spool/halves.txt
	fi
	$S --spool spool --dest raw --wrk-date $d --settle 0 >/dev/null 2>load.log || fail "spool-loader $d: $(cat load.log)"
done

note "status-day per day"
for d in $DAYS; do
	$R status-day --src raw --dest out --date $d >day.json 2>day.log || fail "status-day $d: $(cat day.log)"
	[ -f out/day/wrk_date=$d/_SUCCESS ] || fail "no _SUCCESS for $d"
	[ -f out/day/wrk_date=$d/_SUMS ] || fail "no _SUMS for $d"
	exp=0; [ $d = 20201230 ] && exp=2
	grep -q "\"records_unparseable\":$exp," day.json || fail "unparseable count of $d: $(cat day.json)"
done
grep -q 'Q0777,200,80.45,80.00,80.00,80.00,80,0,0,0,30.00,30,$' out/day/wrk_date=20201231/part-00000.csv ||
	fail "80.445 not rounded to 80.45: $(grep Q0777 out/day/wrk_date=20201231/part-00000.csv)"

note "status-week/month/year"
$R status-week --dest out --week 2020-W53 >w.json 2>w.log || fail "week: $(cat w.log)"
grep -q '"days_present":3,"days_missing":4' w.json || fail "week coverage counts: $(cat w.json)"
printf 'rollup-coverage 1\nperiod\twrk_week=2020-W53\ndays\t7\npresent\t20201230\t20201231\t20210101\nmissing\t20201228\t20201229\t20210102\t20210103\n' > cov.exp
cmp -s cov.exp out/week/wrk_week=2020-W53/_COVERAGE || fail "week _COVERAGE: $(cat out/week/wrk_week=2020-W53/_COVERAGE)"
$R status-month --dest out --month 202012 >m.json 2>m.log || fail "month: $(cat m.log)"
grep -q '"days_present":2,"days_missing":29' m.json || fail "month coverage: $(cat m.json)"
$R status-month --dest out --month 202101 >/dev/null 2>m.log || fail "month 202101: $(cat m.log)"
$R status-year --dest out --year 2020 >y.json 2>y.log || fail "year: $(cat y.log)"
grep -q '"days_present":2,"days_missing":364' y.json || fail "year coverage: $(cat y.json)"

note "the same aggregations by sqlite3 over the raw lines"
# Only well-formed lines (14 fields, numeric where numbers are expected), like any careful SQL user.
for d in $DAYS; do cat raw/wrk_date=$d/car-batch-log.*.log; done | awk -F, 'NF == 14' > lines.csv
sql_rollup() { # sql_rollup WHERE-on-wrk_date
	sqlite3 -batch -noheader -list -separator , db.sqlite <<-SQL
	SELECT car, n,
	  printf('%d.%02d', (sfl*200+n)/(2*n)/100, (sfl*200+n)/(2*n)%100),
	  printf('%d.%02d', (sfr*200+n)/(2*n)/100, (sfr*200+n)/(2*n)%100),
	  printf('%d.%02d', (sbl*200+n)/(2*n)/100, (sbl*200+n)/(2*n)%100),
	  printf('%d.%02d', (sbr*200+n)/(2*n)/100, (sbr*200+n)/(2*n)%100),
	  tmin, lf, ec, bc,
	  printf('%d.%02d', (sbat*200+n)/(2*n)/100, (sbat*200+n)/(2*n)%100),
	  bmin,
	  rtrim(CASE WHEN sfl < 80*n OR sfr < 80*n OR sbl < 80*n OR sbr < 80*n THEN 'Tire Check|' ELSE '' END ||
	        CASE WHEN lf > 0 THEN 'Light Check|' ELSE '' END ||
	        CASE WHEN ec > 0 THEN 'Engine Check|' ELSE '' END ||
	        CASE WHEN bc > 0 THEN 'Brake Check|' ELSE '' END ||
	        CASE WHEN sbat < 30*n THEN 'Battery Check|' ELSE '' END, '|')
	FROM (SELECT car, count(*) AS n, sum(tfl) AS sfl, sum(tfr) AS sfr, sum(tbl) AS sbl, sum(tbr) AS sbr,
	        min(min(tfl, tfr, tbl, tbr)) AS tmin,
	        sum(lfl = 2 OR lfr = 2 OR lbl = 2 OR lbr = 2) AS lf,
	        sum(engine = 'C') AS ec, sum(brake = 'C') AS bc, sum(bat) AS sbat, min(bat) AS bmin
	      FROM s WHERE $1
	        AND typeof(tfl) = 'integer' AND typeof(tfr) = 'integer' AND typeof(tbl) = 'integer'
	        AND typeof(tbr) = 'integer' AND typeof(bat) = 'integer'
	      GROUP BY car)
	ORDER BY car;
	SQL
}
sqlite3 db.sqlite <<-SQL || fail "sqlite import"
CREATE TABLE s (reg TEXT, car TEXT, tfl INTEGER, tfr INTEGER, tbl INTEGER, tbr INTEGER,
  lfl INTEGER, lfr INTEGER, lbl INTEGER, lbr INTEGER, engine TEXT, brake TEXT, bat INTEGER, wrk_date TEXT);
.mode csv
.import lines.csv s
SQL
compare() { # compare WHERE OUR-CSV WHAT
	sql_rollup "$1" > exp.csv
	[ -s exp.csv ] || fail "$3: sqlite3 gave nothing"
	diff exp.csv "$2" > diff.out || fail "$3 differs from sqlite3:
$(head -20 diff.out)"
}
for d in $DAYS; do compare "wrk_date = '$d'" out/day/wrk_date=$d/part-00000.csv "day $d"; done
compare "1" out/week/wrk_week=2020-W53/part-00000.csv "week 2020-W53"
compare "wrk_date LIKE '202012%'" out/month/wrk_month=202012/part-00000.csv "month 202012"
compare "wrk_date LIKE '202101%'" out/month/wrk_month=202101/part-00000.csv "month 202101"
compare "wrk_date LIKE '2020%'" out/year/wrk_year=2020/part-00000.csv "year 2020"
grep -q '^Y0042,3,73.00,79.00,60.00,93.67,0,2,1,1,28.00,25,Tire Check|Light Check|Engine Check|Brake Check|Battery Check$' \
	out/week/wrk_week=2020-W53/part-00000.csv || fail "fault car line: $(grep Y0042 out/week/wrk_week=2020-W53/part-00000.csv)"
[ "$(wc -l < out/week/wrk_week=2020-W53/part-00000.csv)" -ge 10 ] || fail "too few cars in the week"

note "rerun of a day: same bytes, nothing left behind; the week rebuilt from it"
before=$(md5sum < out/day/wrk_date=20201231/part-00000.csv)
$R status-day --src raw --dest out --date 20201231 >/dev/null 2>&1 || fail "rerun"
assert_eq "$before" "$(md5sum < out/day/wrk_date=20201231/part-00000.csv)" "rerun bytes"
[ -z "$(ls out/day | grep -e '^_tmp' -e '^_old')" ] || fail "leftovers: $(ls out/day)"
mkdir -p out/day/_tmp_wrk_date=20201231.99999
$R status-day --src raw --dest out --date 20201231 >/dev/null 2>&1 || fail "rerun over leftovers"
[ -z "$(ls out/day | grep -e '^_tmp' -e '^_old')" ] || fail "killed run's leftovers kept: $(ls out/day)"

note "crash states of a publish, built by hand: rerun, partition exact, no debris"
P=out/day/wrk_date=20201231
exp=$(cat $P/part-00000.csv $P/_SUMS | md5sum)
crash_rerun() { # crash_rerun WHAT LOG-LINE: rerun the day over the state left in out/day
	$R status-day --src raw --dest out --date 20201231 >/dev/null 2>crash.log || fail "$1: $(tail -3 crash.log)"
	[ -z "$2" ] || grep -q "$2" crash.log || fail "$1: '$2' not logged: $(cat crash.log)"
	assert_eq "$exp" "$(cat $P/part-00000.csv $P/_SUMS | md5sum)" "$1: partition"
	[ -f $P/_SUCCESS ] || fail "$1: no _SUCCESS"
	[ -z "$(ls out/day | grep -e '^_tmp' -e '^_old')" ] || fail "$1: debris: $(ls out/day)"
}
# killed while building: a build without _SUCCESS
mkdir out/day/_tmp_wrk_date=20201231.5-5 && echo junk > out/day/_tmp_wrk_date=20201231.5-5/part-00000.csv
crash_rerun building "deleting an unfinished partition build"
# killed after parking the old partition, the build sealed: rolled forward
mv $P out/day/_old_wrk_date=20201231.6-6 && cp -r out/day/_old_wrk_date=20201231.6-6 out/day/_tmp_wrk_date=20201231.6-6
crash_rerun parked "completed an interrupted partition swap"
# killed after parking, the build not sealed: the old partition put back
mv $P out/day/_old_wrk_date=20201231.7-7 && mkdir out/day/_tmp_wrk_date=20201231.7-7
crash_rerun "parked early" "undid an interrupted partition swap"
# killed after the swap, before dropping the old one
cp -r $P out/day/_old_wrk_date=20201231.8-8
crash_rerun swapped ""

note "errors"
$R status-week --dest out --week 2020-W53 --require-complete >/dev/null 2>err.log
assert_eq 1 $? "--require-complete with missing days"
grep -q '4 of the 7 days' err.log || fail "require-complete message: $(cat err.log)"
$R status-week --dest out --week 2021-W53 >/dev/null 2>err.log
assert_eq 2 $? "bad week exit"
grep -q "2021 has 52 ISO weeks" err.log || fail "bad week message: $(cat err.log)"
$R status-day --src raw --dest out --date 20210105 >/dev/null 2>err.log
assert_eq 1 $? "missing partition exit"
grep -q 'does not exist' err.log || fail "missing partition message: $(cat err.log)"
$R status-day --src raw --dest out --date 20210230 >/dev/null 2>err.log
assert_eq 2 $? "bad date exit"
rm raw/wrk_date=20210101/_SUCCESS
$R status-day --src raw --dest out --date 20210101 >/dev/null 2>err.log
assert_eq 1 $? "incomplete partition exit"
$R status-day --src raw --dest out --date 20210101 --allow-incomplete >/dev/null 2>err.log || fail "--allow-incomplete"
printf 'rollup-sums 1\nA0001,1,2\n' > out/day/wrk_date=20201230/_SUMS
$R status-month --dest out --month 202012 >/dev/null 2>err.log
assert_eq 1 $? "corrupt _SUMS exit"
grep -q '_SUMS:2: 3 fields, expected 12' err.log || fail "corrupt _SUMS message: $(cat err.log)"
note "--max-reject-ratio: a partition of unparseable lines is refused (exit 3), nothing published"
mkdir -p junk/wrk_date=20201229
for i in $(seq 1 50); do printf '20201229%06d,J0001,not,a,status,line\n' $i; done > junk/wrk_date=20201229/car-batch-log.0.log
: > junk/wrk_date=20201229/_SUCCESS
$R status-day --src junk --dest jout --date 20201229 >j.json 2>j.log
assert_eq 3 $? "all-unparseable partition exit"
grep -q 'too many unparseable lines' j.log || fail "reject message: $(cat j.log)"
grep -q '"records_unparseable":50,' j.json || fail "reject counts: $(cat j.json)"
[ ! -e jout/day/wrk_date=20201229 ] || fail "a refused day was published: $(ls -R jout)"
# one good line in 51: above 0.1 by default, accepted with a looser ratio
head -1 raw/wrk_date=20201231/car-batch-log.0.log | sed 's/^20201231/20201229/; s/,20201231$/,20201229/' >> junk/wrk_date=20201229/car-batch-log.0.log
$R status-day --src junk --dest jout --date 20201229 >/dev/null 2>j.log
assert_eq 3 $? "1 good line in 51 exit"
$R status-day --src junk --dest jout --date 20201229 --max-reject-ratio 0.99 >j.json 2>j.log || fail "--max-reject-ratio 0.99: $(cat j.log)"
[ "$(wc -l < jout/day/wrk_date=20201229/part-00000.csv)" = 1 ] || fail "one car expected: $(cat jout/day/wrk_date=20201229/part-00000.csv)"
$R status-day --src junk --dest jout --date 20201229 --max-reject-ratio 1.5 >/dev/null 2>j.log
assert_eq 2 $? "bad --max-reject-ratio exit"
grep -q -- '--max-reject-ratio' j.log || fail "bad ratio message: $(cat j.log)"

note "SIGTERM while reading: nothing written, exit 1"
mkdir -p sig/wrk_date=20201231
cp raw/wrk_date=20201231/car-batch-log.0.log raw/wrk_date=20201231/_SUCCESS sig/wrk_date=20201231/
mkfifo sig/wrk_date=20201231/car-batch-log.1.log
$R status-day --src sig --dest sigout --date 20201231 >sig.json 2>sig.log &
pid=$!
exec 7>sig/wrk_date=20201231/car-batch-log.1.log	# blocks until rollup opens the fifo
head -1000 raw/wrk_date=20201231/car-batch-log.0.log >&7
kill -TERM $pid
head -10 raw/wrk_date=20201231/car-batch-log.0.log >&7
exec 7>&-
wait $pid
assert_eq 1 $? "exit after SIGTERM"
grep -q 'stopped by signal 15' sig.log || fail "SIGTERM message: $(cat sig.log)"
[ ! -e sigout/day/wrk_date=20201231 ] || fail "output written after SIGTERM"
grep -q '"records":' sig.json || fail "no result line after SIGTERM"
echo "rollup: ok"
