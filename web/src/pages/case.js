// The case page: details, position on a small map, deadlines, whistles, the
// timeline of events, and a form for every action the caller may take now
// (GET /cases/{id} lists them as `actions`).
import { api, cached, session } from '../api.js';
import { h, clear, fmtTime, statusLine, link } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { refData, stateBadge, dueMark, categoryName, unitName } from '../caseview.js';
import { field, choiceGroup, showError, clearErrors, busy, errorText } from '../forms.js';
import { attachmentView, photoPicker } from '../photos.js';

// Actions whose form takes a photo (uploaded, then sent in `attachments`).
const PHOTO_ACTIONS = new Set(['feedback', 'progress', 'close']);

// Actions whose note is required (docs/api.md, POST /cases/{id}/actions).
const NOTE_REQUIRED = new Set(['comment', 'defer', 'deny_extension', 'feedback', 'hang', 'progress', 'reassign',
  'reject', 'reopen', 'request_extension', 'return', 'rework', 'supervise', 'void']);
// The fields each action asks for besides the note.
const ACTION_FIELDS = {
  dispatch: ['unit', 'units'],
  reassign: ['unit', 'units'],
  merge: ['master'],
  send_verify: ['verifier'],
  verify: ['confirmed'],
  request_extension: ['span'],
  approve_extension: ['span'],
  visit: ['resolved', 'satisfaction'],
  whistle: ['type', 'wunits', 'limit_minutes'],
  whistle_rate: ['whistle', 'rate_unit', 'score'],
  whistle_report: ['whistle'],
};

function unitOptions(ref, exclude) {
  return ref.units.filter((u) => u.id !== exclude);
}

// Builds the controls of one action's form. Returns {nodes, collect()}.
async function actionControls(action, c, ref) {
  const nodes = [];
  const get = [];
  for (const f of ACTION_FIELDS[action] || []) {
    if (f === 'unit') {
      const cat = ref.category.get(c.category);
      const pick = (u) => (action === 'dispatch' ? (c.lead_unit ? u.id === c.lead_unit : cat && u.code === cat.unit_code) : false);
      const sel = h('select', { required: true }, h('option', { value: '' }, '—'),
        unitOptions(ref).map((u) => h('option', { value: u.id, selected: pick(u) }, u.name)));
      nodes.push(field('unit', t('field.unit'), sel));
      get.push((b) => { if (sel.value) b.unit = Number(sel.value); });
    } else if (f === 'units' || f === 'wunits') {
      const g = choiceGroup('units', t('field.units'), 'checkbox',
        unitOptions(ref).map((u) => ({ value: u.id, label: u.name })), t('hint.units'));
      nodes.push(g);
      get.push((b) => {
        const v = [...g.querySelectorAll('input:checked')].map((i) => Number(i.value));
        if (v.length || f === 'wunits') b.units = v;
      });
    } else if (f === 'master') {
      const inp = h('input', { type: 'number', min: 1, inputmode: 'numeric', required: true });
      nodes.push(field('master', t('field.master'), inp));
      get.push((b) => { if (inp.value) b.master = Number(inp.value); });
    } else if (f === 'verifier') {
      let users = [];
      try { users = (await api('GET', '/users')).items.filter((u) => u.role === 'grid' && !u.disabled); } catch { users = []; }
      const sel = h('select', null, h('option', { value: '' }, t('hint.verifier')),
        users.map((u) => h('option', { value: u.id }, `${u.name || u.username}（${u.grid || u.username}）`)));
      nodes.push(field('verifier', t('field.verifier'), sel));
      get.push((b) => { if (sel.value) b.verifier = Number(sel.value); });
    } else if (f === 'confirmed') {
      const g = choiceGroup('confirmed', t('field.confirmed'), 'radio',
        [{ value: 'true', label: t('common.yes'), checked: true }, { value: 'false', label: t('common.no') }]);
      nodes.push(g);
      get.push((b) => { b.confirmed = g.querySelector('input:checked').value === 'true'; });
    } else if (f === 'span') {
      const inp = h('input', { type: 'text', required: action === 'request_extension', placeholder: '2wd', autocomplete: 'off' });
      nodes.push(field('span', t('field.span'), inp, t('hint.span')));
      get.push((b) => { if (inp.value.trim()) b.span = inp.value.trim(); });
    } else if (f === 'resolved') {
      const g = choiceGroup('resolved', t('field.resolved'), 'radio',
        [{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }]);
      nodes.push(g);
      get.push((b) => { const v = g.querySelector('input:checked'); if (v) b.resolved = v.value === 'true'; });
    } else if (f === 'satisfaction') {
      const g = choiceGroup('satisfaction', t('field.satisfaction'), 'radio',
        ['satisfied', 'basically_satisfied', 'unsatisfied'].map((s) => ({ value: s, label: t(`sat.${s}`) })));
      nodes.push(g);
      get.push((b) => { const v = g.querySelector('input:checked'); if (v) b.satisfaction = v.value; });
    } else if (f === 'type') {
      const cat = ref.category.get(c.category);
      const sel = h('select', { required: true }, ref.wtypes.map((w) => h('option', { value: w.code, selected: cat && cat.whistle === w.code },
        `${tOr(`wtype.${w.code}`, w.name)}（${t('common.minutes', { n: w.limit_minutes })}）`)));
      nodes.push(field('type', t('field.type'), sel));
      get.push((b) => { b.type = sel.value; });
    } else if (f === 'limit_minutes') {
      const inp = h('input', { type: 'number', min: 1, max: 10080, inputmode: 'numeric' });
      nodes.push(field('limit_minutes', t('field.limit_minutes'), inp));
      get.push((b) => { if (inp.value) b.limit_minutes = Number(inp.value); });
    } else if (f === 'whistle') {
      const user = session.user;
      const ws = (c.whistles || []).filter((w) => action !== 'whistle_report' || user.role === 'admin'
        || w.units.some((u) => u.unit === user.unit && !u.reported_at));
      const sel = h('select', { required: true }, ws.map((w) => h('option', { value: w.id },
        `#${w.id} ${tOr(`wtype.${w.type}`, w.type)} · ${fmtTime(w.blown_at)}`)));
      nodes.push(field('whistle', t('field.whistle'), sel));
      get.push((b) => { if (sel.value) b.whistle = Number(sel.value); });
      if (action === 'whistle_rate') {
        const usel = h('select', { required: true });
        const fill = () => {
          clear(usel);
          const w = ws.find((x) => String(x.id) === sel.value);
          for (const u of (w ? w.units : [])) usel.append(h('option', { value: u.unit }, unitName(ref, u.unit)));
        };
        sel.addEventListener('change', fill);
        fill();
        nodes.push(field('unit', t('field.unit'), usel));
        get.push((b) => { if (usel.value) b.unit = Number(usel.value); });
      }
    } else if (f === 'score') {
      const inp = h('input', { type: 'number', min: 0, max: 100, inputmode: 'numeric', required: true });
      nodes.push(field('score', t('field.score'), inp));
      get.push((b) => { if (inp.value !== '') b.score = Number(inp.value); });
    }
  }
  const note = h('textarea', { rows: 3, maxlength: 2000, required: NOTE_REQUIRED.has(action) });
  nodes.push(field('note', t('field.note'), note, NOTE_REQUIRED.has(action) ? t('hint.note_required') : null));
  get.push((b) => { if (note.value.trim()) b.note = note.value.trim(); });
  return { nodes, collect: (b) => { get.forEach((g) => g(b)); return b; } };
}

async function actionForm(action, c, ref, done) {
  const { nodes, collect } = await actionControls(action, c, ref);
  const photo = PHOTO_ACTIONS.has(action) ? photoPicker() : null;
  if (photo) nodes.push(...photo.nodes);
  const submit = h('button', { type: 'submit', class: 'primary' }, t(`action.${action}`));
  const form = h('form', { class: 'action-form card', 'data-action-form': action, novalidate: true },
    h('h3', null, t(`action.${action}`)), nodes,
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
        const form = await actionForm(a.action, c, ref, (done) => load(t('case.done_ok', { action: t(`action.${done}`) })));
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
