# schedctl_usage.sh: the manners shared by every subcommand: --help (exit 0),
# usage errors (exit 2) naming the flag, unknown commands and options with the
# nearest name, no colour when not a terminal or with NO_COLOR.
source "$ROOT/tests/tools/testlib.sh"
source "$ROOT/tests/tools/schedctl_fixture.sh"

for c in dags validate trigger backfill clear runs status logs pause unpause test graph grid; do
	out=$("$BIN/schedctl" $c --help) || fail "$c --help exit $?"
	echo "$out" | grep -q "^usage: schedctl $c" || fail "$c --help usage line"
	echo "$out" | grep -q -- '--help' || fail "$c --help lists --help"
done
"$BIN/schedctl" --help | grep -q 'Exit codes' || fail "schedctl --help"
"$BIN/schedctl" >/dev/null 2>&1; assert_eq 2 $? "no command"
err=$("$BIN/schedctl" trigerr etl 2>&1); assert_eq 2 $? "unknown command"
echo "$err" | grep -q "did you mean 'trigger'" || fail "nearest command: $err"
err=$(sc runs etl --lats 3 2>&1); assert_eq 2 $? "unknown option"
echo "$err" | grep -q "did you mean '--last'" || fail "nearest option: $err"
err=$(sc runs etl --last 2>&1); assert_eq 2 $? "option without value"
echo "$err" | grep -q -- '--last needs a value' || fail "names the flag: $err"
sc runs etl --last x >/dev/null 2>&1; assert_eq 2 $? "non-numeric --last"
sc runs etl --json=1 >/dev/null 2>&1; assert_eq 2 $? "flag with value"
sc runs etl --last=1 >/dev/null || fail "--name=value form"
# Colour: never when stdout is not a terminal; on a pseudo-terminal only without NO_COLOR.
r=$(add_run 2026-03-01 failed); add_ti "$r" load failed
case "$(sc grid etl)" in *$'\033['*) fail "colour in a pipe";; esac
if command -v script >/dev/null; then
	out=$(env -u NO_COLOR script -qec "$BIN/schedctl --state $STATE grid etl" /dev/null)
	case "$out" in *$'\033['*) ;; *) fail "colour on a terminal: $out";; esac
	out=$(NO_COLOR=1 script -qec "$BIN/schedctl --state $STATE grid etl" /dev/null)
	case "$out" in *$'\033['*) fail "colour with NO_COLOR";; esac
fi
echo ok
