# web_ui_layout.sh: the graph page's layered layout (ui-web/static/layout.js)
# checked in node, without a browser: tests/web/test_layout.js.
source "$ROOT/tests/tools/testlib.sh"
command -v node >/dev/null || fail "node is needed (apt-get install nodejs)"
node "$ROOT/tests/web/test_layout.js" "$ROOT/ui-web/static/layout.js" || fail "layout"
echo ok
