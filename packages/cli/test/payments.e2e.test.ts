import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { money, sum, fmt } from '@bijstand/domain';
import { openEventStore, type RecordedEvent } from '@bijstand/event-store';
import { ALERTS_STREAM, paymentBatchesStream } from '@bijstand/platform';
import type { PaymentBatchCreatedData } from '@bijstand/payments';
import { bufferReport } from '@bijstand/settlement';
import { xmllintErrors } from '../../sepa/test/xsd.js';
import { root, runCli, startCli, waitForStderr, type CliResult } from './support/cli.js';
import { runCliSession } from './support/session.js';

// The done-when tests of issue #25 on the demo's population (`make run`, fewer synthetic households): one batch
// line per payee share of every PaymentMade, to the cent, valid against the EPC XSD; exactly once across two
// processes and a kill -9; a rejection round trip.

const dir = mkdtempSync(join(tmpdir(), 'cli-payments-'));
const base = join(dir, 'base.sqlite');
const demoConfig = join(root, 'infra', 'config', 'demo-municipality.json');

const cliEnv = { MUNICIPALITY_CONFIG: demoConfig, LOG_LEVEL: 'warn' };
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(['--insecure-dev-key', ...args], { ...cliEnv, ...env });
/** Command lines that succeed, one after the other in one CLI process (support/session.ts): one start, not one each. */
const session = (...commandLines: string[][]) =>
  runCliSession(
    commandLines.map((args) => ({ args: ['--insecure-dev-key', ...args] })),
    cliEnv,
  );

let copies = 0;
/** A copy of the demo's store, so each test starts from the same population. */
function freshStore(): string {
  const path = join(dir, `store-${++copies}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(base + suffix)) copyFileSync(base + suffix, path + suffix);
  return path;
}

async function readStore<T>(path: string, f: (all: RecordedEvent[]) => T): Promise<T> {
  const store = await openEventStore({ kind: 'sqlite', path });
  try {
    return f(await store.readAll());
  } finally {
    await store.close();
  }
}

const batchesOf = (all: RecordedEvent[]) =>
  all
    .filter((e) => e.streamName === paymentBatchesStream(null) && e.type === 'PaymentBatchCreated')
    .map((e) => e.data as PaymentBatchCreatedData);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  const r = await runCli(['--insecure-dev-key', 'demo', '--households', '30', '--store', base], { LOG_LEVEL: 'warn' });
  expect(r.code, r.stderr).toBe(0);
}, 240_000);

describe('payments export over the demo population', () => {
  it('every payee share of every PaymentMade in exactly one batch line, to the cent; files valid', async () => {
    const store = freshStore();
    const paydays = ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08']
      .concat(['2027-09', '2027-10', '2027-11', '2027-12', '2028-01'])
      .map((m) => `${m}-25`);
    // The paydays in order, then the reconciliation of one (read below), in one CLI process.
    const exported = await session(
      ...[
        ...paydays.map((payday) => [
          'payments',
          'export',
          '--payday',
          payday,
          '--out',
          join(dir, `demo-${payday}.xml`),
        ]),
        ['payments', 'reconcile', '--payday', '2027-05-25', '--json'],
        ['payments', 'reconcile', '--payday', '2027-05-25'],
      ].map((args) => [...args, '--store', store]),
    );
    for (const [i, payday] of paydays.entries()) {
      expect(exported[i]!.code, exported[i]!.stderr).toBe(0);
      expect(xmllintErrors(readFileSync(join(dir, `demo-${payday}.xml`), 'utf8'), 'pain.001.001.09')).toBe('');
    }
    const { shares, batches, payments } = await readStore(store, (all) => {
      const payments = all
        .filter((e) => e.type === 'PaymentMade')
        .map((e) => ({
          household: e.streamName,
          ...(e.data as never as {
            month: string;
            runDate: string;
            payees: Record<string, string>;
            bufferDraw: string;
          }),
        }));
      const shares = payments
        .filter((p) => p.month >= '2027-01' && p.month <= '2027-12')
        .flatMap((p) =>
          Object.entries(p.payees)
            .filter(([, amount]) => amount !== '0.00')
            .map(([payee, amount]) => ({
              key: `${p.household.slice('household-'.length)}|${p.month}|${payee}`,
              amount,
            })),
        );
      return { shares, batches: batchesOf(all), payments };
    });
    expect(batches.map((b) => b.payday)).toEqual(paydays);
    const lines = batches.flatMap((b) => b.lines).filter((l) => l.month <= '2027-12');
    expect(batches.flatMap((b) => b.held)).toEqual([]);
    // One line per share, none twice, each with the decided amount.
    const byKey = new Map<string, string[]>();
    for (const l of lines)
      byKey.set(`${l.householdId}|${l.month}|${l.payee}`, [
        ...(byKey.get(`${l.householdId}|${l.month}|${l.payee}`) ?? []),
        l.amount,
      ]);
    expect(shares.length).toBeGreaterThan(200);
    expect([...byKey.values()].every((a) => a.length === 1)).toBe(true);
    expect(Object.fromEntries([...byKey].map(([k, [a]]) => [k, a]))).toEqual(
      Object.fromEntries(shares.map((s) => [s.key, s.amount])),
    );
    // Sums to the cent: the decisions, the lines, and each file's CtrlSum.
    const decided = fmt(
      sum(
        payments
          .filter((p) => p.month >= '2027-01' && p.month <= '2027-12')
          .map((p) => money(p.payees.applicant ?? '0').plus(p.payees.partner ?? '0')),
      ),
    );
    expect(fmt(sum(lines.map((l) => money(l.amount))))).toBe(decided);
    for (const b of batches) {
      const xml = readFileSync(join(dir, `demo-${b.payday}.xml`), 'utf8');
      expect(xml).toContain(`<CtrlSum>${b.totals.amount}</CtrlSum>`);
      expect(xml).toContain(`<NbOfTxs>${b.lines.length}</NbOfTxs>`);
      expect(sha256(join(dir, `demo-${b.payday}.xml`))).toBe(b.fileSha256);
    }
    // The eindheffing report of 2027 and the bufferbudget in the batches agree.
    const opened = await openEventStore({ kind: 'sqlite', path: store });
    const report = await bufferReport(opened, '2027');
    await opened.close();
    expect(Number(report.totals.drawn)).toBeGreaterThan(0);
    expect(fmt(sum(lines.map((l) => money(l.bufferDraw))))).toBe(report.totals.drawn);
    // The reconciliation of a payday agrees, and says so in Dutch.
    const [rec, text] = exported.slice(paydays.length) as [CliResult, CliResult];
    const [row] = JSON.parse(rec.stdout) as [
      { agrees: boolean; decided: { amount: string }; paid: { amount: string }; bufferbudget: { agrees: boolean } },
    ];
    expect(row).toMatchObject({ agrees: true, bufferbudget: { agrees: true } });
    expect(row.paid.amount).toBe(batches.find((b) => b.payday === '2027-05-25')!.totals.amount);
    expect(text.stdout).toContain('besluiten = batch + aangehouden + nog niet in een batch: klopt');
    expect(text.stdout).not.toMatch(/NL\d\d[A-Z]{4}\d/);
  }, 180_000);
});

describe('exactly once', () => {
  it('two exports at once make one batch and the same file', async () => {
    const store = freshStore();
    const [a, b] = await Promise.all(
      ['a', 'b'].map((n) =>
        cli(['payments', 'export', '--payday', '2027-05-25', '--out', join(dir, `race-${n}.xml`), '--store', store]),
      ),
    );
    expect([a!.code, b!.code]).toEqual([0, 0]);
    // One made the batch, the other handed out the recorded one (with the winner's creation instant).
    expect([a!.stderr, b!.stderr].filter((e) => e.includes('al eerder gemaakt'))).toHaveLength(1);
    const batches = await readStore(store, batchesOf);
    expect(batches).toHaveLength(1);
    expect(readFileSync(join(dir, 'race-a.xml'), 'utf8')).toBe(readFileSync(join(dir, 'race-b.xml'), 'utf8'));
    expect(sha256(join(dir, 'race-a.xml'))).toBe(batches[0]!.fileSha256);
  }, 60_000);

  it('kill -9 after the append: no file yet; exporting again hands out the recorded batch, identical', async () => {
    const store = freshStore();
    const out = join(dir, 'killed-after.xml');
    const killed = startCli(
      ['--insecure-dev-key', 'payments', 'export', '--payday', '2027-05-25', '--out', out, '--store', store],
      {
        MUNICIPALITY_CONFIG: demoConfig,
        PAYMENTS_EXPORT_PAUSE: 'after-append',
      },
    );
    await waitForStderr(killed, /paused after-append/);
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('killed-after.xml.partial'))).toEqual([]);
    const [recorded] = await readStore(store, batchesOf);
    const again = await cli(['payments', 'export', '--payday', '2027-05-25', '--out', out, '--store', store]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('al eerder gemaakt');
    expect(sha256(out)).toBe(recorded!.fileSha256);
    expect(readFileSync(out, 'utf8')).toContain(`<CreDtTm>${recorded!.createdAt}</CreDtTm>`);
    // A later payday holds none of its payments again.
    const next = await cli([
      'payments',
      'export',
      '--payday',
      '2027-06-25',
      '--out',
      join(dir, 'killed-next.xml'),
      '--store',
      store,
    ]);
    expect(next.code, next.stderr).toBe(0);
    const batches = await readStore(store, batchesOf);
    const ids = batches.flatMap((b) => b.lines.map((l) => `${l.householdId}|${l.month}|${l.payee}`));
    expect(new Set(ids).size).toBe(ids.length);
  }, 60_000);

  it('kill -9 before the batch is recorded: no batch, no file; the next export makes the whole batch', async () => {
    const store = freshStore();
    const out = join(dir, 'killed-before.xml');
    const killed = startCli(
      ['--insecure-dev-key', 'payments', 'export', '--payday', '2027-05-25', '--out', out, '--store', store],
      {
        MUNICIPALITY_CONFIG: demoConfig,
        PAYMENTS_EXPORT_PAUSE: 'before-append',
      },
    );
    await waitForStderr(killed, /paused before-append/);
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(existsSync(out)).toBe(false);
    expect(await readStore(store, batchesOf)).toEqual([]);
    const again = await cli(['payments', 'export', '--payday', '2027-05-25', '--out', out, '--store', store]);
    expect(again.code, again.stderr).toBe(0);
    const batches = await readStore(store, batchesOf);
    expect(batches).toHaveLength(1);
    expect(sha256(out)).toBe(batches[0]!.fileSha256);
  }, 60_000);
});

const transaction = (endToEndId: string, code: string) =>
  `<TxInfAndSts><OrgnlEndToEndId>${endToEndId}</OrgnlEndToEndId><TxSts>RJCT</TxSts>` +
  `<StsRsnInf><Rsn><Cd>${code}</Cd></Rsn></StsRsnInf></TxInfAndSts>`;

const pain002 = (messageId: string, rejected: { endToEndId: string; code: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2027-05-26T07:00:00Z</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>BIJ-2027-05-25</OrgnlMsgId>
<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>BIJ-2027-05-25</OrgnlPmtInfId>
${rejected.map((r) => transaction(r.endToEndId, r.code)).join('\n')}
</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
`;

describe('a rejection round trip', () => {
  it('rejected → alert → account corrected → paid once in the next batch; imported twice: same', async () => {
    const store = freshStore();
    const export_ = (payday: string) =>
      cli(['payments', 'export', '--payday', payday, '--out', join(dir, `trip-${payday}.xml`), '--store', store]);
    expect((await export_('2027-05-25')).code).toBe(0);
    const [may] = await readStore(store, batchesOf);
    const line = may!.lines[0]!;
    const bankFile = join(dir, 'pain002.xml');
    writeFileSync(bankFile, pain002('STS-0001', [{ endToEndId: line.endToEndId, code: 'AC04' }]));

    // The bank's file imported twice and the alerts listed: one CLI process.
    const [first, twice, alerts] = (await session(
      ['payments', 'import', bankFile, '--store', store],
      ['payments', 'import', bankFile, '--store', store],
      ['alerts', 'list', '--kind', 'payment-failed', '--store', store],
    )) as [CliResult, CliResult, CliResult];
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('pain.002 STS-0001: 1 betalingen mislukt');
    expect(first.stdout).toContain(`${line.householdId} `);
    expect(first.stdout).toContain('AC04 rekening opgeheven');
    expect(twice.stdout).toContain('0 betalingen mislukt (signaal naar de klantmanager), 1 al bekend');
    expect(alerts.stdout).toContain(line.householdId);
    const alertEvents = await readStore(store, (all) =>
      all.filter((e) => e.streamName === ALERTS_STREAM && e.type === 'AlertRecorded'),
    );
    expect(alertEvents.map((e) => (e.data as { reason: string }).reason)).toEqual([
      expect.stringMatching(
        /^De bank heeft de betaling van € [\d.]+,\d\d \(Bijstand mei 2027, (aanvrager|partner)\) geweigerd: AC04 /,
      ),
    ]);

    // Without a corrected account the share is held at the next payday, not paid.
    expect((await export_('2027-06-25')).code).toBe(0);
    let batches = await readStore(store, batchesOf);
    expect(batches[1]!.held).toEqual([
      {
        householdId: line.householdId,
        month: '2027-05',
        payee: line.payee,
        amount: line.amount,
        bufferDraw: line.bufferDraw,
        reason: 'failed-account-not-corrected',
      },
    ]);

    // The benefit administration records the corrected account; the next batch pays the share, once.
    const bsn = await readStore(store, (all) => {
      const opened = all.find((e) => e.type === 'CaseOpened' && e.streamName === `household-${line.householdId}`)!;
      return (opened.data as { members: { bsn: string; role: string }[] }).members.find((m) => m.role === line.payee)!
        .bsn;
    });
    const accountFile = join(dir, 'account.ndjson');
    writeFileSync(
      accountFile,
      `${JSON.stringify({
        ...{ type: 'PaymentAccountRecorded', householdId: line.householdId, bsn },
        ...{ iban: 'NL91ABNA0417164300', holder: 'A. Nieuw', from: '2027-06-01' },
      })}\n`,
    );
    // The account ingested, two paydays exported and the first one reconciled (read below): one CLI process.
    const tripOut = (payday: string) => ['--out', join(dir, `trip-${payday}.xml`)];
    const [ingested, july, august, rec] = (await session(
      ['ingest', '--file', accountFile, '--kind', 'case', '--store', store],
      ['payments', 'export', '--payday', '2027-07-25', ...tripOut('2027-07-25'), '--store', store],
      ['payments', 'export', '--payday', '2027-08-25', ...tripOut('2027-08-25'), '--store', store],
      ['payments', 'reconcile', '--payday', '2027-05-25', '--store', store, '--json'],
    )) as [CliResult, CliResult, CliResult, CliResult];
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(july.code).toBe(0);
    expect(august.code).toBe(0);
    batches = await readStore(store, batchesOf);
    const repaid = batches.flatMap((b) =>
      b.lines.filter((l) => l.householdId === line.householdId && l.month === '2027-05' && l.payee === line.payee),
    );
    expect(repaid.map((l) => [l.attempt, l.amount, l.creditorIban])).toEqual([
      [1, line.amount, line.creditorIban],
      [2, line.amount, 'NL91ABNA0417164300'],
    ]);
    expect(batches[2]!.lines.filter((l) => l.month === '2027-05')).toHaveLength(1);
    expect(JSON.parse(rec.stdout)[0].failed).toEqual({ count: 1, amount: line.amount });
  }, 120_000);
});
