import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@bijstand/platform';
import { hashPassword, workplaceSettings } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'workplace-settings-'));
const usersFile = join(dir, 'users.json');
writeFileSync(
  usersFile,
  JSON.stringify({ users: [{ name: 'anna', role: 'consultant', passwordHash: hashPassword('pw') }] }),
);

describe('workplaceSettings: users, session secret and address from the environment and the flags', () => {
  it('takes WORKPLACE_* as given, --host/--port over them, and warns about nothing', () => {
    const warnings: string[] = [];
    const env = { WORKPLACE_USERS: usersFile, WORKPLACE_SESSION_SECRET: 's3cr3t', WORKPLACE_PORT: '9090' };
    const settings = workplaceSettings(env, {}, (line) => warnings.push(line));
    expect(settings.users.map((u) => [u.name, u.role])).toEqual([['anna', 'consultant']]);
    expect([settings.sessionSecret, settings.host, settings.port]).toEqual(['s3cr3t', '127.0.0.1', 9090]);
    expect(workplaceSettings(env, { host: '0.0.0.0', port: '0' }, () => {})).toMatchObject({
      host: '0.0.0.0',
      port: 0,
    });
    expect(warnings).toEqual([]);
  });

  it('a generated session secret is said on the warning line, and differs per run', () => {
    const warnings: string[] = [];
    const a = workplaceSettings({ WORKPLACE_USERS: usersFile }, {}, (line) => warnings.push(line));
    const b = workplaceSettings({ WORKPLACE_USERS: usersFile }, {}, () => {});
    expect(a.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sessionSecret).not.toBe(b.sessionSecret);
    expect(warnings).toEqual([
      'warning: WORKPLACE_SESSION_SECRET is not set: a secret was generated for this run; sessions end when the process stops\n',
    ]);
  });

  it('a wrong port or an unreadable users file is a configuration error naming it', () => {
    const env = { WORKPLACE_USERS: usersFile, WORKPLACE_SESSION_SECRET: 's' };
    expect(() => workplaceSettings(env, { port: '70000' }, () => {})).toThrow(
      new ConfigurationError('--port: 70000 is not a port'),
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ users: [{ name: 'x', role: 'boss', passwordHash: 'h' }] }));
    expect(() => workplaceSettings({ ...env, WORKPLACE_USERS: bad }, {}, () => {})).toThrow(
      /^WORKPLACE_USERS: .*bad\.json: users\.0\.role: /,
    );
  });
});
