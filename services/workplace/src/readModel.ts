import { acknowledgementOf, consultantAlert, type ConsultantAlert } from '@bijstand/alerts';
import { legalRefText, type AlertRaised, type HouseholdEvent } from '@bijstand/domain';
import type { EventStore, RecordedEvent } from '@bijstand/event-store';
import {
  ALERTS_STREAM,
  HOUSEHOLD_STREAM_PREFIX,
  householdIdOfStream,
  isHouseholdEvent,
  toHouseholdEvent,
} from '@bijstand/platform';
import type { InboxAlert } from './inbox.js';

/**
 * The workplace's read model: the inbox and the household list kept in memory and brought up to date by
 * reading only the events appended since the last position it read (`readAll` from that global position),
 * never by folding every household per request. Every request first catches up (one query when nothing is
 * new), so a page shows everything committed before it was asked for.
 *
 * The inbox is the same as readInbox's (a test compares them): each household keeps only what consultantAlert
 * reads (its CaseOpened municipality, per month its settlements' amounts and legal references, its
 * AlertRaised), and a household that receives events has its alerts built again from that. The household
 * list's dates and balance are loadCaseFile's, as the store stood at `asOf` when one is given.
 */

export interface HouseholdRow {
  id: string;
  /** The municipality its last CaseOpened names (null: the deployment's default). */
  municipality: string | null;
  start: string | null;
  end: string | null;
  ledger: string;
  alertsOpen: number;
}

interface Dated {
  atMs: number;
  event: HouseholdEvent;
}

interface HouseholdEntry {
  id: string;
  opened: boolean;
  start: string | null;
  end: string | null;
  ledger: string;
  municipality: string | null;
  openings: Dated[];
  settlements: Map<string, Dated[]>;
  raised: Array<{ atMs: number; recorded: RecordedEvent; event: AlertRaised }>;
  alerts: InboxAlert[];
}

/** Events per catch-up query: bounds the memory of one step and lets other requests in between. */
const PAGE = 2000;

/**
 * What consultantAlert reads of a MonthSettled (the month, three amounts, the legal references): kept
 * instead of the whole event with its explanation, which at 20,000 households would not fit in memory.
 */
function settledDigest(e: Extract<HouseholdEvent, { type: 'MonthSettled' }>): HouseholdEvent {
  const refs = new Map(e.data.explanation.steps.map((s) => [legalRefText(s.legalRef), s.legalRef]));
  const { assistance, normExclHoliday, income } = e.data.values;
  return {
    type: 'MonthSettled',
    data: {
      month: e.data.month,
      values: { assistance, normExclHoliday, income },
      explanation: { steps: [...refs.values()].map((legalRef) => ({ legalRef })) },
    },
  } as unknown as HouseholdEvent;
}

export class WorkplaceReadModel {
  private position = 0;
  private readonly entries = new Map<string, HouseholdEntry>();
  private readonly acknowledged = new Map<string, { by: string; at: string; note?: string }>();
  private readonly deliveries = new Map<string, string[]>();
  /** Alerts a service recorded with no household decision behind them (a refused payment), by household. */
  private readonly recordedOnly = new Map<string, Array<{ alert: InboxAlert; recorded: RecordedEvent }>>();
  private readonly raisedIds = new Set<string>();
  private readonly asOfMs: number;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private built: { alerts: InboxAlert[]; rows: HouseholdRow[]; raised: Map<string, RecordedEvent> } | null = null;
  /** Goes up whenever what a page shows changes (sorted views are cached per version). */
  version = 0;

  constructor(
    private readonly store: EventStore,
    asOf?: string,
  ) {
    this.asOfMs = asOf ? Date.parse(asOf) : Number.POSITIVE_INFINITY;
  }

  /**
   * Reads what was appended since the last call. Calls that come while one runs share the next one, so
   * that every caller sees at least what was committed when it called, and a flood makes one query, not many.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return (this.running = this.catchUp().finally(() => (this.running = null)));
    const after = this.running;
    return (this.queued = after
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh();
      }));
  }

  /** The inbox, newest first (readInbox's order), and the AlertRaised behind each alert (to acknowledge it). */
  inbox(): { alerts: readonly InboxAlert[]; raised: ReadonlyMap<string, RecordedEvent> } {
    const b = this.build();
    return { alerts: b.alerts, raised: b.raised };
  }

  /** Households with a case as of `asOf`, in the order of their first event (listStreams' order). */
  households(): readonly HouseholdRow[] {
    return this.build().rows;
  }

  /** How many household streams the store holds (the backoffice's count). */
  householdStreams(): number {
    return this.entries.size;
  }

  alertsOf(householdId: string): InboxAlert[] {
    return this.build().alerts.filter((a) => a.householdId === householdId);
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ fromPosition: this.position, maxCount: PAGE });
      if (page.length === 0) return;
      const touched = new Set<HouseholdEntry>();
      let changed = false;
      for (const e of page) changed = this.apply(e, touched) || changed;
      for (const h of touched) this.alertsAgain(h);
      this.position = page[page.length - 1]!.globalPosition;
      // Only what a page shows: the access log's one event per household view leaves the sorted lists as they are.
      if (changed) {
        this.built = null;
        this.version++;
      }
      if (page.length < PAGE) return;
    }
  }

  /** Whether the event changes what a page shows. */
  private apply(e: RecordedEvent, touched: Set<HouseholdEntry>): boolean {
    if (e.streamName === ALERTS_STREAM) {
      const d = e.data as { alertId?: string; channel?: string };
      if (!d.alertId) return false;
      if (e.type === 'AlertRecorded' && !this.raisedIds.has(d.alertId)) {
        const alert: InboxAlert = { ...(e.data as ConsultantAlert), deliveredVia: [] };
        this.entry(alert.householdId);
        const list = this.recordedOnly.get(alert.householdId) ?? [];
        list.push({ alert, recorded: e });
        this.recordedOnly.set(alert.householdId, list);
        return true;
      }
      // The alerts service's one reader of an acknowledgement (the CLI reads it the same way); the first stands.
      const ack = e.type === 'AlertAcknowledged' ? acknowledgementOf(e) : null;
      if (ack && !this.acknowledged.has(ack.alertId))
        this.acknowledged.set(ack.alertId, { by: ack.by, at: ack.at, ...(ack.note ? { note: ack.note } : {}) });
      if (e.type === 'AlertDelivered')
        this.deliveries.set(d.alertId, [...(this.deliveries.get(d.alertId) ?? []), String(d.channel)]);
      return e.type === 'AlertAcknowledged' || e.type === 'AlertDelivered';
    }
    if (!e.streamName.startsWith(HOUSEHOLD_STREAM_PREFIX)) return false;
    const h = this.entry(householdIdOfStream(e.streamName));
    if (!isHouseholdEvent(e)) return false;
    const type = e.type;
    if (type !== 'CaseOpened' && type !== 'CaseClosed' && type !== 'MonthSettled' && type !== 'PaymentMade') {
      if (type === 'AlertRaised') {
        const event = toHouseholdEvent(e) as AlertRaised;
        h.raised.push({ atMs: Date.parse(e.recordedAt), recorded: e, event });
        this.raisedIds.add(event.data.alertId);
        touched.add(h);
        return true;
      }
      return false;
    }
    const event = toHouseholdEvent(e);
    const atMs = Date.parse(e.recordedAt);
    // The list's columns as loadCaseFile reads them at asOf; the inbox, like readInbox, reads every event.
    const inView = atMs <= this.asOfMs;
    if (event.type === 'CaseOpened') {
      h.municipality = event.data.municipality ?? null;
      h.openings.push({
        atMs,
        event: { type: 'CaseOpened', data: { municipality: event.data.municipality } } as never,
      });
      if (inView) [h.opened, h.start] = [true, event.data.startDate];
    } else if (event.type === 'CaseClosed') {
      if (inView) h.end = event.data.endDate;
    } else if (event.type === 'MonthSettled') {
      const list = h.settlements.get(event.data.month) ?? [];
      list.push({ atMs, event: settledDigest(event) });
      h.settlements.set(event.data.month, list);
      if (inView) h.ledger = event.data.ledgerBalanceAfter;
    } else if (event.type === 'PaymentMade' && inView) h.ledger = event.data.ledgerBalanceAfter;
    touched.add(h);
    return true;
  }

  private entry(id: string): HouseholdEntry {
    let h = this.entries.get(id);
    if (!h)
      this.entries.set(
        id,
        (h = {
          id,
          opened: false,
          start: null,
          end: null,
          ledger: '0.00',
          municipality: null,
          openings: [],
          settlements: new Map(),
          raised: [],
          alerts: [],
        }),
      );
    return h;
  }

  /** A household's alerts from what it has recorded up to each alert's instant, as recordAlert reads it. */
  private alertsAgain(h: HouseholdEntry): void {
    h.alerts = h.raised.map(({ atMs, event }) => {
      const upTo = (d: Dated) => d.atMs <= atMs;
      const history = [...h.openings.filter(upTo), ...(h.settlements.get(event.data.month) ?? []).filter(upTo)].map(
        (d) => d.event,
      );
      return { ...consultantAlert(h.id, event, history), deliveredVia: [] };
    });
  }

  private build() {
    if (this.built) return this.built;
    const alerts: InboxAlert[] = [];
    const raised = new Map<string, RecordedEvent>();
    const open = new Map<string, number>();
    for (const h of this.entries.values()) {
      for (const r of h.raised) raised.set(r.event.data.alertId, r.recorded);
      const recordedOnly = this.recordedOnly.get(h.id) ?? [];
      for (const r of recordedOnly) raised.set(r.alert.alertId, r.recorded);
      for (const a of [...h.alerts, ...recordedOnly.map((r) => r.alert)]) {
        const ack = this.acknowledged.get(a.alertId);
        const alert: InboxAlert = {
          ...a,
          ...(ack ? { acknowledgedBy: ack.by, acknowledgedAt: ack.at } : {}),
          ...(ack?.note ? { acknowledgementNote: ack.note } : {}),
          deliveredVia: [...(this.deliveries.get(a.alertId) ?? [])],
        };
        alerts.push(alert);
        if (!ack) open.set(h.id, (open.get(h.id) ?? 0) + 1);
      }
    }
    alerts.sort(newestFirst);
    const rows = [...this.entries.values()]
      .filter((h) => h.opened)
      .map((h) => ({
        id: h.id,
        municipality: h.municipality,
        start: h.start,
        end: h.end,
        ledger: h.ledger,
        alertsOpen: open.get(h.id) ?? 0,
      }));
    return (this.built = { alerts, rows, raised });
  }
}

/** readInbox's order: the newest run date first, then by alert id. */
export const newestFirst = (a: InboxAlert, b: InboxAlert) =>
  a.raisedOn > b.raisedOn ? -1 : a.raisedOn < b.raisedOn ? 1 : a.alertId < b.alertId ? -1 : 1;
