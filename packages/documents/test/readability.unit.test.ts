import { describe, expect, it } from 'vitest';
import { readability, sentencesOf } from '../src/readability.js';
import { toHtml, toMarkdown, heading, paragraph, table } from '../src/markup.js';

describe('readability check (B1)', () => {
  it('splits sentences at full stops but not inside amounts, and counts words', () => {
    expect(sentencesOf('U krijgt € 1.199,52. Wij betalen op 25 mei 2027.\n- Een punt')).toEqual([
      'U krijgt € 1.199,52.',
      'Wij betalen op 25 mei 2027.',
      'Een punt',
    ]);
    const r = readability('Kort. Dit is een zin met precies acht woorden erin.');
    expect(r.longestSentence.words).toBe(9);
    expect(r.averageWords).toBe(5);
  });

  it('finds jargon and article numbers, not the clock time', () => {
    const r = readability('De vordering wordt verrekend krachtens art. 60 lid 2. Bezwaar: Awb 6:7. Om 03:00 uur.');
    expect(r.jargon).toEqual(['verrekend', 'vordering', 'krachtens']);
    expect(r.articleNumbers).toEqual(['art. 60', 'lid 2', '6:7']);
  });
});

describe('documents as Markdown and HTML', () => {
  it('escapes every text in HTML and pipes in Markdown tables', () => {
    const doc = {
      title: 'a<b',
      blocks: [heading(1, 'T & <x>'), paragraph('"q"'), table(['a|b', 'n'], [['<i>', '€ 1,00']], [false, true])],
    };
    expect(toMarkdown(doc)).toBe('# T & <x>\n\n"q"\n\n| a\\|b | n |\n|---|---:|\n| <i> | € 1,00 |\n');
    const html = toHtml(doc);
    expect(html).toContain('<h1>T &amp; &lt;x&gt;</h1>');
    expect(html).toContain('<td>&lt;i&gt;</td><td class="num">€&nbsp;1,00</td>');
    expect(html).toContain('<title>a&lt;b</title>');
  });
});
