import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listAlerts } from '@bijstand/alerts';
import { RULES_ACCEPTANCES_STREAM } from '@bijstand/platform';
import { readAccessLog } from '../src/access.js';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { loginAs, TEST_PASSWORD, workplaceOn } from './support/workplace.js';

let ex: RunExample;
let app: FastifyInstance;

beforeAll(async () => {
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store);
});
afterAll(async () => {
  await app.close();
  await ex.store.close();
});

async function login(name: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/login', payload: { name, password } });
  expect(res.statusCode).toBe(303);
  const cookie = res.cookies.find((c) => c.name === 'workplace_session')!;
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe('Strict');
  expect(cookie.secure).toBeFalsy();
  return `workplace_session=${cookie.value}`;
}

describe('the workplace (HTTP, in process)', () => {
  it('asks for a login, refuses a wrong password and a forged cookie, and sends each role to its start page', async () => {
    expect((await app.inject('/inbox')).headers.location).toBe('/login');
    const wrong = await app.inject({
      method: 'POST',
      url: '/login',
      payload: { name: 'Karin Klantmanager', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Naam of wachtwoord klopt niet.');
    const forged = Buffer.from(
      JSON.stringify({ name: 'Karin Klantmanager', role: 'consultant', exp: Date.now() + 1e6 }),
    ).toString('base64url');
    expect(
      (await app.inject({ url: '/inbox', headers: { cookie: `workplace_session=${forged}.AAAA` } })).headers.location,
    ).toBe('/login');
    for (const [name, start] of [
      ['Karin Klantmanager', '/inbox'],
      ['Bram Backoffice', '/backoffice'],
      ['Olga Bezwaar', '/households'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/login', payload: { name, password: TEST_PASSWORD } });
      expect(res.headers.location).toBe(start);
    }
  });

  it('shows the alerts the nightly run decided (no worker ran), filters them, records the session user', async () => {
    const { cookie, csrf } = await loginAs(app, 'Karin Klantmanager');
    const inbox = await app.inject({ url: '/inbox', headers: { cookie } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('3 van 3 signalen.');
    expect(inbox.body).toContain('onder het bestaansminimum');
    expect(inbox.body).toContain('€ 58,22');
    const filtered = await app.inject({
      url: '/inbox?kind=below-minimum&month=2027-07&household=H-couple',
      headers: { cookie },
    });
    expect(filtered.body).toContain('1 van 3 signalen.');
    const ack = await app.inject({
      method: 'POST',
      url: '/alerts/H-couple:below-minimum:2027-07/ack',
      headers: { cookie },
      // A typed name is ignored: the acknowledgement is the logged-in user's.
      payload: { _csrf: csrf, by: 'Someone Else' },
    });
    expect(ack.statusCode).toBe(303);
    expect((await app.inject({ url: '/inbox', headers: { cookie } })).body).toContain('2 van 3 signalen.');
    const done = await app.inject({ url: '/inbox?state=acknowledged', headers: { cookie } });
    expect(done.body).toContain('afgehandeld door Karin Klantmanager');
    expect(done.body).not.toContain('Someone Else');
    // The alerts service sees the same acknowledgement (`cli alerts list`).
    const views = await listAlerts(ex.store);
    expect(views.map((a) => [a.alertId, a.acknowledgedBy ?? null])).toEqual([
      ['H-couple:below-minimum:2027-07', 'Karin Klantmanager'],
    ]);
    const stored = (await ex.store.readStream('alerts')).find((e) => e.type === 'AlertAcknowledged')!;
    expect(stored.data).toEqual({
      alertId: 'H-couple:below-minimum:2027-07',
      by: 'Karin Klantmanager',
      role: 'consultant',
    });
    expect(
      (await app.inject({ method: 'POST', url: '/alerts/nope/ack', headers: { cookie }, payload: { _csrf: csrf } }))
        .statusCode,
    ).toBe(404);
  });

  it('a household page shows members with a masked BSN, the chart and the trace, and every view is recorded without a BSN', async () => {
    const cookie = await login('Karin Klantmanager');
    const page = await app.inject({ url: '/households/H-couple', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('*****2333');
    expect(page.body).not.toMatch(/111222333|123456782/);
    expect(page.body).toContain('<svg class="chart"');
    // The trace in Dutch rows behind "Details": the rule's legal label and Dutch field names, no rule ids or JSON.
    expect(page.body).toContain('<caption>inkomen telt in de maand waarin erover kan worden beschikt (');
    expect(page.body).toContain('<th scope="row">saldo vooraf</th><td>−€ 580,38</td>');
    expect(page.body).not.toMatch(/allocation\.a\.disposalMonth|claimOffset|ledgerBalance=|segments=/);
    expect(page.body).toContain('href="/households/H-couple/report"');
    expect(page.body).toContain('href="/households/H-couple/letter?month=2027-05"');
    const handler = await login('Olga Bezwaar');
    const report = await app.inject({ url: '/households/H-couple/report', headers: { cookie: handler } });
    expect(report.body).toContain('<h1>Dossier voor bezwaar: huishouden H-couple</h1>');
    const letter = await app.inject({ url: '/households/H-couple/letter?month=2027-05', headers: { cookie: handler } });
    expect(letter.body).toContain('Het bufferbudget betaalde €&nbsp;608,16.');
    expect(letter.body).toContain('Ons kenmerk: GM9999-H-couple-202705-1');
    const log = await readAccessLog(ex.store);
    expect(log.map((e) => [e.user, e.role, e.householdId, e.view, e.at])).toEqual([
      ['Karin Klantmanager', 'consultant', 'H-couple', 'household', '2027-12-01T09:00:00Z'],
      ['Olga Bezwaar', 'objection-handler', 'H-couple', 'objection-report', '2027-12-01T09:00:00Z'],
      ['Olga Bezwaar', 'objection-handler', 'H-couple', 'letter', '2027-12-01T09:00:00Z'],
    ]);
    expect(JSON.stringify(log)).not.toMatch(/\d{9}/);
  });

  it('roles: the backoffice sees runs and rejected messages but no household; an objection handler cannot acknowledge', async () => {
    const backoffice = await login('Bram Backoffice');
    const before = (await readAccessLog(ex.store)).length;
    expect((await app.inject({ url: '/households/H-couple', headers: { cookie: backoffice } })).statusCode).toBe(403);
    expect((await readAccessLog(ex.store)).length).toBe(before);
    const page = await app.inject({ url: '/backoffice', headers: { cookie: backoffice } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Laatste nachtruns');
    expect(page.body).toContain('30 november 2027');
    expect(page.body).toContain('Afgewezen berichten (0)');
    expect(page.body).toContain('Wachtrijen: niet beschikbaar, deze werkplek draait zonder Redis');
    expect(page.body).toContain('<h2>Regelwijzigingen</h2><p>Geen.</p>');
    const handler = await loginAs(app, 'Olga Bezwaar');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/alerts/H-couple:buffer-exhausted:2027-07/ack',
          headers: { cookie: handler.cookie },
          payload: { _csrf: handler.csrf },
        })
      ).statusCode,
    ).toBe(403);
    expect((await app.inject({ url: '/households/..%2Fetc', headers: { cookie: handler.cookie } })).statusCode).toBe(
      404,
    );
  });
});

describe('the backoffice page and rules changes', () => {
  it('shows a change a night held back as waiting, and once accepted who accepted it, when and why', async () => {
    const backoffice = await login('Bram Backoffice');
    const change = {
      municipality: 'GM1730',
      previous: 'engine-3.0.0+rules-aaaaaaaaaaaa',
      current: 'engine-3.0.0+rules-bbbbbbbbbbbb',
    };
    await ex.store.append(RULES_ACCEPTANCES_STREAM, [
      {
        eventId: 'waiting:1',
        type: 'RulesChangeWaiting',
        schemaVersion: 1,
        recordedAt: '2028-01-25T01:00:00Z',
        data: { ...change, name: 'Tynaarlo', changes: ['policy.alertThreshold: 0.00 → 25.00'], runDate: '2028-01-25' },
      },
    ]);
    const waiting = (await app.inject({ url: '/backoffice', headers: { cookie: backoffice } })).body;
    expect(waiting).toContain(
      '<tr><td><code>engine-3.0.0+rules-bbbbbbbbbbbb</code></td><td>GM1730</td><td>policy.alertThreshold: 0.00 → 25.00</td><td><strong>wacht op aanvaarding</strong> sinds de nacht van 25 januari 2028',
    );
    await ex.store.append(RULES_ACCEPTANCES_STREAM, [
      {
        eventId: 'accept:1',
        type: 'RulesVersionAccepted',
        schemaVersion: 1,
        recordedAt: '2028-01-25T08:30:00Z',
        data: {
          rulesVersion: change.current,
          acceptedBy: 'J. Bakker',
          reason: 'signalen vanaf € 25',
          acceptedAt: '2028-01-25T08:30:00Z',
          municipalities: { GM1730: change.previous },
          changes: ['policy.alertThreshold: 0.00 → 25.00'],
        },
      },
    ]);
    const accepted = (await app.inject({ url: '/backoffice', headers: { cookie: backoffice } })).body;
    expect(accepted).not.toContain('wacht op aanvaarding');
    expect(accepted).toContain('aanvaard door J. Bakker op 25 januari 2028');
    expect(accepted).toContain(': signalen vanaf € 25</td>');
  });
});
