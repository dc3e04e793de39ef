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
    expect(saved.computed.map(([m, , version]) => [m, version])).toEqual([
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

describe('incremental layer: the month fingerprints a snapshot keeps', () => {
  /** A layer that counts the parameter fingerprints asked for a month's horizon (one per month fingerprint computed). */
  class CountingLayer extends IncrementalLayer {
    monthFingerprints = 0;
    override paramsFingerprintAt(...args: Parameters<IncrementalLayer['paramsFingerprintAt']>) {
      if (args[1] !== '9999-12-31') this.monthFingerprints++;
      return super.paramsFingerprintAt(...args);
    }
  }
  const K = { start: '2026-01-01', end: '9999-12-31' };
  const restart = (layer: IncrementalLayer, h: ReturnType<typeof testHousehold>, saved: unknown) => ({
    state: stateFromSnapshot(JSON.parse(JSON.stringify(snapshotOf(h.state))))!,
    evaluation: layer.forHousehold(JSON.parse(JSON.stringify(saved))),
  });
  const settledJanuaryAndFebruary = () => {
    const layer = new CountingLayer();
    const h = testHousehold({ evaluation: layer.forHousehold() });
    h.open();
    h.statement({ ...wage, messageId: 'jan' }, '2026-02-10T12:00:00Z');
    h.runDays('2026-01-01', '2026-04-10');
    const saved = (h.ctx.evaluation as IncrementalEvaluation).save();
    expect(saved.inputs?.months.map(([m]) => m).sort()).toEqual(['2026-01', '2026-02']);
    /** How many month fingerprints deciding February's skip computes. */
    const computedFor = (evaluation: IncrementalEvaluation, state: typeof h.state, rules = h.ctx) => {
      layer.monthFingerprints = 0;
      evaluation.monthUnchanged(state, K, rules, '2026-02');
      return layer.monthFingerprints;
    };
    return { layer, h, saved, computedFor };
  };

  it('are taken over by a restarted worker, except the months a statement recorded since lands in', () => {
    const { layer, h, saved, computedFor } = settledJanuaryAndFebruary();
    const same = restart(layer, h, saved);
    expect(computedFor(same.evaluation, same.state)).toBe(0);
    expect(same.evaluation.monthUnchanged(same.state, K, h.ctx, '2026-01')).toBe(true);
    // Recorded after the snapshot: a second job's February, landing in February only.
    const february = { start: '2026-02-01', end: '2026-02-28', kind: 'month' };
    h.statement(
      { ...wage, messageId: 'feb-2', incomeRelationshipId: 'IKV-2', period: february, paymentDate: '2026-02-25' },
      '2026-04-11T12:00:00Z',
    );
    const { state, evaluation } = restart(layer, h, saved);
    layer.monthFingerprints = 0;
    expect(evaluation.monthUnchanged(state, K, h.ctx, '2026-01')).toBe(true);
    expect(layer.monthFingerprints).toBe(0);
    expect(evaluation.monthUnchanged(state, K, h.ctx, '2026-02')).toBe(false);
    expect(layer.monthFingerprints).toBe(1);
  });

  it('are not taken over after a correction, from another layer version, or under other parameters', () => {
    const { layer, h, saved, computedFor } = settledJanuaryAndFebruary();
    const [table, rows] = Object.entries(h.ctx.params)[0]! as [string, Array<{ validFrom: string }>];
    const other = {
      ...h.ctx,
      params: { ...h.ctx.params, [table]: [...rows, { ...rows.at(-1)!, validFrom: '2030-01-01' }] },
    };
    const again = restart(layer, h, saved);
    expect(computedFor(again.evaluation, again.state, other)).toBe(1);
    const old = restart(layer, h, { ...saved, format: 'incremental/1+engine-3.0.0' });
    // Another version of the layer: nothing it kept is used (the month is computed again).
    expect(old.evaluation.monthUnchanged(old.state, K, h.ctx, '2026-02')).toBe(false);
    // A correction of January (paid out in February) after the snapshot: no fingerprint is taken over.
    h.statement({ ...wage, messageId: 'jan-c', kind: 'correction', paymentDate: '2026-02-02' }, '2026-04-11T12:00:00Z');
    const corrected = restart(layer, h, saved);
    expect(computedFor(corrected.evaluation, corrected.state)).toBe(1);
    expect(corrected.evaluation.monthUnchanged(corrected.state, K, h.ctx, '2026-01')).toBe(false);
  });
});
