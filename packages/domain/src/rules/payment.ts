import { money, max, min, ZERO, fmt, type Money } from '../money.js';
import { contains, daysInMonth, firstDay, intersect, monthNumber, monthPeriod, type IsoDate, type Period, type YearMonth } from '../dates.js';
import { lookup, describeRow, type ParameterTables } from '../parameters.js';
import type { Policy } from '../schemas.js';
import { LegalRef, TraceBuilder } from '../trace.js';
import type { HouseholdState } from '../household.js';
import type { BufferDrawn, BufferNotDrawn, PaymentMade, PaymentProposed } from '../events.js';
import { normOfMonth } from './norm.js';
import { earningsDisregard } from './disregard.js';
import type { Projection } from './projection.js';
import type { BufferDecision } from './buffer.js';

/** The payday of month P: policy payDay, clamped to the month's length (SPEC §2). */
export function paydayOf(month: YearMonth, policy: Policy): IsoDate {
  return `${month}-${String(Math.min(policy.payDay, daysInMonth(month))).padStart(2, '0')}`;
}

/** SPEC §6.2: month P is paid on a run with D ≥ payDay of P, when P is not paid (or proposed) yet and overlaps K. */
export function paymentIsDue(P: YearMonth, runDate: IsoDate, state: HouseholdState, K: Period, policy: Policy): boolean {
  return runDate >= paydayOf(P, policy) && !state.payments.has(P) && !state.pendingPayments.has(P) && intersect(monthPeriod(P), K) !== null;
}

/**
 * SPEC §6.2 up to the buffer: the advance on projected income, the holiday reserve payout and the
 * offset of a claim. The bufferbudget (SPEC §7) decides on this proposal next (finalPayment).
 */
export function proposePayment(
  P: YearMonth,
  state: HouseholdState,
  K: Period,
  projection: Projection,
  params: ParameterTables,
  runDate: IsoDate,
  rulesVersion: string,
): PaymentProposed {
  const trace = new TraceBuilder();
  trace.add([projection.step]);
  const n = normOfMonth(P, K, state.compositions, params);
  trace.add(n.steps);
  trace.params_(n.parameters);
  const v = earningsDisregard(P, projection.perPerson, state.disregardGrants, n.norm, projection.projectedNet, params, 'projected');
  if (v.step) trace.add([v.step]);
  trace.params_(v.parameters);
  const projectedCountable = money(projection.projectedNet.minus(v.disregard));
  const advance = max(ZERO, n.normExclHoliday.minus(projectedCountable));
  trace.step('advanceOfMonth', LegalRef.advance, { normExclHoliday: fmt(n.normExclHoliday), projectedNet: fmt(projection.projectedNet), projectedDisregard: fmt(v.disregard) }, { advance: fmt(advance) });

  // Holiday reserve: paid out in the payout month or the month the case ends.
  const payoutRow = lookup(params, 'holidayPayoutMonth', firstDay(P));
  trace.param(describeRow('holidayPayoutMonth', payoutRow));
  const isPayoutMonth = monthNumber(P) === payoutRow.value || contains(monthPeriod(P), K.end);
  const reserveBefore = state.reserveBalance;
  const holidayPayout = isPayoutMonth ? max(ZERO, reserveBefore) : ZERO;
  // A negative reserve (reserve paid out, then lowered by a correction) is benefit paid without right:
  // it joins the claim in the ledger rather than being "paid out" as a negative amount.
  const reserveDeficit = isPayoutMonth ? min(ZERO, reserveBefore) : ZERO;
  trace.step('holidayReservePayout', LegalRef.holidayPayout, { reserveBalance: fmt(reserveBefore), payoutMonth: String(payoutRow.value), isPayoutMonth: String(isPayoutMonth) }, { holidayPayout: fmt(holidayPayout), reserveDeficitToClaim: fmt(reserveDeficit) });
  const gross = money(advance.plus(holidayPayout));

  const offset = claimOffset(money(state.ledgerBalance.plus(reserveDeficit)), gross);
  trace.step('claimOffset', LegalRef.offset, { ledgerBalance: fmt(offset.ledgerBefore), gross: fmt(gross) }, { backPayment: fmt(offset.backPayment), offset: fmt(offset.offset), ledgerBalanceAfter: fmt(offset.ledgerAfter) });

  const reserveAfter = money(reserveBefore.minus(holidayPayout).minus(reserveDeficit));
  return {
    type: 'PaymentProposed',
    data: {
      month: P,
      runDate,
      projectedNet: fmt(projection.projectedNet),
      projectedDisregard: fmt(v.disregard),
      normExclHoliday: fmt(n.normExclHoliday),
      advance: fmt(advance),
      holidayPayout: fmt(holidayPayout),
      backPayment: fmt(offset.backPayment),
      offset: fmt(offset.offset),
      gross: fmt(gross),
      ledgerChange: fmt(offset.ledgerAfter.minus(state.ledgerBalance)),
      reserveChange: fmt(reserveAfter.minus(reserveBefore)),
      ledgerBalanceAfter: fmt(offset.ledgerAfter),
      reserveBalanceAfter: fmt(reserveAfter),
      rulesVersion,
      explanation: trace.build(),
    },
  };
}

/** SPEC §6.2: L ≥ 0 is paid with the month (backPayment); a claim is offset against the gross, at most all of it. */
export function claimOffset(ledgerBefore: Money, gross: Money): { ledgerBefore: Money; backPayment: Money; offset: Money; ledgerAfter: Money } {
  if (ledgerBefore.greaterThanOrEqualTo(0)) return { ledgerBefore, backPayment: ledgerBefore, offset: ZERO, ledgerAfter: ZERO };
  const offset = min(ledgerBefore.negated(), gross);
  return { ledgerBefore, backPayment: ZERO, offset, ledgerAfter: money(ledgerBefore.plus(offset)) };
}

/**
 * The payment made on a proposal after the buffer decision (SPEC §6.2, §7): amount = gross + back
 * payment − offset + buffer draw. The proposal (stored just before) explains advance, payout and
 * offset; the payment adds the buffer decision and points back to it rather than copying it.
 */
export function finalPayment(p: PaymentProposed['data'], buffer: BufferDecision, rulesVersion: string): [BufferDrawn | BufferNotDrawn, PaymentMade] {
  const P = p.month;
  const trace = new TraceBuilder();
  trace.step('paymentProposed', LegalRef.advance, { proposal: `proposal:${P}`, runDate: p.runDate }, { advance: p.advance, holidayPayout: p.holidayPayout, backPayment: p.backPayment, offset: p.offset, gross: p.gross });
  trace.add([buffer.step]);
  trace.params_(buffer.parameters);
  const amount = money(money(p.gross).plus(p.backPayment).minus(p.offset).plus(buffer.draw));
  trace.step('paymentOfMonth', LegalRef.assistance, { advance: p.advance, holidayPayout: p.holidayPayout, backPayment: p.backPayment, offset: p.offset, bufferDraw: fmt(buffer.draw) }, { amount: fmt(amount) });
  const year = P.slice(0, 4);
  const bufferEvent: BufferDrawn | BufferNotDrawn =
    buffer.reason === 'drawn'
      ? { type: 'BufferDrawn', data: { month: P, year, amount: fmt(buffer.draw), shortfall: fmt(buffer.shortfall), remainingAfter: fmt(buffer.remainingAfter), budget: fmt(buffer.budget) } }
      : { type: 'BufferNotDrawn', data: { month: P, year, reason: buffer.reason, shortfall: fmt(buffer.shortfall) } };
  const payment: PaymentMade = {
    type: 'PaymentMade',
    data: {
      month: P,
      runDate: p.runDate,
      projectedNet: p.projectedNet,
      projectedDisregard: p.projectedDisregard,
      normExclHoliday: p.normExclHoliday,
      advance: p.advance,
      holidayPayout: p.holidayPayout,
      backPayment: p.backPayment,
      offset: p.offset,
      bufferDraw: fmt(buffer.draw),
      amount: fmt(amount),
      ledgerChange: p.ledgerChange,
      reserveChange: p.reserveChange,
      ledgerBalanceAfter: p.ledgerBalanceAfter,
      reserveBalanceAfter: p.reserveBalanceAfter,
      rulesVersion,
      explanation: trace.build(),
    },
  };
  return [bufferEvent, payment];
}
