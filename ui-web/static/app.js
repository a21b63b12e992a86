/* app.js: the web UI of schedweb, one script, no framework, no build step.
 *
 * Every address (/, /login, /dags/ID/grid, /dags/ID/graph,
 * /dags/ID/runs/RUN, /dags/ID/runs/RUN/tasks/TASK) serves the same shell
 * (index.html); route() picks the page from location.pathname, so each
 * address is bookmarkable and links move with history.pushState.
 *
 * Invariants:
 *   - every string that comes from the server reaches the page through
 *     textContent or an attribute set with setAttribute (el() below); no
 *     innerHTML anywhere, so a DAG id or a log line is never markup;
 *   - a state is shown as a letter and a colour together (the letters of
 *     `schedctl grid`, ui-cli/table.c), never by colour alone;
 *   - one page at a time: a page's pollers are registered with poll() and
 *     stopped when the next page renders (S.gen counts renders, and a late
 *     answer of an old page is dropped);
 *   - writes carry the session's CSRF token (X-CSRF-Token); action buttons
 *     are drawn only for operators and admins, and each asks first.
 * Reads of the grid, graph, run, task and DAG list come from schedweb's
 * private /ui/ endpoints (ui.c: one request per page, compact); writes and
 * logs go through Airflow's /api/v1. */
'use strict';
(function () {
	const S = { user: null, role: null, csrf: null, gen: 0, timers: [] };
	const POLL_MS = 2000;

	/* The letters and names of ui-cli/table.c's states. */
	const STATES = [
		['success', 'S'], ['failed', 'F'], ['upstream_failed', 'U'], ['up_for_retry', 'R'],
		['running', 'r'], ['restarting', 'x'], ['crash_loop', 'C'], ['queued', 'q'],
		['scheduled', 's'], ['skipped', 'k'], ['none', '.'],
	];
	const LETTER = new Map(STATES);
	const stateLetter = s => (s ? (LETTER.get(s) || '?') : ' ');
	const stateClass = s => 'st st-' + (LETTER.has(s) ? s : (s ? 'unknown' : 'blank'));

	/* ---- DOM building: the one way text reaches the page */
	function el(tag, attrs, ...kids) {
		const e = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === null || v === undefined || v === false)
				continue;
			if (k === 'text')
				e.textContent = String(v);
			else if (k.startsWith('on'))
				e.addEventListener(k.slice(2), v);
			else
				e.setAttribute(k, v === true ? '' : String(v));
		}
		for (const c of kids.flat(Infinity))
			if (c !== null && c !== undefined && c !== false)
				e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
		return e;
	}
	/* Replaces parent's children by kids (nested arrays flattened, null,
	 * undefined and false left out: the DOM's own replaceChildren would turn
	 * them into text). */
	function fill(parent, ...kids) {
		parent.replaceChildren(...kids.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
		return parent;
	}
	const svg = (tag, attrs) => {
		const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
		for (const [k, v] of Object.entries(attrs || {}))
			e.setAttribute(k, String(v));
		return e;
	};
	const enc = encodeURIComponent;
	const link = (href, text, attrs) => el('a', Object.assign({ href, 'data-nav': true, text }, attrs || {}));
	const canWrite = () => S.role === 'operator' || S.role === 'admin';

	function badge(state, extra) {
		return el('span', Object.assign({ class: stateClass(state), title: state || 'no task instance' }, extra || {}),
			stateLetter(state));
	}
	function fmtTime(iso) {
		if (!iso)
			return '';
		const d = new Date(iso);
		return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
	}
	function fmtDur(sec) {
		if (sec === null || sec === undefined)
			return '';
		if (sec < 60)
			return sec.toFixed(sec < 10 ? 1 : 0) + ' s';
		if (sec < 3600)
			return Math.floor(sec / 60) + ' min ' + Math.round(sec % 60) + ' s';
		return Math.floor(sec / 3600) + ' h ' + Math.round((sec % 3600) / 60) + ' min';
	}

	/* ---- the server */
	class HttpError extends Error {
		constructor(status, detail) {
			super(detail);
			this.status = status;
		}
	}
	async function api(method, url, body, opts) {
		const headers = { Accept: (opts && opts.accept) || 'application/json' };
		if (method !== 'GET' && S.csrf)
			headers['X-CSRF-Token'] = S.csrf;
		if (body !== undefined)
			headers['Content-Type'] = 'application/json';
		const r = await fetch(url, {
			method, headers, credentials: 'same-origin', cache: 'no-cache',
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const type = r.headers.get('Content-Type') || '';
		const doc = type.includes('json') ? await r.json().catch(() => null) : await r.text();
		if (!r.ok) {
			const detail = doc && typeof doc === 'object' ? (doc.detail || doc.title) : (doc || r.statusText);
			if (r.status === 401 && !(opts && opts.quiet401))
				toLogin();
			throw new HttpError(r.status, r.status + ' ' + detail);
		}
		return doc;
	}

	/* ---- chrome: header, messages, confirmation */
	const main = () => document.getElementById('main');
	function flash(text, kind) {
		const box = document.getElementById('flash');
		fill(box, el('div', { class: 'msg ' + (kind || 'ok'), role: 'status', text }));
	}
	function header() {
		const who = document.getElementById('who');
		fill(who);
		if (S.user) {
			who.append(el('span', { class: 'user', text: S.user + ' (' + S.role + ')' }),
				el('button', { type: 'button', id: 'signout', class: 'link', onclick: signOut, text: 'Sign out' }));
		}
	}
	/* A modal confirmation; resolves with the form's values or null. */
	function confirmDialog(title, body, okText) {
		return new Promise(resolve => {
			const dlg = el('dialog', { class: 'confirm', 'aria-label': title });
			const form = el('form', { method: 'dialog' },
				el('h2', { text: title }), body || null,
				el('div', { class: 'buttons' },
					el('button', { value: 'cancel', type: 'submit', class: 'secondary', text: 'Cancel' }),
					el('button', { value: 'ok', type: 'submit', id: 'confirm-ok', text: okText || 'OK' })));
			dlg.append(form);
			dlg.addEventListener('close', () => {
				const ok = dlg.returnValue === 'ok';
				const values = ok ? Object.fromEntries(new FormData(form).entries()) : null;
				dlg.remove();
				resolve(values);
			});
			document.body.append(dlg);
			dlg.showModal();
		});
	}
	async function act(title, body, okText, fn) {
		const v = await confirmDialog(title, body, okText);
		if (!v)
			return;
		try {
			const msg = await fn(v);
			flash(msg || title + ': done');
			route();
		} catch (e) {
			flash(title + ' failed: ' + e.message, 'error');
		}
	}

	/* ---- pages */
	function poll(fn) {
		const gen = S.gen;
		const tick = async () => {
			if (gen !== S.gen)
				return;
			try {
				await fn(gen);
			} catch (e) {
				if (gen === S.gen)
					flash('update failed: ' + e.message, 'error');
			}
			if (gen === S.gen)
				S.timers.push(setTimeout(tick, POLL_MS));
		};
		S.timers.push(setTimeout(tick, POLL_MS));
	}

	function pageLogin() {
		document.title = 'Sign in - schedweb';
		const err = el('p', { class: 'error', role: 'alert' });
		const form = el('form', { class: 'login', id: 'login' },
			el('h1', { text: 'Sign in' }),
			el('label', { text: 'User' }, el('input', { name: 'username', id: 'username', autocomplete: 'username', required: true })),
			el('label', { text: 'Password' }, el('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true })),
			el('button', { type: 'submit', text: 'Sign in' }), err);
		form.addEventListener('submit', async ev => {
			ev.preventDefault();
			const f = new FormData(form);
			try {
				await api('POST', '/api/session', { username: f.get('username'), password: f.get('password') }, { quiet401: true });
				await whoami();
				const next = new URLSearchParams(location.search).get('next');
				go(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
			} catch (e) {
				err.textContent = e.status === 401 ? 'Wrong user or password.' : e.message;
			}
		});
		fill(main(), form);
	}

	async function signOut() {
		try {
			await api('DELETE', '/api/session');
		} catch (e) {
			/* signed out already */
		}
		S.user = S.role = S.csrf = null;
		header();
		go('/login');
	}

	function recentBars(recent, dagId) {
		return el('span', { class: 'bars', 'aria-label': 'recent runs' },
			(recent || []).map(r => link('/dags/' + enc(dagId) + '/runs/' + enc(r.run_id), stateLetter(r.state),
				{ class: stateClass(r.state), title: r.run_id + ': ' + r.state })));
	}

	async function pageDags(gen) {
		document.title = 'DAGs - schedweb';
		const doc = await api('GET', '/ui/dags');
		if (gen !== S.gen)
			return;
		const parts = [el('h1', { text: 'DAGs' })];
		const errors = (doc.dags || []).filter(d => d.errors).map(d => [d.file, d.dag_id, d.errors])
			.concat((doc.import_errors || []).map(b => [b.file, null, b.errors]));
		if (errors.length)
			parts.push(el('section', { class: 'loader-errors', role: 'alert' },
				el('h2', { text: 'DAG file errors' }),
				el('ul', null, errors.map(([file, id, e]) => el('li', null,
					e.startsWith(file) ? null : [el('code', { text: file }), ': '], id ? 'DAG ' + id + ': ' : '', el('pre', { text: e }))))));
		const rows = (doc.dags || []).map(d => {
			const toggle = el('input', {
				type: 'checkbox', class: 'pause', 'data-dag': d.dag_id, checked: !d.is_paused,
				title: d.is_paused ? 'paused: click to unpause' : 'active: click to pause',
				'aria-label': (d.is_paused ? 'unpause ' : 'pause ') + d.dag_id, disabled: !canWrite(),
			});
			toggle.addEventListener('click', ev => {
				ev.preventDefault();
				const pause = !d.is_paused;
				act((pause ? 'Pause ' : 'Unpause ') + d.dag_id, el('p', {
					text: pause ? 'No new runs will be scheduled until it is unpaused.' : 'Runs due will be scheduled again.'
				}), pause ? 'Pause' : 'Unpause', () =>
					api('PATCH', '/api/v1/dags/' + enc(d.dag_id) + '?update_mask=is_paused', { is_paused: pause })
						.then(() => d.dag_id + (pause ? ' paused' : ' unpaused')));
			});
			return el('tr', { 'data-dag': d.dag_id },
				el('td', null, toggle),
				el('td', null, link('/dags/' + enc(d.dag_id) + '/grid', d.dag_id, { class: 'dag-link' }),
					d.is_paused ? el('span', { class: 'tag', text: 'paused' }) : null,
					d.description ? el('div', { class: 'desc', text: d.description }) : null),
				el('td', null, el('code', { text: d.schedule || '' }),
					d.next_run ? el('div', { class: 'small', text: 'next ' + d.next_run_local + ' ' + d.timezone }) : null),
				el('td', null, d.last_state ? badge(d.last_state) : '', ' ', d.last_state || ''),
				el('td', null, recentBars(d.recent, d.dag_id)),
				el('td', null, link('/dags/' + enc(d.dag_id) + '/graph', 'graph')));
		});
		parts.push(el('div', { class: 'scroll' }, el('table', { class: 'list', id: 'dags' },
			el('thead', null, el('tr', null, ['On', 'DAG', 'Schedule', 'Last run', 'Recent runs', ''].map(h => el('th', { text: h })))),
			el('tbody', null, rows))));
		fill(main(), ...parts);
	}

	function legend() {
		return el('p', { class: 'legend', 'aria-label': 'legend' }, 'legend: ',
			STATES.map(([s]) => el('span', { class: 'item' }, badge(s), ' ' + s)), ' (blank: no task instance)');
	}

	function dagNav(dagId, here) {
		return el('nav', { class: 'tabs' },
			link('/', 'DAGs'), ' / ', el('strong', { text: dagId }), ' ',
			here === 'grid' ? el('span', { class: 'tab on', text: 'Grid' }) : link('/dags/' + enc(dagId) + '/grid', 'Grid', { class: 'tab' }),
			here === 'graph' ? el('span', { class: 'tab on', text: 'Graph' }) : link('/dags/' + enc(dagId) + '/graph', 'Graph', { class: 'tab' }));
	}

	function dagActions(dagId, doc) {
		if (!canWrite())
			return null;
		const trigger = el('button', { type: 'button', id: 'trigger', text: 'Trigger' });
		trigger.addEventListener('click', () => {
			const params = doc.params || [];
			const body = el('div', null,
				el('label', { text: 'Run id (optional)' }, el('input', { name: 'dag_run_id' })),
				params.length ? el('fieldset', null, el('legend', { text: 'Params' }),
					params.map(p => el('label', { text: p.name }, el('input', { name: 'param:' + p.name, value: p.default === null || p.default === undefined ? '' : String(p.default) }))))
					: el('p', { class: 'small', text: 'This DAG declares no params.' }));
			act('Trigger ' + dagId, body, 'Trigger', v => {
				const req = {};
				if (v.dag_run_id)
					req.dag_run_id = v.dag_run_id;
				const conf = {};
				for (const [k, val] of Object.entries(v))
					if (k.startsWith('param:'))
						conf[k.slice(6)] = val;
				if (params.length)
					req.conf = conf;
				return api('POST', '/api/v1/dags/' + enc(dagId) + '/dagRuns', req).then(r => 'triggered ' + r.dag_run_id);
			});
		});
		return el('div', { class: 'actions' }, trigger);
	}

	async function pageGrid(gen, dagId) {
		document.title = dagId + ' grid - schedweb';
		const q = new URLSearchParams(location.search);
		const before = q.get('before');
		const url = '/ui/grid?dag_id=' + enc(dagId) + '&limit=25' + (before ? '&before=' + enc(before) : '');
		const doc = await api('GET', url);
		if (gen !== S.gen)
			return;
		/* Rows of flex boxes, not a <table>: a table of 5,000 cells costs
		 * Chromium most of a second of layout; rows out of view are not
		 * laid out at all (content-visibility: auto, app.css). */
		const table = el('div', { class: 'grid', id: 'grid', role: 'grid', 'aria-label': 'runs of ' + dagId });
		const tip = el('div', { class: 'tip', id: 'tip', role: 'tooltip', hidden: true });
		const nav = el('p', { class: 'pager' });
		fill(main(), dagNav(dagId, 'grid'), dagActions(dagId, doc), legend(), nav,
			el('div', { class: 'scroll' }, table), tip);
		let shown = null, shownText = '';
		const show = td => {
			if (!shown || !td || !td.parentNode || td.parentNode.dataset.i === undefined)
				return;
			const c = Array.prototype.indexOf.call(td.parentNode.children, td) - 1;	/* after the row header */
			const cell = shown.cells[+td.parentNode.dataset.i][c];
			if (!cell)
				return;
			fill(tip, el('strong', { text: td.dataset.task }), el('br'), shown.runs[c].run_id, el('br'),
				'state: ' + cell[0], el('br'), 'try: ' + cell[1],
				cell[2] !== null ? [el('br'), 'duration: ' + fmtDur(cell[2])] : '',
				cell[3] ? [el('br'), 'cause: ' + cell[3]] : '',
				cell.length > 4 ? [el('br'), 'mapped instances: ' + cell[4]] : '');
			const b = td.getBoundingClientRect();
			tip.style.left = (window.scrollX + b.right + 4) + 'px';
			tip.style.top = (window.scrollY + b.top) + 'px';
			tip.hidden = false;
		};
		const hide = () => { tip.hidden = true; };
		table.addEventListener('mouseover', ev => {
			const td = ev.target.closest('.cell');
			td ? show(td) : hide();
		});
		table.addEventListener('mouseleave', hide);
		table.addEventListener('focusin', ev => show(ev.target.closest('.cell')));
		table.addEventListener('focusout', hide);
		const draw = d => {
			fill(nav,
				d.older ? link('/dags/' + enc(dagId) + '/grid?before=' + enc(d.older), '\u2039 older runs', { id: 'older' }) : '',
				before ? [' ', link('/dags/' + enc(dagId) + '/grid', 'newest runs \u203a', { id: 'newest' })] : '',
				' ', el('span', { class: 'small', text: d.total_runs + ' runs in all' }));
			const runs = d.runs;
			const head = el('div', { class: 'row head', role: 'row' }, el('span', { class: 'task', role: 'columnheader', text: 'task' }),
				runs.map(r => el('span', { class: 'run', role: 'columnheader', title: r.run_id + ' ' + r.state },
					link('/dags/' + enc(dagId) + '/runs/' + enc(r.run_id), r.label, { class: 'label' }), badge(r.state))));
			/* 5,000 cells for 25 runs of 200 tasks: built with plain DOM
			 * calls, hover handled once for the grid (above). */
			const base = '/dags/' + enc(dagId) + '/runs/';
			const rows = d.tasks.map((t, i) => {
				const tr = document.createElement('div');
				tr.className = 'row';
				tr.setAttribute('role', 'row');
				tr.dataset.i = i;
				/* A mapped task is one row: its aggregate state, and its
				 * newest instance count after its name (the instances
				 * are listed on its page). */
				const mc = d.map_counts ? d.map_counts[i] : null;
				const name = mc === null || mc === undefined ? t : t + ' [' + mc + ']';
				tr.append(el('span', { class: 'task', role: 'rowheader', title: name, text: name }));
				runs.forEach((r, c) => {
					const cell = d.cells[i][c];
					const state = cell ? cell[0] : null;
					const td = document.createElement('span');
					td.className = 'cell';
					td.setAttribute('role', 'gridcell');
					td.dataset.task = t;
					td.dataset.state = state || '';
					const a = document.createElement(cell ? 'a' : 'span');
					a.className = stateClass(state);
					a.textContent = cell ? stateLetter(state) : ' ';
					if (cell) {
						a.setAttribute('href', base + enc(r.run_id) + '/tasks/' + enc(t));
						a.setAttribute('data-nav', '');
						a.setAttribute('aria-label', t + ' ' + r.run_id + ' ' + state);
					}
					td.append(a);
					tr.append(td);
				});
				return tr;
			});
			shown = d;
			fill(table, runs.length ? [head, rows] : el('p', { class: 'small', text: 'No runs yet.' }));
		};
		draw(doc);
		shownText = JSON.stringify(doc);
		poll(async g => {
			const d = await api('GET', url);
			const text = JSON.stringify(d);
			if (g === S.gen && text !== shownText) {	/* a 304 gives the same body again */
				shownText = text;
				draw(d);
			}
		});
	}

	async function pageGraph(gen, dagId, runId) {
		document.title = dagId + ' graph - schedweb';
		const q = new URLSearchParams(location.search);
		runId = runId || q.get('run_id');
		const url = '/ui/graph?dag_id=' + enc(dagId) + (runId ? '&run_id=' + enc(runId) : '');
		const doc = await api('GET', url);
		if (gen !== S.gen)
			return;
		const tasks = doc.tasks;
		const L = window.SchedLayout.layoutDag(tasks.length, tasks.map(t => t.up));
		const W = 170, H = 34, GX = 60, GY = 14;
		const width = L.layers * (W + GX) + 20, height = Math.max(1, L.width) * (H + GY) + 20;
		const box = svg('svg', { id: 'graph', width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'task graph of ' + dagId });
		const xy = i => [10 + L.layer[i] * (W + GX), 10 + L.pos[i] * (H + GY)];
		const edges = svg('g', { class: 'edges' });
		tasks.forEach((t, v) => t.up.forEach(u => {
			const [x1, y1] = xy(u), [x2, y2] = xy(v);
			const a = x1 + W, b = y1 + H / 2, c = x2, d = y2 + H / 2, m = (a + c) / 2;
			edges.append(svg('path', { d: `M${a},${b} C${m},${b} ${m},${d} ${c},${d}` }));
		}));
		box.append(edges);
		/* A node's title and label: state letter, id, and a mapped task's
		 * instance count in the run ("load [50]"). */
		const nodeText = (t, title, label) => {
			const mc = t.map_count ? ' [' + t.map_count + ']' : '';
			title.textContent = t.id + (t.state ? ': ' + t.state : '') + (t.map_count ? ' (' + t.map_count + ' mapped instances)' : '');
			label.textContent = (t.state ? stateLetter(t.state) + ' ' : '') +
				(t.id.length + mc.length > 20 ? t.id.slice(0, Math.max(1, 19 - mc.length)) + '\u2026' : t.id) + mc;
		};
		const nodes = svg('g', { class: 'nodes' });
		tasks.forEach((t, i) => {
			const [x, y] = xy(i);
			const g = svg('g', { class: 'node ' + (t.state ? stateClass(t.state) : 'st-blank'), transform: `translate(${x},${y})` });
			const title = svg('title');
			const label = svg('text', { x: 8, y: H / 2 + 5 });
			nodeText(t, title, label);
			g.append(title, svg('rect', { width: W, height: H, rx: 5 }), label);
			if (runId) {
				const a = svg('a', { href: '/dags/' + enc(dagId) + '/runs/' + enc(doc.run_id) + '/tasks/' + enc(t.id), 'data-nav': '' });
				a.append(g);
				nodes.append(a);
			} else {
				nodes.append(g);
			}
		});
		box.append(nodes);
		fill(main(), dagNav(dagId, 'graph'),
			el('p', { class: 'small' }, tasks.length + ' tasks in ' + L.layers + ' layers',
				doc.run_id ? [', states of run ', link('/dags/' + enc(dagId) + '/runs/' + enc(doc.run_id), doc.run_id)] : ' (no run: open a run for its states)'),
			doc.run_id ? legend() : null, el('div', { class: 'scroll graph' }, box));
		if (doc.run_id)
			poll(async g => {
				const d = await api('GET', url);
				if (g !== S.gen)
					return;
				const nodesNow = box.querySelectorAll('g.node');
				d.tasks.forEach((t, i) => {
					if (nodesNow[i] && t.state)
						nodesNow[i].setAttribute('class', 'node ' + stateClass(t.state));
					if (nodesNow[i])
						nodeText(t, nodesNow[i].querySelector('title'), nodesNow[i].querySelector('text'));
				});
			});
	}

	function kv(pairs) {
		return el('dl', { class: 'kv' }, pairs.filter(p => p[1] !== null && p[1] !== undefined && p[1] !== '')
			.map(([k, v]) => [el('dt', { text: k }), el('dd', null, v)]));
	}

	function runActions(dagId, runId, d) {
		if (!canWrite())
			return null;
		const base = '/api/v1/dags/' + enc(dagId) + '/dagRuns/' + enc(runId);
		const mk = (id, text, fn) => el('button', { type: 'button', id, onclick: fn, text });
		const mark = state => () => act('Mark run ' + runId + ' ' + state,
			el('p', { text: 'Every unfinished task instance of the run is marked ' + state + '.' }), 'Mark ' + state,
			() => api('PATCH', base, { state }).then(() => 'run marked ' + state));
		return el('div', { class: 'actions' },
			mk('clear-run', 'Clear run', () => act('Clear every task of ' + runId,
				el('p', { text: 'Every task instance of this run runs again.' }), 'Clear',
				() => api('POST', '/api/v1/dags/' + enc(dagId) + '/clearTaskInstances',
					{ dag_run_id: runId, dry_run: false, only_failed: false })
					.then(r => 'cleared ' + (r.task_instances || []).length + ' task instances'))),
			mk('mark-success', 'Mark success', mark('success')),
			mk('mark-failed', 'Mark failed', mark('failed')),
			d.run.state === 'running' || d.run.state === 'queued' ? mk('stop', 'Stop', () => act('Stop run ' + runId,
				el('p', { text: 'Running tries are terminated and the run ends failed.' }), 'Stop',
				() => api('POST', base + '/x-stop', {}).then(() => 'run stopped'))) : null);
	}

	async function pageRun(gen, dagId, runId) {
		document.title = runId + ' - schedweb';
		const url = '/ui/run?dag_id=' + enc(dagId) + '&run_id=' + enc(runId);
		const d = await api('GET', url);
		if (gen !== S.gen)
			return;
		const tasksBox = el('div', { class: 'scroll' });
		const eventsBox = el('div', { class: 'scroll' });
		const head = el('div');
		const draw = d => {
			fill(head, kv([
				['state', [badge(d.run.state), ' ' + d.run.state]], ['run id', d.run.run_id], ['type', d.run.run_type],
				['logical date', fmtTime(d.run.logical_date)], ['started', fmtTime(d.run.start_date)],
				['ended', fmtTime(d.run.end_date)], ['DAG version', d.run.version ? String(d.run.version) : 'current'],
				['conf', d.run.conf ? el('pre', { text: JSON.stringify(d.run.conf, null, 2) }) : '{}'],
			]));
			/* A mapped task's instances are listed on its page, not here:
			 * its row says how many (a task of 2,000 stays one row). */
			const mapped = new Map();
			d.task_instances.forEach(t => {
				const m = t.map_index >= 0 ? /^(.+)\[\d+\]$/.exec(t.task_id) : null;
				if (m)
					mapped.set(m[1], (mapped.get(m[1]) || 0) + 1);
			});
			fill(tasksBox, el('table', { class: 'list', id: 'tasks' },
				el('thead', null, el('tr', null, ['task', 'state', 'try', 'started', 'duration', 'cause'].map(h => el('th', { text: h })))),
				el('tbody', null, d.task_instances.filter(t => !(t.map_index >= 0)).map(t => el('tr', { 'data-task': t.task_id, 'data-state': t.state },
					el('td', null, link('/dags/' + enc(dagId) + '/runs/' + enc(runId) + '/tasks/' + enc(t.task_id), t.task_id),
						mapped.has(t.task_id) ? el('span', { class: 'small', text: ' [' + mapped.get(t.task_id) + ' instances]' }) : ''),
					el('td', null, badge(t.state), ' ' + t.state), el('td', { text: mapped.has(t.task_id) ? '' : t.try_number }),
					el('td', { text: fmtTime(t.start_date) }), el('td', { text: fmtDur(t.duration) }),
					el('td', { text: t.cause || '' }))))));
			fill(eventsBox, el('table', { class: 'list', id: 'events' },
				el('thead', null, el('tr', null, ['when', 'task', 'try', 'from', 'to', 'cause', 'by'].map(h => el('th', { text: h })))),
				el('tbody', null, d.events.map(e => el('tr', null, el('td', { text: fmtTime(e.when) }), el('td', { text: e.task_id || '(run)' }),
					el('td', { text: e.try_number || '' }), el('td', { text: e.old_state || '' }), el('td', { text: e.new_state || '' }),
					el('td', { text: e.cause || '' }), el('td', { text: e.actor || 'scheduler' }))))));
		};
		draw(d);
		fill(main(), dagNav(dagId, 'run'), el('h1', { text: 'Run ' + runId }),
			runActions(dagId, runId, d), head,
			el('p', null, link('/dags/' + enc(dagId) + '/graph?run_id=' + enc(runId), 'graph of this run')),
			el('h2', { text: 'Task instances' }), tasksBox, el('h2', { text: 'Events' }), eventsBox);
		poll(async g => {
			const n = await api('GET', url);
			if (g === S.gen)
				draw(n);
		});
	}

	async function pageTask(gen, dagId, runId, taskId) {
		document.title = taskId + ' - schedweb';
		const url = '/ui/ti?dag_id=' + enc(dagId) + '&run_id=' + enc(runId) + '&task_id=' + enc(taskId);
		const d = await api('GET', url);
		if (gen !== S.gen)
			return;
		/* A mapped instance "task[N]" is task_id + map_index in Airflow's API. */
		const mapped = /^(.+)\[(\d+)\]$/.exec(taskId);
		const tiBase = '/api/v1/dags/' + enc(dagId) + '/dagRuns/' + enc(runId) + '/taskInstances/' +
			(mapped ? enc(mapped[1]) + '/' + mapped[2] : enc(taskId));
		const taskPage = id => '/dags/' + enc(dagId) + '/runs/' + enc(runId) + '/tasks/' + enc(id);
		const info = el('div'), triesBox = el('div', { class: 'scroll' });
		const instHead = el('h2', { text: 'Mapped instances' }), instBox = el('div', { class: 'scroll' });
		const logPre = el('pre', { class: 'log', id: 'log', 'aria-live': 'polite' });
		const logHead = el('p', { class: 'small' });
		const follow = el('input', { type: 'checkbox', id: 'follow', checked: true });
		/* A mapped task's own instance never has a try: its page shows its
		 * instances instead of tries and a log. */
		const ownTries = el('div', null, el('h2', { text: 'Tries' }), triesBox,
			el('h2', { text: 'Log' }), el('label', { class: 'small' }, follow, ' follow'), logHead, logPre);
		let shownTry = 0, token = null, logTry = 0;
		const draw = d => {
			fill(info, kv([
				['state', [badge(d.state), ' ' + d.state]],
				(d.instances || []).length ? ['mapped', d.instances.length + ' instances'] : ['try', d.try_number + ' of ' + d.max_tries],
				['cause', d.cause], ['result', d.result ? el('pre', { id: 'result', text: JSON.stringify(d.result, null, 2) }) : null],
			]));
			fill(triesBox, el('table', { class: 'list', id: 'tries' },
				el('thead', null, el('tr', null, ['try', 'state', 'start', 'end', 'duration', 'exit', 'cause', 'log'].map(h => el('th', { text: h })))),
				el('tbody', null, d.tries.map(y => el('tr', null, el('td', { text: y.try_number }),
					el('td', null, badge(y.state), ' ' + y.state), el('td', { text: fmtTime(y.start_date) }),
					el('td', { text: fmtTime(y.end_date) }), el('td', { text: fmtDur(y.duration) }),
					el('td', { text: y.signal ? 'signal ' + y.signal : (y.exit_code === null ? '' : y.exit_code) }),
					el('td', { text: y.cause || '' }),
					el('td', null, y.start_date ? el('button', { type: 'button', class: 'link', text: 'log', onclick: () => showLog(y.try_number) }) : ''))))));
			/* A mapped task's instances, each with a link to its page
			 * (its tries and its log). */
			const inst = d.instances || [];
			instHead.hidden = instBox.hidden = inst.length === 0;
			ownTries.hidden = inst.length > 0;
			fill(instBox, inst.length ? el('table', { class: 'list', id: 'instances' },
				el('thead', null, el('tr', null, ['map index', 'state', 'try', 'started', 'duration', 'cause', 'log'].map(h => el('th', { text: h })))),
				el('tbody', null, inst.map(x => el('tr', { 'data-task': x.task_id, 'data-state': x.state },
					el('td', null, link(taskPage(x.task_id), String(x.map_index))),
					el('td', null, badge(x.state), ' ' + x.state), el('td', { text: x.try_number }),
					el('td', { text: fmtTime(x.start_date) }), el('td', { text: fmtDur(x.duration) }),
					el('td', { text: x.cause || '' }),
					el('td', null, x.try_number > 0 ? link(taskPage(x.task_id), 'log') : ''))))) : '');
		};
		/* The log of one try, then, while following, what the try appends
		 * (Airflow's JSON log answer with its continuation_token). */
		const readLog = async (tryNo, g) => {
			const q = token ? '?token=' + enc(token) : '';
			const r = await api('GET', tiBase + '/logs/' + tryNo + q);
			if (g !== S.gen || tryNo !== logTry)
				return;
			if (r.content)
				logPre.append(document.createTextNode(r.content));
			token = r.continuation_token || token;
			if (follow.checked)
				logPre.scrollTop = logPre.scrollHeight;
		};
		const showLog = async n => {
			logTry = n;
			token = null;
			fill(logPre);
			logHead.textContent = 'log of try ' + n;
			await readLog(n, S.gen);
		};
		draw(d);
		fill(main(), dagNav(dagId, 'task'),
			el('h1', null, 'Task ' + taskId + ' of run ', link('/dags/' + enc(dagId) + '/runs/' + enc(runId), runId)),
			mapped ? el('p', null, 'Instance ' + mapped[2] + ' of the mapped task ', link(taskPage(mapped[1]), mapped[1], { id: 'mapped-task' })) : null,
			taskActions(dagId, runId, taskId),
			info, instHead, instBox,
			el('h2', { text: 'Command' }), el('pre', { id: 'command', text: commandText(d.command) }),
			ownTries);
		/* The newest try that has started: a try row comes a moment before
		 * its log file, and a cleared instance counts its next try first. */
		const started = d => {
			const t = d.tries.filter(y => y.start_date);
			return t.length ? t[t.length - 1].try_number : 0;
		};
		shownTry = started(d);
		if (shownTry > 0)
			await showLog(shownTry);
		else
			logHead.textContent = 'no try yet';
		poll(async g => {
			const n = await api('GET', url);
			if (g !== S.gen)
				return;
			draw(n);
			const latest = started(n);
			if (latest !== shownTry && latest > 0) {
				shownTry = latest;
				if (follow.checked)
					await showLog(shownTry);
			} else if (follow.checked && logTry > 0) {
				await readLog(logTry, g);
			}
		});
	}

	/* The rendered command as a shell would read it (ui_data.c ui_command). */
	function commandText(c) {
		if (!c)
			return '(the DAG file of this run is not stored, or no longer loads)';
		const q = a => (/^[\w@%+=:,./-]+$/.test(a) ? a : "'" + a.replace(/'/g, "'\\''") + "'");
		const lines = [];
		if (c.argv.length)
			lines.push(c.shell ? '/bin/sh -c ' + q(c.argv.join(' ')) : c.argv.map(q).join(' '));
		if (c.wait_for)
			lines.push('wait for ' + c.wait_for);
		return lines.join('\n');
	}

	function taskActions(dagId, runId, taskId) {
		if (!canWrite())
			return null;
		const b = el('button', { type: 'button', id: 'clear-task', text: 'Clear' });
		b.addEventListener('click', () => act('Clear ' + taskId,
			el('div', null, el('p', { text: 'The task instance runs again.' }),
				el('label', null, el('input', { type: 'checkbox', name: 'downstream', id: 'downstream', checked: true }), ' with its downstream tasks')),
			'Clear', v => api('POST', '/api/v1/dags/' + enc(dagId) + '/clearTaskInstances', {
				dag_run_id: runId, task_ids: [taskId], include_downstream: v.downstream === 'on', dry_run: false, only_failed: false,
			}).then(r => 'cleared ' + (r.task_instances || []).map(t => (t.map_index >= 0 ? t.task_id + '[' + t.map_index + ']' : t.task_id)).join(', '))));
		return el('div', { class: 'actions' }, b);
	}

	/* ---- routing */
	const ROUTES = [
		[/^\/login$/, pageLogin, false],
		[/^\/$/, pageDags, true],
		[/^\/dags\/([^/]+)\/grid$/, pageGrid, true],
		[/^\/dags\/([^/]+)\/graph$/, pageGraph, true],
		[/^\/dags\/([^/]+)\/runs\/([^/]+)$/, pageRun, true],
		[/^\/dags\/([^/]+)\/runs\/([^/]+)\/tasks\/([^/]+)$/, pageTask, true],
	];
	function toLogin() {
		if (location.pathname !== '/login')
			go('/login?next=' + enc(location.pathname + location.search));
	}
	async function whoami() {
		const me = await api('GET', '/api/session', undefined, { quiet401: true });
		S.user = me.username || me.user || me.name;
		S.role = me.role;
		S.csrf = me.csrf_token || S.csrf;
		header();
	}
	async function route() {
		S.gen++;
		S.timers.forEach(clearTimeout);
		S.timers = [];
		const path = location.pathname;
		for (const [re, page, needsUser] of ROUTES) {
			const m = re.exec(path);
			if (!m)
				continue;
			if (needsUser && !S.user) {
				try {
					await whoami();
				} catch (e) {
					if (e.status === 401)
						return toLogin();
					throw e;
				}
			}
			const gen = S.gen;
			try {
				await page(gen, ...m.slice(1).map(decodeURIComponent));
			} catch (e) {
				if (!(e instanceof HttpError))
					console.error(e);	/* a bug of this script: tests fail on it */
				if (gen === S.gen && e.status !== 401)
					fill(main(), el('p', { class: 'error', role: 'alert', text: e.message }));
			}
			return;
		}
		fill(main(), el('p', { class: 'error', text: 'No page at ' + path }));
	}
	function go(url) {
		history.pushState(null, '', url);
		fill(document.getElementById('flash'));
		route();
	}
	document.addEventListener('click', ev => {
		const a = ev.target.closest && ev.target.closest('a[data-nav]');
		if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0)
			return;
		ev.preventDefault();
		go(a.getAttribute('href'));
	});
	window.addEventListener('popstate', route);
	route();
})();
