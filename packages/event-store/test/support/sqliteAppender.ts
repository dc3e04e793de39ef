// A writer process for the two-process idempotency test: appends the event ids it is given, one
// append each, to one stream of the SQLite store at argv[2], then exits.
import { SqliteEventStore } from '../../src/sqlite.js';

const [path, streamName, idsText] = process.argv.slice(2);
const store = new SqliteEventStore(path!, { mode: 'existing' });
for (const eventId of idsText!.split(',')) {
  await store.append(streamName!, [
    {
      eventId,
      type: 'Claimed',
      schemaVersion: 1,
      recordedAt: '2027-01-05T02:00:00Z',
      data: { by: process.pid },
      metadata: { correlationId: `pid-${process.pid}` },
    },
  ]);
}
await store.close();
