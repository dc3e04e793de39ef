import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openEventStore, type EventStore } from '@bijstand/event-store';
import {
  createLogger,
  householdStream,
  loadMunicipalities,
  parkedStream,
  REJECTED_HANDLED_STREAM,
  REJECTED_STREAM,
} from '@bijstand/platform';
import {
  ActionRefusedError,
  dismissParked,
  dismissRejected,
  Ingestor,
  InvalidActionError,
  listParked,
  listRejected,
  retryParked,
  retryRejected,
  UnknownMessageError,
} from '../src/index.js';
import { caseOpened, msg, statement, validBsn } from './fixtures.js';

/**
 * Issue #24: the backoffice acts on what ingest could not place. A rejected message is retried after its
 * cause was fixed (here: the deployment names its municipality now) or dismissed; a parked one is placed
 * once its case is open, or dismissed. Each action is an event with who, why and when; a message is
 * processed once.
 */
const logger = createLogger('test', { level: 'silent' });
const root = join(import.meta.dirname, '..', '..', '..');
/** Before the fix: a deployment of one municipality that names no CBS code. After: the shared service's three. */
const before = loadMunicipalities(join(root, 'infra', 'config', 'demo-municipality.json'));
const after = loadMunicipalities(join(root, 'infra', 'config', 'werkplein-drentsche-aa.json'));
const ingestorUnder = (store: EventStore, m: typeof before) =>
  new Ingestor(store, m.defaultMunicipality.ctx, logger, { municipalities: m });
const BEA = { by: 'Bea Backoffice', reason: 'GM1730 staat nu in MUNICIPALITY_CONFIG', at: '2027-02-03T10:00:00Z' };
const BSN = validBsn(41);
const UNKNOWN_MUNICIPALITY =
  'municipality: GM1730 is not named by this deployment (MUNICIPALITY_CONFIG is the single-municipality file of ' +
  'Voorbeeldstad (demo), which names no CBS code; a deployment file with "municipalities" names them by code); ' +
  "it would be settled under another municipality's rules (Pw art. 40)";

async function rejectedOpening(over: Record<string, unknown> = {}) {
  const store = await openEventStore({ kind: 'memory' });
  const opening = caseOpened('H-gieten', [BSN], '2027-01-01', { municipality: 'GM1730', ...over });
  const outcome = await ingestorUnder(store, before).ingest(msg('case', opening, '2027-02-01T09:00:00Z'));
  const [item] = await listRejected(store);
  return { store, outcome, item: item! };
}

describe('a rejected message: retried after the fix, or dismissed', () => {
  it('rejected for its municipality, the municipality configured, retried: stored with who, why and when', async () => {
    const { store, outcome, item } = await rejectedOpening();
    expect(outcome).toEqual({ status: 'rejected', reason: UNKNOWN_MUNICIPALITY });
    // The member's wage arrived meanwhile: parked, waiting for a case of its BSN.
    const wage = statement({ messageId: 'M-gieten-1', bsn: BSN, taxableWage: '650.00', withheldTax: '0.00' });
    expect(await ingestorUnder(store, before).ingest(msg('statement', wage, '2027-02-02T09:00:00Z'))).toEqual({
      status: 'parked',
    });
    const [rejection] = await store.readStream(REJECTED_STREAM);
    const hex = rejection!.eventId.replace('rejected:', '');
    expect(item).toEqual({
      id: `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`,
      kind: 'case',
      rejectedAt: '2027-02-01T09:00:00Z',
      source: 'ingevoerd (fixture-1)',
      householdId: 'H-gieten',
      messageId: null,
      reason: UNKNOWN_MUNICIPALITY,
      rule: 'unknown-municipality',
      reasonNl:
        'De gemeente van deze zaak is niet ingesteld (MUNICIPALITY_CONFIG); ' +
        'stel haar in en verwerk het bericht opnieuw.',
      status: 'open',
      handling: [],
    });

    const retried = await retryRejected(store, ingestorUnder(store, after), item.id, BEA);
    expect(retried.outcome).toEqual({ status: 'recorded', householdId: 'H-gieten', appended: 1 });
    // The opening stored, and the wage that waited for it placed with it.
    expect((await store.readStream(householdStream('H-gieten'))).map((e) => e.type)).toEqual([
      'CaseOpened',
      'IncomeStatementRecorded',
    ]);
    expect(await listParked(store, '2027-02-03T10:00:00Z')).toEqual([]);
    expect(
      (await store.readStream(REJECTED_HANDLED_STREAM)).map((e) => [e.eventId, e.type, e.recordedAt, e.data]),
    ).toEqual([
      [
        `retried:${hex}`,
        'RejectedMessageRetried',
        '2027-02-03T10:00:00Z',
        {
          rejectedEventId: rejection!.eventId,
          action: 'retried',
          ...BEA,
          outcome: 'recorded',
          householdId: 'H-gieten',
        },
      ],
    ]);
    expect(await listRejected(store)).toEqual([]);
    expect((await listRejected(store, { open: false })).map((r) => [r.id, r.status])).toEqual([[item.id, 'processed']]);

    // Never twice: a second retry is refused and changes nothing.
    const events = (await store.readAll()).length;
    const again = retryRejected(store, ingestorUnder(store, after), item.id, { ...BEA, at: '2027-02-04T10:00:00Z' });
    await expect(again).rejects.toThrow(ActionRefusedError);
    await expect(again).rejects.toThrow(
      `afgekeurd bericht ${item.id} is al verwerkt (vastgelegd in huishouden H-gieten) door Bea Backoffice op ` +
        '2027-02-03T10:00:00Z; een bericht wordt één keer verwerkt. Er is niets veranderd.',
    );
    expect((await store.readAll()).length).toBe(events);
  });

  it('retried before the fix: rejected again, its new reason recorded; the original stays, still open', async () => {
    const { store, item } = await rejectedOpening({ startDate: '2000-01-01' });
    const { outcome } = await retryRejected(store, ingestorUnder(store, after), item.id, BEA);
    const tables =
      'startDate: 2000-01-01 lies before the parameter table norm has a value (from 2026-01-01); no night could ' +
      'settle its months (SPEC §2: no value, never a guess)';
    expect(outcome).toEqual({ status: 'rejected', reason: tables });
    expect((await store.readStream(REJECTED_STREAM)).map((e) => (e.data as { reason: string }).reason)).toEqual([
      UNKNOWN_MUNICIPALITY,
    ]);
    const [open] = await listRejected(store);
    expect(open).toMatchObject({
      id: item.id,
      status: 'open',
      reason: tables,
      rule: 'no-tables-for-start',
      handling: [{ action: 'retried', ...BEA, outcome: 'rejected', newReason: tables }],
    });
    expect(await store.listStreams('household-')).toEqual([]);
  });

  it('dismissed with who and why: closed without processing; dismissing or retrying it again is refused', async () => {
    const { store, item } = await rejectedOpening();
    const reason = { by: 'Bea Backoffice', reason: 'proefbericht van de leverancier', at: '2027-02-03T11:00:00Z' };
    const dismissed = await dismissRejected(store, item.id, reason);
    expect(dismissed).toMatchObject({
      id: item.id,
      status: 'dismissed',
      handling: [{ action: 'dismissed', ...reason }],
    });
    const [rejection] = await store.readStream(REJECTED_STREAM);
    expect((await store.readStream(REJECTED_HANDLED_STREAM)).map((e) => [e.type, e.data])).toEqual([
      ['RejectedMessageDismissed', { rejectedEventId: rejection!.eventId, action: 'dismissed', ...reason }],
    ]);
    expect(await listRejected(store)).toEqual([]);
    const refused =
      `afgekeurd bericht ${item.id} is terzijde gelegd door Bea Backoffice op 2027-02-03T11:00:00Z ` +
      '(proefbericht van de leverancier). Er is niets veranderd.';
    await expect(dismissRejected(store, item.id, reason)).rejects.toThrow(refused);
    await expect(retryRejected(store, ingestorUnder(store, after), item.id, BEA)).rejects.toThrow(refused);
    expect(await store.listStreams('household-')).toEqual([]);
  });

  it('an id that is no id, or names no message, and a --by or --reason out of bounds: errors naming them', async () => {
    const { store, item } = await rejectedOpening();
    await expect(dismissRejected(store, 'abc', BEA)).rejects.toThrow(
      new UnknownMessageError('abc is geen id van een afgekeurd bericht (zoals 1a2b-3c4d-5e6f)'),
    );
    await expect(dismissRejected(store, '0000-0000', BEA)).rejects.toThrow(
      'geen afgekeurd bericht heeft id 0000-0000 (de lijst toont de ids)',
    );
    await expect(dismissRejected(store, item.id, { ...BEA, by: 'x'.repeat(101) })).rejects.toThrow(
      new InvalidActionError('by: at most 100 characters'),
    );
    await expect(dismissRejected(store, item.id, { ...BEA, reason: ' ' })).rejects.toThrow('reason: must not be empty');
    // Typed without dashes, in capitals: the same message.
    const typed = item.id.replace(/-/g, '').toUpperCase();
    expect((await dismissRejected(store, typed, BEA)).status).toBe('dismissed');
  });
});

/** A store whose process stops right after a case opened, before what was parked for it is placed. */
function stoppingBeforeRelease(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, key) {
      if (key !== 'appendMany') return Reflect.get(target, key);
      return async (...[requests, claims]: Parameters<EventStore['appendMany']>) => {
        if (requests.some((r) => r.events.some((e) => e.eventId.startsWith('statement:'))))
          throw new Error('process stopped');
        return target.appendMany(requests, claims);
      };
    },
  });
}

describe('a parked message: placed once its case is open, or dismissed', () => {
  const wage = statement({ messageId: 'M-wacht-1', bsn: BSN, taxableWage: '650.00', withheldTax: '0.00' });
  const opening = caseOpened('H-wacht', [BSN]);

  async function parkedWage() {
    const store = await openEventStore({ kind: 'memory' });
    await ingestorUnder(store, after).ingest(msg('statement', wage, '2027-02-02T09:00:00Z'));
    const [item] = await listParked(store, '2027-02-03T10:00:00Z');
    return { store, item: item! };
  }

  it('the case opened but the process stopped before placing the wage: parked retry places it, once', async () => {
    const { store, item } = await parkedWage();
    expect(item).toMatchObject({
      kind: 'statement',
      reference: 'M-wacht-1',
      reasonNl: 'wacht op een zaak met dit BSN',
    });
    await expect(
      ingestorUnder(stoppingBeforeRelease(store), after).ingest(msg('case', opening, '2027-02-03T08:00:00Z')),
    ).rejects.toThrow('process stopped');
    expect((await store.readStream(householdStream('H-wacht'))).map((e) => e.type)).toEqual(['CaseOpened']);
    expect((await listParked(store, '2027-02-03T10:00:00Z')).map((p) => p.id)).toEqual([item.id]);

    const placed = await retryParked(store, ingestorUnder(store, after), item.id, BEA);
    expect(placed).toEqual({ id: item.id, outcome: { status: 'recorded', householdId: 'H-wacht', appended: 1 } });
    expect((await store.readStream(householdStream('H-wacht'))).map((e) => e.type)).toEqual([
      'CaseOpened',
      'IncomeStatementRecorded',
    ]);
    expect(await listParked(store, '2027-02-03T10:00:00Z')).toEqual([]);
    expect((await store.readStream(parkedStream(BSN))).map((e) => [e.type, e.data]).slice(1)).toEqual([
      ['ParkedReleased', { upToRevision: 0 }],
      ['ParkedRetried', { parkedEventId: 'statement:M-wacht-1', ...BEA, outcome: 'recorded', householdId: 'H-wacht' }],
    ]);
    await expect(retryParked(store, ingestorUnder(store, after), item.id, BEA)).rejects.toThrow(
      `geparkeerd bericht ${item.id} is al in zijn huishouden geplaatst (de zaak is geopend); ` +
        'een bericht wordt één keer verwerkt. Er is niets veranderd.',
    );
  });

  it('retried while no case holds its BSN: refused, the attempt recorded, still waiting', async () => {
    const { store, item } = await parkedWage();
    await expect(retryParked(store, ingestorUnder(store, after), item.id, BEA)).rejects.toThrow(
      `geparkeerd bericht ${item.id} wacht nog: geen zaak heeft dit BSN. ` +
        'Er is niets geplaatst (de poging is vastgelegd).',
    );
    expect((await store.readStream(parkedStream(BSN))).map((e) => [e.type, e.data]).slice(1)).toEqual([
      ['ParkedRetried', { parkedEventId: 'statement:M-wacht-1', ...BEA, outcome: 'waiting' }],
    ]);
    expect((await listParked(store, '2027-02-03T10:00:00Z')).map((p) => p.id)).toEqual([item.id]);
  });

  it('a case event parked behind a rejected opening is placed when the opening is retried after the fix', async () => {
    const { store, item } = await rejectedOpening();
    const grant = {
      type: 'EarningsDisregardGranted',
      householdId: 'H-gieten',
      bsn: BSN,
      from: '2027-01-01',
      to: '2027-06-30',
    };
    expect(await ingestorUnder(store, before).ingest(msg('case', grant, '2027-02-02T09:00:00Z'))).toEqual({
      status: 'parked',
    });
    const [waiting] = await listParked(store, '2027-02-03T10:00:00Z');
    expect(waiting).toMatchObject({
      kind: 'case',
      reference: 'EarningsDisregardGranted',
      householdId: 'H-gieten',
      reasonNl: 'wacht op de opening van de zaak van dit huishouden',
    });
    await expect(retryParked(store, ingestorUnder(store, before), waiting!.id, BEA)).rejects.toThrow(
      `geparkeerd bericht ${waiting!.id} wacht nog: de zaak van dit huishouden is niet geopend. ` +
        'Er is niets geplaatst (de poging is vastgelegd).',
    );
    await retryRejected(store, ingestorUnder(store, after), item.id, BEA);
    expect((await store.readStream(householdStream('H-gieten'))).map((e) => e.type)).toEqual([
      'CaseOpened',
      'EarningsDisregardGranted',
    ]);
    expect(await listParked(store, '2027-02-03T10:00:00Z')).toEqual([]);
  });

  it('dismissed: never placed, not even when its case opens later; retrying it is refused', async () => {
    const { store, item } = await parkedWage();
    const why = { by: 'Bea Backoffice', reason: 'verkeerd BSN, opnieuw aangeleverd', at: '2027-02-03T10:00:00Z' };
    expect(await dismissParked(store, item.id, why)).toEqual({ id: item.id });
    expect(await listParked(store, '2027-02-03T10:00:00Z')).toEqual([]);
    await ingestorUnder(store, after).ingest(msg('case', opening, '2027-02-04T08:00:00Z'));
    expect((await store.readStream(householdStream('H-wacht'))).map((e) => e.type)).toEqual(['CaseOpened']);
    await expect(retryParked(store, ingestorUnder(store, after), item.id, BEA)).rejects.toThrow(
      `geparkeerd bericht ${item.id} is terzijde gelegd door Bea Backoffice op 2027-02-03T10:00:00Z ` +
        '(verkeerd BSN, opnieuw aangeleverd). Er is niets veranderd.',
    );
  });
});
