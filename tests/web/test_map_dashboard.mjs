// tests/web/test_map_dashboard.mjs - the grid map draws every grid of
// GET /places and a marker for every located case of GET /cases (and follows the
// filters), the density layer draws; the dashboard shows the very figures of
// GET /stats (counts, rates, whistles, months, rankings) and draws its charts.
//   node tests/web/test_map_dashboard.mjs --bin build/asan/chuishao
import {
  takeBin, startServer, stopServer, launch, newPage, signIn, apiCall, token, assert, assertEq, assertClean, suite,
} from './lib.mjs';

function chinaDate(d = new Date()) {
  return new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
}

await suite('map and dashboard', async () => {
  const server = await startServer(takeBin());
  const browser = await launch();
  return { server, browser, base: server.base, tok: await token(server.base, 'zhihui') };
}, [
  ['the map draws the grids and a marker per located case', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'zhihui');
    await page.getByRole('link', { name: '网格地图' }).click();
    await page.locator('#map[data-ready="1"]').waitFor();
    const grids = (await apiCall(ctx.base, 'GET', '/places?format=geojson&kind=grid', undefined, ctx.tok)).json.features;
    assertEq(await page.locator('#map path.grid-poly').count(), grids.length, 'grid polygons drawn');
    assert(grids.length === 240, `the demo has 240 grids (${grids.length})`);
    assertEq(await page.locator('#map path[data-grid="53011100800201"]').count(), 1, 'grid 53011100800201 drawn');
    const cases = (await apiCall(ctx.base, 'GET', '/cases?limit=1000', undefined, ctx.tok)).json.items.filter((c) => c.lat !== null);
    const markers = await page.locator('#map path.case-marker').evaluateAll((els) => els.map((e) => Number(e.dataset.case)).sort((a, b) => a - b));
    assertEq(markers, cases.map((c) => c.id).sort((a, b) => a - b), 'one marker per located case');
    // A marker opens (from the keyboard) a popup that links to its case.
    const one = cases[0];
    await page.locator(`#map path[data-case="${one.id}"]`).focus();
    await page.keyboard.press('Enter');
    await page.locator('.leaflet-popup', { hasText: `#${one.id}` }).waitFor();
    assertEq(await page.evaluate(() => document.activeElement.textContent), '打开案件', 'the focus is on the popup\'s link');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/cases/${one.id}`);
    // The case page's map link centres the map on the case with its popup open.
    await page.locator(`a[href="/map?case=${one.id}"]`).click();
    await page.waitForURL(`**/map?case=${one.id}`);
    await page.locator('.leaflet-popup', { hasText: `#${one.id}` }).waitFor();
    // The state filter.
    await page.getByLabel('状态').selectOption('closed');
    await page.getByRole('button', { name: '应用' }).click();
    const closed = cases.filter((c) => c.state === 'closed').map((c) => String(c.id));
    await page.waitForFunction((n) => document.querySelector('#map').dataset.cases === n, String(closed.length));
    assertEq(await page.locator('#map path.case-marker').evaluateAll((els) => els.map((e) => e.dataset.case)), closed, 'closed cases only');
    // The density layer.
    await page.getByLabel('密度').check();
    await page.locator('#map canvas.heat-layer').waitFor({ state: 'attached' });
    await assertClean(page, 'map');
    await page.context().close();
  }],
  ['the dashboard shows the figures of GET /stats', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base, { viewport: { width: 1280, height: 900 } });
    ctx.lastPage = page;
    await signIn(page, 'lingdao');
    const to = chinaDate();
    const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    await page.goto(`/dashboard?from=${from}&to=${to}`);
    await page.locator('.dash-body[data-ready="1"]').waitFor();
    const leader = await token(ctx.base, 'lingdao');
    const stats = async (by) => (await apiCall(ctx.base, 'GET', `/stats?from=${from}&to=${to}&by=${by}`, undefined, leader)).json;
    const s = (await stats('none')).total;
    assert(s.received > 0, 'the demo period has cases');
    for (const k of ['received', 'registered', 'due_to_close', 'closed', 'visits']) {
      assertEq(await page.locator(`[data-count="${k}"]`).getAttribute('data-value'), String(s[k]), `count ${k}`);
    }
    const rates = Object.keys(s.rates);
    assert(rates.length >= 9, 'nine rates at least');
    for (const r of rates) {
      const el = page.locator(`.rate[data-rate="${r}"]`);
      const got = await el.evaluate((e) => [Number(e.dataset.num), Number(e.dataset.den), e.dataset.value === '' ? null : Number(e.dataset.value)]);
      assertEq(got, [s.rates[r].num, s.rates[r].den, s.rates[r].value], `rate ${r}`);
      const shown = await el.locator('.rate-value').textContent();
      assertEq(shown, s.rates[r].value === null ? '—' : `${(s.rates[r].value * 100).toFixed(1)}%`, `rate ${r} as shown`);
    }
    const w = s.whistles;
    for (const x of [...w.by_type.map((b) => [b.type, b]), ['all', w]]) {
      const row = page.locator(`tr[data-wtype="${x[0]}"]`);
      assertEq(await row.evaluate((e) => [Number(e.dataset.count), Number(e.dataset.units), Number(e.dataset.ontime)]),
        [x[1].count, x[1].units, x[1].ontime.num], `whistles ${x[0]}`);
    }
    const months = (await stats('month')).rows;
    assertEq(await page.locator('tr[data-month]').evaluateAll((els) => els.map((e) => [e.dataset.month, ...[...e.querySelectorAll('td')].map((td) => Number(td.textContent))])),
      months.map((m) => [m.key, m.received, m.registered, m.closed]), 'monthly trend');
    for (const by of ['unit', 'grid']) {
      const rows = (await stats(by)).rows.filter((r) => r.rank !== null).sort((a, b) => a.rank - b.rank);
      const shown = await page.locator(`table[data-rank="${by}"] tbody tr`).evaluateAll((els) => els.map((e) => [e.dataset.key, Number(e.querySelector('td').textContent), Number(e.querySelector('[data-score]').dataset.score)]));
      assertEq(shown, rows.map((r) => [r.key, r.rank, r.score]), `${by} ranking`);
    }
    for (const id of ['chart-rates', 'chart-trend', 'chart-units', 'chart-stages']) {
      assertEq(await page.locator(`#${id} canvas`).count(), 1, `chart ${id} drawn`);
    }
    // Another scope: a community's figures.
    await page.getByLabel('范围').selectOption('community:530111008002');
    await page.getByRole('button', { name: '应用' }).click();
    await page.waitForURL(/scope=community/);
    await page.locator('.dash-body[data-ready="1"]').waitFor();
    const sc = (await apiCall(ctx.base, 'GET', `/stats?from=${from}&to=${to}&scope=community:530111008002`, undefined, leader)).json.total;
    assertEq(await page.locator('[data-count="received"]').getAttribute('data-value'), String(sc.received), 'community: received');
    assertEq(await page.locator('.rate[data-rate="response"]').evaluate((e) => [Number(e.dataset.num), Number(e.dataset.den)]),
      [sc.rates.response.num, sc.rates.response.den], 'community: response rate');
    // The report card of the period downloads in the interface language.
    for (const [format, check] of [['html', (b) => b.toString('utf8').includes('<html lang="zh-Hans"')], ['xlsx', (b) => b.subarray(0, 2).toString() === 'PK']]) {
      await page.getByLabel('格式').selectOption(format);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载报告卡' }).click()]);
      assertEq(download.suggestedFilename(), `chuishao-report-${from}-${to}.${format}`, 'file name');
      const chunks = [];
      for await (const c of await download.createReadStream()) chunks.push(c);
      assert(check(Buffer.concat(chunks)), `the ${format} report card is what GET /report gives`);
    }
    // A period that ends before it starts: the API's message next to the field, the dates kept.
    await page.getByLabel(/^起/).fill(to);
    await page.getByLabel(/^止/).fill(from);
    await page.getByRole('button', { name: '应用' }).click();
    await page.locator('.period [data-error-for="to"]:not([hidden]), .period .form-error:not([hidden])').first().waitFor();
    assertEq(await page.getByLabel(/^起/).inputValue(), to, 'the typed date is kept');
    await assertClean(page, 'dashboard');
    await page.context().close();
  }],
], async (ctx) => {
  if (!ctx) return;
  await ctx.browser.close();
  await stopServer(ctx.server);
});
