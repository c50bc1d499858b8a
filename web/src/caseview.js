// caseview.js - pieces shared by the pages that show cases: the state badge, the
// deadline mark, a case row, and lookups of categories and units by code/id.
import { cached } from './api.js';
import { h, link, fmtTime } from './dom.js';
import { t, tOr } from './i18n.js';

export async function refData() {
  const [cats, units, wtypes] = await Promise.all([
    cached('/categories'), cached('/units').catch(() => ({ items: [] })), cached('/whistle-types')]);
  return {
    categories: cats.items,
    category: new Map(cats.items.map((c) => [c.code, c])),
    units: units.items,
    unit: new Map(units.items.map((u) => [u.id, u])),
    wtypes: wtypes.items,
  };
}

export function stateBadge(state) {
  return h('span', { class: `badge st-${state}`, 'data-state': state }, tOr(`state.${state}`, state));
}

// Overdue / at-risk / paused mark of a case (or nothing).
export function dueMark(c) {
  if (c.overdue) return h('span', { class: 'badge due-overdue' }, t('case.overdue'));
  if (c.at_risk) return h('span', { class: 'badge due-risk' }, t('case.atRisk'));
  if (c.paused_at) return h('span', { class: 'badge due-paused' }, t('case.paused'));
  return null;
}

export function categoryName(ref, code) {
  const c = ref.category.get(code);
  return c ? c.name : code;
}

export function unitName(ref, id) {
  if (id === null || id === undefined) return t('common.none');
  const u = ref.unit.get(id);
  return u ? u.name : `#${id}`;
}

// One case as a list row (a link to its page).
export function caseRow(c, ref) {
  return h('li', { class: 'case-row', 'data-case': c.id },
    link(`/cases/${c.id}`,
      h('span', { class: 'case-id' }, `#${c.id}`),
      h('span', { class: 'case-title' }, c.title || c.description)),
    h('span', { class: 'case-meta' },
      stateBadge(c.state), ' ', dueMark(c), ' ',
      h('span', null, categoryName(ref, c.category)),
      c.grid ? h('span', null, ` · ${c.grid}`) : null,
      c.due_at ? h('span', null, ` · ${t('case.due')} ${fmtTime(c.due_at)}`) : null));
}
