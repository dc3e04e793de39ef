import { addDays, addMonths, lastDay, monthOf, type IsoDate } from '@bijstand/domain';
import { mulberry32, syntheticBsn } from './random.js';

/**
 * Seeded, reproducible synthetic households (demo and benchmark). The mix follows the benchmark
 * brief: ~70% without earnings, 20% monthly pay, 7% four-weekly, 3% weekly; ~5% of statements are
 * corrected later; some disregards, closures and household changes.
 */
export interface RawInput {
  recordedAt: string;
  statement?: Record<string, unknown>;
  case?: Record<string, unknown>;
}

const cents = (rand: () => number, min: number, max: number) =>
  (Math.round((min + rand() * (max - min)) * 100) / 100).toFixed(2);
const at = (date: IsoDate, hour = 12) => `${date}T${String(hour).padStart(2, '0')}:00:00Z`;

export interface SyntheticOptions {
  households: number;
  seed: number;
  startMonth: string; // first case month, e.g. 2027-01
  months: number; // months of history
}

export function generateHouseholds(opts: SyntheticOptions): RawInput[] {
  const rand = mulberry32(opts.seed);
  const inputs: RawInput[] = [];
  let message = 0;
  for (let h = 0; h < opts.households; h++) {
    const householdId = `H-syn-${String(h + 1).padStart(6, '0')}`;
    const r = rand();
    const category = r < 0.6 ? 'single' : r < 0.75 ? 'single-parent' : 'couple';
    const applicant = syntheticBsn(rand);
    const members = [{ bsn: applicant, role: 'applicant' }];
    if (category === 'couple') members.push({ bsn: syntheticBsn(rand), role: 'partner' });
    const startMonth = addMonths(opts.startMonth, -Math.floor(rand() * 3));
    const startDate = `${startMonth}-${rand() < 0.8 ? '01' : String(2 + Math.floor(rand() * 26)).padStart(2, '0')}`;
    const costSharers = category !== 'couple' && rand() < 0.1 ? 2 : undefined;
    inputs.push({
      recordedAt: at(addDays(startDate, 3), 9),
      case: { type: 'CaseOpened', householdId, members, category, ...(costSharers ? { costSharers } : {}), startDate },
    });
    const lastMonth = addMonths(opts.startMonth, opts.months - 1);
    let endDate: IsoDate | null = null;
    if (rand() < 0.03) {
      endDate = lastDay(addMonths(opts.startMonth, Math.floor(rand() * opts.months)));
      inputs.push({ recordedAt: at(addDays(endDate, -10), 9), case: { type: 'CaseClosed', householdId, endDate } });
    }
    if (rand() < 0.03) {
      const effectiveDate = `${addMonths(opts.startMonth, 1 + Math.floor(rand() * Math.max(1, opts.months - 1)))}-15`;
      inputs.push({
        recordedAt: at(effectiveDate, 9),
        case: {
          type: 'HouseholdChanged',
          householdId,
          effectiveDate,
          category,
          costSharers: category === 'couple' ? 3 : 2,
        },
      });
    }
    const pay = rand();
    const kind = pay < 0.7 ? null : pay < 0.9 ? 'month' : pay < 0.97 ? 'four-weeks' : 'week';
    if (!kind) continue;
    const earner = members[members.length - 1]!.bsn;
    const relationship = `IKV-${h + 1}`;
    const wageBase = kind === 'month' ? [500, 1400] : kind === 'four-weeks' ? [450, 1300] : [110, 330];
    if (rand() < 0.3) {
      // A work grant for the longest the law allows at its start: 6 months before 2027 (art. 31(2)(n)), 12 from 2027 (art. 34a).
      const grantMonths = startDate < '2027-01-01' ? 6 : 12;
      inputs.push({
        recordedAt: at(addDays(startDate, 20), 9),
        case: {
          type: 'EarningsDisregardGranted',
          householdId,
          bsn: earner,
          kind: 'work',
          from: startDate,
          to: lastDay(addMonths(monthOf(startDate), grantMonths - 1)),
        },
      });
    }
    const step = kind === 'month' ? 0 : kind === 'four-weeks' ? 28 : 7;
    let periodStart: IsoDate = startDate;
    const until = endDate ?? lastDay(lastMonth);
    while (periodStart <= until) {
      const periodEnd = kind === 'month' ? lastDay(monthOf(periodStart)) : addDays(periodStart, step - 1);
      const wage = cents(rand, wageBase[0]!, wageBase[1]!);
      const tax = (Math.round(Number(wage) * 4) / 100).toFixed(2);
      const accrued = (Math.round(Number(wage) * 8) / 100).toFixed(2);
      const paymentDate = kind === 'month' ? `${monthOf(periodEnd)}-25` : periodEnd;
      const statement = {
        messageId: `syn-${++message}`,
        bsn: earner,
        employer: { payrollTaxNumber: '123456789L01', name: 'Werkgever Synthetisch' },
        incomeRelationshipId: relationship,
        period: { start: periodStart, end: periodEnd, kind },
        paymentDate: paymentDate < periodStart ? periodEnd : paymentDate,
        taxableWage: wage,
        withheldTax: tax,
        holidayAllowanceAccrued: accrued,
        kind: 'initial',
      };
      inputs.push({ recordedAt: at(addDays(periodEnd, 18)), statement });
      if (rand() < 0.05) {
        const corrected = cents(rand, wageBase[0]!, wageBase[1]!);
        inputs.push({
          recordedAt: at(addDays(periodEnd, 48)),
          statement: {
            ...statement,
            messageId: `syn-${++message}`,
            taxableWage: corrected,
            withheldTax: (Math.round(Number(corrected) * 4) / 100).toFixed(2),
            kind: 'correction',
          },
        });
      }
      periodStart = addDays(periodEnd, 1);
    }
  }
  return inputs;
}
