# overspeed_file.sh: the overspeed detector from --from-file into a real
# redis-server: exact SET members, TTLs and detail hashes for a crafted stream
# crossing midnight; late and bad records counted; the rule edited 80 -> 100
# while running (SIGHUP and file change) applies from the next window and a
# bad edit keeps the old rule; a run killed half way and rerun duplicates
# nothing and ends with the same result as a clean run.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/overspeed_gen.sh"

port=$(free_port) || fail "no free port"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
rpid=$!
on_exit "kill $rpid"
R="redis-cli -p $port"
wait_for 5 $R ping || fail "redis-server did not start"
U="redis://127.0.0.1:$port"

note "crafted stream: 4 minutes across midnight, cars above, below and at 80"
{
	ovs_stream 20160101 235800 240 A0001:90:90:A01 B0002:70:70:B02 C0003:80:80:C03 D0004:100:50:D04
	echo "20160101235805,L0009,1,0,F,N,250,A01"	# its window closed long ago: late
	echo "not a record"
} >"$WORK/in.txt"
"$BIN/overspeed" --from-file "$WORK/in.txt" --redis "$U/0" >"$WORK/out1" 2>"$WORK/err1" || fail "overspeed exit $?"
res=$(tail -n1 "$WORK/out1")
echo "$res"
[[ $res == *'"records":482'* && $res == *'"rejected":1'* && $res == *'"late":1'* ]] || fail "counters: $res"
[[ $res == *'"windows":8'* && $res == *'"detections":12'* ]] || fail "windows/detections: $res"
assert_eq "A0001-20160101235800
A0001-20160101235830
A0001-20160101235900
A0001-20160101235930
D0004-20160101235800
D0004-20160101235900" "$($R smembers 20160101 | sort)" "day 20160101 members"
assert_eq "A0001-20160102000000
A0001-20160102000030
A0001-20160102000100
A0001-20160102000130
D0004-20160102000000
D0004-20160102000100" "$($R smembers 20160102 | sort)" "day 20160102 members"
for k in 20160101 20160102 overspeed:20160101:D0004-20160101235900; do
	t=$($R ttl "$k")
	[ "$t" -gt 604700 ] && [ "$t" -le 604800 ] || fail "TTL of $k is $t"
done
assert_eq "avg 100.000 count 15 threshold 80 window 30 car D0004 start 20160101235900 end 20160101235930" \
	"$($R hgetall overspeed:20160101:D0004-20160101235900 | tr '\n' ' ' | sed 's/ $//')" "detail hash"
assert_eq 14 "$($R dbsize)" "keys: 2 sets + 12 detail hashes"

note "rule edited while running: applies from the next window; a bad edit keeps the old rule"
printf 'window: 30s\nthreshold: 80\nlateness: 5s\n' >"$WORK/rule.yaml"
mkfifo "$WORK/fifo"
"$BIN/overspeed" --from-file "$WORK/fifo" --rule "$WORK/rule.yaml" --rule-poll 100 --redis "$U/1" \
	>"$WORK/out2" 2>"$WORK/err2" &
opid=$!
on_exit "kill -9 $opid"
exec 7>"$WORK/fifo"
# windows 10:00:00 and 10:00:30 under 80 (the second one opens before the edit)
ovs_stream 20160103 100000 36 E0005:90:90:A01 F0006:110:110:A01 >&7
wait_for 5 grep -q 'rule in force' "$WORK/err2" || fail "detector did not start"
sleep 0.3
printf 'window: 30s\nthreshold: abc\n' >"$WORK/rule.yaml"
kill -HUP $opid
wait_for 5 grep -q 'rule rejected' "$WORK/err2" || fail "bad rule not reported"
grep 'rule rejected' "$WORK/err2" | grep -q 'rule.yaml:2:12: threshold' || fail "bad rule error lacks file:line: $(grep rejected "$WORK/err2")"
printf 'window: 30s\nthreshold: 100\nlateness: 5s\n' >"$WORK/rule.yaml"
wait_for 5 grep -q 'rule reloaded (file changed)' "$WORK/err2" || fail "rule change not picked up"
ovs_stream 20160103 100036 54 E0005:90:90:A01 F0006:110:110:A01 >&7
exec 7>&-
wait $opid || fail "detector exit $?"
assert_eq "E0005-20160103100000
E0005-20160103100030
F0006-20160103100000
F0006-20160103100030
F0006-20160103100100" "$($R -n 1 smembers 20160103 | sort)" "members across the rule change"
tail -n1 "$WORK/out2" | grep -q '"rule_reloads":1,"rule_errors":[1-9]' || fail "reload counters: $(tail -n1 "$WORK/out2")"

note "killed half way and rerun: same result as a clean run, nothing duplicated"
ovs_stream 20160104 000000 600 $(for i in $(seq 1 40); do printf 'K%04d:%d:%d:A01 ' $i $((60 + i)) $((100 - i)); done) >"$WORK/big.txt"
"$BIN/overspeed" --from-file "$WORK/big.txt" --redis "$U/2" >/dev/null 2>&1 || fail "reference run"
rm -f "$WORK/fifo" && mkfifo "$WORK/fifo"
"$BIN/overspeed" --from-file "$WORK/fifo" --redis "$U/3" >/dev/null 2>"$WORK/err3" &
kpid=$!
exec 7>"$WORK/fifo"
head -n 5000 "$WORK/big.txt" >&7
wait_for 5 sh -c "[ \$($R -n 3 scard 20160104) -gt 0 ]" || fail "nothing written before the kill"
kill -9 $kpid
wait $kpid 2>/dev/null
exec 7>&-
partial=$($R -n 3 scard 20160104)
"$BIN/overspeed" --from-file "$WORK/big.txt" --redis "$U/3" >"$WORK/out3" 2>/dev/null || fail "rerun"
ref=$($R -n 2 smembers 20160104 | sort)
got=$($R -n 3 smembers 20160104 | sort)
[ -n "$ref" ] || fail "reference is empty"
assert_eq "$ref" "$got" "members after kill and rerun (partial before rerun: $partial)"
details() { $R -n 2 --scan --pattern 'overspeed:*' | sort | awk '{print "HMGET " $1 " count avg"}' | $R -n "$1"; }
[ -n "$(details 2)" ] || fail "no detail hashes"
assert_eq "$(details 2)" "$(details 3)" "detail hashes (count, avg)"
assert_eq "$($R -n 2 dbsize)" "$($R -n 3 dbsize)" "key count"
note "ok"
