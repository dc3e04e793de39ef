import { fmt, money, ZERO, type HouseholdEvent, type HouseholdState, type IsoDate, type Money } from '@bijstand/domain';

/* What a night did, household by household and in total (per municipality in a deployment of several). */

export interface HouseholdRunResult {
  householdId: string;
  appended: number;
  monthsSettled: number;
  paid: Money;
  paymentsMade: number;
  alerts: number;
  ledgerBalance: Money;
  /** The CBS code the household was settled for (null: a single-municipality deployment, no code given). */
  municipality?: string | null;
}

/** One municipality's share of a night (a deployment of several municipalities). */
export type MunicipalityRunSummary = Omit<RunSummary, 'runDate' | 'municipalities' | 'failures'> & {
  rulesVersion: string;
};

export interface RunSummary {
  runDate: IsoDate;
  households: number;
  monthsSettled: number;
  paymentsMade: number;
  paid: string;
  householdsWithClaim: number;
  openClaims: string;
  alerts: number;
  /** Decisions this run appended (a run that found them already stored appends none). */
  eventsAppended: number;
  failures: Array<{ householdId: string; error: string }>;
  /** Per CBS code (a multi-municipality deployment): the same figures for each municipality's households alone. */
  municipalities?: Record<string, MunicipalityRunSummary>;
  /** Municipalities held back (the worker): their rules changed and wait for acceptance; households not settled. */
  held?: { municipalities: string[]; households: number };
}

/** What a night would re-settle for one municipality: months settled before, now again, and the money each way. */
export interface ResettlementPreview {
  rulesVersion: string;
  households: number;
  months: number;
  /** Sum of the positive ΔA of the re-settled months: owed to residents. */
  backPayments: string;
  /** Sum of the negative ΔA (as a positive amount): claimed from residents. */
  claims: string;
}

/** A night decided and not written (`run-nightly --dry-run`, the preview of a rules change). */
export interface DryRun {
  summary: RunSummary;
  /** By municipality key (CBS code, or `default` in a deployment of one municipality). */
  resettled: Record<string, ResettlementPreview>;
}

/**
 * What this run did for one household. Only what it appended counts: decisions another process
 * appended first (the same event ids, skipped by the store) are that process's, not this run's.
 */
export function resultOf(
  householdId: string,
  before: Pick<HouseholdState, 'ledgerBalance'>,
  decided: readonly HouseholdEvent[],
  appended: number,
  municipality: string | null,
): HouseholdRunResult {
  const events = appended === decided.length ? decided : [];
  let ledger = before.ledgerBalance;
  let paid: Money = ZERO;
  let paymentsMade = 0;
  for (const e of events) {
    if (e.type === 'PaymentMade') {
      paid = money(paid.plus(e.data.amount));
      paymentsMade++;
      ledger = money(e.data.ledgerBalanceAfter);
    } else if (e.type === 'MonthSettled') ledger = money(e.data.ledgerBalanceAfter);
  }
  return {
    householdId,
    appended,
    monthsSettled: events.filter((e) => e.type === 'MonthSettled').length,
    paid,
    paymentsMade,
    alerts: events.filter((e) => e.type === 'AlertRaised').length,
    ledgerBalance: ledger,
    municipality,
  };
}

/**
 * The night's figures; with `rulesVersions` (a multi-municipality deployment) also per municipality,
 * each counting only its own settled households. Failures are listed for the whole night: a household
 * that could not be settled may not even have a municipality this deployment knows.
 */
export function summarize(
  runDate: IsoDate,
  households: number,
  results: HouseholdRunResult[],
  failures: RunSummary['failures'],
  rulesVersions?: Record<string, string>,
): RunSummary {
  const summary: RunSummary = { runDate, ...figures(households, results, failures) };
  if (!rulesVersions) return summary;
  summary.municipalities = {};
  for (const code of Object.keys(rulesVersions).sort()) {
    const own = results.filter((r) => r.municipality === code);
    const { failures: _none, ...rest } = figures(own.length, own, []);
    summary.municipalities[code] = { ...rest, rulesVersion: rulesVersions[code]! };
  }
  return summary;
}

function figures(
  households: number,
  results: HouseholdRunResult[],
  failures: RunSummary['failures'],
): Omit<RunSummary, 'runDate' | 'municipalities'> {
  let paid: Money = ZERO;
  let claims: Money = ZERO;
  let withClaim = 0;
  for (const r of results) {
    paid = money(paid.plus(r.paid));
    if (r.ledgerBalance.lessThan(0)) {
      withClaim++;
      claims = money(claims.plus(r.ledgerBalance.negated()));
    }
  }
  return {
    households,
    monthsSettled: results.reduce((t, r) => t + r.monthsSettled, 0),
    paymentsMade: results.reduce((t, r) => t + r.paymentsMade, 0),
    paid: fmt(paid),
    householdsWithClaim: withClaim,
    openClaims: fmt(claims),
    alerts: results.reduce((t, r) => t + r.alerts, 0),
    eventsAppended: results.reduce((t, r) => t + r.appended, 0),
    failures: [...failures].sort((a, b) => (a.householdId < b.householdId ? -1 : 1)),
  };
}
