// The case page: details, position on a small map, deadlines, whistles, the
// timeline of events, and a form for every action the caller may take now
// (GET /cases/{id} lists them as `actions`).
import { api, cached, session } from '../api.js';
import { h, clear, fmtTime, statusLine, link } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { refData, stateBadge, dueMark, categoryName, unitName } from '../caseview.js';
import { field, choiceGroup, showError, clearErrors, busy, errorText } from '../forms.js';
import { attachmentView, photoPicker } from '../photos.js';

function unitOptions(ref, exclude) {
  return ref.units.filter((u) => u.id !== exclude);
}

// The whistles a whistle field offers. 报到 (whistle_report): a handler only those
// that summoned its unit and await its report; others those on which some unit
// has still to report. Every other action: all the case's whistles.
function whistleChoices(action, c) {
  const ws = c.whistles || [];
  if (action !== 'whistle_report') return ws;
  const user = session.user;
  if (user.role === 'handler') return ws.filter((w) => w.units.some((u) => u.unit === user.unit && !u.reported_at));
  return ws.filter((w) => w.units.some((u) => !u.reported_at));
}

// How each field an action may take (its `fields` in GET /cases/{id} → actions) is
// shown and read. Which fields an action has, and in which order, is the server's:
// the app only draws them. Each takes x = {action, c, ref, has (the action's fields),
// ctl (controls shared between fields)} and returns {nodes, get(body), link()}:
// link runs once every field is drawn (a field that depends on another).
const FIELDS = {
  // The lead unit (dispatch, reassign; dispatch proposes the current lead unit or
  // the category's unit), or, next to a whistle field, one of that whistle's units
  // (whistle_rate: the unit rated).
  unit(x) {
    const { action, c, ref } = x;
    if (x.has.has('whistle')) {
      const usel = h('select', { required: x.req.has('unit') });
      return {
        nodes: [field('unit', t('field.unit'), usel)],
        get: (b) => { if (usel.value) b.unit = Number(usel.value); },
        link: () => {
          const { sel, list } = x.ctl.whistle;
          const fill = () => {
            clear(usel);
            const w = list.find((y) => String(y.id) === sel.value);
            const awaiting = (u) => action !== 'whistle_report' || !u.reported_at; // 报到: those yet to report
            for (const u of (w ? w.units : []).filter(awaiting)) usel.append(h('option', { value: u.unit }, unitName(ref, u.unit)));
          };
          sel.addEventListener('change', fill);
          fill();
        },
      };
    }
    const cat = ref.category.get(c.category);
    const pick = (u) => (action === 'dispatch' ? (c.lead_unit ? u.id === c.lead_unit : cat && u.code === cat.unit_code) : false);
    const sel = h('select', { required: x.req.has('unit') }, h('option', { value: '' }, '—'),
      unitOptions(ref).map((u) => h('option', { value: u.id, selected: pick(u) }, u.name)));
    return { nodes: [field('unit', t('field.unit'), sel)], get: (b) => { if (sel.value) b.unit = Number(sel.value); } };
  },
  // Co-handling units (dispatch, reassign) or the units a whistle summons (always sent).
  units(x) {
    const g = choiceGroup('units', t('field.units'), 'checkbox',
      unitOptions(x.ref).map((u) => ({ value: u.id, label: u.name })), t('hint.units'));
    return {
      nodes: [g],
      get: (b) => {
        const v = [...g.querySelectorAll('input:checked')].map((i) => Number(i.value));
        if (v.length || x.action === 'whistle') b.units = v;
      },
    };
  },
  master(x) {
    const inp = h('input', { type: 'number', min: 1, inputmode: 'numeric', required: x.req.has('master') });
    return { nodes: [field('master', t('field.master'), inp)], get: (b) => { if (inp.value) b.master = Number(inp.value); } };
  },
  async verifier() {
    let users = [];
    try { users = (await api('GET', '/users')).items.filter((u) => u.role === 'grid' && !u.disabled); } catch { users = []; }
    const sel = h('select', null, h('option', { value: '' }, t('hint.verifier')),
      users.map((u) => h('option', { value: u.id }, `${u.name || u.username}（${u.grid || u.username}）`)));
    return { nodes: [field('verifier', t('field.verifier'), sel)], get: (b) => { if (sel.value) b.verifier = Number(sel.value); } };
  },
  confirmed() {
    const g = choiceGroup('confirmed', t('field.confirmed'), 'radio',
      [{ value: 'true', label: t('common.yes'), checked: true }, { value: 'false', label: t('common.no') }]);
    return { nodes: [g], get: (b) => { b.confirmed = g.querySelector('input:checked').value === 'true'; } };
  },
  span(x) {
    const inp = h('input', { type: 'text', required: x.req.has('span'), placeholder: '2wd', autocomplete: 'off' });
    return { nodes: [field('span', t('field.span'), inp, t('hint.span'))], get: (b) => { if (inp.value.trim()) b.span = inp.value.trim(); } };
  },
  resolved() {
    const g = choiceGroup('resolved', t('field.resolved'), 'radio',
      [{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }]);
    return { nodes: [g], get: (b) => { const v = g.querySelector('input:checked'); if (v) b.resolved = v.value === 'true'; } };
  },
  satisfaction() {
    const g = choiceGroup('satisfaction', t('field.satisfaction'), 'radio',
      ['satisfied', 'basically_satisfied', 'unsatisfied'].map((s) => ({ value: s, label: t(`sat.${s}`) })));
    return { nodes: [g], get: (b) => { const v = g.querySelector('input:checked'); if (v) b.satisfaction = v.value; } };
  },
  // The whistle type (the category's proposed).
  type(x) {
    const cat = x.ref.category.get(x.c.category);
    const sel = h('select', { required: x.req.has('type') }, x.ref.wtypes.map((w) => h('option', { value: w.code, selected: cat && cat.whistle === w.code },
      `${tOr(`wtype.${w.code}`, w.name)}（${t('common.minutes', { n: w.limit_minutes })}）`)));
    return { nodes: [field('type', t('field.type'), sel)], get: (b) => { b.type = sel.value; } };
  },
  limit_minutes() {
    const inp = h('input', { type: 'number', min: 1, max: 10080, inputmode: 'numeric' });
    return { nodes: [field('limit_minutes', t('field.limit_minutes'), inp)], get: (b) => { if (inp.value) b.limit_minutes = Number(inp.value); } };
  },
  whistle(x) {
    const list = whistleChoices(x.action, x.c);
    const sel = h('select', { required: x.req.has('whistle') }, list.map((w) => h('option', { value: w.id },
      `#${w.id} ${tOr(`wtype.${w.type}`, w.type)} · ${fmtTime(w.blown_at)}`)));
    x.ctl.whistle = { sel, list };
    return { nodes: [field('whistle', t('field.whistle'), sel)], get: (b) => { if (sel.value) b.whistle = Number(sel.value); } };
  },
  score(x) {
    const inp = h('input', { type: 'number', min: 0, max: 100, inputmode: 'numeric', required: x.req.has('score') });
    return { nodes: [field('score', t('field.score'), inp)], get: (b) => { if (inp.value !== '') b.score = Number(inp.value); } };
  },
};

// Builds the controls of the form of one action of `actions` ({action, note_required,
// fields, required}): its fields in the server's order (each marked required when the
// server lists it in `required`), then the note (required exactly when
// note_required), then a photo picker when `attachments` is among the fields.
// Returns {nodes, collect(body), photo}.
async function actionControls(a, c, ref) {
  const fields = a.fields || [];
  const x = { action: a.action, c, ref, has: new Set(fields), req: new Set(a.required || []), ctl: {} };
  const nodes = [];
  const get = [];
  const links = [];
  for (const f of fields) {
    const make = Object.prototype.hasOwnProperty.call(FIELDS, f) ? FIELDS[f] : null;
    if (!make) continue; // attachments (below), or a field this app cannot draw
    const r = await make(x);
    nodes.push(...r.nodes);
    get.push(r.get);
    if (r.link) links.push(r.link);
  }
  links.forEach((l) => l());
  const required = a.note_required === true;
  const note = h('textarea', { rows: 3, maxlength: 2000, required });
  nodes.push(field('note', t('field.note'), note, required ? t('hint.note_required') : null));
  get.push((b) => { if (note.value.trim()) b.note = note.value.trim(); });
  const photo = x.has.has('attachments') ? photoPicker() : null;
  if (photo) nodes.push(...photo.nodes);
  return { nodes, collect: (b) => { get.forEach((g) => g(b)); return b; }, photo };
}

async function actionForm(a, c, ref, done) {
  const { action } = a;
  const { nodes, collect, photo } = await actionControls(a, c, ref);
  const title = tOr(`action.${action}`, a.label);
  const submit = h('button', { type: 'submit', class: 'primary' }, title);
  const form = h('form', { class: 'action-form card', 'data-action-form': action, novalidate: true },
    h('h3', null, title), nodes,
    h('div', { class: 'buttons' }, submit,
      h('button', { type: 'button', onclick: () => form.remove() }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = collect({ action, expect_seq: c.last_seq });
    await busy(submit, '…', async () => {
      try {
        const url = photo ? await photo.attach() : null;
        if (url) body.attachments = [url];
      } catch (err) {
        showError(form, { field: 'photo', message: t('report.photoFailed', { msg: errorText(err) }) });
        return;
      }
      try {
        if (action === 'whistle') {
          const { action: _a, expect_seq: _s, ...w } = body;
          await api('POST', `/cases/${c.id}/whistles`, w);
        } else {
          await api('POST', `/cases/${c.id}/actions`, body);
        }
        done(action);
      } catch (err) {
        showError(form, err, { unit: 'unit', units: 'units' });
      }
    });
  });
  return form;
}

function detailList(c, ref) {
  const row = (k, v) => [h('dt', null, k), h('dd', null, v)];
  return h('dl', { class: 'details' },
    row(t('case.category'), categoryName(ref, c.category)),
    row(t('case.channel'), tOr(`channel.${c.channel}`, c.channel)),
    row(t('case.nature'), tOr(`nature.${c.nature}`, c.nature)),
    row(t('case.priority'), tOr(`prio.${c.priority}`, c.priority)),
    row(t('case.address'), c.address || t('common.none')),
    row(t('case.grid'), c.grid ? `${c.grid}${c.grid_status === 'outside' ? '' : ''}` : (c.grid_status === 'outside' ? t('case.outside') : t('common.none'))),
    row(t('case.reporter'), [c.reporter.name, c.reporter.phone].filter(Boolean).join(' ') || (c.reporter.id ? `#${c.reporter.id}` : t('common.none'))),
    row(t('case.lead'), unitName(ref, c.lead_unit)),
    c.co_units.length ? row(t('case.co'), c.co_units.map((u) => unitName(ref, u)).join('、')) : null,
    row(t('case.created'), fmtTime(c.created_at)),
    row(t('case.due'), c.due_at ? [fmtTime(c.due_at), ' ', dueMark(c)] : t('common.none')),
    row(t('case.closeDue'), fmtTime(c.close_due)),
    c.visit ? row(t('case.visit'), `${c.visit.resolved ? '✔' : '✘'} ${t(`sat.${c.visit.satisfaction}`)}`) : null,
    row(t('case.countsLabel'), t('case.counts', c.counts)));
}

function deadlinesTable(c) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'deadlines' },
    h('thead', null, h('tr', null, [t('case.stage'), t('case.started'), t('case.due'), t('case.done'), ''].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, (c.deadlines || []).map((d) => h('tr', { class: d.late ? 'late' : '' },
      h('th', { scope: 'row' }, t(`stage.${d.stage}`)),
      h('td', null, d.started ? fmtTime(d.started) : '—'),
      h('td', null, d.due ? fmtTime(d.due) : '—'),
      h('td', null, d.done ? fmtTime(d.done) : (d.started ? t('case.running') : '—')),
      h('td', null, d.started ? h('span', { class: `badge ${d.late ? 'due-overdue' : 'due-ok'}` }, d.late ? t('case.late') : t('case.onTime')) : ''))))));
}

function timeline(c, ref) {
  return h('ol', { class: 'timeline' }, (c.events || []).map((e) => h('li', { 'data-seq': e.seq, 'data-action': e.action },
    h('div', { class: 'tl-head' },
      h('strong', null, tOr(`action.${e.action}`, e.action)), ' ',
      e.to && e.from !== e.to ? stateBadge(e.to) : null,
      h('span', { class: 'tl-when' }, fmtTime(e.at))),
    h('div', { class: 'tl-who' }, e.actor_role ? t(`role.${e.actor_role}`) : t('case.system'),
      e.actor_id && ref.user && ref.user.get(e.actor_id) ? ` ${ref.user.get(e.actor_id)}` : '',
      e.actor_unit ? ` · ${unitName(ref, e.actor_unit)}` : '',
      e.unit ? ` → ${unitName(ref, e.unit)}` : '',
      e.units && e.units.length ? ` (+${e.units.map((u) => unitName(ref, u)).join('、')})` : ''),
    e.note ? h('p', { class: 'tl-note' }, e.note) : null,
    e.action === 'visit' ? h('p', { class: 'tl-note' }, `${e.flag ? '✔' : '✘'} ${t(`sat.${['', 'satisfied', 'basically_satisfied', 'unsatisfied'][e.amount] || 'unsatisfied'}`)}`) : null,
    e.attachments && e.attachments.length ? h('div', { class: 'attachments' }, e.attachments.map(attachmentView)) : null)));
}

function whistleList(c, ref) {
  if (!c.whistles || !c.whistles.length) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'h-wh' }, h('h2', { id: 'h-wh' }, t('case.whistles')),
    h('ul', { class: 'whistles' }, c.whistles.map((w) => h('li', { 'data-whistle': w.id },
      h('strong', null, `#${w.id} ${tOr(`wtype.${w.type}`, w.type)}`), ` · ${fmtTime(w.blown_at)} → ${fmtTime(w.report_due)}`,
      w.note ? h('p', null, w.note) : null,
      h('ul', null, w.units.map((u) => h('li', null, unitName(ref, u.unit), ': ',
        u.reported_at ? h('span', { class: `badge ${u.on_time ? 'due-ok' : 'due-overdue'}` }, t('case.unitReported', { at: fmtTime(u.reported_at) }))
          : h('span', { class: 'badge due-risk' }, t('case.unitWaiting')),
        u.score !== null ? ` · ${t('case.score', { score: u.score })}` : '',
        u.comment ? ` · ${u.comment}` : '')))))));
}

async function miniMap(el, c) {
  const { createMap, gridLayer } = await import('../mapbase.js');
  const map = createMap(el, { zoomControl: true, zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false });
  const L = (await import('leaflet')).default;
  if (c.grid) {
    try {
      const g = await gridLayer({ code: c.grid });
      if (g) g.addTo(map);
    } catch { /* the boundary is a nicety */ }
  }
  L.circleMarker([c.lat, c.lon], { radius: 9, color: '#b3261e', weight: 3, fillOpacity: 0.6, className: 'case-marker' }).addTo(map);
  map.setView([c.lat, c.lon], 16);
  return map;
}

export async function render(main, params) {
  const id = params.id;
  let map = null;
  let gen = 0;
  const load = async (doneMsg) => {
    const mine = ++gen;
    if (map) { map.remove(); map = null; }
    clear(main);
    main.append(statusLine(t('common.loading')));
    let c;
    let ref;
    try {
      [c, ref] = await Promise.all([api('GET', `/cases/${id}`), refData()]);
      // People's names, for the roles that may list users (others see roles and units).
      if (['dispatcher', 'leader', 'admin'].includes(session.user.role)) {
        const users = await cached('/users').catch(() => ({ items: [] }));
        ref = { ...ref, user: new Map(users.items.map((u) => [u.id, u.name || u.username])) };
      }
    } catch (err) {
      clear(main);
      main.append(h('h1', null, t('case.heading', { id })),
        statusLine(err.code === 'not_found' ? t('case.notFound') : errorText(err), 'error'));
      return;
    }
    clear(main);
    const actionsBox = h('div', { class: 'action-forms' });
    const buttons = c.actions.map((a) => h('button', {
      type: 'button', class: 'action', 'data-action': a.action,
      onclick: async () => {
        clear(actionsBox);
        const form = await actionForm(a, c, ref, (done) => load(t('case.done_ok', { action: tOr(`action.${done}`, a.label) })));
        actionsBox.append(form);
        const first = form.querySelector('input, select, textarea, button');
        if (first) first.focus();
      },
    }, tOr(`action.${a.action}`, a.label)));
    const mapEl = c.lat !== null ? h('div', { class: 'mini-map', role: 'region', 'aria-label': t('case.location') }) : null;
    main.append(...[
      h('h1', { class: 'case-h' }, t('case.heading', { id: c.id }), ' ', stateBadge(c.state), ' ', dueMark(c)),
      h('p', { class: 'case-title-line' }, c.title),
      doneMsg ? statusLine(doneMsg, 'ok') : null,
      h('section', { class: 'card actions-card', 'aria-labelledby': 'h-act' }, h('h2', { id: 'h-act' }, t('case.actions')),
        buttons.length ? h('div', { class: 'action-buttons' }, buttons) : h('p', { class: 'empty' }, t('case.noActions')),
        actionsBox),
      h('div', { class: 'case-cols' },
        h('section', { class: 'card', 'aria-labelledby': 'h-det' }, h('h2', { id: 'h-det' }, t('case.details')),
          h('p', { class: 'description' }, c.description), detailList(c, ref)),
        h('section', { class: 'card', 'aria-labelledby': 'h-loc' }, h('h2', { id: 'h-loc' }, t('case.location')),
          mapEl || h('p', { class: 'empty' }, t('case.noPosition')),
          mapEl ? h('p', { class: 'hint' }, `${c.lat.toFixed(6)}, ${c.lon.toFixed(6)} (WGS-84)`, ' ', link(`/map?case=${c.id}`, t('nav.map'))) : null)),
      h('section', { class: 'card', 'aria-labelledby': 'h-dl' }, h('h2', { id: 'h-dl' }, t('case.deadlines')), deadlinesTable(c)),
      whistleList(c, ref),
      h('section', { class: 'card', 'aria-labelledby': 'h-tl' }, h('h2', { id: 'h-tl' }, t('case.timeline')), timeline(c, ref)),
    ].filter(Boolean));
    if (mapEl) {
      miniMap(mapEl, c).then((m) => {
        if (mine === gen) map = m;
        else m.remove(); // the page was redrawn meanwhile
      }).catch(() => {});
    }
  };
  await load(params.query.get('new') ? t('report.done', { id }) : null);
  return () => { gen++; if (map) map.remove(); map = null; };
}
