# schedctl_tries.sh: status's TRY column against the real daemon. A task
# cleared after failing shows the tries of this attempt (2/2 again, not a
# growing 4/4); a sensor shows its pokes (the poke lines of its try log),
# not "1/1".
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
[ -x "$BIN/schedulerd" ] || fail "schedulerd is not built ($BIN)"
mkdir -p "$WORK/dags" "$WORK/logs"
sc() { "$BIN/schedctl" --state "$STATE" "$@"; }
cat >"$WORK/dags/tr.yaml" <<YAML
dag: tr
schedule: none
tasks:
  - id: flaky
    command: [sh, -c, 'exit 1']
    retries: 1
    retry_delay: 100ms
  - id: waiter
    wait_for:
      path: $WORK/flag
      poke: 100ms
YAML
start_daemon
wait_sql 30 "select count(*) from dags where dag_id='tr'" 1 || fail "daemon did not load tr"
sc unpause tr >/dev/null || fail "unpause"
ti() { sq "select t.$2 from task_instances t join runs r on r.id=t.run where r.dag_id='tr' and t.task_id='$1'"; }
row() { sc status tr | awk -v t="$1" '$1 == t'; }

sc trigger tr --date 2026-03-01 >/dev/null || fail "trigger"

note "a sensor shows its pokes"
pokes_at_least() { [ "$(cat "$WORK"/logs/tr/*/waiter/try-1.log 2>/dev/null | grep -c ' poke ')" -ge "$1" ]; }
wait_for 30 pokes_at_least 3 \
	|| fail "the sensor did not poke 3 times: $(ls -R "$WORK/logs")"
out=$(row waiter); echo "$out"
echo "$out" | grep -Eq '^waiter +running +[0-9]+ pokes ' || fail "a running sensor shows its pokes: $out"
echo "$out" | grep -q ' 1/1 ' && fail "a sensor shows no try count: $out"
touch "$WORK/flag"
wait_sql 30 "select state from task_instances where task_id='waiter'" success || fail "the sensor did not succeed"
n=$(grep -c ' poke ' "$WORK"/logs/tr/*/waiter/try-1.log)
out=$(row waiter); echo "$out"
echo "$out" | grep -Eq "^waiter +success +$n pokes " || fail "the pokes of the finished sensor ($n): $out"
j=$(sc status tr --json)
echo "$j" | grep -q "\"pokes\":$n" || fail "status --json has the pokes: $j"

note "after a clear, the tries of this attempt"
wait_sql 30 "select state from task_instances where task_id='flaky'" failed || fail "flaky did not fail"
assert_eq "2|2" "$(ti flaky try_number)|$(ti flaky max_tries)" "two tries"
row flaky | grep -Eq '^flaky +failed +2/2 ' || fail "2/2 before the clear: $(row flaky)"
sc clear tr --date 2026-03-01 --task flaky --yes >/dev/null || fail "clear"
wait_sql 30 "select try_number || state from task_instances where task_id='flaky'" 4failed \
	|| fail "flaky did not fail twice again: $(ti flaky try_number) $(ti flaky state)"
out=$(row flaky); echo "$out"
echo "$out" | grep -Eq '^flaky +failed +2/2 ' || fail "the attempt's 2/2, not 4/4: $out"
j=$(sc status tr --json)
echo "$j" | grep -q '"task_id":"flaky","state":"failed","try_number":4,"max_tries":4,"attempt_try":2,"attempt_max_tries":2' \
	|| fail "status --json: $j"
echo ok
