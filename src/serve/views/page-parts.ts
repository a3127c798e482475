import type { PageRow, SnapshotRow } from '../../store/queries.js';
import type { PostRecord } from '../../store/read.js';
import { webUrl } from '../../parse/url.js';
import type { Media } from '../../types.js';
import { safeBodyHtml } from '../body.js';
import { href, html, localTime, outLink, pagePath, plural, raw, timeEl, type Html, type ViewState } from '../html.js';

export type Tab = 'posts' | 'changes' | 'when' | 'post';

/** The page's title, where it came from, and the tabs of its views. */
export function pageHeader(state: ViewState, page: PageRow, tab: Tab, at?: string): Html {
  const tabs: Array<[Tab, string, string]> = [
    ['posts', 'Posts at a capture', href(pagePath(page.url), { at, tz: state.tz })],
    ['changes', 'What changed', href(pagePath(page.url, '/changes'), { to: at, tz: state.tz })],
    ['when', 'When', href(pagePath(page.url, '/when'), { tz: state.tz })],
  ];
  return html`<header class="page">
  <p class="kicker">${page.publisher ?? 'Unknown publisher'} · ${page.kind === 'liveblog' ? 'live blog' : page.kind}</p>
  <h1>${page.title ?? page.headline ?? page.url}</h1>
  <p class="url">${outLink(page.url, page.url)}</p>
  <nav class="tabs">${tabs.map(([id, label, link]) => html`<a href="${link}"${id === tab ? raw(' aria-current="page"') : ''}>${label}</a>`)}</nav>
</header>`;
}

/** The page's captures, oldest first: each a link to the page as it stood then. */
export function timeline(state: ViewState, page: PageRow, snapshots: SnapshotRow[], current: SnapshotRow, sub = '', param = 'at'): Html {
  const i = snapshots.findIndex((s) => s.id === current.id);
  const link = (s: SnapshotRow): string => href(pagePath(page.url, sub), { [param]: s.captured_at, tz: state.tz });
  const prev = snapshots[i - 1];
  const next = snapshots[i + 1];
  return html`<nav class="timeline" aria-label="Captures of this page">
  <p>Capture ${i + 1} of ${snapshots.length}:
    ${prev ? html`<a rel="prev" href="${link(prev)}">← earlier</a>` : ''}
    ${next ? html`<a rel="next" href="${link(next)}">later →</a>` : ''}</p>
  <ol>${snapshots.map((s) => html`<li><a href="${link(s)}" title="${s.captured_at}"${s.id === current.id ? raw(' aria-current="true"') : ''}>
    <span class="t">${localTime(s.captured_at, state.tz)}</span> <span class="n">${plural(s.post_count, 'post')}</span></a></li>`)}</ol>
</nav>`;
}

export function mediaItem(m: Media): Html {
  const label = m.name ?? m.alt ?? m.caption ?? m.kind;
  return html`<li class="media ${m.kind}"><span class="kind">${m.kind}</span> ${outLink(m.url, label)}
    ${m.duration ? html`<span class="duration">${m.duration.replace(/^PT/, '').toLowerCase()}</span>` : ''}
    ${m.caption && m.caption !== label ? html`<span class="caption">${m.caption}</span>` : ''}
    ${m.credit ? html`<span class="credit">Credit: ${m.credit}</span>` : ''}
    ${m.description ? html`<span class="description">${m.description}</span>` : ''}
    ${webUrl(m.thumbnail) && m.thumbnail !== m.url ? html`<span class="thumb">${outLink(m.thumbnail, 'thumbnail')}</span>` : ''}</li>`;
}

/** One post as a capture showed it: marks, headline, times, people, body, media. */
export function postArticle(state: ViewState, pageUrl: string, p: PostRecord): Html {
  const history = href(pagePath(pageUrl, `/post/${encodeURIComponent(p.id)}`), { tz: state.tz });
  const marks = [p.pinned && html`<span class="mark pinned">Pinned</span>`, p.keyEvent && html`<span class="mark key">Key event</span>`,
    p.origin === 'structured-data' && html`<span class="mark ld" title="listed in the page's structured data, not shown on it">Structured data only</span>`].filter(Boolean);
  const edited = p.updatedAt && p.publishedAt && p.updatedAt !== p.publishedAt;
  return html`<article class="post${p.pinned ? ' pinned' : ''}${p.keyEvent ? ' key-event' : ''}" id="post-${p.id}">
  <header>
    ${marks.length ? html`<p class="marks">${marks}</p>` : ''}
    <h2>${p.headline ?? html`<span class="untitled">(no headline)</span>`}</h2>
    <p class="meta">
      ${p.publishedAt ?? p.updatedAt ? timeEl(p.publishedAt ?? p.updatedAt, state.tz) : html`<span class="untimed">no time given</span>`}
      ${edited ? html` · updated ${timeEl(p.updatedAt, state.tz)}` : ''}
      ${p.displayTime ? html` · <span class="shown" title="as the page displayed it">shown as “${p.displayTime}”</span>` : ''}
      ${p.url ? html` · ${outLink(p.url, 'original')}` : ''}
    </p>
    ${p.contributors.length ? html`<p class="people">By ${p.contributors.map((c, i) => html`${i ? ', ' : ''}<span class="person">${c.name}</span>`)}</p>` : ''}
  </header>
  <div class="body">${raw(safeBodyHtml(p.bodyHtml))}</div>
  ${p.media.length ? html`<ul class="media-list">${p.media.map(mediaItem)}</ul>` : ''}
  <p class="version"><a href="${history}">version ${p.version} of ${p.versionCount}${p.versionCount > 1 ? ' — history' : ''}</a></p>
</article>`;
}
