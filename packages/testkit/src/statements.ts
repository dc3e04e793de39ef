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
