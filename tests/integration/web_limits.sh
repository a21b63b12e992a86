# web_limits.sh: what keeps schedweb up and off the network (issue 18):
# slow clients (a byte a second on every connection it allows) do not stop
# another client being served, since a request must arrive whole within
# --request-timeout; a non-loopback --listen is refused without TLS or
# --insecure-http; HTTPS with a throwaway certificate, the session cookie
# then Secure.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/weblib.sh"
web_user alice admin 'alice-secret-1' || fail "users add"

note "a non-loopback address needs TLS or --insecure-http"
for addr in 0.0.0.0 '[::]'; do
	"$BIN/schedweb" --state "$STATE" --listen "$addr:$(free_port)" 2>err && fail "$addr served plain HTTP"
	grep -q 'not a loopback address' err || fail "no reason: $(cat err)"
done
"$BIN/schedweb" --state "$STATE" --tls-cert x.pem 2>err; assert_eq 2 $? "--tls-cert alone"

note "slow clients: every allowed connection dripping a byte a second"
N=6
web_start --max-connections $N --max-per-ip $N --request-timeout 3
slow() { # one connection sending a request a byte a second; "cut" when the server closes it
	trap '' PIPE
	exec 3<>"/dev/tcp/127.0.0.1/$WEB_PORT" || { echo refused >"slow.$1"; return; }
	local req=$'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
	for ((i = 0; i < ${#req}; i++)); do
		printf '%s' "${req:i:1}" >&3 2>/dev/null || { echo cut >"slow.$1"; return; }
		echo "$i" >"sent.$1"
		sleep 1
	done
	echo "never cut" >"slow.$1"
}
for i in $(seq 1 $N); do
	slow "$i" &
	on_exit "kill $!"
done
all_sent() { for i in $(seq 1 $N); do [ -s "sent.$i" ] || [ -s "slow.$i" ] || return 1; done; }
wait_for 30 all_sent || fail "the slow clients did not start"
# every slot is held by a slow client now: a new client is served once their
# requests are cut (3 s), never while they would go on dripping (90 s)
wait_for 60 curl -sf -m 5 -u alice:alice-secret-1 "$WEB_URL/api/session" || fail "a client was not served beside slow ones"
all_done() { for i in $(seq 1 $N); do [ -s "slow.$i" ] || return 1; done; }
wait_for 60 all_done || fail "slow clients still connected"
grep -l "never cut" slow.* && fail "a slow client was never cut"
grep -q 'msg="slow requests cut"' "$WORK/schedweb.err" || fail "no log of the cut"
web_stop

note "HTTPS with a throwaway certificate"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem 2>openssl.err || fail "openssl: $(cat openssl.err)"
PORT=$(free_port)
"$BIN/schedweb" --state "$STATE" --listen "127.0.0.1:$PORT" --tls-cert cert.pem --tls-key key.pem 2>>"$WORK/schedweb.err" &
TPID=$!; on_exit "kill $TPID; wait $TPID"
wait_for 30 curl -sf --cacert cert.pem "https://127.0.0.1:$PORT/api/v1/health" || fail "no HTTPS: $(tail -3 "$WORK/schedweb.err")"
curl -s -D h --cacert cert.pem -o /dev/null -d '{"username":"alice","password":"alice-secret-1"}' \
	"https://127.0.0.1:$PORT/api/session"
grep -i '^set-cookie:' h | grep -qi '; Secure' || fail "no Secure cookie under TLS: $(cat h)"
curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/health" && fail "plain HTTP answered on the TLS port"
echo ok
