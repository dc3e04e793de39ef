import { bufferReport, bufferReportCsv } from '@bijstand/buffer';
import { UsageError } from '../args.js';
import { euro } from '../format.js';
import { writeMaskedFile } from '../privacy.js';
import { withStore } from './shared.js';

/** `buffer report`: the rows as CSV (stdout or --out), the totals apart (stderr or --totals FILE). */
export async function bufferReportCommand(options: { year: string; decimalComma?: boolean; out?: string; totals?: string; store?: string }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const report = await bufferReport(store, options.year);
    const csv = bufferReportCsv(report, { decimalComma: options.decimalComma ?? false });
    const { households, drawn, draws } = report.totals;
    const totals = `bufferbudget ${options.year}: ${euro(drawn)} drawn by ${households} household${households === 1 ? '' : 's'} in ${draws} draw${draws === 1 ? '' : 's'}\n`;
    write(options.out, csv, process.stdout);
    write(options.totals, options.totals ? JSON.stringify({ year: options.year, ...report.totals }, null, 2) + '\n' : totals, process.stderr);
  });
}

function write(file: string | undefined, text: string, fallback: NodeJS.WriteStream): void {
  if (!file) {
    fallback.write(text);
    return;
  }
  try {
    writeMaskedFile(file, text);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`);
  }
}
