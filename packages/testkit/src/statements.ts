/**
 * The one builder of a polis income statement for tests: the fields of a valid statement as it
 * arrives (schema input; the schema adds the §1.1 defaults of 0.00), with overrides. Plain data, so
 * that testkit needs no domain (the domain's tests use it: a dependency back would be a cycle);
 * a test that wants the parsed statement passes it through polisIncomeStatementSchema.
 */
export interface PolisStatementFields {
  messageId: string;
  bsn: string;
  employer: { payrollTaxNumber: string; name?: string };
  incomeRelationshipId: string;
  period: { start: string; end: string; kind: string };
  taxableWage: string;
  withheldTax: string;
  kind: string;
}

export function polisStatement<O extends Record<string, unknown> = {}>(
  over: O = {} as O,
): Omit<PolisStatementFields, keyof O> & O {
  return {
    messageId: 'm-1',
    bsn: '111222333',
    employer: { payrollTaxNumber: '123456789L01' },
    incomeRelationshipId: 'IKV-1',
    period: { start: '2027-01-01', end: '2027-01-31', kind: 'month' },
    taxableWage: '900.00',
    withheldTax: '31.20',
    kind: 'initial',
    ...over,
  };
}

/**
 * The README's what-if line for the couple-correction example: a correction of the partner's (123456782) April
 * wage to € 1.450,00. As an NDJSON line for `replay --with` and the workplace's what-if; `recordedAt` (after the
 * real correction of 3 July) lets it stand, SPEC §1.1.
 */
export function coupleAprilCorrectionLine(options: { recordedAt?: string; messageId?: string } = {}): string {
  return JSON.stringify({
    ...(options.recordedAt ? { recordedAt: options.recordedAt } : {}),
    statement: polisStatement({
      messageId: options.messageId ?? 'm-0021-corr',
      bsn: '123456782',
      employer: { payrollTaxNumber: '123456789L01', name: 'Zorggroep Noord' },
      incomeRelationshipId: 'IKV-zorg-7',
      period: { start: '2027-04-01', end: '2027-04-30', kind: 'month' },
      taxableWage: '1450.00',
      withheldTax: '98.40',
      kind: 'correction',
      paymentDate: '2027-04-24',
      holidayAllowanceAccrued: '132.00',
    }),
  });
}
