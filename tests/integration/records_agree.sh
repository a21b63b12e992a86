#!/bin/bash
# records_agree.sh: one mixed stream of good and bad driver records through
# kafka2hbase (development broker -> sqlite: row store), then rollup drive-day
# over that store, and overspeed --from-file over the same lines. The three
# read records by the one parser of jobs/common/records.h, so: every row
# kafka2hbase stored is a row drive-day rolls up (none unparseable), and
# kafka2hbase's malformed count, overspeed's rejected count and the count of
# an independent awk reading of the documented rules (records.h,
# docs/jobs-stream.md) are the same number. Before the parsers were one,
# kafka2hbase stored cars like Z00201 and speeds like 300 that drive-day then
# counted as unparseable, and overspeed took them too.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

D=20160103
note "the stream: loggen records with garbage, and records at the edges of each rule"
"$BIN/loggen" driver --date $D --cars 3 --seed 11 --garbage-ratio 0.02 --out "$WORK/gen.log" >/dev/null 2>&1 ||
	fail "loggen"
{
	# loggen's garbage lines include binary ones; the printable ones are enough here
	head -n 3000 "$WORK/gen.log" | LC_ALL=C grep -a -v '[^[:print:]]'
	# taken (distinct row keys; one with CRLF)
	echo "${D}230000,Z0001,0,0,F,N,0,A01"
	echo "${D}230001,Z0001,5,3,R3,R,250,F10"
	printf '%s230002,Z0001,1,0,L1,L,99,C05\r\n' $D
	echo "20160229120000,Z0002,1,0,F,N,60,B02"	# a real Feb 29, another day: rows_other_date
	# refused: each breaks one rule
	echo "${D}230003,Z00201,1,0,F,N,60,A01"	# car with 5 digits
	echo "${D}230004,Z201,1,0,F,N,60,A01"	# car with 3 digits
	echo "${D}230005,z0001,1,0,F,N,60,A01"	# lower-case letter
	echo "${D}230006,Z0001,1,0,F,N,00001,A01"	# leading zeros
	echo "${D}230007,Z0001,1,0,F,N,300,A01"	# speed above 250
	echo "${D}230008,Z0001,6,0,F,N,60,A01"	# speed_pedal above 5
	echo "${D}230009,Z0001,1,4,F,N,60,A01"	# break_pedal above 3
	echo "${D}230010,Z0001,1,0,L4,N,60,A01"	# steer angle
	echo "${D}230011,Z0001,1,0,F,X,60,A01"	# direct light
	echo "${D}230012,Z0001,1,0,F,N,60,G01"	# area letter
	echo "${D}230013,Z0001,1,0,F,N,60,A11"	# district
	echo "${D}230014,Z0001,1,0,F,N,60,"	# empty area
	echo "${D}230015,Z0001,1,0,F,N,60,A01,x"	# 9 fields
	echo "20150229120000,Z0001,1,0,F,N,60,A01"	# no Feb 29 in 2015
	echo "${D}240000,Z0001,1,0,F,N,60,A01"	# 24:00:00
	echo "19691231235959,Z0001,1,0,F,N,60,A01"	# before 1970
	echo "SmartCar Driver Information,CarNum,..."
} >"$WORK/stream.txt"

# The rules of records.h, written again in awk (no {n} intervals: mawk): the
# oracle of this test.
awk '
function dim(y, m) { if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
		     return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31 }
function date_ok(d,   y, m, dd) {
	if (length(d) != 14 || d ~ /[^0-9]/) return 0
	y = substr(d, 1, 4) + 0; m = substr(d, 5, 2) + 0; dd = substr(d, 7, 2) + 0
	return y >= 1970 && m >= 1 && m <= 12 && dd >= 1 && dd <= dim(y, m) &&
		substr(d, 9, 2) + 0 < 24 && substr(d, 11, 2) + 0 < 60 && substr(d, 13, 2) + 0 < 60 }
{
	sub(/\r$/, "")
	n = split($0, f, ",")
	ok = n == 8 && date_ok(f[1]) && f[2] ~ /^[A-Z][0-9][0-9][0-9][0-9]$/ && f[3] ~ /^[0-5]$/ && f[4] ~ /^[0-3]$/ &&
		f[5] ~ /^(F|[LR][1-3])$/ && f[6] ~ /^[NLR]$/ &&
		f[7] ~ /^(0|[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|250)$/ && f[8] ~ /^[A-F](0[1-9]|10)$/
	if (ok) { good++; if (substr(f[1], 1, 8) != day) other++ } else bad++
}
END { print good + 0, bad + 0, other + 0 }' day=$D "$WORK/stream.txt" >"$WORK/oracle"
read -r good bad other <"$WORK/oracle"
total=$(wc -l <"$WORK/stream.txt")
note "oracle: $total lines, $good good ($other of another day), $bad bad"
[ "$bad" -ge 20 ] && [ "$good" -ge 2000 ] || fail "test setup: too few good or bad lines ($good, $bad)"

note "kafka2hbase: the stream from the broker into sqlite:"
start_devbroker SmartCar-Topic:2
DB=$WORK/rows.db
kcat -P -b "$BROKERS" -t SmartCar-Topic <"$WORK/stream.txt" || fail "kcat -P"	# one message a line
"$BIN/kafka2hbase" --brokers "$BROKERS" --topic SmartCar-Topic --group agree --store "sqlite:$DB" \
	--table DriverCarInfo --flush-ms 50 --session-timeout-ms 6000 --dead-letter "$WORK/dead.tsv" \
	>"$WORK/k2h.out" 2>"$WORK/k2h.err" &
K2H=$!; on_exit "kill -9 $K2H"
# every message is either a row or a dead letter (the good lines have distinct row keys)
handled() { [ "$(( $(count_rows "$DB" DriverCarInfo) + $(cat "$WORK/dead.tsv" 2>/dev/null | wc -l) ))" = "$total" ]; }
wait_for 60 handled ||
	fail "kafka2hbase: $(count_rows "$DB" DriverCarInfo) rows + $(wc -l <"$WORK/dead.tsv") dead letters, want $total"
kill -TERM $K2H
wait $K2H; assert_eq 0 $? "kafka2hbase exit code"
stored=$(count_rows "$DB" DriverCarInfo)
assert_eq "$good" "$stored" "rows stored = good lines"
k2h=$(tail -n1 "$WORK/k2h.out")
[[ $k2h == *"\"malformed\":$bad,"* ]] || fail "kafka2hbase malformed, want $bad: $k2h"

note "rollup drive-day: every stored row is rolled up"
"$BIN/rollup" drive-day --store "sqlite:$DB" --table DriverCarInfo --date $D --dest "$WORK/out" \
	>"$WORK/r.json" 2>"$WORK/r.log" || fail "drive-day: $(cat "$WORK/r.log")"
r=$(tail -n1 "$WORK/r.json")
[[ $r == *"\"rows_read\":$((stored - other)),"* ]] || fail "drive-day rows_read, want $((stored - other)): $r"
[[ $r == *'"rows_unparseable":0,'* ]] || fail "drive-day found rows kafka2hbase stored unparseable: $r"
[[ $r == *"\"records\":$((stored - other)),"* ]] || fail "drive-day records, want $((stored - other)): $r"
rolled=$(awk -F, '{ s += $2 } END { print s + 0 }' "$WORK/out/drive/day/wrk_date=$D/cars.csv")
assert_eq "$((stored - other))" "$rolled" "records in cars.csv"
"$BIN/rollup" drive-day --store "sqlite:$DB" --table DriverCarInfo --date 20160229 --dest "$WORK/out" \
	>"$WORK/r2.json" 2>"$WORK/r2.log" || fail "drive-day 20160229: $(cat "$WORK/r2.log")"
[[ $(tail -n1 "$WORK/r2.json") == *"\"records\":$other,"* ]] || fail "drive-day 20160229: $(cat "$WORK/r2.json")"

note "overspeed rejects the same lines"
port=$(free_port) || fail "no free port"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
rpid=$!
on_exit "kill $rpid"
wait_for 5 redis-cli -p "$port" ping || fail "redis-server did not start"
"$BIN/overspeed" --from-file "$WORK/stream.txt" --redis "redis://127.0.0.1:$port/0" --max-bad-ratio 1 \
	>"$WORK/ovs.out" 2>"$WORK/ovs.err" || fail "overspeed exit $?: $(tail -n3 "$WORK/ovs.err")"
o=$(tail -n1 "$WORK/ovs.out")
[[ $o == *"\"rejected\":$bad,"* ]] || fail "overspeed rejected, want $bad: $o"
echo "ok: $good good ($stored stored, $((stored - other)) rolled up for $D, $other for 20160229), $bad refused by all three"
