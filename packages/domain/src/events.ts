import type {
  CaseClosed,
  CaseOpened,
  EarningsDisregardGranted,
  HouseholdChanged,
  MeasureEnded,
  MeasureImposed,
  OtherIncomeDeclared,
  PolisIncomeStatement,
} from './schemas.js';
import type { Explanation } from './trace.js';
import type { Instant, IsoDate, YearMonth } from './dates.js';

/** Money in events is always a string with 2 decimals. */
export type MoneyString = string;

/** Where a message came in. Added in schema version 2; version-1 events read as 'unknown'. */
export type InputChannel = 'kafka' | 'file' | 'inline' | 'unknown';

export interface IncomeStatementRecorded {
  type: 'IncomeStatementRecorded';
  data: { statement: PolisIncomeStatement; recordedAt: Instant; channel: InputChannel };
}

export interface MonthValues {
  norm: MoneyString;
  /** The month norm without measures minus the norm (art. 18; SPEC §5.1). */
  measureReduction: MoneyString;
  holidayReserveFull: MoneyString;
  normExclHoliday: MoneyString;
  income: MoneyString;
  /** Σ_p W_p,M: the entitled members' income from work (art. 34b(1)). */
  incomeFromWork: MoneyString;
  disregard: MoneyString;
  /** P_M: the part of a non-entitled partner's income that counts (art. 32(3); SPEC §5.5). */
  partnerIncomeCounted: MoneyString;
  countableIncome: MoneyString;
  assistance: MoneyString;
  excessIncome: MoneyString;
  holidayAccrued: MoneyString;
  holidayReserve: MoneyString;
}

export interface MonthSettled {
  type: 'MonthSettled';
  data: {
    month: YearMonth;
    version: number;
    runDate: IsoDate;
    values: MonthValues;
    /** ΔA and ΔR of SPEC §6.1: what this version adds to the ledger and the holiday reserve balance. */
    assistanceChange: MoneyString;
    reserveChange: MoneyString;
    advancePaid: MoneyString;
    ledgerBalanceAfter: MoneyString;
    reserveBalanceAfter: MoneyString;
    rulesVersion: string;
    explanation: Explanation;
  };
}

export interface PaymentMade {
  type: 'PaymentMade';
  data: {
    month: YearMonth;
    runDate: IsoDate;
    projectedNet: MoneyString;
    projectedWorkIncome: MoneyString;
    projectedDisregard: MoneyString;
    projectedPartnerIncomeCounted: MoneyString;
    normExclHoliday: MoneyString;
    advance: MoneyString;
    holidayPayout: MoneyString;
    backPayment: MoneyString;
    offset: MoneyString;
    bufferDraw: MoneyString;
    amount: MoneyString;
    /** Who receives the amount (art. 45(4)). */
    payees: Payees;
    /** How this payment moves the ledger L and the reserve balance RB (SPEC §6.2). */
    ledgerChange: MoneyString;
    reserveChange: MoneyString;
    ledgerBalanceAfter: MoneyString;
    reserveBalanceAfter: MoneyString;
    rulesVersion: string;
    explanation: Explanation;
  };
}

/**
 * What the nightly run proposes to pay for month P (SPEC §6.2) before the bufferbudget decides (SPEC §7).
 * The balances it shows are final once the payment is made; the buffer process manager decides next.
 */
export interface PaymentProposed {
  type: 'PaymentProposed';
  data: {
    month: YearMonth;
    runDate: IsoDate;
    /** projectedNet_P = projE_P + P_P (SPEC §6.2). */
    projectedNet: MoneyString;
    /** The entitled members' projected income from work (art. 34b(1): eligibility for the buffer). */
    projectedWorkIncome: MoneyString;
    projectedDisregard: MoneyString;
    projectedPartnerIncomeCounted: MoneyString;
    normExclHoliday: MoneyString;
    advance: MoneyString;
    holidayPayout: MoneyString;
    backPayment: MoneyString;
    offset: MoneyString;
    gross: MoneyString;
    ledgerChange: MoneyString;
    reserveChange: MoneyString;
    ledgerBalanceAfter: MoneyString;
    reserveBalanceAfter: MoneyString;
    rulesVersion: string;
    explanation: Explanation;
  };
}

/** The shares of a payment: a share of 0.00 is left out, a payment of 0.00 is the applicant's (SPEC §11). */
export interface Payees {
  applicant?: MoneyString;
  partner?: MoneyString;
}

export type BufferDecisionReason =
  'drawn' | 'no-claim-offset' | 'not-eligible' | 'no-shortfall' | 'budget-exhausted' | 'buffer-not-in-force';

export interface BufferDrawn {
  type: 'BufferDrawn';
  data: {
    month: YearMonth;
    year: string;
    amount: MoneyString;
    shortfall: MoneyString;
    remainingAfter: MoneyString;
    budget: MoneyString;
  };
}

export interface BufferNotDrawn {
  type: 'BufferNotDrawn';
  data: { month: YearMonth; year: string; reason: Exclude<BufferDecisionReason, 'drawn'>; shortfall: MoneyString };
}

export type AlertKind =
  | 'below-minimum'
  | 'buffer-exhausted'
  | 'large-claim'
  | 'income-outside-case'
  | 'new-income-relationship'
  | 'disregard-ending'
  | 'gifts-above-free-amount'
  /** Raised by the payments service, never by a night: the bank refused or returned a transfer (Pw art. 45). */
  | 'payment-failed';

export interface AlertRaised {
  type: 'AlertRaised';
  data: {
    alertId: string;
    kind: AlertKind;
    month: YearMonth;
    amount?: MoneyString;
    reason: string;
    runDate: IsoDate;
    details: Record<string, string>;
  };
}

export type CaseEventRecorded =
  | { type: 'CaseOpened'; data: CaseOpened & { recordedAt: Instant } }
  | { type: 'HouseholdChanged'; data: HouseholdChanged & { recordedAt: Instant } }
  | { type: 'CaseClosed'; data: CaseClosed & { recordedAt: Instant } }
  | { type: 'EarningsDisregardGranted'; data: EarningsDisregardGranted & { recordedAt: Instant } }
  | { type: 'OtherIncomeDeclared'; data: OtherIncomeDeclared & { recordedAt: Instant } }
  | { type: 'MeasureImposed'; data: MeasureImposed & { recordedAt: Instant } }
  | { type: 'MeasureEnded'; data: MeasureEnded & { recordedAt: Instant } };

export type HouseholdEvent =
  | CaseEventRecorded
  | IncomeStatementRecorded
  | MonthSettled
  | PaymentProposed
  | PaymentMade
  | BufferDrawn
  | BufferNotDrawn
  | AlertRaised;

export type HouseholdEventType = HouseholdEvent['type'];
