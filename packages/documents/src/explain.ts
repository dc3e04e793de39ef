import {
  legalRefText,
  type HouseholdEvent,
  type MonthSettled,
  type PaymentMade,
  type PaymentProposed,
  type TraceStep,
} from '@bijstand/domain';

function values(record: Record<string, unknown>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

function renderStep(s: TraceStep, indent = '    '): string {
  return `${indent}• ${s.rule}  [${legalRefText(s.legalRef)}]\n${indent}    in:  ${values(s.inputs)}\n${indent}    out: ${values(s.result)}`;
}

/** A readable account of one month: the last settlement (with its trace) and the payment. */
export function explainMonth(events: readonly HouseholdEvent[], month: string): string {
  const settled = events.filter((e): e is MonthSettled => e.type === 'MonthSettled' && e.data.month === month);
  const payment = events.find((e): e is PaymentMade => e.type === 'PaymentMade' && e.data.month === month);
  const proposal = events.find((e): e is PaymentProposed => e.type === 'PaymentProposed' && e.data.month === month);
  const lines: string[] = [];
  const last = settled[settled.length - 1];
  if (last) {
    const v = last.data.values;
    lines.push(
      `Month ${month} — settled (version ${last.data.version} of ${settled.length}, on ${last.data.runDate}, ${last.data.rulesVersion})`,
    );
    lines.push(`  norm ${v.norm}  holiday reserve ${v.holidayReserveFull}  norm excl. holiday ${v.normExclHoliday}`);
    lines.push(`  income ${v.income}  disregard ${v.disregard}  countable ${v.countableIncome}`);
    lines.push(`  assistance ${v.assistance}  holiday accrued ${v.holidayAccrued}  reserve built ${v.holidayReserve}`);
    lines.push(
      `  change to ledger ${last.data.assistanceChange} (balance ${last.data.ledgerBalanceAfter}), to reserve ${last.data.reserveChange} (balance ${last.data.reserveBalanceAfter})`,
    );
    lines.push('  Explanation:');
    for (const s of last.data.explanation.steps) lines.push(renderStep(s));
    lines.push('  Parameters:');
    for (const p of last.data.explanation.parameters)
      lines.push(`    ${p.name} = ${values(p.value)} (valid from ${p.validFrom}; ${p.source})`);
  } else lines.push(`Month ${month} — not settled yet`);
  if (payment) {
    const p = payment.data;
    lines.push(
      `Payment for ${month} on ${p.runDate}: advance ${p.advance} + holiday payout ${p.holidayPayout} + back-payment ${p.backPayment} − offset ${p.offset} + buffer ${p.bufferDraw} = ${p.amount}`,
    );
    for (const s of proposal?.data.explanation.steps ?? []) lines.push(renderStep(s));
    for (const s of p.explanation.steps) lines.push(renderStep(s));
  } else lines.push(`No payment for ${month}`);
  return lines.join('\n');
}
