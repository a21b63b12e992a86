# stream_devbroker.sh: kafka-devbroker starts, kcat (an outside librdkafka
# client) produces to and consumes from it, and its fault commands work:
# broker-down makes the cluster unreachable, broker-up brings it back, a
# malformed command is rejected without stopping it.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

start_devbroker t1:3
[[ "$BROKERS" =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "bootstrap address '$BROKERS'"
assert_eq "$BROKERS" "$(head -n1 "$WORK/devbroker.out")" "stdout carries the bootstrap address"

note "kcat produce and consume"
seq 1 500 | kcat -P -b "$BROKERS" -t t1 || fail "kcat -P"
got=$(kcat -C -b "$BROKERS" -t t1 -e -q | sort -n | uniq | wc -l)
assert_eq 500 "$got" "messages read back"
kcat -L -b "$BROKERS" -t t1 | grep -q 'topic "t1" with 3 partitions' || fail "t1 should have 3 partitions"

note "fault commands"
echo "broker-down 1" >"$DEVBROKER_CTL"
wait_for 5 grep -q 'applied" command="broker-down 1"' "$WORK/devbroker.err" || fail "broker-down not applied"
timeout 10 kcat -L -b "$BROKERS" -m 2 >/dev/null 2>&1 && fail "metadata request succeeded with the broker down"
echo "nonsense 7" >"$DEVBROKER_CTL"
echo "broker-up all" >"$DEVBROKER_CTL"
wait_for 5 grep -q 'applied" command="broker-up all"' "$WORK/devbroker.err" || fail "broker-up not applied"
grep -q 'rejected" command="nonsense 7"' "$WORK/devbroker.err" || fail "bad command not reported"
kcat -L -b "$BROKERS" -t t1 >/dev/null || fail "metadata after broker-up"
echo "error Produce 3 NOT_LEADER_FOR_PARTITION" >"$DEVBROKER_CTL"
seq 501 600 | kcat -P -b "$BROKERS" -t t1 || fail "kcat -P with retriable errors"
assert_eq 600 "$(kcat -C -b "$BROKERS" -t t1 -e -q | sort -n | uniq | wc -l)" "messages after injected errors"

note "usage errors"
"$BIN/kafka-devbroker" --brokers 0 2>/dev/null; assert_eq 2 $? "exit code of --brokers 0"
"$BIN/kafka-devbroker" --topic nocolon 2>/dev/null; assert_eq 2 $? "exit code of a bad --topic"

note "SIGTERM stops it and removes the bootstrap file"
kill -TERM "$DEVBROKER_PID"
wait "$DEVBROKER_PID"; assert_eq 0 $? "exit code after SIGTERM"
[ -e "$WORK/bootstrap" ] && fail "bootstrap file left behind"
tail -n1 "$WORK/devbroker.out" | grep -q '"commands_applied":3,"commands_rejected":1' || fail "result line: $(tail -n1 "$WORK/devbroker.out")"
echo PASS
