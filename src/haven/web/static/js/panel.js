// The key-figures panel: each number with its range, sources and as-of date, from /api/dashboard/summary.
import { escapeHtml, longDay, number, queryOf } from './util.js';

const SHOWN_FIGURES = 8;

function counted(group, figure) {
  return group.since ? `since ${longDay(group.since)}` : figure.as_of ? `as of ${longDay(figure.as_of)}` : '';
}

function sources(group) {
  const named = group.sources.slice(0, 3).map((s) => `${escapeHtml(s.publisher)}${s.date ? ` ${longDay(s.date)}` : ''}`);
  return named.join(', ') + (group.sources.length > 3 ? ', …' : '');
}

function figureItem(group) {
  const latest = group.latest;
  const range = group.reports > 1 ? `range ${escapeHtml(group.range)} · ` : '';
  const flag = group.contradiction
    ? ` <span class="flag" title="${escapeHtml(group.flags.join(' | '))}">sources contradict</span>` : '';
  return `<li data-metric="${escapeHtml(group.metric)}">
    <span class="label">${escapeHtml(group.label)} ${escapeHtml(counted(group, latest))}</span>
    <strong class="value">${escapeHtml(latest.text)}</strong>${flag}
    <span class="source">(${range}${sources(group)}; as of ${escapeHtml(longDay(latest.as_of))}${group.reports > 1 ? `; ${group.reports} reports` : ''})</span>
  </li>`;
}

export function renderKeyFigures(element, summary, state, unlocated) {
  const e = summary.events;
  const f = e.fatalities;
  const byType = Object.entries(e.by_type).slice(0, 4).map(([t, n]) => `${n} ${escapeHtml(t)}`).join(', ');
  const crossings = summary.crossings;
  const open = crossings.list.map((c) => `${escapeHtml(c.name)}: ${escapeHtml(c.status || 'unknown')}`).join('; ');
  const figures = summary.figures.slice(0, SHOWN_FIGURES).map(figureItem).join('');
  const more = summary.figures.length > SHOWN_FIGURES ? ` (${summary.figures.length - SHOWN_FIGURES} more groups)` : '';
  const agreements = summary.agreements.map((a) =>
    `<li>${escapeHtml(a.name)} <span class="muted">${escapeHtml(a.kind.replace(/_/g, ' '))}, from ${longDay(a.from)}${a.to ? ` to ${longDay(a.to)}` : ''}</span></li>`).join('');
  const typeNote = summary.types.length ? ` · ${summary.types.map(escapeHtml).join(', ')}` : '';
  element.innerHTML = `
    <h2>Key figures</h2>
    <p class="window">${longDay(state.from)} – ${longDay(state.to)} · ${escapeHtml(summary.area.name)}${typeNote}</p>
    <dl class="kf">
      <div data-kf="events"><dt>Events</dt><dd><strong>${number(e.count)}</strong>
        <span class="muted">${byType}${unlocated ? ` · ${unlocated} without a point on the map` : ''}</span></dd></div>
      <div data-kf="fatalities"><dt>Fatalities</dt><dd><strong>${number(f.best)}</strong> best
        <span class="muted">(low ${number(f.low)}, high ${number(f.high)}${e.without_high ? `; ${e.without_high} events give no upper bound` : ''})</span></dd></div>
      <div data-kf="crossings"><dt>Crossings open</dt><dd><strong>${crossings.open}</strong> of ${crossings.list.length}
        <span class="muted">on ${longDay(crossings.on)}${open ? ` (${open})` : ''}</span></dd></div>
      <div data-kf="sites"><dt>IDP sites registered</dt><dd><strong>${number(summary.sites)}</strong></dd></div>
    </dl>
    <h3>Reported figures</h3>
    ${figures ? `<ul class="figures">${figures}</ul>` : '<p class="muted">No figures reported for this window and area.</p>'}
    <p><a href="/figures?${queryOf({ ...state, types: [] })}">Every report, reconciled${more} →</a></p>
    ${agreements ? `<h3>Agreements in force</h3><ul class="agreements">${agreements}</ul>` : ''}`;
}
