// The sign-in page.
import { api, session, clearCache } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { field, showError, clearErrors, busy } from '../forms.js';
import { navigate } from '../main.js';

export function render(main, params) {
  const user = h('input', { type: 'text', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const pass = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('h1', null, t('login.heading')),
    params.query.get('expired') ? h('p', { class: 'form-error', role: 'alert' }, t('err.sessionExpired')) : null,
    field('username', t('login.username'), user),
    field('password', t('login.password'), pass),
    button,
    h('p', { class: 'hint' }, t('login.hint')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    if (!user.value.trim()) { showError(form, { field: 'username', message: t('common.required') }); return; }
    if (!pass.value) { showError(form, { field: 'password', message: t('common.required') }); return; }
    await busy(button, t('login.busy'), async () => {
      try {
        const r = await api('POST', '/auth/login', { username: user.value.trim(), password: pass.value });
        session.save(r.token, r.user);
        clearCache();
        const next = params.query.get('next');
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
      } catch (err) {
        if (err.code === 'unauthorized') err = { ...err, message: t('err.unauthorized'), field: 'password', code: err.code };
        showError(form, err);
      }
    });
  });
  main.append(form);
  user.focus();
}
