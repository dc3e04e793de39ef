import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { loginAs, workplaceOn, type TestSession } from './support/workplace.js';

/** Huishoudens (the design helper's page of issue #24): search by kenmerk, the sign of the saldo explained. */
let ex: RunExample;
let app: FastifyInstance;
let s: TestSession;

beforeAll(async () => {
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store);
  s = await loginAs(app, 'Olga Bezwaar');
});
afterAll(async () => {
  await app.close();
  await ex.store.close();
});

const get = (url: string) => app.inject({ url, headers: { cookie: s.cookie } });
const rows = (body: string) => [...body.matchAll(/<tr><td><a href="\/households\/([^"]+)">/g)].map((m) => m[1]);

describe('Huishoudens', () => {
  it('finds a household by part of its kenmerk, in any case, and keeps the search in the page links', async () => {
    expect(rows((await get('/households?household=COUP')).body)).toEqual(['H-couple']);
    const none = await get('/households?household=onbekend&size=1');
    expect([rows(none.body), none.body.includes('0 huishoudens.')]).toEqual([[], true]);
    expect(none.body).toContain('<input name="household" type="search" value="onbekend">');
    const long = await get(`/households?household=${'x'.repeat(101)}`);
    expect([
      long.statusCode,
      long.body.includes('Ongeldige waarde voor ‘household’: verwacht ten hoogste 100 tekens.'),
    ]).toEqual([400, true]);
  });

  it('says what the sign of the saldo means', async () => {
    expect((await get('/households')).body).toContain(
      'Saldo: positief is nog te betalen aan het huishouden, negatief is een vordering op het huishouden.',
    );
  });
});
