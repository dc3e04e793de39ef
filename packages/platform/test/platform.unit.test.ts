import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, loadMunicipalityConfig, ConfigurationError, memberStream, rulesVersionOf } from '../src/index.js';

const file = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'municipality.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('municipality configuration', () => {
  it('every example in infra/config/ loads and validates (SPEC v2 tables included)', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'infra', 'config');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(loadMunicipalityConfig(join(dir, f)).ctx.params.norm.length, f).toBeGreaterThan(0);
    const example = loadMunicipalityConfig(join(dir, 'example-municipality.json')).ctx.params;
    expect(example.giftsFreePerYear.map((r) => [r.validFrom, r.value])).toEqual([['2026-01-01', '1200.00'], ['2028-01-01', '1250.00']]);
    expect(example.disregard.at(-1)!.pensionAge).toEqual({ rate: '0.25', capAmount: '230.00' });
  });


  it('applies policy and parameter rows, and changes the rules version', () => {
    const { municipality, ctx } = loadMunicipalityConfig(file({ municipality: 'Groningen', policy: { bufferEligibility: 'none', alertThreshold: '25.00' }, parameters: { norm: [{ validFrom: '2027-01-01', couple: '2040.00', single: '1428.00', source: 'test' }] } }));
    expect(municipality).toBe('Groningen');
    expect(ctx.policy).toMatchObject({ bufferEligibility: 'none', alertThreshold: '25.00', payDay: 25, advance: 'projected' });
    expect(ctx.params.norm.map((r) => r.validFrom)).toEqual(['2026-01-01', '2026-07-01', '2027-01-01']);
    expect(rulesVersionOf(ctx.params, ctx.policy)).not.toBe(rulesVersionOf(loadMunicipalityConfig(undefined).ctx.params, loadMunicipalityConfig(undefined).ctx.policy));
  });

  it('refuses a bad file with the field and the rule', () => {
    expect(() => loadMunicipalityConfig(file({ municipality: 'X', policy: { bufferEligibility: 'sometimes' } }))).toThrow(ConfigurationError);
    expect(() => loadMunicipalityConfig(file({ municipality: 'X', policy: { alertThreshold: 10 } }))).toThrow(/policy\.alertThreshold: must be an amount as a string/);
    expect(() => loadMunicipalityConfig(file({ municipality: 'X', parameters: { disregard: [{ validFrom: '2027-01-01', rate: '0.15' }] } }))).toThrow(/parameters\.disregard\.0\.work: /);
  });
});

describe('privacy', () => {
  it('a BSN never reaches the log in clear text, by field or in free text', () => {
    const lines: string[] = [];
    const logger = createLogger('t', { destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) as never });
    logger.info({ bsn: '111222333', statement: { bsn: '123456782' }, members: [{ bsn: '111222333' }] }, 'received for 111222333');
    logger.warn({ reason: 'bsn 123456782 is not a member' }, 'x');
    const text = lines.join('');
    expect(text).not.toMatch(/111222333|123456782/);
    expect(text).toContain('[redacted]');
  });

  it('stream names carry a keyed pseudonym, not the BSN', () => {
    expect(memberStream('111222333')).not.toContain('111222333');
    expect(memberStream('111222333')).toBe(memberStream('111222333'));
  });
});
