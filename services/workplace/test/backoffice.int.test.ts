import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { EventStore } from '@bijstand/event-store';
import { Ingestor, listRejected } from '@bijstand/ingest';
import { createLogger, householdStream, loadMunicipalities, REJECTED_HANDLED_STREAM } from '@bijstand/platform';
import { repoRoot, runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { caseOpened, statement, validBsn } from '../../ingest/test/fixtures.js';
import { redisAvailable, startRedis } from '@bijstand/testkit';
import { hashPassword } from '../src/users.js';
import { loginAs, TEST_PASSWORD, testUsers, workplaceOn, type TestSession } from './support/workplace.js';

/**
 * Issue #24, the backoffice acts: a message rejected because its municipality was not configured is retried
 * from the page once the deployment names it, or dismissed with a reason; each action is ingest's event with
 * the logged-in user. The actions need the session's CSRF token and the backoffice role.
 */
const logger = createLogger('test', { level: 'silent' });
const before = loadMunicipalities(join(repoRoot, 'infra', 'config', 'demo-municipality.json'));
const after = loadMunicipalities(join(repoRoot, 'infra', 'config', 'werkplein-drentsche-aa.json'));
const ingestorUnder = (store: EventStore, m: typeof before) =>
  new Ingestor(store, m.defaultMunicipality.ctx, logger, { municipalities: m });
const NOW = '2027-12-01T10:00:00Z';
const BSN = validBsn(41);

let ex: RunExample;
let app: FastifyInstance;
let bram: TestSession;
let gieten: string;
let ansen: string;

beforeAll(async () => {
  ex = await runExample('couple-correction');
  // Under the single-municipality demo file, an opening for GM1730 is rejected (its rules are not configured).
  const ingest = ingestorUnder(ex.store, before);
  const opening = (id: string, bsn: string) =>
    JSON.stringify(caseOpened(id, [bsn], '2027-11-01', { municipality: 'GM1730' }));
  await ingest.ingest({
    kind: 'case',
    payload: opening('H-gieten', BSN),
    recordedAt: '2027-11-20T08:00:00Z',
    source: { type: 'file', name: 'zaken-tynaarlo.ndjson', line: 3 },
  });
  await ingest.ingest({
    kind: 'case',
    payload: opening('H-ansen', validBsn(42)),
    recordedAt: '2027-11-21T08:00:00Z',
    source: { type: 'kafka', topic: 'bijstand.zaken', partition: 0, offset: '17' },
  });
  // The member's wage arrived meanwhile: parked, waiting for a case of its BSN.
  const wage = statement({ messageId: 'M-gieten-1', bsn: BSN, taxableWage: '650.00', withheldTax: '0.00' });
  await ingest.ingest({
    kind: 'statement',
    payload: JSON.stringify(wage),
    recordedAt: '2027-11-22T08:00:00Z',
    source: { type: 'inline', reference: 'test' },
  });
  [gieten, ansen] = (await listRejected(ex.store)).map((r) => r.id) as [string, string];
  const users = [
    ...testUsers(),
    {
      name: 'Bea Backoffice',
      role: 'backoffice' as const,
      passwordHash: hashPassword(TEST_PASSWORD),
      municipalities: ['GM1680'],
    },
  ];
  // The fix: the workplace runs under the shared service's file, which names GM1730.
  app = await workplaceOn(ex.store, NOW, undefined, {
    users,
    municipalities: after,
    ingestor: ingestorUnder(ex.store, after),
  });
  bram = await loginAs(app, 'Bram Backoffice');
});
afterAll(async () => {
  await app?.close();
  await ex?.store.close();
});

const page = async (s: TestSession, url = '/backoffice') => app.inject({ url, headers: { cookie: s.cookie } });
const post = (s: TestSession, url: string, payload: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: { cookie: s.cookie }, payload });
const handled = async () => (await ex.store.readStream(REJECTED_HANDLED_STREAM)).map((e) => e.data);

describe('the backoffice page: rejected and parked messages, in Dutch, with their actions', () => {
  it('shows each message: household, message id, source and reason in Dutch, forms with the token', async () => {
    const body = (await page(bram)).body;
    expect(body).toContain('Afgewezen berichten (2)');
    const block = body.slice(
      body.indexOf(`data-message="${gieten}"`),
      body.indexOf('</article>', body.indexOf(gieten)),
    );
    expect(block).toContain('<h3>zaakgebeurtenis, ontvangen 20 november 2027 om 09:00 uur</h3>');
    expect(block).toContain(`<dt>kenmerk</dt><dd>${gieten}</dd>`);
    expect(block).toContain(
      '<dt>huishouden</dt><dd><a href="/inbox?household=H-gieten&amp;state=all">H-gieten</a></dd>',
    );
    expect(block).toContain('<dt>bron</dt><dd>bestand zaken-tynaarlo.ndjson, regel 3</dd>');
    expect(block).toContain(
      '<dt>reden</dt><dd>De gemeente van deze zaak is niet ingesteld (MUNICIPALITY_CONFIG); stel haar in en ' +
        'verwerk het bericht opnieuw.</dd>',
    );
    expect(block).toContain(`<form class="action" method="post" action="/backoffice/rejected/${gieten}/retry">`);
    expect(block).toContain(`<input type="hidden" name="_csrf" value="${bram.csrf}">`);
    expect(block).toContain('<button type="submit">Opnieuw verwerken</button>');
    expect(block).toContain('<button type="submit">Afwijzen met reden</button>');
    expect(body).toContain('<dt>bron</dt><dd>Kafka bijstand.zaken, partitie 0, positie 17</dd>');
    expect(body).not.toContain('{&quot;type&quot;');
    expect(body).toContain('Geparkeerde berichten (1)');
    expect(body).toContain('<dt>bericht</dt><dd>M-gieten-1</dd>');
    expect(body).toContain('<dt>reden</dt><dd>wacht op een zaak met dit BSN</dd>');
    expect(body).not.toContain(BSN);
    // What a person reads is Dutch: no English word outside code (rule versions, configuration names).
    const text = body
      .replace(/<code>[\s\S]*?<\/code>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/MUNICIPALITY_CONFIG|BSN_PSEUDONYM_KEY/g, ' ');
    const english =
      /\b(the|and|rejected|parked|retry|dismiss|household|reason|source|queue|failed|none|not|run|payday|message)\b/i;
    expect(text.match(english)).toBeNull();
  });

  it('refuses an action without the CSRF token or by a consultant; asks again for a reason', async () => {
    const url = `/backoffice/rejected/${gieten}/retry`;
    const noToken = await post(bram, url, { reason: 'GM1730 is ingesteld' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('Dit formulier komt niet van deze werkplek; er is niets vastgelegd.');
    const karin = await loginAs(app, 'Karin Klantmanager');
    const consultant = await post(karin, url, { _csrf: karin.csrf, reason: 'GM1730 is ingesteld' });
    expect(consultant.statusCode).toBe(403);
    expect(consultant.body).toContain('Uw rol heeft geen toegang tot deze pagina.');
    const empty = await post(bram, `/backoffice/rejected/${ansen}/dismiss`, { _csrf: bram.csrf, reason: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain(
      '<p class="error" role="alert">Vul een reden in: wat is hersteld, of waarom het bericht wordt afgewezen.</p>',
    );
    const long = await post(bram, `/backoffice/rejected/${ansen}/dismiss`, {
      _csrf: bram.csrf,
      reason: 'x'.repeat(501),
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('De reden is te lang: ten hoogste 500 tekens.');
    expect(await handled()).toEqual([]);
  });

  it('a backoffice user of GM1680 neither sees nor acts on a message of GM1730', async () => {
    const bea = await loginAs(app, 'Bea Backoffice');
    const body = (await page(bea)).body;
    expect(body).toContain('Afgewezen berichten (0)');
    expect(body).not.toContain(gieten);
    // The parked wage names no household yet: only the service-wide backoffice sees it.
    expect(body).toContain('Geparkeerde berichten (0)');
    const refused = await post(bea, `/backoffice/rejected/${gieten}/dismiss`, { _csrf: bea.csrf, reason: 'weg' });
    expect(refused.statusCode).toBe(404);
    expect(refused.body).toContain('Geen bericht met dit kenmerk.');
    expect(await handled()).toEqual([]);
  });

  it('retries the fixed message as the session user: recorded, its wage placed, who and when shown', async () => {
    const res = await post(bram, `/backoffice/rejected/${gieten}/retry`, {
      _csrf: bram.csrf,
      reason: 'GM1730 staat nu in MUNICIPALITY_CONFIG',
      // A typed name is ignored: who acts is the session's user.
      by: 'Iemand Anders',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(
      `/backoffice?gedaan=verwerkt&uitkomst=recorded&huishouden=H-gieten&bericht=${gieten}`,
    );
    expect(await handled()).toEqual([
      {
        rejectedEventId: expect.stringMatching(/^rejected:[0-9a-f]{32}$/),
        action: 'retried',
        by: 'Bram Backoffice',
        reason: 'GM1730 staat nu in MUNICIPALITY_CONFIG',
        at: NOW,
        outcome: 'recorded',
        householdId: 'H-gieten',
      },
    ]);
    expect((await ex.store.readStream(householdStream('H-gieten'))).map((e) => e.type)).toEqual([
      'CaseOpened',
      'IncomeStatementRecorded',
    ]);
    const body = (await page(bram, res.headers.location as string)).body;
    expect(body).toContain(
      `<p class="ok" role="status">Bericht ${gieten} opnieuw verwerkt: vastgelegd in huishouden H-gieten.</p>`,
    );
    expect(body).toContain('Afgewezen berichten (1)');
    expect(body).toContain('Geparkeerde berichten (0)');
    expect(body).toContain(
      `<tr data-message="${gieten}"><td>${gieten}</td><td><a ` +
        `href="/inbox?household=H-gieten&amp;state=all">H-gieten</a></td><td>–</td><td>verwerkt</td><td><ul><li>op` +
        `nieuw verwerkt: vastgelegd, door Bram Backoffice op 1 december 2027 om 11:00 uur: GM1730 staat nu in ` +
        `MUNICIPALITY_CONFIG</li></ul></td></tr>`,
    );
    const again = await post(bram, `/backoffice/rejected/${gieten}/retry`, { _csrf: bram.csrf, reason: 'nog eens' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(
      `Afgekeurd bericht ${gieten} is al verwerkt (vastgelegd in huishouden H-gieten) door Bram Backoffice op ` +
        '1 december 2027 om 11:00 uur; een bericht wordt één keer verwerkt. Er is niets veranderd.',
    );
    expect(await handled()).toHaveLength(1);
  });

  it('dismisses a message with a reason; it is closed, with who, when and why', async () => {
    const res = await post(bram, `/backoffice/rejected/${ansen}/dismiss`, {
      _csrf: bram.csrf,
      reason: 'testbericht van de leverancier',
    });
    expect(res.headers.location).toBe(`/backoffice?gedaan=afgewezen&bericht=${ansen}`);
    const body = (await page(bram, res.headers.location as string)).body;
    expect(body).toContain(`<p class="ok" role="status">Bericht ${ansen} afgewezen; het wordt niet verwerkt.</p>`);
    expect(body).toContain('Afgewezen berichten (0)');
    expect(body).toContain(
      '<td>afgewezen</td><td><ul><li>afgewezen, door Bram Backoffice op 1 december 2027 om 11:00 uur: ' +
        'testbericht van de leverancier</li></ul></td>',
    );
    expect((await handled()).at(-1)).toEqual({
      rejectedEventId: expect.stringMatching(/^rejected:/),
      action: 'dismissed',
      by: 'Bram Backoffice',
      reason: 'testbericht van de leverancier',
      at: NOW,
    });
  });
});

describe('the backoffice page: a parked message', () => {
  it('a retry while its case is still missing is refused (the attempt recorded); then it is dismissed', async () => {
    const wage = statement({
      messageId: 'M-zonder-zaak',
      bsn: validBsn(43),
      taxableWage: '100.00',
      withheldTax: '0.00',
    });
    await ingestorUnder(ex.store, after).ingest({
      kind: 'statement',
      payload: JSON.stringify(wage),
      recordedAt: '2027-11-23T08:00:00Z',
      source: { type: 'inline', reference: 'test' },
    });
    const body = (await page(bram)).body;
    expect(body).toContain('Geparkeerde berichten (1)');
    const id =
      /data-message="([0-9a-f-]{14})"><h3>loonopgave, geparkeerd 23 november 2027 om 09:00 uur \(8 dagen\)/.exec(
        body,
      )?.[1];
    expect(id).toBeDefined();
    const waiting = await post(bram, `/backoffice/parked/${id}/retry`, { _csrf: bram.csrf, reason: 'zaak geopend?' });
    expect(waiting.statusCode).toBe(409);
    expect(waiting.body).toContain(
      `<p class="error" role="alert">Geparkeerd bericht ${id} wacht nog: geen zaak heeft dit BSN. ` +
        'Er is niets geplaatst (de poging is vastgelegd).</p>',
    );
    const dismissed = await post(bram, `/backoffice/parked/${id}/dismiss`, {
      _csrf: bram.csrf,
      reason: 'BSN hoort bij een andere gemeente',
    });
    expect(dismissed.headers.location).toBe(`/backoffice?gedaan=afgewezen&bericht=${id}`);
    expect((await page(bram, dismissed.headers.location as string)).body).toContain('Geparkeerde berichten (0)');
    const actions = (await ex.store.readAll())
      .filter((e) => e.type === 'ParkedRetried' || e.type === 'ParkedDismissed')
      .map((e) => [e.type, (e.data as { by: string }).by, (e.data as { reason: string }).reason]);
    expect(actions.slice(-2)).toEqual([
      ['ParkedRetried', 'Bram Backoffice', 'zaak geopend?'],
      ['ParkedDismissed', 'Bram Backoffice', 'BSN hoort bij een andere gemeente'],
    ]);
  });
});

describe('the backoffice page: nights, paydays, queues', () => {
  it('shows the nights in Dutch time and the paydays reconciled to the cent', async () => {
    const body = (await page(bram)).body;
    expect(body).toContain('<tr data-night="2027-11-30"><td>30 november 2027</td><td>om 03:00 uur</td>');
    // Only the municipalities with payments (Assen and Tynaarlo have no household here), the last three months.
    expect([...body.matchAll(/data-payday="([\d-]+)"><h3>([^<]+)<\/h3>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['2027-11-25', 'Aa en Hunze (GM1680), betaaldag 25 november 2027'],
      ['2027-10-25', 'Aa en Hunze (GM1680), betaaldag 25 oktober 2027'],
      ['2027-09-25', 'Aa en Hunze (GM1680), betaaldag 25 september 2027'],
    ]);
    const november = body.slice(body.indexOf('data-payday="2027-11-25"'), body.indexOf('</section>'));
    expect(november).toContain('<p>Nog geen betaalbestand gemaakt.</p>');
    // H-couple's November payment, split between applicant and partner: two transfers, not yet in a file.
    expect(november).toContain(
      '<tr><td>besluiten over november 2027</td><td class="num">2</td><td class="num">€ 1.199,52</td></tr>',
    );
    expect(november).toContain(
      '<tr><td>nog niet in een betaalbestand</td><td class="num">2</td><td class="num">€ 1.199,52</td></tr>',
    );
    expect(november).toContain(
      '<p>Besluiten = betaalbestand + aangehouden + nog niet in een betaalbestand: <span class="ok">klopt</span>.</p>',
    );
  });

  it('/queues without Redis is a Dutch page for the backoffice, refused to a consultant', async () => {
    const res = await page(bram, '/queues');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain(
      '<p class="error" role="alert">De wachtrijen zijn niet beschikbaar: deze werkplek draait zonder Redis.</p>',
    );
    expect((await page(bram, '/queues/api/queues')).statusCode).toBe(404);
    const karin = await loginAs(app, 'Karin Klantmanager');
    expect((await page(karin, '/queues')).statusCode).toBe(403);
  });

  it('/queues with a Redis that does not answer is a Dutch page, not a hang or JSON', async () => {
    const down = await workplaceOn(ex.store, NOW, 'redis://127.0.0.1:1');
    try {
      const s = await loginAs(down, 'Bram Backoffice');
      const res = await down.inject({ url: '/queues', headers: { cookie: s.cookie } });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain(
        '<p class="error" role="alert">De wachtrijen zijn niet beschikbaar: Redis antwoordt niet.</p>',
      );
    } finally {
      await down.close();
    }
  });
});

describe.skipIf(!redisAvailable())('the backoffice with Redis', () => {
  it('/queues is the board of the nightly queue, for the backoffice only', async () => {
    const redis = await startRedis();
    const withRedis = await workplaceOn(ex.store, NOW, redis.url);
    try {
      const s = await loginAs(withRedis, 'Bram Backoffice');
      const board = await withRedis.inject({ url: '/queues', headers: { cookie: s.cookie } });
      expect(board.statusCode).toBe(200);
      expect(board.body).not.toContain('De wachtrijen zijn niet beschikbaar');
      const api = await withRedis.inject({ url: '/queues/api/queues', headers: { cookie: s.cookie } });
      expect(api.statusCode).toBe(200);
      expect((JSON.parse(api.body) as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toEqual([
        'nightly-settlement',
      ]);
      const page = (await withRedis.inject({ url: '/backoffice', headers: { cookie: s.cookie } })).body;
      expect(page).toContain('<a href="/queues">Wachtrijen van de nachtrun</a>');
      const karin = await loginAs(withRedis, 'Karin Klantmanager');
      expect((await withRedis.inject({ url: '/queues', headers: { cookie: karin.cookie } })).statusCode).toBe(403);
    } finally {
      await withRedis.close();
      await redis.stop();
    }
  });
});
