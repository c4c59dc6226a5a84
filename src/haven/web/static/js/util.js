// Small helpers shared by the pages' scripts: days as ISO strings, numbers, HTML escaping, fetching.

const DAY_MS = 86400000;

/** "2020-03-05" -> days since 1970-01-01 (UTC, so no time zone shifts a day). */
export function dayNumber(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function isoDay(number) {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2020-03-05" -> "5 Mar 2020". */
export function longDay(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

export function number(value) {
  if (value === null || value === undefined) return '–';
  const digits = Math.abs(value) >= 10 || Number.isInteger(value) ? 0 : 1;
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

/** GET a JSON document from this server; an error response throws with the server's `detail`. */
export async function fetchJSON(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : response.statusText;
    throw new Error(`${url.split('?')[0]}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  }
  return body;
}

/** The query string of a dashboard state: from, to, area and each type. */
export function queryOf(state) {
  const params = new URLSearchParams();
  params.set('from', state.from);
  params.set('to', state.to);
  if (state.area) params.set('area', state.area);
  for (const type of state.types) params.append('type', type);
  return params;
}
