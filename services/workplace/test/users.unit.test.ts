import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maskProcessOutput, writeUnmasked } from '@bijstand/platform';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoUsers } from '../src/demoUsers.js';
import { authenticate, hashPassword, loadUsers, verifyPassword } from '../src/users.js';

const read = (s: PassThrough) => (s.read() as Buffer | null)?.toString('utf8') ?? '';

describe('password hashes (scrypt, async)', () => {
  // A salt whose hex holds a run of nine digits: BSN masking would turn it into *****6789.
  const salt = Buffer.from('a123456789bcdef0a123456789bcdef0', 'hex');

  it('a printed hash is not masked as if it held a BSN, so it round-trips through verifyPassword', async () => {
    const hash = hashPassword('geheim wachtwoord', salt);
    expect(hash).toMatch(/\$a123456789bcdef0a123456789bcdef0\$[0-9a-f]{64}$/);
    const out = new PassThrough();
    maskProcessOutput([out]);
    out.write(`${hash}\n`);
    const masked = read(out).trim();
    expect(masked).not.toBe(hash); // what `serve --hash-password` printed before
    writeUnmasked(out, `${hash}\n`);
    const printed = read(out).trim();
    expect(printed).toBe(hash);
    await expect(verifyPassword('geheim wachtwoord', printed)).resolves.toBe(true);
    await expect(verifyPassword('een ander', printed)).resolves.toBe(false);
  });

  it('authenticate: the user for the right password, null for a wrong one or an unknown name', async () => {
    const users = [
      { name: 'anna', role: 'consultant' as const, passwordHash: hashPassword('pw'), municipalities: ['GM1680'] },
    ];
    await expect(authenticate(users, 'anna', 'pw')).resolves.toEqual(users[0]);
    await expect(authenticate(users, 'anna', 'nope')).resolves.toBeNull();
    await expect(authenticate(users, 'bob', 'pw')).resolves.toBeNull();
  });

  it('the demo users file `make run` writes loads, with a municipality for roles that open households', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'demo-users-')), 'users.json');
    const written = writeDemoUsers(path);
    const loaded = loadUsers(path);
    expect(loaded.map((u) => [u.name, u.role, u.municipalities ?? null])).toEqual([
      ['klantmanager', 'consultant', ['GM1680']],
      ['backoffice', 'backoffice', null],
      ['bezwaar', 'objection-handler', ['GM1680']],
    ]);
    await expect(authenticate(loaded, 'bezwaar', written[2]!.password)).resolves.toMatchObject({ name: 'bezwaar' });
  });
});
