# overspeed_kafka.sh: the overspeed detector consuming SmartCar-Topic (two
# partitions) from the Kafka development broker into redis-server. A detector
# killed with SIGKILL mid-stream and restarted loses and double-counts
# nothing: the SET members and every detail hash (avg, count) equal those of a
# --from-file run over the same records, and the offsets committed before the
# kill keep the restart from redoing written windows. Also Redis going down
# while consuming: results and offsets are held until it is back; and the
# rule file edited 80 -> 100 while consuming changes the next windows only.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/overspeed_gen.sh"

port=$(free_port) || fail "no free port"
start_redis() {
	redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >>"$WORK/redis.log" 2>&1 &
	rpid=$!
	wait_for 5 redis-cli -p "$port" ping || fail "redis-server did not start"
}
start_redis
on_exit 'kill $rpid'
R="redis-cli -p $port"
U="redis://127.0.0.1:$port"

"$BIN/kafka-devbroker" --topic SmartCar-Topic:2 --bootstrap-file "$WORK/bootstrap" >/dev/null 2>"$WORK/broker.log" &
bpid=$!
on_exit "kill $bpid"
wait_for 10 test -s "$WORK/bootstrap" || fail "devbroker did not start"
B=$(cat "$WORK/bootstrap")
KOPT=(--kafka-opt session.timeout.ms=6000 --kafka-opt heartbeat.interval.ms=500)

# 24 cars, 8 minutes (16 windows), cars 1-12 on partition 0, 13-24 on partition 1
specs=$(for i in $(seq 1 24); do printf 'K%04d:%d:%d:A01 ' $i $((60 + 2 * i)) $((110 - 2 * i)); done)
ovs_stream 20160105 120000 480 $specs >"$WORK/all.txt"
half=$(( $(wc -l <"$WORK/all.txt") / 2 ))
head -n $half "$WORK/all.txt" >"$WORK/h1.txt"
tail -n +$((half + 1)) "$WORK/all.txt" >"$WORK/h2.txt"
produce() { # FILE
	grep -E ',K00(0[1-9]|1[0-2]),' "$1" | kcat -P -b "$B" -t SmartCar-Topic -p 0 || fail "produce p0"
	grep -vE ',K00(0[1-9]|1[0-2]),' "$1" | kcat -P -b "$B" -t SmartCar-Topic -p 1 || fail "produce p1"
}

note "reference: the same records from a file"
"$BIN/overspeed" --from-file "$WORK/all.txt" --redis "$U/1" >/dev/null 2>&1 || fail "reference run"

note "first half, then SIGKILL once windows are written and committed"
produce "$WORK/h1.txt"
"$BIN/overspeed" --brokers "$B" --group g1 "${KOPT[@]}" --commit-interval 100 --redis "$U/0" \
	>"$WORK/o1" 2>"$WORK/e1" &
opid=$!
on_exit "kill -9 $opid"
wait_for 30 sh -c "[ \$($R scard 20160105) -ge 20 ]" || { cat "$WORK/e1"; fail "no detections from Kafka"; }
sleep 1	# several commit intervals
kill -9 $opid
wait $opid 2>/dev/null
before=$($R scard 20160105)
note "killed with $before members written"

note "second half; restart with --exit-at-eof"
produce "$WORK/h2.txt"
"$BIN/overspeed" --brokers "$B" --group g1 "${KOPT[@]}" --exit-at-eof --redis "$U/0" >"$WORK/o2" 2>"$WORK/e2" ||
	{ tail "$WORK/e2"; fail "restart exit $?"; }
res=$(tail -n1 "$WORK/o2")
echo "$res"
grep 'partition assigned' "$WORK/e2" | grep -q 'acked_through=2016' || fail "no replay floor restored: $(grep assigned "$WORK/e2")"
[[ $res != *'"late":0,'* ]] && fail "records were late on restart: $res"
ref=$($R -n 1 smembers 20160105 | sort)
got=$($R smembers 20160105 | sort)
[ "$(echo "$ref" | wc -l)" -gt 100 ] || fail "reference too small"
assert_eq "$ref" "$got" "members after kill and restart"
details() { $R -n 1 --scan --pattern 'overspeed:*' | sort | awk '{print "HMGET " $1 " count avg"}' | $R -n "$1"; }
[ -n "$(details 1)" ] || fail "no detail hashes"
assert_eq "$(details 1)" "$(details 0)" "detail hashes (count, avg)"
assert_eq "$($R -n 1 dbsize)" "$($R dbsize)" "key count"
t=$($R ttl 20160105); [ "$t" -gt 604700 ] || fail "TTL $t"

note "Redis down while consuming: held, then written when it is back"
ovs_stream 20160106 000000 120 $specs >"$WORK/d.txt"
kill $rpid; wait $rpid 2>/dev/null
produce "$WORK/d.txt"
"$BIN/overspeed" --brokers "$B" --group g1 "${KOPT[@]}" --exit-at-eof --redis "$U/0" >"$WORK/o3" 2>"$WORK/e3" &
opid=$!
wait_for 30 grep -q 'redis write failed' "$WORK/e3" || fail "no write failure while redis is down"
sleep 1
start_redis
wait $opid || fail "detector exit $? after redis came back"
"$BIN/overspeed" --from-file "$WORK/d.txt" --redis "$U/2" >/dev/null 2>&1
assert_eq "$($R -n 2 smembers 20160106 | sort)" "$($R smembers 20160106 | sort)" "members written after redis came back"
tail -n1 "$WORK/o3" | grep -q '"redis_retries":[1-9]' || fail "no retries counted"

note "rule edited 80 -> 100 while consuming: applies from the next window"
printf 'threshold: 80\n' >"$WORK/rule.yaml"
"$BIN/overspeed" --brokers "$B" --group g1 "${KOPT[@]}" --rule "$WORK/rule.yaml" --rule-poll 100 --redis "$U/0" \
	>"$WORK/o4" 2>"$WORK/e4" &
opid=$!
ovs_stream 20160107 100000 38 E0005:90:90:A01 F0006:110:110:A01 | kcat -P -b "$B" -t SmartCar-Topic -p 0 || fail "produce"
wait_for 30 sh -c "[ \$($R sismember 20160107 E0005-20160107100000) = 1 ]" || fail "first window not written"
printf 'threshold: 100\n' >"$WORK/rule.yaml"
wait_for 5 grep -q 'rule reloaded (file changed)' "$WORK/e4" || fail "rule change not picked up"
ovs_stream 20160107 100038 60 E0005:90:90:A01 F0006:110:110:A01 | kcat -P -b "$B" -t SmartCar-Topic -p 0 || fail "produce"
wait_for 30 sh -c "[ \$($R sismember 20160107 F0006-20160107100100) = 1 ]" || fail "window after the edit not written"
kill -TERM $opid
wait $opid || fail "detector exit $? on SIGTERM"
grep -q "left the consumer group" "$WORK/e4" || fail "no clean leave of the group at SIGTERM: $(tail -n 5 "$WORK/e4")"
assert_eq "E0005-20160107100000
E0005-20160107100030
F0006-20160107100000
F0006-20160107100030
F0006-20160107100100" "$($R smembers 20160107 | sort)" "members across the rule change"
note "ok"
