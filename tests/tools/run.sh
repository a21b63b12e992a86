#!/bin/bash
# run.sh: `make run`: the demo's stack for real use. In ./run-workspace (kept
# between runs; RUN_WS to change it) starts redis-server and kafka-devbroker on
# free loopback ports, points etc/pipeline.env at them and at the workspace,
# and runs schedulerd on dags/ in the foreground (Ctrl-C drains it; the servers
# are then stopped), and schedweb on a free loopback port beside it. Use
# schedctl --state run-workspace/state.db from another terminal. Against a real
# cluster, run schedulerd yourself with the edited etc/pipeline.env instead
# (docs/demo.md).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
WS=${RUN_WS:-$ROOT/run-workspace}
export PATH=$BIN:$PATH
WORK=$WS
mkdir -p "$WS"/{log,state,etc} || exit 1
cd "$WS" || exit 1
. "$ROOT/tests/tools/testlib.sh"
[ -f etc/overspeed.yaml ] || cp "$ROOT/dags/rules/overspeed.yaml" etc/
RPORT=$(free_port) || fail "no free port"
redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$WS" --daemonize no >redis.log 2>&1 &
RPID=$!; on_exit "kill $RPID; wait $RPID"
wait_for 10 redis-cli -p "$RPORT" ping || fail "redis-server did not start: $(tail redis.log)"
rm -f state/bootstrap
kafka-devbroker --topic SmartCar-Topic:3 --bootstrap-file "$WS/state/bootstrap" >devbroker.log 2>&1 &
KPID=$!; on_exit "kill $KPID; wait $KPID"
wait_for 10 test -s state/bootstrap || fail "kafka-devbroker did not start: $(tail devbroker.log)"
# the development broker forgets its topic at exit: start from the log's end again
rm -f state/tail2kafka.pos
export PIPELINE_HOME=$WS KAFKA_BROKERS=$(cat state/bootstrap) REDIS_URL=redis://127.0.0.1:$RPORT/0
export OVERSPEED_RULE=$WS/etc/overspeed.yaml SMARTCAR_CARS=${SMARTCAR_CARS:-20}
# the development broker accepts a session timeout under a real broker's 6000 ms
# minimum: a consumer restarted after kill -9 writes again within ~5 s
export KAFKA_SESSION_TIMEOUT_MS=${KAFKA_SESSION_TIMEOUT_MS:-3000}
set -a; . "$ROOT/etc/pipeline.env"; set +a
echo "redis $REDIS_URL, kafka $KAFKA_BROKERS, workspace $WS"
echo "schedctl --state $WS/state.db dags    (Ctrl-C here stops everything)"
trap 'kill -TERM $SPID 2>/dev/null' INT TERM
schedulerd --dags "$ROOT/dags" --state state.db --logs logs &
SPID=$!
# schedweb beside it (docs/schedweb.md): the API, /metrics and the web UI, loopback only
wait_for 30 test -s state.db || fail "schedulerd did not create state.db"
WPORT=$(free_port) || fail "no free port"
schedweb --state state.db --listen "127.0.0.1:$WPORT" 2>>schedweb.log &
WPID=$!; on_exit "kill $WPID; wait $WPID"
# the web UI's demo user (an operator), its password kept in the workspace
if [ ! -s demo-user.password ]; then
	(umask 077; head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >demo-user.password)
	schedweb --state state.db users add demo --role operator --password-stdin <demo-user.password >/dev/null ||
		fail "schedweb users add demo"
fi
echo "web UI http://127.0.0.1:$WPORT/  user demo, password $(cat demo-user.password) (log: $WS/schedweb.log)"
echo "  more users: printf '%s\\n' PASSWORD | schedweb --state $WS/state.db users add NAME --role admin --password-stdin"
wait $SPID; wait $SPID 2>/dev/null
