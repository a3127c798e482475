import { describe, expect, it } from 'vitest';
import { load, type CheerioAPI } from 'cheerio';
import { isoDuration, largestSrcsetCandidate, makeMedia } from '../../src/parse/media.js';
import { bylinePortrait, extractMedia } from '../../src/parse/media-dom.js';
import { cleanCredit, splitCredit } from '../../src/parse/dom.js';

describe('media helpers', () => {
  it('picks the largest srcset candidate even when URLs contain commas', () => {
    expect(largestSrcsetCandidate('https://i.example/a.jpg?q=w_480,c_fill 480w, https://i.example/a.jpg?q=w_1600,c_fill 1600w, https://i.example/a.jpg?q=w_960,c_fill 960w'))
      .toBe('https://i.example/a.jpg?q=w_1600,c_fill');
    expect(largestSrcsetCandidate('/a.jpg 1x, /a@2x.jpg 2x')).toBe('/a@2x.jpg');
    expect(largestSrcsetCandidate('/only.jpg')).toBe('/only.jpg');
    expect(largestSrcsetCandidate('')).toBeNull();
  });

  it.each([
    ['00:20', 'PT20S'], ['01:09', 'PT1M9S'], ['1:02:03', 'PT1H2M3S'], ['41', 'PT41S'], [95, 'PT1M35S'],
    ['PT2M', 'PT2M'], ['10:00', 'PT10M'], ['soon', null],
  ])('duration %s → %s', (input, expected) => {
    expect(isoDuration(input)).toBe(expected);
  });

  it('normalises a media reference: absolute URL, name from the URL, credit without its label, plain description', () => {
    expect(makeMedia({
      kind: 'video', url: '/video/clip', thumbnail: 'thumb.jpg', caption: '  Crews  clear roads ', credit: 'Photograph: Example Wire',
      description: '&lt;p&gt;Crews clear roads.&lt;/p&gt;', duration: '01:09',
    }, 'https://news.example.org/live/page')).toEqual({
      kind: 'video', url: 'https://news.example.org/video/clip', name: 'clip', alt: null, caption: 'Crews clear roads',
      credit: 'Example Wire', description: 'Crews clear roads.', duration: 'PT1M9S', thumbnail: 'https://news.example.org/live/thumb.jpg',
    });
  });
});

describe('byline portraits', () => {
  const page = (post: string) => load(`<html><body><article id="p1">${post}</article></body></html>`);
  const media = ($: CheerioAPI) => extractMedia($, $('article'), 'https://news.example.org/live');

  it('reads an image beside its own name as the author, not as media', () => {
    const $ = page('<header><div><img src="/staff/ola.png" alt="Ola Berg"></div><span>Ola Berg</span></header><p>Text.</p>');
    expect(bylinePortrait($, $('img').get(0)!)).toMatchObject({ name: 'Ola Berg' });
    expect(media($)).toEqual([]);
  });

  it('keeps a photo of a person in a figure, or one whose name is not beside it, as media', () => {
    const $ = page('<figure><img src="/p/mayor.jpg" alt="Ola Berg"><figcaption>Ola Berg</figcaption></figure><div><img src="/p/crowd.jpg" alt="Ola Berg"><p>Crowds gathered at the harbour all evening.</p></div>');
    expect($('img').toArray().map((img) => bylinePortrait($, img))).toEqual([null, null]);
    expect(media($).map((m) => m.url)).toEqual(['https://news.example.org/p/mayor.jpg', 'https://news.example.org/p/crowd.jpg']);
  });
});

describe('caption credits', () => {
  it.each([
    ['Crews at the pier on Tuesday. Ana Ruiz/Example Wire', 'Crews at the pier on Tuesday.', 'Ana Ruiz/Example Wire'],
    ['Crews at the pier — Foto: Ana Ruiz', 'Crews at the pier', 'Ana Ruiz'],
    ['Flooded road near the pier. Kuva: Emmi Lahti / Lehtikuva', 'Flooded road near the pier.', 'Emmi Lahti / Lehtikuva'],
    ['Water levels rose 40/50 cm overnight at the pier', 'Water levels rose 40/50 cm overnight at the pier', null],
    ['A clock repairer adjusts a tower clock. Jane Sample, EXAMPLE TODAY', 'A clock repairer adjusts a tower clock.', 'Jane Sample, EXAMPLE TODAY'],
    ['The results board at the clerk office. Photo by the author.', 'The results board at the clerk office. Photo by the author.', null],
  ])('%s', (text, caption, credit) => {
    expect(splitCredit(text)).toEqual({ caption, credit });
  });
});

describe('credit cleanup', () => {
  it.each([
    ['(© Bo Lund / Example Wire)', 'Bo Lund / Example Wire'],
    ['Photograph: Ana Ruiz', 'Ana Ruiz'],
    ['Copyright Example Wire', 'Example Wire'],
  ])('%s → %s', (raw, want) => {
    expect(cleanCredit(raw)).toBe(want);
  });
});
