import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isExpandLabel } from '../../src/acquire/render-expand.js';
import { isBlocked, readBlockList } from '../../src/acquire/render-block.js';
import { tempDir } from '../helpers.js';

describe('"Load more" controls, recognised by their label', () => {
  it.each([
    'Load more', 'Show older posts', 'Load 20 more', 'See more updates', 'Ältere Beiträge laden', 'Weitere Einträge anzeigen', 'Mehr laden',
    'Charger plus', 'Voir les messages précédents', 'Cargar más', 'Ver más entradas', 'Carica altri post', 'Carregar mais',
    'Meer laden', 'Visa fler', 'Vis flere', 'Näytä lisää', 'Pokaż więcej', 'Načíst další', 'Daha fazla yükle', 'Показать ещё', '加载更多', 'もっと見る',
  ])('%s', (label) => expect(isExpandLabel(label)).toBe(true));

  it.each([
    'Show more comments', 'Load more replies', 'Read more', 'Weiterlesen', 'Lire la suite', 'Subscribe to our newsletter',
    'Share', 'Downloaded', 'Payload moreover', 'Accept all cookies', `Load more ${'x'.repeat(60)}`, '',
  ])('not %s', (label) => expect(isExpandLabel(label)).toBe(false));
});

describe('--render-block-ads and --render-block-list lists', () => {
  it('the built-in list blocks ad and tracking hosts and their subdomains, not the page', async () => {
    const hosts = await readBlockList();
    expect(hosts.size).toBeGreaterThan(20);
    expect(isBlocked('https://securepubads.g.doubleclick.net/tag/js/gpt.js', hosts)).toBe(true);
    expect(isBlocked('https://www.googletagmanager.com/gtm.js?id=GTM-1', hosts)).toBe(true);
    expect(isBlocked('https://cdn.tickaroo.com/webng/embedjs/tik4.js', hosts)).toBe(false);
    expect(isBlocked('https://notdoubleclick.net/x.js', hosts)).toBe(false);
  });

  it('reads a list of your own, and names a line that is not a host', async () => {
    const dir = tempDir();
    const good = join(dir, 'hosts.txt');
    writeFileSync(good, '# mine\nads.example.org  # the ad server\n\n*.tracker.example\n');
    const hosts = await readBlockList(good);
    expect([...hosts]).toEqual(['ads.example.org', 'tracker.example']);
    expect(isBlocked('http://x.tracker.example/p', hosts)).toBe(true);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'ads.example.org\nhttps://ads.example.org/\n');
    await expect(readBlockList(bad)).rejects.toThrow('not a host name: "https://ads.example.org/" (one host per line, # comments)');
  });
});
