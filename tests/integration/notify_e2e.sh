# notify_e2e.sh: alerts end to end, a failing task to the receiver: the
# daemon enqueues (scheduler/notify.c) and its sender worker delivers
# (scheduler/notify_send.c) to a webhook receiver and an SMTP receiver of
# our own on loopback.
#   - the task_failed notification arrives once with the payload's fields,
#     after the receiver answered 500 twice (on the third attempt);
#   - the email of the same failure has Date, From, To, Subject, Message-ID;
#   - the webhook's token (headers_env) and SMTP AUTH (user_env,
#     password_env) come from the daemon's environment, in no log or row;
#   - receiver down, the row pending, kill -9 of the daemon; receiver and
#     daemon started again: delivered exactly once per key.
# timeout: 120
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedlib.sh"
TS=$ROOT/${BUILD:-build}/tests
mkdir -p "$WORK/dags" "$WORK/logs" "$WORK/hook" "$WORK/mail"
cd "$WORK"
"$TS/webhook-testserver" --dir hook --port-file hook.port --fail 2 2>hook.log &
HOOK=$!
on_exit 'kill $HOOK'
"$TS/smtp-testserver" --dir mail --port-file mail.port --require-auth alerts:pw-s3cret 2>mail.log &
on_exit "kill $!"
wait_for 10 test -s hook.port && wait_for 10 test -s mail.port || fail "test servers did not start"
HP=$(cat hook.port)
export ALERT_URL="http://127.0.0.1:$HP/alerts" SMTP_URL="smtp://127.0.0.1:$(cat mail.port)"
export ALERT_TOKEN="Bearer tok-e2e" SMTP_USER=alerts SMTP_PASSWORD=pw-s3cret
cat >dags/etl.yaml <<'YAML'
dag: etl
notify:
  - on: [task_failed]
    webhook: "{{ env.ALERT_URL }}"
    headers_env: {Authorization: ALERT_TOKEN}
  - on: [task_failed]
    email: {to: [oncall@example.com], from: scheduler@example.com, smtp: "{{ env.SMTP_URL }}",
            subject: "{{ dag_id }}.{{ task_id }} failed", user_env: SMTP_USER, password_env: SMTP_PASSWORD,
            starttls: false}
tasks:
  - id: load
    command: [sh, -c, 'echo loading; echo oops >&2; exit 3']
YAML
start_daemon
wait_sql 10 "select count(*) from dags where dag_id='etl'" 1 || fail "DAG not loaded: $(tail -3 daemon.log)"

keyd0="etl/1/load/1/task_failed/d0"
note "a failing task: its notification on the third attempt, once, with the fields"
trigger etl 1772582400
wait_run etl 30
wait_for 30 sh -c "grep -lq 'X-Idempotency-Key: $keyd0' hook/*.req" || fail "not received: $(sq "select state, attempts, last_error from notifications")"
assert_eq 2 "$(ls hook/*.rejected | wc -l)" "answers 500"
assert_eq "delivered|3" "$(sq "select state || '|' || attempts from notifications where key='$keyd0'")" "row"
req=$(grep -l "X-Idempotency-Key: $keyd0" hook/*.req)
assert_eq 1 "$(echo "$req" | wc -l)" "requests of $keyd0"
grep -q '^Authorization: Bearer tok-e2e$' "$req" || fail "no token header from headers_env"
tail -n 1 "$req" >body.json
j() { sqlite3 :memory: "select json_extract(readfile('body.json'), '\$.$1')"; }
assert_eq "task_failed etl manual__1772582400 load 1 failed" \
	"$(j event) $(j dag_id) $(j run_id) $(j task_id) $(j try_number) $(j state)" "payload fields"
case "$(j cause)" in *"exit code 3"*) ;; *) fail "cause: $(j cause)";; esac
case "$(j log_tail)" in *oops*) ;; *) fail "log tail: $(j log_tail)";; esac
for f in logical_date start_date end_date; do [ -n "$(j $f)" ] || fail "$f missing: $(cat body.json)"; done

note "the email of the same failure"
wait_for 30 sh -c 'ls mail/*.eml' || fail "no email: $(sq "select state, last_error from notifications where key like '%/d1'")"
tr -d '\r' <"$(ls mail/*.eml | head -1)" >mail.txt
grep -q '^X-Test-Auth: alerts:pw-s3cret$' mail.txt || fail "AUTH from user_env/password_env: $(head -1 mail.txt)"
grep -q '^From: <scheduler@example.com>$' mail.txt || fail "From: $(cat mail.txt)"
grep -q '^To: <oncall@example.com>$' mail.txt || fail "To"
grep -q '^Subject: etl.load failed$' mail.txt || fail "Subject"
grep -q '^Message-ID: <etl=2F1=2Fload=2F1=2Ftask_failed=2Fd1@schedulerd>$' mail.txt || fail "Message-ID: $(grep Message-ID mail.txt)"
grep -Eq '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} \+0000$' mail.txt || fail "Date"

grep -qa 'pw-s3cret\|tok-e2e' daemon.log "$STATE" "$STATE-wal" 2>/dev/null && fail "a secret is in the daemon's log or the state"

note "receiver down, kill -9 with the row pending: delivered once after the restart"
kill $HOOK; wait $HOOK 2>/dev/null
trigger etl 1772668800
keyd0b="etl/2/load/1/task_failed/d0"
wait_sql 30 "select attempts >= 1 from notifications where key='$keyd0b'" 1 || fail "row: $(sq "select key, state, attempts from notifications")"
kill -9 "$DAEMON"; wait "$DAEMON" 2>/dev/null
wait_for 10 flock -n "$STATE.notify.lock" true || fail "the sender outlived its daemon"
assert_eq pending "$(sq "select state from notifications where key='$keyd0b'")" "state after kill -9"
"$TS/webhook-testserver" --dir hook --port "$HP" 2>>hook.log &
HOOK=$!
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$HP" || fail "receiver did not restart"
start_daemon
wait_sql 30 "select state from notifications where key='$keyd0b'" delivered || fail "after restart: $(sq "select state, last_error from notifications where key='$keyd0b'")"
assert_eq 1 "$(grep -l "X-Idempotency-Key: $keyd0b" hook/*.req | wc -l)" "deliveries of $keyd0b"
assert_eq 1 "$(grep -l "X-Idempotency-Key: $keyd0" hook/*.req | wc -l)" "deliveries of $keyd0 after the restart"
note "ok"
