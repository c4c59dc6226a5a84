// Charts drawn with the plotly.js the server ships (/vendor/plotly.min.js): nothing is fetched elsewhere.
const Plotly = window.Plotly;

const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };
const LAYOUT = {
  margin: { l: 72, r: 16, t: 36, b: 40 },
  font: { family: 'system-ui, sans-serif', size: 12, color: '#1d2630' },
  paper_bgcolor: '#fff',
  plot_bgcolor: '#fff',
  legend: { orientation: 'h', y: -0.18 },
  hovermode: 'closest',
};

function empty(element, title, note) {
  return Plotly.react(element, [], {
    ...LAYOUT, title: { text: title },
    xaxis: { visible: false }, yaxis: { visible: false },
    annotations: [{ text: note, showarrow: false, font: { color: '#5b6770' } }],
  }, CONFIG);
}

/** Stacked bars: events per week, one trace per ACLED event type in the dashboard's colours. */
export function drawEventsPerWeek(element, data, colours) {
  const names = Object.keys(data.types);
  if (!names.length) return empty(element, 'Events per week', 'No events in this window');
  const totals = data.weeks.map((_, i) => names.reduce((sum, name) => sum + data.types[name][i], 0));
  const most = Math.max(1, ...totals);
  const traces = names.map((name) => ({
    type: 'bar', name, x: data.weeks, y: data.types[name], marker: { color: colours[name] || '#777' },
    hovertemplate: `%{y} ${name.replace(/%/g, '%%')}<br>week of %{x|%d %b %Y}<extra></extra>`,
  }));
  return Plotly.react(element, traces, {
    ...LAYOUT, barmode: 'stack', title: { text: 'Events per week' },
    xaxis: { type: 'date', tickformat: '%d %b' },
    yaxis: { title: { text: 'events' }, rangemode: 'tozero', dtick: most <= 10 ? 1 : null },
  }, CONFIG);
}

/** The reported displaced count: band (low–high), daily estimate and every report as a dot. */
export function drawDisplaced(element, data) {
  const title = data.label ? data.label.replace(/^displaced/, 'People displaced') : 'People displaced';
  if (!data.days.length) return empty(element, title, data.note || 'No reported figures in this window');
  const reports = data.reports;
  const traces = [
    { x: data.days, y: data.high, mode: 'lines', line: { width: 0 }, hoverinfo: 'skip', showlegend: false },
    { x: data.days, y: data.low, mode: 'lines', line: { width: 0 }, fill: 'tonexty',
      fillcolor: 'rgba(10, 90, 140, 0.18)', name: 'range the reports allow', hoverinfo: 'skip' },
    { x: data.days, y: data.best, mode: 'lines', line: { color: '#0a5a8c', width: 2 }, name: 'daily estimate',
      hovertemplate: '%{y:,.0f}<br>%{x|%d %b %Y}<extra>estimate</extra>' },
    { x: reports.map((r) => r.day), y: reports.map((r) => r.value), mode: 'markers', name: 'reports',
      marker: { size: 7, color: reports.map((r) => (r.contradiction ? '#a33b20' : '#1d2630')) },
      text: reports.map((r) => `${r.text} · ${r.publishers.join(', ')}${r.reported_on ? `, ${r.reported_on}` : ''}`),
      hovertemplate: '%{text}<br>as of %{x|%d %b %Y}<extra></extra>' },
  ];
  return Plotly.react(element, traces, {
    ...LAYOUT, title: { text: title },
    xaxis: { type: 'date', tickformat: '%d %b' }, yaxis: { title: { text: 'people' }, rangemode: 'tozero', tickformat: ',.0f' },
  }, CONFIG);
}

/** Compliance: events and violent events per day inside the area, fatalities on a second axis. */
export function drawDaily(element, daily, effectiveDay) {
  const most = Math.max(1, ...daily.events);
  const traces = [
    { type: 'bar', name: 'events', x: daily.days, y: daily.events, marker: { color: '#a9b4bd' } },
    { type: 'bar', name: 'violent events', x: daily.days, y: daily.violent, marker: { color: '#c0392b' } },
    { type: 'scatter', mode: 'lines', name: 'fatalities (best)', x: daily.days, y: daily.fatalities,
      yaxis: 'y2', line: { color: '#1d2630', width: 1.5 } },
  ];
  return Plotly.react(element, traces, {
    ...LAYOUT, barmode: 'overlay', title: { text: 'Inside the area, day by day' },
    margin: { ...LAYOUT.margin, r: 64 },
    xaxis: { type: 'date', tickformat: '%d %b' },
    // whole events only: a day has 0, 1, 2… events, never 0.2
    yaxis: { title: { text: 'events' }, rangemode: 'tozero', dtick: most <= 10 ? 1 : null },
    yaxis2: { title: { text: 'fatalities' }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false,
      tickformat: ',d' },
    shapes: [{ type: 'line', x0: effectiveDay, x1: effectiveDay, yref: 'paper', y0: 0, y1: 1,
      line: { color: '#0a5a8c', dash: 'dot', width: 2 } }],
    annotations: [{ x: effectiveDay, y: 1, yref: 'paper', text: 'in force', showarrow: false, xanchor: 'left',
      font: { color: '#0a5a8c' } }],
  }, CONFIG);
}
