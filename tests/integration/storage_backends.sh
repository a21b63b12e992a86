#!/bin/bash
# storage_backends.sh: every storage.h operation on the local backend and on
# WebHDFS (test server), with the same expectations: multi-piece writes
# (CREATE + APPENDs), reads larger than one OPEN range, listing, stat, append,
# no-replace rename, recursive delete, errors naming the exception, a
# directory named like a key of WebHDFS's JSON.
. "$ROOT/tests/tools/testlib.sh"
PR=$ROOT/${BUILD:-build}/tests/storage-probe; T=$ROOT/${BUILD:-build}/tests/webhdfs-testserver
mkdir -p hdfs local
$T --root hdfs --port-file nn.port --require-user 2>server.log &
on_exit "kill $!"
wait_for 5 test -s nn.port || fail "test server did not start"
P=$(cat nn.port)
head -c 20000000 /dev/urandom > big	# over 2 OPEN ranges of 8 MiB
for uri in "$WORK/local" "file://$WORK/local/f" "webhdfs://127.0.0.1:$P/w?user=etl"; do
	note "$uri"
	$PR "$uri" mkdir a/b || fail "mkdir"
	$PR "$uri" put a/b/big < big || fail "put"
	$PR "$uri" cat a/b/big | cmp -s - big || fail "cat differs"
	assert_eq "f 20000000" "$($PR "$uri" stat a/b/big)" "stat"
	assert_eq "missing" "$($PR "$uri" stat a/nope)" "stat missing"
	printf 'x\n' | $PR "$uri" put a/b/small || fail "put small"
	printf 'y\n' | $PR "$uri" append a/b/small || fail "append"
	assert_eq "$(printf 'x\ny')" "$($PR "$uri" cat a/b/small)" "appended"
	assert_eq "$(printf 'big\tf\t20000000\nsmall\tf\t4')" "$($PR "$uri" ls a/b)" "ls"
	# a name equal to a JSON key of the answer ("pathSuffix":"type" comes before "type")
	$PR "$uri" mkdir a/type || fail "mkdir a/type"
	$PR "$uri" ls a | grep -qx "$(printf 'type\td\t0')" || fail "directory 'type' listed as: $($PR "$uri" ls a)"
	$PR "$uri" mv a/b/small a/b/big 2>mv.err && fail "rename replaced its target"
	$PR "$uri" mv a/b/small a/c || fail "rename"
	assert_eq "f 4" "$($PR "$uri" stat a/c)" "renamed"
	$PR "$uri" cat a/nope 2>cat.err && fail "cat of a missing file"
	$PR "$uri" ls a/nope 2>ls.err && fail "ls of a missing dir"
	$PR "$uri" rm a || fail "rm -r"
	assert_eq "missing" "$($PR "$uri" stat a)" "after rm"
	$PR "$uri" rm a || fail "rm of a missing path"
done
grep -q 'FileNotFoundException' ls.err || fail "WebHDFS error lacks the exception: $(cat ls.err)"
ctl() { curl -sf "http://127.0.0.1:$P/control$1"; }
ctl "?fail=2" >/dev/null
printf 'z\n' | WEBHDFS_BACKOFF_MS=10 $PR "webhdfs://127.0.0.1:$P/w?user=etl" put r/z || fail "put through 500s"
ctl /stats | grep -q '^dn OPEN [1-9]' || fail "reads did not go to the DataNode"
ctl /stats | grep -q '^dn APPEND [1-9]' || fail "no APPEND on the DataNode"
echo ok
