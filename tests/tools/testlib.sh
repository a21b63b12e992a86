# testlib.sh: helpers sourced by the integration tests (tests/integration/*.sh).
# Each test runs in its own scratch directory ($WORK) with $BIN pointing at the
# programs under test; it fails by exiting non-zero with a message.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "--- $*"; }
assert_eq() { # assert_eq EXPECTED ACTUAL WHAT
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}
# free_port: a TCP port nobody listens on now.
# It is drawn below the kernel's range of ephemeral ports (the local ports of
# outgoing connections, 32768-60999 by default): a port a client connection
# holds there (the web tests make thousands) cannot be bound though nobody
# listens on it.
free_port() {
	local p lo=32768 span
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
	span=$(( lo - 10000 ))
	[ "$span" -ge 1000 ] || span=20000
	for _ in $(seq 1 50); do
		p=$(( 10000 + (RANDOM % span) ))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}
# wait_for SECONDS CMD...: retries CMD every 50 ms until it succeeds.
wait_for() {
	local limit=$1; shift
	local end=$(( $(date +%s%N) + limit * 1000000000 ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -gt "$end" ] && return 1
		sleep 0.05
	done
}
# cleanup hooks run on exit, last added first.
_cleanups=()
on_exit() { _cleanups=("$*" "${_cleanups[@]}"); }
_run_cleanups() { for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done; }
trap _run_cleanups EXIT
