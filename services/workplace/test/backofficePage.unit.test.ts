import { describe, expect, it } from 'vitest';
import { backofficePage, type BackofficeView } from '../src/backoffice/page.js';

const user = { name: 'Bram Backoffice', role: 'backoffice' as const, csrfToken: 't' };
const night = (runDate: string) => ({
  runDate,
  runAt: `${runDate}T02:00:00Z`,
  rulesVersion: 'engine-3.0.0+rules-aaaaaaaaaaaa',
  held: [],
  result: {
    runDate,
    runAt: `${runDate}T02:00:00Z`,
    households: 160,
    monthsSettled: 158,
    paymentsMade: 157,
    paid: '191234.56',
    alerts: 12,
    eventsAppended: 640,
    failures: runDate === '2027-07-25' ? [{ householdId: 'H-kapot', reason: 'decider refused: no CaseOpened' }] : [],
  },
});
const view = (over: Partial<BackofficeView> = {}): BackofficeView => ({
  households: 160,
  nights: [night('2027-07-25'), night('2027-01-25')],
  rules: [],
  messages: { open: [], handled: [], parked: [], ids: new Set() },
  paydays: [],
  queues: false,
  canRetry: true,
  ...over,
});

describe('the backoffice page (rendering)', () => {
  it('shows a night that starts at 02:00 UTC in Dutch time: 04:00 in summer time, 03:00 in winter time', () => {
    const body = backofficePage(user, view());
    expect(body).toContain(
      '<tr data-night="2027-07-25"><td>25 juli 2027</td><td>om 04:00 ' +
        'uur</td><td><code>engine-3.0.0+rules-aaaaaaaaaaaa</code></td><td class="num">160</td><td ' +
        'class="num">158</td><td class="num">157</td><td class="num">€ 191.234,56</td><td class="num">12</td><td ' +
        'class="num">1</td></tr>',
    );
    expect(body).toContain('<tr data-night="2027-01-25"><td>25 januari 2027</td><td>om 03:00 uur</td>');
  });

  it('names the date too when a night started on another day in Dutch time', () => {
    const late = { ...night('2027-03-28'), runAt: '2027-03-28T23:30:00Z' };
    expect(backofficePage(user, view({ nights: [late] }))).toContain(
      '<td>28 maart 2027</td><td>29 maart 2027 om 01:30 uur</td>',
    );
  });

  it('lists each failed household of a night with a link to its signals', () => {
    expect(backofficePage(user, view())).toContain(
      '<li data-failure="H-kapot">Nacht van 25 juli 2027: huishouden <a ' +
        'href="/inbox?household=H-kapot&amp;state=all">H-kapot</a> is niet afgerekend.',
    );
  });

  it('says plainly what it cannot show: no Redis, no configuration, no key for a retry, no result of a night', () => {
    const body = backofficePage(
      user,
      view({ paydays: null, canRetry: false, nights: [{ ...night('2027-07-26'), result: null }] }),
    );
    expect(body).toContain('Wachtrijen: niet beschikbaar, deze werkplek draait zonder Redis');
    expect(body).toContain('Niet te tonen: de werkplek draait zonder gemeenteconfiguratie (MUNICIPALITY_CONFIG)');
    expect(body).toContain('geen uitkomst vastgelegd (de nacht loopt nog, of is van vóór de vastlegging)');
    expect(body).not.toContain('niet vastgelegd (zie log)');
  });

  it('shows a message still open after a retry that was rejected again, with that attempt', () => {
    const open = {
      id: '1a2b-3c4d-5e6f',
      kind: 'case' as const,
      rejectedAt: '2027-07-01T08:00:00Z',
      source: 'bestand zaken.ndjson, regel 3',
      householdId: 'H-gieten',
      messageId: null,
      reason: 'municipality: GM1730 is not named',
      rule: 'unknown-municipality' as const,
      reasonNl:
        'De gemeente van deze zaak is niet ingesteld (MUNICIPALITY_CONFIG); stel haar in en verwerk het ' +
        'bericht opnieuw.',
      status: 'open' as const,
      handling: [
        {
          action: 'retried' as const,
          by: 'Bram Backoffice',
          reason: 'nog eens geprobeerd',
          at: '2027-07-02T07:30:00Z',
          outcome: 'rejected' as const,
        },
      ],
    };
    const body = backofficePage(user, view({ messages: { open: [open], handled: [], parked: [], ids: new Set() } }));
    expect(body).toContain(
      '<p>Eerdere pogingen:</p><ul><li>opnieuw verwerkt: opnieuw afgekeurd, door Bram Backoffice op 2 juli ' +
        '2027 om 09:30 uur: nog eens geprobeerd</li></ul>',
    );
  });
});
