// photos.js - photos attached to cases: scaled down in the browser and uploaded
// (POST /api/v1/files), and shown from their file URL. An <img> cannot send the
// Bearer token, so a stored photo is fetched with it and shown from an object URL.
// Old cases keep their small data: URL thumbnails, shown as they are.
import { api } from './api.js';
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { field, errorText } from './forms.js';

export const PHOTO_MAX_SIDE = 1600; // the long side of an uploaded photo, in pixels
const FILE_URL = /^\/api\/v1\/files\/[0-9a-f]{64}$/;
const DATA_THUMB = /^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/;

function loadImage(src) {
  return new Promise((res, rej) => {
    const i = new Image();
    i.onload = () => res(i);
    i.onerror = () => rej(new Error('image'));
    i.src = src;
  });
}

// Scales an image file down to at most maxSide pixels on its long side (never up)
// and encodes it as JPEG (which also drops its metadata, e.g. the GPS position).
// Resolves to a Blob of type image/jpeg; rejects if the file is not an image.
export async function downscale(file, maxSide = PHOTO_MAX_SIDE, quality = 0.85) {
  const url = URL.createObjectURL(file);
  try {
    const img = await loadImage(url);
    const k = Math.min(1, maxSide / Math.max(img.naturalWidth, img.naturalHeight));
    const c = document.createElement('canvas');
    c.width = Math.max(1, Math.round(img.naturalWidth * k));
    c.height = Math.max(1, Math.round(img.naturalHeight * k));
    const g = c.getContext('2d');
    g.fillStyle = '#fff'; // JPEG has no transparency
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(img, 0, 0, c.width, c.height);
    const blob = await new Promise((res) => c.toBlob(res, 'image/jpeg', quality));
    if (!blob) throw new Error('encode');
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}

// Uploads a Blob; resolves to the API's {id, url, type, size} or rejects with an ApiError.
export function uploadPhoto(blob) {
  return api('POST', '/files', blob);
}

// Object URLs of stored photos already fetched (files never change: the id is their hash).
const objectUrls = new Map();

function fetchPhoto(url) {
  if (!objectUrls.has(url)) {
    const p = api('GET', url.slice('/api/v1'.length), null, null, { raw: true })
      .then((res) => res.blob())
      .then((b) => URL.createObjectURL(b));
    p.catch(() => objectUrls.delete(url));
    objectUrls.set(url, p);
  }
  return objectUrls.get(url);
}

// The element showing one attachment string: a stored photo (a thumbnail that links to
// the full size), an old data: URL thumbnail, or the reference as text.
export function attachmentView(a) {
  if (DATA_THUMB.test(a)) return h('img', { class: 'thumb', src: a, alt: t('field.photo') });
  if (!FILE_URL.test(a)) return h('code', null, a);
  const img = h('img', { class: 'thumb', alt: t('field.photo'), 'data-file': a });
  const open = h('a', { class: 'photo-link', target: '_blank', rel: 'noopener', 'aria-label': t('case.photoOpen') }, img);
  fetchPhoto(a).then((u) => { img.src = u; open.href = u; }).catch(() => {
    img.replaceWith(h('span', { class: 'photo-missing' }, t('field.photo'), ' ✘'));
  });
  return open;
}

// A photo field for a form: choosing a photo scales it down, shows it and starts
// uploading it at once; a failure is shown next to the field (nothing else in the
// form changes). Returns { nodes, attach }: the nodes to put in the form, and
// attach(), which resolves to the photo's file URL (uploading it again if the first
// try failed), or null when no photo was chosen, and rejects with an ApiError.
export function photoPicker(hint) {
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment' });
  const wrap = field('photo', t('field.photo'), input, hint);
  const preview = h('div', { class: 'photo-preview' });
  const status = h('p', { class: 'hint photo-status', role: 'status', 'aria-live': 'polite' });
  let scaled = null; // Promise of the scaled Blob, null without a photo
  let upload = null; // Promise of the upload's answer
  let shown = null; // object URL of the preview
  const fail = (msg) => {
    wrap.errorEl.textContent = msg;
    wrap.errorEl.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  };
  const start = () => {
    status.textContent = t('report.photoUploading');
    upload = scaled.then(uploadPhoto);
    upload.then(() => { status.textContent = t('report.photoUploaded'); },
      (err) => { status.textContent = ''; if (err && err.code) fail(t('report.photoFailed', { msg: errorText(err) })); });
  };
  input.addEventListener('change', () => {
    clear(preview);
    status.textContent = '';
    wrap.errorEl.hidden = true;
    input.removeAttribute('aria-invalid');
    if (shown) URL.revokeObjectURL(shown);
    shown = null;
    scaled = null;
    upload = null;
    const f = input.files && input.files[0];
    if (!f) return;
    scaled = downscale(f);
    scaled.then((b) => {
      shown = URL.createObjectURL(b);
      preview.append(h('img', { src: shown, alt: t('field.photo'), class: 'thumb' }));
    }, () => { scaled = null; fail(t('report.photoTooBig')); });
    start();
  });
  const attach = async () => {
    if (!scaled) return null;
    try {
      return (await upload).url;
    } catch {
      start(); // once more: the connection may be back
      return (await upload).url;
    }
  };
  return { nodes: [wrap, preview, status], attach };
}
