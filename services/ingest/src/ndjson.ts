import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { InboundKind, InboundMessage } from './ingestor.js';

/**
 * NDJSON source: one JSON message per line. A line may be a bare statement or case event (kind from
 * the caller), or an envelope {"statement": …} / {"case": …} so that one file can carry both.
 */
export async function* readNdjson(
  input: string | Readable,
  options: { defaultKind?: InboundKind; now: () => string },
): AsyncGenerator<InboundMessage> {
  const name = typeof input === 'string' ? input : 'stdin';
  const stream = typeof input === 'string' ? createReadStream(input, 'utf8') : input;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    yield { ...classify(text, options.defaultKind), recordedAt: options.now(), source: { type: 'file', name, line } };
  }
}

function classify(text: string, defaultKind: InboundKind | undefined): { kind: InboundKind; payload: string } {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === 'statement')
        return { kind: 'statement', payload: JSON.stringify(value.statement) };
      if (keys.length === 1 && keys[0] === 'case') return { kind: 'case', payload: JSON.stringify(value.case) };
      if (!defaultKind) return { kind: typeof value.type === 'string' ? 'case' : 'statement', payload: text };
    }
  } catch {
    // Not JSON: the ingestor rejects it with the reason and keeps the raw line.
  }
  return { kind: defaultKind ?? 'statement', payload: text };
}
