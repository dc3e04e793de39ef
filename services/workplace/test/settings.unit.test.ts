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
  JSON.stringify({
    users: [{ name: 'anna', role: 'consultant', passwordHash: hashPassword('pw'), municipalities: ['GM1680'] }],
  }),
);

const SECRET = 'a'.repeat(64);

describe('workplaceSettings: users, session secret and address from the environment and the flags', () => {
  it('takes WORKPLACE_* as given, --host/--port over them, and warns about nothing', () => {
    const warnings: string[] = [];
    const env = { WORKPLACE_USERS: usersFile, WORKPLACE_SESSION_SECRET: SECRET, WORKPLACE_PORT: '9090' };
    const settings = workplaceSettings(env, {}, (line) => warnings.push(line));
    expect(settings.users.map((u) => [u.name, u.role, u.municipalities])).toEqual([['anna', 'consultant', ['GM1680']]]);
    expect([settings.sessionSecret, settings.host, settings.port, settings.behindTls]).toEqual([
      SECRET,
      '127.0.0.1',
      9090,
      false,
    ]);
    expect(workplaceSettings({ ...env, WORKPLACE_BEHIND_TLS: '1' }, {}, () => {}).behindTls).toBe(true);
    expect(workplaceSettings(env, { behindTls: true }, () => {}).behindTls).toBe(true);
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
    const env = { WORKPLACE_USERS: usersFile, WORKPLACE_SESSION_SECRET: SECRET };
    expect(() => workplaceSettings(env, { port: '70000' }, () => {})).toThrow(
      new ConfigurationError('--port: 70000 is not a port'),
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ users: [{ name: 'x', role: 'boss', passwordHash: 'h' }] }));
    expect(() => workplaceSettings({ ...env, WORKPLACE_USERS: bad }, {}, () => {})).toThrow(
      /^WORKPLACE_USERS: .*bad\.json: users\.0\.role: /,
    );
  });

  it('a session secret shorter than 32 bytes refuses to start, naming the variable and the rule', () => {
    for (const secret of ['x', 'a'.repeat(31)])
      expect(() =>
        workplaceSettings({ WORKPLACE_USERS: usersFile, WORKPLACE_SESSION_SECRET: secret }, {}, () => {}),
      ).toThrow(
        new ConfigurationError(
          'WORKPLACE_SESSION_SECRET: must be at least 32 bytes of random (e.g. `openssl rand -hex 32`); ' +
            'a shorter one can be guessed and session cookies forged',
        ),
      );
    expect(
      workplaceSettings({ WORKPLACE_USERS: usersFile, WORKPLACE_SESSION_SECRET: 'a'.repeat(32) }, {}, () => {}),
    ).toBeTruthy();
  });

  it('a consultant or objection handler without municipalities is refused; a backoffice user may have none', () => {
    const file = join(dir, 'nomunicipality.json');
    const hash = hashPassword('pw');
    writeFileSync(
      file,
      JSON.stringify({
        users: [
          { name: 'b', role: 'backoffice', passwordHash: hash },
          { name: 'o', role: 'objection-handler', passwordHash: hash },
          { name: 'c', role: 'consultant', passwordHash: hash, municipalities: ['1680'] },
        ],
      }),
    );
    expect(() => workplaceSettings({ WORKPLACE_USERS: file, WORKPLACE_SESSION_SECRET: SECRET }, {}, () => {})).toThrow(
      new ConfigurationError(
        `WORKPLACE_USERS: ${file}: users.1.municipalities: is required for role objection-handler ` +
          '(the municipalities whose households the user may see, e.g. ["GM1680"]); ' +
          'users.2.municipalities.0: must be a CBS municipality code like GM1680',
      ),
    );
  });
});
