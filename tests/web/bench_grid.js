/* bench_grid.js: time to first render of /dags/big/grid in headless Chromium
 * (tests/bench/bench_web_ui.sh). Signs in once, loads the page once to fill
 * the cache as a user's browser has it, then 7 times: from the navigation's
 * start until the 5,000 cells are in the page. Prints "MEDIAN_MS BYTES"
 * (BYTES: what the first load of the grid transferred, every response). */
'use strict';
const { chromium } = require(process.env.PW);

(async () => {
	const ctx = await chromium.launchPersistentContext(process.env.PROFILE, {
		executablePath: '/usr/bin/chromium', headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--no-first-run'],
	});
	const page = ctx.pages()[0] || await ctx.newPage();
	const errors = [];
	page.on('pageerror', e => errors.push(e.message));
	page.on('console', m => m.type() === 'error' && errors.push(m.text()));
	await page.goto(process.env.BASE + '/login');
	await page.fill('#username', process.env.USER_NAME);
	await page.fill('#password', process.env.USER_PASS);
	await page.click('#login button[type=submit]');
	await page.waitForSelector('#dags');
	const url = process.env.BASE + '/dags/big/grid';
	const rendered = () => page.waitForFunction(() => document.querySelectorAll('#grid .cell a').length === 5000 && performance.now(),
		null, { timeout: 60000, polling: 'raf' });
	/* the first load of the grid: what it transfers (the static files are
	 * in the cache since the sign-in page, as for a user) */
	await page.goto(url);
	await rendered();
	const bytes = await page.evaluate(() => performance.getEntriesByType('navigation')
		.concat(performance.getEntriesByType('resource')).reduce((s, e) => s + e.transferSize, 0));
	const times = [];
	for (let i = 0; i < 7; i++) {
		await page.goto(url);
		/* the page's own clock when the cells are there: from the start of
		 * the navigation, without the round trip of asking */
		const h = await rendered();
		times.push(await h.jsonValue());
	}
	await ctx.close();
	if (errors.length)
		throw new Error('browser errors: ' + errors.join('; '));
	times.sort((a, b) => a - b);
	console.log(times[3].toFixed(0) + ' ' + bytes);
})().catch(e => { console.error(e.stack); process.exit(1); });
