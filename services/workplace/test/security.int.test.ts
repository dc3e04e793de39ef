import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { EventStore } from '@bijstand/event-store';
import { loadMunicipalities } from '@bijstand/platform';
import { readAccessLog, readAccessRefusals } from '../src/access.js';
import { hashPassword } from '../src/users.js';
import { repoRoot, runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { loginAs, TEST_PASSWORD, testUsers, workplaceOn, type TestSession } from './support/workplace.js';

/**
 * The workplace on a municipal network (issue #22, security): sessions that end, CSRF, login throttling,
 * users scoped to their municipalities, headers, and error pages. Each `it` fails on the workplace before.
 */
let ex: RunExample;
let t: number;
const clock = () => t;
const MIN = 60_000;

/** A Tynaarlo (GM1730) household next to H-couple (no code: the shared service's default, GM1680). */
async function addTynaarloHousehold(store: EventStore): Promise<void> {
  const events = await store.readStream('household-H-couple');
  await store.append(
    'household-H-tyn',
    events.map((e) => {
      const copy = JSON.parse(JSON.stringify(e).replaceAll('H-couple', 'H-tyn')) as typeof e;
      if (copy.type === 'CaseOpened') (copy.data as { municipality?: string }).municipality = 'GM1730';
      const { eventId, type, schemaVersion, recordedAt, data, metadata } = copy;
      return { eventId, type, schemaVersion, recordedAt, data, metadata };
    }),
  );
}

const users = () => [
  ...testUsers(),
  {
    name: 'Tom Tynaarlo',
    role: 'consultant' as const,
    passwordHash: hashPassword(TEST_PASSWORD),
    municipalities: ['GM1730'],
  },
];

beforeAll(async () => {
  ex = await runExample('couple-correction');
  await addTynaarloHousehold(ex.store);
});
afterAll(async () => {
  await ex.store.close();
});

async function workplace(more: Parameters<typeof workplaceOn>[3] = {}): Promise<FastifyInstance> {
  t = Date.parse('2027-12-01T09:00:00Z');
  return workplaceOn(ex.store, '2027-12-01T09:00:00Z', undefined, { clock, users: users(), ...more });
}

const get = (app: FastifyInstance, url: string, s?: TestSession) =>
  app.inject({ url, ...(s ? { headers: { cookie: s.cookie } } : {}) });

const acknowledgements = async () =>
  (await ex.store.readStream('alerts')).filter((e) => e.type === 'AlertAcknowledged').map((e) => e.data);

describe('sessions end: logout, idle and absolute timeouts, a new id at login', () => {
  let app: FastifyInstance;
  beforeAll(async () => (app = await workplace()));
  afterAll(async () => app.close());

  it('after logout the old cookie gets the login page', async () => {
    const s = await loginAs(app, 'Karin Klantmanager');
    expect((await get(app, '/inbox', s)).statusCode).toBe(200);
    const out = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: s.cookie },
      payload: { _csrf: s.csrf },
    });
    expect([out.statusCode, out.headers.location]).toEqual([303, '/login']);
    const again = await get(app, '/inbox', s);
    expect([again.statusCode, again.headers.location]).toEqual([303, '/login']);
  });

  it('a session unused for 30 minutes ends; one in use ends 8 hours after login', async () => {
    const idle = await loginAs(app, 'Karin Klantmanager');
    t += 29 * MIN;
    expect((await get(app, '/inbox', idle)).statusCode).toBe(200);
    t += 29 * MIN; // 58 minutes after login, 29 after the last use
    expect((await get(app, '/inbox', idle)).statusCode).toBe(200);
    t += 30 * MIN;
    expect((await get(app, '/inbox', idle)).headers.location).toBe('/login');

    const busy = await loginAs(app, 'Karin Klantmanager');
    for (let used = 0; used < 8 * 60 - 20; used += 20) {
      t += 20 * MIN;
      expect((await get(app, '/inbox', busy)).statusCode).toBe(200);
    }
    t += 20 * MIN; // 8 hours after login
    expect((await get(app, '/inbox', busy)).headers.location).toBe('/login');
  });

  it('each login gets a new session id; logging in again ends the session the browser had', async () => {
    const first = await loginAs(app, 'Karin Klantmanager');
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: first.cookie },
      payload: { name: 'Karin Klantmanager', password: TEST_PASSWORD },
    });
    const second = `workplace_session=${res.cookies.find((c) => c.name === 'workplace_session')!.value}`;
    expect(second).not.toBe(first.cookie);
    expect((await get(app, '/inbox', first)).headers.location).toBe('/login');
    expect((await app.inject({ url: '/inbox', headers: { cookie: second } })).statusCode).toBe(200);
  });

  it('a cookie signed with the secret but naming no session (a forged or an old-style one) is no login', async () => {
    const forged = app.signCookie(
      Buffer.from(JSON.stringify({ name: 'Bram Backoffice', role: 'backoffice', exp: t + 1e9 })).toString('base64url'),
    );
    expect(
      (await app.inject({ url: '/backoffice', headers: { cookie: `workplace_session=${forged}` } })).headers.location,
    ).toBe('/login');
  });
});

describe('CSRF: a state-changing form needs the session token and this origin', () => {
  let app: FastifyInstance;
  beforeAll(async () => (app = await workplace()));
  afterAll(async () => app.close());

  it("acknowledging without the token, with another session's, or from elsewhere: 403, nothing stored", async () => {
    const s = await loginAs(app, 'Karin Klantmanager');
    const other = await loginAs(app, 'Karin Klantmanager');
    const url = '/alerts/H-couple:buffer-exhausted:2027-07/ack';
    const before = await acknowledgements();
    for (const [payload, origin] of [
      [{}, undefined],
      [{ by: 'csrf-attacker' }, undefined],
      [{ _csrf: other.csrf }, undefined],
      [{ _csrf: s.csrf }, 'http://localhost:9999'],
      [{ _csrf: s.csrf }, 'http://127.0.0.1:9999'],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { cookie: s.cookie, ...(origin ? { origin } : {}) },
        payload,
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Dit formulier komt niet van deze werkplek; er is niets vastgelegd.');
    }
    expect(await acknowledgements()).toEqual(before);
    // The logout form is a form too: without the token the session stays.
    expect((await app.inject({ method: 'POST', url: '/logout', headers: { cookie: s.cookie } })).statusCode).toBe(403);
    expect((await get(app, '/inbox', s)).statusCode).toBe(200);
    // The workplace's own form (same origin, the token) works, and records the session's user and role.
    const ok = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, origin: 'http://localhost:80', host: 'localhost:80' },
      payload: { _csrf: s.csrf, by: 'csrf-attacker' },
    });
    expect(ok.statusCode).toBe(303);
    expect((await acknowledgements()).at(-1)).toEqual({
      alertId: 'H-couple:buffer-exhausted:2027-07',
      by: 'Karin Klantmanager',
      role: 'consultant',
    });
  });

  it('the forms carry the token and no typed name', async () => {
    const s = await loginAs(app, 'Karin Klantmanager');
    const inbox = (await get(app, '/inbox', s)).body;
    expect(inbox).not.toContain('name="by"');
    const forms = inbox.match(/<form[^>]*method="post"[\s\S]*?<\/form>/g)!;
    expect(forms.length).toBeGreaterThan(1);
    for (const form of forms) expect(form).toContain(`<input type="hidden" name="_csrf" value="${s.csrf}">`);
  });
});

describe('login throttling per user name and per address', () => {
  let app: FastifyInstance;
  beforeAll(async () => (app = await workplace()));
  afterAll(async () => app.close());

  const attempt = (name: string, password: string, remoteAddress = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/login', payload: { name, password }, remoteAddress });

  it('the 6th wrong password in a minute: 429 + Retry-After, even for the right one; lockouts back off', async () => {
    for (let i = 1; i <= 5; i++) expect((await attempt('Karin Klantmanager', `wrong-${i}`)).statusCode).toBe(401);
    const sixth = await attempt('Karin Klantmanager', 'wrong-6');
    expect([sixth.statusCode, sixth.headers['retry-after']]).toEqual([429, '60']);
    expect(sixth.body).toContain('Te veel mislukte pogingen. Probeer het over 60 seconden opnieuw.');
    // The name is locked whatever the address, and the right password waits too.
    expect((await attempt('Karin Klantmanager', TEST_PASSWORD, '10.0.0.2')).statusCode).toBe(429);
    t += 30_000;
    expect((await attempt('Karin Klantmanager', TEST_PASSWORD)).headers['retry-after']).toBe('30');
    t += 30_000;
    // The lockout is over; five more wrong ones, and the second lockout of the day lasts twice as long.
    for (let i = 1; i <= 5; i++) expect((await attempt('Karin Klantmanager', `again-${i}`)).statusCode).toBe(401);
    expect((await attempt('Karin Klantmanager', TEST_PASSWORD)).headers['retry-after']).toBe('120');
    t += 120_000;
    expect((await attempt('Karin Klantmanager', TEST_PASSWORD)).statusCode).toBe(303);
    // A successful login reset the name's counter and its back-off.
    for (let i = 1; i <= 5; i++) expect((await attempt('Karin Klantmanager', `later-${i}`)).statusCode).toBe(401);
    expect((await attempt('Karin Klantmanager', 'x')).headers['retry-after']).toBe('60');
  });

  it('one address trying many names is locked after 30 wrong passwords within a minute', async () => {
    for (let i = 1; i <= 30; i++) expect((await attempt(`user-${i}`, 'wrong', '10.9.9.9')).statusCode).toBe(401);
    expect((await attempt('Olga Bezwaar', TEST_PASSWORD, '10.9.9.9')).statusCode).toBe(429);
    expect((await attempt('Olga Bezwaar', TEST_PASSWORD, '10.9.9.8')).statusCode).toBe(303);
  });
});

describe('users belong to municipalities (the shared service of Aa en Hunze, Tynaarlo and Assen)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await workplace({
      municipalities: loadMunicipalities(join(repoRoot, 'infra', 'config', 'werkplein-drentsche-aa.json')),
    });
  });
  afterAll(async () => app.close());

  it('a consultant of GM1680 gets 404 for a GM1730 household (as for an unknown one), refusal logged', async () => {
    const karin = await loginAs(app, 'Karin Klantmanager');
    const views = (await readAccessLog(ex.store)).length;
    const unknown = await get(app, '/households/H-nobody', karin);
    for (const url of ['/households/H-tyn', '/households/H-tyn/report', '/households/H-tyn/letter?month=2027-05']) {
      const res = await get(app, url, karin);
      expect([url, res.statusCode, res.body]).toEqual([url, 404, unknown.body]);
    }
    expect((await get(app, '/households/H-couple', karin)).statusCode).toBe(200);
    expect((await readAccessLog(ex.store)).length).toBe(views + 1);
    // A BSN typed into the URL: unknown, and not written anywhere.
    const typed = await get(app, '/households/H-123456789', karin);
    expect([typed.statusCode, typed.body]).toEqual([404, unknown.body]);
    const refusals = await readAccessRefusals(ex.store);
    expect(refusals.map((r) => [r.user, r.role, r.householdId, r.view, r.reason])).toEqual([
      ['Karin Klantmanager', 'consultant', 'H-tyn', 'household', 'other-municipality'],
      ['Karin Klantmanager', 'consultant', 'H-tyn', 'objection-report', 'other-municipality'],
      ['Karin Klantmanager', 'consultant', 'H-tyn', 'letter', 'other-municipality'],
    ]);
    expect(JSON.stringify(refusals)).not.toMatch(/\d{9}/);
  });

  it("lists show only the user's municipalities; acknowledging another municipality's alert is 404", async () => {
    const karin = await loginAs(app, 'Karin Klantmanager');
    const inbox = (await get(app, '/inbox?state=all', karin)).body;
    expect(inbox).toContain('3 van 3 signalen.');
    expect(inbox).not.toContain('H-tyn');
    expect((await get(app, '/inbox?state=all&municipality=GM1730', karin)).body).toContain('0 van 3 signalen.');
    // The municipality filter offers only the user's own.
    expect(inbox).toContain('<option value="GM1680">Aa en Hunze (GM1680)</option>');
    expect(inbox).not.toContain('GM1730');
    const households = (await get(app, '/households', karin)).body;
    expect(households).toContain('href="/households/H-couple"');
    expect(households).not.toContain('H-tyn');
    const before = await acknowledgements();
    const ack = await app.inject({
      method: 'POST',
      url: '/alerts/H-tyn:below-minimum:2027-07/ack',
      headers: { cookie: karin.cookie },
      payload: { _csrf: karin.csrf },
    });
    expect(ack.statusCode).toBe(404);
    expect(await acknowledgements()).toEqual(before);
    expect((await readAccessRefusals(ex.store)).at(-1)).toMatchObject({
      user: 'Karin Klantmanager',
      householdId: 'H-tyn',
      view: 'acknowledge',
      reason: 'other-municipality',
    });

    const tom = await loginAs(app, 'Tom Tynaarlo');
    expect((await get(app, '/households/H-tyn', tom)).statusCode).toBe(200);
    expect((await get(app, '/households/H-couple', tom)).statusCode).toBe(404);
    expect((await get(app, '/inbox?state=all', tom)).body).toContain('3 van 3 signalen.');
    // The backoffice, without municipalities, runs the whole service: every municipality's inbox.
    const bram = await loginAs(app, 'Bram Backoffice');
    expect((await get(app, '/inbox?state=all', bram)).body).toContain('6 van 6 signalen.');
  });
});

describe('headers, styles and error pages', () => {
  it('a Content-Security-Policy without inline script or style; a document keeps its own style by hash', async () => {
    const app = await workplace();
    const s = await loginAs(app, 'Olga Bezwaar');
    const page = await get(app, '/households/H-couple', s);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(page.body).toContain('<link rel="stylesheet" href="/workplace.css">');
    const css = await app.inject('/workplace.css');
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.body).toContain('.utrecht-page-header{background:#154273');
    const design = await app.inject('/assets/utrecht.css');
    expect([design.statusCode, design.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(design.body).toContain('.utrecht-theme {');
    expect(design.headers['cache-control']).toBe('public, max-age=3600');
    // The objection file is a workplace page now (its tables scroll in their own box): no <style> block either.
    const report = await get(app, '/households/H-couple/report', s);
    expect(report.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(report.headers['content-security-policy']).toBe(csp);
    const letter = await get(app, '/households/H-couple/letter?month=2027-05', s);
    const style = /<style>([\s\S]*?)<\/style>/.exec(letter.body)![1]!;
    const { createHash } = await import('node:crypto');
    expect(letter.headers['content-security-policy']).toContain(
      `style-src 'self' 'sha256-${createHash('sha256').update(style).digest('base64')}';`,
    );
    expect(page.headers['strict-transport-security']).toBeUndefined();
    await app.close();
  });

  it('behind TLS: the session cookie is Secure and every answer has HSTS', async () => {
    const app = await workplace({ behindTls: true });
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      payload: { name: 'Karin Klantmanager', password: TEST_PASSWORD },
    });
    expect(res.cookies.find((c) => c.name === 'workplace_session')!.secure).toBe(true);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect((await app.inject('/login')).headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    // The browser's origin is https (the proxy ends TLS): the workplace's own form is accepted, plain http is not.
    const s = await loginAs(app, 'Karin Klantmanager');
    const logout = (origin: string) =>
      app.inject({
        method: 'POST',
        url: '/logout',
        headers: { cookie: s.cookie, origin, host: 'werkplek.example' },
        payload: { _csrf: s.csrf },
      });
    expect((await logout('http://werkplek.example')).statusCode).toBe(403);
    expect((await logout('https://werkplek.example')).statusCode).toBe(303);
    await app.close();
  });

  it('an internal error (a full disk) is a Dutch page with a kenmerk; the detail goes to the log, masked', async () => {
    const lines: string[] = [];
    let full = false;
    const store = new Proxy(ex.store, {
      get(target, p) {
        if (full && (p === 'listStreams' || p === 'readAll'))
          return async () => {
            throw new Error('SQLITE_FULL: database or disk is full (household-123456789)');
          };
        const v = Reflect.get(target, p) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const app = await workplaceOn(store, '2027-12-01T09:00:00Z', undefined, { log: (l) => lines.push(l) });
    const s = await loginAs(app, 'Karin Klantmanager');
    full = true;
    const res = await get(app, '/inbox', s);
    expect([res.statusCode, res.headers['content-type']]).toEqual([500, 'text/html; charset=utf-8']);
    expect(res.body).not.toMatch(/SQLITE|"statusCode"|\{"/);
    const reference = /kenmerk <strong>([0-9A-F]{8})<\/strong>/.exec(res.body)![1]!;
    expect(res.body).toContain('Er ging iets mis in de werkplek.');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `workplace error ${reference} on GET /inbox: Error: SQLITE_FULL: database or disk is full`,
    );
    expect(lines[0]).toContain('household-*****6789');
    expect(lines[0]).not.toContain('123456789');
    // An unknown path: a Dutch page too, not fastify's JSON.
    const missing = await app.inject('/nope');
    expect([missing.statusCode, missing.headers['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
    expect(missing.body).toContain('Deze pagina bestaat niet.');
    await app.close();
  });
});
