import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';

/**
 * Issue #21: `./cli ingest` refuses what the night cannot settle, under the deployment MUNICIPALITY_CONFIG
 * names: a case starting in 2000 and a municipality the deployment does not have were stored, and failed
 * every night after.
 */
describe('ingest under a deployment file', () => {
  it('rejects the out-of-range case and the unknown municipality with their reasons (exit 3), stores the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-settleable-'));
    const file = join(dir, 'cases.ndjson');
    const opened = (householdId: string, bsn: string, over: Record<string, unknown>) => ({
      case: {
        type: 'CaseOpened',
        householdId,
        members: [{ bsn, role: 'applicant' }],
        category: 'single',
        startDate: '2027-01-01',
        ...over,
      },
    });
    const lines = [
      opened('H-old', '200000007', { startDate: '2000-01-01' }),
      opened('H-far', '200000019', { municipality: 'GM9999' }),
      opened('H-assen', '200000020', { municipality: 'GM0106' }),
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const store = join(dir, 'events.sqlite');
    const r = await runCli(['ingest', '--file', file, '--store', store], {
      MUNICIPALITY_CONFIG: 'infra/config/werkplein-drentsche-aa.json',
    });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ recorded: 1, duplicate: 0, parked: 0, rejected: 2 });
    // In Dutch with what to do, each followed by the rule's detail naming the field and the article.
    expect(r.stderr.split('\n').filter((l) => /^(regel |  \()/.test(l))).toEqual([
      'regel 1: afgewezen. De zaak begint vóór de eerste datum van de normtabellen; vul de tabellen aan en verwerk het bericht opnieuw.',
      '  (startDate: 2000-01-01 lies before the parameter table norm has a value (from 2026-01-01); no night could settle its months (SPEC §2: no value, never a guess))',
      'regel 2: afgewezen. De gemeente van deze zaak is niet ingesteld (MUNICIPALITY_CONFIG); stel haar in en verwerk het bericht opnieuw.',
      '  (municipality: GM9999 is not a municipality of this deployment (MUNICIPALITY_CONFIG has GM0106, GM1680, GM1730); no night could settle it (Pw art. 40: the college of the municipality where the person lives))',
    ]);
    const list = await runCli(['household', 'list', '--store', store]);
    expect(list.stdout).toMatch(/^1 huishouden$/m);
    expect(list.stdout).toMatch(/^H-assen\b/m);
  });
});
