import { describe, expect, it } from 'vitest';
import { lineChart, type ChartSeries } from '../src/chart.js';

const months = Array.from(
  { length: 24 },
  (_, i) => `${2026 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);
const series: ChartSeries[] = [
  { label: 'inkomen + uitbetaald', key: 'had', color: '#154273', dash: '', values: months.map(() => 1879.78) },
  {
    label: 'norm (zonder vakantietoeslag)',
    key: 'norm',
    color: '#555555',
    dash: '8 4',
    values: months.map(() => 1938),
  },
];

describe('the household chart (SVG)', () => {
  it('at 24 months writes every second month label, patterns besides colour, markers with their alert', () => {
    const svg = lineChart(months, series, 'titel', [
      { index: 18, title: 'Signaal juli 2027: onder het bestaansminimum' },
    ]).value;
    const labels = [...svg.matchAll(/class="month-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual([
      'jan ’26',
      'mrt ’26',
      'mei ’26',
      'jul ’26',
      'sep ’26',
      'nov ’26',
      'jan ’27',
      'mrt ’27',
      'mei ’27',
      'jul ’27',
      'sep ’27',
      'nov ’27',
      'dec ’27',
    ]);
    expect(svg).toContain('stroke-dasharray="8 4"');
    expect(svg).toContain('stroke-dasharray="none"');
    expect(svg).toContain('<title>Signaal juli 2027: onder het bestaansminimum</title>');
    expect(svg).toContain('<title>inkomen + uitbetaald juli 2027: € 1.879,78</title>');
    expect(svg).not.toMatch(/style=/);
  });
});
