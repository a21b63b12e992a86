# schedctl_pause.sh: pause and unpause with the daemon down: the flag, its
# event, idempotence, unknown DAGs.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

sc pause etl | grep -q 'etl paused' || fail "pause message"
assert_eq 1 "$(sq "SELECT paused FROM dags WHERE dag_id='etl'")" "paused flag"
assert_eq 1 "$(sq "SELECT count(*) FROM events WHERE dag_id='etl' AND new_state='paused'")" "pause event"
sc dags | grep -Eq '^etl +@daily +UTC +yes' || fail "dags shows paused"
sc pause etl | grep -q 'already paused' || fail "pause twice"
assert_eq 1 "$(sq "SELECT count(*) FROM events WHERE new_state='paused'")" "no second event"
sc unpause etl | grep -q 'etl unpaused' || fail "unpause"
assert_eq 0 "$(sq "SELECT paused FROM dags WHERE dag_id='etl'")" "unpaused flag"
err=$(sc pause elt 2>&1); assert_eq 1 $? "unknown DAG"
echo "$err" | grep -q "did you mean 'etl'" || fail "names nearest: $err"
sc pause >/dev/null 2>&1; assert_eq 2 $? "missing DAG"
sc unpause etl extra >/dev/null 2>&1; assert_eq 2 $? "extra argument"
echo ok
