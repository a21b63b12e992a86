#!/bin/sh
# install-deps.sh: installs the Debian packages the project builds, tests and
# runs with, skipping those already present (make deps, make test, make demo).
#
# Why each one: libyaml (DAG files), libsqlite3 (state store, row store),
# libjansson (JSON read and written everywhere: HBase REST and WebHDFS answers,
# result lines, --json outputs, the documents the store keeps),
# libcmocka (unit tests), libcurl (WebHDFS, HBase REST), librdkafka (Kafka),
# libhiredis (Redis), redis-server (integration tests, demo), kcat (tests that
# talk to Kafka as an outside client), sqlite3 (tests compare against it),
# tzdata (cron in IANA time zones), valgrind (make valgrind), bc (benchmark
# arithmetic), util-linux flock (tests), libssl-dev (TLS to Redis: rediss://,
# jobs/common/redis_tls.c, since Debian's hiredis has no hiredis_ssl) and
# openssl (redis_tls.sh makes a throwaway CA and certificates), libmicrohttpd
# (schedweb's HTTP server), libsodium (schedweb's password hashes and tokens),
# jq (tests read fields of JSON answers: schedctl --json, the REST API).
# Test-only: prometheus (promtool and a real server scraping schedweb),
# chromium (the web UI's browser tests, driven by playwright-core from the npm
# registry into a test-only folder, $BUILD/web-test: nodejs and npm for it,
# npm only if no npm is there, as node distributions other than Debian's
# bring their own), and a single-node Slurm cluster for the
# Slurm executor's tests (slurmctld slurmd slurm-client munge slurmrestd
# slurm-wlm-jwt-plugin; started by hand in a scratch directory, never as a
# service). python3 is NOT needed: test servers are written in C.
#
# install-deps.sh fuzz: the packages of `make fuzz` only (asked for by make fuzz
# and make test, not by make deps): clang and libFuzzer with the ASan/UBSan
# runtimes (libclang-rt-14-dev), llvm-14 for llvm-profdata-14/llvm-cov-14
# (coverage of a harness, docs/testing.md).
set -eu
if [ "${1:-}" = fuzz ]; then
	PKGS="clang libclang-rt-14-dev llvm-14"
	what="make fuzz"
else
	PKGS="gcc make pkg-config libyaml-dev libsqlite3-dev sqlite3 libcmocka-dev libjansson-dev
libcurl4-openssl-dev librdkafka-dev libhiredis-dev redis-server kcat tzdata
valgrind procps psmisc curl ca-certificates bc libssl-dev openssl jq
libmicrohttpd-dev libsodium-dev prometheus chromium nodejs
slurmctld slurmd slurm-client munge slurmrestd slurm-wlm-jwt-plugin"
	what="make deps"
	command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "$what: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "$what: not root and no sudo; install as root:$missing" >&2; exit 1
	fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
