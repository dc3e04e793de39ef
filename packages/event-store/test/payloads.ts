import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultParameters, parseScenario, simulateScenario } from '@bijstand/domain';
import type { NewEvent } from '../src/index.js';

/** Real payloads for the packing tests: the decisions of the worked examples, with their full traces. */

const examplesDir = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');

export interface ExampleEvent {
  scenario: string;
  event: NewEvent;
}

let cached: ExampleEvent[] | undefined;

/** Every event of every worked example, as the services append it (data = the domain event's data). */
export function exampleEvents(): ExampleEvent[] {
  cached ??= readdirSync(examplesDir)
    .filter((f) => f.endsWith('.scenario.json'))
    .sort()
    .flatMap((file) => {
      const scenario = file.replace('.scenario.json', '');
      const outcome = simulateScenario(
        parseScenario(JSON.parse(readFileSync(join(examplesDir, file), 'utf8')), defaultParameters),
        'v-test',
      );
      return outcome.stored.map(({ event, recordedAt }, i): ExampleEvent => ({
        scenario,
        event: {
          eventId: `${scenario}:${i}`,
          type: event.type,
          schemaVersion: 1,
          recordedAt,
          data: event.data,
          metadata: { correlationId: `example:${scenario}` },
        },
      }));
    });
  return cached;
}

/**
 * One decision of at least 100 KB: a real MonthSettled whose data also carries the traces of every
 * other month settled in the examples, and text that JSON escapes (quotes, newlines, non-ASCII, an
 * astral code point), so that exactness is tested beyond ASCII.
 */
export function bigDecision(): NewEvent {
  const settled = exampleEvents().filter((e) => e.event.type === 'MonthSettled');
  const first = settled[0]!.event;
  const data = {
    ...(first.data as Record<string, unknown>),
    note: 'bijzondere bijstand: "€ 1.401,50"\n\tcliënt — 𝄞 \\ einde',
    earlier: settled.slice(1).map((e) => e.event.data),
  };
  return { ...first, eventId: 'big-decision', data };
}
