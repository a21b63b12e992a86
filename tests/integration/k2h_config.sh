# k2h_config.sh: a row store kafka2hbase can never open is a configuration
# error: exit 2 at start with the path and the cause, no retry loop. Needs no
# broker (the store is opened before Kafka).
source "$ROOT/tests/tools/testlib.sh"

for store in sqlite:/nonexistent/dir/rows.db "sqlite:$WORK"; do
	timeout 30 "$BIN/kafka2hbase" --brokers 127.0.0.1:9 --topic t --group g --store "$store" \
		--table DriverCarInfo >out.log 2>err.log
	rc=$?
	[ $rc = 124 ] && fail "$store: still retrying after 30 s: $(tail -3 err.log)"
	assert_eq 2 $rc "$store: exit"
	grep -qF "${store#sqlite:}" err.log || fail "$store: the error names the path: $(cat err.log)"
	grep -q "retrying" err.log && fail "$store: retried: $(cat err.log)"
done
echo ok
