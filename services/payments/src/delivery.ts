import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { municipalityWebhookChannel } from '@bijstand/alerts';
import type { Municipalities } from '@bijstand/platform';

/**
 * The bank's file, unmasked (the bank needs the IBANs; it is the one output that carries them), written whole: to a
 * temporary name in the same directory, then renamed, so a reader never sees half a file.
 */
export function writeBankFile(out: string, xml: string): void {
  const partial = `${out}.partial-${process.pid}`;
  try {
    writeFileSync(partial, xml);
    renameSync(partial, out);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/** Where the worker delivers a household's alert (alertRoutingFromConfig): the log, and its municipality's webhook. */
export function alertChannelsOf(
  m: Municipalities,
  env: { ALERT_WEBHOOK_URL?: string | undefined },
): (municipality: string | null) => readonly string[] {
  if (m.mode === 'single') return () => (env.ALERT_WEBHOOK_URL ? ['log', 'webhook'] : ['log']);
  return (municipality) => {
    const code = m.codeOf(municipality);
    return code && m.byCode.get(code)?.alerts ? ['log', municipalityWebhookChannel(code)] : ['log'];
  };
}
