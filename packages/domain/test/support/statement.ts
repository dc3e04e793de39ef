import { polisStatement } from '@bijstand/testkit/statements';
import { polisIncomeStatementSchema, type PolisIncomeStatement } from '../../src/index.js';

/** testkit's statement parsed through the real schema (so the §1.1 defaults of 0.00 apply). */
export function validStatement(fields: Record<string, unknown> = {}): PolisIncomeStatement {
  return polisIncomeStatementSchema.parse(polisStatement(fields));
}
