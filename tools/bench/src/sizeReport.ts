import { table } from '@bijstand/terminal';
import { num } from './headline.js';
import type { SizeBreakdown, SizePart } from './sizes.js';

/**
 * What the KiB per household-year is made of, per store: every table and index, then the parts the issue
 * names (events heap, payloads, indexes, snapshots, streams, message claims), so that the size gap's
 * cause is stated with numbers.
 */

export interface Composition {
  /** The events table without its payloads: row headers, ids, positions, page slack. */
  eventsHeap: number;
  payloads: number | null;
  eventsIndexes: number;
  snapshots: number;
  streams: number;
  /** The message claims' own table and its index (issue #26). */
  claims: number;
  /** Every other table and index (event types, metadata, checkpoints), free pages, the WAL. */
  rest: number;
  /** Claims kept as streams (stores before issue #26): their share of the events and streams (attribute()). */
  messageIdClaims: number | null;
}

const bytesOf = (parts: SizePart[], table: string, kind?: SizePart['kind']) =>
  parts.filter((p) => p.table === table && (kind === undefined || p.kind === kind)).reduce((s, p) => s + p.bytes, 0);

/**
 * The bytes of each kind of stream: its payloads exactly; the rest of the events table and its indexes by
 * its share of the events; the streams table (and its indexes) by its share of the streams. An estimate:
 * rows differ in width (ids, revisions), but not by much next to a payload.
 */
export function attribute(b: SizeBreakdown): Array<{ kind: string; streams: number; events: number; bytes: number }> {
  if (!b.byStreamKind) return [];
  const events = b.byStreamKind.reduce((s, k) => s + k.events, 0);
  const streams = b.byStreamKind.reduce((s, k) => s + k.streams, 0);
  const payloads = b.byStreamKind.reduce((s, k) => s + k.payloadBytes, 0);
  const perEvent = bytesOf(b.parts, 'events') - payloads;
  const perStream = bytesOf(b.parts, 'streams');
  return b.byStreamKind.map((k) => ({
    kind: k.kind,
    streams: k.streams,
    events: k.events,
    bytes:
      k.payloadBytes +
      (events === 0 ? 0 : (perEvent * k.events) / events) +
      (streams === 0 ? 0 : (perStream * k.streams) / streams),
  }));
}

export function composition(b: SizeBreakdown): Composition {
  const payloads = b.byStreamKind ? b.byStreamKind.reduce((s, k) => s + k.payloadBytes, 0) : null;
  const eventsTable = bytesOf(b.parts, 'events', 'table');
  const eventsIndexes = bytesOf(b.parts, 'events', 'index');
  const snapshots = bytesOf(b.parts, 'snapshots');
  const streams = bytesOf(b.parts, 'streams');
  const claims = bytesOf(b.parts, 'message_claims');
  return {
    eventsHeap: eventsTable - (payloads ?? 0),
    payloads,
    eventsIndexes,
    snapshots,
    streams,
    claims,
    rest: b.totalBytes - eventsTable - eventsIndexes - snapshots - streams - claims,
    messageIdClaims: attribute(b).find((k) => k.kind === 'message-id claim')?.bytes ?? null,
  };
}

/** The breakdown of one store as text: a sentence of what the figure is made of, then the tables behind it. */
export function sizeBreakdownText(label: string, b: SizeBreakdown, householdYears: number): string {
  const kib = (bytes: number) => num(bytes / 1024 / householdYears, 2);
  const mib = (bytes: number) => num(bytes / 1048576, 1);
  const share = (bytes: number) => `${num((100 * bytes) / b.totalBytes, 1)} %`;
  const c = composition(b);
  const made = [
    `events heap without payloads ${kib(c.eventsHeap)}`,
    c.payloads === null ? null : `payloads ${kib(c.payloads)}`,
    `events' indexes ${kib(c.eventsIndexes)}`,
    `snapshots ${kib(c.snapshots)}`,
    `streams ${kib(c.streams)}`,
    c.claims > 0 ? `message claims ${kib(c.claims)}` : null,
    `the rest ${kib(c.rest)}`,
  ].filter(Boolean);
  const claims =
    c.messageIdClaims === null || c.messageIdClaims === 0
      ? ''
      : ` The message-id claims kept as streams (their events, index entries and streams, attributed) take ` +
        `${kib(c.messageIdClaims)} of it.`;
  const dead = b.parts.some((p) => p.deadRows !== undefined);
  const parts = table([
    ['table / index', 'of', 'MiB', 'KiB per household-year', 'share', ...(dead ? ['rows live / dead'] : [])],
    ...b.parts.map((p) => [
      p.name,
      p.kind === 'index' ? p.table : p.kind,
      mib(p.bytes),
      kib(p.bytes),
      share(p.bytes),
      ...(dead ? [p.liveRows === undefined ? '' : `${num(p.liveRows)} / ${num(p.deadRows ?? 0)}`] : []),
    ]),
  ]);
  const kinds = attribute(b);
  const within = table([
    ['within them', 'streams', 'events / rows', 'payloads (MiB)', 'attributed KiB per household-year'],
    ...(b.byStreamKind ?? []).map((k, i) => [
      `events in ${k.kind} streams`,
      num(k.streams),
      num(k.events),
      mib(k.payloadBytes),
      kib(kinds[i]!.bytes),
    ]),
    ...(b.snapshots ? [['snapshots', '', num(b.snapshots.rows), mib(b.snapshots.payloadBytes), '']] : []),
  ]);
  const notes = b.notes.length > 0 ? `\n\n${b.notes.map((n) => `(${n})`).join('\n')}` : '';
  return `${label}: ${kib(b.totalBytes)} KiB per household-year = ${made.join(' + ')} (${b.how}).${claims}

\`\`\`
${parts}

${within}
\`\`\`${notes}`;
}
