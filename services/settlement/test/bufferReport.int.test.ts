import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '../../../apps/scenario/src/pipeline.js';
import { bufferReport, bufferReportCsv } from '../src/bufferReport.js';

const logger = createLogger('test', { level: 'silent' });
const examples = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'examples');
const couple = () =>
  parseScenario(JSON.parse(readFileSync(join(examples, 'couple-correction.scenario.json'), 'utf8')), defaultParameters);

describe('eindheffing report', () => {
  it('reports the bufferbudget drawn per household per year for the eindheffing', async () => {
    const store = await openEventStore({ kind: 'memory' });
    await runScenarioThroughPipeline(couple(), store, logger);
    const report = await bufferReport(store, '2027');
    expect(report.totals).toEqual({ households: 1, drawn: '1000.00', draws: 2 });
    expect(bufferReportCsv(report)).toBe(
      '\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-couple;2027;1000.00;0.00;2\r\n',
    );
    expect(bufferReportCsv(report, { decimalComma: true })).toBe(
      '\uFEFFhouseholdId;year;drawn;remaining;draws\r\nH-couple;2027;1000,00;0,00;2\r\n',
    );
    expect(bufferReportCsv(await bufferReport(store, '2026'))).toBe('\uFEFFhouseholdId;year;drawn;remaining;draws\r\n');
  });
});
