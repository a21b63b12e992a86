# redis_auth.sh: Redis credentials for every Redis client (redis-audit,
# overspeed) against a real redis-server with requirepass and an ACL user:
# credentials come from REDIS_PASSWORD, REDIS_PASSWORD_FILE and REDIS_USERNAME
# (never argv); none or a wrong one exits 2 with a clear error; a password put
# in the URI is refused and never echoed (TLS: redis_tls.sh);
# and no job writes a password given in a URI to its log or stderr
# (spool-loader, rollup, kafka2hbase, rowctl).
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/overspeed_gen.sh"

PW='Sekr1t-default-pw'
APW='Sekr1t-alice-pw'
port=$(free_port) || fail "no free port"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
	--requirepass "$PW" --user alice on ">$APW" "~*" "&*" "+@all" >"$WORK/redis.log" 2>&1 &
rpid=$!
on_exit "kill $rpid"
R="redis-cli --no-auth-warning -a $PW -p $port"
wait_for 5 $R ping || fail "redis-server did not start: $(cat "$WORK/redis.log")"
U="redis://127.0.0.1:$port/0"
A="$BIN/redis-audit --redis $U --today 20160110"
unset REDIS_USERNAME REDIS_PASSWORD REDIS_PASSWORD_FILE
$R sadd 20160108 no-ttl >/dev/null

# no_secret FILE...: none of the passwords appears in the files
no_secret() {
	local f
	for f in "$@"; do
		! grep -q -e "$PW" -e "$APW" -e 'Hunter2pw' "$f" || fail "a password is in $f: $(cat "$f")"
	done
}

note "no credentials: exit 2, the error says what to set"
$A >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "no password exit"
grep -q 'NOAUTH.*REDIS_PASSWORD' "$WORK/e" || fail "no clear error: $(cat "$WORK/e")"

note "wrong password: exit 2, clear error, the password not shown"
REDIS_PASSWORD=Hunter2pw $A >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "wrong password exit"
grep -q 'authentication as the default user refused' "$WORK/e" || fail "no clear error: $(cat "$WORK/e")"
no_secret "$WORK/o" "$WORK/e"

note "REDIS_PASSWORD"
REDIS_PASSWORD=$PW $A >"$WORK/o" 2>"$WORK/e" || fail "REDIS_PASSWORD: exit $?: $(cat "$WORK/e")"
grep -q '"no_expiry":1' "$WORK/o" || fail "audit did not run: $(cat "$WORK/o")"
no_secret "$WORK/o" "$WORK/e"

note "ACL user with REDIS_PASSWORD_FILE"
printf '%s\n' "$APW" >"$WORK/alice.pw"
chmod 600 "$WORK/alice.pw"
REDIS_USERNAME=alice REDIS_PASSWORD_FILE=$WORK/alice.pw $A --fix >"$WORK/o" 2>"$WORK/e" ||
	fail "ACL user: exit $?: $(cat "$WORK/e")"
assert_eq 604800 "$($R ttl 20160108)" "fixed as alice"
REDIS_USERNAME=alice REDIS_PASSWORD=$PW $A >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "alice with the default user's password"
grep -q 'authentication as alice refused' "$WORK/e" || fail "no clear error: $(cat "$WORK/e")"
no_secret "$WORK/o" "$WORK/e"
REDIS_PASSWORD_FILE=$WORK/nonexistent.pw $A >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "missing password file"
grep -q 'nonexistent.pw' "$WORK/e" || fail "error does not name the file: $(cat "$WORK/e")"

note "a password in the URI: refused, exit 2, never echoed"
$BIN/redis-audit --redis "redis://:Hunter2pw@127.0.0.1:$port/0" >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "password in URI exit"
grep -q 'redis://\*\*\*@127.0.0.1' "$WORK/e" || fail "URI not shown redacted: $(cat "$WORK/e")"
no_secret "$WORK/o" "$WORK/e"
$BIN/overspeed --from-file /dev/null --redis "redis://alice:Hunter2pw@127.0.0.1:$port/0" >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "overspeed password in URI exit"
no_secret "$WORK/o" "$WORK/e"

note "overspeed writes with credentials; a wrong password exits 2 before reading input"
ovs_stream 20160101 235800 120 A0001:90:90:A01 B0002:70:70:B02 >"$WORK/in.txt"
REDIS_PASSWORD=Hunter2pw "$BIN/overspeed" --from-file "$WORK/in.txt" --redis "$U" >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "overspeed wrong password exit"
no_secret "$WORK/o" "$WORK/e"
REDIS_USERNAME=alice REDIS_PASSWORD_FILE=$WORK/alice.pw "$BIN/overspeed" --from-file "$WORK/in.txt" --redis "$U" \
	>"$WORK/o" 2>"$WORK/e" || fail "overspeed as alice: exit $?: $(cat "$WORK/e")"
[ "$($R scard 20160101)" -ge 1 ] || fail "overspeed wrote nothing: $(cat "$WORK/e")"
no_secret "$WORK/o" "$WORK/e"

note "no job logs a password given in a URI (each names the URI, redacted)"
# redacted FILE...: no password, and the redacted URI is there
redacted() {
	no_secret "$@"
	grep -q -F ':***@127.0.0.1' "$@" || fail "the redacted URI is not in the error: $(cat "$@")"
}
$BIN/spool-loader --spool "$WORK" --wrk-date 20160101 --dest "webhdfs://alice:Hunter2pw@127.0.0.1:1/x" \
	>"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "spool-loader password in --dest"
redacted "$WORK/o" "$WORK/e"
$BIN/rollup status-day --date 20160101 --src "webhdfs://alice:Hunter2pw@127.0.0.1:1/x" --dest "$WORK/r" \
	>"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "rollup password in --src"
redacted "$WORK/o" "$WORK/e"
$BIN/rollup drive-day --date 20160101 --store "hbase://u:Hunter2pw@127.0.0.1:1/t" --dest "$WORK/r" \
	>"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "rollup password in --store"
redacted "$WORK/o" "$WORK/e"
ROWSTORE_URI="hbase://u:Hunter2pw@127.0.0.1:1/t" $BIN/rowctl list >"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "rowctl password in the store URI"
redacted "$WORK/o" "$WORK/e"
$BIN/kafka2hbase --brokers 127.0.0.1:1 --topic t --group g --table t --store "hbase://u:Hunter2pw@127.0.0.1:1/t" \
	>"$WORK/o" 2>"$WORK/e"
assert_eq 2 $? "kafka2hbase password in --store"
redacted "$WORK/o" "$WORK/e"
note "ok"
