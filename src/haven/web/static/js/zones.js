// The zones page's map: the compared zones over the governorates, one colour each, as in the table.
import { escapeHtml, fetchJSON } from './util.js';

const L = window.L;
const COLOURS = ['#0a5a8c', '#c0392b', '#1e8449', '#8e44ad', '#d68910', '#5d6d7e'];
const element = document.getElementById('zone-map');
const chosen = JSON.parse(element.dataset.zones);

const map = L.map(element, { zoomSnap: 0.5 });
map.fitBounds([[35.2, 35.7], [37.0, 38.2]]);
const [admin, zones] = await Promise.all([
  fetchJSON('/api/layers/admin.geojson?level=1'),
  fetchJSON('/api/layers/zones.geojson'),
]);
L.geoJSON(admin, { style: { color: '#56606a', weight: 1, fillColor: '#eef1ec', fillOpacity: 1 } }).addTo(map);
const drawn = L.geoJSON(zones, {
  filter: (f) => chosen.includes(f.properties.name),
  style: (f) => ({ color: COLOURS[chosen.indexOf(f.properties.name) % COLOURS.length], weight: 2.5, fillOpacity: 0.15 }),
  onEachFeature: (f, layer) => layer.bindTooltip(escapeHtml(f.properties.name), { sticky: true }),
}).addTo(map);
if (drawn.getLayers().length) map.fitBounds(drawn.getBounds().pad(0.15));
for (const [i, name] of chosen.entries()) {
  const cell = document.querySelector(`#zone-comparison th[data-zone="${CSS.escape(name)}"]`);
  if (cell) cell.style.borderBottom = `3px solid ${COLOURS[i % COLOURS.length]}`;
}
element.dataset.drawn = String(drawn.getLayers().length);
