// dom.js - building elements without HTML strings (text is always set as text,
// so nothing from the server is ever parsed as markup), and small formatters.
import { t, lang } from './i18n.js';

// h('div', {class: 'x', onclick: fn, dataset: {id: 1}}, child, 'text', [more])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'multiple') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

// A link inside the application (handled by the router, so no reload).
export function link(href, ...children) {
  return h('a', { href, 'data-link': '' }, ...children);
}

const LOCALES = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', en: 'en-GB' };

// An ISO instant as local date and time (China time, as the server gives it).
export function fmtTime(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(LOCALES[lang()], {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

// A rate value 0..1 as a percentage with one decimal, or a dash.
export function fmtPct(v) {
  if (v === null || v === undefined) return t('dash.na');
  return `${(v * 100).toFixed(1)}%`;
}

// Today in China as YYYY-MM-DD, and a date some days/months away.
export function chinaDate(d = new Date()) {
  return new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
}

// A status line that screen readers announce.
export function statusLine(text, kind = 'info') {
  return h('p', { class: `status status-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
