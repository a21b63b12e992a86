#!/bin/bash
# check-layers.sh [ROOT]: checks that no product file includes a header from a
# part it must not depend on (docs/architecture.md, "What must never depend on
# what"). Prints one line per offending #include (file:line: the include and
# the rule it breaks) and exits 1 if there is any, 0 otherwise.
#
# Every #include "..." of the project is written from the repository root
# ("lib/buf.h", "jobs/common/job.h"), so the first path components name the
# part the header belongs to. A file may include:
#   lib/...               lib/ only (the base library stands on nothing)
#   executors/...         lib/, executors/
#   scheduler/...         lib/, executors/, scheduler/
#   ui-cli/...            lib/, executors/, scheduler/, ui-cli/
#   ui-web/...            lib/, executors/, scheduler/, ui-web/
#   jobs/common/...       lib/, jobs/common/
#   jobs/<job>/...        lib/, jobs/common/, jobs/<job>/ (never another job)
#   tools/<tool>/...      lib/, jobs/common/, tools/<tool>/
# and no product file includes a .c file. tests/ may include anything (the
# tests reach into every part); it is not checked. A C file anywhere else
# (a new top-level directory) is reported until its part gets a rule here.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || { echo "check-layers: cannot enter $root" >&2; exit 2; }

# Every C file of the tree but the tests and the build directories, through
# one awk holding the rules above as a table of part -> prefixes.
find . \( -path ./.git -o -path './build*' -o -path ./tests \) -prune -o \
	-type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | sort | xargs -r awk '
function part(f,   a) {
	split(f, a, "/")
	if ((a[1] == "jobs" || a[1] == "tools") && f ~ /^[^\/]+\/[^\/]+\//)
		return a[1] "/" a[2]
	return a[1]
}
function allowed(p) {
	if (p == "lib") return "lib/"
	if (p == "executors") return "lib/ executors/"
	if (p == "scheduler") return "lib/ executors/ scheduler/"
	if (p == "ui-cli") return "lib/ executors/ scheduler/ ui-cli/"
	if (p == "ui-web") return "lib/ executors/ scheduler/ ui-web/"
	if (p == "jobs/common") return "lib/ jobs/common/"
	if (p ~ /^(jobs|tools)\//) return "lib/ jobs/common/ " p "/"
	return ""
}
FNR == 1 {
	p = part(FILENAME); ok = allowed(p)
	if (ok == "") {
		print FILENAME ": not in any known part; add it to tests/tools/check-layers.sh and docs/architecture.md"
		bad = 1
	}
}
ok != "" && /^[ \t]*#[ \t]*include[ \t]*"/ {
	inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
	if (inc ~ /\.c$/) {
		print FILENAME ":" FNR ": includes \"" inc "\": product code never includes a .c file"
		bad = 1; next
	}
	n = split(ok, pre, " "); hit = 0
	for (i = 1; i <= n; i++) if (substr(inc, 1, length(pre[i])) == pre[i]) hit = 1
	if (!hit) {
		list = ok; gsub(/ /, ", ", list)
		print FILENAME ":" FNR ": includes \"" inc "\": " p "/ may include only " list
		bad = 1
	}
}
END { exit bad }' || exit 1
