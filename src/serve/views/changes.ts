import { wordDiff, type DiffSpan, type PostChange, type SnapshotDiff } from '../../diff.js';
import type { PageRow, SnapshotRow } from '../../store/queries.js';
import type { PostVersion } from '../../store/read.js';
import { safeBodyHtml } from '../body.js';
import { exportLinks, href, html, layout, localTime, pagePath, plural, raw, timeEl, zoneForm, type Html, type ViewState } from '../html.js';
import { mediaItem, pageHeader, timeline } from './page-parts.js';

/** A word diff as text with <del> and <ins>: the unchanged words stay plain. */
export function diffHtml(spans: DiffSpan[]): Html {
  return html`${spans.map((s) => (s.op === 'insert' ? html`<ins>${s.text}</ins>` : s.op === 'delete' ? html`<del>${s.text}</del>` : s.text))}`;
}

function changed(spans: DiffSpan[] | undefined): boolean {
  return !!spans?.some((s) => s.op !== 'equal');
}

const LABEL: Record<PostChange['change'], string> = { added: 'New', edited: 'Edited', removed: 'Removed', 'not-shown': 'Not shown' };

function captureSelect(name: string, snapshots: SnapshotRow[], chosen: SnapshotRow, tz: string): Html {
  return html`<select name="${name}">${snapshots.map((s) => html`<option value="${s.captured_at}"${s.id === chosen.id ? raw(' selected') : ''}>${localTime(s.captured_at, tz)} (${plural(s.post_count, 'post')})</option>`)}</select>`;
}

export interface ChangesInput {
  page: PageRow;
  snapshots: SnapshotRow[];
  from: SnapshotRow;
  to: SnapshotRow;
  /** Null when `to` is the first capture: nothing before it to compare with. */
  diff: SnapshotDiff | null;
}

/** What changed between two captures: new, edited (word by word) and removed posts. */
export function changesView(state: ViewState, v: ChangesInput): Html {
  const path = pagePath(v.page.url, '/changes');
  const postLink = (c: PostChange): string => href(pagePath(v.page.url), { at: c.change === 'removed' || c.change === 'not-shown' ? v.from.captured_at : v.to.captured_at, tz: state.tz }) + `#post-${c.id}`;
  const changes = v.diff?.changes ?? [];
  const count = (kind: PostChange['change']): number => changes.filter((c) => c.change === kind).length;
  return layout(state, `What changed · ${v.page.title ?? v.page.url}`, html`
${pageHeader(state, v.page, 'changes', v.to.captured_at)}
${timeline(state, v.page, v.snapshots, v.to, '/changes', 'to')}
<form class="compare" method="get" action="${path}">
  <input type="hidden" name="tz" value="${state.tz}">
  <label>From ${captureSelect('from', v.snapshots, v.from, state.tz)}</label>
  <label>to ${captureSelect('to', v.snapshots, v.to, state.tz)}</label>
  <button type="submit">Compare</button>
</form>
${zoneForm(path, { from: v.diff ? v.from.captured_at : undefined, to: v.to.captured_at }, state.tz)}
${v.diff ? html`
<h2 class="summary">From ${timeEl(v.from.captured_at, state.tz)} to ${timeEl(v.to.captured_at, state.tz)}:
  <span class="added">${count('added')} new</span>, <span class="edited">${count('edited')} edited</span>, <span class="removed">${count('removed')} removed</span>${count('not-shown') ? html`, ${count('not-shown')} not shown by an incomplete capture` : ''}</h2>
${changes.length === 0 ? html`<p>No post changed.</p>` : ''}
<ol class="changes">
${changes.map((c) => html`<li class="change ${c.change}" id="change-${c.id}">
  <p><span class="badge ${c.change}">${LABEL[c.change]}</span> <a href="${postLink(c)}">${c.change === 'edited' && changed(c.headlineDiff) ? diffHtml(c.headlineDiff!) : c.headline ?? c.id}</a>
    ${c.time ? html`<span class="time">${timeEl(c.time, state.tz)}</span>` : ''}
    ${c.change === 'edited' ? html`<a class="history" href="${href(pagePath(v.page.url, `/post/${encodeURIComponent(c.id)}`), { tz: state.tz })}">version ${c.fromVersion} → ${c.toVersion}</a>` : ''}</p>
  ${c.change === 'edited' && changed(c.bodyDiff) ? html`<div class="diff">${diffHtml(c.bodyDiff!)}</div>` : ''}
</li>`)}
</ol>
${exportLinks(path, { from: v.from.captured_at, to: v.to.captured_at })}` : html`<p>This is the page's first capture: there is nothing earlier to compare it with.</p>`}`);
}

/** Every version of one post, oldest first, each with the captures that showed it and what changed from the one before. */
export function historyView(state: ViewState, page: PageRow, id: string, versions: PostVersion[], removedAt: string | null): Html {
  const path = pagePath(page.url, `/post/${encodeURIComponent(id)}`);
  const last = versions.at(-1);
  return layout(state, `Post history · ${last?.headline ?? id}`, html`
${pageHeader(state, page, 'post')}
<h2>History of ${last?.headline ? html`“${last.headline}”` : html`post <code>${id}</code>`}</h2>
<p>${plural(versions.length, 'version')}${removedAt ? html`; gone from the page by ${timeEl(removedAt, state.tz)}` : ''}.</p>
${zoneForm(path, {}, state.tz)}
<ol class="versions">
${versions.map((v, i) => {
    const before = versions[i - 1];
    return html`<li class="revision" id="version-${v.version}">
  <h3>Version ${v.version}</h3>
  <p class="seen">Seen in ${plural(v.sightings.length, 'capture')}: ${v.sightings.map((s, j) => html`${j ? ', ' : ''}<a href="${href(pagePath(page.url), { at: s.capturedAt, tz: state.tz })}#post-${id}">${localTime(s.capturedAt, state.tz)}</a>${s.pinned ? ' (pinned)' : ''}`)}</p>
  <p class="meta">${v.publishedAt ? html`Published ${timeEl(v.publishedAt, state.tz)}` : ''}${v.updatedAt && v.updatedAt !== v.publishedAt ? html`${v.publishedAt ? ' · u' : 'U'}pdated ${timeEl(v.updatedAt, state.tz)}` : ''}
    ${v.contributors.length ? html` · by ${v.contributors.map((c) => c.name).join(', ')}` : ''}</p>
  ${before ? html`<div class="revision-diff"><p class="what">Changes from version ${before.version}:</p>
    ${before.headline !== v.headline ? html`<p class="headline-diff">${diffHtml(wordDiff(before.headline ?? '', v.headline ?? ''))}</p>` : ''}
    ${before.bodyText !== v.bodyText ? html`<div class="body-diff">${diffHtml(wordDiff(before.bodyText, v.bodyText))}</div>` : html`<p>The text is the same; what changed is the time, people or media.</p>`}</div>` : ''}
  <h4>${v.headline ?? ''}</h4>
  <div class="body">${raw(safeBodyHtml(v.bodyHtml))}</div>
  ${v.media.length ? html`<ul class="media-list">${v.media.map(mediaItem)}</ul>` : ''}
</li>`;
  })}
</ol>
${exportLinks(path, {})}`);
}
