// mapbase.js - Leaflet set up for the subdistrict: no external tiles unless a tile
// URL is configured (the map page's setting, kept in localStorage, or VITE_TILE_URL
// at build time); boundaries come from GET /places as GeoJSON.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api, cached } from './api.js';

const TILE_KEY = 'chuishao.tileUrl';

export function tileUrl() {
  try {
    const v = localStorage.getItem(TILE_KEY);
    if (v !== null) return v;
  } catch { /* ignore */ }
  return import.meta.env.VITE_TILE_URL || '';
}

export function setTileUrl(url) {
  try { localStorage.setItem(TILE_KEY, url); } catch { /* ignore */ }
}

// A map in el with the plain background, or the configured tiles.
export function createMap(el, opts = {}) {
  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.25, attributionControl: true, ...opts });
  const url = tileUrl();
  if (url) L.tileLayer(url, { maxZoom: 19, attribution: '' }).addTo(map);
  map.attributionControl.setPrefix('Leaflet');
  map.setView([24.95, 102.755], 14);
  return map;
}

export const GRID_STYLE = { color: '#3d5a80', weight: 1, fillColor: '#9fb8d6', fillOpacity: 0.12 };
export const COMMUNITY_STYLE = { color: '#1d3557', weight: 2.5, fill: false };

// A GeoJSON layer of places: {kind} or {parent} (GET /places?format=geojson) or
// {code} (GET /places/CODE). Resolves to null when there is no geometry.
export async function gridLayer(q, style = GRID_STYLE, onEach) {
  let fc;
  if (q.code) {
    const p = await api('GET', `/places/${encodeURIComponent(q.code)}`);
    fc = { type: 'FeatureCollection', features: [p.place] };
  } else {
    fc = await cached('/places', { format: 'geojson', ...q });
  }
  const features = fc.features.filter((f) => f && f.geometry);
  if (!features.length) return null;
  return L.geoJSON({ type: 'FeatureCollection', features }, { style, onEachFeature: onEach });
}

export { L };
