#!/bin/bash
# slurm-cluster.sh: a real single-node Slurm cluster on loopback for the tests
# and benches, started by hand (no systemd) in a scratch directory.
#
#   tests/tools/slurm-cluster.sh start DIR [CPUS]   start it; prints nothing, exits 0 once
#                                                   sbatch and slurmrestd answer
#   tests/tools/slurm-cluster.sh stop DIR           stop it: every process of this
#                                                   cluster by its own pid, job steps too
#   tests/tools/slurm-cluster.sh stop-rest|start-rest DIR   slurmrestd alone (outage tests)
#
# After start, DIR/env holds shell assignments to source:
#   SLURM_CONF   the cluster's slurm.conf (for sbatch, scontrol, squeue, scancel)
#   SLURM_URL    http://127.0.0.1:PORT of slurmrestd (openapi/v0.0.38)
#   SLURM_TOKEN_FILE  a file holding a JWT for user root (scontrol token)
# The node has CPUS (default 32) CPUs from the configuration, not the
# machine's (SlurmdParameters=config_overrides), and the partition "batch"
# oversubscribes them, so hundreds of sleeping jobs can run at once on two
# real cores. Facts this relies on (measured on Debian 12's Slurm 22.05):
# munged's socket directory needs o+x on every parent; slurmrestd refuses
# root (it runs as nobody) and needs -s openapi/v0.0.38 (its default plugins
# want slurmdbd); client commands hang ~9 s when slurmctld is down, so every
# one is bounded with timeout; slurmstepd outlives slurmd, so stop ends the
# job processes whose SLURM_CONF is ours.
set -u
cmd=${1:-}; DIR=${2:-}
[ -n "$cmd" ] && [ -n "$DIR" ] || { echo "usage: $0 start|stop DIR [CPUS]" >&2; exit 2; }

# free_port and wait_for: the tests' own (testlib.sh: ports drawn below the
# kernel's ephemeral range). Its EXIT trap runs no cleanup here (none is
# registered): the cluster outlives this script until `stop`.
. "$(dirname "$0")/testlib.sh"

# alive PID: running, not a zombie (an orphan's zombie may never be reaped
# where pid 1 does not reap: kill -0 would say it lives)
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$st" ] && [ "${st#Z}" = "$st" ]; }

not_alive() { ! alive "$1"; }
stop_cluster() {
	[ -f "$DIR/env" ] || [ -d "$DIR/run" ] || return 0
	local pids="" p
	for f in "$DIR"/run/*.pid; do
		[ -f "$f" ] && pids="$pids $(cat "$f" 2>/dev/null)"
	done
	# slurmstepd (it inherited slurmd's SLURM_CONF) and every job process under it
	descend() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do echo "$c"; descend "$c"; done; }
	for p in $(pgrep -x slurmstepd 2>/dev/null); do
		if { tr "\0" "\n" <"/proc/$p/environ"; } 2>/dev/null | grep -qx "SLURM_CONF=$DIR/slurm.conf"; then
			pids="$pids $p $(descend "$p" | tr '\n' ' ')"
		fi
	done
	# and anything else of this cluster's jobs (orphaned job scripts and their
	# children: their environment or command line names this directory)
	for f in /proc/[0-9]*/environ; do
		p=${f#/proc/}; p=${p%/environ}
		[ "$p" = "$$" ] && continue
		if grep -qsF "$DIR/" "$f" 2>/dev/null || grep -qsF "$DIR/" "/proc/$p/cmdline" 2>/dev/null; then
			pids="$pids $p"
		fi
	done
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do
		wait_for 5 not_alive "$p" || kill -KILL "$p" 2>/dev/null
	done
	return 0
}

start_cluster() {
	local cpus=${1:-32}
	mkdir -p "$DIR"
	chmod 755 "$DIR"
	mkdir -p "$DIR/run" "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/munge"
	chmod 755 "$DIR/run" "$DIR/log" "$DIR/munge"
	local d=$DIR
	while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null; d=$(dirname "$d"); done
	dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
	chmod 400 "$DIR/munge/munge.key"
	dd if=/dev/urandom of="$DIR/jwt.key" bs=32 count=1 status=none
	chmod 600 "$DIR/jwt.key"
	local ctld_port slurmd_port rest_port
	ctld_port=$(free_port); slurmd_port=$(free_port); rest_port=$(free_port)
	while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
	while [ "$rest_port" = "$ctld_port" ] || [ "$rest_port" = "$slurmd_port" ]; do rest_port=$(free_port); done
	cat >"$DIR/slurm.conf" <<EOF
ClusterName=schedtest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$DIR/jwt.key
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/slurmd-%n
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,default_queue_depth=1000
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
MaxJobCount=20000
ReturnToService=2
MpiDefault=none
InactiveLimit=0
KillWait=2
MinJobAge=300
NodeName=localhost CPUs=$cpus RealMemory=64000 State=UNKNOWN
PartitionName=batch Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:50
EOF
	chmod 644 "$DIR/slurm.conf"
	export SLURM_CONF=$DIR/slurm.conf
	munged --key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.socket" \
		--pid-file="$DIR/run/munged.pid" --log-file="$DIR/log/munged.log" \
		--seed-file="$DIR/munge/seed" --force >/dev/null 2>&1 ||
		{ echo "slurm-cluster: munged did not start: $(tail -3 "$DIR/log/munged.log" 2>/dev/null)" >&2; return 1; }
	slurmctld -f "$DIR/slurm.conf" -i >/dev/null 2>&1 ||
		{ echo "slurm-cluster: slurmctld did not start" >&2; return 1; }
	slurmd -f "$DIR/slurm.conf" -N localhost >/dev/null 2>&1 ||
		{ echo "slurm-cluster: slurmd did not start" >&2; return 1; }
	wait_for 15 sh -c "timeout 5 sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'" ||
		{ echo "slurm-cluster: node not idle: $(timeout 5 sinfo 2>&1 | tail -2); $(tail -3 "$DIR/log/slurmctld.log")" >&2; return 1; }
	local token
	token=$(timeout 10 scontrol token username=root lifespan=86400 2>/dev/null | sed -n 's/^SLURM_JWT=//p')
	[ -n "$token" ] || { echo "slurm-cluster: scontrol token gave nothing" >&2; return 1; }
	umask 077; printf '%s\n' "$token" >"$DIR/token"; umask 022
	echo "$rest_port" >"$DIR/run/rest_port"
	start_rest || return 1
	cat >"$DIR/env" <<EOF
SLURM_CONF=$DIR/slurm.conf
SLURM_URL=http://127.0.0.1:$rest_port
SLURM_TOKEN_FILE=$DIR/token
SLURM_REST_PORT=$rest_port
EOF
}

# slurmrestd as nobody, its own auth: the clients' JWT
start_rest() {
	local port token
	port=$(cat "$DIR/run/rest_port"); token=$(cat "$DIR/token")
	( cd "$DIR/run" && SLURM_JWT=daemon exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
		slurmrestd -f "$DIR/slurm.conf" -a rest_auth/jwt -s openapi/v0.0.38 "127.0.0.1:$port" \
		>>"$DIR/log/slurmrestd.log" 2>&1 ) &
	echo $! >"$DIR/run/slurmrestd.pid"
	wait_for 30 sh -c "curl -s -m 5 -H 'X-SLURM-USER-NAME: root' -H 'X-SLURM-USER-TOKEN: $token' \
		http://127.0.0.1:$port/slurm/v0.0.38/ping | grep -q ping" ||
		{ echo "slurm-cluster: slurmrestd not answering: $(tail -3 "$DIR/log/slurmrestd.log")" >&2; return 1; }
}
stop_rest() {
	local p
	p=$(cat "$DIR/run/slurmrestd.pid" 2>/dev/null) || return 0
	kill -TERM "$p" 2>/dev/null
	wait_for 10 not_alive "$p" || kill -KILL "$p" 2>/dev/null
	rm -f "$DIR/run/slurmrestd.pid"
}

case "$cmd" in
start)
	# A port found free can be taken before the daemon binds it (other
	# tests run beside this one): start again on fresh ports.
	for attempt in 1 2 3; do
		start_cluster "${3:-32}" && exit 0
		stop_cluster
		rm -rf "$DIR/run" "$DIR/state" "$DIR/spool" "$DIR/env"
		echo "slurm-cluster: attempt $attempt failed; again on new ports" >&2
	done
	exit 1 ;;
stop) stop_cluster ;;
stop-rest) stop_rest ;;
start-rest) start_rest ;;
*) echo "usage: $0 start|stop DIR [CPUS]" >&2; exit 2 ;;
esac
