import type { CaseFile } from '@bijstand/documents';
import { ALERT_KIND, dutchMonth, euro } from '@bijstand/documents';
import { money } from '@bijstand/domain';
import { html, type SafeHtml } from './html.js';

export interface ChartSeries {
  label: string;
  /** A class of the stylesheet (colour) and a dash pattern: lines differ by pattern as well as by colour. */
  key: string;
  color: string;
  dash: string;
  /** One value per month; null where the month has none (not settled, not paid). */
  values: Array<number | null>;
}

export interface ChartMarker {
  index: number;
  /** What the marker says (the month's alerts in Dutch). */
  title: string;
}

const num = (s: string | undefined) => (s === undefined ? null : Number(s));

/**
 * The series of the household chart: what the household had (income + what was paid) against the norm, and
 * the two parts; a marker on each month with an alert.
 */
export function householdSeries(file: CaseFile): { months: string[]; series: ChartSeries[]; markers: ChartMarker[] } {
  const had = (m: CaseFile['months'][number]) =>
    m.settlement && m.payment ? Number(money(m.settlement.values.income).plus(m.payment.amount).toFixed(2)) : null;
  return {
    months: file.months.map((m) => m.month),
    series: [
      { label: 'inkomen + uitbetaald', key: 'had', color: '#154273', dash: '', values: file.months.map(had) },
      {
        label: 'norm (zonder vakantietoeslag)',
        key: 'norm',
        color: '#555555',
        dash: '8 4',
        values: file.months.map((m) => num(m.settlement?.values.normExclHoliday ?? m.payment?.normExclHoliday)),
      },
      {
        label: 'inkomen',
        key: 'income',
        color: '#1b7a3a',
        dash: '2 4',
        values: file.months.map((m) => num(m.settlement?.values.income)),
      },
      {
        label: 'uitbetaald',
        key: 'paid',
        color: '#b3261e',
        dash: '10 4 2 4',
        values: file.months.map((m) => num(m.payment?.amount)),
      },
    ],
    markers: file.months.flatMap((m, index) =>
      m.alerts.length === 0
        ? []
        : [{ index, title: `Signaal ${dutchMonth(m.month)}: ${m.alerts.map((a) => ALERT_KIND[a.kind]).join(', ')}` }],
    ),
  };
}

const W = 760;
const PLOT_H = 240;
const PAD = { left: 70, right: 16, top: 20 };
const LABELS_H = 44;
const LEGEND_ROW = 20;

/** `jul ’27`: short month labels, thinned so that at most about twelve are written. */
const SHORT = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
const shortMonth = (m: string) => `${SHORT[Number(m.slice(5, 7)) - 1]} ’${m.slice(2, 4)}`;

/** Legend items laid out left to right, wrapping to a new row instead of overlapping. */
function legendLayout(labels: readonly string[]): { x: number; row: number }[] {
  let [x, row] = [PAD.left, 0];
  return labels.map((l) => {
    const width = 40 + l.length * 7 + 24;
    if (x + width > W && x > PAD.left) [x, row] = [PAD.left, row + 1];
    const at = { x, row };
    x += width;
    return at;
  });
}

/** A line chart as SVG without inline style: one line per series, a point per month, alert markers on top. */
export function lineChart(
  months: readonly string[],
  series: readonly ChartSeries[],
  title: string,
  markers: readonly ChartMarker[] = [],
): SafeHtml {
  const max = Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const top = Math.ceil(max / 500) * 500;
  const x = (i: number) => PAD.left + (months.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (months.length - 1));
  const y = (v: number) => PAD.top + (PLOT_H - PAD.top) * (1 - v / top);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(top * f));
  const every = Math.max(1, Math.ceil(months.length / 12));
  const legendItems = [...series.map((s) => s.label), 'signaal'];
  const legend = legendLayout(legendItems);
  const legendTop = PLOT_H + LABELS_H;
  const height = legendTop + (legend[legend.length - 1]!.row + 1) * LEGEND_ROW + 4;
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
    return html`<g class="series series-${s.key}" data-series="${s.label}"><path d="${segments.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash || 'none'}"/>${s.values.map(
      (v, i) =>
        v === null
          ? ''
          : html`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${s.label} ${dutchMonth(months[i]!)}: ${euro(v.toFixed(2))}</title></circle>`,
    )}</g>`;
  });
  const marker = (cx: number, cy: number) => `M${cx - 6},${cy - 8} L${cx + 6},${cy - 8} L${cx},${cy + 2} Z`;
  return html`<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${W} ${height}" xmlns="http://www.w3.org/2000/svg">
<title>${title}</title>
${ticks.map((t) => html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="#dddddd"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${euro(t.toFixed(2)).replace(',00', '')}</text>`)}
${months.map((m, i) => (i % every === 0 || i === months.length - 1 ? html`<text class="month-label" x="${x(i)}" y="${PLOT_H + 16}" text-anchor="end" font-size="11" transform="rotate(-40 ${x(i)} ${PLOT_H + 16})">${shortMonth(m)}</text>` : ''))}
${paths}
<g class="alert-markers">${markers.map((mk) => html`<path class="alert-marker" d="${marker(x(mk.index), PAD.top - 6)}" fill="#e17000" stroke="#000000" stroke-width="0.5"><title>${mk.title}</title></path>`)}</g>
<g class="legend">${legendItems.map((label, i) => {
    const at = legend[i]!;
    const ly = legendTop + at.row * LEGEND_ROW;
    const s = series[i];
    const sample = s
      ? html`<line x1="${at.x}" x2="${at.x + 32}" y1="${ly + 6}" y2="${ly + 6}" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash || 'none'}"/>`
      : html`<path d="${marker(at.x + 16, ly + 8)}" fill="#e17000" stroke="#000000" stroke-width="0.5"/>`;
    return html`${sample}<text x="${at.x + 38}" y="${ly + 10}" font-size="12">${label}</text>`;
  })}</g>
</svg>`;
}
