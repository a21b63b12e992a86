#!/bin/sh
# run-fuzz.sh BUILD NAME...: runs each libFuzzer harness BUILD/fuzz/NAME for
# FUZZ_SECONDS seconds (default 60) on a scratch copy of its seed corpus
# tests/fuzz/corpus/<NAME without fuzz_>/, so a run never adds files to the
# repository. ONLY=substring runs only the matching harnesses. FUZZ_SECONDS=0
# only replays the corpus, each input once (libFuzzer's -max_total_time=0 would
# mean no limit).
#
# A crash, a leak, a sanitizer report or a timeout of one input stops that
# harness; the input is kept in BUILD/fuzz-crashes/<name>/ and its path is
# printed with the command that replays it; the script then fails.
# One line per harness: executions and the corpus size before and after.
build=$1; shift
secs=${FUZZ_SECONDS:-60}
case "$secs" in ''|*[!0-9]*) echo "run-fuzz.sh: FUZZ_SECONDS must be a number of seconds, not '$secs'" >&2; exit 2 ;; esac
if [ "$secs" = 0 ]; then limit=-runs=0; else limit=-max_total_time=$secs; fi
scratch=$build/fuzz-run
crashes=$build/fuzz-crashes
failed=0; n=0
for name in "$@"; do
	short=${name#fuzz_}
	case "$name" in *"${ONLY:-}"*) ;; *) continue ;; esac
	n=$((n + 1))
	seeds=tests/fuzz/corpus/$short
	work=$scratch/$short
	rm -rf "$work"
	mkdir -p "$work/corpus" "$crashes/$short"
	if [ -d "$seeds" ]; then cp "$seeds"/* "$work/corpus/" 2>/dev/null; fi
	before=$(ls "$work/corpus" | wc -l)
	UBSAN_OPTIONS=print_stacktrace=1:${UBSAN_OPTIONS:-} "$build/fuzz/$name" -close_fd_mask=1 "$limit" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/$short/" "$work/corpus" >"$work/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n1)
	after=$(ls "$work/corpus" | wc -l)
	if [ $rc = 0 ]; then
		printf 'ok    fuzz %s (%s executions in %ss, corpus %s -> %s)\n' "$short" "${execs:-?}" "$secs" \
			"$before" "$after"
	else
		input=$(sed -n 's/^.*Test unit written to //p' "$work/log" | tail -n1)
		printf 'FAIL  fuzz %s (exit %s) input: %s\n' "$short" "$rc" "${input:-none written}"
		# an input of the corpus itself (a known crash, or a regression): name it
		if [ -n "$input" ] && [ -d "$seeds" ]; then
			for f in "$seeds"/*; do
				if cmp -s "$f" "$input"; then printf '      = %s (in the corpus)\n' "$f"; break; fi
			done
		fi
		# the report without libFuzzer's and libc's own frames
		grep -E '^(==[0-9]+==|SUMMARY|    #[0-9]|.*runtime error)' "$work/log" |
			grep -vE 'fuzzer::|libc\.so|libc-start|/libc/|nptl|sysdeps|stdlib/|_start|__sanitizer_print' | head -n 40
		[ -n "$input" ] && printf '      replay: %s/fuzz/%s %s\n' "$build" "$name" "$input"
		printf '      log: %s/log\n' "$work"
		failed=$((failed + 1))
	fi
done
echo "fuzz: $n harnesses, ${secs}s each, $failed failed"
[ $failed = 0 ]
