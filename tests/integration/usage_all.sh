# usage_all.sh: every program's command line has the same manners
# (lib/options.h): --help prints "usage: ..." and an "options:" list on
# stdout and exits 0; an unknown option exits 2 with a did-you-mean hint naming
# the nearest option; the jobs say it on their logfmt error line.
. "$ROOT/tests/tools/testlib.sh"

# program|args before the option|a misspelt option|the option it should suggest
cases=(
	"schedctl|runs etl|--lats|--last"
	"schedulerd||--dgas|--dags"
	"loggen|status|--dat|--date"
	"loggen|driver|--relatime|--realtime"
	"spool-loader||--wrk-dat|--wrk-date"
	"rollup|status-day|--scr|--src"
	"rollup|status-week|--weeks|--week"
	"rollup|status-month|--mont|--month"
	"rollup|status-year|--yaer|--year"
	"rollup|drive-day|--stor|--store"
	"rollup|drive-week|--dets|--dest"
	"rollup|drive-month|--require-compete|--require-complete"
	"tail2kafka||--brokrs|--brokers"
	"kafka2hbase||--kafka-confg|--kafka-config"
	"overspeed||--exit-at-oef|--exit-at-eof"
	"redis-audit||--dry-rn|--dry-run"
	"rowctl||--jsno|--json"
	"kafka-devbroker||--bootstrap-fil|--bootstrap-file"
	"schedweb||--lisen|--listen"
)
jobs=" loggen spool-loader rollup tail2kafka kafka2hbase overspeed redis-audit "
for c in "${cases[@]}"; do
	IFS='|' read -r prog pre bad want <<<"$c"
	# shellcheck disable=SC2086
	out=$("$BIN/$prog" $pre --help 2>"$WORK/help.err"); rc=$?
	assert_eq 0 $rc "$prog $pre --help exit code ($(cat "$WORK/help.err"))"
	echo "$out" | grep -q "^usage: $prog" || fail "$prog $pre --help: no usage line: $out"
	echo "$out" | grep -q "^options:" || fail "$prog $pre --help: no options list"
	echo "$out" | grep -q -- "-h, --help" || fail "$prog $pre --help: --help not listed"
	echo "$out" | grep -q -- "  $want" || fail "$prog $pre --help: $want not listed"
	# shellcheck disable=SC2086
	"$BIN/$prog" $pre "$bad" x >"$WORK/out" 2>"$WORK/err" </dev/null; rc=$?
	assert_eq 2 $rc "$prog $pre $bad exit code"
	grep -q -- "unknown option '$bad'; did you mean '$want'?" "$WORK/err" ||
		fail "$prog $pre $bad: no hint for $want: $(cat "$WORK/err")"
	case "$jobs" in *" $prog "*)
		grep -q "level=error job=$prog msg=\"\?usage" "$WORK/err" || fail "$prog: not a logfmt usage line: $(cat "$WORK/err")"
	esac
done
# The jobs with subcommands: a misspelt subcommand gets a hint too.
for c in "loggen|drivr|driver" "rollup|drive-dya|drive-day"; do
	IFS='|' read -r prog bad want <<<"$c"
	"$BIN/$prog" "$bad" >/dev/null 2>"$WORK/err"; rc=$?
	assert_eq 2 $rc "$prog $bad exit code"
	grep -q "did you mean '$want'?" "$WORK/err" || fail "$prog $bad: no hint: $(cat "$WORK/err")"
done
# A short option only where the table gives one: -X for the Kafka clients.
"$BIN/tail2kafka" -Q x >/dev/null 2>"$WORK/err"; assert_eq 2 $? "tail2kafka -Q"
echo ok
