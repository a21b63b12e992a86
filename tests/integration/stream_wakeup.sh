# stream_wakeup.sh: tail2kafka sleeps at end of file until inotify says the
# path changed. With --poll-ms 60000 (no polling within the test), a file
# created late, appended lines, a rotation by rename and a truncation must all
# reach the topic within seconds: only the wake-ups can make that happen.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

start_devbroker wake-topic:2
LOG=$WORK/app.log
"$BIN/tail2kafka" --file "$LOG" --brokers "$BROKERS" --topic wake-topic --position-file "$WORK/pos" \
	--poll-ms 60000 >"$WORK/t2k.out" 2>"$WORK/t2k.err" &
T2K=$!; on_exit "kill -9 $T2K"
topic_has() { [ "$(kcat -C -b "$BROKERS" -t wake-topic -e -q 2>/dev/null | wc -l)" = "$1" ]; }
count() { kcat -C -b "$BROKERS" -t wake-topic -e -q 2>/dev/null | wc -l; }
sleep 1	# tail2kafka is waiting for the file to exist

note "file created late"
driver_lines 0 10 >"$LOG"	# a header line and 10 records
wait_for 10 topic_has 10 || fail "created file: $(count) of 10 lines"

note "lines appended"
driver_lines 10 10 >>"$LOG"
wait_for 10 topic_has 20 || fail "append: $(count) of 20 lines"

note "rotation by rename"
mv "$LOG" "$LOG.1"
sleep 0.2
driver_lines 20 10 >"$LOG"
wait_for 10 topic_has 30 || fail "rotation: $(count) of 30 lines"

note "truncation"
driver_lines 30 5 >"$LOG"
wait_for 10 topic_has 35 || fail "truncation: $(count) of 35 lines"

kill -TERM $T2K; wait $T2K; assert_eq 0 $? "tail2kafka exit code"
r=$(tail -n1 "$WORK/t2k.out")
echo "$r" | grep -q '"rotations":1,"truncations":1' || fail "rotation and truncation not both seen: $r"
note "result: $r"
echo PASS
