// The grid map: community and grid boundaries (GET /places as GeoJSON), the
// visible cases as markers (GET /cases, paged) and a density layer, filtered by
// state, category and report period. No external tiles unless configured.
import { api } from '../api.js';
import { h, clear, fmtTime, statusLine, chinaDate } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { refData, categoryName } from '../caseview.js';
import { field, errorText } from '../forms.js';
import { createMap, gridLayer, COMMUNITY_STYLE, GRID_STYLE, tileUrl, setTileUrl, L } from '../mapbase.js';
import { HeatLayer } from '../heat.js';
import { navigate } from '../main.js';

const STATES = ['reported', 'verifying', 'verified', 'registered', 'dispatched', 'returned', 'accepted', 'in_progress',
  'extension_requested', 'deferred', 'hung', 'handled', 'rework', 'closed', 'visited', 'self_handled', 'rejected', 'voided', 'merged'];
// Marker colours by how far along a case is.
const COLOURS = { intake: '#6a1b9a', open: '#c62828', working: '#ef6c00', check: '#1565c0', done: '#2e7d32', other: '#616161' };
function colourOf(state) {
  if (['reported', 'verifying', 'verified'].includes(state)) return COLOURS.intake;
  if (['registered', 'dispatched', 'returned'].includes(state)) return COLOURS.open;
  if (['accepted', 'in_progress', 'extension_requested', 'deferred', 'hung', 'rework'].includes(state)) return COLOURS.working;
  if (state === 'handled') return COLOURS.check;
  if (['closed', 'visited', 'self_handled'].includes(state)) return COLOURS.done;
  return COLOURS.other;
}

const PAGES = 3; // pages of 1,000 cases read for the density layer; markers: the first page

// The newest visible cases matching the server-side filters, PAGES pages at most.
async function loadCases(filter) {
  const out = [];
  let before = null;
  for (let i = 0; i < PAGES; i++) {
    const r = await api('GET', '/cases', null, { limit: 1000, before, ...filter });
    out.push(...r.items);
    if (!r.next_before) break;
    before = r.next_before;
  }
  return out;
}

export async function render(main, params) {
  main.classList.add('wide');
  const ref = await refData();
  const stateSel = h('select', null, h('option', { value: '' }, t('common.all')),
    STATES.map((s) => h('option', { value: s }, t(`state.${s}`))));
  const catSel = h('select', null, h('option', { value: '' }, t('common.all')),
    ref.categories.map((c) => h('option', { value: c.code }, `${c.group} · ${c.name}`)));
  const from = h('input', { type: 'date' });
  const to = h('input', { type: 'date', max: chinaDate() });
  const layerBox = (name, checked) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name, checked }), ' ', t(`map.${name}`));
  const layers = h('fieldset', { class: 'field choices' }, h('legend', null, t('map.layers')),
    h('div', { class: 'choice-list' }, layerBox('communities', true), layerBox('grids', true), layerBox('markers', true), layerBox('heat', false)));
  const tile = h('input', { type: 'url', value: tileUrl(), placeholder: 'https://…/{z}/{x}/{y}.png', autocomplete: 'off' });
  const count = h('p', { class: 'status', role: 'status', id: 'map-count' });
  const mapEl = h('div', { class: 'big-map', id: 'map', role: 'region', 'aria-label': t('map.heading') });
  const legend = h('ul', { class: 'legend', 'aria-label': t('map.legend') },
    [['intake', 'reported'], ['open', 'registered'], ['working', 'in_progress'], ['check', 'handled'], ['done', 'closed']].map(([k, s]) =>
      h('li', null, h('span', { class: 'swatch', style: `background:${COLOURS[k]}` }), t(`state.${s}`))));
  const filters = h('form', { class: 'map-filters card', novalidate: true },
    field('state', t('map.state'), stateSel), field('category', t('map.category'), catSel),
    field('from', `${t('map.period')} ${t('common.from')}`, from), field('to', `${t('map.period')} ${t('common.to')}`, to),
    layers, h('button', { type: 'submit', class: 'primary' }, t('common.apply')),
    h('details', null, h('summary', null, t('map.tileUrl')), field('tile', t('map.tileUrl'), tile)));
  main.append(h('h1', null, t('map.heading')), h('div', { class: 'map-layout' }, h('div', null, filters, legend), h('div', null, mapEl, count)));

  const map = createMap(mapEl, { preferCanvas: false });
  map.createPane('cases').style.zIndex = 450; // markers above every boundary
  let zooming = false;
  map.on('zoomanim', () => { zooming = true; });
  map.on('zoomend', () => { zooming = false; });
  const groups = { communities: null, grids: null, markers: L.layerGroup(), heat: new HeatLayer([]) };
  try {
    const [comm, grids] = await Promise.all([
      gridLayer({ kind: 'community' }, COMMUNITY_STYLE),
      gridLayer({ kind: 'grid' }, GRID_STYLE, (f, layer) => {
        layer.bindTooltip(`${f.properties.name}（${f.properties.code}）`, { sticky: true });
        layer.on('add', () => { const el = layer.getElement && layer.getElement(); if (el) { el.classList.add('grid-poly'); el.dataset.grid = f.properties.code; } });
      }),
    ]);
    groups.communities = comm;
    groups.grids = grids;
    if (grids) map.fitBounds(grids.getBounds(), { padding: [10, 10] });
    mapEl.dataset.grids = grids ? String(grids.getLayers().length) : '0';
  } catch (err) {
    count.replaceWith(statusLine(errorText(err), 'error'));
  }

  let closed = false;
  const apply = async () => {
    // The period goes to the server (GET /cases from/to: report dates), so the
    // newest cases read are those of the period.
    const filter = { state: stateSel.value, category: catSel.value, from: from.value, to: to.value };
    let cases;
    try {
      cases = await loadCases(filter);
    } catch (err) {
      count.textContent = errorText(err);
      return;
    }
    if (closed) return;
    const lo = from.value;
    const hi = to.value;
    const first = new Set(cases.slice(0, 1000).map((c) => c.id));
    cases = cases.filter((c) => c.lat !== null && (!lo || c.created_at.slice(0, 10) >= lo) && (!hi || c.created_at.slice(0, 10) <= hi));
    const marked = cases.filter((c) => first.has(c.id));
    groups.markers.clearLayers();
    for (const c of marked) {
      const m = L.circleMarker([c.lat, c.lon], { pane: 'cases', radius: 7, color: '#fff', weight: 1.5, fillColor: colourOf(c.state), fillOpacity: 0.95, className: 'case-marker' });
      m.bindPopup(() => h('div', { class: 'popup' },
        h('strong', null, `#${c.id} ${c.title}`), h('br'), `${tOr(`state.${c.state}`, c.state)} · ${categoryName(ref, c.category)}`, h('br'),
        fmtTime(c.created_at), h('br'),
        h('a', { href: `/cases/${c.id}`, onclick: (e) => { e.preventDefault(); navigate(`/cases/${c.id}`); } }, t('map.openCase'))));
      m.on('add', () => {
        const el = m.getElement();
        if (!el) return;
        el.dataset.case = c.id;
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'button');
        el.setAttribute('aria-label', `#${c.id} ${c.title}`);
        el.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          m.openPopup();
          const a = m.getPopup().getElement().querySelector('a'); // keyboard users land on the link
          if (a) a.focus({ preventScroll: true });
        });
      });
      groups.markers.addLayer(m);
    }
    groups.heat.setPoints(cases.map((c) => [c.lat, c.lon]));
    mapEl.dataset.cases = String(marked.length);
    count.textContent = t('map.casesShown', { n: marked.length, all: cases.length });
  };
  const syncLayers = () => {
    for (const name of ['communities', 'grids', 'markers', 'heat']) {
      const on = layers.querySelector(`input[name="${name}"]`).checked;
      const g = groups[name];
      if (!g) continue;
      if (on && !map.hasLayer(g)) g.addTo(map);
      if (!on && map.hasLayer(g)) map.removeLayer(g);
    }
    if (groups.communities && map.hasLayer(groups.communities)) groups.communities.bringToFront();
  };
  layers.addEventListener('change', syncLayers);
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    if (tile.value !== tileUrl()) { setTileUrl(tile.value.trim()); navigate('/map', true); return; }
    apply();
  });
  syncLayers();
  await apply();
  // /map?case=ID: centre on that case and open its popup.
  const focus = params.query.get('case');
  if (focus) {
    groups.markers.eachLayer((m) => {
      const el = m.getElement && m.getElement();
      if (el && el.dataset.case === focus) { map.setView(m.getLatLng(), 17); m.openPopup(); }
    });
  }
  mapEl.dataset.ready = '1';
  // Removing the map during a zoom animation makes Leaflet's pending transition
  // end read a removed pane (a page error): wait for the zoom to end first.
  return () => {
    closed = true;
    if (zooming) map.once('zoomend', () => map.remove());
    else map.remove();
  };
}
