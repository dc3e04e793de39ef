import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, householdStream, loadMunicipalities, REJECTED_STREAM } from '@bijstand/platform';
import { Ingestor } from '../src/index.js';
import { caseOpened, ctx, msg, statement, validBsn } from './fixtures.js';

/**
 * Issue #21: ingest refuses what the night cannot settle, with a reason naming the field: a case that starts
 * before the parameter tables have a value (it failed every night: "norm has no value … 2000-01-01"), a
 * municipality the deployment does not name, and ids that cannot be shown or linked.
 */
const logger = createLogger('test', { level: 'silent' });
const root = join(import.meta.dirname, '..', '..', '..');
const deployment = loadMunicipalities(join(root, 'infra', 'config', 'werkplein-drentsche-aa.json'));
const single = loadMunicipalities(join(root, 'infra', 'config', 'demo-municipality.json'));

async function ingestOne(
  body: unknown,
  options: ConstructorParameters<typeof Ingestor>[3],
  kind: 'case' | 'statement' = 'case',
) {
  const store = await openEventStore({ kind: 'memory' });
  const ingestor = new Ingestor(store, options?.municipalities?.defaultMunicipality.ctx ?? ctx, logger, options);
  const outcome = await ingestor.ingest(msg(kind, body));
  const rejected = (await store.readStream(REJECTED_STREAM)).map((e) => (e.data as { reason: string }).reason);
  const households = await store.listStreams('household-');
  return { outcome, rejected, households };
}

describe('ingest refuses a case the night cannot settle', () => {
  it('a case starting before the norm table has a value: rejected, naming startDate and the table', async () => {
    const r = await ingestOne(caseOpened('H-old', [validBsn(1)], '2000-01-01'), {});
    expect(r.outcome).toEqual({
      status: 'rejected',
      reason:
        'startDate: 2000-01-01 lies before the parameter table norm has a value (from 2026-01-01); no night could settle its months (SPEC §2: no value, never a guess)',
    });
    expect(r.households).toEqual([]);
    // Under the municipality's own tables (the demo's norm rows start in 2027 and add to the national ones).
    const demo = await ingestOne(caseOpened('H-2025', [validBsn(2)], '2025-12-01'), { municipalities: single });
    expect(demo.rejected).toEqual([
      'startDate: 2025-12-01 lies before the parameter table norm has a value (from 2026-01-01); no night could settle its months (SPEC §2: no value, never a guess)',
    ]);
    const alo = await ingestOne(
      { ...caseOpened('H-alo', [validBsn(3)], '2026-03-01'), category: 'single-parent-no-alo' },
      {},
    );
    expect(alo.rejected).toEqual([
      'startDate: 2026-03-01 lies before the parameter table aloSupplementPerYear has a value (from 2027-01-01); no night could settle its months (SPEC §2: no value, never a guess)',
    ]);
    expect((await ingestOne(caseOpened('H-ok', [validBsn(4)], '2026-01-01'), {})).outcome.status).toBe('recorded');
  });

  it('a municipality the deployment does not name: rejected in a deployment file and in a single-municipality one', async () => {
    const multi = await ingestOne(caseOpened('H-far', [validBsn(5)], '2027-01-01', { municipality: 'GM9999' }), {
      municipalities: deployment,
    });
    expect(multi.rejected).toEqual([
      'municipality: GM9999 is not a municipality of this deployment (MUNICIPALITY_CONFIG has GM0106, GM1680, GM1730); no night could settle it (Pw art. 40: the college of the municipality where the person lives)',
    ]);
    expect(multi.households).toEqual([]);
    const one = await ingestOne(caseOpened('H-far', [validBsn(5)], '2027-01-01', { municipality: 'GM9999' }), {
      municipalities: single,
    });
    expect(one.rejected).toEqual([
      `municipality: GM9999 is not named by this deployment (MUNICIPALITY_CONFIG is the single-municipality file of Voorbeeldstad (demo), which names no CBS code; a deployment file with "municipalities" names them by code); it would be settled under another municipality's rules (Pw art. 40)`,
    ]);
    const known = await ingestOne(caseOpened('H-assen', [validBsn(6)], '2027-01-01', { municipality: 'GM0106' }), {
      municipalities: deployment,
    });
    expect(known.outcome).toMatchObject({ status: 'recorded', householdId: 'H-assen' });
    expect(known.households).toEqual([householdStream('H-assen')]);
  });

  it('ids outside a bounded character set and length: rejected naming the field', async () => {
    const cases: Array<[unknown, 'case' | 'statement', string]> = [
      [
        caseOpened('H/../admin', [validBsn(7)]),
        'case',
        'householdId: must start with a letter or digit and hold only letters, digits, ".", "_" and "-"',
      ],
      [caseOpened(`H-${'x'.repeat(63)}`, [validBsn(7)]), 'case', 'householdId: must be at most 64 characters'],
      // A run of nine digits could be a BSN: it would reach the workplace's URLs and the access log.
      ...[`H-${validBsn(7)}`, 'H-1234567890', '123456789-x'].map((id): [unknown, 'case', string] => [
        caseOpened(id, [validBsn(7)]),
        'case',
        'householdId: must not hold a run of 9 or more digits (it could be a BSN, and the id shows in URLs and logs)',
      ]),
      [
        statement({ bsn: validBsn(8), messageId: 'm-\ud800' }),
        'statement',
        'messageId: must hold only printable ASCII characters without spaces (letters, digits, punctuation)',
      ],
      [
        statement({ bsn: validBsn(8), incomeRelationshipId: 'IKV 7' }),
        'statement',
        'incomeRelationshipId: must hold only printable ASCII characters without spaces (letters, digits, punctuation)',
      ],
    ];
    for (const [body, kind, reason] of cases) {
      const r = await ingestOne(body, {}, kind);
      expect(r.rejected).toEqual([reason]);
    }
    // Eight digits are a number, not a BSN: accepted.
    expect((await ingestOne(caseOpened('H-12345678', [validBsn(9)], '2027-01-01'), {})).outcome.status).toBe(
      'recorded',
    );
  });
});
