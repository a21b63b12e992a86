# stream_ingest.sh: the realtime loading path end to end on the development
# broker: driver lines appended to a log (which does not exist when the tail
# starts, and is rotated by rename halfway) -> tail2kafka -> kafka2hbase into a
# sqlite: row store. Every valid line becomes exactly one row; header lines are
# rejected and counted; a line is not sent before its newline arrives; a
# message produced by kcat is stored too; kcat reads back what tail2kafka sent;
# malformed messages go to the dead-letter file.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

start_devbroker SmartCar-Topic:3
LOG=$WORK/SmartCarDriverInfo.log
DB=$WORK/rows.db

"$BIN/tail2kafka" --file "$LOG" --brokers "$BROKERS" --topic SmartCar-Topic \
	--position-file "$WORK/t2k.pos" >"$WORK/t2k.out" 2>"$WORK/t2k.err" &
T2K=$!; on_exit "kill -9 $T2K"
"$BIN/kafka2hbase" --brokers "$BROKERS" --topic SmartCar-Topic --group ingest --store "sqlite:$DB" \
	--table DriverCarInfo --flush-ms 50 --session-timeout-ms 6000 --dead-letter "$WORK/dead.tsv" \
	>"$WORK/k2h.out" 2>"$WORK/k2h.err" &
K2H=$!; on_exit "kill -9 $K2H"

note "append, rotate, append"
sleep 0.3	# the file does not exist yet
driver_lines 0 1000 >>"$LOG"
sleep 0.3
driver_lines 1000 500 >>"$LOG"
mv "$LOG" "$LOG.1"
driver_lines 1500 500 >>"$LOG.1"	# the writer still holds the old file for a moment
sleep 0.2
driver_lines 2000 700 >"$LOG"
printf '20160102000000,Z0001,1,0,F,N,5' >>"$LOG"	# no newline yet: must wait
sleep 0.5
kcat -C -b "$BROKERS" -t SmartCar-Topic -e -q | grep -q '^20160102000000,Z0001' && fail "partial line was sent"
printf '0,B01\n' >>"$LOG"
valid=$((2700 + 1)); headers=27

note "a message from kcat, and two malformed ones"
printf '20160103010000,Z0020,0,1,L1,L,33,C01\n' | kcat -P -b "$BROKERS" -t SmartCar-Topic || fail "kcat -P"
printf 'not,a,driver,record\n20161340000000,Q0001,1,0,F,N,50,A01\n' | kcat -P -b "$BROKERS" -t SmartCar-Topic
valid=$((valid + 1))

wait_for 40 rows_are "$DB" DriverCarInfo "$valid" ||
	fail "rows: expected $valid, got $(count_rows "$DB" DriverCarInfo)"

note "cells of the kcat record: row key, values, timestamp from the record"
row=$(sqlite3 "$DB" "select group_concat(qualifier||'='||value||'@'||ts, ' ') from (select * from rs_DriverCarInfo where row='00001030106102-Z0020' order by qualifier)")
assert_eq "area_number=C01@1451782800000 break_pedal=1@1451782800000 car_number=Z0020@1451782800000 date=20160103010000@1451782800000 direct_light=L@1451782800000 speed=33@1451782800000 speed_pedal=0@1451782800000 steer_angle=L1@1451782800000" "$row" "cells"

note "kcat reads back every line tail2kafka sent"
kcat -C -b "$BROKERS" -t SmartCar-Topic -e -q | sort -u >"$WORK/topic.txt"
{ driver_lines 0 2700; echo '20160102000000,Z0001,1,0,F,N,50,B01'; } | grep -E '^[0-9]{14}' | sort -u >"$WORK/expected.txt"
missing=$(comm -23 "$WORK/expected.txt" "$WORK/topic.txt" | wc -l)
assert_eq 0 "$missing" "lines missing from the topic"

note "SIGTERM: both flush and report"
kill -TERM $T2K $K2H
wait $T2K; assert_eq 0 $? "tail2kafka exit code"
wait $K2H; assert_eq 0 $? "kafka2hbase exit code"
t2k=$(tail -n1 "$WORK/t2k.out")
echo "$t2k" | grep -q "\"rejected\":$headers," || fail "tail2kafka result: $t2k"
echo "$t2k" | grep -q '"rotations":1,' || fail "tail2kafka result: $t2k"
echo "$t2k" | grep -q '"sent":2701,' || fail "tail2kafka result: $t2k"
k2h=$(tail -n1 "$WORK/k2h.out")
echo "$k2h" | grep -q '"malformed":2,' || fail "kafka2hbase result: $k2h"
assert_eq 2 "$(wc -l <"$WORK/dead.tsv")" "dead letters"
grep -q 'expected 8 fields, got 4	not,a,driver,record$' "$WORK/dead.tsv" || fail "dead letter format: $(cat "$WORK/dead.tsv")"
grep -q "^tail2kafka-position v1 dev=[0-9]* ino=$(stat -c %i "$LOG") offset=$(stat -c %s "$LOG") " "$WORK/t2k.pos" ||
	fail "position file: $(cat "$WORK/t2k.pos")"

note "restart: nothing is sent again"
"$BIN/tail2kafka" --file "$LOG" --brokers "$BROKERS" --topic SmartCar-Topic --position-file "$WORK/t2k.pos" \
	>"$WORK/t2k2.out" 2>"$WORK/t2k2.err" &
T2K=$!
sleep 1; kill -TERM $T2K; wait $T2K
grep -q '"lines_read":0,' "$WORK/t2k2.out" || fail "restarted tail2kafka re-read: $(cat "$WORK/t2k2.out")"

note "--once: a one-shot catch-up of the current file exits when all is acknowledged"
"$BIN/tail2kafka" --once --file "$LOG" --brokers "$BROKERS" --topic once --position-file "$WORK/once.pos" \
	>"$WORK/once.out" 2>"$WORK/once.err" || fail "--once exit code"
assert_eq 701 "$(kcat -C -b "$BROKERS" -t once -e -q | wc -l)" "messages sent by --once"
grep -q " offset=$(stat -c %s "$LOG") " "$WORK/once.pos" || fail "--once position: $(cat "$WORK/once.pos")"
echo PASS
