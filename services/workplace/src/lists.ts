import { z } from 'zod';
import { ALERT_KINDS, sortAlerts } from '@bijstand/alerts';
import { html, type SafeHtml } from './html.js';
import { filterInbox, type InboxAlert, type InboxFilter } from './inbox.js';
import type { HouseholdRow, WorkplaceReadModel } from './readModel.js';

/**
 * The query of the inbox and the household list (page, size, filters, sort), checked by a schema: a value the
 * page cannot use is a 400 naming the field and the rule, never a crash or a silently different list. An empty
 * field (a filter form's "alle") is no filter.
 */

const empty = (v: unknown) => (v === '' ? undefined : v);
const field = <T extends z.ZodType>(schema: T) => z.preprocess(empty, schema);
const paging = {
  page: field(z.coerce.number({ error: 'een paginanummer' }).int('een heel getal').min(1, 'minstens 1').default(1)),
  size: field(
    z.coerce
      .number({ error: 'een aantal per pagina' })
      .int('een heel getal')
      .min(1, 'minstens 1')
      .max(100, 'ten hoogste 100 per pagina')
      .default(50),
  ),
  municipality: field(
    z
      .string()
      .regex(/^GM\d{4}$/, 'een CBS-code als GM0106')
      .optional(),
  ),
};

export const INBOX_SORTS = ['newest', 'priority', 'oldest', 'household', 'amount'] as const;
export const inboxQuerySchema = z.object({
  ...paging,
  kind: field(z.enum(ALERT_KINDS, { error: 'een soort signaal' }).optional()),
  month: field(
    z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'een maand als 2027-07')
      .optional(),
  ),
  household: field(z.string().max(100, 'ten hoogste 100 tekens').optional()),
  state: field(z.enum(['open', 'acknowledged', 'all'], { error: 'open, acknowledged of all' }).default('open')),
  sort: field(z.enum(INBOX_SORTS, { error: INBOX_SORTS.join(', ') }).default('newest')),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

export const HOUSEHOLD_SORTS = ['registered', 'id', 'start', 'ledger', 'alerts'] as const;
export const householdsQuerySchema = z.object({
  ...paging,
  /** Part of a household's kenmerk, in any case: the search box of Huishoudens. */
  household: field(z.string().trim().max(100, 'ten hoogste 100 tekens').optional()),
  state: field(z.enum(['running', 'ended', 'all'], { error: 'running, ended of all' }).default('all')),
  sort: field(z.enum(HOUSEHOLD_SORTS, { error: HOUSEHOLD_SORTS.join(', ') }).default('registered')),
});
export type HouseholdsQuery = z.infer<typeof householdsQuerySchema>;

/** The query or a Dutch sentence naming the field and the rule it breaks. */
export function parseQuery<T extends z.ZodType>(
  schema: T,
  query: unknown,
): { ok: true; query: z.infer<T> } | { ok: false; error: string } {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return { ok: true, query: parsed.data };
  const i = parsed.error.issues[0]!;
  return { ok: false, error: `Ongeldige waarde voor ‘${i.path.join('.')}’: verwacht ${i.message}.` };
}

export interface Page<T> {
  items: T[];
  /** How many match the filters (on every page). */
  matched: number;
  page: number;
  pages: number;
}

/** One page of a list; a page past the last shows the last. */
export function pageOf<T>(all: readonly T[], page: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const p = Math.min(page, pages);
  return { items: all.slice((p - 1) * size, p * size), matched: all.length, page: p, pages };
}

const byAmountDesc = (a: InboxAlert, b: InboxAlert) =>
  (b.amount === undefined ? -Infinity : Number(b.amount)) - (a.amount === undefined ? -Infinity : Number(a.amount));

/** Sorted views of one list, kept until the read model changes (a flood of first pages sorts once). */
export class SortedCache<T> {
  private version = -1;
  private readonly views = new Map<string, T[]>();
  get(version: number, sort: string, make: () => T[]): T[] {
    if (version !== this.version) {
      this.version = version;
      this.views.clear();
    }
    let v = this.views.get(sort);
    if (!v) this.views.set(sort, (v = make()));
    return v;
  }
}

/** The inbox in the order asked for; `alerts` arrives newest first (the sorts are stable). */
export function sortInbox(alerts: readonly InboxAlert[], sort: InboxQuery['sort']): InboxAlert[] {
  if (sort === 'newest') return [...alerts];
  // The alerts service's one order: below the minimum, then claims, each largest first; the rest newest first.
  if (sort === 'priority') return sortAlerts(alerts, 'priority');
  if (sort === 'oldest') return [...alerts].reverse();
  if (sort === 'household')
    return [...alerts].sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0));
  return [...alerts].sort(byAmountDesc);
}

/** Households in the order asked for: ledger lowest first (the largest claims), alerts most open first. */
export function sortHouseholds(rows: readonly HouseholdRow[], sort: HouseholdsQuery['sort']): HouseholdRow[] {
  const s = [...rows];
  if (sort === 'id') return s.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (sort === 'start') return s.sort((a, b) => ((b.start ?? '') < (a.start ?? '') ? -1 : b.start === a.start ? 0 : 1));
  if (sort === 'ledger') return s.sort((a, b) => Number(a.ledger) - Number(b.ledger));
  if (sort === 'alerts') return s.sort((a, b) => b.alertsOpen - a.alertsOpen);
  return s;
}

/** "Vorige · pagina 2 van 13 · Volgende", each link the same query with another page. */
export function pager(path: string, query: Record<string, unknown>, p: Page<unknown>): SafeHtml {
  const link = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== 'page') params.set(k, String(v));
    params.set('page', String(page));
    return `${path}?${params.toString()}`;
  };
  const prev = p.page > 1 ? html`<a rel="prev" href="${link(p.page - 1)}">Vorige</a> ` : '';
  const next = p.page < p.pages ? html` <a rel="next" href="${link(p.page + 1)}">Volgende</a>` : '';
  const where = html`<span>pagina ${p.page} van ${p.pages}</span>`;
  return html`<nav class="pages" aria-label="paginanavigatie">${prev}${where}${next}</nav>`;
}

/** The inbox page a query asks for; `belongsTo` resolves the municipality filter (the deployment's default). */
export function inboxList(
  model: WorkplaceReadModel,
  cache: SortedCache<InboxAlert>,
  q: InboxQuery,
  belongsTo?: (municipality: string | null) => boolean,
  /** The user's municipalities: what is outside them is neither listed nor counted. */
  visible: (municipality: string | null) => boolean = () => true,
) {
  const sorted = cache.get(model.version, q.sort, () => sortInbox(model.inbox().alerts, q.sort));
  const all = sorted.filter((a) => visible(a.municipality ?? null));
  const filter: InboxFilter = {
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.month ? { month: q.month } : {}),
    ...(q.household ? { household: q.household } : {}),
    ...(q.municipality && belongsTo ? { municipality: q.municipality, belongsTo } : {}),
    state: q.state,
  };
  return { page: pageOf(filterInbox(all, filter), q.page, q.size), total: all.length, filter };
}

/** The household list page a query asks for. */
export function householdList(
  model: WorkplaceReadModel,
  cache: SortedCache<HouseholdRow>,
  q: HouseholdsQuery,
  belongsTo?: (municipality: string | null) => boolean,
  visible: (municipality: string | null) => boolean = () => true,
): Page<HouseholdRow> {
  const all = cache.get(model.version, q.sort, () => sortHouseholds(model.households(), q.sort));
  const part = q.household?.toLowerCase();
  const rows = all.filter(
    (h) =>
      visible(h.municipality) &&
      (!part || h.id.toLowerCase().includes(part)) &&
      (!belongsTo || belongsTo(h.municipality)) &&
      (q.state === 'all' || (q.state === 'ended') === (h.end !== null)),
  );
  return pageOf(rows, q.page, q.size);
}
