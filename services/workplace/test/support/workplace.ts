import type { FastifyInstance } from 'fastify';
import { buildWorkplace, type WorkplaceOptions } from '../../src/server.js';
import { hashPassword, type WorkplaceUser } from '../../src/users.js';
import { fileURLToPath } from 'node:url';
import type { EventStore } from '@bijstand/event-store';
import { loadMunicipalities } from '@bijstand/platform';

/** Test users, one per role; passwords exist only in the tests. */
export const TEST_PASSWORD = 'test-only-password';
export const testUsers = (): WorkplaceUser[] => [
  {
    name: 'Karin Klantmanager',
    role: 'consultant',
    passwordHash: hashPassword(TEST_PASSWORD),
    municipalities: ['GM1680'],
  },
  { name: 'Bram Backoffice', role: 'backoffice', passwordHash: hashPassword(TEST_PASSWORD) },
  {
    name: 'Olga Bezwaar',
    role: 'objection-handler',
    passwordHash: hashPassword(TEST_PASSWORD),
    municipalities: ['GM1680'],
  },
];

export const CONTACT = {
  municipality: 'Voorbeeldstad (demo)',
  phone: '14 0123',
  objectionAddress: 'Gemeente Voorbeeldstad, Postbus 100, 1000 AA Voorbeeldstad',
};

/** The workplace on a store, with the clock at `now` (a fixed instant after the example's last night). */
export const workplaceOn = (
  store: EventStore,
  now = '2027-12-01T09:00:00Z',
  redisUrl?: string,
  more: Partial<WorkplaceOptions> = {},
) =>
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
    // Tests share two cores with browsers and servers: the load shedder's event-loop-lag rule (which would
    // refuse a login at random then) is load.e2e.test.ts's business; it passes `limits: {}` for the defaults.
    limits: { maxEventLoopLagMs: 60_000 },
    ...more,
  });

/** A logged-in session as a browser holds it: the cookie, and the CSRF token its pages' forms carry. */
export interface TestSession {
  cookie: string;
  csrf: string;
}

/** Logs in through POST /login and reads the CSRF token from the start page. */
export async function loginAs(app: FastifyInstance, name: string, password = TEST_PASSWORD): Promise<TestSession> {
  const res = await app.inject({ method: 'POST', url: '/login', payload: { name, password } });
  if (res.statusCode !== 303) throw new Error(`login of ${name}: ${res.statusCode}`);
  const set = res.cookies.find((c) => c.name === 'workplace_session')!;
  const cookie = `workplace_session=${set.value}`;
  const start = await app.inject({ url: res.headers.location as string, headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(start.body)?.[1];
  if (!csrf) throw new Error(`no CSRF token on ${res.headers.location}`);
  return { cookie, csrf };
}
