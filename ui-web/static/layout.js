/* layout.js: the layered drawing of a DAG for the graph page, no library.
 *
 * layoutDag(n, up) takes n tasks and, for each, the indexes of its upstream
 * tasks, and returns where each task goes:
 *   1. layering by longest path: a task's layer is one more than the
 *      deepest of its upstreams (roots are layer 0), so every edge points
 *      from a lower layer to a higher one;
 *   2. ordering inside a layer by barycentre: sweeps down then up, each
 *      task sorted by the mean position of its neighbours in the layer just
 *      placed (ties keep the previous order, so the result is stable);
 *      the order with the fewest crossings seen is kept.
 * Edges that skip layers are drawn straight to their target; with 200 tasks
 * of the example shapes this stays readable (measured in tests/web/).
 * Cycles cannot come from the store (the loader refuses them); if one did,
 * the tasks on it are put in the last layer rather than looping.
 * Works in the browser (window.SchedLayout) and in node (module.exports),
 * where tests/web/test_layout.js checks it. */
'use strict';
(function (root) {
	function layers(n, up) {
		const layer = new Array(n).fill(-1);
		const down = [];
		const indeg = new Array(n).fill(0);
		for (let i = 0; i < n; i++)
			down.push([]);
		for (let i = 0; i < n; i++)
			for (const u of up[i])
				if (u >= 0 && u < n && u !== i) {
					down[u].push(i);
					indeg[i]++;
				}
		const queue = [];
		for (let i = 0; i < n; i++)
			if (indeg[i] === 0) {
				queue.push(i);
				layer[i] = 0;
			}
		for (let q = 0; q < queue.length; q++) {
			const u = queue[q];
			for (const v of down[u]) {
				if (layer[u] + 1 > layer[v])
					layer[v] = layer[u] + 1;
				if (--indeg[v] === 0)
					queue.push(v);
			}
		}
		let max = 0;
		for (let i = 0; i < n; i++)
			if (layer[i] > max)
				max = layer[i];
		for (let i = 0; i < n; i++)
			if (indeg[i] > 0)	/* on a cycle */
				layer[i] = max + 1;
		return { layer, down };
	}

	/* Edge crossings between consecutive layers for the positions pos. */
	function crossings(n, up, layer, pos) {
		const byLayer = new Map();
		for (let v = 0; v < n; v++)
			for (const u of up[v])
				if (layer[v] === layer[u] + 1) {
					const k = layer[u];
					if (!byLayer.has(k))
						byLayer.set(k, []);
					byLayer.get(k).push([pos[u], pos[v]]);
				}
		let c = 0;
		for (const edges of byLayer.values()) {
			edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
			for (let i = 0; i < edges.length; i++)
				for (let j = i + 1; j < edges.length; j++)
					if (edges[j][0] > edges[i][0] && edges[j][1] < edges[i][1])
						c++;
		}
		return c;
	}

	function layoutDag(n, up) {
		const { layer, down } = layers(n, up);
		let nl = 0;
		for (let i = 0; i < n; i++)
			nl = Math.max(nl, layer[i] + 1);
		const rows = [];
		for (let l = 0; l < nl; l++)
			rows.push([]);
		for (let i = 0; i < n; i++)
			rows[layer[i]].push(i);
		const pos = new Array(n).fill(0);
		const place = () => rows.forEach(r => r.forEach((v, k) => { pos[v] = k; }));
		place();
		let best = pos.slice(), bestC = crossings(n, up, layer, pos);
		const sweep = (l, nbrs) => {
			const bary = new Map();
			for (const v of rows[l]) {
				const ns = nbrs[v].filter(u => Math.abs(layer[u] - l) === 1);
				bary.set(v, ns.length ? ns.reduce((s, u) => s + pos[u], 0) / ns.length : pos[v]);
			}
			rows[l].sort((a, b) => bary.get(a) - bary.get(b) || pos[a] - pos[b]);
			rows[l].forEach((v, k) => { pos[v] = k; });
		};
		for (let it = 0; it < 6 && bestC > 0; it++) {
			for (let l = 1; l < nl; l++)
				sweep(l, up);
			for (let l = nl - 2; l >= 0; l--)
				sweep(l, down);
			const c = crossings(n, up, layer, pos);
			if (c < bestC) {
				bestC = c;
				best = pos.slice();
			}
		}
		let width = 0;
		for (const r of rows)
			width = Math.max(width, r.length);
		return { layer, pos: best, layers: nl, width, crossings: bestC };
	}

	const api = { layoutDag, crossings };
	if (typeof module !== 'undefined' && module.exports)
		module.exports = api;
	else
		root.SchedLayout = api;
})(this);
