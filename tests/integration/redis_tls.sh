# redis_tls.sh: rediss:// for every Redis client against a redis-server that
# speaks TLS only (--port 0 --tls-port P) and wants a client certificate,
# with a throwaway CA made here by openssl: redis-audit and overspeed work
# with REDIS_TLS_CA_FILE, REDIS_TLS_CERT_FILE, REDIS_TLS_KEY_FILE (and AUTH
# over TLS); an untrusted server certificate, a certificate for another name,
# no client certificate and a plain redis:// to the TLS port each fail with a
# clear error and exit 2.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/overspeed_gen.sh"
command -v openssl >/dev/null || fail "openssl not installed (make deps)"

cd "$WORK" || fail "no work dir"
# mkcert NAME CA SAN: a key and a certificate for NAME signed by CA
mkcert() {
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null &&
		printf 'subjectAltName=%s\n' "$3" >"$1.ext" &&
		openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
			-extfile "$1.ext" -out "$1.crt" 2>/dev/null || fail "cannot make the $1 certificate"
}
for ca in ca otherca; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout $ca.key -out $ca.crt -days 2 -subj "/CN=test $ca" \
		2>/dev/null || fail "cannot make the $ca"
done
mkcert server ca "IP:127.0.0.1"
mkcert client ca "DNS:client"
mkcert wrongname ca "DNS:elsewhere.example"
chmod 600 ./*.key

PW='Sekr1t-tls-pw'
port=$(free_port) || fail "no free port"
redis-server --port 0 --tls-port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
	--tls-cert-file server.crt --tls-key-file server.key --tls-ca-cert-file ca.crt --tls-auth-clients yes \
	--requirepass "$PW" >"$WORK/redis.log" 2>&1 &
rpid=$!
on_exit "kill $rpid"
R="redis-cli --no-auth-warning -a $PW --tls --cacert ca.crt --cert client.crt --key client.key -h 127.0.0.1 -p $port"
wait_for 10 $R ping || fail "redis-server did not start: $(cat "$WORK/redis.log")"
unset REDIS_USERNAME REDIS_PASSWORD_FILE REDIS_TLS_CA_FILE REDIS_TLS_CERT_FILE REDIS_TLS_KEY_FILE
export REDIS_PASSWORD=$PW
U="rediss://127.0.0.1:$port/0"
A="$BIN/redis-audit --today 20160110"
$R sadd 20160108 no-ttl >/dev/null
$R sadd 20151225 older >/dev/null

note "redis-audit over TLS with a client certificate and AUTH"
REDIS_TLS_CA_FILE=ca.crt REDIS_TLS_CERT_FILE=client.crt REDIS_TLS_KEY_FILE=client.key $A --redis "$U" --fix \
	>o 2>e || fail "redis-audit over TLS: exit $?: $(cat e)"
grep -q '"scanned":2,.*"fixed":1,"deleted":1' o || fail "audit result: $(tail -n1 o)"
assert_eq 604800 "$($R ttl 20160108)" "fixed over TLS"
assert_eq 0 "$($R exists 20151225)" "deleted over TLS"

note "overspeed over TLS"
ovs_stream 20160101 235800 120 A0001:90:90:A01 B0002:70:70:B02 >in.txt
REDIS_TLS_CA_FILE=ca.crt REDIS_TLS_CERT_FILE=client.crt REDIS_TLS_KEY_FILE=client.key \
	"$BIN/overspeed" --from-file in.txt --redis "$U" >o 2>e || fail "overspeed over TLS: exit $?: $(cat e)"
assert_eq "A0001-20160101235800
A0001-20160101235830
A0001-20160101235900
A0001-20160101235930" "$($R smembers 20160101 | sort)" "overspeed members over TLS"

note "a server certificate from another CA: exit 2, says why"
REDIS_TLS_CA_FILE=otherca.crt REDIS_TLS_CERT_FILE=client.crt REDIS_TLS_KEY_FILE=client.key $A --redis "$U" >o 2>e
assert_eq 2 $? "untrusted server exit"
grep -q 'certificate is not trusted' e || fail "no clear error: $(cat e)"
REDIS_TLS_CERT_FILE=client.crt REDIS_TLS_KEY_FILE=client.key $A --redis "$U" >o 2>e
assert_eq 2 $? "system CAs do not trust the throwaway CA"
REDIS_TLS_CA_FILE=otherca.crt REDIS_TLS_CERT_FILE=client.crt REDIS_TLS_KEY_FILE=client.key \
	"$BIN/overspeed" --from-file in.txt --redis "$U" >o 2>e
assert_eq 2 $? "overspeed untrusted server exit"

note "a server certificate for another name: exit 2"
kill "$rpid"; wait "$rpid" 2>/dev/null
redis-server --port 0 --tls-port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
	--tls-cert-file wrongname.crt --tls-key-file wrongname.key --tls-ca-cert-file ca.crt \
	--tls-auth-clients no >"$WORK/redis2.log" 2>&1 &
rpid=$!
on_exit "kill $rpid"
R2="redis-cli --tls --cacert ca.crt --sni elsewhere.example -h 127.0.0.1 -p $port"
wait_for 10 $R2 ping || fail "second redis-server did not start: $(cat "$WORK/redis2.log")"
REDIS_TLS_CA_FILE=ca.crt $A --redis "$U" >o 2>e
assert_eq 2 $? "wrong name exit"
grep -q 'certificate is not trusted' e || fail "no clear error: $(cat e)"

note "no client certificate where one is wanted, and plain redis:// to a TLS port"
kill "$rpid"; wait "$rpid" 2>/dev/null
redis-server --port 0 --tls-port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
	--tls-cert-file server.crt --tls-key-file server.key --tls-ca-cert-file ca.crt --tls-auth-clients yes \
	>"$WORK/redis3.log" 2>&1 &
rpid=$!
on_exit "kill $rpid"
R3="redis-cli --tls --cacert ca.crt --cert client.crt --key client.key -h 127.0.0.1 -p $port"
wait_for 10 $R3 ping || fail "third redis-server did not start: $(cat "$WORK/redis3.log")"
unset REDIS_PASSWORD
REDIS_TLS_CA_FILE=ca.crt $A --redis "$U" >o 2>e
rc=$?
[ $rc -eq 2 ] || fail "no client certificate: exit $rc: $(cat e)"
grep -q 'TLS' e || fail "no clear error: $(cat e)"
$A --redis "redis://127.0.0.1:$port/0" >o 2>e
rc=$?
[ $rc -ne 0 ] || fail "plain redis:// to a TLS port succeeded"
REDIS_TLS_CA_FILE=ca.crt REDIS_TLS_CERT_FILE=client.crt REDIS_TLS_KEY_FILE=client.key $A --redis "$U" >o 2>e ||
	fail "third server: exit $?: $(cat e)"
note "ok"
