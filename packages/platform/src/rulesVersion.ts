import { createHash } from 'node:crypto';
import { ENGINE_VERSION, type ParameterTables, type Policy } from '@bijstand/domain';
import { canonicalJson } from './ids.js';

/** engine version + a hash of the parameter tables and policy a decision was taken under (SPEC §10). */
export function rulesVersionOf(params: ParameterTables, policy: Policy): string {
  const hash = createHash('sha256').update(canonicalJson({ params, policy })).digest('hex').slice(0, 12);
  return `engine-${ENGINE_VERSION}+rules-${hash}`;
}
