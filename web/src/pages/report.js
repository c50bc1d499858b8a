// The report form (resident, grid worker; the command centre on someone's behalf),
// made for a phone: category picker with search, description, photo, position
// from the device or the map (GCJ-02/BD-09 typed coordinates converted by the
// server), and the grid the position falls in (GET /places/locate).
import { api, cached, session } from '../api.js';
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { refData } from '../caseview.js';
import { field, showError, clearErrors, busy, errorText } from '../forms.js';
import { navigate } from '../main.js';
import { photoPicker } from '../photos.js';

const DRAFT_KEY = 'chuishao.reportDraft';

export async function render(main) {
  const user = session.user;
  const ref = await refData();
  const groups = [...new Set(ref.categories.map((c) => c.group))];

  const search = h('input', { type: 'search', autocomplete: 'off' });
  const category = h('select', { required: true });
  const fillCategories = () => {
    const q = search.value.trim();
    const keep = category.value;
    clear(category);
    category.append(h('option', { value: '' }, t('report.chooseCategory')));
    for (const g of groups) {
      const items = ref.categories.filter((c) => c.group === g && (!q || c.name.includes(q) || g.includes(q) || c.code.startsWith(q)));
      if (items.length) category.append(h('optgroup', { label: g }, items.map((c) => h('option', { value: c.code }, c.name))));
    }
    category.value = keep;
  };
  search.addEventListener('input', fillCategories);
  fillCategories();

  const description = h('textarea', { rows: 4, maxlength: 4000, required: true });
  const title = h('input', { type: 'text', maxlength: 100 });
  const address = h('input', { type: 'text', maxlength: 200, autocomplete: 'street-address' });
  const phone = h('input', { type: 'tel', autocomplete: 'tel', inputmode: 'tel' });
  const lat = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' });
  const lon = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' });
  const crs = h('select', null, ['wgs84', 'gcj02', 'bd09'].map((c) => h('option', { value: c }, t(`crs.${c}`))));
  const gridInfo = h('p', { class: 'grid-info', role: 'status', 'aria-live': 'polite' });
  const locateBtn = h('button', { type: 'button' }, t('report.locate'));
  const photo = photoPicker(t('hint.photo'));
  const mapEl = h('div', { class: 'pick-map', role: 'region', 'aria-label': t('report.pickOnMap') });
  const selfHandled = user.role === 'grid' ? h('input', { type: 'checkbox', name: 'self_handled' }) : null;
  // The command centre records reports on someone's behalf (hotline, petitions).
  const onBehalf = user.role === 'dispatcher' || user.role === 'admin';
  const channel = onBehalf ? h('select', null, ['hotline_12345', 'phone', 'petition', 'street_office', 'deliberation_hall', 'leader', 'media', 'wechat', 'video']
    .map((c) => h('option', { value: c }, t(`channel.${c}`)))) : null;
  const nature = h('select', null, ['complaint', 'consult', 'help', 'report', 'suggestion', 'praise', 'other']
    .map((n) => h('option', { value: n }, t(`nature.${n}`))));
  const priority = user.role === 'resident' ? null : h('select', null, ['normal', 'urgent'].map((p) => h('option', { value: p }, t(`prio.${p}`))));
  const reporterName = onBehalf ? h('input', { type: 'text', maxlength: 50, autocomplete: 'off' }) : null;
  const sourceRef = onBehalf ? h('input', { type: 'text', maxlength: 60, autocomplete: 'off' }) : null;
  const submit = h('button', { type: 'submit', class: 'primary big' }, t('report.submit'));

  const form = h('form', { class: 'report-form card narrow', novalidate: true },
    h('h1', null, t('report.heading')),
    field('search', t('field.search'), search),
    field('category', t('field.category'), category),
    field('description', t('field.description'), description),
    field('title', t('field.title'), title),
    photo.nodes,
    h('fieldset', { class: 'position' }, h('legend', null, t('case.location')),
      h('p', { class: 'hint' }, t('hint.position')),
      locateBtn,
      h('div', { class: 'row2' }, field('lat', t('field.lat'), lat), field('lon', t('field.lon'), lon)),
      field('coord_sys', t('field.coord_sys'), crs),
      mapEl, gridInfo),
    field('address', t('field.address'), address),
    field('nature', t('field.nature'), nature),
    priority ? field('priority', t('field.priority'), priority) : null,
    channel ? field('channel', t('field.channel'), channel) : null,
    reporterName ? field('reporter_name', t('field.reporter_name'), reporterName) : null,
    field('reporter_phone', t('field.reporter_phone'), phone),
    sourceRef ? field('source_ref', t('field.source_ref'), sourceRef) : null,
    selfHandled ? h('label', { class: 'choice' }, selfHandled, ' ', t('report.selfHandled')) : null,
    submit);
  main.append(form);

  // Keep what was typed across reloads until it is sent.
  const draftFields = { category, description, title, address, reporter_phone: phone, lat, lon, coord_sys: crs };
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || '{}');
    for (const [k, el] of Object.entries(draftFields)) if (d[k] !== undefined) el.value = d[k];
  } catch { /* ignore */ }
  form.addEventListener('input', () => {
    const d = {};
    for (const [k, el] of Object.entries(draftFields)) d[k] = el.value;
    try { sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d)); } catch { /* ignore */ }
  });

  let names = null;
  const showGrid = async () => {
    const la = Number(lat.value);
    const lo = Number(lon.value);
    if (!lat.value || !lon.value || !Number.isFinite(la) || !Number.isFinite(lo)) { gridInfo.textContent = ''; return; }
    try {
      const r = await api('GET', '/places/locate', null, { lon: lo, lat: la, crs: crs.value });
      if (!r.grid) { gridInfo.textContent = t('report.gridNone'); gridInfo.dataset.grid = ''; }
      else {
        if (!names) names = new Map((await cached('/places', { kind: 'grid' })).items.map((p) => [p.code, p.name]));
        gridInfo.textContent = t('report.gridIs', { name: names.get(r.grid) || r.grid, code: r.grid });
        gridInfo.dataset.grid = r.grid;
      }
      if (marker) marker.setLatLng([r.wgs84[1], r.wgs84[0]]);
      else if (pickMap) marker = L.circleMarker([r.wgs84[1], r.wgs84[0]], { radius: 8, color: '#b3261e' }).addTo(pickMap);
      if (pickMap) pickMap.panTo([r.wgs84[1], r.wgs84[0]]);
    } catch (err) {
      gridInfo.textContent = errorText(err);
    }
  };
  for (const el of [lat, lon, crs]) el.addEventListener('change', showGrid);

  locateBtn.addEventListener('click', () => {
    if (!navigator.geolocation) { gridInfo.textContent = t('report.geoDenied', { msg: 'geolocation' }); return; }
    locateBtn.disabled = true;
    locateBtn.textContent = t('report.locating');
    navigator.geolocation.getCurrentPosition((p) => {
      locateBtn.disabled = false;
      locateBtn.textContent = t('report.locate');
      lat.value = p.coords.latitude.toFixed(7);
      lon.value = p.coords.longitude.toFixed(7);
      crs.value = 'wgs84'; // the browser's Geolocation API gives WGS-84
      form.dispatchEvent(new Event('input'));
      showGrid();
    }, (e) => {
      locateBtn.disabled = false;
      locateBtn.textContent = t('report.locate');
      gridInfo.textContent = t('report.geoDenied', { msg: e.message });
    }, { enableHighAccuracy: true, timeout: 15000 });
  });

  // The pick map (lazy: Leaflet is loaded only here and on the map pages).
  let pickMap = null;
  let marker = null;
  let L = null;
  let closed = false;
  import('../mapbase.js').then(async (mb) => {
    if (closed) return;
    L = mb.L;
    pickMap = mb.createMap(mapEl, { preferCanvas: false, zoomAnimation: false });
    const grids = await mb.gridLayer({ kind: 'grid' }).catch(() => null);
    if (closed) return;
    if (grids) { grids.addTo(pickMap); pickMap.fitBounds(grids.getBounds()); }
    pickMap.on('click', (e) => {
      lat.value = e.latlng.lat.toFixed(7);
      lon.value = e.latlng.lng.toFixed(7);
      crs.value = 'wgs84';
      form.dispatchEvent(new Event('input'));
      showGrid();
    });
    if (lat.value && lon.value) showGrid();
  }).catch(() => {});

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { category: category.value, description: description.value.trim() };
    if (title.value.trim()) body.title = title.value.trim();
    if (address.value.trim()) body.address = address.value.trim();
    if (phone.value.trim()) body.reporter_phone = phone.value.trim();
    if (nature.value !== 'complaint') body.nature = nature.value;
    if (priority && priority.value !== 'normal') body.priority = priority.value;
    if (channel) body.channel = channel.value;
    if (reporterName && reporterName.value.trim()) body.reporter_name = reporterName.value.trim();
    if (sourceRef && sourceRef.value.trim()) body.source_ref = sourceRef.value.trim();
    if (lat.value.trim() || lon.value.trim()) {
      const la = Number(lat.value);
      const lo = Number(lon.value);
      if (!lat.value.trim() || !Number.isFinite(la)) { showError(form, { field: 'lat', code: 'invalid', message: t('field.lat') }); return; }
      if (!lon.value.trim() || !Number.isFinite(lo)) { showError(form, { field: 'lon', code: 'invalid', message: t('field.lon') }); return; }
      body.lat = la;
      body.lon = lo;
      body.coord_sys = crs.value;
    }
    if (selfHandled && selfHandled.checked) body.self_handled = true;
    await busy(submit, t('report.busy'), async () => {
      try {
        const url = await photo.attach();
        if (url) body.attachments = [url];
      } catch (err) {
        showError(form, { field: 'photo', message: t('report.photoFailed', { msg: errorText(err) }) });
        return;
      }
      try {
        const c = await api('POST', '/cases', body);
        try { sessionStorage.removeItem(DRAFT_KEY); } catch { /* ignore */ }
        navigate(`/cases/${c.id}?new=1`);
      } catch (err) {
        showError(form, err, { coord_sys: 'coord_sys', self_handled: 'category' });
      }
    });
  });
  return () => { closed = true; if (pickMap) pickMap.remove(); pickMap = null; };
}

