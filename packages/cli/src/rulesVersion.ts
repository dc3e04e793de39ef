import { createHash } from 'node:crypto';
import { ENGINE_VERSION, type ParameterTables, type Policy } from '@bijstand/domain';

/** Canonical JSON: keys sorted, so that the same tables always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** engine version + a hash of the parameter tables and policy a decision was taken under. */
export function rulesVersionOf(params: ParameterTables, policy: Policy): string {
  const hash = createHash('sha256').update(canonicalJson({ params, policy })).digest('hex').slice(0, 12);
  return `engine-${ENGINE_VERSION}+rules-${hash}`;
}
