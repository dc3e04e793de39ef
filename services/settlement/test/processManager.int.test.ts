import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, decisionKey, defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger, householdStream, loadHousehold, rulesVersionOf, toNewEvent } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '../../../apps/scenario/src/pipeline.js';
import { BufferProcessManager } from '../src/processManager.js';

const logger = createLogger('test', { level: 'silent' });
const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const raw = () => JSON.parse(readFileSync(join(examples, 'couple-correction.scenario.json'), 'utf8'));

describe('bufferbudget process manager', () => {
  it('decides a stored proposal, resumes from its checkpoint after a restart without drawing twice, and the scenario ends as the reference', async () => {
    const store = await openEventStore({ kind: 'memory' });
    const untilMay24 = raw();
    untilMay24.runs.to = '2027-05-24';
    const scenario = parseScenario(untilMay24, defaultParameters);
    const ctx = { params: scenario.parameters, policy: scenario.policy };
    const rulesVersion = rulesVersionOf(ctx.params, ctx.policy);
    await runScenarioThroughPipeline(scenario, store, logger);

    // 25 May: the settlement worker stores its proposal and dies before the buffer decision.
    const household = await loadHousehold(store, 'H-couple');
    const proposal = decide(
      { type: 'RunNightly', runDate: '2027-05-25', runAt: '2027-05-25T02:00:00Z', rulesVersion },
      household.state,
      ctx,
    );
    expect(proposal.map((e) => e.type)).toEqual(['PaymentProposed']);
    await store.append(
      householdStream('H-couple'),
      proposal.map((e) => toNewEvent(e, { eventId: decisionKey(e), recordedAt: '2027-05-25T02:00:00Z' })),
      { expectedRevision: household.revision },
    );

    const manager = new BufferProcessManager(store, ctx, rulesVersion, logger);
    const first = manager.start();
    await first.caughtUp();
    await first.stop();
    const afterFirst = await store.readStream(householdStream('H-couple'));
    const draws = afterFirst.filter((e) => e.type === 'BufferDrawn');
    expect(draws.map((e) => (e.data as { month: string; amount: string }).amount)).toEqual(['608.16']);
    const may = afterFirst.find((e) => e.type === 'PaymentMade' && (e.data as { month: string }).month === '2027-05')!;
    expect(may.data).toMatchObject({ advance: '1199.52', offset: '738.48', bufferDraw: '608.16', amount: '1069.20' });

    // Restarted: it resumes after its checkpoint and the decision is not taken again.
    const second = manager.start();
    await second.caughtUp();
    await second.stop();
    expect(await store.readStream(householdStream('H-couple'))).toHaveLength(afterFirst.length);
    expect(await store.loadCheckpoint('buffer-process-manager')).toBe(afterFirst.at(-1)!.globalPosition);
    // Asked again directly (a retried job): nothing pending, nothing drawn.
    expect((await manager.decidePending('H-couple', '2027-05-25', '2027-05-25T03:00:00Z')).events).toEqual([]);

    // The rest of the nights as usual: the result is the reference result of the example.
    const rest = raw();
    rest.runs.from = '2027-05-26';
    const outcome = await runScenarioThroughPipeline(parseScenario(rest, defaultParameters), store, logger);
    expect(`${JSON.stringify(outcome.result, null, 2)}\n`).toBe(
      readFileSync(join(examples, 'couple-correction.expected.json'), 'utf8'),
    );
  });
});
