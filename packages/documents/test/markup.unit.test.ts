import { describe, expect, it } from 'vitest';
import { heading, paragraph, table, toHtml, toMarkdown } from '../src/markup.js';
import { footerTemplate } from '../src/output.js';

describe('HTML made for print', () => {
  const wide = table(
    ['maand', 'a', 'b', 'c', 'd', 'e', 'f', 'g'],
    [['mei 2027', '€ 1.199,52', '−€ 580,38', '', '', '', '', '']],
  );
  const doc = { title: 't', blocks: [heading(2, 'Overzicht'), wide, paragraph('U krijgt € 1.069,20 op 25 mei.')] };

  it('never breaks the € sign from its amount (a no-break space), also after a minus sign', () => {
    const html = toHtml(doc);
    expect(html).toContain('<td>€&nbsp;1.199,52</td><td>−€&nbsp;580,38</td>');
    expect(html).toContain('U krijgt €&nbsp;1.069,20 op 25 mei.');
    // Markdown keeps the plain space (golden files, the terminal).
    expect(toMarkdown(doc)).toContain('U krijgt € 1.069,20 op 25 mei.');
  });

  it('puts a wide table with its heading in a section printed on a landscape A4 page', () => {
    const html = toHtml(doc);
    expect(html).toContain('<section class="wide"><h2>Overzicht</h2>\n<table class="wide">');
    expect(html).toContain('@page{size:A4;');
    expect(html).toContain('@page landscape{size:A4 landscape;');
    expect(html).toContain('section.wide{page:landscape}');
    const narrow = toHtml({ title: 't', blocks: [table(['a', 'b'], [['1', '2']])] });
    expect(narrow).not.toContain('class="wide"');
  });

  it('has a footer with the reference and "pagina N van M" (chromium fills in the numbers), escaped', () => {
    const footer = footerTemplate('GM0106-H-<b>');
    expect(footer).toContain('Kenmerk GM0106-H-&lt;b&gt;');
    expect(footer).toContain('pagina <span class="pageNumber"></span> van <span class="totalPages"></span>');
    expect(footerTemplate()).not.toContain('Kenmerk');
  });
});
