import { money, max, min, ZERO, fmt, type Money } from '../money.js';
import {
  contains,
  daysInMonth,
  firstDay,
  intersect,
  monthNumber,
  monthPeriod,
  type IsoDate,
  type Period,
  type YearMonth,
} from '../dates.js';
import { lookup, describeRow, policyFor, type ParameterTables } from '../parameters.js';
import type { HouseholdCategory, Policy } from '../schemas.js';
import { LegalRef, TraceBuilder } from '../trace.js';
import { entitledMembers, nonEntitledPartner, type HouseholdState } from '../household.js';
import type { BufferDrawn, BufferNotDrawn, Payees, PaymentMade, PaymentProposed } from '../events.js';
import { partnerIncomeCounted } from './entitlement.js';
import { normOfMonth } from './norm.js';
import { earningsDisregard, partnerEarningsDisregard } from './disregard.js';
import type { Projection } from './projection.js';
import type { BufferDecision } from './buffer.js';

/** The payday of month P: policy payDay, clamped to the month's length (SPEC §2). */
export function paydayOf(month: YearMonth, policy: Policy): IsoDate {
  return `${month}-${String(Math.min(policyFor(policy, month).payDay, daysInMonth(month))).padStart(2, '0')}`;
}

/** SPEC §6.2: month P is paid on a run with D ≥ payDay of P, when P is not paid (or proposed) yet and overlaps K. */
export function paymentIsDue(
  P: YearMonth,
  runDate: IsoDate,
  state: HouseholdState,
  K: Period,
  policy: Policy,
): boolean {
  return (
    runDate >= paydayOf(P, policy) &&
    !state.payments.has(P) &&
    !state.pendingPayments.has(P) &&
    intersect(monthPeriod(P), K) !== null
  );
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
  const n = normOfMonth(P, K, state.compositions, state.measures, params);
  trace.add(n.steps);
  trace.params_(n.parameters);
  // SPEC §6.2: §5.3–5.5 applied to the projected amounts of P.
  const entitled = entitledMembers(state);
  const projectedOwn = [...entitled].reduce((t, bsn) => money(t.plus(projection.perPerson.get(bsn) ?? ZERO)), ZERO);
  const workPerPerson = new Map([...entitled].map((bsn) => [bsn, projection.workPerPerson.get(bsn) ?? ZERO]));
  const projectedWorkIncome = [...workPerPerson.values()].reduce((t, w) => money(t.plus(w)), ZERO);
  const v = earningsDisregard(
    P,
    workPerPerson,
    state.disregardGrants.filter((g) => entitled.has(g.bsn)),
    projectedOwn,
    params,
    'projected',
  );
  if (v.step) trace.add([v.step]);
  trace.params_(v.parameters);
  const countableOwn = money(projectedOwn.minus(v.disregard));
  const partner = nonEntitledPartner(state);
  let partnerCounted: Money = ZERO;
  if (partner) {
    const couple = normOfMonth(P, K, state.compositions, state.measures, params, 'couple');
    trace.add(couple.steps);
    trace.params_(couple.parameters);
    // SPEC v3 §6.2: the partner's projected income after the partner's own disregard (art. 32(3)).
    const partnerProjected = projection.perPerson.get(partner.bsn) ?? ZERO;
    const partnerWork = projection.workPerPerson.get(partner.bsn) ?? ZERO;
    const grants = state.disregardGrants;
    const projected = max(ZERO, partnerProjected);
    const vnp = partnerEarningsDisregard(P, partner.bsn, partnerWork, grants, projected, params, 'projected');
    if (vnp.step) trace.add([vnp.step]);
    trace.params_(vnp.parameters);
    const partnerIncome = money(partnerProjected.minus(vnp.disregard));
    partnerCounted = partnerIncomeCounted(countableOwn, partnerIncome, n.normExclHoliday, couple.normExclHoliday);
    trace.step(
      'partnerIncomeCountedOnProjection',
      LegalRef.nonEntitledPartner,
      {
        countableOwnIncome: fmt(countableOwn),
        partnerIncome: fmt(partnerIncome),
        coupleNormExclHoliday: fmt(couple.normExclHoliday),
      },
      { partnerIncomeCounted: fmt(partnerCounted) },
    );
  }
  const projectedNet = money(projectedOwn.plus(partnerCounted));
  const projectedCountable = money(countableOwn.plus(partnerCounted));
  const advance = max(ZERO, n.normExclHoliday.minus(projectedCountable));
  trace.step(
    'advanceOfMonth',
    LegalRef.advance,
    {
      normExclHoliday: fmt(n.normExclHoliday),
      projectedNet: fmt(projectedNet),
      projectedDisregard: fmt(v.disregard),
      projectedPartnerIncomeCounted: fmt(partnerCounted),
    },
    { advance: fmt(advance) },
  );

  // Holiday reserve: paid out in the payout month or the month the case ends.
  const payoutRow = lookup(params, 'holidayPayoutMonth', firstDay(P));
  trace.param(describeRow('holidayPayoutMonth', payoutRow));
  const isPayoutMonth = monthNumber(P) === payoutRow.value || contains(monthPeriod(P), K.end);
  const reserveBefore = state.reserveBalance;
  const holidayPayout = isPayoutMonth ? max(ZERO, reserveBefore) : ZERO;
  // A negative reserve (reserve paid out, then lowered by a correction) is benefit paid without right:
  // it joins the claim in the ledger rather than being "paid out" as a negative amount.
  const reserveDeficit = isPayoutMonth ? min(ZERO, reserveBefore) : ZERO;
  trace.step(
    'holidayReservePayout',
    LegalRef.holidayPayout,
    { reserveBalance: fmt(reserveBefore), payoutMonth: String(payoutRow.value), isPayoutMonth: String(isPayoutMonth) },
    { holidayPayout: fmt(holidayPayout), reserveDeficitToClaim: fmt(reserveDeficit) },
  );
  const gross = money(advance.plus(holidayPayout));

  const offset = claimOffset(money(state.ledgerBalance.plus(reserveDeficit)), gross);
  trace.step(
    'claimOffset',
    LegalRef.offset,
    { ledgerBalance: fmt(offset.ledgerBefore), gross: fmt(gross) },
    { backPayment: fmt(offset.backPayment), offset: fmt(offset.offset), ledgerBalanceAfter: fmt(offset.ledgerAfter) },
  );

  const reserveAfter = money(reserveBefore.minus(holidayPayout).minus(reserveDeficit));
  return {
    type: 'PaymentProposed',
    data: {
      month: P,
      runDate,
      projectedNet: fmt(projectedNet),
      projectedWorkIncome: fmt(projectedWorkIncome),
      projectedDisregard: fmt(v.disregard),
      projectedPartnerIncomeCounted: fmt(partnerCounted),
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
export function claimOffset(
  ledgerBefore: Money,
  gross: Money,
): { ledgerBefore: Money; backPayment: Money; offset: Money; ledgerAfter: Money } {
  if (ledgerBefore.greaterThanOrEqualTo(0))
    return { ledgerBefore, backPayment: ledgerBefore, offset: ZERO, ledgerAfter: ZERO };
  const offset = min(ledgerBefore.negated(), gross);
  return { ledgerBefore, backPayment: ZERO, offset, ledgerAfter: money(ledgerBefore.plus(offset)) };
}

/**
 * The payment made on a proposal after the buffer decision (SPEC §6.2, §7): amount = gross + back
 * payment − offset + buffer draw. The proposal (stored just before) explains advance, payout and
 * offset; the payment adds the buffer decision and points back to it rather than copying it.
 */
export function finalPayment(
  p: PaymentProposed['data'],
  buffer: BufferDecision,
  payees: PayeeRule,
  rulesVersion: string,
): [BufferDrawn | BufferNotDrawn, PaymentMade] {
  const P = p.month;
  const trace = new TraceBuilder();
  trace.step(
    'paymentProposed',
    LegalRef.advance,
    { proposal: `proposal:${P}`, runDate: p.runDate },
    {
      advance: p.advance,
      holidayPayout: p.holidayPayout,
      backPayment: p.backPayment,
      offset: p.offset,
      gross: p.gross,
    },
  );
  trace.add([buffer.step]);
  trace.params_(buffer.parameters);
  const amount = money(money(p.gross).plus(p.backPayment).minus(p.offset).plus(buffer.draw));
  trace.step(
    'paymentOfMonth',
    LegalRef.assistance,
    {
      advance: p.advance,
      holidayPayout: p.holidayPayout,
      backPayment: p.backPayment,
      offset: p.offset,
      bufferDraw: fmt(buffer.draw),
    },
    { amount: fmt(amount) },
  );
  const paidTo = payeesOf(amount, payees);
  trace.step(
    'payeesOfPayment',
    LegalRef.payees,
    {
      categoryOnPayday: payees.category,
      entitledMembers: payees.entitledMembers,
      jointPaymentTo: payees.jointPaymentTo ?? 'none',
    },
    { ...paidTo },
  );
  const year = P.slice(0, 4);
  const bufferEvent: BufferDrawn | BufferNotDrawn =
    buffer.reason === 'drawn'
      ? {
          type: 'BufferDrawn',
          data: {
            month: P,
            year,
            amount: fmt(buffer.draw),
            shortfall: fmt(buffer.shortfall),
            remainingAfter: fmt(buffer.remainingAfter),
            budget: fmt(buffer.budget),
          },
        }
      : { type: 'BufferNotDrawn', data: { month: P, year, reason: buffer.reason, shortfall: fmt(buffer.shortfall) } };
  const payment: PaymentMade = {
    type: 'PaymentMade',
    data: {
      month: P,
      runDate: p.runDate,
      projectedNet: p.projectedNet,
      projectedWorkIncome: p.projectedWorkIncome,
      projectedDisregard: p.projectedDisregard,
      projectedPartnerIncomeCounted: p.projectedPartnerIncomeCounted,
      normExclHoliday: p.normExclHoliday,
      advance: p.advance,
      holidayPayout: p.holidayPayout,
      backPayment: p.backPayment,
      offset: p.offset,
      bufferDraw: fmt(buffer.draw),
      amount: fmt(amount),
      payees: paidTo,
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

/** What decides who is paid (art. 45(4)): the category on P's payday, the entitled members, the couple's request. */
export interface PayeeRule {
  category: HouseholdCategory;
  entitledMembers: number;
  jointPaymentTo: 'applicant' | 'partner' | null;
}

export function payeeRuleOn(payday: IsoDate, state: HouseholdState): PayeeRule {
  const composition = [...state.compositions].reverse().find((c) => c.from <= payday) ?? state.compositions[0];
  return {
    category: composition?.category ?? 'single',
    entitledMembers: entitledMembers(state).size,
    jointPaymentTo: state.jointPaymentTo,
  };
}

/**
 * SPEC §6.2 payees (art. 45(4); §12.1): a couple (category couple on P's payday, two entitled
 * members) is paid in halves, the partner floor(amount / 2) to the cent and the applicant the rest,
 * unless they asked for one of them (jointPaymentTo); otherwise all goes to the applicant. A share of
 * 0.00 is left out, except that a payment of 0.00 is listed as the applicant's.
 */
export function payeesOf(amount: Money, rule: PayeeRule): Payees {
  const all = fmt(amount);
  if (rule.category !== 'couple' || rule.entitledMembers < 2) return { applicant: all };
  if (rule.jointPaymentTo === 'partner') return amount.isZero() ? { applicant: all } : { partner: all };
  if (rule.jointPaymentTo === 'applicant') return { applicant: all };
  const partner = amount.times(100).dividedBy(2).floor().dividedBy(100);
  const applicant = money(amount.minus(partner));
  if (partner.isZero()) return { applicant: fmt(applicant) };
  return { applicant: fmt(applicant), partner: fmt(partner) };
}
