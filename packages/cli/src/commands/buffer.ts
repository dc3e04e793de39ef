import { bufferReport, bufferReportCsv } from '@bijstand/settlement';
import { UsageError } from '../args.js';
import { bufferTotalsJson, bufferTotalsText } from '@bijstand/documents';
import { writeMaskedFile } from '@bijstand/platform';
import { municipalityFilter, withStore } from './shared.js';

/** `buffer report`: the rows as CSV (stdout or --out), the totals apart (stderr or --totals FILE). */
export async function bufferReportCommand(options: {
  year: string;
  decimalComma?: boolean;
  out?: string;
  totals?: string;
  municipality?: string;
  store?: string;
}): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    // --municipality: the eindheffing of one municipality, only its own households' draws.
    const belongsTo = municipalityFilter(env, options.municipality);
    const report = await bufferReport(store, options.year, belongsTo ? { belongsTo } : {});
    const csv = bufferReportCsv(report, { decimalComma: options.decimalComma ?? false });
    write(options.out, csv, process.stdout);
    const { year, municipality } = options;
    const totals = (options.totals ? bufferTotalsJson : bufferTotalsText)(year, municipality, report.totals);
    write(options.totals, totals, process.stderr);
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
