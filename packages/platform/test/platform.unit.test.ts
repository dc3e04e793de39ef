import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  createLogger,
  loadMunicipalities,
  loadMunicipalityConfig,
  ConfigurationError,
  memberStream,
  rulesVersionOf,
  UnknownMunicipalityError,
} from '../src/index.js';

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
    expect(example.giftsFreePerYear.map((r) => [r.validFrom, r.value])).toEqual([
      ['2026-01-01', '1200.00'],
      ['2028-01-01', '1250.00'],
    ]);
    expect(example.disregard.at(-1)!.pensionAge).toEqual({ rate: '0.25', capAmount: '230.00' });
  });

  it('applies policy and parameter rows, and changes the rules version', () => {
    const { municipality, ctx } = loadMunicipalityConfig(
      file({
        municipality: 'Groningen',
        policy: { bufferEligibility: 'none', alertThreshold: '25.00' },
        parameters: { norm: [{ validFrom: '2027-01-01', couple: '2040.00', single: '1428.00', source: 'test' }] },
      }),
    );
    expect(municipality).toBe('Groningen');
    expect(ctx.policy).toMatchObject({
      bufferEligibility: 'none',
      alertThreshold: '25.00',
      payDay: 25,
      advance: 'projected',
    });
    expect(ctx.params.norm.map((r) => r.validFrom)).toEqual(['2026-01-01', '2026-07-01', '2027-01-01']);
    expect(rulesVersionOf(ctx.params, ctx.policy)).not.toBe(
      rulesVersionOf(loadMunicipalityConfig(undefined).ctx.params, loadMunicipalityConfig(undefined).ctx.policy),
    );
  });

  it('refuses a bad file with the field and the rule', () => {
    expect(() =>
      loadMunicipalityConfig(file({ municipality: 'X', policy: { bufferEligibility: 'sometimes' } })),
    ).toThrow(ConfigurationError);
    expect(() => loadMunicipalityConfig(file({ municipality: 'X', policy: { alertThreshold: 10 } }))).toThrow(
      /policy\.alertThreshold: must be an amount as a string/,
    );
    expect(() =>
      loadMunicipalityConfig(
        file({ municipality: 'X', parameters: { disregard: [{ validFrom: '2027-01-01', rate: '0.15' }] } }),
      ),
    ).toThrow(/parameters\.disregard\.0\.work: /);
  });
});

describe('a deployment of several municipalities', () => {
  const norm = [{ validFrom: '2027-01-01', couple: '2040.00', single: '1428.00', source: 'test' }];
  const deployment = (overrides: Record<string, unknown> = {}) => ({
    deployment: 'GR Sociaal',
    defaultMunicipality: 'GM0505',
    municipalities: {
      GM0505: { name: 'Dordrecht', policy: { payDay: 25 }, parameters: { norm } },
      GM0642: {
        name: 'Zwijndrecht',
        policy: { payDay: 20, bufferEligibility: 'none' },
        alerts: { webhookUrl: 'https://zwijndrecht.example/hook', webhookSecretEnv: 'ALERT_WEBHOOK_SECRET_GM0642' },
      },
    },
    ...overrides,
  });

  it('the infra example names three municipalities, each with its own policy and webhook, Aa en Hunze the default', () => {
    const m = loadMunicipalities(
      join(import.meta.dirname, '..', '..', '..', 'infra', 'config', 'werkplein-drentsche-aa.json'),
    );
    expect(m.mode).toBe('multi');
    expect(m.codes).toEqual(['GM0106', 'GM1680', 'GM1730']);
    expect(m.defaultMunicipality.code).toBe('GM1680');
    expect(
      [...m.byCode.values()].map((x) => [
        x.code,
        x.name,
        x.ctx.policy.payDay,
        x.ctx.policy.bufferEligibility,
        x.ctx.policy.alertThreshold,
        x.alerts?.webhookSecretEnv,
      ]),
    ).toEqual([
      ['GM0106', 'Assen', 28, 'working', '100.00', 'ALERT_WEBHOOK_SECRET_GM0106'],
      ['GM1680', 'Aa en Hunze', 25, 'working', '0.00', 'ALERT_WEBHOOK_SECRET_GM1680'],
      ['GM1730', 'Tynaarlo', 20, 'none', '0.00', 'ALERT_WEBHOOK_SECRET_GM1730'],
    ]);
    expect(new Set([...m.byCode.values()].map((x) => x.rulesVersion)).size).toBe(3);
  });

  it('a household is settled by its own municipality, by the default without one, and refused for one not configured', () => {
    const m = loadMunicipalities(file(deployment()));
    expect(m.resolve('GM0642').name).toBe('Zwijndrecht');
    expect(m.resolve('GM0642').ctx.policy).toMatchObject({
      payDay: 20,
      bufferEligibility: 'none',
      alertThreshold: '0.00',
    });
    expect(m.resolve(null).name).toBe('Dordrecht');
    expect(m.resolve(undefined).ctx.params.norm.at(-1)!.couple).toBe('2040.00');
    expect(m.resolve('GM0642').ctx.params.norm.at(-1)!.validFrom).toBe('2026-07-01');
    expect(() => m.resolve('GM0106')).toThrow(UnknownMunicipalityError);
    expect(() => m.resolve('GM0106')).toThrow(
      'municipality GM0106 is not configured in this deployment (MUNICIPALITY_CONFIG has GM0505, GM0642)',
    );
    expect(m.belongsTo('GM0505')(null)).toBe(true);
    expect(m.belongsTo('GM0505')('GM0642')).toBe(false);
    expect(m.belongsTo('GM0642')(null)).toBe(false);
    // The legacy loader gives the default municipality.
    expect(loadMunicipalityConfig(file(deployment())).municipality).toBe('Dordrecht');
  });

  it('the single-municipality format is one municipality for every household, whatever its CaseOpened names', () => {
    const m = loadMunicipalities(file({ municipality: 'Groningen', policy: { payDay: 24 } }));
    expect(m.mode).toBe('single');
    expect(m.resolve('GM0014').name).toBe('Groningen');
    expect(m.resolve(null).ctx.policy.payDay).toBe(24);
    expect(m.codeOf(null)).toBeNull();
    expect(loadMunicipalities(undefined).configured).toBe(false);
  });

  it("a municipality's payments account (issue #25): checked like any input, .09 unless the bank asks for .03", () => {
    const payments = { debtorName: 'Gemeente Groningen', debtorIban: 'NL66 BNGH 0123 4567 89', debtorBic: 'BNGHNL2G' };
    const m = loadMunicipalities(file({ municipality: 'Groningen', payments }));
    expect(m.defaultMunicipality.payments).toEqual({
      ...payments,
      debtorIban: 'NL66BNGH0123456789',
      painVersion: 'pain.001.001.09',
    });
    expect(() =>
      loadMunicipalities(file({ municipality: 'G', payments: { ...payments, debtorIban: 'NL67BNGH0123456789' } })),
    ).toThrow(/payments\.debtorIban: check digits are wrong \(ISO 13616 mod 97\)/);
    expect(() =>
      loadMunicipalities(file({ municipality: 'G', payments: { ...payments, painVersion: 'pain.001.001.02' } })),
    ).toThrow(/payments\.painVersion: /);
    expect(() =>
      loadMunicipalities(file({ municipality: 'G', payments: { ...payments, debtorName: 'Gemeente Zoë' } })),
    ).toThrow(/payments\.debtorName: only the SEPA character set/);
    const config = join(import.meta.dirname, '..', '..', '..', 'infra', 'config');
    const werkplein = loadMunicipalities(join(config, 'werkplein-drentsche-aa.json'));
    expect(werkplein.byCode.get('GM1680')!.payments!.painVersion).toBe('pain.001.001.03');
  });

  it('refuses a bad deployment file with the field and the rule; a secret in the file is refused', () => {
    expect(() => loadMunicipalities(file(deployment({ defaultMunicipality: 'GM9999' })))).toThrow(
      /defaultMunicipality: must be one of the municipalities \(GM0505, GM0642\)/,
    );
    expect(() => loadMunicipalities(file(deployment({ municipalities: { Assen: { name: 'Assen' } } })))).toThrow(
      /municipalities\.Assen: must be a CBS municipality code like GM0106/,
    );
    expect(() => loadMunicipalities(file(deployment({ municipalities: {} })))).toThrow(
      /municipalities: must name at least one municipality/,
    );
    expect(() =>
      loadMunicipalities(
        file(deployment({ municipalities: { GM0505: { name: 'Dordrecht', policy: { payDay: 40 } } } })),
      ),
    ).toThrow(/municipalities\.GM0505\.policy\.payDay: /);
    expect(() =>
      loadMunicipalities(
        file(
          deployment({
            municipalities: { GM0505: { name: 'Dordrecht', alerts: { webhookUrl: 'ftp://x', webhookSecretEnv: 'S' } } },
          }),
        ),
      ),
    ).toThrow(/municipalities\.GM0505\.alerts\.webhookUrl: must be an http\(s\) URL/);
    expect(() =>
      loadMunicipalities(
        file(
          deployment({
            municipalities: {
              GM0505: { name: 'Dordrecht', alerts: { webhookUrl: 'https://x.example', webhookSecretEnv: 'my secret' } },
            },
          }),
        ),
      ),
    ).toThrow(/webhookSecretEnv: must name an environment variable/);
    expect(() =>
      loadMunicipalities(
        file(
          deployment({
            municipalities: {
              GM0505: { name: 'Dordrecht', alerts: { webhookUrl: 'https://x.example', webhookSecret: 'hunter2' } },
            },
          }),
        ),
      ),
    ).toThrow(/municipalities\.GM0505\.alerts\.webhookSecret: a secret must not be in the configuration file/);
    expect(() => loadMunicipalities(file(deployment({ extra: 1 })))).toThrow(ConfigurationError);
  });
});

describe('privacy', () => {
  it('a BSN never reaches the log in clear text, by field or in free text', () => {
    const lines: string[] = [];
    const logger = createLogger('t', {
      destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) as never,
    });
    logger.info(
      { bsn: '111222333', statement: { bsn: '123456782' }, members: [{ bsn: '111222333' }] },
      'received for 111222333',
    );
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
