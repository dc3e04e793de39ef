import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { EventStore } from '@bijstand/event-store';

/** A settlement worker process (workerProcess.ts) on the store the env names; resolves once it listens. */
export function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, 'workerProcess.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

/** Every household event as one comparable line: stream, revision, id, instant and data. */
export async function householdEvents(store: EventStore): Promise<string[]> {
  return (await store.readAll())
    .filter((e) => e.streamName.startsWith('household-'))
    .map((e) => `${e.streamName} ${e.streamRevision} ${e.eventId} ${e.recordedAt} ${JSON.stringify(e.data)}`)
    .sort();
}
