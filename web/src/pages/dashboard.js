// The dashboard: the rates, counts, whistles, monthly trend and rankings of a
// period from GET /stats (docs/stats.md), charted with Apache ECharts; every
// figure is also in a table (what screen readers and the tests read), and the
// report card of the period can be downloaded (GET /report).
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { api, cached } from '../api.js';
import { h, clear, fmtPct, statusLine, chinaDate } from '../dom.js';
import { t, tOr, lang } from '../i18n.js';
import { field, showError, clearErrors, busy } from '../forms.js';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

const RATES = ['response', 'resolution', 'satisfaction', 'closure', 'ontime_closure', 'rework', 'extension', 'accurate_dispatch', 'whistle_ontime'];
const COUNTS = [['received', 'received'], ['registered', 'registered'], ['due_to_close', 'dueToClose'], ['closed', 'closed'], ['visits', 'visits']];
const STAGES = ['register', 'dispatch', 'sign', 'handle', 'close'];

function rateCard(name, r) {
  return h('div', { class: 'rate', 'data-rate': name, 'data-num': r.num, 'data-den': r.den, 'data-value': r.value === null ? '' : r.value },
    h('span', { class: 'rate-name' }, t(`rate.${name}`)),
    h('span', { class: 'rate-value' }, fmtPct(r.value)),
    h('span', { class: 'rate-frac' }, `${r.num} / ${r.den}`));
}

function chart(el, option, charts) {
  const c = echarts.init(el, null, { renderer: 'canvas' });
  c.setOption({ aria: { enabled: true }, animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
  charts.push(c);
  return c;
}

function rankTable(kind, rows) {
  const ranked = rows.filter((r) => r.rank !== null).sort((a, b) => a.rank - b.rank);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'rank', 'data-rank': kind },
    h('thead', null, h('tr', null, [t('dash.rank'), t('dash.name'), t('dash.score'), t('dash.grade'), t('dash.received'), t('rate.response')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, ranked.map((r) => h('tr', { 'data-key': r.key },
      h('td', null, String(r.rank)), h('th', { scope: 'row' }, r.label), h('td', { 'data-score': r.score }, r.score.toFixed(1)),
      h('td', null, r.grade), h('td', null, String(r.received)), h('td', null, fmtPct(r.rates.response.value)))))));
}

async function download(from, to, scope, format, form, button) {
  clearErrors(form);
  await busy(button, '…', async () => {
    try {
      const res = await api('GET', '/report', null, { from, to, scope, format, lang: lang() }, { raw: true });
      const blob = await res.blob();
      const a = h('a', { href: URL.createObjectURL(blob), download: `chuishao-report-${from}-${to}.${format}` });
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (err) {
      showError(form, err);
    }
  });
}

export async function render(main, params) {
  const today = chinaDate();
  const from = h('input', { type: 'date', value: params.query.get('from') || `${today.slice(0, 4)}-01-01`, required: true });
  const to = h('input', { type: 'date', value: params.query.get('to') || today, required: true });
  const go = h('button', { type: 'submit', class: 'primary' }, t('common.apply'));
  const [communities, units] = await Promise.all([
    cached('/places', { kind: 'community' }).then((r) => r.items).catch(() => []),
    cached('/units').then((r) => r.items).catch(() => [])]);
  const scope = h('select', null, h('option', { value: 'subdistrict' }, t('dash.subdistrict')),
    h('optgroup', { label: t('dash.scopeCommunities') }, communities.map((c) => h('option', { value: `community:${c.code}` }, c.name))),
    h('optgroup', { label: t('dash.scopeUnits') }, units.map((u) => h('option', { value: `unit:${u.id}` }, u.name))));
  scope.value = params.query.get('scope') || 'subdistrict';
  const periodForm = h('form', { class: 'period card', novalidate: true },
    field('from', t('common.from'), from), field('to', t('common.to'), to), field('scope', t('dash.scope'), scope), go);
  const fmt = h('select', null, ['html', 'xlsx', 'md', 'json'].map((f) => h('option', { value: f }, f)));
  const dl = h('button', { type: 'submit' }, t('dash.download'));
  const dlForm = h('form', { class: 'download card', novalidate: true }, field('format', t('dash.format'), fmt), dl);
  dlForm.addEventListener('submit', (e) => { e.preventDefault(); download(from.value, to.value, scope.value, fmt.value, dlForm, dl); });
  const body = h('div', { class: 'dash-body' });
  main.classList.add('wide');
  main.append(h('h1', null, t('dash.heading')), h('div', { class: 'dash-top' }, periodForm, dlForm), body);
  const charts = [];
  const onResize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', onResize);

  const load = async () => {
    charts.splice(0).forEach((c) => c.dispose());
    clear(body).append(statusLine(t('common.loading')));
    clearErrors(periodForm);
    const q = { from: from.value, to: to.value, scope: scope.value };
    let total;
    let months;
    let units;
    let grids;
    try {
      [total, months, units, grids] = await Promise.all(['none', 'month', 'unit', 'grid'].map((by) => api('GET', '/stats', null, { ...q, by })));
    } catch (err) {
      clear(body);
      showError(periodForm, err);
      return;
    }
    history.replaceState(null, '', `/dashboard?from=${q.from}&to=${q.to}&scope=${encodeURIComponent(q.scope)}`);
    const s = total.total;
    const rateEl = h('div', { class: 'chart', id: 'chart-rates' });
    const trendEl = h('div', { class: 'chart', id: 'chart-trend' });
    const unitEl = h('div', { class: 'chart', id: 'chart-units' });
    const stageEl = h('div', { class: 'chart small', id: 'chart-stages' });
    const w = s.whistles;
    clear(body).append(
      h('section', { class: 'card', 'aria-labelledby': 'h-counts', 'data-period': `${total.from}..${total.to}` },
        h('h2', { id: 'h-counts' }, t('dash.period'), ` ${total.from} — ${total.to} · ${scope.selectedOptions[0] ? scope.selectedOptions[0].textContent : ''}`),
        h('div', { class: 'counts' }, COUNTS.map(([k, label]) => h('div', { class: 'count-box', 'data-count': k, 'data-value': s[k] },
          h('span', { class: 'count-value' }, String(s[k])), h('span', { class: 'count-name' }, t(`dash.${label}`)))),
        s.petitions !== undefined ? h('div', { class: 'count-box', 'data-count': 'petitions', 'data-value': s.petitions },
          h('span', { class: 'count-value' }, String(s.petitions)), h('span', { class: 'count-name' }, t('dash.petitions'))) : null,
        total.coverage ? h('div', { class: 'count-box', 'data-count': 'coverage' },
          h('span', { class: 'count-value' }, fmtPct(total.coverage.rate.value)), h('span', { class: 'count-name' }, t('dash.coverage'))) : null)),
      h('section', { class: 'card', 'aria-labelledby': 'h-rates' }, h('h2', { id: 'h-rates' }, t('dash.rates')),
        h('div', { class: 'rates' }, RATES.filter((r) => s.rates[r]).map((r) => rateCard(r, s.rates[r]))), rateEl),
      h('section', { class: 'card', 'aria-labelledby': 'h-wh' }, h('h2', { id: 'h-wh' }, t('dash.whistles')),
        h('table', { class: 'whistle-table' },
          h('thead', null, h('tr', null, ['', t('dash.count'), t('dash.units'), t('dash.ontime'), t('dash.rated'), t('dash.ratingAvg')].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', null, [...w.by_type.map((x) => [tOr(`wtype.${x.type}`, x.type), x, x.type]), [t('common.all'), w, 'all']].map(([label, x, key]) =>
            h('tr', { 'data-wtype': key, 'data-count': x.count, 'data-units': x.units, 'data-ontime': x.ontime.num },
              h('th', { scope: 'row' }, label), h('td', null, String(x.count)), h('td', null, String(x.units)),
              h('td', null, `${fmtPct(x.ontime.value)} (${x.ontime.num}/${x.ontime.den})`), h('td', null, String(x.rated)),
              h('td', null, x.rating_avg === null ? t('dash.na') : x.rating_avg.toFixed(1))))))),
      h('section', { class: 'card', 'aria-labelledby': 'h-trend' }, h('h2', { id: 'h-trend' }, t('dash.trend')), trendEl,
        h('table', { class: 'trend-table' }, h('thead', null, h('tr', null, ['', t('dash.received'), t('dash.registered'), t('dash.closed')].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', null, months.rows.map((r) => h('tr', { 'data-month': r.key }, h('th', { scope: 'row' }, r.label),
            h('td', null, String(r.received)), h('td', null, String(r.registered)), h('td', null, String(r.closed))))))),
      h('section', { class: 'card', 'aria-labelledby': 'h-ru' }, h('h2', { id: 'h-ru' }, t('dash.rankUnit')), unitEl, rankTable('unit', units.rows)),
      h('section', { class: 'card', 'aria-labelledby': 'h-rg' }, h('h2', { id: 'h-rg' }, t('dash.rankGrid')), rankTable('grid', grids.rows)),
      h('section', { class: 'card', 'aria-labelledby': 'h-st' }, h('h2', { id: 'h-st' }, t('dash.stageHours')), stageEl));

    const pct = (v) => (v === null ? null : Math.round(v * 1000) / 10);
    const shown = RATES.filter((r) => s.rates[r]);
    chart(rateEl, {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null ? t('dash.na') : `${v}%`) },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: shown.map((r) => t(`rate.${r}`)) },
      series: [{ type: 'bar', data: shown.map((r) => pct(s.rates[r].value)), itemStyle: { color: '#b3261e' }, label: { show: true, position: 'right', formatter: (p) => (p.value === null ? '' : `${p.value}%`) } }],
    }, charts);
    chart(trendEl, {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.rows.map((r) => r.label) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [['received', '#1d3557'], ['registered', '#457b9d'], ['closed', '#2e7d32']].map(([k, color]) => ({
        name: t(`dash.${k}`), type: months.rows.length > 1 ? 'line' : 'bar', data: months.rows.map((r) => r[k]), itemStyle: { color },
      })),
    }, charts);
    const ranked = units.rows.filter((r) => r.rank !== null).sort((a, b) => a.rank - b.rank).slice(0, 12);
    chart(unitEl, {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', inverse: true, data: ranked.map((r) => r.label), axisLabel: { width: 160, overflow: 'truncate' } },
      series: [{ type: 'bar', data: ranked.map((r) => Math.round(r.score * 10) / 10), itemStyle: { color: '#3d5a80' }, label: { show: true, position: 'right' } }],
    }, charts);
    chart(stageEl, {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: STAGES.map((x) => t(`stage.${x}`)) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: STAGES.map((x) => (s.stage_hours[x] ? s.stage_hours[x].avg : null)), itemStyle: { color: '#6a994e' } }],
    }, charts);
    body.dataset.ready = '1';
  };
  periodForm.addEventListener('submit', (e) => { e.preventDefault(); busy(go, '…', load); });
  await load();
  return () => {
    window.removeEventListener('resize', onResize);
    charts.forEach((c) => c.dispose());
  };
}


