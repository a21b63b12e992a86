# stream_kafka_config.sh: Kafka client properties without secrets in argv.
# tail2kafka reads its properties from --kafka-config FILE, kafka2hbase from
# -X key=@FILE; both deliver through the development broker, and the secret
# values appear neither in /proc/PID/cmdline nor in any log line (debug level).
# A bad properties line is a usage error naming FILE:LINE, for every Kafka job.
. "$ROOT/tests/tools/testlib.sh"
. "$ROOT/tests/tools/streamlib.sh"

start_devbroker SmartCar-Topic:1
LOG=$WORK/drivers.log
DB=$WORK/rows.db
SECRET=kconf-secret-$RANDOM$RANDOM
SECRET2=kconf-other-$RANDOM$RANDOM
# sasl.* are accepted by librdkafka under PLAINTEXT (unused): what matters
# here is the path of the value, which is the same as with SASL on.
cat >"$WORK/kafka.properties" <<PROPS
# producer settings
client.id = t2k-kconf

sasl.username=car
sasl.password=$SECRET
PROPS
printf '%s\n' "$SECRET2" >"$WORK/password"
chmod 600 "$WORK/kafka.properties" "$WORK/password"

JOB_LOG_LEVEL=debug "$BIN/tail2kafka" --file "$LOG" --brokers "$BROKERS" --topic SmartCar-Topic \
	--kafka-config "$WORK/kafka.properties" >"$WORK/t2k.out" 2>"$WORK/t2k.err" &
T2K=$!; on_exit "kill -9 $T2K"
JOB_LOG_LEVEL=debug "$BIN/kafka2hbase" --brokers "$BROKERS" --topic SmartCar-Topic --group kconf \
	--store "sqlite:$DB" --table DriverCarInfo --flush-ms 50 -X sasl.username=car \
	-X "sasl.password=@$WORK/password" >"$WORK/k2h.out" 2>"$WORK/k2h.err" &
K2H=$!; on_exit "kill -9 $K2H"

driver_lines 1 99 >>"$LOG"	# 99 records, no header line
wait_for 40 rows_are "$DB" DriverCarInfo 99 || fail "rows: expected 99, got $(count_rows "$DB" DriverCarInfo)"

note "the secrets are not in argv"
tr '\0' ' ' </proc/$T2K/cmdline | grep -q -- '--kafka-config' || fail "not the tail2kafka process"
grep -q -- "$SECRET" /proc/$T2K/cmdline && fail "secret in tail2kafka's cmdline"
grep -q -- "$SECRET2" /proc/$K2H/cmdline && fail "secret in kafka2hbase's cmdline"

kill -TERM $T2K $K2H
wait $T2K; assert_eq 0 $? "tail2kafka exit code"
wait $K2H; assert_eq 0 $? "kafka2hbase exit code"
note "nor in any log or result line"
for f in t2k.out t2k.err k2h.out k2h.err; do
	grep -q -- "$SECRET" "$WORK/$f" && fail "secret in $f"
	grep -q -- "$SECRET2" "$WORK/$f" && fail "second secret in $f"
done

note "a bad line is named by file:line, the value never shown"
printf 'client.id=x\nsasl.password %s\n' "$SECRET" >"$WORK/bad.properties"
for job in tail2kafka kafka2hbase overspeed; do
	case $job in
	tail2kafka) args=(--file "$LOG" --brokers "$BROKERS" --topic T) ;;
	kafka2hbase) args=(--brokers "$BROKERS" --topic T --group g --store "sqlite:$DB" --table DriverCarInfo) ;;
	overspeed) args=(--brokers "$BROKERS") ;;
	esac
	"$BIN/$job" "${args[@]}" --kafka-config "$WORK/bad.properties" >/dev/null 2>"$WORK/bad.err"
	assert_eq 2 $? "$job exit code on a bad properties file"
	grep -q "level=error.*$WORK/bad.properties:2" "$WORK/bad.err" || fail "$job: file:line not named: $(cat "$WORK/bad.err")"
	grep -q -- "$SECRET" "$WORK/bad.err" && fail "$job: secret in the error"
	"$BIN/$job" "${args[@]}" -X "sasl.password=@$WORK/missing" >/dev/null 2>"$WORK/bad.err"
	assert_eq 2 $? "$job exit code on a missing @FILE"
	grep -q "$WORK/missing" "$WORK/bad.err" || fail "$job: missing file not named: $(cat "$WORK/bad.err")"
done
echo ok
