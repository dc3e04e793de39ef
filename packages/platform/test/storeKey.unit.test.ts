import { describe, expect, it } from 'vitest';
import { openEventStore } from '@bijstand/event-store';
import {
  guardStoreKey,
  keyCheckValue,
  recordedStoreKey,
  StoreKeyMismatchError,
  ConfigurationError,
  verifyStoreKey,
  pseudonymKeyFromEnv,
  bsnPseudonym,
  householdStream,
} from '../src/index.js';

const KEY_A = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';
const KEY_B = 'c7d81a3e5f6b2049e8d7c6b5a4938271605f4e3d2c1b0a99887766554433221f';
const at = '2027-03-01T09:00:00Z';
const real = (key: string) => pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: key });
const dev = pseudonymKeyFromEnv({ BSN_PSEUDONYM_KEY: 'insecure-dev-key' });

describe('one pseudonym key per store (issue #21)', () => {
  it('records a check value of the key at creation, never the key, and accepts the same key after', async () => {
    const store = await openEventStore({ kind: 'memory' });
    expect(await verifyStoreKey(store, real(KEY_A), { record: true, at })).toBe('recorded');
    const recorded = await recordedStoreKey(store);
    expect(recorded).toEqual({ check: keyCheckValue(KEY_A), insecure: false });
    expect(JSON.stringify(await store.readAll())).not.toContain(KEY_A);
    expect(keyCheckValue(KEY_A)).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyStoreKey(store, real(KEY_A), { record: true, at })).toBe('matches');
    expect(await store.readAll()).toHaveLength(1);
  });

  it('refuses another key, the development key on a real-key store, and a real key on a development store', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await verifyStoreKey(store, real(KEY_A), { record: true, at });
    const other = verifyStoreKey(store, real(KEY_B), { record: true, at });
    await expect(other).rejects.toThrow(StoreKeyMismatchError);
    await expect(verifyStoreKey(store, real(KEY_B), { record: true, at })).rejects.toThrow(
      'memory: BSN_PSEUDONYM_KEY is not the key this store was made with (its check value differs)',
    );
    await expect(verifyStoreKey(store, dev, { record: true, at })).rejects.toThrow(
      'memory: this store was made with a secret BSN_PSEUDONYM_KEY; the public development key (--insecure-dev-key) is refused on it',
    );
    expect(await store.readAll()).toHaveLength(1);

    const demo = await openEventStore({ kind: 'memory' });
    await verifyStoreKey(demo, dev, { record: true, at });
    await expect(verifyStoreKey(demo, real(KEY_A), { record: true, at })).rejects.toThrow(
      'memory: this store was made with the public development key (--insecure-dev-key, synthetic data only)',
    );
    expect(new StoreKeyMismatchError('x')).toBeInstanceOf(ConfigurationError); // the CLI's exit 2
  });

  it('a reader does not record; without a key in the environment nothing is compared', async () => {
    const store = await openEventStore({ kind: 'memory' });
    expect(await verifyStoreKey(store, real(KEY_A), { record: false, at })).toBe('not-recorded');
    expect(await recordedStoreKey(store)).toBeUndefined();
    await guardStoreKey(store, {}, { record: true, at });
    expect(await recordedStoreKey(store)).toBeUndefined();
    await guardStoreKey(store, { BSN_PSEUDONYM_KEY: KEY_B }, { record: true, at });
    await expect(guardStoreKey(store, { BSN_PSEUDONYM_KEY: KEY_A }, { record: false, at })).rejects.toThrow(
      StoreKeyMismatchError,
    );
  });

  it('of two processes claiming an unrecorded store at once, one key wins and the other is refused', async () => {
    const store = await openEventStore({ kind: 'memory' });
    const results = await Promise.allSettled([
      verifyStoreKey(store, real(KEY_A), { record: true, at }),
      verifyStoreKey(store, real(KEY_B), { record: true, at }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await store.readAll()).toHaveLength(1);
  });

  it('a store made before stores recorded a key: its first member stream tells whether the key is its own', async () => {
    const store = await openEventStore({ kind: 'memory' });
    const bsn = '111222333';
    const event = (type: string, data: unknown) => ({ eventId: type, type, schemaVersion: 1, recordedAt: at, data });
    await store.append(householdStream('H-1'), [
      event('CaseOpened', { householdId: 'H-1', members: [{ bsn, role: 'applicant' }], startDate: '2027-01-01' }),
    ]);
    await store.append(`member-${bsnPseudonym(bsn, KEY_A)}`, [
      event('MemberOfHousehold', { householdId: 'H-1', role: 'applicant' }),
    ]);
    await expect(verifyStoreKey(store, real(KEY_B), { record: true, at })).rejects.toThrow(
      "memory: BSN_PSEUDONYM_KEY is not the key this store's member streams were made with",
    );
    await expect(verifyStoreKey(store, dev, { record: false, at })).rejects.toThrow(StoreKeyMismatchError);
    expect(await recordedStoreKey(store)).toBeUndefined();
    expect(await verifyStoreKey(store, real(KEY_A), { record: true, at })).toBe('recorded');
    expect(await recordedStoreKey(store)).toEqual({ check: keyCheckValue(KEY_A), insecure: false });
  });
});
