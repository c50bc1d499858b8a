// forms.js - labelled fields with an error slot next to each, and the mapping of
// an API error's `field` onto the field it names. A failed request leaves the
// values in place: forms are never rebuilt on error.
import { h } from './dom.js';
import { t, tOr } from './i18n.js';

let uid = 0;

// A labelled control. control: an element (input/select/textarea) whose name is set.
// Returns the wrapper; wrapper.control and wrapper.errorEl are kept for showError.
export function field(name, labelText, control, hint) {
  const id = control.id || `f-${name}-${++uid}`;
  control.id = id;
  control.name = control.name || name;
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  const errorEl = h('p', { class: 'field-error', id: errId, 'data-error-for': name, hidden: true });
  const wrap = h('div', { class: 'field', 'data-field': name },
    h('label', { for: id }, labelText, control.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    errorEl);
  wrap.control = control;
  wrap.errorEl = errorEl;
  return wrap;
}

// A group of checkboxes or radios in a fieldset, with an error slot.
export function choiceGroup(name, legend, type, options, hint) {
  const errorEl = h('p', { class: 'field-error', id: `g-${name}-${++uid}-err`, 'data-error-for': name, hidden: true });
  const fs = h('fieldset', { class: 'field choices', 'data-field': name, 'aria-describedby': errorEl.id },
    h('legend', null, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('div', { class: 'choice-list' }, options.map((o) => h('label', { class: 'choice' },
      h('input', { type, name, value: o.value, checked: o.checked }), ' ', o.label))),
    errorEl);
  fs.errorEl = errorEl;
  return fs;
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  const g = form.querySelector('.form-error');
  if (g) { g.hidden = true; g.textContent = ''; }
}

// The message to show for an ApiError.
export function errorText(err) {
  if (err.code === 'network') return t('common.network');
  if (err.code === 'forbidden') return `${t('err.forbidden')}（${err.message}）`;
  if (err.code === 'conflict' && !err.field) return `${t('err.conflict')}（${err.message}）`;
  if (err.field && ['invalid', 'wrong_type', 'unknown_field'].includes(err.code)) return t('err.check', { msg: err.message });
  return err.message || tOr(`err.${err.code}`, t('common.unknownError', { status: err.status }));
}

// Shows err next to the field it names (aliases: fields shown under another name),
// else in the form's general error line. Focuses the field.
export function showError(form, err, aliases = {}) {
  const name = err.field ? (aliases[err.field] || err.field) : null;
  const slot = name ? form.querySelector(`[data-error-for="${CSS.escape(name)}"]`) : null;
  if (slot) {
    slot.textContent = errorText(err);
    slot.hidden = false;
    const ctl = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (ctl) { ctl.setAttribute('aria-invalid', 'true'); ctl.focus(); }
    return;
  }
  let g = form.querySelector('.form-error');
  if (!g) { g = h('p', { class: 'form-error', role: 'alert' }); form.prepend(g); }
  g.textContent = errorText(err);
  g.hidden = false;
}

// Runs fn with the submit button disabled and a busy label; restores it after.
export async function busy(button, label, fn) {
  const old = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try { return await fn(); } finally { button.disabled = false; button.textContent = old; }
}
