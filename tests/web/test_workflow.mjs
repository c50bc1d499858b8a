// tests/web/test_workflow.mjs - a case from report to rated visit, through the UI
// only, each step by the role docs/case.md names: a resident reports it from a
// phone-sized screen (with a form error first, a photo uploaded to POST /files after
// a failed first try, and the device position), the command centre registers and dispatches it, the
// department signs for it and feeds back with a photo (after an error next to the
// note field), the grid worker of its grid
// closes it, and the resident rates the return visit. The API confirms each state.
//   node tests/web/test_workflow.mjs --bin build/asan/chuishao
import {
  takeBin, startServer, stopServer, launch, newPage, signIn, apiCall, token, assert, assertEq, assertClean, suite,
} from './lib.mjs';

// A 2x2 red PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const FILE_URL = /^\/api\/v1\/files\/[0-9a-f]{64}$/;

// Waits until the stored photo url is shown on the page as an image that loaded
// (fetched with the token, shown from an object URL, linked for full size); returns
// its natural size.
async function photoShown(page, url, scope = 'ol.timeline') {
  const img = page.locator(`${scope} .attachments img[data-file="${url}"]`).first();
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  const size = await img.evaluate((el) => [el.naturalWidth, el.naturalHeight, el.src.slice(0, 5), el.closest('a').href.slice(0, 5)]);
  assertEq(size.slice(2), ['blob:', 'blob:'], 'the photo is shown from an object URL and linked');
  return size.slice(0, 2);
}
const POS = { latitude: 24.9630, longitude: 102.7440 }; // inside grid 53011100800201 (wangge01's)
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function caseState(ctx, id) {
  const r = await apiCall(ctx.base, 'GET', `/cases/${id}`, undefined, ctx.dispatcher);
  return r.json.state;
}

// Opens the case as user, clicks the action button and returns the action's form.
async function openAction(ctx, user, action) {
  const page = await newPage(ctx.browser, ctx.base);
  ctx.lastPage = page;
  await signIn(page, user);
  await page.goto(`/cases/${ctx.caseId}`);
  await page.locator(`button[data-action="${action}"]`).click();
  const form = page.locator(`form[data-action-form="${action}"]`);
  await form.waitFor();
  return { page, form };
}

async function submitAndWait(page, form, action, state) {
  await form.locator('button[type="submit"]').click();
  await page.locator(`h1 .badge[data-state="${state}"]`).waitFor();
  await page.locator(`ol.timeline li[data-action="${action}"]`).first().waitFor();
}

await suite('workflow', async () => {
  const server = await startServer(takeBin());
  const browser = await launch();
  const dispatcher = await token(server.base, 'zhihui');
  const units = (await apiCall(server.base, 'GET', '/units', undefined, dispatcher)).json.items;
  return { server, browser, base: server.base, dispatcher, hws: units.find((u) => u.code === 'HWS').id };
}, [
  ['resident reports from a phone: error next to the field, text kept, then sent', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base, { ...PHONE, geolocation: POS, permissions: ['geolocation'] });
    ctx.lastPage = page;
    await signIn(page, 'jumin1');
    await page.getByRole('link', { name: '上报' }).click();
    await page.getByLabel('搜索类别').fill('垃圾箱');
    await page.getByLabel(/^类别/).selectOption('10305');
    const text = '福保路公交站旁垃圾箱满溢，垃圾散落一地（浏览器测试）';
    await page.getByLabel(/^问题描述/).fill(text);
    // The photo's upload fails (no connection): the message is next to the photo,
    // what was typed stays; the upload is tried again when the report is sent.
    await page.route('**/api/v1/files', (r) => r.abort('failed'));
    page.expectFailure();
    await page.getByLabel('照片', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.photo-preview img').waitFor();
    const perr = page.locator('[data-error-for="photo"]');
    await perr.waitFor({ state: 'visible' });
    assert((await perr.textContent()).includes('无法连接服务器'), `the upload error is next to the photo: ${await perr.textContent()}`);
    assertEq(await page.getByLabel(/^问题描述/).inputValue(), text, 'the description is kept after a failed upload');
    await page.unroute('**/api/v1/files');
    await page.getByRole('button', { name: '使用当前位置' }).click();
    await page.locator('.grid-info[data-grid="53011100800201"]').waitFor();
    assert((await page.locator('.grid-info').textContent()).includes('福保社区第01网格'), 'the grid name is shown');
    await page.getByLabel('联系电话（可选）').fill('123');
    await page.getByRole('button', { name: '提交上报' }).click();
    const err = page.locator('[data-error-for="reporter_phone"]');
    await err.waitFor({ state: 'visible' });
    assert((await err.textContent()).includes('11 digits'), `the API's message is next to the phone field: ${await err.textContent()}`);
    assertEq(await page.getByLabel('联系电话（可选）').getAttribute('aria-invalid'), 'true', 'phone marked invalid');
    assertEq(await page.getByLabel(/^问题描述/).inputValue(), text, 'the description is kept after the error');
    assertEq(await page.getByLabel(/^类别/).inputValue(), '10305', 'the category is kept');
    await page.getByLabel('联系电话（可选）').fill('13888710004');
    // The connection fails: a message, and everything typed is still there.
    await page.route('**/api/v1/cases', (r) => r.abort('failed'));
    page.expectFailure();
    await page.getByRole('button', { name: '提交上报' }).click();
    await page.locator('.report-form .form-error:not([hidden])').waitFor();
    assert((await page.locator('.report-form .form-error').textContent()).includes('无法连接服务器'), 'the network message');
    assertEq(await page.getByLabel(/^问题描述/).inputValue(), text, 'the description is kept after a failed request');
    assertEq(await page.getByLabel('联系电话（可选）').inputValue(), '13888710004', 'the phone is kept');
    await page.unroute('**/api/v1/cases');
    await page.getByRole('button', { name: '提交上报' }).click();
    await page.waitForURL(/\/cases\/\d+/);
    ctx.caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.locator('h1 .badge[data-state="reported"]').waitFor();
    const c = (await apiCall(ctx.base, 'GET', `/cases/${ctx.caseId}`, undefined, ctx.dispatcher)).json;
    assertEq([c.state, c.grid, c.category, c.description], ['reported', '53011100800201', '10305', text], 'the stored case');
    const url = c.events[0].attachments[0];
    assert(FILE_URL.test(url), `the uploaded photo's URL is attached: ${url}`);
    assertEq(await photoShown(page, url), [2, 2], 'the photo (a 2x2 PNG, sent as JPEG) is shown');
    const f = await page.evaluate(async (u) => {
      const r = await fetch(u, { headers: { Authorization: `Bearer ${localStorage.getItem('chuishao.token')}` } });
      return [r.status, r.headers.get('content-type')];
    }, url);
    assertEq(f, [200, 'image/jpeg'], 'the stored photo is a JPEG');
    await assertClean(page, 'report page');
    await page.context().close();
  }],
  ['dispatcher sees it in the inbox, registers and dispatches it', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'zhihui');
    await page.locator(`[data-section="reported"] [data-case="${ctx.caseId}"] a`).click();
    await page.locator('button[data-action="register"]').click();
    await submitAndWait(page, page.locator('form[data-action-form="register"]'), 'register', 'registered');
    await page.locator('button[data-action="dispatch"]').click();
    const form = page.locator('form[data-action-form="dispatch"]');
    assertEq(await form.getByLabel(/^单位/).inputValue(), String(ctx.hws), 'the category\'s unit is proposed');
    await form.getByLabel('说明').fill('请环卫站尽快清运');
    await submitAndWait(page, form, 'dispatch', 'dispatched');
    assertEq(await caseState(ctx, ctx.caseId), 'dispatched', 'state after dispatch');
    await assertClean(page, 'dispatcher');
    await page.context().close();
  }],
  ['department signs for it, then feeds back (note required: error next to the field)', async (ctx) => {
    let { page, form } = await openAction(ctx, 'hws', 'sign');
    await submitAndWait(page, form, 'sign', 'accepted');
    await page.locator('button[data-action="feedback"]').click();
    form = page.locator('form[data-action-form="feedback"]');
    await form.locator('button[type="submit"]').click();
    const err = form.locator('[data-error-for="note"]');
    await err.waitFor({ state: 'visible' });
    assert((await err.textContent()).includes('note'), 'the note error is next to the note');
    await form.getByLabel('说明').fill('已清运并更换垃圾箱');
    await form.getByLabel('照片', { exact: true }).setInputFiles({ name: 'done.png', mimeType: 'image/png', buffer: PNG });
    await form.locator('.photo-preview img').waitFor();
    await submitAndWait(page, form, 'feedback', 'handled');
    assertEq(await caseState(ctx, ctx.caseId), 'handled', 'state after feedback');
    const c = (await apiCall(ctx.base, 'GET', `/cases/${ctx.caseId}`, undefined, ctx.dispatcher)).json;
    const fb = c.events.find((e) => e.action === 'feedback');
    assert(fb.attachments && FILE_URL.test(fb.attachments[0]), 'the feedback photo is attached');
    await photoShown(page, fb.attachments[0], 'ol.timeline li[data-action="feedback"]');
    await assertClean(page, 'handler');
    await page.context().close();
  }],
  ['grid worker of the grid checks and closes it', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'wangge01');
    await page.locator(`[data-section="handled"] [data-case="${ctx.caseId}"] a`).click();
    await page.locator('button[data-action="close"]').click();
    await submitAndWait(page, page.locator('form[data-action-form="close"]'), 'close', 'closed');
    assertEq(await caseState(ctx, ctx.caseId), 'closed', 'state after close');
    await assertClean(page, 'grid worker');
    await page.context().close();
  }],
  ['resident rates the return visit', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base, PHONE);
    ctx.lastPage = page;
    await signIn(page, 'jumin1');
    await page.locator(`[data-section="closed_visit"] [data-case="${ctx.caseId}"] a`).click();
    await page.locator('button[data-action="visit"]').click();
    const form = page.locator('form[data-action-form="visit"]');
    await form.locator('fieldset[data-field="resolved"] input[value="true"]').check();
    await form.locator('fieldset[data-field="satisfaction"] input[value="satisfied"]').check();
    await form.getByLabel('说明').fill('处理很及时');
    await submitAndWait(page, form, 'visit', 'visited');
    const c = (await apiCall(ctx.base, 'GET', `/cases/${ctx.caseId}`, undefined, ctx.dispatcher)).json;
    assertEq([c.state, c.visit], ['visited', { resolved: true, satisfaction: 'satisfied' }], 'the visit is stored');
    assertEq(c.events.map((e) => e.action), ['report', 'register', 'dispatch', 'sign', 'feedback', 'close', 'visit'], 'the event log');
    assertEq(await page.locator('ol.timeline li').count(), 7, 'the timeline shows every event');
    await assertClean(page, 'resident visit');
    await page.context().close();
  }],
  ['吹哨报到: the command centre blows a whistle, the department reports in from its inbox, the leader rates it', async (ctx) => {
    const all = (await apiCall(ctx.base, 'GET', '/cases?state=in_progress&limit=1', undefined, ctx.dispatcher)).json.items;
    assert(all.length === 1, 'the demo has a case in progress');
    const id = all[0].id;
    const units = (await apiCall(ctx.base, 'GET', '/units', undefined, ctx.dispatcher)).json.items;
    const cgzf = units.find((u) => u.code === 'CGZF').id;
    // Blow.
    let page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'zhihui');
    await page.goto(`/cases/${id}`);
    await page.locator('button[data-action="whistle"]').click();
    let form = page.locator('form[data-action-form="whistle"]');
    await form.locator(`fieldset[data-field="units"] input[value="${cgzf}"]`).check();
    await form.getByLabel('说明').fill('执法队到场配合');
    const before = (await apiCall(ctx.base, 'GET', `/cases/${id}`, undefined, ctx.dispatcher)).json.whistles.length;
    await form.locator('button[type="submit"]').click();
    await page.locator('.status-ok').waitFor();
    const ws = (await apiCall(ctx.base, 'GET', `/cases/${id}`, undefined, ctx.dispatcher)).json.whistles;
    assertEq(ws.length, before + 1, 'one more whistle');
    const w = ws.reduce((a, b) => (a.id > b.id ? a : b));
    await page.locator(`ul.whistles li[data-whistle="${w.id}"]`).waitFor();
    await assertClean(page, 'blow');
    await page.context().close();
    // Report in (报到) from the department's inbox.
    page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'cgzf');
    await page.locator(`[data-section="whistles_mine"] button[data-whistle="${w.id}"]`).click();
    await page.locator('[data-section="whistles_mine"] .badge', { hasText: '已报到' }).waitFor();
    await assertClean(page, 'report in');
    await page.context().close();
    // Rate (a score out of range first: the error is next to the score).
    page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'lingdao');
    await page.goto(`/cases/${id}`);
    await page.locator('button[data-action="whistle_rate"]').click();
    form = page.locator('form[data-action-form="whistle_rate"]');
    await form.getByLabel(/^哨令/).selectOption(String(w.id));
    await form.getByLabel(/^单位/).selectOption(String(cgzf));
    await form.getByLabel(/^评分/).fill('150');
    await form.locator('button[type="submit"]').click();
    await form.locator('[data-error-for="score"]').waitFor({ state: 'visible' });
    assertEq(await form.getByLabel(/^评分/).inputValue(), '150', 'the score is kept');
    await form.getByLabel(/^评分/).fill('90');
    await form.getByLabel('说明').fill('到场及时');
    await form.locator('button[type="submit"]').click();
    await page.locator('.status-ok').waitFor();
    const got = (await apiCall(ctx.base, 'GET', `/whistles/${w.id}`, undefined, ctx.dispatcher)).json.units.find((u) => u.unit === cgzf);
    assert(got.reported_at !== null, 'the unit reported in');
    assertEq([got.score, got.comment], [90, '到场及时'], 'the rating is stored');
    await page.locator(`ul.whistles li[data-whistle="${w.id}"]`, { hasText: '评分 90' }).waitFor();
    await assertClean(page, 'rate');
    await page.context().close();
  }],
  ['the command centre records a 12345 hotline call on the caller\'s behalf', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'zhihui');
    await page.goto('/report');
    await page.getByLabel(/^类别/).selectOption('20102');
    await page.getByLabel(/^问题描述/).fill('福德路菜市场门口垃圾堆积（热线）');
    await page.getByLabel('来源渠道').selectOption('hotline_12345');
    await page.getByLabel('来电人/反映人姓名').fill('王先生');
    await page.getByLabel('联系电话（可选）').fill('13608711234');
    await page.getByLabel(/^来源编号/).fill('12345-20261129-0087');
    await page.getByRole('button', { name: '提交上报' }).click();
    await page.waitForURL(/\/cases\/\d+/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const c = (await apiCall(ctx.base, 'GET', `/cases/${id}`, undefined, ctx.dispatcher)).json;
    assertEq([c.channel, c.reporter.id, c.reporter.name, c.reporter.phone, c.source_ref],
      ['hotline_12345', null, '王先生', '13608711234', '12345-20261129-0087'], 'the hotline report');
    await assertClean(page, 'hotline');
    await page.context().close();
  }],
], async (ctx) => {
  if (!ctx) return;
  await ctx.browser.close();
  await stopServer(ctx.server);
}, { dependent: true });
