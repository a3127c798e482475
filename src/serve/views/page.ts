import type { PageRow, SnapshotRow } from '../../store/queries.js';
import type { PostRecord } from '../../store/read.js';
import { exportLinks, href, html, layout, pagePath, plural, timeEl, zoneForm, type Html, type ViewState } from '../html.js';
import { pageHeader, postArticle, timeline } from './page-parts.js';

/** What a snapshot row holds beyond SnapshotRow's typed fields (it is read with SELECT *). */
type CaptureRow = SnapshotRow & { headline?: string | null; key_points?: string };

/** A live blog as one capture showed it: its posts in page order, and the timeline of captures. */
export function liveBlogView(state: ViewState, page: PageRow, snapshots: SnapshotRow[], current: SnapshotRow, posts: PostRecord[]): Html {
  const capture = current as CaptureRow;
  const keyPoints = JSON.parse(capture.key_points ?? '[]') as string[];
  const warnings = JSON.parse(current.warnings) as string[];
  const i = snapshots.findIndex((s) => s.id === current.id);
  const path = pagePath(page.url);
  return layout(state, page.title ?? page.url, html`
${pageHeader(state, page, 'posts', current.captured_at)}
${timeline(state, page, snapshots, current)}
<section class="capture">
  <h2 class="as-of">As captured ${timeEl(current.captured_at, state.tz)}: ${plural(posts.length, 'post')}</h2>
  <p class="capture-meta">Read by ${current.adapter_id}@${current.adapter_version} from <span class="source">${current.source}</span>
    · SHA-256 <code>${current.sha256.slice(0, 12)}</code>
    ${i > 0 ? html` · <a href="${href(pagePath(page.url, '/changes'), { to: current.captured_at, tz: state.tz })}">what changed since the capture before</a>` : ''}</p>
  ${warnings.length ? html`<ul class="warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
  ${zoneForm(path, { at: current.captured_at }, state.tz)}
  ${capture.headline || keyPoints.length ? html`<div class="page-state">
    ${capture.headline ? html`<p class="page-headline"><span class="label">Headline then</span> ${capture.headline}</p>` : ''}
    ${keyPoints.length ? html`<p class="label">Key points then</p><ul class="key-points">${keyPoints.map((k) => html`<li>${k}</li>`)}</ul>` : ''}
  </div>` : ''}
  ${exportLinks(path, { at: current.captured_at })}
</section>
<section class="posts">
${posts.length ? posts.map((p) => postArticle(state, page.url, p)) : html`<p>This capture showed no posts.</p>`}
</section>`);
}
