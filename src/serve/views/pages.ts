import type { PageSummary } from '../../store/read.js';
import { exportLinks, href, html, layout, pagePath, raw, timeEl, type Html, type ViewState } from '../html.js';

export interface PagesQuery {
  sort?: string;
  dir?: string;
  publisher?: string;
  kind?: string;
}

const COLUMNS: Array<{ key: keyof PageSummary; label: string; numeric?: boolean }> = [
  { key: 'title', label: 'Page' },
  { key: 'publisher', label: 'Publisher' },
  { key: 'kind', label: 'Kind' },
  { key: 'firstCapture', label: 'First capture' },
  { key: 'lastCapture', label: 'Last capture' },
  { key: 'snapshots', label: 'Snapshots', numeric: true },
  { key: 'posts', label: 'Posts', numeric: true },
  { key: 'removed', label: 'Removed', numeric: true },
];

/** The pages the filters keep, in the order asked for (default: last capture, newest first). */
export function selectPages(pages: PageSummary[], q: PagesQuery): PageSummary[] {
  const col = COLUMNS.find((c) => c.key === q.sort) ?? COLUMNS.find((c) => c.key === 'lastCapture')!;
  const desc = q.dir ? q.dir === 'desc' : !q.sort;
  const value = (p: PageSummary): string | number => (col.key === 'title' ? p.title ?? p.url : p[col.key] ?? '');
  return pages
    .filter((p) => (!q.publisher || p.publisher === q.publisher) && (!q.kind || p.kind === q.kind))
    .sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (desc ? -c : c) || a.url.localeCompare(b.url);
    });
}

function option(value: string, current: string | undefined, label = value): Html {
  return html`<option value="${value}"${value === (current ?? '') ? raw(' selected') : ''}>${label}</option>`;
}

export function pagesView(state: ViewState, all: PageSummary[], q: PagesQuery): Html {
  const rows = selectPages(all, q);
  const publishers = [...new Set(all.map((p) => p.publisher).filter((p): p is string => !!p))].sort();
  const kinds = [...new Set(all.map((p) => p.kind))].sort();
  const keep = { publisher: q.publisher, kind: q.kind, tz: state.tz };
  const sortedBy = q.sort ?? 'lastCapture';
  const desc = q.dir ? q.dir === 'desc' : !q.sort;
  const header = (c: (typeof COLUMNS)[number]): Html => {
    const active = c.key === sortedBy;
    const next = active && !desc ? 'desc' : active ? 'asc' : c.numeric || c.key.endsWith('Capture') ? 'desc' : 'asc';
    return html`<th scope="col"${active ? raw(` aria-sort="${desc ? 'descending' : 'ascending'}"`) : ''}${c.numeric ? raw(' class="num"') : ''}>
      <a href="${href('/', { ...keep, sort: c.key, dir: next })}">${c.label}${active ? (desc ? ' ▼' : ' ▲') : ''}</a></th>`;
  };
  return layout(state, 'Pages', html`
<h1>Archived pages</h1>
<form class="filters" method="get" action="/">
  <input type="hidden" name="tz" value="${state.tz}">
  ${q.sort ? html`<input type="hidden" name="sort" value="${q.sort}"><input type="hidden" name="dir" value="${q.dir ?? ''}">` : ''}
  <label>Publisher <select name="publisher">${option('', q.publisher, 'any')}${publishers.map((p) => option(p, q.publisher))}</select></label>
  <label>Kind <select name="kind">${option('', q.kind, 'any')}${kinds.map((k) => option(k, q.kind))}</select></label>
  <button type="submit">Filter</button>
</form>
<p class="count">${rows.length} of ${all.length} pages</p>
<table class="pages">
<thead><tr>${COLUMNS.map(header)}</tr></thead>
<tbody>
${rows.map((p) => html`<tr>
  <td><a href="${href(pagePath(p.url), { tz: state.tz })}">${p.title ?? p.url}</a><div class="url">${p.url}</div></td>
  <td>${p.publisher ?? ''}</td><td>${p.kind}</td>
  <td>${timeEl(p.firstCapture, state.tz)}</td><td>${timeEl(p.lastCapture, state.tz)}</td>
  <td class="num">${p.snapshots}</td><td class="num">${p.posts}</td><td class="num">${p.removed}</td>
</tr>`)}
</tbody>
</table>
${exportLinks('/', { sort: q.sort, dir: q.dir, publisher: q.publisher, kind: q.kind })}`);
}
