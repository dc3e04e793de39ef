import { buildWorkplace } from '../../src/server.js';
import { hashPassword, type WorkplaceUser } from '../../src/users.js';
import { fileURLToPath } from 'node:url';
import type { EventStore } from '@bijstand/event-store';
import { loadMunicipalities } from '@bijstand/platform';

/** Test users, one per role; passwords exist only in the tests. */
export const TEST_PASSWORD = 'test-only-password';
export const testUsers = (): WorkplaceUser[] => [
  { name: 'Karin Klantmanager', role: 'consultant', passwordHash: hashPassword(TEST_PASSWORD) },
  { name: 'Bram Backoffice', role: 'backoffice', passwordHash: hashPassword(TEST_PASSWORD) },
  { name: 'Olga Bezwaar', role: 'objection-handler', passwordHash: hashPassword(TEST_PASSWORD) },
];

export const CONTACT = {
  municipality: 'Voorbeeldstad (demo)',
  phone: '14 0123',
  objectionAddress: 'Gemeente Voorbeeldstad, Postbus 100, 1000 AA Voorbeeldstad',
};

/** The workplace on a store, with the clock at `now` (a fixed instant after the example's last night). */
export const workplaceOn = (store: EventStore, now = '2027-12-01T09:00:00Z', redisUrl?: string) =>
  buildWorkplace({
    store,
    users: testUsers(),
    sessionSecret: 'test-secret-test-secret-test-secret',
    contact: CONTACT,
    // The demo configuration: its letters block makes the resident's letter a decision a municipality can send.
    municipalities: loadMunicipalities(
      fileURLToPath(new URL('../../../../infra/config/demo-municipality.json', import.meta.url)),
    ),
    now: () => now,
    asOf: now,
    ...(redisUrl ? { redisUrl } : {}),
  });
