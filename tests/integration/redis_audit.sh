# redis_audit.sh: redis-audit against a real redis-server with planted keys:
# no expiry, expiry longer than the policy, days past retention, healthy keys
# and keys outside the pattern; report only, --strict, --fix --dry-run (changes
# nothing), --fix (fixes exactly the violations), a custom --match, and a
# few thousand keys so SCAN takes many calls.
source "$ROOT/tests/tools/testlib.sh"

port=$(free_port) || fail "no free port"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
rpid=$!
on_exit "kill $rpid"
R="redis-cli -p $port"
wait_for 5 $R ping || fail "redis-server did not start"
U="redis://127.0.0.1:$port/0"
A="$BIN/redis-audit --redis $U --today 20160110"

$R sadd 20160109 ok-1 >/dev/null && $R expire 20160109 604800 >/dev/null	# healthy
$R sadd 20160108 no-ttl >/dev/null						# no expiry
$R sadd 20160107 long >/dev/null && $R expire 20160107 9999999 >/dev/null	# too long
$R sadd 20160102 old >/dev/null && $R expire 20160102 600 >/dev/null		# 8 days: past retention
$R sadd 20151225 older >/dev/null						# past retention, no expiry
$R sadd 20160103 edge >/dev/null && $R expire 20160103 600 >/dev/null		# 7 days: kept
$R set somekey x >/dev/null							# not a day key: ignored
$R hset overspeed:20151225:A0001-20151225000000 avg 90 >/dev/null		# detail hash, old

note "report only"
$A >"$WORK/o1" 2>"$WORK/e1" || fail "report exit $?"
cat "$WORK/o1"
res=$(tail -n1 "$WORK/o1")
[[ $res == *'"scanned":6,'* && $res == *'"no_expiry":1,'* && $res == *'"ttl_too_long":1,'* && $res == *'"past_retention":2,'* ]] || fail "counts: $res"
[[ $res == *'"unfixed":4,'* ]] || fail "unfixed: $res"
sed -n '/worst offenders/,$p' "$WORK/o1" | sed -n 2p | grep -q '^  20151225 .*past_retention' || fail "worst offender is not 20151225"
assert_eq -1 "$($R ttl 20160108)" "report changed nothing"

note "--strict exits 1 on unfixed violations"
$A --strict >/dev/null 2>&1
assert_eq 1 $? "--strict exit"

note "--fix --dry-run changes nothing"
$A --fix --dry-run --strict >"$WORK/o2" 2>/dev/null
assert_eq 1 $? "--dry-run --strict exit"
grep -q 'would fix' "$WORK/o2" || fail "dry run does not say what it would do"
assert_eq 1 "$($R exists 20151225)" "dry run deleted"
assert_eq -1 "$($R ttl 20160108)" "dry run set a TTL"

note "--fix"
$A --fix --strict >"$WORK/o3" 2>/dev/null || fail "--fix --strict exit $?"
res=$(tail -n1 "$WORK/o3")
[[ $res == *'"fixed":2,'* && $res == *'"deleted":2,'* && $res == *'"unfixed":0,'* ]] || fail "fix counts: $res"
assert_eq 0 "$($R exists 20151225)" "20151225 deleted"
assert_eq 0 "$($R exists 20160102)" "20160102 deleted"
t=$($R ttl 20160108); [ "$t" -gt 604700 ] && [ "$t" -le 604800 ] || fail "20160108 TTL $t"
t=$($R ttl 20160107); [ "$t" -le 604800 ] || fail "20160107 TTL $t"
assert_eq 1 "$($R exists 20160103)" "edge day kept"
assert_eq 1 "$($R exists somekey)" "non-matching key untouched"
$A --strict >/dev/null 2>&1 || fail "clean after fix, yet exit $?"

note "--match for detail hashes"
$A --match 'overspeed:*' --fix >"$WORK/o4" 2>/dev/null || fail "match exit"
tail -n1 "$WORK/o4" | grep -q '"scanned":1,.*"deleted":1,' || fail "detail hash: $(tail -n1 "$WORK/o4")"

note "many keys: many SCAN calls, every violation found"
# 3000 day keys (2010-2018) without expiry, planted through the protocol
awk 'BEGIN { for (i = 0; i < 3000; i++) { printf "*3\r\n$4\r\nSADD\r\n$8\r\n%d\r\n$1\r\nx\r\n", 20100101 + (i % 28) + 100 * (i % 12) + 10000 * int(i / 336) } }' |
	$R --pipe >/dev/null || fail "pipe"
n=$($R --scan --pattern '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' | wc -l)
$A --count 100 >"$WORK/o5" 2>/dev/null
res=$(tail -n1 "$WORK/o5")
got=$(echo "$res" | sed 's/.*"scanned":\([0-9]*\).*/\1/')
[ "$got" -ge "$n" ] || fail "scanned $got < $n: $res"	# SCAN may repeat a key, never miss one
calls=$(echo "$res" | sed 's/.*"scan_calls":\([0-9]*\).*/\1/')
[ "$calls" -gt 5 ] || fail "only $calls SCAN calls"
note "ok"
