import { IncrementalLayer } from '@bijstand/domain';

/**
 * SETTLEMENT_INCREMENTAL=off turns the incremental-evaluation layer off: every month and night is
 * computed from scratch (the definition; for diagnosis). Default on. Anything else is refused.
 */
export function incrementalEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.SETTLEMENT_INCREMENTAL ?? 'on';
  if (value !== 'on' && value !== 'off')
    throw new Error(`SETTLEMENT_INCREMENTAL: must be "on" or "off", not "${value}"`);
  return value === 'on';
}

let processLayer: IncrementalLayer | undefined;

/** The process's incremental layer (parameter fingerprints are shared by all households), or undefined when off. */
export function incrementalLayer(env: NodeJS.ProcessEnv = process.env): IncrementalLayer | undefined {
  if (!incrementalEnabled(env)) return undefined;
  return (processLayer ??= new IncrementalLayer());
}
