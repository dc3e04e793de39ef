import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertDispatcher, IDEMPOTENCY_HEADER, listAlerts, startAlertService, WebhookNotifier } from '@bijstand/alerts';
import { defaultParameters, parseScenario } from '@bijstand/domain';
import { openEventStore } from '@bijstand/event-store';
import { createLogger } from '@bijstand/platform';
import { runScenarioThroughPipeline } from '@bijstand/app-scenario';
import { root, runCli } from './support/cli.js';

const storePath = join(mkdtempSync(join(tmpdir(), 'cli-alerts-')), 'alerts.sqlite');
const logger = createLogger('test', { level: 'silent' });

describe('./cli alerts list shows the delivery state', () => {
  beforeAll(async () => {
    const store = await openEventStore({ kind: 'sqlite', path: storePath });
    await runScenarioThroughPipeline(
      parseScenario(
        JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'examples', 'couple-correction.scenario.json'), 'utf8')),
        defaultParameters,
      ),
      store,
      logger,
    );
    // A receiver that takes only the below-minimum alert: the other two are dead-lettered after 2 tries.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res.writeHead(String(req.headers[IDEMPOTENCY_HEADER]).includes('below-minimum') ? 204 : 503).end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const dispatcher = new AlertDispatcher(store, [new WebhookNotifier(url, 'k')], logger, {
      policy: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 5 },
      pollIntervalMs: 20,
    }).start();
    const service = startAlertService(store, dispatcher, logger);
    await service.caughtUp();
    for (let i = 0; i < 400 && (await listAlerts(store, { state: 'pending' })).length > 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    await service.stop();
    await dispatcher.close();
    await new Promise((r) => server.close(r));
    await store.close();
  });

  it('--state dead-letter lists the alerts a channel gave up on, with their tries; --state delivered the others', async () => {
    const dead = await runCli(['alerts', 'list', '--state', 'dead-letter', '--store', storePath]);
    expect(dead.code).toBe(0);
    // From the end: signaal (id), status; the tries are in --json (the deliveries as stored).
    const rows = dead.stdout
      .split('\n')
      .slice(2, -2)
      .map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => [r[0], ...r.slice(-2)])).toEqual([
      ['normaal', 'open, niet bezorgd', 'H-couple:buffer-exhausted:2027-07'],
      ['normaal', 'open, niet bezorgd', 'H-couple:new-income-relationship:2027-03'],
    ]);
    expect(dead.stdout.endsWith('\n2 signalen\n')).toBe(true);
    const deadJson = await runCli(['alerts', 'list', '--state', 'dead-letter', '--json', '--store', storePath]);
    const tries = (JSON.parse(deadJson.stdout) as Array<{ alertId: string; state: string; deliveries: object[] }>).map(
      (a) => [
        a.alertId,
        a.state,
        a.deliveries.map((d) => [(d as { channel: string }).channel, (d as { attempts: number }).attempts]),
      ],
    );
    expect(tries).toEqual([
      ['H-couple:buffer-exhausted:2027-07', 'dead-letter', [['webhook', 2]]],
      ['H-couple:new-income-relationship:2027-03', 'dead-letter', [['webhook', 2]]],
    ]);
    const delivered = await runCli(['alerts', 'list', '--state', 'delivered', '--store', storePath]);
    expect(delivered.stdout).toContain('H-couple:below-minimum:2027-07');
    expect(delivered.stdout.endsWith('\n1 signaal\n')).toBe(true);
    expect(dead.stdout + delivered.stdout).not.toMatch(/(?<!\d)\d{9}(?!\d)/);
    const wrong = await runCli(['alerts', 'list', '--state', 'lost', '--store', storePath]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Allowed choices are new, pending, delivered, dead-letter.');
  });
});
