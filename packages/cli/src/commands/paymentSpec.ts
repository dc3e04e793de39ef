import { readRuntimeEnv } from '@bijstand/platform';
import { toMarkdown } from '@bijstand/documents';
import { paymentSpecificationOf, writeLetter } from '@bijstand/replay';
import { letterRefusal } from './letter.js';
import { requiredDeploymentConfig, withStore } from './shared.js';

export interface PaymentSpecOptions {
  payday: string;
  asOf?: string;
  out?: string;
  store?: string;
  nationalDefaults?: boolean;
}

/** `cli payment-spec H --payday 2027-07-25`: the payment specification of that payday (B1). */
export async function paymentSpecCommand(householdId: string, options: PaymentSpecOptions): Promise<void> {
  const env = readRuntimeEnv();
  await withStore(options, 'read-only', async (store) => {
    const loaded = await requiredDeploymentConfig(env, store, options, 'the specification names no municipality');
    const request = { payday: options.payday, asOf: options.asOf };
    const spec = await paymentSpecificationOf(store, householdId, loaded, request).catch((err: unknown) => {
      throw letterRefusal(err);
    });
    if (!options.out) {
      process.stdout.write(toMarkdown(spec));
      return;
    }
    const format = await writeLetter(spec, options.out);
    process.stderr.write(`payment specification (${format}) written to ${options.out}\n`);
  });
}
