import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '@bijstand/workplace';
import { root, runCli } from './support/cli.js';

/** `./cli serve` as a user starts it: the checks before it listens, and --hash-password. */
describe('cli serve', () => {
  it('WORKPLACE_SESSION_SECRET=x refuses to start, naming the variable and the rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-'));
    const users = join(dir, 'users.json');
    writeFileSync(
      users,
      JSON.stringify({
        users: [{ name: 'anna', role: 'consultant', passwordHash: hashPassword('pw'), municipalities: ['GM1680'] }],
      }),
    );
    const r = await runCli(['serve', '--port', '0'], { WORKPLACE_USERS: users, WORKPLACE_SESSION_SECRET: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: WORKPLACE_SESSION_SECRET: must be at least 32 bytes of random (e.g. `openssl rand -hex 32`); a shorter one can be guessed and session cookies forged\n',
    );
  });

  it('--hash-password prints a hash that verifies the password read from stdin', async () => {
    const child = spawn(join(root, 'cli'), ['serve', '--hash-password'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.end('correct horse battery staple\n');
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}\n$/);
    await expect(verifyPassword('correct horse battery staple', stdout.trim())).resolves.toBe(true);
  });
});
