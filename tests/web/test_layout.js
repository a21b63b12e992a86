/* test_layout.js: the graph page's layout (ui-web/static/layout.js) in node:
 * layers by longest path, barycentre ordering removes avoidable crossings,
 * positions are a permutation within each layer, and a 200-task DAG is laid
 * out in a few layers of bounded width. Run by tests/integration/web_ui_layout.sh. */
'use strict';
const assert = require('assert');
const L = require(process.argv[2]);

function checkValid(n, up, r) {
	for (let v = 0; v < n; v++)
		for (const u of up[v])
			assert.ok(r.layer[u] < r.layer[v], `edge ${u}->${v} points down a layer`);
	const seen = new Map();
	for (let v = 0; v < n; v++) {
		const k = r.layer[v] + ':' + r.pos[v];
		assert.ok(!seen.has(k), `tasks ${seen.get(k)} and ${v} share a place`);
		seen.set(k, v);
		assert.ok(r.pos[v] >= 0 && r.pos[v] < r.width, 'position inside the width');
	}
}

/* longest path: d depends on a (layer 0) and c (layer 2), so d is in layer 3 */
let up = [[], [0], [1], [0, 2]];
let r = L.layoutDag(4, up);
assert.deepStrictEqual(r.layer, [0, 1, 2, 3]);
checkValid(4, up, r);

/* a crossing the file order makes (c under b, d under a) is removed */
up = [[], [], [1], [0]];
assert.strictEqual(L.crossings(4, up, [0, 0, 1, 1], [0, 1, 0, 1]), 1, 'the file order crosses');
r = L.layoutDag(4, up);
assert.strictEqual(r.crossings, 0, 'barycentre ordering uncrosses');
checkValid(4, up, r);

/* a cycle (the store never has one) does not loop */
r = L.layoutDag(3, [[2], [0], [1]]);
assert.strictEqual(r.layer.length, 3);

/* 200 tasks: 20 chains of 10 with cross links, shuffled file order */
let seed = 7;
const rand = k => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k; };
const n = 200;
const perm = [];	/* task k of the file is node perm[k] of the chains */
for (let i = 0; i < n; i++)
	perm.push(i);
for (let i = n - 1; i > 0; i--) {
	const j = rand(i + 1);
	[perm[i], perm[j]] = [perm[j], perm[i]];
}
const inv = [];
perm.forEach((c, k) => { inv[c] = k; });
up = [];
for (let k = 0; k < n; k++) {
	const c = perm[k], u = [];
	if (c % 10)
		u.push(inv[c - 1]);
	if (c % 10 && c >= 10 && rand(3) === 0)
		u.push(inv[c - 11]);
	up.push(u);
}
/* the crossings of the file order: each layer in the order of the file */
const layer0 = up.map((_, k) => perm[k] % 10), pos0 = [], count = new Array(10).fill(0);
for (let k = 0; k < n; k++)
	pos0.push(count[layer0[k]]++);
const before = L.crossings(n, up, layer0, pos0);
const t0 = process.hrtime.bigint();
r = L.layoutDag(n, up);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
checkValid(n, up, r);
assert.strictEqual(r.layers, 10);
assert.strictEqual(r.width, 20);
assert.ok(before > 100, 'the shuffled file order crosses a lot: ' + before);
assert.ok(r.crossings * 5 < before, `barycentre ordering removes most crossings (${before} -> ${r.crossings})`);
console.log(`200 tasks: ${r.layers} layers, width ${r.width}, crossings ${before} -> ${r.crossings}, ${ms.toFixed(1)} ms`);
console.log('ok');
