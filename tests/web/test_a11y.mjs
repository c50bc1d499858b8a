// tests/web/test_a11y.mjs - axe-core (run inside the page) finds no serious or
// critical accessibility problem on the main pages, in Chinese and in English:
// labels, names, contrast, landmarks, ARIA use.
//   node tests/web/test_a11y.mjs --bin build/asan/chuishao
import path from 'node:path';
import { takeBin, startServer, stopServer, launch, newPage, signIn, assert, assertClean, suite, ROOT } from './lib.mjs';

const AXE = path.join(ROOT, 'web', 'node_modules', 'axe-core', 'axe.min.js');

async function axe(page, what) {
  await page.addScriptTag({ path: AXE });
  const r = await page.evaluate(async () => {
    // The map's own parts (Leaflet panes of drawn shapes) are graphics, not content.
    const res = await window.axe.run(document, { exclude: [['.leaflet-pane']], resultTypes: ['violations'] });
    return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert(r.length === 0, `${what}: ${r.join('\n')}`);
}

// Per user, the pages to check (and what shows they are drawn). English, whose
// labels are longer, is checked on the pages with the most text.
const PAGES = {
  'zh-Hans': [['zhihui', [['/', '.inbox-grid'], ['/cases/3', 'ol.timeline'], ['/map', '#map[data-ready="1"]']]],
    ['jumin1', [['/report', '.report-form']]], ['lingdao', [['/dashboard', '.dash-body[data-ready="1"]']]]],
  en: [['zhihui', [['/', '.inbox-grid'], ['/cases/3', 'ol.timeline']]], ['lingdao', [['/dashboard', '.dash-body[data-ready="1"]']]]],
};

await suite('accessibility', async () => {
  const server = await startServer(takeBin());
  return { server, browser: await launch(), base: server.base };
}, [
  ['the sign-in page', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base);
    ctx.lastPage = page;
    await page.goto('/login');
    await page.locator('form').waitFor();
    await axe(page, 'login');
    await page.context().close();
  }],
  ...Object.entries(PAGES).map(([lang, users]) => [`the main pages (${lang})`, async (ctx) => {
    for (const [user, pages] of users) {
      const page = await newPage(ctx.browser, ctx.base);
      ctx.lastPage = page;
      await page.addInitScript((l) => localStorage.setItem('chuishao.lang', l), lang);
      await signIn(page, user);
      for (const [url, ready] of pages) {
        await page.goto(url);
        await page.locator(ready).first().waitFor();
        await axe(page, `${url} as ${user}`);
        await assertClean(page, url);
      }
      await page.context().close();
    }
  }]),
], async (ctx) => {
  if (!ctx) return;
  await ctx.browser.close();
  await stopServer(ctx.server);
});
