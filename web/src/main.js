// main.js - the application shell: header, navigation by role, language switch,
// and a small router over history.pushState (the server answers every page path
// with index.html). Each page module exports render(main, params) and may return
// a cleanup function.
import './style.css';
import { api, session, setUnauthorizedHandler, clearCache } from './api.js';
import { h, clear } from './dom.js';
import { t, LANGS, lang, setLang } from './i18n.js';

const ROUTES = [
  { path: /^\/login$/, page: () => import('./pages/login.js'), open: true },
  { path: /^\/$/, page: () => import('./pages/inbox.js') },
  { path: /^\/cases\/(\d+)$/, page: () => import('./pages/case.js'), keys: ['id'] },
  { path: /^\/report$/, page: () => import('./pages/report.js'), roles: ['resident', 'grid', 'dispatcher', 'admin'] },
  { path: /^\/map$/, page: () => import('./pages/map.js') },
  { path: /^\/dashboard$/, page: () => import('./pages/dashboard.js'), roles: ['dispatcher', 'leader', 'admin'] },
  // Open to every signed-in user: the page itself tells other roles it is not theirs.
  { path: /^\/admin$/, page: () => import('./pages/admin.js') },
];

const NAV = [
  { href: '/', key: 'nav.inbox' },
  { href: '/report', key: 'nav.report', roles: ['resident', 'grid', 'dispatcher', 'admin'] },
  { href: '/map', key: 'nav.map' },
  { href: '/dashboard', key: 'nav.dashboard', roles: ['dispatcher', 'leader', 'admin'] },
  { href: '/admin', key: 'nav.admin', roles: ['admin'] },
];

let cleanup = null;
let renderSeq = 0;

function allowed(roles) {
  const u = session.user;
  return !roles || (u && roles.includes(u.role));
}

function header() {
  const u = session.user;
  const path = location.pathname;
  const nav = u ? h('nav', { 'aria-label': t('nav.menu') }, h('ul', null, NAV.filter((n) => allowed(n.roles)).map((n) => h('li', null,
    h('a', { href: n.href, 'data-link': '', 'aria-current': path === n.href ? 'page' : null }, t(n.key)))))) : null;
  const langSel = h('select', { id: 'lang', 'aria-label': t('nav.language'), onchange: (e) => { setLang(e.target.value); route(); } },
    LANGS.map((l) => h('option', { value: l.code, selected: l.code === lang() }, l.label)));
  const who = u ? h('span', { class: 'who' }, `${u.name || u.username} · ${t(`role.${u.role}`)}`) : null;
  const out = u ? h('button', { type: 'button', class: 'link-button', id: 'signout', onclick: signOut }, t('nav.signout')) : null;
  return h('header', { class: 'top' },
    h('a', { class: 'skip', href: '#main' }, t('app.skip')),
    h('div', { class: 'brand' }, h('a', { href: '/', 'data-link': '' }, h('strong', null, t('app.title'))), h('span', null, t('app.subtitle'))),
    nav,
    h('div', { class: 'tools' }, who, h('label', { class: 'sr-only', for: 'lang' }, t('nav.language')), langSel, out));
}

async function signOut() {
  try { await api('POST', '/auth/logout', {}); } catch { /* the token may be gone already */ }
  session.clear();
  clearCache();
  navigate('/login');
}

export function navigate(path, replace = false) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

export async function route() {
  const seq = ++renderSeq;
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const path = location.pathname;
  let match = null;
  let params = {};
  for (const r of ROUTES) {
    const m = path.match(r.path);
    if (m) {
      match = r;
      (r.keys || []).forEach((k, i) => { params[k] = m[i + 1]; });
      break;
    }
  }
  if (!match) { navigate('/', true); return; }
  if (!match.open && !session.token) { navigate(`/login?next=${encodeURIComponent(path + location.search)}`, true); return; }
  if (!allowed(match.roles)) { navigate('/', true); return; }
  params = { ...params, query: new URLSearchParams(location.search) };
  const root = document.getElementById('app');
  clear(root);
  root.append(header());
  const main = h('main', { id: 'main', tabindex: '-1' });
  root.append(main);
  document.title = `${t('app.title')} · ${t('app.subtitle')}`;
  let done = null;
  try {
    const mod = await match.page();
    if (seq !== renderSeq) return;
    done = (await mod.render(main, params)) || null;
  } catch (err) {
    // A page that could not load its data says so instead of staying blank.
    if (seq === renderSeq) {
      const { errorText } = await import('./forms.js');
      main.append(h('p', { class: 'status status-error', role: 'alert' }, errorText(err)),
        h('button', { type: 'button', onclick: () => route() }, t('common.retry')));
    }
    return;
  }
  if (seq === renderSeq) {
    cleanup = done;
    performance.mark('chuishao:page-ready'); // what the load-time test reads
  } else if (done) done(); // another page was opened while this one loaded
}

setUnauthorizedHandler(() => {
  session.clear();
  clearCache();
  navigate(`/login?expired=1&next=${encodeURIComponent(location.pathname)}`, true);
});

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-link]');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', route);

setLang(lang());
route();
