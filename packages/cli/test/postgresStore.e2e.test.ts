import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { postgresAvailable, postgresBinDir, startPostgres } from '@bijstand/testkit';
import { runCli } from './support/cli.js';

/**
 * Issue #21: `household list` with EVENTSTORE_URL created the store's tables in whatever database it was
 * pointed at. A database without them is an error for the commands that do not create a store.
 */
const server = postgresAvailable() ? await startPostgres() : null;
/** One statement through the server's own psql (the CLI's package has no PostgreSQL client of its own). */
const psql = (url: string, sql: string) =>
  execFileSync(join(postgresBinDir()!, 'psql'), [url, '-Atc', sql], { encoding: 'utf8' }).trim();
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!server)('the CLI on a PostgreSQL database without a store', () => {
  it('read-only commands and run-nightly refuse it (exit 2) and create no table', async () => {
    psql(server!.url, 'CREATE DATABASE not_a_store');
    const url = server!.urlOf('not_a_store');
    const env = { EVENTSTORE_URL: url, MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json' };
    const where = `postgres:${new URL(url).host}${new URL(url).pathname}`;
    const results = await Promise.all([
      runCli(['household', 'list'], env),
      runCli(['rejected', 'list'], env),
      runCli(['run-nightly', '--date', '2027-03-01'], env),
    ]);
    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `error: no event store at ${where} (the database has no event store tables; only ingest, worker, demo and store copy create them)`,
      );
      expect(r.stdout).toBe('');
    }
    expect(psql(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).toBe('0');
  });
});
