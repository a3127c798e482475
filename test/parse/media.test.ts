import { describe, expect, it } from 'vitest';
import { isoDuration, largestSrcsetCandidate, makeMedia } from '../../src/parse/media.js';

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
