import { money, min, ZERO, fmt, type Money } from '../money.js';
import { addMonths, firstDay, yearOf, type IsoDate, type YearMonth } from '../dates.js';
import { findInForce, describeRow, policyFor, type ParameterTables, type ParameterUsed } from '../parameters.js';
import type { Policy } from '../schemas.js';
import { LegalRef, type TraceStep } from '../trace.js';
import type { HouseholdState } from '../household.js';
import type { BufferDecisionReason } from '../events.js';

/** What the nightly run proposes to pay for month P before the buffer decides (SPEC §6.2, §7). */
export interface PaymentProposal {
  month: YearMonth;
  normExclHoliday: Money;
  projectedNet: Money;
  /** The entitled members' projected income from work in P. */
  projectedWorkIncome: Money;
  gross: Money;
  offset: Money;
}

export interface BufferDecision {
  reason: BufferDecisionReason;
  draw: Money;
  shortfall: Money;
  budget: Money;
  /** The first day a bufferbudget is in force (the table's first validFrom), when the table has one. */
  inForceFrom: IsoDate | undefined;
  remainingAfter: Money;
  step: TraceStep;
  parameters: ParameterUsed[];
}

/**
 * A household that receives income from work (art. 34b(1); SPEC §7): an entitled member had income
 * from work (W_p,M > 0) in one of the 12 calendar months before P that were settled, or has projected
 * income from work in P. Benefits and declared income do not count.
 */
export function isWorkingHousehold(state: HouseholdState, month: YearMonth, projectedWorkIncome: Money): boolean {
  if (projectedWorkIncome.greaterThan(0)) return true;
  for (let m = addMonths(month, -12); m < month; m = addMonths(m, 1)) {
    const settled = state.months.get(m);
    if (settled && money(settled.values.incomeFromWork).greaterThan(0)) return true;
  }
  return false;
}

export function bufferRemaining(state: HouseholdState, budget: Money, year: string): Money {
  return money(budget.minus(state.bufferDrawnPerYear.get(year) ?? ZERO));
}

/**
 * Bufferbudget (001 measure 2): when a claim is offset against the payment of P and the household
 * would fall below NormEx_P, draw min(shortfall, offset, remaining budget of P's year).
 */
export function decideBufferDraw(
  p: PaymentProposal,
  state: HouseholdState,
  params: ParameterTables,
  policy: Policy,
): BufferDecision {
  const year = yearOf(p.month);
  const shortfall = money(p.normExclHoliday.minus(p.projectedNet.plus(p.gross).minus(p.offset)));
  const row = findInForce(params, 'bufferBudget', firstDay(p.month));
  const budget = row ? money(row.perYear) : ZERO;
  const remaining = row ? bufferRemaining(state, budget, year) : ZERO;
  const eligibility = policyFor(policy, p.month).bufferEligibility;
  const decide = (reason: BufferDecisionReason, draw: Money): BufferDecision => ({
    reason,
    draw,
    shortfall,
    budget,
    inForceFrom: params.bufferBudget[0]?.validFrom,
    remainingAfter: money(remaining.minus(draw)),
    step: {
      rule: 'bufferbudget',
      legalRef: LegalRef.buffer,
      inputs: {
        offset: fmt(p.offset),
        normExclHoliday: fmt(p.normExclHoliday),
        projectedNet: fmt(p.projectedNet),
        gross: fmt(p.gross),
        shortfall: fmt(shortfall),
        budgetRemainingBefore: fmt(remaining),
        eligibilityPolicy: eligibility,
      },
      result: { decision: reason, bufferDraw: fmt(draw) },
    },
    parameters: row ? [describeRow('bufferBudget', row)] : [],
  });
  if (!p.offset.greaterThan(0)) return decide('no-claim-offset', ZERO);
  if (!row) return decide('buffer-not-in-force', ZERO);
  if (eligibility !== 'working' || !isWorkingHousehold(state, p.month, p.projectedWorkIncome))
    return decide('not-eligible', ZERO);
  if (!shortfall.greaterThan(0)) return decide('no-shortfall', ZERO);
  if (!remaining.greaterThan(0)) return decide('budget-exhausted', ZERO);
  return decide('drawn', min(min(shortfall, p.offset), remaining));
}
