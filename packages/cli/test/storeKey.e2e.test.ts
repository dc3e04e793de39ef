import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';

/**
 * Issue #21, "one key per store": a second BSN_PSEUDONYM_KEY on a store opened a second case for the same
 * person and paid twice. The store records a check value of its key; another key, or the development key
 * on a store made with a real one, is refused before anything is read or written.
 */
const dir = mkdtempSync(join(tmpdir(), 'cli-store-key-'));
const KEY_A = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';
const KEY_B = 'c7d81a3e5f6b2049e8d7c6b5a4938271605f4e3d2c1b0a99887766554433221f';
const config = { MUNICIPALITY_CONFIG: 'infra/config/demo-municipality.json' };

function caseFile(name: string, householdId: string): string {
  const path = join(dir, `${name}.ndjson`);
  const opened = { type: 'CaseOpened', householdId, category: 'single', startDate: '2027-01-01' };
  writeFileSync(
    path,
    `${JSON.stringify({ case: { ...opened, members: [{ bsn: '111222333', role: 'applicant' }] } })}\n`,
  );
  return path;
}

describe('one pseudonym key per store', () => {
  it('two keys on one store: the second is refused (exit 2), one case, one payment', async () => {
    const store = join(dir, 'two-keys.sqlite');
    const first = await runCli(['ingest', '--file', caseFile('a', 'H-key-a'), '--store', store], {
      ...config,
      BSN_PSEUDONYM_KEY: KEY_A,
    });
    expect(first.code).toBe(0);
    const second = await runCli(['ingest', '--file', caseFile('b', 'H-key-b'), '--store', store], {
      ...config,
      BSN_PSEUDONYM_KEY: KEY_B,
    });
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(
      `error: sqlite:${store}: BSN_PSEUDONYM_KEY is not the key this store was made with (its check value differs); the same BSN would get a second pseudonym and a second case, so nothing was read or written\n`,
    );
    expect(second.stderr + second.stdout).not.toContain(KEY_B);

    const dev = await runCli(
      ['--insecure-dev-key', 'ingest', '--file', join(dir, 'b.ndjson'), '--store', store],
      config,
    );
    expect(dev.code).toBe(2);
    expect(dev.stderr).toContain(
      `error: sqlite:${store}: this store was made with a secret BSN_PSEUDONYM_KEY; the public development key (--insecure-dev-key) is refused on it, nothing was read or written\n`,
    );
    // Readers and the night with the other key are refused too; with the store's key they see one case.
    const otherList = await runCli(['household', 'list', '--store', store], { BSN_PSEUDONYM_KEY: KEY_B });
    expect(otherList.code).toBe(2);
    const list = await runCli(['household', 'list', '--store', store], { BSN_PSEUDONYM_KEY: KEY_A });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^1 huishouden$/m);
    expect(list.stdout).not.toContain('H-key-b');
    const otherNight = await runCli(['run-nightly', '--json', '--date', '2027-01-25', '--store', store], {
      ...config,
      BSN_PSEUDONYM_KEY: KEY_B,
    });
    expect(otherNight.code).toBe(2);
    const night = await runCli(['run-nightly', '--json', '--date', '2027-01-25', '--store', store], {
      ...config,
      BSN_PSEUDONYM_KEY: KEY_A,
    });
    expect(night.code).toBe(0);
    expect(JSON.parse(night.stdout)).toMatchObject({ households: 1, paymentsMade: 1, paid: '1356.60' });
  });

  it('the development key only by --insecure-dev-key: NODE_ENV=test without a key is refused, exit 2', async () => {
    const store = join(dir, 'no-key.sqlite');
    const r = await runCli(['ingest', '--file', caseFile('c', 'H-key-c'), '--store', store], {
      NODE_ENV: 'test',
      BSN_PSEUDONYM_KEY: '',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: BSN_PSEUDONYM_KEY is not set/);
    const zeros = await runCli(['ingest', '--file', join(dir, 'c.ndjson'), '--store', store], {
      BSN_PSEUDONYM_KEY: '0'.repeat(64),
    });
    expect(zeros.code).toBe(2);
    expect(zeros.stderr).toMatch(/^error: BSN_PSEUDONYM_KEY: is not random/);
  });
});
