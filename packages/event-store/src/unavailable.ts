/**
 * A service the process needs (PostgreSQL, Redis) did not answer within its timeout or refused the
 * connection: the command ends naming the service and where it was looked for (never a password), rather
 * than wait for it forever. Here, in the lowest package, so that the store and the queue raise the same error.
 */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: 'PostgreSQL' | 'Redis',
    readonly where: string,
    detail: string,
  ) {
    super(`${service} at ${where} is unreachable: ${detail}`);
    this.name = 'ServiceUnavailableError';
  }
}

/** `host:port/path` of a URL, without user or password (they end up in logs and error messages). */
export function locationOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(an unparseable URL)';
  }
}
