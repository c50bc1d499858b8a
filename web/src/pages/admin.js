// The administrator's page: users (list, add), units (list, add), grid teams
// (look up a grid's team, add a member) and the boundary import (a dry run with
// its report first, then the real import). Other roles are told it is not theirs.
import { api, session } from '../api.js';
import { h, clear, statusLine } from '../dom.js';
import { t } from '../i18n.js';
import { field, showError, clearErrors, busy, errorText } from '../forms.js';

const ROLES = ['resident', 'grid', 'dispatcher', 'handler', 'leader', 'admin'];
const UNIT_KINDS = ['department', 'alliance', 'community', 'property', 'other'];
const TEAM_ROLES = ['leader', 'supervisor', 'enforcement', 'community', 'sanitation', 'police', 'building_head', 'volunteer', 'property'];

const opt = (value, label, selected) => h('option', { value, selected }, label);
const input = (attrs) => h('input', { type: 'text', autocomplete: 'off', ...attrs });

function table(cls, headings, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: cls },
    h('thead', null, h('tr', null, headings.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows)));
}

export async function render(main) {
  const me = session.user;
  if (!me || me.role !== 'admin') {
    main.append(h('h1', null, t('admin.heading')), statusLine(t('admin.notAllowed'), 'error'));
    return null;
  }
  const [usersR, unitsR] = await Promise.all([api('GET', '/users'), api('GET', '/units')]);
  const state = { users: usersR.items, units: unitsR.items };

  main.append(h('h1', null, t('admin.heading')),
    usersSection(state), unitsSection(state), teamSection(state), importSection());
  return null;
}

// ---- users ----------------------------------------------------------------

// POSTs an add form's body; on success empties the form, lets added(item)
// update the page and shows the message it returns; on failure shows the
// error next to its field (a taken name is a conflict that may not name
// its field: takenField) and keeps what was typed.
async function addOne({ form, submit, done, path, body, takenField }, added) {
  await busy(submit, t('admin.busy'), async () => {
    try {
      const item = await api('POST', path, body);
      form.reset();
      done.append(statusLine(added(item), 'ok'));
    } catch (err) {
      if (err.code === 'conflict' && !err.field) err.field = takenField;
      showError(form, err);
    }
  });
}

function usersSection(state) {
  const listEl = h('div');
  const countEl = h('small', { class: 'count' }, String(state.users.length));
  const unitName = (id) => {
    const u = state.units.find((x) => x.id === id);
    return u ? u.name : '';
  };
  const drawList = () => {
    countEl.textContent = String(state.users.length);
    clear(listEl).append(table('users-table', [t('admin.username'), t('admin.name'), t('admin.role'), t('admin.unit'), t('admin.grid'), t('admin.phone')],
      state.users.map((u) => h('tr', { 'data-user': u.username },
        h('th', { scope: 'row' }, u.username), h('td', null, u.name || ''), h('td', null, t(`role.${u.role}`)),
        h('td', null, u.unit ? unitName(u.unit) : ''), h('td', null, u.grid || ''), h('td', null, u.phone || '')))));
  };

  const username = input({ maxlength: 32, required: true, autocapitalize: 'off', spellcheck: 'false' });
  const name = input({ maxlength: 50 });
  const role = h('select', { required: true }, ROLES.map((r) => opt(r, t(`role.${r}`), r === 'resident')));
  const password = h('input', { type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 256 });
  const unit = h('select');
  const fillUnits = () => {
    const keep = unit.value;
    clear(unit).append(opt('', t('admin.chooseUnit')), ...state.units.map((u) => opt(String(u.id), `${u.name}（${u.code}）`)));
    unit.value = keep;
  };
  fillUnits();
  state.onUnits = fillUnits; // units added below appear in the picker
  const grid = input({ maxlength: 20, inputmode: 'numeric' });
  const phone = h('input', { type: 'tel', autocomplete: 'off', inputmode: 'tel' });
  const unitField = field('unit', t('admin.unit'), unit, t('admin.unitHint'));
  const gridField = field('grid', t('admin.grid'), grid, t('admin.gridHint'));
  const toggle = () => {
    unitField.hidden = role.value !== 'handler';
    gridField.hidden = role.value !== 'grid';
  };
  role.addEventListener('change', toggle);
  toggle();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.addUser'));
  const done = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form', id: 'user-form', novalidate: true, 'aria-labelledby': 'user-form-h' },
    h('h3', { id: 'user-form-h' }, t('admin.addUser')),
    h('div', { class: 'row2' }, field('username', t('admin.username'), username, t('admin.usernameHint')), field('name', t('admin.name'), name)),
    h('div', { class: 'row2' }, field('role', t('admin.role'), role), field('password', t('admin.password'), password, t('admin.passwordHint'))),
    unitField, gridField,
    field('phone', t('admin.phone'), phone),
    submit, done);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    clear(done);
    const body = { username: username.value.trim(), role: role.value };
    if (!body.username) { showError(form, { field: 'username', message: t('common.required') }); return; }
    if (name.value.trim()) body.name = name.value.trim();
    if (password.value) body.password = password.value;
    if (role.value === 'handler') {
      if (!unit.value) { showError(form, { field: 'unit', message: t('common.required') }); return; }
      body.unit = Number(unit.value);
    }
    if (role.value === 'grid' && grid.value.trim()) body.grid = grid.value.trim();
    if (phone.value.trim()) body.phone = phone.value.trim();
    await addOne({ form, submit, done, path: '/users', body, takenField: 'username' }, (u) => {
      state.users.push(u);
      drawList();
      toggle();
      return t('admin.userAdded', { name: u.username });
    });
  });
  drawList();
  return h('section', { class: 'card', 'aria-labelledby': 'users-h', 'data-admin': 'users' },
    h('h2', { id: 'users-h' }, t('admin.users'), ' ', countEl),
    form, listEl);
}

// ---- units ----------------------------------------------------------------

function unitsSection(state) {
  const listEl = h('div');
  const drawList = () => {
    clear(listEl).append(table('units-table', [t('admin.code'), t('admin.name'), t('admin.kind'), t('admin.uscc'), t('admin.phone')],
      state.units.map((u) => h('tr', { 'data-unit': u.code },
        h('th', { scope: 'row' }, u.code), h('td', null, u.name), h('td', null, t(`admin.kinds.${u.kind}`)),
        h('td', null, u.uscc || ''), h('td', null, u.phone || '')))));
  };
  const code = input({ maxlength: 31, required: true, autocapitalize: 'characters' });
  const name = input({ maxlength: 100, required: true });
  const kind = h('select', null, UNIT_KINDS.map((k) => opt(k, t(`admin.kinds.${k}`), k === 'department')));
  const uscc = input({ maxlength: 18 });
  const phone = h('input', { type: 'tel', autocomplete: 'off', inputmode: 'tel' });
  const usccField = field('uscc', t('admin.uscc'), uscc, t('admin.usccHint'));
  const toggle = () => { usccField.hidden = kind.value !== 'alliance'; };
  kind.addEventListener('change', toggle);
  toggle();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.addUnit'));
  const done = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form', id: 'unit-form', novalidate: true, 'aria-labelledby': 'unit-form-h' },
    h('h3', { id: 'unit-form-h' }, t('admin.addUnit')),
    h('div', { class: 'row2' }, field('code', t('admin.code'), code), field('name', t('admin.name'), name)),
    field('kind', t('admin.kind'), kind), usccField,
    field('phone', t('admin.phone'), phone),
    submit, done);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    clear(done);
    const body = { code: code.value.trim(), name: name.value.trim(), kind: kind.value };
    if (!body.code) { showError(form, { field: 'code', message: t('common.required') }); return; }
    if (!body.name) { showError(form, { field: 'name', message: t('common.required') }); return; }
    if (kind.value === 'alliance' && uscc.value.trim()) body.uscc = uscc.value.trim();
    if (phone.value.trim()) body.phone = phone.value.trim();
    await addOne({ form, submit, done, path: '/units', body, takenField: 'code' }, (u) => {
      state.units.push(u);
      drawList();
      if (state.onUnits) state.onUnits();
      toggle();
      return t('admin.unitAdded', { name: u.code });
    });
  });
  drawList();
  return h('section', { class: 'card', 'aria-labelledby': 'units-h', 'data-admin': 'units' },
    h('h2', { id: 'units-h' }, t('admin.units')), form, listEl);
}

// ---- grid teams -----------------------------------------------------------

function teamSection(state) {
  const code = input({ maxlength: 20, inputmode: 'numeric', required: true });
  const showBtn = h('button', { type: 'submit' }, t('admin.showTeam'));
  const teamEl = h('div', { 'aria-live': 'polite' });
  const pick = h('form', { class: 'admin-form', id: 'team-pick', novalidate: true },
    field('grid', t('admin.gridCode'), code, t('admin.gridCodeHint')), showBtn);

  const user = h('select');
  const fillUsers = () => { // again each time a grid is picked: users added meanwhile appear
    const keep = user.value;
    clear(user).append(opt('', t('admin.chooseUser')),
      ...state.users.map((u) => opt(String(u.id), `${u.username}${u.name ? ` · ${u.name}` : ''}（${t(`role.${u.role}`)}）`)));
    user.value = keep;
  };
  fillUsers();
  const role = h('select', null, TEAM_ROLES.map((r) => opt(r, t(`admin.team.${r}`))));
  const addBtn = h('button', { type: 'submit', class: 'primary' }, t('admin.addMember'));
  const add = h('form', { class: 'admin-form', id: 'team-add', novalidate: true, hidden: true },
    h('div', { class: 'row2' }, field('user', t('admin.member'), user), field('role', t('admin.teamRole'), role)), addBtn);

  let current = null;
  const userLabel = (id) => {
    const u = state.users.find((x) => x.id === id);
    return u ? `${u.username}${u.name ? ` · ${u.name}` : ''}` : `#${id}`;
  };
  const drawTeam = (place) => {
    clear(teamEl);
    if (!place) { teamEl.append(statusLine(t('admin.teamUnknown'))); return; }
    const p = place.place && place.place.properties;
    teamEl.append(h('p', null, t('admin.teamOf', { name: p ? p.name : current, code: current })));
    const team = Array.isArray(place.team) ? place.team : null;
    if (!team) teamEl.append(statusLine(t('admin.teamUnknown')));
    else if (!team.length) teamEl.append(h('p', { class: 'hint' }, t('admin.teamEmpty')));
    else {
      teamEl.append(table('team-table', [t('admin.member'), t('admin.teamRole')],
        team.map((m) => h('tr', { 'data-member': m.user },
          h('th', { scope: 'row' }, userLabel(m.user)), h('td', null, t(`admin.team.${m.role}`))))));
    }
  };

  pick.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(pick);
    const c = code.value.trim();
    if (!c) { showError(pick, { field: 'grid', message: t('common.required') }); return; }
    await busy(showBtn, t('common.loading'), async () => {
      try {
        const place = await api('GET', `/places/${encodeURIComponent(c)}`);
        const kind = place && place.place && place.place.properties && place.place.properties.kind;
        if (place && kind && kind !== 'grid') {
          showError(pick, { field: 'grid', message: t('admin.notGrid') });
          add.hidden = true;
          clear(teamEl);
          return;
        }
        current = c;
        fillUsers();
        add.hidden = false;
        drawTeam(place);
      } catch (err) {
        add.hidden = true;
        clear(teamEl);
        showError(pick, err.code === 'not_found' ? { field: 'grid', message: t('admin.noSuchPlace') } : err);
      }
    });
  });

  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(add);
    if (!user.value) { showError(add, { field: 'user', message: t('common.required') }); return; }
    await busy(addBtn, t('admin.busy'), async () => {
      try {
        const place = await api('POST', `/places/${encodeURIComponent(current)}/team`, { user: Number(user.value), role: role.value });
        drawTeam(place);
      } catch (err) {
        showError(add, err, { code: 'user' });
      }
    });
  });

  return h('section', { class: 'card', 'aria-labelledby': 'team-h', 'data-admin': 'team' },
    h('h2', { id: 'team-h' }, t('admin.teams')), pick, teamEl, add);
}

// ---- boundary import ------------------------------------------------------

function importSection() {
  const file = h('input', { type: 'file', accept: '.geojson,.json,application/geo+json,application/json' });
  const epsg = input({ inputmode: 'numeric', maxlength: 6, value: '' });
  const check = h('button', { type: 'submit' }, t('admin.dryRun'));
  const confirm = h('button', { type: 'button', class: 'primary', hidden: true }, t('admin.importNow'));
  const report = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'admin-form', id: 'import-form', novalidate: true },
    h('p', { class: 'hint' }, t('admin.importHint')),
    field('file', t('admin.file'), file),
    field('epsg', t('admin.epsg'), epsg, t('admin.epsgHint')),
    check, ' ', confirm, report);

  let checked = null; // the Blob that passed the dry run
  file.addEventListener('change', () => { checked = null; confirm.hidden = true; clear(report); });
  epsg.addEventListener('input', () => { checked = null; confirm.hidden = true; });

  const run = async (dry) => {
    const f = file.files && file.files[0];
    const query = {};
    if (epsg.value.trim()) query.epsg = epsg.value.trim();
    if (dry) query.dry_run = 1;
    const blob = new Blob([await f.arrayBuffer()], { type: 'application/geo+json' });
    try {
      return { ok: true, body: await api('POST', '/places/import', blob, query) };
    } catch (err) {
      if (err.body && Array.isArray(err.body.issues)) return { ok: false, body: err.body, err };
      throw err;
    }
  };

  const drawReport = (r, dry) => {
    clear(report);
    const b = r.body || {};
    const places = Number(b.places) || 0;
    const problems = Number(b.problems) || 0;
    let line;
    if (!r.ok) line = statusLine(t('admin.importProblems', { places, problems }), 'error');
    else if (dry) line = statusLine(t('admin.importClean', { places }), 'ok');
    else line = statusLine(t('admin.imported', { places }), 'ok');
    report.append(line);
    report.dataset.problems = String(problems);
    report.dataset.stored = b.stored ? '1' : '0';
    const issues = Array.isArray(b.issues) ? b.issues : [];
    if (issues.length) {
      report.append(table('issues-table', [t('admin.code'), t('admin.issueKind'), t('admin.issueDetail'), t('admin.issueAt')],
        issues.map((i) => h('tr', null, h('th', { scope: 'row' }, i.other ? `${i.code} / ${i.other}` : i.code || ''),
          h('td', null, i.kind || ''), h('td', null, i.detail || ''),
          h('td', null, Array.isArray(i.at) ? i.at.map((x) => Number(x).toFixed(6)).join(', ') : '')))));
    }
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    confirm.hidden = true;
    checked = null;
    if (!file.files || !file.files[0]) { showError(form, { field: 'file', message: t('admin.chooseFile') }); return; }
    await busy(check, t('admin.checking'), async () => {
      try {
        const r = await run(true);
        drawReport(r, true);
        if (r.ok) { checked = file.files[0]; confirm.hidden = false; confirm.focus(); }
      } catch (err) {
        clear(report);
        showError(form, err.field === 'epsg' ? err : { ...err, message: err.message, field: 'file', code: err.code });
      }
    });
  });

  confirm.addEventListener('click', async () => {
    if (!checked) return;
    clearErrors(form);
    await busy(confirm, t('admin.importing'), async () => {
      try {
        const r = await run(false);
        drawReport(r, false);
        if (r.ok) confirm.hidden = true;
      } catch (err) {
        showError(form, err);
      }
    });
  });

  return h('section', { class: 'card', 'aria-labelledby': 'import-h', 'data-admin': 'import' },
    h('h2', { id: 'import-h' }, t('admin.import')), form);
}
