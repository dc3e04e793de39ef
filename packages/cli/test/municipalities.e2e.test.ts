import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, instantMillis, projectResult, type IsoDate } from '@bijstand/domain';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import {
  NIGHTLY_RUNS_STREAM,
  createLogger,
  loadHousehold,
  loadMunicipalities,
  type Municipalities,
} from '@bijstand/platform';
import { Ingestor } from '@bijstand/ingest';
import { NightlySettlement, type RunSummary } from '@bijstand/settlement';
import { AlertDispatcher, alertRoutingFromConfig, startAlertService } from '@bijstand/alerts';
import { startReceiver, until } from '../../../services/alerts/test/support/receiver.js';
import { loadStoredHousehold, replayAsOf } from '@bijstand/replay';
import { root, runCli } from './support/cli.js';
import { buildWorkplace } from '@bijstand/workplace';
import { CONTACT, TEST_PASSWORD, testUsers } from '../../../services/workplace/test/support/workplace.js';

/**
 * Done when (issue #15, item 2): three municipalities with different policies in one store; each
 * household is settled under its own municipality's policy, and reports and webhooks stay per
 * municipality. The example deployment (infra/config/werkplein-drentsche-aa.json) with its webhooks
 * pointed at three receivers on 127.0.0.1, each checking its own municipality's secret:
 *   GM1680 Aa en Hunze (the default): payDay 25, bufferbudget for working households, alert above 0.00
 *   GM1730 Tynaarlo: payDay 20, no bufferbudget
 *   GM0106 Assen: payDay 28, bufferbudget, alert only above 100.00
 * Each gets the couple-correction worked example as its household (fresh BSNs); Aa en Hunze's names no
 * municipality (so it is the default's), and a fourth household names one this deployment does not serve.
 */

const logger = createLogger('test', { level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'municipalities-'));
const storePath = join(dir, 'events.sqlite');
const configPath = join(dir, 'deployment.json');
const example = JSON.parse(readFileSync(join(root, 'infra', 'config', 'werkplein-drentsche-aa.json'), 'utf8'));
const scenario = JSON.parse(
  readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json'), 'utf8'),
);
const reference = JSON.parse(
  readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.expected.json'), 'utf8'),
);

const HOUSEHOLDS = [
  { id: 'H-aa', municipality: undefined, bsns: ['200000007', '200000019'] },
  { id: 'H-tyn', municipality: 'GM1730', bsns: ['200000020', '200000032'] },
  { id: 'H-assen', municipality: 'GM0106', bsns: ['200000044', '200000056'] },
] as const;
const SECRETS = { GM1680: 'whsec-aa-en-hunze', GM1730: 'whsec-tynaarlo', GM0106: 'whsec-assen' } as const;

/** The worked example's inputs as one household of one municipality: its own id, BSNs and message ids. */
function inputsOf(h: (typeof HOUSEHOLDS)[number]): Array<{ recordedAt: string; statement?: unknown; case?: unknown }> {
  const bsn = (b: string) => (b === '111222333' ? h.bsns[0] : b === '123456782' ? h.bsns[1] : b);
  return (
    scenario.inputs as Array<{
      recordedAt: string;
      statement?: Record<string, unknown>;
      case?: Record<string, unknown>;
    }>
  ).map((i) => {
    if (i.statement)
      return {
        recordedAt: i.recordedAt,
        statement: {
          ...i.statement,
          bsn: bsn(String(i.statement.bsn)),
          messageId: `${h.id}-${String(i.statement.messageId)}`,
        },
      };
    const c = { ...i.case!, householdId: h.id } as Record<string, unknown>;
    if (c.bsn) c.bsn = bsn(String(c.bsn));
    if (c.type === 'CaseOpened') {
      c.members = (c.members as Array<{ bsn: string }>).map((m) => ({ ...m, bsn: bsn(m.bsn) }));
      if (h.municipality) c.municipality = h.municipality;
    }
    return { recordedAt: i.recordedAt, case: c };
  });
}

let store: EventStore;
let municipalities: Municipalities;
let receivers: Record<keyof typeof SECRETS, Awaited<ReturnType<typeof startReceiver>>>;
let lastSummary: RunSummary;

beforeAll(async () => {
  receivers = {
    GM1680: await startReceiver(SECRETS.GM1680, () => 204),
    GM1730: await startReceiver(SECRETS.GM1730, () => 204),
    GM0106: await startReceiver(SECRETS.GM0106, () => 204),
  };
  const config = structuredClone(example);
  for (const code of Object.keys(SECRETS) as Array<keyof typeof SECRETS>)
    config.municipalities[code].alerts.webhookUrl = receivers[code].url;
  writeFileSync(configPath, JSON.stringify(config));
  municipalities = loadMunicipalities(configPath);

  store = await openEventStore({ kind: 'sqlite', path: storePath });
  const ingestor = new Ingestor(store, municipalities.defaultMunicipality.ctx, logger);
  const inputs = [
    ...HOUSEHOLDS.flatMap(inputsOf),
    // A municipality this deployment does not settle for: refused, never settled under another's rules.
    {
      recordedAt: '2027-01-05T09:00:00Z',
      case: {
        type: 'CaseOpened',
        householdId: 'H-elsewhere',
        municipality: 'GM0014',
        members: [{ bsn: '200000068', role: 'applicant' }],
        category: 'single',
        startDate: '2027-01-01',
      },
    },
  ].sort((a, b) => instantMillis(a.recordedAt) - instantMillis(b.recordedAt));
  const { ctx, rulesVersion } = municipalities.defaultMunicipality;
  const settlement = new NightlySettlement(store, ctx, rulesVersion, logger, { municipalities });
  let next = 0;
  for (let day: IsoDate = scenario.runs.from; day <= scenario.runs.to; day = addDays(day, 1)) {
    const runAt = `${day}T${scenario.runs.at}:00Z`;
    while (next < inputs.length && instantMillis(inputs[next]!.recordedAt) <= instantMillis(runAt)) {
      const i = inputs[next++]!;
      const outcome = await ingestor.ingest({
        kind: i.statement ? 'statement' : 'case',
        payload: JSON.stringify(i.statement ?? i.case),
        recordedAt: i.recordedAt,
        source: { type: 'inline', reference: 'test' },
      });
      expect(outcome.status, JSON.stringify(outcome)).not.toBe('rejected');
    }
    lastSummary = await settlement.runNightly({ runDate: day, runAt });
  }
});

afterAll(async () => {
  await store?.close();
  await Promise.all(Object.values(receivers ?? {}).map((r) => r.close()));
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ MUNICIPALITY_CONFIG: configPath, LOG_LEVEL: 'silent' });
const resultOf = async (id: string) => {
  const h = await loadHousehold(store, id);
  return projectResult(h.state, h.events);
};
const paymentRunDates = async (id: string) =>
  Object.fromEntries(
    (await loadHousehold(store, id)).events.flatMap((e) =>
      e.type === 'PaymentMade' ? [[e.data.month, e.data.runDate]] : [],
    ),
  );

describe('three municipalities with different policies in one store', () => {
  it('Aa en Hunze (the default: its CaseOpened names none) settles exactly as the worked example, paid on the 25th', async () => {
    expect(await resultOf('H-aa')).toEqual(reference);
    const dates = await paymentRunDates('H-aa');
    expect(dates['2027-01']).toBe('2027-01-25');
    expect(dates['2027-05']).toBe('2027-05-25');
    expect(dates['2027-11']).toBe('2027-11-25');
  });

  it('Tynaarlo pays on the 20th and draws no bufferbudget: the claims are offset in full, with a below-minimum alert each month', async () => {
    const r = await resultOf('H-tyn');
    // The settlement of each month is the same (same norm); the payment is Tynaarlo's.
    expect(r.months).toEqual(reference.months);
    expect(r.buffer).toEqual({});
    // April is paid on 20 April, before the March statement came in (recorded 20 April, 12:00): a full
    // advance, so its claim (1318.86) joins March's (738.48), offset in May, June and July without a buffer.
    const rows = Object.entries(r.payments).map(([m, p]) => [
      m,
      p.advance,
      p.holidayPayout,
      p.offset,
      p.bufferDraw,
      p.amount,
    ]);
    expect(rows).toEqual([
      ['2027-01', '1938.00', '0.00', '0.00', '0.00', '1938.00'],
      ['2027-02', '1938.00', '0.00', '0.00', '0.00', '1938.00'],
      ['2027-03', '1938.00', '0.00', '0.00', '0.00', '1938.00'],
      ['2027-04', '1938.00', '0.00', '0.00', '0.00', '1938.00'],
      ['2027-05', '1199.52', '0.00', '738.48', '0.00', '461.04'],
      ['2027-06', '1199.52', '269.00', '738.48', '0.00', '730.04'],
      ['2027-07', '1199.52', '0.00', '580.38', '0.00', '619.14'],
      ['2027-08', '1199.52', '0.00', '0.00', '0.00', '1199.52'],
      ['2027-09', '1199.52', '0.00', '0.00', '0.00', '1199.52'],
      ['2027-10', '1199.52', '0.00', '0.00', '0.00', '1199.52'],
      ['2027-11', '1199.52', '0.00', '0.00', '0.00', '1199.52'],
    ]);
    expect(r.ledgerBalance).toBe('0.00');
    expect(r.alerts).toEqual([
      { kind: 'new-income-relationship', month: '2027-03' },
      { kind: 'below-minimum', month: '2027-05', amount: '608.16' },
      { kind: 'below-minimum', month: '2027-06', amount: '339.16' },
      { kind: 'below-minimum', month: '2027-07', amount: '450.06' },
    ]);
    const dates = await paymentRunDates('H-tyn');
    expect(dates['2027-01']).toBe('2027-01-20');
    expect(dates['2027-05']).toBe('2027-05-20');
    expect(dates['2027-11']).toBe('2027-11-20');
  });

  it('Assen pays on the 28th with the bufferbudget, and alerts below the minimum only above € 100.00', async () => {
    const r = await resultOf('H-assen');
    expect(r.months).toEqual(reference.months);
    expect(r.payments).toEqual(reference.payments);
    expect(r.buffer).toEqual({ '2027': { drawn: '1000.00', remaining: '0.00' } });
    // The reference's below-minimum alert of July was € 58.22: not above Assen's threshold.
    expect(r.alerts).toEqual([
      { kind: 'new-income-relationship', month: '2027-03' },
      { kind: 'buffer-exhausted', month: '2027-07' },
    ]);
    const dates = await paymentRunDates('H-assen');
    expect(dates['2027-02']).toBe('2027-02-28');
    expect(dates['2027-05']).toBe('2027-05-28');
  });

  it("every decision names its own municipality's rules version; the night records each, and the summary splits per municipality", async () => {
    const versionsOf = async (id: string) =>
      new Set(
        (await loadHousehold(store, id)).events.flatMap((e) =>
          'rulesVersion' in e.data ? [String(e.data.rulesVersion)] : [],
        ),
      );
    expect([...(await versionsOf('H-aa'))]).toEqual([municipalities.byCode.get('GM1680')!.rulesVersion]);
    expect([...(await versionsOf('H-tyn'))]).toEqual([municipalities.byCode.get('GM1730')!.rulesVersion]);
    expect([...(await versionsOf('H-assen'))]).toEqual([municipalities.byCode.get('GM0106')!.rulesVersion]);
    const night = (await store.readStream(NIGHTLY_RUNS_STREAM)).at(-1)!.data as Record<string, unknown>;
    expect(night).toEqual({
      runDate: '2027-11-30',
      runAt: '2027-11-30T02:00:00Z',
      rulesVersion: municipalities.byCode.get('GM1680')!.rulesVersion,
      defaultMunicipality: 'GM1680',
      rulesVersions: Object.fromEntries(
        ['GM0106', 'GM1680', 'GM1730'].map((c) => [c, municipalities.byCode.get(c)!.rulesVersion]),
      ),
    });
    // The household of a municipality not configured is refused every night, and settled never.
    expect(lastSummary.failures).toEqual([
      {
        householdId: 'H-elsewhere',
        error:
          'municipality GM0014 is not configured in this deployment (MUNICIPALITY_CONFIG has GM0106, GM1680, GM1730)',
      },
    ]);
    expect((await loadHousehold(store, 'H-elsewhere')).events.map((e) => e.type)).toEqual(['CaseOpened']);
    expect(Object.keys(lastSummary.municipalities!)).toEqual(['GM0106', 'GM1680', 'GM1730']);
    expect(lastSummary.municipalities!.GM1730).toMatchObject({
      households: 1,
      rulesVersion: municipalities.byCode.get('GM1730')!.rulesVersion,
    });
  });

  it("replay re-runs each household under its own municipality's rules of then; under the default's it would differ", async () => {
    for (const { id } of HOUSEHOLDS) {
      const { stored, runs, rulesByVersion, municipality } = await loadStoredHousehold(store, id);
      const comparison = replayAsOf(stored, runs, '2027-12-01T00:00:00Z', municipalities.resolve(municipality).ctx, {
        mode: 'then',
        byVersion: rulesByVersion,
      });
      expect(comparison.identical, id).toBe(true);
    }
    // Tynaarlo's household replayed under the default municipality's rules (the night's rulesVersion alone) does not match.
    const { stored, rulesByVersion } = await loadStoredHousehold(store, 'H-tyn');
    const nights = (await store.readStream(NIGHTLY_RUNS_STREAM)).map((e) => {
      const d = e.data as { runDate: string; runAt: string; rulesVersion: string };
      return { runDate: d.runDate, runAt: d.runAt, rulesVersion: d.rulesVersion };
    });
    const wrong = replayAsOf(stored, nights, '2027-12-01T00:00:00Z', municipalities.defaultMunicipality.ctx, {
      mode: 'then',
      byVersion: rulesByVersion,
    });
    expect(wrong.identical).toBe(false);
    expect(
      wrong.differences.some(
        (d) =>
          d.decision.startsWith('payment:2027-05') &&
          d.field === 'runDate' &&
          d.stored === '2027-05-20' &&
          d.recomputed === '2027-05-25',
      ),
    ).toBe(true);
  });

  it("the eindheffing CSV with --municipality lists only that municipality's households", async () => {
    const csv = async (code: string) => {
      const r = await runCli(
        ['buffer', 'report', '--year', '2027', '--municipality', code, '--store', storePath],
        env(),
      );
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    const aa = await csv('GM1680');
    expect(aa.stdout).toBe('\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-aa;2027;1000.00;0.00;2\r\n');
    expect(aa.stderr).toBe('bufferbudget 2027 (GM1680): € 1.000,00 ingezet voor 1 huishouden in 2 keer\n');
    expect((await csv('GM0106')).stdout).toBe(
      '\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-assen;2027;1000.00;0.00;2\r\n',
    );
    expect((await csv('GM1730')).stdout).toBe('\uFEFFhouseholdId;year;drawn;remaining;draws\r\n');
    const all = await runCli(['buffer', 'report', '--year', '2027', '--store', storePath], env());
    expect(all.stdout).toBe(
      '\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-aa;2027;1000.00;0.00;2\r\nH-assen;2027;1000.00;0.00;2\r\n',
    );
    const unknown = await runCli(
      ['buffer', 'report', '--year', '2027', '--municipality', 'GM0014', '--store', storePath],
      env(),
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'error: --municipality: GM0014 is not a municipality of this deployment (MUNICIPALITY_CONFIG has GM0106, GM1680, GM1730)\n',
    );
  });

  it("household list and alerts list filter by --municipality (the default's households included in its own)", async () => {
    const households = async (code: string) => {
      const r = await runCli(['household', 'list', '--municipality', code, '--store', storePath], env());
      expect(r.code, r.stderr).toBe(0);
      return r.stdout
        .split('\n')
        .slice(1)
        .filter((l) => /^H-/.test(l))
        .map((l) => l.split(/\s+/)[0]);
    };
    expect(await households('GM1680')).toEqual(['H-aa']);
    expect(await households('GM1730')).toEqual(['H-tyn']);
    expect(await households('GM0106')).toEqual(['H-assen']);
    const alerts = await runCli(['alerts', 'list', '--municipality', 'GM0106', '--store', storePath], env());
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(
      alerts.stdout
        .split('\n')
        .filter((l) => / H-/.test(l))
        .map((l) => l.split(/\s+/).at(-1))
        .sort(),
    ).toEqual(['H-assen:buffer-exhausted:2027-07', 'H-assen:new-income-relationship:2027-03']);
    expect(alerts.stdout).toContain('\n2 signalen\n');
  });

  it("the workplace filters the inbox and the household list by municipality; documents carry the household's own", async () => {
    const app = await buildWorkplace({
      store,
      // A consultant of all three municipalities (a consultant sees only their own: security.int.test.ts).
      users: testUsers().map((u) =>
        u.role === 'consultant' ? { ...u, municipalities: ['GM0106', 'GM1680', 'GM1730'] } : u,
      ),
      sessionSecret: 'test-secret-test-secret-test-secret',
      contact: CONTACT,
      municipalities,
      now: () => '2027-12-01T09:00:00Z',
      asOf: '2027-12-01T09:00:00Z',
    });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/login',
        payload: { name: 'Karin Klantmanager', password: TEST_PASSWORD },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const alertsOn = (body: string) => [...body.matchAll(/data-alert="([^"]+)"/g)].map((m) => m[1]).sort();
      const tyn = await app.inject({ url: '/inbox?municipality=GM1730&state=all', headers: { cookie } });
      expect(alertsOn(tyn.body)).toEqual([
        'H-tyn:below-minimum:2027-05',
        'H-tyn:below-minimum:2027-06',
        'H-tyn:below-minimum:2027-07',
        'H-tyn:new-income-relationship:2027-03',
      ]);
      expect(tyn.body).toContain('<option value="GM1730" selected>Tynaarlo (GM1730)</option>');
      expect(
        alertsOn((await app.inject({ url: '/inbox?municipality=GM1680&state=all', headers: { cookie } })).body),
      ).toEqual([
        'H-aa:below-minimum:2027-07',
        'H-aa:buffer-exhausted:2027-07',
        'H-aa:new-income-relationship:2027-03',
      ]);
      const households = (await app.inject({ url: '/households?municipality=GM0106', headers: { cookie } })).body;
      expect([...households.matchAll(/href="\/households\/([^"]+)"/g)].map((m) => m[1])).toEqual(['H-assen']);
      const report = await app.inject({ url: '/households/H-tyn/report', headers: { cookie } });
      expect(report.body).toContain('Tynaarlo');
      expect(report.body).not.toContain('Aa en Hunze');
    } finally {
      await app.close();
    }
  });

  it("each municipality's webhook receives its own households' alerts only, signed with its own secret", async () => {
    const routing = alertRoutingFromConfig(
      municipalities,
      {
        ALERT_WEBHOOK_SECRET_GM1680: SECRETS.GM1680,
        ALERT_WEBHOOK_SECRET_GM1730: SECRETS.GM1730,
        ALERT_WEBHOOK_SECRET_GM0106: SECRETS.GM0106,
      },
      logger,
    );
    expect(routing.notifiers.map((n) => n.channel)).toEqual([
      'log',
      'webhook-GM0106',
      'webhook-GM1680',
      'webhook-GM1730',
    ]);
    const dispatcher = new AlertDispatcher(store, routing.notifiers, logger, {
      pollIntervalMs: 50,
      route: routing.route!,
    }).start();
    const service = startAlertService(store, dispatcher, logger);
    const raised = (await store.readAll())
      .filter((e) => e.type === 'AlertRaised')
      .map((e) => String((e.data as { alertId: string }).alertId));
    const own = (id: string) => raised.filter((a) => a.startsWith(`${id}:`)).sort();
    try {
      await service.caughtUp();
      await until(
        async () =>
          receivers.GM1680.accepted.length + receivers.GM1730.accepted.length + receivers.GM0106.accepted.length >=
          raised.length,
        'every alert reached a webhook',
        { timeoutMs: 20_000 },
      );
      await dispatcher.whenIdle();
    } finally {
      await service.stop();
      await dispatcher.close();
    }
    expect([...receivers.GM1680.accepted].sort()).toEqual([
      'H-aa:below-minimum:2027-07',
      'H-aa:buffer-exhausted:2027-07',
      'H-aa:new-income-relationship:2027-03',
    ]);
    expect([...receivers.GM0106.accepted].sort()).toEqual([
      'H-assen:buffer-exhausted:2027-07',
      'H-assen:new-income-relationship:2027-03',
    ]);
    expect([...receivers.GM1730.accepted].sort()).toEqual([
      'H-tyn:below-minimum:2027-05',
      'H-tyn:below-minimum:2027-06',
      'H-tyn:below-minimum:2027-07',
      'H-tyn:new-income-relationship:2027-03',
    ]);
    expect(own('H-tyn')).toEqual([...receivers.GM1730.accepted].sort());
    for (const r of Object.values(receivers)) expect(r.refusedSignatures).toEqual([]);
  });

  it('refuses a deployment whose webhook secret variable is unset, and ALERT_WEBHOOK_URL beside several municipalities', () => {
    expect(() =>
      alertRoutingFromConfig(
        municipalities,
        { ALERT_WEBHOOK_SECRET_GM1680: 'x', ALERT_WEBHOOK_SECRET_GM1730: 'y' },
        logger,
      ),
    ).toThrow(
      'MUNICIPALITY_CONFIG: municipalities.GM0106.alerts.webhookSecretEnv: the environment variable ALERT_WEBHOOK_SECRET_GM0106 is not set (the webhook is signed with it; there is no default secret)',
    );
    expect(() =>
      alertRoutingFromConfig(municipalities, { ...SECRETS, ALERT_WEBHOOK_URL: 'https://all.example' }, logger),
    ).toThrow(/ALERT_WEBHOOK_URL: not used with several municipalities/);
  });
});
