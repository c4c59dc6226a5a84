// The dashboard: one state (window, area, event types) drives the map, the key figures, the charts,
// the address bar and the situation-report link together.
import { HavenMap } from './map.js';
import { drawDisplaced, drawEventsPerWeek } from './charts.js';
import { renderKeyFigures } from './panel.js';
import { dayNumber, fetchJSON, isoDay, longDay, queryOf } from './util.js';

const config = JSON.parse(document.getElementById('dashboard-config').textContent);
const $ = (id) => document.getElementById(id);
const sliders = { from: $('slider-from'), to: $('slider-to') };
const first = dayNumber(config.range.min);

const state = {
  from: config.filters.from,
  to: config.filters.to,
  area: config.filters.area || '',
  types: [...config.filters.types],
  areaChanged: false,
};

for (const [name, slider] of Object.entries(sliders)) {
  slider.min = '0';
  slider.max = String(dayNumber(config.range.max) - first);
  slider.value = String(dayNumber(state[name]) - first);
}

const map = new HavenMap($('map'), config);
let generation = 0;
let timer = null;

function showDays() {
  $('label-from').textContent = longDay(state.from);
  $('label-to').textContent = longDay(state.to);
  $('input-from').value = state.from;
  $('input-to').value = state.to;
}

/** The address bar and the situation-report link follow the filters, so a view can be shared. */
function syncLinks() {
  const query = queryOf(state);
  history.replaceState(null, '', `${location.pathname}?${query}`);
  // A situation report is of one area: without one, the link opens the report form to pick it.
  const link = $('sitrep-link');
  const sitrep = new URLSearchParams(state.area ? { area: state.area } : {});
  sitrep.set('from', state.from);
  sitrep.set('to', state.to);
  link.href = `${state.area ? '/sitrep.pdf' : '/sitrep'}?${sitrep}`;
  link.textContent = state.area ? 'Situation report (PDF)' : 'Situation report…';
  link.title = state.area ? 'A4 PDF of this area and window' : 'Pick an area for a situation report';
}

function setStatus(message) {
  $('status').textContent = message;
  $('status').classList.toggle('error', Boolean(message));
}

async function refresh() {
  const mine = ++generation;
  document.body.dataset.busy = 'true';
  syncLinks();
  try {
    const query = queryOf(state);
    const [summary, series, layers] = await Promise.all([
      fetchJSON(`/api/dashboard/summary?${query}`),
      fetchJSON(`/api/dashboard/series?${query}`),
      map.update(state),
    ]);
    if (mine !== generation) return; // a newer request is on its way: drop this answer
    await map.draw(layers, state);
    state.areaChanged = false;
    renderKeyFigures($('key-figures'), summary, state, layers.events.unlocated);
    await Promise.all([
      drawEventsPerWeek($('chart-events'), series.events_per_week, config.colours),
      drawDisplaced($('chart-displaced'), series.displaced),
    ]);
    setStatus('');
  } catch (error) {
    if (mine === generation) setStatus(error.message);
  } finally {
    if (mine === generation) {
      document.body.dataset.busy = 'false';
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
    }
  }
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 150);
}

for (const [name, slider] of Object.entries(sliders)) {
  slider.addEventListener('input', () => {
    state[name] = isoDay(first + Number(slider.value));
    // The window never turns inside out: moving one end past the other pushes it along.
    if (state.from > state.to) {
      const other = name === 'from' ? 'to' : 'from';
      state[other] = state[name];
      sliders[other].value = slider.value;
    }
    showDays();
    later();
  });
}

for (const box of document.querySelectorAll('.types input[type=checkbox]')) {
  box.addEventListener('change', () => {
    state.types = [...document.querySelectorAll('.types input[type=checkbox]:checked')].map((b) => b.value);
    later();
  });
}

$('area').addEventListener('change', (event) => {
  state.area = event.target.value;
  state.areaChanged = true;
  later();
});

$('reset').addEventListener('click', () => {
  Object.assign(state, { from: config.defaults.from, to: config.defaults.to, area: '', types: [], areaChanged: true });
  sliders.from.value = String(dayNumber(state.from) - first);
  sliders.to.value = String(dayNumber(state.to) - first);
  $('area').value = '';
  for (const box of document.querySelectorAll('.types input[type=checkbox]')) box.checked = false;
  showDays();
  later();
});

// Submitting the form (Enter in a field) would reload the page; the dashboard updates in place instead.
$('filters').addEventListener('submit', (event) => { event.preventDefault(); refresh(); });

window.haven = { map, state, refresh };
showDays();
state.areaChanged = Boolean(state.area);
map.loadFixed()
  .catch((error) => setStatus(error.message))
  .finally(refresh);
