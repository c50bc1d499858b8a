// The inbox: what the signed-in role has to do, as sections of case lists (each a
// GET /cases with a filter) and, for the command centre and departments, whistles.
import { api, session } from '../api.js';
import { h, link, fmtTime, statusLine } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { refData, caseRow } from '../caseview.js';
import { errorText } from '../forms.js';
import { navigate } from '../main.js';

// Sections per role: key (i18n inbox.sec.KEY) and the /cases filter(s); several
// filters are merged (e.g. the three working states).
const SECTIONS = {
  dispatcher: [
    ['reported', [{ state: 'reported' }]], ['verified', [{ state: 'verified' }]],
    ['registered', [{ state: 'registered' }]], ['returned', [{ state: 'returned' }]],
    ['extension_requested', [{ state: 'extension_requested' }]], ['handled', [{ state: 'handled' }]],
    ['overdue', [{ overdue: 1 }]], ['at_risk', [{ at_risk: 1 }]], ['whistles_waiting', 'whistles'],
    ['closed_visit', [{ state: 'closed' }]],
  ],
  admin: [['overdue', [{ overdue: 1 }]], ['at_risk', [{ at_risk: 1 }]], ['all', [{}]]],
  handler: [
    ['dispatched', [{ state: 'dispatched' }]],
    ['working', [{ state: 'accepted' }, { state: 'in_progress' }, { state: 'rework' }]],
    ['whistles_mine', 'whistles'], ['extension_requested', [{ state: 'extension_requested' }]],
    ['overdue', [{ overdue: 1 }]],
  ],
  grid: [
    ['verifying', [{ state: 'verifying' }]], ['handled', [{ state: 'handled' }]],
    ['grid_cases', 'gridcases'], ['mine', 'mine'],
  ],
  resident: [['closed_visit', [{ state: 'closed' }, { state: 'self_handled' }]], ['mine', [{}]]],
  leader: [['supervise', [{ overdue: 1 }, { at_risk: 1 }]], ['all', [{}]]],
};

const LIMIT = 100; // cases per filter; more is marked "100+"

async function casesFor(filters) {
  const lists = await Promise.all(filters.map((f) => api('GET', '/cases', null, { limit: LIMIT, ...f })));
  const seen = new Map();
  for (const l of lists) for (const c of l.items) seen.set(c.id, c);
  const out = [...seen.values()].sort((a, b) => b.id - a.id);
  out.more = lists.some((l) => l.next_before !== null);
  return out;
}

function section(key, count, body, more) {
  return h('section', { class: 'inbox-section card', 'data-section': key, 'aria-labelledby': `sec-${key}` },
    h('h2', { id: `sec-${key}` }, t(`inbox.sec.${key}`), ' ',
      h('span', { class: 'count', 'data-count': count }, `${count}${more ? '+' : ''}`)),
    body);
}

function caseList(key, cases, ref) {
  return section(key, cases.length, cases.length
    ? h('ul', { class: 'case-list' }, cases.map((c) => caseRow(c, ref)))
    : h('p', { class: 'empty' }, t('inbox.empty')), cases.more);
}

async function whistleSection(key, user, ref) {
  const { items } = await api('GET', '/whistles', null, { limit: 200 });
  const type = (code) => tOr(`wtype.${code}`, code);
  if (user.role === 'handler') {
    const mine = items.filter((w) => w.units.some((u) => u.unit === user.unit && !u.reported_at));
    return section(key, mine.length, mine.length ? h('ul', { class: 'case-list' }, mine.map((w) => {
      const btn = h('button', { type: 'button', class: 'small', 'data-whistle': w.id }, t('inbox.report'));
      const li = h('li', { class: 'case-row' },
        link(`/cases/${w.case_id}`, t('inbox.whistleMine', { type: type(w.type), case: w.case_id, due: fmtTime(w.report_due) })), ' ', btn);
      btn.addEventListener('click', async () => {
        btn.disabled = true;
        try {
          await api('POST', `/whistles/${w.id}/report`, { note: '' });
          btn.replaceWith(h('span', { class: 'badge st-closed' }, t('inbox.reported')));
        } catch (err) {
          btn.disabled = false;
          li.append(statusLine(errorText(err), 'error'));
        }
      });
      return li;
    })) : h('p', { class: 'empty' }, t('inbox.empty')));
  }
  const waiting = items.filter((w) => w.units.some((u) => !u.reported_at));
  return section(key, waiting.length, waiting.length ? h('ul', { class: 'case-list' }, waiting.map((w) => h('li', { class: 'case-row' },
    link(`/cases/${w.case_id}`, t('inbox.whistleRow', {
      type: type(w.type), case: w.case_id, n: w.units.filter((u) => !u.reported_at).length, due: fmtTime(w.report_due),
    }))))) : h('p', { class: 'empty' }, t('inbox.empty')));
}

export async function render(main) {
  const user = session.user;
  const num = h('input', { type: 'number', min: 1, inputmode: 'numeric', class: 'case-no' });
  const open = h('form', { class: 'open-case', role: 'search' },
    h('label', { for: 'open-case-no' }, t('inbox.openCase')), num, h('button', { type: 'submit' }, t('common.open')));
  num.id = 'open-case-no';
  open.addEventListener('submit', (e) => {
    e.preventDefault();
    if (Number(num.value) > 0) navigate(`/cases/${Number(num.value)}`);
  });
  main.append(h('div', { class: 'inbox-head' }, h('h1', null, t('inbox.heading'), ' ', h('small', null, t(`role.${user.role}`))), open));
  const loading = statusLine(t('common.loading'));
  main.append(loading);
  try {
    const ref = await refData();
    const defs = SECTIONS[user.role] || [];
    const parts = await Promise.all(defs.map(([key, what]) => {
      if (what === 'whistles') return whistleSection(key, user, ref);
      if (what === 'mine') {
        return casesFor([{}]).then((cs) => {
          const mine = cs.filter((c) => c.reporter && c.reporter.id === user.id);
          mine.more = cs.more;
          return caseList(key, mine, ref);
        });
      }
      if (what === 'gridcases') return casesFor([{ grid: user.grid }]).then((cs) => caseList(key, cs, ref));
      return casesFor(what).then((cs) => caseList(key, cs, ref));
    }));
    loading.remove();
    main.append(h('div', { class: 'inbox-grid' }, parts));
  } catch (err) {
    loading.replaceWith(statusLine(errorText(err), 'error'));
  }
}
