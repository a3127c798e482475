import { describe, expect, it } from 'vitest';
import { authorsFromByline, bylineLine, contributorsFromLine, splitNames } from '../../src/parse/people.js';

const names = (line: string): string[] => contributorsFromLine(line).map((c) => c.name);

describe('contributor credit lines', () => {
  it.each([
    ['CNN’s Svitlana Vlasova, Catherine Nicholls and Kara Fox contributed to this post.', ['Svitlana Vlasova', 'Catherine Nicholls', 'Kara Fox']],
    ['CNN’s Ana Ruiz, Tom Bell, and Priya Nair contributed reporting to this post.', ['Ana Ruiz', 'Tom Bell', 'Priya Nair']],
    ["CNN's Lee Ward contributed to this post.", ['Lee Ward']],
    ["Fox News' Lee Ward and Ana Ruiz contributed to this report.", ['Lee Ward', 'Ana Ruiz']],
    ['Maria Olsen and Jon Park contributed to this post.', ['Maria Olsen', 'Jon Park']],
    ['Reuters’ Jan de Vries contributed reporting.', ['Jan de Vries']],
    ['Additional reporting by Sam Okafor & Lena Hoffmann', ['Sam Okafor', 'Lena Hoffmann']],
    ['Reporting by Chloé Dubois.', ['Chloé Dubois']],
  ])('%s', (line, expected) => {
    expect(names(line)).toEqual(expected);
    expect(contributorsFromLine(line).every((c) => c.role === 'contributor')).toBe(true);
  });

  it('ignores ordinary sentences that mention contributing', () => {
    expect(names('Donors contributed more than $2 million to the relief fund this week, officials said.')).toEqual([]);
    expect(names('The storm contributed to delays at three airports.')).toEqual([]);
    expect(names('')).toEqual([]);
  });
});

describe('bylines', () => {
  it.each([
    ['By Ola Berg', ['Ola Berg']],
    ['By Ola Berg and Tim Sand', ['Ola Berg', 'Tim Sand']],
    ['Ola Berg in Vindhavn', ['Ola Berg']],
    ['Jennifer Rankin, Brussels correspondent', ['Jennifer Rankin']],
    ['Von Anna Schmidt', ['Anna Schmidt']],
    ['Por Ana Lemos, TV Vale Azul', ['Ana Lemos']],
    ['Door Pieter de Vries', ['Pieter de Vries']],
    ['Av Karin Lund och Erik Holm', ['Karin Lund', 'Erik Holm']],
    ['Ola Berg, Reuters', ['Ola Berg']],
    ['Ola Berg, Tim Sand', ['Ola Berg', 'Tim Sand']],
    ['Marta Ruiz | Madrid', ['Marta Ruiz']],
    ['— Priya Example', ['Priya Example']],
    ['Julie Exemple/ATS', ['Julie Exemple']],
    ['onze correspondent Pieter Jansen', ['Pieter Jansen']],
    ['dal nostro inviato Marco Esempio', ['Marco Esempio']],
    ['By van der Berg', ['van der Berg']],
    ['Por de la Cruz, TV Vale Azul', ['de la Cruz']],
  ])('%s', (byline, expected) => {
    expect(authorsFromByline(byline)).toEqual(expected.map((name) => ({ name, role: 'author' })));
  });

  it('splits lists with and without the Oxford comma', () => {
    expect(splitNames('A One, B Two, and C Three')).toEqual(['A One', 'B Two', 'C Three']);
    expect(splitNames('A One, B Two and C Three')).toEqual(['A One', 'B Two', 'C Three']);
  });
});

describe('byline lines', () => {
  it('reads a line that is only a byline, in several languages', () => {
    expect(bylineLine('By Ola Berg and Tim Sand')).toEqual([{ name: 'Ola Berg', role: 'author' }, { name: 'Tim Sand', role: 'author' }]);
    expect(bylineLine('di Giulia Ferri')).toEqual([{ name: 'Giulia Ferri', role: 'author' }]);
  });

  it('leaves sentences and lines without a byline word alone', () => {
    expect(bylineLine('By noon the crowd had grown to several hundred.')).toBeNull();
    expect(bylineLine('Ola Berg')).toBeNull();
    expect(bylineLine('By the harbour, waves over the sea wall')).toBeNull();
  });
});
