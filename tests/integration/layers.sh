#!/bin/bash
# layers.sh: the include layering of docs/architecture.md holds on this tree
# (tests/tools/check-layers.sh passes), and the check can fail: on a copy of
# the tree, each kind of forbidden include is reported with its file and line.
. "$ROOT/tests/tools/testlib.sh"
CHECK="$ROOT/tests/tools/check-layers.sh"

note "the tree keeps its layers"
"$CHECK" "$ROOT" >tree.out 2>&1 || fail "layering broken on the tree: $(cat tree.out)"

# A copy of the product directories, to break on purpose.
copy() {
	rm -rf t && mkdir t
	(cd "$ROOT" && cp -r lib executors scheduler ui-cli jobs tools "$WORK/t/")
	"$CHECK" "$WORK/t" >/dev/null 2>&1 || fail "the untouched copy does not pass"
}
# breaks FILE INCLUDE EXPECT: adding #include "INCLUDE" at the end of FILE
# makes the check fail with a line naming FILE and EXPECT.
breaks() {
	copy
	printf '#include "%s"\n' "$2" >>"t/$1"
	local line; line=$(wc -l <"t/$1")
	"$CHECK" "$WORK/t" >bad.out 2>&1 && fail "$1 including $2 was not reported"
	grep -qF "$1:$line: includes \"$2\"" bad.out || fail "no report naming $1:$line: $(cat bad.out)"
	grep -qF "$3" bad.out || fail "report without '$3': $(cat bad.out)"
}

note "each forbidden arrow is reported"
breaks lib/buf.c scheduler/slog.h "lib/ may include only lib/"
breaks lib/xalloc.h jobs/common/job.h "lib/ may include only lib/"
breaks executors/launcher.c scheduler/store.h "executors/ may include only lib/, executors/"
breaks jobs/common/job.c scheduler/tz.h "jobs/common/ may include only lib/, jobs/common/"
breaks jobs/rollup/period.c scheduler/cron.h "jobs/rollup/ may include"
breaks jobs/rollup/period.c jobs/overspeed/window.h "jobs/rollup/ may include"
breaks jobs/common/records.c jobs/rollup/rollup.h "jobs/common/ may include"
breaks ui-cli/grid.c jobs/common/job.h "ui-cli/ may include"
breaks scheduler/dag.c ui-cli/schedctl.h "scheduler/ may include"
breaks scheduler/store.c jobs/common/records.h "scheduler/ may include"
breaks tools/rowctl/rowctl.c scheduler/store.h "tools/rowctl/ may include"
breaks jobs/overspeed/rule.c jobs/overspeed/window.c "never includes a .c file"

note "allowed arrows are not reported"
copy
printf '#include "lib/buf.h"\n' >>t/jobs/rollup/period.c
printf '#include "executors/launcher.h"\n' >>t/ui-cli/grid.c
printf '#include "jobs/common/records.h"\n' >>t/tools/rowctl/rowctl.c
"$CHECK" "$WORK/t" >ok.out 2>&1 || fail "allowed includes reported: $(cat ok.out)"

note "a file outside every known part is reported, a new job or tool is covered"
copy
mkdir -p t/jobs/newjob t/tools/newtool
printf '#include "jobs/common/job.h"\n' >t/jobs/newjob/newjob.c
printf '#include "jobs/common/job.h"\n' >t/tools/newtool/newtool.c
"$CHECK" "$WORK/t" >ok.out 2>&1 || fail "new job or tool directory rejected: $(cat ok.out)"
printf '#include "jobs/newjob/x.h"\n' >>t/tools/newtool/newtool.c
"$CHECK" "$WORK/t" >bad.out 2>&1 && fail "a tool including a job was not reported"
grep -qF 'tools/newtool/newtool.c:2: includes "jobs/newjob/x.h"' bad.out || fail "report: $(cat bad.out)"
copy
mkdir -p t/api && printf '#include "lib/buf.h"\n' >t/api/server.c
"$CHECK" "$WORK/t" >bad.out 2>&1 && fail "a file of an unknown part (api/) was not reported"
grep -qF 'api/server.c: not in any known part' bad.out || fail "report: $(cat bad.out)"
copy
mkdir -p t/lib/sub && printf '#include "jobs/common/job.h"\n' >t/lib/sub/y.c
"$CHECK" "$WORK/t" >bad.out 2>&1 && fail "lib/sub/y.c including jobs/ was not reported"
grep -qF 'lib/sub/y.c:1: includes "jobs/common/job.h"' bad.out || fail "report: $(cat bad.out)"
echo "ok"
