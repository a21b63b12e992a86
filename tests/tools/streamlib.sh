# streamlib.sh: helpers for the Kafka stream integration tests and benchmarks
# (sourced after testlib.sh): the development broker, driver-log lines, row counts.

# start_devbroker TOPIC:PARTS...: starts kafka-devbroker in $WORK, sets $BROKERS,
# $DEVBROKER_PID and $DEVBROKER_CTL (its control FIFO).
start_devbroker() {
	local args=()
	for t in "$@"; do args+=(--topic "$t"); done
	DEVBROKER_CTL=$WORK/devbroker.ctl
	"$BIN/kafka-devbroker" "${args[@]}" --bootstrap-file "$WORK/bootstrap" --control "$DEVBROKER_CTL" \
		>"$WORK/devbroker.out" 2>"$WORK/devbroker.err" &
	DEVBROKER_PID=$!
	on_exit "kill $DEVBROKER_PID"
	wait_for 10 test -s "$WORK/bootstrap" || fail "kafka-devbroker did not start: $(cat "$WORK/devbroker.err")"
	BROKERS=$(cat "$WORK/bootstrap")
}

# driver_lines FIRST COUNT: COUNT valid driver records numbered from FIRST, all
# with distinct (date, car) and so distinct row keys, one header line (not
# valid) every 100 records, as the original generator wrote.
driver_lines() {
	awk -v first="$1" -v n="$2" 'BEGIN {
		for (i = first; i < first + n; i++) {
			if (i % 100 == 0) print "SmartCar Driver Information,CarNum,..."
			s = int(i / 50); car = i % 50
			printf "20160101%02d%02d%02d,%c%04d,%d,0,F,N,%d,A0%d\n", int(s / 3600) % 24, int(s / 60) % 60, s % 60,
				65 + car % 26, car, i % 6, 60 + i % 90, 1 + i % 9
		}
	}'
}

# count_rows STORE_DB TABLE: distinct rows in a sqlite: row store.
count_rows() {
	if [ -x "$BIN/rowctl" ]; then
		"$BIN/rowctl" --store "sqlite:$1" count "$2" 2>/dev/null | awk 'NR == 1 { print $1 }'
	else
		sqlite3 "$1" "select count(distinct row) from \"rs_$2\"" 2>/dev/null || echo 0
	fi
}

# rows_are STORE_DB TABLE N: true when the store holds exactly N rows (for wait_for).
rows_are() { [ "$(count_rows "$1" "$2")" = "$3" ]; }
