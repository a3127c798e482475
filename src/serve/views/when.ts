import type { PageRow } from '../../store/queries.js';
import type { PageRecord, PostRecord } from '../../store/read.js';
import { activityChart, periodName, type Activity } from '../chart.js';
import { exportLinks, html, layout, localTime, pagePath, plural, timeEl, zoneForm, type Html, type ViewState } from '../html.js';
import { pageHeader } from './page-parts.js';

/** When things happened on a page, from its posts with every version. */
export function activityOf(page: Pick<PageRecord, 'snapshots'>, posts: PostRecord[]): Activity & { untimed: number } {
  const a: Activity & { untimed: number } = { posts: [], edits: [], removals: [], captures: page.snapshots.map((s) => s.capturedAt), untimed: 0 };
  for (const p of posts) {
    const time = p.publishedAt ?? p.updatedAt;
    if (time) a.posts.push(time);
    else a.untimed++;
    for (const v of (p.versions ?? []).slice(1)) a.edits.push(v.updatedAt ?? v.firstSeenAt);
    if (p.removedAt) a.removals.push(p.removedAt);
  }
  return a;
}

export function whenView(state: ViewState, page: PageRow, activity: Activity & { untimed: number }): Html {
  const { svg, size, buckets, outside } = activityChart(activity, state.tz);
  const per = periodName(size);
  const path = pagePath(page.url, '/when');
  return layout(state, `When · ${page.title ?? page.url}`, html`
${pageHeader(state, page, 'when')}
<h2>Posts, edits and removals per ${per}</h2>
<p>${plural(activity.posts.length, 'post')} with a time${activity.untimed ? html` (and ${activity.untimed} without one, not charted)` : ''},
  ${plural(activity.edits.length, 'edit')}, ${plural(activity.removals.length, 'removal')}, over ${plural(activity.captures.length, 'capture')}.
  ${outside.length ? html`Not on the chart, being far from the posts: ${plural(outside.length, 'capture')} (${outside.map((c, i) => html`${i ? ', ' : ''}${timeEl(c, state.tz)}`)}).` : ''}
  A post counts at its first publication (else its last update), an edit at the update time of its new version (else the capture that first showed it), a removal at the capture that no longer showed the post.</p>
${zoneForm(path, {}, state.tz)}
<figure class="chart">${buckets.length ? svg : html`<p>Nothing with a time to chart.</p>`}</figure>
<details><summary>The numbers</summary>
<table class="numbers"><thead><tr><th scope="col">From</th><th scope="col" class="num">Posts</th><th scope="col" class="num">Edits</th><th scope="col" class="num">Removals</th></tr></thead>
<tbody>${buckets.map((b) => html`<tr><td>${localTime(b.start, state.tz)}</td><td class="num">${b.posts}</td><td class="num">${b.edits}</td><td class="num">${b.removals}</td></tr>`)}</tbody></table>
</details>
${exportLinks(path, {})}`);
}
