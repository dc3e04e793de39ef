import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { readAccessLog } from '../src/access.js';
import { PdfBusyError, PdfPrinter } from '../src/objection/pdf.js';
import { runExample, type RunExample } from '../../../packages/cli/test/support/examples.js';
import { loginAs, workplaceOn, type TestSession } from './support/workplace.js';
import { coupleAprilCorrectionLine } from '@bijstand/testkit/statements';

/** The README's what-if line: a lower April wage for the partner (123456782 in the couple example). */
const LOWER_APRIL = coupleAprilCorrectionLine();

let ex: RunExample;
let app: FastifyInstance;
let olga: TestSession;

beforeAll(async () => {
  ex = await runExample('couple-correction');
  app = await workplaceOn(ex.store);
  olga = await loginAs(app, 'Olga Bezwaar');
});
afterAll(async () => {
  await app.close();
  await ex.store.close();
});

/** A multipart form as a browser sends it (the what-if form may carry a file). */
function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer }) {
  const boundary = '----werkplek-test';
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  const head = Buffer.from(parts.join(''));
  const filePart = file
    ? Buffer.concat([
        Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\n` +
            'content-type: application/x-ndjson\r\n\r\n',
        ),
        Buffer.from(file.content),
        Buffer.from('\r\n'),
      ])
    : Buffer.alloc(0);
  return {
    payload: Buffer.concat([head, filePart, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const whatIf = (s: TestSession, fields: Record<string, string>, file?: { name: string; content: string | Buffer }) => {
  const body = multipart({ _csrf: s.csrf, ...fields }, file);
  return app.inject({
    method: 'POST',
    url: '/households/H-couple/report/what-if',
    payload: body.payload,
    headers: { ...body.headers, cookie: s.cookie },
  });
};
const eventCount = async () => (await ex.store.readAll()).length;
const get = (url: string, s = olga) => app.inject({ url, headers: { cookie: s.cookie } });

describe('the objection handler in the workplace (HTTP, in process)', () => {
  it('shows the objection file as of a picked date (end of that day, Amsterdam), with the way back and the PDF link', async () => {
    const page = await get('/households/H-couple/report?asOf=2027-07-31');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Dossier voor bezwaar: huishouden H-couple</h1>');
    expect(page.body).toContain('<input type="date" name="asOf" value="2027-07-31" max="2027-12-01" required>');
    expect(page.body).toContain('<a href="/households/H-couple">Terug naar huishouden H-couple</a>');
    expect(page.body).toContain('href="/households/H-couple/report.pdf?asOf=2027-07-31"');
    expect(page.body).toContain('5 van 7 maanden zijn vastgesteld op 31 juli 2027 om 23:59 uur.');
    // The nights of 1 August and later are not in the file as of 31 July; the whole file has them.
    expect(page.body).not.toContain('<h2>augustus 2027</h2>');
    expect((await get('/households/H-couple/report')).body).toContain('<h2>augustus 2027</h2>');
    expect(page.body).not.toMatch(/<style|\sstyle=/);
    expect(page.headers['content-security-policy']).toContain("style-src 'self';");
  });

  it('refuses a wrong date with the rule, in Dutch, and an unknown query field', async () => {
    for (const url of ['/households/H-couple/report?asOf=2027-02-30', '/households/H-couple/report?month=2027-07']) {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('asOf: een datum JJJJ-MM-DD (het eind van die dag, Europe/Amsterdam)');
    }
  });

  it('a what-if (pasted or uploaded) shows what changes and stores nothing but the access log line', async () => {
    const before = await eventCount();
    const pasted = await whatIf(olga, { asOf: '2027-08-01', facts: LOWER_APRIL });
    expect(pasted.statusCode).toBe(200);
    expect(pasted.body).toContain(
      'Wat als, stand 1 augustus 2027: er is niets vastgelegd.</strong> 1 regel meegenomen.',
    );
    expect(pasted.body).toContain('<h2>Wat als: met de aangeleverde gegevens</h2>');
    expect(pasted.body).toContain('Regel 1: loongegevens m-0021-corr');
    expect(pasted.body).toContain('fiscaal loon €&nbsp;1.450,00');
    // The what-if section comes before the file itself.
    expect(pasted.body.indexOf('Wat als: met de aangeleverde')).toBeLessThan(
      pasted.body.indexOf('<h2>Huishouden</h2>'),
    );
    // The NDJSON does not travel in the page (its BSNs would be masked there): the PDF button carries a key.
    expect(pasted.body).not.toContain('&quot;statement&quot;');
    const draft = /name="draft" value="([^"]+)"/.exec(pasted.body)![1]!;
    const karin = await loginAs(app, 'Karin Klantmanager');
    const other = await whatIf(karin, { asOf: '2027-08-01', draft });
    expect([other.statusCode, other.body.includes('Deze wat-als-berekening is verlopen')]).toEqual([410, true]);
    const uploaded = await whatIf(olga, { asOf: '2027-08-01' }, { name: 'april.ndjson', content: `${LOWER_APRIL}\n` });
    expect(uploaded.statusCode).toBe(200);
    expect(uploaded.body).toContain('Regel 1: loongegevens m-0021-corr');
    // Three views in the access log, nothing else: no household, alert or decision event.
    expect(await eventCount()).toBe(before + 3);
    const log = await readAccessLog(ex.store);
    expect(log.slice(-3).map((e) => [e.user, e.role, e.view])).toEqual([
      ['Olga Bezwaar', 'objection-handler', 'objection-what-if'],
      ['Karin Klantmanager', 'consultant', 'objection-pdf'],
      ['Olga Bezwaar', 'objection-handler', 'objection-what-if'],
    ]);
  });

  it('names a what-if line it does not take and runs the rest', async () => {
    const res = await whatIf(olga, { asOf: '2027-08-01', facts: `{"statement":{}}\n${LOWER_APRIL}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('1 regel meegenomen, 1 niet:');
    expect(res.body).toContain(
      '<li>Regel 1 niet meegenomen. Melding van de controle: <code>statement.messageId: must be a string; bsn:',
    );
    expect(res.body).toContain('Regel 2: loongegevens m-0021-corr');
  });

  it('refuses an empty what-if, one over 1 MB, and one without the CSRF token; nothing stored', async () => {
    const before = await eventCount();
    const empty = await whatIf(olga, { asOf: '2027-08-01', facts: '  ' });
    expect([empty.statusCode, empty.body.includes('er is niets meegegeven')]).toEqual([400, true]);
    const big = await whatIf(
      olga,
      { asOf: '2027-08-01' },
      { name: 'groot.ndjson', content: Buffer.alloc(1024 * 1024 + 1, 'x') },
    );
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('Dit verzoek kan de werkplek niet verwerken.');
    const forged = await whatIf({ ...olga, csrf: 'wrong' }, { asOf: '2027-08-01', facts: LOWER_APRIL });
    expect(forged.statusCode).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('is scoped to the municipalities of the user and closed to the backoffice', async () => {
    const bram = await loginAs(app, 'Bram Backoffice');
    expect((await get('/households/H-couple/report', bram)).statusCode).toBe(403);
    expect((await whatIf(bram, { asOf: '2027-08-01', facts: LOWER_APRIL })).statusCode).toBe(403);
    expect((await get('/households/H-nobody/report.pdf')).statusCode).toBe(404);
    expect((await app.inject('/households/H-couple/report?asOf=2027-07-31')).headers.location).toBe('/login');
  });
});

describe('the PDF printer', () => {
  it('prints one PDF at a time: a second request meanwhile is refused, the next one after is printed', async () => {
    let release!: () => void;
    const printer = new PdfPrinter(() => new Promise((resolve) => (release = () => resolve(Buffer.from('%PDF-1.7')))));
    const first = printer.render({ title: 'a', blocks: [] });
    await expect(printer.render({ title: 'b', blocks: [] })).rejects.toBeInstanceOf(PdfBusyError);
    release();
    expect((await first).toString()).toBe('%PDF-1.7');
    const third = printer.render({ title: 'c', blocks: [] });
    release();
    expect((await third).toString()).toBe('%PDF-1.7');
  });
});
