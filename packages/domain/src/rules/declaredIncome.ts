import { money, max, min, ZERO, fmt, type Money } from '../money.js';
import { monthOf, yearOf, type Period } from '../dates.js';
import { lookup, describeRow, type ParameterTables } from '../parameters.js';
import type { OtherIncomeDeclared } from '../schemas.js';
import type { RecordedDeclaration } from '../household.js';
import { LegalRef } from '../trace.js';
import { allocateIncome, type IncomeSettlement } from './allocation.js';

/** Gifts (art. 31(2)(m)) and cost-saving contributions (art. 18(8)) share the yearly free amount (SPEC v3 §4.5). */
export function sharesGiftsFreeAmount(d: Pick<OtherIncomeDeclared, 'kind'>): boolean {
  return d.kind === 'gift' || d.kind === 'contribution';
}

/** A gift's or contribution's place in its year's running total against the free amount (SPEC §4.5). */
export interface GiftCount {
  declaration: OtherIncomeDeclared;
  freePerYear: Money;
  runningTotalBefore: Money;
  runningTotalAfter: Money;
  /** The part of this gift above the year's free amount: income. */
  counted: Money;
}

/**
 * SPEC §4.5: the household's gifts of a calendar year in order of receivedOn, then declarationId; the
 * running total up to giftsFreePerYear (table at 1 January of that year) is not income, each gift
 * counts for its part above it. Gifts outside the case period take part in the running total.
 */
export function giftsAboveFreeAmount(gifts: readonly OtherIncomeDeclared[], params: ParameterTables): GiftCount[] {
  const ordered = [...gifts].sort((a, b) =>
    a.receivedOn < b.receivedOn
      ? -1
      : a.receivedOn > b.receivedOn
        ? 1
        : a.declarationId < b.declarationId
          ? -1
          : a.declarationId > b.declarationId
            ? 1
            : 0,
  );
  const totals = new Map<string, Money>();
  return ordered.map((declaration) => {
    const year = yearOf(declaration.receivedOn);
    const freePerYear = money(lookup(params, 'giftsFreePerYear', `${year}-01-01`).value);
    const runningTotalBefore = totals.get(year) ?? ZERO;
    const runningTotalAfter = money(runningTotalBefore.plus(declaration.amount));
    totals.set(year, runningTotalAfter);
    const counted = money(
      max(ZERO, runningTotalAfter.minus(freePerYear)).minus(max(ZERO, runningTotalBefore.minus(freePerYear))),
    );
    return {
      declaration,
      freePerYear,
      runningTotalBefore,
      runningTotalAfter,
      counted: min(counted, money(declaration.amount)),
    };
  });
}

/** The gift that takes its year's running total above the free amount (for the alert of SPEC §8). */
export function giftCrossingFreeAmount(count: GiftCount): boolean {
  return (
    count.runningTotalBefore.lessThanOrEqualTo(count.freePerYear) &&
    count.runningTotalAfter.greaterThan(count.freePerYear)
  );
}

/**
 * Declared other income (SPEC §4.5): one component of kind `other` per declaration in force, with
 * W = d = receivedOn, allocated by §4.1–4.3. Alimony and other income count in full; a gift for its
 * part above the free amount. In order of receivedOn, then declarationId.
 */
export function settleDeclarations(
  declarations: Iterable<RecordedDeclaration>,
  casePeriod: Period,
  params: ParameterTables,
): IncomeSettlement[] {
  const all = [...declarations].map((d) => d.declaration);
  const shared = giftsAboveFreeAmount(all.filter(sharesGiftsFreeAmount), params);
  const gifts = new Map(shared.map((g) => [g.declaration.declarationId, g]));
  const ordered = all.sort((a, b) =>
    a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : a.declarationId < b.declarationId ? -1 : 1,
  );
  const out: IncomeSettlement[] = [];
  for (const d of ordered) {
    const gift = gifts.get(d.declarationId);
    const counted = gift ? gift.counted : money(d.amount);
    const day: Period = { start: d.receivedOn, end: d.receivedOn };
    const allocation = allocateIncome(
      {
        reference: { declarationId: d.declarationId },
        bsn: d.bsn,
        work: day,
        disposal: d.receivedOn,
        intendedFor: d.intendedFor,
      },
      counted.isZero() ? [] : [{ kind: 'other', category: 'income', incomeKind: 'declared', amount: counted }],
      casePeriod,
    );
    const contribution = d.kind === 'contribution';
    const step = {
      rule: !gift ? 'declaredIncome' : contribution ? 'contributionsAboveFreeAmount' : 'giftsAboveFreeAmount',
      legalRef: !gift ? LegalRef.declaredIncome : contribution ? LegalRef.contributions : LegalRef.gifts,
      inputs: {
        declarationId: d.declarationId,
        kind: d.kind,
        amount: d.amount,
        receivedOn: d.receivedOn,
        ...(gift
          ? {
              freePerYear: fmt(gift.freePerYear),
              runningTotalBefore: fmt(gift.runningTotalBefore),
              runningTotalAfter: fmt(gift.runningTotalAfter),
            }
          : {}),
      },
      result: { counted: fmt(counted), month: monthOf(d.receivedOn) },
    };
    const parameters = gift
      ? [describeRow('giftsFreePerYear', lookup(params, 'giftsFreePerYear', `${yearOf(d.receivedOn)}-01-01`))]
      : [];
    out.push({
      reference: { declarationId: d.declarationId },
      allocation,
      steps: [step, ...allocation.steps],
      parameters,
    });
  }
  return out;
}
