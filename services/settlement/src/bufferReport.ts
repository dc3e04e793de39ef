import { stringify } from 'csv-stringify/sync';
import { fmt, money, ZERO, type Money } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { HOUSEHOLD_STREAM_PREFIX, householdIdOfStream } from '@bijstand/platform';

export interface BufferReportRow {
  householdId: string;
  year: string;
  drawn: string;
  remaining: string;
  draws: number;
}

export interface BufferReport {
  year: string;
  rows: BufferReportRow[];
  totals: { households: number; drawn: string; draws: number };
}

export interface ReportFilter {
  /**
   * Only the households of one municipality: true for a household's CaseOpened.municipality (null when
   * it names none) that belongs to it (Municipalities.belongsTo). A household's draws never enter
   * another municipality's report.
   */
  belongsTo?: (municipality: string | null) => boolean;
}

/**
 * The yearly bufferbudget drawn per household, for the municipality's eindheffing (001 measure 2):
 * from the BufferDrawn events, in household order. The totals are kept apart from the rows, so the
 * data can be summed and filtered in a spreadsheet without a TOTAL row in the way.
 */
export async function bufferReport(store: EventStore, year: string, options: ReportFilter = {}): Promise<BufferReport> {
  const byHousehold = new Map<string, { drawn: Money; remaining: string; draws: number }>();
  const municipalityOf = new Map<string, string | null>();
  for (const e of await store.readAll()) {
    if (e.type === 'CaseOpened' && e.streamName.startsWith(HOUSEHOLD_STREAM_PREFIX))
      municipalityOf.set(householdIdOfStream(e.streamName), (e.data as { municipality?: string }).municipality ?? null);
    if (e.type !== 'BufferDrawn') continue;
    const d = e.data as { year: string; amount: string; remainingAfter: string };
    if (d.year !== year) continue;
    const id = householdIdOfStream(e.streamName);
    const row = byHousehold.get(id) ?? { drawn: ZERO, remaining: d.remainingAfter, draws: 0 };
    byHousehold.set(id, { drawn: money(row.drawn.plus(d.amount)), remaining: d.remainingAfter, draws: row.draws + 1 });
  }
  const rows = [...byHousehold]
    .filter(([id]) => !options.belongsTo || options.belongsTo(municipalityOf.get(id) ?? null))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([householdId, r]) => ({ householdId, year, drawn: fmt(r.drawn), remaining: r.remaining, draws: r.draws }));
  const drawn = rows.reduce((t, r) => money(t.plus(r.drawn)), ZERO as Money);
  return {
    year,
    rows,
    totals: { households: rows.length, drawn: fmt(drawn), draws: rows.reduce((t, r) => t + r.draws, 0) },
  };
}

export interface CsvOptions {
  /** `1000,00` instead of `1000.00`, for spreadsheets set to Dutch. */
  decimalComma?: boolean;
}

/**
 * CSV as Dutch Excel opens it: `;` between fields, UTF-8 with a byte order mark, CRLF line ends;
 * quoting where a field needs it (csv-stringify).
 */
export function bufferReportCsv(report: BufferReport, options: CsvOptions = {}): string {
  const amount = (a: string) => (options.decimalComma ? a.replace('.', ',') : a);
  return stringify(
    report.rows.map((r) => [r.householdId, r.year, amount(r.drawn), amount(r.remaining), r.draws]),
    {
      header: true,
      columns: ['householdId', 'year', 'drawn', 'remaining', 'draws'],
      delimiter: ';',
      bom: true,
      record_delimiter: 'windows',
    },
  );
}
