// tests/web/test_actions.mjs - the case page's action forms are built from what the
// server says each action needs (GET /cases/{id} → actions[].fields, note_required;
// the same as GET /transitions), not from rules kept in the app:
//   - every action offered on cases in several states, to several roles, opens a form
//     whose fields are the server's, in its order (a photo for `attachments`), whose
//     note is marked required exactly when note_required, and a field-less action's
//     form has nothing but the note;
//   - a doctored answer (other fields, another note_required) changes the forms;
//   - 报到 (whistle_report) is offered only to a handler of a unit a whistle summoned
//     and that has not reported: the whistle chooser lists only those whistles, and
//     once the unit has reported to all of them 报到 is gone; 报到评价's unit choices
//     are the units of the chosen whistle.
//   node tests/web/test_actions.mjs --bin build/asan/chuishao
import {
  takeBin, startServer, stopServer, launch, newPage, signIn, apiCall, token, assert, assertEq, assertClean, suite,
} from './lib.mjs';

async function api(ctx, method, p, body, who = 'zhihui') {
  ctx.tokens[who] = ctx.tokens[who] || await token(ctx.base, who);
  const r = await apiCall(ctx.base, method, p, body, ctx.tokens[who]);
  if (r.status >= 300) throw new Error(`${method} ${p} as ${who}: ${r.status} ${r.text}`);
  return r.json;
}

async function openCase(ctx, user, id, opts) {
  const page = await newPage(ctx.browser, ctx.base, opts);
  ctx.lastPage = page;
  await signIn(page, user);
  await page.goto(`/cases/${id}`);
  await page.locator('h1.case-h').waitFor();
  return page;
}

// Sends an action form and waits for the page drawn again with the answer (the form
// gone: an earlier success message may still be on the page until then).
async function submitted(page, form) {
  await form.locator('button[type="submit"]').click();
  await form.waitFor({ state: 'detached' });
  await page.locator('.status-ok').waitFor();
}

async function buttons(page) {
  return page.locator('.actions-card button[data-action]').evaluateAll((bs) => bs.map((b) => b.dataset.action));
}

// Opens the form of an action and describes it: the fields in order (the note as
// "note", the photo as "attachments"), whether the note is required, marked (*) and
// hinted, and the form's title.
async function formShape(page, action) {
  await page.locator(`.actions-card button[data-action="${action}"]`).click();
  const form = page.locator(`form[data-action-form="${action}"]`);
  await form.waitFor();
  return form.evaluate((f) => {
    const names = [...f.querySelectorAll('[data-field]')].map((x) => (x.dataset.field === 'photo' ? 'attachments' : x.dataset.field));
    const note = f.querySelector('[data-field="note"]');
    return {
      names,
      required: note.querySelector('textarea').required,
      marked: !!note.querySelector('label .req'),
      hinted: !!note.querySelector('.hint'),
      title: f.querySelector('h3').textContent,
    };
  });
}

// The form of each action shown on the page equals the server's description of it.
async function checkForms(ctx, page, id, user, seen) {
  const c = await api(ctx, 'GET', `/cases/${id}`, undefined, user);
  assertEq(await buttons(page), c.actions.map((a) => a.action), `case ${id} as ${user}: one button per action of the answer`);
  for (const a of c.actions) {
    const tr = ctx.transitions.get(a.action);
    assertEq([a.note_required, a.fields], [tr.note_required, tr.fields], `${a.action}: the case's actions and /transitions agree`);
    const s = await formShape(page, a.action);
    const fields = a.fields.filter((f) => f !== 'attachments');
    const want = [...fields, 'note', ...(a.fields.includes('attachments') ? ['attachments'] : [])];
    assertEq(s.names, want, `${a.action} (${user}, case ${id}): the form's fields`);
    assertEq([s.required, s.marked, s.hinted], [a.note_required, a.note_required, a.note_required],
      `${a.action} (${user}, case ${id}): the note required, marked and hinted exactly when note_required`);
    seen.set(a.action, s);
  }
}

await suite('actions', async () => {
  const server = await startServer(takeBin());
  const browser = await launch();
  const ctx = { server, browser, base: server.base, tokens: {} };
  ctx.transitions = new Map((await api(ctx, 'GET', '/transitions')).items.map((t) => [t.action, t]));
  const units = (await api(ctx, 'GET', '/units')).items;
  ctx.unit = Object.fromEntries(['CGZF', 'HWS', 'SZGL'].map((code) => [code, units.find((u) => u.code === code).id]));
  // A case of our own: reported by the command centre, registered, dispatched to
  // 执法队 (cgzf) and signed for.
  let c = await api(ctx, 'POST', '/cases', {
    category: '10305', description: '福德路口垃圾箱满溢（操作表单测试）', lat: 24.9630, lon: 102.7440, reporter_name: '王先生',
  });
  ctx.caseId = c.id;
  await api(ctx, 'POST', `/cases/${c.id}/actions`, { action: 'register' });
  await api(ctx, 'POST', `/cases/${c.id}/actions`, { action: 'dispatch', unit: ctx.unit.CGZF });
  c = await api(ctx, 'POST', `/cases/${c.id}/actions`, { action: 'sign' }, 'cgzf');
  assertEq(c.state, 'accepted', 'the case is signed for');
  return ctx;
}, [
  ['every form is what the server describes: fields in its order, the note required exactly when note_required', async (ctx) => {
    const seen = new Map();
    const pick = async (q) => {
      const items = (await api(ctx, 'GET', `/cases?${q}&limit=1`)).items;
      assert(items.length === 1, `the demo has a case: ${q}`);
      return items[0].id;
    };
    const plan = [
      ['zhihui', await pick('state=reported')],
      ['zhihui', await pick('state=registered')],
      ['zhihui', await pick('state=extension_requested')],
      ['cgzf', ctx.caseId],
    ];
    for (const [user, id] of plan) {
      const page = await openCase(ctx, user, id);
      await checkForms(ctx, page, id, user, seen);
      await assertClean(page, `forms of case ${id} as ${user}`);
      await page.context().close();
    }
    for (const a of ['comment', 'register', 'dispatch', 'send_verify', 'approve_extension', 'whistle', 'feedback', 'request_extension']) {
      assert(seen.has(a), `the form of ${a} was checked`);
    }
    // Named cases, each against GET /transitions.
    const tr = ctx.transitions;
    assertEq([tr.get('register').note_required, tr.get('register').fields, seen.get('register').names], [false, [], ['note']],
      'register takes no field: its form has the note only, not required');
    assertEq([tr.get('comment').note_required, seen.get('comment').names, seen.get('comment').required], [true, ['note'], true],
      'comment: only the note, required');
    assertEq(seen.get('dispatch').names, [...tr.get('dispatch').fields, 'note'], 'dispatch: the unit pickers, then the note');
    assertEq(seen.get('feedback').names, ['note', 'attachments'], 'feedback: a required note and a photo');
    assert(seen.get('feedback').required && tr.get('feedback').note_required, 'the feedback note is required');
    assertEq(seen.get('request_extension').names, ['span', 'note'], 'request_extension: the span and the note');
  }],
  ['a doctored answer changes the forms: the app keeps no rules of its own', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await signIn(page, 'cgzf');
    const doctor = {
      comment: { note_required: false, fields: ['master'] },
      progress: { note_required: false, fields: [] },
      request_extension: { note_required: true, fields: ['span', 'attachments'] },
    };
    await page.route((u) => u.pathname === `/api/v1/cases/${ctx.caseId}`, async (route) => {
      const r = await route.fetch();
      const body = await r.json();
      body.actions = body.actions.map((a) => ({ ...a, ...(doctor[a.action] || {}) }));
      await route.fulfill({ response: r, json: body });
    });
    await page.goto(`/cases/${ctx.caseId}`);
    await page.locator('h1.case-h').waitFor();
    let s = await formShape(page, 'comment');
    assertEq([s.names, s.required, s.marked, s.hinted], [['master', 'note'], false, false, false], 'comment as doctored');
    s = await formShape(page, 'progress');
    assertEq([s.names, s.required], [['note'], false], 'progress as doctored: no photo, the note optional');
    s = await formShape(page, 'request_extension');
    assertEq([s.names, s.required], [['span', 'note', 'attachments'], true], 'request_extension as doctored: a photo');
    s = await formShape(page, 'feedback');
    assertEq([s.names, s.required, s.marked], [['note', 'attachments'], true, true], 'feedback as sent');
    await assertClean(page, 'doctored forms');
    await page.context().close();
  }],
  ['报到 only for a summoned unit that has not reported; the chooser lists only its whistles', async (ctx) => {
    const { CGZF, HWS, SZGL } = ctx.unit;
    // The answer is the case: the new whistle is the newest of its whistles.
    const blow = async (units) => {
      const c = await api(ctx, 'POST', `/cases/${ctx.caseId}/whistles`, { type: 'huanjing', units, note: '测试吹哨' });
      return Math.max(...(await api(ctx, 'GET', `/cases/${c.id}`)).whistles.map((w) => w.id));
    };
    const w1 = await blow([HWS, SZGL]);
    const w2 = await blow([SZGL]);
    const w3 = await blow([HWS]);
    const offered = async (who) => (await api(ctx, 'GET', `/cases/${ctx.caseId}`, undefined, who)).actions.some((a) => a.action === 'whistle_report');
    // 执法队 leads the case, but no whistle summoned it: no 报到.
    assert(!(await offered('cgzf')), 'the API offers cgzf no whistle_report');
    let page = await openCase(ctx, 'cgzf', ctx.caseId);
    await page.locator(`ul.whistles li[data-whistle="${w3}"]`).waitFor();
    assert(!(await buttons(page)).includes('whistle_report'), 'no 报到 button for the lead unit that was not summoned');
    assert((await buttons(page)).includes('feedback'), 'the lead unit still has its own actions');
    await assertClean(page, 'not summoned');
    await page.context().close();
    // 环卫站 was summoned by w1 and w3 (not w2): 报到 lists those two.
    assert(await offered('hws'), 'the API offers hws whistle_report');
    page = await openCase(ctx, 'hws', ctx.caseId);
    await page.locator('.actions-card button[data-action="whistle_report"]').click();
    let form = page.locator('form[data-action-form="whistle_report"]');
    const choices = () => form.getByLabel(/^哨令/).locator('option').evaluateAll((os) => os.map((o) => Number(o.value)));
    assertEq(await choices(), [w1, w3], 'the chooser lists the whistles that summoned hws');
    await form.getByLabel(/^哨令/).selectOption(String(w1));
    await form.getByLabel('说明').fill('环卫站已到场');
    await submitted(page, form);
    const hwsOf = async (w) => (await api(ctx, 'GET', `/whistles/${w}`)).units.find((u) => u.unit === HWS);
    assert((await hwsOf(w1)).reported_at !== null, 'hws reported to w1');
    assert((await hwsOf(w3)).reported_at === null, 'not yet to w3');
    // Still summoned by w3: 报到 again, now only w3.
    await page.locator('.actions-card button[data-action="whistle_report"]').click();
    form = page.locator('form[data-action-form="whistle_report"]');
    assertEq(await choices(), [w3], 'a whistle already reported to is no longer offered');
    await submitted(page, form);
    assert((await hwsOf(w3)).reported_at !== null, 'hws reported to w3');
    assert(!(await buttons(page)).includes('whistle_report'), 'after reporting to every whistle, no 报到 button');
    assert(!(await offered('hws')), 'nor from the API');
    await page.locator(`ul.whistles li[data-whistle="${w1}"] .badge.due-ok, ul.whistles li[data-whistle="${w1}"] .badge.due-overdue`).first().waitFor();
    await assertClean(page, 'reported');
    await page.context().close();
    // 报到评价: the unit choices are the units of the chosen whistle.
    page = await openCase(ctx, 'lingdao', ctx.caseId);
    await page.locator('.actions-card button[data-action="whistle_rate"]').click();
    form = page.locator('form[data-action-form="whistle_rate"]');
    const unitChoices = () => form.getByLabel(/^单位/).locator('option').evaluateAll((os) => os.map((o) => Number(o.value)));
    assertEq(await form.getByLabel(/^哨令/).locator('option').evaluateAll((os) => os.map((o) => Number(o.value))), [w1, w2, w3],
      'every whistle may be rated');
    await form.getByLabel(/^哨令/).selectOption(String(w1));
    assertEq(await unitChoices(), [HWS, SZGL], 'w1 summoned hws and szgl');
    await form.getByLabel(/^哨令/).selectOption(String(w2));
    assertEq(await unitChoices(), [SZGL], 'w2 summoned szgl');
    await form.getByLabel(/^哨令/).selectOption(String(w3));
    assertEq(await unitChoices(), [HWS], 'w3 summoned hws');
    await form.getByLabel(/^评分/).fill('85');
    await submitted(page, form);
    assertEq((await hwsOf(w3)).score, 85, 'the rating of hws on w3 is stored');
    await assertClean(page, 'rate');
    await page.context().close();
  }],
], async (ctx) => {
  if (!ctx) return;
  await ctx.browser.close();
  await stopServer(ctx.server);
});
