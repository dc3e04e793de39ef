import { describe, expect, it } from 'vitest';
import {
  IncrementalEvaluation,
  IncrementalLayer,
  snapshotOf,
  stateFromSnapshot,
  type YearMonth,
} from '../src/index.js';
import { testHousehold } from './support/household.js';

/** An evaluation that counts how often each month was computed. */
class CountingEvaluation extends IncrementalEvaluation {
  readonly computedPerNight: Array<{ month: YearMonth; night: string }> = [];
  night = '';
  override monthComputed(...args: Parameters<IncrementalEvaluation['monthComputed']>) {
    this.computedPerNight.push({ month: args[3], night: this.night });
    super.monthComputed(...args);
  }
}

const wage = {
  period: { start: '2026-01-01', end: '2026-01-31', kind: 'month' },
  paymentDate: '2026-01-25',
  taxableWage: '500.00',
  incomeRelationshipId: 'IKV-1',
};

describe('incremental layer: a month is recomputed only when what it is computed from changes', () => {
  it('a correction with the same amounts recomputes January once, keeps its version, and the fingerprint is refreshed', () => {
    const evaluation = new CountingEvaluation(new IncrementalLayer(), new Map());
    const h = testHousehold({ evaluation });
    h.open();
    h.statement({ ...wage, messageId: 'jan' }, '2026-02-10T12:00:00Z');
    const nights = (from: string, to: string) => {
      for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
        evaluation.night = d.toISOString().slice(0, 10);
        h.run(evaluation.night);
      }
    };
    nights('2026-01-01', '2026-03-10');
    const january = () => evaluation.computedPerNight.filter((c) => c.month === '2026-01').map((c) => c.night);
    expect(january()).toEqual(['2026-03-01']);
    // The polis sends the same January again as a correction: nothing to pay back or claim.
    h.statement({ ...wage, messageId: 'jan-correction', kind: 'correction' }, '2026-03-10T12:00:00Z');
    nights('2026-03-11', '2026-04-30');
    expect(january()).toEqual(['2026-03-01', '2026-03-11']);
    expect(h.settled('2026-01').map((s) => s.version)).toEqual([1]);
  });

  it('what it knew survives a snapshot: a restarted worker does not recompute settled months', () => {
    const layer = new IncrementalLayer();
    const first = new CountingEvaluation(layer, new Map());
    const h = testHousehold({ evaluation: first });
    h.open();
    h.statement({ ...wage, messageId: 'jan' }, '2026-02-10T12:00:00Z');
    h.runDays('2026-01-01', '2026-04-10');
    const saved = first.save();
    expect(saved.computed.map(([m, c]) => [m, c.version])).toEqual([
      ['2026-01', 1],
      ['2026-02', 1],
    ]);
    // A new process: the state from its snapshot, the evaluation from what the snapshot kept.
    const restored = stateFromSnapshot(JSON.parse(JSON.stringify(snapshotOf(h.state))))!;
    const resumed = layer.forHousehold(JSON.parse(JSON.stringify(saved)));
    const rules = h.ctx;
    expect(resumed.monthUnchanged(restored, { start: '2026-01-01', end: '9999-12-31' }, rules, '2026-01')).toBe(true);
    // Another engine's memo is ignored, never trusted.
    const foreign = layer.forHousehold({ ...saved, format: 'incremental/1+engine-0.9.0' as typeof saved.format });
    expect(foreign.monthUnchanged(restored, { start: '2026-01-01', end: '9999-12-31' }, rules, '2026-01')).toBe(false);
  });
});
