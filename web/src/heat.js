// heat.js - a density layer for Leaflet drawn on one canvas: each point adds a
// radial blob to an alpha map, which is then coloured through a palette
// (blue → yellow → red). Redrawn on every move and zoom.
import L from 'leaflet';

function palette() {
  const c = document.createElement('canvas');
  c.width = 256; c.height = 1;
  const g = c.getContext('2d');
  const grad = g.createLinearGradient(0, 0, 256, 0);
  grad.addColorStop(0.0, 'rgba(0,0,255,0)');
  grad.addColorStop(0.25, 'rgb(0,120,255)');
  grad.addColorStop(0.5, 'rgb(0,200,120)');
  grad.addColorStop(0.75, 'rgb(255,210,0)');
  grad.addColorStop(1.0, 'rgb(215,25,28)');
  g.fillStyle = grad;
  g.fillRect(0, 0, 256, 1);
  return g.getImageData(0, 0, 256, 1).data;
}

export const HeatLayer = L.Layer.extend({
  initialize(points, options) {
    this._points = points; // [[lat, lon], ...]
    L.setOptions(this, { radius: 28, opacity: 0.7, ...options });
  },
  setPoints(points) { this._points = points; if (this._map) this._redrawHeat(); return this; },
  onAdd(map) {
    this._heatCanvas = L.DomUtil.create('canvas', 'heat-layer leaflet-zoom-hide');
    this._heatCanvas.style.pointerEvents = 'none';
    this._heatCanvas.setAttribute('aria-hidden', 'true');
    map.getPanes().overlayPane.appendChild(this._heatCanvas);
    map.on('moveend zoomend resize', this._redrawHeat, this);
    this._redrawHeat();
  },
  onRemove(map) {
    map.off('moveend zoomend resize', this._redrawHeat, this);
    this._heatCanvas.remove();
  },
  _redrawHeat() {
    const map = this._map;
    const size = map.getSize();
    const c = this._heatCanvas;
    c.width = size.x; c.height = size.y;
    L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
    const g = c.getContext('2d', { willReadFrequently: true });
    g.clearRect(0, 0, size.x, size.y);
    if (!this._points.length) return;
    const r = this.options.radius;
    for (const [lat, lon] of this._points) {
      const p = map.latLngToContainerPoint([lat, lon]);
      if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) continue;
      const grad = g.createRadialGradient(p.x, p.y, 0, p.x, p.y, r);
      grad.addColorStop(0, 'rgba(0,0,0,0.35)');
      grad.addColorStop(1, 'rgba(0,0,0,0)');
      g.fillStyle = grad;
      g.fillRect(p.x - r, p.y - r, 2 * r, 2 * r);
    }
    const img = g.getImageData(0, 0, size.x, size.y);
    const d = img.data;
    const pal = palette();
    for (let i = 3; i < d.length; i += 4) {
      const a = d[i];
      if (!a) continue;
      const k = Math.min(255, a * 2) * 4;
      d[i - 3] = pal[k]; d[i - 2] = pal[k + 1]; d[i - 1] = pal[k + 2];
      d[i] = Math.min(255, a * 2) * this.options.opacity;
    }
    g.putImageData(img, 0, 0);
  },
});
