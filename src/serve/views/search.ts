import type { Backend } from '../../store/db.js';
import type { SearchHit } from '../../store/search.js';
import { exportLinks, href, html, layout, pagePath, raw, timeEl, type Html, type ViewState } from '../html.js';

export interface SearchQuery {
  q?: string;
  page?: string;
  publisher?: string;
  contributor?: string;
  kind?: string;
  since?: string;
  until?: string;
  all?: string;
  limit?: string;
}

/** A hit with the capture that last showed the version found, where the link takes the reader. */
export type LocatedHit = SearchHit & { at: string; pageTitle: string | null };

/** The snippet with its [matched terms] marked: escaped first, so page text stays text. */
function snippet(s: string): Html {
  const parts = s.split(/\[([^[\]]*)\]/);
  return html`${parts.map((p, i) => (i % 2 ? html`<mark>${p}</mark>` : p))}`;
}

function field(name: keyof SearchQuery, label: string, q: SearchQuery, attrs = ''): Html {
  return html`<label>${label} <input name="${name}" value="${q[name] ?? ''}"${raw(attrs)}></label>`;
}

/** The query syntax of the archive's backend: FTS5's on SQLite, websearch_to_tsquery's on PostgreSQL. */
const SYNTAX: Record<Backend, string> = {
  sqlite: 'FTS5 syntax, as on the command line: words, "a phrase", a OR b, a NOT b, NEAR(a b, 5), prefix*, headline: body: captions: contributors:',
  postgres: 'Web search syntax (a PostgreSQL archive), as on the command line: words, "a phrase", a OR b, -word (leave out); whole words only, every column',
};

export function searchView(state: ViewState, backend: Backend, q: SearchQuery, hits: LocatedHit[] | null, error: string | null): Html {
  const kinds = ['', 'liveblog', 'article', 'unknown'];
  return layout(state, q.q ? `Search: ${q.q}` : 'Search', html`
<h1>Search posts</h1>
<form class="search" method="get" action="/search">
  <p>${field('q', 'Words', q, ' type="search" size="40" autofocus')}
  <button type="submit">Search</button></p>
  <p class="hint">${SYNTAX[backend]}</p>
  <fieldset><legend>Filters</legend>
  ${field('page', 'Page URL', q, ' size="30"')} ${field('publisher', 'Publisher', q)} ${field('contributor', 'Contributor', q)}
  <label>Kind <select name="kind">${kinds.map((k) => html`<option value="${k}"${(q.kind ?? '') === k ? raw(' selected') : ''}>${k || 'any'}</option>`)}</select></label>
  ${field('since', 'Since', q, ' placeholder="2025-11-25 or 2025-11-25T14:00" size="18"')} ${field('until', 'Until', q, ' placeholder="2025-11-25" size="18"')}
  <label>Time zone <input name="tz" value="${state.tz}" size="16"></label>
  <label><input type="checkbox" name="all" value="1"${q.all ? raw(' checked') : ''}> every version, not only the latest</label>
  ${field('limit', 'At most', q, ' type="number" min="1" size="4" placeholder="20"')}
  </fieldset>
</form>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
${hits === null ? '' : hits.length === 0 ? html`<p class="count">No post matches.</p>` : html`
<p class="count">${hits.length} best matches</p>
<ol class="hits">
${hits.map((h) => html`<li class="hit">
  <p><a href="${href(pagePath(h.page), { at: h.at, tz: state.tz })}#post-${h.id}">${h.headline ?? h.id}</a>${h.latest ? '' : html` <span class="mark">version ${h.version}, since edited</span>`}</p>
  <p class="snippet">${snippet(h.snippet)}</p>
  <p class="meta">${timeEl(h.time, state.tz)} · ${h.pageTitle ?? h.page} · as captured ${timeEl(h.at, state.tz)}</p>
</li>`)}
</ol>
${exportLinks('/search', { ...q, tz: state.tz })}`}`);
}
