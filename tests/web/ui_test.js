/* ui_test.js: the web UI in a real Chromium (tests/integration/web_ui.sh
 * starts schedulerd and schedweb and runs this with node).
 *
 * Drives Debian's /usr/bin/chromium through playwright-core (installed by the
 * shell test into a test-only folder under the build directory; it downloads
 * no browser). Fails on any JavaScript error, console error, failed request
 * or HTTP error answer other than the ones a step expects, and saves a
 * screenshot of each page in SHOTS.
 *
 * Environment: PW (playwright-core's folder), BASE (http://127.0.0.1:PORT),
 * SHOTS (screenshot folder), PROFILE (a fresh --user-data-dir), OP_USER /
 * OP_PASS (an operator), VIEW_USER / VIEW_PASS (a viewer), DEMO_DIR (the
 * folder web_demo's tasks write into). */
'use strict';
const { chromium } = require(process.env.PW);
const path = require('path');

const BASE = process.env.BASE;
const SHOTS = process.env.SHOTS;
const T = 60000;	/* the bound of every wait: generous, costs nothing when fast */
const problems = [];
const expected = [];	/* [status, url substring] a step expects to fail */
const refused = [];	/* the URLs of expected refusals seen (Chromium logs them too) */

function step(s) {
	console.log('--- ' + s);
}
function check(cond, what) {
	if (!cond)
		throw new Error('check failed: ' + what);
}

function watch(page, who) {
	page.on('pageerror', e => problems.push(who + ': page error: ' + e.message));
	page.on('console', m => {
		if (m.type() !== 'error')
			return;
		const loc = m.location() ? m.location().url : '';
		/* Chromium logs every HTTP error answer as a console error; those
		 * a step expects are accounted for by the response handler. */
		if (/Failed to load resource/.test(m.text()) && refused.some(u => loc.includes(u)))
			return;
		problems.push(who + ': console error: ' + m.text() + ' ' + loc);
	});
	page.on('requestfailed', r => {
		const why = (r.failure() || {}).errorText;
		/* A page.goto while the grid's poll (a GET) is in flight cancels it:
		 * the navigation's doing, not a failure of the server. */
		if (why === 'net::ERR_ABORTED' && r.method() === 'GET')
			return;
		refused.some(u => r.url().includes(u)) || problems.push(who + ': request failed: ' + r.url() + ' ' + why);
	});
	page.on('response', r => {
		if (r.status() < 400)
			return;
		const i = expected.findIndex(([st, u]) => st === r.status() && r.url().includes(u));
		if (i >= 0)
			refused.push(...expected.splice(i, 1).map(([, u]) => u));
		else
			problems.push(who + ': HTTP ' + r.status() + ' ' + r.request().method() + ' ' + r.url());
	});
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

async function signIn(page, user, pass) {
	await page.goto(BASE + '/login');
	await page.fill('#username', user);
	await page.fill('#password', pass);
	await page.click('#login button[type=submit]');
	await page.waitForSelector('#dags', { timeout: T });
}

/* Confirms the open dialog and waits for the action's message. */
async function confirm(page, msg) {
	await page.click('#confirm-ok');
	await page.waitForFunction(m => {
		const f = document.querySelector('#flash .msg');
		return f && f.textContent.includes(m);
	}, msg, { timeout: T });
	const f = await page.textContent('#flash .msg');
	check(!f.includes('failed'), 'action message: ' + f);
	return f;
}

async function main() {
	const ctx = await chromium.launchPersistentContext(process.env.PROFILE, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--no-first-run'],
		viewport: { width: 1280, height: 900 },
	});
	const page = ctx.pages()[0] || await ctx.newPage();
	watch(page, 'operator');

	step('the page answers carry the CSP');
	const first = await page.goto(BASE + '/login');
	const csp = first.headers()['content-security-policy'] || '';
	check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), 'CSP header: ' + csp);
	await shot(page, 'login');

	step('sign in, the DAG list');
	await signIn(page, process.env.OP_USER, process.env.OP_PASS);
	for (const d of ['hello', 'reprocess', 'web_demo'])
		await page.waitForSelector(`#dags tr[data-dag="${d}"]`, { timeout: T });
	/* web_demo's description is markup: shown as text, never run */
	const desc = await page.textContent('#dags tr[data-dag="web_demo"] .desc');
	check(desc.includes('<img src=x onerror=alert(1)>'), 'description shown as text: ' + desc);
	check(await page.$('#dags img') === null, 'no element made from a description');
	check(await page.$('.loader-errors') !== null, 'the broken DAG file is shown');
	check((await page.textContent('.loader-errors')).includes('broken.yaml'), 'the broken file is named');
	await shot(page, 'dags');

	step('the grid of web_demo, trigger with a param');
	await page.click('#dags tr[data-dag="web_demo"] a.dag-link');
	await page.waitForURL(/\/dags\/web_demo\/grid$/);
	await page.waitForSelector('#grid');
	await shot(page, 'grid-empty');
	await page.click('#trigger');
	await page.fill('dialog input[name="param:word"]', 'browser-was-here');
	const msg = await confirm(page, 'triggered');
	const runId = msg.replace(/^.*triggered /, '').trim();
	check(runId.length > 0, 'run id in the message: ' + msg);

	step('cells turn success on their own (polling, no reload)');
	const nav = await page.evaluate(() => performance.getEntriesByType('navigation').length);
	await page.waitForFunction(() => {
		const cells = [...document.querySelectorAll('#grid .cell')];
		return cells.length === 3 && cells.every(c => c.dataset.state === 'success');
	}, null, { timeout: T });
	check(await page.evaluate(() => performance.getEntriesByType('navigation').length) === nav, 'no reload');
	await shot(page, 'grid-success');

	step('hover, then a task instance and its log');
	await page.hover('#grid .cell[data-task="say"]');
	await page.waitForSelector('#tip:not([hidden])');
	const tip = await page.textContent('#tip');
	check(tip.includes('state: success') && tip.includes('try: 1'), 'hover details: ' + tip);
	await page.click('#grid .cell[data-task="say"] a');
	await page.waitForURL(/\/tasks\/say$/);
	await page.waitForFunction(() => (document.getElementById('log') || {}).textContent &&
		document.getElementById('log').textContent.includes('browser-was-here'), null, { timeout: T });
	check((await page.textContent('#tries')).includes('success'), 'tries table');
	check((await page.textContent('#result')).includes('"words"'), 'JSON result line');
	const cmd = await page.textContent('#command');
	check(cmd.includes('echo "said browser-was-here"'), 'the command rendered with the run\'s params: ' + cmd);
	await shot(page, 'task');

	step('clear say with downstream: it reruns');
	await page.click('#clear-task');
	check(await page.isChecked('#downstream'), 'downstream is the default');
	const cleared = await confirm(page, 'cleared');
	check(cleared.includes('say') && cleared.includes('count') && cleared.includes('done'), 'cleared with downstream: ' + cleared);
	await page.waitForFunction(() => {
		const rows = document.querySelectorAll('#tries tbody tr');
		return rows.length === 2 && rows[1].textContent.includes('success');
	}, null, { timeout: T });
	await shot(page, 'task-rerun');

	step('the run page');
	await page.click('h1 a');
	await page.waitForSelector('#tasks tr[data-task="done"][data-state="success"]', { timeout: T });
	check((await page.textContent('#events')).includes(process.env.OP_USER), 'the clear is in the events with its actor');
	check((await page.textContent('dl.kv')).includes('browser-was-here'), 'the run conf is shown');
	await shot(page, 'run');

	step('the graph, of the DAG and of the run');
	await page.goto(BASE + '/dags/web_demo/graph');
	await page.waitForSelector('#graph g.node');
	check(await page.$$eval('#graph g.node', n => n.length) === 3, 'three nodes');
	await page.goto(BASE + '/dags/web_demo/graph?run_id=' + encodeURIComponent(runId));
	await page.waitForSelector('#graph g.node.st-success');
	await shot(page, 'graph');

	step('a mapped task: one grid row with its count, its instances on its page');
	await page.goto(BASE + '/dags/web_map/grid');
	await page.waitForSelector('#grid .cell[data-task="load"]');
	const heads = await page.$$eval('#grid .row [role=rowheader]', n => n.map(e => e.textContent));
	check(heads.join('|') === 'list|load [3]|report', 'one row per task, the mapped one with its count: ' + heads.join('|'));
	await page.hover('#grid .cell[data-task="load"]');
	await page.waitForSelector('#tip:not([hidden])');
	check((await page.textContent('#tip')).includes('mapped instances: 3'), 'hover: the instance count');
	await page.click('#grid .cell[data-task="load"] a');
	await page.waitForURL(/\/tasks\/load$/);
	const mapRun = decodeURIComponent(page.url().replace(/^.*\/runs\/([^/]+)\/tasks\/load$/, '$1'));
	await page.waitForSelector('#instances tbody tr[data-state="success"]', { timeout: T });
	const inst = await page.$$eval('#instances tbody tr', n => n.map(r => r.dataset.task + ':' + r.dataset.state));
	check(inst.join(' ') === 'load[0]:success load[1]:success load[2]:success', 'the instances: ' + inst.join(' '));
	check(await page.isHidden('#tries'), 'a mapped task has no tries of its own to show');
	await shot(page, 'mapped-task');
	await page.click('#instances tbody tr[data-task="load[1]"] td a');
	await page.waitForURL(/\/tasks\/load%5B1%5D$/);
	await page.waitForFunction(() => (document.getElementById('log') || {}).textContent &&
		document.getElementById('log').textContent.includes('loading b as 1'), null, { timeout: T });
	check((await page.textContent('#command')).includes('loading b as 1'), 'the instance\'s command, rendered with its element');
	check(await page.$('#mapped-task') !== null, 'a link back to the mapped task');
	await shot(page, 'mapped-instance');
	await page.click('#clear-task');
	await page.uncheck('#downstream');
	const clearedOne = await confirm(page, 'cleared');
	check(clearedOne.trim().endsWith('cleared load[1]'), 'one instance cleared: ' + clearedOne);
	await page.waitForFunction(() => {
		const rows = document.querySelectorAll('#tries tbody tr');
		return rows.length === 2 && rows[1].textContent.includes('success');
	}, null, { timeout: T });

	step('the mapped run\'s page: one row per task, the mapped one with its count');
	await page.goto(BASE + '/dags/web_map/runs/' + encodeURIComponent(mapRun));
	await page.waitForSelector('#tasks tr[data-task="load"]');
	const runRows = await page.$$eval('#tasks tbody tr', n => n.map(r => r.dataset.task));
	check(runRows.join(' ') === 'list load report', 'the run\'s rows: ' + runRows.join(' '));
	check((await page.textContent('#tasks tr[data-task="load"]')).includes('[3 instances]'), 'the mapped task\'s count');

	step('the graph of the mapped run: the node says how many instances');
	await page.goto(BASE + '/dags/web_map/graph?run_id=' + encodeURIComponent(mapRun));
	/* (load settles to success again a moment after load[1]'s second try: polled) */
	await page.waitForFunction(() => [...document.querySelectorAll('#graph g.node text')]
		.some(e => e.textContent === 'S load [3]'), null, { timeout: T });

	step('pagination: older runs of a DAG with many runs');
	await page.goto(BASE + '/dags/reprocess/grid');
	await page.waitForSelector('#grid .run');
	check(await page.$$eval('#grid .run', n => n.length) === 25, '25 runs on the first page');
	await page.click('#older');
	await page.waitForSelector('#newest');
	const older = await page.$$eval('#grid .run', n => n.length);
	check(older === 5, 'the 5 older runs on the second page, not ' + older);
	await shot(page, 'grid-older');

	step('a narrow window');
	await page.setViewportSize({ width: 380, height: 800 });
	await page.goto(BASE + '/dags/reprocess/grid');
	await page.waitForSelector('#grid .run');
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	check(wide <= 381, 'the page does not scroll sideways at 380 px (the grid scrolls in its box): ' + wide);
	await shot(page, 'grid-narrow');
	await page.setViewportSize({ width: 1280, height: 900 });

	step('stop a queued run (reprocess is paused: its run waits)');
	await page.goto(BASE + '/dags/reprocess/grid');
	await page.waitForSelector('#trigger');
	await page.click('#trigger');
	await page.waitForSelector('dialog input[name="param:source"]');
	const m2 = await confirm(page, 'triggered');
	const run2 = m2.replace(/^.*triggered /, '').trim();
	await page.goto(BASE + '/dags/reprocess/runs/' + encodeURIComponent(run2));
	await page.waitForSelector('#stop');
	await page.click('#stop');
	await confirm(page, 'run stopped');
	await page.waitForFunction(() => !document.getElementById('stop') &&
		document.querySelector('dl.kv dd').textContent.includes('failed'), null, { timeout: T });
	await shot(page, 'run-stopped');

	step('a write without the CSRF token is refused');
	expected.push([403, '/api/v1/dags/hello']);
	const noCsrf = await page.evaluate(async () => (await fetch('/api/v1/dags/hello?update_mask=is_paused', {
		method: 'PATCH', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ is_paused: false }),
	})).status);
	check(noCsrf === 403, 'PATCH without X-CSRF-Token: ' + noCsrf);

	step('pause web_demo');
	await page.goto(BASE + '/');
	await page.waitForSelector('#dags tr[data-dag="web_demo"] input.pause');
	await page.click('#dags tr[data-dag="web_demo"] input.pause');
	await confirm(page, 'web_demo paused');
	await page.waitForSelector('#dags tr[data-dag="web_demo"] .tag');
	check(!(await page.isChecked('#dags tr[data-dag="web_demo"] input.pause')), 'toggle shows paused');
	await shot(page, 'dags-paused');

	step('sign out');
	await page.click('#signout');
	await page.waitForSelector('#login');

	step('a viewer sees no action, and a forged write is 403');
	await signIn(page, process.env.VIEW_USER, process.env.VIEW_PASS);
	check(await page.$eval('#dags tr[data-dag="web_demo"] input.pause', e => e.disabled), 'pause toggle disabled');
	await page.goto(BASE + '/dags/web_demo/grid');
	await page.waitForSelector('#grid .cell');
	check(await page.$('#trigger') === null, 'no trigger button');
	await page.goto(BASE + '/dags/web_demo/runs/' + encodeURIComponent(runId));
	await page.waitForSelector('#tasks');
	check(await page.$('.actions button') === null, 'no run actions');
	await page.goto(BASE + '/dags/web_demo/runs/' + encodeURIComponent(runId) + '/tasks/say');
	await page.waitForSelector('#tries');
	check(await page.$('#clear-task') === null, 'no clear button');
	await shot(page, 'viewer-task');
	expected.push([403, '/api/v1/dags/web_demo/dagRuns']);
	const forged = await page.evaluate(async () => {
		const me = await (await fetch('/api/session', { credentials: 'same-origin' })).json();
		const r = await fetch('/api/v1/dags/web_demo/dagRuns', {
			method: 'POST', credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
			body: JSON.stringify({ dag_run_id: 'forged' }),
		});
		return r.status;
	});
	check(forged === 403, 'a viewer\'s forged trigger: ' + forged);

	await ctx.close();
	check(expected.length === 0, 'expected refusals not seen: ' + JSON.stringify(expected));
}

main().then(() => {
	if (problems.length) {
		console.log('FAIL: ' + problems.length + ' problem(s) in the browser:\n' + problems.join('\n'));
		process.exit(1);
	}
	console.log('ok');
}, e => {
	console.log('FAIL: ' + e.stack + (problems.length ? '\nbrowser problems:\n' + problems.join('\n') : ''));
	process.exit(1);
});
