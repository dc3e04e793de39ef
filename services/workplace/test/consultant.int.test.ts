import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { safeReturnPath } from '../src/consultant.js';
import { loginAs, workplaceOn, type TestSession } from './support/workplace.js';

let ex: RunExample;
let app: FastifyInstance;
let s: TestSession;

beforeAll(async () => {
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store);
  s = await loginAs(app, 'Karin Klantmanager');
});
afterAll(async () => {
  await app.close();
  await ex.store.close();
});

const acks = async () =>
  (await ex.store.readStream('alerts')).filter((e) => e.type === 'AlertAcknowledged').map((e) => e.data);

const ack = (alertId: string, fields: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: `/alerts/${encodeURIComponent(alertId)}/ack`,
    headers: { cookie: s.cookie },
    payload: { _csrf: s.csrf, ...fields },
  });

describe('acknowledging with a note, back to the same view (HTTP)', () => {
  it('a note of 501 characters is refused (400, field and rule named, nothing stored); 500 is kept', async () => {
    const long = await ack('H-couple:new-income-relationship:2027-03', { note: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('Ongeldige waarde voor ‘notitie’: verwacht ten hoogste 500 tekens.');
    expect(await acks()).toEqual([]);
    const ok = await ack('H-couple:new-income-relationship:2027-03', {
      note: ` ${'y'.repeat(500)} `,
      returnTo: '/inbox?kind=new-income-relationship&state=open&sort=priority&page=1',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/inbox?kind=new-income-relationship&state=open&sort=priority&page=1');
    expect(await acks()).toEqual([
      {
        alertId: 'H-couple:new-income-relationship:2027-03',
        by: 'Karin Klantmanager',
        role: 'consultant',
        note: 'y'.repeat(500),
      },
    ]);
  });

  it('an outside return address is refused: the consultant lands on /inbox; the confirmation shows once', async () => {
    const res = await ack('H-couple:buffer-exhausted:2027-07', { note: '', returnTo: 'https://evil.example/inbox' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/inbox');
    const flash = res.cookies.find((c) => c.name === 'workplace_flash')!;
    const cookie = `${s.cookie}; workplace_flash=${flash.value}`;
    const first = await app.inject({ url: '/inbox?state=all', headers: { cookie } });
    expect(first.body).toContain('<p class="ok flash" role="status">Signaal afgehandeld.</p>');
    expect(first.cookies.find((c) => c.name === 'workplace_flash')?.value).toBe('');
    const again = await app.inject({ url: '/inbox?state=all', headers: { cookie: s.cookie } });
    expect(again.body).not.toContain('Signaal afgehandeld.');
    // No note given: none stored.
    expect((await acks()).find((a) => (a as { alertId: string }).alertId.includes('buffer'))).toEqual({
      alertId: 'H-couple:buffer-exhausted:2027-07',
      by: 'Karin Klantmanager',
      role: 'consultant',
    });
  });

  it('the return path: only this site, under /inbox or a household page', () => {
    expect(safeReturnPath('/inbox?kind=below-minimum&page=2')).toBe('/inbox?kind=below-minimum&page=2');
    expect(safeReturnPath('/households/H-couple')).toBe('/households/H-couple');
    for (const bad of [
      'https://evil.example/inbox',
      '//evil.example/inbox',
      '/\\evil.example',
      'javascript:alert(1)',
      '/backoffice',
      '/households/H-couple/../../backoffice',
      '/inboxes',
      '',
      undefined,
    ])
      expect(safeReturnPath(bad)).toBe('/inbox');
  });

  it('the household page: July’s line says why, the alert table has a header and Afhandelen coming back here', async () => {
    const page = await app.inject({ url: '/households/H-couple', headers: { cookie: s.cookie } });
    expect(page.body).toContain(
      '<li data-month="2027-07" class="attention">Juli 2027: € 58,22 onder het minimum — de vordering van april ' +
        '(loon partner gecorrigeerd) is verrekend en het bufferbudget van 2027 is op</li>',
    );
    expect(page.body).toContain('<th scope="col">volgende stap</th>');
    expect(page.body).toContain('Overweeg bijzondere bijstand of een betalingsregeling voor de vordering.');
    expect(page.body).toContain('<input type="hidden" name="returnTo" value="/households/H-couple">');
    expect(page.body).toContain('<a class="utrecht-skip-link" href="#inhoud">Naar de inhoud</a>');
  });

  it('the inbox sorts by priority: below the minimum first, by amount', async () => {
    const page = await app.inject({ url: '/inbox?state=all&sort=priority', headers: { cookie: s.cookie } });
    const order = [...page.body.matchAll(/data-alert="([^"]+)"/g)].map((m) => m[1]);
    expect(order[0]).toBe('H-couple:below-minimum:2027-07');
    expect(order).toHaveLength(3);
  });
});
