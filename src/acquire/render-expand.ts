import type { Page } from 'playwright-core';
import { markExpandControl } from './render-page.js';
import { withTimeout } from './render-wait.js';

/**
 * What "Load more" / "Show older posts" controls say, in the languages livearchive reads.
 * Matched against a control's whole label (short: at most 60 characters), any case.
 */
const EXPAND_PHRASES = [
  // English
  'load more', 'show more', 'see more', 'view more', 'more posts', 'more updates', 'more entries', 'older posts', 'older updates',
  'older entries', 'earlier posts', 'earlier updates', 'previous posts', 'previous updates', 'show older', 'load older', 'show earlier', 'load earlier',
  // German
  'mehr laden', 'weitere laden', 'mehr anzeigen', 'weitere anzeigen', 'mehr beiträge', 'weitere beiträge', 'weitere einträge', 'mehr einträge',
  'ältere beiträge', 'ältere einträge', 'ältere meldungen', 'frühere beiträge', 'frühere einträge',
  // French
  'charger plus', 'afficher plus', 'voir plus', 'plus de messages', 'plus de posts', 'messages précédents', 'posts précédents', 'billets précédents',
  'anciens messages', 'charger les messages', 'voir les messages précédents',
  // Spanish, Portuguese, Italian
  'cargar más', 'ver más', 'mostrar más', 'más entradas', 'entradas anteriores', 'publicaciones anteriores', 'actualizaciones anteriores',
  'carregar mais', 'ver mais', 'mostrar mais', 'posts anteriores', 'atualizações anteriores',
  'carica altri', 'carica più', 'mostra altri', 'vedi altri', 'mostra di più', 'post precedenti', 'aggiornamenti precedenti',
  // Dutch, Scandinavian, Finnish
  'meer laden', 'laad meer', 'toon meer', 'meer berichten', 'oudere berichten', 'eerdere berichten',
  'visa fler', 'ladda fler', 'visa mer', 'äldre inlägg', 'tidigare inlägg', 'vis flere', 'vis mere', 'vis mer', 'hent flere', 'last flere',
  'indlæs flere', 'ældre opslag', 'eldre innlegg', 'näytä lisää', 'lataa lisää', 'vanhemmat',
  // Polish, Czech, Hungarian, Romanian, Turkish, Greek
  'załaduj więcej', 'pokaż więcej', 'wczytaj więcej', 'starsze wpisy', 'wcześniejsze wpisy', 'načíst další', 'zobrazit další', 'starší příspěvky',
  'továbbiak betöltése', 'több betöltése', 'încarcă mai multe', 'arată mai multe', 'daha fazla yükle', 'daha fazla göster', 'önceki gelişmeler',
  'περισσότερα', 'παλαιότερες',
  // Russian, Ukrainian, Arabic, Japanese, Chinese, Korean
  'показать ещё', 'показать еще', 'загрузить ещё', 'загрузить еще', 'ранние записи', 'показати ще', 'завантажити ще',
  'المزيد', 'تحميل المزيد', 'もっと見る', 'さらに表示', '加载更多', '查看更多', '載入更多', '더보기', '더 보기',
];

/** Controls that load something else than older posts, or open one post: never clicked. */
const EXCLUDE = /comment|repl(?:y|ies)|kommentar|antwort|commentaire|réponse|comentario|respuesta|commento|rispost|reactie|komentarz|yorum|read more|weiterlesen|mehr lesen|lire la suite|leer más|leia mais|continua a leggere|lees meer|läs mer|les mer|læs mere|lue lisää|czytaj dalej|related|ähnlich|similaires|newsletter|cookie/iu;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A listed phrase standing as whole words in the label: "Load more", "Load 20 more", "Ältere Beiträge laden". */
const PATTERN = new RegExp(`(?:^|[^\\p{L}])(?:${EXPAND_PHRASES.map(escape).join('|')}|load \\d+ more|show \\d+ more)(?:$|[^\\p{L}])`, 'iu');

/** Whether a control's label asks for more (older) posts. */
export function isExpandLabel(label: string): boolean {
  const text = label.replace(/\s+/g, ' ').trim();
  return text.length > 0 && text.length <= 60 && PATTERN.test(text) && !EXCLUDE.test(text);
}

const MARKER = 'data-livearchive-expand';

/**
 * One step of expanding a page: a real click on the first "Load more" control in any frame
 * (main document first), or, with none, a scroll to the end of the page for pages that load
 * older posts as the reader reaches the bottom. Says what it did.
 */
export async function expandOnce(page: Page, timeoutMs: number): Promise<'clicked' | 'scrolled' | 'nothing'> {
  const budget = Math.max(1, timeoutMs);
  for (const frame of page.frames()) {
    const found = await withTimeout(frame.evaluate(markExpandControl, { pattern: PATTERN.source, exclude: EXCLUDE.source, marker: MARKER }), budget).catch(() => false);
    const control = found ? await withTimeout(frame.$(`[${MARKER}]`), budget).catch(() => null) : null;
    if (!control) continue;
    // A handle, not a locator: the control may be gone once clicked, and then nothing waits for it.
    const clicked = await control.click({ timeout: budget }).then(() => true, () => false);
    await withTimeout(control.evaluate((el, marker) => el.removeAttribute(marker), MARKER), budget).catch(() => undefined);
    await control.dispose().catch(() => undefined);
    // Covered or gone before the click: the next step looks again, or scrolls.
    if (clicked) return 'clicked';
  }
  const moved = await withTimeout(page.evaluate(() => {
    const before = window.scrollY;
    window.scrollTo(0, document.documentElement.scrollHeight);
    return window.scrollY !== before;
  }), budget).catch(() => false);
  return moved ? 'scrolled' : 'nothing';
}
