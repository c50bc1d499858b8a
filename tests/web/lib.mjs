// tests/web/lib.mjs - what the browser suites share (not a suite itself):
//   takeBin()                --bin PATH from argv (default build/asan/chuishao)
//   startServer(bin)         demo database in a temp dir + `chuishao serve --web build/web`
//                            on a free loopback port; waits for /api/v1/health
//   stopServer(s)            SIGTERM; fails unless exit 0 and no sanitizer report
//   launch()                 Debian's chromium, headless, through playwright-core
//   newPage(browser, base)   a page that records console errors and failed requests
//   apiCall(base, ...)       the JSON API from node (for setting up and comparing)
//   signIn(page, user)       signs in through the login form
//   suite(name, tests)       runs tests in order, prints "N passed, M failed" last
// playwright-core never downloads a browser; the one used is /usr/bin/chromium.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const WEB_DIR = process.env.CHUISHAO_WEB_DIR || path.join(ROOT, 'build', 'web');
export const PASSWORD = 'liujia2020';
export const DEMO_CASES = Number(process.env.WEB_DEMO_CASES || 300);
const require = createRequire(path.join(ROOT, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const SANITIZER = ['ERROR: AddressSanitizer', 'runtime error:', 'ERROR: LeakSanitizer'];

export function takeBin(argv = process.argv) {
  const i = argv.indexOf('--bin');
  const p = i > 0 ? argv[i + 1] : (argv.find((a) => a.startsWith('--bin=')) || '').slice(6);
  return path.resolve(p || path.join(ROOT, 'build', 'asan', 'chuishao'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function startServer(bin, { web = WEB_DIR } = {}) {
  if (!fs.existsSync(path.join(web, 'index.html'))) throw new Error(`no built web app in ${web} (run make web)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chuishao-web-'));
  const db = path.join(tmp, 't.db');
  const env = { ...process.env, CHUISHAO_DATA_DIR: process.env.CHUISHAO_DATA_DIR || path.join(ROOT, 'data') };
  // A demo that can generate history (--cases N) makes a small one: enough for
  // the map and the dashboard, quick under ASan.
  const help = spawnSync(bin, ['demo', '--help'], { env, encoding: 'utf8' });
  const extra = /--cases/.test(`${help.stdout}${help.stderr}`) ? ['--cases', String(DEMO_CASES)] : [];
  const demo = spawnSync(bin, ['demo', '--db', db, ...extra], { env, encoding: 'utf8', timeout: 180000 });
  if (demo.status !== 0) throw new Error(`chuishao demo failed (${demo.status}): ${demo.stdout} ${demo.stderr}`);
  const port = await freePort();
  const errPath = path.join(tmp, 'server.err');
  const errFd = fs.openSync(errPath, 'w');
  const proc = spawn(bin, ['serve', '--db', db, '--port', String(port), '--bind', '127.0.0.1', '--web', web],
    { env, stdio: ['ignore', 'ignore', errFd] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${fs.readFileSync(errPath, 'utf8')}`);
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.status === 200) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error('server did not answer /api/v1/health within 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, base, tmp, db, errPath, errFd };
}

export async function stopServer(s) {
  if (!s) return;
  const problems = [];
  if (s.proc.exitCode === null) {
    const done = new Promise((r) => s.proc.once('exit', r));
    s.proc.kill('SIGTERM');
    const timer = setTimeout(() => { problems.push('the server did not stop within 20 s'); s.proc.kill('SIGKILL'); }, 20000);
    await done;
    clearTimeout(timer);
  }
  if (s.proc.exitCode !== 0) problems.push(`the server exited with ${s.proc.exitCode} (signal ${s.proc.signalCode})`);
  fs.closeSync(s.errFd);
  const err = fs.readFileSync(s.errPath, 'utf8');
  const bad = err.split('\n').filter((l) => SANITIZER.some((m) => l.includes(m)));
  if (bad.length) problems.push(`sanitizer reports:\n${bad.slice(0, 20).join('\n')}`);
  if (problems.length) problems.push(`server stderr (tail):\n${err.slice(-3000)}`);
  fs.rmSync(s.tmp, { recursive: true, force: true });
  if (problems.length) throw new Error(problems.join('\n'));
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export function launch() {
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(exe)) throw new Error(`no chromium at ${exe} (apt-get install chromium)`);
  return chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
}

// A page (in a fresh context) that records console errors, page errors and failed
// requests; page.problems() lists them.
export async function newPage(browser, base, opts = {}) {
  const ctx = await browser.newContext({ baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...opts });
  const page = await ctx.newPage();
  const problems = [];
  // An API answer with an error status is part of the application's flow (it is
  // shown next to the field); Chromium still logs it as "Failed to load resource".
  // Everything else logged as an error fails the test, and so does any non-API
  // answer with an error status (a missing asset).
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = (m.location() && m.location().url) || '';
    if (m.text().startsWith('Failed to load resource') && url.includes('/api/v1/')) return;
    problems.push(`console error: ${m.text()} ${url}`);
  });
  // Offline from the internet: nothing but the server under test is asked.
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== base) problems.push(`request to another origin: ${r.url()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  let expected = 0; // failures a test provoked (page.expectFailure())
  page.on('requestfailed', (r) => {
    const f = r.failure();
    if (!f || f.errorText === 'net::ERR_ABORTED') return;
    if (expected > 0) { expected--; return; }
    problems.push(`request failed: ${r.url()} ${f.errorText}`);
  });
  page.expectFailure = () => { expected++; };
  page.problems = () => problems.slice();
  page.expectedErrors = 0;
  page.setDefaultTimeout(15000);
  return page;
}

export async function apiCall(base, method, p, body, token) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(`${base}/api/v1${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text };
}

export async function token(base, user) {
  const r = await apiCall(base, 'POST', '/auth/login', { username: user, password: PASSWORD });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.text}`);
  return r.json.token;
}

export async function signIn(page, user) {
  await page.goto('/login');
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.locator('[data-section], .dash-body[data-ready]').first().waitFor();
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

export function assertEq(a, b, msg) {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  const cut = (s) => (s && s.length > 600 ? `${s.slice(0, 600)}…(${s.length} chars)` : s);
  if (ja !== jb) throw new Error(`${msg}: got ${cut(ja)}, want ${cut(jb)}`);
}

// Fails if the page logged console errors (the application must log none), or
// shows "null", "undefined", "NaN" or "[object …]" where a value should be.
export async function assertClean(page, what) {
  const p = page.problems();
  if (p.length) throw new Error(`${what}: ${p.join('\n')}`);
  // Nothing wider than the screen (phones): no sideways scrolling.
  const [sw, vw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (sw > vw) throw new Error(`${what}: the page is ${sw} px wide on a ${vw} px screen`);
  const text = await page.locator('body').innerText();
  const junk = text.match(/\b(null|undefined|NaN)\b|\[object \w+\]/);
  if (junk) throw new Error(`${what}: the page shows "${junk[0]}": …${text.slice(Math.max(0, junk.index - 80), junk.index + 40)}…`);
}

// Runs [name, fn] pairs in order (each fn gets the shared context), then prints
// one line per test and "N passed, M failed" last; exits 1 on any failure.
export async function suite(name, setup, tests, teardown, { dependent = false } = {}) {
  const started = Date.now();
  let pass = 0;
  let fail = 0;
  let ctx = null;
  try {
    ctx = await setup();
    const only = process.env.WEB_TEST_ONLY;
    for (const [tname, fn] of tests) {
      if (only && !tname.includes(only)) continue;
      if (dependent && fail) { fail++; console.log(`FAIL ${tname} (not run: an earlier step failed)`); continue; }
      const t0 = Date.now();
      try {
        await fn(ctx);
        pass++;
        console.log(`ok   ${tname} (${Date.now() - t0} ms)`);
      } catch (e) {
        fail++;
        console.log(`FAIL ${tname}\n${e && e.stack || e}`);
        if (ctx && ctx.lastPage) {
          try {
            const shot = path.join(ROOT, 'build', `web-fail-${tname.replace(/\W+/g, '_')}.png`);
            await ctx.lastPage.screenshot({ path: shot, fullPage: true });
            console.log(`     screenshot: ${shot}`);
          } catch { /* ignore */ }
        }
      }
    }
  } catch (e) {
    fail++;
    console.log(`FAIL ${name} setup\n${e && e.stack || e}`);
  } finally {
    try { await teardown(ctx); } catch (e) { fail++; console.log(`FAIL ${name} teardown\n${e && e.stack || e}`); }
  }
  console.log(`time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(fail ? 1 : 0);
}
