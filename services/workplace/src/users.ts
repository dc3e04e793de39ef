import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { z } from 'zod';

/** Who may do what in the workplace. */
export const ROLES = ['consultant', 'backoffice', 'objection-handler'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  consultant: 'klantmanager',
  backoffice: 'backoffice',
  'objection-handler': 'bezwaarbehandelaar',
};

const userSchema = z
  .object({
    name: z.string().min(1).max(100),
    role: z.enum(ROLES),
    passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[0-9a-f]+\$[0-9a-f]+$/, {
      error: 'must be scrypt$N$r$p$salt$hash (./cli serve --hash-password)',
    }),
    /**
     * The municipalities (CBS codes) whose households the user may see. Required for the roles that open
     * households: a shared service holds the residents of several municipalities. A backoffice user without
     * it runs the whole service (runs, queues, rejected messages) and reads every municipality's inbox.
     */
    municipalities: z
      .array(z.string().regex(/^GM\d{4}$/, { error: 'must be a CBS municipality code like GM1680' }))
      .min(1, { error: 'must name at least one municipality' })
      .optional(),
  })
  .strict()
  .superRefine((u, ctx) => {
    if (u.role !== 'backoffice' && !u.municipalities)
      ctx.addIssue({
        code: 'custom',
        path: ['municipalities'],
        message:
          `is required for role ${u.role} ` + '(the municipalities whose households the user may see, e.g. ["GM1680"])',
      });
  });
export const usersFileSchema = z.object({ users: z.array(userSchema).min(1) }).strict();
export type WorkplaceUser = z.infer<typeof userSchema>;

const N = 16384;
const R = 8;
const P = 1;
// Async: a login's 16 MB scrypt runs on the libuv pool, so wrong passwords do not stop the event loop.
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
) => Promise<Buffer>;

/** `scrypt$N$r$p$salt$hash` (hex), node's crypto.scrypt with a random 16-byte salt (or the one given, for tests). */
export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash!, 'hex');
  const actual = await scryptAsync(password, Buffer.from(salt!, 'hex'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

export function loadUsers(path: string): WorkplaceUser[] {
  const parsed = usersFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.users;
}

/** Checks a login; the same work whether or not the name exists, so timing tells nothing. */
export async function authenticate(
  users: readonly WorkplaceUser[],
  name: string,
  password: string,
): Promise<WorkplaceUser | null> {
  const user = users.find((u) => u.name === name);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && ok ? user : null;
}
const DUMMY_HASH = hashPassword(randomBytes(8).toString('hex'));
