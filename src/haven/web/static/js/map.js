// The dashboard's map: Haven's own layers over the admin boundaries, no tiles unless the server sets some.
// The server decides what each viewer may see (coarsened points for the public); this only draws.
import { escapeHtml, fetchJSON, longDay, number, queryOf } from './util.js';

const L = window.L;
const SYRIA = [[32.3, 35.6], [37.4, 42.4]];
const COMMUNITY_ZOOM = 10; // below it, only communities hosting many IDPs are drawn
const COMMUNITY_MIN_IDPS = 5000;

function eventRadius(fatalities) {
  return 4 + Math.min(14, 2 * Math.sqrt(fatalities || 0));
}

function siteRadius(people) {
  return people ? 3 + Math.min(15, Math.sqrt(people) / 8) : 3;
}

function row(label, value) {
  return value === null || value === undefined || value === ''
    ? '' : `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function popup(title, rows) {
  return `<div class="popup"><strong>${escapeHtml(title)}</strong><table>${rows.join('')}</table></div>`;
}

/** Features at the same point (sites on one grid cell or host community) as one group. */
function groupByPoint(features) {
  const groups = new Map();
  for (const feature of features) {
    const key = feature.geometry.coordinates.join(',');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(feature);
  }
  return [...groups.values()];
}

export class HavenMap {
  constructor(element, config) {
    this.config = config;
    this.colours = config.colours;
    this.map = L.map(element, { zoomSnap: 0.5, minZoom: 5, maxZoom: 16 });
    this.map.fitBounds(SYRIA);
    for (const [name, z] of [['admin', 300], ['zones', 350], ['communities', 380], ['sites', 420],
      ['events', 440], ['crossings', 460]]) {
      this.map.createPane(name).style.zIndex = String(z);
    }
    this.layers = {
      admin1: L.geoJSON(null, { pane: 'admin', style: { color: '#56606a', weight: 1.4, fillColor: '#eef1ec', fillOpacity: 1 },
        onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.name} (${f.properties.pcode})`, { sticky: true }) }),
      admin2: this.lazyAdmin(2, { color: '#7d8790', weight: 0.9, fill: false }),
      admin3: this.lazyAdmin(3, { color: '#a3abb2', weight: 0.6, dashArray: '2 3', fill: false }),
      border: L.geoJSON(null, { pane: 'zones', style: { color: '#1d2630', weight: 3 } }),
      zones: L.geoJSON(null, {
        pane: 'zones',
        filter: (f) => f.properties.name !== this.borderName,
        style: { color: '#6c3483', weight: 2, dashArray: '6 4', fillOpacity: 0.08 },
        onEachFeature: (f, layer) => layer.bindPopup(popup(`Zone ${f.properties.name}`, [
          row('description', f.properties.description), row('recipe', f.properties.op)])),
      }),
      communities: L.layerGroup([], { pane: 'communities' }),
      sites: L.layerGroup([], { pane: 'sites' }),
      events: L.layerGroup([], { pane: 'events' }),
      crossings: L.layerGroup([], { pane: 'crossings' }),
    };
    this.map.addLayer(this.layers.admin1);
    for (const name of ['border', 'zones', 'sites', 'events', 'crossings']) this.map.addLayer(this.layers[name]);

    const base = {};
    if (config.tile) {
      const tiles = L.tileLayer(config.tile.url, { attribution: config.tile.attribution, maxZoom: 18 });
      base['Tiles'] = tiles.addTo(this.map);
      this.layers.admin1.setStyle({ fillOpacity: 0 });
    }
    L.control.layers(base, {
      'Events': this.layers.events,
      'IDP sites': this.layers.sites,
      'Crossings': this.layers.crossings,
      'Communities': this.layers.communities,
      'Zones': this.layers.zones,
      'Turkey–Syria border': this.layers.border,
      'Governorates': this.layers.admin1,
      'Districts': this.layers.admin2,
      'Sub-districts': this.layers.admin3,
    }, { collapsed: false, position: 'topright' }).addTo(this.map);
    L.control.scale({ imperial: false }).addTo(this.map);
    this.legend().addTo(this.map);

    this.layers.communities.on('add', () => this.loadCommunities());
    this.map.on('moveend', () => { if (this.map.hasLayer(this.layers.communities)) this.loadCommunities(); });
    this.fitted = false;
  }

  /** An admin level loaded the first time it is switched on (sub-districts are the largest file). */
  lazyAdmin(level, style) {
    const layer = L.geoJSON(null, { pane: 'admin', style,
      onEachFeature: (f, l) => l.bindTooltip(`${f.properties.name} (${f.properties.pcode})`, { sticky: true }) });
    layer.on('add', async () => {
      if (layer.getLayers().length) return;
      layer.addData(await fetchJSON(`/api/layers/admin.geojson?level=${level}`));
    });
    return layer;
  }

  /** The layers that do not follow the filters: governorates, the border and the zones. */
  async loadFixed() {
    const [admin, zones, border] = await Promise.all([
      fetchJSON('/api/layers/admin.geojson?level=1'),
      fetchJSON('/api/layers/zones.geojson'),
      fetchJSON('/api/layers/border.geojson').catch(() => ({ type: 'FeatureCollection', features: [] })),
    ]);
    this.layers.admin1.addData(admin);
    this.borderName = border.features.length ? border.features[0].properties.name : null;
    this.layers.border.addData(border);
    this.layers.zones.addData(zones);
  }

  /** Events, sites and crossings for the dashboard's window, area and types. */
  async update(state) {
    const query = queryOf(state);
    const sitesQuery = new URLSearchParams({ date: state.to });
    if (state.area) sitesQuery.set('area', state.area);
    const [events, sites, crossings] = await Promise.all([
      fetchJSON(`/api/layers/events.geojson?${query}`),
      fetchJSON(`/api/layers/sites.geojson?${sitesQuery}`),
      fetchJSON(`/api/layers/crossings.geojson?date=${state.to}`),
    ]);
    return { events, sites, crossings };
  }

  /** Draw what :meth:`update` fetched (apart, so a stale answer can be dropped before drawing). */
  async draw({ events, sites, crossings }, state) {
    this.drawEvents(events);
    this.drawSites(sites);
    this.drawCrossings(crossings);
    if (!this.fitted || state.areaChanged) await this.fit(state.area, events);
  }

  drawEvents(collection) {
    const layer = this.layers.events;
    layer.clearLayers();
    // Larger tolls first, so smaller markers stay on top and clickable.
    const features = [...collection.features].sort((a, b) => (b.properties.fatalities || 0) - (a.properties.fatalities || 0));
    for (const feature of features) {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const colour = this.colours[p.event_type] || '#777';
      const marker = L.circleMarker([lat, lon], {
        pane: 'events', radius: eventRadius(p.fatalities), color: '#1d2630', weight: 0.8,
        fillColor: colour, fillOpacity: 0.8,
      });
      marker.feature = feature;
      const fatalities = p.fatalities === null ? 'not reported'
        : `${number(p.fatalities)}` + (p.fatalities_low !== null && p.fatalities_high !== null && p.fatalities_low !== p.fatalities_high
          ? ` (${number(p.fatalities_low)}–${number(p.fatalities_high)})` : '');
      marker.bindPopup(popup(p.sub_event_type || p.event_type, [
        row('date', longDay(p.date) + (p.date_end && p.date_end !== p.date ? ` – ${longDay(p.date_end)}` : '')),
        row('type', p.event_type), row('place', p.location ? `${p.location}${p.pcode ? ` (${p.pcode})` : ''}` : p.pcode),
        row('actors', [p.actor1, p.actor2].filter(Boolean).join(' vs ')),
        row('fatalities', fatalities), row('status', p.status),
        row('location', p.location_precision), row('record', p.key),
      ]));
      layer.addLayer(marker);
    }
  }

  drawSites(collection) {
    const layer = this.layers.sites;
    layer.clearLayers();
    for (const group of groupByPoint(collection.features)) {
      const [lon, lat] = group[0].geometry.coordinates;
      const people = group.reduce((sum, f) => sum + (f.properties.individuals || 0), 0);
      const marker = L.circleMarker([lat, lon], {
        pane: 'sites', radius: siteRadius(people), color: '#0a5a8c', weight: 1, fillColor: '#5dade2', fillOpacity: 0.55,
      });
      marker.features = group;
      const names = group.slice(0, 8).map((f) => f.properties.name).join(', ') + (group.length > 8 ? ', …' : '');
      marker.bindPopup(popup(group.length === 1 ? group[0].properties.name : `${group.length} IDP sites`, [
        row('people', people ? number(people) : 'no population reported'),
        row('as of', group.map((f) => f.properties.as_of).filter(Boolean).sort().pop() || ''),
        row('sites', group.length > 1 ? names : group[0].properties.kind.replace(/_/g, ' ')),
        row('location', group[0].properties.location_precision),
      ]));
      layer.addLayer(marker);
    }
  }

  drawCrossings(collection) {
    const layer = this.layers.crossings;
    layer.clearLayers();
    for (const feature of collection.features) {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const state = !p.status ? 'unknown' : p.status.startsWith('open') ? 'open' : 'closed';
      // Leaflet positions the icon with a transform, so the diamond is a child turned inside it.
      const icon = L.divIcon({ className: 'crossing', iconSize: [16, 16], html: `<span class="crossing-${state}"></span>` });
      const marker = L.marker([lat, lon], { icon, pane: 'crossings', title: `${p.name}: ${p.status || 'status unknown'}` });
      marker.feature = feature;
      marker.bindPopup(popup(p.name, [
        row(`status on ${longDay(p.on)}`, p.status || 'no status on record'),
        row('since', longDay(p.status_from)), row('note', p.note), row('border', p.border),
      ]));
      layer.addLayer(marker);
    }
  }

  async loadCommunities() {
    const zoom = this.map.getZoom();
    const params = new URLSearchParams();
    if (zoom >= COMMUNITY_ZOOM) {
      params.set('bbox', this.map.getBounds().toBBoxString());
    } else {
      params.set('min_idps', String(COMMUNITY_MIN_IDPS));
    }
    const collection = await fetchJSON(`/api/layers/communities.geojson?${params}`);
    const layer = this.layers.communities;
    layer.clearLayers();
    for (const feature of collection.features) {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        pane: 'communities', radius: p.idps ? 2 + Math.min(8, Math.sqrt(p.idps) / 40) : 2,
        color: '#6e6e6e', weight: 0.5, fillColor: '#bdbdbd', fillOpacity: 0.8,
      });
      marker.bindTooltip(`${p.name} (${p.pcode}) · population ${number(p.population)} · IDPs ${number(p.idps)}`);
      layer.addLayer(marker);
    }
    this.communityBasis = collection.basis;
  }

  /** Zoom to the chosen area, else to what is drawn. */
  async fit(area, events) {
    this.fitted = true;
    if (area) {
      const level = { 4: 1, 6: 2, 8: 3 }[area.length];
      if (level) {
        const admin = await fetchJSON(`/api/layers/admin.geojson?level=${level}`);
        const feature = admin.features.find((f) => f.properties.pcode === area);
        if (feature) { this.map.fitBounds(L.geoJSON(feature).getBounds(), { maxZoom: 11 }); return; }
      }
    }
    const drawn = L.featureGroup([...this.layers.events.getLayers(), ...this.layers.crossings.getLayers()]);
    if (events.features.length) this.map.fitBounds(drawn.getBounds().pad(0.3), { maxZoom: 10 });
  }

  legend() {
    const control = L.control({ position: 'bottomright' });
    control.onAdd = () => {
      const div = L.DomUtil.create('div', 'map-legend');
      const types = this.config.eventTypes.map((t) =>
        `<li><span class="swatch round" style="background:${this.colours[t] || '#777'}"></span>${escapeHtml(t)}</li>`).join('');
      div.innerHTML = `<strong>Events</strong> <span class="muted">size: fatalities</span><ul>${types}</ul>
        <ul><li><span class="swatch round site"></span>IDP sites <span class="muted">size: people</span></li>
        <li><span class="swatch crossing-open"></span>crossing open <span class="swatch crossing-closed"></span>closed</li>
        <li><span class="swatch line"></span>border <span class="swatch line dashed"></span>zones</li></ul>
        ${this.config.exact ? '' : '<p class="muted">Public view: IDP sites and unverified events are placed on grid cells, not their exact points.</p>'}`;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control;
  }
}
