import {
  caseEventSchema,
  polisIncomeStatementSchema,
  validate,
  type CaseEvent,
  type PolisIncomeStatement,
  type Validation,
} from '@bijstand/domain';
import type { InboundMessage } from './inbound.js';

/** The first step of every message: JSON, then the schema of its channel; a failure names field and rule. */
function parsePayload(message: InboundMessage): Validation<unknown> {
  try {
    return { ok: true, value: JSON.parse(message.payload) };
  } catch {
    return { ok: false, reason: 'payload: is not valid JSON' };
  }
}

export function validateStatement(message: InboundMessage): Validation<PolisIncomeStatement> {
  const parsed = parsePayload(message);
  return parsed.ok ? validate(polisIncomeStatementSchema, parsed.value) : parsed;
}

export function validateCaseEvent(message: InboundMessage): Validation<CaseEvent> {
  const parsed = parsePayload(message);
  return parsed.ok ? validate(caseEventSchema, parsed.value) : parsed;
}
