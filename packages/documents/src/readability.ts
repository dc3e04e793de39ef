/**
 * A plain-language (B1) check of a text people read: short sentences, no jargon, no article numbers.
 * Pure; the tests hold every resident letter to it.
 */
export interface Readability {
  sentences: number;
  longestSentence: { words: number; text: string };
  averageWords: number;
  jargon: string[];
  articleNumbers: string[];
}

/** Words a resident should not have to look up (they belong in the annex or in a handler's file). */
export const JARGON = [
  'verrekening',
  'verrekend',
  'vordering',
  'terugvordering',
  'beschikking',
  'krachtens',
  'ingevolge',
  'onderhavig',
  'conform',
  'derhalve',
  'jegens',
  'alsmede',
  'middels',
  'inkomstenvrijlating',
  'kostendelersnorm',
  'polisadministratie',
  'normbedrag',
  'vaststelling',
  'herziening',
  'belanghebbende',
  'voornoemd',
  'artikel',
  'bwbr',
  'aanvrager',
  'uitkeringsgerechtigde',
];

/** Sentences of a Markdown text: list items and headings end a sentence too; markup is left out. */
export function sentencesOf(markdown: string): string[] {
  const out: string[] = [];
  for (const rawLine of markdown.split('\n')) {
    const line = rawLine
      .replace(/^#+\s*/, '')
      .replace(/^-\s+/, '')
      .replace(/[*_|`]/g, ' ')
      .trim();
    if (line === '') continue;
    // A full stop ends a sentence unless it sits between digits (€ 1.199,52) or after a single letter.
    for (const s of line.split(/(?<=[.!?:])\s+(?=[A-Z€0-9])/)) if (s.trim() !== '') out.push(s.trim());
  }
  return out;
}

export const wordsOf = (sentence: string): string[] => sentence.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w));

export function readability(markdown: string): Readability {
  const sentences = sentencesOf(markdown);
  let longest = { words: 0, text: '' };
  let total = 0;
  for (const s of sentences) {
    const n = wordsOf(s).length;
    total += n;
    if (n > longest.words) longest = { words: n, text: s };
  }
  const lower = markdown.toLowerCase();
  return {
    sentences: sentences.length,
    longestSentence: longest,
    averageWords: sentences.length === 0 ? 0 : Math.round((total / sentences.length) * 10) / 10,
    jargon: JARGON.filter((w) => new RegExp(`(?<![\\p{L}])${w}`, 'u').test(lower)),
    articleNumbers: [...markdown.matchAll(/\b(?:art\.|artikel|lid)\s*\d+[a-z]?(?::\d+)?|\b\d+:\d+\b(?!\s*uur)/gi)].map(
      (x) => x[0],
    ),
  };
}
