import type { Instant, IsoDate } from '@bijstand/domain';
import type { EventStore } from '@bijstand/event-store';
import { RULES_ACCEPTANCES_STREAM, loadRulesVersions, type Logger } from '@bijstand/platform';
import type { MunicipalityRules } from './municipalityRules.js';
import {
  lastRulesVersion,
  loadAcceptances,
  rulesDifferences,
  RulesChangeNotAcceptedError,
  type RecordedNight,
  type RulesChange,
} from './rulesGate.js';
import type { StreamTail } from './streamTail.js';

/**
 * The gate before a night's first append (issue #21, rulesGate.ts): a municipality whose rules version
 * differs from the one its households were last settled under is settled only once someone accepted it.
 */
export class NightGate {
  constructor(
    private readonly store: EventStore,
    private readonly rules: MunicipalityRules,
    private readonly nights: StreamTail<RecordedNight>,
    private readonly onRulesChange: 'refuse' | 'hold',
    private readonly logger: Logger,
  ) {}

  /**
   * Every municipality whose rules version differs from the one its households were last settled
   * under, with what changed and who accepted it (if anyone did). A municipality never settled has none.
   */
  async changes(): Promise<RulesChange[]> {
    const nights = await this.nights.read();
    if (nights.length === 0) return [];
    const multi = this.rules.isMulti();
    const changed = this.rules
      .byKey()
      .map((m) => ({ ...m, previous: lastRulesVersion(nights, m.key, multi) }))
      .filter((m) => m.previous !== undefined && m.previous !== m.rulesVersion);
    if (changed.length === 0) return [];
    const [accepted, recorded] = await Promise.all([loadAcceptances(this.store), loadRulesVersions(this.store)]);
    return changed.map((m) => ({
      municipality: m.key,
      name: m.name,
      previous: m.previous!,
      current: m.rulesVersion,
      changes: rulesDifferences(m.previous!, recorded.get(m.previous!), m.rulesVersion, m.ctx),
      accepted: accepted.get(m.rulesVersion) ?? null,
    }));
  }

  /**
   * Refuses (throws) when a municipality's rules changed and nobody accepted them, or (hold) returns the
   * municipalities to leave alone and records each waiting change once in `rules-acceptances`, where the
   * backoffice page shows it.
   */
  async check(run: { runAt: Instant; runDate: IsoDate }): Promise<string[]> {
    const waiting = (await this.changes()).filter((c) => c.accepted === null);
    if (waiting.length === 0) return [];
    if (this.onRulesChange === 'refuse') throw new RulesChangeNotAcceptedError(waiting);
    await this.store.append(
      RULES_ACCEPTANCES_STREAM,
      waiting.map((c) => ({
        eventId: `waiting:${c.current}:${c.municipality}`,
        type: 'RulesChangeWaiting',
        schemaVersion: 1,
        recordedAt: run.runAt,
        data: { ...c, accepted: undefined, runDate: run.runDate },
      })),
    );
    for (const c of waiting)
      this.logger.error(
        { municipality: c.municipality, previous: c.previous, current: c.current, changes: c.changes },
        'rules changed and not accepted: this municipality is not settled until someone runs ./cli rules accept',
      );
    return waiting.map((c) => c.municipality);
  }
}
