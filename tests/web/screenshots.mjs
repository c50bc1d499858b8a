// tests/web/screenshots.mjs - PNG screenshots of the main pages (not a test suite):
//   node tests/web/screenshots.mjs [--bin PATH] [--out DIR]
// starts a demo server like the suites do and writes DIR (default build/screens)/*.png.
import fs from 'node:fs';
import path from 'node:path';
import { takeBin, startServer, stopServer, launch, newPage, signIn, ROOT } from './lib.mjs';

const oi = process.argv.indexOf('--out');
const out = oi > 0 ? process.argv[oi + 1] : path.join(ROOT, 'build', 'screens');
fs.mkdirSync(out, { recursive: true });
const server = await startServer(takeBin());
const browser = await launch();
try {
  const shots = [
    ['zhihui', '/', 'inbox-dispatcher', {}],
    ['zhihui', '/cases/27', 'case', {}],
    ['zhihui', '/map', 'map', {}],
    ['lingdao', '/dashboard', 'dashboard', {}],
    ['cgzf', '/', 'inbox-handler', {}],
    ['jumin1', '/report', 'report-phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }],
    ['wangge01', '/', 'inbox-grid-phone', { viewport: { width: 390, height: 844 }, isMobile: true }],
  ];
  for (const [user, url, name, opts] of shots) {
    const page = await newPage(browser, server.base, opts);
    await signIn(page, user);
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: name !== 'map' });
    const p = page.problems();
    console.log(`${name}: ${p.length ? p.join('; ') : 'no console errors'}`);
    await page.context().close();
  }
} finally {
  await browser.close();
  await stopServer(server);
}
