import { runHistory } from '@bijstand/settlement';
import { runHistoryText } from '@bijstand/documents';
import { withStore } from './shared.js';

/** The recorded nights, newest first, with the households each could not settle and why (settlement's runResults). */
export async function runsCommand(options: { last: number; json?: boolean; store?: string }): Promise<void> {
  await withStore(options, 'read-only', async (store) => {
    const entries = await runHistory(store, { last: options.last });
    process.stdout.write(options.json ? `${JSON.stringify(entries, null, 2)}\n` : runHistoryText(entries));
  });
}
