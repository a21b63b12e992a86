# web_auth.sh: schedweb's server and authentication (issue 18), with curl
# against the real program on a free loopback port: problem documents for
# 401/403/404/405/413 and bad ids, HTTP Basic, API tokens and their
# revocation, roles on a write route (admin's /api/users), the session
# cookie and its CSRF token, --anonymous viewer, the users file (mode 0600,
# no password in it), credentials never in the log, and the failed-login
# limit (429) last, since it locks this client's address out.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/weblib.sh"

note "users file: mode 0600, hashes only"
web_user alice admin 'alice-secret-1' || fail "users add alice"
web_user olga operator 'olga-secret-22' || fail "users add olga"
web_user victor viewer 'victor-secret-3' || fail "users add victor"
assert_eq 600 "$(stat -c %a "$STATE.users")" "users file mode"
grep -q 'secret' "$STATE.users" && fail "a password in the users file"
grep -q '^user alice admin \$argon2id\$' "$STATE.users" || fail "no Argon2id hash: $(cat "$STATE.users")"
printf 'short\n' | "$BIN/schedweb" --state "$STATE" users add bob --role viewer --password-stdin 2>err &&
	fail "a 5-byte password was taken"
grep -q 'password must be' err || fail "no reason for a short password: $(cat err)"
printf 'long-enough\n' | "$BIN/schedweb" --state "$STATE" users add alice --role viewer --password-stdin 2>err &&
	fail "a second alice was taken"
"$BIN/schedweb" --state "$STATE" users add bob --role root --password-stdin </dev/null 2>err; assert_eq 2 $? "bad role exit"
"$BIN/schedweb" --state "$STATE" users list --json | grep -q '"name":"olga","role":"operator"' || fail "users list --json"

web_start
A=(-u alice:alice-secret-1) V=(-u victor:victor-secret-3) O=(-u olga:olga-secret-22)

note "problem documents"
web_get GET /api/v1/no/such/thing >/dev/null; problem_is 404
web_get DELETE /api/v1/health >/dev/null; problem_is 405
grep -qi '^allow: GET, HEAD' "$WORK/last.h" || fail "405 without Allow: $(cat "$WORK/last.h")"
web_get GET /api/users >/dev/null; problem_is 401
grep -qi '^www-authenticate: Basic' "$WORK/last.h" || fail "401 without WWW-Authenticate"
web_get GET /api/users "${V[@]}" >/dev/null; problem_is 403
web_get DELETE /api/users/..%2Fx "${A[@]}" >/dev/null; problem_is 404
grep -q "not a valid id" "$WORK/last.body" || fail "bad id: $(cat "$WORK/last.body")"
web_get DELETE /api/users/.. "${A[@]}" >/dev/null; problem_is 404
web_get GET '/api/v1/health?x=%zz' >/dev/null; problem_is 400
head -c 1100000 /dev/zero | tr '\0' 'a' >big
web_get POST /api/users "${A[@]}" --data-binary @big >/dev/null; problem_is 413
web_get POST /api/users "${A[@]}" -H 'Transfer-Encoding: chunked' --data-binary @big >/dev/null; problem_is 413
web_get POST /api/users "${A[@]}" -d '{"username": ' >/dev/null; problem_is 400
web_get POST /api/users "${A[@]}" -d '{"username":"x","role":"viewer","password":"12345678","admin":true}' >/dev/null
problem_is 400; grep -q "unknown field 'admin'" "$WORK/last.body" || fail "unknown field: $(cat "$WORK/last.body")"
assert_eq 200 "$(web_code HEAD /api/v1/health)" "HEAD"
web_get GET /api/v1/health >/dev/null
grep -q '"metadatabase":{"status":"healthy"}' "$WORK/last.body" || fail "health: $(cat "$WORK/last.body")"

note "roles on a write route: viewer and operator 403, admin 201, then the new user signs in"
NEW='{"username":"nina","role":"viewer","password":"nina-secret-4"}'
web_get POST /api/users "${V[@]}" -d "$NEW" >/dev/null; problem_is 403
web_get POST /api/users "${O[@]}" -d "$NEW" >/dev/null; problem_is 403
assert_eq 201 "$(web_code POST /api/users "${A[@]}" -d "$NEW")" "admin adds nina"
web_get POST /api/users "${A[@]}" -d "$NEW" >/dev/null; problem_is 409
assert_eq 200 "$(web_code GET /api/session -u nina:nina-secret-4 -o /dev/null)" "nina signs in"
assert_eq 204 "$(web_code DELETE /api/users/nina "${A[@]}")" "admin deletes nina"
web_get DELETE /api/users/nina "${A[@]}" >/dev/null; problem_is 404
web_get GET /api/users "${A[@]}" | grep -q '"username":"nina"' && fail "nina is still listed"
assert_eq 200 "$(web_code GET /api/users "${A[@]}")" "admin lists"

note "API tokens: made by the CLI, used as Bearer, revoked"
TOK=$("$BIN/schedweb" --state "$STATE" tokens create alice) || fail "tokens create"
case $TOK in swt_????????????????_*) ;; *) fail "token shape: $TOK" ;; esac
grep -q "${TOK##*_}" "$STATE.users" && fail "the token's secret is in the users file"
assert_eq 200 "$(web_code GET /api/users -H "Authorization: Bearer $TOK")" "token works"
ID=${TOK#swt_}; ID=${ID%%_*}
"$BIN/schedweb" --state "$STATE" tokens list | grep -q "^$ID alice" || fail "tokens list"
"$BIN/schedweb" --state "$STATE" tokens revoke "$ID" || fail "tokens revoke"
web_get GET /api/users -H "Authorization: Bearer $TOK" >/dev/null; problem_is 401

note "session cookie: HttpOnly SameSite=Strict, CSRF token required on writes"
web_get POST /api/session -c jar -d '{"username":"alice","password":"alice-secret-1"}' >session.json
assert_eq 200 "$(cat last.code)" "sign in"
grep -i '^set-cookie: schedweb_session=' last.h | grep -i 'HttpOnly' | grep -qi 'SameSite=Strict' ||
	fail "cookie flags: $(grep -i set-cookie last.h)"
grep -i '^set-cookie:' last.h | grep -qi 'secure' && fail "Secure without TLS"
CSRF=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' session.json)
[ ${#CSRF} -eq 43 ] || fail "csrf token: $(cat session.json)"
web_get GET /api/session -b jar | grep -q "\"csrf_token\":\"$CSRF\"" || fail "who am I: $(cat last.body)"
assert_eq 200 "$(web_code GET /api/users -b jar)" "cookie read"
NEW='{"username":"cara","role":"viewer","password":"cara-secret-5"}'
web_get POST /api/users -b jar -d "$NEW" >/dev/null; problem_is 403
grep -q CSRF last.body || fail "403 names CSRF: $(cat last.body)"
web_get POST /api/users -b jar -H "X-CSRF-Token: ${CSRF%?}x" -d "$NEW" >/dev/null; problem_is 403
assert_eq 201 "$(web_code POST /api/users -b jar -H "X-CSRF-Token: $CSRF" -d "$NEW")" "cookie write with CSRF"
web_get DELETE /api/session -b jar >/dev/null; problem_is 403
assert_eq 204 "$(web_code DELETE /api/session -b jar -H "X-CSRF-Token: $CSRF")" "sign out"
web_get GET /api/users -b jar >/dev/null; problem_is 401
grep -qi '^www-authenticate' last.h && fail "a browser with a cookie got a Basic dialog"

note "credentials never in the log"
grep -q 'method=GET path=/api/users status=200' "$WORK/schedweb.err" || fail "no request log: $(tail -3 "$WORK/schedweb.err")"
grep -q 'user=alice' "$WORK/schedweb.err" || fail "the log does not name the user"
grep -qE 'secret|swt_|Basic |csrf|schedweb_session=' "$WORK/schedweb.err" && fail "a credential in the log"

note "--anonymous viewer reads, never writes"
web_stop
web_start --anonymous viewer
web_get GET /api/session | grep -q '"username":"anonymous","role":"viewer"' || fail "anonymous: $(cat last.body)"
web_get POST /api/users -d "$NEW" >/dev/null; problem_is 403

note "failed logins: 429 after 5 from one address, even with the right password"
for i in 1 2 3 4 5; do
	assert_eq 401 "$(web_code GET /api/users -u alice:wrong-$i)" "failure $i"
done
web_get GET /api/users "${A[@]}" >/dev/null; problem_is 429
grep -qi '^retry-after: [0-9]' last.h || fail "429 without Retry-After"
web_get POST /api/session -d '{"username":"alice","password":"alice-secret-1"}' >/dev/null; problem_is 429
echo ok
