import { createInterface } from 'node:readline';
import { loadMunicipalities, readRuntimeEnv, storeFromEnv, writeUnmasked } from '@bijstand/platform';
import { municipalityName } from '@bijstand/documents';
import { buildWorkplace, hashPassword, limitsFromEnv, workplaceSettings } from '@bijstand/workplace';
import { backofficeIngestor } from './shared.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  store?: string;
  hashPassword?: boolean;
  behindTls?: boolean;
}

/** `cli serve`: the consultant's workplace in this one process, on 127.0.0.1 unless WORKPLACE_HOST or --host says otherwise. */
export async function serveCommand(options: ServeOptions): Promise<void> {
  if (options.hashPassword) {
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: process.stdin }).once('line', resolve),
    );
    // A hash is not personal data, and its hex may hold a 9-digit run that BSN masking would corrupt.
    writeUnmasked(process.stdout, `${hashPassword(line)}\n`);
    return;
  }
  const env = readRuntimeEnv();
  const { users, sessionSecret, host, port, behindTls, trustProxy } = workplaceSettings(process.env, options, (line) =>
    process.stderr.write(line),
  );
  const municipalities = loadMunicipalities(env.MUNICIPALITY_CONFIG);
  const contact = { municipality: municipalityName(municipalities.configured, municipalities.name) };
  // The workplace records who viewed what (access-log) and acknowledgements: an existing store, written to.
  const store = await storeFromEnv(env, options.store, 'existing');
  const app = await buildWorkplace({
    store,
    users,
    sessionSecret,
    contact,
    municipalities,
    behindTls,
    ...(trustProxy ? { trustProxy } : {}),
    limits: limitsFromEnv(process.env),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    // The backoffice's retry of a rejected or parked message is ingest: its pseudonyms need the key. Without
    // BSN_PSEUDONYM_KEY (or --insecure-dev-key) the page can dismiss messages, not retry them.
    ...(process.env.BSN_PSEUDONYM_KEY ? { ingestor: await backofficeIngestor(store, env) } : {}),
  });
  const address = await app.listen({ host, port });
  process.stderr.write(`workplace listening on ${address} (store ${store.name}); stop with Ctrl-C\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await store.close();
  process.stderr.write('workplace stopped\n');
}
