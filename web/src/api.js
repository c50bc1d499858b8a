// api.js - the JSON API client: the session token, one request function, errors.
// Every call goes to /api/v1 on the same origin as the page.

const TOKEN_KEY = 'chuishao.token';
const USER_KEY = 'chuishao.user';

export class ApiError extends Error {
  // code: the API's stable code ("invalid", ...) or "network"; field: the offending input.
  constructor(code, status, message, field) {
    super(message);
    this.code = code;
    this.status = status;
    this.field = field || null;
  }
}

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  get user() {
    try { return JSON.parse(localStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
  },
  save(token, user) {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
};

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// Query string of an object, leaving out empty values.
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

// One request: api('GET', '/cases', null, {state: 'reported'}) resolves to the parsed
// JSON body, or rejects with an ApiError (the API's envelope, or code "network").
// A Blob body (an upload) is sent as it is, with the Blob's type as Content-Type;
// opts.raw resolves to the Response itself when it succeeds.
export async function api(method, path, body, query, opts = {}) {
  const headers = {};
  const token = session.token;
  const blob = typeof Blob !== 'undefined' && body instanceof Blob;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined && body !== null) headers['Content-Type'] = blob ? body.type : 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}${qs(query)}`, {
      method,
      headers,
      body: blob ? body : (body !== undefined && body !== null ? JSON.stringify(body) : undefined),
    });
  } catch (e) {
    throw new ApiError('network', 0, String(e && e.message || e), null);
  }
  if (opts.raw && res.ok) return res;
  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = data && data.error;
    if (res.status === 401 && token && path !== '/auth/login') onUnauthorized();
    const e = new ApiError(err ? err.code : 'http', res.status, err ? err.message : text.slice(0, 200),
      err ? err.field : null);
    e.body = data; // the whole answer (e.g. the report of a boundary import)
    throw e;
  }
  return data;
}

// Reference data that does not change while the page is open, fetched once.
const cache = new Map();
export function cached(path, query) {
  const key = path + qs(query);
  if (!cache.has(key)) {
    const p = api('GET', path, null, query);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key);
}
export function clearCache() { cache.clear(); }
