/**
 * Functions that run inside a page in the browser (handed to Playwright's evaluate). Only their
 * source text reaches the page, so each stands alone: no imports, no helpers outside its body.
 */

export interface PageStats {
  /** Post-like elements: the larger of the biggest set of timed sibling blocks and the article-like elements. */
  posts: number;
  /** Elements in the document. */
  nodes: number;
  /** Bytes of script heap in use (Chromium's performance.memory), 0 where unknown. */
  heap: number;
}

/**
 * Counts the page's posts generically, the way the generic reader finds them: a live blog is a
 * list of sibling blocks that each carry a time (a <time>, a datetime or data-…time attribute,
 * or a short clock text such as "14:05" or "5 min ago"). The count is the largest such set of
 * siblings, or the number of article-like elements (<article>, schema.org liveBlogUpdate) when
 * that is larger. It only has to grow when posts arrive: it decides when a page has settled.
 */
export function pageStats(): PageStats {
  const timeAttr = /^(?:datetime|data-[\w-]*(?:time|date|timestamp|published|modified|updated)[\w-]*)$/i;
  const timeValue = /\d{4}-\d{2}-\d{2}|^\d{10,13}$/;
  const clock = /^(?:\d{1,2}\s?[:.h]\s?\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,5})?(?:\s*Uhr)?|\d+\s*(?:s|sec|secs|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s+ago|(?:vor|il y a|hace|há)\s+\d+\s*\w+|just now)$/i;
  const all = document.body ? document.body.getElementsByTagName('*') : [];
  const signals: Element[] = [];
  for (const el of Array.from(all)) {
    if (el.tagName === 'TIME' || Array.from(el.attributes).some((a) => timeAttr.test(a.name) && timeValue.test(a.value.trim()))) {
      signals.push(el);
    } else if (el.childElementCount === 0) {
      const text = (el.textContent ?? '').trim();
      if (text.length > 0 && text.length <= 24 && clock.test(text)) signals.push(el);
    }
  }
  const groups = new Map<Element, Map<string, Set<Element>>>();
  let best = 0;
  for (const signal of signals) {
    let child = signal;
    let parent = signal.parentElement;
    while (parent) {
      let byTag = groups.get(parent);
      if (!byTag) groups.set(parent, (byTag = new Map()));
      let set = byTag.get(child.tagName);
      if (!set) byTag.set(child.tagName, (set = new Set()));
      set.add(child);
      if (set.size > best) best = set.size;
      child = parent;
      parent = parent.parentElement;
    }
  }
  const articles = document.querySelectorAll('article, [itemprop="liveBlogUpdate"]').length;
  const memory = (performance as unknown as { memory?: { usedJSHeapSize?: number } }).memory;
  return { posts: Math.max(best > 1 ? best : 0, articles), nodes: all.length, heap: memory?.usedJSHeapSize ?? 0 };
}

/**
 * Finds a visible, enabled "Load more" / "Show older posts" control whose label matches
 * `pattern` and not `exclude`, and marks it with the `marker` attribute for a real click.
 * Buttons come before links: a link may only lead to another page (which the capture then
 * refuses to follow).
 */
export function markExpandControl(arg: { pattern: string; exclude: string; marker: string }): boolean {
  const pattern = new RegExp(arg.pattern, 'iu');
  const exclude = new RegExp(arg.exclude, 'iu');
  const selector = 'button, a, [role="button"], input[type="button"], input[type="submit"], [class*="load-more" i], [class*="loadmore" i], [class*="show-more" i]';
  const candidates = Array.from(document.querySelectorAll<HTMLElement>(selector)).filter((el) => {
    const label = ((el as HTMLInputElement).value || el.innerText || el.getAttribute('aria-label') || el.title || '').replace(/\s+/g, ' ').trim();
    if (label === '' || label.length > 60 || !pattern.test(label) || exclude.test(label)) return false;
    if ((el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true') return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  });
  const isLink = (el: HTMLElement): boolean => el.tagName === 'A' && !/^(?:#|javascript:|$)/i.test((el.getAttribute('href') ?? '').trim());
  const chosen = candidates.find((el) => !isLink(el)) ?? candidates[0];
  if (!chosen) return false;
  chosen.setAttribute(arg.marker, '');
  return true;
}

/**
 * The document as HTML. `page`: the whole document with its doctype, declared UTF-8 (what the
 * capture is written in). `frame`: what goes where the frame sat in its parent: its structured
 * data and its body, with every URL made absolute (they were relative to the frame) and
 * scripts dropped. Open shadow roots are copied into their hosts, so their posts are seen.
 */
export function snapshotDocument(mode: 'page' | 'frame'): string {
  const flatten = (root: Document | ShadowRoot): void => {
    for (const host of Array.from(root.querySelectorAll('*'))) {
      if (!host.shadowRoot) continue;
      flatten(host.shadowRoot);
      const copy = document.createElement('div');
      copy.setAttribute('data-livearchive-shadow', '');
      copy.innerHTML = host.shadowRoot.innerHTML;
      host.appendChild(copy);
    }
  };
  flatten(document);
  if (mode === 'frame') {
    const absolute = (v: string): string => {
      try {
        return new URL(v, document.baseURI).href;
      } catch {
        return v;
      }
    };
    for (const el of Array.from(document.querySelectorAll('[href], [src], [poster], [data-src]'))) {
      for (const name of ['href', 'src', 'poster', 'data-src']) {
        const v = el.getAttribute(name);
        if (v !== null && !/^(?:#|javascript:|data:)/i.test(v.trim())) el.setAttribute(name, absolute(v.trim()));
      }
    }
    for (const el of Array.from(document.querySelectorAll('[srcset]'))) {
      el.setAttribute('srcset', (el.getAttribute('srcset') ?? '').split(',').map((c) => c.trim().replace(/^\S+/, (u) => absolute(u))).join(', '));
    }
    const data = Array.from(document.querySelectorAll('script[type="application/ld+json"]')).map((s) => s.outerHTML).join('');
    for (const s of Array.from(document.querySelectorAll('script'))) s.remove();
    return data + (document.body ?? document.documentElement).innerHTML;
  }
  for (const m of Array.from(document.querySelectorAll('meta[charset]'))) m.setAttribute('charset', 'utf-8');
  for (const m of Array.from(document.querySelectorAll('meta[http-equiv="content-type" i]'))) m.setAttribute('content', 'text/html; charset=utf-8');
  const dt = document.doctype;
  const doctype = dt ? `<!DOCTYPE ${dt.name}${dt.publicId ? ` PUBLIC "${dt.publicId}"` : ''}${dt.systemId ? `${dt.publicId ? '' : ' SYSTEM'} "${dt.systemId}"` : ''}>\n` : '';
  return doctype + document.documentElement.outerHTML;
}
