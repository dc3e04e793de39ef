import { describe, expect, it } from 'vitest';
import { INGEST_ALERT_TEXT, type IngestAlertTextKind } from '../../../packages/documents/src/alertText.js';
import { INGEST_ALERT_KINDS } from '../src/ingestAlerts.js';

describe('ingest alerts in Dutch', () => {
  it('every kind ingest raises has a Dutch reason and next step (a new kind without one fails here)', () => {
    // Compiles only while each ingest kind is one the documents know.
    const kinds: readonly IngestAlertTextKind[] = INGEST_ALERT_KINDS;
    expect([...kinds].sort()).toEqual(Object.keys(INGEST_ALERT_TEXT).sort());
  });
});
