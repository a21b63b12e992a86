# notify_send.sh: the alerts outbox's sender (scheduler/notify_send.c), fed
# rows written as the enqueue half writes them (docs/alerts.md), against a
# webhook receiver and an SMTP receiver of our own on loopback:
#   - a webhook row is delivered once, with X-Idempotency-Key and a token
#     header read from the daemon's environment; the payload is the body;
#   - a receiver answering 500 twice then 200 gets it on the third attempt;
#   - a 4xx is given up at once, a template error too, an empty URL skipped;
#   - a command gets its argv rendered and the payload on stdin; while one
#     holds the sender, a run goes through; one that hangs is killed at its
#     timeout with its whole process group, recorded, and given up after
#     give_up_after;
#   - an email arrives with Date, From, To, Subject, Message-ID and AUTH
#     from the environment (the password in no log);
#   - kill -9 of the daemon with a row pending (receiver down): after the
#     restart it is delivered, exactly once.
# timeout: 120
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
TS=$ROOT/${BUILD:-build}/tests
mkdir -p "$WORK/dags" "$WORK/logs" "$WORK/hook" "$WORK/hook4" "$WORK/mail"
cd "$WORK"

"$TS/webhook-testserver" --dir hook --port-file hook.port --fail 2 2>hook.log &
HOOK=$!
on_exit 'kill $HOOK'

"$TS/webhook-testserver" --dir hook4 --port-file hook4.port --status 404 2>hook4.log &
on_exit "kill $!"
"$TS/smtp-testserver" --dir mail --port-file mail.port --require-auth alerts:s3cret-pw 2>mail.log &
on_exit "kill $!"
wait_for 10 test -s hook.port && wait_for 10 test -s hook4.port && wait_for 10 test -s mail.port ||
	fail "test servers did not start"
HP=$(cat hook.port) H4=$(cat hook4.port) MP=$(cat mail.port)

cat >dags/tick.yaml <<'YAML'
dag: tick
schedule: none
tasks:
  - id: t
    command: [/bin/true]
YAML
export ALERT_URL="http://127.0.0.1:$HP/hook" ALERT_TOKEN="Bearer tok-123" EMPTY_URL=""
export SMTP_URL="smtp://127.0.0.1:$MP" SMTP_USER=alerts SMTP_PASSWORD=s3cret-pw
start_daemon
wait_sql 10 "select count(*) from dags" 1 || fail "DAG not loaded"

now_us() { date +%s%6N; }
# enqueue KEY CHANNEL_JSON [PAYLOAD_JSON]: a row as notify.c writes one.
enqueue() {
	local payload=${3:-"{\"id\":\"$1\",\"event\":\"task_failed\",\"dag_id\":\"tick\",\"run_id\":\"manual__2026-01-01T00:00:00+00:00\",\"task_id\":\"t\",\"try_number\":2,\"state\":\"failed\",\"cause\":\"exit 3\",\"log_tail\":\"boom\"}"}
	sq "insert into notifications(key, created_us, event, dag_id, task_id, try_number, channel, payload,
	    next_attempt_us) values('$1', $(now_us), 'task_failed', 'tick', 't', 2, '$2', '$payload', $(now_us))"
}
row() { sq "select state || '|' || attempts from notifications where key='$1'"; }
err_of() { sq "select last_error from notifications where key='$1'"; }

note "webhook: 500 twice, then 200: delivered on the third attempt"
enqueue k-hook '{"type":"webhook","url":"{{ env.ALERT_URL }}","headers_env":{"Authorization":"ALERT_TOKEN"}}'
wait_sql 30 "select state from notifications where key='k-hook'" delivered ||
	fail "not delivered: $(row k-hook) $(err_of k-hook)"
assert_eq "delivered|3" "$(row k-hook)" "state|attempts"
assert_eq 2 "$(ls hook/*.rejected | wc -l)" "rejected requests"
assert_eq 1 "$(grep -l 'X-Idempotency-Key: k-hook' hook/*.req | wc -l)" "deliveries of k-hook"
req=$(grep -l 'X-Idempotency-Key: k-hook' hook/*.req)
grep -q '^Authorization: Bearer tok-123$' "$req" || fail "no token header: $(cat "$req")"
grep -q '^Content-Type: application/json$' "$req" || fail "not JSON"
tail -n 1 "$req" | grep -q '"dag_id":"tick".*"cause":"exit 3"' || fail "body is not the payload: $(tail -n 1 "$req")"
grep -q 'HTTP 500' <<<"$(err_of k-hook)" || fail "last error not kept: $(err_of k-hook)"
grep -q 'tok-123' daemon.log && fail "the token is in the daemon's log"

note "slack format: {\"text\": ...}"
enqueue k-slack '{"type":"webhook","url":"{{ env.ALERT_URL }}","format":"slack"}'
wait_sql 20 "select state from notifications where key='k-slack'" delivered || fail "slack: $(row k-slack)"
tail -n 1 "$(grep -l 'X-Idempotency-Key: k-slack' hook/*.req)" | grep -q '^{"text":"\[task_failed\] tick.t try 2' ||
	fail "slack body: $(tail -n 1 "$(grep -l 'X-Idempotency-Key: k-slack' hook/*.req)")"

note "a 4xx is given up at once; a template error too; an empty URL is skipped"
enqueue k-404 "{\"type\":\"webhook\",\"url\":\"http://127.0.0.1:$H4/x\"}"
enqueue k-tmpl '{"type":"webhook","url":"{{ env.ALERT_URL }}/{{ dagid }}"}'
enqueue k-empty '{"type":"webhook","url":"{{ env.EMPTY_URL }}"}'
wait_sql 20 "select count(*) from notifications where key in ('k-404','k-tmpl','k-empty') and state!='pending'" 3 ||
	fail "not settled: $(sq "select key, state from notifications")"
assert_eq "given_up|1" "$(row k-404)" "404"
grep -q 'HTTP 404' <<<"$(err_of k-404)" || fail "404 error: $(err_of k-404)"
assert_eq "given_up|1" "$(row k-tmpl)" "template error"
grep -q "unknown template name 'dagid'" <<<"$(err_of k-tmpl)" || fail "template error: $(err_of k-tmpl)"
assert_eq "skipped|1" "$(row k-empty)" "empty URL"

note "command: argv rendered, payload on stdin"
enqueue k-cmd "{\"type\":\"command\",\"argv\":[\"sh\",\"-c\",\"cat >\\\"\$1\\\"\",\"x\",\"$WORK/cmd-{{ dag_id }}-{{ try_number }}.json\"]}"
wait_sql 20 "select state from notifications where key='k-cmd'" delivered || fail "command: $(row k-cmd) $(err_of k-cmd)"
grep -q '"event":"task_failed"' cmd-tick-2.json || fail "payload not on stdin"

note "a command that hangs holds the sender, never the scheduling"
enqueue k-long "{\"type\":\"command\",\"argv\":[\"sh\",\"-c\",\"echo \$\$ >$WORK/long.pid; exec sleep 120\"],\"timeout\":\"120s\",\"give_up_after\":\"1s\"}"
wait_for 10 test -s long.pid || fail "the long command did not start"
t0=$(now_us)
sq "insert into runs(dag_id, run_id, logical_date, interval_end, run_type, state, sort_key, created_us)
    values('tick', 'manual__x', 1000, 1000, 'manual', 'queued', 1000, $t0)"
wait_sql 30 "select state from runs where run_id='manual__x'" success || fail "a run waited for the sender"
ran_ms=$(( ($(now_us) - t0) / 1000 ))
kill -0 "$(cat long.pid)" || fail "the long command was not running while the run ran"
echo "run while the sender is held by a command: ${ran_ms} ms"
kill -9 "$(cat long.pid)"
wait_sql 20 "select state from notifications where key='k-long'" given_up || fail "long: $(row k-long) $(err_of k-long)"
grep -q 'killed by signal 9' <<<"$(err_of k-long)" || fail "long error: $(err_of k-long)"

note "a hanging command is killed at its timeout with its process group, recorded"
enqueue k-hang "{\"type\":\"command\",\"argv\":[\"sh\",\"-c\",\"sleep 60 & echo \$! >$WORK/hang.pids; echo \$\$ >>$WORK/hang.pids; wait\"],\"timeout\":\"1s\",\"give_up_after\":\"3s\"}"
wait_for 10 test -s hang.pids || fail "the hanging command did not start"
wait_sql 30 "select state from notifications where key='k-hang'" given_up || fail "hang: $(row k-hang) $(err_of k-hang)"
grep -q 'timed out after 1000ms, process group killed' <<<"$(err_of k-hang)" || fail "hang error: $(err_of k-hang)"
for p in $(cat hang.pids); do
	wait_for 10 sh -c "! kill -0 $p" || fail "process $p of the hanging command outlived its timeout"
done

note "email: headers, AUTH from the environment"
enqueue k-mail '{"type":"email","smtp":"{{ env.SMTP_URL }}","starttls":false,"from":"scheduler@example.com","to":["oncall@example.com","b@example.com"],"subject":"{{ dag_id }} failed: {{ cause }}","user_env":"SMTP_USER","password_env":"SMTP_PASSWORD"}'
wait_sql 20 "select state from notifications where key='k-mail'" delivered || fail "email: $(row k-mail) $(err_of k-mail)"
m=$(ls mail/*.eml)
tr -d '\r' <"$m" >mail.txt
grep -q '^X-Test-Auth: alerts:s3cret-pw$' mail.txt || fail "AUTH: $(head -3 mail.txt)"
grep -q '^X-Test-Rcpt-To: <oncall@example.com>, <b@example.com>$' mail.txt || fail "RCPT: $(head -3 mail.txt)"
grep -q '^From: <scheduler@example.com>$' mail.txt || fail "From"
grep -q '^To: <oncall@example.com>, <b@example.com>$' mail.txt || fail "To"
grep -q '^Subject: tick failed: exit 3$' mail.txt || fail "Subject"
grep -q '^Message-ID: <k-mail@schedulerd>$' mail.txt || fail "Message-ID"
grep -Eq '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} \+0000$' mail.txt || fail "Date"
grep -q 'boom' mail.txt || fail "body has no log tail"
grep -q 's3cret-pw' daemon.log && fail "the SMTP password is in the daemon's log"

note "kill -9 with a row pending and the receiver down: delivered once after the restart"
kill $HOOK; wait $HOOK 2>/dev/null
enqueue k-crash '{"type":"webhook","url":"{{ env.ALERT_URL }}"}'
wait_sql 20 "select attempts >= 1 from notifications where key='k-crash'" 1 || fail "crash row: $(row k-crash)"
assert_eq pending "$(row k-crash | cut -d'|' -f1)" "state while the receiver is down"
grep -q 'Could not connect\|Couldn.t connect\|Connection refused' <<<"$(err_of k-crash)" || fail "error: $(err_of k-crash)"
kill -9 "$DAEMON"; wait "$DAEMON" 2>/dev/null
# the worker ends with its daemon (and releases its lock)
wait_for 10 flock -n "$STATE.notify.lock" true || fail "the sender outlived its daemon"
"$TS/webhook-testserver" --dir hook --port "$HP" 2>>hook.log &
HOOK=$!
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$HP" || fail "receiver did not restart"
start_daemon
wait_sql 30 "select state from notifications where key='k-crash'" delivered || fail "after restart: $(row k-crash) $(err_of k-crash)"
assert_eq 1 "$(grep -l 'X-Idempotency-Key: k-crash' hook/*.req | wc -l)" "deliveries of k-crash"
assert_eq 1 "$(grep -l 'X-Idempotency-Key: k-hook' hook/*.req | wc -l)" "deliveries of k-hook after the restart"
note "ok"
