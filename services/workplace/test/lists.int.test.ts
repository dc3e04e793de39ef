import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { TEST_PASSWORD, workplaceOn } from './support/workplace.js';

let ex: RunExample;
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store);
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    payload: { name: 'Karin Klantmanager', password: TEST_PASSWORD },
  });
  cookie = `workplace_session=${res.cookies.find((c) => c.name === 'workplace_session')!.value}`;
});
afterAll(async () => {
  await app.close();
  await ex.store.close();
});

const get = (url: string) => app.inject({ url, headers: { cookie } });
const alertIds = (body: string) => [...body.matchAll(/data-alert="([^"]+)"/g)].map((m) => m[1]);

describe('paginated, filtered and sorted lists', () => {
  it('pages the inbox with Dutch links that keep the filters', async () => {
    const first = await get('/inbox?size=1');
    expect(first.body).toContain('3 van 3 signalen.');
    expect(alertIds(first.body)).toEqual(['H-couple:below-minimum:2027-07']);
    expect(first.body).toContain(
      '<nav class="pages" aria-label="paginanavigatie"><span>pagina 1 van 3</span> ' +
        '<a rel="next" href="/inbox?size=1&amp;state=open&amp;sort=newest&amp;page=2">Volgende</a></nav>',
    );
    const second = await get('/inbox?size=1&state=open&sort=newest&page=2');
    expect(alertIds(second.body)).toEqual(['H-couple:buffer-exhausted:2027-07']);
    expect(second.body).toContain(
      '<a rel="prev" href="/inbox?size=1&amp;state=open&amp;sort=newest&amp;page=1">Vorige</a>',
    );
    expect(second.body).toContain('<span>pagina 2 van 3</span>');
    // A page past the last shows the last.
    expect(alertIds((await get('/inbox?size=1&page=9')).body)).toEqual(['H-couple:new-income-relationship:2027-03']);
    expect(alertIds((await get('/inbox?sort=oldest')).body)).toEqual([
      'H-couple:new-income-relationship:2027-03',
      'H-couple:buffer-exhausted:2027-07',
      'H-couple:below-minimum:2027-07',
    ]);
    expect(alertIds((await get('/inbox?sort=amount&kind=')).body)[0]).toBe('H-couple:below-minimum:2027-07');
    const kind = await get('/inbox?kind=buffer-exhausted&month=&household=');
    expect(kind.body).toContain('1 van 3 signalen.');
    expect(kind.body).toContain('<span>pagina 1 van 1</span>');
  });

  it('refuses a query it cannot use with 400 naming the field and the rule', async () => {
    for (const [url, message] of [
      ['/inbox?size=101', 'Ongeldige waarde voor ‘size’: verwacht ten hoogste 100 per pagina.'],
      ['/inbox?page=0', 'Ongeldige waarde voor ‘page’: verwacht minstens 1.'],
      ['/inbox?kind=everything', 'Ongeldige waarde voor ‘kind’: verwacht een soort signaal.'],
      ['/inbox?month=2027-13', 'Ongeldige waarde voor ‘month’: verwacht een maand als 2027-07.'],
      ['/households?sort=bsn', 'Ongeldige waarde voor ‘sort’: verwacht registered, id, start, ledger, alerts.'],
      ['/households?municipality=X', 'Ongeldige waarde voor ‘municipality’: verwacht een CBS-code als GM0106.'],
    ]) {
      const res = await get(url!);
      expect([url, res.statusCode]).toEqual([url, 400]);
      expect(res.body).toContain(`<p class="error">${message!.replace(/'/g, '&#39;')}</p>`);
    }
  });

  it('pages and filters the household list by the state of the case', async () => {
    const all = await get('/households?size=1');
    expect(all.body).toContain('1 huishoudens.');
    expect(all.body).toContain('<a href="/households/H-couple">H-couple</a>');
    expect(all.body).toContain('<td class="num">3</td>');
    expect(all.body).toContain('<span>pagina 1 van 1</span>');
    const ended = await get('/households?state=ended');
    expect(ended.body).toContain('0 huishoudens.');
    expect(ended.body).not.toContain('href="/households/H-couple"');
    expect((await get('/households?state=running&sort=ledger')).body).toContain('href="/households/H-couple"');
  });
});
