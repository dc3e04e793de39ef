import type { CaseFile } from '@bijstand/documents';
import { dutchMonth, euro } from '@bijstand/documents';
import { html, type SafeHtml } from './html.js';

export interface ChartSeries {
  label: string;
  color: string;
  /** One value per month; null where the month has none (not settled, not paid). */
  values: Array<number | null>;
}

/** The series of the household chart: income, norm, assistance (settled) and what was paid. */
export function householdSeries(file: CaseFile): { months: string[]; series: ChartSeries[] } {
  const num = (s: string | undefined) => (s === undefined ? null : Number(s));
  return {
    months: file.months.map((m) => m.month),
    series: [
      { label: 'inkomen', color: '#1f77b4', values: file.months.map((m) => num(m.settlement?.values.income)) },
      {
        label: 'norm (zonder vakantietoeslag)',
        color: '#7f7f7f',
        values: file.months.map((m) => num(m.settlement?.values.normExclHoliday)),
      },
      { label: 'bijstand', color: '#2ca02c', values: file.months.map((m) => num(m.settlement?.values.assistance)) },
      { label: 'uitbetaald', color: '#d62728', values: file.months.map((m) => num(m.payment?.amount)) },
    ],
  };
}

const W = 760;
const H = 280;
const PAD = { left: 70, right: 16, top: 16, bottom: 56 };

/** A line chart as inline SVG: one line per series, a point per month, a title per point. */
export function lineChart(months: readonly string[], series: readonly ChartSeries[], title: string): SafeHtml {
  const max = Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const top = Math.ceil(max / 500) * 500;
  const x = (i: number) => PAD.left + (months.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (months.length - 1));
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / top);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(top * f));
  const paths = series.map((s) => {
    const segments: string[] = [];
    let current = '';
    s.values.forEach((v, i) => {
      if (v === null) {
        if (current) segments.push(current);
        current = '';
      } else current += `${current ? ' L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    if (current) segments.push(current);
    return html`<g class="series" data-series="${s.label}"><path d="${segments.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>${s.values.map(
      (v, i) =>
        v === null
          ? ''
          : html`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${s.label} ${dutchMonth(months[i]!)}: ${euro(v.toFixed(2))}</title></circle>`,
    )}</g>`;
  });
  return html`<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${W} ${H + 24}" width="${W}" height="${H + 24}" xmlns="http://www.w3.org/2000/svg">
<title>${title}</title>
${ticks.map((t) => html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${euro(t.toFixed(2)).replace(',00', '')}</text>`)}
${months.map((m, i) => html`<text x="${x(i)}" y="${H - PAD.bottom + 16}" text-anchor="end" font-size="11" transform="rotate(-40 ${x(i)} ${H - PAD.bottom + 16})">${dutchMonth(m).replace(/ (\d{2})(\d{2})$/, ' ’$2')}</text>`)}
${paths}
${series.map((s, i) => html`<rect x="${PAD.left + i * 200}" y="${H + 8}" width="12" height="12" fill="${s.color}"/><text x="${PAD.left + i * 200 + 16}" y="${H + 18}" font-size="12">${s.label}</text>`)}
</svg>`;
}
